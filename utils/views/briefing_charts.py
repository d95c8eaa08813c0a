"""The briefing's charts: the trend against the target path and the category mix (plotly, from
`charts` when it can), a PNG of the trend within a deadline, and a reportlab fallback drawing."""
from __future__ import annotations

import logging

import plotly.graph_objects as go

from utils.analysis import trends
from utils.core.i18n import fmt_number, t
from utils.method.criteria import CLASS_CODES, CLASS_COLORS
from utils.store.dataset import Dataset
from utils.views.briefing import Briefing

log = logging.getLogger("kotaku.report")


# ==== the trend chart =======================================================================

def trend_figure(ds: Dataset, b: Briefing) -> go.Figure:
    """The Trends page's chart when utils.charts provides it, else a plain one: slum ha of the
    period against the straight path from its baseline to the target."""
    try:
        from utils.views.charts import slum_trend_figure

        return slum_trend_figure(ds, b.lang, b.period_id)
    except Exception:  # noqa: BLE001 - the export must not fail because a chart module changed
        log.info("utils.charts.slum_trend_figure unavailable; drawing the fallback trend chart")
    L = b.lang
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=b.series["year"].tolist(), y=b.series["slum_ha"].tolist(), mode="lines+markers+text",
                             name=b.period_label, text=[fmt_number(v, L) for v in b.series["slum_ha"]],
                             textposition="top right", line={"color": "#1f5f8b", "width": 4}))
    fig.add_trace(go.Scatter(x=[b.baseline_year, b.target_year], y=[b.baseline_ha, b.target_ha], mode="lines",
                             name=t("brief.chart.path", L, year=b.target_year),
                             line={"color": "#555555", "dash": "dash", "width": 3}))
    fig.update_layout(title=t("brief.chart.title", L, city=b.city), template="plotly_white",
                      xaxis_title=t("brief.chart.x", L), yaxis_title=t("brief.chart.y", L),
                      separators=",." if L != "en" else ".,", legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(tickformat="d", dtick=1 if b.target_year - b.baseline_year <= 12 else 2)
    fig.update_yaxes(rangemode="tozero")
    return fig


def category_mix_figure(ds: Dataset, b: Briefing) -> go.Figure:
    """Kelurahan per class per year of the period: a stacked bar in the class colours (the Trends
    page's chart when utils.charts provides it)."""
    try:
        from utils.views.charts import category_mix_figure as page_mix

        return page_mix(trends.category_mix(ds, b.period_id), b.lang)
    except Exception:  # noqa: BLE001 - fall back to the plain stacked bar
        log.info("utils.charts.category_mix_figure unavailable; drawing the fallback", exc_info=True)
    series = trends.city_series(ds)
    ps = series[series["sk_period"] == b.period_id]
    fig = go.Figure()
    for code in CLASS_CODES:
        fig.add_trace(go.Bar(x=ps["year"].tolist(), y=ps[f"n_{code}"].tolist(), name=t(f"class.{code}", b.lang),
                             marker_color=CLASS_COLORS[code]))
    fig.update_layout(barmode="stack", title=t("brief.chart.mix_title", b.lang), template="plotly_white",
                      xaxis_title=t("brief.chart.x", b.lang), yaxis_title=t("brief.chart.mix_y", b.lang),
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(tickformat="d", dtick=1)
    return fig


KALEIDO_DEADLINE_S = 5.0  # the whole PDF must build in <= 10 s; a slower PNG falls back to vectors


def trend_png(ds: Dataset, b: Briefing, deadline_s: float = KALEIDO_DEADLINE_S) -> bytes | None:
    """The Trends page's chart as PNG through kaleido (utils.chart_export), or None when kaleido,
    its browser or the deadline fails. Kaleido starts a Chromium per image (5-11 s measured here),
    so it is opt-in and bounded; its result is cached by utils.chart_export for the next export."""
    import threading

    result: dict[str, bytes] = {}

    def work() -> None:
        try:
            from utils.views.chart_export import figure_png

            result["png"] = figure_png(trend_figure(ds, b), width=1000, height=480, scale=2)
        except Exception:  # noqa: BLE001 - kaleido or its browser missing: the vector chart is drawn
            log.info("kaleido PNG unavailable; drawing the trend chart with reportlab", exc_info=True)

    worker = threading.Thread(target=work, name="briefing-png", daemon=True)
    worker.start()
    worker.join(deadline_s)
    return result.get("png")


def trend_drawing(b: Briefing, width: float, height: float, font: str, bold: str):
    """The trend chart drawn with reportlab: actual slum ha (solid) and the target path (dashed)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors

    d = Drawing(width, height)
    left, bottom, right, top = 46.0, 34.0, 12.0, 22.0
    pw, ph = width - left - right, height - bottom - top
    x0, x1 = b.baseline_year, max(b.target_year, int(b.series["year"].max()))
    ymax = max(float(b.series["slum_ha"].max()), b.baseline_ha, 1.0) * 1.15

    def X(year: float) -> float:
        return left + (year - x0) / max(x1 - x0, 1) * pw

    def Y(ha: float) -> float:
        return bottom + ha / ymax * ph

    grey = colors.HexColor("#888888")
    d.add(String(left, height - 12, t("brief.chart.title", b.lang, city=b.city), fontName=bold, fontSize=9))
    step = _nice_step(ymax / 5)
    v = 0.0
    while v <= ymax:
        d.add(Line(left, Y(v), left + pw, Y(v), strokeColor=colors.HexColor("#e3e3e3"), strokeWidth=0.5))
        d.add(String(left - 4, Y(v) - 3, fmt_number(v, b.lang, 0), fontName=font, fontSize=7, textAnchor="end"))
        v += step
    ystep = 1 if x1 - x0 <= 12 else 2
    for yr in range(x0, x1 + 1, ystep):
        d.add(String(X(yr), bottom - 12, str(yr), fontName=font, fontSize=7, textAnchor="middle"))
    d.add(Line(left, bottom, left + pw, bottom, strokeColor=grey, strokeWidth=0.8))
    d.add(String(left - 34, bottom + ph / 2, "ha", fontName=font, fontSize=7))
    d.add(Line(X(b.baseline_year), Y(b.baseline_ha), X(b.target_year), Y(b.target_ha),
               strokeColor=colors.HexColor("#555555"), strokeWidth=1.5, strokeDashArray=[5, 3]))
    pts = []
    for yr, ha in zip(b.series["year"], b.series["slum_ha"]):
        pts += [X(int(yr)), Y(float(ha))]
    blue = colors.HexColor("#1f5f8b")
    if len(pts) >= 4:
        d.add(PolyLine(pts, strokeColor=blue, strokeWidth=2.2))
    for yr, ha in zip(b.series["year"], b.series["slum_ha"]):
        d.add(Circle(X(int(yr)), Y(float(ha)), 3, fillColor=blue, strokeColor=colors.white, strokeWidth=0.6))
        d.add(String(X(int(yr)) + 4, Y(float(ha)) + 5, fmt_number(float(ha), b.lang), fontName=font, fontSize=6.5,
                     fillColor=blue))
    # legend
    ly = 6
    d.add(Line(left, ly + 3, left + 18, ly + 3, strokeColor=blue, strokeWidth=2.2))
    d.add(String(left + 22, ly, b.period_label, fontName=font, fontSize=7))
    lx = left + pw / 2
    d.add(Line(lx, ly + 3, lx + 18, ly + 3, strokeColor=colors.HexColor("#555555"), strokeWidth=1.5,
               strokeDashArray=[5, 3]))
    d.add(String(lx + 22, ly, t("brief.chart.path", b.lang, year=b.target_year), fontName=font, fontSize=7))
    return d


def _nice_step(raw: float) -> float:
    for v in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v >= raw:
            return float(v)
    return float(round(raw, -3))
