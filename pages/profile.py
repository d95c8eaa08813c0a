"""Profil Kelurahan: one kelurahan over the years: category and score, the 7 aspects at the
baseline and now, the 16 criteria, its kawasan/RT rows, its investments, and where it is."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import ui
from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number
from utils.method.criteria import CRITERIA_BY_ID
from utils.ui import kabkota as kab_ui
from utils.views import chart_export, charts

ctx = ui.require_dataset()
L = ctx.lang
ds = ctx.dataset
PICK_KEY = "profile_kel"


def _picked() -> None:
    ui.select_kelurahan(st.session_state.get(PICK_KEY))


st.title(ui.T("profile.title"))
ui.illustrative_note(ds)
kab_ui.profile_section(ctx)  # a province: one kab/kota, its kecamatan and kelurahan

kel_table = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]]).astype({"kode_kel": str})
kel_table = kel_table.sort_values(["kelurahan", "kode_kel"])
names = {r.kode_kel: f"{r.kelurahan} ({r.kecamatan})" for r in kel_table.itertuples()}
if not names:
    st.warning(ui.T("trend.no_data"))
    st.stop()

# Arrive with the map's (or the URL's) choice; else the kelurahan with the most slum area this year.
chosen = ui.selected_kelurahan()
if chosen not in names:
    chosen = None
    if ctx.year is not None:
        now = trends.kelurahan_year(ds, ctx.year).sort_values("slum_ha", ascending=False)
        chosen = str(now["kode_kel"].iloc[0]) if not now.empty and now["slum_ha"].iloc[0] > 0 else None
    chosen = chosen or next(iter(names))
    ui.select_kelurahan(chosen)
st.session_state[PICK_KEY] = chosen
kode = st.selectbox(ui.T("profile.choose"), list(names), format_func=names.get, key=PICK_KEY, on_change=_picked,
                    help=ui.T("profile.choose_help"))
row = kel_table[kel_table["kode_kel"] == kode].iloc[0]
st.header(ui.T("profile.header", kelurahan=row["kelurahan"], kecamatan=row["kecamatan"]))
st.caption(ui.T("profile.code", code=kode))

kel_series = trends.kelurahan_history(ds, kode)
if kel_series.empty:
    st.info(ui.T("profile.no_data", kelurahan=row["kelurahan"]), icon=":material/info:")
    _, side, _ = st.columns([1, 2, 1])
    with side:
        ui.chart_with_downloads(charts.locator_map_figure(ds, kode, L, None),
                                kel_table[kel_table["kode_kel"] == kode], "locator")
    st.stop()

# The year shown: the sidebar's, else the kelurahan's latest assessed year.
years = kel_series["year"].astype(int).tolist()
if ctx.year in years:
    year = ctx.year
else:
    earlier = [y for y in years if ctx.year is not None and y <= ctx.year]
    year = max(earlier) if earlier else max(years)
if year != ctx.year:
    st.info(ui.T("profile.no_data_year", kelurahan=row["kelurahan"], year=ctx.year, shown=year))
cur = kel_series[kel_series["year"] == year].iloc[-1]
period_id = str(cur["sk_period"])
pseries = kel_series[kel_series["sk_period"] == period_id]
period_base_year = trends.period_years(ds, period_id)
base_year = period_base_year[0] if period_base_year else int(pseries["year"].iloc[0])
base_rows = pseries[pseries["year"] == base_year]
base_ha = float(base_rows["slum_ha"].iloc[0]) if not base_rows.empty else None

m1, m2, m3, m4 = st.columns([1.3, 1, 1, 1])
m1.metric(ui.T("profile.category", year=year), charts.class_name(str(cur["category"]), L))
m2.metric(ui.T("profile.score", year=year), f"{int(cur['total_score'])}", help=ui.T("profile.score_help"))
m3.metric(ui.T("profile.slum_ha", year=year), fmt_ha(float(cur["slum_ha"]), L))
m4.metric(ui.T("ovw.baseline_metric", year=base_year), fmt_ha(base_ha, L) if base_ha is not None else "–")
main, side = st.columns([2.2, 1])
with main:
    st.subheader(ui.T("profile.section_score"))
    if len(kel_series) < 2:
        st.info(ui.T("profile.one_year"))
    labels = {p.id: p.label for p in ds.meta.sk_periods}
    ui.chart_with_downloads(charts.kelurahan_score_figure(kel_series, L, labels), kel_series, "score")
with side:
    ui.chart_with_downloads(charts.locator_map_figure(ds, kode, L, str(cur["category"])),
                            kel_table[kel_table["kode_kel"] == kode],
                "locator")

# ---- the 7 aspects, baseline vs the chosen year
st.subheader(ui.T("profile.section_aspects"))
latest = trends.kelurahan_aspects(ds, kode, year)
baseline = trends.kelurahan_aspects(ds, kode, base_year) if base_year != year else None
if base_year == year:
    st.caption(ui.T("profile.aspects_baseline_only", year=year))
aspect_data = pd.DataFrame({"aspect": [c.removeprefix("a_") for c in trends.ASPECT_COLS],
                            f"pct_{year}": [float(latest.get(c, 0.0)) for c in trends.ASPECT_COLS]})
if baseline is not None:
    aspect_data[f"pct_{base_year}"] = [float(baseline.get(c, 0.0)) for c in trends.ASPECT_COLS]
ui.chart_with_downloads(charts.aspect_compare_figure(baseline, latest, L,
                                                     base_year if baseline is not None else None, year),
            aspect_data, "aspects")

# ---- the 16 criteria
st.subheader(ui.T("profile.section_criteria", year=year))
crit = trends.kelurahan_criteria(ds, kode, year)
st.dataframe(pd.DataFrame({
    ui.T("profile.col_criterion"): [f"{c} · {CRITERIA_BY_ID[c].name_en if L == 'en' else CRITERIA_BY_ID[c].name_id}"
                                    for c in crit["criterion"]],
    ui.T("profile.col_aspect"): [charts.aspect_name(a, L) for a in crit["aspect"]],
    ui.T("profile.col_pct"): [fmt_number(v, L, 2) for v in crit["pct"]],
    ui.T("profile.col_score"): crit["score"].astype(int),
    ui.T("profile.col_max_unit"): crit["max_unit_score"].astype(int),
}), hide_index=True, key="profile_criteria", height=36 * (len(crit) + 1) + 3)  # all 16 rows, no scrolling
st.caption(ui.T("profile.criteria_note"))

# ---- kawasan / RT rows
st.subheader(ui.T("profile.section_units", year=year))
units = trends.kelurahan_units(ds, kode, year)
st.dataframe(pd.DataFrame({
    ui.T("profile.col_kawasan"): units["kawasan"].astype("string").fillna("–"),
    ui.T("profile.col_rt"): units["rt"].astype("string").fillna("–"),
    ui.T("profile.col_area"): [fmt_number(v, L, 2) for v in units["area_ha"]],
    ui.T("profile.col_total"): units["total_score"].astype(int),
    ui.T("profile.col_category"): [charts.class_name(c, L) for c in units["category"]],
    ui.T("profile.col_slum_ha"): [fmt_number(v, L, 2) for v in units["slum_ha"]],
}), hide_index=True, key="profile_units")

# ---- investments
st.subheader(ui.T("profile.section_invest"))
inv = trends.investments(ds)
inv = inv[inv["kode_kel"] == kode] if not inv.empty else inv
if inv.empty:
    st.info(ui.T("profile.no_investments"))
else:
    st.caption(ui.T("profile.inv_total", n=len(inv), value=fmt_number(float(inv["budget_idr"].sum()) / 1e6, L, 0)))
    inv = inv.sort_values(["year", "criterion"])
    st.dataframe(pd.DataFrame({
        ui.T("profile.col_year"): inv["year"].astype(str),
        ui.T("profile.col_criterion"): inv["criterion"].astype("string").fillna("–"),
        ui.T("profile.col_activity"): inv["activity"].astype("string").fillna("–"),
        ui.T("profile.col_volume"): [f"{fmt_number(v, L, 2)} {u if isinstance(u, str) else ''}".strip()
                                     for v, u in zip(inv["volume"], inv["unit"])],
        ui.T("profile.col_budget"): [fmt_number(v, L, 0) for v in inv["budget_idr"]],
        ui.T("profile.col_source"): inv["funding_source"].astype(str),
        ui.T("profile.col_implementer"): inv["implementer"].astype(str),
    }), hide_index=True, key="profile_investments")
    st.download_button(ui.T("trend.export.download_csv"), data=chart_export.csv_bytes(inv, L),
                       file_name=f"{ctx.dataset_name}_{kode}_investments_{L}.csv", mime="text/csv",
                       on_click="ignore", key="csv_investments", icon=":material/table:")
