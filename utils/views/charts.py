"""Plotly figure builders: every chart of the overview, trends and profile pages, and the briefing.

One look everywhere: the class colours of `utils.criteria.CLASS_COLORS`, fonts readable from the
back of a room, a unit on every axis, and Bahasa Indonesia number formats (decimal comma,
thousands dot) through the layout's `separators` in Bahasa mode. Builders take the tables of
`utils.trends` (or the Dataset) and return a `go.Figure`; they never compute scores.

The trend charts live here; the shared look in `chart_style`, the investment charts in
`investment_charts` and the profile charts in `profile_charts`, all importable from here.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from utils.analysis import trends
from utils.core.i18n import fmt_number, t
from utils.method.criteria import ASPECTS, CLASS_CODES, CLASS_COLORS, NO_DATA_CODE
from utils.store.dataset import Dataset
from utils.views.chart_style import (
    PATH_COLOR,
    PERIOD_COLORS,
    SERIES_COLORS,
    TEXT_COLOR,
    TICK_SIZE,
    _ha,
    _ha_short,
    _style,
    _wrap,
    _year_axis,
    aspect_name,
    class_name,
    figure_data,
    period_label,
    separators,
)
from utils.views.investment_charts import cost_per_ha_figure, implementer_figure, investment_source_figure
from utils.views.profile_charts import (
    LOCATOR_MAX_FEATURES,
    aspect_compare_figure,
    kelurahan_score_figure,
    kelurahan_slum_bars_figure,
    locator_map_figure,
)


def slum_trend_figure(ds: Dataset, lang: str, period_id: str | None = None, *,
                      years: tuple[int, int] | None = None, highlight_year: int | None = None,
                      projection: pd.DataFrame | None = None) -> go.Figure:
    """Slum ha per year, one line per SK period (never joined), the baseline of each period marked
    (a vertical "re-baseline" line where a later SK starts), and the straight path from the
    baseline to the target. With `period_id` None all periods are drawn and the path of the latest
    one; `years` limits the years drawn (the path keeps its baseline); `highlight_year` rings the
    year shown on the map, so stepping through years in a presentation moves the chart too.
    `projection` (`utils.analysis.projection.projection_series`: year, slum_ha) adds the line "if the
    commitments are delivered"."""
    series = trends.city_series(ds)
    pids = [p.id for p in trends.periods(ds)]
    if period_id is not None:
        pids = [p for p in pids if p == str(period_id)]
    fig = go.Figure()
    all_years: list[int] = []
    target_year = ds.meta.target_year
    for i, pid in enumerate(pids):
        ps = series[series["sk_period"] == pid]
        if years is not None:
            ps = ps[(ps["year"] >= years[0]) & (ps["year"] <= years[1])]
        if ps.empty:
            continue
        color = PERIOD_COLORS[i % len(PERIOD_COLORS)]
        label = period_label(ds, pid)
        ys = ps["year"].astype(int).tolist()
        all_years += ys
        fig.add_trace(go.Scatter(
            x=ys, y=ps["slum_ha"].tolist(), mode="lines+markers+text", name=label,
            line={"color": color, "width": 4}, marker={"size": 11, "color": color},
            # Labels above-right of their point; the latest one below, so it cannot collide with
            # the label before it when two years barely differ (117.51 -> 115.09 ha).
            text=[_ha(v, lang) for v in ps["slum_ha"]],
            textposition=["top right"] * (len(ys) - 1) + ["bottom center"],
            textfont={"size": TICK_SIZE - 2, "color": color},
            hovertemplate="%{x}: %{y:,.2f} ha<extra>" + label.replace("%", "%%") + "</extra>",
            meta={"kind": "actual", "sk_period": pid},
        ))
        base = ps[ps["is_baseline"]]
        if not base.empty:
            fig.add_trace(go.Scatter(
                x=base["year"].astype(int).tolist(), y=base["slum_ha"].tolist(), mode="markers",
                marker={"symbol": "diamond", "size": 18, "color": "white", "line": {"color": color, "width": 3}},
                name=t("trend.chart.baseline_of", lang, label=label), showlegend=False,
                hovertemplate=t("trend.chart.baseline_hover", lang) + "<extra></extra>",
                meta={"kind": "baseline", "sk_period": pid},
            ))
        if i > 0 and not base.empty:
            x0 = int(base["year"].iloc[0])
            fig.add_vline(x=x0 - 0.5, line={"color": color, "dash": "dot", "width": 2})
            fig.add_annotation(x=x0 - 0.5, y=1.0, yref="paper", text=t("trend.chart.rebaseline", lang, label=label),
                               showarrow=False, xanchor="right", yanchor="top",
                               font={"size": TICK_SIZE - 2, "color": color})
    path_pids = pids[-1:] if period_id is None else pids
    for pid in path_pids:
        path = trends.target_path(ds, pid)
        if path.empty or len(path) < 2:
            continue
        target_year = int(path["year"].iloc[-1])
        fig.add_trace(go.Scatter(
            x=[int(path["year"].iloc[0]), target_year],
            y=[float(path["path_ha"].iloc[0]), float(path["path_ha"].iloc[-1])],
            mode="lines", name=t("trend.chart.path", lang, year=target_year),
            line={"color": PATH_COLOR, "dash": "dash", "width": 3},
            hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>",
            meta={"kind": "path", "sk_period": pid},
        ))
        fig.add_trace(go.Scatter(
            x=[target_year], y=[ds.meta.target_ha], mode="markers",
            marker={"symbol": "star", "size": 20, "color": PATH_COLOR}, showlegend=False,
            name=t("trend.chart.target_label", lang, year=target_year, ha=_ha_short(ds.meta.target_ha, lang)),
            hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>", meta={"kind": "target", "sk_period": pid},
        ))
        fig.add_annotation(x=target_year, y=ds.meta.target_ha, ax=0, ay=-48, showarrow=True, arrowcolor=PATH_COLOR,
                           xanchor="right",
                           text=t("trend.chart.target_label", lang, year=target_year,
                                  ha=_ha_short(ds.meta.target_ha, lang)),
                           font={"size": TICK_SIZE - 1, "color": TEXT_COLOR}, bgcolor="rgba(255,255,255,0.85)")
        all_years += [target_year]
    if projection is not None and len(projection) > 1:
        fig.add_trace(go.Scatter(
            x=projection["year"].astype(int).tolist(), y=projection["slum_ha"].tolist(), mode="lines+markers",
            name=t("collab.chart.projected", lang), line={"color": PROJECTION_COLOR, "width": 3, "dash": "dot"},
            marker={"size": 8, "color": PROJECTION_COLOR}, hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>",
            meta={"kind": "projection"},
        ))
        all_years += projection["year"].astype(int).tolist()
    if highlight_year is not None:
        here = series[(series["year"] == highlight_year) & series["sk_period"].isin(pids)]
        if not here.empty:
            fig.add_trace(go.Scatter(
                x=[int(highlight_year)] * len(here), y=here["slum_ha"].tolist(), mode="markers",
                marker={"symbol": "circle-open", "size": 30, "color": TEXT_COLOR, "line": {"width": 4}},
                name=t("trend.chart.selected_year", lang, year=highlight_year), showlegend=False,
                hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>", meta={"kind": "selected_year"},
            ))
    title = t("trend.chart.slum_title", lang, city=ds.meta.city)
    _style(fig, lang, title, t("trend.axis.year", lang), t("trend.axis.slum_ha", lang))
    if all_years:
        lo, hi = min(all_years), max(all_years)
        step = 1 if hi - lo <= 12 else 2
        fig.update_xaxes(tickmode="linear", dtick=step, tick0=lo, tickformat="d", range=[lo - 0.6, hi + 0.9])
    fig.update_yaxes(rangemode="tozero")
    return fig


