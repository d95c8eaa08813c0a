"""Investment charts of the trends page: budget per year and source, per implementer, and the
cost per hectare reduced."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from utils.core.i18n import fmt_number, t
from utils.method.criteria import ASPECTS
from utils.views.chart_style import (
    PATH_COLOR,
    SERIES_COLORS,
    TICK_SIZE,
    _style,
    _year_axis,
    aspect_name,
)


def _juta(v: float) -> float:
    return float(v) / 1e6


def investment_source_figure(by_source: pd.DataFrame, lang: str) -> go.Figure:
    """Budget per year stacked by funding source, in Rp million."""
    fig = go.Figure()
    for i, (src, grp) in enumerate(by_source.groupby("funding_source", sort=False)):
        fig.add_trace(go.Bar(
            x=grp["year"].astype(int).tolist(), y=[_juta(v) for v in grp["budget_idr"]], name=str(src),
            marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            hovertemplate="%{x}: Rp %{y:,.0f} " + t("trend.axis.million", lang)
            + "<extra>" + str(src).replace("%", "%%") + "</extra>",
        ))
    fig.update_layout(barmode="stack")
    _style(fig, lang, t("trend.chart.inv_source_title", lang), t("trend.axis.year", lang),
           t("trend.axis.rp_million", lang))
    fig.update_yaxes(tickformat=",.0f")
    _year_axis(fig, by_source["year"].astype(int).tolist() if not by_source.empty else [])
    return fig


def implementer_figure(by_impl: pd.DataFrame, lang: str) -> go.Figure:
    """Who does what: budget per implementer (bars) split by aspect, in Rp million."""
    fig = go.Figure()
    order = list(dict.fromkeys(by_impl["implementer"].astype(str)))
    for i, a in enumerate([*[a.id for a in ASPECTS], "?"]):
        grp = by_impl[by_impl["aspect"].astype(str) == a]
        if grp.empty:
            continue
        name = aspect_name(a, lang)
        fig.add_trace(go.Bar(
            y=grp["implementer"].astype(str).tolist(), x=[_juta(v) for v in grp["budget_idr"]], name=name,
            orientation="h", marker_color=SERIES_COLORS[i % len(SERIES_COLORS)],
            hovertemplate="%{y}: Rp %{x:,.0f} " + t("trend.axis.million", lang) + "<extra>" + name + "</extra>",
        ))
    fig.update_layout(barmode="stack")
    _style(fig, lang, t("trend.chart.impl_title", lang), t("trend.axis.rp_million", lang), None,
           height=max(360, 240 + 40 * len(order)))
    fig.update_xaxes(tickformat=",.0f")
    fig.update_layout(margin={"b": 190})  # three legend rows of aspects under the axis title
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    return fig


def cost_per_ha_figure(cost: pd.DataFrame, lang: str) -> go.Figure:
    """Rp million per ha reduced, per year, with the period's overall figure as a line."""
    years = cost[cost["year"].notna()]
    total = cost[cost["year"].isna()]
    vals = [_juta(v) if pd.notna(v) else None for v in years["cost_per_ha_idr"]]
    fig = go.Figure(go.Bar(
        x=years["year"].astype(int).tolist(), y=vals, name=t("trend.chart.cost_year", lang),
        marker_color=SERIES_COLORS[0],
        text=[fmt_number(v, lang, 0) if v is not None else "–" for v in vals], textposition="outside",
        cliponaxis=False, hovertemplate="%{x}: Rp %{y:,.0f} " + t("trend.axis.million", lang) + "/ha<extra></extra>",
    ))
    if not total.empty and pd.notna(total["cost_per_ha_idr"].iloc[0]):
        avg = _juta(total["cost_per_ha_idr"].iloc[0])
        fig.add_hline(y=avg, line={"color": PATH_COLOR, "dash": "dash", "width": 2},
                      annotation_text=t("trend.chart.cost_avg", lang, value=fmt_number(avg, lang, 0)),
                      annotation_position="top right", annotation_font={"size": TICK_SIZE - 2},
                      annotation_bgcolor="rgba(255,255,255,0.85)")
    _style(fig, lang, t("trend.chart.cost_title", lang), t("trend.axis.year", lang),
           t("trend.axis.rp_million_per_ha", lang))
    fig.update_yaxes(tickformat=",.0f")
    _year_axis(fig, years["year"].astype(int).tolist())
    return fig


# ---- kelurahan profile -------------------------------------------------------------------
