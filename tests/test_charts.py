"""Figure builders: the traces carry the computed numbers, SK periods are never joined, one class
colour scheme, units on axes, Bahasa number separators."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.factories import tiny_dataset
from tests.test_trends import KEL_A, KEL_B, TWO_KEC, series_dataset
from utils.analysis import trends
from utils.method.criteria import CLASS_COLORS
from utils.views import charts

TWO_PERIODS = {"1": {2014: {KEL_A: 80.87}, 2015: {KEL_A: 73.62}, 2019: {KEL_A: 27.99}},
               "2": {2024: {KEL_A: 60.0, KEL_B: 57.51}, 2025: {KEL_A: 57.58, KEL_B: 57.51}}}


def traces(fig, kind=None):
    return [tr for tr in fig.data if kind is None or (tr.meta or {}).get("kind") == kind]


def test_slum_trend_draws_one_unjoined_line_per_period_and_the_target_path():
    ds = series_dataset(TWO_PERIODS)
    fig = charts.slum_trend_figure(ds, "id")
    actual = traces(fig, "actual")
    assert [tr.meta["sk_period"] for tr in actual] == ["1", "2"]
    assert list(actual[0].x) == [2014, 2015, 2019] and list(actual[0].y) == [80.87, 73.62, 27.99]
    assert list(actual[1].x) == [2024, 2025] and list(actual[1].y) == [117.51, 115.09]
    assert not set(actual[0].x) & set(actual[1].x)  # never one continuous line
    path = traces(fig, "path")
    assert len(path) == 1 and path[0].meta["sk_period"] == "2"  # all periods: the latest one's path
    assert list(path[0].x) == [2024, 2030] and list(path[0].y) == [117.51, 0.0]
    baselines = traces(fig, "baseline")
    assert [list(tr.x) for tr in baselines] == [[2014], [2024]]
    # the re-baseline is marked by a vertical line before the second period's baseline
    assert any(shape.x0 == 2023.5 for shape in fig.layout.shapes)


def test_slum_trend_of_one_period_has_its_own_path_and_year_filter():
    ds = series_dataset(TWO_PERIODS)
    fig = charts.slum_trend_figure(ds, "en", "1", years=(2015, 2019))
    actual = traces(fig, "actual")
    assert len(actual) == 1 and list(actual[0].x) == [2015, 2019]
    path = traces(fig, "path")[0]
    assert list(path.x) == [2014, 2030] and path.y[0] == 80.87  # the path keeps its baseline


def test_separators_and_axis_units_follow_the_language():
    ds = series_dataset(TWO_PERIODS)
    fig_id = charts.slum_trend_figure(ds, "id")
    fig_en = charts.slum_trend_figure(ds, "en")
    assert fig_id.layout.separators == ",." and fig_en.layout.separators == ".,"
    assert "(ha)" in fig_id.layout.yaxis.title.text and "(ha)" in fig_en.layout.yaxis.title.text
    assert "117,51 ha" in traces(fig_id, "actual")[1].text and "117.51 ha" in traces(fig_en, "actual")[1].text
    assert fig_id.layout.font.size >= 16


def test_every_builder_puts_a_unit_on_its_value_axis():
    ds = series_dataset(TWO_KEC)
    series = trends.city_series(ds)
    checks = [
        (charts.reduced_per_year_figure(series, "id"), "yaxis", "(ha)"),
        (charts.kecamatan_stack_figure(trends.kecamatan_series(ds), "id"), "yaxis", "(ha)"),
        (charts.category_mix_figure(trends.category_mix(ds), "id"), "yaxis", "kelurahan"),
        (charts.ranking_figure(trends.kelurahan_ranking(ds, "1", 2021), "en", "slum_ha"), "xaxis", "(ha)"),
        (charts.pace_figure(trends.pace(ds, "1"), "en"), "xaxis", "ha per year"),
        (charts.kelurahan_score_figure(trends.kelurahan_history(ds, KEL_A), "en"), "yaxis", "0–80"),
    ]
    for fig, axis, unit in checks:
        assert unit in fig.layout[axis].title.text, (fig.layout.title.text, fig.layout[axis].title.text)


def test_category_charts_use_the_class_colours():
    ds = tiny_dataset()
    mix = charts.category_mix_figure(trends.category_mix(ds), "id")
    for tr in mix.data:
        assert tr.marker.color == CLASS_COLORS[tr.meta["category"]]
    counts = trends.category_counts(ds, 2021)
    bar = charts.category_bar_figure(counts, "id", 2021)
    assert list(bar.data[0].marker.color) == [CLASS_COLORS[c] for c in bar.data[0].customdata]
    assert list(bar.data[0].y) == counts.tolist()


def test_reduced_and_kecamatan_figures_carry_the_computed_numbers():
    ds = series_dataset(TWO_KEC)
    fig = charts.reduced_per_year_figure(trends.city_series(ds), "id")
    assert list(fig.data[0].x) == [2021] and list(fig.data[0].y) == [4.0]
    kec = charts.kecamatan_stack_figure(trends.kecamatan_series(ds), "id")
    by_name = {tr.name: list(tr.y) for tr in kec.data}
    assert by_name == {"Satu": [5.0, 1.0], "Dua": [4.0, 4.0]}
    assert kec.layout.barmode == "stack"


def test_ranking_by_reduction_sorts_by_reduced_ha():
    ds = series_dataset(TWO_KEC)
    fig = charts.ranking_figure(trends.kelurahan_ranking(ds, "1", 2021), "id", "reduced")
    assert list(fig.data[0].y) == ["Alfa", "Beta", "Gamma"] and list(fig.data[0].x) == [2.0, 2.0, 0.0]


def test_heatmap_values_are_the_aspect_matrix():
    ds = tiny_dataset()
    matrix = trends.aspect_matrix(ds, "1", 2021, "change")
    fig = charts.aspect_heatmap_figure(matrix, "en", "change")
    assert [list(r) for r in fig.data[0].z] == matrix[trends.ASPECT_COLS].values.tolist()
    assert fig.data[0].zmid == 0
    assert len(fig.data[0].x) == 7


def test_investment_figures_sum_to_the_budget():
    from tests.test_trends import INV
    ds = series_dataset(TWO_KEC, investments=INV)
    inv = trends.period_investments(ds, "1")
    src = charts.investment_source_figure(trends.investments_by_year_source(inv), "id")
    assert sum(sum(tr.y) for tr in src.data) == pytest.approx(inv["budget_idr"].sum() / 1e6)
    impl = charts.implementer_figure(trends.investments_by_implementer(inv), "id")
    assert sum(sum(tr.x) for tr in impl.data) == pytest.approx(inv["budget_idr"].sum() / 1e6)
    cost = charts.cost_per_ha_figure(trends.cost_per_ha(ds, "1"), "id")
    assert list(cost.data[0].y) == [pytest.approx(3.5e9 / 4.0 / 1e6)]


def test_locator_map_highlights_the_kelurahan_without_tiles():
    ds = tiny_dataset()
    fig = charts.locator_map_figure(ds, "35.75.01.1002", "id", "TK")
    sel = [tr for tr in fig.data if (tr.meta or {}).get("kind") == "selected"]
    assert len(sel) == 1 and sel[0].fillcolor == CLASS_COLORS["TK"]
    assert all(tr.type == "scatter" for tr in fig.data)  # plain xy: no map tiles, works offline
    outline = fig.data[0]
    assert sum(1 for v in outline.x if v is None) == len(ds.kelurahan)  # one ring per kelurahan


def test_profile_figures():
    ds = tiny_dataset()
    hist = trends.kelurahan_history(ds, "35.75.01.1001")
    fig = charts.kelurahan_score_figure(hist, "id", {"1": "SK uji"})
    worst = [tr for tr in fig.data if tr.meta["kind"] == "worst"][0]
    assert list(worst.y) == [80, 48]
    assert list(worst.marker.color) == [CLASS_COLORS["KB"], CLASS_COLORS["KS"]]
    base = trends.kelurahan_aspects(ds, "35.75.01.1001", 2020)
    latest = trends.kelurahan_aspects(ds, "35.75.01.1001", 2021)
    cmp = charts.aspect_compare_figure(base, latest, "en", 2020, 2021)
    assert [list(tr.y) for tr in cmp.data] == [[100.0] * 7, [60.0] * 7]
    only = charts.aspect_compare_figure(None, latest, "en", None, 2021)
    assert len(only.data) == 1


def test_figure_data_lists_the_traces():
    data = charts.figure_data(charts.slum_trend_figure(series_dataset(TWO_PERIODS), "id"))
    assert data[0]["y"] == (80.87, 73.62, 27.99) or list(data[0]["y"]) == [80.87, 73.62, 27.99]
    assert isinstance(pd.DataFrame(data), pd.DataFrame)


def test_trend_chart_rings_the_selected_year_so_a_presentation_play_moves_it():
    ds = series_dataset(TWO_PERIODS)
    plain = charts.slum_trend_figure(ds, "id")
    assert not [tr for tr in plain.data if (tr.meta or {}).get("kind") == "selected_year"]
    year = int(trends.city_series(ds)["year"].iloc[1])
    fig = charts.slum_trend_figure(ds, "id", highlight_year=year)
    [ring] = [tr for tr in fig.data if (tr.meta or {}).get("kind") == "selected_year"]
    expected = trends.city_series(ds).query("year == @year")["slum_ha"].tolist()
    assert list(ring.x) == [year] and list(ring.y) == expected


def test_locator_map_of_a_province_draws_the_neighbourhood_not_every_outline():
    import geopandas as gpd
    from shapely.geometry import box

    from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

    n = 30  # 900 kelurahan on a grid, above charts.LOCATOR_MAX_FEATURES
    cells = [box(112 + i * 0.01, -7 - j * 0.01, 112 + (i + 1) * 0.01, -7 - (j - 1) * 0.01)
             for i in range(n) for j in range(n)]
    kel = gpd.GeoDataFrame({"kode_kel": [f"35.01.01.{k:04d}" for k in range(n * n)],
                            "kelurahan": [f"Desa {k}" for k in range(n * n)],
                            "kode_kec": "35.01.01", "kecamatan": "Satu"}, geometry=cells, crs="EPSG:4326")
    ds = Dataset(meta=DatasetMeta(name="grid", city="Uji", city_code="35", sk_periods=[SkPeriod("1", "SK", 2020)]),
                 kelurahan=kel, kecamatan=dissolve_kecamatan(kel))
    fig = charts.locator_map_figure(ds, "35.01.01.0465", "id", "KR")
    outlines = fig.data[0]
    drawn = sum(1 for x in outlines.x if x is None) + 1  # rings are separated by None
    assert 9 <= drawn <= 60  # the surroundings only
    [selected] = [tr for tr in fig.data if (tr.meta or {}).get("kind") == "selected"]
    assert selected.meta["kode_kel"] == "35.01.01.0465"
