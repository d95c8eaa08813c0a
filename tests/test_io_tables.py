"""KOTAKU workbooks as they come: title rows, merged header cells, sheets, `;` CSV with decimal commas."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from utils.io.tables import build_template, map_header, parse_numbers, read_table_file, template_columns
from utils.io.uploads import UploadError
from utils.method.criteria import CRITERION_IDS

WORKED_VOL = {"1a": 16, "2a": 147.0, "2b": 193.5, "3a": 65, "4a": 0.6419, "4b": 340.5, "4c": 10.0,
              "6a": 65, "7a": 63, "7b": 63}


@pytest.mark.parametrize("header,column", [
    ("Luas Verifikasi (Ha)", "area_ha"), ("Jumlah KK", "households"), ("Jumlah Bangunan (Unit)", "buildings"),
    ("Panjang Jalan Lingkungan Ideal (m)", "road_length_m"), ("Panjang Drainase Ideal (m)", "drainage_length_m"),
    ("Jumlah Penduduk (Jiwa)", "population"), ("Tahun", "year"), ("Kode Kelurahan", "kode_kel"),
    ("Desa/Kelurahan", "kelurahan"), ("1a Volume", "v_1a"), ("1.a Prosen", "p_1a"), ("Nilai 7b", "n_7b"),
    ("4b (%)", "p_4b"), ("v_3a", "v_3a"), ("p_6b", "p_6b"), ("4d Volume", "v_4d"), ("Keterangan", None),
])
def test_header_mapping(header, column):
    assert map_header(header) == column


def test_numbers_with_decimal_commas():
    assert parse_numbers(pd.Series(["1,51", "1.234,5", "", "12 %"])).tolist()[:2] == [1.51, 1234.5]
    assert parse_numbers(pd.Series(["1.51", "1,234.5"])).tolist() == [1.51, 1234.5]


def kotaku_workbook(path, extra_sheet_first=True):
    """Title rows, a two-row header with criterion ids merged over Volume/Prosen/Nilai, a total row."""
    wb = openpyxl.Workbook()
    if extra_sheet_first:
        ws0 = wb.active
        ws0.title = "Rekap"
        ws0.append(["Rekapitulasi kawasan kumuh"])
        ws = wb.create_sheet("Data RT")
    else:
        ws = wb.active
        ws.title = "Data RT"
    ws.append(["BASELINE KUMUH KOTA PASURUAN"])
    ws.append(["Sumber: KOTAKU"])
    ws.append([])
    fixed = ["Tahun", "Kode Kelurahan", "Kelurahan", "RT", "Luas Verifikasi (Ha)", "Jumlah Bangunan (Unit)",
             "Jumlah Penduduk (Jiwa)", "Jumlah KK", "Panjang Jalan Lingkungan Ideal (m)", "Panjang Drainase Ideal (m)"]
    upper = fixed + [c for c in CRITERION_IDS for _ in range(3)]
    lower = [None] * len(fixed) + ["Volume", "Prosen", "Nilai"] * len(CRITERION_IDS)
    ws.append(upper)
    ws.append(lower)
    r = 4
    for i in range(len(fixed)):  # fixed headers merged vertically over both rows
        ws.merge_cells(start_row=r, start_column=i + 1, end_row=r + 1, end_column=i + 1)
    for k in range(len(CRITERION_IDS)):  # criterion id merged across its three sub-columns
        c = len(fixed) + 1 + 3 * k
        ws.merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 2)
    crit = []
    for c in CRITERION_IDS:
        crit += [WORKED_VOL.get(c, 0), None, None]
    ws.append([2024, "3575021003", "Tembokrejo", "RT 01", 1.51, 63, 260, 65, 340.5, 350.5, *crit])
    ws.append(["Jumlah", None, None, None, 1.51])
    wb.save(path)
    return path


def test_kotaku_workbook_with_title_rows_and_merged_headers(tmp_path):
    tr = read_table_file(kotaku_workbook(tmp_path / "kotaku.xlsx"))
    assert tr.sheet == "Data RT" and tr.sheets == ["Rekap", "Data RT"]  # the sheet with the table was picked
    assert tr.header_row == 5
    row = tr.frame.iloc[0]
    assert len(tr.frame) == 1  # the 'Jumlah' line is a sum, not a unit
    assert row["area_ha"] == 1.51 and row["households"] == 65 and row["v_2b"] == 193.5
    assert row["_row"] == 6 and row["kode_kel"] == "3575021003"
    assert {f"v_{c}" for c in CRITERION_IDS} <= set(tr.frame.columns)


def test_semicolon_csv_with_decimal_commas(tmp_path):
    path = tmp_path / "penilaian.csv"
    head = ["Tahun", "Kode Kelurahan", "Luas Verifikasi (Ha)", "Jumlah KK", *[f"{c} Prosen" for c in CRITERION_IDS]]
    body = ["2024", "35.75.02.1003", "1,51", "65", *(["25,4"] + ["0"] * 15)]
    path.write_text(";".join(head) + "\n" + ";".join(body) + "\n", encoding="utf-8")
    tr = read_table_file(path)
    assert tr.frame["area_ha"].iloc[0] == 1.51 and tr.frame["p_1a"].iloc[0] == 25.4


def test_wrong_sheet_names_the_right_one(tmp_path):
    path = kotaku_workbook(tmp_path / "kotaku.xlsx")
    with pytest.raises(UploadError) as exc:
        read_table_file(path, sheet="Rekap")
    assert exc.value.finding.key == "import.no_header_sheet"
    assert "Data RT" in exc.value.finding.message("en") and "sheet" in exc.value.finding.message("id")
    with pytest.raises(UploadError) as exc:
        read_table_file(path, sheet="Tidak ada")
    assert exc.value.finding.key == "import.no_such_sheet"


def test_template_has_the_model_columns_and_reads_back(tmp_path):
    data = build_template("id")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["penilaian", "investasi", "petunjuk"]
    assert [c.value for c in wb["penilaian"][1]] == template_columns()
    notes = {r[0]: r[1] for r in wb["petunjuk"].iter_rows(values_only=True) if r and r[0]}
    assert "Luas verifikasi" in notes["area_ha"] and "Jumlah KK" in notes["households"]
    assert all(map_header(c) in (c, None) or map_header(c) == c for c in template_columns())
    assert {map_header(c) for c in template_columns()} >= {"year", "kode_kel", "area_ha", "v_7b"}
    assert "Verified area" in {r[0]: r[1] for r in openpyxl.load_workbook(io.BytesIO(build_template("en")))["petunjuk"]
                                .iter_rows(values_only=True) if r and r[0]}["area_ha"]
