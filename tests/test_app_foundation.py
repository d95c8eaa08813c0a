"""The app as a user first meets it: the sample opens on the overview with its real figures."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT
from utils import store

pytestmark = pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")


def open_app() -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_end_of_2019_figure():
    at = open_app()
    at.selectbox(key="year").set_value(2019).run()
    assert not at.exception
    values = metric_values(at)
    assert "27,99 ha" in values.values(), values
    assert any("Data ilustratif" in i.value for i in at.info)


def test_language_toggle_switches_to_english_numbers():
    at = open_app()
    at.selectbox(key="year").set_value(2019).run()
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert "27.99 ha" in metric_values(at).values()
    assert any("Illustrative data" in i.value for i in at.info)


def test_browser_loads_the_app_offline(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(app_url, wait_until="domcontentloaded")
    page.get_by_text("Ringkasan Kota Pasuruan").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "foundation_overview.png"), full_page=True)
    assert page.locator('[data-testid="stMetric"]').count() >= 6
    assert page.external_requests == [], page.external_requests
