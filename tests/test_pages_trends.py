"""Tren page (AppTest): chart traces equal the recomputed series, filters change what is shown,
edge cases are said in words."""
from __future__ import annotations

import pytest

from tests.factories import tiny_dataset
from tests.test_pages_overview import chart_specs, metrics, needs_sample, open_page, save
from tests.test_trends import INV, TWO_KEC, series_dataset
from utils import store
from utils.analysis import trends
from utils.method.criteria import CRITERION_IDS

PAGE = "pages/trends.py"


def by_title(at) -> dict[str, dict]:
    return {spec["layout"]["title"]["text"]: spec for spec in chart_specs(at)}


def kind(spec: dict, k: str) -> list[dict]:
    return [tr for tr in spec["data"] if tr.get("meta", {}).get("kind") == k]


def trend_spec(at) -> dict:
    return next(s for s in chart_specs(at) if kind(s, "actual"))


@pytest.fixture(scope="module")
def sample():
    if not store.sample_path().exists():
        pytest.skip("sample dataset not generated")
    return store.load(store.SAMPLE_NAME)


@needs_sample
def test_all_periods_two_unjoined_lines_and_the_pace_of_period_2(sample):
    at = open_page(PAGE, year=2025)
    spec = trend_spec(at)
    actual = kind(spec, "actual")
    assert [tr["x"] for tr in actual] == [[2014, 2015, 2016, 2017, 2018, 2019], [2024, 2025]]
    assert actual[0]["y"] == [80.87, 73.62, 57.91, 41.68, 33.86, 27.99]
    assert actual[1]["y"] == [117.51, 115.09]
    path = kind(spec, "path")[0]
    assert path["x"] == [2024, 2030] and path["y"] == [117.51, 0.0]
    p = trends.pace(sample, "2")
    m = metrics(at)
    assert m["Laju diperlukan (ha/tahun)"] == "23,02" and p.needed_ha_per_year == pytest.approx(23.018)
    assert m["Laju tercapai (ha/tahun)"] == "2,42"
    assert m["Target tercapai pada"] == str(p.projected_year) == "2073"


@needs_sample
def test_period_filter_shows_one_period_and_its_pace(sample):
    at = open_page(PAGE, year=2025)
    at.selectbox(key="trend_period").set_value("1").run()
    assert not at.exception
    actual = kind(trend_spec(at), "actual")
    assert len(actual) == 1 and actual[0]["y"][-1] == 27.99
    m = metrics(at)
    assert m["Laju tercapai (ha/tahun)"] == "10,58"  # 52.88 ha over 5 years
    assert m["Target tercapai pada"] == str(trends.pace(sample, "1").projected_year)
    reduced = next(s for t, s in by_title(at).items() if t.startswith("Luas kumuh berkurang"))
    assert reduced["data"][0]["y"] == [7.25, 15.71, 16.23, 7.82, 5.87]


@needs_sample
def test_kecamatan_filter_changes_the_numbers(sample):
    at = open_page(PAGE, year=2019)
    before = kind(trend_spec(at), "actual")[0]["y"]
    at.multiselect(key="trend_kec").select("35.75.01").run()  # Gadingrejo
    assert not at.exception
    after = kind(trend_spec(at), "actual")[0]["y"]
    expected = trends.period_series(trends.subset(sample, ["35.75.01"]), "1")["slum_ha"].tolist()
    assert after == expected and after != before
    kec = next(s for t, s in by_title(at).items() if t.startswith("Luas kumuh per kecamatan"))
    assert [tr["name"] for tr in kec["data"]] == ["Gadingrejo"]


@needs_sample
def test_year_range_filter_limits_the_years():
    at = open_page(PAGE, year=2019)
    at.selectbox(key="trend_period").set_value("1").run()
    at.select_slider(key="trend_years_1").set_value((2016, 2018)).run()
    assert not at.exception
    actual = kind(trend_spec(at), "actual")[0]
    assert actual["x"] == [2016, 2017, 2018]
    assert metrics(at)["Laju tercapai (ha/tahun)"] == "11,75"  # (80.87 - 33.86) / 4


