"""Peta: slum category per kelurahan for the sidebar year, a profile panel, a two-year compare."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from utils import ui
from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number
from utils.method.criteria import ASPECTS
from utils.ui import map_find
from utils.views import charts, map_data, maps, offline_assets

MAIN_KEY = "map_main"
CMP_KEYS = ("map_cmp_left", "map_cmp_right")
FIND_KEY = "map_find"
FOCUS_KEY = ui.FOCUS_KEL_KEY  # kode_kel picked by name: the map zooms to it
COMPARE_KEY = "map_compare"
CMP_YEAR_KEY = "map_cmp_year"
RETURNED = ["last_active_drawing"]  # the page only reacts to clicks on a feature
PROFILE_PAGE = "pages/profile.py"
PROJECT = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner=False)
def _static_ready() -> bool:
    """Copy Leaflet from the installed XStatic package into static/ once per server process."""
    offline_assets.ensure_static()
    return True


def _clicked(widget_key: str) -> None:
    """A click on a kelurahan (or a kawasan / investment inside it) selects that kelurahan."""
    value = st.session_state.get(widget_key) or {}
    drawing = value.get("last_active_drawing") or {}
    kode = (drawing.get("properties") or {}).get("kode_kel")
    if kode:
        ui.select_kelurahan(str(kode))


def _found() -> None:
    kode = st.session_state.get(FIND_KEY)
    if kode:
        ui.select_kelurahan(kode)
        st.session_state[FOCUS_KEY] = kode


def _profile(ds, base: map_data.BaseLayers, kode: str, year: int | None, lang: str) -> None:
    name, kec = base.names[kode]
    st.subheader(maps.escape_md(name))
    st.caption(maps.escape_md(ui.T("map.profile_kecamatan", kecamatan=kec)))
    rec = None
    if year is not None:
        kel = trends.kelurahan_year(ds, year)
        rows = kel[kel["kode_kel"] == kode]
        rec = rows.iloc[0] if not rows.empty else None
    cat = rec["category"] if rec is not None else "ND"
    st.metric(ui.T("map.profile_category", year=year if year is not None else "–"), ui.T(f"class.{cat}"))
    score = rec["total_score"] if rec is not None else None
    c2, c3 = st.columns(2)
    c2.metric(ui.T("map.profile_score"), "–" if score is None or pd.isna(score) else fmt_number(score, lang, 0))
    c3.metric(ui.T("map.profile_slum_ha"), fmt_ha(float(rec["slum_ha"]) if rec is not None else 0.0, lang))

    aspects = trends.kelurahan_aspects(ds, kode, year) if year is not None else None
    st.markdown(f"**{ui.T('map.profile_aspects', year=year)}**")
    if aspects is None or aspects.empty:
        st.caption(ui.T("map.profile_no_aspects"))
    else:
        names = {f"a_{a.id}": (a.name_id if lang == "id" else a.name_en) for a in ASPECTS}
        table = pd.DataFrame({
            ui.T("map.profile_aspect"): [names.get(c, c) for c in aspects.index],
            ui.T("map.profile_affected"): [float(v) for v in aspects.to_numpy()],
        })
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={ui.T("map.profile_affected"): st.column_config.ProgressColumn(
                         min_value=0, max_value=100, format="%.0f %%")})

    series = trends.kelurahan_series(ds, kode)
    st.markdown(f"**{ui.T('map.profile_trend')}**")
    if series.empty:
        st.caption(ui.T("map.profile_no_trend"))
    else:
        labels = {p.id: ui.T("map.profile_period", label=p.label) for p in ds.meta.sk_periods}
        fig = charts.kelurahan_slum_bars_figure(series, lang, labels)  # decimal comma in Bahasa Indonesia
        st.plotly_chart(fig, config={"displayModeBar": False})

    ui.select_kelurahan(kode)
    if (PROJECT / PROFILE_PAGE).exists():
        try:
            st.page_link(PROFILE_PAGE, label=ui.T("map.profile_link"), icon=":material/location_city:")
        except Exception:  # noqa: BLE001 - the page exists but is not in the navigation yet
            pass


def _map(base, yl, lang, city, key, height, selected, geo_url, focus=None, dynamic=True, sync=False):
    """One streamlit-folium map; dynamic: the year travels as a feature group (viewport kept).
    The geometry is fetched by the browser from `geo_url`, so the script sent per rerun is small."""
    center = zoom = None
    if focus and focus in base.extents:
        center, zoom = maps.focus_view(base, focus)
    if dynamic:
        m = maps.base_map(base, lang, city, geo_url=geo_url)
        groups = maps.year_groups(base, yl, lang, city, selected) if yl is not None else None
        control = maps.layer_control()
    else:
        m = maps.build_map(base, yl, lang, city, selected=selected, popups=False, sync=sync, geo_url=geo_url)
        groups = control = None
    return st_folium(
        m, key=key, height=height, use_container_width=True, returned_objects=RETURNED,
        feature_group_to_add=groups, layer_control=control, center=center, zoom=zoom,
        on_change=lambda: _clicked(key),
    )


ctx = ui.require_dataset()
L = ctx.lang
ds = ctx.dataset
if ds.kelurahan is None or ds.kelurahan.empty:
    st.warning(ui.T("map.no_kelurahan"))
    st.stop()

_static_ready()
city = ds.meta.city
st.title(ui.T("map.page_title", city=city))
ui.illustrative_note(ds)

key = (ctx.dataset_name, ctx.version)
base = map_data.base_layers(ds, key)
geo_url = offline_assets.publish_geometry(base.geo_json, base.geo_hash)  # once per version; a stat after
year = ctx.year
yl = map_data.year_layer(ds, year, L, key) if year is not None else None
if year is None or ds.period_of_year(year) is None:
    st.info(ui.T("map.no_year", year=year if year is not None else "–"))

if ui.presenting():  # the projector's bar already picks year and kelurahan: no more controls here
    compare = False
else:
    c_find, c_cmp = st.columns([3, 1], vertical_alignment="bottom")
    map_find.finder(c_find, base.names, FIND_KEY, _found)  # a search box, not 8,500 options, for a province
    compare = c_cmp.toggle(ui.T("map.compare"), key=COMPARE_KEY)

height = ui.map_height()  # taller on the projector (presentation mode)
selected = ui.selected_kelurahan()
if selected not in base.names:
    selected = None

if not compare:
    col_map, col_panel = st.columns([13, 7], gap="medium")
    with col_map:
        _map(base, yl, L, city, MAIN_KEY, height, selected, geo_url, focus=st.session_state.get(FOCUS_KEY))
    with col_panel:
        if selected:
            _profile(ds, base, selected, year, L)
        else:
            st.info(ui.T("map.click_hint"), icon=":material/touch_app:")
else:
    years = ds.years
    period = ctx.period
    default_left = period.baseline_year if period is not None and period.baseline_year in years else years[0]
    if st.session_state.get(CMP_YEAR_KEY) not in years:
        st.session_state[CMP_YEAR_KEY] = default_left
    left_year = st.selectbox(ui.T("map.compare_left"), options=years, key=CMP_YEAR_KEY)
    yl_left = map_data.year_layer(ds, left_year, L, key)
    c_left, c_right = st.columns(2, gap="small")
    with c_left:
        _map(base, yl_left, L, city, CMP_KEYS[0], height, selected, geo_url, dynamic=False, sync=True)
    with c_right:
        _map(base, yl, L, city, CMP_KEYS[1], height, selected, geo_url, dynamic=False, sync=True)
    if selected:
        _profile(ds, base, selected, year, L)
    else:
        st.info(ui.T("map.click_hint"), icon=":material/touch_app:")
