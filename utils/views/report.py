"""Briefing export for the Sekda: a PDF of at most two pages and one self-contained HTML file.

Both are built offline from a Dataset, in the chosen language: headline numbers of the selected
year within its SK period, the map of that year (polygons drawn directly, no basemap tiles), the
trend against the target path, the kelurahan to prioritise, and the data source, with a visible
note when the data is illustrative. Pure Python (no Streamlit), so the CLI and tests can call it.

The code lives in `briefing` (numbers and sentences), `briefing_charts`, `briefing_pdf` and
`briefing_html`; this module keeps the one name callers use: `report.<name>`.
"""
from __future__ import annotations

from utils.views.briefing import (
    PRIORITY_ROWS,
    Briefing,
    build_briefing,
    category_line,
    file_stem,
    headline,
    headline_metrics,
    pace_sentence,
    period_text,
    priorities,
    priority_rule,
    priority_table,
    source_line,
)
from utils.views.briefing_charts import KALEIDO_DEADLINE_S, category_mix_figure, trend_drawing, trend_figure, trend_png
from utils.views.briefing_html import _engine_map_html, _map_data, briefing_html
from utils.views.briefing_pdf import briefing_pdf

__all__ = [
    "Briefing", "KALEIDO_DEADLINE_S", "PRIORITY_ROWS", "_engine_map_html", "_map_data", "briefing_html",
    "briefing_pdf", "build_briefing", "category_line", "category_mix_figure", "file_stem", "headline",
    "headline_metrics", "pace_sentence", "period_text", "priorities", "priority_rule", "priority_table", "source_line",
    "trend_drawing",
    "trend_figure", "trend_png",
]
