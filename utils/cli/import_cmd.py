"""`python -m utils import`: a new dataset from boundary files, or tables added to a stored one.

    python -m utils import --boundaries PATH [...] --name NAME [--assessments FILE] [--investments FILE]
    python -m utils import --dataset NAME --assessments FILE [--investments FILE] [--replace-years]

Stores only when the files are importable; otherwise prints the report and leaves the store unchanged.
Errors print first; geometry findings (overlaps, gaps) are summarised with the 10 largest unless
`--verbose`, so a real table error is never buried under a hundred sliver lines.
"""
from __future__ import annotations

import argparse
import getpass
import os
import time

from utils.cli.validate import add_import_arguments, run_preview
from utils.core.findings import Finding
from utils.core.i18n import fmt_ha, fmt_number, t
from utils.io.uploads import UploadError
from utils.store import StoreError, changes
from utils.store.importer import commit, commit_addition, preview_addition

COMMAND = "import"
HELP = ("Impor berkas kota menjadi dataset baru, atau tambah tabel ke dataset tersimpan / import the city's "
        "files as a new dataset, or add tables to a stored dataset")
GEOMETRY_ITEMS = ("import.overlap", "import.gap")
SHOWN_GEOMETRY = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_import_arguments(parser)
    for action in parser._actions:  # boundaries are not asked for again when adding to a dataset
        if action.dest == "boundaries":
            action.required = False
    parser.add_argument("--name", help="name of a NEW dataset, kept as typed (the folder is derived from it)")
    parser.add_argument("--dataset", help="add the tables to this stored dataset (its boundaries are reused)")
    parser.add_argument("--replace-years", action="store_true",
                        help="replace the stored rows of a year the new table holds (refused otherwise)")
    parser.add_argument("--author", default=os.environ.get("KOTAKU_AUTHOR") or _user(),
                        help="who saves this version (default: $KOTAKU_AUTHOR or the login name)")
    parser.add_argument("--note", default="", help="why: stored with the version")
    parser.add_argument("--verbose", action="store_true", help="list every overlap and gap, not only the 10 largest")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return ""


def findings_lines(findings: list[Finding], lang: str, verbose: bool = False) -> list[str]:
    """Errors, then table warnings, then geometry: summaries plus the 10 largest of each kind."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity != "error"]
    geometry = [f for f in warnings if f.key in GEOMETRY_ITEMS or f.key in ("import.overlaps_summary",
                                                                             "import.gaps_summary")]
    other = [f for f in warnings if f not in geometry]
    lines = [f.line(lang) for f in [*errors, *other]]
    for summary_key, item_key in (("import.overlaps_summary", "import.overlap"), ("import.gaps_summary", "import.gap")):
        lines += [f.line(lang) for f in geometry if f.key == summary_key]
        items = [f for f in geometry if f.key == item_key]  # already largest first
        shown = items if verbose else items[:SHOWN_GEOMETRY]
        lines += ["  " + f.message(lang) for f in shown]
        if len(items) > len(shown):
            lines.append("  " + t("store.cli.more_geometry", lang, n=len(items) - len(shown)))
    return lines


def _print_report(report, lang: str, verbose: bool, ok: bool) -> None:
    for line in findings_lines(report.findings, lang, verbose):
        print(line)
    facts = report.facts
    if "kelurahan" in facts:
        print(t("import.cli.summary", lang, kel=facts.get("kelurahan", 0), kec=facts.get("kecamatan", 0),
                rows=facts.get("assessment_rows", 0), matched=facts.get("rows_matched", 0),
                unmatched=facts.get("rows_unmatched", 0)))
    print(t("import.cli.counts", lang, errors=len(report.errors), warnings=len(report.warnings)))
    print(t("import.cli.importable" if ok else "import.cli.not_importable", lang))


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.dataset:
        if args.boundaries or args.name:
            print(t("store.cli.dataset_or_boundaries", lang))
            return 1
        return _add(args, lang)
    if not args.boundaries or not args.name:
        print(t("store.cli.need_boundaries", lang))
        print(t("import.cli.not_stored", lang))
        return 1
    preview = run_preview(args)
    _print_report(preview.report, lang, args.verbose, preview.ok)
    if not preview.ok:
        print(t("import.cli.not_stored", lang))
        return 1
    info = _stored(lambda: commit(preview, args.name, author=args.author, note=args.note), lang)
    return 0 if info is not None else 1


def _stored(save, lang: str):
    """Run one save; print where it went, or why nothing was stored (None then)."""
    try:
        info = save()
    except UploadError as exc:
        print(exc.finding.line(lang))
        print(t("import.cli.not_stored", lang))
        return None
    except (StoreError, OSError) as exc:
        _store_failed(exc, lang)
        return None
    print(t("import.cli.stored", lang, name=info.name, version=info.version, path=_where(info, lang)))
    return info


def _store_failed(exc: Exception, lang: str) -> int:
    reason = exc.message(lang) if isinstance(exc, StoreError) else str(exc)
    print(t("import.cli.store_failed", lang, reason=reason[:300]))
    return 1


def _add(args: argparse.Namespace, lang: str) -> int:
    """Tables for a stored dataset: validated against its boundaries, a stored year only with --replace-years."""
    if not args.assessments and not args.investments:
        print(t("addition.nothing_given", lang))
        print(t("import.cli.not_stored", lang))
        return 1
    started = time.perf_counter()
    preview = preview_addition(args.dataset, assessments=args.assessments, investments=args.investments,
                               sheet=args.sheet, lang=lang)
    _print_report(preview.report, lang, args.verbose, preview.ok)
    for row in preview.before_after.itertuples(index=False):
        print(t("store.cli.before_after", lang, year=row.year, rows_before=row.rows_before, rows_after=row.rows_after,
                ha_before=fmt_ha(row.slum_ha_before, lang), ha_after=fmt_ha(row.slum_ha_after, lang)))
    if not preview.ok:
        print(t("import.cli.not_stored", lang))
        return 1
    info = _stored(lambda: commit_addition(preview, args.replace_years, author=args.author, note=args.note,
                                           lang=lang), lang)
    if info is None:
        return 1
    print(t("store.cli.changes", lang, changes=changes.summary(info.changes, lang),
            seconds=fmt_number(time.perf_counter() - started, lang, 1)))
    return 0


def _where(info, lang: str) -> str:
    """A database version has no file: name the store instead of printing 'None'."""
    return str(info.path) if info.path is not None else t("import.cli.in_database", lang)
