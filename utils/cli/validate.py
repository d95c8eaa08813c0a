"""`python -m utils validate --boundaries PATH [...]`: check files as the Data page would, store nothing.

Exit 0 when the files are importable (warnings allowed), 1 when not. Never a traceback.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from utils.core.i18n import t
from utils.io.boundaries import ColumnMapping
from utils.store.importer import ImportOptions, ImportPreview, prepare_paths

HELP = "Periksa berkas batas wilayah dan tabel tanpa menyimpan / validate boundary and table files without storing"


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments shared by `validate` and `import` (the language flag comes from utils/__main__.py)."""
    parser.add_argument("--boundaries", type=Path, nargs="+", required=True,
                        help="boundary file(s): .zip, .shp (+.shx/.dbf/.prj/.cpg), .gpkg, .geojson, .kml, .parquet")
    parser.add_argument("--assessments", type=Path, help="assessment table (.xlsx/.csv)")
    parser.add_argument("--investments", type=Path, help="investment table (.xlsx/.csv)")
    parser.add_argument("--crs", help="CRS of layers without .prj, e.g. EPSG:32749 or 'UTM 49S'")
    parser.add_argument("--layer", help="which layer holds the kelurahan (as listed in the report)")
    parser.add_argument("--code-column", help="kelurahan code column of the boundaries")
    parser.add_argument("--name-column", help="kelurahan name column of the boundaries")
    parser.add_argument("--sheet", help="sheet of the assessment workbook")
    parser.add_argument("--header-row", type=int, help="row of the header in the assessment table (1-based)")
    parser.add_argument("--city", help="city name stored with the dataset")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_import_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="list every overlap and gap, not only the 10 largest")


def options_from(args: argparse.Namespace) -> ImportOptions:
    mapping = None
    if args.code_column or args.name_column:
        mapping = ColumnMapping(level="kelurahan", code=args.code_column, name=args.name_column)
    return ImportOptions(crs=args.crs, kelurahan_layer=args.layer, mapping=mapping, assessment_sheet=args.sheet,
                         header_row=args.header_row, city=args.city, name=getattr(args, "name", None))


def run_preview(args: argparse.Namespace) -> ImportPreview:
    return prepare_paths(list(args.boundaries), args.assessments, args.investments, options_from(args))


def print_report(preview: ImportPreview, lang: str, verbose: bool = False) -> None:
    from utils.cli.import_cmd import findings_lines  # errors first, geometry summarised (shared with import)

    for line in findings_lines(preview.report.findings, lang, verbose):
        print(line)
    facts = preview.report.facts
    if "kelurahan" in facts:
        print(t("import.cli.summary", lang, kel=facts.get("kelurahan", 0), kec=facts.get("kecamatan", 0),
                rows=facts.get("assessment_rows", 0), matched=facts.get("rows_matched", 0),
                unmatched=facts.get("rows_unmatched", 0)))
    print(t("import.cli.counts", lang, errors=len(preview.report.errors), warnings=len(preview.report.warnings)))
    print(t("import.cli.importable" if preview.ok else "import.cli.not_importable", lang))


def run(args: argparse.Namespace) -> int:
    preview = run_preview(args)
    print_report(preview, args.lang, args.verbose)
    return 0 if preview.ok else 1
