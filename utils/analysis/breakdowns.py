"""Subsets (some kecamatan) and breakdowns: per kecamatan, category mix, ranking, aspect matrix,
and a kelurahan's criteria and units for its profile."""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.analysis.series import (
    scored_rows,
    worst_by,
)
from utils.analysis.targets import period_series
from utils.method.criteria import (
    ASPECTS,
    CLASS_CODES,
    CRITERIA,
    score_for_percent,
)
from utils.method.scoring import ScoreResult
from utils.store.dataset import Dataset

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
