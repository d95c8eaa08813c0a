"""The defects a city team met importing its own KOTAKU RT workbook (issue 9, part 5), each reproduced.

`kotaku_rt_workbook` writes the layout the team used (two title rows, `No` column, two-row headers
with each criterion merged over Volume/Prosen/Nilai, a `Jumlah` line merged over A:E); the browser
test of the data lifecycle writes its workbooks with it too.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from tests.import_files import kelurahan
from utils.io.matching import match_rows
from utils.io.tables import parse_numbers, read_table_file
from utils.io.validation import Report, check_assessments, check_investments
from utils.method.criteria import CRITERION_IDS

VOLUMES = {"1a": 16, "1b": 0.2, "1c": 10, "2a": 147.0, "2b": 193.5, "3a": 65, "3b": 20, "4a": 0.6419, "4b": 340.5,
           "4c": 10.0, "5a": 30, "5b": 12, "6a": 65, "6b": 40, "7a": 63, "7b": 63}
FIXED = [("kecamatan", "Kecamatan"), ("kelurahan", "Kelurahan"), ("kode", "Kode Kelurahan"), ("rt", "RT"),
         ("year", "Tahun"), ("area", "Luas Verifikasi (Ha)"), ("buildings", "Jumlah Bangunan (Unit)"),
         ("population", "Jumlah Penduduk (Jiwa)"), ("households", "Jumlah KK"),
         ("road", "Panjang Jalan Lingkungan Ideal (m)"), ("drainage", "Panjang Drainase Ideal (m)")]
DENOM = {"1a": "buildings", "1b": "area", "1c": "buildings", "2a": "road", "2b": "road", "3a": "households",
         "3b": "households", "4a": "area", "4b": "drainage", "4c": "drainage", "5a": "households",
         "5b": "households", "6a": "households", "6b": "households", "7a": "buildings", "7b": "buildings"}


def rt_row(kode: str, name: str, kecamatan: str, year: object = 2023, rt: str = "RT 01", scale: float = 1.0,
           area: float = 1.51) -> dict:
    """One RT as the team writes it: denominators and a volume per criterion (`scale` shrinks them)."""
    return {"kecamatan": kecamatan, "kelurahan": name, "kode": kode, "rt": rt, "year": year, "area": area,
            "buildings": 63, "population": 260, "households": 65, "road": 340.5, "drainage": 350.5,
            "vol": {c: round(v * scale, 4) for c, v in VOLUMES.items()}}


def kotaku_rt_workbook(path: Path, rows: list[dict], drop: tuple[str, ...] = (), total: str = "merged",
                       sheet: str = "Data RT") -> Path:
    """The team's layout. `drop`: fixed columns left out (e.g. "households"); `total`: "merged" (A:E),
    "no_only" (the word in the `No` cell alone) or "" (no total line)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["BASELINE PERMUKIMAN KUMUH KOTA PASURUAN"])
    ws.append(["Sumber: Pokja PKP / KOTAKU"])
    fixed = [(k, h) for k, h in FIXED if k not in drop]
    upper = ["No", *[h for _, h in fixed]] + [c for c in CRITERION_IDS for _ in range(3)]
    lower = [None] * (1 + len(fixed)) + ["Volume", "Prosen", "Nilai"] * len(CRITERION_IDS)
    ws.append(upper)
    ws.append(lower)
    for i in range(1 + len(fixed)):
        ws.merge_cells(start_row=3, start_column=i + 1, end_row=4, end_column=i + 1)
    for k in range(len(CRITERION_IDS)):
        c = 2 + len(fixed) + 3 * k
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 2)
    for n, r in enumerate(rows, start=1):
        crit = []
        for c in CRITERION_IDS:
            den = r[DENOM[c]]
            crit += [r["vol"][c], round(r["vol"][c] / den * 100, 2) if den else 0, None]
        ws.append([n, *[r[k] for k, _ in fixed], *crit])
    if total:
        area_col = 1 + [k for k, _ in fixed].index("area") + 1
        line = ["Jumlah"] + [None] * (area_col - 2) + [round(sum(r["area"] for r in rows), 2)]
        ws.append(line)
        if total == "merged":
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
    wb.save(path)
    return path


@pytest.fixture
def kel(shared_data) -> gpd.GeoDataFrame:
    return kelurahan(shared_data).rename(columns={"kode": "kode_kel"})


def _check(path: Path, kel: gpd.GeoDataFrame) -> tuple[pd.DataFrame | None, Report]:
    tr = read_table_file(path)
    report = Report()
    match = match_rows(tr.frame, kel, row_labels=tr.frame["_row"])
    return check_assessments(tr.frame, match, report), report


def _rows(n: int = 3) -> list[dict]:
    return [rt_row("35.75.02.1003", "Tembokrejo", "Purworejo", rt=f"RT 0{i + 1}") for i in range(n)]


@pytest.mark.parametrize("total", ["merged", "no_only"])
def test_a_jumlah_line_in_the_no_column_is_skipped(tmp_path, kel, total):
    path = kotaku_rt_workbook(tmp_path / "rt.xlsx", _rows(), total=total)
    tr = read_table_file(path)
    assert len(tr.frame) == 3 and tr.frame["_row"].tolist() == [5, 6, 7]
    out, report = _check(path, kel)
    assert report.ok, report.lines("en")
    assert not any("nan" in line or "'–'" in line for line in report.lines("en"))
    assert len(out) == 3


