"""The data lifecycle through the CLI with KOTAKU_DATABASE_URL set: import, add a year, settings,
export: the same commands as on the folder, with the versions in PostgreSQL/PostGIS."""
from __future__ import annotations

import pyogrio

from tests.import_files import assessment_rows, kelurahan
from utils import store
from utils.__main__ import main


def test_import_add_a_year_settings_and_export_on_postgis(shared_data, tmp_path, capsys, monkeypatch, pg_url):
    monkeypatch.setenv(store.DATABASE_ENV, pg_url)
    monkeypatch.setenv("KOTAKU_DATA_DIR", str(tmp_path / "folder-not-used"))
    kel = kelurahan(shared_data)
    rows = {y: tmp_path / f"a{y}.csv" for y in (2023, 2024)}
    for year, path in rows.items():
        assessment_rows(kel["kode"].tolist(), kel["kelurahan"].tolist(), year=year, pct=30.0).to_csv(path, index=False)

    assert main(["import", "--boundaries", str(shared_data / "pasuruan_kelurahan.geojson"), "--assessments",
                 str(rows[2023]), "--name", "Kota Pasuruan", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Stored as dataset 'kota_pasuruan' version 1: the PostgreSQL/PostGIS database" in out
    assert main(["import", "--dataset", "kota_pasuruan", "--assessments", str(rows[2024]), "--lang", "en"]) == 0
    assert main(["settings", "--dataset", "kota_pasuruan", "--target-year", "2029", "--status", "official",
                 "--lang", "en"]) == 0
    out_file = tmp_path / "kelurahan.gpkg"
    assert main(["export", "--dataset", "kota_pasuruan", "--out", str(out_file), "--year", "2024",
                 "--lang", "en"]) == 0

    versions = store.list_versions("kota_pasuruan")
    assert [v.version for v in versions] == [1, 2, 3] and all(v.path is None for v in versions)
    ds = store.load("kota_pasuruan")
    assert ds.years == [2023, 2024] and ds.meta.target_year == 2029 and ds.meta.status == "official"
    assert not (tmp_path / "folder-not-used" / "kota_pasuruan").exists()
    assert len(pyogrio.read_dataframe(out_file)) == 34
