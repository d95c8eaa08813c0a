"""Reading assessment and investment tables as KOTAKU workbooks and city staff write them.

XLSX with several sheets, the header not on row 1, merged header cells (a criterion id merged over
Volume / Prosen / Nilai), CSV with `,` or `;` and decimal commas. Headers are mapped onto the
model's columns (`docs/data-format.md`); what cannot be mapped is reported, never silently dropped.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.core.findings import Finding
from utils.io.uploads import UploadError
from utils.method.criteria import CRITERIA, CRITERION_IDS, DENOMINATORS, FUNDING_SOURCES, LEGACY_2016_EXTRA_IDS
from utils.method.priority_table import PRIORITY_HEADERS

HEADER_SCAN_ROWS = 30
_ALL_IDS = (*CRITERION_IDS, *LEGACY_2016_EXTRA_IDS)
_MAGIC = {
    b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"%PDF": "PDF", b"PK\x03\x04": "ZIP/XLSX",
    b"\xd0\xcf\x11\xe0": "XLS/DOC (OLE)", b"BM": None,  # BMP only with NULs; handled by the NUL check
}

# Normalised header text -> model column. Normalisation: lower case, units in brackets kept as words,
# punctuation to spaces, single spaces.
_ASSESSMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("tahun", "year", "tahun data", "tahun penilaian", "tahun pendataan"),
    "sk_period": ("sk period", "periode sk", "periode", "sk", "periode sk kumuh"),
    "kode_kel": ("kode kel", "kode kelurahan", "kode desa", "kode desa kelurahan", "kode kelurahan desa", "kd kel",
                 "kode wilayah", "kode", "kode kemendagri", "kdepum", "kode kel desa"),
    "kelurahan": ("kelurahan", "nama kelurahan", "desa kelurahan", "kelurahan desa", "desa", "nama desa",
                  "nama desa kelurahan", "kel", "kel desa"),
    "kecamatan": ("kecamatan", "nama kecamatan", "kec"),
    "kawasan_id": ("kawasan id", "kode kawasan", "id kawasan", "kd kawasan"),
    "kawasan": ("kawasan", "nama kawasan", "lokasi kawasan", "lokasi"),
    "rt": ("rt", "rt rw", "nomor rt", "no rt", "rt/rw"),
    "area_ha": ("area ha", "luas verifikasi ha", "luas verifikasi", "luas ha", "luas kawasan ha", "luas kawasan",
                "luas", "luas wilayah ha", "luas kumuh ha", "luas permukiman ha"),
    "buildings": ("buildings", "jumlah bangunan", "jumlah bangunan unit", "jml bangunan", "bangunan unit",
                  "jumlah bangunan rumah"),
    "population": ("population", "jumlah penduduk", "jumlah penduduk jiwa", "jumlah jiwa", "penduduk jiwa",
                   "jml penduduk", "penduduk"),
    "households": ("households", "jumlah kk", "jumlah kepala keluarga", "jumlah kepala keluarga kk", "jml kk", "kk"),
    "road_length_m": ("road length m", "panjang jalan lingkungan ideal m", "panjang jalan lingkungan ideal",
                      "panjang jalan ideal m", "panjang jalan ideal", "panjang jaringan jalan ideal m"),
    "drainage_length_m": ("drainage length m", "panjang drainase lingkungan ideal m", "panjang drainase ideal m",
                          "panjang drainase ideal", "panjang drainase lingkungan ideal",
                          "panjang saluran drainase ideal m"),
    **PRIORITY_HEADERS,  # pl_8a, pl_8b, pl_8c, l_9a, l_9b, typology (Nilai Strategis Lokasi, Tipologi, ...)
}
_INVESTMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "year": _ASSESSMENT_HEADERS["year"] + ("tahun anggaran", "ta"),
    "kode_kel": _ASSESSMENT_HEADERS["kode_kel"],
    "kelurahan": _ASSESSMENT_HEADERS["kelurahan"],
    "kecamatan": _ASSESSMENT_HEADERS["kecamatan"],
    "kawasan_id": _ASSESSMENT_HEADERS["kawasan_id"],
    "rt": _ASSESSMENT_HEADERS["rt"],
    "criterion": ("criterion", "kriteria", "kode kriteria", "indikator", "aspek kriteria"),
    "activity": ("activity", "kegiatan", "nama kegiatan", "jenis kegiatan", "uraian kegiatan"),
    "volume": ("volume", "vol"),
    "unit": ("unit", "satuan"),
    "budget_idr": ("budget idr", "anggaran", "anggaran rp", "nilai anggaran", "nilai anggaran rp", "biaya",
                   "biaya rp", "nilai rp", "pagu", "pagu rp", "jumlah anggaran rp"),
    "funding_source": ("funding source", "sumber dana", "sumber anggaran", "sumber pendanaan"),
    "implementer": ("implementer", "pelaksana", "pelaku", "stakeholder", "pihak pelaksana", "instansi pelaksana"),
}
_KIND_WORDS = {
    "v": ("volume", "vol", "jumlah", "jml"),
    "p": ("prosen", "persen", "persentase", "prosentase", "percent", "pct", "%"),
    "n": ("nilai", "skor", "score", "poin"),
}
# The header a KOTAKU workbook uses for a model column: messages name these, not the internal names.
KOTAKU_HEADERS = {
    "year": "Tahun", "sk_period": "Periode SK", "kode_kel": "Kode Kelurahan", "kelurahan": "Kelurahan",
    "kawasan_id": "Kode Kawasan", "rt": "RT", "area_ha": "Luas Verifikasi (Ha)", "buildings": "Jumlah Bangunan (Unit)",
    "population": "Jumlah Penduduk (Jiwa)", "households": "Jumlah KK",
    "road_length_m": "Panjang Jalan Lingkungan Ideal (m)", "drainage_length_m": "Panjang Drainase Ideal (m)",
    "criterion": "Kriteria", "volume": "Volume", "budget_idr": "Anggaran (Rp)", "funding_source": "Sumber Dana",
}
ASSESSMENT_NUMERIC = ("area_ha", *DENOMINATORS, *[f"{k}_{c}" for k in "vpn" for c in _ALL_IDS])
INVESTMENT_NUMERIC = ("volume", "budget_idr")


@dataclass
class TableRead:
    frame: pd.DataFrame  # mapped columns plus `_row` (the row number the user sees in the file)
    sheet: str | None
    sheets: list[str]
    header_row: int  # 1-based row of the (lower) header line in the file
    mapped: dict[str, str]  # original header -> model column
    unmapped: list[str]
    findings: list[Finding] = field(default_factory=list)


def user_header(frame: pd.DataFrame, column: str) -> str:
    """The header the user wrote for `column` (kept by read_table_file), else the KOTAKU one."""
    return str(frame.attrs.get("headers", {}).get(column) or KOTAKU_HEADERS.get(column, column))


def normalise_header(text: object) -> str:
    s = str(text or "").lower().replace("\n", " ")
    s = s.replace("%", " % ")
    s = re.sub(r"[^0-9a-z%]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _criterion_header(norm: str) -> str | None:
    """`1a volume`, `volume 1a`, `v_1a`, `1.a prosen`, `% 4b`, `nilai 7b` -> v_1a / p_4b / n_7b."""
    m = (re.fullmatch(r"([vpn]) ([1-7])\s?([a-e])", norm)
         or re.fullmatch(r"([vpn])([1-7])([a-e])", norm.replace(" ", "")))
    if m:
        cid = m.group(2) + m.group(3)
        return f"{m.group(1)}_{cid}" if cid in _ALL_IDS else None
    m = re.search(r"(?:^| )([1-7]) ?([a-e])(?: |$)", norm)
    if not m:
        return None
    cid = m.group(1) + m.group(2)
    if cid not in _ALL_IDS:
        return None
    rest = (norm[:m.start()] + " " + norm[m.end():]).split()
    for kind, words in _KIND_WORDS.items():
        if any(w in rest for w in words):
            return f"{kind}_{cid}"
    return None


def map_header(text: object, table: str = "assessments") -> str | None:
    """The model column a header names, or None."""
    norm = normalise_header(text)
    if not norm:
        return None
    headers = _ASSESSMENT_HEADERS if table == "assessments" else _INVESTMENT_HEADERS
    for col, variants in headers.items():
        if norm == col.replace("_", " ") or norm in variants:
            return col
    if table == "assessments":
        return _criterion_header(norm)
    return None


# ---- raw grids ----------------------------------------------------------------------------

def _sniff_binary(path: Path, data: bytes) -> None:
    if not data.strip():
        raise UploadError("import.empty_file", name=path.name)
    for magic, kind in _MAGIC.items():
        if kind and data.startswith(magic):
            raise UploadError("import.not_a_table", name=path.name, kind=kind)
    if b"\x00" in data[:65536]:
        raise UploadError("import.not_a_table", name=path.name, kind="binary")


def _csv_grid(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    _sniff_binary(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()][:HEADER_SCAN_ROWS]
    counts = {d: sum(ln.count(d) for ln in lines) for d in (";", ",", "\t")}
    sep = max(counts, key=counts.get) if any(counts.values()) else ","
    if counts.get(";", 0) and counts[";"] >= counts.get(",", 0) * 0.5 and sep == ",":
        sep = ";"  # "1,51;2,3" has more commas than semicolons but is a ; file
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    return [row for row in reader]


def list_sheets(path: Path) -> list[str]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # noqa: BLE001
        raise UploadError("import.unreadable", name=path.name, reason=str(exc).splitlines()[0][:160]) from exc
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _xlsx_grid(path: Path, sheet: str | None) -> tuple[list[list[object]], str, list[str]]:
    import openpyxl

    data = path.read_bytes()[:8]
    if not data:
        raise UploadError("import.empty_file", name=path.name)
    if not data.startswith(b"PK"):
        kind = next((k for m, k in _MAGIC.items() if k and data.startswith(m)), "?")
        raise UploadError("import.not_a_table", name=path.name, kind=kind)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)  # not read-only: merged cells are needed
    except Exception as exc:  # noqa: BLE001
        raise UploadError("import.unreadable", name=path.name, reason=str(exc).splitlines()[0][:160]) from exc
    sheets = list(wb.sheetnames)
    if sheet is not None and sheet not in sheets:
        raise UploadError("import.no_such_sheet", name=path.name, sheet=sheet, sheets=", ".join(sheets))
    chosen = sheet
    if chosen is None:  # the first sheet that looks like a table of the model
        best = (-1, sheets[0])
        for s in sheets:
            grid = _sheet_grid(wb[s], max_rows=HEADER_SCAN_ROWS)
            score = _best_header(grid, "assessments")[2]
            if score > best[0]:
                best = (score, s)
        chosen = best[1]
    return _sheet_grid(wb[chosen]), chosen, sheets


def _sheet_grid(ws, max_rows: int | None = None) -> list[list[object]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=max_rows)]
    # merged cells: copy the top-left value into every cell of the range (header rows only matter)
    for rng in ws.merged_cells.ranges:
        if max_rows is not None and rng.min_row > max_rows:
            continue
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                row = rows[r - 1]
                while len(row) < c:
                    row.append(None)
                row[c - 1] = value
    return rows


def _best_header(grid: list[list[object]], table: str) -> tuple[int, bool, int]:
    """(0-based header row, whether the row above joins it, number of mapped columns)."""
    best = (0, False, 0)
    for r in range(min(HEADER_SCAN_ROWS, len(grid))):
        for two in (False, True):
            if two and r == 0:
                continue
            headers = _headers(grid, r, two)
            n = len({m for m in (map_header(h, table) for h in headers) if m})
            if n > best[2]:
                best = (r, two, n)
    return best


def _headers(grid: list[list[object]], r: int, two: bool) -> list[str]:
    lower = grid[r]
    upper = grid[r - 1] if two else []
    width = max(len(lower), len(upper))
    out = []
    for c in range(width):
        lo = lower[c] if c < len(lower) else None
        up = upper[c] if c < len(upper) else None
        parts = [str(x).strip() for x in (up, lo) if x is not None and str(x).strip()]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]  # a cell merged vertically over both header rows
        out.append(" ".join(parts))
    return out


# ---- numbers ------------------------------------------------------------------------------

def parse_numbers(values: pd.Series, money: bool = False) -> pd.Series:
    """Numbers written as `1,51`, `1.234,5`, `1,234.5`, `12 %`, `Rp 150.000.000` or real numbers; blanks become NaN.

    In a column where any value has a decimal comma, dots are thousands separators; so are the dots
    of `150.000.000` (more than one dot cannot be a decimal point). In a money column (`money`) an
    Indonesian `1.500` is one thousand five hundred rupiah, never 1.5.
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    if not money:  # fast path (10 s -> 0.3 s for 25,000 CSV rows): every cell already a plain number or blank
        fast = pd.to_numeric(values, errors="coerce")
        if (fast.notna() | values.isna() | (values.astype("string").str.strip() == "")).all():
            return fast.astype(float)
    text = (values.astype("string").str.strip().str.replace(r"\s*%$", "", regex=True).str.replace("\u00a0", "")
            .str.replace(r"^(?:rp\.?|idr)\s*", "", regex=True, case=False).str.replace(r"\s*,-$", "", regex=True))
    comma_decimal = text.str.contains(r"^-?[\d.]*\d,\d+$", regex=True, na=False).any()
    if comma_decimal:
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        groups = r"^-?\d{1,3}(?:\.\d{3})+$" if money else r"^-?\d{1,3}(?:\.\d{3}){2,}$"
        dotted = text.str.fullmatch(groups, na=False)
        text = text.where(~dotted, text.str.replace(".", "", regex=False))
        text = text.str.replace(r"(?<=\d),(?=\d{3}(\D|$))", "", regex=True)
    # leave unparseable text in place; scoring and validation name the cell
    num = pd.to_numeric(text, errors="coerce")
    keep_text = num.isna() & text.notna() & (text != "")
    if keep_text.any():
        return values.where(keep_text, num).astype(object)
    return num.astype(float)


