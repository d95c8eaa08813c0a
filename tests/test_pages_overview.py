"""Ringkasan page (AppTest): the numbers shown are the numbers recomputed from the data."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from utils import store
from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_pct
from utils.method.criteria import CRITERION_IDS

APP = str(Path(__file__).resolve().parents[1] / "app.py")
needs_sample = pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")


def open_page(page: str, dataset: str | None = None, year: int | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    if dataset is not None:
        at.selectbox(key="dataset_name").set_value(dataset).run()
    if year is not None:
        at.selectbox(key="year").set_value(year).run()
    if lang is not None:
        at.segmented_control(key="lang").set_value(lang).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def save(ds) -> str:
    return store.save(ds).name


# ---- the sample ------------------------------------------------------------------------------

@needs_sample
def test_end_of_2019_headline_numbers_and_summary_in_bahasa():
    at = open_page("pages/overview.py", year=2019)
    s = trends.year_summary(store.load(store.SAMPLE_NAME), 2019)
    assert (s["slum_ha"], s["baseline_ha"], s["reduced_since_baseline_ha"]) == pytest.approx((27.99, 80.87, 52.88))
    m = metrics(at)
    assert m["Luas kumuh 2019"] == "27,99 ha" == fmt_ha(s["slum_ha"], "id")
    assert m["Baseline (akhir 2014)"] == "80,87 ha"
    assert m["Berkurang sejak baseline"] == "52,88 ha"
    assert m["Berkurang tahun 2019"] == fmt_ha(s["reduced_ha"], "id")
    assert m["Kelurahan kumuh"] == str(s["n_kel_slum"])
    assert m["Akses air minum aman"] == fmt_pct(s["water_access_pct"], "id")
    assert m["Akses sanitasi layak"] == fmt_pct(s["sanitation_access_pct"], "id")
    body = texts(at)
    assert "80,87 ha pada baseline" in body and "52,88 ha berkurang hingga akhir 2019 (65 %)" in body
    assert "tersisa 27,99 ha" in body


@needs_sample
def test_english_summary_and_trend_chart_traces():
    at = open_page("pages/overview.py", year=2019, lang="en")
    assert metrics(at)["Slum area 2019"] == "27.99 ha"
    assert "52.88 ha reduced by the end of 2019 (65 %), 27.99 ha left" in texts(at)
    trend = chart_specs(at)[0]
    actual = [tr for tr in trend["data"] if tr.get("meta", {}).get("kind") == "actual"]
    assert len(actual) == 1 and actual[0]["x"] == [2014, 2015, 2016, 2017, 2018, 2019]
    assert actual[0]["y"] == trends.period_series(store.load(store.SAMPLE_NAME), "1")["slum_ha"].tolist()
    assert trend["layout"]["separators"] == ".,"


@needs_sample
@pytest.mark.parametrize("year,slum,reduced", [(2024, "117,51 ha", "0,00 ha"), (2025, "115,09 ha", "2,42 ha")])
def test_period_2_figures(year, slum, reduced):
    at = open_page("pages/overview.py", year=year)
    m = metrics(at)
    assert m[f"Luas kumuh {year}"] == slum
    assert m["Baseline (akhir 2024)"] == "117,51 ha"
    assert m["Berkurang sejak baseline"] == reduced
    trend = chart_specs(at)[0]
    actual = [tr for tr in trend["data"] if tr.get("meta", {}).get("kind") == "actual"]
    assert actual[0]["y"] == [117.51, 115.09]  # the period of the chosen year only


@needs_sample
def test_category_chart_counts_the_kelurahan_of_the_year():
    at = open_page("pages/overview.py", year=2019)
    counts = trends.category_counts(store.load(store.SAMPLE_NAME), 2019)
    bar = chart_specs(at)[1]["data"][0]
    assert bar["y"] == [int(counts[c]) for c in ("KB", "KS", "KR", "TK")]
    assert any(f"{int(counts['ND'])} kelurahan lain" in c.value for c in at.caption)
    assert len(at.download_button) == 4  # PNG + CSV per chart


# ---- edge cases ------------------------------------------------------------------------------

def test_a_dataset_with_one_year_says_so():
    name = save(tiny_dataset(name="oneyear", years=(2020,)))
    at = open_page("pages/overview.py", dataset=name)
    assert metrics(at)["Luas kumuh 2020"] == "3,25 ha"
    assert any("satu tahun data" in i.value for i in at.info)
    assert "2020 adalah tahun baseline" in texts(at)


def test_a_period_already_at_zero_says_so():
    ds = tiny_dataset(name="zero")
    rows = ds.assessments.copy()
    rows.loc[rows["year"] == 2021, [f"p_{c}" for c in CRITERION_IDS]] = 0.0
    ds.assessments = rows
    name = save(ds)
    at = open_page("pages/overview.py", dataset=name, year=2021)
    assert metrics(at)["Luas kumuh 2021"] == "0,00 ha"
    assert any("sudah mencapai 0 ha" in s.value for s in at.success)
    assert "Target 0 ha tercapai pada 2021" in texts(at)


def test_a_dataset_without_assessments_shows_a_message_not_a_chart():
    ds = tiny_dataset(name="empty")
    ds.assessments = pd.DataFrame()
    name = save(ds)
    at = open_page("pages/overview.py", dataset=name)
    assert at.warning and not at.get("plotly_chart")
