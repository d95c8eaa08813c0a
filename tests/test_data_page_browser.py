"""A real browser uploads the real boundaries on the Data page, confirms, and sees the dataset selected."""
from __future__ import annotations

import pytest


@pytest.mark.xfail(strict=True, reason=(
    "app.py registers pages/data.py with url_path 'data', the same as the file name: Streamlit then resolves "
    "/data (and every rerun of the page) as a legacy pages/ script, so the app's sidebar is not drawn. Fix: give "
    "the Data page another url_path in app.py (e.g. 'kelola-data'); then remove this marker."))
def test_upload_preview_confirm_in_chromium(app_url, offline_page, artifacts, shared_data):
    page = offline_page
    page.goto(app_url + "/data", wait_until="domcontentloaded")
    page.get_by_text("Impor data kota").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(shared_data / "pasuruan_kelurahan.geojson"))
    page.get_by_text("50 pasang kelurahan bertetangga").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "data_import_preview.png"), full_page=True)
    page.get_by_label("Nama dataset").fill("pasuruan_browser")
    page.get_by_label("Nama dataset").press("Enter")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="Simpan sebagai dataset baru").click()
    page.get_by_text("Tersimpan: dataset").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(artifacts / "data_import_stored.png"), full_page=True)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("pasuruan_browser").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "data_import_stored.png"), full_page=True)
    assert page.external_requests == []
