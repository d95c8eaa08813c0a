"""Deterministic generator of the embedded, illustrative Kota Pasuruan sample dataset.

Why generate instead of shipping real data: the dashboard needs a realistic city to demo offline,
but RT-level KOTAKU records and official boundaries are not ours to redistribute. So this script
draws the project's own boundaries from public facts (a representative point and the area of each
kelurahan) and builds RT assessments whose scores, through `utils.scoring.score()`, reproduce the
published city figures (slum ha per year). Same inputs and seed give byte-identical frames.

Run: `python -m utils.sample [--facts PATH] [--out PATH]`.
"""
from __future__ import annotations

import argparse
import heapq
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon, box

from utils.method.criteria import CRITERIA, CRITERIA_BY_ID, CRITERION_IDS, class_for_total, score_for_percent
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FACTS = PROJECT_ROOT.parent / "shared" / "data" / "pasuruan_kelurahan.csv"
DEFAULT_OUT = PROJECT_ROOT / "data" / "kota_pasuruan_sample.gpkg"

SEED = 3575  # the city code; any fixed value keeps the output reproducible
METRIC_CRS = "EPSG:32749"  # UTM 49S, where Kota Pasuruan lies; all areas are measured here
COORD_GRID = 1e-6  # degrees (~0.1 m): output coordinates are snapped to this grid

# ---- published figures the sample must reproduce (KOTAKU_METHOD.md) -----------------------------

P1_YEARS = (2015, 2016, 2017, 2018, 2019)
P1_BASELINE_YEAR = 2014  # "2015 baseline" = condition at the end of 2014 (year = end-of-year condition)
P2_BASELINE_YEAR = 2024
P2_YEARS = (2025,)

# Period 1 calibration table, hectares: handled in 2015..2019, and still slum at the end of 2019.
# Column sums are the published reductions (7.25, 15.71, 16.23, 7.82, 5.87) and 27.99 ha left;
# row sums are the kelurahan baselines (80.87 ha in all). Ngemplakrejo keeps 1.92 + 8.92 = 10.84 ha
# and Mandaranrejo 1.45 + 4.71 = 6.16 ha at the end of 2018. Coastal kelurahan carry the most.
P1_TABLE: dict[str, tuple[float, float, float, float, float, float]] = {
    "Trajeng": (1.62, 2.10, 1.45, 0.00, 0.00, 2.23),
    "Ngemplakrejo": (0.00, 1.86, 1.80, 0.00, 1.92, 8.92),
    "Kebonsari": (0.00, 1.75, 2.05, 1.40, 0.00, 0.00),
    "Kandangsapi": (1.28, 0.00, 1.52, 0.00, 0.00, 1.30),
    "Bugul Lor": (0.00, 2.46, 1.66, 1.27, 0.00, 1.61),
    "Mayangan": (0.00, 1.20, 1.93, 0.00, 1.17, 0.00),
    "Mandaranrejo": (1.64, 2.20, 2.30, 0.00, 1.45, 4.71),
    "Panggungrejo": (0.00, 1.62, 0.00, 2.43, 1.33, 4.22),
    "Bangilan": (1.15, 0.00, 1.48, 1.27, 0.00, 0.00),
    "Tamba'an": (0.00, 0.00, 1.04, 1.45, 0.00, 3.71),
    "Gadingrejo": (1.56, 2.52, 1.00, 0.00, 0.00, 1.29),
}
P1_SLUM_HA = {2014: 80.87, 2015: 73.62, 2016: 57.91, 2017: 41.68, 2018: 33.86, 2019: 27.99}

# Period 2: a new delineation of 24 kelurahan in all 4 kecamatan, all Kumuh Ringan.
P2_KELURAHAN: tuple[str, ...] = (
    "Karangketug", "Gentong", "Bukir", "Krapyakrejo", "Gadingrejo",
    "Pohjentrek", "Tembokrejo", "Purutrejo", "Purworejo", "Sekargadung",
    "Blandongan", "Kepel", "Tapa'an", "Bakalan", "Bugul Kidul",
    "Tamba'an", "Trajeng", "Kebonsari", "Ngemplakrejo", "Petamanan", "Pekuncen", "Bugul Lor",
    "Panggungrejo", "Mandaranrejo",
)
P2_SLUM_HA = {2024: 117.51, 2025: 115.09}
P2_HANDLED_2025 = {"Mandaranrejo": 1.31, "Kepel": 1.11}  # 2.42 ha reaches Tidak Kumuh in 2025

