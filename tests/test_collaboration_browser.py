"""A real browser on the Kolaborasi page: pick a kelurahan on the map, add a commitment, see the gaps shrink."""
from __future__ import annotations

import re

GAPS_RE = re.compile(r"(\d+) celah kriteria di (\d+) kelurahan")


def _gaps(page) -> int:
    text = page.get_by_text(GAPS_RE).first.inner_text()
    return int(GAPS_RE.search(text).group(1))


def _settled(page) -> None:
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=90_000)


def test_add_a_commitment_and_the_gap_list_shrinks(app_url, offline_page, artifacts):
    page = offline_page
    page.goto(app_url + "/?page=kolaborasi", wait_until="domcontentloaded")
    page.get_by_text("Catat komitmen").first.wait_for(timeout=90_000)
    _settled(page)
    before = _gaps(page)
    gap_table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Tanpa komitmen (ha)").first
    gap_table.wait_for(timeout=30_000)

    # the map: polygons drawn inside the component iframe; a click picks that kelurahan for the form
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    polygons = frame.locator("path.leaflet-interactive")
    polygons.first.wait_for(timeout=60_000)
    assert polygons.count() >= 30
    kel_box = page.get_by_role("combobox", name="Kelurahan")
    polygons.nth(polygons.count() // 2).click(force=True)
    _settled(page)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "collab_map_pick.png"), full_page=True)
    picked = page.locator('[data-testid="stSelectbox"]').filter(has_text="Kelurahan").first.inner_text()
    assert "Pilih di peta" not in picked  # a kelurahan is selected now

    # the largest gap of the sample, picked by name: its worst criterion is offered first
    kel_box.click()
    kel_box.fill("Mandaranrejo")
    page.keyboard.press("Enter")
    _settled(page)
    page.get_by_label("Pemangku kepentingan").fill("Universitas Merdeka Pasuruan")
    page.get_by_label(re.compile(r"^Volume")).fill("20")
    page.get_by_role("button", name="Tambah komitmen").click()
    try:
        page.get_by_text(re.compile("Tersimpan di")).first.wait_for(timeout=90_000)
    finally:
        page.screenshot(path=str(artifacts / "collab_after_add.png"), full_page=True)
    _settled(page)
    page.screenshot(path=str(artifacts / "collab_after_add.png"), full_page=True)
    assert _gaps(page) == before - 1
    assert page.external_requests == []
