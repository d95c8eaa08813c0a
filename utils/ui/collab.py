"""The Kolaborasi page's live parts: which register is open, the coverage map, quick capture, the gaps.

Saving happens in button callbacks (before the next run draws), through `collab_store`, so the
sidebar can switch to the dataset the register was saved in (the sample's own copy) and the page
redraws from the new version.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from utils import store, ui
from utils.analysis import projection
from utils.core.i18n import fmt_ha, fmt_number
from utils.core.text import escape_markdown
from utils.io import commitments as reg
from utils.store.dataset import Dataset
from utils.ui import collab_store, data_common
from utils.views import collaboration as views
from utils.views import offline_assets

KEL_KEY = "collab_kel"  # the kelurahan the form captures for (picked on the map or by name)
CRIT_KEY = "collab_crit"  # + "_<kode_kel>": one widget per kelurahan, so its labels never change under it
MAP_KEY = "collab_map"
LAST_CLICK_KEY = "_collab_last_click"
FORM_KEYS = ("collab_who", "collab_type", "collab_activity", "collab_volume", "collab_unit", "collab_year",
             "collab_budget", "collab_status", "collab_kawasan", "collab_note")
CLEARED_AFTER_ADD = ("collab_activity", "collab_volume", "collab_budget", "collab_note", "collab_kawasan")


@dataclass
class Work:
    """The register being worked on: the dataset and version it lives in (the sample's copy once saved)."""

    ds: Dataset
    name: str  # the dataset chosen in the sidebar
    version: int | None  # version of `ds` that edits are based on (None: the read-only sample, no copy yet)
    lang: str

    @property
    def commitments(self) -> pd.DataFrame:
        return reg.stored(self.ds.commitments)


@st.cache_resource(show_spinner=False)
def _static_ready() -> bool:
    offline_assets.ensure_static()
    return True


def working(ctx: ui.PageContext) -> Work:
    """The latest version of the sidebar's dataset (or, for the read-only sample, of its working copy
    once one was saved): another facilitator's rows show up at the next run."""
    name = ctx.dataset_name
    target = collab_store.target_name(name)
    info = next((i for i in store.list_datasets() if i.name == target), None)
    if info is None:
        return Work(ctx.dataset, name, None if target != name else ctx.version, ctx.lang)
    return Work(ui.load_info(info), name, None if info.builtin else info.version,
                ctx.lang)


def outlook(work: Work, cov: pd.DataFrame) -> None:
    sentence = views.outlook_sentence(work.ds, work.lang)
    if sentence:
        st.markdown(f"**{escape_markdown(sentence)}**")
    c = work.commitments
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(ui.T("collab.metric.n"), str(len(c)), help=ui.T("collab.metric.n_help"))
    m2.metric(ui.T("collab.metric.kel_open"), str(int((cov["status"] == projection.COVER_NONE).sum())),
              help=ui.T("collab.metric.kel_open_help"))
    m3.metric(ui.T("collab.metric.gaps"), str(projection.n_gaps(cov)), help=ui.T("collab.metric.gaps_help"))
    m4.metric(ui.T("collab.metric.budget"), f"Rp {fmt_number(c['budget_idr'].fillna(0).sum() / 1e9, work.lang, 1)} M",
              help=ui.T("collab.metric.budget_help"))


# ---- map ------------------------------------------------------------------------------------------

def _map_clicked() -> None:
    """A click picks the kelurahan. The component re-sends its last click when it is drawn again (the
    colours change after every save), so only a click on another polygon than the last one counts:
    otherwise a re-sent old click would undo a pick made by name."""
    value = st.session_state.get(MAP_KEY) or {}
    kode = ((value.get("last_active_drawing") or {}).get("properties") or {}).get("kode_kel")
    if kode and str(kode) != st.session_state.get(LAST_CLICK_KEY):
        st.session_state[LAST_CLICK_KEY] = str(kode)
        st.session_state[KEL_KEY] = str(kode)


def coverage_map(work: Work, cov: pd.DataFrame, height: int = 460) -> None:
    _static_ready()
    # no highlight of the picked kelurahan: the map stays the same across picks (no re-mount, no re-sent click)
    m = views.coverage_map(work.ds, cov, work.lang)
    st_folium(m, key=MAP_KEY, height=height, use_container_width=True, returned_objects=["last_active_drawing"],
              on_change=_map_clicked)
    st.html(views.legend_html(work.lang))


# ---- quick capture ----------------------------------------------------------------------------------

def crit_key(kode: str | None) -> str:
    return f"{CRIT_KEY}_{kode}"


def _criterion_options(work: Work, kode: str | None, cov: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Criteria still bad in the kelurahan: those nobody took first, worst first (with score and share),
    then the ones already taken, then land legalisation."""
    _, units = projection.latest_units(work.ds)
    bad = projection.bad_criteria(units[units["kode_kel"].astype(str) == str(kode)], min_score=1)
    row = cov[cov["kode_kel"] == str(kode)]
    open_ = set(row["uncovered"].iloc[0]) if len(row) else set()
    bad = bad.assign(_taken=~bad["criterion"].isin(open_)).sort_values("_taken", kind="stable")
    labels = {}
    for r in bad.itertuples(index=False):
        labels[r.criterion] = ui.T("collab.form.crit_option", label=views.criterion_label(r.criterion, work.lang),
                                   score=r.worst_score, pct=f"{r.pct:.0f}")
    if not labels:  # not a slum unit in the latest year: every criterion may still be committed
        labels = {c: views.criterion_label(c, work.lang) for c in reg.CRITERION_IDS}
    labels[reg.LAND_LEGALISATION] = views.criterion_label(reg.LAND_LEGALISATION, work.lang)
    return list(labels), labels


def _add(work: Work) -> None:
    """Form callback: check the one row with the register's own checks, then save it as a new version."""
    s = st.session_state
    crit = s.get(crit_key(s.get(KEL_KEY)))
    row = {"stakeholder": s.get("collab_who"), "stakeholder_type": s.get("collab_type"), "kode_kel": s.get(KEL_KEY),
           "kawasan_id": s.get("collab_kawasan") or None, "criterion": crit, "activity": s.get("collab_activity"),
           "volume": s.get("collab_volume"), "year": s.get("collab_year"), "budget_idr": s.get("collab_budget"),
           "status": s.get("collab_status"), "note": s.get("collab_note"),
           "unit": reg.criterion_unit(crit) if crit != reg.LAND_LEGALISATION else s.get("collab_unit")}
    check = reg.check_commitments(pd.DataFrame([row]), work.ds.kelurahan, work.ds.kawasan)
    if not check.ok:
        data_common.flash("error", " ".join(f.message(work.lang) for f in check.errors))
        return
    name = views.kelurahan_names(work.ds).get(str(row["kode_kel"]), row["kode_kel"])
    note = ui.T("collab.note.added", who=row["stakeholder"], kel=name, crit=crit)
    _saved(work, collab_store.add_rows(work.ds, work.name, work.version, check.frame, author=data_common.author(),
                                       note=note))
    for key in CLEARED_AFTER_ADD:
        s.pop(key, None)


def _saved(work: Work, out: collab_store.SaveOutcome) -> None:
    if not out.ok:
        data_common.flash("error", ui.T("collab.save.conflict", ids=", ".join(out.conflicts)) if out.conflicts
                          else ui.T("collab.save.nothing"))
        return
    if out.name != work.name:
        data_common.select_dataset(out.name)
    key = "collab.save.merged" if out.merged else "collab.save.done"
    data_common.flash("success", ui.T(key, name=out.name, version=out.info.version))


def capture(work: Work, cov: pd.DataFrame) -> None:
    """Kelurahan and criterion first (the options follow them), then who, how much, when."""
    T = ui.T
    names = views.kelurahan_names(work.ds)
    order = sorted(names, key=lambda k: names[k])
    if st.session_state.get(KEL_KEY) not in names:
        st.session_state.pop(KEL_KEY, None)
    kode = st.selectbox(T("collab.form.kelurahan"), options=order, key=KEL_KEY, index=None,
                        format_func=lambda k: names.get(k, k), placeholder=T("collab.form.kelurahan_ph"))
    if kode is None:
        st.caption(T("collab.form.pick_first"))
        return
    options, labels = _criterion_options(work, kode, cov)
    key = crit_key(kode)
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    crit = st.selectbox(T("collab.form.criterion"), options=options, key=key, format_func=labels.get)
    unit = reg.criterion_unit(crit)
    year0 = projection.latest_units(work.ds)[0] or 2025
    kaw = work.ds.kawasan
    kawasan = [""] + (sorted(kaw.loc[kaw["kode_kel"].astype(str) == kode, "kawasan_id"].astype(str))
                      if kaw is not None and len(kaw) else [])
    with st.form("collab_form", border=True):
        c1, c2 = st.columns(2)
        c1.text_input(T("collab.form.who"), key="collab_who", placeholder=T("collab.form.who_ph"))
        c2.selectbox(T("collab.form.type"), options=list(reg.STAKEHOLDER_TYPES), key="collab_type")
        st.text_input(T("collab.form.activity"), key="collab_activity")
        c3, c4, c5 = st.columns(3)
        c3.number_input(T("collab.form.volume", unit=unit or "–"), min_value=0.0, step=1.0, key="collab_volume",
                        value=None)
        if unit is None:
            c3.text_input(T("collab.form.unit"), key="collab_unit", value=T("collab.form.unit_default"))
        c4.number_input(T("collab.form.year"), min_value=reg.MIN_YEAR, max_value=2100, step=1, key="collab_year",
                        value=min(year0 + 1, work.ds.meta.target_year))
        c5.number_input(T("collab.form.budget"), min_value=0.0, step=1_000_000.0, key="collab_budget", value=None,
                        format="%.0f")
        c6, c7 = st.columns(2)
        c6.selectbox(T("collab.form.status"), options=list(reg.STATUSES), index=1, key="collab_status")
        if len(kawasan) > 1:
            c7.selectbox(T("collab.form.kawasan"), options=kawasan, key="collab_kawasan",
                         format_func=lambda k: k or T("collab.form.whole_kel"))
        st.text_input(T("collab.form.note"), key="collab_note")
        st.form_submit_button(T("collab.form.add"), type="primary", icon=":material/add_task:", on_click=_add,
                              args=(work,))


def gaps(work: Work, cov: pd.DataFrame) -> None:
    T = ui.T
    table = views.gap_view(cov, work.lang)
    n = projection.n_gaps(cov)
    open_ha = float(cov["ha_no_commitment"].sum()) if len(cov) else 0.0
    st.markdown(f"**{escape_markdown(T('collab.gaps.headline', n=n, kel=len(table), ha=fmt_ha(open_ha, work.lang)))}**")
    if table.empty:
        st.success(T("collab.gaps.none"), icon=":material/task_alt:")
        return
    st.dataframe(table, hide_index=True, width="stretch", key="collab_gaps", height=min(420, 38 + 35 * len(table)))