PROJECTION_COLOR = "#1b7837"  # the Kolaborasi page's "all covered" green: commitments delivered


def reduced_per_year_figure(series: pd.DataFrame, lang: str, labels: dict[str, str] | None = None) -> go.Figure:
    """Bars of ha reduced per year (negative when slum area grew), one colour per SK period."""
    fig = go.Figure()
    labels = labels or {}
    data = series.dropna(subset=["reduced_ha"])
    for i, (pid, ps) in enumerate(data.groupby("sk_period", sort=True)):
        fig.add_trace(go.Bar(
            x=ps["year"].astype(int).tolist(), y=ps["reduced_ha"].tolist(), name=labels.get(pid, pid),
            marker_color=PERIOD_COLORS[(i + 0) % len(PERIOD_COLORS)],
            text=[_ha(v, lang) for v in ps["reduced_ha"]], textposition="outside",
            textfont={"size": TICK_SIZE - 2}, cliponaxis=False,
            hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>",
        ))
    _style(fig, lang, t("trend.chart.reduced_title", lang), t("trend.axis.year", lang),
           t("trend.axis.reduced_ha", lang))
    _year_axis(fig, data["year"].astype(int).tolist())
    return fig


def kecamatan_stack_figure(kec: pd.DataFrame, lang: str) -> go.Figure:
    """Slum ha per year stacked by kecamatan (qualitative colours: kecamatan are not classes)."""
    fig = go.Figure()
    for i, ((_code, name), grp) in enumerate(kec.groupby(["kode_kec", "kecamatan"], sort=True)):
        fig.add_trace(go.Bar(
            x=grp["year"].astype(int).tolist(), y=grp["slum_ha"].tolist(), name=str(name),
            marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            hovertemplate="%{x}: %{y:,.2f} ha<extra>" + str(name).replace("%", "%%") + "</extra>",
        ))
    fig.update_layout(barmode="stack")
    _style(fig, lang, t("trend.chart.kec_title", lang), t("trend.axis.year", lang), t("trend.axis.slum_ha", lang))
    _year_axis(fig, kec["year"].astype(int).tolist() if not kec.empty else [])
    return fig


