"""Dataset settings on the Data page: display name, status, region, targets per SK period, SK labels.

Validation lives in `utils.store.settings.apply_settings` (every problem listed in the user's
language); a valid form is saved as a new version, so a settings change has an author and a note too.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.store import settings as store_settings
from utils.ui import data_common as common

STATUSES = ("draft", "official")
KEEP_ALL = "__all__"


def _periods_frame(ds) -> pd.DataFrame:
    return pd.DataFrame([{"id": p.id, "label": p.label, "baseline_year": p.baseline_year,
                          "target_year": p.target_year, "target_ha": getattr(p, "target_ha", None)}
                         for p in ds.meta.sk_periods],
                        columns=["id", "label", "baseline_year", "target_year", "target_ha"])


def _blank(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else v


def _save(ctx: ui.PageContext) -> None:
    s = st.session_state
    key = f"settings_periods_{ctx.dataset_name}_{ctx.version}"
    periods = s.get(f"{key}__frame")
    edits = s.get(key) or {}
    frame = periods.copy() if periods is not None else _periods_frame(ctx.dataset)
    for i, change in (edits.get("edited_rows") or {}).items():
        for col, value in change.items():
            frame.loc[int(i), col] = value
    rows = [{k: _blank(v) for k, v in r.items()} for r in frame.to_dict("records")]
    changes = {"display_name": s.get("settings_display_name", ""), "status": s.get("settings_status", "draft"),
               "city": s.get("settings_city", ""), "target_year": s.get("settings_target_year"),
               "target_ha": s.get("settings_target_ha"), "sk_periods": rows}
    lang = ui.lang()
    try:
        region = s.get("settings_region_choice")
        ds = ctx.dataset
        if region and region != KEEP_ALL:
            ds = store_settings.clip_to_kabkota(ds, region, lang=lang)
        elif region == KEEP_ALL:
            changes["region"] = s.get("settings_region", "")
        new = store_settings.apply_settings(ds, changes, lang)
        info = store.save(new, ctx.dataset_name, author=common.author(),
                          note=(s.get("settings_note") or "").strip() or ui.T("data.note.settings"),
                          base_version=ctx.version)
    except Exception as exc:  # noqa: BLE001 - SettingsError lists every problem; the store is unchanged
        common.save_failed(exc)
        return
    common.flash("success", ui.T("data.settings.saved", version=info.version))


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    if not common.editable_dataset(ctx):
        return
    meta = ctx.dataset.meta
    kab = store_settings.kabkota_list(ctx.dataset)
    with st.form(f"settings_form_{ctx.dataset_name}_{ctx.version}", border=True):
        c1, c2 = st.columns(2)
        c1.text_input(T("data.settings.display_name"), value=meta.display_name or ctx.dataset_name,
                      key="settings_display_name", max_chars=120)
        c2.radio(T("data.settings.status"), options=STATUSES, index=STATUSES.index(meta.status)
                 if meta.status in STATUSES else 0, format_func=lambda v: T(f"data.status.{v}"),
                 key="settings_status", horizontal=True)
        c1.text_input(T("data.settings.city"), value=meta.city, key="settings_city", max_chars=120)
        if len(kab) > 1:
            options = [KEEP_ALL, *kab["kode_kab"].astype(str)]
            counts = dict(zip(kab["kode_kab"].astype(str), kab["kelurahan"]))
            c2.selectbox(T("data.settings.region_choice"), options=options, key="settings_region_choice",
                         format_func=lambda v: T("data.settings.keep_all") if v == KEEP_ALL
                         else T("data.settings.clip_to", code=v, n=counts.get(v, 0)))
            c2.text_input(T("data.settings.region"), value=meta.region, key="settings_region", max_chars=120)
        t1, t2 = st.columns(2)
        t1.number_input(T("data.settings.target_year"), min_value=1990, max_value=2100, step=1,
                        value=int(meta.target_year), key="settings_target_year")
        t2.number_input(T("data.settings.target_ha"), min_value=0.0, step=0.5, value=float(meta.target_ha),
                        key="settings_target_ha", format="%.2f")
        st.caption(T("data.settings.periods_help"))
        frame = _periods_frame(ctx.dataset)
        key = f"settings_periods_{ctx.dataset_name}_{ctx.version}"
        st.session_state[f"{key}__frame"] = frame
        st.data_editor(frame, key=key, hide_index=True, num_rows="fixed", column_config={
            "id": st.column_config.TextColumn(T("data.settings.col_id"), disabled=True),
            "label": st.column_config.TextColumn(T("data.settings.col_label"), required=True),
            "baseline_year": st.column_config.NumberColumn(T("data.settings.col_baseline"), format="%d", step=1),
            "target_year": st.column_config.NumberColumn(T("data.settings.col_target_year"), format="%d", step=1),
            "target_ha": st.column_config.NumberColumn(T("data.settings.col_target_ha"), min_value=0.0)})
        st.text_input(T("data.note"), key="settings_note", placeholder=T("data.note_placeholder"))
        st.form_submit_button(T("data.settings.save"), type="primary", on_click=_save, args=(ctx,),
                              icon=":material/save:")
