"""`python -m utils import --boundaries PATH [...] --name NAME`: validate, then store a new dataset version.

Stores only when the files are importable; otherwise prints the report and leaves the store unchanged.
"""
from __future__ import annotations

import argparse

from utils.cli.validate import add_import_arguments, print_report, run_preview
from utils.core.i18n import t
from utils.io.uploads import UploadError
from utils.store import StoreError
from utils.store.importer import commit

COMMAND = "import"
HELP = "Impor berkas kota menjadi dataset baru / import the city's files as a new dataset version"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_import_arguments(parser)
    parser.add_argument("--name", required=True, help="dataset name (letters, digits, underscores)")


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    preview = run_preview(args)
    print_report(preview, lang)
    if not preview.ok:
        print(t("import.cli.not_stored", lang))
        return 1
    try:
        info = commit(preview, args.name)
    except UploadError as exc:
        print(exc.finding.line(lang))
        print(t("import.cli.not_stored", lang))
        return 1
    except (StoreError, OSError) as exc:
        print(t("import.cli.store_failed", lang, reason=str(exc)[:200]))
        return 1
    print(t("import.cli.stored", lang, name=info.name, version=info.version, path=str(info.path)))
    return 0
