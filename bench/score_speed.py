"""Scoring speed: rows per second for the vectorised engine. Prints figures; asserts nothing.

    python bench/score_speed.py [--rows 100000]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from utils.method.criteria import CRITERIA, CRITERION_IDS, DENOMINATORS  # noqa: E402
from utils.method.scoring import score  # noqa: E402


def make_rows(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "area_ha": rng.uniform(0.3, 4.0, n).round(2),
        "buildings": rng.integers(20, 300, n),
        "population": rng.integers(100, 1200, n),
        "households": rng.integers(25, 300, n),
        "road_length_m": rng.uniform(100, 1500, n).round(1),
        "drainage_length_m": rng.uniform(100, 1500, n).round(1),
    })
    for c in CRITERIA:
        frame[f"v_{c.id}"] = (frame[c.denominator] * rng.uniform(0, 1.05, n)).round(2)
    return frame


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    frame = make_rows(args.rows)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = score(frame)
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    score(frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(times)
    print(f"rows={args.rows} criteria={len(CRITERION_IDS)} denominators={len(DENOMINATORS)}")
    print(f"best {best:.3f} s ({args.rows / best:,.0f} rows/s), runs {[round(t, 3) for t in times]}")
    print(f"peak traced memory {peak / 2**20:.1f} MiB, findings {len(result.findings)}")
    print(json.dumps({"rows": args.rows, "best_s": round(best, 4), "rows_per_s": round(args.rows / best),
                      "peak_mib": round(peak / 2**20, 1)}))


if __name__ == "__main__":
    main()
