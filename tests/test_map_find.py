"""The map page's kelurahan finder: a search with at most 50 matches instead of thousands of options."""
from __future__ import annotations

from utils.ui import map_find


def _names(n: int) -> dict[str, tuple[str, str]]:
    return {f"35.{i:05d}": (f"Kel{i:05d}", "Bugul" if i % 7 == 0 else f"Kec{i % 90}") for i in range(n)}


def test_matches_are_capped_and_counted() -> None:
    names = _names(8500)
    codes, total = map_find.matches(names, "kel01")
    assert total == 1000 and len(codes) == map_find.MAX_MATCHES
    assert codes[0] == "35.01000"  # names starting with the text first, then alphabetical


def test_matches_by_kecamatan_and_short_text() -> None:
    names = _names(100)
    codes, total = map_find.matches(names, "BUGUL")
    assert total == 15 and all(names[c][1] == "Bugul" for c in codes)
    assert map_find.matches(names, "k") == ([], 0)  # one letter lists nothing
