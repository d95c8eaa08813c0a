"""Shared fixtures: the real data folder, a private store, a live app server and a browser."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (CI lays it beside the checkout)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def private_store(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty store, so no test sees another's datasets."""
    root = tmp_path / "store"
    monkeypatch.setenv("KOTAKU_DATA_DIR", str(root))
    return root


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(command: list[str], store_dir: Path, log_path: Path) -> Iterator[str]:
    """Start the app with `command` (+ address, port, headless) on a private store; yield its URL
    once healthy; stop it afterwards. Shared by every test that needs a real server."""
    port = _free_port()
    env = dict(os.environ, KOTAKU_DATA_DIR=str(store_dir))
    with open(log_path, "w") as log:
        proc = subprocess.Popen([*command, "--server.address", "127.0.0.1", "--server.port", str(port),
                                 "--server.headless", "true"], cwd=PROJECT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail("the app did not start within 60 s")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The real app, started with `streamlit run` on 127.0.0.1 with a private empty store."""
    with serve([sys.executable, "-m", "streamlit", "run", str(PROJECT / "app.py")],
               tmp_path_factory.mktemp("server-store"),
               tmp_path_factory.mktemp("server-log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL + PostGIS (tests/pg_cluster.py) for the whole session, stopped at the end.

    Skipped, with the reason, only when none can be started here; with KOTAKU_REQUIRE_PG=1 (CI) that fails."""
    from tests import pg_cluster as pgc

    try:
        cluster = pgc.start()
    except (pgc.ClusterUnavailable, ImportError, OSError, subprocess.SubprocessError) as exc:
        if os.environ.get("KOTAKU_REQUIRE_PG") == "1":
            pytest.fail(f"KOTAKU_REQUIRE_PG=1 but no PostgreSQL could be started: {exc}")
        pytest.skip(f"no PostgreSQL could be started: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh database (PostGIS enabled, no KOTAKU tables yet) for one test."""
    return pg_cluster.fresh_database()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A page whose every request to a non-loopback host is aborted and recorded."""
    from urllib.parse import urlparse

    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    external: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.external_requests = external  # type: ignore[attr-defined]
    yield page
    context.close()
