"""The map page in a real browser (Debian chromium) with every non-loopback request aborted.

Uses the built-in sample dataset (Kota Pasuruan), the default in the sidebar.
"""
from __future__ import annotations

import pytest

from utils import store
from utils.views import map_data

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def sample():
    if not store.sample_path().exists():
        pytest.skip("the sample dataset data/kota_pasuruan_sample.gpkg is not there yet")
    ds = store.load(store.SAMPLE_NAME)
    return ds, map_data.build_base_layers(ds)


def _open_map(page, app_url: str, year: int):
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.url, r.frame.url if r.frame else "")))
    page.goto(f"{app_url}/?page=peta&year={year}", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator(f'[data-kotaku-year="{year}"]').wait_for(timeout=90_000)
    return frame, requests


def _fills(frame) -> dict[str, str]:
    return frame.locator("body").evaluate(
        "() => Object.fromEntries(Object.values(kotaku.choro._layers).map("
        "l => [l.feature.properties.kode_kel, l.options.fillColor]))")


def _choose_year(page, year: int) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Tahun")
    box.click()
    page.get_by_role("option", name=str(year), exact=True).click()


def test_map_renders_offline_click_opens_profile_and_year_switch_recolours(app_url, offline_page, artifacts, sample):
    ds, base = sample
    page = offline_page
    frame, requests = _open_map(page, app_url, 2024)

    # offline render: every kelurahan polygon drawn, the iframe visible and tall
    n_paths = frame.locator("path.leaflet-interactive").count()
    assert n_paths >= base.n_features == len(ds.kelurahan)
    assert frame.locator("[data-kotaku-features]").get_attribute("data-kotaku-features") == str(base.n_features)
    iframe = page.locator(MAP_IFRAME).first
    assert iframe.is_visible()
    ibox = iframe.bounding_box()
    assert ibox is not None and ibox["height"] > 100
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "map_offline_2024.png"))
    from_map = [u for u, f in requests
                if "streamlit_folium" in f and not u.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))]
    assert from_map == []
    assert page.external_requests == [], f"external hosts requested: {page.external_requests}"

    # colours follow the sample's 2024 categories
    cats24 = map_data.build_year_layer(ds, 2024, "id", base).categories
    fills24 = _fills(frame)
    from utils.method.criteria import CLASS_COLORS
    assert fills24 == {k: CLASS_COLORS[c] for k, c in cats24.items()}

    # click a kelurahan assessed in 2024 -> its profile panel opens beside the map
    kode = sorted(k for k, c in cats24.items() if c != "ND")[0]
    name = base.names[kode][0]
    lat, lon = base.points[kode]
    pt = frame.locator("body").evaluate(f"() => kotaku.map.latLngToContainerPoint([{lat}, {lon}])")
    frame.locator("body").evaluate("() => { window.__sameMap = 1; }")
    page.mouse.click(ibox["x"] + pt["x"], ibox["y"] + pt["y"])
    page.get_by_role("heading", name=name).wait_for(timeout=30_000)
    frame.locator(f'[data-kotaku-selected="{kode}"]').wait_for(timeout=30_000)
    page.get_by_text("Kumuh Ringan").first.wait_for(state="visible", timeout=30_000)  # the panel's category
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / "map_click_profile.png"))
    zoom_before = frame.locator("body").evaluate("() => kotaku.map.getZoom()")

    # year switch: the same map (not re-mounted, viewport kept) recoloured for 2019
    _choose_year(page, 2019)
    frame.locator('[data-kotaku-year="2019"]').wait_for(timeout=60_000)
    cats19 = map_data.build_year_layer(ds, 2019, "id", base).categories
    fills19 = _fills(frame)
    assert fills19 == {k: CLASS_COLORS[c] for k, c in cats19.items()}
    assert fills19 != fills24
    assert frame.locator("body").evaluate("() => window.__sameMap") == 1
    assert frame.locator("body").evaluate("() => kotaku.map.getZoom()") == zoom_before
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "map_year_2019.png"))
