"""The briefing as a PDF of at most two pages (reportlab), DejaVu fonts where installed."""
from __future__ import annotations

import html
import io
from pathlib import Path

from utils.core.i18n import t
from utils.method.criteria import CLASS_COLORS
from utils.store.dataset import Dataset
from utils.views import collaboration as collab_views
from utils.views import priority as priority_views
from utils.views.briefing import (
    build_briefing,
    category_line,
    headline,
    pace_sentence,
    priority_rule,
    priority_table,
    source_line,
    subtitle,
)
from utils.views.briefing_charts import trend_drawing, trend_png
from utils.views.static_map import categories_frame, map_drawing

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


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
        p(subtitle(b), s_sub),
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
        table = priority_table(b)
        head, body = list(table.columns), table.to_numpy().tolist()
        s_on_dark = ParagraphStyle("bw", parent=s_body, textColor=colors.white)  # readable on Kumuh Berat red
        data = [[p(h, s_body) for h in head]] + [
            [p(c, s_on_dark if j == 3 and r.category == "KB" else s_body) for j, c in enumerate(row)]
            for row, r in zip(body, b.priorities.itertuples())]
        widths = priority_views.BRIEF_WIDTHS_OFFICIAL if b.official_priority else priority_views.BRIEF_WIDTHS
        pt = Table(data, colWidths=[width * w for w in widths], repeatRows=1)
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        for i, r in enumerate(b.priorities.itertuples(), start=1):  # class swatch beside its name
            style.append(("BACKGROUND", (3, i), (3, i), colors.HexColor(CLASS_COLORS[r.category])))
        pt.setStyle(TableStyle(style))
        story.append(pt)
        story.append(Spacer(1, 2))
        story.append(p(priority_rule(b), s_small))
    if b.handling_line:  # slum ha by type of handling (official priority only)
        story.append(p(b.handling_line, s_body))
    story += collab_views.briefing_pdf_section(ds, L, width, p, s_h, s_body, s_small)  # commitments, projection
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
