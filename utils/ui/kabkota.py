"""Streamlit pieces of the kab/kota level: the area picker shared by the overview, trends and
briefing pages, slum ha per kab/kota (stacked), and the kab/kota profile section."""
from __future__ import annotations

import copy

import pandas as pd
import streamlit as st

from utils.analysis import kabkota
from utils.core.i18n import fmt_ha
from utils.method.criteria import CLASS_CODES
from utils.store import regions
from utils.store.dataset import Dataset
from utils.ui import PageContext, T

KAB_KEY = "kab_filter"  # the picker widget
CHOICE_KEY = "kab_choice"  # the choice, kept for every page of the session
PROFILE_KEY = "kab_profile"
WHOLE = ""


@st.cache_resource(max_entries=16, show_spinner=False)
def _view(name: str | None, version: int | None, kode_kab: str, _ds: Dataset) -> Dataset:
    """The dataset for one kab/kota, or the whole region named as the region (cached per version)."""
    if kode_kab:
        return kabkota.for_kab(_ds, kode_kab)
    region = regions.region_name(_ds)
    if region == _ds.meta.city:
        return _ds
    view = copy.copy(_ds)  # keeps the scored rows already computed
    view.meta = copy.copy(_ds.meta)
    view.meta.city = region
    return view


def _picked() -> None:
    st.session_state[CHOICE_KEY] = st.session_state.get(KAB_KEY) or WHOLE


def filtered(ctx: PageContext, container=None) -> Dataset:
    """Draw the area picker when the boundaries hold several kab/kota; the dataset for the choice.

    The choice lives under its own key: Streamlit drops a widget's value on a page that does not
    draw it, and the choice must hold from the overview to the trends and briefing pages."""
    ds = ctx.dataset
    opts = kabkota.options(ds)
    if not opts:
        return ds
    current = st.session_state.get(CHOICE_KEY) or WHOLE
    if current not in opts:
        current = WHOLE
    st.session_state[CHOICE_KEY] = st.session_state[KAB_KEY] = current
    region = regions.region_name(ds)
    (container or st).selectbox(T("prov.pick"), [WHOLE, *opts], key=KAB_KEY, help=T("prov.pick_help"),
                                on_change=_picked,
                                format_func=lambda k: T("prov.whole", region=region) if k == WHOLE else opts[k])
    return _view(ctx.dataset_name, ctx.version, current, ds)


def chosen() -> str | None:
    """The kab/kota picked on any page (None: the whole region)."""
    return st.session_state.get(CHOICE_KEY) or None


def by_kab_block(ds: Dataset, year: int, lang: str) -> None:
    """Slum ha and kelurahan per class for each kab/kota, and the series stacked by kab/kota."""
    if not kabkota.options(ds):
        return
    st.subheader(T("prov.by_kab_heading"))
    table = kabkota.kab_year(ds, year)
    series = kabkota.kab_series(ds)
    if not series.empty:
        st.caption(T("prov.by_kab_series"))
        chart = series.pivot_table(index="year", columns="kab_kota", values="slum_ha", aggfunc="sum")
        chart.index = chart.index.astype(str)
        st.bar_chart(chart, height=320, stack=True)
    shown = pd.DataFrame({
        T("prov.col_kab"): table["kab_kota"],
        T("prov.col_n_kec"): table["kecamatan"],
        T("prov.col_n_kel"): table["kelurahan"],
        T("prov.col_slum_ha"): table["slum_ha"].map(lambda v: fmt_ha(float(v), lang)),
        **{T(f"class.{c}"): table[c] for c in CLASS_CODES},
    })
    st.dataframe(shown, hide_index=True, width="stretch")


def profile_section(ctx: PageContext) -> None:
    """A kab/kota profile: its kecamatan and kelurahan with category and slum ha of the year."""
    ds = ctx.dataset
    opts = kabkota.options(ds)
    if not opts:
        return
    L = ctx.lang
    st.subheader(T("prov.profile_heading"))
    default = chosen()
    if st.session_state.get(PROFILE_KEY) not in opts:
        st.session_state[PROFILE_KEY] = default if default in opts else next(iter(opts))
    kode = st.selectbox(T("prov.profile_pick"), list(opts), key=PROFILE_KEY, format_func=opts.get)
    kec, kel = kabkota.profile_tables(ds, kode, ctx.year)
    name = opts[kode]
    st.markdown(T("prov.profile_summary", kab=name, n_kec=len(kec), n_kel=len(kel),
                  ha=fmt_ha(float(kel["slum_ha"].sum()), L), year=ctx.year if ctx.year is not None else "–"))
    c1, c2 = st.columns([2, 3])
    c1.caption(T("prov.profile_kec", kab=name))
    c1.dataframe(pd.DataFrame({T("prov.col_kec"): kec["kecamatan"], T("prov.col_n_kel"): kec["kelurahan"],
                               T("prov.col_slum_ha"): kec["slum_ha"].map(lambda v: fmt_ha(float(v), L))}),
                 hide_index=True, width="stretch")
    c2.caption(T("prov.profile_kel", kab=name))
    c2.dataframe(pd.DataFrame({T("prov.col_kel"): kel["kelurahan"], T("prov.col_kec"): kel["kecamatan"],
                               T("prov.col_category"): kel["category"].map(lambda c: T(f"class.{c}")),
                               T("prov.col_slum_ha"): kel["slum_ha"].map(lambda v: fmt_ha(float(v), L))}),
                 hide_index=True, width="stretch")


def stack_series(ds: Dataset, period_id: str | None, kec_choice: list[str]) -> tuple[str, pd.DataFrame, bool]:
    """For the trends page's stacked chart: (heading, series, by kab/kota). A whole province with no
    kecamatan picked is stacked by kab/kota (hundreds of kecamatan would not read), in the columns
    the kecamatan chart takes; else by kecamatan."""
    from utils.analysis import trends

    if kabkota.options(ds) and not kec_choice:
        kab = kabkota.kab_series(ds, period_id).rename(columns={"kode_kab": "kode_kec", "kab_kota": "kecamatan"})
        return T("prov.by_kab_heading"), kab, True
    return T("trend.section_kecamatan"), trends.kecamatan_series(ds, period_id), False


def titled(fig, title: str):
    """`fig` with its title replaced (the kecamatan chart reused for kab/kota)."""
    fig.update_layout(title_text=title)
    return fig
