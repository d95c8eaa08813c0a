"""Prioritas: slum units ranked by the official priority (legality and other considerations),
filterable by type of handling and typology, downloadable as XLSX."""
from __future__ import annotations

from utils import ui
from utils.ui import priority as priority_ui

ctx = ui.require_dataset()
ui.illustrative_note(ctx.dataset)
priority_ui.priority_page()
