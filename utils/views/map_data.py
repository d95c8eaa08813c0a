"""Map payloads built once per dataset version (geometry) and per year (categories), then cached.

Why the split: the geometry is the heavy part and does not change with the year, so it is simplified,
rounded and packed once per dataset version; a year switch only sends a small table of
kode_kel -> category, score, slum ha (and that year's investment markers).

Display geometry (simplified kelurahan, kecamatan / kab/kota / region outlines) is built by
`utils.store.display` when a version is saved and stored with it; here it is only packed. A version
saved before those layers existed gets them built on its first view (`display.BUILD_COUNT`).
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
from utils.store import display
from utils.store.dataset import Dataset
from utils.store.display import M_PER_DEG, display_tolerance_m, simplify_display  # noqa: F401

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

def grid_decimals(tolerance_m: float) -> int:
    """Decimal places of the rounding grid: a third of the tolerance or finer, 4..5 decimals."""
    step_deg = tolerance_m / 3.0 / M_PER_DEG
    return int(min(max(math.ceil(-math.log10(step_deg)), 4), 5))


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
    # exteriors counter-clockwise, holes clockwise: the canvas can fill many polygons as one path
    # with the "nonzero" rule and still keep the holes
    geoms = shapely.orient_polygons(np.asarray(list(geoms), dtype=object), exterior_cw=False)
    n_feat = len(geoms)
    # vectorised (one numpy pass, no Python loop per ring): features -> polygons -> rings -> points
    polys, feat = shapely.get_parts(geoms, return_index=True)
    for _ in range(2):  # a GeometryCollection may hold MultiPolygons
        nested = np.isin(shapely.get_type_id(polys), (6, 7))
        if not nested.any():
            break
        sub, j = shapely.get_parts(polys[nested], return_index=True)
        keep = ~nested
        polys = np.concatenate([polys[keep], sub])
        feat = np.concatenate([feat[keep], feat[nested][j]])
        order = np.argsort(feat, kind="stable")
        polys, feat = polys[order], feat[order]
    is_poly = (shapely.get_type_id(polys) == 3) & ~shapely.is_empty(polys)
    polys, feat = polys[is_poly], feat[is_poly]
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    xy, ring_of = shapely.get_coordinates(rings, return_index=True)
    qxy = np.round(xy * scale).astype(np.int64)
    keep = np.ones(len(qxy), dtype=bool)
    if len(qxy):  # rounding may merge consecutive points of a ring
        keep[1:] = (ring_of[1:] != ring_of[:-1]) | np.any(qxy[1:] != qxy[:-1], axis=1)
    qxy, ring_of = qxy[keep], ring_of[keep]
    ring_len = np.bincount(ring_of, minlength=len(rings))
    ring_ok = ring_len >= 4
    first = np.ones(len(rings), dtype=bool)  # the exterior: the first ring of each polygon
    first[1:] = ring_poly[1:] != ring_poly[:-1]
    poly_ok = np.zeros(len(polys), dtype=bool)  # a polygon whose exterior collapsed loses its holes
    poly_ok[ring_poly[first & ring_ok]] = True
    ring_keep = ring_ok & poly_ok[ring_poly]
    pts_keep = ring_keep[ring_of]
    allq = qxy[pts_keep]
    n = np.bincount(feat[poly_ok], minlength=n_feat).tolist()
    q = np.bincount(ring_poly[ring_keep], minlength=len(polys))[poly_ok].tolist()
    lens = ring_len[ring_keep].tolist()
    if len(allq):
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
    n_kab: int = 1  # kab/kota in the boundaries: more than one switches the map's level of detail

    @property
    def payload_bytes(self) -> int:
        return len(self.geo_json.encode("utf-8"))

    @property
    def geo(self) -> dict:
        """The decoded geometry document (tests, tools)."""
        return json.loads(self.geo_json)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def display_layers(ds: Dataset) -> dict:
    """The stored display layers of `ds` when current; built here only for a version saved before
    they existed (or edited in memory since), counted in `display.BUILD_COUNT`."""
    return ds.display if display.is_current(ds) else display.build(ds)


KEL_BORDER_PX = 48  # kelurahan borders once an average kelurahan is about this wide on screen
FIT_PX = 1000  # about the width the whole area gets when the map opens


def lod_config(n_kel: int, n_kab: int, n_kec: int) -> dict[str, float] | None:
    """The map's level of detail for a province (None for one kab/kota: everything at every zoom).

    Zoom levels past the zoom that fits the whole area: kecamatan outlines from about the zoom that
    fits one kab/kota (n kab/kota side by side: half log2 n levels in), kelurahan borders a level
    later or once an average kelurahan is `KEL_BORDER_PX` wide, whichever is further in. Kab/kota
    outlines and the fills show at every zoom (static/js/map-core.js `K.lodOn`)."""
    if n_kab <= 1:
        return None
    kec = max(0.5 * math.log2(n_kab) - 0.5, 0.0)
    kel = max(kec + 1.0, math.log2(KEL_BORDER_PX * math.sqrt(max(n_kel, 1)) / FIT_PX))
    return {"kec": round(kec, 2), "kel": round(kel, 2)}


def build_base_layers(ds: Dataset) -> BaseLayers:
    """Pack the display layers of `ds` for the browser (pure; use `base_layers` for the cached one)."""
    layers = display_layers(ds)
    info = display.facts(layers)
    kel = layers[display.KEL]
    simple = np.asarray(kel.geometry.values, dtype=object)
    tol = info["tolerance_m"]
    minx, miny, maxx, maxy = shapely.total_bounds(simple)
    decimals = grid_decimals(tol)
    scale = 10**decimals

    kodes = kel["kode_kel"].astype(str).tolist()
    names = kel["kelurahan"].astype(object).map(_text).tolist()
    kecs = kel["kecamatan"].astype(object).map(_text).tolist()
    kel_layer = encode_layer(["kode_kel", "kelurahan", "kecamatan"],
                             [[k, n, c] for k, n, c in zip(kodes, names, kecs)], simple, scale)
    kec = layers[display.KEC]
    kec_keys = list(zip(kec["kode_kec"].map(_text), kec["kecamatan"].map(_text)))
    kec_geoms = np.asarray(kec.geometry.values, dtype=object)
    kec_layer = encode_layer(["kode_kec", "kecamatan"], [list(k) for k in kec_keys], kec_geoms, scale)
    kab = layers[display.KAB]
    kab_keys = list(zip(kab["kode_kab"].map(_text), kab["kab_kota"].map(_text)))
    kab_geoms = np.asarray(kab.geometry.values, dtype=object)
    kab_layer = encode_layer(["kode_kab", "kab_kota"], [list(k) for k in kab_keys], kab_geoms, scale)
    outline_layer = encode_layer([], [[]], list(layers[display.OUTLINE].geometry.values[:1]), scale)
    kec_pts = shapely.point_on_surface(kec_geoms)
    kec_labels = [(round(p.y, 5), round(p.x, 5), name) for p, (_, name) in zip(kec_pts, kec_keys) if name]
    kab_pts = shapely.point_on_surface(kab_geoms)
    kab_labels = [(round(p.y, 5), round(p.x, 5), name) for p, (_, name) in zip(kab_pts, kab_keys) if name]

    points = dict(zip(kodes, zip(kel["lat"].astype(float).tolist(), kel["lon"].astype(float).tolist())))
    b = shapely.bounds(simple)
    extents = {k: ((r[1], r[0]), (r[3], r[2])) for k, r in zip(kodes, b.tolist())}
    kel_labels = ([(points[k][0], points[k][1], n) for k, n in zip(kodes, names)]
                  if len(kodes) <= MAX_LABELLED_KELURAHAN else [])

    kawasan_layer = None
    kaw = layers.get(display.KAWASAN)
    if kaw is not None and not kaw.empty:
        cols = ["kawasan_id", "kawasan", "kode_kel", "sk_period"]
        rows = [[_text(kaw[c].iloc[i]) if c in kaw else "" for c in cols] for i in range(len(kaw))]
        kawasan_layer = encode_layer(cols, rows, kaw.geometry.values, scale)

    lod = lod_config(len(kel), len(kab), len(kec))
    geo_json = _json({"v": 1, "s": scale, "kel": kel_layer, "kec": kec_layer, "kab": kab_layer, "lod": lod,
                      "outline": outline_layer, "kawasan": kawasan_layer,
                      "kecLabels": [list(p) for p in kec_labels], "kabLabels": [list(p) for p in kab_labels],
                      "kelLabels": [list(p) for p in kel_labels]})
    return BaseLayers(
        n_features=len(kel), kodes=tuple(kodes),
        geo_json=geo_json, geo_hash=hashlib.sha256(geo_json.encode("utf-8")).hexdigest()[:20],
        has_kawasan=kawasan_layer is not None,
        kec_labels=kec_labels, kel_labels=kel_labels, points=points, extents=extents,
        names={k: (n, c) for k, n, c in zip(kodes, names, kecs)},
        bounds=((float(miny), float(minx)), (float(maxy), float(maxx))),
        clean_coverage=info["clean"], tolerance_m=tol, decimals=decimals,
        vertices_in=info["vertices_in"],
        vertices_out=int(shapely.get_num_coordinates(simple).sum()),
        display_geoms=simple,
        n_kab=len(kab),
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
    priority_json: str | None = None  # the map switch's priority per kawasan/kelurahan (views/priority_map.py)


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
    from utils.views.priority_map import payload_json  # imports this module: not at the top

    return YearLayer(year=year, json=_json({"y": year, "d": data}), categories=cats,
                     invest_json=invest_json, n_investments=n_inv,
                     sk_period=period.id if period is not None else None, priority_json=payload_json(ds, year))


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
