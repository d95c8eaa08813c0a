"""Benchmark the map at province scale: our packed, simplified layer vs the naive folium.GeoJson.

    python bench/map_render.py [--boundaries PATH] [--features 8500] [--seed 1]
    python bench/map_render.py --app [--kinds dirty,clean]   # in the running app: bench/map_app.py

Without --boundaries it generates a province-sized layer (~8,500 desa/kelurahan, a clean coverage
with wiggly shared edges, several hundred thousand vertices) over an East-Java-like outline, plus
synthetic assessments for two years. With --boundaries it reads any file geopandas can (columns
kode_kel/kode, kelurahan/nama, kecamatan, kode_kec are looked for; others are made up).

For each approach it measures what the app pays:
- payload_bytes: what the browser receives for the first view: the JSON arguments streamlit-folium
  sends (script, feature groups, layer control, header, built exactly as `st_folium` builds them)
  plus, for ours, the geometry file it fetches once (rerun_bytes: the arguments alone, what every
  Streamlit rerun sends);
- server_s: server time of one year switch (ours: geometry cached, only the year part and the
  folium/streamlit-folium strings are built; naive: everything is rebuilt, as a page without
  caching would);
- browser_s: headless Chromium (Debian /usr/bin/chromium), from navigation start until every
  polygon is drawn, on a page served from 127.0.0.1 with the same local Leaflet.
The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import streamlit_folium as sf  # noqa: E402

from utils import store  # noqa: E402
from utils.method.criteria import CLASS_COLORS, CRITERION_IDS  # noqa: E402
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod  # noqa: E402
from utils.views import map_data, maps, offline_assets  # noqa: E402

OUT = ROOT / "bench" / "out" / "map_render"
CHROMIUM = "/usr/bin/chromium"
# a rough outline of mainland East Java (lon, lat)
PROVINCE = [
    (111.05, -7.05), (111.6, -6.95), (112.1, -6.85), (112.6, -6.88), (112.75, -7.15), (113.3, -7.22),
    (113.9, -7.55), (114.45, -7.75), (114.42, -8.25), (114.6, -8.7), (113.9, -8.45), (113.2, -8.35),
    (112.6, -8.42), (112.0, -8.3), (111.5, -8.28), (111.1, -8.15), (111.0, -7.6),
]


# ---- a province-sized layer ---------------------------------------------------------------------

def synthetic_province(n: int = 8500, seed: int = 1) -> gpd.GeoDataFrame:
    """A clean coverage of ~n wiggly polygons: Voronoi cells (denser around a few 'cities'),
    densified every ~200 m and displaced by one smooth field so neighbours share every vertex."""
    rng = np.random.default_rng(seed)
    region = shapely.Polygon(PROVINCE)
    minx, miny, maxx, maxy = region.bounds
    centres = rng.uniform([minx, miny], [maxx, maxy], size=(12, 2))
    pts: list[np.ndarray] = []
    while sum(len(p) for p in pts) < n:
        cand = rng.uniform([minx, miny], [maxx, maxy], size=(n, 2))
        near = np.exp(-((cand[:, None, :] - centres[None]) ** 2).sum(-1) / 0.02).sum(1)
        keep = rng.uniform(size=n) < 0.35 + 0.65 * np.minimum(near, 1.0)
        cand = cand[keep]
        cand = cand[shapely.contains_xy(region, cand[:, 0], cand[:, 1])]
        pts.append(cand)
    pts_arr = np.concatenate(pts)[:n]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts_arr), extend_to=region.buffer(0.5)))
    cells = shapely.intersection(cells, region)
    cells = cells[~shapely.is_empty(cells)]
    cells = shapely.segmentize(cells, 0.0018)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = 0.0012 * np.sin(y * 210 + 1.3) + 0.0005 * np.sin(x * 640 + y * 170) + 0.0002 * np.sin(y * 1900)
        dy = 0.0012 * np.sin(x * 190 + 0.4) + 0.0005 * np.cos(y * 610 - x * 230) + 0.0002 * np.cos(x * 1700)
        return np.round(np.column_stack([x + dx, y + dy]), 7)

    cells = shapely.transform(cells, wiggle)
    # codes: kabupaten (38) > kecamatan (~660) > desa, by nearest seed
    c = shapely.get_coordinates(shapely.point_on_surface(cells))
    kab_seed = c[rng.choice(len(c), 38, replace=False)]
    kec_seed = c[rng.choice(len(c), 660, replace=False)]
    kab = np.argmin(((c[:, None] - kab_seed[None]) ** 2).sum(-1), axis=1)
    kec = np.argmin(((c[:, None] - kec_seed[None]) ** 2).sum(-1), axis=1)
    syll = ["ka", "ra", "ng", "su", "bo", "ti", "wa", "je", "lo", "me", "no", "sa", "re", "gu", "ba", "di"]
    def name(i: int, k: int) -> str:
        r = np.random.default_rng(i * 7919 + k)
        return "".join(r.choice(syll, r.integers(2, 4))).capitalize() + r.choice(["", " Lor", " Kidul", "rejo", "sari"])
    kode_kec = [f"35.{10 + kb:02d}.{kc % 99 + 1:02d}" for kb, kc in zip(kab, kec)]
    return gpd.GeoDataFrame({
        "kode_kel": [f"{k}.{2001 + i:04d}" for i, k in enumerate(kode_kec)],
        "kelurahan": [name(i % 3000, 1) for i in range(len(cells))],  # same names recur, as in reality
        "kode_kec": kode_kec,
        "kecamatan": [name(int(kc), 2) for kc in kec],
    }, geometry=list(cells), crs="EPSG:4326")


def read_boundaries(path: Path) -> gpd.GeoDataFrame:
    g = gpd.read_file(path)
    g = g.to_crs(4326) if g.crs is not None else g.set_crs(4326)
    cols = {c.lower(): c for c in g.columns}
    def pick(*names):
        return next((cols[n] for n in names if n in cols), None)
    kode = pick("kode_kel", "kode", "kd_desa", "kode_desa", "id")
    nama = pick("kelurahan", "nama", "desa", "namobj", "name")
    kec = pick("kecamatan", "wadmkc", "nama_kec")
    kkec = pick("kode_kec")
    out = gpd.GeoDataFrame({
        "kode_kel": g[kode].astype(str) if kode else [f"99.{i:05d}" for i in range(len(g))],
        "kelurahan": g[nama].astype(str) if nama else [f"Desa {i}" for i in range(len(g))],
    }, geometry=g.geometry.values, crs="EPSG:4326")
    out["kode_kec"] = g[kkec].astype(str) if kkec else out["kode_kel"].str.rsplit(".", n=1).str[0]
    out["kecamatan"] = g[kec].astype(str) if kec else out["kode_kec"]
    return out[~out.geometry.is_empty & out.geometry.notna()].reset_index(drop=True)


def with_assessments(kel: gpd.GeoDataFrame, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    sub = kel.sample(frac=0.4, random_state=seed)
    rows = []
    for year, factor in ((2024, 1.0), (2025, 0.8)):
        p = (rng.uniform(0, 100, size=(len(sub), len(CRITERION_IDS)))
             * rng.uniform(0.2, 1.0, size=(len(sub), 1)) * factor)
        frame = pd.DataFrame(p, columns=[f"p_{c}" for c in CRITERION_IDS])
        frame.insert(0, "year", year)
        frame.insert(1, "sk_period", "2")
        frame.insert(2, "kode_kel", sub["kode_kel"].to_numpy())
        frame.insert(3, "area_ha", rng.uniform(0.5, 12, len(sub)).round(2))
        rows.append(frame)
    kec = kel[["kode_kec", "kecamatan", "geometry"]].copy()
    kec = gpd.GeoDataFrame(kec.groupby(["kode_kec", "kecamatan"], as_index=False).first(), crs="EPSG:4326")
    meta = DatasetMeta(name="bench", city="Provinsi uji", city_code="35", sk_periods=[SkPeriod("2", "uji", 2024)])
    return Dataset(meta=meta, kelurahan=kel, kecamatan=kec, assessments=pd.concat(rows, ignore_index=True))


# ---- what st_folium sends ------------------------------------------------------------------------

def component_args(m: folium.Map, groups=None, control=None) -> dict:
    """The arguments st_folium builds for its component (same private helpers, same order)."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    fg = None
    if groups:
        fg = "".join(sf._get_feature_group_string(g, map=m, idx=i) for i, g in enumerate(groups))
    lc = sf._get_layer_control_string(control, m) if control is not None else None
    return {"script": script, "html": html, "header": header, "feature_group": fg, "layer_control": lc,
            "_js_links": [u for _, u in m.default_js]}


