"""Investments: cleaned rows with names and aspects, per period, per source and implementer,
and the cost per hectare reduced."""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.analysis.targets import period_series
from utils.method.criteria import (
    CRITERIA_BY_ID,
    FUNDING_SOURCES,
)
from utils.store.dataset import Dataset

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
