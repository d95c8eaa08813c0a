"""The map page's kelurahan finder: a plain list for a city, a search box for a province.

A selectbox of 8,500 options costs the browser seconds on every map view; above `LIST_MAX`
kelurahan the page shows a text input and lists at most `MAX_MATCHES` matches (name or kecamatan)."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from utils.core.text import escape_markdown
from utils.ui import T

LIST_MAX = 400  # a city's kelurahan (Kota Pasuruan: 34) still fit a plain list
MAX_MATCHES = 50
MIN_CHARS = 2
TEXT_KEY = "map_find_text"


def matches(names: dict[str, tuple[str, str]], text: str, limit: int = MAX_MATCHES) -> tuple[list[str], int]:
    """Codes whose kelurahan or kecamatan name contains `text` (case-folded), names starting with it
    first; at most `limit`, with the total number of matches."""
    q = text.strip().casefold()
    if len(q) < MIN_CHARS:
        return [], 0
    hits = [(not n.casefold().startswith(q), n.casefold(), k.casefold(), code)
            for code, (n, k) in names.items() if q in n.casefold() or q in k.casefold()]
    hits.sort()
    return [h[-1] for h in hits[:limit]], len(hits)


def finder(container, names: dict[str, tuple[str, str]], key: str, on_change: Callable[[], None]) -> None:
    """The finder in `container`; picking a kelurahan sets `st.session_state[key]` and calls `on_change`."""
    label = lambda k: f"{names[k][0]} · {names[k][1]}"  # noqa: E731
    if len(names) <= LIST_MAX:
        order = sorted(names, key=lambda k: (names[k][0].casefold(), names[k][1].casefold(), k))
        container.selectbox(T("map.find"), options=order, index=None, key=key, on_change=on_change,
                            placeholder=T("map.find_placeholder"), format_func=label)
        return
    with container:
        text = st.text_input(T("mapfind.search"), key=TEXT_KEY, placeholder=T("mapfind.search_placeholder"))
        codes, total = matches(names, text or "")
        if codes:
            if st.session_state.get(key) not in codes:
                st.session_state.pop(key, None)
            st.selectbox(T("mapfind.matches", n=len(codes), total=total), options=codes, index=None, key=key,
                         on_change=on_change, placeholder=T("mapfind.pick"), format_func=label)
        elif len((text or "").strip()) >= MIN_CHARS:
            st.caption(T("mapfind.none", text=escape_markdown(text.strip()[:60])))
