"""Map payloads built once per dataset version (geometry) and per year (categories), then cached.

Why the split: the geometry is the heavy part and does not change with the year, so it is simplified,
rounded and packed once per dataset version; a year switch only sends a small table of
kode_kel -> category, score, slum ha (and that year's investment markers).

Display geometry: where the kelurahan tile cleanly (a valid coverage) `shapely.coverage_simplify`
simplifies shared edges once, so neighbours stay edge-matched; otherwise (overlaps, slivers, as in
the real Kota Pasuruan boundaries) each polygon is simplified on its own with topology preserved.
Coordinates are rounded to a grid of about a third of the tolerance and delta-encoded as integers
in flat arrays (see `encode_layer`). All layers of a dataset version go into one JSON document
(`BaseLayers.geo_json`, named by its content hash) that the app serves as a static file: the
browser fetches it once and caches it, and JSON.parse of flat integer arrays is far cheaper than
parsing the same data as a JavaScript literal in the map script. Only the properties the map uses
are kept.

Everything here is pure Python. The cache is keyed by cheap keys (dataset name, version, year,
language) and checks that the entry was built from the same Dataset object, so a reloaded file
never serves stale shapes. A Streamlit wrapper, if wanted, belongs in a page or utils/ui/.
"""
from __future__ import annotations

import hashlib
import json
import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd
import shapely

from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number
from utils.method.criteria import CLASS_CODES, NO_DATA_CODE
from utils.store.dataset import Dataset

M_PER_DEG = 111_320.0  # near the equator 1 deg of lon ~ 1 deg of lat, good enough for Indonesia
MAX_LABELLED_KELURAHAN = 400  # above this, kelurahan name labels would clutter and cost time

T = TypeVar("T")


# ---- cache ----------------------------------------------------------------------------------

_CACHE: OrderedDict[tuple, tuple[weakref.ref, object]] = OrderedDict()
_LOCK = threading.Lock()
CACHE_SIZE = 48


def cached(kind: str, key: tuple[Hashable, ...], ds: Dataset, build: Callable[[], T]) -> T:
    """Memoise `build()` under (kind, *key), valid only for the same Dataset object."""
    full = (kind, *key)
    with _LOCK:
        hit = _CACHE.get(full)
        if hit is not None and hit[0]() is ds:
            _CACHE.move_to_end(full)
            return hit[1]  # type: ignore[return-value]
    value = build()
    with _LOCK:
        _CACHE[full] = (weakref.ref(ds), value)
        _CACHE.move_to_end(full)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


# ---- geometry -------------------------------------------------------------------------------

def display_tolerance_m(bounds: tuple[float, float, float, float]) -> float:
    """About 1/4000 of the layer's diagonal: ~3 m for a city, ~110 m for a province.

    The whole layer fits ~1300 px when it opens, so this is about a third of a pixel there and
    still under two pixels two zoom levels further in."""
    minx, miny, maxx, maxy = bounds
    diag_m = math.hypot(maxx - minx, maxy - miny) * M_PER_DEG
    return float(min(max(diag_m / 4000.0, 1.0), 250.0))


def grid_decimals(tolerance_m: float) -> int:
    """Decimal places of the rounding grid: a third of the tolerance or finer, 4..5 decimals."""
    step_deg = tolerance_m / 3.0 / M_PER_DEG
    return int(min(max(math.ceil(-math.log10(step_deg)), 4), 5))


def simplify_display(geoms: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, bool]:
    """Simplified copies of `geoms` and whether they were treated as a clean coverage."""
    tol = tolerance_m / M_PER_DEG
    geoms = np.asarray(geoms, dtype=object)
    try:
        clean = bool(shapely.coverage_is_valid(geoms))
    except Exception:  # noqa: BLE001 - GEOS rejects some broken inputs; fall back to per polygon
        clean = False
    if clean:
        out = shapely.coverage_simplify(geoms, tol, simplify_boundary=True)
    else:
        out = shapely.simplify(geoms, tol, preserve_topology=True)
    out = np.where(shapely.is_empty(out) | pd.isna(out), geoms, out)
    return out, clean


