"""Time importing a province-sized boundary file (~8,500 kelurahan polygons) and print the figures.

The file is generated: a grid of jittered polygons over East Java in UTM 49S, written as a zipped
shapefile with a latin-1 DBF (the hardest common case: reprojection, encoding, overlap/gap checks).
Run: python bench/import_province.py [N]
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
from shapely.geometry import Polygon

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from utils.store import importer  # noqa: E402


def province(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    cols = int(np.ceil(np.sqrt(n * 2)))
    size = 1500.0  # m: a kelurahan-sized cell
    x0, y0 = 600_000.0, 9_080_000.0  # around Kota Pasuruan in UTM 49S
    polys, codes, names, kec = [], [], [], []
    for k in range(n):
        r, c = divmod(k, cols)
        x, y = x0 + c * size, y0 + r * size
        # 12-vertex ring with jittered edges, so neighbours overlap or leave slivers like real data
        t = np.linspace(0, 2 * np.pi, 13)[:-1]
        rad = size * 0.5 * (1.0 + rng.normal(0, 0.02, len(t)))
        ring = np.c_[x + size / 2 + np.sign(np.cos(t)) * np.minimum(np.abs(np.cos(t)) * 1.42, 1) * rad,
                     y + size / 2 + np.sign(np.sin(t)) * np.minimum(np.abs(np.sin(t)) * 1.42, 1) * rad]
        polys.append(Polygon(ring).buffer(0))
        kab, kc, kl = 1 + k // 2000, 1 + (k // 40) % 50, 1001 + k % 40
        codes.append(f"35{kab:02d}{kc:02d}{kl:04d}")
        names.append(f"Kelurahan Désa {k}")
        kec.append(f"Kecamatan {kab}-{kc}")
    return gpd.GeoDataFrame({"KDEPUM": codes, "WADMKD": names, "WADMKC": kec}, geometry=polys, crs=32749)


def main() -> None:
    ap = argparse.ArgumentParser(description="Time importing a province-sized zipped shapefile.")
    ap.add_argument("features", nargs="?", type=int, default=8500, help="number of polygons (default 8500)")
    n = ap.parse_args().features
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        gdf = province(n)
        gdf.to_file(tmp / "prov.shp", encoding="ISO-8859-1")
        z = tmp / "provinsi.zip"
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in tmp.glob("prov.*"):
                zf.write(p, "jatim/" + p.name)
        t_gen = time.perf_counter() - t0
        t1 = time.perf_counter()
        preview = importer.prepare_paths([z])
        t_prepare = time.perf_counter() - t1
        t2 = time.perf_counter()
        fig = importer.preview_figure(preview.dataset.kelurahan, preview.report)
        t_fig = time.perf_counter() - t2
        facts = preview.report.facts
        print(f"polygons            {n}")
        print(f"zip size            {z.stat().st_size / 1e6:.1f} MB")
        print(f"generate + write    {t_gen:.1f} s")
        print(f"read+validate       {t_prepare:.1f} s  (ok={preview.ok}, {len(preview.report.findings)} findings)")
        print(f"preview figure      {t_fig:.1f} s  ({sum(len(tr.x) for tr in fig.data)} plotted points)")
        print(f"overlaps            {facts.get('overlap_pairs')} pairs, {facts.get('overlap_m2', 0):,.0f} m²")
        print(f"gaps                {facts.get('gaps')} , {facts.get('gap_m2', 0):,.0f} m²")
        with tempfile.TemporaryDirectory() as store_dir:
            import os

            os.environ["KOTAKU_DATA_DIR"] = store_dir
            t3 = time.perf_counter()
            info = importer.commit(preview, "provinsi_bench")
            print(f"store (GeoPackage)  {time.perf_counter() - t3:.1f} s  ({info.path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
