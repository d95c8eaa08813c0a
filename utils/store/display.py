"""Display layers of a dataset version: simplified kelurahan and the outlines above them.

Why here and not in the map code: simplifying 8,500 province kelurahan and drawing the kecamatan,
kab/kota and region outlines costs seconds. Done at save time, the result travels with the version
(GeoPackage layers `display_<name>`, PostGIS tables), so the first map view after an import or a
server restart only packs ready geometry. `ensure()` is called by `store.save()`.

The work is kept cheap:
- one validity check (`coverage_is_valid`) per build;
- a clean coverage is simplified edge by edge (`coverage_simplify`, neighbours stay matched) and its
  outlines are coverage unions of the simplified kelurahan (no overlay work at all);
- a layer with overlaps and gaps (as real ones have) is simplified polygon by polygon and unioned
  level by level (kelurahan -> kecamatan -> kab/kota -> region) on the simplified shapes; holes
  smaller than a few display pixels (the gaps between neighbours) are dropped. No buffers.

Layers (all EPSG:4326):
- kel: kode_kel, kelurahan, kode_kec, kecamatan, kode_kab, kab_kota, lat, lon (a point inside);
- kec: kode_kec, kecamatan, kode_kab; kab: kode_kab, kab_kota;
- outline: one row with the build facts (fp, dv, tolerance_m, clean, vertices_in);
- kawasan (when the dataset has kawasan): kawasan_id, kawasan, kode_kel, sk_period.
"""
from __future__ import annotations

import hashlib
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from utils.store import regions
from utils.store.dataset import Dataset

M_PER_DEG = 111_320.0  # near the equator 1 deg of lon ~ 1 deg of lat, good enough for Indonesia
DISPLAY_VERSION = 1  # bump when the layers change shape: older stored layers are then rebuilt
BUILD_COUNT = 0  # builds in this process; tests assert that a reloaded version is not rebuilt
KEL, KEC, KAB, OUTLINE, KAWASAN = "kel", "kec", "kab", "outline", "kawasan"
HOLE_PIXELS = 4.0  # holes under (HOLE_PIXELS x tolerance)^2 in an outline are gaps, not enclaves
GAP_WIDTH_M = 20.0  # and so are thin holes (slivers) narrower than this or twice the tolerance


def display_tolerance_m(bounds: tuple[float, float, float, float]) -> float:
    """About 1/4000 of the layer's diagonal: ~3 m for a city, ~110 m for a province.

    The whole layer fits ~1300 px when it opens, so this is about a third of a pixel there and
    still under two pixels two zoom levels further in."""
    minx, miny, maxx, maxy = bounds
    diag_m = math.hypot(maxx - minx, maxy - miny) * M_PER_DEG
    return float(min(max(diag_m / 4000.0, 1.0), 250.0))


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def _text(values: pd.Series) -> list[str]:
    """Values as text, '' for missing (fast path: one conversion, no per-item pandas access)."""
    return values.astype(object).where(values.notna(), "").astype(str).tolist()


def fingerprint(ds: Dataset) -> str:
    """A hash of what the display layers are made of (codes, names, coordinates).

    Coordinates, not WKB: a Polygon read back from a GeoPackage as a one-part MultiPolygon has the
    same coordinates, so a stored version keeps matching its layers."""
    h = hashlib.sha1(str(DISPLAY_VERSION).encode())
    frames = [(ds.kelurahan, ["kode_kel", "kelurahan", "kode_kec", "kecamatan", "kode_kab", "kab_kota"])]
    if ds.kawasan is not None and not ds.kawasan.empty:
        frames.append((ds.kawasan, ["kawasan_id", "kawasan", "kode_kel", "sk_period"]))
    for frame, cols in frames:
        for col in cols:
            if col in frame:
                h.update("\x1f".join(_text(frame[col])).encode("utf-8", "surrogatepass"))
        geoms = frame.geometry.values
        h.update(str(frame.crs.to_epsg() if frame.crs is not None else None).encode())
        h.update(np.asarray(shapely.get_num_coordinates(geoms), dtype=np.int64).tobytes())
        h.update(np.ascontiguousarray(shapely.get_coordinates(geoms)).tobytes())
    return h.hexdigest()


def facts(layers: dict[str, gpd.GeoDataFrame]) -> dict:
    """The build facts stored on the outline layer (empty when there is none)."""
    out = layers.get(OUTLINE)
    if out is None or out.empty or "fp" not in out:
        return {}
    row = out.iloc[0]
    return {"fp": str(row["fp"]), "dv": int(row["dv"]), "tolerance_m": float(row["tolerance_m"]),
            "clean": bool(row["clean"]), "vertices_in": int(row["vertices_in"])}