def payload_bytes(args: dict) -> int:
    sent = {**{k: v for k, v in args.items() if not k.startswith("_")}, "js_links": args["_js_links"]}
    return len(json.dumps(sent, ensure_ascii=False).encode("utf-8"))


def page_html(args: dict, js_links: list[str], height: int = 900) -> str:
    """The component's iframe, reduced to what it does: load its js_links in order (ours: the
    geometry prefetch, then Leaflet), run the map script, then the feature groups and layer control
    (as streamlit-folium's frontend does). Links are the map's own, rebased from the component
    page to the bench folder."""
    body = (args["script"] + "\nwindow.map = map_div;\n" + (args.get("feature_group") or "")
            + "\n" + (args.get("layer_control") or ""))
    scripts = "".join(f"<script src='{u.replace(offline_assets.COMPONENT_PREFIX + '/', '')}'></script>"
                      for u in js_links)
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            "<link rel='stylesheet' href='vendor/leaflet-1.9.3/leaflet.css'>"
            "<link rel='stylesheet' href='css/map.css'>"
            f"{scripts}"
            f"{args['header']}</head><body style='margin:0'>"
            f"<div id='map_div' style='width:1280px;height:{height}px'></div>{args['html']}"
            f"<script>{body.replace('</script', '<' + '/script')}</script></body></html>")


