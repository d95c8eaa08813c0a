"""Bad inputs: each gets its clear message (Bahasa Indonesia and English) and the store stays
byte-for-byte unchanged."""
from __future__ import annotations

import hashlib
import struct
import zlib

import pandas as pd
import pytest

from tests.factories import tiny_dataset
from tests.import_files import assessment_rows, kelurahan, write_shapefile, zip_bytes, zip_files
from utils import store
from utils.io.uploads import UploadError
from utils.method.criteria import CRITERION_IDS
from utils.store import importer
from utils.store.importer import ImportOptions

PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\0" * 17 + zlib.compress(b"\0" * 64)


def snapshot(root) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def stored(private_store):
    """A dataset already in the store, so 'unchanged' means something."""
    store.save(tiny_dataset(name="kota_pasuruan"))
    before = snapshot(private_store)
    assert before
    return before


def attempt(boundaries, assessments=None, investments=None, options=None, name="kota_pasuruan", **kw):
    """What the Data page and the CLI do: prepare, then commit only when importable."""
    preview = importer.prepare_uploads(boundaries, assessments, investments, options, **kw)
    if preview.ok:
        importer.commit(preview, name)
    return preview


def assert_blocked(preview, key, *fragments, private_store=None, before=None):
    assert not preview.ok
    keys = [f.key for f in preview.report.errors]
    assert key in keys, preview.report.lines("en")
    f = next(f for f in preview.report.errors if f.key == key)
    msg_id, msg_en = f.message("id"), f.message("en")
    assert msg_id != msg_en and msg_id and msg_en
    for frag in fragments:
        assert frag in msg_en, msg_en
    if before is not None:
        assert snapshot(private_store) == before


@pytest.fixture
def geojson(shared_data) -> tuple[str, bytes]:
    return ("pasuruan_kelurahan.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes())


@pytest.fixture
def kel(shared_data):
    return kelurahan(shared_data)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, sep=";", decimal=",").encode()


# ---- 1..4: broken shapefiles -----------------------------------------------------------------

def test_corrupt_zip(stored, private_store):
    p = attempt([("batas.zip", b"PK\x03\x04garbage that is not a zip at all")])
    assert_blocked(p, "import.zip_corrupt", "batas.zip", private_store=private_store, before=stored)
    assert "rusak" in p.report.errors[0].message("id")


def test_zip_without_a_shp(kel, tmp_path, stored, private_store):
    files = write_shapefile(kel, tmp_path / "s", keep=(".shx", ".dbf", ".prj"))
    z = zip_files(files, tmp_path / "tanpa_shp.zip")
    p = attempt([(z.name, z.read_bytes())])
    assert_blocked(p, "import.no_shp", "No .shp file", "batas_kelurahan.dbf",
                   private_store=private_store, before=stored)


def test_shp_without_dbf(kel, tmp_path, stored, private_store):
    files = write_shapefile(kel, tmp_path / "s", keep=(".shp", ".shx", ".prj"))
    p = attempt([(f.name, f.read_bytes()) for f in files])
    assert_blocked(p, "import.shp_missing_dbf", "no .dbf", private_store=private_store, before=stored)


def test_no_prj_with_utm_coordinates(kel, tmp_path, stored, private_store):
    files = write_shapefile(kel, tmp_path / "s", keep=(".shp", ".shx", ".dbf", ".cpg"))
    z = zip_files(files, tmp_path / "utm.zip")
    p = attempt([(z.name, z.read_bytes())])
    assert_blocked(p, "import.no_prj", "no .prj", "UTM 46S-54S", "--crs", private_store=private_store, before=stored)
    assert p.needs == ["crs"]
    assert "Sistem koordinat" in p.report.errors[0].message("id")


# ---- 5..7: files that are not what they say ----------------------------------------------------

def test_empty_file(geojson, stored, private_store):
    p = attempt([("kosong.geojson", b"")])
    assert_blocked(p, "import.empty_file", "kosong.geojson", private_store=private_store, before=stored)
    p = attempt([geojson], ("penilaian.csv", b"  \n"))
    assert_blocked(p, "import.empty_file", "penilaian.csv", private_store=private_store, before=stored)


def test_image_renamed_csv(geojson, stored, private_store):
    p = attempt([geojson], ("penilaian.csv", PNG))
    assert_blocked(p, "import.not_a_table", "PNG", ".xlsx", private_store=private_store, before=stored)


