"""Aggregation of scored unit-year rows: per kelurahan, kecamatan and city, per SK period and year.

Figures of two SK periods are never joined into one series: every function here keeps
`sk_period` as a key.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.method.criteria import (
    ASPECTS,
    CLASS_CODES,
    CLASSES,
    CRITERIA,
    CRITERIA_BY_ID,
    FUNDING_SOURCES,
    NO_DATA_CODE,
    score_for_percent,
)
from utils.method.scoring import ScoreResult
from utils.store.dataset import Dataset, SkPeriod

_SEVERITY = {c.code: i for i, c in enumerate(reversed(CLASSES))}  # TK 0 .. KB 3


def scored_rows(ds: Dataset) -> pd.DataFrame:
    return ds.scored.frame


def _memo(ds: Dataset, key: str, build):
    """Keep a derived table on the Dataset object (which the app caches per dataset version), so
    the several charts of a page do not rebuild it; a copy is returned (cheap under copy-on-write)."""
    memo = ds.__dict__.setdefault("_trends_memo", {})
    if key not in memo:
        memo[key] = build()
    return memo[key].copy()


_BY_SEVERITY = {v: k for k, v in _SEVERITY.items()}


def worst_by(rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The worst class per group of `keys`, vectorised: a per-group Python max took ~0.5 s per
    call at province scale (8,500 kelurahan)."""
    severity = rows["category"].map(_SEVERITY).fillna(-1).astype(int)
    return severity.groupby([rows[k] for k in keys], sort=False).max().map(_BY_SEVERITY)


