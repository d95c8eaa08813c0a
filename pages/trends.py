"""Tren: the yearly reduction story: slum ha toward the target per SK period, pace, kecamatan,
categories, the 7 aspects, kelurahan rankings, investments and cost per ha."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.analysis import trends
from utils.core.i18n import fmt_number
from utils.ui import kabkota as kab_ui
from utils.views import charts
from utils.views.collaboration import trend_projection as projected

ctx = ui.require_dataset()
L = ctx.lang
ds = kab_ui.filtered(ctx)  # a province: the whole region or one kab/kota
ALL = "__all__"


@st.cache_resource(max_entries=96, show_spinner=False)
def cached_figure(dataset_key: tuple, chart: str, params: tuple, lang: str, _build):
    """Figures by (dataset version, chart, filters, language): plotly builds cost ~80 ms each, and
    most reruns (a radio, the language toggled back) leave most charts unchanged."""
    return _build()


def fig_of(chart: str, params: tuple, build):
    return cached_figure((ctx.dataset_name, ctx.version, id(ds)), chart, params, L, build)


def ha_year(v: float | None) -> str:
    """A rate for a metric: the number only, its unit is in the label (a long value is cut off)."""
    return fmt_number(v, L, 2) if v is not None else "–"


st.title(ui.T("trend.title", city=ds.meta.city))
ui.illustrative_note(ds)
periods = trends.periods(ds)
if not periods:
    st.warning(ui.T("trend.no_data"))
    st.stop()
labels = {p.id: p.label for p in periods}

# ---- filters
with st.container(border=True):
    f1, f2, f3 = st.columns([1, 1.4, 1.4])
    options = [ALL, *labels]
    period_choice = f1.selectbox(ui.T("trend.filter_period"), options, key="trend_period",
                                 format_func=lambda o: ui.T("trend.all_periods") if o == ALL else labels[o])
    kec_table = pd.DataFrame(ds.kecamatan[["kode_kec", "kecamatan"]]).sort_values("kecamatan")
    kec_names = dict(zip(kec_table["kode_kec"].astype(str), kec_table["kecamatan"].astype(str)))
    kec_choice = f2.multiselect(ui.T("trend.filter_kecamatan"), list(kec_names), key="trend_kec",
                                format_func=kec_names.get, help=ui.T("trend.filter_kecamatan_help"),
                                placeholder=ui.T("trend.all_kecamatan"))
    sub = trends.subset(ds, kec_choice)
    series_all = trends.city_series(sub)
    if period_choice != ALL:
        series_all = series_all[series_all["sk_period"] == period_choice]
    years_avail = sorted(series_all["year"].astype(int).unique().tolist())
    if len(years_avail) > 1:
        yr = f3.select_slider(ui.T("trend.filter_years"), options=years_avail,
                              value=(years_avail[0], years_avail[-1]), key=f"trend_years_{period_choice}")
    else:
        yr = (years_avail[0], years_avail[0]) if years_avail else None
st.caption(ui.T("trend.period_caption"))

kec_text = ", ".join(kec_names[k] for k in kec_choice) if kec_choice else ui.T("trend.all_kecamatan")
if yr is None or series_all.empty:
    st.warning(ui.T("trend.no_rows_filter",
                    period=ui.T("trend.all_periods") if period_choice == ALL else labels[period_choice],
                    kecamatan=kec_text))
    st.stop()
series = series_all[(series_all["year"] >= yr[0]) & (series_all["year"] <= yr[1])]

# The period the per-period sections speak about: the chosen one, else the sidebar year's, else the latest.
shown_pids = list(dict.fromkeys(series["sk_period"]))
if period_choice != ALL:
    focus = period_choice
elif ctx.period is not None and ctx.period.id in shown_pids:
    focus = ctx.period.id
else:
    focus = shown_pids[-1]
fseries = series[series["sk_period"] == focus]
focus_year = (int(ctx.year) if ctx.year is not None and ctx.year in set(fseries["year"])
              else int(fseries["year"].iloc[-1]))

# ---- 1. slum ha toward the target
st.header(ui.T("trend.section_path"))
filters = (period_choice, tuple(kec_choice), yr)
fig = fig_of("slum_trend", (*filters, ctx.year),
             lambda: charts.slum_trend_figure(sub, L, None if period_choice == ALL else period_choice, years=yr,
                                              highlight_year=ctx.year, projection=projected(sub, shown_pids[-1])))
path_frames = [trends.target_path(sub, pid) for pid in shown_pids]
trend_data = series[["sk_period", "year", "slum_ha", "reduced_ha", "reduced_since_baseline_ha"]].merge(
    pd.concat(path_frames, ignore_index=True), on=["sk_period", "year"], how="outer")
ui.chart_with_downloads(fig, trend_data, "slum_trend")

pace = trends.pace(sub, focus, as_of=int(fseries["year"].iloc[-1]))
st.subheader(ui.T("trend.pace_heading", label=labels[focus]))
m1, m2, m3, m4 = st.columns(4)
m1.metric(ui.T("trend.metric_needed"), ha_year(pace.needed_ha_per_year))
m2.metric(ui.T("trend.metric_achieved"), ha_year(pace.achieved_ha_per_year))
if pace.status == trends.PACE_REACHED:
    projected = ui.T("trend.reached_in", year=pace.reached_year)
elif pace.projected_year is not None:
    projected = str(pace.projected_year)
elif pace.status == trends.PACE_SINGLE_YEAR:
    projected = "–"
else:
    projected = ui.T("trend.not_at_pace")
m3.metric(ui.T("trend.metric_projected"), projected, help=ui.T("trend.projected_help"))
m4.metric(ui.T("trend.metric_planned"), ha_year(pace.planned_ha_per_year))
st.caption(ui.T("trend.pace_as_of", base=pace.baseline_year, year=pace.as_of_year)
           + " " + trends.pace_sentence(pace, L))
if pace.status == trends.PACE_REACHED:
    st.success(ui.T("trend.at_zero", year=pace.reached_year), icon=":material/check_circle:")

one_year = series["year"].nunique() < 2
if one_year:
    st.info(ui.T("trend.one_year", year=int(series["year"].iloc[0])), icon=":material/info:")
else:
    # ---- 2. reduced per year
    st.header(ui.T("trend.section_reduced"))
    reduced = series.dropna(subset=["reduced_ha"])
    if reduced.empty:
        st.info(ui.T("trend.no_reduction_years"))
    else:
        ui.chart_with_downloads(fig_of("reduced", filters, lambda: charts.reduced_per_year_figure(series, L, labels)),
                    reduced[["sk_period", "year", "reduced_ha"]], "reduced_per_year")
    # ---- 3. by kecamatan
    heading, kec, by_kab = kab_ui.stack_series(sub, None if period_choice == ALL else period_choice, kec_choice)
    st.header(heading)
    kec = kec[(kec["year"] >= yr[0]) & (kec["year"] <= yr[1])]
    ui.chart_with_downloads(fig_of("kecamatan", (*filters, by_kab), lambda: kab_ui.titled(
        charts.kecamatan_stack_figure(kec, L), heading) if by_kab else charts.kecamatan_stack_figure(kec, L)),
                            kec, "kab_kota" if by_kab else "kecamatan")
    # ---- 4. category mix
    st.header(ui.T("trend.section_mix"))
    mix = trends.category_mix(sub, None if period_choice == ALL else period_choice)
    mix = mix[(mix["year"] >= yr[0]) & (mix["year"] <= yr[1])]
    ui.chart_with_downloads(fig_of("mix", filters, lambda: charts.category_mix_figure(mix, L)), mix, "category_mix")

# ---- 5. the 7 aspects per kelurahan
st.header(ui.T("trend.section_aspects"))
heat_mode = st.radio(ui.T("trend.heat_mode"), ["latest", "change"], horizontal=True, key="trend_heat_mode",
                     format_func=lambda m: ui.T("trend.heat_latest", year=focus_year) if m == "latest"
                     else ui.T("trend.heat_change"))
if heat_mode == "change" and focus_year == pace.baseline_year:
    st.info(ui.T("trend.heat_no_change", year=focus_year))
else:
    matrix = trends.aspect_matrix(sub, focus, focus_year, heat_mode)
    if matrix.empty:
        st.info(ui.T("trend.no_kelurahan_year", year=focus_year))
    else:
        ui.chart_with_downloads(fig_of("heat", (*filters, focus, focus_year, heat_mode),
                           lambda: charts.aspect_heatmap_figure(matrix, L, heat_mode)), matrix, f"aspects_{heat_mode}")

# ---- 6. kelurahan ranking
st.header(ui.T("trend.section_ranking"))
rank_by = st.radio(ui.T("trend.rank_by"), ["slum_ha", "reduced"], horizontal=True, key="trend_rank_by",
                   format_func=lambda m: ui.T("trend.rank_slum", year=focus_year) if m == "slum_ha"
                   else ui.T("trend.rank_reduced"))
rank = trends.kelurahan_ranking(sub, focus, focus_year)
if rank.empty:
    st.info(ui.T("trend.no_kelurahan_year", year=focus_year))
elif rank_by == "reduced" and focus_year == pace.baseline_year:
    st.info(ui.T("trend.heat_no_change", year=focus_year))
else:
    ui.chart_with_downloads(fig_of("rank", (*filters, focus, focus_year, rank_by),
                                   lambda: charts.ranking_figure(rank, L, rank_by)),
                rank, f"ranking_{rank_by}")

# ---- 7. investments
st.header(ui.T("trend.section_invest"))
inv = trends.period_investments(sub, None if period_choice == ALL else period_choice, yr)
if inv.empty:
    st.info(ui.T("trend.no_investments"), icon=":material/info:")
else:
    total = float(inv["budget_idr"].sum())
    st.caption(ui.T("trend.inv_total", years=f"{int(inv['year'].min())}–{int(inv['year'].max())}",
                    value=fmt_number(total / 1e6, L, 0)))
    by_source = trends.investments_by_year_source(inv)
    ui.chart_with_downloads(fig_of("inv_source", filters, lambda: charts.investment_source_figure(by_source, L)),
                            by_source,
                "investment_source")
    by_impl = trends.investments_by_implementer(inv)
    ui.chart_with_downloads(fig_of("inv_impl", filters, lambda: charts.implementer_figure(by_impl, L)), by_impl,
                "investment_implementer")
    cost = trends.cost_per_ha(sub, focus, yr)
    if cost.empty or cost["cost_per_ha_idr"].notna().sum() == 0:
        st.info(ui.T("trend.no_cost"))
    else:
        st.subheader(ui.T("trend.cost_heading", label=labels[focus]))
        tot = cost[cost["year"].isna()]["cost_per_ha_idr"].iloc[0]
        st.metric(ui.T("trend.cost_total_label"), ui.T("trend.cost_value", value=fmt_number(tot / 1e6, L, 0))
                  if pd.notna(tot) else "–")
        ui.chart_with_downloads(fig_of("cost", (*filters, focus), lambda: charts.cost_per_ha_figure(cost, L)),
                                cost, "cost_per_ha")
