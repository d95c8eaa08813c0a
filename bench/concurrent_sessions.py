"""N browser sessions on one dataset, against one and against two `streamlit run` processes, with the
file store and with PostGIS: p50/p95 rerun latency and errors.

    python bench/concurrent_sessions.py [--sessions 10] [--features 8500] [--rts 3] [--steps 6]
                                        [--database-url postgresql://…] [--only file|postgis]

Builds a province-sized dataset (bench/province_pages.py: ~8,500 kelurahan, RT rows over six years),
saves it in a temporary GeoPackage folder and in PostgreSQL (a throwaway cluster from
tests/pg_cluster.py unless --database-url is given). For each store and process count, starts the
app processes, warms each up with one session, then runs N headless Chromium sessions at once
(/usr/bin/chromium, Playwright), spread over the processes. Each session opens the map page and
alternates: switch the year in the sidebar, click a kelurahan on the map. Latency is measured from
the action to the map showing its result (the map's `data-kotaku-year` / `data-kotaku-selected`,
set after the rerun's data is drawn). A step that does not finish within --timeout is an error.
The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
NAME = "provinsi_sesi"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict, log_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_dir / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],  # an edited source file must not rerun the sessions mid-bench
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"streamlit on {port} did not start; see {log.name}")


# a kelurahan whose centre is inside the map and clear of the controls (zoom top left, legend right)
PICK_JS = """(el, i) => {
  if (!window.kotaku || !kotaku.choro || !kotaku.map) return null;
  const size = kotaku.map.getSize();
  const ok = Object.values(kotaku.choro._layers).map(l => [l, kotaku.map.latLngToContainerPoint(l.getCenter())])
    .filter(([l, p]) => p.x > 70 && p.x < size.x - 260 && p.y > 70 && p.y < size.y - 60);
  if (!ok.length) return null;
  const [l, p] = ok[i % ok.length];
  return {kode: l.feature.properties.kode_kel, x: p.x, y: p.y};
}"""


def map_frame(page):
    """The map's iframe, looked up afresh each time (Streamlit may re-create it on a rerun)."""
    return page.frame_locator(MAP_IFRAME).first


async def map_attr(page, name: str) -> str:
    return await map_frame(page).locator(f"[{name}]").first.get_attribute(name) or ""


async def open_map(page, url: str, year: int, timeout_ms: int) -> None:
    await page.goto(f"{url}/?page=peta&dataset={NAME}&year={year}", wait_until="domcontentloaded",
                    timeout=timeout_ms)
    await map_frame(page).locator(f'[data-kotaku-year="{year}"]').wait_for(timeout=timeout_ms)


async def choose_year(page, year: int, timeout_ms: int) -> float:
    await page.keyboard.press("Escape")
    t0 = time.perf_counter()
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Tahun")
    await box.click(timeout=timeout_ms)
    await page.get_by_role("option", name=str(year), exact=True).click(timeout=timeout_ms)
    await map_frame(page).locator(f'[data-kotaku-year="{year}"]').wait_for(timeout=timeout_ms)
    return time.perf_counter() - t0


async def click_kelurahan(page, rng: random.Random, timeout_ms: int) -> float:
    """Click the centre of a random kelurahan; done when the map shows a new selection."""
    before = await map_attr(page, "data-kotaku-selected")
    target = None
    for _ in range(50):  # the map may be redrawing after the previous rerun
        target = await map_frame(page).locator("body").evaluate(PICK_JS, rng.randrange(1 << 30))
        if target:
            break
        await asyncio.sleep(0.2)
    if not target:
        raise RuntimeError("no clickable kelurahan on the map")
    box = await page.locator(MAP_IFRAME).first.bounding_box()
    t0 = time.perf_counter()
    await page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    changed = (f'[data-kotaku-selected]:not([data-kotaku-selected=""])'
               f':not([data-kotaku-selected="{before}"])')
    await map_frame(page).locator(changed).wait_for(timeout=timeout_ms)
    return time.perf_counter() - t0


