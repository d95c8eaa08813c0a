"""The map switch kategori / prioritas / jenis penanganan in a real browser (Debian chromium).

The map is the same builder the Map page uses (`maps.base_map` + `year_groups` via `build_map`),
exported standalone so that the test needs the priority data only in the dataset it builds, not in
the app's store. Every non-loopback request is aborted (offline_page).
"""
from __future__ import annotations

import numpy as np
import pytest

from utils import store
from utils.method.criteria import CLASS_COLORS
from utils.method.priority_table import HANDLING_COLORS, NOT_ASSESSED_COLOR, PRIORITY_COLORS
from utils.sample.priority import add_priority_inputs
from utils.views import map_data, maps
from utils.views import priority as views
from utils.views.priority_map import NONE_COLOR

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(scope="module")
def sample():
    if not store.sample_path().exists():
        pytest.skip("the sample dataset is not there yet")
    ds = store.load(store.SAMPLE_NAME)
    if "l_9a" not in ds.assessments.columns:
        ds = add_priority_inputs(ds, np.random.default_rng(7))
    ds.meta.name = "priority_map_test"
    return ds


def _open(page, tmp_path, ds, year: int, lang: str = "en"):
    html = maps.map_to_standalone_html(maps.build_kelurahan_map(ds, year, lang))
    url = "http://127.0.0.1:9/priority-map.html"  # served from memory: the offline guard allows loopback only
    page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.goto(url)
    page.locator(f'[data-kotaku-year="{year}"]').wait_for(timeout=60_000)
    return page