def _rings(geom) -> list[list[np.ndarray]]:
    """Polygons of `geom` as lists of coordinate arrays (exterior first)."""
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        polys = [geom]
    elif geom.geom_type == "MultiPolygon":
        polys = list(geom.geoms)
    elif geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type == "Polygon"]
        polys += [p for g in geom.geoms if g.geom_type == "MultiPolygon" for p in g.geoms]
    else:
        return []
    return [[np.asarray(p.exterior.coords)[:, :2], *[np.asarray(r.coords)[:, :2] for r in p.interiors]]
            for p in polys]


def _pack_ring(coords: np.ndarray, scale: int) -> np.ndarray | None:
    """The ring on the integer grid, consecutive duplicates dropped; None when it degenerates."""
    q = np.round(coords * scale).astype(np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)  # rounding may merge neighbours
    q = q[keep]
    return q if len(q) >= 4 else None


def _grid_polygons(geom, scale: int) -> list[list[np.ndarray]]:
    out = []
    for poly in _rings(geom):
        exterior = _pack_ring(poly[0], scale)
        if exterior is None:  # the polygon collapsed on the grid: its holes go with it
            continue
        out.append([exterior, *[r for r in (_pack_ring(c, scale) for c in poly[1:]) if r is not None]])
    return out


def encode_layer(props: list[str], rows: list[list], geoms, scale: int) -> dict:
    """One layer as flat arrays (a compact, fast-to-parse cousin of GeoJSON).

    p: property names; r: one row of values per feature (aligned with `geoms`, a feature whose
    geometry vanished on the grid keeps its row and gets 0 polygons);
    g.n: polygons per feature; g.q: rings per polygon (exterior first); g.l: points per ring;
    g.c: x, y integer deltas over all rings in order (the first point of each ring is a delta from
    the last point of the previous one), coordinates = cumulative sum / scale.
    """
    n: list[int] = []
    q: list[int] = []
    lens: list[int] = []
    parts: list[np.ndarray] = []
    # exteriors counter-clockwise, holes clockwise: the canvas can fill many polygons as one path
    # with the "nonzero" rule and still keep the holes
    geoms = shapely.orient_polygons(np.asarray(list(geoms), dtype=object), exterior_cw=False)
    for geom in geoms:
        polys = _grid_polygons(geom, scale)
        n.append(len(polys))
        for rings in polys:
            q.append(len(rings))
            for ring in rings:
                lens.append(len(ring))
                parts.append(ring)
    if parts:
        allq = np.concatenate(parts)
        d = allq.copy()
        d[1:] -= allq[:-1]
        c = d.ravel().tolist()
    else:
        c = []
    return {"p": props, "r": rows, "g": {"n": n, "q": q, "l": lens, "c": c}}


def decode_layer(layer: dict, scale: int) -> list[dict | None]:
    """The inverse of `encode_layer` (what the browser does in JS): one GeoJSON MultiPolygon per
    feature, None where a feature has no polygon left."""
    g = layer["g"]
    xy = np.cumsum(np.asarray(g["c"], dtype=np.int64).reshape(-1, 2), axis=0) / scale if g["c"] else np.zeros((0, 2))
    out: list[dict | None] = []
    k = pi = ri = 0
    for npoly in g["n"]:
        polys = []
        for _ in range(npoly):
            rings = []
            for _ in range(g["q"][pi]):
                ln = g["l"][ri]
                rings.append(xy[k:k + ln].tolist())
                k += ln
                ri += 1
            pi += 1
            polys.append(rings)
        out.append({"type": "MultiPolygon", "coordinates": polys} if polys else None)
    return out