COASTAL = frozenset({"Tamba'an", "Panggungrejo", "Mandaranrejo", "Ngemplakrejo"})

# ---- investments: what each criterion's handling is called, costs and who pays ---------------------

ACTIVITIES: dict[str, tuple[str, float]] = {
    # criterion: (activity in Bahasa Indonesia, unit cost IDR per unit of volume)
    "1a": ("Penataan bangunan hunian", 2_500_000),
    "1b": ("Penataan kepadatan bangunan (konsolidasi lahan)", 150_000_000),
    "1c": ("Rehabilitasi rumah tidak layak huni (RTLH)", 17_500_000),
    "2a": ("Pembangunan jalan lingkungan baru", 450_000),
    "2b": ("Paving jalan lingkungan", 300_000),
    "3a": ("Sambungan rumah air minum", 2_500_000),
    "3b": ("Peningkatan layanan air minum (hidran umum)", 1_000_000),
    "4a": ("Normalisasi saluran dan penanganan genangan", 250_000_000),
    "4b": ("Pembangunan saluran drainase lingkungan", 1_200_000),
    "4c": ("Rehabilitasi saluran drainase", 600_000),
    "5a": ("IPAL komunal dan sambungan rumah", 5_000_000),
    "5b": ("Jamban sehat dan tangki septik individual", 3_500_000),
    "6a": ("Penyediaan TPS3R dan gerobak sampah", 600_000),
    "6b": ("Pembentukan KSM/bank sampah", 150_000),
    "7a": ("Pembangunan hidran kebakaran lingkungan", 400_000),
    "7b": ("Penyediaan APAR dan sarana pemadam", 250_000),
}
KOTAKU = ("APBN", "KOTAKU/BKM")
PERKIM = ("APBD Kota/Kab", "Dinas Perkim Kota Pasuruan")
PROVINSI = ("APBD Provinsi", "Dinas Perkim Provinsi Jawa Timur")
PDAM = ("APBD Kota/Kab", "PDAM/Perumda Air Minum")
CSR = ("Swasta/CSR", "PT mitra swasta (CSR)")
SWADAYA = ("Swadaya masyarakat", "Masyarakat/KSM")
KKN = ("Lainnya", "Universitas (KKN tematik)")
FUNDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "1a": (KOTAKU, PERKIM, KKN), "1b": (KOTAKU, PERKIM), "1c": (KOTAKU, PROVINSI, PERKIM, CSR),
    "2a": (KOTAKU, PERKIM), "2b": (KOTAKU, PERKIM, SWADAYA), "3a": (PDAM, KOTAKU),
    "3b": (PDAM, KOTAKU, CSR), "4a": (PERKIM, KOTAKU), "4b": (KOTAKU, PERKIM, PROVINSI),
    "4c": (KOTAKU, PERKIM, SWADAYA), "5a": (KOTAKU, PROVINSI, CSR), "5b": (KOTAKU, SWADAYA, KKN),
    "6a": (PERKIM, CSR, SWADAYA), "6b": (SWADAYA, KKN), "7a": (PERKIM, KOTAKU), "7b": (CSR, SWADAYA, PERKIM),
}

# Where each criterion tends to be deficient in Pasuruan-like kampung (relative weights).
DEFICIT_WEIGHT = {
    "1a": 1.0, "1b": 0.8, "1c": 1.0, "2a": 0.6, "2b": 1.2, "3a": 1.0, "3b": 0.6, "4a": 1.0,
    "4b": 1.0, "4c": 1.2, "5a": 1.2, "5b": 1.0, "6a": 1.2, "6b": 1.0, "7a": 1.5, "7b": 1.5,
}
LEVELS = (0, 1, 3, 5)
# Percentages drawn inside each score band, away from its edges so rounding never changes a score.
BAND_PCT = {0: (0.0, 20.0), 1: (28.0, 48.0), 3: (54.0, 73.0), 5: (79.0, 100.0)}
CLASS_TOTALS = {"KR": (19, 33), "KS": (40, 54), "KB": (60, 64)}


# ---- geometry -----------------------------------------------------------------------------------

PIXEL_M = 25.0  # raster step of the region growing; fine enough for a 15 ha kelurahan (~240 px)
SPEED_ROUNDS = 12


