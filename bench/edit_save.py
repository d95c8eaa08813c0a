"""Seconds to save an edit of one cell, and to add a year through the CLI, on the sample and at province scale.

Prints the figures (no thresholds: the machine decides). An edit is a whole new version (a new
GeoPackage written next to the old ones, read back before it is published) plus the diff against
the previous version, so the cost grows with the dataset, not with the edit. Run:

    python bench/edit_save.py [--province N] [--rows-per-kel K] [--skip-province]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from utils import store  # noqa: E402
from utils.method.criteria import CRITERION_IDS  # noqa: E402
from utils.store import changes, files  # noqa: E402
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan  # noqa: E402


def timed(fn, *args, **kwargs):
    """(result, wall seconds); CPU seconds of the last call in `CPU[0]` (wall time on a shared
    machine grows with its load; CPU time much less so)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    CPU[0] = time.process_time() - c0
    return out, time.perf_counter() - t0


CPU = [0.0]


def province_dataset(n: int, rows_per_kel: int, years=(2023, 2024)) -> Dataset:
    """Province-sized boundaries (bench/import_province.py's generator, clean) with RT rows per kelurahan."""
    from bench.import_province import province

    kel = province(n, kind="clean")
    kel = kel[["kode_kel", "kelurahan", "kode_kec", "kecamatan", "geometry"]].reset_index(drop=True)
    rng = np.random.default_rng(1)
    codes = np.repeat(kel["kode_kel"].to_numpy(), rows_per_kel)
    rows = []
    for year in years:
        frame = pd.DataFrame({"year": year, "sk_period": "1", "kode_kel": codes, "kawasan_id": "K1",
                              "rt": [f"RT {i % rows_per_kel + 1:02d}" for i in range(len(codes))],
                              "area_ha": rng.uniform(0.5, 5.0, len(codes)).round(2)})
        for c in CRITERION_IDS:
            frame[f"p_{c}"] = rng.uniform(0, 80, len(codes)).round(2)
        rows.append(frame)
    meta = DatasetMeta(name="provinsi_bench", city="Jawa Timur", city_code="35",
                       sk_periods=[SkPeriod("1", "SK 1", years[0])], region="Jawa Timur")
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel), assessments=pd.concat(rows))


def edit_one_cell(name: str) -> dict:
    """Load the latest version, change one percentage, save it as the next version; seconds per step."""
    versions = store.list_versions(name)
    ds, t_load = timed(store.load, name)
    ds.assessments.loc[ds.assessments.index[0], "p_1a"] = 12.5
    prev = files.read_gpkg(versions[-1].path)
    _, t_diff = timed(changes.diff, prev, ds)
    info, t_save = timed(store.save, ds, name, author="bench", note="one cell", base_version=versions[-1].version)
    cpu_save = CPU[0]
    assert info.changes.get("assessments") == {"added": 0, "changed": 1, "removed": 0}, info.changes
    return {"load_s": t_load, "save_s": t_save, "save_cpu_s": cpu_save, "of_which_diff_s": t_diff,
            "gpkg_mb": info.path.stat().st_size / 1e6, "rows": len(ds.assessments), "kelurahan": len(ds.kelurahan)}


def add_year_cli(name: str, ds: Dataset, year: int, tmp: Path) -> tuple[float, float]:
    """`python -m utils import --dataset NAME --assessments year.csv` with the last year's rows as `year`."""
    rows = ds.assessments[ds.assessments["year"] == max(ds.years)].copy()
    rows["year"] = year
    path = tmp / f"tahun_{year}.csv"
    rows.to_csv(path, index=False)
    t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([sys.executable, "-m", "utils", "import", "--dataset", name, "--assessments", str(path),
                        "--lang", "en"], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ))
    elapsed = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(r.stdout[-2000:] + r.stderr[-2000:])
    return elapsed, (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)


def report(label: str, r: dict) -> None:
    print(f"{label:<28} {r['kelurahan']:>6} kel, {r['rows']:>7} rows, {r['gpkg_mb']:6.1f} MB: "
          f"load {r['load_s']:5.2f} s, save edit {r['save_s']:5.2f} s wall / {r['save_cpu_s']:5.2f} s CPU "
          f"(diff {r['of_which_diff_s']:4.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--province", type=int, default=8500, help="kelurahan of the province-sized dataset")
    ap.add_argument("--rows-per-kel", type=int, default=3, help="RT rows per kelurahan and year (province)")
    ap.add_argument("--skip-province", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as store_dir, tempfile.TemporaryDirectory() as tmp:
        os.environ["KOTAKU_DATA_DIR"] = store_dir
        sample = store.load(store.SAMPLE_NAME)
        store.save(sample, "sampel_bench", new_dataset=True)
        report("sample: edit one cell", edit_one_cell("sampel_bench"))
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        secs, cpu = add_year_cli("sampel_bench", store.load("sampel_bench"), max(sample.years) + 1, Path(tmp))
        print(f"{'sample: add a year (CLI)':<28} {secs:5.2f} s wall / {cpu:5.2f} s CPU "
              "(process start, read, validate, merge, save)")
        if a.skip_province:
            return
        ds, t_gen = timed(province_dataset, a.province, a.rows_per_kel)
        _, t_first = timed(store.save, ds, "provinsi_bench", new_dataset=True)
        print(f"province generated in {t_gen:.1f} s, first save {t_first:.1f} s")
        report("province: edit one cell", edit_one_cell("provinsi_bench"))
        secs, cpu = add_year_cli("provinsi_bench", store.load("provinsi_bench"), 2025, Path(tmp))
        print(f"{'province: add a year (CLI)':<28} {secs:5.2f} s wall / {cpu:5.2f} s CPU")


if __name__ == "__main__":
    main()
