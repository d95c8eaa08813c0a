/* KOTAKU map runtime, part 1 of 3: window.kotaku (K), the geometry document, decoding, DOM-only
 * tooltips and the year state. Loaded after Leaflet, before map-canvas.js and map-layers.js.
 *
 * Python (utils/views/maps.py) writes only calls with JSON data into the map script:
 * kotaku.init(map, config), kotaku.layers.*(config), kotaku.setYear(...), kotaku.loadGeo(url).
 * Text reaches the page through textContent only, never innerHTML.
 */
(function () {
  "use strict";
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
            weight: sel ? 4 : 1, opacity: sel || K.lodOn("kel") ? 1 : 0};
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
  // Set by init() from Python's config: the map, class colours, class names, field labels.
  K.init = function (map, cfg) {
    K.map = map; K.colors = cfg.colors; K.classes = cfg.classes; K.f = cfg.fields; K.lodBounds = cfg.bounds;
    map.fitBounds(cfg.bounds, {padding: [8, 8], animate: false});
    var kelBorders = null;  // restyle only when the kelurahan borders switch on or off
    map.on("zoomend", function () {
      var on = K.lodOn("kel");
      if (on !== kelBorders) { kelBorders = on; K.restyle(); }
    });
  };
  // Level of detail of a province (G.lod, see utils.views.map_data.lod_config): a part ("kec"
  // outlines, "kel" borders) shows from lod[part] zoom levels past the zoom that fits the whole
  // area. Without lod (one city) everything shows at every zoom. Fills never change with zoom.
  K.lodOn = function (part) {
    var lod = K.geo && K.geo.lod;
    if (!lod || !K.map || !K.lodBounds || lod[part] === undefined) return true;
    return K.map.getZoom() >= K.map.getBoundsZoom(K.lodBounds) + lod[part];
  };
  // Re-apply K.choroStyle to the choropleth (after the year, the selection or a style change).
  K.restyle = function () {
    if (!K.choro) return;
    K.choro.setStyle(K.choroStyle);
    if (!(K.choro instanceof K.FastPolygons))
      K.choro.eachLayer(function (l) { if (l.feature.properties.kode_kel === K.selected) l.bringToFront(); });
  };
  K.setYear = function (Y, selected, title, period) {
    K.year = Y; K.selected = selected; K.period = period;
    K.restyle();
    K.applyKawasan();
    if (K.titleEl) K.titleEl.textContent = title;
    K.markDrawn();
  };
})();
