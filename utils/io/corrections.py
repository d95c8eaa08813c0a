"""The user's answers to 'which kelurahan is this row?' written back into the uploaded table.

The validation report lists rows whose kelurahan matched nothing (or a name several desa share);
the Data page lets the user take a suggestion, pick another kelurahan, or leave the row out. Those
answers are applied to a copy of the uploaded file's bytes (the code and name cells of that row set,
or the row emptied), and the import re-reads the copy: the same reader, matcher and checks run again,
without uploading again, and the original upload is never changed.

Row labels are the ones the report shows: the file row number, or `SHEET!ROW` for a workbook with
one sheet per year.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from utils.io.tables import _best_header, _headers, _sheet_grid, map_header

Correction = tuple[str, str] | None  # (kode_kel, kelurahan) to file the row under, or None: leave it out


def _split_label(label: object, default_sheet: str | None) -> tuple[str | None, int] | None:
    text = str(label)
    sheet, _, row = text.rpartition("!")
    try:
        return (sheet or default_sheet), int(row)
    except ValueError:
        return None


def _columns(grid: list[list[object]], table: str) -> tuple[int, dict[str, int]]:
    """(0-based header row, model column -> 0-based column index) of a grid."""
    r, two, _ = _best_header(grid, table)
    where: dict[str, int] = {}
    for c, h in enumerate(_headers(grid, r, two)):
        col = map_header(h, table)
        if col and col not in where:
            where[col] = c
    return r, where


def correct_table(file_name: str, data: bytes, corrections: dict[object, Correction], table: str = "assessments",
                  sheet: str | None = None) -> bytes:
    """A copy of the table with each corrected row filed under the chosen kelurahan or emptied."""
    if not corrections:
        return data
    if Path(file_name).suffix.lower() in (".csv", ".txt"):
        return _correct_csv(data, corrections, table)
    return _correct_xlsx(data, corrections, table, sheet)


def _correct_xlsx(data: bytes, corrections: dict[object, Correction], table: str, sheet: str | None) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import MergedCell

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # values, as the reader sees them
    by_sheet: dict[str, dict[int, Correction]] = {}
    for label, fix in corrections.items():
        where = _split_label(label, sheet or wb.sheetnames[0])
        if where is not None and where[0] in wb.sheetnames:
            by_sheet.setdefault(where[0], {})[where[1]] = fix
    for name, fixes in by_sheet.items():
        ws = wb[name]
        r, cols = _columns(_sheet_grid(ws), table)
        if "kode_kel" not in cols:  # a name-only table: a code column makes the choice unambiguous
            cols["kode_kel"] = ws.max_column
            ws.cell(r + 1, ws.max_column + 1, "Kode Kelurahan")
        for row, fix in fixes.items():
            if fix is None:
                for cell in ws[row]:
                    if not isinstance(cell, MergedCell):
                        cell.value = None
                continue
            code, kel_name = fix
            ws.cell(row, cols["kode_kel"] + 1, code)
            if "kelurahan" in cols:
                ws.cell(row, cols["kelurahan"] + 1, kel_name)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _correct_csv(data: bytes, corrections: dict[object, Correction], table: str) -> bytes:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = [ln for ln in text.splitlines() if ln.strip()][:30]
    counts = {d: sum(ln.count(d) for ln in lines) for d in (";", ",", "\t")}
    sep = max(counts, key=counts.get) if any(counts.values()) else ","
    if counts.get(";", 0) and counts[";"] >= counts.get(",", 0) * 0.5 and sep == ",":
        sep = ";"
    grid = [list(row) for row in csv.reader(io.StringIO(text), delimiter=sep)]
    r, cols = _columns(grid, table)
    if "kode_kel" not in cols:
        cols["kode_kel"] = max(len(row) for row in grid)
        grid[r] += [""] * (cols["kode_kel"] - len(grid[r])) + ["Kode Kelurahan"]
    for label, fix in corrections.items():
        where = _split_label(label, None)
        if where is None or not 1 <= where[1] <= len(grid):
            continue
        row = grid[where[1] - 1]
        if fix is None:
            row[:] = [""] * len(row)
            continue
        need = max(cols.values()) + 1
        row += [""] * (need - len(row))
        row[cols["kode_kel"]] = fix[0]
        if "kelurahan" in cols:
            row[cols["kelurahan"]] = fix[1]
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(grid)
    return buf.getvalue().encode("utf-8")
