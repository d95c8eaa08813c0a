"""Where the commitments lead: the projected condition of every unit, year by year, to the target.

Projected condition of a unit at the end of year t = its latest assessed condition with each
criterion's affected volume reduced by the committed volumes for that unit and criterion with
latest assessed year < year <= t (the latest assessment already shows the work of its own year),
floored at 0, then scored again by `utils.method.scoring` (same bands, same classes). A commitment
for a whole kelurahan (or a kawasan, or an RT that the rows do not carry) is spread over the slum
units it names in proportion to their affected volume of that criterion. Slum ha = area of units
not TK. Statuses counted: komitmen, berjalan, selesai; `usulan` only when asked for.

Also here, because they share the unit matching: which bad criteria of which kelurahan someone has
taken (coverage), the gaps nobody has taken, and the slum ha no commitment reaches.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from utils.analysis import trends
from utils.io import commitments as reg
from utils.method.criteria import CRITERIA, CRITERION_IDS
from utils.method.scoring import score, scores_from_percent
from utils.store.dataset import Dataset, SkPeriod

COUNTED = reg.COUNTED_STATUSES
WITH_PROPOSALS = reg.STATUSES
_DENOMS = sorted({c.denominator for c in CRITERIA})
COVER_NONE, COVER_SOME, COVER_ALL = "none", "some", "all"
# A kelurahan's criterion counts as "bad" for coverage and gaps from this score (51 % affected) up:
# the deficits a workshop should see taken; lighter ones stay offered in the capture form.
BAD_MIN_SCORE = 3


def latest_period(ds: Dataset) -> SkPeriod | None:
    """The SK period with the latest baseline that has assessment rows."""
    ps = trends.periods(ds)
    return ps[-1] if ps else None


def _period_id(ds: Dataset, period_id: str | None) -> str | None:
    if period_id is not None:
        return str(period_id)
    p = latest_period(ds)
    return p.id if p else None


def latest_units(ds: Dataset, period_id: str | None = None) -> tuple[int | None, pd.DataFrame]:
    """The latest assessed year of the period and its scored unit rows (index 0..n-1)."""
    pid = _period_id(ds, period_id)
    rows = ds.scored.frame
    if pid is None or rows.empty:
        return None, rows.iloc[0:0]
    rows = rows[rows["sk_period"].astype(str) == pid]
    if rows.empty:
        return None, rows
    year = int(rows["year"].max())
    return year, rows[rows["year"] == year].reset_index(drop=True)


def unit_volumes(units: pd.DataFrame) -> pd.DataFrame:
    """Affected volume per unit and criterion: the stored volume, else percentage x denominator."""
    out = {}
    for c in CRITERIA:
        den = _denominator(units, c.denominator)
        from_pct = pd.to_numeric(units[f"p_{c.id}"], errors="coerce") * den / 100.0
        vol = pd.to_numeric(units[f"v_{c.id}"], errors="coerce") if f"v_{c.id}" in units else from_pct
        out[c.id] = vol.fillna(from_pct).fillna(0.0).clip(lower=0.0)
    return pd.DataFrame(out, index=units.index)


def _denominator(units: pd.DataFrame, name: str) -> pd.Series:
    """A denominator column as numbers; all NaN when the rows carry percentages only."""
    if name not in units:
        return pd.Series(np.nan, index=units.index)
    return pd.to_numeric(units[name], errors="coerce")


def _rt_key(value: object) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", str(value))) if value is not None else ()


def _targets(units: pd.DataFrame, kode_kel: str, kawasan_id: object, rt: object) -> np.ndarray:
    """Slum units a commitment names: its kelurahan, narrowed to its kawasan / RT where the rows have them."""
    mask = (units["kode_kel"].astype(str) == str(kode_kel)).to_numpy() & (units["category"] != "TK").to_numpy()
    if not reg._blank(kawasan_id) and "kawasan_id" in units:
        narrower = mask & (units["kawasan_id"].astype(str) == str(kawasan_id).strip()).to_numpy()
        mask = narrower if narrower.any() else mask
    if not reg._blank(rt) and "rt" in units:
        want = _rt_key(rt)
        if want:
            keys = units["rt"].map(lambda v: _rt_key(v)[:len(want)] if not reg._blank(v) else ())
            narrower = mask & (keys == want).to_numpy()
            mask = narrower if narrower.any() else mask
    return np.flatnonzero(mask)


def _selected(commitments: pd.DataFrame | None, statuses: tuple[str, ...]) -> pd.DataFrame:
    c = reg.stored(commitments)
    return c[c["status"].isin(statuses) & c["kode_kel"].notna()].reset_index(drop=True)


def allocate(units: pd.DataFrame, commitments: pd.DataFrame | None, statuses: tuple[str, ...] = COUNTED,
             after_year: int | None = None) -> pd.DataFrame:
    """One row per (commitment, unit) share of a physical commitment's volume: unit, criterion, year, amount."""
    cols = ["commitment_id", "unit", "criterion", "year", "amount"]
    c = _selected(commitments, statuses)
    c = c[c["criterion"].isin(CRITERION_IDS) & c["year"].notna() & (c["volume"] > 0)]
    if after_year is not None:
        c = c[c["year"] > after_year]
    if c.empty or units.empty:
        return pd.DataFrame(columns=cols)
    vols = unit_volumes(units)
    records = []
    for r in c.itertuples(index=False):
        idx = _targets(units, r.kode_kel, r.kawasan_id, r.rt)
        w = vols[r.criterion].to_numpy()[idx]
        if len(idx) == 0 or w.sum() <= 0:
            continue
        for i, share in zip(idx, w / w.sum()):
            if share > 0:
                records.append((r.commitment_id, int(i), r.criterion, int(r.year), float(r.volume) * float(share)))
    return pd.DataFrame.from_records(records, columns=cols)