def is_current(ds: Dataset) -> bool:
    """Whether `ds.display` was built from exactly these boundaries by this code version."""
    info = facts(ds.display or {})
    if not info or info["dv"] != DISPLAY_VERSION or not all(k in ds.display for k in (KEL, KEC, KAB)):
        return False
    return len(ds.display[KEL]) == len(ds.kelurahan) and info["fp"] == fingerprint(ds)


def ensure(ds: Dataset) -> bool:
    """Build `ds.display` when it is missing or stale; True when it was built."""
    if ds.kelurahan is None or ds.kelurahan.empty or is_current(ds):
        return False
    ds.display = build(ds)
    return True


def _drop_small_holes(geom, min_area: float, max_width: float):
    """`geom` without the interior rings that are gaps between unioned neighbours: small (under
    `min_area`) or thin slivers (mean width 2 x area / perimeter under `max_width`)."""
    if geom is None or geom.is_empty:
        return geom
    polys = []
    for p in shapely.get_parts(geom):
        if p.geom_type != "Polygon":
            continue
        rings = [shapely.Polygon(r) for r in p.interiors]
        area = shapely.area(rings) if rings else np.zeros(0)
        width = 2 * area / np.maximum(shapely.length(rings), 1e-300) if rings else np.zeros(0)
        holes = [r.exterior for r, a, w in zip(rings, area, width) if a >= min_area and w >= max_width]
        polys.append(shapely.Polygon(p.exterior, holes))
    return shapely.multipolygons(polys) if len(polys) != 1 else polys[0]


def _union_groups(keys: np.ndarray, geoms: np.ndarray, clean: bool, gap: tuple[float, float]) -> tuple[list, list]:
    """One geometry per distinct key (sorted): a coverage union when clean, else a union."""
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    out = []
    for part in np.split(geoms[order], starts[1:]):
        if len(part) == 1:
            out.append(part[0] if clean else _drop_small_holes(part[0], *gap))
        elif clean:
            out.append(shapely.coverage_union_all(part))
        else:
            out.append(_drop_small_holes(shapely.union_all(part), *gap))
    return list(uniq), out


def _overlaps_seen(geoms: np.ndarray, sample: int = 150) -> bool:
    """Whether some of `sample` polygons overlap a neighbour: a real layer usually does, and this
    costs a fraction of the full coverage check, which then runs only for layers that may be clean."""
    if len(geoms) <= sample:
        return False
    picked = np.random.default_rng(0).choice(len(geoms), sample, replace=False)
    _, hits = shapely.STRtree(geoms).query(geoms[picked], predicate="overlaps")
    return len(hits) > 0


def simplify_display(geoms: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, bool]:
    """Simplified copies of `geoms` and whether they were treated as a clean coverage."""
    tol = tolerance_m / M_PER_DEG
    geoms = np.asarray(geoms, dtype=object)
    try:
        clean = not _overlaps_seen(geoms) and bool(shapely.coverage_is_valid(geoms))
    except Exception:  # noqa: BLE001 - GEOS rejects some broken inputs; fall back to per polygon
        clean = False
    if clean:
        out = shapely.coverage_simplify(geoms, tol, simplify_boundary=True)
    else:
        out = shapely.simplify(geoms, tol, preserve_topology=True)
    out = np.where(shapely.is_empty(out) | pd.isna(out), geoms, out)
    return out, clean


def _kecamatan_outlines(ds: Dataset, kec_codes: np.ndarray, simple: np.ndarray, tol: float,
                        gap: tuple[float, float]) -> tuple[list, list]:
    """Kecamatan outlines of a layer that is not a clean coverage: the dataset's own kecamatan layer
    (the import dissolved or read it already), gap holes dropped, then simplified; a union of the
    simplified kelurahan only for codes that layer lacks."""
    keys = sorted(set(kec_codes.tolist()))
    have: dict[str, object] = {}
    src = ds.kecamatan
    if src is not None and not src.empty and "kode_kec" in src:
        src = _wgs84(src)
        codes = np.asarray(_text(src["kode_kec"]), dtype=object)
        geoms = np.asarray(src.geometry.values, dtype=object)
        bad = ~shapely.is_valid(geoms)
        if bad.any():
            geoms = geoms.copy()
            geoms[bad] = shapely.make_valid(geoms[bad])
        wanted = np.isin(codes, keys)
        for code, g in zip(*_union_groups(codes[wanted], geoms[wanted], False, gap)):
            have[code] = g
    if have:
        got = [k for k in keys if k in have]
        simplified = shapely.simplify(np.asarray([have[k] for k in got], dtype=object), tol / M_PER_DEG,
                                      preserve_topology=True)
        have = dict(zip(got, simplified))
    missing = np.isin(kec_codes, [k for k in keys if k not in have])
    if missing.any():
        have.update(zip(*_union_groups(kec_codes[missing], simple[missing], False, gap)))
    return keys, [have[k] for k in keys]


