"""`python -m utils settings --dataset NAME [--status official] [--target-year 2029] ...`: dataset settings.

The same validation as the Data page's settings form (`utils.store.settings.apply_settings`); a change
is saved as a new version (with who and why), nothing is rewritten. Without a change it prints the
current settings and the versions kept.
"""
from __future__ import annotations

import argparse
import os

from utils import store
from utils.cli.import_cmd import _user
from utils.core.i18n import fmt_number, t
from utils.store import changes as store_changes
from utils.store.settings import SettingsError, apply_settings, clip_to_kabkota, kabkota_list

COMMAND = "settings"
HELP = "Lihat atau ubah pengaturan dataset (versi baru) / show or change dataset settings (a new version)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, help="stored dataset (folder or display name)")
    parser.add_argument("--display-name", help="name shown in the app, kept exactly as typed")
    parser.add_argument("--status", choices=["draft", "official"])
    parser.add_argument("--city")
    parser.add_argument("--region", help="what the boundaries cover when several kab/kota are kept (a province)")
    parser.add_argument("--target-year", help="year by which slum area should reach the target")
    parser.add_argument("--target-ha", help="target slum area in ha (default 0)")
    parser.add_argument("--clip", metavar="KODE_KAB", help="keep only this kab/kota (e.g. 35.75)")
    parser.add_argument("--author", default=os.environ.get("KOTAKU_AUTHOR") or _user())
    parser.add_argument("--note", default="")


def run(args: argparse.Namespace) -> int:
    lang = args.lang
    try:
        name = store.resolve_name(args.dataset)
        versions = store.list_versions(name)
        if not versions:
            raise store.StoreError(key="store.no_dataset", name=args.dataset)
        ds = store.load(name)
        wanted = {k: v for k, v in {"display_name": args.display_name, "status": args.status, "city": args.city,
                                    "region": args.region, "target_year": args.target_year,
                                    "target_ha": args.target_ha}.items() if v is not None}
        if not wanted and not args.clip:
            _show(ds, versions, lang)
            return 0
        if args.clip:
            ds = clip_to_kabkota(ds, args.clip, lang=lang)
        new = apply_settings(ds, wanted, lang)
        info = store.save(new, name, author=args.author, note=args.note, base_version=versions[-1].version)
    except SettingsError as exc:
        for line in exc.errors:
            print(line)
        print(t("import.cli.not_stored", lang))
        return 1
    except store.StoreError as exc:
        print(exc.message(lang))
        print(t("import.cli.not_stored", lang))
        return 1
    print(t("import.cli.stored", lang, name=info.name, version=info.version, path=str(info.path or "")))
    print(t("store.cli.changes_only", lang, changes=store_changes.summary(info.changes, lang)))
    return 0


def _show(ds, versions, lang: str) -> None:
    m = ds.meta
    print(t("store.cli.settings", lang, name=m.display_name or m.name, status=t(f"settings.status.{m.status}", lang),
            city=m.city, region=m.region or "–", year=m.target_year, ha=fmt_number(m.target_ha, lang)))
    for p in m.sk_periods:
        print(f"  {p.id}: {p.label} — {p.baseline_year}{' → ' + str(p.target_year) if p.target_year else ''}")
    kab = kabkota_list(ds)
    if len(kab) > 1:
        print("  kab/kota: " + ", ".join(f"{r.kode_kab} {r.kab_kota} ({r.kelurahan})" for r in kab.itertuples()))
    for v in versions:
        print(f"  v{v.version} {v.saved} {v.author or '–'}: {v.note or '–'} "
              f"[{store_changes.summary(v.changes, lang)}]")
