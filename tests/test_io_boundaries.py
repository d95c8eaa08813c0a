"""The real Kota Pasuruan boundaries import from every accepted format, with overlaps and gaps reported."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from tests.import_files import kelurahan, write_shapefile, zip_files
from utils.io.boundaries import ColumnMapping, detect_columns
from utils.store import importer
from utils.store.importer import ImportOptions

# SOURCES.md: ~50 overlapping neighbour pairs, 27,700 m²; 82 holes of 29,700 m², one of which is a
# 2e-9 m² floating-point artefact, so 81 real gaps.
OVERLAP_PAIRS, OVERLAP_M2, GAPS, GAP_M2 = 50, 27_721, 81, 29_719


def assert_pasuruan(preview, accent: bool = False):
    assert preview.ok, preview.report.lines("en")[:5]
    kel = preview.dataset.kelurahan
    assert len(kel) == 34
    assert kel.crs.to_epsg() == 4326
    assert kel["kode_kel"].str.fullmatch(r"35\.75\.0[1-4]\.\d{4}").all()
    assert {"Tamba'an", "Tapa'an"} <= set(kel["kelurahan"])
    assert sorted(preview.dataset.kecamatan["kecamatan"]) == ["Bugul Kidul", "Gadingrejo", "Panggungrejo", "Purworejo"]
    xmin, ymin, xmax, ymax = kel.total_bounds
    assert 112.87 < xmin < 112.88 and 112.95 < xmax < 112.96 and -7.69 < ymin < -7.68
    facts = preview.report.facts
    assert facts["overlap_pairs"] == OVERLAP_PAIRS and facts["overlap_m2"] == pytest.approx(OVERLAP_M2, abs=5)
    assert facts["gaps"] == GAPS and facts["gap_m2"] == pytest.approx(GAP_M2, abs=5)
    assert "UTM zone 49S" in facts["metric_crs"]
    keys = preview.report.keys()
    assert keys.count("import.overlap") == OVERLAP_PAIRS and keys.count("import.gap") == GAPS
    summary = next(f for f in preview.report.findings if f.key == "import.overlaps_summary")
    assert "27\u202f721 m²" in summary.message("en") and "50 pairs" in summary.message("en")
    assert "50 pasang" in summary.message("id")
    if accent:
        assert "Karangkétug" in set(kel["kelurahan"])
    return kel


def test_geojson_as_it_is(shared_data):
    preview = importer.prepare_paths([shared_data / "pasuruan_kelurahan.geojson"])
    kel = assert_pasuruan(preview)
    assert preview.dataset.meta.city == "Kota Pasuruan" and preview.dataset.meta.city_code == "35.75"
    assert preview.dataset.assessments.empty  # boundaries alone are a valid import
    assert "import.boundaries_only" in preview.report.keys()
    official = pd.read_csv(shared_data / "pasuruan_kelurahan.csv", dtype=str)
    assert dict(zip(kel["kode_kel"], kel["kelurahan"])) == dict(zip(official["kode"], official["kelurahan"]))


@pytest.fixture
def accented(shared_data) -> gpd.GeoDataFrame:
    g = kelurahan(shared_data)
    g.loc[g["kelurahan"] == "Karangketug", "kelurahan"] = "Karangkétug"  # a latin-1 character in the DBF
    return g


def test_zipped_shapefile_utm49s_latin1_in_a_subfolder(accented, tmp_path):
    files = write_shapefile(accented, tmp_path / "shp")
    assert b"Karangk\xe9tug" in (tmp_path / "shp" / "batas_kelurahan.dbf").read_bytes()  # really latin-1
    assert "UTM_Zone_49S" in (tmp_path / "shp" / "batas_kelurahan.prj").read_text()
    z = zip_files(files, tmp_path / "batas.zip", prefix="Batas Wilayah/kelurahan/")
    assert_pasuruan(importer.prepare_paths([z]), accent=True)


def test_latin1_dbf_without_cpg(accented, tmp_path):
    files = write_shapefile(accented, tmp_path / "shp", drop_cpg=True)
    assert not any(f.suffix == ".cpg" for f in files)
    assert_pasuruan(importer.prepare_paths([zip_files(files, tmp_path / "b.zip")]), accent=True)


def test_utf8_dbf_without_cpg(accented, tmp_path):
    files = write_shapefile(accented, tmp_path / "shp", encoding="UTF-8", drop_cpg=True)
    assert "Karangkétug".encode() in (tmp_path / "shp" / "batas_kelurahan.dbf").read_bytes()
    assert_pasuruan(importer.prepare_paths([zip_files(files, tmp_path / "b.zip")]), accent=True)


def test_loose_shapefile_set_uploaded_together(accented, tmp_path):
    files = write_shapefile(accented, tmp_path / "shp")
    preview = importer.prepare_uploads([(f.name, f.read_bytes()) for f in files])
    assert_pasuruan(preview, accent=True)


def test_geopackage_with_two_layers(shared_data, tmp_path):
    gpkg = tmp_path / "batas.gpkg"
    kelurahan(shared_data).to_crs(32749).to_file(gpkg, layer="desa_kelurahan", driver="GPKG")
    gpd.read_file(shared_data / "pasuruan_kecamatan.geojson").to_file(gpkg, layer="kecamatan", driver="GPKG")
    preview = importer.prepare_paths([gpkg])
    assert_pasuruan(preview)
    assert preview.roles == {"kelurahan": "batas.gpkg › desa_kelurahan", "kecamatan": "batas.gpkg › kecamatan"}
    assert len(preview.dataset.kecamatan) == 4


def test_several_kelurahan_layers_ask_the_user(shared_data, tmp_path):
    gpkg = tmp_path / "dua.gpkg"
    kelurahan(shared_data).to_file(gpkg, layer="kel_2019", driver="GPKG")
    kelurahan(shared_data).to_file(gpkg, layer="kel_2024", driver="GPKG")
    preview = importer.prepare_paths([gpkg])
    assert not preview.ok and preview.needs == ["layer"]
    msg = preview.report.errors[0].message("en")
    assert "dua.gpkg › kel_2019" in msg and "dua.gpkg › kel_2024" in msg
    chosen = importer.prepare_paths([gpkg], options=ImportOptions(kelurahan_layer="dua.gpkg › kel_2024"))
    assert_pasuruan(chosen)


def test_kml(shared_data, tmp_path):
    kml = tmp_path / "batas.kml"
    kelurahan(shared_data).to_file(kml, driver="KML")
    assert_pasuruan(importer.prepare_paths([kml]))


def test_geoparquet(shared_data, tmp_path):
    pq = tmp_path / "batas.parquet"
    kelurahan(shared_data).to_crs(32749).to_parquet(pq)
    assert_pasuruan(importer.prepare_paths([pq]))


def test_no_prj_but_lonlat_in_indonesia_is_accepted_with_a_warning(shared_data, tmp_path):
    files = write_shapefile(kelurahan(shared_data), tmp_path / "shp", crs=None,
                            keep=(".shp", ".shx", ".dbf", ".cpg"))
    preview = importer.prepare_paths([zip_files(files, tmp_path / "b.zip")])
    assert_pasuruan(preview)
    w = next(f for f in preview.report.warnings if f.key == "import.no_prj_lonlat")
    assert "EPSG:4326" in w.message("en") and "WGS84" in w.message("id")


def test_crs_given_by_the_user_fixes_a_missing_prj(shared_data, tmp_path):
    files = write_shapefile(kelurahan(shared_data), tmp_path / "shp", keep=(".shp", ".shx", ".dbf", ".cpg"))
    z = zip_files(files, tmp_path / "b.zip")
    assert importer.prepare_paths([z]).needs == ["crs"]
    for crs in ("EPSG:32749", "32749", "UTM 49S"):
        assert_pasuruan(importer.prepare_paths([z], options=ImportOptions(crs=crs)))


def test_invalid_geometry_is_repaired_and_reported(shared_data, tmp_path):
    g = kelurahan(shared_data)
    b = g.geometry.iloc[5].bounds
    bowtie = Polygon([(b[0], b[1]), (b[2], b[3]), (b[2], b[1]), (b[0], b[3]), (b[0], b[1])])
    assert not bowtie.is_valid
    g.loc[5, "geometry"] = bowtie
    path = tmp_path / "bad.geojson"
    g.to_file(path)
    preview = importer.prepare_paths([path])
    assert preview.ok
    f = next(f for f in preview.report.warnings if f.key == "import.geometry_repaired")
    assert "feature 6" in f.message("en") and g.loc[5, "kelurahan"] in f.message("en")
    assert "Self-intersection" in f.message("en")
    assert shapely.is_valid(preview.dataset.kelurahan.geometry.to_numpy()).all()


def test_big_style_columns_are_detected_and_can_be_mapped(shared_data, tmp_path):
    g = kelurahan(shared_data)
    big = gpd.GeoDataFrame({"KDEPUM": g["kode"].str.replace(".", "", regex=False).astype("int64"),
                            "WADMKD": g["kelurahan"].str.upper(), "WADMKC": g["kecamatan"],
                            "WADMKK": "Kota Pasuruan"}, geometry=g.geometry, crs=g.crs)
    det = detect_columns(big)
    assert (det.level, det.code, det.name, det.kec_name) == ("kelurahan", "KDEPUM", "WADMKD", "WADMKC")
    path = tmp_path / "big.geojson"
    big.to_file(path)
    preview = importer.prepare_paths([path])
    assert preview.ok
    assert preview.dataset.kelurahan["kode_kel"].iloc[0] == "35.75.01.1001"  # numeric code regained its dots
    # a file whose columns say nothing: the user maps them
    odd = gpd.GeoDataFrame({"A1": g["kode"], "B2": g["kelurahan"]}, geometry=g.geometry, crs=g.crs)
    odd_path = tmp_path / "odd.geojson"
    odd.to_file(odd_path)
    guessed = importer.prepare_paths([odd_path])
    assert guessed.ok and "import.columns_guessed" in guessed.report.keys()
    mapped = importer.prepare_paths([odd_path], options=ImportOptions(
        mapping=ColumnMapping(level="kelurahan", code="A1", name="B2")))
    assert mapped.ok and "import.columns_guessed" not in mapped.report.keys()
    assert len(mapped.dataset.kelurahan) == 34
