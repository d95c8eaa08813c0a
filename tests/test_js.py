"""Our browser code as code: every .js file of ours under static/ passes `node --check`, and the
map runtime decodes the packed geometry exactly as the Python side does."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.factories import tiny_dataset
from utils.views import map_data, offline_assets

STATIC = Path(__file__).resolve().parents[1] / "static"
NODE = shutil.which("node") or shutil.which("nodejs")
needs_node = pytest.mark.skipif(NODE is None, reason="node (Debian nodejs) is not installed")


def own_js() -> list[Path]:
    """Ours only: vendor/ holds third-party copies written at run time (Leaflet)."""
    return sorted(p for p in STATIC.rglob("*.js") if "vendor" not in p.relative_to(STATIC).parts)


def test_the_runtime_files_exist_and_are_ours():
    names = {p.relative_to(STATIC).as_posix() for p in own_js()}
    assert {*offline_assets.RUNTIME_FILES, offline_assets.PREFETCH_FILE} <= names


@needs_node
@pytest.mark.parametrize("path", own_js(), ids=lambda p: p.relative_to(STATIC).as_posix())
def test_node_check(path: Path):
    done = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@needs_node
def test_node_check_catches_a_syntax_error(tmp_path):
    bad = tmp_path / "bad.js"
    bad.write_text("(function () { var x = ; })();\n", encoding="utf-8")
    assert subprocess.run([NODE, "--check", str(bad)], capture_output=True, timeout=60).returncode != 0


@needs_node
def test_runtime_decodes_the_geometry_like_python(tmp_path):
    """map-core.js's toGeoJSON and project, run in node on a real dataset's geometry document,
    give the coordinates map_data.decode_layer gives (and Web Mercator pixels at zoom 0)."""
    ds = tiny_dataset()
    base = map_data.build_base_layers(ds)
    doc = tmp_path / "geo.json"
    doc.write_text(base.geo_json, encoding="utf-8")
    core = STATIC / "js" / "map-core.js"
    script = (
        "global.window = global; global.performance = {mark: function () {}};"
        f"require({json.dumps(str(core))});"
        f"var G = JSON.parse(require('fs').readFileSync({json.dumps(str(doc))}, 'utf8'));"
        "var gj = kotaku.toGeoJSON(G.kel, G.s), P = kotaku.project(G.kel, G.s);"
        "process.stdout.write(JSON.stringify({gj: gj, bb: Array.from(P.bb), n: P.rings.length}));"
    )
    done = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    expected = map_data.decode_layer(base.geo["kel"], base.geo["s"])
    got = [f["geometry"] for f in out["gj"]["features"]]
    assert len(got) == len(expected) == 3
    for g, e in zip(got, expected):
        assert np.allclose(np.asarray(g["coordinates"], dtype=float), np.asarray(e["coordinates"], dtype=float))
    assert [f["properties"]["kode_kel"] for f in out["gj"]["features"]] == list(ds.kelurahan["kode_kel"])
    # zoom-0 pixels: x = 256 * (lon / 360 + 0.5); the first box starts at lon 112.9
    x0 = out["bb"][0]
    assert x0 == pytest.approx(256 * (min(c[0] for c in got[0]["coordinates"][0][0]) / 360 + 0.5))
    assert out["n"] == 3