def category_mix_figure(mix: pd.DataFrame, lang: str) -> go.Figure:
    """Kelurahan per class and year, stacked in the class colours (heaviest at the bottom)."""
    fig = go.Figure()
    for code in CLASS_CODES:
        grp = mix[mix["category"] == code]
        if grp.empty:
            continue
        fig.add_trace(go.Bar(
            x=grp["year"].astype(int).tolist(), y=grp["n_kelurahan"].tolist(), name=class_name(code, lang),
            marker={"color": CLASS_COLORS[code], "line": {"color": "#555", "width": 0.5}},
            hovertemplate="%{x}: %{y:d}<extra>" + class_name(code, lang) + "</extra>",
            meta={"category": code},
        ))
    fig.update_layout(barmode="stack")
    _style(fig, lang, t("trend.chart.mix_title", lang), t("trend.axis.year", lang), t("trend.axis.n_kel", lang))
    _year_axis(fig, mix["year"].astype(int).tolist() if not mix.empty else [])
    return fig


def category_bar_figure(counts: pd.Series, lang: str, year: int) -> go.Figure:
    """Kelurahan per class in one year (all classes and no-data), in the class colours."""
    codes = [c for c in [*CLASS_CODES, NO_DATA_CODE] if c in counts.index]
    fig = go.Figure(go.Bar(
        x=[class_name(c, lang) for c in codes], y=[int(counts[c]) for c in codes],
        marker={"color": [CLASS_COLORS[c] for c in codes], "line": {"color": "#555", "width": 0.5}},
        text=[str(int(counts[c])) for c in codes], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y:d}<extra></extra>", customdata=codes,
    ))
    _style(fig, lang, t("trend.chart.cat_title", lang, year=year), None, t("trend.axis.n_kel", lang), legend=False)
    return fig


# ---- pace ----------------------------------------------------------------------------------

def pace_figure(p: trends.Pace, lang: str) -> go.Figure:
    """Two bars: ha/year needed from now to reach the target, ha/year achieved since the baseline."""
    names = [t("trend.pace.needed", lang), t("trend.pace.achieved", lang)]
    values = [p.needed_ha_per_year, p.achieved_ha_per_year]
    colors = [CLASS_COLORS["KB"], CLASS_COLORS["TK"]]
    fig = go.Figure(go.Bar(
        x=[v if v is not None else 0 for v in values], y=names, orientation="h", marker_color=colors,
        text=[f"{fmt_number(v, lang, 2)} ha/{t('trend.axis.year_short', lang)}" if v is not None else "–"
              for v in values],
        textposition="outside", cliponaxis=False, hovertemplate="%{x:,.2f}<extra></extra>",
    ))
    _style(fig, lang, t("trend.chart.pace_title", lang), t("trend.axis.ha_per_year", lang), None,
           height=260, legend=False)
    fig.update_yaxes(autorange="reversed")
    return fig