def kelurahan_year(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per kelurahan of the boundaries for `year`; kelurahan with no rows get ND.

    The kelurahan's category is the worst class among its assessed units (a kelurahan with one
    Kumuh Sedang RT is shown as Kumuh Sedang, never averaged away), and `slum_ha` the sum of its
    slum units' area.
    """
    base = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]])
    rows = scored_rows(ds)
    rows = rows[rows["year"] == year] if not rows.empty else rows
    if rows.empty:
        agg = pd.DataFrame(columns=["kode_kel", "category", "total_score", "mean_score", "slum_ha",
                                    "assessed_ha", "n_units", "sk_period"])
    else:
        rows = rows.assign(_w=rows["area_ha"].fillna(0.0) * rows["total_score"])
        g = rows.groupby("kode_kel", sort=False)
        agg = pd.DataFrame({
            "category": worst_by(rows, ["kode_kel"]),
            "total_score": g["total_score"].max(),
            "mean_score": g["_w"].sum() / g["area_ha"].sum().replace(0, np.nan),
            "slum_ha": g["slum_ha"].sum(),
            "assessed_ha": g["area_ha"].sum(),
            "n_units": g.size(),
            "sk_period": g["sk_period"].first(),
        }).reset_index()
    out = base.merge(agg, on="kode_kel", how="left")
    out["category"] = out["category"].fillna(NO_DATA_CODE)
    out["slum_ha"] = out["slum_ha"].fillna(0.0)
    out["year"] = year
    return out


def _access(rows: pd.DataFrame, pct_col: str) -> float:
    w = rows["households"].fillna(0.0) if "households" in rows else pd.Series(1.0, index=rows.index)
    if w.sum() <= 0:
        return float(rows[pct_col].mean()) if len(rows) else float("nan")
    return float((rows[pct_col] * w).sum() / w.sum())


def city_series(ds: Dataset) -> pd.DataFrame:
    """Per SK period and year: slum ha, ha reduced since the previous year and since baseline,
    kelurahan per category, water and sanitation access (household-weighted)."""
    return _memo(ds, "city_series", lambda: _city_series(ds))


def _city_series(ds: Dataset) -> pd.DataFrame:
    rows = scored_rows(ds)
    cols = ["sk_period", "year", "slum_ha", "reduced_ha", "reduced_since_baseline_ha", "is_baseline",
            "water_access_pct", "sanitation_access_pct", "n_kel_slum", *[f"n_{c}" for c in CLASS_CODES]]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    records = []
    for (period, year), grp in rows.groupby(["sk_period", "year"], sort=True):
        kel_cat = worst_by(grp, ["kode_kel"])
        rec = {
            "sk_period": str(period), "year": int(year),
            "slum_ha": round(float(grp["slum_ha"].sum()), 2),
            "water_access_pct": _access(grp, "water_access_pct"),
            "sanitation_access_pct": _access(grp, "sanitation_access_pct"),
            "n_kel_slum": int(kel_cat.isin([c.code for c in CLASSES if c.is_slum]).sum()),
        }
        for code in CLASS_CODES:
            rec[f"n_{code}"] = int((kel_cat == code).sum())
        records.append(rec)
    out = pd.DataFrame.from_records(records).sort_values(["sk_period", "year"]).reset_index(drop=True)
    baselines = {p.id: p.baseline_year for p in ds.meta.sk_periods}
    out["is_baseline"] = [baselines.get(p) == y for p, y in zip(out["sk_period"], out["year"])]
    out["reduced_ha"] = (-out.groupby("sk_period")["slum_ha"].diff()).round(2)
    first = out.groupby("sk_period")["slum_ha"].transform("first")
    out["reduced_since_baseline_ha"] = (first - out["slum_ha"]).round(2)
    return out[cols]


def category_counts(ds: Dataset, year: int) -> pd.Series:
    """Kelurahan per category in `year`, all classes and ND present (zero where none)."""
    kel = kelurahan_year(ds, year)
    return kel["category"].value_counts().reindex([*CLASS_CODES, NO_DATA_CODE], fill_value=0)


def year_summary(ds: Dataset, year: int) -> dict | None:
    """Headline numbers for `year` within its SK period, or None when the year has no rows."""
    series = city_series(ds)
    period = ds.period_of_year(year)
    if period is None:
        return None
    ps = series[series["sk_period"] == period.id]
    row = ps[ps["year"] == year]
    if row.empty:
        return None
    row = row.iloc[0]
    base = ps.iloc[0]
    return {
        "period": period,
        "year": year,
        "slum_ha": float(row["slum_ha"]),
        "baseline_year": int(base["year"]),
        "baseline_ha": float(base["slum_ha"]),
        "reduced_ha": None if pd.isna(row["reduced_ha"]) else float(row["reduced_ha"]),
        "reduced_since_baseline_ha": float(row["reduced_since_baseline_ha"]),
        "n_kel_slum": int(row["n_kel_slum"]),
        "water_access_pct": float(row["water_access_pct"]),
        "sanitation_access_pct": float(row["sanitation_access_pct"]),
        "target_year": ds.meta.target_year,
        "target_ha": ds.meta.target_ha,
    }


def kelurahan_series(ds: Dataset, kode_kel: str) -> pd.DataFrame:
    """One kelurahan over the years: per SK period and year its category, max score, slum ha."""
    rows = scored_rows(ds)
    cols = ["sk_period", "year", "category", "total_score", "slum_ha", "assessed_ha", "n_units"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows[rows["kode_kel"] == kode_kel]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby(["sk_period", "year"], sort=True)
    return pd.DataFrame({
        "category": worst_by(rows, ["sk_period", "year"]),
        "total_score": g["total_score"].max(),
        "slum_ha": g["slum_ha"].sum().round(2),
        "assessed_ha": g["area_ha"].sum(),
        "n_units": g.size(),
    }).reset_index()[cols]


def kelurahan_history(ds: Dataset, kode_kel: str) -> pd.DataFrame:
    """`kelurahan_series` plus `mean_score`, the area-weighted average score of its units: the worst
    unit sets the class, the average shows the progress of the rest."""
    out = kelurahan_series(ds, kode_kel)
    if out.empty:
        return out.assign(mean_score=pd.Series(dtype=float))
    rows = scored_rows(ds)
    rows = rows[rows["kode_kel"].astype(str) == str(kode_kel)]
    w = rows["area_ha"].fillna(0.0)
    rows = rows.assign(_w=w * rows["total_score"], _a=w)
    g = rows.groupby(["sk_period", "year"])
    mean = (g["_w"].sum() / g["_a"].sum().replace(0, np.nan)).fillna(g["total_score"].mean())
    out["mean_score"] = [float(mean.get((p, y), np.nan)) for p, y in zip(out["sk_period"], out["year"])]
    return out


def kelurahan_aspects(ds: Dataset, kode_kel: str, year: int) -> pd.Series | None:
    """Area-weighted aspect averages (a_1..a_7, percent affected) of a kelurahan in `year`."""
    rows = scored_rows(ds)
    if rows.empty:
        return None
    rows = rows[(rows["kode_kel"] == kode_kel) & (rows["year"] == year)]
    if rows.empty:
        return None
    cols = [c for c in rows.columns if c.startswith("a_")]
    w = rows["area_ha"].fillna(0.0)
    if w.sum() <= 0:
        return rows[cols].mean()
    return (rows[cols].mul(w, axis=0).sum() / w.sum()).rename(kode_kel)


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


# ==== subsets and breakdowns ===============================================================

def subset(ds: Dataset, kecamatan: list[str] | tuple[str, ...] | None = None) -> Dataset:
    """The dataset restricted to some kecamatan (by `kode_kec`), without scoring it again.

    Every aggregation in this module then works on the subset unchanged, which is how the Trends
    page filters by kecamatan.
    """
    if not kecamatan:
        return ds
    keep = set(str(k) for k in kecamatan)
    kel = ds.kelurahan[ds.kelurahan["kode_kec"].astype(str).isin(keep)].copy()
    codes = set(kel["kode_kel"].astype(str))
    rows = scored_rows(ds)
    rows = rows[rows["kode_kel"].astype(str).isin(codes)] if not rows.empty else rows
    assessments = ds.assessments
    if assessments is not None and not assessments.empty:
        assessments = assessments[assessments["kode_kel"].astype(str).isin(codes)]
    inv = ds.investments
    if inv is not None and not inv.empty:
        inv = inv[inv["kode_kel"].astype(str).isin(codes)]
    kec = ds.kecamatan[ds.kecamatan["kode_kec"].astype(str).isin(keep)].copy()
    kaw = ds.kawasan
    if kaw is not None and not kaw.empty:
        kaw = kaw[kaw["kode_kel"].astype(str).isin(codes)].copy()
    sub = Dataset(meta=ds.meta, kelurahan=kel, kecamatan=kec, assessments=assessments, kawasan=kaw,
                  investments=inv)
    sub.__dict__["scored"] = ScoreResult(rows, ds.scored.findings)  # prime the cached_property
    return sub


def _rows_with_kec(ds: Dataset) -> pd.DataFrame:
    rows = scored_rows(ds)
    if rows.empty:
        return rows
    kel = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]])
    kel["kode_kel"] = kel["kode_kel"].astype(str)
    out = rows.assign(kode_kel=rows["kode_kel"].astype(str)).merge(kel, on="kode_kel", how="left")
    out["kode_kec"] = out["kode_kec"].fillna("?")
    out["kecamatan"] = out["kecamatan"].fillna("?")
    return out


def kecamatan_series(ds: Dataset, period_id: str | None = None) -> pd.DataFrame:
    """Slum ha per SK period, year and kecamatan (all kecamatan of the boundaries, zero where none),
    with ha reduced since the previous year of the same period."""
    cols = ["sk_period", "year", "kode_kec", "kecamatan", "slum_ha", "reduced_ha"]
    rows = _rows_with_kec(ds)
    if rows.empty:
        return pd.DataFrame(columns=cols)
    if period_id is not None:
        rows = rows[rows["sk_period"].astype(str) == str(period_id)]
        if rows.empty:
            return pd.DataFrame(columns=cols)
    g = rows.groupby(["sk_period", "year", "kode_kec", "kecamatan"], sort=True)["slum_ha"].sum().round(2)
    out = g.reset_index()
    # Fill kecamatan with no slum rows in a year with 0, so stacked bars keep their order.
    kec = pd.DataFrame(ds.kecamatan[["kode_kec", "kecamatan"]]).astype({"kode_kec": str})
    frames = []
    for (period, year), _grp in out.groupby(["sk_period", "year"], sort=True):
        frames.append(kec.assign(sk_period=str(period), year=int(year)))
    full = pd.concat(frames, ignore_index=True) if frames else kec.iloc[0:0]
    out = full.merge(out[["sk_period", "year", "kode_kec", "slum_ha"]], on=["sk_period", "year", "kode_kec"],
                     how="outer")
    out["kecamatan"] = out["kecamatan"].fillna("?")
    out["slum_ha"] = out["slum_ha"].fillna(0.0)
    out = out.sort_values(["sk_period", "kode_kec", "year"]).reset_index(drop=True)
    out["reduced_ha"] = (-out.groupby(["sk_period", "kode_kec"])["slum_ha"].diff()).round(2) + 0.0
    return out.sort_values(["sk_period", "year", "kode_kec"]).reset_index(drop=True)[cols]


def category_mix(ds: Dataset, period_id: str | None = None) -> pd.DataFrame:
    """Long table per SK period, year and class: kelurahan in that class (worst unit) and slum ha
    of units in that class. Every class appears in every year (zero where none)."""
    cols = ["sk_period", "year", "category", "n_kelurahan", "unit_ha"]
    rows = scored_rows(ds)
    if rows.empty:
        return pd.DataFrame(columns=cols)
    if period_id is not None:
        rows = rows[rows["sk_period"].astype(str) == str(period_id)]
    records = []
    for (period, year), grp in rows.groupby(["sk_period", "year"], sort=True):
        kel_cat = worst_by(grp, ["kode_kel"])
        ha = grp.groupby("category")["area_ha"].sum()
        for code in CLASS_CODES:
            records.append({"sk_period": str(period), "year": int(year), "category": code,
                            "n_kelurahan": int((kel_cat == code).sum()),
                            "unit_ha": round(float(ha.get(code, 0.0)), 2)})
    return pd.DataFrame.from_records(records, columns=cols)


def kelurahan_ranking(ds: Dataset, period_id: str, year: int) -> pd.DataFrame:
    """Kelurahan of one SK period with their slum ha in `year`, at the period's baseline, and the
    reduction since (ha and %), largest slum area first. Kelurahan outside the period are left out."""
    cols = ["kode_kel", "kelurahan", "kecamatan", "category", "baseline_ha", "slum_ha", "reduced_ha", "reduced_pct"]
    ps = period_series(ds, period_id)
    if ps.empty:
        return pd.DataFrame(columns=cols)
    base_year = int(ps["year"].iloc[0])
    rows = _rows_with_kec(ds)
    rows = rows[rows["sk_period"].astype(str) == str(period_id)]
    now = rows[rows["year"] == year]
    base = rows[rows["year"] == base_year]
    if now.empty:
        return pd.DataFrame(columns=cols)
    g = now.groupby(["kode_kel", "kelurahan", "kecamatan"], sort=False)
    out = pd.DataFrame({"category": worst_by(now, ["kode_kel", "kelurahan", "kecamatan"]),
                        "slum_ha": g["slum_ha"].sum()}).reset_index()
    base_ha = base.groupby("kode_kel")["slum_ha"].sum()
    out["baseline_ha"] = out["kode_kel"].map(base_ha).fillna(0.0)
    out["slum_ha"] = out["slum_ha"].round(2)
    out["baseline_ha"] = out["baseline_ha"].round(2)
    out["reduced_ha"] = (out["baseline_ha"] - out["slum_ha"]).round(2)
    out["reduced_pct"] = np.where(out["baseline_ha"] > 0, 100.0 * out["reduced_ha"] / out["baseline_ha"].where(
        out["baseline_ha"] > 0, 1.0), np.nan)
    return out.sort_values(["slum_ha", "kelurahan"], ascending=[False, True]).reset_index(drop=True)[cols]


ASPECT_COLS = [f"a_{a.id}" for a in ASPECTS]


def _aspect_means(rows: pd.DataFrame) -> pd.DataFrame:
    w = rows["area_ha"].fillna(0.0)
    weighted = rows[ASPECT_COLS].mul(w, axis=0).groupby(rows["kode_kel"]).sum()
    wsum = w.groupby(rows["kode_kel"]).sum()
    plain = rows.groupby("kode_kel")[ASPECT_COLS].mean()
    out = weighted.div(wsum.replace(0, np.nan), axis=0)
    return out.fillna(plain)


def aspect_matrix(ds: Dataset, period_id: str, year: int, mode: str = "latest") -> pd.DataFrame:
    """Kelurahan x 7 aspects (area-weighted % affected) in `year` ("latest"), or the change since
    the period's baseline in percentage points ("change", negative = improved).

    Rows: kelurahan assessed in that year of the period, ordered by kecamatan and name; columns
    `kode_kel`, `kelurahan`, `kecamatan`, then a_1..a_7.
    """
    cols = ["kode_kel", "kelurahan", "kecamatan", *ASPECT_COLS]
    ps = period_series(ds, period_id)
    if ps.empty:
        return pd.DataFrame(columns=cols)
    rows = _rows_with_kec(ds)
    rows = rows[rows["sk_period"].astype(str) == str(period_id)]
    now = rows[rows["year"] == year]
    if now.empty:
        return pd.DataFrame(columns=cols)
    values = _aspect_means(now)
    if mode == "change":
        base = rows[rows["year"] == int(ps["year"].iloc[0])]
        values = values - _aspect_means(base).reindex(values.index)
    names = now.drop_duplicates("kode_kel").set_index("kode_kel")[["kelurahan", "kecamatan"]]
    out = names.join(values.round(2)).reset_index().sort_values(["kecamatan", "kelurahan"])
    return out.reset_index(drop=True)[cols]


# ==== investments ==========================================================================

INVESTMENT_OUT_COLUMNS = ["year", "kode_kel", "kelurahan", "kecamatan", "kawasan_id", "rt", "criterion", "aspect",
                          "activity", "volume", "unit", "budget_idr", "funding_source", "implementer"]


def investments(ds: Dataset) -> pd.DataFrame:
    """Investments with numeric year and budget, the aspect of each criterion and the kelurahan name.

    Empty (with the columns) when the dataset has none, so callers test `.empty`.
    """
    inv = ds.investments
    if inv is None or inv.empty:
        return pd.DataFrame(columns=INVESTMENT_OUT_COLUMNS)
    out = pd.DataFrame(inv).copy()
    for col in INVESTMENT_OUT_COLUMNS:
        if col not in out.columns and col not in ("kelurahan", "kecamatan", "aspect"):
            out[col] = pd.NA
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    out = out[out["year"].notna()]
    out["year"] = out["year"].astype(int)
    out["budget_idr"] = pd.to_numeric(out["budget_idr"], errors="coerce").fillna(0.0)
    out["volume"] = pd.to_numeric(out["volume"], errors="coerce")
    out["kode_kel"] = out["kode_kel"].astype(str)
    crit = out["criterion"].astype("string").str.strip().str.lower().str.removeprefix("v_")
    out["criterion"] = crit
    out["aspect"] = crit.map(lambda c: CRITERIA_BY_ID[c].aspect if isinstance(c, str) and c in CRITERIA_BY_ID
                             else None)
    for col in ("funding_source", "implementer"):
        out[col] = out[col].astype("string").str.strip().fillna("").replace("", "Lainnya")
    kel = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kecamatan"]]).astype({"kode_kel": str})
    out = out.merge(kel, on="kode_kel", how="left")
    return out[INVESTMENT_OUT_COLUMNS].reset_index(drop=True)


def period_years(ds: Dataset, period_id: str) -> tuple[int, int] | None:
    """(baseline year, last assessed year) of a period."""
    ps = period_series(ds, period_id)
    if ps.empty:
        return None
    return int(ps["year"].iloc[0]), int(ps["year"].iloc[-1])


def period_investments(ds: Dataset, period_id: str | None = None,
                       years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Investments that count toward a period: years after its baseline up to its last assessed year
    (an investment of year t shows in the condition at the end of t). `years` narrows further."""
    inv = investments(ds)
    if inv.empty:
        return inv
    if period_id is not None:
        span = period_years(ds, period_id)
        if span is None:
            return inv.iloc[0:0]
        inv = inv[(inv["year"] > span[0]) & (inv["year"] <= span[1])]
    if years is not None:
        inv = inv[(inv["year"] >= years[0]) & (inv["year"] <= years[1])]
    return inv.reset_index(drop=True)


