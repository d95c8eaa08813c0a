"""Folium builders for the slum map: choropleth, outlines, labels, kawasan, investments, legend.

The map uses Leaflet only (see `offline_assets`). Its browser code is in `static/js/map-*.js`;
the map script written here holds one call per layer (`map_elements`) with the packed payloads of
`map_data` as JSON. Text reaches the page only through DOM text nodes (`textContent`) and
script-safe JSON, never through innerHTML, so a kelurahan named `<img src=x onerror=alert(1)>`
shows as text and runs nothing.

The geometry of a dataset version is one JSON document (`map_data.BaseLayers.geo_json`). In the
app it is published once as a static file (`offline_assets.publish_geometry`) and fetched by the
map script (`GeoSource` with a URL), so the script sent on every Streamlit rerun stays a few kB
even for a province; the standalone export puts it inline. Layers are created empty and filled
when it arrives (`kotaku.onGeo`).

Two ways to use the builders:
- `build_map(...)`: one static map with everything (compare view, standalone HTML export);
- `base_map(...)` + `year_groups(...)`: the geometry and outlines stay in the map script while
  the year's categories, the selected kelurahan and the investment markers travel as
  streamlit-folium `feature_group_to_add`. A year switch then restyles the existing polygons in
  the browser: the map is not re-mounted and keeps its viewport.
"""
from __future__ import annotations

import html
import math

import folium

from utils.core.i18n import t
from utils.method.criteria import CLASS_COLORS, NO_DATA_CODE
from utils.store.dataset import Dataset
from utils.views import map_data, offline_assets
from utils.views.map_data import BaseLayers, YearLayer
from utils.views.map_elements import (
    CANVAS_ABOVE,
    Choropleth,
    GeoSource,
    Investments,
    Kawasan,
    Labels,
    Legend,
    Outlines,
    Runtime,
    SyncSiblings,
    YearState,
)
from utils.views.priority_map import PriorityControl, PriorityState

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = "&copy; OpenStreetMap contributors"
SAT_URL = "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}"
SAT_ATTR = "Esri, Maxar, Earthstar Geographics"


# ---- builders ----------------------------------------------------------------------------------

def title_text(city: str, year: int | None, lang: str) -> str:
    return t("map.title", lang, city=city, year=year if year is not None else "–")


def base_map(base: BaseLayers, lang: str, city: str, *, popups: bool = False,
             basemaps: bool = True, geo_url: str | None = None) -> folium.Map:
    """The map without anything year-specific: geometry, outlines, labels, kawasan, legend, basemaps.

    `geo_url`: the published geometry document (`offline_assets.publish_geometry`), fetched by the
    browser; None puts it inline in the script (small maps, tests, standalone export)."""
    (s, w), (n, e) = base.bounds
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=12, tiles=None, control_scale=True,
                   prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5)
    offline_assets.use_local_assets(m, geo_url=geo_url)
    Runtime(lang, base.bounds).add_to(m)
    folium.FeatureGroup(name=t("map.basemap_none", lang), overlay=False, control=basemaps).add_to(m)
    if basemaps:
        folium.TileLayer(OSM_URL, attr=OSM_ATTR, name=t("map.basemap_osm", lang), show=False,
                         overlay=False, max_zoom=19).add_to(m)
        folium.TileLayer(SAT_URL, attr=SAT_ATTR, name=t("map.basemap_satellite", lang), show=False,
                         overlay=False, max_zoom=19).add_to(m)
    Choropleth(base, lang, popups=popups).add_to(m)
    if base.has_kawasan:
        Kawasan(lang).add_to(m)
    canvas = base.n_features > CANVAS_ABOVE
    Outlines("kec", {"color": "#37474f", "weight": 2.2, "fill": False, "opacity": 0.9},
             t("map.layer_kecamatan", lang), canvas=canvas).add_to(m)
    if base.n_kab > 1:  # a province: kab/kota outlines at every zoom (kecamatan from a kab/kota's zoom)
        Outlines("kab", {"color": "#263238", "weight": 2.8, "fill": False, "opacity": 0.95},
                 t("prov.layer_kab", lang), canvas=canvas).add_to(m)
    Outlines("outline", {"color": "#102027", "weight": 3.5, "fill": False, "opacity": 1},
             t("map.layer_outline", lang), control=False, canvas=canvas).add_to(m)
    Labels(base, lang).add_to(m)
    Legend(lang, title_text(city, None, lang)).add_to(m)
    PriorityControl(lang).add_to(m)  # the switch kategori / prioritas / jenis penanganan
    GeoSource(base, geo_url).add_to(m)
    return m