def read_facts(facts_csv: Path) -> pd.DataFrame:
    """The 34 kelurahan: codes, names, representative point and area (public facts)."""
    df = pd.read_csv(facts_csv, dtype=str, encoding="utf-8")
    for col in ("lon", "lat", "area_ha"):
        df[col] = df[col].astype(float)
    return df.sort_values("kode").reset_index(drop=True)


def _outline(xy: np.ndarray, area_m2: np.ndarray) -> Polygon:
    """City outline: smoothed union of discs sized from each kelurahan's area, flat coast on the north.

    The disc scale is found by bisection so the outline's area equals the sum of the listed areas.
    """
    coast_y = xy[:, 1].max() + 300.0

    def build(k: float) -> Polygon:
        discs = shapely.buffer(shapely.points(xy), k * np.sqrt(area_m2 / np.pi), quad_segs=16)
        shape = shapely.union_all(discs).buffer(500.0, quad_segs=8).buffer(-500.0, quad_segs=8)
        minx, miny, maxx, _ = shape.bounds
        return shape.intersection(box(minx - 10, miny - 10, maxx + 10, coast_y)).simplify(10.0)

    lo, hi = 0.5, 2.5
    for _ in range(40):
        k = (lo + hi) / 2
        lo, hi = (k, hi) if build(k).area < area_m2.sum() else (lo, k)
    return build((lo + hi) / 2)


def _grow_regions(mask: np.ndarray, seeds: list[tuple[int, int]], speed: np.ndarray,
                  cap: np.ndarray) -> np.ndarray:
    """Grow one region per seed over the pixels of `mask`, nearest pixel first, up to a capacity.

    Keys are distances divided by a per-region speed, so regions grow in proportion to their size;
    growth keeps each region connected and its seed (the representative point) inside it. Pockets
    left when all neighbours are full go to an adjacent region.
    """
    ny, nx = mask.shape
    lab = np.full(mask.shape, -1, dtype=np.int32)
    count = np.zeros(len(seeds), dtype=np.int64)
    heap: list[tuple[float, int, int, int]] = [(0.0, i, r, c) for i, (r, c) in enumerate(seeds)]
    heapq.heapify(heap)
    while heap:
        _, i, r, c = heapq.heappop(heap)
        if lab[r, c] >= 0 or count[i] >= cap[i]:
            continue
        lab[r, c] = i
        count[i] += 1
        sr, sc = seeds[i]
        for rr, cc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= rr < ny and 0 <= cc < nx and mask[rr, cc] and lab[rr, cc] < 0:
                heapq.heappush(heap, (math.hypot(rr - sr, cc - sc) / speed[i], i, rr, cc))
    while (mask & (lab < 0)).any():
        for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            shifted = np.full_like(lab, -1)
            src = lab[max(-dr, 0):ny - max(dr, 0), max(-dc, 0):nx - max(dc, 0)]
            shifted[max(dr, 0):ny - max(-dr, 0), max(dc, 0):nx - max(-dc, 0)] = src
            fill = mask & (lab < 0) & (shifted >= 0)
            lab[fill] = shifted[fill]
    return lab


