"""The sample's kelurahan and kecamatan: the real Kota Pasuruan boundaries, made into a clean coverage.

Source: cahyadsn/wilayah_boundaries (MIT License, Copyright (c) 2024 Cahya DSN), simplified Kemendagri
boundaries, subset to Kota Pasuruan (see data/CREDITS.md). The source simplified each kelurahan
on its own, so neighbours overlap by slivers and leave small gaps (0.07 % of the city each). A point on a
border would fall in two kelurahan or none, so every sliver goes to exactly one kelurahan here.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = PROJECT_ROOT.parent / "shared" / "data"  # where the boundary files were first laid down
PROJECT_DIR = PROJECT_ROOT / "data" / "boundaries"  # the copies the generator works from once copied
KELURAHAN_FILE = "pasuruan_kelurahan.geojson"
KECAMATAN_FILE = "pasuruan_kecamatan.geojson"
CREDIT = "Kelurahan boundaries: cahyadsn/wilayah_boundaries, MIT License, Copyright (c) 2024 Cahya DSN"
METRIC_CRS = "EPSG:32749"  # UTM 49S, where Kota Pasuruan lies; all areas are measured here
GRID = 1e-7  # degrees: the source's own rounding (~1 cm), so every source vertex is kept as it is


def default_source() -> Path:
    """The shared folder when it is there (and refreshes the project copies), else the project copies."""
    return SHARED_DIR if (SHARED_DIR / KELURAHAN_FILE).exists() else PROJECT_DIR


def copy_sources(source: Path, dest: Path = PROJECT_DIR) -> None:
    """Copy the two boundary files into the project, so a checkout regenerates the sample on its own."""
    source, dest = Path(source).resolve(), Path(dest).resolve()
    if source == dest:
        return
    dest.mkdir(parents=True, exist_ok=True)
    for name in (KELURAHAN_FILE, KECAMATAN_FILE):
        target = dest / name
        if not target.exists() or target.read_bytes() != (source / name).read_bytes():
            shutil.copyfile(source / name, target)


def read_sources(source: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The 34 kelurahan (sorted by code) and the 4 kecamatan as published in the source files."""
    kel = gpd.read_file(Path(source) / KELURAHAN_FILE).sort_values("kode").reset_index(drop=True)
    kec = gpd.read_file(Path(source) / KECAMATAN_FILE).sort_values("kode_kec").reset_index(drop=True)
    return kel.to_crs("EPSG:4326"), kec.to_crs("EPSG:4326")


def facts(kel: gpd.GeoDataFrame) -> pd.DataFrame:
    """Codes, names and the area in ha (EPSG:32749, one decimal) of each source kelurahan."""
    area = kel.to_crs(METRIC_CRS).area.to_numpy() / 1e4
    return pd.DataFrame({"kode": kel["kode"].astype(str), "kelurahan": kel["kelurahan"].astype(str),
                         "kode_kec": kel["kode_kec"].astype(str), "kecamatan": kel["kecamatan"].astype(str),
                         "area_ha": np.round(area, 1)})


def clean_coverage(geoms: np.ndarray, grid: float = GRID) -> np.ndarray:
    """Polygons that tile without overlaps or inner gaps, each as close to its source polygon as the slivers allow.

    All edges are noded together and cut into faces. A face inside one polygon stays with it. A face
    inside two (an overlap) or inside none (a gap between neighbours) goes to the polygon that shares
    the longest stretch of its outline, so each sliver joins the side it mostly borders.
    """
    edges = shapely.union_all(shapely.boundary(geoms), grid_size=grid)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(edges)))
    tree = shapely.STRtree(geoms)
    owner = np.full(len(faces), -1)
    for k, face in enumerate(faces):
        inside = tree.query(shapely.point_on_surface(face), predicate="within")
        if len(inside) == 1:
            owner[k] = inside[0]
            continue
        cand = np.sort(inside if len(inside) else tree.query(face, predicate="intersects"))
        if not len(cand):
            continue
        shared = shapely.length(shapely.intersection(shapely.boundary(geoms[cand]), face.boundary))
        owner[k] = cand[int(np.argmax(shared))]  # ties go to the lower code
    return np.array([shapely.union_all(faces[owner == i], grid_size=grid) for i in range(len(geoms))], dtype=object)


def sample_boundaries(source: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Kelurahan and kecamatan layers of the sample, in the Dataset's columns (EPSG:4326).

    The kecamatan are the dissolve of the cleaned kelurahan, so their borders follow kelurahan edges
    exactly; names and codes come from the kecamatan file, and tests check the outlines against it.
    """
    kel_src, kec_src = read_sources(source)
    geoms = clean_coverage(kel_src.geometry.to_numpy())
    kel = gpd.GeoDataFrame({
        "kode_kel": kel_src["kode"].astype(str), "kelurahan": kel_src["kelurahan"].astype(str),
        "kode_kec": kel_src["kode_kec"].astype(str), "kecamatan": kel_src["kecamatan"].astype(str),
    }, geometry=geoms, crs="EPSG:4326")
    names = dict(zip(kec_src["kode_kec"].astype(str), kec_src["kecamatan"].astype(str)))
    parts = kel.dissolve(by="kode_kec", as_index=False).sort_values("kode_kec")
    geom = [shapely.union_all(shapely.get_parts(g), grid_size=GRID) for g in parts.geometry]
    kec = gpd.GeoDataFrame({"kode_kec": parts["kode_kec"].astype(str).to_numpy(),
                            "kecamatan": [names[c] for c in parts["kode_kec"]]}, geometry=geom, crs="EPSG:4326")
    return kel, kec.reset_index(drop=True)
