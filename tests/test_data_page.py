"""The Data page driven through a full import: upload -> preview -> report -> confirm -> stored and selected.

Note: app.py gives this page the url path "data", equal to its file name, so Streamlit (AppTest and
the real server alike) runs pages/data.py as a legacy pages/ script without app.py's sidebar. The
page works on its own; the sidebar selection is checked with a fresh full-app run here, and the
browser test (xfail until app.py's url path changes) checks both together.
"""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.test_validation import snapshot
from utils import store

PROJECT = Path(__file__).resolve().parents[1]


def open_data_page() -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def test_full_import_of_the_real_boundaries(shared_data, private_store):
    at = open_data_page()
    assert at.title[0].value == "Data"
    at.file_uploader(key="import_boundaries_0").set_value(
        ("pasuruan_kelurahan.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes(), "application/json"))
    at.run()
    assert not at.exception, at.exception
    # preview: a map and the kelurahan table
    assert len(at.get("plotly_chart")) == 1
    assert any("34 kelurahan, 4 kecamatan" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 34
    # report: overlaps and gaps as warnings, no errors
    warnings = [w.value for w in at.warning]
    assert any("50 pasang kelurahan" in w and "27\u202f721 m²" in w for w in warnings), warnings
    assert any("81 celah" in w for w in warnings)
    assert not at.error
    assert not any(private_store.rglob("*.gpkg"))  # nothing stored before confirming
    assert at.text_input(key="import_name").value == "kota_pasuruan"
    at.text_input(key="import_name").set_value("pasuruan_bappeda")
    at.button(key="import_confirm").click().run()
    assert not at.exception, at.exception
    assert any("pasuruan\\_bappeda" in s.value and "versi 1" in s.value for s in at.success)
    assert at.session_state["dataset_name"] == "pasuruan_bappeda"
    assert len(store.load("pasuruan_bappeda").kelurahan) == 34
    # the sidebar of a full app run shows the chosen dataset
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    app.session_state["dataset_name"] = at.session_state["dataset_name"]
    app.run()
    assert app.sidebar.selectbox(key="dataset_name").value == "pasuruan_bappeda"


def test_bad_upload_shows_the_error_and_offers_no_save(private_store):
    store.save(__import__("tests.factories", fromlist=["tiny_dataset"]).tiny_dataset())
    before = snapshot(private_store)
    at = open_data_page()
    at.file_uploader(key="import_boundaries_0").set_value(("batas.zip", b"PK\x03\x04broken", "application/zip"))
    at.run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # markdown-escaped text, as rendered
    assert any("batas.zip" in s and "rusak" in s for s in shown), shown
    assert not [b for b in at.button if b.key == "import_confirm"]
    assert snapshot(private_store) == before


def test_cancel_stores_nothing(shared_data, private_store):
    at = open_data_page()
    at.file_uploader(key="import_boundaries_0").set_value(
        ("k.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes(), "application/json"))
    at.run()
    at.button(key="import_cancel").click().run()
    assert any("dibatalkan" in i.value for i in at.info)
    assert not any(private_store.rglob("*.gpkg"))


def test_delete_a_version_only_after_confirming(private_store):
    from tests.factories import tiny_dataset

    store.save(tiny_dataset())
    store.save(tiny_dataset())
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    at.session_state["dataset_name"] = "tiny"
    at.run()
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = "Dataset & riwayat"
    at.run()
    at.button(key="del_tiny_1").click().run()
    assert [v.version for v in store.list_versions("tiny")] == [1, 2]  # asked, not deleted
    assert any("Hapus versi 1" in w.value for w in at.warning)
    at.button(key="delete_yes").click().run()
    assert not at.exception
    assert [v.version for v in store.list_versions("tiny")] == [2]
    # downloads of the active dataset are offered
    at.session_state["data_tab"] = "Unduh"
    at.run()
    assert {"dl_kel_xlsx", "dl_xlsx", "dl_csv", "import_template"} <= {b.key for b in at.get("download_button")}
