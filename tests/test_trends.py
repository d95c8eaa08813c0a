"""Aggregation, reduction and projection in utils.trends: hand-made series with known answers,
and the sample's published Kota Pasuruan figures."""
from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from tests.factories import tiny_dataset
from utils import store
from utils.analysis import trends
from utils.method.criteria import CRITERION_IDS
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

KEL_A, KEL_B, KEL_C = "35.75.01.1001", "35.75.01.1002", "35.75.02.1001"


def _kelurahan() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"kode_kel": [KEL_A, KEL_B, KEL_C], "kelurahan": ["Alfa", "Beta", "Gamma"],
         "kode_kec": ["35.75.01", "35.75.01", "35.75.02"], "kecamatan": ["Satu", "Satu", "Dua"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 2, 2)], crs="EPSG:4326")


def series_dataset(series: dict[str, dict[int, dict[str, float]]], target_year: int = 2030,
                   investments: pd.DataFrame | None = None) -> Dataset:
    """A dataset whose slum ha per period, year and kelurahan is exactly `series`.

    Each (period, year, kelurahan) gets one unit: a slum unit (all criteria 100 %) of the given
    area, or, for 0 ha, a handled unit (all 0 %, Tidak Kumuh) of 1 ha.
    """
    rows = []
    for period, years in series.items():
        for year, per_kel in years.items():
            for kode, ha in per_kel.items():
                slum = ha > 0
                rows.append({"year": year, "sk_period": period, "kode_kel": kode, "kawasan_id": f"K-{kode}",
                             "rt": "RT 01", "area_ha": ha if slum else 1.0, "households": 10,
                             **{f"p_{c}": (100.0 if slum else 0.0) for c in CRITERION_IDS}})
    kel = _kelurahan()
    periods = [SkPeriod(pid, f"SK {pid}", min(years)) for pid, years in series.items()]
    meta = DatasetMeta(name="series", city="Kota Uji", city_code="35.75", sk_periods=periods, target_year=target_year)
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel), assessments=pd.DataFrame(rows),
                   investments=investments)


def flat(period: str, values: dict[int, float], kode: str = KEL_A) -> dict:
    return {period: {y: {kode: v} for y, v in values.items()}}


# ---- target path ----------------------------------------------------------------------------

def test_target_path_is_a_straight_line_from_baseline_to_target():
    ds = series_dataset(flat("1", {2014: 16.0, 2015: 14.0}), target_year=2022)
    path = trends.target_path(ds, "1")
    assert path["year"].tolist() == list(range(2014, 2023))
    assert path["path_ha"].tolist() == [16.0, 14.0, 12.0, 10.0, 8.0, 6.0, 4.0, 2.0, 0.0]


def test_target_path_of_unknown_period_is_empty():
    ds = series_dataset(flat("1", {2014: 16.0}))
    assert trends.target_path(ds, "9").empty


# ---- pace and projection ------------------------------------------------------------------------

def test_pace_on_track_projects_the_year_by_whole_years():
    ds = series_dataset(flat("1", {2020: 10.0, 2021: 8.0, 2022: 6.0}))
    p = trends.pace(ds, "1")
    assert p.status == trends.PACE_ON_TRACK
    assert p.achieved_ha_per_year == pytest.approx(2.0)
    assert p.remaining_ha == 6.0
    assert p.needed_ha_per_year == pytest.approx(6.0 / 8)
    assert p.planned_ha_per_year == pytest.approx(1.0)
    assert p.projected_year == 2025  # 6 ha left at 2 ha/year: gone at the end of 2025


def test_pace_rounds_a_partial_year_up():
    ds = series_dataset(flat("1", {2020: 10.0, 2021: 7.0}))  # 3 ha/yr, 7 left -> 2.33 years
    assert trends.pace(ds, "1").projected_year == 2024


