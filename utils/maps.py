"""Folium builders for the slum map: choropleth, outlines, labels, kawasan, investments, legend.

The map uses Leaflet only (see `offline_assets`): every layer is a small Leaflet script written
here, fed with the packed payloads of `map_data`. Text reaches the page only through DOM text
nodes (`textContent`) and script-safe JSON, never through innerHTML, so a kelurahan named
`<img src=x onerror=alert(1)>` shows as text and runs nothing.

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
from folium.map import Layer
from folium.template import Template
from branca.element import MacroElement

from utils import offline_assets
from utils.criteria import CLASS_COLORS, NO_DATA_CODE
from utils.i18n import t
from utils.map_data import BaseLayers, YearLayer, _json, category_order

CANVAS_ABOVE = 1500  # above this many polygons draw on one canvas instead of one SVG path each
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = "&copy; OpenStreetMap contributors"
SAT_URL = "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}"
SAT_ATTR = "Esri, Maxar, Earthstar Geographics"
INVEST_COLOR = "#3f007d"

# The browser runtime: unpacking, DOM-only tooltips, year restyling. Defined once per map page.
RUNTIME_JS = r"""
var K = window.kotaku = window.kotaku || {};
K.unpack = function (P) {
  var s = P.s, np = P.p.length, feats = [];
  for (var i = 0; i < P.f.length; i++) {
    var r = P.f[i], props = {};
    for (var j = 0; j < np; j++) props[P.p[j]] = r[j];
    var polys = r[np].map(function (poly) {
      return poly.map(function (ring) {
        var out = new Array(ring.length / 2), x = 0, y = 0;
        for (var k = 0; k < ring.length; k += 2) { x += ring[k]; y += ring[k + 1]; out[k / 2] = [x / s, y / s]; }
        return out;
      });
    });
    feats.push({type: "Feature", properties: props, geometry: {type: "MultiPolygon", coordinates: polys}});
  }
  return {type: "FeatureCollection", features: feats};
};
K.el = function (tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};
K.table = function (title, rows) {
  var d = K.el("div", "kotaku-tip"), t = K.el("table");
  d.appendChild(K.el("div", "kn", title));
  rows.forEach(function (r) {
    var tr = K.el("tr"); tr.appendChild(K.el("th", null, r[0])); tr.appendChild(K.el("td", null, r[1])); t.appendChild(tr);
  });
  d.appendChild(t);
  return d;
};
K.year = K.year || {y: null, d: {}};
K.selected = K.selected || null;
K.period = K.period || null;
K.rec = function (kode) { return K.year.d[kode] || null; };
K.choroStyle = function (f) {
  var r = K.rec(f.properties.kode_kel), c = r ? r[0] : "ND", sel = f.properties.kode_kel === K.selected;
  return {fillColor: K.colors[c] || K.colors.ND, fillOpacity: 0.82, color: sel ? "#111111" : "#ffffff",
          weight: sel ? 4 : 1, opacity: 1};
};
K.kelTip = function (layer) {
  var p = layer.feature.properties, r = K.rec(p.kode_kel);
  return K.table(p.kelurahan, [
    [K.f.kec, p.kecamatan], [K.f.cat, K.classes[r ? r[0] : "ND"]],
    [K.f.score, r && r[1] !== null ? r[1] : "\u2013"], [K.f.ha, r ? r[2] : "\u2013"]]);
};
K.markDrawn = function () {
  if (!K.map) return;
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    var c = K.map.getContainer();
    c.setAttribute("data-kotaku-features", String(K.nFeatures || 0));
    c.setAttribute("data-kotaku-year", String(K.year.y));
    c.setAttribute("data-kotaku-selected", K.selected || "");
    window.__kotakuDrawnAt = performance.now();
  }); });
};
K.applyKawasan = function () {
  if (!K.kawasan) return;
  K.kawasan.clearLayers();
  (K.kawasanAll || []).forEach(function (l) {
    if (!K.period || l.feature.properties.sk_period === K.period) K.kawasan.addLayer(l);
  });
};
K.setYear = function (Y, selected, title, period) {
  K.year = Y; K.selected = selected; K.period = period;
  if (K.choro) {
    K.choro.setStyle(K.choroStyle);
    K.choro.eachLayer(function (l) { if (l.feature.properties.kode_kel === selected) l.bringToFront(); });
  }
  K.applyKawasan();
  if (K.titleEl) K.titleEl.textContent = title;
  K.markDrawn();
};
"""


class _Element(MacroElement):
    """A MacroElement with our template; `_name` gives readable variable names."""

    def __init__(self, name: str):
        super().__init__()
        self._name = name


class _Layer(Layer):
    def __init__(self, name: str, layer_name: str | None, overlay: bool = True, control: bool = True,
                 show: bool = True):
        super().__init__(name=layer_name, overlay=overlay, control=control, show=show)
        self._name = name


class Runtime(_Element):
    """Defines `window.kotaku` (unpacking, tooltips, restyling) with the strings of `lang`."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.runtime }}
        K.map = {{ this._parent.get_name() }};
        K.colors = {{ this.colors }}; K.classes = {{ this.classes }}; K.f = {{ this.fields }};
        K.map.fitBounds({{ this.bounds }}, {padding: [8, 8], animate: false});
        {% endmacro %}
    """)

    def __init__(self, lang: str, bounds: tuple):
        super().__init__("KotakuRuntime")
        self.runtime = RUNTIME_JS
        self.bounds = _json([list(bounds[0]), list(bounds[1])])
        self.colors = _json(CLASS_COLORS)
        self.classes = _json({c: t(f"class.{c}", lang) for c in category_order()})
        self.fields = _json({
            "kec": t("map.field_kecamatan", lang), "cat": t("map.field_category", lang),
            "score": t("map.field_score", lang), "ha": t("map.field_slum_ha", lang),
            "kel": t("map.field_kelurahan", lang), "kaw": t("map.field_kawasan", lang),
            "inv": t("map.field_investments", lang), "bud": t("map.field_budget", lang),
        })


class Choropleth(_Layer):
    """Kelurahan polygons coloured by the category of `kotaku.year` (set by YearState)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(kotaku.unpack({{ this.data }}), {
            style: kotaku.choroStyle,
            {%- if this.canvas %} renderer: L.canvas({padding: 0.3}), {%- endif %}
        });
        {{ this.get_name() }}.bindTooltip(kotaku.kelTip, {sticky: true, direction: "top", opacity: 0.95});
        {%- if this.popups %}
        {{ this.get_name() }}.bindPopup(kotaku.kelTip);
        {%- endif %}
        kotaku.choro = {{ this.get_name() }};
        kotaku.nFeatures = {{ this.n }};
        kotaku.markDrawn();
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, popups: bool = False):
        super().__init__("KelurahanLayer", t("map.layer_kelurahan", lang))
        self.data = base.kel_json
        self.n = base.n_features
        self.canvas = base.n_features > CANVAS_ABOVE
        self.popups = popups