# ---- the two approaches --------------------------------------------------------------------------

def ours(ds: Dataset, key: tuple, year: int) -> tuple[dict, float, float, Path]:
    """Ours as the page does it: geometry published once as a static file next to the bench page."""
    t0 = time.perf_counter()
    base = map_data.base_layers(ds, key)
    yl = map_data.year_layer(ds, year, "id", key)
    url = offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=OUT, prefix=".")
    cold = time.perf_counter() - t0
    times = []
    for i in range(5):  # a year switch once cached: build the folium objects and the strings
        y = year if i % 2 == 0 else year + 1
        t0 = time.perf_counter()
        yl = map_data.year_layer(ds, y, "id", key)
        url = offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=OUT, prefix=".")
        m = maps.base_map(base, "id", ds.meta.city, geo_url=url)
        args = component_args(m, maps.year_groups(base, yl, "id", ds.meta.city), maps.layer_control())
        times.append(time.perf_counter() - t0)
    m = maps.base_map(base, "id", ds.meta.city, geo_url=url)
    args = component_args(m, maps.year_groups(base, map_data.year_layer(ds, year, "id", key), "id", ds.meta.city),
                          maps.layer_control())
    return args, statistics.median(times), cold, offline_assets.geometry_path(base.geo_hash, OUT)


def naive(ds: Dataset, year: int) -> tuple[dict, float]:
    from utils.analysis import trends

    t0 = time.perf_counter()
    cats = trends.kelurahan_year(ds, year)[["kode_kel", "category"]]
    gdf = ds.kelurahan.merge(cats, on="kode_kel", how="left")
    m = folium.Map(location=[-7.6, 112.7], zoom_start=8, tiles=None)
    offline_assets.use_local_assets(m, prefix="")  # same local Leaflet (folium's CDNs are unreachable offline)
    folium.GeoJson(gdf, style_function=lambda f: {"fillColor": CLASS_COLORS.get(f["properties"]["category"], "#d9d9d9"),
                                                  "color": "#ffffff", "weight": 1, "fillOpacity": 0.8}).add_to(m)
    m.fit_bounds([[gdf.total_bounds[1], gdf.total_bounds[0]], [gdf.total_bounds[3], gdf.total_bounds[2]]])
    args = component_args(m)
    return args, time.perf_counter() - t0


# ---- the browser ---------------------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


TIMELINE_JS = """() => {
  const out = {};
  for (const r of performance.getEntriesByType('resource')) {
    const k = r.name.includes('leaflet.js') ? 'leaflet_js' : r.name.includes('/maps/geo-') ? 'geo_file' : null;
    if (k) { out[k + '_request'] = r.requestStart; out[k + '_loaded'] = r.responseEnd; }
  }
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) { out.html_loaded = nav.responseEnd; out.dom_content_loaded = nav.domContentLoadedEventEnd; }
  for (const m of performance.getEntriesByType('mark')) out[m.name.replace('kotaku:', '')] = m.startTime;
  out.drawn = window.__kotakuDrawnAt;
  for (const k in out) out[k] = Math.round(out[k]);
  return out;
}"""


