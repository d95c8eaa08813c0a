"""Synthetic RT assessments whose scores reproduce the published slum hectares, and the investments.

Each RT gets fixed denominators and per-criterion volumes; volumes only fall, and every fall is one
investment row, so the investments explain each year's reduction.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.method.criteria import CRITERIA, CRITERIA_BY_ID, CRITERION_IDS, class_for_total, score_for_percent
from utils.sample.figures import (
    ACTIVITIES,
    BAND_PCT,
    CLASS_TOTALS,
    COASTAL,
    DEFICIT_WEIGHT,
    FUNDERS,
    LEVELS,
    P1_BASELINE_YEAR,
    P1_TABLE,
    P1_YEARS,
    P2_BASELINE_YEAR,
    P2_HANDLED_2025,
    P2_KELURAHAN,
    P2_SLUM_HA,
    P2_YEARS,
    SEED,
)


@dataclass
class Rt:
    """One RT of a kawasan: fixed denominators and the affected volumes per year."""

    sk_period: str
    kode_kel: str
    kelurahan: str
    kawasan_id: str
    rt: str
    area_ha: float
    handled_year: int | None  # year whose investments take it to Tidak Kumuh
    klass: str  # baseline class
    den: dict[str, float] = field(default_factory=dict)
    vol: dict[int, dict[str, float]] = field(default_factory=dict)


def _split_cents(total: int, n: int, rng: np.random.Generator, lo: int = 30, hi: int = 400) -> list[int]:
    """Split `total` hundredths of a ha into n parts in [lo, hi] that sum exactly."""
    assert lo * n <= total <= hi * n, (total, n)
    weights = rng.uniform(0.6, 1.4, n)
    parts = np.floor(weights / weights.sum() * total).astype(int)
    parts[: total - parts.sum()] += 1
    for _ in range(10_000):  # move hundredths from parts over the bounds to parts under them
        over, under = np.flatnonzero(parts > hi), np.flatnonzero(parts < lo)
        if not len(over) and not len(under):
            break
        src = over[0] if len(over) else int(np.argmax(parts))
        dst = under[0] if len(under) else int(np.argmin(parts))
        parts[src] -= 1
        parts[dst] += 1
    return [int(p) for p in parts]


def _n_rts(cents: int) -> int:
    return max(1, math.ceil(cents / 260))


def _rt_labels(n: int, rng: np.random.Generator) -> list[str]:
    """Distinct 'RT 03/RW 02' labels within one kelurahan and period."""
    pool = [(rt, rw) for rw in range(1, 9) for rt in range(1, 13)]
    pick = rng.choice(len(pool), size=n, replace=False)
    return [f"RT {pool[k][0]:02d}/RW {pool[k][1]:02d}" for k in sorted(pick, key=lambda k: (pool[k][1], pool[k][0]))]


def _denominators(area_ha: float, coastal: bool, rng: np.random.Generator) -> dict[str, float]:
    density = rng.uniform(55, 80) if coastal else rng.uniform(40, 70)  # buildings per ha
    buildings = max(8, round(area_ha * density))
    households = max(buildings, round(buildings * rng.uniform(1.02, 1.3)))
    return {
        "area_ha": area_ha,
        "buildings": buildings,
        "population": round(households * rng.uniform(3.6, 4.2)),
        "households": households,
        "road_length_m": round(area_ha * rng.uniform(200, 400), 1),
        "drainage_length_m": round(area_ha * rng.uniform(230, 450), 1),
    }


def _quantise(value: float, cid: str) -> float:
    unit = CRITERIA_BY_ID[cid].volume_unit
    if unit == "ha":
        return round(value, 2)
    if unit == "m":
        return round(value, 1)
    return float(round(value))


def _score(vol: float, den: float) -> int:
    return score_for_percent(vol / den * 100.0) if den > 0 else 0


def _volume_for_level(cid: str, level: int, den: dict[str, float], rng: np.random.Generator,
                      ceiling: float | None = None) -> float:
    """A volume whose percentage scores `level`, not above `ceiling` (volumes only ever fall)."""
    d = den[CRITERIA_BY_ID[cid].denominator]
    lo, hi = BAND_PCT[level]
    if level == 0 and rng.random() < 0.4:
        return 0.0
    if level == 5 and rng.random() < 0.2:
        vol = _quantise(d, cid)
    else:
        vol = _quantise(rng.uniform(lo, hi) / 100 * d, cid)
    if ceiling is not None:
        vol = min(vol, ceiling)
    step = {"ha": 0.01, "m": 0.1}.get(CRITERIA_BY_ID[cid].volume_unit, 1.0)
    while _score(vol, d) > level and vol > 0:
        vol = _quantise(vol - step, cid)
    while _score(vol, d) < level:
        vol = _quantise(vol + step, cid)
    return vol


def _levels_for_total(total: int, rng: np.random.Generator, coastal: bool) -> dict[str, int]:
    """Per-criterion scores (0/1/3/5) summing exactly to `total`; water and sanitation always deficient."""
    levels = {cid: 0 for cid in CRITERION_IDS}
    levels["3a"] = 1 if total < 25 else int(rng.choice([1, 3]))
    levels["5a"] = 1 if total < 25 else int(rng.choice([1, 3, 5]))
    weights = np.array([DEFICIT_WEIGHT[c] * (1.5 if coastal and c in ("4a", "1b", "5b") else 1.0)
                        for c in CRITERION_IDS])
    while sum(levels.values()) < total:
        gap = total - sum(levels.values())
        ok = np.array([levels[c] < 5 and LEVELS[LEVELS.index(levels[c]) + 1] - levels[c] <= gap
                       for c in CRITERION_IDS])
        if not ok.any():  # gap of 1 with no criterion left at 0: +2 on one, -1 on another
            ones = [c for c in CRITERION_IDS if levels[c] == 1 and c not in ("3a", "5a")]
            ups = [c for c in CRITERION_IDS if 0 < levels[c] < 5 and c not in ones[:1]]
            if not ones or not ups:
                raise ValueError(f"cannot reach total {total}")
            levels[ones[0]] = 0
            levels[ups[0]] = LEVELS[LEVELS.index(levels[ups[0]]) + 1]
            continue
        w = np.where(ok, weights, 0.0)
        cid = CRITERION_IDS[int(rng.choice(len(w), p=w / w.sum()))]
        levels[cid] = LEVELS[LEVELS.index(levels[cid]) + 1]
    return levels


def _baseline(rt: Rt, year: int, rng: np.random.Generator) -> None:
    lo, hi = CLASS_TOTALS[rt.klass]
    levels = _levels_for_total(int(rng.integers(lo, hi + 1)), rng, rt.kelurahan in COASTAL)
    rt.vol[year] = {cid: _volume_for_level(cid, levels[cid], rt.den, rng) for cid in CRITERION_IDS}


def _levels_of(rt: Rt, vol: dict[str, float]) -> dict[str, int]:
    return {cid: _score(vol[cid], rt.den[CRITERIA_BY_ID[cid].denominator]) for cid in CRITERION_IDS}


def _advance(rt: Rt, year: int, rng: np.random.Generator) -> None:
    """Condition at the end of `year`: last year's volumes minus this year's handling.

    A handled RT gets water, sanitation and its worst criteria fixed until it scores under 16.
    Other slum RTs may improve within their score bands (so their class does not change).
    """
    prev = rt.vol[year - 1]
    cur = dict(prev)
    levels = _levels_of(rt, prev)
    total = sum(levels.values())
    if rt.handled_year == year:
        goal = int(rng.integers(4, 14))
        order = ["3a", "5a"] + sorted((c for c in CRITERION_IDS if c not in ("3a", "5a")),
                                      key=lambda c: (-levels[c], rng.random()))
        for cid in order:
            if total <= goal and cid not in ("3a", "5a"):
                break
            if levels[cid] == 0:
                continue
            cur[cid] = _volume_for_level(cid, 0, rt.den, rng, ceiling=prev[cid])
            total -= levels[cid]
    elif class_for_total(total) != "TK" and rng.random() < 0.45:
        picks = [c for c in ("3a", "5a", "2b", "6a", "4c") if prev[c] > 0]
        for cid in rng.permutation(picks)[: int(rng.integers(1, 3))]:
            cid = str(cid)
            d = rt.den[CRITERIA_BY_ID[cid].denominator]
            floor_pct = {0: 0.0, 1: 27.0, 3: 52.0, 5: 77.0}[levels[cid]]
            new = _quantise(rng.uniform(floor_pct, prev[cid] / d * 100) / 100 * d, cid)
            if new < prev[cid] and _score(new, d) == levels[cid]:
                cur[cid] = new
    rt.vol[year] = cur


def _period1_rts(codes: dict[str, str], rng: np.random.Generator) -> list[Rt]:
    rts: list[Rt] = []
    for kel, row in P1_TABLE.items():
        code = codes[kel]
        coastal = kel in COASTAL
        pieces: list[tuple[int, int | None]] = []
        for year, ha in zip((*P1_YEARS, None), row):
            cents = round(ha * 100)
            if cents:
                pieces += [(c, year) for c in _split_cents(cents, _n_rts(cents), rng)]
        n_kaw = 2 if sum(row) > 8 else 1
        labels = _rt_labels(len(pieces), rng)
        order = rng.permutation(len(pieces))
        for pos, k in enumerate(order):
            cents, year = pieces[k]
            # Coastal RTs are worse; the two heaviest never-handled coastal RTs are Kumuh Berat.
            p_ks = 0.75 if coastal else 0.3
            klass = "KS" if rng.random() < p_ks else "KR"
            rts.append(Rt("1", code, kel, f"K1-{code}-{1 + pos * n_kaw // len(pieces):02d}", labels[pos],
                          cents / 100, year, klass))
    for kel in ("Ngemplakrejo", "Mandaranrejo"):
        left = [rt for rt in rts if rt.kelurahan == kel and rt.handled_year is None]
        max(left, key=lambda rt: rt.area_ha).klass = "KB"
    return rts


def _period2_rts(facts: pd.DataFrame, rng: np.random.Generator) -> list[Rt]:
    by_name = facts.set_index("kelurahan")
    names = list(P2_KELURAHAN)
    weights = np.array([math.sqrt(by_name.loc[k, "area_ha"]) * (1.8 if k in COASTAL else 1.0)
                        * (1.3 if by_name.loc[k, "kode_kec"] == "35.75.04" else 1.0) for k in names])
    free = round(P2_SLUM_HA[P2_BASELINE_YEAR] * 100) - sum(round(v * 100) for v in P2_HANDLED_2025.values())
    share = weights / weights.sum() * free
    cents = np.floor(share).astype(int)
    for k in np.argsort(-(share - cents), kind="stable")[: free - cents.sum()]:
        cents[k] += 1
    rts: list[Rt] = []
    for kel, c in zip(names, cents):
        code = by_name.loc[kel, "kode"]
        pieces: list[tuple[int, int | None]] = [(int(x), None) for x in _split_cents(int(c), _n_rts(int(c)), rng)]
        if kel in P2_HANDLED_2025:
            pieces.append((round(P2_HANDLED_2025[kel] * 100), P2_YEARS[0]))
        n_kaw = 2 if sum(p for p, _ in pieces) > 800 else 1
        labels = _rt_labels(len(pieces), rng)
        for pos, k in enumerate(rng.permutation(len(pieces))):
            cc, year = pieces[k]
            rts.append(Rt("2", code, kel, f"K2-{code}-{1 + pos * n_kaw // len(pieces):02d}", labels[pos],
                          cc / 100, year, "KR"))
    return rts


def assessment_frames(rts: list[Rt]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assessment rows (one per RT per year) and investments (the year-on-year fall in volumes)."""
    rows, inv = [], []
    funders_rng = np.random.default_rng(SEED + 1)
    for rt in rts:
        years = sorted(rt.vol)
        for year in years:
            rows.append({"year": year, "sk_period": rt.sk_period, "kode_kel": rt.kode_kel,
                         "kawasan_id": rt.kawasan_id, "rt": rt.rt, **rt.den,
                         **{f"v_{c}": rt.vol[year][c] for c in CRITERION_IDS}})
        for prev, year in zip(years, years[1:]):
            for crit in CRITERIA:
                fall = _quantise(rt.vol[prev][crit.id] - rt.vol[year][crit.id], crit.id)
                if fall <= 0:
                    continue
                activity, unit_cost = ACTIVITIES[crit.id]
                options = FUNDERS[crit.id]
                source, implementer = options[int(funders_rng.integers(len(options)))]
                budget = round(fall * unit_cost * funders_rng.uniform(0.85, 1.2), -3)
                inv.append({"year": year, "kode_kel": rt.kode_kel, "kawasan_id": rt.kawasan_id, "rt": rt.rt,
                            "criterion": crit.id, "activity": activity, "volume": fall,
                            "unit": crit.volume_unit, "budget_idr": int(budget),
                            "funding_source": source, "implementer": implementer})
    assessments = pd.DataFrame(rows)
    for col in ("buildings", "population", "households"):
        assessments[col] = assessments[col].astype("int64")
    for crit in CRITERIA:
        if crit.volume_unit not in ("ha", "m"):
            assessments[f"v_{crit.id}"] = assessments[f"v_{crit.id}"].astype("int64")
    assessments = assessments.sort_values(["sk_period", "year", "kode_kel", "kawasan_id", "rt"], kind="stable")
    investments = pd.DataFrame(inv).sort_values(["year", "kode_kel", "kawasan_id", "rt", "criterion"], kind="stable")
    return assessments.reset_index(drop=True), investments.reset_index(drop=True)


def build_rts(facts: pd.DataFrame, rng: np.random.Generator) -> list[Rt]:
    """Both periods' RTs with their yearly volumes (the order of draws fixes the output)."""
    codes = dict(zip(facts["kelurahan"], facts["kode"]))
    rts = _period1_rts(codes, rng) + _period2_rts(facts, rng)
    for rt in rts:
        rt.den = _denominators(rt.area_ha, rt.kelurahan in COASTAL, rng)
        base = P1_BASELINE_YEAR if rt.sk_period == "1" else P2_BASELINE_YEAR
        _baseline(rt, base, rng)
        for year in (P1_YEARS if rt.sk_period == "1" else P2_YEARS):
            _advance(rt, year, rng)
    return rts