class Outlines(_Layer):
    """Non-interactive outlines (kecamatan, city) drawn over the choropleth."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON(kotaku.unpack({{ this.data }}), {
            interactive: false,
            style: {{ this.style }},
            {%- if this.canvas %} renderer: L.canvas({padding: 0.3}), {%- endif %}
        });
        {% endmacro %}
    """)

    def __init__(self, data: str, style: dict, layer_name: str | None, control: bool = True,
                 canvas: bool = False):
        super().__init__("Outlines", layer_name, control=control)
        self.data = data
        self.style = _json(style)
        self.canvas = canvas


class Kawasan(_Layer):
    """Delineated kawasan of the SK period of the shown year (filtered in the browser)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        kotaku.kawasan = {{ this.get_name() }};
        kotaku.kawasanAll = [];
        L.geoJSON(kotaku.unpack({{ this.data }}), {
            style: {color: "#1a1a1a", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.0},
            onEachFeature: function (f, l) {
                l.bindTooltip(function () {
                    var p = f.properties;
                    return kotaku.table(p.kawasan || p.kawasan_id, [[kotaku.f.kaw, p.kawasan_id]]);
                }, {sticky: true});
                kotaku.kawasanAll.push(l);
            }
        });
        kotaku.applyKawasan();
        {% endmacro %}
    """)

    def __init__(self, data: str, lang: str):
        super().__init__("KawasanLayer", t("map.layer_kawasan", lang))
        self.data = data