def test_pace_behind_when_the_projection_passes_the_target_year():
    ds = series_dataset(flat("2", {2024: 117.51, 2025: 115.09}))
    p = trends.pace(ds, "2")
    assert p.status == trends.PACE_BEHIND
    assert p.achieved_ha_per_year == pytest.approx(2.42)
    assert p.needed_ha_per_year == pytest.approx(115.09 / 5)
    assert p.projected_year == 2025 + math.ceil(115.09 / 2.42)


@pytest.mark.parametrize("values", [{2020: 5.0, 2021: 5.0}, {2020: 5.0, 2021: 6.0}])
def test_pace_stalled_or_growing_never_reaches_the_target(values):
    p = trends.pace(series_dataset(flat("1", values)), "1")
    assert p.status == trends.PACE_STALLED
    assert p.projected_year is None
    assert p.needed_ha_per_year == pytest.approx(values[2021] / 9)


def test_pace_with_only_the_baseline_has_no_achieved_pace():
    p = trends.pace(series_dataset(flat("1", {2020: 9.0})), "1")
    assert p.status == trends.PACE_SINGLE_YEAR
    assert p.achieved_ha_per_year is None and p.projected_year is None
    assert p.needed_ha_per_year == pytest.approx(9.0 / 10)


def test_pace_of_a_period_already_at_zero_reports_the_year_reached():
    p = trends.pace(series_dataset(flat("1", {2020: 4.0, 2021: 1.0, 2022: 0.0, 2023: 0.0})), "1")
    assert p.status == trends.PACE_REACHED
    assert p.reached_year == 2022
    assert p.remaining_ha == 0.0 and p.needed_ha_per_year is None


def test_pace_as_of_an_earlier_year_ignores_later_years():
    ds = series_dataset(flat("1", {2020: 10.0, 2021: 6.0, 2022: 6.0}))
    assert trends.pace(ds, "1", as_of=2021).achieved_ha_per_year == pytest.approx(4.0)
    assert trends.pace(ds, "1").achieved_ha_per_year == pytest.approx(2.0)


def test_pace_after_the_target_year_with_area_left_needs_no_pace_but_says_behind():
    ds = series_dataset(flat("1", {2020: 10.0, 2031: 5.0}))
    p = trends.pace(ds, "1")
    assert p.needed_ha_per_year is None
    assert p.status == trends.PACE_BEHIND
    assert "2030" in trends.pace_sentence(p, "en")


# ---- breakdowns -----------------------------------------------------------------------------

TWO_KEC = {"1": {2020: {KEL_A: 3.0, KEL_B: 2.0, KEL_C: 4.0}, 2021: {KEL_A: 1.0, KEL_B: 0.0, KEL_C: 4.0}}}


def test_kecamatan_series_sums_to_the_city_and_reports_reductions():
    ds = series_dataset(TWO_KEC)
    kec = trends.kecamatan_series(ds)
    city = trends.city_series(ds)
    for year in (2020, 2021):
        assert kec[kec["year"] == year]["slum_ha"].sum() == pytest.approx(
            float(city[city["year"] == year]["slum_ha"].iloc[0]))
    satu = kec[(kec["kode_kec"] == "35.75.01") & (kec["year"] == 2021)].iloc[0]
    assert satu["slum_ha"] == 1.0 and satu["reduced_ha"] == 4.0


def test_subset_by_kecamatan_keeps_only_its_kelurahan_without_rescoring():
    ds = series_dataset(TWO_KEC)
    sub = trends.subset(ds, ["35.75.02"])
    assert trends.city_series(sub)["slum_ha"].tolist() == [4.0, 4.0]
    assert set(sub.kelurahan["kode_kel"]) == {KEL_C}
    assert trends.subset(ds, None) is ds


def test_category_mix_matches_city_series_counts():
    ds = tiny_dataset()
    mix = trends.category_mix(ds)
    city = trends.city_series(ds)
    for _, row in city.iterrows():
        got = mix[mix["year"] == row["year"]].set_index("category")["n_kelurahan"]
        for code in ("KB", "KS", "KR", "TK"):
            assert got[code] == row[f"n_{code}"]