def build(ds: Dataset) -> dict[str, gpd.GeoDataFrame]:
    """All display layers of `ds` (pure: `ds` is not changed)."""
    global BUILD_COUNT
    BUILD_COUNT += 1
    kel = regions.with_kabkota(_wgs84(ds.kelurahan).reset_index(drop=True))
    geoms = np.asarray(kel.geometry.values, dtype=object)
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        geoms = geoms.copy()
        geoms[bad] = shapely.make_valid(geoms[bad])
    tol = display_tolerance_m(tuple(shapely.total_bounds(geoms)))
    simple, clean = simplify_display(geoms, tol)
    gap = ((HOLE_PIXELS * tol / M_PER_DEG) ** 2, max(2 * tol, GAP_WIDTH_M) / M_PER_DEG)

    kodes = np.asarray(_text(kel["kode_kel"]), dtype=object)
    kec_codes = np.asarray(_text(kel["kode_kec"]) if "kode_kec" in kel else [""] * len(kel), dtype=object)
    kec_names = _text(kel["kecamatan"]) if "kecamatan" in kel else [""] * len(kel)
    kab_codes = np.asarray(_text(kel["kode_kab"]), dtype=object)
    kab_names = _text(kel["kab_kota"])
    pts = shapely.point_on_surface(geoms)
    kel_out = gpd.GeoDataFrame({
        "kode_kel": kodes, "kelurahan": _text(kel["kelurahan"]), "kode_kec": kec_codes, "kecamatan": kec_names,
        "kode_kab": kab_codes, "kab_kota": kab_names,
        "lat": np.round(shapely.get_y(pts), 6), "lon": np.round(shapely.get_x(pts), 6),
    }, geometry=simple, crs=4326)

    # kecamatan: one per code; kab/kota: from the kecamatan (fewer, larger pieces)
    if clean:
        keys, kec_geoms = _union_groups(kec_codes, simple, True, gap)
    else:
        keys, kec_geoms = _kecamatan_outlines(ds, kec_codes, simple, tol, gap)
    first = pd.Series(range(len(kec_codes))).groupby(kec_codes).first()
    kec_out = gpd.GeoDataFrame({"kode_kec": keys, "kecamatan": [kec_names[first[k]] for k in keys],
                                "kode_kab": [kab_codes[first[k]] for k in keys]}, geometry=kec_geoms, crs=4326)
    kab_keys, kab_geoms = _union_groups(np.asarray(kec_out["kode_kab"], dtype=object),
                                        np.asarray(kec_geoms, dtype=object), clean, gap)
    kab_name = dict(zip(kab_codes, kab_names))
    kab_out = gpd.GeoDataFrame({"kode_kab": kab_keys, "kab_kota": [kab_name[k] for k in kab_keys]},
                               geometry=kab_geoms, crs=4326)
    outline = (shapely.coverage_union_all(np.asarray(kab_geoms, dtype=object)) if clean
               else _drop_small_holes(shapely.union_all(np.asarray(kab_geoms, dtype=object)), *gap))
    layers = {KEL: kel_out, KEC: kec_out, KAB: kab_out}
    if ds.kawasan is not None and not ds.kawasan.empty:
        kaw = _wgs84(ds.kawasan).reset_index(drop=True)
        kg = shapely.simplify(shapely.make_valid(kaw.geometry.values), tol / M_PER_DEG, preserve_topology=True)
        cols = ["kawasan_id", "kawasan", "kode_kel", "sk_period"]
        layers[KAWASAN] = gpd.GeoDataFrame({c: _text(kaw[c]) if c in kaw else [""] * len(kaw) for c in cols},
                                           geometry=kg, crs=4326)
    layers[OUTLINE] = gpd.GeoDataFrame({
        "fp": [fingerprint(ds)], "dv": [DISPLAY_VERSION], "tolerance_m": [tol], "clean": [int(clean)],
        "vertices_in": [int(shapely.get_num_coordinates(geoms).sum())],
    }, geometry=[outline], crs=4326)
    return layers