class Labels(_Layer):
    """Text labels as DOM text nodes; kelurahan labels appear only when zoomed in."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group, kec, kel, map) {
            function mk(p, cls) {
                var span = kotaku.el("span", null, p[2]), wrap = kotaku.el("div");
                wrap.appendChild(span);
                return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: "kotaku-label " + cls, html: wrap, iconSize: null})});
            }
            kec.forEach(function (p) { group.addLayer(mk(p, "kec")); });
            var kelGroup = L.layerGroup(kel.map(function (p) { return mk(p, "kel"); }));
            var minZoom = null;
            function update() {
                if (minZoom === null) return;
                var on = map.getZoom() >= minZoom && map.hasLayer(group);
                if (on && !group.hasLayer(kelGroup)) group.addLayer(kelGroup);
                if (!on && group.hasLayer(kelGroup)) group.removeLayer(kelGroup);
            }
            map.whenReady(function () {
                minZoom = map.getBoundsZoom({{ this.bounds }}) + {{ this.extra_zoom }};
                update();
            });
            map.on("zoomend", update);
        })({{ this.get_name() }}, {{ this.kec }}, {{ this.kel }}, {{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, extra_zoom: int = 1):
        super().__init__("Labels", t("map.layer_labels", lang))
        self.kec = _json([list(p) for p in base.kec_labels])
        self.kel = _json([list(p) for p in base.kel_labels])
        self.bounds = _json([list(base.bounds[0]), list(base.bounds[1])])
        self.extra_zoom = int(extra_zoom)


class Investments(_Layer):
    """One circle per kelurahan with investments in the year, at its representative point."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function (group, D) {
            D.f.forEach(function (r) {
                var m = L.circleMarker([r[0], r[1]], {radius: Math.min(5 + 2 * Math.sqrt(r[3]), 15),
                    color: "#ffffff", weight: 1.5, fillColor: "{{ this.color }}", fillOpacity: 0.8});
                m.feature = {type: "Feature", properties: {kode_kel: r[2], kind: "investment"}};
                m.bindTooltip(function () {
                    var nm = (kotaku.names && kotaku.names[r[2]]) || r[2];
                    return kotaku.table(nm, [[kotaku.f.inv, r[3]], [kotaku.f.bud, r[4]]]);
                }, {direction: "top"});
                group.addLayer(m);
            });
        })({{ this.get_name() }}, {{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, data: str, layer_name: str, control: bool = True):
        super().__init__("Investments", layer_name, control=control)
        self.data = data
        self.color = INVEST_COLOR


class YearState(_Element):
    """Restyles the choropleth for one year and marks the selected kelurahan."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.setYear({{ this.data }}, {{ this.selected }}, {{ this.title }}, {{ this.period }});
        {% endmacro %}
    """)

    def __init__(self, year: YearLayer, selected: str | None, title: str):
        super().__init__("YearState")
        self.data = year.json
        self.selected = _json(selected)
        self.title = _json(title)
        self.period = _json(year.sk_period)


class Legend(_Element):
    """Class colours with their names and a 'no data' entry, plus a title box for the year."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, items, title) {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var d = kotaku.el("div", "kotaku-legend");
                d.appendChild(kotaku.el("div", "kt", title));
                items.forEach(function (it) {
                    var r = kotaku.el("div", "kr"), sw = kotaku.el("span", "ks");
                    sw.style.background = it[0];
                    r.appendChild(sw); r.appendChild(kotaku.el("span", null, it[1]));
                    d.appendChild(r);
                });
                return d;
            };
            legend.addTo(map);
            var box = L.control({position: "bottomleft"});
            box.onAdd = function () { kotaku.titleEl = kotaku.el("div", "kotaku-title", {{ this.title }}); return kotaku.titleEl; };
            box.addTo(map);
        })({{ this._parent.get_name() }}, {{ this.items }}, {{ this.legend_title }});
        {% endmacro %}
    """)

    def __init__(self, lang: str, title: str):
        super().__init__("Legend")
        self.items = _json([[CLASS_COLORS[c], t(f"class.{c}", lang)] for c in category_order()])
        self.legend_title = _json(t("map.legend_title", lang))
        self.title = _json(title)


