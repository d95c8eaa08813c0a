"""Bahan Paparan: the Sekda briefing as a PDF (two pages) and one offline HTML file."""
from __future__ import annotations

import logging

import streamlit as st

from utils import ui
from utils.ui import kabkota as kab_ui
from utils.views import report

log = logging.getLogger("kotaku")

ctx = ui.require_dataset()
L = ctx.lang
ds = kab_ui.filtered(ctx)  # a province: the briefing of the whole region or one kab/kota

st.title(ui.T("brief.page_title"))
ui.illustrative_note(ds)
if ctx.year is None:
    st.warning(ui.T("brief.no_year", year="–"))
    st.stop()

try:
    b = report.build_briefing(ds, ctx.year, L)
except ValueError:
    st.warning(ui.T("brief.no_year", year=ctx.year))
    st.stop()

st.markdown(ui.T("brief.page_intro", year=ctx.year, period=report.period_text(b.period_label, L),
                 language=ui.LANG_LABELS.get(L, L)))

items = report.headline_metrics(b)
for start in range(0, len(items), 4):
    for col, (label, value) in zip(st.columns(4), items[start:start + 4]):
        col.metric(label, value)
st.caption(f"{ui.T('brief.h.categories', year=b.year)}: {report.category_line(b)}")
st.markdown(report.pace_sentence(b))

stem = report.file_stem(ds, ctx.year, L)
year, name = ctx.year, ctx.dataset_name


def _pdf() -> bytes:
    # Runs on click, in a worker thread: no Streamlit calls here.
    return report.briefing_pdf(ds, year, L)


def _html() -> str:
    return report.briefing_html(ds, year, L)


left, right = st.columns(2)
with left:
    st.subheader(ui.T("brief.pdf_title"))
    st.caption(ui.T("brief.pdf_help"))
    st.download_button(ui.T("brief.pdf_button"), data=_pdf, file_name=f"{stem}.pdf", mime="application/pdf",
                       icon=":material/picture_as_pdf:", type="primary", key="brief_pdf", on_click="ignore")
with right:
    st.subheader(ui.T("brief.html_title"))
    st.caption(ui.T("brief.html_help"))
    st.download_button(ui.T("brief.html_button"), data=_html, file_name=f"{stem}.html", mime="text/html",
                       icon=":material/language:", key="brief_html", on_click="ignore")

st.subheader(ui.T("brief.priority_title", year=b.year))
if b.priorities.empty:
    st.info(ui.T("brief.priority_none"))
else:
    st.dataframe(report.priority_table(b), hide_index=True)  # numbers written in the language
    st.caption(report.priority_rule(b))  # the official priority, or today's ranking and that it is not
if b.handling_line:
    st.markdown(b.handling_line)
