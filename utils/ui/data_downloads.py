"""Downloads of the selected dataset in the forms a city uses, and the blank template.

Every file is built only when its button is clicked (`data=` a callable), by `utils.views.exports`.
"""
from __future__ import annotations

import functools

import streamlit as st

from utils import ui

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exports():
    from utils.views import exports  # built by the store/exports area; the page degrades without it

    return exports


def template(lang: str) -> None:
    try:
        ex = _exports()
        data = functools.partial(ex.template_xlsx, lang)
    except ImportError:
        from utils.io.tables import build_template

        data = functools.partial(build_template, lang)
    st.download_button(ui.T("import.page.template"), data=data, file_name=f"templat_kotaku_{lang}.xlsx", mime=XLSX,
                       on_click="ignore", icon=":material/table_view:", key="import_template")


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    ds = ctx.dataset
    if ds is None:
        st.info(T("error.no_dataset"))
        template(ctx.lang)
        return
    try:
        ex = _exports()
    except ImportError:
        st.info(T("data.dl.unavailable"))
        template(ctx.lang)
        return
    base = ctx.dataset_name or "dataset"
    lang = ctx.lang
    year = ctx.year
    st.caption(T("data.dl.intro", status=T(f"data.status.{ds.meta.status}") if ds.meta.status in ("draft", "official")
                 else ds.meta.status))
    c1, c2, c3 = st.columns(3)
    if year is not None:
        c1.download_button(T("data.dl.kelurahan_workbook", year=year), key="dl_kel_xlsx", mime=XLSX, on_click="ignore",
                           data=functools.partial(ex.kelurahan_workbook, ds, year, lang),
                           file_name=f"{base}_kelurahan_{year}.xlsx", icon=":material/table_chart:")
        c1.download_button(T("data.dl.gpkg", year=year), key="dl_gpkg", mime="application/geopackage+sqlite3",
                           on_click="ignore", data=functools.partial(ex.kelurahan_gpkg, ds, year),
                           file_name=f"{base}_kelurahan_{year}.gpkg", icon=":material/map:")
    if not ds.assessments.empty:
        c2.download_button(T("data.dl.rt_xlsx"), key="dl_xlsx", mime=XLSX, on_click="ignore",
                           data=functools.partial(ex.assessments_xlsx, ds, lang), file_name=f"{base}_penilaian.xlsx",
                           icon=":material/grid_on:")
        c2.download_button(T("data.dl.rt_csv"), key="dl_csv", mime="text/csv", on_click="ignore",
                           data=functools.partial(ex.assessments_csv, ds, lang),
                           file_name=f"{base}_penilaian_{lang}.csv", icon=":material/csv:")
    if ds.investments is not None and not ds.investments.empty:
        c3.download_button(T("data.dl.investments"), key="dl_inv", mime=XLSX, on_click="ignore",
                           data=functools.partial(ex.investments_xlsx, ds, lang), file_name=f"{base}_investasi.xlsx",
                           icon=":material/payments:")
    with c3:
        template(lang)
