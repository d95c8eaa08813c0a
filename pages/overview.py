"""Ringkasan: headline numbers for the selected year and SK period."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import trends, ui
from utils.criteria import CLASS_CODES, NO_DATA_CODE
from utils.i18n import fmt_ha

ctx = ui.page_context()
L = ctx.lang
ds = ctx.dataset
if ds is None:
    st.warning(ui.T("error.no_dataset"))
    st.stop()

st.title(ui.T("overview.title", city=ds.meta.city))
ui.illustrative_note(ds)

summary = trends.year_summary(ds, ctx.year) if ctx.year is not None else None
if summary is None:
    st.warning(ui.T("overview.no_year", year=ctx.year))
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric(ui.T("overview.slum_ha", year=summary["year"]), fmt_ha(summary["slum_ha"], L))
c2.metric(ui.T("overview.baseline_ha", label=f"{summary['baseline_year']}"), fmt_ha(summary["baseline_ha"], L))
c3.metric(ui.T("overview.target", year=summary["target_year"]), fmt_ha(summary["target_ha"], L))
c4, c5, c6 = st.columns(3)
c4.metric(ui.T("overview.reduced_year", year=summary["year"]),
          fmt_ha(summary["reduced_ha"], L) if summary["reduced_ha"] is not None else "–")
c5.metric(ui.T("overview.reduced_total"), fmt_ha(summary["reduced_since_baseline_ha"], L))
c6.metric(ui.T("overview.kel_slum"), str(summary["n_kel_slum"]))

st.subheader(ui.T("overview.per_category", year=summary["year"]))
counts = trends.category_counts(ds, summary["year"])
st.dataframe(
    pd.DataFrame({
        ui.T("overview.col_category"): [ui.T(f"class.{c}") for c in [*CLASS_CODES, NO_DATA_CODE]],
        ui.T("overview.col_count"): counts.to_list(),
    }),
    hide_index=True,
)

st.subheader(ui.T("overview.series"))
series = trends.city_series(ds)
labels = {p.id: p.label for p in ds.meta.sk_periods}
st.dataframe(
    pd.DataFrame({
        ui.T("overview.col_period"): series["sk_period"].map(labels),
        ui.T("overview.col_year"): series["year"].astype(str),
        ui.T("overview.col_slum_ha"): series["slum_ha"].map(lambda v: fmt_ha(v, L)),
        ui.T("overview.col_reduced"): series["reduced_ha"].map(lambda v: fmt_ha(v, L) if pd.notna(v) else "–"),
    }),
    hide_index=True,
)