def build_kelurahan_geometry(facts: pd.DataFrame) -> gpd.GeoSeries:
    """Illustrative kelurahan polygons (EPSG:4326) that tile the outline as a clean coverage.

    Region growing on a 25 m raster rather than a (power) Voronoi diagram: with the real points a
    power diagram that matches the areas leaves several points outside their own cell. Growth keeps
    each point inside its cell; a few rounds adapt the growth speeds towards the listed areas.
    """
    pts = gpd.GeoSeries(gpd.points_from_xy(facts["lon"], facts["lat"]), crs="EPSG:4326").to_crs(METRIC_CRS)
    xy = np.c_[pts.x.to_numpy(), pts.y.to_numpy()]
    area = facts["area_ha"].to_numpy() * 1e4
    outline = _outline(xy, area)

    minx, miny, maxx, maxy = outline.bounds
    x0, y0 = math.floor(minx / PIXEL_M) * PIXEL_M, math.floor(miny / PIXEL_M) * PIXEL_M
    nx, ny = int(math.ceil((maxx - x0) / PIXEL_M)), int(math.ceil((maxy - y0) / PIXEL_M))
    cx, cy = x0 + (np.arange(nx) + 0.5) * PIXEL_M, y0 + (np.arange(ny) + 0.5) * PIXEL_M
    mask = shapely.contains_xy(outline, *np.meshgrid(cx, cy))
    seeds = [(int((y - y0) // PIXEL_M), int((x - x0) // PIXEL_M)) for x, y in xy]
    for r, c in seeds:
        mask[r, c] = True
    cap = np.round(area / area.sum() * mask.sum()).astype(np.int64)

    speed = np.sqrt(area / np.pi)
    best: tuple[float, np.ndarray] | None = None
    for _ in range(SPEED_ROUNDS):
        lab = _grow_regions(mask, seeds, speed, cap)
        got = np.bincount(lab[mask], minlength=len(xy)).astype(float)
        err = float(np.abs(got / cap - 1).max())
        if best is None or err < best[0]:
            best = (err, lab)
        speed = speed * (cap / got) ** 0.5
    assert best is not None
    lab = best[1]

    cells = []
    for i in range(len(xy)):
        r, c = np.nonzero(lab == i)
        cells.append(shapely.union_all(shapely.box(x0 + c * PIXEL_M, y0 + r * PIXEL_M,
                                                   x0 + (c + 1) * PIXEL_M, y0 + (r + 1) * PIXEL_M)))
    # Simplifying as a coverage smooths the pixel steps while shared edges stay identical.
    smooth = shapely.coverage_simplify(np.array(cells, dtype=object), 30.0)
    geo = gpd.GeoSeries(smooth, crs=METRIC_CRS).to_crs("EPSG:4326")
    return _snap_coverage(geo)


def _snap_coverage(geo: gpd.GeoSeries) -> gpd.GeoSeries:
    """Snap a coverage to the output grid by re-noding its edges, so neighbours keep identical edges."""
    edges = shapely.union_all(shapely.boundary(geo.to_numpy()), grid_size=COORD_GRID)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(edges)))
    owner = np.full(len(faces), -1)
    tree = shapely.STRtree(geo.to_numpy())
    for k, face in enumerate(faces):
        cand = tree.query(face, predicate="intersects")
        if len(cand):
            owner[k] = cand[np.argmax(shapely.area(shapely.intersection(geo.to_numpy()[cand], face)))]
    out = [shapely.union_all(faces[owner == i], grid_size=COORD_GRID) for i in range(len(geo))]
    return gpd.GeoSeries(out, crs=geo.crs)


def _blob(center: Point, scale: float, radii: np.ndarray) -> Polygon:
    ang = np.linspace(0, 2 * np.pi, len(radii), endpoint=False)
    ring = np.c_[center.x + scale * radii * np.cos(ang), center.y + scale * radii * np.sin(ang)]
    return Polygon(ring).buffer(0.15 * scale, quad_segs=4)


def _fit_blob(center: Point, radii: np.ndarray, allowed, target_m2: float):
    """The blob around `center`, clipped to `allowed`, whose area is `target_m2` (bisection)."""
    lo, hi = 1.0, 5_000.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _blob(center, mid, radii).intersection(allowed).area < target_m2 else (lo, mid)
    shape = _blob(center, (lo + hi) / 2, radii).intersection(allowed)
    if shape.geom_type != "Polygon":  # keep the main part; a clipped blob may leave crumbs
        shape = max(shapely.get_parts(shape), key=lambda g: g.area)
    return shape


# ---- assessments ----------------------------------------------------------------------------------

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


def _assessment_frames(rts: list[Rt]) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def _kawasan_layer(kel: gpd.GeoDataFrame, rts: list[Rt], rng: np.random.Generator) -> gpd.GeoDataFrame:
    """One blob per kawasan inside its kelurahan, sized to the sum of its RT areas."""
    kel_m = kel.to_crs(METRIC_CRS).set_index("kode_kel")
    names = kel.set_index("kode_kel")["kelurahan"]
    area: dict[tuple[str, str, str], float] = {}
    for rt in rts:
        key = (rt.sk_period, rt.kode_kel, rt.kawasan_id)
        area[key] = area.get(key, 0.0) + rt.area_ha
    rows = []
    for (period, code, kid), ha in sorted(area.items()):
        poly = kel_m.loc[code, "geometry"]
        taken = [r["geom_m"] for r in rows if r["sk_period"] == period and r["kode_kel"] == code]
        allowed = poly.buffer(-10.0).difference(shapely.union_all(taken).buffer(10.0)) if taken else poly.buffer(-10.0)
        if not taken:
            center = poly.representative_point()
        else:  # the second kawasan sits in the part of the kelurahan farthest from the first
            cand = shapely.points(rng.uniform(*poly.bounds[::2], 400), rng.uniform(*poly.bounds[1::2], 400))
            cand = cand[shapely.contains(allowed, cand)]
            center = cand[int(np.argmax(shapely.distance(cand, shapely.union_all(taken))))]
        shape = _fit_blob(center, rng.uniform(0.75, 1.25, 14), allowed, ha * 1e4)
        kel_name = names[code]
        n = int(kid[-2:])
        label = f"Kawasan Pesisir {kel_name}" if kel_name in COASTAL else f"Kawasan Permukiman {kel_name}"
        if n > 1:
            label += f" {['', 'I', 'II', 'III'][n]}"
        rows.append({"kawasan_id": kid, "kawasan": label, "kode_kel": code, "sk_period": period, "geom_m": shape})
    frame = gpd.GeoDataFrame(rows, geometry="geom_m", crs=METRIC_CRS).to_crs("EPSG:4326")
    frame = frame.rename_geometry("geometry")
    frame["geometry"] = shapely.set_precision(frame.geometry.to_numpy(), COORD_GRID)
    return frame[["kawasan_id", "kawasan", "kode_kel", "sk_period", "geometry"]]


def sample_meta() -> DatasetMeta:
    return DatasetMeta(
        name="kota_pasuruan_sample",
        city="Kota Pasuruan",
        city_code="35.75",
        sk_periods=[
            SkPeriod(id="1", label="SK Kumuh periode 1 (baseline 2015)", baseline_year=P1_BASELINE_YEAR),
            SkPeriod(id="2", label="SK Kumuh periode 2 (delineasi baru)", baseline_year=P2_BASELINE_YEAR),
        ],
        target_year=2030,
        target_ha=0.0,
        source=("Data ilustratif / illustrative data: generated by utils/sample.py to reproduce the public "
                "Kota Pasuruan slum figures (80.87 ha baseline 2015, 27.99 ha left end 2019; 117.51 ha in 2024, "
                "115.09 ha in 2025). RT records are synthetic; boundaries drawn by the project, not official."),
        source_date="2025-08",
        illustrative=True,
        notes=("year = condition at the end of that year: the period-1 '2015 baseline' is stored as 2014, "
               "2015..2019 are conditions after each year's handling; period 2 has 2024 (baseline) and 2025."),
    )


def build_sample(facts_csv: Path = DEFAULT_FACTS) -> Dataset:
    """Build the whole sample dataset from the public kelurahan facts (deterministic)."""
    facts = read_facts(Path(facts_csv))
    rng = np.random.default_rng(SEED)
    geometry = build_kelurahan_geometry(facts)
    kel = gpd.GeoDataFrame({
        "kode_kel": facts["kode"].astype(str), "kelurahan": facts["kelurahan"].astype(str),
        "kode_kec": facts["kode_kec"].astype(str), "kecamatan": facts["kecamatan"].astype(str),
    }, geometry=geometry.to_numpy(), crs="EPSG:4326")

    codes = dict(zip(facts["kelurahan"], facts["kode"]))
    rts = _period1_rts(codes, rng) + _period2_rts(facts, rng)
    for rt in rts:
        rt.den = _denominators(rt.area_ha, rt.kelurahan in COASTAL, rng)
        base = P1_BASELINE_YEAR if rt.sk_period == "1" else P2_BASELINE_YEAR
        _baseline(rt, base, rng)
        for year in (P1_YEARS if rt.sk_period == "1" else P2_YEARS):
            _advance(rt, year, rng)
    assessments, investments = _assessment_frames(rts)
    kawasan = _kawasan_layer(kel, rts, rng)
    return Dataset(meta=sample_meta(), kelurahan=kel, kecamatan=dissolve_kecamatan(kel),
                   assessments=assessments, kawasan=kawasan, investments=investments)


def write_sample(dataset: Dataset, out: Path) -> None:
    """Write atomically: a temp file beside `out`, then os.replace, so a failed run leaves the old file."""
    from utils.store import write_gpkg

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".gpkg", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # GDAL creates the file itself
        write_gpkg(dataset, tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the illustrative Kota Pasuruan sample GeoPackage.")
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="kelurahan facts CSV")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoPackage")
    args = parser.parse_args(argv)
    dataset = build_sample(args.facts)
    write_sample(dataset, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
