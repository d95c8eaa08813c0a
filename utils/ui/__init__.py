"""The one Streamlit module of utils/: cached loaders, the shared sidebar, session state, guards.

Pages call `page_context()` for the dataset, year and language chosen in the sidebar, and `T()`
for strings; they never open files or compute scores themselves.

Also here: the view's URL (`?dataset=&year=&kelurahan=&lang=&present=`, the page being the path),
restored once when a session opens, and presentation (projector) mode: no sidebar, larger fonts,
a top bar with only the year, a play control and the kelurahan.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import streamlit as st

from utils import store
from utils.core.i18n import DEFAULT_LANG, LANGS, t
from utils.store.dataset import Dataset, SkPeriod
from utils.views import chart_export

log = logging.getLogger("kotaku")

# session-state keys shared across pages
LANG_KEY = "lang"
DATASET_KEY = "dataset_name"
YEAR_KEY = "year"
SELECTED_KEL_KEY = "selected_kel"  # kode_kel chosen on the map or profile page
FOCUS_KEL_KEY = "map_focus"  # kode_kel the map zooms to (picked by name, not by a click on the map)
PRESENT_KEY = "present"  # presentation (projector) mode
CTX_KEY = "_page_context"
PLAYING_KEY = "_playing"  # the presentation play control is stepping through the years
PRESENT_YEAR_KEY = "_present_year"  # widget keys of the presentation bar (mirrors of the above)
PRESENT_KEL_KEY = "_present_kel"
_URL_DONE_KEY = "_url_restored"
_PENDING_PAGE_KEY = "_url_page"
_PENDING_STEP_KEY = "_pending_year_step"
_TICK_FULL_RUN_KEY = "_tick_full_run"
# widget-backed keys that must survive runs in which their widget is not drawn (presentation mode)
_PERSISTED_KEYS = (LANG_KEY, DATASET_KEY, YEAR_KEY, PRESENT_KEY)

LANG_LABELS = {"id": "Bahasa Indonesia", "en": "English"}
PLAY_SECONDS = 3.0  # one year per step when playing on the projector
MAP_HEIGHT = 560
# The map page reads map_height(). On a 1920x1080 projector the bar, title and note take ~350 px, so the map
# and its legend (bottom right) end above the fold (tests/test_first_minute_browser.py measures it).
MAP_HEIGHT_PRESENT = 680

# URL query parameter names (the page is the URL path, e.g. /peta?year=2019)
Q_DATASET, Q_YEAR, Q_KEL, Q_LANG, Q_PRESENT, Q_PAGE = "dataset", "year", "kelurahan", "lang", "present", "page"


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
def load_dataset(name: str, version: int, saved: str, where: str = "", origin: str = "") -> Dataset:
    """Cached on cheap keys (name, version, write time, backend, origin): a new version makes a new
    entry, so a save by another app process (shared database) is picked up at this process's next
    rerun. `origin` (the file, or a hash of the database URL) keeps two stores that both hold a
    "v1 of kota saved this second" apart."""
    source = store.files.FileStore() if where == "files" else store.backend()
    ds = source.load(name, version if name != store.SAMPLE_NAME else None)
    _ = ds.scored  # score once, here, so every page and rerun shares it
    return ds


def load_info(info: store.VersionInfo, where: str = "") -> Dataset:
    """`load_dataset` for a listed version, with its origin in the cache key."""
    if info.path is not None:
        origin = str(info.path)
    else:
        origin = hashlib.sha256((store.database_url() or "").encode()).hexdigest()[:16]
    return load_dataset(info.name, info.version, info.saved, where, origin)


def datasets_now() -> tuple[list[store.VersionInfo], str, store.StoreError | None]:
    """The datasets of this run, which store they came from ("db" or "files"), and, when the shared
    database cannot be used, why. A wrong KOTAKU_DATABASE_URL, password, missing PostGIS or a server
    that is down must not take the app down: the user reads one message (no credentials in it) and
    keeps working on the local data folder."""
    try:
        return store.backend().list_datasets(), "db" if store.database_url() else "files", None
    except store.StoreError as exc:
        log.warning("shared store unavailable, using the data folder: %s", exc)
        return store.files.FileStore().list_datasets(), "files", exc


def _dataset_label(info: store.VersionInfo, lang_code: str) -> str:
    if info.builtin:
        return t("sidebar.sample_label", lang_code, name="Kota Pasuruan")
    return info.display_name or info.name  # as the team typed it in the settings


# ---- URL state -------------------------------------------------------------------------------

def _persist_widget_state() -> None:
    """Streamlit drops a widget's value in a run where the widget is not drawn; re-assigning the
    value keeps language, dataset and year while presentation mode hides the sidebar."""
    for key in _PERSISTED_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def restore_from_url() -> None:
    """Once per session, before any widget: seed the view from the URL's query parameters.

    Values are checked later where the data is known (an unknown dataset, year or kelurahan falls
    back to the default), so a stale or hand-edited link never breaks the app.
    """
    if st.session_state.get(_URL_DONE_KEY):
        return
    st.session_state[_URL_DONE_KEY] = True
    qp = st.query_params
    if qp.get(Q_LANG) in LANGS:
        st.session_state[LANG_KEY] = qp[Q_LANG]
    if qp.get(Q_DATASET):
        st.session_state[DATASET_KEY] = qp[Q_DATASET]
    year = year_from_url(qp.get(Q_YEAR))
    if year is not None:
        st.session_state[YEAR_KEY] = year
    if qp.get(Q_KEL):
        st.session_state[SELECTED_KEL_KEY] = qp[Q_KEL]
    if qp.get(Q_PRESENT) in ("1", "true", "ya", "yes"):
        st.session_state[PRESENT_KEY] = True
    if qp.get(Q_PAGE):
        st.session_state[_PENDING_PAGE_KEY] = qp[Q_PAGE]


def year_from_url(value: str | None) -> int | None:
    """A year typed in a link, or None. Only 1-6 ASCII digits: `str.isdigit` accepts '²', which int()
    refuses, and int() refuses over 4,300 digits; either would take the whole app down."""
    if value and len(value) <= 6 and value.isascii() and value.isdigit():
        return int(value)
    return None


def pending_page() -> str | None:
    """A `?page=` asked for by the URL that opened the session (taken once)."""
    return st.session_state.pop(_PENDING_PAGE_KEY, None)


def view_params(ctx: PageContext) -> dict[str, str]:
    """The query parameters that reproduce the current view (the page goes in the path)."""
    params: dict[str, str] = {}
    if ctx.dataset_name:
        params[Q_DATASET] = ctx.dataset_name
    if ctx.year is not None:
        params[Q_YEAR] = str(ctx.year)
    kel = selected_kelurahan()
    if kel and ctx.dataset is not None and kel in set(ctx.dataset.kelurahan["kode_kel"]):
        params[Q_KEL] = kel
    params[Q_LANG] = ctx.lang
    if presenting():
        params[Q_PRESENT] = "1"
    return params


def sync_url(ctx: PageContext) -> None:
    """Write the view into the address bar after every run, so reload or copy keeps the view."""
    params = view_params(ctx)
    if dict(st.query_params.to_dict()) != params:
        st.query_params.from_dict(params)


def share_url(ctx: PageContext, url_path: str | None = None) -> str:
    """A link that opens this view: the app's root with the page as `?page=` plus the parameters.

    The root, not `/<page>`: on the first session after a server start Streamlit resolves the path
    against the legacy `pages/` folder before app.py runs and flashes "Page not found" for a deep
    path; `?page=` is resolved by app.py itself, so a shared link opens cleanly on a fresh laptop.
    """
    params = view_params(ctx)
    if url_path:
        params = {Q_PAGE: url_path, **params}
    base = st.context.url or ""
    if base:
        parts = urlsplit(base)
        base = f"{parts.scheme}://{parts.netloc}/"
    else:  # no browser (tests): a relative link
        base = "/"
    return f"{base}?{urlencode(params)}"


def share_link(ctx: PageContext, url_path: str | None = None) -> None:
    """The 'copy link' affordance: a code box with a copy button, in the sidebar."""
    with st.expander(T("url.share"), icon=":material/link:"):
        st.caption(T("url.share_help"))
        st.code(share_url(ctx, url_path), language=None, wrap_lines=True)


# ---- sidebar and context -------------------------------------------------------------------

def sidebar() -> PageContext:
    """Draw the shared sidebar once per run (from app.py) and remember the choices for pages.

    In presentation mode nothing is drawn in the sidebar (so Streamlit shows none); the same
    choices are resolved from session state and the presentation bar changes year and kelurahan.
    """
    restore_from_url()
    _persist_widget_state()
    draw = not presenting()
    if draw:
        with st.sidebar:
            ctx = _context(draw=True)
    else:
        ctx = _context(draw=False)
    st.session_state[CTX_KEY] = ctx
    return ctx


def _context(draw: bool) -> PageContext:
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = DEFAULT_LANG
    if draw:
        st.segmented_control(
            T("sidebar.language"), options=list(LANGS), format_func=LANG_LABELS.get,
            key=LANG_KEY, selection_mode="single",
        )
        if st.session_state.get(LANG_KEY) not in LANGS:  # a deselected pill means "keep"
            st.session_state[LANG_KEY] = DEFAULT_LANG
        st.toggle(T("present.toggle"), key=PRESENT_KEY, help=T("present.toggle_help"))
    infos, where, problem = datasets_now()
    if problem is not None:
        st.error(problem.message(lang()), icon=":material/database:")
        st.caption(T("pgstore.fallback"))
    if not infos:
        return PageContext(None, None, None, None, None, lang())
    by_name = {i.name: i for i in infos}
    if st.session_state.get(DATASET_KEY) not in by_name:
        st.session_state[DATASET_KEY] = infos[0].name
    if draw:
        st.selectbox(T("sidebar.dataset"), options=list(by_name),
                     format_func=lambda n, L=lang(): _dataset_label(by_name[n], L), key=DATASET_KEY)
    name = st.session_state[DATASET_KEY]
    info = by_name[name]
    try:
        ds = load_info(info, where)
    except Exception as exc:  # a broken file must not take the app down
        log.exception("cannot load dataset %s", name)
        st.error(T("error.dataset_unreadable", name=name, reason=str(exc)))
        return PageContext(None, name, info.version, None, None, lang())
    if draw and not info.builtin:
        st.caption(T("sidebar.version", version=info.version, saved=info.saved))
    if draw:
        status_badge(ds)
    years = ds.years
    year = None
    if years:
        _apply_pending_step(years)
        if st.session_state.get(YEAR_KEY) not in years:
            st.session_state[YEAR_KEY] = years[-1]
        if draw:
            st.selectbox(T("sidebar.year"), options=years, key=YEAR_KEY,
                         format_func=lambda y, L=lang(): _year_label(ds, y, L))
        year = int(st.session_state[YEAR_KEY])
    period = ds.period_of_year(year) if year is not None else None
    if draw and period is not None:
        st.caption(f"{T('sidebar.period')}: {period.label}")
    kel = selected_kelurahan()
    if kel is not None and kel not in set(ds.kelurahan["kode_kel"]):
        select_kelurahan(None)  # a link from another dataset: forget the unknown code
    return PageContext(ds, name, info.version, year, period, lang())


def _year_label(ds: Dataset, year: int, lang_code: str) -> str:
    """Format functions take the language eagerly: Streamlit may call them outside the run."""
    period = ds.period_of_year(year)
    if period is not None and period.baseline_year == year:
        return f"{year} ({t('overview.baseline_marker', lang_code)})"
    return str(year)


def status_badge(ds: Dataset) -> None:
    """Draft or official, on every page (the sidebar): figures from a draft are not the city's word yet."""
    official = ds.meta.status == "official"
    st.badge(T("data.status.badge_official" if official else "data.status.badge_draft"),
             icon=":material/verified:" if official else ":material/edit_note:",
             color="green" if official else "orange")


