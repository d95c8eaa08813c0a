"""`python -m utils validate` and `python -m utils import`: reports, exit codes, no tracebacks,
store unchanged on failure."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.import_files import kelurahan, write_shapefile, zip_files
from tests.test_validation import snapshot
from utils import store
from utils.__main__ import main

PROJECT = Path(__file__).resolve().parents[1]


def test_validate_real_geojson_exits_0_with_the_overlaps(shared_data, capsys, private_store):
    code = main(["validate", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert "50 pairs of neighbouring kelurahan overlap, 27\u202f721 m²" in out
    assert "81 gaps between kelurahan" in out and "34 kelurahan, 4 kecamatan" in out
    assert out.strip().endswith("Importable.")
    assert not private_store.exists() or not any(private_store.rglob("*.gpkg"))


def test_validate_utm_shapefile_without_prj_exits_1_then_0_with_crs(shared_data, tmp_path, capsys):
    files = write_shapefile(kelurahan(shared_data), tmp_path / "s", keep=(".shp", ".shx", ".dbf", ".cpg"))
    z = zip_files(files, tmp_path / "utm.zip")
    assert main(["validate", "--boundaries", str(z)]) == 1
    out = capsys.readouterr().out
    assert "tidak punya .prj" in out and "Tidak bisa diimpor" in out
    assert main(["validate", "--boundaries", str(z), "--crs", "EPSG:32749", "--lang", "en"]) == 0


def test_import_stores_and_prints_where(shared_data, capsys, private_store):
    code = main(["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--name", "Kota Pasuruan",
                 "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    path = private_store / "kota_pasuruan" / "v0001.gpkg"
    assert f"Stored as dataset 'kota_pasuruan' version 1: {path}" in out
    assert len(store.load("kota_pasuruan").kelurahan) == 34


def test_failed_import_leaves_the_store_unchanged(shared_data, tmp_path, capsys, private_store):
    main(["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--name", "kota"])
    before = snapshot(private_store)
    bad = tmp_path / "foto.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    capsys.readouterr()
    code = main(["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--assessments", str(bad),
                 "--name", "kota", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "'foto.csv' is not a text/Excel table (it holds PNG)" in out and "stored data is unchanged" in out
    assert snapshot(private_store) == before


def test_never_a_traceback(tmp_path):
    env = dict(os.environ, KOTAKU_DATA_DIR=str(tmp_path / "store"))
    cases = [["validate", "--boundaries", str(tmp_path / "missing.zip")],
             ["validate", "--boundaries", str(Path(__file__))],
             ["import", "--boundaries", str(tmp_path / "missing.zip"), "--name", "x"]]
    for args in cases:
        r = subprocess.run([sys.executable, "-m", "utils", *args, "--lang", "en"], cwd=PROJECT, env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stdout + r.stderr
        assert "Not importable" in r.stdout
    assert "File not found" in subprocess.run(
        [sys.executable, "-m", "utils", "validate", "--boundaries", str(tmp_path / "missing.zip"), "--lang", "en"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120).stdout


# ---- adding to a stored dataset, the report's order, names ------------------------------------

def _pasuruan_rows(shared_data, year, pct):
    from tests.import_files import assessment_rows, kelurahan

    kel = kelurahan(shared_data)
    return assessment_rows(kel["kode"].tolist(), kel["kelurahan"].tolist(), year=year, pct=pct)


def _import_2023(shared_data, tmp_path, capsys) -> str:
    a2023 = tmp_path / "a2023.csv"
    _pasuruan_rows(shared_data, 2023, 30.0).to_csv(a2023, index=False)
    assert main(["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--assessments",
                 str(a2023), "--name", "Kota Pasuruan 2023–2024", "--lang", "en"]) == 0
    capsys.readouterr()
    return "kota_pasuruan_2023_2024"


def test_add_a_year_to_a_stored_dataset_then_a_stored_year_only_when_confirmed(shared_data, tmp_path, capsys,
                                                                              private_store):
    name = _import_2023(shared_data, tmp_path, capsys)
    a2024 = tmp_path / "a2024.csv"
    _pasuruan_rows(shared_data, 2024, 60.0).to_csv(a2024, index=False)
    assert main(["import", "--dataset", name, "--assessments", str(a2024), "--author", "Ani", "--note", "2024",
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Year 2024: 0 rows → 34 rows" in out and "Stored as dataset 'kota_pasuruan_2023_2024' version 2" in out
    assert "assessments +34 ~0 −0" in out
    ds = store.load(name)
    assert ds.years == [2023, 2024] and len(ds.kelurahan) == 34
    v2 = store.list_versions(name)[-1]
    assert (v2.author, v2.note, v2.based_on) == ("Ani", "2024", 1)

    before = snapshot(private_store)
    fixed = tmp_path / "a2024_fixed.csv"
    _pasuruan_rows(shared_data, 2024, 30.0).to_csv(fixed, index=False)
    assert main(["import", "--dataset", name, "--assessments", str(fixed), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Year 2024 is already stored in dataset 'Kota Pasuruan 2023–2024'. Not saved" in out
    assert "Year 2024: 34 rows → 34 rows" in out
    assert snapshot(private_store) == before
    assert main(["import", "--dataset", name, "--assessments", str(fixed), "--replace-years", "--lang", "en"]) == 0
    assert "assessments +0 ~34 −0" in capsys.readouterr().out
    assert store.load(name).scored.frame.query("year == 2024")["category"].eq("KR").all()


def test_a_workbook_with_one_sheet_per_year_and_a_sheet_named_in_any_case(shared_data, tmp_path, capsys,
                                                                         private_store):
    import pandas as pd

    name = _import_2023(shared_data, tmp_path, capsys)
    book = tmp_path / "per_tahun.xlsx"
    with pd.ExcelWriter(book) as w:
        _pasuruan_rows(shared_data, 2024, 30.0).drop(columns=["year"]).to_excel(w, sheet_name="2024", index=False)
        _pasuruan_rows(shared_data, 2025, 20.0).drop(columns=["year"]).to_excel(w, sheet_name="2025", index=False)
        _pasuruan_rows(shared_data, 2026, 20.0).to_excel(w, sheet_name="Rekap", index=False)
    assert main(["import", "--dataset", name, "--assessments", str(book), "--lang", "en"]) == 0
    assert store.load(name).years == [2023, 2024, 2025]
    capsys.readouterr()
    assert main(["import", "--dataset", name, "--assessments", str(book), "--sheet", "REKAP", "--lang", "en"]) == 0
    assert store.load(name).years == [2023, 2024, 2025, 2026]


def test_errors_print_first_and_geometry_is_summarised(shared_data, tmp_path, capsys, private_store):
    rows = _pasuruan_rows(shared_data, 2024, 30.0)
    rows.loc[3, "kode_kel"], rows.loc[3, "kelurahan"] = "35.75.09.9999", "Atlantis"
    bad = tmp_path / "bad.csv"
    rows.to_csv(bad, index=False)
    args = ["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--assessments", str(bad),
            "--name", "kota", "--lang", "en"]
    assert main(args) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("[Error]") and "Atlantis" in lines[0]
    assert sum(ln.startswith("  Overlap ") for ln in lines) == 10
    assert "  … and 40 more (show all with --verbose)." in lines
    assert sum(ln.startswith("  Gap of ") for ln in lines) == 10
    assert lines.index(next(ln for ln in lines if "pairs of neighbouring kelurahan overlap" in ln)) > 0
    assert main([*args, "--verbose"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert sum(ln.startswith("  Overlap ") for ln in lines) == 50
    assert sum(ln.startswith("  Gap of ") for ln in lines) == 81


def test_two_names_for_one_folder_are_refused(shared_data, capsys, private_store):
    b = str(shared_data / "pasuruan_kelurahan.geojson")
    assert main(["import", "--boundaries", b, "--name", "a/b", "--lang", "en"]) == 0
    before = snapshot(private_store)
    capsys.readouterr()
    assert main(["import", "--boundaries", b, "--name", "a_b", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "belongs to another dataset, 'a/b'" in out and "stored data is unchanged" in out
    assert snapshot(private_store) == before
    assert main(["import", "--boundaries", b, "--name", "Ωmega", "--lang", "en"]) == 0
    assert (private_store / "ωmega" / "v0001.gpkg").exists()


def test_a_city_year_through_the_cli(shared_data, tmp_path, capsys, private_store):
    """Import 2023, add 2024, set the target to 2029 and mark it official, take out the workbook and the GeoPackage."""
    import pandas as pd
    import pyogrio

    name = _import_2023(shared_data, tmp_path, capsys)
    a2024 = tmp_path / "a2024.csv"
    _pasuruan_rows(shared_data, 2024, 20.0).to_csv(a2024, index=False)
    assert main(["import", "--dataset", name, "--assessments", str(a2024)]) == 0
    assert main(["settings", "--dataset", "Kota Pasuruan 2023–2024", "--target-year", "2022", "--lang", "en"]) == 1
    assert "Target year 2022" in capsys.readouterr().out and len(store.list_versions(name)) == 2
    assert main(["settings", "--dataset", "Kota Pasuruan 2023–2024", "--target-year", "2029", "--status", "official",
                 "--author", "Ani", "--note", "SK Walikota", "--lang", "en"]) == 0
    assert "Changes: settings: status, target_year." in capsys.readouterr().out
    info = store.list_versions(name)[-1]
    assert (info.version, info.status, info.author) == (3, "official", "Ani")
    assert store.load(name).meta.target_year == 2029
    book, gpkg = tmp_path / "rekap.xlsx", tmp_path / "kelurahan.gpkg"
    assert main(["export", "--dataset", "Kota Pasuruan 2023–2024", "--out", str(book), "--year", "2024"]) == 0
    assert main(["export", "--dataset", name, "--out", str(gpkg)]) == 0
    raw = pd.read_excel(book, header=None)
    assert raw.iloc[1, 0] == "Dataset: Kota Pasuruan 2023–2024 (Kota Pasuruan)"
    assert raw.iloc[2, 0] == "Status data: resmi"
    table = pd.read_excel(book, header=5)
    assert len(table) == 34 and {"Kategori 2023", "Luas kumuh 2023 (ha)"} <= set(table.columns)
    assert set(table["Kategori 2023"]) == {"Kumuh Ringan"} and set(table["Kategori"]) == {"Tidak Kumuh"}
    layer = pyogrio.read_dataframe(gpkg)
    assert len(layer) == 34 and set(layer["status"]) == {"official"} and set(layer["tahun"]) == {2024}
