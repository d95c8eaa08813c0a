"""Downloads of the selected dataset in the forms a city uses, and the blank template.

Every file is built only when its button is clicked (`data=` a callable), by `utils.views.exports*`.
"""
from __future__ import annotations

import functools

import streamlit as st

from utils import ui
from utils.views import exports, exports_geo, exports_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(lang: str) -> None:
    st.download_button(ui.T("import.page.template"), data=functools.partial(exports_template.template_xlsx, lang),
                       file_name=f"templat_kotaku_{lang}.xlsx", mime=XLSX, on_click="ignore",
                       icon=":material/table_view:", key="import_template")


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    st.header(T("import.page.downloads"))
    ds = ctx.dataset
    if ds is None:
        st.info(T("error.no_dataset"))
        template(ctx.lang)
        return
    base = ctx.dataset_name or "dataset"
    lang = ctx.lang
    year = ctx.year
    st.caption(T("data.dl.intro", status=T(f"data.status.{ds.meta.status}") if ds.meta.status in ("draft", "official")
                 else ds.meta.status))
    c1, c2, c3 = st.columns(3)

    def offer(col, label: str, key: str, build, args: tuple, file_name: str, mime: str, icon: str) -> None:
        col.download_button(label, key=key, mime=mime, on_click="ignore", data=functools.partial(build, *args),
                            file_name=file_name, icon=icon)

    if year is not None:
        offer(c1, T("data.dl.kelurahan_workbook", year=year), "dl_kel_xlsx", exports.kelurahan_workbook,
              (ds, year, lang), f"{base}_kelurahan_{year}.xlsx", XLSX, ":material/table_chart:")
        offer(c1, T("data.dl.gpkg", year=year), "dl_gpkg", exports_geo.kelurahan_gpkg, (ds, year, lang),
              f"{base}_kelurahan_{year}.gpkg", "application/geopackage+sqlite3", ":material/map:")
    if not ds.assessments.empty:
        offer(c2, T("data.dl.rt_xlsx"), "dl_xlsx", exports.assessments_xlsx, (ds, lang), f"{base}_penilaian.xlsx", XLSX,
              ":material/grid_on:")
        offer(c2, T("data.dl.rt_csv"), "dl_csv", exports.assessments_csv, (ds, lang), f"{base}_penilaian_{lang}.csv",
              "text/csv", ":material/csv:")
    if ds.investments is not None and not ds.investments.empty:
        offer(c3, T("data.dl.investments"), "dl_inv", exports.investments_xlsx, (ds, lang),
              f"{base}_investasi.xlsx", XLSX, ":material/payments:")
    with c3:
        template(lang)
