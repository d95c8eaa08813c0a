"""Streamlit pieces of the priority method: the ranked table page, the method tables for the
Methodology page (with a city's overrides), and the slum-ha-by-handling block of the overview."""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from utils import store
from utils.core.i18n import fmt_ha
from utils.core.text import escape_markdown
from utils.method.priority_table import (
    ACCEPTED,
    CLASS_LETTER,
    HANDLING_TYPES,
    NOT_ASSESSED,
    PL_LEVELS,
    PRIORITY_CLASSES,
    SOURCES,
    TYPOLOGIES,
    MethodOverrideError,
    PriorityMethod,
    method_from_overrides,
    overrides_of,
)
from utils.store.dataset import Dataset
from utils.ui import T, page_context, priority_edit
from utils.views import priority as views

FILTER_HANDLING_KEY = "priority_filter_handling"
FILTER_TYPOLOGY_KEY = "priority_filter_typology"
_NO_TYPOLOGY = ""


def dataset_method(ds: Dataset | None) -> PriorityMethod:
    try:
        return method_from_overrides(ds.meta.priority_method if ds is not None else None)
    except MethodOverrideError:
        return method_from_overrides(None)


# ---- the priority page --------------------------------------------------------------------

def priority_page() -> None:
    ctx = page_context()
    ds, year, L = ctx.dataset, ctx.year, ctx.lang
    st.title(T("priority.title"))
    if year is None:
        st.info(T("trend.no_data"))
        return
    table = views.priority_table(ds, year)
    if not views.has_priority(ds, year):
        st.info(T("priority.no_inputs", year=year), icon=":material/info:")
    handling_block(ds, year)
    if table.empty:
        st.info(T("priority.no_slum", year=year))
        return
    c1, c2 = st.columns(2)
    h_options = [*HANDLING_TYPES, NOT_ASSESSED]
    chosen_h = c1.multiselect(T("priority.filter_handling"), h_options, key=FILTER_HANDLING_KEY,
                              format_func=lambda v, L=L: views.label_handling(v, L),
                              placeholder=T("priority.filter_all"))
    t_options = [*views.typologies_present(table), _NO_TYPOLOGY]
    chosen_t = c2.multiselect(T("priority.filter_typology"), t_options, key=FILTER_TYPOLOGY_KEY,
                              format_func=lambda v, L=L: _typology_label(v, L),
                              placeholder=T("priority.filter_all"))
    shown = views.filter_table(table, chosen_h, chosen_t)
    st.caption(T("priority.rank_rule", n=len(shown), total=len(table)))
    st.dataframe(views.display_table(shown, L), hide_index=True, width="stretch",
                 height=min(35 * (len(shown) + 1) + 3, 560))
    st.download_button(T("priority.download"), data=views.xlsx_bytes(shown, L, year),
                       file_name=f"{ctx.dataset_name}_{T('priority.file_stem')}_{year}_{L}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="priority_download", icon=":material/download:")
    if (shown["handling"].astype("string") == "pemukiman_kembali").any():
        st.warning(T("priority.legalise_note"), icon=":material/gavel:")
    st.caption(T("priority.method_link"))
    priority_edit.section(ctx)


def _typology_label(value: str, lang: str) -> str:
    from utils.core.i18n import t

    return t(f"priority.typology.{value}" if value else "priority.typology.none", lang)


def handling_block(ds: Dataset, year: int) -> None:
    """Slum ha by handling type (overview, priority page); a caption only when nothing is assessed."""
    L = page_context().lang
    ha = views.handling_ha(ds, year)
    st.subheader(T("priority.handling_heading", year=year))
    if not views.has_priority(ds, year):
        st.caption(T("priority.handling_none", ha=fmt_ha(float(ha.sum()), L)))
        return
    cols = st.columns(len(HANDLING_TYPES))
    for col, key in zip(cols, HANDLING_TYPES):
        col.metric(views.label_handling(key, L), fmt_ha(float(ha[key]), L))
    if ha[NOT_ASSESSED] > 0:
        st.caption(T("priority.handling_missing", ha=fmt_ha(float(ha[NOT_ASSESSED]), L)))


# ---- the Methodology page -----------------------------------------------------------------

def _label(m: PriorityMethod, key: str) -> str:
    return T("priority.m.default") if m.is_default(key) else T("priority.m.city", source=m.source or "–")


def method_tables(ds: Dataset | None) -> None:
    """The method table: what each value is, its source, and whether it is the default or the city's."""
    m = dataset_method(ds)
    st.header(T("priority.m.title"))
    st.markdown(T("priority.m.intro"))
    lo, hi = m.density_cuts
    s1, s2, s3 = m.density_scores
    st.subheader(T("priority.m.pl_title"))
    st.dataframe(pd.DataFrame([
        {T("priority.m.col.id"): "8a", T("priority.m.col.item"): T("priority.m.8a"),
         T("priority.m.col.values"): T("priority.m.yes_no", yes=m.yes_score, no=m.no_score),
         T("priority.m.col.status"): _label(m, "yes_score" if m.is_default("no_score") else "no_score"),
         T("priority.m.col.source"): SOURCES["pl_scores"]},
        {T("priority.m.col.id"): "8b", T("priority.m.col.item"): T("priority.m.8b"),
         T("priority.m.col.values"): T("priority.m.density", lo=_n(lo), hi=_n(hi), s1=s1, s2=s2, s3=s3),
         T("priority.m.col.status"): _label(m, "density_cuts" if m.is_default("density_scores") else "density_scores"),
         T("priority.m.col.source"): SOURCES["density_cuts"]},
        {T("priority.m.col.id"): "8c", T("priority.m.col.item"): T("priority.m.8c"),
         T("priority.m.col.values"): T("priority.m.yes_no", yes=m.yes_score, no=m.no_score),
         T("priority.m.col.status"): _label(m, "yes_score" if m.is_default("no_score") else "no_score"),
         T("priority.m.col.source"): SOURCES["pl_scores"]},
    ]), hide_index=True, width="stretch")
    bands = dict(m.pl_bands)
    pl_lo, pl_hi = m.pl_range()
    st.caption(T("priority.m.bands", rl=pl_lo, rh=bands["sedang"] - 1, sl=bands["sedang"], sh=bands["tinggi"] - 1,
                 tl=bands["tinggi"], th=pl_hi, status=_label(m, "pl_bands"), source=SOURCES["pl_bands"]))
    left, right = st.columns(2)
    with left:
        st.subheader(T("priority.m.legal_title"))
        st.dataframe(pd.DataFrame([
            {T("priority.m.col.id"): "9a", T("priority.m.col.item"): T("priority.m.9a")},
            {T("priority.m.col.id"): "9b", T("priority.m.col.item"): T("priority.m.9b")},
        ]), hide_index=True, width="stretch")
        st.caption(T("priority.m.legal_rule", accepted=ACCEPTED["legal"], source=SOURCES["legality"]))
    with right:
        st.subheader(T("priority.m.matrix_title"))
        st.dataframe(matrix_frame(m), hide_index=True, width="stretch")
        st.caption(T("priority.m.matrix_note", source=SOURCES["matrix"]))
    st.subheader(T("priority.m.handling_title"))
    st.dataframe(handling_frame(m), hide_index=True, width="stretch")
    st.caption(T("priority.m.handling_note", status=_label(m, "handling_legal"), source=SOURCES["handling"]))
    st.markdown(T("priority.legalise_note"))
    st.caption(T("priority.m.typology", values=", ".join(T(f"priority.typology.{ty}") for ty in TYPOLOGIES),
                 source=SOURCES["typology"]))
    method_editor(ds, m)


def _n(v: float) -> str:
    return f"{v:g}"


def matrix_frame(m: PriorityMethod) -> pd.DataFrame:
    """Rows PL level, columns physical class, cells 'priority (class legal / not legal)'."""
    rows = []
    for level in PL_LEVELS:
        row = {T("priority.m.col.pl_level"): T(f"priority.level.{level}")}
        legal_no, illegal_no = m.class_numbers[level]
        for cls in PRIORITY_CLASSES:
            letter = CLASS_LETTER[cls]
            row[T(f"class.{cls}")] = f"{m.matrix[(cls, level)]} ({letter}{legal_no} / {letter}{illegal_no})"
        rows.append(row)
    return pd.DataFrame(rows)


def handling_frame(m: PriorityMethod) -> pd.DataFrame:
    return pd.DataFrame([
        {T("priority.m.col.class"): T(f"class.{cls}"),
         T("priority.legal.true"): views.label_handling(m.handling_legal[cls], page_context().lang),
         T("priority.legal.false"): views.label_handling(m.handling_not_legal, page_context().lang)}
        for cls in PRIORITY_CLASSES
    ])


def method_editor(ds: Dataset | None, m: PriorityMethod) -> None:
    """A city's overrides, saved as a new version of its dataset (the built-in sample is read-only)."""
    ctx = page_context()
    with st.expander(T("priority.m.edit_title"), icon=":material/tune:"):
        st.markdown(T("priority.m.edit_body"))
        if ds is None or ctx.dataset_name == store.SAMPLE_NAME:
            st.info(T("priority.m.edit_sample"))
            return
        with st.form("priority_method_form"):
            c1, c2 = st.columns(2)
            lo = c1.number_input(T("priority.m.f.density_lo"), min_value=1.0, value=float(m.density_cuts[0]), step=10.0)
            hi = c2.number_input(T("priority.m.f.density_hi"), min_value=1.0, value=float(m.density_cuts[1]), step=10.0)
            bands = dict(m.pl_bands)
            c3, c4 = st.columns(2)
            sedang = c3.number_input(T("priority.m.f.sedang"), min_value=1, max_value=30, value=int(bands["sedang"]))
            tinggi = c4.number_input(T("priority.m.f.tinggi"), min_value=1, max_value=30, value=int(bands["tinggi"]))
            handling = {}
            for col, cls in zip(st.columns(len(PRIORITY_CLASSES)), PRIORITY_CLASSES):
                handling[cls] = col.selectbox(T("priority.m.f.handling", cls=T(f"class.{cls}")), HANDLING_TYPES,
                                              index=HANDLING_TYPES.index(m.handling_legal[cls]),
                                              format_func=lambda v, L=ctx.lang: views.label_handling(v, L))
            source = st.text_input(T("priority.m.f.source"), value=m.source)
            author = st.text_input(T("priority.m.f.author"))
            submitted = st.form_submit_button(T("priority.m.f.save"))
        if submitted:
            overrides = {"density_cuts": [lo, hi], "handling_legal": handling, "source": source.strip(),
                         "pl_bands": {"tinggi": int(tinggi), "sedang": int(sedang), "rendah": bands["rendah"]}}
            try:
                new = overrides_of(method_from_overrides(overrides))
            except MethodOverrideError as exc:
                st.error(T("priority.m.f.invalid", reason=escape_markdown(str(exc))))
                return
            updated = dataclasses.replace(ds, meta=dataclasses.replace(ds.meta, priority_method=new or None))
            updated.__dict__.pop("scored", None)
            try:
                info = store.save(updated, ctx.dataset_name, author=author.strip(), note=T("priority.m.f.note"),
                                  base_version=ctx.version)
            except (store.ConflictError, store.StoreError) as exc:
                st.error(T("priority.m.f.not_saved", reason=escape_markdown(str(exc))))
                return
            st.success(T("priority.m.f.saved", version=info.version))
