"""Per-row answers to unmatched names: take the suggestion, pick another kelurahan, or leave the row out.

The answers live in session state under the upload's key and are applied to a copy of the file
(`utils.io.corrections`), so the report re-runs at once on the next script run, without uploading again.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.core.text import escape_markdown
from utils.io.corrections import Correction
from utils.io.matching import MatchResult

MAX_ROWS = 60
DROP = "__drop__"
UNDECIDED = ""


def _choice_key(prefix: str, row: object) -> str:
    return f"{prefix}_fix_{row}"


def corrections(prefix: str) -> dict[object, Correction]:
    """The answers given so far for the upload `prefix` (row label -> (code, name) or None = leave out)."""
    return dict(st.session_state.get(f"{prefix}_fixes", {}))


def clear(prefix: str) -> None:
    st.session_state.pop(f"{prefix}_fixes", None)
    for k in [k for k in st.session_state if str(k).startswith(f"{prefix}_fix_")]:
        del st.session_state[k]


def _chosen(prefix: str, row: object, names: dict[str, str]) -> None:
    value = st.session_state.get(_choice_key(prefix, row))
    fixes = corrections(prefix)
    if value == DROP:
        fixes[row] = None
    elif value and value in names:
        fixes[row] = (value, names[value])
    else:
        fixes.pop(row, None)
    st.session_state[f"{prefix}_fixes"] = fixes


def choose(prefix: str, match: MatchResult | None, kelurahan: pd.DataFrame) -> None:
    """One choice per unmatched row; the report above re-runs with the answers on the next run."""
    fixes = corrections(prefix)
    pending = [u for u in (match.unmatched if match is not None else []) if u.row not in fixes]
    answered = [row for row in fixes]
    if not pending and not answered:
        return
    kel = pd.DataFrame(kelurahan)[["kode_kel", "kelurahan", "kecamatan"]].astype(str).sort_values("kelurahan")
    names = dict(zip(kel["kode_kel"], kel["kelurahan"]))
    labels = {c: f"{n} ({c}, {k})" for c, n, k in kel.itertuples(index=False)}
    st.markdown(f"**{escape_markdown(ui.T('data.fix.header'))}**")
    st.caption(ui.T("data.fix.intro"))
    for u in pending[:MAX_ROWS]:
        first = [c for c, _n, _k in u.candidates] or [c for c, _n, _s in u.suggestions]
        options = [UNDECIDED, *first, DROP, *[c for c in names if c not in first]]
        def fmt(v: str, first=tuple(first)) -> str:
            if v == UNDECIDED:
                return ui.T("data.fix.undecided")
            if v == DROP:
                return ui.T("data.fix.drop")
            prefix_text = ui.T("data.fix.suggested") if v in first else ""
            return prefix_text + labels.get(v, v)
        given = " · ".join(x for x in (u.name, u.code) if x) or "–"
        st.selectbox(ui.T("data.fix.row", row=u.row, given=given), options=options, format_func=fmt,
                     key=_choice_key(prefix, u.row), on_change=_chosen, args=(prefix, u.row, names))
    if answered:
        done = [f"{r}: " + (ui.T("data.fix.dropped") if fixes[r] is None else f"{fixes[r][1]} ({fixes[r][0]})")
                for r in answered]
        st.caption(ui.T("data.fix.applied", rows="; ".join(done)))
        st.button(ui.T("data.fix.reset"), key=f"{prefix}_fix_reset", on_click=clear, args=(prefix,))
