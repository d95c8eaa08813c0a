"""The analysis of a dataset over the years, in one namespace: callers write `trends.<name>`.

Figures of two SK periods are never joined into one series: every function keeps `sk_period` as
a key. The code lives in `series` (kelurahan and city per year), `targets` (periods, target path,
pace and its sentences), `breakdowns` (kecamatan, category mix, ranking, aspects, profile) and
`investment_stats` (investments and cost per hectare).
"""
from __future__ import annotations

from utils.analysis.breakdowns import (
    ASPECT_COLS,
    aspect_matrix,
    category_mix,
    kecamatan_series,
    kelurahan_criteria,
    kelurahan_ranking,
    kelurahan_units,
    subset,
)
from utils.analysis.investment_stats import (
    INVESTMENT_OUT_COLUMNS,
    cost_per_ha,
    investments,
    investments_by_implementer,
    investments_by_year_source,
    period_investments,
    period_years,
)
from utils.analysis.series import (
    category_counts,
    city_series,
    kelurahan_aspects,
    kelurahan_history,
    kelurahan_series,
    kelurahan_year,
    scored_rows,
    worst_by,
    year_summary,
)
from utils.analysis.targets import (
    PACE_BEHIND,
    PACE_ON_TRACK,
    PACE_REACHED,
    PACE_SINGLE_YEAR,
    PACE_STALLED,
    Pace,
    pace,
    pace_sentence,
    period_series,
    period_target_year,
    periods,
    summary_text,
    target_path,
)

__all__ = [
    "scored_rows",
    "worst_by",
    "kelurahan_year",
    "city_series",
    "category_counts",
    "year_summary",
    "kelurahan_series",
    "kelurahan_history",
    "kelurahan_aspects",
    "PACE_REACHED",
    "PACE_ON_TRACK",
    "PACE_BEHIND",
    "PACE_STALLED",
    "PACE_SINGLE_YEAR",
    "periods",
    "period_target_year",
    "period_series",
    "target_path",
    "Pace",
    "pace",
    "pace_sentence",
    "summary_text",
    "subset",
    "kecamatan_series",
    "category_mix",
    "kelurahan_ranking",
    "ASPECT_COLS",
    "aspect_matrix",
    "kelurahan_criteria",
    "kelurahan_units",
    "INVESTMENT_OUT_COLUMNS",
    "investments",
    "period_years",
    "period_investments",
    "investments_by_year_source",
    "investments_by_implementer",
    "cost_per_ha",
]
