"""Presentation mode in a real browser at projector size (1920x1080): no sidebar, large type,
only year / play / kelurahan controls, and a play control that steps through the years."""
from __future__ import annotations

import re

import pytest

from utils import store

pytestmark = pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")


def wait_for_app(page) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def test_presentation_mode_on_the_projector(app_url, offline_page, artifacts):
    page = offline_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    # A shared link names the page as ?page= (see utils.ui.share_url), which opens cleanly even
    # on a server's very first session.
    page.goto(f"{app_url}/?page=peta&present=1&year=2015", wait_until="domcontentloaded")
    play = page.get_by_role("button", name=re.compile("Putar"))
    play.wait_for(timeout=90_000)
    wait_for_app(page)
    page.wait_for_timeout(2500)  # let the map iframe draw
    page.screenshot(path=str(artifacts / "present_map_2015.png"))
    # no sidebar; the pages are a top bar; the year pills and the kelurahan picker are the controls
    assert page.locator('[data-testid="stSidebar"]').count() == 0 or not page.locator(
        '[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stTopNavLink"]').count() >= 3
    assert page.get_by_role("button", name=re.compile("Keluar presentasi")).is_visible()
    size = page.eval_on_selector('[data-testid="stMainBlockContainer"] [data-testid="stAlert"] p',
                                 "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 20, size  # body text 1.3 rem on the projector (17 px elsewhere)
    assert "year=2015" in page.url and "present=1" in page.url
    # play: the years advance by themselves (3 s a year), the URL follows
    play.click()
    page.wait_for_url(re.compile(r"year=2016"), timeout=30_000)
    page.wait_for_url(re.compile(r"year=2017"), timeout=30_000)
    page.get_by_role("button", name=re.compile("Berhenti")).click()
    wait_for_app(page)
    stopped_at = re.search(r"year=(\d+)", page.url).group(1)
    page.wait_for_timeout(4500)
    assert re.search(r"year=(\d+)", page.url).group(1) == stopped_at  # stop really stops
    page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts / "present_map_after_play.png"))
    # the trend page in presentation mode, reached from the top navigation
    page.locator('[data-testid="stTopNavLink"]').filter(has_text="Tren").first.click()
    wait_for_app(page)
    page.wait_for_timeout(2500)
    page.screenshot(path=str(artifacts / "present_trends.png"))
    assert "present=1" in page.url
    assert page.external_requests == []


def test_a_shared_link_opens_the_same_view_in_english(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(f"{app_url}/?page=metodologi&lang=en&year=2019", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Methodology").wait_for(timeout=90_000)
    wait_for_app(page)
    assert "lang=en" in page.url and "year=2019" in page.url
    page.get_by_text("Share this view").click()
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=10_000)
    link = code.inner_text()
    assert "page=metodologi" in link and "lang=en" in link and "year=2019" in link
    assert "Page not found" not in page.inner_text("body")
    page.screenshot(path=str(artifacts / "methodology_en.png"), full_page=True)
    assert page.external_requests == []