def page_context() -> PageContext:
    ctx = st.session_state.get(CTX_KEY)
    if ctx is None:  # a page run on its own (tests): build the sidebar here
        ctx = sidebar()
    return ctx


def require_dataset() -> PageContext:
    """The page context of a page that shows a dataset: without one, say so and stop the page."""
    ctx = page_context()
    if ctx.dataset is None:
        st.warning(T("error.no_dataset"))
        st.stop()
    return ctx


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


def map_height() -> int:
    """Pixel height for the main map: on the projector, what fits a 1920x1080 screen below the bar."""
    return MAP_HEIGHT_PRESENT if presenting() else MAP_HEIGHT


def selected_kelurahan() -> str | None:
    return st.session_state.get(SELECTED_KEL_KEY)


def select_kelurahan(kode_kel: str | None) -> None:
    """Shared by the map (a click) and the profile page (a pick), so each opens the other's choice."""
    st.session_state[SELECTED_KEL_KEY] = kode_kel


def chart_with_downloads(fig, data, name: str) -> None:
    """A chart, then its PNG (made only on click, by the local Chromium) and its data as CSV.

    One place for every page, so each chart offers the same downloads with the same file names.
    """
    ctx = page_context()
    st.plotly_chart(fig, key=f"chart_{name}", config={"displaylogo": False})
    stem = f"{ctx.dataset_name}_{name}_{ctx.lang}"
    c1, c2, _ = st.columns([1, 1, 3])
    if chart_export.browser_available():
        w, h = chart_export.export_size(fig)
        c1.download_button(T("trend.export.download_png"), data=functools.partial(chart_export.figure_png, fig, w, h),
                           file_name=f"{stem}.png", mime="image/png", on_click="ignore", key=f"png_{name}",
                           icon=":material/image:", help=T("trend.png_hint"))
    else:
        c1.caption(chart_export.BrowserNotFoundError().message(ctx.lang))
    c2.download_button(T("trend.export.download_csv"), data=chart_export.csv_bytes(data, ctx.lang),
                       file_name=f"{stem}.csv", mime="text/csv", on_click="ignore", key=f"csv_{name}",
                       icon=":material/table:")


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