def investments_by_year_source(inv: pd.DataFrame) -> pd.DataFrame:
    """Budget (Rp) per year and funding source, sources in the catalogue order of FUNDING_SOURCES."""
    cols = ["year", "funding_source", "budget_idr", "n_activities"]
    if inv.empty:
        return pd.DataFrame(columns=cols)
    g = inv.groupby(["year", "funding_source"], sort=True)
    out = pd.DataFrame({"budget_idr": g["budget_idr"].sum(), "n_activities": g.size()}).reset_index()
    order = {s.lower(): i for i, s in enumerate(FUNDING_SOURCES)}
    out["_o"] = out["funding_source"].str.lower().map(order).fillna(len(order))
    return out.sort_values(["year", "_o", "funding_source"]).reset_index(drop=True)[cols]


def investments_by_implementer(inv: pd.DataFrame) -> pd.DataFrame:
    """Who does what: budget (Rp) and activity count per implementer and aspect."""
    cols = ["implementer", "aspect", "budget_idr", "n_activities"]
    if inv.empty:
        return pd.DataFrame(columns=cols)
    inv = inv.assign(aspect=inv["aspect"].fillna("?"))
    g = inv.groupby(["implementer", "aspect"], sort=True)
    out = pd.DataFrame({"budget_idr": g["budget_idr"].sum(), "n_activities": g.size()}).reset_index()
    total = out.groupby("implementer")["budget_idr"].transform("sum")
    return (out.assign(_t=total).sort_values(["_t", "implementer", "aspect"], ascending=[False, True, True])
            .reset_index(drop=True)[cols])