async def session(browser, url: str, years: list[int], steps: int, think: float, seed: int,
                  timeout_ms: int, out: dict) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(think * seed * 0.5)  # sessions arrive over a few seconds, not in one instant
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    try:
        await open_map(page, url, years[-1], timeout_ms * 4)
        for step in range(steps):
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            try:
                if step % 2 == 0:
                    shown = await map_attr(page, "data-kotaku-year")
                    year = rng.choice([y for y in years if str(y) != shown])
                    out["year"].append(await choose_year(page, year, timeout_ms))
                else:
                    out["click"].append(await click_kelurahan(page, rng, timeout_ms))
            except Exception as exc:  # noqa: BLE001 - counted, the session goes on
                out["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"open: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    finally:
        await context.close()


async def run_sessions(urls: list[str], n: int, years: list[int], steps: int, think: float,
                       timeout_ms: int) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"year": [], "click": [], "errors": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for url in urls:  # warm-up: each process loads and scores the dataset once
            warm: dict = {"year": [], "click": [], "errors": []}
            await session(browser, url, years, 0, 0, 0, timeout_ms * 4, warm)
            if warm["errors"]:
                out["errors"] += [f"warm-up {url}: {e}" for e in warm["errors"]]
        t0 = time.perf_counter()
        await asyncio.gather(*(session(browser, urls[i % len(urls)], years, steps, think, i + 1, timeout_ms, out)
                               for i in range(n)))
        out["wall_s"] = time.perf_counter() - t0
        await browser.close()
    return out


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(q * (len(values) - 1))))], 2)


def summarise(label: str, procs: int, res: dict) -> dict:
    both = res["year"] + res["click"]
    row = {"store": label, "processes": procs, "steps": len(both), "errors": len(res["errors"]),
           "p50_s": pct(both, 0.5), "p95_s": pct(both, 0.95), "year_p50_s": pct(res["year"], 0.5),
           "year_p95_s": pct(res["year"], 0.95), "click_p50_s": pct(res["click"], 0.5),
           "click_p95_s": pct(res["click"], 0.95), "max_s": round(max(both), 2) if both else None,
           "wall_s": round(res.get("wall_s", 0), 1), "error_samples": sorted(set(res["errors"]))[:3]}
    print(f"{label:8s} {procs} proc  steps {row['steps']:3d}  p50 {row['p50_s']} s  p95 {row['p95_s']} s  "
          f"(year p50/p95 {row['year_p50_s']}/{row['year_p95_s']}, click {row['click_p50_s']}/{row['click_p95_s']})"
          f"  max {row['max_s']}  errors {row['errors']}  wall {row['wall_s']} s", flush=True)
    for e in row["error_samples"]:
        print(f"         error: {e}", flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--features", type=int, default=8500)
    ap.add_argument("--rts", type=int, default=3)
    ap.add_argument("--steps", type=int, default=6, help="actions per session (year switches and clicks)")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between a session's actions (±50%%)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a step counts as an error")
    ap.add_argument("--database-url", help="use this PostgreSQL instead of a throwaway cluster")
    ap.add_argument("--only", choices=["file", "postgis"])
    ap.add_argument("--processes", default="1,2", help="process counts to try (default 1,2)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop the apps and the cluster

    from province_pages import province_dataset

    from utils.store import files, postgis

    ds = province_dataset(args.features, args.rts)
    ds.meta.name = NAME
    years = sorted(int(y) for y in ds.assessments["year"].unique())
    print(f"dataset: {len(ds.kelurahan)} kelurahan, {len(ds.assessments):,} assessment rows, years {years}; "
          f"{args.sessions} sessions x {args.steps} steps", flush=True)
    rows = []
    cluster = None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        stores = []
        if args.only in (None, "file"):
            files.FileStore(tmp / "store").save(ds, NAME, author="bench")
            stores.append(("file", {"KOTAKU_DATA_DIR": str(tmp / "store")}))
        if args.only in (None, "postgis"):
            url = args.database_url
            if url is None:
                from tests import pg_cluster

                cluster = pg_cluster.start()
                url = cluster.url
            postgis.open_store(url).save(ds, NAME, author="bench")
            stores.append(("postgis", {"KOTAKU_DATABASE_URL": url, "KOTAKU_DATA_DIR": str(tmp / "empty")}))
        try:
            for label, extra in stores:
                for procs in (int(p) for p in args.processes.split(",")):
                    env = {k: v for k, v in os.environ.items() if k != "KOTAKU_DATABASE_URL"} | extra
                    apps = [start_app(env, tmp) for _ in range(procs)]
                    try:
                        res = asyncio.run(run_sessions([u for _, u in apps], args.sessions, years, args.steps,
                                                       args.think, int(args.timeout * 1000)))
                    finally:
                        for proc, _ in apps:
                            proc.terminate()
                            try:
                                proc.wait(20)
                            except subprocess.TimeoutExpired:
                                proc.kill()
                    rows.append(summarise(label, procs, res))
        finally:
            if cluster is not None:
                cluster.stop()
    print(json.dumps({"features": len(ds.kelurahan), "rows": len(ds.assessments), "sessions": args.sessions,
                      "steps": args.steps, "results": rows}))


if __name__ == "__main__":
    main()