# ---- presentation mode ---------------------------------------------------------------------

# Fixed text (no user data); no external fonts or URLs. Larger type for a washed-out projector.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 4.2rem 2.2rem 1rem 2.2rem !important; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMainBlockContainer"] label, [data-testid="stMainBlockContainer"] td,
[data-testid="stMainBlockContainer"] th, [data-testid="stMainBlockContainer"] button { font-size: 1.3rem !important; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.9rem !important; }
[data-testid="stMainBlockContainer"] h2 { font-size: 2.3rem !important; }
[data-testid="stMainBlockContainer"] h3 { font-size: 1.9rem !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.35rem !important; }
[data-testid="stTopNavLink"] span { font-size: 1.25rem !important; }
[data-testid="stButtonGroup"] button, [data-testid="stButtonGroup"] p { font-size: 1.05rem !important; }
[data-testid="stWidgetLabel"] p { font-size: 1.2rem !important; }
</style>
"""


def inject_presentation_css() -> None:
    st.html(PRESENT_CSS)


def _apply_pending_step(years: list[int]) -> None:
    """Apply a year step requested by the play ticker in the previous (fragment) run."""
    step = st.session_state.pop(_PENDING_STEP_KEY, 0)
    if not step:
        return
    current = st.session_state.get(YEAR_KEY)
    nxt = next_year(years, current if current in years else None)
    st.session_state[YEAR_KEY] = nxt
    if nxt == years[-1]:
        st.session_state[PLAYING_KEY] = False  # stop at the latest year


def next_year(years: list[int], current: int | None) -> int:
    """The year after `current`, wrapping to the first (so play restarts after the last)."""
    if current is None or current not in years or current == years[-1]:
        return years[0]
    return years[years.index(current) + 1]


def _step_year(years: list[int], delta: int) -> None:
    current = st.session_state.get(YEAR_KEY)
    i = years.index(current) if current in years else len(years) - 1
    st.session_state[YEAR_KEY] = years[max(0, min(len(years) - 1, i + delta))]
    st.session_state[PLAYING_KEY] = False


def _toggle_play(years: list[int]) -> None:
    playing = not st.session_state.get(PLAYING_KEY, False)
    if playing and st.session_state.get(YEAR_KEY) == years[-1]:
        st.session_state[YEAR_KEY] = years[0]  # play from the start
    st.session_state[PLAYING_KEY] = playing


def _year_picked() -> None:
    value = st.session_state.get(PRESENT_YEAR_KEY)
    if value is not None:
        st.session_state[YEAR_KEY] = value
        st.session_state[PLAYING_KEY] = False


def _kel_picked() -> None:
    """The projector's kelurahan pick selects it and zooms the map to it (None: the whole city)."""
    kode = st.session_state.get(PRESENT_KEL_KEY) or None
    select_kelurahan(kode)
    st.session_state[FOCUS_KEL_KEY] = kode