def cost_per_ha(ds: Dataset, period_id: str, years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Per year of a period: budget spent, ha reduced, and Rp per ha reduced (NaN where nothing was
    reduced). A last row with year None holds the period total."""
    cols = ["year", "budget_idr", "reduced_ha", "cost_per_ha_idr"]
    ps = period_series(ds, period_id)
    inv = period_investments(ds, period_id, years)
    if ps.empty or inv.empty:
        return pd.DataFrame(columns=cols)
    ps = ps.iloc[1:]  # the baseline year has no reduction of its own
    if years is not None:
        ps = ps[(ps["year"] >= years[0]) & (ps["year"] <= years[1])]
    budget = inv.groupby("year")["budget_idr"].sum()
    out = pd.DataFrame({"year": ps["year"].astype(int).to_numpy(),
                        "reduced_ha": ps["reduced_ha"].to_numpy(dtype=float)})
    out["budget_idr"] = out["year"].map(budget).fillna(0.0)
    total = pd.DataFrame({"year": [None], "budget_idr": [out["budget_idr"].sum()],
                          "reduced_ha": [round(float(out["reduced_ha"].sum()), 2)]})
    out = pd.concat([out.astype({"year": object}), total], ignore_index=True)
    out["cost_per_ha_idr"] = np.where(out["reduced_ha"] > 0, out["budget_idr"] / out["reduced_ha"].where(
        out["reduced_ha"] > 0, 1.0), np.nan)
    return out[cols]


# ==== kelurahan profile ====================================================================

def kelurahan_criteria(ds: Dataset, kode_kel: str, year: int) -> pd.DataFrame:
    """The 16 criteria of a kelurahan in `year`: area-weighted % affected and the score the
    kelurahan-level percentage would get, beside the highest unit score (what the worst RT has)."""
    cols = ["criterion", "aspect", "pct", "score", "max_unit_score"]
    rows = scored_rows(ds)
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows[(rows["kode_kel"].astype(str) == str(kode_kel)) & (rows["year"] == year)]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    w = rows["area_ha"].fillna(0.0)
    records = []
    for c in CRITERIA:
        p = rows[f"p_{c.id}"]
        pct = float((p * w).sum() / w.sum()) if w.sum() > 0 else float(p.mean())
        records.append({"criterion": c.id, "aspect": c.aspect, "pct": round(pct, 2),
                        "score": score_for_percent(pct), "max_unit_score": int(rows[f"n_{c.id}"].max())})
    return pd.DataFrame.from_records(records, columns=cols)


def kelurahan_units(ds: Dataset, kode_kel: str, year: int) -> pd.DataFrame:
    """The kawasan/RT rows of a kelurahan in `year`: area, score, class, slum ha."""
    cols = ["kawasan_id", "kawasan", "rt", "area_ha", "total_score", "category", "slum_ha"]
    rows = scored_rows(ds)
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows[(rows["kode_kel"].astype(str) == str(kode_kel)) & (rows["year"] == year)].copy()
    if rows.empty:
        return pd.DataFrame(columns=cols)
    for col in ("kawasan_id", "rt"):
        if col not in rows.columns:
            rows[col] = pd.NA
    names = {}
    if ds.kawasan is not None and not ds.kawasan.empty and "kawasan" in ds.kawasan.columns:
        names = dict(zip(ds.kawasan["kawasan_id"].astype(str), ds.kawasan["kawasan"].astype(str)))
    rows["kawasan"] = rows["kawasan_id"].astype("string").map(lambda k: names.get(k, k) if isinstance(k, str) else k)
    return rows.sort_values(["kawasan_id", "rt"], na_position="last").reset_index(drop=True)[cols]


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
