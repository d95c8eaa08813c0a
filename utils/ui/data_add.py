"""Add an assessment or investment table to the selected dataset: no boundaries asked again.

The new rows are checked against the stored kelurahan (`importer.preview_addition`); a year already
stored is shown before and after side by side and replaced only once the user ticks the confirmation.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.core.i18n import fmt_ha
from utils.io.corrections import correct_table
from utils.io.uploads import UploadError
from utils.store import importer
from utils.ui import data_common as common
from utils.ui import data_corrections
from utils.ui.data_import import TABLE_TYPES, files_key

PREVIEW_KEY = "_add_preview"
ROUND_KEY = "_add_round"
FIX_PREFIX = "add"


def _preview(name: str, assessments, investments) -> importer.AdditionPreview:
    fixes = data_corrections.corrections(FIX_PREFIX)
    version = store.list_versions(name)[-1].version
    key = (name, version, files_key([assessments]), files_key([investments]), repr(fixes))
    cached = st.session_state.get(PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]
    table = None
    if assessments is not None:
        data = assessments.getvalue()
        if fixes:
            sheet = cached[1].chosen_sheets.get("assessments") if cached else None
            data = correct_table(assessments.name, data, fixes, "assessments", sheet)
        table = (assessments.name, data)
    with st.spinner():
        preview = importer.preview_addition(name, assessments=table,
                                            investments=(investments.name, investments.getvalue())
                                            if investments is not None else None, lang=ui.lang())
    st.session_state[PREVIEW_KEY] = (key, preview)
    return preview


def _reset() -> None:
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state.pop(PREVIEW_KEY, None)
    data_corrections.clear(FIX_PREFIX)


def _save(preview: importer.AdditionPreview) -> None:
    replace = bool(st.session_state.get("add_replace"))
    note = (st.session_state.get("add_note") or "").strip() or ui.T("data.note.add")
    try:
        info = importer.commit_addition(preview, replace_years=replace, author=common.author(), note=note)
    except Exception as exc:  # noqa: BLE001 - refused or failed: the stored data is unchanged
        common.save_failed(exc)
        return
    common.flash("success", ui.T("data.add.saved", name=info.name, version=info.version))
    if preview.new_years:  # show what was just added: the sidebar moves to its latest year
        st.session_state[ui.YEAR_KEY] = max(preview.new_years)
    _reset()
    st.session_state.pop("add_replace", None)


def before_after_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    T = ui.T
    return pd.DataFrame({
        T("data.add.col_year"): frame["year"].astype(int).astype(str),
        T("data.add.col_rows_before"): frame["rows_before"], T("data.add.col_rows_after"): frame["rows_after"],
        T("data.add.col_ha_before"): [fmt_ha(v, lang) for v in frame["slum_ha_before"]],
        T("data.add.col_ha_after"): [fmt_ha(v, lang) for v in frame["slum_ha_after"]],
    })


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    if not common.editable_dataset(ctx):
        return
    st.caption(T("data.add.intro", name=ctx.dataset.meta.display_name or ctx.dataset_name))
    rnd = st.session_state.get(ROUND_KEY, 0)
    c1, c2 = st.columns(2)
    assessments = c1.file_uploader(T("import.page.assessments"), type=TABLE_TYPES, key=f"add_assessments_{rnd}")
    investments = c2.file_uploader(T("import.page.investments"), type=TABLE_TYPES, key=f"add_investments_{rnd}")
    if assessments is None and investments is None:
        return
    try:
        preview = _preview(ctx.dataset_name, assessments, investments)
    except UploadError as exc:
        st.error(common.message(exc.finding, ctx.lang))
        return
    st.subheader(T("import.page.report"))
    common.show_report(preview.report, ctx.lang)
    data_corrections.choose(FIX_PREFIX, preview.match, ctx.dataset.kelurahan)
    if not preview.ok:
        st.info(T("data.add.blocked"))
        return
    if preview.before_after is not None and len(preview.before_after):
        st.markdown(f"**{T('data.add.before_after')}**")
        st.dataframe(before_after_table(preview.before_after, ctx.lang), hide_index=True, key="add_before_after")
    if preview.years_replaced:
        years = ", ".join(str(y) for y in preview.years_replaced)
        st.warning(T("data.add.replace_warning", years=years), icon=":material/warning:")
        st.checkbox(T("data.add.replace_confirm", years=years), key="add_replace")
    st.text_input(T("data.note"), key="add_note", placeholder=T("data.note_placeholder"))
    blocked = bool(preview.years_replaced) and not st.session_state.get("add_replace")
    b1, b2 = st.columns(2)
    b1.button(T("data.add.save"), type="primary", key="add_save", on_click=_save, args=(preview,), disabled=blocked,
              icon=":material/add:")
    b2.button(T("import.page.cancel"), key="add_cancel", on_click=_reset)
