"""`python -m utils store copy|list|migrate`: move datasets between the GeoPackage folder and PostGIS.

    python -m utils store copy --from NAME --to postgresql://user@host/db        # folder -> database
    python -m utils store copy --from NAME --source postgresql://… --to FOLDER   # database -> folder
    python -m utils store list [--source URL|FOLDER]
    python -m utils store migrate --to postgresql://…                            # create/upgrade the schema

Every kept version is copied with its number, time, author, note and changes; versions already pruned
keep their history line. Copying there and back again gives identical tables. Without `--source`
the source is the store the app uses (KOTAKU_DATABASE_URL, else KOTAKU_DATA_DIR / userdata/).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from utils import store
from utils.core.i18n import t
from utils.store import files
from utils.store.base import StoreError, VersionInfo
from utils.store.dataset import Dataset

COMMAND = "store"
HELP = "Salin dataset antara folder GeoPackage dan PostGIS / copy datasets between the folder and PostGIS"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["copy", "list", "migrate"])
    parser.add_argument("--from", dest="name", help="dataset to copy (its folder name or display name)")
    parser.add_argument("--source", help="postgresql://… or a folder (default: the store the app uses)")
    parser.add_argument("--to", dest="target", help="postgresql://… or a folder")
    parser.add_argument("--as", dest="new_name", help="name in the target (default: the same)")


def is_url(spec: str) -> bool:
    return spec.startswith(("postgresql://", "postgres://"))


def open_spec(spec: str | None):
    """A store from a URL or a folder; None: the store the app uses now."""
    if spec is None:
        return store.backend()
    if is_url(spec):
        from utils.store import postgis

        return postgis.open_store(spec)
    return files.FileStore(Path(spec))


def describe(spec: str | None) -> str:
    if spec is None:
        return "KOTAKU_DATABASE_URL" if store.database_url() else str(files.store_root())
    if is_url(spec):
        from utils.store import postgis

        return postgis.mask_url(spec)
    return spec


def _put_file(target: files.FileStore, name: str, ds: Dataset | None, info: VersionInfo) -> None:
    """One version into a GeoPackage folder with its record unchanged (same layout as FileStore's save)."""
    if hasattr(target, "put_version"):
        target.put_version(name, ds, info)
        return
    slug = files.slugify(name)
    folder = (target.root or files.store_root()) / slug
    folder.mkdir(parents=True, exist_ok=True)
    record = info.record()
    if ds is not None:
        final = folder / f"v{info.version:04d}.gpkg"
        tmp = folder / f".tmp-copy-{os.getpid()}-{info.version}.gpkg"
        tmp.unlink(missing_ok=True)
        try:
            files.write_gpkg(ds, tmp, record)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    with open(folder / "history.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps(record, ensure_ascii=False) + "\n")


def copy_dataset(source, target, name: str, new_name: str | None = None) -> int:
    """Copy every version of `name` from `source` to `target`; returns how many versions carried data."""
    new_name = new_name or name
    if files.slugify(new_name) == store.SAMPLE_NAME:
        raise StoreError(key="store.sample_read_only")
    if target.list_versions(new_name):
        raise StoreError(key="pgstore.copy_exists", name=new_name, target="")
    history = source.history(name) if hasattr(source, "history") else source.list_versions(name)
    if not any(h.kept for h in history):
        raise StoreError(key="pgstore.copy_no_versions", name=name)
    copied = 0
    for info in history:
        ds = source.load(name, info.version) if info.kept else None
        if ds is not None:
            ds.meta.name = files.slugify(new_name)
        if isinstance(target, files.FileStore):
            _put_file(target, new_name, ds, info)
        else:
            target.put_version(new_name, ds, info)
        copied += ds is not None
    return copied


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        if args.action == "migrate":
            if not args.target or not is_url(args.target):
                print("--to postgresql://… is required", file=sys.stderr)
                return 2
            from utils.store import postgis

            open_spec(args.target)
            print(f"{postgis.mask_url(args.target)}: schema {', '.join(n for _, n, _ in postgis.migrations())}")
            return 0
        if args.action == "list":
            for info in open_spec(args.source).list_datasets():
                fields = [info.name, f"v{info.version}", info.saved, info.display_name, info.status]
                print("\t".join(fields + (["builtin"] if info.builtin else [])))
            return 0
        if not args.name or not args.target:
            print("copy needs --from NAME and --to URL|FOLDER", file=sys.stderr)
            return 2
        source, target = open_spec(args.source), open_spec(args.target)
        count = copy_dataset(source, target, args.name, args.new_name)
        print(t("pgstore.copy_done", lang, count=count, name=args.new_name or args.name, target=describe(args.target)))
        return 0
    except StoreError as exc:
        message = exc.message(lang)
        if getattr(exc, "key", None) == "pgstore.copy_exists":
            message = t("pgstore.copy_exists", lang, name=args.new_name or args.name, target=describe(args.target))
        print(message, file=sys.stderr)
        return 1
