"""Downloads of the selected dataset in the forms a city uses, and the blank template.

Every file is built only when its button is clicked (`data=` a callable), by `utils.views.exports`.
"""
from __future__ import annotations

import functools

import streamlit as st

from utils import ui

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Exports:
    """The export builders, wherever `utils.views` keeps them (tables, GeoPackage, template)."""

    def __init__(self) -> None:
        import importlib

        self._mods = []
        for name in ("exports", "exports_geo", "exports_template"):
            try:
                self._mods.append(importlib.import_module(f"utils.views.{name}"))
            except ImportError:
                continue
        if not self._mods:
            raise ImportError("utils.views.exports")

    def __getattr__(self, name: str):
        for mod in self._mods:
            if hasattr(mod, name):
                return getattr(mod, name)
        raise AttributeError(name)


def _exports() -> _Exports:
    return _Exports()


def template(lang: str) -> None:
    try:
        data = functools.partial(_exports().template_xlsx, lang)
    except (ImportError, AttributeError):
        from utils.io.tables import build_template

        data = functools.partial(build_template, lang)
    st.download_button(ui.T("import.page.template"), data=data, file_name=f"templat_kotaku_{lang}.xlsx", mime=XLSX,
                       on_click="ignore", icon=":material/table_view:", key="import_template")


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    st.header(T("import.page.downloads"))
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
    def offer(col, label: str, key: str, fn: str, args: tuple, file_name: str, mime: str, icon: str) -> None:
        build = getattr(ex, fn, None)
        if build is not None:  # each export appears once its builder exists
            col.download_button(label, key=key, mime=mime, on_click="ignore", data=functools.partial(build, *args),
                                file_name=file_name, icon=icon)

    if year is not None:
        offer(c1, T("data.dl.kelurahan_workbook", year=year), "dl_kel_xlsx", "kelurahan_workbook", (ds, year, lang),
              f"{base}_kelurahan_{year}.xlsx", XLSX, ":material/table_chart:")
        offer(c1, T("data.dl.gpkg", year=year), "dl_gpkg", "kelurahan_gpkg", (ds, year, lang),
              f"{base}_kelurahan_{year}.gpkg", "application/geopackage+sqlite3", ":material/map:")
    if not ds.assessments.empty:
        offer(c2, T("data.dl.rt_xlsx"), "dl_xlsx", "assessments_xlsx", (ds, lang), f"{base}_penilaian.xlsx", XLSX,
              ":material/grid_on:")
        offer(c2, T("data.dl.rt_csv"), "dl_csv", "assessments_csv", (ds, lang), f"{base}_penilaian_{lang}.csv",
              "text/csv", ":material/csv:")
    if ds.investments is not None and not ds.investments.empty:
        offer(c3, T("data.dl.investments"), "dl_inv", "investments_xlsx", (ds, lang), f"{base}_investasi.xlsx", XLSX,
              ":material/payments:")
    with c3:
        template(lang)
