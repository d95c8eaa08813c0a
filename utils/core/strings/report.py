"""Strings of the briefing views (utils/views/briefing*.py) that the page and exports share."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # metric labels carry the unit, so the value stays short enough to show whole in a metric
    # an SK period's label as text: "SK 1" stays as it is, "2014–2019" becomes "Periode SK 2014–2019"
    "report.period": ("Periode SK {label}", "SK period {label}"),
    "report.metric.pace_achieved": ("Laju tercapai (ha/tahun)", "Pace achieved (ha/year)"),
    "report.metric.pace_needed": ("Laju diperlukan s.d. {year} (ha/tahun)", "Pace needed to {year} (ha/year)"),
}