# ---- reading a table ----------------------------------------------------------------------

def read_table_file(path: Path, table: str = "assessments", sheet: str | None = None,
                    header_row: int | None = None) -> TableRead:
    """Read a CSV or XLSX table and map its headers; raises UploadError for unusable files."""
    path = Path(path)
    if not path.is_file():
        raise UploadError("import.not_found", name=str(path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        grid, chosen, sheets = _csv_grid(path), None, []
    elif suffix in (".xlsx", ".xlsm"):
        grid, chosen, sheets = _xlsx_grid(path, sheet)
    elif suffix == ".xls":
        raise UploadError("import.xls_old", name=path.name)
    else:
        raise UploadError("import.table_format", name=path.name)
    grid = [row for row in grid]
    if not any(any(v is not None and str(v).strip() for v in row) for row in grid):
        raise UploadError("import.empty_file", name=path.name if chosen is None else f"{path.name} › {chosen}")
    if header_row is not None:
        r, two = header_row - 1, False
        n = len({m for m in (map_header(h, table) for h in _headers(grid, r, False)) if m}) if r < len(grid) else 0
    else:
        r, two, n = _best_header(grid, table)
    where = path.name if chosen is None else f"{path.name} › {chosen}"
    if n < 2:
        other = [s for s in sheets if s != chosen]
        raise UploadError("import.no_header" if not other else "import.no_header_sheet", name=where,
                          sheets=", ".join(other))
    headers = _headers(grid, r, two)
    body = grid[r + 1:]
    width = len(headers)
    rows = [list(row[:width]) + [None] * (width - len(row)) for row in body]
    keep = [i for i, row in enumerate(rows) if any(v is not None and str(v).strip() for v in row)
            and not _is_total_line(row)]
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    columns: dict[str, list] = {}
    findings: list[Finding] = []
    for c, h in enumerate(headers):
        if not h:
            if any(rows[i][c] not in (None, "") for i in keep):
                unmapped.append(f"#{c + 1}")
            continue
        col = map_header(h, table)
        if col is None:
            unmapped.append(h)
            continue
        if col in columns:
            findings.append(Finding("import.duplicate_header", "warning", {"name": where, "header": h, "column": col}))
            continue
        mapped[h] = col
        columns[col] = [rows[i][c] for i in keep]
    frame = pd.DataFrame(columns)
    frame = _drop_total_rows(frame)
    frame["_row"] = [keep[i] + r + 2 for i in frame.index]  # 1-based file row numbers
    frame = frame.reset_index(drop=True)
    numeric = ASSESSMENT_NUMERIC if table == "assessments" else INVESTMENT_NUMERIC
    for col in frame.columns:
        if col in numeric:
            frame[col] = parse_numbers(frame[col], money=col == "budget_idr")
    if unmapped:
        findings.append(Finding("import.unmapped_columns", "warning",
                                {"name": where, "columns": ", ".join(unmapped[:40])}))
    if frame.empty:
        raise UploadError("import.empty_file", name=where)
    frame.attrs["headers"] = {col: h for h, col in mapped.items()}  # messages name the user's own headers
    return TableRead(frame, chosen, sheets, r + 1, mapped, unmapped, findings)


_TOTAL_RE = re.compile(r"(jumlah|total|sub ?total|grand total|jumlah total)( .*)?")
TOTAL_LABEL_CELLS = 6  # a KOTAKU total line writes its label in the first columns (No, often merged A:E)


def _is_total_line(row: list[object]) -> bool:
    """`Jumlah` / `Total` / `Sub total Kec. …` in one of the first cells (the `No` column included): a sum line."""
    for v in row[:TOTAL_LABEL_CELLS]:
        if isinstance(v, str) and v.strip():
            return bool(_TOTAL_RE.fullmatch(normalise_header(v)))
    return False


def _drop_total_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """KOTAKU exports end with a 'Jumlah'/'Total' line; it is a sum, not a unit."""
    label_cols = [c for c in ("year", "kelurahan", "kawasan", "rt", "kode_kel") if c in frame.columns]
    if not label_cols:
        return frame
    is_total = pd.Series(False, index=frame.index)
    for c in label_cols:
        is_total |= (frame[c].astype("string").str.strip().str.lower()
                     .isin(["jumlah", "total", "jumlah total"]).fillna(False))
    return frame.loc[~is_total]


# ---- the template -------------------------------------------------------------------------

def template_columns() -> list[str]:
    return ["year", "sk_period", "kode_kel", "kelurahan", "kawasan_id", "rt", *DENOMINATORS,
            *[f"v_{c}" for c in CRITERION_IDS]]


def build_template(lang: str = "id") -> bytes:
    """An XLSX with the expected layout: an empty assessments sheet, an investments sheet, and notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from utils.core.i18n import t

    wb = Workbook()
    ws = wb.active
    ws.title = "penilaian"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ws.append(template_columns())
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[cell.column_letter].width = max(10, len(str(cell.value)) + 2)
    inv = wb.create_sheet("investasi")
    inv.append(["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit", "budget_idr",
                "funding_source", "implementer"])
    for cell in inv[1]:
        cell.font, cell.fill = bold, fill
    notes = wb.create_sheet("petunjuk")
    notes.append([t("import.tpl.column", lang), t("import.tpl.meaning", lang), t("import.tpl.example", lang)])
    for cell in notes[1]:
        cell.font = bold
    example = {"year": 2024, "sk_period": "2", "kode_kel": "35.75.02.1003", "kelurahan": "Tembokrejo",
               "kawasan_id": "TBR-01", "rt": "RT 01", "area_ha": 1.51, "buildings": 63, "population": 260,
               "households": 65, "road_length_m": 340.5, "drainage_length_m": 350.5, "v_1a": 16, "v_2a": 147,
               "v_2b": 193.5, "v_3a": 65, "v_4a": 0.64, "v_4b": 340.5, "v_4c": 10, "v_6a": 65, "v_7a": 63,
               "v_7b": 63}
    for col in template_columns():
        if col.startswith("v_"):
            crit = next(c for c in CRITERIA if c.id == col[2:])
            meaning = t("import.tpl.volume", lang, id=crit.id, name=crit.name_id if lang != "en" else crit.name_en,
                        unit=crit.volume_unit, denominator=crit.denominator)
        else:
            meaning = t(f"import.tpl.{col}", lang)
        notes.append([col, meaning, example.get(col, 0 if col.startswith("v_") else "")])
    notes.append([])
    notes.append([t("import.tpl.pct_note", lang)])
    notes.append([t("import.tpl.funding_note", lang, sources=", ".join(FUNDING_SOURCES))])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 90
    notes.column_dimensions["C"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def frames_to_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """Several tables as the sheets of one workbook (for downloads)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in frames.items():
            out = pd.DataFrame(frame).drop(columns=["geometry"], errors="ignore")
            out.to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()

