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
