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


def test_province_scale_finder_on_the_page(private_store, monkeypatch) -> None:
    """Above LIST_MAX kelurahan the page shows a search box; typing lists the matches, picking selects."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT
    from tests.factories import tiny_dataset
    from utils import store

    monkeypatch.setattr(map_find, "LIST_MAX", 2)  # the tiny dataset's 3 kelurahan count as a province
    store.save(tiny_dataset(name="tiny"), "tiny")
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    at.session_state["dataset_name"] = "tiny"
    at.run()
    at.switch_page("pages/map.py")
    at.run()
    assert not at.exception, at.exception
    assert "map_find" not in {w.key for w in at.selectbox}  # no list of every kelurahan
    at.text_input(key=map_find.TEXT_KEY).input("alf").run()
    finder = at.selectbox(key="map_find")
    assert len(finder.options) == 1 and finder.options[0].startswith("Alfa")
    finder.set_value("35.75.01.1001").run()
    assert at.session_state["selected_kel"] == "35.75.01.1001"
    assert "Alfa" in [h.value for h in at.subheader]
