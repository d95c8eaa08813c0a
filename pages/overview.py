"""Ringkasan: headline numbers, the 100-0-100 progress and the one-paragraph story of the
selected year and SK period."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number, fmt_pct
from utils.core.text import escape_markdown
from utils.method.criteria import CLASS_CODES, NO_DATA_CODE
from utils.ui import kabkota as kab_ui
from utils.ui import priority as priority_ui
from utils.views import charts
from utils.views import collaboration as collab_views

ctx = ui.require_dataset()
L = ctx.lang
ds = kab_ui.filtered(ctx)  # a province: the whole region or one kab/kota


st.title(ui.T("overview.title", city=ds.meta.city))
ui.illustrative_note(ds)

summary = trends.year_summary(ds, ctx.year) if ctx.year is not None else None
if summary is None:
    st.warning(ui.T("overview.no_year", year=ctx.year) if ctx.year is not None else ui.T("trend.no_data"))
    st.stop()

year = summary["year"]
period = summary["period"]
st.markdown(escape_markdown(trends.summary_text(ds, year, L) or ""))
projected = collab_views.trend_projection(ds, period.id)  # None without commitments for this period
if projected is not None:
    st.markdown(escape_markdown(collab_views.outlook_sentence(ds, L) or ""))

c1, c2, c3 = st.columns(3)
c1.metric(ui.T("overview.slum_ha", year=year), fmt_ha(summary["slum_ha"], L))
c2.metric(ui.T("ovw.baseline_metric", year=summary["baseline_year"]), fmt_ha(summary["baseline_ha"], L),
          help=period.label)
c3.metric(ui.T("overview.target", year=summary["target_year"]), fmt_ha(summary["target_ha"], L))
c4, c5, c6 = st.columns(3)
c4.metric(ui.T("overview.reduced_year", year=year),
          fmt_ha(summary["reduced_ha"], L) if summary["reduced_ha"] is not None else "–")
share = (100.0 * summary["reduced_since_baseline_ha"] / summary["baseline_ha"]) if summary["baseline_ha"] > 0 else 0.0
c5.metric(ui.T("overview.reduced_total"), fmt_ha(summary["reduced_since_baseline_ha"], L),
          delta=ui.T("ovw.reduced_delta", pct=fmt_pct(share, L, 0)) if year != summary["baseline_year"] else None,
          delta_color="normal" if share >= 0 else "inverse")
c6.metric(ui.T("overview.kel_slum"), str(summary["n_kel_slum"]))
if summary["slum_ha"] <= summary["target_ha"]:
    st.success(ui.T("ovw.at_zero"), icon=":material/check_circle:")

# ---- 100-0-100
st.subheader(ui.T("ovw.progress_heading"))
p1, p2, p3 = st.columns(3)
water, sanit = summary["water_access_pct"], summary["sanitation_access_pct"]
p1.metric(ui.T("ovw.water"), fmt_pct(water, L))
p1.progress(min(max(water / 100.0, 0.0), 1.0), text=ui.T("ovw.progress_water", value=fmt_pct(water, L)))
p2.metric(ui.T("ovw.slum"), fmt_ha(summary["slum_ha"], L))
handled = min(max(share / 100.0, 0.0), 1.0)
p2.progress(handled, text=ui.T("ovw.progress_slum", pct=fmt_pct(share, L, 0),
                               baseline=fmt_ha(summary["baseline_ha"], L)))
p3.metric(ui.T("ovw.sanitation"), fmt_pct(sanit, L))
p3.progress(min(max(sanit / 100.0, 0.0), 1.0), text=ui.T("ovw.progress_water", value=fmt_pct(sanit, L)))
st.caption(ui.T("ovw.progress_note"))

# ---- the trend of this period toward the target
st.subheader(ui.T("ovw.chart_heading"))
path = trends.target_path(ds, period.id)
series = trends.period_series(ds, period.id)
trend_data = series[["sk_period", "year", "slum_ha", "reduced_ha", "reduced_since_baseline_ha"]].merge(
    path, on=["sk_period", "year"], how="outer")
ui.chart_with_downloads(charts.slum_trend_figure(ds, L, period.id, highlight_year=year, projection=projected),
                        trend_data, "slum_trend")
if len(series) < 2:
    st.info(ui.T("trend.one_year", year=int(series["year"].iloc[0])))

# ---- kelurahan per category
st.subheader(ui.T("ovw.categories_heading"))
counts = trends.category_counts(ds, year)
cat_data = pd.DataFrame({"category": [*CLASS_CODES, NO_DATA_CODE], "n_kelurahan": counts.to_list()})
# Kelurahan outside this SK period's locations are not "no data" on a bar: they are a caption.
ui.chart_with_downloads(charts.category_bar_figure(counts.reindex(list(CLASS_CODES)), L, year), cat_data, "categories")
if int(counts[NO_DATA_CODE]) > 0:
    st.caption(ui.T("ovw.nd_note", n=int(counts[NO_DATA_CODE]), year=year))

# ---- slum ha by type of handling (official priority; a caption when not assessed)
priority_ui.handling_block(ds, year)
if kab_ui.chosen() is None:
    kab_ui.by_kab_block(ds, year, L)  # a province: slum ha per kab/kota, stacked

with st.expander(ui.T("overview.series")):
    all_series = trends.city_series(ds)
    labels = {p.id: p.label for p in ds.meta.sk_periods}
    st.dataframe(
        pd.DataFrame({
            ui.T("overview.col_period"): all_series["sk_period"].map(labels),
            ui.T("overview.col_year"): all_series["year"].astype(str),
            ui.T("overview.col_slum_ha"): all_series["slum_ha"].map(lambda v: fmt_ha(v, L)),
            ui.T("overview.col_reduced"): all_series["reduced_ha"].map(lambda v: fmt_ha(v, L) if pd.notna(v) else "–"),
            ui.T("ovw.water"): all_series["water_access_pct"].map(lambda v: fmt_number(v, L, 1)),
            ui.T("ovw.sanitation"): all_series["sanitation_access_pct"].map(lambda v: fmt_number(v, L, 1)),
        }),
        hide_index=True,
    )
