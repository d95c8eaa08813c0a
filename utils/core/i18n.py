"""One catalogue of user-visible strings, Bahasa Indonesia first, English second.

Strings live in `utils/core/strings/<area>.py` modules, each exporting `STRINGS = {key: (id, en)}`, so
that areas of the app can grow their strings without editing one shared file. `t()` merges them.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"


class CatalogueError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def catalogue() -> dict[str, tuple[str, str]]:
    from utils.core import strings

    merged: dict[str, tuple[str, str]] = {}
    for mod in sorted(pkgutil.iter_modules(strings.__path__), key=lambda m: m.name):
        table = importlib.import_module(f"utils.core.strings.{mod.name}").STRINGS
        for key, value in table.items():
            if key in merged:
                raise CatalogueError(f"duplicate string key {key!r} in utils/core/strings/{mod.name}.py")
            merged[key] = value
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """Translate `key`; a missing key raises so that tests catch it instead of users seeing it."""
    try:
        pair = catalogue()[key]
    except KeyError as exc:
        raise KeyError(f"missing i18n key {key!r}") from exc
    text = pair[0] if lang != "en" else pair[1]
    return text.format(**params) if params else text


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 2) -> str:
    """Bahasa Indonesia writes 1.234,56; English 1,234.56."""
    if value is None or value != value:  # None or NaN
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def fmt_ha(value: float | None, lang: str = DEFAULT_LANG) -> str:
    return f"{fmt_number(value, lang, 2)} ha"


def fmt_pct(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    return f"{fmt_number(value, lang, decimals)} %"
