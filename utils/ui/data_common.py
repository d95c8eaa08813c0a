"""What every section of the Data page shares: the flash message, the author's name, the report view."""
from __future__ import annotations

import streamlit as st

from utils import store, ui
from utils.core.findings import Finding
from utils.core.text import escape_markdown
from utils.io.validation import Report

FLASH_KEY = "_import_flash"
AUTHOR_KEY = "_author_name"  # typed once per session; survives pages where its widget is not drawn
AUTHOR_INPUT_KEY = "data_author"
MAX_FINDINGS_SHOWN = 60
GEOMETRY_KEYS = ("import.overlap", "import.gap")


def flash(kind: str, text: str) -> None:
    """A message for the next run (callbacks run before the page draws)."""
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    got = st.session_state.pop(FLASH_KEY, None)
    if got:
        kind, text = got
        getattr(st, kind)(escape_markdown(text))


def author() -> str:
    return str(st.session_state.get(AUTHOR_KEY, "")).strip()


def _author_changed() -> None:
    st.session_state[AUTHOR_KEY] = str(st.session_state.get(AUTHOR_INPUT_KEY, "")).strip()[:80]


def author_input() -> None:
    """The name saved with every version; asked once per session, kept while the session lasts."""
    if AUTHOR_INPUT_KEY not in st.session_state:
        st.session_state[AUTHOR_INPUT_KEY] = author()
    st.text_input(ui.T("data.author"), key=AUTHOR_INPUT_KEY, on_change=_author_changed,
                  placeholder=ui.T("data.author_placeholder"), max_chars=80)


def select_dataset(name: str) -> None:
    st.session_state[ui.DATASET_KEY] = name
    st.session_state.pop(ui.YEAR_KEY, None)


def message(f: Finding, lang: str) -> str:
    return escape_markdown(f.message(lang))


def show_report(report: Report, lang: str, blocked_text: str | None = None) -> None:
    """Errors, then warnings; the per-pair overlap and gap lines folded away under their summaries."""
    T = ui.T
    if report.errors:
        st.markdown(f"**{escape_markdown(T('import.page.errors', n=len(report.errors)))}**")
        for f in report.errors[:MAX_FINDINGS_SHOWN]:
            st.error(message(f, lang), icon=":material/error:")
    if report.warnings:
        summaries = [f for f in report.warnings if f.key not in GEOMETRY_KEYS]
        details = [f for f in report.warnings if f.key in GEOMETRY_KEYS]
        st.markdown(f"**{escape_markdown(T('import.page.warnings', n=len(report.warnings)))}**")
        for f in summaries[:MAX_FINDINGS_SHOWN]:
            st.warning(message(f, lang), icon=":material/warning:")
        if details:
            with st.expander(f"{len(details)} …"):
                st.text("\n".join(f.message(lang) for f in details))
    if not report.findings:
        st.success(T("import.page.no_findings"))


def editable_dataset(ctx: ui.PageContext) -> bool:
    """A stored dataset of the user's own is selected (the built-in sample is read-only); says so when not."""
    if ctx.dataset is None or not ctx.dataset_name:
        st.info(ui.T("data.need_dataset"))
        return False
    if ctx.dataset_name == store.SAMPLE_NAME:
        st.info(ui.T("data.sample_read_only"))
        return False
    return True


def save_failed(exc: Exception) -> None:
    """A refused or failed save: the user's words, the store unchanged."""
    if isinstance(exc, store.ConflictError):
        flash("error", ui.T("data.conflict"))
    elif hasattr(exc, "finding"):
        flash("error", exc.finding.message(ui.lang()))
    elif hasattr(exc, "errors"):
        flash("error", " ".join(exc.errors))
    else:
        flash("error", ui.T("import.page.store_failed", reason=str(exc)[:200]))
