"""One catalogue, two languages: no missing or empty translation, no raw key on screen, no
visible string that bypasses the catalogue."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from utils import store
from utils.core.i18n import LANGS, catalogue, t

PROJECT = Path(__file__).resolve().parents[1]
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$")
TOKEN = re.compile(r"[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_has_both_languages_with_the_same_placeholders():
    problems = []
    for key, pair in catalogue().items():
        if not isinstance(pair, tuple) or len(pair) != len(LANGS):
            problems.append(f"{key}: not a (bahasa, english) pair")
            continue
        for lang, text in zip(LANGS, pair):
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{key}: empty {lang}")
        if _fields(pair[0]) != _fields(pair[1]):
            problems.append(f"{key}: placeholders differ {_fields(pair[0])} vs {_fields(pair[1])}")
    assert not problems, "\n".join(problems)


def test_missing_key_raises_instead_of_showing_the_key():
    with pytest.raises(KeyError):
        t("nope.not_a_key", "en")


# ---- every page, both languages, no raw key on screen -----------------------------------------

def _page_files() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("_app_pages", PROJECT / "app.py")
    src = (PROJECT / "app.py").read_text()
    tree = ast.parse(src)
    for node in tree.body:  # read PAGE_ORDER without running the app
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGE_ORDER":
            order = ast.literal_eval(node.value)
            return [p for p, *_ in order if (PROJECT / p).exists()]
    raise AssertionError(f"PAGE_ORDER not found in app.py ({spec})")


def _strings_in(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, pd.DataFrame):
        out.extend(str(c) for c in value.columns)
        for col in value.columns:
            if value[col].dtype == object or pd.api.types.is_string_dtype(value[col]):
                out.extend(str(v) for v in value[col].dropna().head(200))
    elif isinstance(value, dict):
        for v in value.values():
            _strings_in(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _strings_in(v, out)


def visible_strings(at: AppTest) -> list[str]:
    """Every string field of every element's message (labels, options, bodies, chart specs),
    plus the columns and text cells of data frames."""
    from google.protobuf.json_format import MessageToDict

    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            try:
                _strings_in(MessageToDict(proto), out)
            except Exception:  # noqa: BLE001 - an element without a dict form
                pass
        if type(node).__name__ == "Dataframe":
            try:
                _strings_in(node.value, out)
            except Exception:  # noqa: BLE001
                pass
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def raw_keys(texts: list[str]) -> set[str]:
    keys = set(catalogue())
    prefixes = {k.split(".")[0] for k in keys}
    found = set()
    for text in texts:
        stripped = text.strip()
        if KEY_SHAPE.match(stripped) and stripped.split(".")[0] in prefixes:
            found.add(stripped)  # a whole label that is a key, known or not
        for token in TOKEN.findall(text):
            if token in keys:
                found.add(token)
    return found


@pytest.fixture
def dataset_in_store(private_store):
    store.save(tiny_dataset())
    return private_store


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_shows_a_raw_key(dataset_in_store, lang):
    pages = _page_files()
    assert "pages/methodology.py" in pages and "pages/overview.py" in pages
    for page in pages:
        # a fresh app per page: the page is opened the way a link opens it
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
        at.session_state["lang"] = lang
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        texts = visible_strings(at)
        assert len(texts) > 5, page
        found = raw_keys(texts)
        assert not found, f"{page} ({lang}) shows raw keys: {sorted(found)}"
        errors = [e.value for e in at.error]
        assert t("error.friendly", lang) not in errors, f"{page} ({lang}) failed: see the log"


def test_the_scan_finds_a_raw_key():
    assert raw_keys(["Total: overview.slum_ha", "ok"]) == {"overview.slum_ha"}
    assert raw_keys(["present.no_such_key"]) == {"present.no_such_key"}
    assert raw_keys(["docs/scoring.md", "35.75.01.1001", "Kota Pasuruan"]) == set()


def test_language_switch_applies_to_navigation_and_sidebar(dataset_in_store):
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    at.run()
    assert at.sidebar.selectbox(key="year").label == "Tahun"
    at.segmented_control(key="lang").set_value("en").run()
    assert at.sidebar.selectbox(key="year").label == "Year"
    assert at.sidebar.toggle(key="present").label == "Presentation mode"
    at.switch_page("pages/methodology.py").run()
    assert at.title[0].value == "Methodology"
    at.segmented_control(key="lang").set_value("id").run()
    assert at.title[0].value == "Metodologi"


# ---- no visible string literal bypasses the catalogue ----------------------------------------

DISPLAY_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "write", "text", "info", "warning", "error",
    "success", "exception", "metric", "button", "download_button", "link_button", "page_link", "selectbox",
    "radio", "toggle", "checkbox", "multiselect", "segmented_control", "pills", "slider", "select_slider",
    "text_input", "number_input", "text_area", "date_input", "time_input", "file_uploader", "color_picker",
    "expander", "tabs", "popover", "toast", "spinner", "status", "form_submit_button", "dialog", "badge",
    "chat_input", "feedback",
}
LOGGERS = {"log", "logger", "logging", "LOG", "_log"}
TEXT_KWARGS = {"label", "body", "help", "placeholder", "caption", "value", "text"}
UI_FILES = ["app.py", *sorted(str(p.relative_to(PROJECT)) for folder in ("utils/ui", "pages")
                              for p in (PROJECT / folder).glob("*.py"))]


def _literal_text(node: ast.AST) -> str | None:
    """The hard-coded words of an argument, if any (a string or an f-string's literal parts)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, (ast.List, ast.Tuple)):
        return " ".join(x for x in (_literal_text(e) for e in node.elts) if x)
    return None


def _has_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", text))


def bypassing_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    hits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in DISPLAY_CALLS:
            continue
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in LOGGERS:
            continue  # log.error(...) goes to the log, not the screen
        args = node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KWARGS]
        if node.func.attr == "tabs":
            args = node.args[:1]
        for arg in args:
            text = _literal_text(arg)
            if text and _has_words(text):
                hits.append(f"{path.relative_to(PROJECT)}:{node.lineno} {node.func.attr}({text!r})")
    return hits


@pytest.mark.parametrize("rel", UI_FILES)
def test_no_visible_literal_bypasses_the_catalogue(rel):
    hits = bypassing_literals(PROJECT / rel)
    assert not hits, "visible strings must come from utils/core/strings via ui.T():\n" + "\n".join(hits)


def test_the_literal_scan_catches_a_hard_coded_label(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import streamlit as st\nc = st.columns(2)\n"
        "st.title('Peta kumuh')\nc[0].metric(f'Luas {x}', v)\nst.button(label='Go')\n"
        "st.caption(f'{a} · {b}')\nst.markdown('---')\nst.tabs(['Satu', 'Dua'])\n"
    )
    global PROJECT
    saved, PROJECT = PROJECT, tmp_path
    try:
        hits = bypassing_literals(bad)
    finally:
        PROJECT = saved
    assert len(hits) == 4, hits
