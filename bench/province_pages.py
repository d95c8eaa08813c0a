"""How the pages hold up at province scale: ~8,500 kelurahan/desa, RT rows over six years.

Builds a synthetic province (the map benchmark's generator), stores it in a temporary store, then
opens every page with Streamlit's AppTest and prints load, scoring and page-run times. Prints
figures; asserts nothing. The last line is one JSON object.

    python bench/province_pages.py [--features 8500] [--rts 3]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from map_render import synthetic_province  # noqa: E402

from utils import store  # noqa: E402
from utils.analysis import trends  # noqa: E402
from utils.method.criteria import CRITERION_IDS  # noqa: E402
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan  # noqa: E402

PAGES = ["pages/overview.py", "pages/map.py", "pages/trends.py", "pages/profile.py", "pages/briefing.py"]


def province_dataset(n: int, rts: int, seed: int = 3) -> Dataset:
    kel = synthetic_province(n, seed=1)
    rng = np.random.default_rng(seed)
    slum = kel.sample(frac=0.4, random_state=seed)["kode_kel"].to_numpy()
    units = np.repeat(slum, rts)
    base = rng.uniform(0, 100, size=(len(units), len(CRITERION_IDS))) * rng.uniform(0.3, 1.0, (len(units), 1))
    area = rng.uniform(0.3, 4.0, len(units)).round(2)
    frames = []
    for k, year in enumerate(range(2020, 2026)):
        pct = np.clip(base - k * rng.uniform(0, 9, base.shape), 0, 100).round(2)
        f = pd.DataFrame(pct, columns=[f"p_{c}" for c in CRITERION_IDS])
        f.insert(0, "year", year)
        f.insert(1, "sk_period", "1")
        f.insert(2, "kode_kel", units)
        f.insert(3, "rt", [f"RT {i % rts + 1:02d}" for i in range(len(units))])
        f.insert(4, "area_ha", area)
        f["households"] = rng.integers(30, 200, len(units))
        frames.append(f)
    meta = DatasetMeta(name="provinsi_uji", city="Provinsi uji", city_code="35",
                       sk_periods=[SkPeriod("1", "SK uji", 2020)], target_year=2030, illustrative=True,
                       source="bench/province_pages.py (synthetic)")
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel),
                   assessments=pd.concat(frames, ignore_index=True))


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", type=int, default=8500)
    ap.add_argument("--rts", type=int, default=3)
    args = ap.parse_args()
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        os.environ[store.STORE_ENV] = tmp
        ds, t_build = timed(lambda: province_dataset(args.features, args.rts))
        info, t_save = timed(lambda: store.save(ds))
        loaded, t_load = timed(lambda: store.load(info.name))
        _, t_score = timed(lambda: loaded.scored)
        _, t_series = timed(lambda: trends.city_series(loaded))
        _, t_kel = timed(lambda: trends.kelurahan_year(loaded, 2025))
        rows = len(loaded.assessments)
        print(f"features {len(loaded.kelurahan)}, assessment rows {rows:,}, "
              f"GeoPackage {info.path.stat().st_size / 2**20:.1f} MiB")
        print(f"build {t_build:.2f} s, save {t_save:.2f} s, load {t_load:.2f} s, score {t_score:.2f} s, "
              f"city series {t_series:.2f} s, kelurahan year {t_kel:.2f} s")
        pages = {}
        for page in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.session_state["dataset_name"] = info.name
            _, first = timed(at.run)
            if page != "pages/overview.py":
                at.switch_page(page)
                _, first = timed(at.run)
            _, rerun = timed(at.run)
            errors = [e.value for e in at.exception]
            pages[page] = {"first_s": round(first, 2), "rerun_s": round(rerun, 2), "errors": len(errors)}
            print(f"{page:22s} first run {first:6.2f} s, rerun {rerun:6.2f} s"
                  + (f", ERRORS {errors[:1]}" if errors else ""))
    print(json.dumps({"features": len(loaded.kelurahan), "rows": rows, "load_s": round(t_load, 2),
                      "score_s": round(t_score, 2), "series_s": round(t_series, 2), "pages": pages}))


if __name__ == "__main__":
    main()
