"""Briefing export for the Sekda: a PDF of at most two pages and one self-contained HTML file.

Both are built offline from a Dataset, in the chosen language: headline numbers of the selected
year within its SK period, the map of that year (polygons drawn directly, no basemap tiles), the
trend against the target path, the kelurahan to prioritise, and the data source, with a visible
note when the data is illustrative. Pure Python (no Streamlit), so the CLI and tests can call it.
"""
from __future__ import annotations

import html
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number, t
from utils.method.criteria import CLASS_CODES, CLASS_COLORS, CLASSES, NO_DATA_CODE, SLUM_CLASS_CODES
from utils.store.dataset import Dataset
from utils.views.static_map import LEGEND_CODES, categories_frame, map_drawing, map_svg

log = logging.getLogger("kotaku.report")
_SEVERITY = {c.code: i for i, c in enumerate(reversed(CLASSES))}  # TK 0 .. KB 3
PRIORITY_ROWS = 10
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


# ==== the numbers ===========================================================================

@dataclass
class Briefing:
    """Everything the PDF and the HTML show, computed once."""

    lang: str
    city: str
    year: int
    period_id: str
    period_label: str
    baseline_year: int
    baseline_ha: float
    slum_ha: float
    target_year: int
    target_ha: float
    reduced_year_ha: float | None
    reduced_since_baseline_ha: float
    pace_achieved: float | None  # ha per year since the baseline
    pace_needed: float | None  # ha per year from now to the target
    counts: dict[str, int]
    priorities: pd.DataFrame
    series: pd.DataFrame  # year, slum_ha of the selected SK period
    source: str
    source_date: str
    illustrative: bool
    kel_categories: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)


def _target_year(ds: Dataset, period) -> int:
    fn = getattr(trends, "period_target_year", None)
    return int(fn(ds, period)) if fn else int(ds.meta.target_year)


def priorities(ds: Dataset, year: int, n: int = PRIORITY_ROWS) -> pd.DataFrame:
    """Kelurahan still slum in `year`, heaviest class first, then highest score, then most slum ha."""
    kel = trends.kelurahan_year(ds, year)
    kel = kel[kel["category"].isin(SLUM_CLASS_CODES)].copy()
    kel["_sev"] = kel["category"].map(_SEVERITY)
    kel = kel.sort_values(["_sev", "total_score", "slum_ha", "kelurahan"], ascending=[False, False, False, True])
    cols = ["kode_kel", "kelurahan", "kecamatan", "category", "total_score", "slum_ha"]
    return kel[cols].head(n).reset_index(drop=True)


def build_briefing(ds: Dataset, year: int, lang: str) -> Briefing:
    """The briefing's numbers for `year` (condition at the end of that year) in its SK period."""
    summary = trends.year_summary(ds, year)
    if summary is None:
        raise ValueError(t("brief.no_year", lang, year=year))
    period = summary["period"]
    series = trends.city_series(ds)
    ps = series[(series["sk_period"] == period.id) & (series["year"] <= year)]
    target_year = _target_year(ds, period)
    elapsed = year - summary["baseline_year"]
    achieved = summary["reduced_since_baseline_ha"] / elapsed if elapsed > 0 else None
    remaining = max(summary["slum_ha"] - summary["target_ha"], 0.0)
    needed = (remaining / (target_year - year) if target_year > year and remaining > 0
              else (0.0 if remaining <= 0 else None))
    counts = trends.category_counts(ds, year)
    kel = trends.kelurahan_year(ds, year)
    return Briefing(
        lang=lang, city=ds.meta.city, year=year, period_id=period.id, period_label=period.label,
        baseline_year=summary["baseline_year"], baseline_ha=summary["baseline_ha"], slum_ha=summary["slum_ha"],
        target_year=target_year, target_ha=summary["target_ha"], reduced_year_ha=summary["reduced_ha"],
        reduced_since_baseline_ha=summary["reduced_since_baseline_ha"], pace_achieved=achieved, pace_needed=needed,
        counts={c: int(counts.get(c, 0)) for c in LEGEND_CODES}, priorities=priorities(ds, year),
        series=ps[["year", "slum_ha"]].reset_index(drop=True), source=ds.meta.source or "",
        source_date=ds.meta.source_date or "", illustrative=bool(ds.meta.illustrative),
        kel_categories=kel[["kode_kel", "category"]],
    )


def _rate(v: float | None, lang: str) -> str:
    return "–" if v is None else t("brief.per_year", lang, ha=fmt_ha(v, lang))


