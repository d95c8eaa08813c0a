"""Exports in the forms a city uses: every figure agrees with the app, every export names the status."""
from __future__ import annotations

import copy
import io
import subprocess

import openpyxl
import pandas as pd
import pyogrio
import pytest

from utils import store
from utils.__main__ import main
from utils.analysis.series import year_summary
from utils.io.tables import read_table_file
from utils.store import importer
from utils.views import exports, exports_geo, exports_template


@pytest.fixture(scope="module")
def sample():
    return store.load(store.SAMPLE_NAME)


def official(ds):
    out = copy.copy(ds)
    out.meta = copy.deepcopy(ds.meta)
    out.meta.status = "official"
    return out


def test_kelurahan_workbook_agrees_with_the_app(sample):
    year = sample.years[-1]
    raw = pd.read_excel(io.BytesIO(exports.kelurahan_workbook(sample, year, "id")), header=None)
    assert raw.iloc[0, 0] == "Rekap per kelurahan" and raw.iloc[2, 0] == "Status data: draf"
    assert raw.iloc[3, 0] == f"Tahun {year}".replace("Tahun ", "Tahun: ")
    table = pd.read_excel(io.BytesIO(exports.kelurahan_workbook(sample, year, "id")), header=6)
    assert len(table) == len(sample.kelurahan) == 34
    assert table["Luas kumuh (ha)"].sum() == pytest.approx(year_summary(sample, year)["slum_ha"], abs=0.01)
    assert set(table["Kategori"]) <= {"Kumuh Berat", "Kumuh Sedang", "Kumuh Ringan", "Tidak Kumuh", "Tidak ada data"}
    assert sum(c.startswith("% ") for c in table.columns) == 7 and "% Air minum" in table.columns
    prev = max(y for y in sample.years if y < year)
    assert {f"Kategori {prev}", f"Luas kumuh {prev} (ha)", f"Investasi {year} (Rp)"} <= set(table.columns)
    assert table[f"Investasi {year} (Rp)"].sum() == pytest.approx(
        pd.to_numeric(sample.investments.query("year == @year")["budget_idr"]).sum())
    en = pd.read_excel(io.BytesIO(exports.kelurahan_workbook(official(sample), year, "en")), header=None)
    assert en.iloc[2, 0] == "Data status: official"


def test_rt_table_csv_follows_the_language_convention(sample):
    scored = sample.scored.frame
    text_id = exports.assessments_csv(sample, "id").decode("utf-8-sig")
    head = text_id.splitlines()[0]
    assert head.startswith("Tahun;Periode SK;Kode Kecamatan;Kecamatan;Kode Kelurahan;Kelurahan;")
    id_table = pd.read_csv(io.StringIO(text_id), sep=";", decimal=",", dtype={"Kode Kelurahan": str})
    assert len(id_table) == len(scored) and (id_table["Status data"] == "draf").all()
    assert id_table["Skor"].sum() == pytest.approx(scored["total_score"].sum())
    assert "Luas kumuh (ha)" in id_table and "," in text_id.splitlines()[1]  # decimal commas in the rows
    assert id_table["Kode Kelurahan"].str.match(r"^35\.75\.\d\d\.\d{4}$").all()
    assert set(id_table["Kategori"]) <= {"Kumuh Berat", "Kumuh Sedang", "Kumuh Ringan", "Tidak Kumuh"}
    text_en = exports.assessments_csv(official(sample), "en").decode("utf-8-sig")
    en_table = pd.read_csv(io.StringIO(text_en))
    assert list(en_table.columns[:3]) == ["Year", "SK period", "Kecamatan code"] and ";" not in text_en.splitlines()[0]
    assert (en_table["Data status"] == "official").all()
    assert en_table["Slum area (ha)"].sum() == pytest.approx(scored["slum_ha"].sum())
    assert set(en_table["Category"]) <= {"Kumuh Berat (heavy)", "Kumuh Sedang (moderate)", "Kumuh Ringan (light)",
                                         "Tidak Kumuh (not a slum)"}


