"""The Kolaborasi page's tables: the editable register, matrix and totals, XLSX in/out, finished work
into investments, and the projector's running totals."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.core.text import escape_markdown
from utils.io import commitments as reg
from utils.ui import collab_store, data_common
from utils.ui.collab import Work, _saved
from utils.ui.editor import edit_table, last_check
from utils.views import collaboration as views

REFRESH_SECONDS = 5  # the projector re-reads the register this often


def _editor_key(work: Work) -> str:
    return f"collab_editor_{work.name}_{work.version}"


def _config(work: Work) -> dict:
    T = ui.T
    names = views.kelurahan_names(work.ds)
    h = reg.HEADERS_ID if work.lang != "en" else reg.HEADERS_EN
    return {
        "commitment_id": None, "invested_year": st.column_config.NumberColumn(h["invested_year"], format="%d"),
        "stakeholder": st.column_config.TextColumn(h["stakeholder"], required=True),
        "stakeholder_type": st.column_config.SelectboxColumn(h["stakeholder_type"],
                                                             options=list(reg.STAKEHOLDER_TYPES)),
        "kode_kel": st.column_config.SelectboxColumn(h["kelurahan"], options=sorted(names, key=names.get),
                                                     format_func=lambda c, n=names: n.get(c, c), required=True),
        "kawasan_id": st.column_config.TextColumn(h["kawasan_id"]), "rt": st.column_config.TextColumn("RT"),
        "criterion": st.column_config.SelectboxColumn(h["criterion"],
                                                      options=[*reg.CRITERION_IDS, reg.LAND_LEGALISATION]),
        "activity": st.column_config.TextColumn(h["activity"]),
        "volume": st.column_config.NumberColumn(h["volume"], min_value=None),
        "unit": st.column_config.TextColumn(h["unit"], help=T("collab.editor.unit_help")),
        "year": st.column_config.NumberColumn(h["year"], format="%d"),
        "budget_idr": st.column_config.NumberColumn(h["budget_idr"], format="%.0f"),
        "status": st.column_config.SelectboxColumn(h["status"], options=list(reg.STATUSES)),
        "note": st.column_config.TextColumn(h["note"]),
    }


def _save_edits(work: Work, key: str) -> None:
    check = last_check(key)
    if check is None or not check.ok:
        data_common.flash("error", ui.T("collab.editor.refused"))
        return
    _saved(work, collab_store.save_register(work.ds, work.name, work.version, check.frame,
                                            author=data_common.author(), note=ui.T("collab.note.edited")))


def register(work: Work) -> None:
    """Everything captured so far, editable with the shared editor and its checks."""
    T = ui.T
    key = _editor_key(work)
    ds = work.ds
    edit_table(work.commitments, _config(work), lambda f: reg.check_commitments(f, ds.kelurahan, ds.kawasan),
               key, id_columns=["stakeholder", "kode_kel", "criterion"], disabled=["invested_year"])
    c1, c2 = st.columns([1, 3])
    c1.button(T("collab.editor.save"), icon=":material/save:", on_click=_save_edits, args=(work, key),
              key="collab_save_edits", disabled=not (last_check(key) and last_check(key).ok))
    c2.caption(T("collab.editor.caption"))


def matrix_and_totals(work: Work) -> None:
    T = ui.T
    st.markdown(f"**{T('collab.matrix.heading')}**")
    tab = views.matrix(work.ds.commitments, work.ds, work.lang)
    if tab.empty:
        st.caption(T("collab.none_yet"))
    else:
        st.dataframe(tab, hide_index=True, key="collab_matrix")
    c1, c2 = st.columns(2)
    c1.markdown(f"**{T('collab.totals.by_type')}**")
    c1.dataframe(views.totals_by_type(work.ds, work.ds.commitments, work.lang), hide_index=True, width="stretch")
    c2.markdown(f"**{T('collab.totals.by_aspect')}**")
    c2.dataframe(views.totals_by_aspect(work.ds.commitments, work.lang), hide_index=True, width="stretch")


def xlsx(work: Work) -> None:
    """Download the matriks kolaborasi; upload one to replace the register (checked first)."""
    T = ui.T
    matrix = views.matrix(work.ds.commitments, work.ds, "id")
    data = reg.to_xlsx(work.ds.commitments, work.ds.kelurahan, {"stakeholder x kelurahan": matrix}
                       if not matrix.empty else None)
    st.download_button(T("collab.xlsx.download"), data=data, file_name=f"matriks_kolaborasi_{work.name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore", key="collab_xlsx_dl")
    up = st.file_uploader(T("collab.xlsx.upload"), type=["xlsx"], key="collab_xlsx_up")
    if up is None:
        return
    try:
        rows = reg.read_xlsx(up.getvalue())
    except ValueError as exc:
        st.error(T(str(exc)) if str(exc).startswith("collab.") else str(exc))
        return
    check = reg.check_commitments(rows, work.ds.kelurahan, work.ds.kawasan)
    for f in check.findings[:40]:
        (st.error if f.severity == "error" else st.warning)(escape_markdown(f.message(work.lang)))
    if check.ok:
        st.caption(T("collab.xlsx.ready", n=len(check.frame)))
        st.button(T("collab.xlsx.replace"), key="collab_xlsx_apply", on_click=_import, args=(work, check.frame))


def _import(work: Work, frame: pd.DataFrame) -> None:
    _saved(work, collab_store.save_register(work.ds, work.name, work.version, frame, author=data_common.author(),
                                            note=ui.T("collab.note.imported", n=len(frame))))


def _convert(work: Work, year: int) -> None:
    out = collab_store.convert_finished(work.name, year, author=data_common.author(),
                                        note=ui.T("collab.note.converted", year=year))
    if out.ok:
        if out.name != work.name:
            data_common.select_dataset(out.name)
        data_common.flash("success", ui.T("collab.convert.done", n=out.added, year=year, version=out.info.version))
    else:
        data_common.flash("info", ui.T("collab.convert.none", year=year))


def convert(work: Work) -> None:
    """One action: this year's finished commitments become this year's investment rows."""
    T = ui.T
    years = sorted({int(y) for y in work.commitments.loc[work.commitments["status"] == "selesai", "year"].dropna()})
    if not years:
        st.caption(T("collab.convert.nothing"))
        return
    year = st.selectbox(T("collab.convert.year"), options=years, index=len(years) - 1, key="collab_convert_year")
    n = len(reg.convertible(work.ds.commitments, year))
    st.button(T("collab.convert.button", n=n, year=year), disabled=n == 0, on_click=_convert, args=(work, year),
              icon=":material/move_down:", key="collab_convert")


def presentation(ctx: ui.PageContext) -> None:
    """On the projector: the totals per stakeholder type, refreshed as commitments arrive."""
    from utils.ui import collab

    @st.fragment(run_every=REFRESH_SECONDS)
    def live() -> None:
        work = collab.working(ctx)
        tab = views.totals_by_type(work.ds, work.ds.commitments, work.lang)
        sentence = views.outlook_sentence(work.ds, work.lang)
        if sentence:
            st.markdown(f"### {escape_markdown(sentence)}")
        st.dataframe(tab, hide_index=True, width="stretch", key="collab_live_totals")

    live()