def _exit_presentation() -> None:
    st.session_state[PRESENT_KEY] = False
    st.session_state[PLAYING_KEY] = False


def _ticker() -> None:
    """Runs every PLAY_SECONDS while playing: asks the next full run to step one year."""
    if st.session_state.get(_TICK_FULL_RUN_KEY):
        return  # the call inside the full run itself: do not step at once
    if not st.session_state.get(PLAYING_KEY):
        return
    st.session_state[_PENDING_STEP_KEY] = 1
    st.rerun(scope="app")


def presentation_bar(ctx: PageContext) -> None:
    """The projector's only controls: year, play/stop, step, kelurahan, leave presentation."""
    inject_presentation_css()
    ds = ctx.dataset
    if ds is None or not ds.years:
        st.button(T("present.exit"), icon=":material/close_fullscreen:", on_click=_exit_presentation,
                  key="_present_exit")
        return
    years = ds.years
    playing = bool(st.session_state.get(PLAYING_KEY, False))
    cols = st.columns([8.4, 0.6, 1.3, 0.6, 3, 2.6], vertical_alignment="bottom")
    st.session_state[PRESENT_YEAR_KEY] = ctx.year
    cols[0].segmented_control(
        T("sidebar.year"), options=years, key=PRESENT_YEAR_KEY, on_change=_year_picked,
        format_func=lambda y, L=ctx.lang: _year_label(ds, y, L), selection_mode="single",
    )
    cols[1].button("", icon=":material/skip_previous:", help=T("present.prev"), key="_present_prev",
                   on_click=_step_year, args=(years, -1), disabled=ctx.year == years[0])
    cols[2].button(T("present.stop") if playing else T("present.play"),
                   icon=":material/pause:" if playing else ":material/play_arrow:",
                   type="primary", key="_present_play", on_click=_toggle_play, args=(years,),
                   help=T("present.play_help", seconds=int(PLAY_SECONDS)))
    cols[3].button("", icon=":material/skip_next:", help=T("present.next"), key="_present_next",
                   on_click=_step_year, args=(years, 1), disabled=ctx.year == years[-1])
    kel = ds.kelurahan.sort_values("kelurahan")
    names = dict(zip(kel["kode_kel"], kel["kelurahan"]))
    st.session_state[PRESENT_KEL_KEY] = selected_kelurahan() if selected_kelurahan() in names else None
    cols[4].selectbox(T("present.kelurahan"), options=list(names), key=PRESENT_KEL_KEY,
                      format_func=lambda k: str(names.get(k, k)), index=None,
                      placeholder=T("present.kelurahan_all"), on_change=_kel_picked)
    cols[5].button(T("present.exit"), icon=":material/close_fullscreen:", on_click=_exit_presentation,
                   key="_present_exit")
    if playing:
        st.session_state[_TICK_FULL_RUN_KEY] = True
        try:
            st.fragment(run_every=PLAY_SECONDS)(_ticker)()
        finally:
            st.session_state[_TICK_FULL_RUN_KEY] = False