def headline(b: Briefing) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order both exports show them."""
    L = b.lang
    return [
        (t("brief.h.slum_now", L, year=b.year), fmt_ha(b.slum_ha, L)),
        (t("brief.h.baseline", L, year=b.baseline_year), fmt_ha(b.baseline_ha, L)),
        (t("brief.h.target", L, year=b.target_year), fmt_ha(b.target_ha, L)),
        (t("brief.h.reduced_year", L, year=b.year),
         "–" if b.reduced_year_ha is None else fmt_ha(b.reduced_year_ha, L)),
        (t("brief.h.reduced_total", L, year=b.baseline_year), fmt_ha(b.reduced_since_baseline_ha, L)),
        (t("brief.h.pace_achieved", L), _rate(b.pace_achieved, L)),
        (t("brief.h.pace_needed", L, year=b.target_year), _rate(b.pace_needed, L)),
    ]


def category_line(b: Briefing) -> str:
    return " · ".join(f"{t(f'class.{c}', b.lang)}: {b.counts.get(c, 0)}" for c in LEGEND_CODES)


def pace_sentence(b: Briefing) -> str:
    L = b.lang
    if b.slum_ha <= b.target_ha:
        return t("brief.pace.reached", L)
    if b.pace_achieved is None or b.pace_needed is None:
        return t("brief.pace.unknown", L)
    key = "brief.pace.on_track" if b.pace_achieved >= b.pace_needed else "brief.pace.behind"
    return t(key, L, achieved=fmt_number(b.pace_achieved, L), needed=fmt_number(b.pace_needed, L),
             year=b.target_year)


def source_line(b: Briefing) -> str:
    src = b.source.strip().rstrip(".") or t("brief.source_unknown", b.lang)  # the template adds the full stop
    return t("brief.source", b.lang, source=src, date=b.source_date or "–")


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


# ==== PDF ===================================================================================

def _fonts() -> tuple[str, str]:
    """DejaVu (full Unicode) when installed, else the PDF base fonts."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans", "DejaVuSans-Bold"
    for folder in _FONT_DIRS:
        reg, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if reg.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(reg)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def briefing_pdf(ds: Dataset, year: int, lang: str, use_kaleido: bool = False) -> bytes:
    """A two-page A4 PDF: page 1 numbers and map, page 2 trend, priorities and source.

    The trend chart is drawn as vectors (fast, crisp in print, same data and colours as the app);
    `use_kaleido` embeds the Trends page's own plotly chart as a PNG when that is ready in time.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    b = build_briefing(ds, year, lang)
    font, bold = _fonts()
    L = lang
    esc = html.escape
    s_title = ParagraphStyle("t", fontName=bold, fontSize=17, leading=21, spaceAfter=2)
    s_sub = ParagraphStyle("s", fontName=font, fontSize=10, leading=13, textColor=colors.HexColor("#444444"))
    s_h = ParagraphStyle("h", fontName=bold, fontSize=11.5, leading=15, spaceBefore=6, spaceAfter=3)
    s_body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, alignment=TA_LEFT)
    s_small = ParagraphStyle("sm", fontName=font, fontSize=7.5, leading=10, textColor=colors.HexColor("#444444"))
    s_note = ParagraphStyle("n", fontName=bold, fontSize=9, leading=12, textColor=colors.HexColor("#7a3b00"),
                            backColor=colors.HexColor("#fff1d6"), borderColor=colors.HexColor("#e0a040"),
                            borderWidth=0.8, borderPadding=5, spaceBefore=4, spaceAfter=8)
    width = A4[0] - 3.2 * cm

    def p(text: str, style) -> Paragraph:
        return Paragraph(esc(text), style)

    story = [
        p(t("brief.pdf.title", L, city=b.city), s_title),
        p(t("brief.pdf.subtitle", L, period=b.period_label, year=b.year, today=date.today().isoformat()), s_sub),
        Spacer(1, 6),
    ]
    if b.illustrative:
        story.append(p(t("brief.illustrative", L), s_note))
    rows = [[p(label, s_body), Paragraph(f"<b>{esc(value)}</b>", s_body)] for label, value in headline(b)]
    rows.append([p(t("brief.h.categories", L, year=b.year), s_body), p(category_line(b), s_body)])
    tbl = Table(rows, colWidths=[width * 0.45, width * 0.55])
    tbl.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f4f7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    story += [tbl, Spacer(1, 3), p(pace_sentence(b), s_body)]
    story.append(p(t("brief.map_title", L, year=b.year), s_h))
    kel = categories_frame(ds.kelurahan, b.kel_categories)
    story.append(map_drawing(kel, L, width, 13.2 * cm, kecamatan=ds.kecamatan, font=font, bold_font=bold))
    story.append(p(t("brief.map_note", L), s_small))
    story.append(PageBreak())
    story.append(p(t("brief.trend_title", L), s_h))
    png = trend_png(ds, b) if use_kaleido else None
    if png:
        story.append(Image(io.BytesIO(png), width=width, height=width * 0.48))
    else:
        story.append(trend_drawing(b, width, width * 0.48, font, bold))
    story.append(p(pace_sentence(b), s_body))
    story.append(p(t("brief.priority_title", L, year=b.year), s_h))
    if b.priorities.empty:
        story.append(p(t("brief.priority_none", L), s_body))
    else:
        head = [t("brief.col.rank", L), t("brief.col.kelurahan", L), t("brief.col.kecamatan", L),
                t("brief.col.class", L), t("brief.col.score", L), t("brief.col.slum_ha", L)]
        body = [[str(i + 1), str(r.kelurahan), str(r.kecamatan), t(f"class.{r.category}", L),
                 fmt_number(r.total_score, L, 0), fmt_ha(r.slum_ha, L)]
                for i, r in enumerate(b.priorities.itertuples())]
        s_on_dark = ParagraphStyle("bw", parent=s_body, textColor=colors.white)  # readable on Kumuh Berat red
        data = [[p(h, s_body) for h in head]] + [
            [p(c, s_on_dark if j == 3 and r.category == "KB" else s_body) for j, c in enumerate(row)]
            for row, r in zip(body, b.priorities.itertuples())]
        pt = Table(data, colWidths=[width * w for w in (0.06, 0.24, 0.2, 0.27, 0.09, 0.14)], repeatRows=1)
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        for i, r in enumerate(b.priorities.itertuples(), start=1):  # class swatch beside its name
            style.append(("BACKGROUND", (3, i), (3, i), colors.HexColor(CLASS_COLORS[r.category])))
        pt.setStyle(TableStyle(style))
        story.append(pt)
        story.append(Spacer(1, 2))
        story.append(p(t("brief.priority_rule", L), s_small))
    story.append(p(t("brief.source_title", L), s_h))
    story.append(p(source_line(b), s_body))
    story.append(p(t("brief.method", L), s_small))
    if b.illustrative:
        story.append(p(t("brief.illustrative", L), s_note))

    buf = io.BytesIO()

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(1.6 * cm, 0.9 * cm, t("brief.pdf.footer", L, city=b.city, year=b.year))
        canvas.drawRightString(A4[0] - 1.6 * cm, 0.9 * cm, t("brief.pdf.page", L, n=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.6 * cm, rightMargin=1.6 * cm, topMargin=1.3 * cm,
                            bottomMargin=1.5 * cm, title=t("brief.pdf.title", L, city=b.city), author="KOTAKU",
                            lang="id-ID" if L != "en" else "en-GB")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


# ==== HTML ==================================================================================

_HTML_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;
  margin:0;color:#1a1a1a;background:#fff}
main{max-width:1180px;margin:0 auto;padding:20px 24px 40px}
h1{font-size:1.8rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #e3e7ec;padding-bottom:.2rem}
.sub{color:#444}
.note{background:#fff1d6;border:1px solid #e0a040;color:#7a3b00;font-weight:600;
  padding:.6rem .9rem;border-radius:6px;margin:.8rem 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:10px}
.card{background:#f2f4f7;border-radius:8px;padding:.6rem .8rem}
.card .l{font-size:.85rem;color:#444}
.card .v{font-size:1.45rem;font-weight:700}
.mapwrap{display:grid;grid-template-columns:1fr 280px;gap:14px;align-items:start}
.kelmap path.kel{stroke:#fff;stroke-width:1;cursor:pointer}
.kelmap path.kel:hover,.kelmap path.kel:focus{stroke:#000;stroke-width:2.5;outline:none}
.kelmap path.kec{fill:none;stroke:#333;stroke-width:1.6;pointer-events:none}
.kelmap text.lbl{font-size:9px;text-anchor:middle;pointer-events:none;fill:#1a1a1a;
  paint-order:stroke;stroke:#fff;stroke-width:2px}
.legend div{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}
.legend span.sw{width:18px;height:18px;border:1px solid #666;display:inline-block}
#info{background:#f7f7f7;border-radius:8px;padding:.6rem .8rem;min-height:4rem;margin-top:.8rem}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#e8edf2}
select{font-size:1rem;padding:.2rem}
@media (max-width:900px){.mapwrap{grid-template-columns:1fr}}
"""