def browser_times(url: str, pages: dict[str, int], runs: int = 3) -> tuple[dict[str, float], dict]:
    """Seconds from navigation start until all polygons are drawn, median of `runs`; and for ours
    the performance timeline of the median run (ms since navigation start)."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    timeline: dict = {}
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, n in pages.items():
            samples = []
            lines = []
            for _ in range(runs):
                ctx = b.new_context(viewport={"width": 1280, "height": 900})
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
                page = ctx.new_page()
                page.goto(f"{url}/{name}.html", wait_until="commit", timeout=300_000)
                if name == "ours":
                    page.wait_for_function("() => window.__kotakuDrawnAt && kotaku.year.y !== null", timeout=300_000,
                                           polling=50)
                    drawn = page.evaluate("() => kotaku.choro.drawn !== undefined ? kotaku.choro.drawn"
                                          " : Object.keys(kotaku.choro._layers).length")
                    t = page.evaluate("() => window.__kotakuDrawnAt") / 1000.0
                    lines.append((t, page.evaluate(TIMELINE_JS)))
                else:
                    page.wait_for_function(
                        f"() => document.querySelectorAll('path.leaflet-interactive').length >= {n}",
                        timeout=300_000, polling=50)
                    t = page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
                                      "() => r(performance.now()))))") / 1000.0
                    drawn = page.evaluate("() => document.querySelectorAll('path.leaflet-interactive').length")
                if drawn < n:
                    raise RuntimeError(f"{name}: only {drawn} of {n} polygons drawn")
                page.screenshot(path=str(OUT / f"{name}.png"))
                samples.append(t)
                ctx.close()
            out[name] = round(statistics.median(samples), 3)
            if lines:
                timeline = sorted(lines, key=lambda x: x[0])[len(lines) // 2][1]
        b.close()
    return out, timeline


def pasuruan_year_switch() -> dict | None:
    if not store.sample_path().exists():
        return None
    ds = store.load(store.SAMPLE_NAME)
    key = (store.SAMPLE_NAME, 1)
    _, switch, cold, _ = ours(ds, key, 2024)
    base = map_data.base_layers(ds, key)
    return {"features": base.n_features, "year_switch_server_s": round(switch, 4), "cold_build_s": round(cold, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--boundaries", type=Path,
                    help="a boundary file (shp, gpkg, geojson...) instead of the generated layer")
    ap.add_argument("--features", type=int, default=8500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--app", action="store_true",
                    help="app mode (bench/map_app.py): streamlit run app.py, import, first view / restart / warm")
    ap.add_argument("--kinds", default="dirty,clean", help="app mode: generated layer kinds, comma-separated")
    a = ap.parse_args()
    if a.app:
        from bench.map_app import main_app

        print(json.dumps(main_app(a.features, a.seed, a.runs, a.kinds.split(","), OUT / "app")))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    kel = read_boundaries(a.boundaries) if a.boundaries else synthetic_province(a.features, a.seed)
    ds = with_assessments(kel, a.seed)
    verts = int(shapely.get_num_coordinates(kel.geometry.values).sum())
    print(f"layer: {len(kel)} polygons, {verts} vertices, clean coverage "
          f"{bool(shapely.coverage_is_valid(kel.geometry.values))} ({time.perf_counter() - t0:.1f} s to make)")
    _ = ds.scored  # score once, outside the timings (the app caches the scored dataset too)

    ours_args, ours_switch, ours_cold, geo_file = ours(ds, ("bench", 1), 2024)
    base = map_data.base_layers(ds, ("bench", 1))
    print(f"ours: tolerance {base.tolerance_m:.0f} m, grid 1e-{base.decimals}, vertices {base.vertices_in} -> "
          f"{base.vertices_out}, cold build {ours_cold:.2f} s, year switch {ours_switch * 1000:.0f} ms, "
          f"per-rerun arguments {payload_bytes(ours_args)} B, geometry file {geo_file.stat().st_size} B")
    naive_args, naive_s = naive(ds, 2024)
    print(f"naive: build {naive_s:.2f} s")

    offline_assets.ensure_static(OUT)
    (OUT / "ours.html").write_text(page_html(ours_args, ours_args["_js_links"]), encoding="utf-8")
    (OUT / "naive.html").write_text(page_html(naive_args, naive_args["_js_links"]), encoding="utf-8")
    srv, url = serve(OUT)
    try:
        bt, timeline = browser_times(url, {"ours": len(kel), "naive": len(kel)}, runs=a.runs)
    finally:
        srv.shutdown()
    print("ours, performance timeline of the median run (ms since navigation start): "
          + ", ".join(f"{k} {v}" for k, v in sorted(timeline.items(), key=lambda kv: kv[1])))
    pas = pasuruan_year_switch()
    if pas:
        print(f"Kota Pasuruan sample: year switch {pas['year_switch_server_s'] * 1000:.0f} ms server time once cached")
    result = {
        "features": len(kel),
        "vertices": verts,
        "ours": {"payload_bytes": payload_bytes(ours_args) + geo_file.stat().st_size,
                 "server_s": round(ours_switch, 4), "browser_s": bt["ours"], "cold_build_s": round(ours_cold, 3),
                 "rerun_bytes": payload_bytes(ours_args), "geometry_file_bytes": geo_file.stat().st_size},
        "naive": {"payload_bytes": payload_bytes(naive_args), "server_s": round(naive_s, 4),
                  "browser_s": bt["naive"]},
    }
    if pas:
        result["pasuruan"] = pas
    print(f"screenshots: {OUT}/ours.png, {OUT}/naive.png")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
