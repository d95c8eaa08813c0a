"""Aggregation of scored unit-year rows: per kelurahan and city, per SK period and year.

Figures of two SK periods are never joined into one series: every function here keeps
`sk_period` as a key. `trends` re-exports these with the rest of the analysis.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.method.criteria import (
    CLASS_CODES,
    CLASSES,
    NO_DATA_CODE,
)
from utils.store.dataset import Dataset

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
