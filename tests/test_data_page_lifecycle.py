"""The Data page's year-round sections in AppTest: a table alone, per-row answers, adding a year,
settings, history and restore, the author recorded, the status shown."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_io_kotaku import kotaku_rt_workbook, rt_row
from tests.test_validation import snapshot
from utils import store
from utils.store import importer

PROJECT = Path(__file__).resolve().parents[1]
KEL = [("35.75.01.1001", "Karangketug", "Gadingrejo"), ("35.75.02.1003", "Tembokrejo", "Purworejo"),
       ("35.75.04.1013", "Mandaranrejo", "Panggungrejo"), ("35.75.03.1002", "Kepel", "Bugul Kidul")]


def year_workbook(path: Path, year: int, scale: float = 1.0, misspell: bool = False) -> Path:
    rows = []
    for kode, name, kec in KEL:
        for rt in ("RT 01", "RT 02"):
            given = "Tembokrjo" if misspell and name == "Tembokrejo" and rt == "RT 01" else name
            rows.append(rt_row("" if given != name else kode, given, kec, year=year, rt=rt, scale=scale))
    return kotaku_rt_workbook(path, rows)


@pytest.fixture
def pasuruan(shared_data, tmp_path) -> str:
    """Kota Pasuruan imported with its 2023 workbook, as the team's first import."""
    geo = ("pasuruan_kelurahan.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes())
    preview = importer.prepare_uploads([geo], ("rt_2023.xlsx", year_workbook(tmp_path / "a.xlsx", 2023).read_bytes()))
    assert preview.ok, preview.report.lines("en")
    importer.commit(preview, "pasuruan", author="Rina", note="first")
    return "pasuruan"


def before_after(at: AppTest):
    """The side-by-side table of the add tab (AppTest does not expose st.dataframe keys)."""
    return next(d.value for d in at.dataframe if "Baris sebelum" in getattr(d.value, "columns", []))


def go(at: AppTest, tab: str) -> AppTest:
    """Open a tab of the Data page (only the open tab's section runs)."""
    at.session_state["data_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(dataset: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    if dataset:
        at.session_state["dataset_name"] = dataset
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def test_a_table_alone_says_what_to_do(tmp_path, private_store):
    at = open_page()
    at.file_uploader(key="import_assessments_0").set_value(
        ("rt.xlsx", year_workbook(tmp_path / "a.xlsx", 2023).read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert any("Tabel saja belum bisa diimpor" in w.value and "Tambah tabel" in w.value for w in at.warning)
    assert not any(private_store.rglob("*.gpkg"))


def test_a_misspelt_name_is_fixed_in_the_report_without_uploading_again(shared_data, tmp_path, private_store):
    at = open_page()
    at.file_uploader(key="import_boundaries_0").set_value(
        ("k.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes(), "application/json"))
    at.file_uploader(key="import_assessments_0").set_value(
        ("rt.xlsx", year_workbook(tmp_path / "a.xlsx", 2023, misspell=True).read_bytes(), "application/octet-stream"))
    at.run()
    assert any("Tembokrjo" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "import_confirm"]
    choice = at.selectbox(key="import_fix_7")
    assert choice.options[1].endswith("Tembokrejo (35.75.02.1003, Purworejo)")  # the suggestion comes first
    choice.set_value("35.75.02.1003").run()
    assert not at.exception, at.exception
    assert not at.error
    assert any("Tembokrejo (35.75.02.1003)" in c.value for c in at.caption)  # the answer applied
    at.text_input(key="import_name").set_value("pasuruan")
    at.button(key="import_confirm").click().run()
    ds = store.load("pasuruan")
    assert (ds.assessments["kode_kel"] == "35.75.02.1003").sum() == 2


def test_add_a_year_and_replace_a_stored_year_only_when_confirmed(pasuruan, tmp_path, private_store):
    at = go(open_page(pasuruan), "Tambah tabel")
    at.text_input(key="data_author").set_value("Budi").run()
    at.file_uploader(key="add_assessments_0").set_value(
        ("rt_2024.xlsx", year_workbook(tmp_path / "b.xlsx", 2024, scale=0.5).read_bytes(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    ba = before_after(at)
    assert ba.iloc[0].tolist()[:3] == ["2024", 0, 8]
    at.button(key="add_save").click().run()
    assert any("versi 2" in s.value for s in at.success), [s.value for s in at.success]
    ds = store.load(pasuruan)
    assert ds.years == [2023, 2024]
    v2 = store.list_versions(pasuruan)[-1]
    assert v2.author == "Budi" and v2.changes["assessments"]["added"] == 8
    # 2023 again, changed: shown side by side, refused until confirmed
    before = snapshot(private_store)
    at.file_uploader(key="add_assessments_1").set_value(
        ("rt_2023b.xlsx", year_workbook(tmp_path / "c.xlsx", 2023, scale=0.1).read_bytes(), "application/octet-stream"))
    at.run()
    assert any("2023 sudah tersimpan" in w.value for w in at.warning)
    assert at.button(key="add_save").disabled
    ba = before_after(at)
    assert ba.iloc[0, 1] == 8 and ba.iloc[0, 2] == 8 and ba.iloc[0, 3] != ba.iloc[0, 4]  # rows equal, ha differ
    assert snapshot(private_store) == before
    at.checkbox(key="add_replace").check().run()
    at.button(key="add_save").click().run()
    assert store.list_versions(pasuruan)[-1].version == 3


def test_settings_target_and_official_status_become_a_version(pasuruan):
    at = go(open_page(pasuruan), "Pengaturan")
    assert any("draf" in m.value for m in at.sidebar.markdown)  # the badge, on every page's sidebar
    at.number_input(key="settings_target_year").set_value(2029)
    at.radio(key="settings_status").set_value("official")
    at.text_input(key="settings_display_name").set_value("Kota Pasuruan 2023–2024")
    submit = next(b for b in at.button if str(b.key).startswith("FormSubmitter:settings_form"))
    submit.click().run()
    assert not at.exception, at.exception
    assert any("versi 2" in s.value for s in at.success), [e.value for e in at.error]
    ds = store.load(pasuruan)
    assert (ds.meta.target_year, ds.meta.status, ds.meta.display_name) == (2029, "official", "Kota Pasuruan 2023–2024")
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    app.session_state["dataset_name"] = pasuruan
    app.run()
    assert any("resmi" in m.value for m in app.sidebar.markdown)
    app.switch_page("pages/methodology.py").run()
    assert any("ditandai resmi" in s.value for s in app.success)


def test_a_bad_setting_is_refused_and_nothing_changes(pasuruan, private_store):
    at = go(open_page(pasuruan), "Pengaturan")
    before = snapshot(private_store)
    at.text_input(key="settings_display_name").set_value("   ")
    next(b for b in at.button if str(b.key).startswith("FormSubmitter:settings_form")).click().run()
    assert at.error and snapshot(private_store) == before


def test_history_lists_who_and_what_and_restores_as_a_new_version(pasuruan, tmp_path):
    at = go(open_page(pasuruan), "Tambah tabel")
    at.file_uploader(key="add_assessments_0").set_value(
        ("rt_2024.xlsx", year_workbook(tmp_path / "b.xlsx", 2024).read_bytes(), "application/octet-stream"))
    at.run()
    at.button(key="add_save").click().run()
    go(at, "Dataset & riwayat")
    text = " ".join(m.value for m in at.markdown)
    assert "Rina" in text and "first" in text
    at.button(key=f"restore_{pasuruan}_1").click().run()
    assert not at.exception, at.exception
    versions = store.list_versions(pasuruan)
    assert versions[-1].version == 3 and versions[-1].restored_from == 1
    assert store.load(pasuruan).years == [2023]
