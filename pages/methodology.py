"""Metodologi: how a location is scored, what 100-0-100 means, where the data came from."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.core.i18n import fmt_ha
from utils.method.criteria import (
    ASPECT_BY_ID,
    CLASSES,
    CRITERIA,
    DENOMINATORS,
    MAX_SCORE,
    SANITATION_ACCESS_CRITERION,
    SCORE_BANDS,
    WATER_ACCESS_CRITERION,
)
from utils.ui import priority as priority_ui

ctx = ui.page_context()
L = ctx.lang
ds = ctx.dataset
en = L == "en"

st.title(ui.T("method.title"))
st.markdown(ui.T("method.intro", n=len(CRITERIA), max=MAX_SCORE))

# ---- 16 criteria ----------------------------------------------------------------------------
st.header(ui.T("method.criteria_title", n=len(CRITERIA)))
st.dataframe(
    pd.DataFrame({
        ui.T("method.col.id"): [c.id for c in CRITERIA],
        ui.T("method.col.aspect"): [
            f"{c.aspect}. {ASPECT_BY_ID[c.aspect].name_en if en else ASPECT_BY_ID[c.aspect].name_id}"
            for c in CRITERIA],
        ui.T("method.col.criterion"): [c.name_en if en else c.name_id for c in CRITERIA],
        ui.T("method.col.volume"): [c.volume_unit for c in CRITERIA],
        ui.T("method.col.denominator"): [
            f"{DENOMINATORS[c.denominator][2 if en else 1]} ({DENOMINATORS[c.denominator][0]})" for c in CRITERIA],
    }),
    hide_index=True, width="stretch", height=(len(CRITERIA) + 1) * 35 + 3,
)
st.caption(ui.T("method.criteria_note"))

# ---- bands and classes --------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(ui.T("method.bands_title"))
    band_rows = []
    upper = 100
    for lower, score in SCORE_BANDS:
        rng = (ui.T("method.band_range", lo=int(lower), hi=int(upper)) if lower > 0
               else ui.T("method.band_under", hi=int(SCORE_BANDS[-2][0])))
        band_rows.append({ui.T("method.col.share"): rng, ui.T("method.col.score"): score})
        upper = int(lower) - 1
    st.dataframe(pd.DataFrame(band_rows), hide_index=True, width="stretch")
    st.caption(ui.T("method.bands_note"))
with right:
    st.subheader(ui.T("method.classes_title", max=MAX_SCORE))
    class_rows = []
    upper = MAX_SCORE
    for c in CLASSES:
        rng = (ui.T("method.total_range", lo=c.min_total, hi=upper) if c.min_total > 0
               else ui.T("method.total_under", hi=CLASSES[-2].min_total))
        class_rows.append({ui.T("method.col.total"): rng, ui.T("method.col.class"): ui.T(f"class.{c.code}"),
                           ui.T("method.col.code"): c.code, ui.T("method.col.colour"): c.color})
        upper = c.min_total - 1
    classes = pd.DataFrame(class_rows)
    colour_col = ui.T("method.col.colour")
    st.dataframe(
        classes.style.map(lambda v: f"background-color: {v}; color: {v}", subset=[colour_col]),
        hide_index=True, width="stretch",
    )
    st.caption(ui.T("method.classes_note"))

st.markdown(ui.T("method.kelurahan_rule"))

# ---- legality, other considerations, priority and handling (a city can override the defaults) ----
priority_ui.method_tables(ds)

# ---- 100-0-100 ----------------------------------------------------------------------------
st.header(ui.T("method.target_title"))
st.markdown(ui.T("method.target_body", water=WATER_ACCESS_CRITERION, sanitation=SANITATION_ACCESS_CRITERION))
if ds is not None:
    st.markdown(ui.T("method.target_city", city=ds.meta.city, year=ds.meta.target_year,
                     ha=fmt_ha(ds.meta.target_ha, L)))

# ---- data source ---------------------------------------------------------------------------
st.header(ui.T("method.data_title"))
if ds is None:
    st.info(ui.T("error.no_dataset"))
else:
    meta = ds.meta
    st.markdown(ui.T("method.data_body", city=meta.city, source=meta.source or ui.T("brief.source_unknown"),
                     date=meta.source_date or "–"))
    st.dataframe(
        pd.DataFrame({
            ui.T("method.col.period"): [p.label for p in meta.sk_periods],
            ui.T("method.col.baseline"): [str(p.baseline_year) for p in meta.sk_periods],
        }),
        hide_index=True,
    )
    st.caption(ui.T("method.year_convention"))
    if meta.illustrative:
        st.warning(ui.T("sample.illustrative" if meta.name == "kota_pasuruan_sample" else "method.illustrative"),
                   icon=":material/info:")
    elif meta.status == "official":  # the status set in the Data page's settings, not a guess
        st.success(ui.T("data.method.official", version=ctx.version or "–"), icon=":material/verified:")
    else:
        st.info(ui.T("data.method.draft"), icon=":material/edit_note:")
st.caption(ui.T("method.sources"))
st.caption(ui.T("sample.credit"))  # the MIT licence of the sample's boundaries asks for this notice