def test_wrong_sheet(geojson, tmp_path, stored, private_store):
    from tests.test_io_tables import kotaku_workbook

    wb = kotaku_workbook(tmp_path / "kotaku.xlsx")
    p = attempt([geojson], (wb.name, wb.read_bytes()), options=ImportOptions(assessment_sheet="Rekap"))
    assert_blocked(p, "import.no_header_sheet", "Data RT", private_store=private_store, before=stored)
    # the right sheet imports (the worked example RT of Tembokrejo, code without dots)
    ok = importer.prepare_uploads([geojson], (wb.name, wb.read_bytes()))
    assert ok.ok, ok.report.lines("en")
    scored = ok.dataset.scored.frame.iloc[0]
    assert scored["kode_kel"] == "35.75.02.1003" and scored["total_score"] == 31 and scored["category"] == "KR"


# ---- 8..11: content problems -------------------------------------------------------------------

def test_duplicate_codes_in_boundaries(kel, tmp_path, stored, private_store):
    kel.loc[1, "kode"] = kel.loc[0, "kode"]
    path = tmp_path / "dup.geojson"
    kel.to_file(path)
    p = attempt([(path.name, path.read_bytes())])
    assert_blocked(p, "import.duplicate_code", "35.75.01.1001", "Karangketug", "Gentong",
                   private_store=private_store, before=stored)


