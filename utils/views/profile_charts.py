"""Charts of one kelurahan's profile: its score over the years, its aspects then and now, and a
small locator map."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import shapely

from utils.analysis import trends
from utils.core.i18n import t
from utils.method.criteria import ASPECTS, CLASS_COLORS, CLASSES, NO_DATA_CODE
from utils.store.dataset import Dataset
from utils.views.chart_style import (
    FONT_FAMILY,
    GRID_COLOR,
    HEIGHT,
    HIGHLIGHT_COLOR,
    PERIOD_COLORS,
    SERIES_COLORS,
    TEXT_COLOR,
    TICK_SIZE,
    _style,
    _year_axis,
    aspect_name,
    class_name,
    separators,
)


def kelurahan_score_figure(kel_series: pd.DataFrame, lang: str, labels: dict[str, str] | None = None) -> go.Figure:
    """The kelurahan's score per year over the class bands, one pair of lines per SK period: the
    worst RT/kawasan (which sets the kelurahan's class; markers in the class colour) and the
    area-weighted average of its units (`mean_score`, when the table has it)."""
    fig = go.Figure()
    labels = labels or {}
    bands = sorted(CLASSES, key=lambda c: c.min_total)
    for j, c in enumerate(bands):
        top = bands[j + 1].min_total if j + 1 < len(bands) else 80
        fig.add_hrect(y0=c.min_total, y1=top, fillcolor=c.color, opacity=0.18, line_width=0, layer="below")
        fig.add_annotation(x=1.0, xref="paper", xanchor="right", y=(c.min_total + top) / 2,
                           text=class_name(c.code, lang),
                           showarrow=False, font={"size": TICK_SIZE - 3, "color": "#555"})
    for i, (pid, ps) in enumerate(kel_series.groupby("sk_period", sort=True)):
        color = PERIOD_COLORS[i % len(PERIOD_COLORS)]
        label = labels.get(pid, pid)
        fig.add_trace(go.Scatter(
            x=ps["year"].astype(int).tolist(), y=ps["total_score"].tolist(), mode="lines+markers",
            name=f'{t("profile.chart.worst", lang)} · {label}', line={"color": color, "width": 3},
            marker={"size": 14, "color": [CLASS_COLORS.get(c, CLASS_COLORS[NO_DATA_CODE]) for c in ps["category"]],
                    "line": {"color": color, "width": 2}},
            customdata=[[class_name(c, lang)] for c in ps["category"]],
            hovertemplate="%{x}: %{y} (%{customdata[0]})<extra></extra>", meta={"kind": "worst", "sk_period": pid},
        ))
        if "mean_score" in ps.columns:
            fig.add_trace(go.Scatter(
                x=ps["year"].astype(int).tolist(), y=ps["mean_score"].round(1).tolist(), mode="lines+markers",
                name=f'{t("profile.chart.mean", lang)} · {label}', line={"color": color, "width": 2, "dash": "dot"},
                marker={"size": 8, "color": color}, hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
                meta={"kind": "mean", "sk_period": pid},
            ))
    _style(fig, lang, t("profile.chart.score_title", lang), t("trend.axis.year", lang), t("profile.axis.score", lang),
           height=HEIGHT + 80)
    fig.update_layout(margin={"b": 190})  # up to four legend entries under the axis title
    fig.update_yaxes(range=[0, 80])
    _year_axis(fig, kel_series["year"].astype(int).tolist() if not kel_series.empty else [])
    return fig


def aspect_compare_figure(baseline: pd.Series | None, latest: pd.Series, lang: str,
                          baseline_year: int | None, latest_year: int) -> go.Figure:
    """The 7 aspects (% affected) at the period's baseline beside the chosen year."""
    x = [aspect_name(a.id, lang) for a in ASPECTS]
    fig = go.Figure()
    if baseline is not None and baseline_year is not None and baseline_year != latest_year:
        fig.add_trace(go.Bar(x=x, y=[float(baseline.get(c, 0.0)) for c in trends.ASPECT_COLS],
                             name=t("profile.baseline_year", lang, year=baseline_year), marker_color="#9ca3af",
                             hovertemplate="%{x}: %{y:,.1f} %<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=[float(latest.get(c, 0.0)) for c in trends.ASPECT_COLS], name=str(latest_year),
                         marker_color=SERIES_COLORS[0], hovertemplate="%{x}: %{y:,.1f} %<extra></extra>"))
    fig.update_layout(barmode="group")
    _style(fig, lang, t("profile.chart.aspect_title", lang), None, t("trend.axis.pct_affected", lang))
    fig.update_yaxes(range=[0, 105])
    fig.update_xaxes(tickfont={"size": TICK_SIZE - 3})
    return fig


def _rings(geom) -> list[list[tuple[float, float]]]:
    if geom is None or geom.is_empty:
        return []
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    out = []
    for poly in polys:
        if hasattr(poly, "exterior"):
            out.append(list(poly.exterior.coords))
    return out


def _xy(geoms) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for g in geoms:
        for ring in _rings(g):
            xs += [c[0] for c in ring] + [None]
            ys += [c[1] for c in ring] + [None]
    return xs, ys


LOCATOR_MAX_FEATURES = 300  # above this (a province) the locator shows the kelurahan's surroundings


def locator_map_figure(ds: Dataset, kode_kel: str | None, lang: str, category: str | None = None) -> go.Figure:
    """The city's kelurahan outlines with one highlighted: no tiles, so it works offline and exports.

    Degrees are drawn with the y axis stretched by 1/cos(latitude), so shapes are not squashed.
    """
    kel = ds.kelurahan
    sel = kel[kel["kode_kel"].astype(str) == str(kode_kel)] if kode_kel is not None else kel.iloc[:0]
    if len(kel) > LOCATOR_MAX_FEATURES and not sel.empty:
        # A province: the neighbourhood of the kelurahan, not 8,500 outlines on every rerun.
        minx, miny, maxx, maxy = sel.total_bounds
        pad = 2 * max(maxx - minx, maxy - miny, 0.005)
        window = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
        kel = kel.iloc[kel.sindex.query(window, predicate="intersects")]
    geoms = kel.geometry.simplify(0.0001, preserve_topology=True)
    xs, ys = _xy(geoms)
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor="#f3f4f6",
                               line={"color": "#9ca3af", "width": 1}, hoverinfo="skip", name="kelurahan",
                               showlegend=False))
    if kode_kel is not None:
        if not sel.empty:
            sx, sy = _xy(sel.geometry)
            fill = CLASS_COLORS.get(category or NO_DATA_CODE, CLASS_COLORS[NO_DATA_CODE])
            name = str(sel["kelurahan"].iloc[0])
            fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", fill="toself", fillcolor=fill,
                                     line={"color": HIGHLIGHT_COLOR, "width": 3}, name=name, showlegend=False,
                                     hoverinfo="skip", meta={"kind": "selected", "kode_kel": str(kode_kel)}))
            pt = sel.geometry.iloc[0].representative_point()
            fig.add_trace(go.Scatter(x=[pt.x], y=[pt.y], mode="text", text=[name], showlegend=False,
                                     textfont={"size": TICK_SIZE, "color": HIGHLIGHT_COLOR}, hoverinfo="skip",
                                     textposition="top center"))
    bounds = kel.total_bounds if len(kel) else (0, 0, 1, 1)
    lat0 = (bounds[1] + bounds[3]) / 2
    _style(fig, lang, t("profile.chart.locator_title", lang), None, None, height=380, legend=False)
    fig.update_xaxes(visible=False, showgrid=False)
    fig.update_yaxes(visible=False, showgrid=False, scaleanchor="x",
                     scaleratio=1 / max(math.cos(math.radians(lat0)), 0.1))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10}, plot_bgcolor="white")
    return fig