def test_kelurahan_ranking_orders_by_slum_area_and_computes_reduction():
    ds = series_dataset(TWO_KEC)
    rank = trends.kelurahan_ranking(ds, "1", 2021)
    assert rank["kelurahan"].tolist() == ["Gamma", "Alfa", "Beta"]
    beta = rank.set_index("kelurahan").loc["Beta"]
    assert beta["baseline_ha"] == 2.0 and beta["reduced_ha"] == 2.0 and beta["reduced_pct"] == 100.0
    assert beta["category"] == "TK"


def test_aspect_matrix_latest_and_change_since_baseline():
    ds = tiny_dataset()  # Alfa 100 % -> 60 %, Beta 30 % -> 0 %
    latest = trends.aspect_matrix(ds, "1", 2021).set_index("kelurahan")
    change = trends.aspect_matrix(ds, "1", 2021, "change").set_index("kelurahan")
    assert latest.loc["Alfa", trends.ASPECT_COLS].tolist() == [60.0] * 7
    assert change.loc["Alfa", trends.ASPECT_COLS].tolist() == [-40.0] * 7
    assert change.loc["Beta", trends.ASPECT_COLS].tolist() == [-30.0] * 7
    assert "Gamma" not in latest.index  # not assessed


def test_kelurahan_criteria_and_units():
    ds = tiny_dataset()
    crit = trends.kelurahan_criteria(ds, "35.75.01.1001", 2021)
    assert len(crit) == 16 and set(crit["pct"]) == {60.0} and set(crit["score"]) == {3}
    units = trends.kelurahan_units(ds, "35.75.01.1001", 2021)
    assert units[["rt", "total_score", "category"]].values.tolist() == [["RT 01", 48, "KS"]]
    assert trends.kelurahan_criteria(ds, "35.75.02.1001", 2021).empty


def test_kelurahan_history_adds_the_area_weighted_mean_score():
    hist = trends.kelurahan_history(tiny_dataset(), "35.75.01.1001")
    assert hist["total_score"].tolist() == [80, 48]
    assert hist["mean_score"].tolist() == [80.0, 48.0]
    assert trends.kelurahan_history(tiny_dataset(), "35.75.02.1001").empty


# ---- investments and cost per ha --------------------------------------------------------------