def year_groups(base: BaseLayers, year: YearLayer, lang: str, city: str,
                selected: str | None = None) -> list[folium.FeatureGroup]:
    """What changes with the year (and the selection), as streamlit-folium dynamic feature groups."""
    group = folium.FeatureGroup(name=t("map.layer_investments", lang, year=year.year),
                                control=year.invest_json is not None)
    if year.priority_json:
        PriorityState(year.priority_json).add_to(group)  # before YearState, whose restyle draws it
    YearState(year, selected if selected in base.names else None, title_text(city, year.year, lang)).add_to(group)
    if year.invest_json:
        Investments(year.invest_json, t("map.layer_investments", lang, year=year.year), control=False).add_to(group)
    return [group]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)


def build_map(base: BaseLayers, year: YearLayer | None, lang: str, city: str, *,
              selected: str | None = None, popups: bool = True, basemaps: bool = True,
              sync: bool = False, geo_url: str | None = None) -> folium.Map:
    """Everything in one static map (compare view, standalone export); `sync`: follow sibling maps."""
    m = base_map(base, lang, city, popups=popups, basemaps=basemaps, geo_url=geo_url)
    if sync:
        SyncSiblings().add_to(m)
    if year is not None:
        for g in year_groups(base, year, lang, city, selected):
            g.add_to(m)
    layer_control().add_to(m)
    return m


def focus_view(base: BaseLayers, kode_kel: str, map_px: tuple[int, int] = (900, 600)) -> tuple[list[float], float]:
    """Centre and zoom that frame one kelurahan (Web Mercator zoom from its extent and the map size)."""
    (s, w), (n, e) = base.extents[kode_kel]
    lat_c = (s + n) / 2
    def merc_y(lat: float) -> float:
        r = math.radians(max(min(lat, 85.0), -85.0))
        return math.log(math.tan(math.pi / 4 + r / 2))
    span_x = max(e - w, 1e-5) / 360.0
    span_y = max(abs(merc_y(n) - merc_y(s)), 1e-7) / (2 * math.pi)
    zx = math.log2(map_px[0] / 256.0 / span_x)
    zy = math.log2(map_px[1] / 256.0 / span_y)
    zoom = max(min(math.floor(min(zx, zy) * 4) / 4 - 0.5, 17.0), 5.0)
    return [round(lat_c, 6), round((w + e) / 2, 6)], zoom


def escape_md(text: str) -> str:
    """Plain text for Streamlit markdown: HTML escaped and markdown punctuation backslashed."""
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_{}[]()#+-.!|~>":
        out = out.replace(ch, "\\" + ch)
    return out


def class_color(code: str) -> str:
    return CLASS_COLORS.get(code, CLASS_COLORS[NO_DATA_CODE])


def build_kelurahan_map(ds: Dataset, year: int | None, lang: str) -> folium.Map:
    """The Map page's map of `ds` for `year`, self-contained (for the briefing's HTML export:
    `map_to_standalone_html(build_kelurahan_map(ds, year, lang))`)."""
    key = (ds.meta.name, "export")
    base = map_data.base_layers(ds, key)
    yl = map_data.year_layer(ds, year, lang, key) if year is not None else None
    return build_map(base, yl, lang, ds.meta.city)


map_to_standalone_html = offline_assets.map_to_standalone_html
