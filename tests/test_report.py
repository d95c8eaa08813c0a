"""The briefing export: a PDF of at most two pages with the headline numbers, and one HTML file
that shows the polygons and the charts in a browser that may not reach the internet."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.factories import tiny_dataset
from utils import store
from utils.analysis import trends
from utils.core.i18n import fmt_ha
from utils.views import report

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")
has_sample = store.sample_path().exists()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def render_pages(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    """Every page to PNG (for a person to look at); returns the files written."""
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    src = folder / f"{stem}.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(src), str(folder / stem)], check=True)
    return sorted(folder.glob(f"{stem}-*.png"))


def illustrative_tiny():
    ds = tiny_dataset()
    ds.meta.illustrative = True
    ds.meta.source = "Uji <b>sumber</b>"
    return ds


# ---- numbers ---------------------------------------------------------------------------------

def test_briefing_numbers_of_the_tiny_dataset():
    b = report.build_briefing(tiny_dataset(), 2021, "id")
    # Alfa 2.0 ha stays slum (Kumuh Sedang), Beta 1.25 ha reaches Tidak Kumuh, Gamma has no data
    assert (b.baseline_year, b.baseline_ha, b.slum_ha) == (2020, 3.25, 2.0)
    assert b.reduced_year_ha == pytest.approx(1.25) and b.reduced_since_baseline_ha == pytest.approx(1.25)
    assert b.pace_achieved == pytest.approx(1.25)
    assert b.pace_needed == pytest.approx(2.0 / 9)  # 2 ha left, 9 years to the end of 2030
    assert b.counts == {"KB": 0, "KS": 1, "KR": 0, "TK": 1, "ND": 1}
    assert b.priorities["kelurahan"].tolist() == ["Alfa"]


# ---- PDF -------------------------------------------------------------------------------------

@needs_poppler
def test_pdf_has_the_headline_numbers_on_at_most_two_pages(tmp_path, artifacts):
    ds = illustrative_tiny()
    pdf = report.briefing_pdf(ds, 2021, "id")
    text = pdf_text(pdf, tmp_path)
    for needle in ["Kota Uji", "SK uji", "2,00 ha", "3,25 ha", "0,00 ha", "1,25 ha per tahun",
                   "0,22 ha per tahun", "Kumuh Sedang: 1", "Tidak Kumuh: 1", "Alfa", "DATA ILUSTRATIF",
                   "Uji <b>sumber</b>", "Permen PUPR No. 14/PRT/M/2018"]:
        assert needle in text, needle
    pages = render_pages(pdf, artifacts, "briefing_tiny_id")
    assert 1 <= len(pages) <= 2


@needs_poppler
def test_pdf_in_english_uses_english_words_and_numbers(tmp_path):
    text = pdf_text(report.briefing_pdf(illustrative_tiny(), 2021, "en"), tmp_path)
    for needle in ["Slum area at the end of 2021", "2.00 ha", "3.25 ha", "1.25 ha per year", "ILLUSTRATIVE DATA",
                   "Kelurahan to prioritise"]:
        assert needle in text, needle
    assert "Luas kumuh" not in text


@needs_poppler
def test_pdf_without_the_illustrative_flag_has_no_note(tmp_path):
    text = pdf_text(report.briefing_pdf(tiny_dataset(), 2021, "id"), tmp_path)
    assert "DATA ILUSTRATIF" not in text and "2,00 ha" in text


@needs_poppler
@pytest.mark.skipif(not has_sample, reason="sample dataset not generated")
@pytest.mark.parametrize("year,lang,needles", [
    (2019, "id", ["27,99 ha", "80,87 ha", "52,88 ha", "Mandaranrejo", "DATA ILUSTRATIF"]),
    (2025, "en", ["115.09 ha", "117.51 ha", "2.42 ha", "ILLUSTRATIVE DATA"]),
])
def test_sample_pdf_matches_the_public_figures(tmp_path, artifacts, year, lang, needles):
    ds = store.load(store.SAMPLE_NAME)
    pdf = report.briefing_pdf(ds, year, lang)
    text = pdf_text(pdf, tmp_path)
    summary = trends.year_summary(ds, year)
    needles = [*needles, fmt_ha(summary["reduced_ha"], lang)]  # reduced this year, as the app computes it
    for needle in needles:
        assert needle in text, needle
    pages = render_pages(pdf, artifacts, f"briefing_sample_{year}_{lang}")
    assert 1 <= len(pages) <= 3  # issue 11: at most 3 pages with the commitments and the projection


def test_pdf_map_draws_one_shape_per_kelurahan():
    from utils.views.static_map import categories_frame, map_drawing

    ds = tiny_dataset()
    b = report.build_briefing(ds, 2021, "id")
    d = map_drawing(categories_frame(ds.kelurahan, b.kel_categories), "id", 400, 300, kecamatan=ds.kecamatan)
    from reportlab.graphics.shapes import Path as RPath
    from reportlab.lib import colors

    from utils.method.criteria import CLASS_COLORS

    paths = [s for g in d.contents for s in getattr(g, "contents", []) if isinstance(s, RPath)]
    fills = [p.fillColor.hexval().lower() for p in paths if p.fillColor is not None]
    expected = [colors.HexColor(CLASS_COLORS[c]).hexval().lower() for c in ("KS", "TK", "ND")]
    assert fills == expected  # Alfa Kumuh Sedang, Beta Tidak Kumuh, Gamma no data


# ---- HTML ------------------------------------------------------------------------------------

def test_html_escapes_names_and_needs_no_cdn():
    ds = tiny_dataset(kel_name_b="<script>alert(1)</script>")
    ds.meta.illustrative = True
    doc = report.briefing_html(ds, 2021, "id")
    assert "<script>alert(1)</script>" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "cdn.plot.ly/plotly" not in doc and '<script src="http' not in doc and "<link " not in doc
    assert doc.count("Plotly.newPlot") == 2
    assert "DATA ILUSTRATIF" in doc


def open_offline(browser, path: Path):
    """A 1400x1000 page that may load the file itself and nothing from any host."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    external: list[str] = []

    def guard(route):
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("file:", "data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, external, errors


def test_html_opens_offline_with_polygons_and_charts(browser, tmp_path, artifacts):
    ds = illustrative_tiny()
    path = tmp_path / "tiny.html"
    path.write_text(report.briefing_html(ds, 2021, "en"), encoding="utf-8")
    context, page, external, errors = open_offline(browser, path)
    try:
        page.wait_for_selector("#trend-chart .main-svg", timeout=30_000)
        page.wait_for_selector("#mix-chart .main-svg", timeout=30_000)
        assert page.locator("svg.kelmap path.kel").count() == 3
        fills = page.eval_on_selector_all("svg.kelmap path.kel", "els => els.map(e => e.getAttribute('fill'))")
        assert fills == ["#ef8a62", "#67a9cf", "#d9d9d9"]  # 2021: Kumuh Sedang, Tidak Kumuh, no data
        assert page.locator("#trend-chart .scatterlayer .trace").count() >= 2
        assert page.locator("#mix-chart .barlayer .trace").count() == 4
        assert page.locator("#illustrative").is_visible()
        # the year selector repaints the map: in 2020 Beta was still Kumuh Ringan
        page.select_option("#yearsel", "2020")
        fills_2020 = page.eval_on_selector_all("svg.kelmap path.kel", "els => els.map(e => e.getAttribute('fill'))")
        assert fills_2020 == ["#b2182b", "#fddb7a", "#d9d9d9"]
        page.locator("svg.kelmap path.kel").nth(1).click()
        assert "Beta" in page.locator("#info").inner_text()
        page.screenshot(path=str(artifacts / "briefing_tiny_en_html.png"), full_page=True)
        assert errors == []
        assert external == []
    finally:
        context.close()


@pytest.mark.skipif(not has_sample, reason="sample dataset not generated")
def test_sample_html_opens_offline(browser, tmp_path, artifacts):
    ds = store.load(store.SAMPLE_NAME)
    path = tmp_path / "sample.html"
    path.write_text(report.briefing_html(ds, 2019, "id"), encoding="utf-8")
    context, page, external, errors = open_offline(browser, path)
    try:
        page.wait_for_selector("#trend-chart .main-svg", timeout=30_000)
        assert page.locator("svg.kelmap path.kel").count() == len(ds.kelurahan) == 34
        assert page.locator("#mix-chart .barlayer .trace").count() == 4
        assert "27,99 ha" in page.locator(".cards").inner_text()
        page.screenshot(path=str(artifacts / "briefing_sample_2019_id_html.png"), full_page=True)
        assert errors == [] and external == []
    finally:
        context.close()
