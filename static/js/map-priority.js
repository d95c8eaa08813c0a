/* KOTAKU map: the switch kategori kekumuhan / prioritas / jenis penanganan (issue 10).
 * Loaded after map-core.js, map-canvas.js and map-layers.js. Python (utils/views/priority_map.py)
 * writes kotaku.priorityInit(map, cfg) once and kotaku.setPriority(P) per year:
 *   P = {level: "kawasan" | "kelurahan", kel: {kode_kel: [priority|null, handling|null, class|null]},
 *        kaw: {"<sk_period>|<kawasan_id>": [...]}}
 * With level "kawasan" the kawasan are filled and the kelurahan are drawn pale behind them; with
 * "kelurahan" each kelurahan shows the best priority among its units. Text only via textContent.
 */
(function () {
  "use strict";
  var K = window.kotaku;
  K.mode = K.mode || "cat";
  K.prio = K.prio || null;
  // the category look of map-core.js; kept on K so that running this file twice never wraps a wrapper
  if (!K.choroStyle.kotakuPrio) { K.catStyle = K.choroStyle; K.catTip = K.kelTip; }
  var catStyle = function (f) { return K.catStyle(f); }, catTip = function (l) { return K.catTip(l); };
  var PALE = {fillColor: "#f4f4f4", fillOpacity: 0.55};

  function rec(p) { return p || [null, null, null]; }
  // The fill of one priority record in the current mode; null: no priority to show (not a slum).
  function fill(r) {
    var C = K.prioCfg;
    if (!r) return null;
    if (K.mode === "prio") return r[0] !== null ? C.prioColors[String(r[0])] : (r[1] ? C.naColor : null);
    return r[1] ? (C.handColors[r[1]] || C.naColor) : null;
  }
  K.choroStyle = function (f) {
    if (K.mode === "cat" || !K.prio || !K.prioCfg) return catStyle(f);
    var base = catStyle(f), kode = f.properties.kode_kel;
    if (K.prio.level === "kawasan") return L.extend({}, base, PALE);
    var c = fill(K.prio.kel[kode]);
    return L.extend({}, base, c ? {fillColor: c, fillOpacity: 0.85} : {fillColor: K.prioCfg.noneColor, fillOpacity: 0.6});
  };
  function label(r) {
    var C = K.prioCfg;
    return [[C.f.priority, r[0] !== null ? r[0] + (r[2] ? " (" + r[2] + ")" : "") : (r[1] ? C.f.na : "\u2013")],
            [C.f.handling, r[1] ? (C.handNames[r[1]] || r[1]) : "\u2013"]];
  }
  K.choroStyle.kotakuPrio = true;
  K.kelTip = function (layer) {
    var t = catTip(layer);
    if (!K.prio || !K.prioCfg || K.prio.level !== "kelurahan") return t;
    var r = K.prio.kel[layer.feature.properties.kode_kel];
    if (!r) return t;
    var table = t.querySelector("table");
    label(r).forEach(function (row) {
      var tr = K.el("tr"); tr.appendChild(K.el("th", null, row[0])); tr.appendChild(K.el("td", null, row[1]));
      table.appendChild(tr);
    });
    return t;
  };
  function kawKey(p) { return String(p.sk_period) + "|" + String(p.kawasan_id); }
  function styleKawasan() {
    (K.kawasanAll || []).forEach(function (l) {
      var show = K.mode !== "cat" && K.prio && K.prio.level === "kawasan";
      var c = show ? fill(K.prio.kaw[kawKey(l.feature.properties)]) : null;
      l.setStyle(show ? {fillColor: c || K.prioCfg.noneColor, fillOpacity: c ? 0.9 : 0.5}
                      : {fillOpacity: 0.0});
    });
    if (K.mode !== "cat" && K.prio && K.prio.level === "kawasan" && K.kawasan && !K.map.hasLayer(K.kawasan))
      K.map.addLayer(K.kawasan);
  }
  function bindKawasanTips() {
    (K.kawasanAll || []).forEach(function (l) {
      if (l._kotakuPrioTip) return;
      l._kotakuPrioTip = true;
      l.unbindTooltip();
      l.bindTooltip(function () {
        var p = l.feature.properties, rows = [[K.f.kaw, p.kawasan_id]];
        if (K.prio && K.prio.level === "kawasan" && K.prioCfg) rows = rows.concat(label(rec(K.prio.kaw[kawKey(p)])));
        return K.table(p.kawasan || p.kawasan_id, rows);
      }, {sticky: true});
    });
  }
  function legend() {
    var C = K.prioCfg, box = K.legend && K.legend.getContainer && K.legend.getContainer();
    if (!C || !box) return;
    var L0 = C.legends[K.mode];
    while (box.firstChild) box.removeChild(box.firstChild);
    box.appendChild(K.el("div", "kt", L0.title));
    L0.items.forEach(function (it) {
      var r = K.el("div", "kr");
      if (it[0] === "ramp") {  // ["ramp", [colours], first label, last label]: priority 1..9 on one row
        r.appendChild(K.el("span", null, it[2]));
        it[1].forEach(function (c, i) {
          var sw = K.el("span", "ks", String(i + 1));
          sw.style.background = c; sw.style.width = "16px"; sw.style.fontSize = "10px"; sw.style.textAlign = "center";
          sw.style.color = i < 4 ? "#ffffff" : "#1a1a1a"; sw.style.lineHeight = "14px";
          r.appendChild(sw);
        });
        r.style.gap = "2px";
        r.appendChild(K.el("span", null, it[3]));
      } else {
        var sw = K.el("span", "ks");
        sw.style.background = it[0];
        r.appendChild(sw); r.appendChild(K.el("span", null, it[1]));
      }
      box.appendChild(r);
    });
    if (L0.note) box.appendChild(K.el("div", "kn", L0.note));
  }
  K.applyMode = function () {
    K.restyle();
    styleKawasan();
    legend();
    var c = K.map && K.map.getContainer();
    if (c) c.setAttribute("data-kotaku-mode", K.mode);
    if (K.modeInputs) K.modeInputs.forEach(function (i) { i.checked = i.value === K.mode; });
  };
  K.setMode = function (mode) { K.mode = mode; K.applyMode(); };
  // cfg: {modes: [[id, label]], title, prioColors, handColors, handNames, naColor, noneColor, f, legends}
  K.priorityInit = function (map, cfg) {
    K.prioCfg = cfg;
    // bottom right, stacked above the legend it switches: the top left would cover the city's north-west
    var box = L.control({position: "bottomright"});
    box.onAdd = function () {
      var d = K.el("div", "kotaku-legend kotaku-mode");
      d.setAttribute("role", "radiogroup");
      d.setAttribute("aria-label", cfg.title);
      d.appendChild(K.el("div", "kt", cfg.title));
      d.style.padding = "4px 8px"; d.style.lineHeight = "1.3";
      K.modeInputs = [];
      cfg.modes.forEach(function (m) {
        var lab = K.el("label", "kr"), inp = K.el("input");
        inp.type = "radio"; inp.name = "kotaku-mode"; inp.value = m[0]; inp.checked = m[0] === K.mode;
        inp.setAttribute("data-kotaku-mode-option", m[0]);
        inp.addEventListener("change", function () { if (inp.checked) K.setMode(m[0]); });
        lab.appendChild(inp); lab.appendChild(K.el("span", null, m[1]));
        d.appendChild(lab);
        K.modeInputs.push(inp);
      });
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    box.addTo(map);
    K.onGeo(function () { bindKawasanTips(); styleKawasan(); });
  };
  K.setPriority = function (P) {
    K.prio = P;
    bindKawasanTips();
    K.applyMode();
  };
})();
