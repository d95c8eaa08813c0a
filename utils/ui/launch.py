"""`python -m utils.ui.launch [streamlit options]`: start the app without Streamlit's first-minute glitches.

Two things a plain `streamlit run app.py` (Streamlit 1.67) gets wrong, both before app.py can act:

- The first session after a server start that opens a page path (`/peta`) gets "Page not found".
  `PagesManager.uses_pages_directory` is decided once per process, when the first session opens: a
  `pages/` folder beside the main script means the legacy v1 multipage mode, so that first run builds
  pages from the file names (`map`, `trends`, ...) before app.py declares its own (`peta`, `tren`, ...)
  and `st.navigation` turns the legacy mode off (streamlit/streamlit#8860). Setting the flag to False
  before the server starts is what `st.navigation` would do anyway, one run earlier.
- A path of more than one part (`/peta/x/y`) is a blank page: the server answers it with index.html,
  whose assets are relative (`./static/...`), so the browser loads `/peta/x/static/...` and gets HTML.
  Here such a path is redirected to the app's root (the overview), keeping the query.

It also removes upload folders a killed import left in the temp dir. `streamlit run app.py` still
works; it just lacks these fixes (the next upload still sweeps the temp dir). The default page's own path
(`/ringkasan`) is handled in app.py (a hidden alias page), so it works under either command.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parents[2] / "app.py"
log = logging.getLogger("kotaku")


def redirect_for(relative_path: str, query: bytes = b"") -> str | None:
    """Where an unknown path goes: for `peta/x/y` a relative URL to the app's root; None for one part.

    Relative (`../../`), so it also works under a base URL path or behind a proxy that strips a prefix.
    """
    parts = [p for p in relative_path.replace("\\", "/").split("/") if p]
    if len(parts) < 2:
        return None
    target = "../" * (len(parts) - 1)
    return target + ("?" + query.decode("latin-1") if query else "")


def _patch_static_handler() -> bool:
    """Wrap Streamlit's static-file handler so an unknown multi-part path redirects instead of a blank page."""
    try:
        from starlette.responses import RedirectResponse
        from streamlit.web.server.starlette import starlette_static_routes as routes
    except ImportError:  # another Streamlit layout: keep its behaviour
        log.warning("launch: Streamlit's static routes moved; multi-part paths are not redirected")
        return False
    original = routes.create_streamlit_static_handler
    if getattr(original, "_kotaku_patched", False):
        return True

    def create(directory: str, base_url: str | None) -> Any:
        handler = original(directory, base_url)
        serve = handler.get_response
        index = handler._index_path

        async def get_response(path: str, scope: Any) -> Any:
            response = await serve(path, scope)
            if getattr(response, "path", None) == index and scope.get("method") in ("GET", "HEAD"):
                target = redirect_for(path, scope.get("query_string", b""))
                if target is not None:
                    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-cache"})
            return response

        handler.get_response = get_response
        return handler

    create._kotaku_patched = True  # type: ignore[attr-defined]
    routes.create_streamlit_static_handler = create
    return True


def prepare() -> None:
    """Everything the launcher changes, before the server starts (tests call this too)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False  # app.py declares its pages with st.navigation
    _patch_static_handler()
    from utils.io.uploads import sweep_stale_workspaces

    sweep_stale_workspaces()  # upload folders an import killed with the last server (each upload sweeps too)


# third-party only: warming the app's own modules (which import streamlit) hung the first session
WARM_MODULES = ("pandas", "shapely", "pyproj", "geopandas", "pyogrio", "plotly.graph_objects", "folium")


def warm_imports(modules: tuple[str, ...] = WARM_MODULES) -> threading.Thread:
    """Import the heavy libraries in a background thread while the server starts, so the first
    session does not wait ~14 s for them (a module being imported here makes that session wait only
    for the rest of its import, never import it twice)."""
    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - a failing import shows in the session that needs it
                log.warning("launch: warming %s failed: %s", name, exc)

    thread = threading.Thread(target=run, name="kotaku-warm-imports", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> None:
    prepare()
    if not os.environ.get("KOTAKU_NO_WARM_IMPORTS"):
        warm_imports()
    from streamlit.web import cli

    args = sys.argv[1:] if argv is None else argv
    cli.main(["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
