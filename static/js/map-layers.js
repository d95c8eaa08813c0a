/* KOTAKU map runtime, part 3 of 3: the layers, legend and sibling sync that the map script
 * creates with one call each (Python passes JSON config only; see utils/views/map_elements.py).
 * Every layer is created empty and filled when the geometry document arrives (K.onGeo), so it
 * exists from the start for the layer control and for streamlit-folium's click binding.
 * Needs map-core.js and map-canvas.js.
 */
(function () {
  "use strict";
  var K = window.kotaku;
  K.layers = K.layers || {};

  // Show `layer` inside `group` only from zoom `minZoom()` up (and while the group is on the map).
  // minZoom is a function so it can depend on the map (e.g. its bounds zoom) once the map is ready.
  K.zoomGate = function (map, group, layer, minZoom) {
    var z = null;
    function update() {
      if (z === null) return;
      var on = map.getZoom() >= z && map.hasLayer(group);
      if (on && !group.hasLayer(layer)) group.addLayer(layer);
      if (!on && group.hasLayer(layer)) group.removeLayer(layer);
    }
    map.whenReady(function () { z = minZoom(); update(); });
    map.on("zoomend", update);
    return update;
  };

  // Kelurahan polygons coloured by K.choroStyle (the category of K.year). cfg: {n, canvas, popups}.
  K.layers.choropleth = function (cfg) {
    var layer;
    if (cfg.canvas) {
      layer = new K.FastPolygons({tooltip: K.kelTip, popups: !!cfg.popups}).setStyle(K.choroStyle);
    } else {
      layer = L.geoJSON(null, {style: K.choroStyle});
      layer.bindTooltip(K.kelTip, {sticky: true, direction: "top", opacity: 0.95});
      if (cfg.popups) layer.bindPopup(K.kelTip);
    }
    K.choro = layer;
    K.nFeatures = cfg.n;
    K.onGeo(function (G) { K.fill(layer, G.kel, G.s); });
    return layer;
  };

  // Non-interactive outlines; cfg: {part: "kec" | "kab" | "outline", style, canvas}.
  // Kecamatan outlines sit in a group gated by the level of detail (K.lodOn): a province shows them
  // from the zoom of a kab/kota; the layer control switches the group.
  K.layers.outlines = function (cfg) {
    var layer = cfg.canvas ? new K.FastPolygons(L.extend({interactive: false}, cfg.style))
                           : L.geoJSON(null, {interactive: false, style: cfg.style});
    K.onGeo(function (G) { K.fill(layer, G[cfg.part], G.s); });
    if (cfg.part !== "kec") return layer;
    var group = L.layerGroup();
    function update() {
      var on = !!group._map && K.lodOn("kec");
      if (on && !group.hasLayer(layer)) group.addLayer(layer);
      if (!on && group.hasLayer(layer)) group.removeLayer(layer);
    }
    group.on("add", update);
    K.map.on("zoomend", update);
    K.onGeo(update);
    K.kecOutlines = {group: group, layer: layer};  // for tests
    return group;
  };

  // Delineated kawasan; only those of the SK period of the shown year are on (K.applyKawasan).
  K.layers.kawasan = function () {
    var group = L.featureGroup();
    K.kawasan = group;
    K.kawasanAll = [];
    K.onGeo(function (G) {
      if (!G.kawasan) return;
      L.geoJSON(K.toGeoJSON(G.kawasan, G.s), {
        style: {color: "#1a1a1a", weight: 2, dashArray: "6 4", fill: true, fillOpacity: 0.0},
        onEachFeature: function (f, l) {
          l.bindTooltip(function () {
            var p = f.properties;
            return K.table(p.kawasan || p.kawasan_id, [[K.f.kaw, p.kawasan_id]]);
          }, {sticky: true});
          K.kawasanAll.push(l);
        }
      });
      K.applyKawasan();
    });
    return group;
  };

  // Text labels as DOM text nodes; kelurahan labels only when zoomed in.
  // cfg: {bounds, extraZoom, maxKec}: many kecamatan (a province) join the zoom-gated group.
  K.layers.labels = function (map, cfg) {
    var group = L.layerGroup();
    function mk(p, cls) {
      var span = K.el("span", null, p[2]), wrap = K.el("div");
      wrap.appendChild(span);
      return L.marker([p[0], p[1]], {interactive: false, keyboard: false,
        icon: L.divIcon({className: "kotaku-label " + cls, html: wrap, iconSize: null})});
    }
    K.onGeo(function (G) {
      var kec = G.kecLabels, kel = G.kelLabels, gated = kec.length > cfg.maxKec;
      if (!gated) kec.forEach(function (p) { group.addLayer(mk(p, "kec")); });
      var gatedGroup = L.layerGroup((gated ? kec : kel).map(function (p) { return mk(p, gated ? "kec" : "kel"); }));
      K.zoomGate(map, group, gatedGroup, function () { return map.getBoundsZoom(cfg.bounds) + cfg.extraZoom; });
    });
    return group;
  };

  // One circle per kelurahan with investments in the year. D.f rows: [lat, lon, kode, count, budget].
  K.layers.investments = function (D, color) {
    var group = L.featureGroup();
    D.f.forEach(function (r) {
      var m = L.circleMarker([r[0], r[1]], {radius: Math.min(5 + 2 * Math.sqrt(r[3]), 15),
        color: "#ffffff", weight: 1.5, fillColor: color, fillOpacity: 0.8});
      m.feature = {type: "Feature", properties: {kode_kel: r[2], kind: "investment"}};
      m.bindTooltip(function () {
        var nm = (K.names && K.names[r[2]]) || r[2];
        return K.table(nm, [[K.f.inv, r[3]], [K.f.bud, r[4]]]);
      }, {direction: "top"});
      group.addLayer(m);
    });
    return group;
  };

  // Class colours with their names (items: [[colour, name], ...]) and a title box for the year.
  K.addLegend = function (map, items, legendTitle, title) {
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var d = K.el("div", "kotaku-legend");
      d.appendChild(K.el("div", "kt", legendTitle));
      items.forEach(function (it) {
        var r = K.el("div", "kr"), sw = K.el("span", "ks");
        sw.style.background = it[0];
        r.appendChild(sw); r.appendChild(K.el("span", null, it[1]));
        d.appendChild(r);
      });
      return d;
    };
    legend.addTo(map);
    var box = L.control({position: "bottomleft"});
    box.onAdd = function () { K.titleEl = K.el("div", "kotaku-title", title); return K.titleEl; };
    box.addTo(map);
    K.legend = legend;
  };

  // Side-by-side maps keep one extent: each streamlit-folium map lives in its own same-origin
  // iframe; a moved map sets the view of every sibling whose kotaku.sync is on.
  K.syncSiblings = function (map) {
    K.sync = true;
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
      if (K.syncing) return;
      peers().forEach(function (P) {
        P.syncing = true;
        try { P.map.setView(map.getCenter(), map.getZoom(), {animate: false}); } finally { P.syncing = false; }
      });
    });
  };
})();