def project_units(units: pd.DataFrame, alloc: pd.DataFrame, year: int) -> pd.DataFrame:
    """The units at the end of `year`: volumes minus allocations up to `year`, floored at 0, re-scored."""
    vols = unit_volumes(units)
    done = alloc[alloc["year"] <= year] if len(alloc) else alloc
    if len(done):
        red = done.pivot_table(index="unit", columns="criterion", values="amount", aggfunc="sum")
        red = red.reindex(index=vols.index, columns=CRITERION_IDS).fillna(0.0)
        vols = (vols - red).clip(lower=0.0)
    keep = [k for k in dict.fromkeys(("year", "sk_period", "kode_kel", "kawasan_id", "rt", "area_ha", *_DENOMS))
            if k in units]
    frame = units[keep].copy()
    for c in CRITERIA:
        den = _denominator(units, c.denominator)
        # where the denominator cannot carry a volume, the assessed percentage stands unchanged
        frame[f"v_{c.id}"] = vols[c.id].where(den > 0)
        frame[f"p_{c.id}"] = units[f"p_{c.id}"]
    frame["year"] = year
    return score(frame).frame


def projection_series(ds: Dataset, period_id: str | None = None, statuses: tuple[str, ...] = COUNTED,
                      commitments: pd.DataFrame | None = None, to_year: int | None = None) -> pd.DataFrame:
    """Slum ha per year from the latest assessed year (as assessed) to the target year, if delivered."""
    cols = ["sk_period", "year", "slum_ha", "n_units_slum", "n_kel_slum"]
    pid = _period_id(ds, period_id)
    y0, units = latest_units(ds, pid)
    if y0 is None:
        return pd.DataFrame(columns=cols)
    if to_year is None:
        to_year = trends.period_target_year(ds, ds.meta.period(pid))
    alloc = allocate(units, ds.commitments if commitments is None else commitments, statuses, after_year=y0)
    records = []
    for year in range(y0, max(to_year, y0) + 1):
        rows = units if year == y0 else project_units(units, alloc, year)
        slum = rows["category"] != "TK"
        records.append((pid, year, round(float(rows["slum_ha"].sum()), 2), int(slum.sum()),
                        int(rows.loc[slum, "kode_kel"].nunique())))
    return pd.DataFrame.from_records(records, columns=cols)


