"""The workshop's commitments register: its columns, checks, XLSX "matriks kolaborasi", merge.

A commitment says who (stakeholder and its type) will handle what (a criterion 1a-7b, or the
non-physical "legalisasi lahan") where (kelurahan, optionally kawasan or RT), how much (volume in
the criterion's own unit), when (year) and at what stage (usulan / komitmen / berjalan / selesai).
Checks here run without Streamlit, so the page's editor, the XLSX import and the tests refuse the
same rows with the same words; every finding names its row and its cell.
"""
from __future__ import annotations

import io
import re
import uuid
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from utils.core.findings import Finding
from utils.io.edits import EditCheck
from utils.io.matching import match_rows, normalise_code, normalise_name
from utils.io.tables import normalise_header, parse_numbers
from utils.method.criteria import CRITERIA_BY_ID, CRITERION_IDS

LAND_LEGALISATION = "legalisasi lahan"
STAKEHOLDER_TYPES: tuple[str, ...] = (
    "Pemda OPD", "APBN PUPR", "APBN K/L lain", "APBD Provinsi", "APBD Kab/Kota", "DAK/Hibah", "swasta/CSR",
    "masyarakat/swadaya", "perguruan tinggi", "BPN/ATR", "donor", "lainnya",
)
STATUSES: tuple[str, ...] = ("usulan", "komitmen", "berjalan", "selesai")
COUNTED_STATUSES: tuple[str, ...] = ("komitmen", "berjalan", "selesai")  # what the projection counts
COLUMNS = ["commitment_id", "stakeholder", "stakeholder_type", "kode_kel", "kawasan_id", "rt", "criterion",
           "activity", "volume", "unit", "year", "budget_idr", "status", "note", "invested_year"]
TEXT_COLUMNS = ["commitment_id", "stakeholder", "stakeholder_type", "kode_kel", "kawasan_id", "rt", "criterion",
                "activity", "unit", "status", "note"]
MIN_YEAR, MAX_YEAR_AHEAD = 2000, 30
MAX_LISTED = 100

# Unit words people type, per canonical unit of `criteria.Criterion.volume_unit`.
UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("unit", "units", "bangunan", "unit bangunan", "buildings", "building", "bh", "buah", "rumah", "ru"),
    "ha": ("ha", "hektar", "hektare", "hectare", "hectares"),
    "m": ("m", "meter", "m1", "mtr", "m panjang", "metre", "meters", "m'"),
    "KK": ("kk", "kepala keluarga", "households", "household", "rumah tangga", "sr"),
}
_UNIT_OF_WORD = {normalise_header(w) or w: unit for unit, words in UNIT_ALIASES.items() for w in words}

