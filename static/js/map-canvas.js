/* KOTAKU map runtime, part 2 of 3: K.FastPolygons, one canvas for many polygons (province scale).
 * Needs map-core.js (K.project, K.features).
 */
(function () {
  "use strict";
  var K = window.kotaku;
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
        if (!f[2] || +f[4] === 0) return;  // no border (a province's kelurahan at a wide zoom)
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
})();
