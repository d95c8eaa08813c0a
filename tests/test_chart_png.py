"""A real PNG of the trend chart through kaleido and the machine's Chromium, and a clear error
when there is no browser (the app never downloads one)."""
from __future__ import annotations

import shutil

import pytest

from tests.test_charts import TWO_PERIODS
from tests.test_trends import series_dataset
from utils.analysis import trends
from utils.views import chart_export, charts


def test_trend_chart_png_through_kaleido_and_local_chromium(artifacts):
    if chart_export.find_browser() is None:
        pytest.skip("no Chrome/Chromium installed (apt-get install chromium)")
    fig = charts.slum_trend_figure(series_dataset(TWO_PERIODS), "id")
    data = chart_export.figure_png(fig, width=1200, height=675)
    assert data.startswith(chart_export.PNG_MAGIC)
    assert chart_export.png_size(data) == (1200, 675)
    assert len(data) > 20_000  # a drawn chart, not a blank page
    (artifacts / "trend_chart_export.png").write_bytes(data)
    # the same figure again comes from the cache, byte for byte
    assert chart_export.figure_png(fig, width=1200, height=675) is data


def test_scale_doubles_the_pixels():
    if chart_export.find_browser() is None:
        pytest.skip("no Chrome/Chromium installed")
    fig = charts.category_mix_figure(trends.category_mix(series_dataset(TWO_PERIODS)), "en")
    data = chart_export.figure_png(fig, width=400, height=300, scale=2)
    assert chart_export.png_size(data) == (800, 600)


def test_no_browser_raises_a_clear_error(monkeypatch):
    for var in chart_export.BROWSER_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(chart_export, "BROWSER_CANDIDATES", ("/nonexistent/chromium",))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert chart_export.find_browser() is None
    fig = charts.slum_trend_figure(series_dataset({"1": {2020: {"35.75.01.1001": 1.5}}}), "en")
    with pytest.raises(chart_export.BrowserNotFoundError) as err:
        chart_export.figure_png(fig, width=321, height=123)  # a size no other test caches
    assert "Chromium" in err.value.message("en") and "never downloads" in err.value.message("en")
    assert "tidak ditemukan" in err.value.message("id")


def test_env_var_pointing_nowhere_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("KOTAKU_CHROME", str(tmp_path / "missing"))
    found = chart_export.find_browser()
    assert found != str(tmp_path / "missing")


def test_env_var_names_the_browser(monkeypatch):
    real = chart_export.find_browser()
    if real is None:
        pytest.skip("no Chrome/Chromium installed")
    monkeypatch.setenv("KOTAKU_CHROME", real)
    monkeypatch.setattr(chart_export, "BROWSER_CANDIDATES", ())
    assert chart_export.find_browser() == real


def test_csv_follows_the_language():
    import pandas as pd

    frame = pd.DataFrame({"kelurahan": ["Tamba'an"], "slum_ha": [27.99]})
    id_csv = chart_export.csv_bytes(frame, "id").decode("utf-8-sig")
    en_csv = chart_export.csv_bytes(frame, "en").decode("utf-8-sig")
    assert id_csv.splitlines() == ["kelurahan;slum_ha", "Tamba'an;27,99"]
    assert en_csv.splitlines() == ["kelurahan,slum_ha", "Tamba'an,27.99"]


def test_one_browser_serves_many_images_and_a_closed_one_is_replaced():
    if chart_export.find_browser() is None:
        pytest.skip("no Chrome/Chromium installed")
    ds = series_dataset(TWO_PERIODS)
    first = chart_export.figure_png(charts.slum_trend_figure(ds, "en"), width=641, height=361)
    renderer = chart_export._renderer
    assert renderer is not None
    second = chart_export.figure_png(charts.slum_trend_figure(ds, "id"), width=641, height=361)
    assert chart_export._renderer is renderer  # the kept Chromium, not a new one per image
    assert first != second and chart_export.png_size(second) == (641, 361)
    # a closed browser is replaced by a fresh one on the next image
    renderer.close()
    third = chart_export.figure_png(charts.slum_trend_figure(ds, "en"), width=643, height=361)
    assert chart_export.png_size(third) == (643, 361) and chart_export._renderer is not renderer