def rounded_geojson_geometry(geom, decimals: int) -> dict | None:
    scale = 10**decimals
    polys = _grid_polygons(geom, scale)
    if not polys:
        return None
    return {"type": "MultiPolygon",
            "coordinates": [[[[round(x / scale, decimals), round(y / scale, decimals)] for x, y in ring.tolist()]
                             for ring in poly] for poly in polys]}


def _json(obj: object) -> str:
    """Compact JSON that is safe inside a <script> element (no '<', '>' or '&' characters)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---- base layers (per dataset version) -------------------------------------------------------

@dataclass(frozen=True)
class BaseLayers:
    """Everything that does not change with the year, packed for the browser."""

    n_features: int
    kodes: tuple[str, ...]  # kode_kel in layer order
    # One JSON document with every layer (see `encode_layer`), served as a static file:
    # {"v": 1, "s": scale, "kel": {p: [kode_kel, kelurahan, kecamatan], ...}, "kec": {p: [kode_kec,
    #  kecamatan]}, "outline": {...}, "kawasan": {p: [kawasan_id, kawasan, kode_kel, sk_period]} | null,
    #  "kecLabels": [[lat, lon, name], ...], "kelLabels": [...]}
    geo_json: str
    geo_hash: str  # content hash of geo_json: its file name, so a browser cache is never stale
    has_kawasan: bool
    kec_labels: list[tuple[float, float, str]]  # (lat, lon, name)
    kel_labels: list[tuple[float, float, str]]  # empty when too many to label
    points: dict[str, tuple[float, float]]  # kode_kel -> representative point (lat, lon)
    extents: dict[str, tuple[tuple[float, float], tuple[float, float]]]  # kode_kel -> ((s, w), (n, e))
    names: dict[str, tuple[str, str]]  # kode_kel -> (kelurahan, kecamatan)
    bounds: tuple[tuple[float, float], tuple[float, float]]
    clean_coverage: bool
    tolerance_m: float
    decimals: int
    vertices_in: int
    vertices_out: int
    display_geoms: np.ndarray = field(repr=False, compare=False)  # simplified kelurahan, for tests

    @property
    def payload_bytes(self) -> int:
        return len(self.geo_json.encode("utf-8"))

    @property
    def geo(self) -> dict:
        """The decoded geometry document (tests, tools)."""
        return json.loads(self.geo_json)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def build_base_layers(ds: Dataset) -> BaseLayers:
    """Simplify, round and pack the boundaries of `ds` (pure; use `base_layers` for the cached one)."""
    kel = ds.kelurahan.reset_index(drop=True)
    if kel.crs is not None and kel.crs.to_epsg() != 4326:
        kel = kel.to_crs(4326)
    geoms = np.asarray(shapely.make_valid(kel.geometry.values), dtype=object)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    tol = display_tolerance_m((minx, miny, maxx, maxy))
    decimals = grid_decimals(tol)
    scale = 10**decimals
    simple, clean = simplify_display(geoms, tol)

    kodes = kel["kode_kel"].astype(str).tolist()
    names = kel["kelurahan"].map(_text).tolist()
    kecs = kel["kecamatan"].map(_text).tolist() if "kecamatan" in kel else [""] * len(kel)
    kel_layer = encode_layer(["kode_kel", "kelurahan", "kecamatan"],
                             [[k, n, c] for k, n, c in zip(kodes, names, kecs)], simple, scale)

    # kecamatan: from the simplified coverage where clean (edges match the kelurahan exactly)
    kec_codes = kel["kode_kec"].astype(str).tolist() if "kode_kec" in kel else [""] * len(kel)
    if clean:
        groups: dict[tuple[str, str], list] = {}
        for code, name, g in zip(kec_codes, kecs, simple):
            groups.setdefault((code, name), []).append(g)
        kec_keys = sorted(groups)
        kec_geoms = [shapely.coverage_union_all(np.asarray(groups[k], dtype=object)) for k in kec_keys]
        outline = shapely.coverage_union_all(np.asarray(simple, dtype=object))
    else:
        kec_src = ds.kecamatan if ds.kecamatan is not None and not ds.kecamatan.empty else None
        if kec_src is None:
            from utils.store.dataset import dissolve_kecamatan

            kec_src = dissolve_kecamatan(kel)
        if kec_src.crs is not None and kec_src.crs.to_epsg() != 4326:
            kec_src = kec_src.to_crs(4326)
        kec_src = kec_src.sort_values(["kode_kec", "kecamatan"]).reset_index(drop=True)
        kec_keys = list(zip(kec_src["kode_kec"].astype(str), kec_src["kecamatan"].map(_text)))
        kec_geoms = list(shapely.simplify(shapely.make_valid(kec_src.geometry.values), tol / M_PER_DEG,
                                          preserve_topology=True))
        # close the slivers between kelurahan so the city outline is one clean line
        snap = 5.0 / M_PER_DEG
        outline = shapely.simplify(shapely.union_all(shapely.buffer(np.asarray(kec_geoms, dtype=object), snap))
                                   .buffer(-snap), tol / M_PER_DEG)
    kec_layer = encode_layer(["kode_kec", "kecamatan"], [list(k) for k in kec_keys], kec_geoms, scale)
    outline_layer = encode_layer([], [[]], [outline], scale)
    kec_pts = shapely.point_on_surface(np.asarray(kec_geoms, dtype=object))
    kec_labels = [(round(p.y, 5), round(p.x, 5), name) for p, (_, name) in zip(kec_pts, kec_keys) if name]

    pts = shapely.point_on_surface(geoms)
    points = {k: (round(p.y, 6), round(p.x, 6)) for k, p in zip(kodes, pts)}
    b = shapely.bounds(geoms)
    extents = {k: ((float(r[1]), float(r[0])), (float(r[3]), float(r[2]))) for k, r in zip(kodes, b)}
    kel_labels = ([(points[k][0], points[k][1], n) for k, n in zip(kodes, names)]
                  if len(kodes) <= MAX_LABELLED_KELURAHAN else [])

    kawasan_layer = None
    if ds.kawasan is not None and not ds.kawasan.empty:
        kaw = ds.kawasan.reset_index(drop=True)
        if kaw.crs is not None and kaw.crs.to_epsg() != 4326:
            kaw = kaw.to_crs(4326)
        kg = shapely.simplify(shapely.make_valid(kaw.geometry.values), tol / M_PER_DEG, preserve_topology=True)
        cols = ["kawasan_id", "kawasan", "kode_kel", "sk_period"]
        rows = [[_text(kaw[c].iloc[i]) if c in kaw else "" for c in cols] for i in range(len(kaw))]
        kawasan_layer = encode_layer(cols, rows, kg, scale)

    geo_json = _json({"v": 1, "s": scale, "kel": kel_layer, "kec": kec_layer, "outline": outline_layer,
                      "kawasan": kawasan_layer, "kecLabels": [list(p) for p in kec_labels],
                      "kelLabels": [list(p) for p in kel_labels]})
    return BaseLayers(
        n_features=len(kel), kodes=tuple(kodes),
        geo_json=geo_json, geo_hash=hashlib.sha256(geo_json.encode("utf-8")).hexdigest()[:20],
        has_kawasan=kawasan_layer is not None,
        kec_labels=kec_labels, kel_labels=kel_labels, points=points, extents=extents,
        names={k: (n, c) for k, n, c in zip(kodes, names, kecs)},
        bounds=((float(miny), float(minx)), (float(maxy), float(maxx))),
        clean_coverage=clean, tolerance_m=tol, decimals=decimals,
        vertices_in=int(shapely.get_num_coordinates(geoms).sum()),
        vertices_out=int(shapely.get_num_coordinates(simple).sum()),
        display_geoms=simple,
    )


def base_layers(ds: Dataset, key: tuple[Hashable, ...]) -> BaseLayers:
    """Cached `build_base_layers`; `key` = (dataset name, version)."""
    return cached("base", key, ds, lambda: build_base_layers(ds))


# ---- year layer (per dataset version, year and language) -------------------------------------

@dataclass(frozen=True)
class YearLayer:
    year: int
    json: str  # {"y": year, "d": {kode_kel: [category, score, slum ha text]}}
    categories: dict[str, str]  # every kelurahan of the boundaries, ND where no data
    invest_json: str | None  # markers: {"f": [[lat, lon, kode_kel, n, budget text], ...]}
    n_investments: int
    sk_period: str | None


def build_year_layer(ds: Dataset, year: int, lang: str, base: BaseLayers | None = None) -> YearLayer:
    kel = trends.kelurahan_year(ds, year)
    cats = dict(zip(kel["kode_kel"].astype(str), kel["category"].astype(str)))
    data = {}
    for row in kel.itertuples(index=False):
        if row.category == NO_DATA_CODE:
            continue
        score = None if pd.isna(row.total_score) else int(round(float(row.total_score)))
        data[str(row.kode_kel)] = [str(row.category), score, fmt_ha(float(row.slum_ha), lang)]
    period = ds.period_of_year(year)
    invest_json, n_inv = None, 0
    inv = ds.investments
    if inv is not None and not inv.empty and "year" in inv:
        rows = inv[pd.to_numeric(inv["year"], errors="coerce") == year]
        if not rows.empty:
            base = base or build_base_layers(ds)
            budget = pd.to_numeric(rows.get("budget_idr"), errors="coerce") if "budget_idr" in rows else None
            g = rows.assign(_b=budget if budget is not None else 0.0).groupby(rows["kode_kel"].astype(str))
            feats = []
            for kode, grp in g:
                if kode not in base.points:
                    continue  # an investment in a kelurahan without a boundary cannot be placed
                lat, lon = base.points[kode]
                total = float(grp["_b"].sum(skipna=True))
                feats.append([lat, lon, kode, int(len(grp)), "Rp " + fmt_number(total, lang, 0)])
            n_inv = int(sum(f[3] for f in feats))
            invest_json = _json({"f": feats}) if feats else None
    return YearLayer(year=year, json=_json({"y": year, "d": data}), categories=cats,
                     invest_json=invest_json, n_investments=n_inv,
                     sk_period=period.id if period is not None else None)


def year_layer(ds: Dataset, year: int, lang: str, key: tuple[Hashable, ...]) -> YearLayer:
    """Cached `build_year_layer`; `key` = (dataset name, version)."""
    base = base_layers(ds, key)
    return cached("year", (*key, year, lang), ds, lambda: build_year_layer(ds, year, lang, base))


# ---- plain GeoJSON (for export and tests) ----------------------------------------------------

def kelurahan_geojson(ds: Dataset, key: tuple[Hashable, ...], year: int | None = None) -> dict:
    """The display layer as RFC 7946 GeoJSON: simplified, rounded, only the map's properties."""
    def build() -> dict:
        base = base_layers(ds, key)
        kel = trends.kelurahan_year(ds, year) if year is not None else None
        info = {} if kel is None else {
            str(r.kode_kel): (str(r.category), None if pd.isna(r.total_score) else int(r.total_score),
                              round(float(r.slum_ha), 2))
            for r in kel.itertuples(index=False)
        }
        feats = []
        for kode, geom in zip(base.kodes, base.display_geoms):
            gj = rounded_geojson_geometry(geom, base.decimals)
            if gj is None:
                continue
            name, kec = base.names[kode]
            props = {"kode_kel": kode, "kelurahan": name, "kecamatan": kec}
            if year is not None:
                cat, score, ha = info.get(kode, (NO_DATA_CODE, None, 0.0))
                props.update(category=cat, score=score, slum_ha=ha)
            feats.append({"type": "Feature", "properties": props, "geometry": gj})
        return {"type": "FeatureCollection", "features": feats}

    return cached("geojson", (*key, year), ds, build)


def category_order() -> list[str]:
    return [*CLASS_CODES, NO_DATA_CODE]
