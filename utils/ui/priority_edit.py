"""Fill in land legality, other considerations and typology for the units of a year, in the app.

The rows are the year's stored assessment rows; only the six priority inputs are editable. Every
change goes through the importer's own checks (`utils.io.edits.check_assessment_rows`, which scores
the rows with the priority method), so an unknown value is refused with the same message as an
import, and a save writes a new version of the dataset.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.io.edits import check_assessment_rows, replace_year
from utils.method import priority as engine
from utils.method.priority_table import (
    INPUT_COLUMNS,
    LEGAL_TOKENS,
    TYPOLOGIES,
    TYPOLOGY_TOKENS,
    YES_NO_TOKENS,
)
from utils.ui import data_common as common
from utils.ui.editor import edit_table, last_check

KEYS = ["kode_kel", "kawasan_id", "rt"]


def _canonical(values: pd.Series, tokens: dict, names: dict) -> pd.Series:
    """Stored spellings (`Ya`, `1`, `Tepi Air`) as the editor's options (`ada`, `+`, `tepi_air`); unknown kept."""
    norm = engine.normalise_series(values)
    lookup = {tok: names[v] for v, toks in tokens.items() for tok in toks}
    return norm.map(lookup).fillna(values.astype("string")).fillna("").astype(str)


def editor_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The year's rows: the unit keys and the six inputs (added empty when the data has none)."""
    out = rows[[c for c in KEYS if c in rows.columns]].copy()
    for col in INPUT_COLUMNS:
        out[col] = rows[col] if col in rows.columns else ""
    out["pl_8a"] = _canonical(out["pl_8a"], YES_NO_TOKENS, {"ada": "ada", "tidak": "tidak"})
    out["pl_8c"] = _canonical(out["pl_8c"], YES_NO_TOKENS, {"ada": "ada", "tidak": "tidak"})
    for col in ("l_9a", "l_9b"):
        out[col] = _canonical(out[col], LEGAL_TOKENS, {True: "+", False: "-"})
    out["typology"] = _canonical(out["typology"], TYPOLOGY_TOKENS, {ty: ty for ty in TYPOLOGIES})
    out["pl_8b"] = out["pl_8b"].astype("string").fillna("").astype(str)
    return out.reset_index(drop=True)


def merged(rows: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """The full rows with the edited inputs (same order: the editor has a fixed number of rows)."""
    out = rows.reset_index(drop=True).copy()
    for col in INPUT_COLUMNS:
        out[col] = edited[col].astype("string").fillna("").astype(str).to_numpy()
    return out


def _save(name: str, version: int, ds, year: int, key: str) -> None:
    check = last_check(key)
    if check is None or not check.ok:
        common.flash("error", ui.T("data.edit.refused_save"))
        return
    new = dataclasses.replace(ds, assessments=replace_year(ds.assessments, year, check.frame))
    try:
        info = store.save(new, name, author=common.author(), note=ui.T("priority.edit.note", year=year),
                          base_version=version)
    except Exception as exc:  # noqa: BLE001 - conflict or failure: the stored data is unchanged
        common.save_failed(exc)
        return
    common.flash("success", ui.T("data.edit.saved", name=name, version=info.version))


def section(ctx: ui.PageContext) -> None:
    """The expander on the priority page."""
    T = ui.T
    with st.expander(T("priority.edit.title", year=ctx.year), icon=":material/edit_note:"):
        common.show_flash()
        if not common.editable_dataset(ctx):
            return
        ds, year = ctx.dataset, ctx.year
        rows = ds.assessments.loc[ds.assessments["year"] == year].reset_index(drop=True)
        if rows.empty:
            st.info(T("priority.no_slum", year=year))
            return
        st.caption(T("priority.edit.intro"))
        frame = editor_frame(rows)
        yes_no = st.column_config.SelectboxColumn
        cfg = {
            "kode_kel": st.column_config.TextColumn(T("priority.col.kelurahan"), disabled=True),
            "kawasan_id": st.column_config.TextColumn(T("data.col.kawasan"), disabled=True),
            "rt": st.column_config.TextColumn("RT", disabled=True),
            "pl_8a": yes_no(T("priority.m.8a"), options=["", "ada", "tidak"]),
            "pl_8b": st.column_config.TextColumn(T("priority.edit.8b")),
            "pl_8c": yes_no(T("priority.m.8c"), options=["", "ada", "tidak"]),
            "l_9a": yes_no(T("priority.m.9a"), options=["", "+", "-"]),
            "l_9b": yes_no(T("priority.m.9b"), options=["", "+", "-"]),
            "typology": yes_no(T("priority.col.typology"), options=["", *TYPOLOGIES],
                               format_func=lambda v, L=ctx.lang: _typology(v, L)),
        }
        key = f"edit_priority_{ctx.dataset_name}_{ctx.version}_{year}"
        edit_table(frame, cfg, lambda f: check_assessment_rows(merged(rows, f), ds.kelurahan), key,
                   id_columns=KEYS, num_rows="fixed", disabled=KEYS)
        check = last_check(key)
        st.button(T("data.edit.save"), type="primary", key="save_priority", icon=":material/save:",
                  disabled=check is None or not check.ok, on_click=_save,
                  args=(ctx.dataset_name, ctx.version, ds, year, key))


def _typology(value: str, lang: str) -> str:
    from utils.core.i18n import t

    return t(f"priority.typology.{value}", lang) if value in TYPOLOGIES else (value or "–")