def test_duplicate_units_in_assessments(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"][:3].tolist(), kel["kelurahan"][:3].tolist())
    rows = pd.concat([rows, rows.iloc[[1]]])
    p = attempt([geojson], ("dup.csv", csv_bytes(rows)))
    assert_blocked(p, "import.duplicate_unit", "Rows 3, 5", private_store=private_store, before=stored)


def test_names_that_match_nothing_are_listed_with_suggestions(geojson, stored, private_store):
    rows = assessment_rows(["", "", "", ""], ["Kel. TAMBAAN", "Bugulkidul", "Tembokrjo", "Atlantis"])
    p = attempt([geojson], ("nama.csv", csv_bytes(rows.drop(columns="kode_kel"))))
    assert_blocked(p, "import.row_unmatched", "Tembokrjo", "Tembokrejo (35.75.02.1003)",
                   private_store=private_store, before=stored)
    unmatched = {u.name: u for u in p.match.unmatched}
    assert set(unmatched) == {"Tembokrjo", "Atlantis"}  # the spelling variants matched by name
    assert p.match.n_matched == 2
    assert p.unmatched_table["name"].tolist() == ["Tembokrjo", "Atlantis"]
    assert "Saran" in next(f for f in p.report.errors if "Atlantis" in f.message("en")).message("id")


def test_html_in_names_is_reported_and_escaped_in_the_preview(kel, tmp_path, stored, private_store):
    kel.loc[0, "kelurahan"] = "<img src=x onerror=alert(1)>Karangketug"
    path = tmp_path / "html.geojson"
    kel.to_file(path)
    p = importer.prepare_uploads([(path.name, path.read_bytes())])
    assert p.ok  # a warning: the name is kept, shown as text
    f = next(f for f in p.report.warnings if f.key == "import.name_markup")
    assert "<img src=x" in f.message("en") and "plain text" in f.message("en")
    fig = importer.preview_figure(p.dataset.kelurahan, p.report)
    hover = " ".join(str(h) for tr in fig.data if tr.hovertext is not None for h in tr.hovertext)
    assert "&lt;img src=x onerror=alert(1)&gt;Karangketug" in hover and "<img" not in hover
    from utils.io.validation import escape_markdown
    assert "<" not in escape_markdown(f.message("en"))
    assert snapshot(private_store) == stored  # previewing never writes


# ---- 12: legacy workbook -----------------------------------------------------------------------

def test_legacy_19_criteria_workbook(geojson, kel, tmp_path, stored, private_store):
    rows = assessment_rows(kel["kode"][:2].tolist(), kel["kelurahan"][:2].tolist())
    for extra in ("4d", "4e", "6c"):
        rows[f"{extra} Prosen"] = 10.0
    path = tmp_path / "baseline_2016.xlsx"
    rows.to_excel(path, index=False, sheet_name="Baseline 2016")
    p = attempt([geojson], (path.name, path.read_bytes()))
    assert_blocked(p, "finding.legacy_2016", "Permen PUPR 02/2016", "p_4d", private_store=private_store, before=stored)
    assert "import.legacy_hint" in p.report.keys()


# ---- 13..15: upload safety through the whole import --------------------------------------------

def test_zip_slip_through_the_import(stored, private_store):
    p = attempt([("slip.zip", zip_bytes({"../../../tmp/evil.shp": b"x"}))])
    assert_blocked(p, "import.zip_slip", "../../../tmp/evil.shp", private_store=private_store, before=stored)


def test_zip_bomb_through_the_import(stored, private_store):
    bomb = zip_bytes({"a.shp": b"\0" * (4 * 1024 * 1024), "a.dbf": b"\0" * (4 * 1024 * 1024)})
    p = attempt([("bom.zip", bomb)], workspace_kwargs={"max_uncompressed": 2 * 1024 * 1024})
    assert_blocked(p, "import.zip_bomb", "bom.zip", "8.0 MB", private_store=private_store, before=stored)


def test_oversized_upload_through_the_import(geojson, stored, private_store):
    p = attempt([geojson], workspace_kwargs={"max_upload_bytes": 10_000})
    assert_blocked(p, "import.too_large", "pasuruan_kelurahan.geojson", private_store=private_store, before=stored)


# ---- 16..17: impossible values ------------------------------------------------------------------

def test_negative_and_over_100_percent_values_are_reported(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"][:2].tolist(), kel["kelurahan"][:2].tolist())
    rows.loc[0, "p_1a"] = -5.0
    rows.loc[1, "p_2a"] = 175.0
    p = importer.prepare_uploads([geojson], ("nilai.csv", csv_bytes(rows)))
    # the KOTAKU portal scores these (clamped); the import is allowed and the user sees each one
    assert p.ok
    neg = next(f for f in p.report.warnings if f.key == "finding.pct_negative")
    over = next(f for f in p.report.warnings if f.key == "finding.pct_over_100")
    assert "Row 2" in neg.message("en") and "-5" in neg.message("en") and "negatif" in neg.message("id")
    assert "Row 3" in over.message("en") and "175" in over.message("en")
    assert snapshot(private_store) == stored  # nothing stored before the user confirms


def test_negative_counts_and_bad_years_block(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"][:2].tolist(), kel["kelurahan"][:2].tolist())
    rows["households"] = [-65, 40]
    rows.loc[1, "year"] = 1899
    p = attempt([geojson], ("minus.csv", csv_bytes(rows)))
    assert_blocked(p, "import.negative_denominator", "Row 2", "households", private_store=private_store, before=stored)
    assert_blocked(p, "import.bad_year", "Row 3", "1899", private_store=private_store, before=stored)


def test_zero_denominator_uses_the_scoring_finding(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"][:1].tolist(), kel["kelurahan"][:1].tolist()).drop(
        columns=[f"p_{c}" for c in CRITERION_IDS])
    rows = rows.assign(buildings=0, population=10, households=5, road_length_m=100, drainage_length_m=100,
                       **{f"v_{c}": 1 for c in CRITERION_IDS})
    p = importer.prepare_uploads([geojson], ("nol.csv", csv_bytes(rows)))
    assert p.ok
    assert any(f.key == "finding.zero_denominator" and "buildings" in f.message("en") for f in p.report.warnings)


def test_a_good_import_adds_a_version_and_keeps_the_old_one(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"].tolist(), kel["kelurahan"].tolist())
    rows["kode_kel"] = rows["kode_kel"].str.replace(".", "", regex=False)  # codes that lost their dots
    p = attempt([geojson], ("ok.csv", csv_bytes(rows)))
    assert p.ok and p.match.n_matched == 34
    after = snapshot(private_store)
    kept = {k: v for k, v in stored.items() if not k.endswith("history.jsonl")}  # the history log grows
    assert {k: v for k, v in after.items() if k in kept} == kept  # version 1 untouched
    assert "kota_pasuruan/v0002.gpkg" in after
    ds = store.load("kota_pasuruan")
    assert len(ds.kelurahan) == 34 and len(ds.assessments) == 34
    assert ds.scored.frame["category"].eq("KR").all()  # 30 % everywhere -> 16 x 1 = 16 -> KR


def test_commit_refuses_the_sample_name_and_bad_previews(geojson, stored, private_store):
    p = importer.prepare_uploads([geojson])
    with pytest.raises(UploadError) as exc:
        importer.commit(p, store.SAMPLE_NAME)
    assert exc.value.finding.key == "import.name_reserved"
    bad = importer.prepare_uploads([("x.geojson", b"")])
    with pytest.raises(UploadError):
        importer.commit(bad, "x")
    assert snapshot(private_store) == stored


def test_a_workbooks_own_scores_are_checked_against_the_method(geojson, kel, stored, private_store):
    rows = assessment_rows(kel["kode"][:2].tolist(), kel["kelurahan"][:2].tolist(), pct=75.0)
    rows["n_1a"] = [3, 5]  # 75.00 % scores 3 (KOTAKU practice): the second row's file score is wrong
    rows["n_2a"] = [3, 3]
    p = importer.prepare_uploads([geojson], ("nilai.csv", csv_bytes(rows)))
    assert p.ok  # a warning: the computed score is used, and the user sees where the file differs
    [mismatch] = [f for f in p.report.warnings if f.key == "import.score_mismatch"]
    msg = mismatch.message("en")
    assert "Row 3" in msg and "criterion 1a" in msg and "as 5" in msg and "gives 3" in msg and "75.00 %" in msg
    assert "Permen PUPR 14/2018" in mismatch.message("id")
    assert snapshot(private_store) == stored
