"""Kolaborasi: capture commitments live in a workshop, see who does what where, and where it leads."""
from __future__ import annotations

import streamlit as st

from utils import ui
from utils.analysis import projection
from utils.ui import collab, collab_tables, data_common
from utils.views import collaboration as views

ctx = ui.require_dataset()
st.title(ui.T("collab.title", city=ctx.dataset.meta.city))
ui.illustrative_note(ctx.dataset)
if ui.presenting():
    collab_tables.presentation(ctx)
    work = collab.working(ctx)
    cov = projection.coverage(work.ds)
    left, right = st.columns([3, 2])
    with left:
        collab.coverage_map(work, cov, height=ui.map_height() - 160)
    with right:
        collab.gaps(work, cov)
    st.stop()

data_common.show_flash()
work = collab.working(ctx)
if projection.latest_period(work.ds) is None:
    st.info(ui.T("collab.no_assessments"))
    st.stop()
if work.ds.meta.name != ctx.dataset.meta.name:  # the read-only sample: its register lives in a copy
    st.caption(ui.T("collab.working_copy", name=work.ds.meta.name))
cov = projection.coverage(work.ds)
collab.outlook(work, cov)

left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader(ui.T("collab.map.heading"))
    st.caption(ui.T("collab.map.caption"))
    collab.coverage_map(work, cov)
with right:
    st.subheader(ui.T("collab.form.heading"))
    data_common.author_input()
    collab.capture(work, cov)

st.subheader(ui.T("collab.gaps.heading"))
st.caption(ui.T("collab.gaps.caption"))
collab.gaps(work, cov)

st.subheader(ui.T("collab.chart.heading"))
ui.chart_with_downloads(views.projection_figure(work.ds, ctx.lang),
                        projection.projection_series(work.ds), "collab_projection")

st.subheader(ui.T("collab.register.heading"))
collab_tables.register(work)

st.subheader(ui.T("collab.matrix.section"))
collab_tables.matrix_and_totals(work)

with st.expander(ui.T("collab.xlsx.heading"), icon=":material/table_view:"):
    collab_tables.xlsx(work)
with st.expander(ui.T("collab.convert.heading"), icon=":material/payments:"):
    collab_tables.convert(work)
