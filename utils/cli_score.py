"""`python -m utils score INPUT --out OUTPUT`: score a table of unit-years."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from utils.i18n import t
from utils.scoring import LegacyMethodError, UnusableInputError, score
from utils.tables import TableReadError, read_table, write_table

HELP = "Nilai tabel penilaian (CSV/XLSX) per Permen PUPR 14/2018 / score an assessment table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", type=Path, help="CSV or XLSX with v_1a..v_7b + denominators, or p_1a..p_7b")
    parser.add_argument("--out", type=Path, required=True, help="output CSV or XLSX")


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        frame = read_table(args.input)
        # Spreadsheet row numbers (header is row 1) so a user can find the row.
        result = score(frame, row_labels=frame.index.to_series() + 2)
    except TableReadError as exc:
        print(t(exc.key, lang, **exc.params), file=sys.stderr)
        return 1
    except LegacyMethodError as exc:
        print(t("cli.unusable", lang), exc.finding.message(lang), sep="\n", file=sys.stderr)
        return 1
    except UnusableInputError as exc:
        print(t("cli.unusable", lang), *(f.message(lang) for f in exc.findings), sep="\n", file=sys.stderr)
        return 1
    try:
        write_table(result.frame, args.out)
    except OSError as exc:
        print(t("cli.read_error", lang, path=str(args.out), reason=exc.strerror or str(exc)), file=sys.stderr)
        return 1
    counts = result.frame["category"].value_counts()
    summary = ", ".join(f"{code} {n}" for code, n in counts.items())
    print(t("cli.scored", lang, n=len(result.frame), path=str(args.out), counts=summary))
    if result.findings:
        print(t("cli.findings", lang, n=len(result.findings)))
        for f in result.findings:
            print("  " + f.line(lang))
    return 0