# Fixed script (no user text inside it; the data comes from a JSON block whose "<" are escaped).
_HTML_JS = """
(function(){
  var data = JSON.parse(document.getElementById('kel-data').textContent);
  var sel = document.getElementById('yearsel');
  var info = document.getElementById('info');
  function paint(){
    var y = sel.value, cats = data.years[y] || {};
    document.querySelectorAll('path.kel').forEach(function(p){
      var k = p.getAttribute('data-kode'), c = (cats[k] || {}).c || 'ND';
      p.setAttribute('fill', data.colors[c]); p.setAttribute('data-class', c);
      p.setAttribute('aria-label', data.names[k] + ': ' + data.classes[c]);
    });
    document.querySelectorAll('.legend [data-count]').forEach(function(el){
      var c = el.getAttribute('data-count'), n = 0;
      document.querySelectorAll('path.kel').forEach(function(p){ if (p.getAttribute('data-class') === c) n++; });
      el.textContent = n;
    });
  }
  function show(k){
    var y = sel.value, r = (data.years[y] || {})[k] || {};
    info.textContent = '';
    var h = document.createElement('strong'); h.textContent = data.names[k]; info.appendChild(h);
    var lines = [data.kec[k], data.labels.cls + ': ' + data.classes[r.c || 'ND']];
    if (r.s !== undefined) lines.push(data.labels.score + ': ' + r.s);
    if (r.h !== undefined) lines.push(data.labels.ha + ': ' + r.h);
    lines.forEach(function(l){
      info.appendChild(document.createElement('br')); info.appendChild(document.createTextNode(l));
    });
  }
  document.querySelectorAll('path.kel').forEach(function(p){
    p.setAttribute('tabindex', '0');
    p.addEventListener('click', function(){ show(p.getAttribute('data-kode')); });
    p.addEventListener('keydown', function(e){ if (e.key === 'Enter') show(p.getAttribute('data-kode')); });
  });
  sel.addEventListener('change', paint); paint();
})();
"""