# Indonesian headers of the XLSX "matriks kolaborasi" (export), plus what an import also accepts.
HEADERS_ID: dict[str, str] = {
    "commitment_id": "ID", "stakeholder": "Pemangku kepentingan", "stakeholder_type": "Jenis pemangku kepentingan",
    "kode_kel": "Kode kelurahan", "kelurahan": "Kelurahan", "kawasan_id": "Kode kawasan", "rt": "RT",
    "criterion": "Kriteria", "activity": "Kegiatan", "volume": "Volume", "unit": "Satuan", "year": "Tahun",
    "budget_idr": "Anggaran (Rp)", "status": "Status", "note": "Catatan", "invested_year": "Dicatat investasi tahun",
}
HEADERS_EN: dict[str, str] = {
    "commitment_id": "ID", "stakeholder": "Stakeholder", "stakeholder_type": "Stakeholder type",
    "kode_kel": "Kelurahan code", "kelurahan": "Kelurahan", "kawasan_id": "Kawasan code", "rt": "RT",
    "criterion": "Criterion", "activity": "Activity", "volume": "Volume", "unit": "Unit", "year": "Year",
    "budget_idr": "Budget (IDR)", "status": "Status", "note": "Note", "invested_year": "Recorded as investment in",
}
_IMPORT_ALIASES: dict[str, tuple[str, ...]] = {
    "stakeholder": ("pihak", "lembaga", "instansi", "pelaku", "nama pemangku kepentingan", "pemangku kepentingan",
                    "stakeholder", "nama lembaga", "pelaksana"),
    "stakeholder_type": ("jenis pemangku kepentingan", "jenis", "kategori", "jenis lembaga", "tipe",
                         "kelompok pemangku kepentingan", "stakeholder type", "jenis pihak"),
    "kode_kel": ("kode kelurahan", "kode kel", "kode desa", "kode wilayah", "kode"),
    "kelurahan": ("kelurahan", "nama kelurahan", "desa kelurahan", "kel"),
    "kecamatan": ("kecamatan", "kec"),
    "kawasan_id": ("kode kawasan", "kawasan id", "id kawasan", "kawasan"),
    "rt": ("rt", "rt rw", "rt/rw"),
    "criterion": ("kriteria", "criterion", "kode kriteria", "indikator"),
    "activity": ("kegiatan", "activity", "nama kegiatan", "uraian kegiatan", "jenis kegiatan"),
    "volume": ("volume", "vol"),
    "unit": ("satuan", "unit"),
    "year": ("tahun", "year", "tahun rencana", "tahun pelaksanaan", "ta"),
    "budget_idr": ("anggaran rp", "anggaran", "budget idr", "budget", "nilai rp", "biaya rp", "biaya", "pagu"),
    "status": ("status", "tahap"),
    "note": ("catatan", "note", "keterangan", "ket"),
    "commitment_id": ("id", "commitment id", "id komitmen"),
    "invested_year": ("dicatat investasi tahun", "recorded as investment in", "invested year"),
}
_HEADER_OF = {normalise_header(h): col for col, hs in _IMPORT_ALIASES.items() for h in hs}
for _col, _h in (*HEADERS_ID.items(), *HEADERS_EN.items()):
    _HEADER_OF.setdefault(normalise_header(_h), _col)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def normalise_criterion(value: object) -> str | None:
    """`1a`, `1.a`, ` 1A `, `legalisasi lahan` (or `legalitas`) -> the register's value; None if unknown."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if "legal" in text:
        return LAND_LEGALISATION
    key = re.sub(r"[\s.]", "", text)
    return key if key in CRITERION_IDS else None


def normalise_unit(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return _UNIT_OF_WORD.get(normalise_header(text)) or _UNIT_OF_WORD.get(text.lower())


def criterion_unit(criterion: str) -> str | None:
    crit = CRITERIA_BY_ID.get(criterion)
    return crit.volume_unit if crit else None


def _pick(value: object, options: tuple[str, ...]) -> str | None:
    key = normalise_name(value)
    return next((o for o in options if normalise_name(o) == key), None) if key else None


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA or str(v).strip() in ("", "nan", "<NA>")


def _finding(key: str, row: object, column: str, severity: str = "error", **params: object) -> Finding:
    # the cell is named by the matriks kolaborasi's own (Indonesian) header, in both languages
    return Finding(key, severity, {"row": row, "column": column, "label": HEADERS_ID.get(column, column), **params})


def check_commitments(edited: pd.DataFrame, kelurahan: pd.DataFrame, kawasan: pd.DataFrame | None = None,
                      max_year: int | None = None) -> EditCheck:
    """The register as typed or imported: normalised rows, or None with the findings that refuse it.

    Refused (errors): no stakeholder, an unknown kelurahan, a criterion that does not exist, a negative
    volume or budget, a unit that is not the criterion's unit, an unknown status, a year out of range.
    Warnings: an unknown stakeholder type (kept as typed), a kawasan the kelurahan does not have.
    """
    max_year = max_year or date.today().year + MAX_YEAR_AHEAD
    frame = edited.reset_index(drop=True).copy()
    rows = (frame["_row"] if "_row" in frame.columns else pd.Series(np.arange(len(frame)) + 1)).tolist()
    frame = frame.drop(columns=[c for c in ("_row",) if c in frame.columns])
    for c in COLUMNS:
        if c not in frame.columns:
            frame[c] = pd.NA
    findings: list[Finding] = []
    keep = [i for i in range(len(frame)) if not all(_blank(frame.at[i, c]) for c in COLUMNS if c != "commitment_id")
            or "kelurahan" in frame.columns and not _blank(frame.at[i, "kelurahan"])]
    frame = frame.iloc[keep].reset_index(drop=True)
    rows = [rows[i] for i in keep]
    n = len(frame)
    if n == 0:
        return EditCheck(frame[COLUMNS], pd.DataFrame(index=frame.index), [], {})

    def add(f: Finding) -> None:
        if sum(1 for x in findings if x.key == f.key) < MAX_LISTED:
            findings.append(f)

    # where: kode_kel by code, else by the kelurahan name
    if "kelurahan" not in frame.columns:
        frame["kelurahan"] = pd.NA
    codes = frame["kode_kel"].map(lambda v: normalise_code(v) if not _blank(v) else None)
    match = match_rows(frame.assign(kode_kel=codes), pd.DataFrame(kelurahan), row_labels=pd.Series(rows))
    for u in match.unmatched:
        add(_finding("collab.err.kelurahan", u.row, "kode_kel", value=u.code or u.name or "–",
                     suggestions=u.suggestion_text()))
    frame["kode_kel"] = match.kode_kel.astype(object).where(match.kode_kel.notna(), None)
    kaw_of: dict[str, set[str]] = {}
    if kawasan is not None and len(kawasan) and "kawasan_id" in kawasan.columns:
        for k, kel in zip(kawasan["kawasan_id"].astype(str), kawasan["kode_kel"].astype(str)):
            kaw_of.setdefault(kel, set()).add(k)

    for i in range(n):
        r = rows[i]
        if _blank(frame.at[i, "stakeholder"]):
            add(_finding("collab.err.stakeholder", r, "stakeholder"))
        raw_type = frame.at[i, "stakeholder_type"]
        typ = _pick(raw_type, STAKEHOLDER_TYPES)
        if typ is None:
            add(_finding("collab.warn.type", r, "stakeholder_type", "warning",
                         value="" if _blank(raw_type) else str(raw_type), known=", ".join(STAKEHOLDER_TYPES)))
            frame.at[i, "stakeholder_type"] = "lainnya" if _blank(raw_type) else str(raw_type).strip()
        else:
            frame.at[i, "stakeholder_type"] = typ
        raw_status = frame.at[i, "status"]
        status = "komitmen" if _blank(raw_status) else _pick(raw_status, STATUSES)
        if status is None:
            add(_finding("collab.err.status", r, "status", value=str(raw_status), known=", ".join(STATUSES)))
        frame.at[i, "status"] = status or str(raw_status)
        raw_crit = frame.at[i, "criterion"]
        crit = normalise_criterion(raw_crit)
        if crit is None:
            add(_finding("collab.err.criterion", r, "criterion", value="" if _blank(raw_crit) else str(raw_crit)))
        frame.at[i, "criterion"] = crit if crit is not None else raw_crit
        raw_unit = frame.at[i, "unit"]
        expected = criterion_unit(crit) if crit else None
        if expected is not None:
            unit = normalise_unit(raw_unit)
            if _blank(raw_unit):
                frame.at[i, "unit"] = expected
            elif unit != expected:
                add(_finding("collab.err.unit", r, "unit", value=str(raw_unit), criterion=crit, expected=expected))
            else:
                frame.at[i, "unit"] = expected
        kel = frame.at[i, "kode_kel"]
        kaw = frame.at[i, "kawasan_id"]
        if kel and not _blank(kaw) and kaw_of and str(kaw).strip() not in kaw_of.get(kel, set()):
            add(_finding("collab.warn.kawasan", r, "kawasan_id", "warning", value=str(kaw)))

    for col in ("volume", "budget_idr"):
        vals = parse_numbers(frame[col].astype(object), money=col == "budget_idr")
        num = pd.to_numeric(vals, errors="coerce")
        for i in np.flatnonzero((num.isna() & vals.notna() & (vals.astype(str).str.strip() != "")).to_numpy()):
            add(_finding("collab.err.number", rows[i], col, value=str(frame.at[i, col])))
        for i in np.flatnonzero((num < 0).to_numpy()):
            add(_finding("collab.err.negative", rows[i], col, value=str(frame.at[i, col])))
        frame[col] = num.astype(float)
    years = pd.to_numeric(frame["year"], errors="coerce")
    for i in np.flatnonzero((years.isna() | (years < MIN_YEAR) | (years > max_year)).to_numpy()):
        if _blank(frame.at[i, "year"]):  # not known yet: kept, but the projection cannot place it
            add(_finding("collab.warn.no_year", rows[i], "year", "warning"))
        else:
            add(_finding("collab.err.year", rows[i], "year", value=str(frame.at[i, "year"]), min=MIN_YEAR,
                         max=max_year))
    frame["year"] = years.round().astype("Int64")
    frame["invested_year"] = pd.to_numeric(frame["invested_year"], errors="coerce").round().astype("Int64")
    for c in TEXT_COLUMNS:
        frame[c] = frame[c].map(lambda v: None if _blank(v) else str(v).strip()).astype(object)
    ids = frame["commitment_id"].tolist()
    seen: set[str] = set()
    for i, v in enumerate(ids):
        if v is None or v in seen:
            ids[i] = new_id()
        seen.add(ids[i])
    frame["commitment_id"] = ids
    cells: dict[tuple[int, str], list[Finding]] = {}
    pos = {r: i for i, r in enumerate(rows)}
    for f in findings:
        p = pos.get(f.params.get("row"))
        if p is not None:
            cells.setdefault((p, str(f.params["column"])), []).append(f)
    ok = not any(f.severity == "error" for f in findings)
    return EditCheck(frame[COLUMNS] if ok else None, pd.DataFrame(index=frame.index), findings, cells)


def stored(commitments: pd.DataFrame | None) -> pd.DataFrame:
    """The register as kept in a Dataset (all columns, typed), whatever the file gave back."""
    if commitments is None or len(commitments) == 0:
        return empty()
    out = commitments.copy()
    for c in COLUMNS:
        if c not in out.columns:
            out[c] = pd.NA
    for c in ("volume", "budget_idr"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in ("year", "invested_year"):
        out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
    for c in TEXT_COLUMNS:
        out[c] = out[c].map(lambda v: None if _blank(v) else str(v)).astype(object)
    missing = out["commitment_id"].isna()
    if missing.any():
        out.loc[missing, "commitment_id"] = [new_id() for _ in range(int(missing.sum()))]
    return out[COLUMNS].reset_index(drop=True)


# ---- concurrent edits ---------------------------------------------------------------------

def _canon_rows(frame: pd.DataFrame) -> dict[str, tuple]:
    f = stored(frame)
    return {r[0]: tuple("" if _blank(v) else str(v) for v in r[1:])
            for r in f[COLUMNS].itertuples(index=False, name=None)}


def merge(base: pd.DataFrame | None, mine: pd.DataFrame | None,
          theirs: pd.DataFrame | None) -> tuple[pd.DataFrame, list[str]]:
    """Three-way merge by commitment id: my additions, edits and removals applied onto theirs.

    Returns the merged register and the ids both sides changed differently (the caller refuses those
    rather than silently keep one side)."""
    b, m, t = _canon_rows(base), _canon_rows(mine), _canon_rows(theirs)
    out = stored(theirs).set_index("commitment_id", drop=False)
    mine_rows = stored(mine).set_index("commitment_id", drop=False)
    conflicts: list[str] = []
    for cid, values in m.items():
        if cid not in b:  # added by me
            if cid not in out.index:
                out = pd.concat([out, mine_rows.loc[[cid]]])
        elif values != b[cid]:  # changed by me
            if cid in t and t[cid] != b[cid] and t[cid] != values:
                conflicts.append(cid)
            elif cid in out.index or cid not in t:
                out = pd.concat([out.drop(index=cid, errors="ignore"), mine_rows.loc[[cid]]])
    for cid in b:
        if cid not in m and cid in t:  # removed by me
            if t[cid] != b[cid]:
                conflicts.append(cid)
            else:
                out = out.drop(index=cid)
    return stored(out.reset_index(drop=True)), conflicts


# ---- XLSX "matriks kolaborasi" ---------------------------------------------------------------

def read_xlsx(source: Path | bytes | io.BytesIO, sheet: str | None = None) -> pd.DataFrame:
    """Rows of a matriks kolaborasi workbook, header row found in the first 30 rows, with `_row`."""
    data = source.read_bytes() if isinstance(source, Path) else source
    buf = io.BytesIO(data) if isinstance(data, bytes) else data
    book = pd.read_excel(buf, sheet_name=None, header=None, dtype=object)
    names = [sheet] if sheet else sorted(book, key=lambda s: normalise_header(s) != "matriks kolaborasi")
    for name in names:
        grid = book[name]
        for r in range(min(30, len(grid))):
            mapped = {c: _HEADER_OF.get(normalise_header(v)) for c, v in grid.iloc[r].items() if not _blank(v)}
            mapped = {c: col for c, col in mapped.items() if col}
            if len(set(mapped.values())) >= 3 and "stakeholder" in mapped.values():
                body = grid.iloc[r + 1:]
                out = pd.DataFrame({col: body[c].to_numpy() for c, col in reversed(list(mapped.items()))})
                out["_row"] = np.arange(len(out)) + r + 2
                blank = out.drop(columns="_row").apply(lambda s: s.map(_blank)).all(axis=1)
                return out.loc[~blank.to_numpy()].reset_index(drop=True)
    raise ValueError("collab.err.no_header")


def to_xlsx(commitments: pd.DataFrame | None, kelurahan: pd.DataFrame,
            extra_sheets: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The register with Indonesian headers (sheet "matriks kolaborasi"), a guide sheet, and any extras."""
    reg = stored(commitments)
    names = dict(zip(kelurahan["kode_kel"].astype(str), kelurahan["kelurahan"].astype(str)))
    reg.insert(reg.columns.get_loc("kode_kel") + 1, "kelurahan", reg["kode_kel"].map(names))
    sheets = {"matriks kolaborasi": reg.rename(columns=HEADERS_ID)}
    guide = pd.DataFrame({
        "Kolom": [HEADERS_ID["stakeholder_type"], HEADERS_ID["status"], HEADERS_ID["criterion"]],
        "Nilai yang diterima": ["; ".join(STAKEHOLDER_TYPES), "; ".join(STATUSES),
                                "; ".join(f"{c} ({criterion_unit(c)})" for c in CRITERION_IDS)
                                + f"; {LAND_LEGALISATION}"],
    })
    sheets["petunjuk"] = guide
    sheets.update(extra_sheets or {})
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            for cells in ws.columns:
                width = max(len(str(c.value or "")) for c in cells[:200])
                ws.column_dimensions[cells[0].column_letter].width = min(max(10, width + 2), 60)
    return buf.getvalue()


