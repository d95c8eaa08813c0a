"""`python -m utils <command>`: every module of `utils/cli/` with a `run` is a subcommand.

Each such module defines `HELP`, `add_arguments(parser)` and `run(args) -> int`. Errors reach the
user as a message and exit code 1, never as a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys

from utils import cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils", description="KOTAKU dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for mod in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"utils.cli.{mod.name}")
        if hasattr(module, "run"):
            name = getattr(module, "COMMAND", mod.name)
            p = sub.add_parser(name, help=module.HELP, description=module.HELP)
            p.add_argument("--lang", choices=["id", "en"], default="id",
                           help="language of messages (default: id = Bahasa Indonesia)")
            module.add_arguments(p)
            modules[name] = module
    args = parser.parse_args(argv)
    try:
        return int(modules[args.command].run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: a message, not a traceback
        logging.getLogger("kotaku").debug("cli failure", exc_info=True)
        print(f"Galat / Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