def projection_dict(ds: Dataset, statuses: tuple[str, ...] = COUNTED) -> dict[str, float]:
    """{"YEAR": slum ha} of the latest SK period, latest assessed year to target year (summary --json)."""
    s = projection_series(ds, statuses=statuses)
    return {str(int(y)): float(h) for y, h in zip(s["year"], s["slum_ha"])}


# ---- who covers what -------------------------------------------------------------------------

def bad_criteria(units: pd.DataFrame, min_score: int = 1) -> pd.DataFrame:
    """Per kelurahan, the criteria its slum units fail together: volumes and denominators summed over
    the slum units, scored with the method's bands; `min_score` 3 keeps the serious ones (>= 51 %)."""
    cols = ["kode_kel", "criterion", "worst_score", "pct", "volume", "slum_ha"]
    slum = units[units["category"] != "TK"]
    if slum.empty:
        return pd.DataFrame(columns=cols)
    keys = slum["kode_kel"].astype(str)
    vols = unit_volumes(slum).groupby(keys).sum()
    dens = pd.DataFrame({d: _denominator(slum, d) for d in _DENOMS}).groupby(keys).sum(min_count=1)
    ha = slum.groupby(keys)["slum_ha"].sum()
    # rows that carry percentages only: the area-weighted mean percentage stands in
    w = pd.to_numeric(slum["area_ha"], errors="coerce").fillna(0.0) if "area_ha" in slum else 1.0
    pcts = pd.DataFrame({c: pd.to_numeric(slum[f"p_{c}"], errors="coerce") for c in CRITERION_IDS})
    mean_pct = pcts.mul(w, axis=0).groupby(keys).sum().div(pd.Series(w, index=slum.index).groupby(keys).sum(),
                                                           axis=0)
    recs = []
    for c in CRITERIA:
        den = dens[c.denominator]
        pct = (vols[c.id] / den.where(den > 0) * 100.0).fillna(mean_pct[c.id]).fillna(0.0)
        scores = scores_from_percent(pct.to_numpy())
        for kel, sc, p, v in zip(pct.index, scores, pct.to_numpy(), vols[c.id].to_numpy()):
            if sc >= max(min_score, 1):
                recs.append((kel, c.id, int(sc), round(float(p), 2), float(v), float(ha[kel])))
    out = pd.DataFrame.from_records(recs, columns=cols)
    return out.sort_values(["kode_kel", "worst_score", "pct"], ascending=[True, False, False]).reset_index(drop=True)