def test_a_code_and_a_name_that_disagree_are_both_shown(tmp_path, kel):
    rows = _rows(1)
    rows[0].update(kode="35.75.04.1013", kelurahan="Tembokrejo")  # the template's own example pair
    out, report = _check(kotaku_rt_workbook(tmp_path / "rt.xlsx", rows), kel)
    f = next(f for f in report.warnings if f.key == "io.name_code_disagree")
    en = f.message("en")
    assert "35.75.04.1013 is Mandaranrejo" in en and "'Tembokrejo'" in en and "35.75.02.1003" in en
    assert "kode 35.75.04.1013 adalah Mandaranrejo" in f.message("id")
    assert out["kode_kel"].tolist() == ["35.75.04.1013"]  # filed by code, as said


def test_rupiah_budgets_are_read_and_text_budgets_warned(kel):
    assert parse_numbers(pd.Series(["Rp 150.000.000", "Rp. 2.500", "1.250.000,-"]), money=True).tolist() == [
        150_000_000.0, 2_500.0, 1_250_000.0]
    frame = pd.DataFrame({"year": [2024, 2024, 2024], "kode_kel": ["35.75.02.1003"] * 3,
                          "criterion": ["Air minum", "3.a", "Drainase"], "activity": ["a", "b", "c"],
                          "budget_idr": parse_numbers(pd.Series(["Rp 150.000.000", "seratus juta", "75000000"]),
                                                      money=True),
                          "_row": [5, 6, 7]})
    report = Report()
    out = check_investments(frame, match_rows(frame, kel, row_labels=frame["_row"]), report)
    assert out["budget_idr"].tolist()[0] == 150_000_000 and out["budget_idr"].isna().tolist()[1]
    warn = {f.key: f for f in report.warnings}
    assert "'seratus juta'" in warn["io.inv_not_number"].message("en")
    # criteria: an aspect's name maps to its first criterion and says which others it could be
    assert out["criterion"].tolist() == ["3a", "3a", "4a"]
    aspect = [f.message("en") for f in report.warnings if f.key == "io.inv_aspect_criterion"]
    assert any("'Air minum' names aspect 3" in m and "3a, 3b" in m for m in aspect), aspect
    assert "airminum" not in " ".join(report.lines("en"))


def test_a_missing_jumlah_kk_is_named_as_the_user_knows_it(tmp_path, kel):
    out, report = _check(kotaku_rt_workbook(tmp_path / "rt.xlsx", _rows(), drop=("households",)), kel)
    # the workbook has Prosen columns: they stand in, and the report says so for the six criteria
    f = next(f for f in report.warnings if f.key == "io.pct_instead")
    assert "'Jumlah KK'" in f.message("en") and "6 criteria (3a, 3b, 5a, 5b, 6a, 6b)" in f.message("en")
    assert "households" not in " ".join(report.lines("en"))
    assert out is not None
    # without Prosen columns the table is refused, again naming `Jumlah KK`
    tr = read_table_file(tmp_path / "rt.xlsx")
    frame = tr.frame.drop(columns=[c for c in tr.frame.columns if c.startswith("p_")])
    report = Report()
    assert check_assessments(frame, match_rows(frame, kel, row_labels=frame["_row"]), report) is None
    msg = next(f for f in report.errors if f.key == "io.missing_denominator").message("en")
    assert "'Jumlah KK'" in msg and "households" not in msg


def test_a_name_shared_by_two_desa_asks_which_one():
    kel = gpd.GeoDataFrame({"kode_kel": ["35.14.01.2001", "35.75.02.1003", "35.14.02.2005"],
                            "kelurahan": ["Sumberejo", "Tembokrejo", "Sumberejo"],
                            "kecamatan": ["Pandaan", "Purworejo", "Gempol"]},
                           geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=4326)
    frame = pd.DataFrame({"year": [2024, 2024], "kelurahan": ["Sumberejo", "Sumberejo"],
                          "kecamatan": ["", "Gempol"], "p_1a": [10, 10], "_row": [4, 5]})
    for c in CRITERION_IDS[1:]:
        frame[f"p_{c}"] = 0
    report = Report()
    match = match_rows(frame, kel, row_labels=frame["_row"])
    check_assessments(frame, match, report)
    assert match.kode_kel.tolist()[1] == "35.14.02.2005"  # the kecamatan decides
    f = next(f for f in report.errors if f.key == "io.ambiguous_name")
    en = f.message("en")
    assert "Row 4" in en and "Which one?" in en
    assert "Sumberejo (35.14.01.2001, Pandaan)" in en and "Sumberejo (35.14.02.2005, Gempol)" in en
    assert "import.row_unmatched" not in report.keys()
    assert match.unmatched[0].ambiguous and len(match.unmatched[0].candidates) == 2


def test_a_two_year_cell_gives_one_grouped_message(tmp_path, kel):
    rows = [rt_row("35.75.02.1003", "Tembokrejo", "Purworejo", year="2023/2024", rt=f"RT {i:02d}") for i in range(44)]
    _, report = _check(kotaku_rt_workbook(tmp_path / "rt.xlsx", rows), kel)
    years = [f for f in report.errors if f.key in ("import.bad_year", "io.bad_year_grouped")]
    assert len(years) == 1
    en = years[0].message("en")
    assert "'2023/2024'" in en and "44 rows" in en and "5, 6, 7" in en