def _json_for_script(obj: object) -> str:
    """JSON safe inside <script>: no '<' can close the element early."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _map_data(ds: Dataset, lang: str) -> dict:
    years: dict[str, dict] = {}
    for y in ds.years:
        kel = trends.kelurahan_year(ds, y)
        years[str(y)] = {
            str(r.kode_kel): {"c": r.category,
                              **({"s": int(r.total_score)} if pd.notna(r.total_score) else {}),
                              **({"h": fmt_ha(r.slum_ha, lang)} if r.category != NO_DATA_CODE else {})}
            for r in kel.itertuples()
        }
    k = ds.kelurahan
    return {
        "years": years, "colors": dict(CLASS_COLORS),
        "classes": {c: t(f"class.{c}", lang) for c in LEGEND_CODES},
        "names": dict(zip(k["kode_kel"].astype(str), k["kelurahan"].astype(str))),
        "kec": dict(zip(k["kode_kel"].astype(str), k["kecamatan"].astype(str))),
        "labels": {"cls": t("brief.col.class", lang), "score": t("brief.col.score", lang),
                   "ha": t("brief.col.slum_ha", lang)},
    }


def _engine_map_html(ds: Dataset, year: int, lang: str) -> str | None:
    """The map page's own folium map as one offline document, when utils.maps provides it."""
    try:
        from utils.views.maps import build_kelurahan_map, map_to_standalone_html

        return map_to_standalone_html(build_kelurahan_map(ds, year, lang))
    except Exception:  # noqa: BLE001 - fall back to the SVG map
        log.info("utils.maps standalone map unavailable; using the SVG map", exc_info=True)
        return None


