"""A real browser uploads the real boundaries on the Data page, confirms, and sees the dataset selected."""
from __future__ import annotations


def test_upload_preview_confirm_in_chromium(app_url, offline_page, artifacts, shared_data):
    page = offline_page
    page.goto(app_url + "/?page=kelola-data", wait_until="domcontentloaded")
    page.get_by_text("Impor data kota").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    boundaries = page.locator('[data-testid="stFileUploader"]').filter(has_text="Batas wilayah")
    boundaries.locator('input[type="file"]').set_input_files(
        str(shared_data / "pasuruan_kelurahan.geojson"))
    try:
        page.get_by_text("50 pasang kelurahan bertetangga").first.wait_for(timeout=60_000)
    finally:
        page.screenshot(path=str(artifacts / "data_import_after_upload.png"), full_page=True)
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
    # the new dataset is selected in the shared sidebar: its selectbox shows it, with its version
    sidebar.get_by_text("Versi 1 ·").first.wait_for(timeout=30_000)
    assert sidebar.get_by_role("combobox", name="Dataset").input_value() == "pasuruan_browser"
    page.screenshot(path=str(artifacts / "data_import_stored.png"), full_page=True)
    assert page.external_requests == []
