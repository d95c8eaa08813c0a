"""PNG export of plotly figures with kaleido 1.5 and the machine's own Chrome/Chromium.

Kaleido 1.x drives a Chrome through choreographer. Left alone, choreographer looks for its own
downloaded copy, then for the `BROWSER_PATH` environment variable, then for `chromium`/`chrome`
on PATH; kaleido's page also loads MathJax from a CDN by default. Here the browser path is always
given explicitly (so nothing is ever downloaded), MathJax is switched off and plotly.js comes from
the installed plotly package, so an export needs no internet.

Images are cached by content (figure JSON + size), so a repeated download costs nothing.
"""
from __future__ import annotations

import asyncio
import atexit
import csv
import hashlib
import io
import os
import shutil
import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import plotly
import plotly.graph_objects as go

from utils.core.i18n import t

# Where to look, in order: explicit env overrides, then Debian/Ubuntu/Google paths, then PATH.
BROWSER_ENV_VARS = ("KOTAKU_CHROME", "BROWSER_PATH", "CHROMIUM_PATH")
BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                      "/usr/bin/google-chrome-stable", "/snap/bin/chromium")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DEFAULT_WIDTH = 1600
DEFAULT_HEIGHT = 900
TIMEOUT_S = 90
_CACHE_SIZE = 32


class ChartExportError(RuntimeError):
    """A PNG could not be made; `message(lang)` says why and what to do."""

    def __init__(self, key: str, **params: object):
        super().__init__(t(key, "en", **params))
        self.key = key
        self.params = params

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)


class BrowserNotFoundError(ChartExportError):
    """No Chrome/Chromium on this machine: the app never downloads one."""

    def __init__(self) -> None:
        super().__init__("trend.export.no_browser", env=" / ".join(BROWSER_ENV_VARS))


def _is_exe(path: str | os.PathLike) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The Chrome/Chromium to use, or None. An env var that names a missing file is ignored."""
    for var in BROWSER_ENV_VARS:
        value = os.environ.get(var)
        if value and _is_exe(value):
            return value
    for cand in BROWSER_CANDIDATES:
        if _is_exe(cand):
            return cand
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found and _is_exe(found):
            return found
    return None


def browser_available() -> bool:
    return find_browser() is not None


_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def _key(spec: str, width: int, height: int, scale: float) -> str:
    return hashlib.sha1(f"{width}x{height}@{scale}|{spec}".encode()).hexdigest()


def figure_png(fig: go.Figure | dict, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT,
               scale: float = 1.0) -> bytes:
    """The figure as PNG bytes (slide size by default), rendered by the local Chrome/Chromium.

    Raises BrowserNotFoundError when there is none, ChartExportError when rendering fails.
    """
    fig_dict = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
    spec = plotly.io.to_json(fig_dict, validate=False, pretty=False)
    key = _key(spec, width, height, scale)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    path = find_browser()
    if path is None:
        raise BrowserNotFoundError()
    kopts = {"path": path, "mathjax": False, "timeout": TIMEOUT_S}
    if PLOTLY_JS.is_file():
        kopts["plotlyjs"] = str(PLOTLY_JS)
    opts = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
    try:
        data = _render(fig_dict, opts, kopts)
    except Exception as exc:  # kaleido/choreographer errors vary; the user gets one clear message
        raise ChartExportError("trend.export.export_failed", reason=str(exc).splitlines()[0][:200] if str(exc) else
                               type(exc).__name__) from exc
    if not isinstance(data, (bytes, bytearray)) or not bytes(data).startswith(PNG_MAGIC):
        raise ChartExportError("trend.export.export_failed", reason="no PNG returned")
    data = bytes(data)
    with _lock:
        _cache[key] = data
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return data


class _Renderer:
    """One Kaleido (one Chromium) kept open on its own event-loop thread for the app's life.

    kaleido's one-shot call starts a new Chromium per image (3-10 s here); a kept browser makes
    every image after the first take a fraction of a second. Every wait has a timeout, so a
    crashed browser can never hang a page.
    """

    def __init__(self, kopts: dict) -> None:
        import kaleido  # imported late: the app starts without it being loaded

        self.kopts = dict(kopts)
        self.closed = False
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True)
        self.thread.start()
        self.kaleido = kaleido.Kaleido(**kopts)
        try:
            self._run(self.kaleido.__aenter__(), TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    def _run(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def png(self, fig_dict: dict, opts: dict) -> bytes:
        return self._run(self.kaleido.calc_fig(fig_dict, opts=opts), TIMEOUT_S)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self._run(self.kaleido.__aexit__(None, None, None), 15)
        except BaseException:  # noqa: BLE001 - closing a broken browser is best effort
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)


_renderer: _Renderer | None = None
_render_lock = threading.Lock()


def _render(fig_dict: dict, opts: dict, kopts: dict) -> bytes:
    """Render with the kept browser; a failure closes it, and the next image starts a fresh one."""
    global _renderer
    with _render_lock:
        if _renderer is not None and (_renderer.closed or _renderer.kopts != kopts):
            _renderer.close()
            _renderer = None
        if _renderer is None:
            _renderer = _Renderer(kopts)
        try:
            return _renderer.png(fig_dict, opts)
        except BaseException:
            _renderer.close()
            _renderer = None
            raise


@atexit.register
def _close_renderer() -> None:
    """Close the kept Chromium when the app exits, so no browser process outlives it."""
    global _renderer
    with _render_lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


def export_size(fig: go.Figure) -> tuple[int, int]:
    """Slide size (1600 x 900), taller for figures whose on-screen height grows with their rows."""
    height = fig.layout.height or 480
    return DEFAULT_WIDTH, max(DEFAULT_HEIGHT, int(height * 1.6))


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if not data.startswith(PNG_MAGIC) or len(data) < 24:
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def csv_bytes(frame: pd.DataFrame, lang: str = "id") -> bytes:
    """A table as CSV the user's spreadsheet opens correctly: in Bahasa mode `;` separated with a
    decimal comma (how Excel reads CSV under Indonesian regional settings), in English `,` and `.`.
    UTF-8 with a BOM so Excel keeps names like Tamba'an intact."""
    buf = io.StringIO()
    if lang == "en":
        frame.to_csv(buf, index=False)
    else:
        frame.to_csv(buf, index=False, sep=";", decimal=",", quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