def _kel_fills(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(Object.values(kotaku.choro._layers).map("
                         "l => [l.feature.properties.kode_kel, l.options.fillColor]))")


def _kaw_fills(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(kotaku.kawasanAll.filter(l => kotaku.kawasan.hasLayer(l)).map("
                         "l => [l.feature.properties.sk_period + '|' + l.feature.properties.kawasan_id,"
                         " [l.options.fillColor, l.options.fillOpacity]]))")


def _legend(page) -> list[str]:
    return page.locator(".kotaku-legend:not(.kotaku-mode)").inner_text().splitlines()


def test_switch_recolours_kawasan_by_priority_and_handling(offline_page, tmp_path, artifacts, sample):
    page = _open(offline_page, tmp_path, sample, 2019)
    level, areas = views.area_priorities(sample, 2019)
    assert level == "kawasan"
    base = map_data.build_base_layers(sample)
    cats = map_data.build_year_layer(sample, 2019, "en", base).categories
    # the category map as before
    assert _kel_fills(page) == {k: CLASS_COLORS[c] for k, c in cats.items()}
    assert "Kumuh Berat (heavy)" in _legend(page)
    assert page.locator("[data-kotaku-mode]").count() == 0 or \
        page.locator(".leaflet-container").get_attribute("data-kotaku-mode") in (None, "cat")

    # priority: kawasan filled with the fixed priority colours, kelurahan pale behind them
    page.get_by_role("radio", name="Priority").check()
    page.locator('[data-kotaku-mode="prio"]').wait_for(timeout=10_000)
    fills = _kaw_fills(page)
    for r in areas.itertuples():
        key = f"{r.sk_period}|{r.kawasan_id}"
        if r.sk_period != "1":
            continue
        if r.n_slum == 0:
            assert fills[key][0] == NONE_COLOR
        else:
            assert fills[key][0] == PRIORITY_COLORS[int(r.priority)], key
    assert set(_kel_fills(page).values()) == {"#f4f4f4"}
    legend = _legend(page)
    assert "Priority not assessed" in legend and "first" in " ".join(legend) and "9" in " ".join(legend)
    ramp = page.evaluate("() => Array.from(document.querySelectorAll('.kotaku-legend:not(.kotaku-mode) .kr')[0]"
                         ".querySelectorAll('.ks')).map(s => s.style.background)")
    assert len(ramp) == 9
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "map_priority_2019.png"))

    # type of handling
    page.get_by_role("radio", name="Type of handling").check()
    page.locator('[data-kotaku-mode="hand"]').wait_for(timeout=10_000)
    fills = _kaw_fills(page)
    resettle = [f"{r.sk_period}|{r.kawasan_id}" for r in areas.itertuples()
                if r.sk_period == "1" and str(r.handling) == "pemukiman_kembali"]
    assert resettle and all(fills[k][0] == HANDLING_COLORS["pemukiman_kembali"] for k in resettle)
    assert "Pemukiman kembali (resettlement)" in _legend(page)
    page.screenshot(path=str(artifacts / "map_handling_2019.png"))

    # back to the category: kawasan empty again, the class colours return
    page.get_by_role("radio", name="Slum category").check()
    page.locator('[data-kotaku-mode="cat"]').wait_for(timeout=10_000)
    assert {v[1] for v in _kaw_fills(page).values()} == {0.0}
    assert _kel_fills(page) == {k: CLASS_COLORS[c] for k, c in cats.items()}


def test_per_kelurahan_when_there_are_no_kawasan(offline_page, tmp_path, sample):
    ds = store.load(store.SAMPLE_NAME)
    if "l_9a" not in ds.assessments.columns:
        ds = add_priority_inputs(ds, np.random.default_rng(7))
    ds.kawasan = None
    ds.meta.name = "priority_map_kel"
    page = _open(offline_page, tmp_path, ds, 2025, "id")
    level, areas = views.area_priorities(ds, 2025)
    assert level == "kelurahan"
    page.get_by_role("radio", name="Prioritas").check()
    page.locator('[data-kotaku-mode="prio"]').wait_for(timeout=10_000)
    fills = _kel_fills(page)
    by = areas.set_index("kode_kel")
    for kode, color in fills.items():
        if kode not in by.index or by.loc[kode, "n_slum"] == 0:
            assert color == NONE_COLOR
        elif by.loc[kode, "priority"] is not None and str(by.loc[kode, "priority"]) != "<NA>":
            assert color == PRIORITY_COLORS[int(by.loc[kode, "priority"])], kode
        else:
            assert color == NOT_ASSESSED_COLOR, kode  # the blank kawasan's kelurahan: belum dinilai
    assert NOT_ASSESSED_COLOR in fills.values()
    # the tooltip of a kelurahan names its priority and handling
    kode = next(k for k in by.index if str(by.loc[k, "priority"]) not in ("<NA>", "nan"))
    tip = page.evaluate(f"() => {{ const l = Object.values(kotaku.choro._layers).find("
                        f"x => x.feature.properties.kode_kel === '{kode}'); return kotaku.kelTip(l).textContent; }}")
    assert "Prioritas" in tip and "Jenis penanganan" in tip


def test_switch_on_the_map_page_of_the_app(app_url, offline_page, artifacts, sample):
    """The same switch inside the app's Map page (streamlit-folium iframe) on the built-in sample."""
    if "l_9a" not in store.load(store.SAMPLE_NAME).assessments.columns:
        pytest.skip("the committed sample has no priority inputs yet")
    page = offline_page
    page.goto(f"{app_url}/?page=peta&year=2025", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_IFRAME).first
    frame.locator('[data-kotaku-year="2025"]').wait_for(timeout=90_000)
    frame.get_by_role("radio", name="Jenis penanganan").check()
    frame.locator('[data-kotaku-mode="hand"]').wait_for(timeout=10_000)
    level, areas = views.area_priorities(store.load(store.SAMPLE_NAME), 2025)
    resettle = {f"{r.sk_period}|{r.kawasan_id}" for r in areas.itertuples() if str(r.handling) == "pemukiman_kembali"}
    fills = frame.locator("body").evaluate(
        "() => Object.fromEntries(kotaku.kawasanAll.filter(l => kotaku.kawasan.hasLayer(l)).map("
        "l => [l.feature.properties.sk_period + '|' + l.feature.properties.kawasan_id, l.options.fillColor]))")
    assert level == "kawasan" and resettle and {fills[k] for k in resettle} == {HANDLING_COLORS["pemukiman_kembali"]}
    assert "Pemukiman kembali" in frame.locator(".kotaku-legend:not(.kotaku-mode)").inner_text()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "map_page_handling_2025.png"))
    assert page.external_requests == []
