"""A blank workbook in the KOTAKU layout: Indonesian headers, example rows that agree, one sheet of help.

The header is the two-row form a KOTAKU workbook has (a criterion's number and name merged over its
`Volume` column); the importer reads it, and still accepts the snake_case headers. The example rows
use real Kota Pasuruan codes with their own names, so a team that imports the template unchanged
against the Pasuruan boundaries gets no code/name disagreement.
"""
from __future__ import annotations

import io

from utils.core.i18n import t
from utils.io.tables import KOTAKU_HEADERS
from utils.method.criteria import CRITERIA, DENOMINATORS, FUNDING_SOURCES

KEY_COLUMNS = ["year", "sk_period", "kode_kel", "kelurahan", "kawasan_id", "rt"]
INVESTMENT_COLUMNS = ["year", "kode_kel", "kelurahan", "kawasan_id", "rt", "criterion", "activity", "volume", "unit",
                      "budget_idr", "funding_source", "implementer"]
_INVESTMENT_HEADERS = {"activity": "Kegiatan", "unit": "Satuan", "implementer": "Pelaksana"}
# (kode, kelurahan, kawasan) as in the boundaries of ../shared/data: the code and the name agree
EXAMPLES = [("35.75.04.1013", "Mandaranrejo", "MDR-01"), ("35.75.02.1003", "Tembokrejo", "TBR-01")]
_EXAMPLE_VALUES = [
    {"area_ha": 1.51, "buildings": 63, "population": 260, "households": 65, "road_length_m": 340.5,
     "drainage_length_m": 350.5, "1a": 16, "1b": 0, "1c": 5, "2a": 0, "2b": 147, "3a": 65, "3b": 10, "4a": 0.64,
     "4b": 340.5, "4c": 10, "5a": 20, "5b": 12, "6a": 65, "6b": 40, "7a": 63, "7b": 63},
    {"area_ha": 2.2, "buildings": 120, "population": 480, "households": 118, "road_length_m": 610.0,
     "drainage_length_m": 640.0, "1a": 8, "1b": 0, "1c": 3, "2a": 40, "2b": 60, "3a": 5, "3b": 0, "4a": 0.1,
     "4b": 50, "4c": 20, "5a": 10, "5b": 4, "6a": 30, "6b": 30, "7a": 0, "7b": 20},
]


def assessment_headers() -> list[tuple[str, str]]:
    """(upper, lower) header cells; equal cells are merged over both rows."""
    cols = [(KOTAKU_HEADERS[c], KOTAKU_HEADERS[c]) for c in KEY_COLUMNS]
    cols += [(KOTAKU_HEADERS[d], KOTAKU_HEADERS[d]) for d in DENOMINATORS]
    cols += [(f"{c.id} {c.name_id}", f"Volume ({c.volume_unit})") for c in CRITERIA]
    return cols


def _example_rows() -> list[list[object]]:
    rows = []
    for (code, name, kawasan), vals in zip(EXAMPLES, _EXAMPLE_VALUES):
        row: list[object] = [2024, "2", code, name, kawasan, "RT 01"]
        row += [vals[d] for d in DENOMINATORS]
        row += [vals[c.id] for c in CRITERIA]
        rows.append(row)
    return rows


def template_xlsx(lang: str = "id") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "penilaian"
    heads = assessment_headers()
    for j, (up, lo) in enumerate(heads, start=1):
        ws.cell(row=1, column=j, value=up)
        if up == lo:
            ws.merge_cells(start_row=1, start_column=j, end_row=2, end_column=j)
        else:
            ws.cell(row=2, column=j, value=lo)
        for r in (1, 2):
            cell = ws.cell(row=r, column=j)
            cell.font, cell.fill, cell.alignment = bold, fill, center
        ws.column_dimensions[get_column_letter(j)].width = 16
    ws.row_dimensions[1].height = 60
    for row in _example_rows():
        ws.append(row)
    ws.freeze_panes = "G3"

    inv = wb.create_sheet("investasi")
    inv.append([_INVESTMENT_HEADERS.get(c) or KOTAKU_HEADERS[c] for c in INVESTMENT_COLUMNS])
    for cell in inv[1]:
        cell.font, cell.fill = bold, fill
        inv.column_dimensions[cell.column_letter].width = 18
    code, name, kawasan = EXAMPLES[0]
    inv.append([2024, code, name, kawasan, "RT 01", "2b", "Perbaikan jalan paving", 147, "m", 150_000_000,
                FUNDING_SOURCES[0], "Dinas PUPR"])

    notes = wb.create_sheet("petunjuk")
    notes.append([t("export.tpl.column", lang), t("export.tpl.meaning", lang)])
    for cell in notes[1]:
        cell.font = bold
    for key in ("sheets", "one_row", "year", "codes", "volumes", "sheet_per_year", "investments", "examples"):
        notes.append(["", t(f"export.tpl.{key}", lang)])
    for c in KEY_COLUMNS:
        notes.append([KOTAKU_HEADERS[c], t(f"export.tpl.col.{c}", lang)])
    for d, (unit, name_id, name_en) in DENOMINATORS.items():
        notes.append([KOTAKU_HEADERS[d], f"{name_id if lang != 'en' else name_en} ({unit})"])
    for c in CRITERIA:
        notes.append([f"{c.id} … Volume", t("export.tpl.criterion", lang, name=c.name_id if lang != "en" else c.name_en,
                                             unit=c.volume_unit, denominator=KOTAKU_HEADERS[c.denominator])])
    notes.column_dimensions["A"].width = 36
    notes.column_dimensions["B"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