def kelurahan_slum_bars_figure(kel_series: pd.DataFrame, lang: str, labels: dict[str, str] | None = None,
                               height: int = 200) -> go.Figure:
    """The map panel's small chart: slum ha of one kelurahan per year, one colour per SK period,
    numbers in the language's format (decimal comma in Bahasa Indonesia), hover in ha."""
    labels = labels or {}
    fig = go.Figure()
    for i, (pid, ps) in enumerate(kel_series.groupby("sk_period", sort=True)):
        fig.add_trace(go.Bar(
            x=ps["year"].astype(int).astype(str).tolist(), y=ps["slum_ha"].astype(float).round(2).tolist(),
            name=labels.get(str(pid), str(pid)), marker_color=PERIOD_COLORS[i % len(PERIOD_COLORS)],
            hovertemplate="%{x}: %{y:,.2f} ha<extra></extra>", meta={"sk_period": str(pid)},
        ))
    fig.update_layout(
        separators=separators(lang), template="plotly_white", height=height, barmode="group",
        margin={"l": 40, "r": 8, "t": 8, "b": 8}, font={"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOR},
        showlegend=kel_series["sk_period"].nunique() > 1,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "font": {"size": 11}},
    )
    fig.update_xaxes(type="category", gridcolor=GRID_COLOR)
    fig.update_yaxes(title_text="ha", tickformat=",.1f", gridcolor=GRID_COLOR)
    return fig
