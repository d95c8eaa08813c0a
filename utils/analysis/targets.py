"""SK periods, the straight target path and the pace towards the target, and the overview's
sentences about them. A re-baseline starts a new series: nothing here joins two periods."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.analysis.series import (
    city_series,
    scored_rows,
    year_summary,
)
from utils.store.dataset import Dataset, SkPeriod

# ==== periods, target path and pace ========================================================
# Everything below keeps the SK period as a key too: a re-baseline starts a new series.

PACE_REACHED = "reached"        # the period is at (or below) its target
PACE_ON_TRACK = "on_track"      # at the achieved pace the target is reached by the target year
PACE_BEHIND = "behind"          # reached after the target year at the achieved pace
PACE_STALLED = "stalled"        # no reduction (or growth) since the baseline: never at this pace
PACE_SINGLE_YEAR = "single_year"  # only the baseline is known: no pace yet


def periods(ds: Dataset) -> list[SkPeriod]:
    """SK periods that have assessment rows, oldest baseline first."""
    rows = scored_rows(ds)
    present = set(rows["sk_period"].astype(str)) if not rows.empty else set()
    return [p for p in sorted(ds.meta.sk_periods, key=lambda p: p.baseline_year) if p.id in present]


def period_target_year(ds: Dataset, period: SkPeriod) -> int:
    """The period's own target year where its metadata has one, else the dataset's (e.g. 2030)."""
    return int(period.target_year or ds.meta.target_year)


def period_series(ds: Dataset, period_id: str) -> pd.DataFrame:
    """`city_series` of one SK period, by year."""
    series = city_series(ds)
    return series[series["sk_period"] == str(period_id)].reset_index(drop=True)


def target_path(ds: Dataset, period_id: str) -> pd.DataFrame:
    """The straight line from the period's baseline (year, ha) to (target year, target ha).

    One row per whole year, so the chart and a CSV can show the planned figure of every year.
    """
    cols = ["sk_period", "year", "path_ha"]
    ps = period_series(ds, period_id)
    if ps.empty:
        return pd.DataFrame(columns=cols)
    period = ds.meta.period(str(period_id))
    base_year, base_ha = int(ps["year"].iloc[0]), float(ps["slum_ha"].iloc[0])
    target_year, target_ha = period_target_year(ds, period), float(ds.meta.target_ha)
    if target_year <= base_year:
        return pd.DataFrame({"sk_period": [str(period_id)], "year": [base_year], "path_ha": [base_ha]})
    years = np.arange(base_year, target_year + 1)
    path = base_ha + (target_ha - base_ha) * (years - base_year) / (target_year - base_year)
    return pd.DataFrame({"sk_period": str(period_id), "year": years.astype(int), "path_ha": np.round(path, 2)})[cols]


@dataclass(frozen=True)
class Pace:
    """How fast a period is going against how fast it must go (ha per year)."""

    period_id: str
    baseline_year: int
    baseline_ha: float
    as_of_year: int
    as_of_ha: float
    target_year: int
    target_ha: float
    remaining_ha: float  # as_of_ha - target_ha, floored at 0
    planned_ha_per_year: float | None  # the straight path's slope, from the baseline
    achieved_ha_per_year: float | None  # (baseline - as_of) / years since baseline
    needed_ha_per_year: float | None  # remaining / years left to the target year
    reached_year: int | None  # first year at or below the target
    projected_year: int | None  # year the target is reached at the achieved pace (None: not at this pace)
    status: str  # one of the PACE_* codes


def pace(ds: Dataset, period_id: str, as_of: int | None = None) -> Pace | None:
    """Pace achieved vs needed in one SK period, as of `as_of` (default: its latest year).

    Year convention: a figure for year t is the condition at the end of t, so the pace over
    baseline..t spans t - baseline years, and at pace r the remaining R ha are gone at the end of
    year t + ceil(R / r).
    """
    ps = period_series(ds, period_id)
    if as_of is not None:
        ps = ps[ps["year"] <= as_of]
    if ps.empty:
        return None
    period = ds.meta.period(str(period_id))
    target_year, target_ha = period_target_year(ds, period), float(ds.meta.target_ha)
    base_year, base_ha = int(ps["year"].iloc[0]), float(ps["slum_ha"].iloc[0])
    last_year, last_ha = int(ps["year"].iloc[-1]), float(ps["slum_ha"].iloc[-1])
    remaining = max(round(last_ha - target_ha, 2), 0.0)
    planned = (base_ha - target_ha) / (target_year - base_year) if target_year > base_year else None
    elapsed = last_year - base_year
    achieved = round((base_ha - last_ha) / elapsed, 4) if elapsed > 0 else None
    years_left = target_year - last_year
    reached = ps[ps["slum_ha"] <= target_ha + 1e-9]
    reached_year = int(reached["year"].iloc[0]) if not reached.empty else None
    needed = None
    projected = None
    if remaining <= 0:
        status = PACE_REACHED
        projected = reached_year
    else:
        needed = remaining / years_left if years_left > 0 else None
        if achieved is None:
            status = PACE_SINGLE_YEAR
        elif achieved <= 0:
            status = PACE_STALLED
        else:
            projected = last_year + int(math.ceil(remaining / achieved - 1e-9))
            status = PACE_ON_TRACK if projected <= target_year else PACE_BEHIND
    return Pace(str(period_id), base_year, base_ha, last_year, last_ha, target_year, target_ha, remaining,
                planned, achieved, needed, reached_year, projected, status)


# ==== words ================================================================================

def pace_sentence(p: Pace, lang: str) -> str:
    """One sentence on the pace of a period, in `lang` (shared by the overview and the CLI)."""
    from utils.core.i18n import fmt_ha, fmt_number, t

    target_ha = f"{fmt_number(p.target_ha, lang, 0 if float(p.target_ha).is_integer() else 2)} ha"
    needed = fmt_number(p.needed_ha_per_year, lang, 2) if p.needed_ha_per_year is not None else None
    if p.status == PACE_REACHED:
        return t("ovw.pace.reached", lang, target_ha=target_ha, year=p.reached_year)
    if p.needed_ha_per_year is None:  # the target year has passed with area left
        return t("ovw.pace.behind_late", lang, target_year=p.target_year, left=fmt_ha(p.remaining_ha, lang))
    if p.status == PACE_SINGLE_YEAR:
        return t("ovw.pace.single_year", lang, target_ha=target_ha, target_year=p.target_year, needed=needed)
    if p.status == PACE_STALLED:
        return t("ovw.pace.stalled", lang, target_year=p.target_year, needed=needed)
    key = "ovw.pace.on_track" if p.status == PACE_ON_TRACK else "ovw.pace.behind"
    return t(key, lang, achieved=fmt_number(p.achieved_ha_per_year, lang, 2), target_ha=target_ha,
             projected=p.projected_year, target_year=p.target_year, needed=needed)


def summary_text(ds: Dataset, year: int, lang: str) -> str | None:
    """The overview's one paragraph, from the data: baseline, reduced (ha and %), left, and pace.

    E.g. "… 80,87 ha pada baseline (2014), 52,88 ha berkurang hingga akhir 2019 (65 %), tersisa
    27,99 ha di … kelurahan." None when `year` has no rows.
    """
    from utils.core.i18n import fmt_ha, fmt_pct, t

    s = year_summary(ds, year)
    if s is None:
        return None
    period = s["period"]
    if s["year"] == s["baseline_year"]:
        first = t("ovw.summary_baseline", lang, city=ds.meta.city, period=period.label, year=year,
                  baseline_ha=fmt_ha(s["baseline_ha"], lang), n_kel=s["n_kel_slum"])
    else:
        pct = 100.0 * s["reduced_since_baseline_ha"] / s["baseline_ha"] if s["baseline_ha"] > 0 else 0.0
        first = t("ovw.summary", lang, city=ds.meta.city, period=period.label,
                  baseline_ha=fmt_ha(s["baseline_ha"], lang),
                  baseline_year=s["baseline_year"], reduced=fmt_ha(s["reduced_since_baseline_ha"], lang),
                  year=year, pct=fmt_pct(pct, lang, 0), left=fmt_ha(s["slum_ha"], lang), n_kel=s["n_kel_slum"])
    p = pace(ds, period.id, as_of=year)
    return f"{first} {pace_sentence(p, lang)}" if p is not None else first
