"""The one Streamlit module of utils/: cached loaders, the shared sidebar, session state, guards.

Pages call `page_context()` for the dataset, year and language chosen in the sidebar, and `T()`
for strings; they never open files or compute scores themselves.
"""
from __future__ import annotations

import logging
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import streamlit as st

from utils import store
from utils.dataset import Dataset, SkPeriod
from utils.i18n import DEFAULT_LANG, LANGS, t

log = logging.getLogger("kotaku")

# session-state keys shared across pages
LANG_KEY = "lang"
DATASET_KEY = "dataset_name"
YEAR_KEY = "year"
SELECTED_KEL_KEY = "selected_kel"  # kode_kel chosen on the map or profile page
PRESENT_KEY = "present"  # presentation (projector) mode
CTX_KEY = "_page_context"

LANG_LABELS = {"id": "Bahasa Indonesia", "en": "English"}


@dataclass
class PageContext:
    dataset: Dataset | None
    dataset_name: str | None
    version: int | None
    year: int | None
    period: SkPeriod | None
    lang: str


def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def T(key: str, **params: object) -> str:
    return t(key, lang(), **params)


@st.cache_resource(max_entries=8, show_spinner=False)
def load_dataset(name: str, version: int, saved: str) -> Dataset:
    """Cached on cheap keys (name, version, write time): a new import makes a new entry."""
    ds = store.load(name, version if name != store.SAMPLE_NAME else None)
    ds.scored  # score once, here, so every page and rerun shares it
    return ds


def _dataset_label(info: store.VersionInfo) -> str:
    if info.builtin:
        return T("sidebar.sample_label", name="Kota Pasuruan")
    return info.name


def sidebar() -> PageContext:
    """Draw the shared sidebar once per run (from app.py) and remember the choices for pages."""
    with st.sidebar:
        st.segmented_control(
            T("sidebar.language"), options=list(LANGS), format_func=LANG_LABELS.get,
            key=LANG_KEY, default=DEFAULT_LANG, selection_mode="single",
        )
        if st.session_state.get(LANG_KEY) not in LANGS:  # a deselected pill means "keep"
            st.session_state[LANG_KEY] = DEFAULT_LANG
        infos = store.list_datasets()
        if not infos:
            ctx = PageContext(None, None, None, None, None, lang())
            st.session_state[CTX_KEY] = ctx
            return ctx
        by_name = {i.name: i for i in infos}
        if st.session_state.get(DATASET_KEY) not in by_name:
            st.session_state[DATASET_KEY] = infos[0].name
        name = st.selectbox(T("sidebar.dataset"), options=list(by_name),
                            format_func=lambda n: _dataset_label(by_name[n]), key=DATASET_KEY)
        info = by_name[name]
        try:
            ds = load_dataset(info.name, info.version, info.saved)
        except Exception as exc:  # a broken file must not take the app down
            log.exception("cannot load dataset %s", name)
            st.error(T("error.dataset_unreadable", name=name, reason=str(exc)))
            ctx = PageContext(None, name, info.version, None, None, lang())
            st.session_state[CTX_KEY] = ctx
            return ctx
        if not info.builtin:
            st.caption(T("sidebar.version", version=info.version, saved=info.saved))
        years = ds.years
        year = None
        if years:
            if st.session_state.get(YEAR_KEY) not in years:
                st.session_state[YEAR_KEY] = years[-1]
            year = st.selectbox(T("sidebar.year"), options=years, key=YEAR_KEY,
                                format_func=lambda y: _year_label(ds, y))
        period = ds.period_of_year(year) if year is not None else None
        if period is not None:
            st.caption(f"{T('sidebar.period')}: {period.label}")
    ctx = PageContext(ds, name, info.version, year, period, lang())
    st.session_state[CTX_KEY] = ctx
    return ctx


def _year_label(ds: Dataset, year: int) -> str:
    period = ds.period_of_year(year)
    if period is not None and period.baseline_year == year:
        return f"{year} ({t('overview.baseline_marker', lang())})"
    return str(year)


def page_context() -> PageContext:
    ctx = st.session_state.get(CTX_KEY)
    if ctx is None:  # a page run on its own (tests): build the sidebar here
        ctx = sidebar()
    return ctx


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


def selected_kelurahan() -> str | None:
    return st.session_state.get(SELECTED_KEL_KEY)


def select_kelurahan(kode_kel: str | None) -> None:
    """Shared by the map (a click) and the profile page (a pick), so each opens the other's choice."""
    st.session_state[SELECTED_KEL_KEY] = kode_kel


def illustrative_note(ds: Dataset | None) -> None:
    if ds is not None and ds.meta.illustrative:
        st.info(T("note.illustrative"), icon=":material/info:")


@contextmanager
def friendly_errors() -> Iterator[None]:
    """No raw tracebacks in the UI: a plain message for the user, the details in the log."""
    try:
        yield
    except Exception:  # noqa: BLE001 - the point is to catch everything a page raises
        log.error("page error\n%s", traceback.format_exc())
        st.error(T("error.friendly"), icon=":material/error:")
