"""Folium builders for the slum map: choropleth, outlines, labels, kawasan, investments, legend.

The map uses Leaflet only (see `offline_assets`): every layer is a small Leaflet script written
here, fed with the packed payloads of `map_data`. Text reaches the page only through DOM text
nodes (`textContent`) and script-safe JSON, never through innerHTML, so a kelurahan named
`<img src=x onerror=alert(1)>` shows as text and runs nothing.

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
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from utils.core.i18n import t
from utils.method.criteria import CLASS_COLORS, NO_DATA_CODE
from utils.store.dataset import Dataset
from utils.views import map_data, offline_assets
from utils.views.map_data import BaseLayers, YearLayer, _json, category_order

CANVAS_ABOVE = 1500  # above this many polygons draw on one canvas instead of one SVG path each
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = "&copy; OpenStreetMap contributors"
SAT_URL = "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}"
SAT_ATTR = "Esri, Maxar, Earthstar Geographics"
INVEST_COLOR = "#3f007d"

# The browser runtime: geometry loading and decoding, DOM-only tooltips, year restyling. Defined once per map page.
RUNTIME_JS = r"""
var K = window.kotaku = window.kotaku || {};
performance.mark("kotaku:script");
// The geometry document (see utils.map_data.encode_layer): fetched once from the app's static
// files (or inline in a standalone export). Layers register with onGeo and fill when it arrives.
K.geo = K.geo || null;
K.geoWaiters = K.geoWaiters || [];
K.onGeo = function (fn) { if (K.geo) fn(K.geo); else K.geoWaiters.push(fn); };
K.setGeo = function (G) {
  K.geo = G; K.names = {};
  G.kel.r.forEach(function (r) { K.names[r[0]] = r[1]; });
  var w = K.geoWaiters; K.geoWaiters = [];
  w.forEach(function (fn) { fn(G); });
  performance.mark("kotaku:layers-filled");
  K.markDrawn();
};
K.loadGeo = function (url) {
  K.geoUrl = url;
  var pre = window.__kotakuGeoFetch, abs = new URL(url, document.baseURI).href;  // started by kotaku-prefetch.js?
  (pre && pre.url === abs ? pre.p : fetch(url).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  })).then(function (G) { performance.mark("kotaku:geo-parsed"); K.setGeo(G); }).catch(function (e) {
    if (window.console) console.error("kotaku: map data " + url + ": " + e);
    var c = K.map.getContainer();
    c.setAttribute("data-kotaku-error", String(e));
    var box = L.control({position: "topleft"});
    box.onAdd = function () { return K.el("div", "kotaku-title kotaku-error", K.f.failed); };
    box.addTo(K.map);
  });
};
// Feature objects (properties only) of an encoded layer.
K.features = function (D) {
  var p = D.p, out = new Array(D.r.length);
  for (var i = 0; i < D.r.length; i++) {
    var props = {}, r = D.r[i];
    for (var j = 0; j < p.length; j++) props[p[j]] = r[j];
    out[i] = {type: "Feature", properties: props, geometry: null};
  }
  return out;
};
// An encoded layer as GeoJSON (for Leaflet's own layers, small layers only).
K.toGeoJSON = function (D, s) {
  var g = D.g, c = g.c, feats = K.features(D), out = [], x = 0, y = 0, k = 0, pi = 0, ri = 0;
  for (var i = 0; i < feats.length; i++) {
    var polys = [];
    for (var p = 0; p < g.n[i]; p++, pi++) {
      var rings = [];
      for (var r = 0; r < g.q[pi]; r++, ri++) {
        var len = g.l[ri], ring = new Array(len);
        for (var j = 0; j < len; j++, k += 2) { x += c[k]; y += c[k + 1]; ring[j] = [x / s, y / s]; }
        rings.push(ring);
      }
      polys.push(rings);
    }
    if (polys.length) { feats[i].geometry = {type: "MultiPolygon", coordinates: polys}; out.push(feats[i]); }
  }
  return {type: "FeatureCollection", features: out};
};
// An encoded layer straight to Web Mercator pixels at zoom 0 (what map.project(ll, 0) gives for
// EPSG:3857), one Float64Array per ring and a bounding box per feature: no LatLng objects.
K.project = function (D, s) {
  var g = D.g, c = g.c, nf = g.n.length, xy = new Float64Array(c.length), rings = new Array(nf);
  var bb = new Float64Array(nf * 4), x = 0, y = 0, k = 0, pi = 0, ri = 0;
  var DEG = Math.PI / 180, MAXS = Math.sin(85.0511287798 * DEG), FP = 4 * Math.PI;
  for (var i = 0; i < nf; i++) {
    var fr = [], x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, nr = 0;
    for (var p = 0; p < g.n[i]; p++) nr += g.q[pi++];
    for (var r = 0; r < nr; r++) {
      var len = g.l[ri++], start = k;
      for (var j = 0; j < len; j++, k += 2) {
        x += c[k]; y += c[k + 1];
        var sn = Math.sin(y / s * DEG);
        sn = sn > MAXS ? MAXS : (sn < -MAXS ? -MAXS : sn);
        var px = 256 * (x / s / 360 + 0.5), py = 256 * (0.5 - Math.log((1 + sn) / (1 - sn)) / FP);
        xy[k] = px; xy[k + 1] = py;
        if (px < x0) x0 = px; if (px > x1) x1 = px; if (py < y0) y0 = py; if (py > y1) y1 = py;
      }
      fr.push(xy.subarray(start, k));
    }
    rings[i] = fr; bb[4 * i] = x0; bb[4 * i + 1] = y0; bb[4 * i + 2] = x1; bb[4 * i + 3] = y1;
  }
  return {rings: rings, bb: bb};
};
// Fill a layer created empty (FastPolygons or L.geoJSON) with an encoded layer.
K.fill = function (layer, D, s) {
  if (!D) return;
  if (layer instanceof K.FastPolygons) layer.setData(D, s); else layer.addData(K.toGeoJSON(D, s));
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
    var tr = K.el("tr"); tr.appendChild(K.el("th", null, r[0])); tr.appendChild(K.el("td", null, r[1]));
    t.appendChild(tr);
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
  if (!K.map || !K.geo) return;
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
// One canvas for many polygons (province scale): projected once, redrawn per view, hit-tested
// for tooltips and clicks. Leaflet's own vector layers cost ~0.1 ms per polygon per redraw.
K.FastPolygons = L.Layer.extend({
  initialize: function (opts) {
    this._o = L.extend({fill: true, color: "#ffffff", weight: 1, interactive: true}, opts || {});
    this._styleFn = null; this._feats = []; this._rings = []; this._bb = new Float64Array(0); this._fill = [];
  },
  setData: function (D, s) {  // project every ring once to zoom-0 pixels; bounding boxes for culling
    var P = K.project(D, s);
    this._feats = K.features(D); this._rings = P.rings; this._bb = P.bb;
    this._fill = new Array(this._feats.length);
    this.restyle();
    if (this._map) this._redraw();
    return this;
  },
  onAdd: function (map) {
    this._map = map;
    if (!this._c) this._c = L.DomUtil.create("canvas", "leaflet-zoom-animated");
    this._c.style.pointerEvents = "none";
    map.getPane("overlayPane").appendChild(this._c);
    map.on("moveend resize", this._redraw, this);
    map.on("zoomanim", this._anim, this);
    if (this._o.interactive) {
      map.on("mousemove", this._hover, this); map.on("click", this._click, this); map.on("mouseout", this._out, this);
    }
    this._redraw();
  },
  onRemove: function (map) {
    L.DomUtil.remove(this._c);
    map.off("moveend resize", this._redraw, this); map.off("zoomanim", this._anim, this);
    map.off("mousemove", this._hover, this); map.off("click", this._click, this); map.off("mouseout", this._out, this);
    if (this._tip) map.closeTooltip(this._tip);
  },
  setStyle: function (fn) { this._styleFn = fn; this.restyle(); if (this._map) this._redraw(); return this; },
  restyle: function () {
    var f = this._feats;
    for (var i = 0; i < f.length; i++) this._fill[i] = this._styleFn ? this._styleFn(f[i]) : null;
  },
  getLayers: function () { return this._feats; },
  _anim: function (e) {
    var map = this._map, scale = map.getZoomScale(e.zoom, map.getZoom());
    var offset = map._latLngBoundsToNewLayerBounds(this._viewBounds, e.zoom, e.center).min;
    L.DomUtil.setTransform(this._c, offset, scale);
  },
  // Rings of feature i into path P in container pixels, skipping vertices that fall within
  // `DECIMATE` px of the last one drawn (at a province-wide zoom most do): far fewer edges to
  // rasterise, nothing visible lost. Rings arrive closed (last point = first), closePath ends them.
  _trace: function (P, i, s, ox, oy) {
    var rings = this._rings[i], D = 0.75;
    for (var r = 0; r < rings.length; r++) {
      var a = rings[r], n = a.length - 2, lx = a[0] * s + ox, ly = a[1] * s + oy;
      P.moveTo(lx, ly);
      for (var k = 2; k < n; k += 2) {
        var x = a[k] * s + ox, y = a[k + 1] * s + oy;
        if ((x > lx ? x - lx : lx - x) + (y > ly ? y - ly : ly - y) < D) continue;
        P.lineTo(x, y); lx = x; ly = y;
      }
      P.closePath();
    }
  },
  _redraw: function () {
    var map = this._map; if (!map) return;
    var size = map.getSize(), tl = map.containerPointToLayerPoint([0, 0]), dpr = window.devicePixelRatio || 1;
    this._viewBounds = map.getBounds();
    L.DomUtil.setPosition(this._c, tl);
    this._c.width = size.x * dpr; this._c.height = size.y * dpr;
    this._c.style.width = size.x + "px"; this._c.style.height = size.y + "px";
    var ctx = this._c.getContext("2d"), s = map.getZoomScale(map.getZoom(), 0);
    var org = map.getPixelOrigin(), ox = -org.x - tl.x, oy = -org.y - tl.y;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    var vx0 = -ox / s, vy0 = -oy / s, vx1 = (size.x - ox) / s, vy1 = (size.y - oy) / s, bb = this._bb, drawn = 0;
    var sel = -1, o = this._o, groups = {}, keys = [], self = this;
    // One path per style (a handful of draw calls, not one per polygon). Rings are oriented in
    // Python (exteriors one way, holes the other), so "nonzero" keeps the holes.
    for (var i = 0; i < this._rings.length; i++) {
      if (bb[4 * i + 2] < vx0 || bb[4 * i] > vx1 || bb[4 * i + 3] < vy0 || bb[4 * i + 1] > vy1) continue;
      drawn++;
      var st = this._fill[i] || o;
      if (this._fill[i] && st.weight > 2) sel = i;  // its outline goes on top of everything
      var k = (o.fill ? (st.fillColor || "#d9d9d9") + "|" +
               (st.fillOpacity === undefined ? 0.8 : st.fillOpacity) : "|") +
              "|" + (sel === i ? "" : (st.color || o.color) + "|" + (st.weight === undefined ? o.weight : st.weight) +
              "|" + (st.opacity === undefined ? 1 : st.opacity));
      if (!groups[k]) { groups[k] = []; keys.push(k); }
      groups[k].push(i);
    }
    // Chromium's path building grows faster than linearly with the number of subpaths in one
    // path (5,100 polygons: ~0.6 s, 200 polygons x 25: ~0.05 s), so draw in chunks.
    var CHUNK = 200;
    keys.forEach(function (k) {
      var f = k.split("|"), idx = groups[k];
      if (o.fill) { ctx.globalAlpha = +f[1]; ctx.fillStyle = f[0]; }
      for (var c = 0; c < idx.length; c += CHUNK) {
        ctx.beginPath();
        for (var j = c; j < Math.min(c + CHUNK, idx.length); j++) self._trace(ctx, idx[j], s, ox, oy);
        if (o.fill) ctx.fill("nonzero");
      }
    });
    keys.forEach(function (k) {  // every border after every fill: none half covered by a neighbour
      var f = k.split("|"), idx = groups[k];
      if (!f[2]) return;
      ctx.strokeStyle = f[2]; ctx.lineWidth = +f[3]; ctx.globalAlpha = +f[4];
      ctx.lineJoin = +f[3] > 1.5 ? "round" : "miter";  // round joins cost raster time; invisible at 1 px
      for (var c = 0; c < idx.length; c += CHUNK) {
        ctx.beginPath();
        for (var j = c; j < Math.min(c + CHUNK, idx.length); j++) self._trace(ctx, idx[j], s, ox, oy);
        ctx.stroke();
      }
    });
    if (sel >= 0) {
      ctx.beginPath(); this._trace(ctx, sel, s, ox, oy);
      ctx.lineJoin = "round"; ctx.globalAlpha = 1; ctx.strokeStyle = this._fill[sel].color;
      ctx.lineWidth = this._fill[sel].weight; ctx.stroke();
    }
    this.drawn = drawn;
  },
  _hit: function (latlng) {
    var p = this._map.project(latlng, 0), x = p.x, y = p.y, bb = this._bb;
    for (var i = this._rings.length - 1; i >= 0; i--) {
      if (x < bb[4 * i] || x > bb[4 * i + 2] || y < bb[4 * i + 1] || y > bb[4 * i + 3]) continue;
      var inside = false, rings = this._rings[i];
      for (var r = 0; r < rings.length; r++) {
        var a = rings[r], n = a.length;
        for (var k = 0, j = n - 2; k < n; j = k, k += 2) {
          if ((a[k + 1] > y) !== (a[j + 1] > y) &&
              x < (a[j] - a[k]) * (y - a[k + 1]) / (a[j + 1] - a[k + 1]) + a[k]) inside = !inside;
        }
      }
      if (inside) return this._feats[i];
    }
    return null;
  },
  _hover: function (e) {
    var f = this._hit(e.latlng), map = this._map;
    map.getContainer().style.cursor = f ? "pointer" : "";
    if (!f) { this._out(); return; }
    if (!this._tip) this._tip = L.tooltip({sticky: true, direction: "top", opacity: 0.95});
    if (this._tipFeature !== f) { this._tip.setContent(this._o.tooltip({feature: f})); this._tipFeature = f; }
    this._tip.setLatLng(e.latlng);
    if (!map.hasLayer(this._tip)) map.openTooltip(this._tip);
  },
  _out: function () { if (this._tip && this._map) { this._map.closeTooltip(this._tip); this._tipFeature = null; } },
  _click: function (e) {
    var f = this._hit(e.latlng);
    if (!f) return;
    var proxy = {feature: f, toGeoJSON: function () { return f; }};
    this.fire("click", {latlng: e.latlng, layer: proxy, sourceTarget: proxy, propagatedFrom: proxy});
    if (this._o.popups) L.popup().setLatLng(e.latlng).setContent(this._o.tooltip({feature: f})).openOn(this._map);
  }
});
K.setYear = function (Y, selected, title, period) {
  K.year = Y; K.selected = selected; K.period = period;
  if (K.choro) {
    K.choro.setStyle(K.choroStyle);
    if (!(K.choro instanceof K.FastPolygons))
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
    """Defines `window.kotaku` (decoding, tooltips, restyling) with the strings of `lang`."""

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
            "failed": t("map.geo_failed", lang),
        })


class Choropleth(_Layer):
    """Kelurahan polygons coloured by the category of `kotaku.year` (set by YearState).

    Created empty and filled when the geometry document arrives (`kotaku.onGeo`), so the layer
    exists for the layer control and for streamlit-folium's click binding from the start."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- if this.canvas %}
        var {{ this.get_name() }} = new kotaku.FastPolygons(
            {tooltip: kotaku.kelTip, popups: {{ this.popups|tojson }}}).setStyle(kotaku.choroStyle);
        {%- else %}
        var {{ this.get_name() }} = L.geoJSON(null, {style: kotaku.choroStyle});
        {{ this.get_name() }}.bindTooltip(kotaku.kelTip, {sticky: true, direction: "top", opacity: 0.95});
        {%- if this.popups %}
        {{ this.get_name() }}.bindPopup(kotaku.kelTip);
        {%- endif %}
        {%- endif %}
        kotaku.choro = {{ this.get_name() }};
        kotaku.nFeatures = {{ this.n }};
        kotaku.onGeo(function (G) { kotaku.fill({{ this.get_name() }}, G.kel, G.s); });
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, popups: bool = False):
        super().__init__("KelurahanLayer", t("map.layer_kelurahan", lang))
        self.n = base.n_features
        self.canvas = base.n_features > CANVAS_ABOVE
        self.popups = popups


class Outlines(_Layer):
    """Non-interactive outlines (kecamatan, city) drawn over the choropleth; `part`: the layer of
    the geometry document ("kec" or "outline")."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- if this.canvas %}
        var {{ this.get_name() }} = new kotaku.FastPolygons(L.extend({interactive: false}, {{ this.style }}));
        {%- else %}
        var {{ this.get_name() }} = L.geoJSON(null, {interactive: false, style: {{ this.style }}});
        {%- endif %}
        kotaku.onGeo(function (G) { kotaku.fill({{ this.get_name() }}, G[{{ this.part }}], G.s); });
        {% endmacro %}
    """)

    def __init__(self, part: str, style: dict, layer_name: str | None, control: bool = True,
                 canvas: bool = False):
        super().__init__("Outlines", layer_name, control=control)
        self.part = _json(part)
        self.style = _json(style)
        self.canvas = canvas


class Kawasan(_Layer):
    """Delineated kawasan of the SK period of the shown year (filtered in the browser)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        kotaku.kawasan = {{ this.get_name() }};
        kotaku.kawasanAll = [];
        kotaku.onGeo(function (G) {
            if (!G.kawasan) return;
            L.geoJSON(kotaku.toGeoJSON(G.kawasan, G.s), {
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
        });
        {% endmacro %}
    """)

    def __init__(self, lang: str):
        super().__init__("KawasanLayer", t("map.layer_kawasan", lang))


class Labels(_Layer):
    """Text labels as DOM text nodes; kelurahan labels appear only when zoomed in."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        kotaku.onGeo(function (G) { (function (group, kec, kel, map) {
            function mk(p, cls) {
                var span = kotaku.el("span", null, p[2]), wrap = kotaku.el("div");
                wrap.appendChild(span);
                return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: "kotaku-label " + cls, html: wrap, iconSize: null})});
            }
            // many kecamatan (a province): their names join the zoom-gated group instead
            var gated = kec.length > {{ this.max_kec }};
            if (!gated) kec.forEach(function (p) { group.addLayer(mk(p, "kec")); });
            var kelGroup = L.layerGroup((gated ? kec : kel).map(function (p) { return mk(p, gated ? "kec" : "kel"); }));
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
        })({{ this.get_name() }}, G.kecLabels, G.kelLabels, {{ this._parent.get_name() }}); });
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, extra_zoom: int = 1):
        super().__init__("Labels", t("map.layer_labels", lang))
        self.bounds = _json([list(base.bounds[0]), list(base.bounds[1])])
        self.extra_zoom = int(extra_zoom)
        self.max_kec = 60


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
            box.onAdd = function () {
                kotaku.titleEl = kotaku.el("div", "kotaku-title", {{ this.title }}); return kotaku.titleEl;
            };
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
                    try { P.map.setView(map.getCenter(), map.getZoom(), {animate: false}); }
                    finally { P.syncing = false; }
                });
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__("SyncSiblings")


class GeoSource(_Element):
    """Where the geometry document comes from: fetched from the app's static files (`url`, the
    normal case: the map script stays small and the browser caches the file) or inline (standalone
    export; `map_to_standalone_html` switches to inline by itself). Added after the layers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- if this.url %}
        kotaku.loadGeo({{ this.url_json }});
        {%- else %}
        kotaku.setGeo(JSON.parse({{ this.inline_json }}));
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, url: str | None):
        super().__init__("GeoSource")
        self._geo_json = base.geo_json
        self.url = url

    @property
    def url_json(self) -> str:
        return _json(self.url)

    @property
    def inline_json(self) -> str:
        return _json(self._geo_json)  # a JS string literal: JSON.parse of a string beats an object literal

    def inline_for_export(self) -> None:
        self.url = None


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
    Outlines("outline", {"color": "#102027", "weight": 3.5, "fill": False, "opacity": 1},
             t("map.layer_outline", lang), control=False, canvas=canvas).add_to(m)
    Labels(base, lang).add_to(m)
    Legend(lang, title_text(city, None, lang)).add_to(m)
    GeoSource(base, geo_url).add_to(m)
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