def _inv(rows):
    cols = ["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit", "budget_idr",
            "funding_source", "implementer"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


INV = _inv([
    (2020, KEL_A, None, None, "2b", "Paving", 100, "m", 1e9, "APBN", "KOTAKU/BKM"),  # baseline year: before
    (2021, KEL_A, None, None, "3a", "SR air", 10, "KK", 2e9, "APBN", "KOTAKU/BKM"),
    (2021, KEL_B, None, None, "v_4b", "Drainase", 50, "m", 1e9, "APBD Kota/Kab", "Dinas Perkim"),
    (2021, KEL_C, None, None, "5a", "IPAL", 5, "KK", 5e8, "Swasta/CSR", "PT mitra"),
])


def test_period_investments_count_years_after_the_baseline():
    ds = series_dataset(TWO_KEC, investments=INV)
    inv = trends.period_investments(ds, "1")
    assert sorted(inv["year"].unique()) == [2021]
    assert inv["budget_idr"].sum() == pytest.approx(3.5e9)
    assert set(inv["aspect"]) == {"3", "4", "5"}  # "v_4b" normalised to 4b -> aspect 4


def test_investments_by_year_source_and_implementer():
    ds = series_dataset(TWO_KEC, investments=INV)
    inv = trends.period_investments(ds, "1")
    by_source = trends.investments_by_year_source(inv)
    assert by_source["funding_source"].tolist() == ["APBN", "APBD Kota/Kab", "Swasta/CSR"]  # catalogue order
    assert by_source["budget_idr"].tolist() == [2e9, 1e9, 5e8]
    by_impl = trends.investments_by_implementer(inv)
    assert by_impl["implementer"].iloc[0] == "KOTAKU/BKM"


def test_cost_per_ha_divides_budget_by_ha_reduced():
    ds = series_dataset(TWO_KEC, investments=INV)
    cost = trends.cost_per_ha(ds, "1")
    year = cost[cost["year"].notna()].iloc[0]
    assert year["reduced_ha"] == 4.0 and year["budget_idr"] == 3.5e9
    assert year["cost_per_ha_idr"] == pytest.approx(3.5e9 / 4.0)
    total = cost[cost["year"].isna()].iloc[0]
    assert total["cost_per_ha_idr"] == pytest.approx(3.5e9 / 4.0)


def test_no_investments_gives_empty_tables():
    ds = series_dataset(TWO_KEC)
    assert trends.investments(ds).empty
    assert trends.period_investments(ds, "1").empty
    assert trends.cost_per_ha(ds, "1").empty
    assert trends.investments_by_year_source(trends.investments(ds)).empty


# ---- the one-paragraph summary ------------------------------------------------------------------

def test_summary_text_in_both_languages():
    ds = series_dataset(flat("1", {2014: 80.87, 2019: 27.99}))
    id_text = trends.summary_text(ds, 2019, "id")
    en_text = trends.summary_text(ds, 2019, "en")
    assert "80,87 ha pada baseline" in id_text and "52,88 ha berkurang hingga akhir 2019 (65 %)" in id_text
    assert "tersisa 27,99 ha" in id_text
    assert "80.87 ha at the baseline" in en_text and "52.88 ha reduced by the end of 2019 (65 %)" in en_text
    assert "27.99 ha left" in en_text
    assert trends.summary_text(ds, 2000, "id") is None


def test_summary_text_of_a_baseline_year_and_of_a_finished_period():
    base = trends.summary_text(series_dataset(flat("1", {2024: 117.51})), 2024, "en")
    assert "2024 is the baseline year" in base and "117.51 ha" in base and "19.59 ha/year" in base
    done = trends.summary_text(series_dataset(flat("1", {2020: 2.0, 2021: 0.0})), 2021, "id")
    assert "Target 0 ha tercapai pada 2021" in done


# ---- the sample's published figures ---------------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> Dataset:
    if not store.sample_path().exists():
        pytest.skip("sample dataset not generated")
    return store.load(store.SAMPLE_NAME)


def test_sample_series_matches_the_published_kota_pasuruan_figures(sample):
    city = trends.city_series(sample).set_index(["sk_period", "year"])
    assert city.loc[("1", 2014), "slum_ha"] == pytest.approx(80.87)
    assert city.loc[("1", 2019), "slum_ha"] == pytest.approx(27.99)
    assert city.loc[("1", 2019), "reduced_since_baseline_ha"] == pytest.approx(52.88)
    assert city.loc[("2", 2024), "slum_ha"] == pytest.approx(117.51)
    assert city.loc[("2", 2025), "slum_ha"] == pytest.approx(115.09)


def test_sample_pace_of_period_2_is_far_behind(sample):
    p = trends.pace(sample, "2")
    assert p.status == trends.PACE_BEHIND
    assert p.achieved_ha_per_year == pytest.approx(2.42)
    assert p.needed_ha_per_year == pytest.approx(115.09 / 5)
    assert p.projected_year == 2025 + math.ceil(115.09 / 2.42)


def test_sample_breakdowns_add_up(sample):
    kec = trends.kecamatan_series(sample)
    city = trends.city_series(sample)
    merged = kec.groupby(["sk_period", "year"])["slum_ha"].sum().round(2)
    assert merged.tolist() == pytest.approx(city["slum_ha"].tolist())
    rank = trends.kelurahan_ranking(sample, "1", 2019)
    assert rank["slum_ha"].sum() == pytest.approx(27.99) and rank["baseline_ha"].sum() == pytest.approx(80.87)
    cost = trends.cost_per_ha(sample, "1")
    total = cost[cost["year"].isna()].iloc[0]
    assert total["reduced_ha"] == pytest.approx(52.88)
    assert total["budget_idr"] == pytest.approx(trends.period_investments(sample, "1")["budget_idr"].sum())
