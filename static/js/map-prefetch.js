/* Loaded before Leaflet by the map component: starts fetching the geometry document given as
 * ?geo=<url relative to the page> so the download (and JSON parse) overlaps Leaflet's download and
 * parse; kotaku.loadGeo (map-core.js) picks the promise up.
 */
(function () {
  var s = document.currentScript, m = s && /[?&]geo=([^&]+)/.exec(s.src);
  if (!m || !window.fetch) return;
  var url = new URL(decodeURIComponent(m[1]), document.baseURI).href;
  window.__kotakuGeoFetch = {url: url, p: fetch(url, {priority: "high"}).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  })};
  window.__kotakuGeoFetch.p.catch(function () {});
})();
