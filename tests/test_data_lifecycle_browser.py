"""A city team's year in a real browser, on the real Kota Pasuruan boundaries: import 2023, add 2024 from
a second workbook (fixing a misspelt name in the report), correct one cell in the editor, set the target
year to 2029, mark the data official, and download the per-kelurahan workbook and the GeoPackage."""
from __future__ import annotations

import io
import time

import openpyxl
import pyogrio

from tests.test_data_page_lifecycle import year_workbook

TIMINGS: dict[str, float] = {}


def settle(page, ms: int = 600) -> None:
    page.wait_for_timeout(ms)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=120_000)


def tab(page, name: str) -> None:
    """Open a tab of the Data page; a click that lands during a rerun is lost, so check and retry."""
    settle(page, 300)
    for _ in range(4):
        page.get_by_role("tab", name=name).click()
        settle(page, 800)
        if page.get_by_role("tab", name=name).get_attribute("aria-selected") == "true":
            return
    raise AssertionError(f"tab {name!r} did not open")


def upload(page, label: str, path) -> None:
    box = page.locator('[data-testid="stFileUploader"]:visible').filter(has_text=label).first
    box.locator('input[type="file"]').set_input_files(str(path))
    settle(page, 1200)


def pick(page, label: str, option: str) -> None:
    """Open a selectbox and choose an option (retried: a rerun may close the list under the mouse)."""
    for _ in range(3):
        page.locator('[data-testid="stSelectbox"]:visible').filter(has_text=label).first.click()
        try:
            page.get_by_role("option", name=option).click(timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - the list closed; open it again
            page.keyboard.press("Escape")
            settle(page)
    raise AssertionError(f"option {option!r} of {label!r} not found")


def test_a_city_teams_year_in_the_browser(app_url, offline_page, artifacts, shared_data, tmp_path):
    page = offline_page
    shot = lambda name: page.screenshot(path=str(artifacts / f"lifecycle_{name}.png"), full_page=True)  # noqa: E731
    page.goto(app_url + "/?page=kelola-data", wait_until="domcontentloaded")
    page.get_by_text("Impor data kota").first.wait_for(timeout=90_000)
    settle(page)
    page.get_by_label("Nama Anda").fill("Rina (Bappeda)")
    page.get_by_label("Nama Anda").press("Enter")
    settle(page)

    # 1. import the boundaries with the 2023 workbook
    upload(page, "Batas wilayah", shared_data / "pasuruan_kelurahan.geojson")
    upload(page, "Tabel penilaian", year_workbook(tmp_path / "rt_2023.xlsx", 2023))
    page.get_by_role("button", name="Simpan sebagai dataset baru").wait_for(timeout=120_000)
    shot("1_import_report")
    page.get_by_label("Nama dataset").fill("Kota Pasuruan")
    page.get_by_label("Nama dataset").press("Enter")
    settle(page)
    page.get_by_role("button", name="Simpan sebagai dataset baru").click()
    page.get_by_text("Tersimpan: dataset").first.wait_for(timeout=120_000)
    settle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Status data: draf").first.wait_for(timeout=30_000)

    # 2. add 2024 from a second workbook; one name is misspelt and fixed in the report
    tab(page, "Tambah tabel")
    t0 = time.perf_counter()
    upload(page, "Tabel penilaian", year_workbook(tmp_path / "rt_2024.xlsx", 2024, scale=0.8, misspell=True))
    try:
        page.get_by_text("Tembokrjo").locator("visible=true").first.wait_for(timeout=120_000)
    finally:
        shot("2_add_unmatched")
    shot("2_add_unmatched")
    settle(page)
    pick(page, "Baris 7", "Saran: Tembokrejo (35.75.02.1003, Purworejo)")
    settle(page, 1500)
    page.get_by_text("Jawaban dipakai").first.wait_for(timeout=120_000)
    page.get_by_text("Sebelum dan sesudah, per tahun").first.wait_for(timeout=60_000)
    shot("3_add_fixed_before_after")
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    page.get_by_text("versi 2").first.wait_for(timeout=120_000)
    TIMINGS["add_year_s"] = time.perf_counter() - t0
    settle(page)

    # 3. correct one cell of 2024 in the editor (the sidebar's year is the latest, 2024)
    tab(page, "Sunting")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    page.get_by_text("Tidak ada temuan: perubahan siap disimpan.").first.wait_for(timeout=60_000)
    # the first row's year cell (the editor scrolls into view); RT is four columns to the right
    grid.click(position={"x": 60, "y": 52})
    page.wait_for_timeout(300)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # open the cell's editor, replace its text
    page.wait_for_timeout(400)
    page.keyboard.press("Control+A")
    page.keyboard.type("RT 01A")
    page.keyboard.press("Enter")
    settle(page, 1200)
    shot("4_edit_cell")
    t0 = time.perf_counter()
    page.get_by_role("button", name="Simpan perubahan").click()
    page.get_by_text("Perubahan tersimpan").first.wait_for(timeout=120_000)
    TIMINGS["save_one_cell_s"] = time.perf_counter() - t0
    settle(page, 1500)
    # an edit that makes the data invalid (a negative area) is refused: marked, explained, not savable
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.click(position={"x": 60, "y": 52})
    page.wait_for_timeout(300)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(600)
    for _ in range(8):
        page.keyboard.press("Backspace")
    page.keyboard.type("-1", delay=80)
    page.keyboard.press("Enter")
    settle(page, 1500)
    shot("4b_edit_refused")
    page.get_by_text("tidak bisa disimpan sampai diperbaiki").first.wait_for(timeout=60_000)
    page.get_by_text("Luas Verifikasi (Ha) bernilai negatif").locator("visible=true").first.wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Simpan perubahan").is_disabled()
    shot("4b_edit_refused")

    # 4. settings: target year 2029, official
    tab(page, "Pengaturan")
    page.get_by_label("Tahun target 0 ha").fill("2029")
    page.get_by_text("Resmi", exact=True).first.click()
    page.get_by_role("button", name="Simpan pengaturan").click()
    page.get_by_text("Pengaturan tersimpan sebagai versi").first.wait_for(timeout=120_000)
    settle(page, 1500)
    sidebar.get_by_text("Status data: resmi").first.wait_for(timeout=30_000)
    shot("5_settings_official")

    # 5. history lists who and what
    tab(page, "Dataset & riwayat")
    page.get_by_text("Rina (Bappeda)").first.wait_for(timeout=30_000)
    shot("6_history")

    # 6. downloads: the per-kelurahan workbook and the GeoPackage
    tab(page, "Unduh")
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Rekap per kelurahan 2024 (XLSX)").click()
    wb = openpyxl.load_workbook(io.BytesIO(open(dl.value.path(), "rb").read()))
    cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    assert "Tembokrejo" in cells and "35.75.02.1003" in cells
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Peta kelurahan 2024 (GeoPackage, QGIS)").click()
    gpkg = tmp_path / "kel.gpkg"
    gpkg.write_bytes(open(dl.value.path(), "rb").read())
    layer = pyogrio.read_dataframe(gpkg)
    assert len(layer) == 34
    shot("7_downloads")
    assert page.external_requests == []
    print("lifecycle timings (s):", {k: round(v, 2) for k, v in TIMINGS.items()})
