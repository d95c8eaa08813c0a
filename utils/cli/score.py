"""`python -m utils score INPUT --out OUTPUT`: score a table of unit-years.

With the priority inputs (pl_8a, pl_8b, pl_8c, l_9a, l_9b, typology or their Indonesian headers) the output
also carries n_8a..n_8c, pl_score, pl_level, legal (true/false/empty), priority, priority_class, handling.
An unrecognised priority value is an error: nothing is written, and the cell is named.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from utils.core.findings import has_errors
from utils.core.i18n import t
from utils.io.tables import read_table_file
from utils.io.uploads import UploadError
from utils.method import priority
from utils.method.scoring import LegacyMethodError, UnusableInputError, score

HELP = "Nilai tabel penilaian (CSV/XLSX) per Permen PUPR 14/2018 / score an assessment table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", type=Path, help="CSV or XLSX with v_1a..v_7b + denominators, or p_1a..p_7b")
    parser.add_argument("--out", type=Path, required=True, help="output CSV or XLSX")
    parser.add_argument("--priority-method", type=Path, default=None,
                        help="JSON of a city's overrides of the priority defaults (docs/priority.md)")


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        # The import's reader: KOTAKU headers, sheets, header rows below a title, decimal commas.
        table = read_table_file(args.input, "assessments")
        frame = table.frame.drop(columns=["_row"])
        method = json.loads(args.priority_method.read_text(encoding="utf-8")) if args.priority_method else None
        result = score(frame, row_labels=table.frame["_row"], priority_method=method)  # spreadsheet row numbers
    except UploadError as exc:
        print(t("cli.read_error", lang, path=str(args.input), reason=exc.finding.message(lang)), file=sys.stderr)
        return 1
    except (OSError, json.JSONDecodeError) as exc:  # the --priority-method file
        print(t("cli.read_error", lang, path=str(args.priority_method), reason=str(exc)), file=sys.stderr)
        return 1
    except LegacyMethodError as exc:
        print(t("cli.unusable", lang), exc.finding.message(lang), sep="\n", file=sys.stderr)
        return 1
    except UnusableInputError as exc:
        print(t("cli.unusable", lang), *(f.message(lang) for f in exc.findings), sep="\n", file=sys.stderr)
        return 1
    if has_errors(result.findings):  # an unknown legality / PL / typology value: a wrong priority is worse than none
        print(t("cli.unusable", lang), *(f.line(lang) for f in result.findings if f.severity == "error"),
              sep="\n", file=sys.stderr)
        return 1
    try:
        write_table(priority.csv_ready(result.frame), args.out)
    except OSError as exc:
        print(t("cli.read_error", lang, path=str(args.out), reason=exc.strerror or str(exc)), file=sys.stderr)
        return 1
    counts = result.frame["category"].value_counts()
    summary = ", ".join(f"{code} {n}" for code, n in counts.items())
    print(t("cli.scored", lang, n=len(result.frame), path=str(args.out), counts=summary))
    if "priority_status" in result.frame.columns:
        print(priority_summary(result.frame, lang))
    if result.findings:
        print(t("cli.findings", lang, n=len(result.findings)))
        for f in result.findings:
            print("  " + f.line(lang))
    return 0


def write_table(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        frame.to_csv(path, index=False)


def priority_summary(frame: pd.DataFrame, lang: str) -> str:
    """One line: how many slum units got a priority, how many are not assessed, units per handling type."""
    status = frame["priority_status"].value_counts()
    handling = frame["handling"].dropna().value_counts()
    counts = ", ".join(f"{t('priority.handling.' + h, lang)} {n}" for h, n in handling.items()) or "–"
    return t("priority.cli_summary", lang, n=int(status.get("assessed", 0)),
             missing=int(status.get("not_assessed", 0)), handling=counts)
