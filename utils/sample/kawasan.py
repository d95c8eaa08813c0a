"""Kawasan delineations of the sample: one or two blobs inside each real kelurahan, sized to their RTs."""
from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from utils.sample.boundaries import METRIC_CRS
from utils.sample.figures import COASTAL

if TYPE_CHECKING:
    from utils.sample.assessments import Rt

COORD_GRID = 1e-6  # degrees (~0.1 m): kawasan coordinates are snapped to this grid


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



def kawasan_layer(kel: gpd.GeoDataFrame, rts: list[Rt], rng: np.random.Generator) -> gpd.GeoDataFrame:
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