def coverage(ds: Dataset, commitments: pd.DataFrame | None = None, period_id: str | None = None,
             statuses: tuple[str, ...] = COUNTED, min_score: int = BAD_MIN_SCORE) -> pd.DataFrame:
    """Per slum kelurahan of the latest assessed year: its bad criteria, those taken, and a status.

    status: "none" (no bad criterion taken), "some", "all"; `uncovered` lists the others worst first."""
    cols = ["kode_kel", "kelurahan", "kecamatan", "slum_ha", "ha_no_commitment", "n_bad", "n_covered", "status",
            "uncovered", "worst_uncovered"]
    y0, units = latest_units(ds, period_id)
    if y0 is None:
        return pd.DataFrame(columns=cols)
    c = _selected(ds.commitments if commitments is None else commitments, statuses)
    taken = set(zip(c["kode_kel"].astype(str), c["criterion"].astype(str)))
    bad = bad_criteria(units, min_score)
    bad["covered"] = [(k, cid) in taken for k, cid in zip(bad["kode_kel"], bad["criterion"])]
    reached = np.zeros(len(units), dtype=bool)
    for r in c.itertuples(index=False):
        reached[_targets(units, r.kode_kel, r.kawasan_id, r.rt)] = True
    slum = units["category"] != "TK"
    loose = pd.Series(np.where(slum & ~reached, units["slum_ha"], 0.0)).groupby(units["kode_kel"].astype(str)).sum()
    ha = units.loc[slum].groupby(units["kode_kel"].astype(str))["slum_ha"].sum()
    names = ds.kelurahan.set_index(ds.kelurahan["kode_kel"].astype(str))
    recs = []
    for kel, total in ha.items():
        b = bad[bad["kode_kel"] == kel]
        open_ = b[~b["covered"]]
        n_cov = int(b["covered"].sum())
        status = COVER_NONE if n_cov == 0 else (COVER_ALL if n_cov == len(b) else COVER_SOME)
        recs.append((kel, str(names["kelurahan"].get(kel, kel)), str(names["kecamatan"].get(kel, "")),
                     round(float(total), 2), round(float(loose.get(kel, 0.0)), 2), len(b), n_cov, status,
                     list(open_["criterion"]), int(open_["worst_score"].max()) if len(open_) else 0))
    out = pd.DataFrame.from_records(recs, columns=cols)
    return out.sort_values(["slum_ha", "kelurahan"], ascending=[False, True]).reset_index(drop=True)


def gap_list(cov: pd.DataFrame) -> pd.DataFrame:
    """Kelurahan with bad criteria nobody has taken: uncommitted slum ha and worst gap first."""
    gaps = cov[cov["status"] != COVER_ALL]
    return gaps.sort_values(["ha_no_commitment", "slum_ha", "worst_uncovered"],
                            ascending=False).reset_index(drop=True)


def n_gaps(cov: pd.DataFrame) -> int:
    """Bad (kelurahan, criterion) pairs that no commitment takes: the number the workshop drives down."""
    return int(sum(len(u) for u in cov["uncovered"])) if len(cov) else 0


def reached_ha(ds: Dataset, commitments: pd.DataFrame | None = None, period_id: str | None = None,
               statuses: tuple[str, ...] = WITH_PROPOSALS) -> pd.DataFrame:
    """Per stakeholder type: commitments, budget, and the slum ha of the units its commitments reach."""
    cols = ["stakeholder_type", "n", "budget_idr", "slum_ha"]
    c = _selected(ds.commitments if commitments is None else commitments, statuses)
    if c.empty:
        return pd.DataFrame(columns=cols)
    _, units = latest_units(ds, period_id)
    recs = []
    for typ, grp in c.groupby("stakeholder_type", sort=True):
        hit = np.zeros(len(units), dtype=bool)
        for r in grp.itertuples(index=False):
            hit[_targets(units, r.kode_kel, r.kawasan_id, r.rt)] = True
        ha = float(units.loc[hit, "slum_ha"].sum()) if len(units) else 0.0
        recs.append((typ, len(grp), float(grp["budget_idr"].fillna(0).sum()), round(ha, 2)))
    out = pd.DataFrame.from_records(recs, columns=cols)
    return out.sort_values(["slum_ha", "budget_idr"], ascending=False).reset_index(drop=True)


def outlook(ds: Dataset, commitments: pd.DataFrame | None = None) -> dict | None:
    """The overview's sentence in figures: commitments counted, ha left at the target year, ha uncommitted."""
    pid = _period_id(ds, None)
    if pid is None:
        return None
    c = commitments if commitments is not None else ds.commitments
    series = projection_series(ds, pid, commitments=c)
    if series.empty:
        return None
    cov = coverage(ds, c, pid)
    n = len(_selected(c, COUNTED))
    return {"sk_period": pid, "n_commitments": n, "year": int(series["year"].iloc[-1]),
            "remaining_ha": float(series["slum_ha"].iloc[-1]),
            "no_commitment_ha": round(float(cov["ha_no_commitment"].sum()), 2) if len(cov) else 0.0}
