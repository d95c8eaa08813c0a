"""Plotly figure builders: every chart of the overview, trends and profile pages, and the briefing.

One look everywhere: the class colours of `utils.criteria.CLASS_COLORS`, fonts readable from the
back of a room, a unit on every axis, and Bahasa Indonesia number formats (decimal comma,
thousands dot) through the layout's `separators` in Bahasa mode. Builders take the tables of
`utils.trends` (or the Dataset) and return a `go.Figure`; they never compute scores.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import shapely

from utils.analysis import trends
from utils.core.i18n import fmt_number, t
from utils.method.criteria import ASPECTS, CLASS_CODES, CLASS_COLORS, CLASSES, NO_DATA_CODE
from utils.store.dataset import Dataset

FONT_FAMILY = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 18
TITLE_SIZE = 22
TICK_SIZE = 16
HEIGHT = 480
WIDTH_EXPORT = 1600
HEIGHT_EXPORT = 900
TEXT_COLOR = "#262730"
GRID_COLOR = "#e3e3e8"
# Series that are not slum classes: colour-blind safe (Okabe-Ito), distinct from the class colours.
SERIES_COLORS = ["#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#D55E00", "#000000", "#999999"]
PERIOD_COLORS = ["#3f3f46", "#0072B2", "#009E73", "#CC79A7"]
PATH_COLOR = "#6b7280"
HIGHLIGHT_COLOR = "#0b3d91"


def separators(lang: str) -> str:
    """Plotly's separators: decimal mark first, thousands mark second."""
    return ".," if lang == "en" else ",."


def _style(fig: go.Figure, lang: str, title: str, x_title: str | None, y_title: str | None,
           height: int = HEIGHT, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0.0, "xanchor": "left", "xref": "paper"},
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOR},
        separators=separators(lang),
        template="plotly_white",
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 60 + (70 if legend else 0)},
        showlegend=legend,
        # Below the plot: a long legend at the top would run into the title.
        # At the bottom of the whole figure (container), so it stays put at any export height.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "xanchor": "left", "x": 0.0,
                "traceorder": "normal", "font": {"size": TICK_SIZE}},
        hoverlabel={"font": {"size": TICK_SIZE}},
    )
    fig.update_xaxes(title_text=x_title, tickfont={"size": TICK_SIZE}, gridcolor=GRID_COLOR,
                     title_font={"size": FONT_SIZE})
    fig.update_yaxes(title_text=y_title, tickfont={"size": TICK_SIZE}, gridcolor=GRID_COLOR,
                     title_font={"size": FONT_SIZE}, zeroline=True, zerolinecolor="#bdbdc7")
    return fig


def _ha(v: float, lang: str) -> str:
    return f"{fmt_number(v, lang, 2)} ha"


def _ha_short(v: float, lang: str) -> str:
    """`0 ha` rather than `0,00 ha` for round targets."""
    return f"{fmt_number(v, lang, 0 if float(v).is_integer() else 2)} ha"


def _wrap(text: str, width: int = 12) -> str:
    """Break a long label at spaces with <br>, so heatmap columns do not overlap."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "<br>".join(lines)


def _year_axis(fig: go.Figure, years: list[int]) -> None:
    if years:
        fig.update_xaxes(tickmode="array", tickvals=sorted(set(years)), tickformat="d")


def class_name(code: str, lang: str) -> str:
    return t(f"class.{code}", lang)


def aspect_name(aspect_id: str, lang: str) -> str:
    a = next((a for a in ASPECTS if a.id == str(aspect_id)), None)
    if a is None:
        return t("trend.aspect_unknown", lang)
    return a.name_en if lang == "en" else a.name_id


def period_label(ds: Dataset, period_id: str) -> str:
    try:
        return ds.meta.period(str(period_id)).label
    except KeyError:
        return str(period_id)


# ---- slum ha over time -------------------------------------------------------------------

def slum_trend_figure(ds: Dataset, lang: str, period_id: str | None = None, *,
                      years: tuple[int, int] | None = None, highlight_year: int | None = None) -> go.Figure:
    """Slum ha per year, one line per SK period (never joined), the baseline of each period marked
    (a vertical "re-baseline" line where a later SK starts), and the straight path from the
    baseline to the target. With `period_id` None all periods are drawn and the path of the latest
    one; `years` limits the years drawn (the path keeps its baseline); `highlight_year` rings the
    year shown on the map, so stepping through years in a presentation moves the chart too."""
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


def figure_data(fig: go.Figure) -> list[dict]:
    """The traces as plain dicts (name, x, y, meta): what tests and the CSV fallback read."""
    return [{k: v for k, v in tr.to_plotly_json().items() if k in ("name", "x", "y", "z", "meta", "type")}
            for tr in fig.data]


__all__ = [
    "slum_trend_figure", "reduced_per_year_figure", "kecamatan_stack_figure", "category_mix_figure",
    "category_bar_figure", "pace_figure", "ranking_figure", "aspect_heatmap_figure", "investment_source_figure",
    "implementer_figure", "cost_per_ha_figure", "kelurahan_score_figure", "aspect_compare_figure",
    "locator_map_figure", "separators",
]
