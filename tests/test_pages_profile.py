"""Profil Kelurahan page (AppTest): arrive from the map's shared selection, choose another,
the numbers equal the recomputed ones, a kelurahan without data is said plainly."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from tests.test_pages_overview import APP, chart_specs, metrics, needs_sample, open_page, save
from utils import store
from utils.analysis import trends

PAGE = "pages/profile.py"


@pytest.fixture(scope="module")
def sample():
    if not store.sample_path().exists():
        pytest.skip("sample dataset not generated")
    return store.load(store.SAMPLE_NAME)


def frame_with(at, column: str):
    """The table the page shows with this column header (dataframe keys are not queryable)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def code_of(ds, name: str) -> str:
    kel = ds.kelurahan
    return str(kel.loc[kel["kelurahan"] == name, "kode_kel"].iloc[0])


@needs_sample
def test_arriving_from_the_map_shows_that_kelurahan(sample):
    kode = code_of(sample, "Ngemplakrejo")
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["selected_kel"] = kode  # what a click on the map writes (ui.select_kelurahan)
    at.run()
    at.selectbox(key="year").set_value(2019).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="profile_kel").value == kode
    assert any("Ngemplakrejo" in h.value for h in at.header)
    hist = trends.kelurahan_history(sample, kode).set_index("year")
    m = metrics(at)
    assert m["Luas kumuh 2019"] == f"{hist.loc[2019, 'slum_ha']:.2f} ha".replace(".", ",")
    assert m["Skor tertinggi 2019"] == str(int(hist.loc[2019, "total_score"]))
    assert m["Baseline (akhir 2014)"] == f"{hist.loc[2014, 'slum_ha']:.2f} ha".replace(".", ",")
    score = chart_specs(at)[0]
    worst = [tr for tr in score["data"] if tr.get("meta", {}).get("kind") == "worst"]
    assert [tr["y"] for tr in worst] == [hist[hist["sk_period"] == p]["total_score"].tolist() for p in ("1", "2")]
    crit = frame_with(at, "% terdampak")
    expected = trends.kelurahan_criteria(sample, kode, 2019)
    assert len(crit) == 16 and crit["Nilai"].tolist() == expected["score"].tolist()
    units = frame_with(at, "RT")
    assert len(units) == len(trends.kelurahan_units(sample, kode, 2019))


@needs_sample
def test_choosing_a_kelurahan_updates_the_shared_selection_and_the_locator(sample):
    at = open_page(PAGE, year=2025)
    kode = code_of(sample, "Kepel")
    at.selectbox(key="profile_kel").set_value(kode).run()
    assert not at.exception
    assert at.session_state["selected_kel"] == kode
    locator = next(s for s in chart_specs(at) if any(tr.get("meta", {}).get("kind") == "selected" for tr in s["data"]))
    sel = [tr for tr in locator["data"] if tr.get("meta", {}).get("kind") == "selected"][0]
    assert sel["meta"]["kode_kel"] == kode
    inv = trends.investments(sample)
    n = int((inv["kode_kel"] == kode).sum())
    if n:
        assert len(frame_with(at, "Pelaksana")) == n


@needs_sample
def test_aspects_baseline_vs_chosen_year(sample):
    kode = code_of(sample, "Mandaranrejo")
    at = open_page(PAGE, year=2019)
    at.selectbox(key="profile_kel").set_value(kode).run()
    spec = next(s for s in chart_specs(at) if s["layout"]["title"]["text"].startswith("7 aspek"))
    base = trends.kelurahan_aspects(sample, kode, 2014)
    now = trends.kelurahan_aspects(sample, kode, 2019)
    assert [tr["y"] for tr in spec["data"]] == [
        pytest.approx(base[trends.ASPECT_COLS].tolist()), pytest.approx(now[trends.ASPECT_COLS].tolist())]


def test_a_kelurahan_without_data_says_so_and_still_shows_where_it_is():
    name = save(tiny_dataset(name="nodata"))
    at = open_page(PAGE, dataset=name)
    at.selectbox(key="profile_kel").set_value("35.75.02.1001").run()  # Gamma: never assessed
    assert not at.exception
    assert any("Gamma tidak punya data penilaian" in i.value for i in at.info)
    specs = chart_specs(at)
    assert len(specs) == 1 and specs[0]["layout"]["title"]["text"] == "Lokasi"
    assert not at.metric


def test_no_investments_for_the_kelurahan():
    name = save(tiny_dataset(name="noinv"))
    at = open_page(PAGE, dataset=name, lang="en")
    assert any("No investment data for this kelurahan" in i.value for i in at.info)
    assert metrics(at)["Category 2021"] == "Kumuh Sedang (moderate)"  # Alfa: the largest slum area


def test_one_year_only():
    name = save(tiny_dataset(name="oneyear", years=(2020,)))
    at = open_page(PAGE, dataset=name)
    assert any("Hanya satu tahun data" in i.value for i in at.info)
    assert any("adalah baseline" in c.value for c in at.caption)
