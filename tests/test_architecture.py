"""The layering of docs/architecture.md, checked on the source: a package imports only from the
layers before it, Streamlit only in app.py, pages/ and utils/ui/, and modules stay small enough
to read (utils/ under 500 lines, pages under 200).

Imports are read with `ast` (`import x`, `from x import y`, relative imports, and imports inside
functions alike), so a lazy import cannot hide a wrong direction. bench/ and tests/ are outside
the layering.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lower number = lower layer. A module may import its own layer's package and any lower layer.
LAYERS: dict[str, int] = {
    "utils.core": 0,
    "utils.method": 1,
    "utils.io": 2,
    "utils.store": 3,
    "utils.analysis": 4,
    "utils.views": 5,
    "utils.ui": 6,
    "utils.cli": 6,
    "utils.sample": 6,
    "utils": 6,  # utils/__init__.py and __main__.py: the `python -m utils` dispatcher over utils.cli
    "pages": 7,
    "app": 7,
}
TOP = max(LAYERS.values())
STREAMLIT_OK = ("app", "pages", "utils.ui")
MAX_LINES = {"utils": 500, "pages": 200}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # what it imports, dotted (a module, or module.name for `from m import name`)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_files() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "utils").rglob("*.py"))]
    return [p for p in files if p.exists() and "__pycache__" not in p.parts]


def imports_of(path: Path) -> list[Import]:
    """Every import in the file, at any depth (function-level imports included)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [Import(name, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing package
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            out += [Import(name, f"{mod}.{a.name}", node.lineno) for a in node.names]
    return out


def layer_of(dotted: str) -> tuple[str, int] | None:
    """The layer a dotted name belongs to: the longest LAYERS key that prefixes it."""
    best = None
    for key, rank in LAYERS.items():
        if dotted == key or dotted.startswith(key + "."):
            if best is None or len(key) > len(best[0]):
                best = (key, rank)
    return best


def resolve_target(target: str) -> str:
    """`from utils import store` imports utils.store (a subpackage), not the `utils` dispatcher."""
    parts = target.split(".")
    for n in range(len(parts), 0, -1):
        cand = ROOT.joinpath(*parts[:n])
        if cand.with_suffix(".py").is_file() or (cand / "__init__.py").is_file():
            return ".".join(parts[:n])
    return target


def layering_violations(files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        for imp in imports_of(path):
            own = layer_of(imp.module)
            target = resolve_target(imp.target)
            other = layer_of(target)
            if own is None or other is None or own[0] == other[0]:
                continue
            if other[1] > own[1] or (other[1] == own[1] and own[1] < TOP and own[0] != "utils"):
                bad.append(f"{path.relative_to(ROOT)}:{imp.line}: {own[0]} (layer {own[1]}) imports "
                           f"{target} ({other[0]}, layer {other[1]})")
    return bad


def streamlit_violations(files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        name = module_name(path)
        if any(name == ok or name.startswith(ok + ".") for ok in STREAMLIT_OK):
            continue
        for imp in imports_of(path):
            if imp.target.split(".")[0].startswith("streamlit"):
                bad.append(f"{path.relative_to(ROOT)}:{imp.line}: imports {imp.target}")
    return bad


def oversized(files: list[Path]) -> list[str]:
    out = []
    for path in files:
        top = path.relative_to(ROOT).parts[0]
        limit = MAX_LINES.get(top)
        n = len(path.read_text(encoding="utf-8").splitlines())
        if limit is not None and n > limit:
            out.append(f"{path.relative_to(ROOT)}: {n} lines (limit {limit})")
    return out


# ---- the rules on the project ---------------------------------------------------------------

def test_every_package_is_in_a_layer():
    packages = sorted(p.parent for p in (ROOT / "utils").glob("*/__init__.py"))
    assert packages, "no packages found under utils/"
    missing = [module_name(p / "__init__.py") for p in packages if module_name(p / "__init__.py") not in LAYERS]
    assert missing == [], f"add these packages to LAYERS here and to docs/architecture.md: {missing}"


def test_layers_import_only_downwards():
    bad = layering_violations(source_files())
    assert bad == [], "imports against the layering (docs/architecture.md):\n" + "\n".join(bad)


def test_streamlit_only_in_app_pages_and_ui():
    bad = streamlit_violations(source_files())
    assert bad == [], "Streamlit outside app.py, pages/ and utils/ui/:\n" + "\n".join(bad)


def test_utils_modules_under_500_lines():
    big = oversized([p for p in source_files() if p.relative_to(ROOT).parts[0] == "utils"])
    assert big == [], "split these modules:\n" + "\n".join(big)


def test_pages_under_200_lines():
    big = oversized([p for p in source_files() if p.relative_to(ROOT).parts[0] == "pages"])
    assert big == [], "move logic out of these pages:\n" + "\n".join(big)


# ---- the checker itself catches what it should -----------------------------------------------

@pytest.fixture
def fake_tree(tmp_path, monkeypatch):
    """A throwaway project tree; the checker reads ROOT, so point it there."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    for pkg in ("utils", "utils/core", "utils/store", "utils/views", "utils/ui", "utils/cli", "pages"):
        (tmp_path / pkg).mkdir(parents=True, exist_ok=True)
        if pkg != "pages":
            (tmp_path / pkg / "__init__.py").write_text("", encoding="utf-8")
    return tmp_path


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.write_text(text, encoding="utf-8")
    return path


def test_checker_flags_an_upward_import_even_inside_a_function(fake_tree):
    ok = write(fake_tree, "utils/views/fine.py", "from utils.store import dataset\nfrom utils import core\n")
    lazy = write(fake_tree, "utils/store/lazy.py", "def f():\n    from utils.views import fine\n    return fine\n")
    plain = write(fake_tree, "utils/core/up.py", "import utils.store.thing\n")
    rel = write(fake_tree, "utils/store/rel.py", "from ..views import fine\n")
    assert layering_violations([ok]) == []
    assert [v.split(": ", 1)[1] for v in layering_violations([lazy])] == [
        "utils.store (layer 3) imports utils.views.fine (utils.views, layer 5)"]
    assert len(layering_violations([plain])) == 1
    assert len(layering_violations([rel])) == 1


def test_checker_flags_peer_imports_below_the_top(fake_tree):
    (fake_tree / "utils" / "io").mkdir()
    (fake_tree / "utils" / "io" / "__init__.py").write_text("", encoding="utf-8")
    peer = write(fake_tree, "utils/ui/x.py", "from utils.cli import y\n")  # ui and cli are peers
    assert len(layering_violations([peer])) == 1
    page = write(fake_tree, "pages/p.py", "from utils import ui\nfrom utils.views import fine\n")
    assert layering_violations([page]) == []


def test_checker_flags_streamlit_outside_ui(fake_tree):
    view = write(fake_tree, "utils/views/st.py", "def f():\n    import streamlit as st\n    return st\n")
    comp = write(fake_tree, "utils/store/c.py", "from streamlit_folium import st_folium\n")
    ui = write(fake_tree, "utils/ui/w.py", "import streamlit as st\n")
    page = write(fake_tree, "pages/p.py", "import streamlit as st\n")
    assert len(streamlit_violations([view, comp])) == 2
    assert streamlit_violations([ui, page]) == []


def test_checker_flags_long_modules(fake_tree):
    long_mod = write(fake_tree, "utils/core/long.py", "x = 1\n" * 501)
    short = write(fake_tree, "utils/core/short.py", "x = 1\n" * 500)
    long_page = write(fake_tree, "pages/long.py", "x = 1\n" * 201)
    assert oversized([long_mod, short, long_page]) == [
        "utils/core/long.py: 501 lines (limit 500)", "pages/long.py: 201 lines (limit 200)"]
