"""Correct the stored data in place: one year's assessment rows, or the investments, then save a version.

The editor (`utils.ui.editor.edit_table`) re-checks every change with the importer's own checks
(`utils.io.edits`) and recomputes scores and categories; a save with errors is refused and the store
is left as it was.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.io.edits import check_assessment_rows, check_investment_rows, replace_year
from utils.method.criteria import CRITERION_IDS, DENOMINATORS, FUNDING_SOURCES
from utils.ui import data_common as common
from utils.ui.editor import edit_table, last_check


def _kel_column(ds, label: str) -> st.column_config.SelectboxColumn:
    kel = pd.DataFrame(ds.kelurahan)[["kode_kel", "kelurahan"]].astype(str).sort_values("kelurahan")
    names = dict(zip(kel["kode_kel"], kel["kelurahan"]))
    return st.column_config.SelectboxColumn(label, options=list(names), required=True,
                                            format_func=lambda c, n=names: f"{n.get(c, c)} ({c})", width="medium")


def _save(name: str, version: int, ds, table: str, key: str, year: int | None) -> None:
    """Button callback: the latest verdict decides; a refused edit stores nothing."""
    check = last_check(key)
    T = ui.T
    if check is None or not check.ok:
        common.flash("error", T("data.edit.refused_save"))
        return
    if table == "assessments":
        new = dataclasses.replace(ds, assessments=replace_year(ds.assessments, year, check.frame))
    else:
        new = dataclasses.replace(ds, investments=check.frame)
    note = (st.session_state.get(f"{key}_note") or "").strip() or T("data.note.edit", table=T(f"data.edit.{table}"))
    try:
        info = store.save(new, name, author=common.author(), note=note, base_version=version)
    except Exception as exc:  # noqa: BLE001 - conflict or failure: the stored data is unchanged
        common.save_failed(exc)
        return
    common.flash("success", T("data.edit.saved", name=name, version=info.version))


def _assessment_config(ds, frame: pd.DataFrame, year: int, period: str) -> dict:
    T = ui.T
    cfg: dict = {"year": st.column_config.NumberColumn(T("data.col.year"), disabled=True, default=year, format="%d"),
                 "sk_period": st.column_config.TextColumn(T("data.col.sk_period"), default=period),
                 "kode_kel": _kel_column(ds, T("data.col.kelurahan")),
                 "kawasan_id": st.column_config.TextColumn(T("data.col.kawasan"), default=""),
                 "rt": st.column_config.TextColumn("RT", default="")}
    for den, (unit, name_id, name_en) in DENOMINATORS.items():
        if den in frame.columns:
            cfg[den] = st.column_config.NumberColumn(f"{name_id if ui.lang() != 'en' else name_en} ({unit})",
                                                     min_value=None)
    for c in CRITERION_IDS:
        for k, word in (("v", "Vol"), ("p", "%")):
            if f"{k}_{c}" in frame.columns:
                cfg[f"{k}_{c}"] = st.column_config.NumberColumn(f"{c} {word}")
    return cfg


def assessments_section(ctx: ui.PageContext) -> None:
    T = ui.T
    ds = ctx.dataset
    if ctx.year is None:
        st.info(T("data.edit.no_year"))
        return
    frame = ds.assessments.loc[ds.assessments["year"] == ctx.year].reset_index(drop=True)
    period = str(frame["sk_period"].iloc[0]) if len(frame) else "1"
    st.caption(T("data.edit.assessments_intro", year=ctx.year, n=len(frame)))
    key = f"edit_assessments_{ctx.dataset_name}_{ctx.version}_{ctx.year}"
    edit_table(frame, _assessment_config(ds, frame, ctx.year, period),
               lambda f: check_assessment_rows(f, ds.kelurahan), key, id_columns=["kawasan_id", "rt"])
    _save_row(ctx, "assessments", key, ctx.year)


def investments_section(ctx: ui.PageContext) -> None:
    T = ui.T
    ds = ctx.dataset
    frame = ds.investments.reset_index(drop=True) if ds.investments is not None else pd.DataFrame(
        columns=["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit", "budget_idr",
                 "funding_source", "implementer"])
    st.caption(T("data.edit.investments_intro", n=len(frame)))
    cfg = {"year": st.column_config.NumberColumn(T("data.col.year"), format="%d", default=ctx.year),
           "kode_kel": _kel_column(ds, T("data.col.kelurahan")),
           "criterion": st.column_config.SelectboxColumn(T("data.col.criterion"), options=["", *CRITERION_IDS]),
           "budget_idr": st.column_config.NumberColumn(T("data.col.budget"), format="%d"),
           "funding_source": st.column_config.SelectboxColumn(T("data.col.source"), options=list(FUNDING_SOURCES))}
    key = f"edit_investments_{ctx.dataset_name}_{ctx.version}"
    edit_table(frame, cfg, lambda f: check_investment_rows(f, ds.kelurahan), key,
               id_columns=["year", "kode_kel", "activity"])
    _save_row(ctx, "investments", key, None)


def _save_row(ctx: ui.PageContext, table: str, key: str, year: int | None) -> None:
    T = ui.T
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input(T("data.note"), key=f"{key}_note", placeholder=T("data.note_placeholder"))
    check = last_check(key)
    c2.button(T("data.edit.save"), type="primary", key=f"save_{table}", icon=":material/save:",
              disabled=check is None or not check.ok, on_click=_save,
              args=(ctx.dataset_name, ctx.version, ctx.dataset, table, key, year))


def section(ctx: ui.PageContext) -> None:
    if not common.editable_dataset(ctx):
        return
    T = ui.T
    which = st.segmented_control(T("data.edit.which"), options=["assessments", "investments"],
                                 format_func=lambda v: T(f"data.edit.{v}"), default="assessments",
                                 key="edit_which")
    if which == "investments":
        investments_section(ctx)
    else:
        assessments_section(ctx)