# ---- kelurahan ranking and aspects ---------------------------------------------------------

def ranking_figure(rank: pd.DataFrame, lang: str, by: str = "slum_ha", top: int | None = None) -> go.Figure:
    """Horizontal bars of kelurahan by slum ha (coloured by class) or by ha reduced since baseline."""
    col = "slum_ha" if by == "slum_ha" else "reduced_ha"
    data = rank.sort_values([col, "kelurahan"], ascending=[False, True])
    if top:
        data = data.head(top)
    colors = [CLASS_COLORS.get(c, CLASS_COLORS[NO_DATA_CODE]) for c in data["category"]]
    fig = go.Figure(go.Bar(
        x=data[col].tolist(), y=data["kelurahan"].astype(str).tolist(), orientation="h",
        marker={"color": colors, "line": {"color": "#555", "width": 0.5}},
        text=[_ha(v, lang) for v in data[col]], textposition="outside", cliponaxis=False,
        customdata=[[class_name(c, lang)] for c in data["category"]],
        hovertemplate="%{y}: %{x:,.2f} ha (%{customdata[0]})<extra></extra>",
    ))
    key = "trend.chart.rank_slum_title" if col == "slum_ha" else "trend.chart.rank_reduced_title"
    axis = "trend.axis.slum_ha" if col == "slum_ha" else "trend.axis.reduced_ha"
    _style(fig, lang, t(key, lang), t(axis, lang), None, height=max(320, 120 + 30 * len(data)), legend=False)
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    return fig


def aspect_heatmap_figure(matrix: pd.DataFrame, lang: str, mode: str = "latest") -> go.Figure:
    """Kelurahan x 7 aspects: % affected (white to the Kumuh Berat red), or the change since the
    baseline in percentage points (blue = improved, red = worse)."""
    z = matrix[trends.ASPECT_COLS].to_numpy(dtype=float).tolist()  # plain lists: readable JSON spec
    x = [_wrap(aspect_name(a.id, lang)) for a in ASPECTS]
    y = [f"{k} ({c})" for k, c in zip(matrix["kelurahan"].astype(str), matrix["kecamatan"].astype(str))]
    if mode == "change":
        colorscale = [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, CLASS_COLORS["KB"]]]
        extra = {"zmid": 0, "zmin": -100, "zmax": 100}
        bar_title = t("trend.axis.change_pp", lang)
        title = t("trend.chart.heat_change_title", lang)
        fmt = "%{z:+.0f}"
    else:
        colorscale = [[0.0, "#ffffff"], [0.5, CLASS_COLORS["KR"]], [0.75, CLASS_COLORS["KS"]],
                      [1.0, CLASS_COLORS["KB"]]]
        extra = {"zmin": 0, "zmax": 100}
        bar_title = t("trend.axis.pct_affected", lang)
        title = t("trend.chart.heat_title", lang)
        fmt = "%{z:.0f}"
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, colorscale=colorscale, texttemplate=fmt, textfont={"size": TICK_SIZE - 3},
        colorbar={"title": {"text": bar_title}}, hovertemplate="%{y}<br>%{x}: %{z:,.1f}<extra></extra>",
        xgap=1, ygap=1, **extra,
    ))
    _style(fig, lang, title, None, None, height=max(360, 170 + 28 * len(y)), legend=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": TICK_SIZE - 2})
    fig.update_xaxes(side="top", tickangle=0, tickfont={"size": TICK_SIZE - 3})
    fig.update_layout(margin={"t": 130})
    return fig


# ---- investments -------------------------------------------------------------------------


__all__ = [
    "slum_trend_figure", "reduced_per_year_figure", "kecamatan_stack_figure", "category_mix_figure",
    "category_bar_figure", "pace_figure", "ranking_figure", "aspect_heatmap_figure", "investment_source_figure",
    "implementer_figure", "cost_per_ha_figure", "kelurahan_score_figure", "aspect_compare_figure",
    "locator_map_figure", "kelurahan_slum_bars_figure", "separators", "class_name", "aspect_name", "figure_data",
    "LOCATOR_MAX_FEATURES",
]
