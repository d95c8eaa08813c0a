"""The map page under AppTest: what the map component receives (features, categories per year,
escaped names, local assets only), the profile panel, the kelurahan finder and the compare view."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT
from tests.factories import tiny_dataset
from utils import store

EVIL = "<img src=x onerror=alert(1)>"
YEAR_DATA = re.compile(r"kotaku\.setYear\((\{.*?\}), ")


@pytest.fixture
def at(private_store):
    store.save(tiny_dataset(name="tiny", kel_name_b=EVIL), "tiny")
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=90)
    app.session_state["dataset_name"] = "tiny"
    app.run()
    app.switch_page("pages/map.py")
    app.run()
    assert not app.exception, app.exception
    return app


def components(app) -> list[dict]:
    return [json.loads(c.proto.json_args) for c in app.get("component_instance")]


def geometry_file(script: str):
    """The published geometry file a map script fetches (under the project's static folder)."""
    url = re.search(r'kotaku\.loadGeo\("\.\./\.\./app/static/(maps/geo-[0-9a-f]+\.json)"\)', script).group(1)
    return PROJECT / "static" / url


def year_categories(args: dict, field: str = "feature_group") -> dict[str, str]:
    data = json.loads(YEAR_DATA.search(args[field]).group(1))
    return {k: v[0] for k, v in data["d"].items()}


def test_map_component_data_and_year_switch(at):
    (args,) = components(at)
    assert args["returned_objects"] == ["last_active_drawing"]
    assert all(link.startswith(("../../app/static/vendor/", "../../app/static/js/", "../../app/static/css/"))
               for link in args["js_links"] + args["css_links"])
    assert "map-prefetch.js?" in args["js_links"][0] and "&geo=" in args["js_links"][0]
    assert args["js_links"] and not any("http" in link for link in args["js_links"] + args["css_links"])
    script = args["script"]
    assert 'kotaku.layers.choropleth({"n":3,' in script
    # the geometry is not in the script: the page published it as a static file the map fetches
    geo_text = geometry_file(script).read_text(encoding="utf-8")
    geo = json.loads(geo_text)
    assert [r[0] for r in geo["kel"]["r"]] == ["35.75.01.1001", "35.75.01.1002", "35.75.02.1001"]
    assert geo["kel"]["g"]["n"] == [1, 1, 1]
    assert geo["kel"]["r"][1][1] == EVIL  # the real name, for textContent ...
    assert EVIL not in geo_text and "\\u003cimg src=x onerror=alert(1)\\u003e" in geo_text  # ... inert
    assert EVIL not in script and "<img" not in script + args["feature_group"]
    latest = at.session_state["year"]
    assert latest == 2021
    assert year_categories(args) == {"35.75.01.1001": "KS", "35.75.01.1002": "TK"}  # Gamma: no data

    at.selectbox(key="year").set_value(2020).run()
    (args20,) = components(at)
    assert year_categories(args20) == {"35.75.01.1001": "KB", "35.75.01.1002": "KR"}
    # same base script and component key: the browser keeps the map and its viewport
    assert args20["script"] == script and args20["key"] == args["key"]


def test_selected_kelurahan_opens_the_profile_panel_as_text(at):
    at.session_state["selected_kel"] = "35.75.01.1002"
    at.run()
    assert not at.exception
    heads = [h.value for h in at.subheader]
    assert any("img src=x onerror=alert" in h and "<img" not in h for h in heads)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kategori 2021"] == "Tidak Kumuh"
    assert metrics["Luas kumuh"] == "0,00 ha"
    (args,) = components(at)
    assert '"35.75.01.1002"' in args["feature_group"]  # highlighted on the map


def test_find_by_name_selects_and_zooms(at):
    at.selectbox(key="map_find").set_value("35.75.01.1001").run()
    assert at.session_state["selected_kel"] == "35.75.01.1001"
    (args,) = components(at)
    assert args["center"] == pytest.approx([-7.635, 112.905], abs=1e-3)
    assert args["zoom"] >= 14
    assert "Alfa" in [h.value for h in at.subheader]


def test_compare_shows_two_maps_with_two_years(at):
    at.toggle(key="map_compare").set_value(True).run()
    assert not at.exception
    left, right = components(at)
    assert year_categories(left, "script") == {"35.75.01.1001": "KB", "35.75.01.1002": "KR"}  # baseline 2020
    assert year_categories(right, "script") == {"35.75.01.1001": "KS", "35.75.01.1002": "TK"}  # sidebar 2021
    assert "kotaku.syncSiblings(" in left["script"] and "kotaku.syncSiblings(" in right["script"]
    assert geometry_file(left["script"]) == geometry_file(right["script"])  # one file, fetched once
    assert left["key"] != right["key"]


def test_presentation_mode_makes_the_map_taller(at):
    (normal,) = components(at)
    at.session_state["present"] = True
    at.run()
    (tall,) = components(at)
    assert tall["height"] > normal["height"] >= 500


def test_presentation_mode_keeps_only_the_bar_and_its_kelurahan_pick_zooms_the_map(at):
    at.session_state["present"] = True
    at.run()
    assert not at.exception
    keys = {w.key for w in at.selectbox} | {w.key for w in at.toggle}
    assert "map_find" not in keys and "map_compare" not in keys  # the projector bar is the only control
    (before,) = components(at)
    assert before["center"] is None
    at.selectbox(key="_present_kel").set_value("35.75.01.1001").run()
    assert at.session_state["selected_kel"] == "35.75.01.1001"
    (args,) = components(at)
    assert args["center"] == pytest.approx([-7.635, 112.905], abs=1e-3) and args["zoom"] >= 14