@needs_sample
def test_heatmap_ranking_and_investments_match_the_data(sample):
    at = open_page(PAGE, year=2025)
    charts_ = by_title(at)
    heat = next(s for t, s in charts_.items() if "7 aspek" in t)
    matrix = trends.aspect_matrix(sample, "2", 2025)
    assert heat["data"][0]["z"] == matrix[trends.ASPECT_COLS].values.tolist()
    rank = next(s for t, s in charts_.items() if t.startswith("Kelurahan menurut luas kumuh"))
    expected = trends.kelurahan_ranking(sample, "2", 2025)
    assert rank["data"][0]["x"] == expected["slum_ha"].tolist()
    inv = next(s for t, s in charts_.items() if t.startswith("Investasi per tahun"))
    total = sum(sum(tr["y"]) for tr in inv["data"])
    assert total == pytest.approx(trends.investments(sample)["budget_idr"].sum() / 1e6)
    # switch the heatmap to change since baseline and the ranking to reduction
    at.radio(key="trend_heat_mode").set_value("change").run()
    at.radio(key="trend_rank_by").set_value("reduced").run()
    charts_ = by_title(at)
    heat = next(s for t, s in charts_.items() if "perubahan sejak baseline" in t)
    assert heat["data"][0]["z"] == trends.aspect_matrix(sample, "2", 2025, "change")[trends.ASPECT_COLS].values.tolist()
    rank = next(s for t, s in charts_.items() if t.startswith("Kelurahan menurut luas berkurang"))
    assert rank["data"][0]["y"][:2] == ["Mandaranrejo", "Kepel"]


# ---- edge cases ------------------------------------------------------------------------------

def test_one_year_only_says_there_is_no_trend_yet():
    name = save(tiny_dataset(name="oneyear", years=(2020,)))
    at = open_page(PAGE, dataset=name)
    assert any("baru punya satu tahun data (2020)" in i.value for i in at.info)
    titles = by_title(at)
    assert not any(t.startswith("Luas kumuh berkurang") for t in titles)  # no empty per-year charts
    assert metrics(at)["Laju tercapai (ha/tahun)"] == "–"


def test_no_investments_is_said_plainly():
    name = save(tiny_dataset(name="noinv"))
    at = open_page(PAGE, dataset=name)
    assert any("tidak punya data investasi" in i.value for i in at.info)
    assert not any(t.startswith("Investasi") for t in by_title(at))


def test_investments_and_cost_per_ha_from_a_small_dataset():
    ds = series_dataset(TWO_KEC, investments=INV)
    ds.meta.name = "withinv"
    at = open_page(PAGE, dataset=save(ds))
    titles = by_title(at)
    cost = next(s for t, s in titles.items() if t.startswith("Biaya per ha"))
    assert cost["data"][0]["y"] == [pytest.approx(3.5e9 / 4 / 1e6)]
    assert metrics(at)["Biaya per ha berkurang (seluruh rentang)"] == "Rp 875 juta/ha"


def test_a_period_at_zero_is_reported_as_reached():
    ds = tiny_dataset(name="zero")
    rows = ds.assessments.copy()
    rows.loc[rows["year"] == 2021, [f"p_{c}" for c in CRITERION_IDS]] = 0.0
    ds.assessments = rows
    at = open_page(PAGE, dataset=save(ds))
    assert any("sudah mencapai 0 ha pada 2021" in s.value for s in at.success)
    assert metrics(at)["Target tercapai pada"] == "sudah (2021)"


def test_a_kecamatan_without_data_says_so():
    name = save(tiny_dataset(name="kec"))
    at = open_page(PAGE, dataset=name)
    at.multiselect(key="trend_kec").select("35.75.02").run()  # Gamma only, never assessed
    assert not at.exception
    assert any("Tidak ada data penilaian untuk pilihan ini" in w.value for w in at.warning)
    assert not at.get("plotly_chart")


def test_english_labels():
    name = save(tiny_dataset(name="en"))
    at = open_page(PAGE, dataset=name, lang="en")
    assert "Pace needed (ha/year)" in metrics(at)
    assert any(t.startswith("Kota Uji slum area per year") for t in by_title(at))


# ---- a real browser: the PNG download works on this machine, offline ------------------------------

@needs_sample
def test_browser_downloads_the_trend_chart_png_offline(app_url, offline_page, artifacts, tmp_path):
    from utils.views import chart_export

    if chart_export.find_browser() is None:
        pytest.skip("no Chrome/Chromium for kaleido")
    page = offline_page
    page.goto(app_url, wait_until="domcontentloaded")
    page.locator('[data-testid="stSidebarNav"] a', has_text="Tren").first.click(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=90_000)
    page.get_by_text("Laju diperlukan").first.wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts / "trends_page.png"))
    button = page.get_by_role("button", name="Unduh PNG").first
    with page.expect_download(timeout=120_000) as dl:
        button.click()
    target = tmp_path / "trend.png"
    dl.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(chart_export.PNG_MAGIC)
    assert chart_export.png_size(data) == (chart_export.DEFAULT_WIDTH, chart_export.DEFAULT_HEIGHT)
    assert dl.value.suggested_filename.endswith("_slum_trend_id.png")
    (artifacts / "trends_download.png").write_bytes(data)
    assert page.external_requests == []