def briefing_html(ds: Dataset, year: int, lang: str, engine_map: bool = False) -> str:
    """One self-contained HTML file: numbers, an interactive map (every year), charts, priorities.

    plotly.js is inlined once; the map is inline SVG with a small fixed script, so the file opens
    on a laptop with no internet. `engine_map` adds the Map page's folium map as well.
    """
    b = build_briefing(ds, year, lang)
    L = lang
    e = html.escape
    parts = [f'<!doctype html><html lang="{"en" if L == "en" else "id"}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width,initial-scale=1">',
             f"<title>{e(t('brief.pdf.title', L, city=b.city))}</title><style>{_HTML_CSS}</style></head><body><main>",
             f"<h1>{e(t('brief.pdf.title', L, city=b.city))}</h1>",
             '<p class="sub">'
             f'{e(t("brief.pdf.subtitle", L, period=b.period_label, year=b.year, today=date.today().isoformat()))}</p>']
    if b.illustrative:
        parts.append(f'<div class="note" id="illustrative">{e(t("brief.illustrative", L))}</div>')
    parts.append('<div class="cards">')
    for label, value in headline(b):
        parts.append(f'<div class="card"><div class="l">{e(label)}</div><div class="v">{e(value)}</div></div>')
    parts.append("</div>")
    parts.append(f"<p>{e(t('brief.h.categories', L, year=b.year))}: {e(category_line(b))}</p>")
    parts.append(f"<p>{e(pace_sentence(b))}</p>")
    # map
    svg, _ = map_svg(ds.kelurahan, kecamatan=ds.kecamatan)
    options = "".join(f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>' for y in ds.years)
    legend = "".join(
        f'<div><span class="sw" style="background:{CLASS_COLORS[c]}"></span><span>{e(t(f"class.{c}", L))} '
        f'(<span data-count="{c}">0</span>)</span></div>' for c in LEGEND_CODES)
    parts.append(f"<h2>{e(t('brief.map_title_all', L))}</h2>")
    parts.append(f'<label for="yearsel">{e(t("brief.year_label", L))}</label> <select id="yearsel">{options}</select>')
    parts.append(f'<div class="mapwrap"><div>{svg}</div><div><div class="legend">{legend}</div>'
                 f'<div id="info">{e(t("brief.map_click", L))}</div></div></div>')
    parts.append(f'<p class="sub">{e(t("brief.map_note", L))}</p>')
    parts.append(f'<script type="application/json" id="kel-data">{_json_for_script(_map_data(ds, L))}</script>')
    parts.append(f"<script>{_HTML_JS}</script>")
    if engine_map:
        doc = _engine_map_html(ds, year, L)
        if doc:
            parts.append(f"<h2>{e(t('brief.map_title', L, year=b.year))}</h2>")
            parts.append(f'<iframe title="map" style="width:100%;height:620px;border:0" srcdoc="{e(doc)}"></iframe>')
    # charts
    parts.append(f"<h2>{e(t('brief.trend_title', L))}</h2>")
    config = {"displaylogo": False, "responsive": True}
    parts.append(trend_figure(ds, b).to_html(full_html=False, include_plotlyjs=True, config=config,
                                            div_id="trend-chart", default_height="480px"))
    parts.append(category_mix_figure(ds, b).to_html(full_html=False, include_plotlyjs=False, config=config,
                                                    div_id="mix-chart", default_height="420px"))
    # priorities
    parts.append(f"<h2>{e(t('brief.priority_title', L, year=b.year))}</h2>")
    if b.priorities.empty:
        parts.append(f"<p>{e(t('brief.priority_none', L))}</p>")
    else:
        head = [t("brief.col.rank", L), t("brief.col.kelurahan", L), t("brief.col.kecamatan", L),
                t("brief.col.class", L), t("brief.col.score", L), t("brief.col.slum_ha", L)]
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>")
        for i, r in enumerate(b.priorities.itertuples()):
            parts.append(
                f"<tr><td>{i + 1}</td><td>{e(str(r.kelurahan))}</td><td>{e(str(r.kecamatan))}</td>"
                f'<td><span class="sw" style="display:inline-block;width:12px;height:12px;border:1px solid #666;'
                f'background:{CLASS_COLORS[r.category]}"></span> {e(t(f"class.{r.category}", L))}</td>'
                f"<td>{e(fmt_number(r.total_score, L, 0))}</td><td>{e(fmt_ha(r.slum_ha, L))}</td></tr>")
        parts.append("</tbody></table>")
        parts.append(f'<p class="sub">{e(t("brief.priority_rule", L))}</p>')
    parts.append(f"<h2>{e(t('brief.source_title', L))}</h2><p>{e(source_line(b))}</p>")
    parts.append(f'<p class="sub">{e(t("brief.method", L))}</p>')
    if b.illustrative:
        parts.append(f'<div class="note">{e(t("brief.illustrative", L))}</div>')
    parts.append("</main></body></html>")
    return "".join(parts)


def file_stem(ds: Dataset, year: int, lang: str) -> str:
    """A file name stem such as paparan_kota_pasuruan_2019_id."""
    city = "".join(ch if ch.isalnum() else "_" for ch in ds.meta.city.lower()).strip("_")
    return f"{t('brief.file_prefix', lang)}_{city}_{year}_{lang}"
