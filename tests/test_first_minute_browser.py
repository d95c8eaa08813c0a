"""The first minute on a fresh server, in a real browser: no "Page not found", no blank page.

Each test starts its OWN server with the launcher (`python -m utils.ui.launch`), because the glitch
it guards against happens only in the first session a Streamlit process serves.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import serve
from utils import store
from utils.ui.launch import redirect_for

pytestmark = pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")
WATCH_JS = Path(__file__).resolve().parent / "js" / "watch_page_not_found.js"
LEGEND = ".kotaku-legend"


def _start(tmp_path: Path, command: list[str]) -> Iterator[str]:
    with serve(command, tmp_path / "store", tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def fresh_url(tmp_path) -> Iterator[str]:
    """A server that has served no session yet, started with the launcher.

    KOTAKU_TEST_PLAIN_STREAMLIT=1 runs the same checks against plain `streamlit run app.py`, where the
    first two fail: the first session's "Page not found" and the blank /peta/x/y are what the launcher fixes.
    """
    plain = [sys.executable, "-m", "streamlit", "run", "app.py"]
    launcher = [sys.executable, "-m", "utils.ui.launch"]
    yield from _start(tmp_path, plain if os.environ.get("KOTAKU_TEST_PLAIN_STREAMLIT") else launcher)


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(path=str(WATCH_JS))
    page = context.new_page()
    yield page
    context.close()


def _settle(page) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)
    page.wait_for_timeout(1500)  # a dialog would be drawn by now


def _seen(page) -> list[str]:
    return page.evaluate("() => window.__kotakuPageNotFound")


def test_fresh_server_first_session_on_page_paths_never_says_page_not_found(fresh_url, watched, artifacts):
    page = watched
    page.goto(f"{fresh_url}/peta", wait_until="domcontentloaded")  # the server's very first session
    page.get_by_role("heading", name="Peta kawasan kumuh Kota Pasuruan").wait_for(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(artifacts / "first_minute_peta.png"))
    assert _seen(page) == [] and page.get_by_text("Page not found").count() == 0

    page.goto(f"{fresh_url}/ringkasan?year=2019", wait_until="domcontentloaded")  # the default page's own path
    page.get_by_role("heading", name="Ringkasan Kota Pasuruan").wait_for(timeout=90_000)
    _settle(page)
    assert _seen(page) == [] and page.get_by_text("Page not found").count() == 0
    assert "year=2019" in page.url  # the alias keeps the view

    page.goto(f"{fresh_url}/?page=tren", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Tren Kota Pasuruan").wait_for(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(artifacts / "first_minute_tren.png"))
    assert _seen(page) == [] and page.get_by_text("Page not found").count() == 0
    assert page.url.split("?")[0].endswith("/tren")


def test_unknown_multi_part_path_lands_on_the_overview(fresh_url, watched, artifacts):
    page = watched
    page.goto(f"{fresh_url}/peta/x/y?lang=en", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Kota Pasuruan overview").wait_for(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(artifacts / "first_minute_unknown_path.png"))
    assert page.url.split("?")[0] == fresh_url + "/"
    assert "lang=en" in page.url


def test_presentation_map_and_legend_fit_a_1920x1080_screen(fresh_url, watched, artifacts):
    page = watched
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{fresh_url}/peta?present=1&year=2024", wait_until="domcontentloaded")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
    frame.locator('[data-kotaku-year="2024"]').wait_for(timeout=90_000)
    _settle(page)
    page.screenshot(path=str(artifacts / "first_minute_present_map.png"))
    iframe = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    legend = frame.locator(LEGEND).first.bounding_box()  # Playwright gives it in the page's viewport
    scroll = page.evaluate("() => document.scrollingElement.scrollTop")
    assert iframe is not None and legend is not None
    assert scroll == 0
    assert iframe["y"] + iframe["height"] <= 1080, iframe
    assert legend["y"] + legend["height"] <= 1080, (legend, iframe)
    assert _seen(page) == []


def test_redirect_for_sends_only_multi_part_paths_to_the_root():
    assert redirect_for("peta") is None and redirect_for("") is None
    assert redirect_for("peta/x") == "../"
    assert redirect_for("peta/x/y", b"year=2019&lang=en") == "../../?year=2019&lang=en"