# ---- a finished commitment becomes an investment row ---------------------------------------

_SOURCE_OF_TYPE = {
    "APBN PUPR": "APBN", "APBN K/L lain": "APBN", "DAK/Hibah": "APBN", "APBD Provinsi": "APBD Provinsi",
    "APBD Kab/Kota": "APBD Kota/Kab", "Pemda OPD": "APBD Kota/Kab", "swasta/CSR": "Swasta/CSR",
    "masyarakat/swadaya": "Swadaya masyarakat",
}
INVESTMENT_COLUMNS = ["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit",
                      "budget_idr", "funding_source", "implementer"]


def convertible(commitments: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """Commitments finished (`selesai`) in `year` that are not yet in the investments."""
    reg = stored(commitments)
    mask = (reg["status"] == "selesai") & (reg["year"] == year) & reg["invested_year"].isna()
    return reg.loc[mask.fillna(False).to_numpy()]


def to_investments(commitments: pd.DataFrame | None, investments: pd.DataFrame | None,
                   year: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Turn the `selesai` commitments of `year` into investment rows of that year (once each).

    Returns (commitments with `invested_year` set, investments with the new rows, rows added)."""
    reg = stored(commitments)
    todo = convertible(reg, year)
    inv = investments.copy() if investments is not None else pd.DataFrame(columns=INVESTMENT_COLUMNS)
    if todo.empty:
        return reg, inv, 0
    new = pd.DataFrame({
        "year": int(year), "kode_kel": todo["kode_kel"].to_numpy(), "kawasan_id": todo["kawasan_id"].to_numpy(),
        "rt": todo["rt"].to_numpy(), "criterion": todo["criterion"].to_numpy(),
        "activity": todo["activity"].fillna("").to_numpy(), "volume": todo["volume"].to_numpy(),
        "unit": todo["unit"].to_numpy(), "budget_idr": todo["budget_idr"].to_numpy(),
        "funding_source": todo["stakeholder_type"].map(lambda s: _SOURCE_OF_TYPE.get(s, "Lainnya")).to_numpy(),
        "implementer": todo["stakeholder"].to_numpy(),
    })
    inv = pd.concat([inv, new], ignore_index=True) if len(inv) else new
    reg.loc[todo.index, "invested_year"] = int(year)
    return reg, inv, len(new)