def test_rt_workbook_reads_back_with_the_importer(sample, tmp_path):
    path = tmp_path / "penilaian.xlsx"
    path.write_bytes(exports.assessments_xlsx(sample, "id"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["penilaian"] and wb["penilaian"]["A3"].value == "Status data: draf"
    tr = read_table_file(path)
    assert len(tr.frame) == len(sample.scored.frame)
    assert {"year", "kode_kel", "kelurahan", "households", "p_1a", "n_7b"} <= set(tr.frame.columns)
    inv = pd.read_excel(io.BytesIO(exports.investments_xlsx(sample, "en")), header=5)  # 4 title lines, a blank
    assert len(inv) == len(sample.investments) and {"Kelurahan", "Aspect", "Budget (Rp)"} <= set(inv.columns)
    inv_csv = exports.investments_csv(sample, "id").decode("utf-8-sig")
    assert inv_csv.splitlines()[0].startswith("Tahun;Kode Kelurahan;Kelurahan;")


def test_kelurahan_geopackage_opens_in_gdal_and_pyogrio(sample, tmp_path):
    year = sample.years[-1]
    path = tmp_path / "kelurahan.gpkg"
    path.write_bytes(exports_geo.kelurahan_gpkg(official(sample), year))
    r = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"Layer name: kelurahan_{year}" in r.stdout and "Feature Count: 34" in r.stdout
    assert "status: String" in r.stdout and "kategori_nama: String" in r.stdout and "luas_kumuh_ha: Real" in r.stdout
    assert "status resmi" in r.stdout  # the layer description
    assert "Warning" not in r.stderr
    q = subprocess.run(["ogrinfo", "-ro", "-q", str(path), "-sql",
                        f"SELECT kelurahan, status FROM kelurahan_{year} WHERE kode_kel = '35.75.04.1013'"],
                       capture_output=True, text=True, timeout=60)
    assert "kelurahan (String) = Mandaranrejo" in q.stdout and "status (String) = official" in q.stdout
    layer = pyogrio.read_dataframe(path)
    assert len(layer) == 34 and layer.crs.to_epsg() == 4326 and layer.geometry.is_valid.all()
    assert layer["luas_kumuh_ha"].sum() == pytest.approx(year_summary(sample, year)["slum_ha"], abs=0.01)
    assert (layer["status"] == "official").all() and layer["kode_kel"].is_unique


def test_template_headers_examples_and_one_instruction_sheet(shared_data, tmp_path):
    path = tmp_path / "template.xlsx"
    path.write_bytes(exports_template.template_xlsx("en"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["penilaian", "investasi", "petunjuk"]
    ws = wb["penilaian"]
    assert [ws.cell(1, j).value for j in range(1, 7)] == ["Tahun", "Periode SK", "Kode Kelurahan", "Kelurahan",
                                                          "Kode Kawasan", "RT"]
    assert ws.cell(1, 13).value == "1a Ketidakteraturan bangunan" and ws.cell(2, 13).value == "Volume (unit)"
    assert "one sheet per year" in " ".join(str(c.value) for c in wb["petunjuk"]["B"])
    preview = importer.prepare_paths([shared_data / "pasuruan_kelurahan.geojson"], assessments=path)
    assert preview.ok, preview.report.lines("en")
    assert preview.match.n_matched == 2 and "import.code_mismatch" not in preview.report.keys()
    kel = preview.dataset.kelurahan.set_index("kode_kel")["kelurahan"]
    for code, name, _ in exports_template.EXAMPLES:
        assert kel[code] == name
    inv = read_table_file(path, "investments", "investasi")
    assert inv.frame.loc[0, "budget_idr"] == 150_000_000 and inv.frame.loc[0, "kelurahan"] == "Mandaranrejo"


def test_export_cli(tmp_path, capsys, private_store):
    out = tmp_path / "k.gpkg"
    assert main(["export", "--out", str(out), "--year", "2024", "--lang", "en"]) == 0
    assert "data status: draft" in capsys.readouterr().out and len(pyogrio.read_dataframe(out)) == 34
    assert main(["export", "--out", str(tmp_path / "p.csv"), "--what", "penilaian"]) == 0
    assert (tmp_path / "p.csv").read_bytes().decode("utf-8-sig").startswith("Tahun;")
    assert main(["export", "--out", str(tmp_path / "i.gpkg"), "--what", "investasi", "--lang", "en"]) == 1
    assert "'investasi' cannot be exported as .gpkg; choose .xlsx, .csv." in capsys.readouterr().out
    assert main(["export", "--out", str(tmp_path / "k.xlsx"), "--year", "1999", "--lang", "en"]) == 1
    assert "No data for 1999" in capsys.readouterr().out
    assert main(["export", "--dataset", "nope", "--out", str(tmp_path / "k.xlsx"), "--lang", "en"]) == 1
    assert "There is no dataset named 'nope'" in capsys.readouterr().out
    assert not (tmp_path / "i.gpkg").exists() and not (tmp_path / "k.xlsx").exists()
    assert main(["export", "--out", str(tmp_path / "t.xlsx"), "--what", "template"]) == 0
    assert read_table_file(tmp_path / "t.xlsx").frame["kelurahan"].tolist() == ["Mandaranrejo", "Tembokrejo"]
