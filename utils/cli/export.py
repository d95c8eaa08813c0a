"""`python -m utils export --dataset NAME --out FILE.xlsx|.csv|.gpkg [--year Y] [--what ...]`.

The same bytes the Data page offers for download. `--what kelurahan` (default) is the per-kelurahan
table of one year (XLSX, CSV or GeoPackage); `penilaian` the scored RT table and `investasi` the
investments (XLSX or CSV); `template` the blank KOTAKU workbook (XLSX, no dataset needed).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from utils import store
from utils.core.i18n import t

COMMAND = "export"
HELP = "Ekspor data ke XLSX, CSV atau GeoPackage / export data as XLSX, CSV or GeoPackage"
WHAT = ("kelurahan", "penilaian", "investasi", "template")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", help="stored dataset (folder or display name); default: the built-in sample")
    parser.add_argument("--out", type=Path, required=True, help="file to write: .xlsx, .csv or .gpkg")
    parser.add_argument("--year", type=int, help="year of the per-kelurahan table (default: the latest)")
    parser.add_argument("--what", choices=WHAT, default="kelurahan", help="which table (default: kelurahan)")
    parser.add_argument("--version", type=int, help="a kept version instead of the latest")


def render(what: str, suffix: str, ds, year: int | None, lang: str) -> bytes:
    """The export's bytes; ValueError (a translated message) for a combination that does not exist."""
    from utils.views import exports, exports_geo, exports_template

    if what == "template":
        if suffix != ".xlsx":
            raise ValueError(t("export.cli.bad_format", lang, what=what, suffix=suffix, allowed=".xlsx"))
        return exports_template.template_xlsx(lang)
    if what == "kelurahan":
        if year is None:
            raise ValueError(t("export.cli.no_years", lang))
        table = {".xlsx": exports.kelurahan_workbook, ".csv": exports.kelurahan_csv,
                 ".gpkg": lambda d, y, la: exports_geo.kelurahan_gpkg(d, y, la)}
        if suffix not in table:
            raise ValueError(t("export.cli.bad_format", lang, what=what, suffix=suffix, allowed=".xlsx, .csv, .gpkg"))
        return table[suffix](ds, year, lang)
    table = {("penilaian", ".xlsx"): exports.assessments_xlsx, ("penilaian", ".csv"): exports.assessments_csv,
             ("investasi", ".xlsx"): exports.investments_xlsx, ("investasi", ".csv"): exports.investments_csv}
    if (what, suffix) not in table:
        raise ValueError(t("export.cli.bad_format", lang, what=what, suffix=suffix, allowed=".xlsx, .csv"))
    return table[(what, suffix)](ds, lang)


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    suffix = args.out.suffix.lower()
    ds = None
    year = args.year
    try:
        if args.what != "template":
            ds = store.load(store.resolve_name(args.dataset) if args.dataset else store.SAMPLE_NAME, args.version)
            if args.what == "kelurahan":
                if year is not None and year not in ds.years:
                    print(t("export.cli.no_year", lang, year=year, years=", ".join(map(str, ds.years)) or "–"))
                    return 1
                year = year if year is not None else (ds.years[-1] if ds.years else None)
        data = render(args.what, suffix, ds, year, lang)
    except store.StoreError as exc:
        print(exc.message(lang))
        return 1
    except ValueError as exc:
        print(str(exc))
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.part")
    tmp.write_bytes(data)
    tmp.replace(args.out)  # never a half-written export under the final name
    status = t(f"settings.status.{ds.meta.status if ds is not None and ds.meta.status == 'official' else 'draft'}",
               lang) if ds is not None else "–"
    print(t("export.cli.written", lang, path=str(args.out), kb=max(1, round(len(data) / 1024)), status=status))
    return 0
