"""Stored datasets and the history of the selected one: who saved each version, when, what changed, why.

Restoring copies a kept version into a NEW version (nothing is rewritten); deleting a version asks first.
"""
from __future__ import annotations

import streamlit as st

from utils import store, ui
from utils.core.text import escape_markdown
from utils.store import changes as store_changes
from utils.ui import data_common as common

DELETE_KEY = "_delete_pending"


def _delete(name: str, version: int) -> None:
    try:
        store.delete_version(name, version)
    except store.StoreError as exc:
        common.flash("error", str(exc))
    else:
        common.flash("success", ui.T("import.page.deleted", name=name, version=version))
        if not store.list_versions(name):
            st.session_state.pop(ui.DATASET_KEY, None)
    st.session_state.pop(DELETE_KEY, None)


def _restore(name: str, version: int) -> None:
    try:
        info = store.restore(name, version, author=common.author(),
                             note=ui.T("data.history.restore_note", version=version))
    except Exception as exc:  # noqa: BLE001 - the stored data is unchanged
        common.save_failed(exc)
        return
    common.flash("success", ui.T("data.history.restored", version=version, new=info.version))


def datasets(ctx: ui.PageContext) -> None:
    T = ui.T
    active = st.session_state.get(ui.DATASET_KEY)
    for info in store.list_datasets():
        row = st.columns([4, 2, 2, 3, 2])
        label = T("sidebar.sample_label", name="Kota Pasuruan") if info.builtin else (info.display_name or info.name)
        row[0].markdown(escape_markdown(label) + (f" · **{T('import.page.active')}**" if info.name == active else ""))
        row[1].caption(T(f"data.status.{info.status}") if info.status in ("draft", "official") else info.status)
        row[2].caption(f"{T('import.page.col_version')} {info.version}")
        row[3].caption(info.saved)
        row[4].button(T("import.page.use"), key=f"use_{info.name}", on_click=common.select_dataset,
                      args=(info.name,), disabled=info.name == active)


def section(ctx: ui.PageContext) -> None:
    st.header(ui.T("import.page.datasets"))
    datasets(ctx)
    history(ctx)


def history(ctx: ui.PageContext) -> None:
    T = ui.T
    if not ctx.dataset_name or ctx.dataset_name == store.SAMPLE_NAME:
        return
    versions = store.list_versions(ctx.dataset_name)
    if not versions:
        return
    st.subheader(T("import.page.versions", name=ctx.dataset.meta.display_name or ctx.dataset_name))
    latest = versions[-1].version
    pending = st.session_state.get(DELETE_KEY)
    for v in reversed(versions):
        c = st.columns([1, 5, 2, 2], vertical_alignment="center")
        c[0].markdown(f"**v{v.version}**")
        what = store_changes.summary(v.changes or {}, ctx.lang)
        extra = T("data.history.restored_from", version=v.restored_from) if v.restored_from else ""
        c[1].markdown(escape_markdown(T("data.history.line", author=v.author or T("data.history.unknown_author"),
                                        saved=v.saved, what=what)) + (f" · {escape_markdown(extra)}" if extra else "")
                      + (f"  \n_{escape_markdown(v.note)}_" if v.note else ""))
        c[2].button(T("data.history.restore"), key=f"restore_{v.name}_{v.version}", on_click=_restore,
                    args=(v.name, v.version), disabled=v.version == latest, icon=":material/history:")
        if c[3].button(T("import.page.delete", version=v.version), key=f"del_{v.name}_{v.version}",
                       icon=":material/delete:"):
            st.session_state[DELETE_KEY] = (v.name, v.version)
            pending = (v.name, v.version)
    if pending and pending[0] == ctx.dataset_name:
        st.warning(escape_markdown(T("import.page.delete_confirm", name=pending[0], version=pending[1])))
        d1, d2 = st.columns(2)
        d1.button(T("import.page.delete_yes"), type="primary", key="delete_yes", on_click=_delete, args=pending)
        d2.button(T("import.page.cancel"), key="delete_no", on_click=lambda: st.session_state.pop(DELETE_KEY, None))