class SyncSiblings(_Element):
    """Keep side-by-side maps on the same extent: each map follows the others' pans and zooms.

    Each streamlit-folium map lives in its own iframe of the same origin; a moved map sets the view
    of every sibling iframe whose `kotaku.sync` is on. Outside Streamlit (one map) it does nothing.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            kotaku.sync = true;
            function peers() {
                var out = [];
                try {
                    window.parent.document.querySelectorAll("iframe").forEach(function (f) {
                        var w = f.contentWindow;
                        if (w && w !== window && w.kotaku && w.kotaku.sync && w.kotaku.map) out.push(w.kotaku);
                    });
                } catch (e) { /* not embedded, or another origin */ }
                return out;
            }
            map.on("moveend", function () {
                if (kotaku.syncing) return;
                peers().forEach(function (P) {
                    P.syncing = true;
                    try { P.map.setView(map.getCenter(), map.getZoom(), {animate: false}); } finally { P.syncing = false; }
                });
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__("SyncSiblings")


class Names(_Element):
    """kode_kel -> kelurahan name, for marker tooltips."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.names = {{ this.data }};
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers):
        super().__init__("Names")
        self.data = _json({k: v[0] for k, v in base.names.items()})


# ---- builders ----------------------------------------------------------------------------------

def title_text(city: str, year: int | None, lang: str) -> str:
    return t("map.title", lang, city=city, year=year if year is not None else "–")


def base_map(base: BaseLayers, lang: str, city: str, *, popups: bool = False,
             basemaps: bool = True) -> folium.Map:
    """The map without anything year-specific: geometry, outlines, labels, kawasan, legend, basemaps."""
    (s, w), (n, e) = base.bounds
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=12, tiles=None, control_scale=True,
                   prefer_canvas=False, zoom_snap=0.25, zoom_delta=0.5)
    offline_assets.use_local_assets(m)
    Runtime(lang, base.bounds).add_to(m)
    Names(base).add_to(m)
    folium.FeatureGroup(name=t("map.basemap_none", lang), overlay=False, control=basemaps).add_to(m)
    if basemaps:
        folium.TileLayer(OSM_URL, attr=OSM_ATTR, name=t("map.basemap_osm", lang), show=False,
                         overlay=False, max_zoom=19).add_to(m)
        folium.TileLayer(SAT_URL, attr=SAT_ATTR, name=t("map.basemap_satellite", lang), show=False,
                         overlay=False, max_zoom=19).add_to(m)
    Choropleth(base, lang, popups=popups).add_to(m)
    if base.kawasan_json:
        Kawasan(base.kawasan_json, lang).add_to(m)
    canvas = base.n_features > CANVAS_ABOVE
    Outlines(base.kec_json, {"color": "#37474f", "weight": 2.2, "fill": False, "opacity": 0.9},
             t("map.layer_kecamatan", lang), canvas=canvas).add_to(m)
    Outlines(base.outline_json, {"color": "#102027", "weight": 3.5, "fill": False, "opacity": 1},
             t("map.layer_outline", lang), control=False).add_to(m)
    Labels(base, lang).add_to(m)
    Legend(lang, title_text(city, None, lang)).add_to(m)
    return m


def year_groups(base: BaseLayers, year: YearLayer, lang: str, city: str,
                selected: str | None = None) -> list[folium.FeatureGroup]:
    """What changes with the year (and the selection), as streamlit-folium dynamic feature groups."""
    group = folium.FeatureGroup(name=t("map.layer_investments", lang, year=year.year),
                                control=year.invest_json is not None)
    YearState(year, selected if selected in base.names else None, title_text(city, year.year, lang)).add_to(group)
    if year.invest_json:
        Investments(year.invest_json, t("map.layer_investments", lang, year=year.year), control=False).add_to(group)
    return [group]


def layer_control() -> folium.LayerControl:
    return folium.LayerControl(position="topright", collapsed=True)


def build_map(base: BaseLayers, year: YearLayer | None, lang: str, city: str, *,
              selected: str | None = None, popups: bool = True, basemaps: bool = True,
              sync: bool = False) -> folium.Map:
    """Everything in one static map (compare view, standalone export); `sync`: follow sibling maps."""
    m = base_map(base, lang, city, popups=popups, basemaps=basemaps)
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
