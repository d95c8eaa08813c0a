"""`python -m utils summary [--dataset NAME] [--json]`: the yearly slum story as text or JSON.

Per SK period and year: slum ha, ha reduced, kelurahan per category, water and sanitation access;
per period the pace achieved vs needed. The same `utils.trends` functions the pages use.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict

from utils import store
from utils.analysis import projection, trends
from utils.core.i18n import fmt_number, t
from utils.method.criteria import CLASS_CODES
from utils.store.dataset import Dataset

HELP = "Ringkasan luas kumuh per periode SK dan tahun / slum area per SK period and year"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", default=store.SAMPLE_NAME,
                        help=f"dataset name in the store (default: the sample, {store.SAMPLE_NAME})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _clean(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return _clean(v.item())
    return v


def summary_data(ds: Dataset) -> dict:
    """Everything the command prints, as plain data (what `--json` emits)."""
    series = trends.city_series(ds)
    out = {"dataset": ds.meta.name, "city": ds.meta.city, "target_year": ds.meta.target_year,
           "target_ha": ds.meta.target_ha, "illustrative": ds.meta.illustrative, "periods": []}
    for period in trends.periods(ds):
        ps = series[series["sk_period"] == period.id]
        years = []
        for r in ps.itertuples(index=False):
            years.append({
                "year": int(r.year), "slum_ha": _clean(r.slum_ha), "reduced_ha": _clean(r.reduced_ha),
                "reduced_since_baseline_ha": _clean(r.reduced_since_baseline_ha), "is_baseline": bool(r.is_baseline),
                "kelurahan_per_category": {c: int(getattr(r, f"n_{c}")) for c in CLASS_CODES},
                "n_kelurahan_slum": int(r.n_kel_slum),
                "water_access_pct": round(float(r.water_access_pct), 2),
                "sanitation_access_pct": round(float(r.sanitation_access_pct), 2),
            })
        p = trends.pace(ds, period.id)
        out["periods"].append({"sk_period": period.id, "label": period.label, "baseline_year": period.baseline_year,
                               "years": years, "pace": {k: _clean(v) for k, v in asdict(p).items()} if p else None})
    # slum ha per year if the commitments are delivered, latest SK period (utils/analysis/projection.py)
    out["projection"] = projection.projection_dict(ds)
    return out


def _n(v, lang: str, width: int, decimals: int = 2) -> str:
    return (fmt_number(v, lang, decimals) if v is not None else "–").rjust(width)


def render_text(data: dict, lang: str) -> str:
    lines = [t("trend.cli.header", lang, city=data["city"], name=data["dataset"])]
    for p in data["periods"]:
        lines += ["", t("trend.cli.period", lang, period=p["sk_period"], label=p["label"]),
                  t("trend.cli.columns", lang)]
        for y in p["years"]:
            cats = "".join(str(y["kelurahan_per_category"][c]).rjust(4) for c in CLASS_CODES)
            mark = "*" if y["is_baseline"] else " "
            lines.append(f"{y['year']}{mark}  {_n(y['slum_ha'], lang, 9)}  {_n(y['reduced_ha'], lang, 13)}  "
                         f"{_n(y['reduced_since_baseline_ha'], lang, 18)}{cats}  "
                         f"{_n(y['water_access_pct'], lang, 6, 1)}  "
                         f"{_n(y['sanitation_access_pct'], lang, 11, 1)}")
        pace = p["pace"]
        if pace:
            year = pace["reached_year"] if pace["status"] == trends.PACE_REACHED else pace["projected_year"]
            outcome = t(f"trend.cli.outcome.{pace['status']}", lang, year=year)
            lines.append(t("trend.cli.pace", lang, achieved=_n(pace["achieved_ha_per_year"], lang, 0),
                           needed=_n(pace["needed_ha_per_year"], lang, 0), target_year=pace["target_year"],
                           outcome=outcome))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        ds = store.load(args.dataset)
    except Exception as exc:  # unknown name, unreadable file: a message, not a traceback
        print(t("trend.cli.no_dataset", lang, name=args.dataset, reason=str(exc)), file=sys.stderr)
        return 1
    data = summary_data(ds)
    if not data["periods"]:
        print(t("trend.cli.no_rows", lang, name=args.dataset), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_text(data, lang))
    return 0
