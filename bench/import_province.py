"""Time importing a province-sized boundary file (~8,500 kelurahan polygons) and print the figures.

The file is generated (`province`): Voronoi kelurahan over East Java with kab/kota and province
names, by default with overlaps, gaps and slivers at the rate of the real Kota Pasuruan file,
written as a zipped shapefile in UTM 49S with a latin-1 DBF (the hardest common case: reprojection,
encoding, overlap/gap checks). Run: python bench/import_province.py [N] [--kind dirty|clean]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from utils.store import importer  # noqa: E402

ROUGH_FRACTION = 0.33  # share of polygons redrawn with a wobble (see `roughen`)


def roughen(geoms: np.ndarray, frac: float = ROUGH_FRACTION, wavelength_m: float = 1400.0, amp_m: float = 6.0,
            seed: int = 1) -> np.ndarray:
    """Overlaps, gaps and slivers as real boundary files have them: a share `frac` of the polygons is
    redrawn with its own smooth few-metre wobble (a digitising error), so along its edges it
    overlaps one neighbour and leaves a sliver gap to the next. Tuned to the rate of the real Kota
    Pasuruan file (34 kelurahan: 50 overlapping neighbour pairs, ~81 gaps): ~1.5 overlapping pairs
    and ~2.4 gaps per polygon."""
    rng = np.random.default_rng(seed)
    out = np.array(geoms, dtype=object).copy()
    k = 2 * np.pi / (wavelength_m / 111_320.0)
    a = amp_m / 111_320.0
    for i in np.flatnonzero(rng.uniform(size=len(out)) < frac):
        p = rng.uniform(0, 2 * np.pi, 4)

        def wobble(xy: np.ndarray, p=p) -> np.ndarray:
            x, y = xy[:, 0], xy[:, 1]
            return np.column_stack([x + a * np.sin(k * y + p[0]) * np.cos(0.7 * k * x + p[2]),
                                    y + a * np.sin(k * x + p[1]) * np.cos(0.7 * k * y + p[3])])

        out[i] = shapely.make_valid(shapely.transform(out[i], wobble))
    return out


def province(n: int = 8500, seed: int = 1, kind: str = "dirty") -> gpd.GeoDataFrame:
    """A province-like kelurahan layer (Voronoi cells with wiggly shared edges over East Java, see
    bench/map_render.py) with the columns of a real file: kab/kota and province names included.
    kind "clean": a clean coverage; "dirty": with overlaps, gaps and slivers (`roughen`)."""
    from bench.map_render import synthetic_province

    kel = synthetic_province(n, seed)
    if kind == "dirty":
        kel = kel.set_geometry(list(roughen(kel.geometry.values, seed=seed)), crs=kel.crs)
    # Kemendagri codes: kecamatan code + a 4-digit number within the kecamatan
    kel["kode_kel"] = kel["kode_kec"] + "." + (2001 + kel.groupby("kode_kec").cumcount()).astype(str)
    kab = kel["kode_kec"].str[:5]
    r = np.random.default_rng(seed)
    syll = ["ma", "la", "ng", "ke", "bo", "ri", "wa", "tu", "lu", "me", "jo", "sa", "pa", "gu", "ba", "di"]
    names = {c: "Kabupaten " + "".join(r.choice(syll, 3)).capitalize() for c in sorted(kab.unique())}
    kel["kab_kota"] = kab.map(names)
    kel["provinsi"] = "Jawa Timur"
    return kel


def measure_dirt(geoms: np.ndarray) -> dict:
    """Overlapping neighbour pairs (> 0.01 m²) and gaps (holes of the union), measured in UTM 49S."""
    u = gpd.GeoSeries(geoms, crs=4326).to_crs(32749).values
    a, b = shapely.STRtree(u).query(u, predicate="intersects")
    keep = a < b
    area = shapely.area(shapely.intersection(u[a[keep]], u[b[keep]]))
    union = shapely.union_all(u)
    return {"features": len(u), "touching_pairs": int(keep.sum()), "overlap_pairs": int((area > 0.01).sum()),
            "gaps": int(sum(len(p.interiors) for p in shapely.get_parts(union)))}


def write_zip(gdf: gpd.GeoDataFrame, folder: Path) -> Path:
    """The layer as a real download looks: zipped shapefile in UTM 49S, BIG column names, latin-1 DBF."""
    shp = gdf.rename(columns={"kode_kel": "KDEPUM", "kelurahan": "WADMKD", "kecamatan": "WADMKC",
                              "kab_kota": "WADMKK", "provinsi": "WADMPR"}).drop(columns=["kode_kec"])
    shp["WADMKD"] = "Désa " + shp["WADMKD"]
    shp.to_crs(32749).to_file(folder / "prov.shp", encoding="ISO-8859-1")
    z = folder / "provinsi.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in folder.glob("prov.*"):
            zf.write(p, "jatim/" + p.name)
    return z


def timed_import(path: Path, name: str) -> dict:
    """Import `path` into the store (KOTAKU_DATA_DIR) as the data page does; seconds per step."""
    from utils.store import display

    built: dict = {}
    orig = display.build

    def build(ds):
        t = time.perf_counter()
        out = orig(ds)
        built["display_s"] = time.perf_counter() - t
        return out

    display.build = build
    try:
        t1 = time.perf_counter()
        preview = importer.prepare_paths([path])
        t_prepare = time.perf_counter() - t1
        t3 = time.perf_counter()
        if not preview.ok:
            raise SystemExit("import refused: " + "; ".join(str(f.key) for f in preview.report.findings[:5]))
        info = importer.commit(preview, name)
        t_store = time.perf_counter() - t3
    finally:
        display.build = orig
    facts = preview.report.facts
    return {"read_validate_s": round(t_prepare, 2), "store_s": round(t_store, 2),
            "display_s": round(built.get("display_s", 0.0), 2), "total_s": round(t_prepare + t_store, 2),
            "ok": preview.ok, "overlap_pairs": facts.get("overlap_pairs"), "gaps": facts.get("gaps"),
            "city": preview.dataset.meta.city, "slug": info.name, "version": info.version,
            "gpkg_mb": round(info.path.stat().st_size / 1e6, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description="Time importing a province-sized zipped shapefile.")
    ap.add_argument("features", nargs="?", type=int, default=8500, help="number of polygons (default 8500)")
    ap.add_argument("--kind", choices=("dirty", "clean"), default="dirty",
                    help="dirty: overlaps, gaps and slivers at the rate of the real Kota Pasuruan file")
    a = ap.parse_args()
    import os

    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as store_dir:
        tmp = Path(tmp)
        os.environ["KOTAKU_DATA_DIR"] = store_dir
        t0 = time.perf_counter()
        z = write_zip(province(a.features, kind=a.kind), tmp)
        t_gen = time.perf_counter() - t0
        r = timed_import(z, "provinsi_bench")
        print(f"polygons            {a.features} ({a.kind})")
        print(f"zip size            {z.stat().st_size / 1e6:.1f} MB")
        print(f"generate + write    {t_gen:.1f} s")
        print(f"read+validate       {r['read_validate_s']:.1f} s  (ok={r['ok']}; overlaps {r['overlap_pairs']} pairs, "
              f"gaps {r['gaps']})")
        print(f"store (GeoPackage)  {r['store_s']:.1f} s  incl. display layers {r['display_s']:.1f} s "
              f"({r['gpkg_mb']} MB)")
        print(f"import total        {r['total_s']:.1f} s; named {r['city']!r}")


if __name__ == "__main__":
    main()
