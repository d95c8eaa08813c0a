"""Map payloads and builders: features, categories per year, escaping, simplification, offline."""
from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from tests.factories import tiny_dataset
from utils.analysis import trends
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan
from utils.views import map_data, maps, offline_assets

EVIL = "<img src=x onerror=alert(1)>"
KEY = ("tiny", 1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    map_data.clear_cache()
    yield
    map_data.clear_cache()


def clean_coverage(n_side: int = 6, seed: int = 3) -> np.ndarray:
    """A clean coverage with wiggly shared edges: a jittered Voronoi tessellation, densified and
    displaced by one smooth field, so neighbours share every vertex exactly."""
    rng = np.random.default_rng(seed)
    frame = box(112.0, -7.7, 112.0 + 0.01 * n_side, -7.7 + 0.01 * n_side)
    pts = shapely.points(rng.uniform(112.0, 112.0 + 0.01 * n_side, n_side**2),
                         rng.uniform(-7.7, -7.7 + 0.01 * n_side, n_side**2))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = shapely.segmentize(cells, 0.0002)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = 0.0003 * np.sin(y * 900) + 0.0001 * np.sin(x * 3100 + y * 700)
        dy = 0.0003 * np.sin(x * 800) + 0.0001 * np.cos(y * 2900 - x * 500)
        return np.round(np.column_stack([x + dx, y + dy]), 7)

    return shapely.transform(cells, wiggle)


def dataset_from(geoms: np.ndarray, names: list[str] | None = None) -> Dataset:
    n = len(geoms)
    kel = gpd.GeoDataFrame({
        "kode_kel": [f"35.99.{1 + i % 3:02d}.{1001 + i}" for i in range(n)],
        "kelurahan": names or [f"Kel {i}" for i in range(n)],
        "kode_kec": [f"35.99.{1 + i % 3:02d}" for i in range(n)],
        "kecamatan": [f"Kec {1 + i % 3}" for i in range(n)],
    }, geometry=list(geoms), crs="EPSG:4326")
    meta = DatasetMeta(name="cov", city="Kota Uji", city_code="35.99", sk_periods=[SkPeriod("1", "uji", 2020)])
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel))


def test_feature_count_and_properties():
    ds = tiny_dataset()
    base = map_data.base_layers(ds, KEY)
    assert base.n_features == 3
    kel = base.geo["kel"]
    assert kel["p"] == ["kode_kel", "kelurahan", "kecamatan"]  # only what the map uses
    assert [r[0] for r in kel["r"]] == list(ds.kelurahan["kode_kel"])
    assert kel["g"]["n"] == [1, 1, 1] and len(kel["g"]["l"]) == 3
    gj = map_data.kelurahan_geojson(ds, KEY, 2020)
    assert len(gj["features"]) == 3
    assert set(gj["features"][0]["properties"]) == {"kode_kel", "kelurahan", "kecamatan", "category", "score",
                                                    "slum_ha"}


def test_category_per_kelurahan_per_year():
    ds = tiny_dataset()
    expected = {2020: {"35.75.01.1001": "KB", "35.75.01.1002": "KR", "35.75.02.1001": "ND"},
                2021: {"35.75.01.1001": "KS", "35.75.01.1002": "TK", "35.75.02.1001": "ND"}}
    for year, cats in expected.items():
        yl = map_data.year_layer(ds, year, "id", KEY)
        assert yl.categories == cats
        data = json.loads(yl.json)["d"]
        # the browser colours from this table; ND kelurahan are absent and drawn as "no data"
        assert {k: v[0] for k, v in data.items()} == {k: c for k, c in cats.items() if c != "ND"}
        kel = trends.kelurahan_year(ds, year).set_index("kode_kel")
        for kode, (_cat, score, _ha) in data.items():
            assert score == int(kel.loc[kode, "total_score"])
    assert json.loads(map_data.year_layer(ds, 2020, "id", KEY).json)["d"]["35.75.01.1002"] == ["KR", 16, "1,25 ha"]
    assert json.loads(map_data.year_layer(ds, 2020, "en", KEY).json)["d"]["35.75.01.1002"][2] == "1.25 ha"


def test_names_are_escaped_everywhere():
    ds = tiny_dataset(kel_name_b=EVIL)
    base = map_data.base_layers(ds, KEY)
    yl = map_data.year_layer(ds, 2020, "id", KEY)
    m = maps.build_map(base, yl, "id", EVIL)
    page = offline_assets.map_to_standalone_html(m)
    assert EVIL not in page
    assert "<img" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # present, as inert JSON text
    # the decoded JSON still carries the real name for textContent
    assert base.geo["kel"]["r"][1][1] == EVIL
    assert maps.escape_md(EVIL).count("<") == 0


def test_simplification_keeps_features_and_shared_edges():
    geoms = clean_coverage()
    assert shapely.coverage_is_valid(geoms)
    ds = dataset_from(geoms)
    base = map_data.build_base_layers(ds)
    assert base.clean_coverage
    assert len(base.display_geoms) == len(geoms) == base.n_features
    assert base.vertices_out < base.vertices_in
    # what the browser draws (rounded, packed, unpacked) still tiles: shared edges match exactly
    drawn = [shapely.geometry.shape(g) for g in map_data.decode_layer(base.geo["kel"], base.geo["s"])]
    assert len(drawn) == len(geoms)
    assert shapely.coverage_is_valid(np.asarray(drawn, dtype=object))
    # every pair of neighbours still shares a boundary line
    for i, j in [(0, k) for k in range(1, len(geoms))]:
        if shapely.intersection(geoms[i], geoms[j]).geom_type in ("LineString", "MultiLineString"):
            assert shapely.intersection(drawn[i], drawn[j]).length > 0


def test_unclean_input_is_simplified_per_polygon_and_keeps_every_feature():
    geoms = np.asarray([box(0, 0, 1, 1), box(0.9, 0, 2, 1), box(0, 1, 2, 2)], dtype=object)  # overlap
    ds = dataset_from(geoms)
    base = map_data.build_base_layers(ds)
    assert not base.clean_coverage
    assert len(base.geo["kel"]["r"]) == 3
    assert all(g is not None for g in map_data.decode_layer(base.geo["kel"], base.geo["s"]))


def test_encode_round_trip_rounding_and_orientation():
    tri = shapely.Polygon([(112.123456789, -7.1), (112.2, -7.1), (112.2, -7.2), (112.123456789, -7.1)])
    donut = shapely.Polygon([(0, 0), (0, 1), (1, 1), (1, 0)], [[(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)]])
    tiny = shapely.Polygon([(0, 0), (1e-7, 0), (1e-7, 1e-7)])  # vanishes on the grid, keeps its row
    layer = map_data.encode_layer(["k"], [["a"], ["b"], ["c"]], [tri, donut, tiny], 10**5)
    assert layer["g"]["n"] == [1, 1, 0] and layer["g"]["q"] == [1, 2]
    assert all(isinstance(v, int) for v in layer["g"]["c"])
    back = map_data.decode_layer(layer, 10**5)
    assert back[0]["coordinates"][0][0][0] == pytest.approx([112.12346, -7.1])
    assert back[2] is None
    d = shapely.geometry.shape(back[1]).geoms[0]
    assert d.area == pytest.approx(0.64)  # the hole survives
    # exteriors counter-clockwise, holes clockwise (the canvas fills with the nonzero rule)
    assert d.exterior.is_ccw and not d.interiors[0].is_ccw


def test_map_loads_nothing_from_the_internet():
    ds = tiny_dataset()
    base = map_data.base_layers(ds, KEY)
    m = maps.build_map(base, map_data.year_layer(ds, 2020, "id", KEY), "id", "Kota Uji")
    assert offline_assets.external_links(m) == []
    assert offline_assets.external_links(__import__("folium").Map()) != []  # folium's defaults would
    page = offline_assets.map_to_standalone_html(m)
    tags = re.findall(r"<(?:script|link)[^>]*(?:src|href)=[\"']([^\"']+)", page)
    assert tags == []  # everything inline
    assert "L.map(" in page and "Leaflet 1.9.3" in page


def test_cache_is_keyed_and_checks_the_dataset_object():
    ds = tiny_dataset()
    a = map_data.base_layers(ds, KEY)
    assert map_data.base_layers(ds, KEY) is a
    other = tiny_dataset(kel_name_b="Lain")
    b = map_data.base_layers(other, KEY)  # same key, another object: rebuilt, not stale
    assert b is not a and b.geo["kel"]["r"][1][1] == "Lain"
    assert map_data.year_layer(ds, 2020, "id", KEY) is map_data.year_layer(ds, 2020, "id", KEY)


def test_dynamic_year_part_is_separate_from_the_base_script():
    """The year travels in a feature group, so the base map script (and the component key
    streamlit-folium derives from it) is the same for every year: the viewport is kept."""
    from streamlit_folium import _get_map_string

    ds = tiny_dataset()
    base = map_data.base_layers(ds, KEY)
    scripts = []
    for _ in range(2):
        m = maps.base_map(base, "id", "Kota Uji")
        m.get_root().render()
        scripts.append(_get_map_string(m))
    assert scripts[0] == scripts[1]  # deterministic
    g20 = maps.year_groups(base, map_data.year_layer(ds, 2020, "id", KEY), "id", "Kota Uji")
    g21 = maps.year_groups(base, map_data.year_layer(ds, 2021, "id", KEY), "id", "Kota Uji")
    assert len(g20) == len(g21) == 1


def test_focus_view_frames_the_kelurahan():
    ds = tiny_dataset()
    base = map_data.base_layers(ds, KEY)
    center, zoom = maps.focus_view(base, "35.75.01.1001")
    assert center == pytest.approx([-7.635, 112.905], abs=1e-3)
    assert 14 <= zoom <= 17


def test_geometry_is_published_once_and_fetched_by_the_map(tmp_path):
    """The app's map script carries only the geometry file's URL (and the prefetch link), so a
    Streamlit rerun stays small; the file is content-addressed and written once."""
    from streamlit_folium import _get_map_string

    ds = tiny_dataset(kel_name_b=EVIL)
    base = map_data.base_layers(ds, KEY)
    url = offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=tmp_path)
    path = offline_assets.geometry_path(base.geo_hash, tmp_path)
    assert url == f"../../app/static/maps/{path.name}" and base.geo_hash in path.name
    assert json.loads(path.read_text(encoding="utf-8")) == base.geo
    mtime = path.stat().st_mtime_ns
    assert offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=tmp_path) == url
    assert path.stat().st_mtime_ns == mtime  # not rewritten
    path.unlink()  # removed meanwhile: simply written again
    offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=tmp_path)
    assert path.exists()

    m = maps.base_map(base, "id", "Kota Uji", geo_url=url)
    m.get_root().render()
    script = _get_map_string(m)
    assert f'kotaku.loadGeo("{url}")' in script
    assert "Alfa" not in script and "onerror" not in script  # no names, no geometry in the script
    links = [u for _, u in m.default_js]
    assert links[0].startswith("../../app/static/js/map-prefetch.js?v=") and "&geo=" in links[0]
    assert links[1].endswith("leaflet.js")
    assert [u.split("?")[0].rsplit("/", 1)[1] for u in links[2:]] == ["map-core.js", "map-canvas.js", "map-layers.js",
                                                                     "map-priority.js"]
    assert offline_assets.external_links(m) == []


def test_standalone_export_inlines_the_geometry(tmp_path):
    ds = tiny_dataset(kel_name_b=EVIL)
    base = map_data.base_layers(ds, KEY)
    url = offline_assets.publish_geometry(base.geo_json, base.geo_hash, static_dir=tmp_path)
    m = maps.build_map(base, map_data.year_layer(ds, 2020, "id", KEY), "id", "Kota Uji", geo_url=url)
    page = offline_assets.map_to_standalone_html(m)
    assert "kotaku.loadGeo(\"" not in page and "kotaku.setGeo(JSON.parse(" in page
    assert "maps/geo-" not in page and "map-prefetch.js" not in page
    assert EVIL not in page and "<img" not in page


def test_report_engine_map_uses_the_map_page_map():
    """utils.report's optional engine map calls maps.build_kelurahan_map + map_to_standalone_html."""
    from utils.views import report

    ds = tiny_dataset(kel_name_b=EVIL)
    doc = report._engine_map_html(ds, 2020, "id")
    assert doc is not None and "kotaku.setGeo(JSON.parse(" in doc and "Leaflet 1.9.3" in doc
    assert EVIL not in doc
    assert re.findall(r"<(?:script|link)[^>]*(?:src|href)=", doc) == []
    html_doc = report.briefing_html(ds, 2020, "id", engine_map=True)
    assert 'iframe title="map"' in html_doc


def test_map_script_holds_calls_and_data_only():
    """The browser code is in static/js (inlined by the export); the map script Python writes is one
    runtime call per element with JSON arguments: no function of ours is defined in it."""
    from streamlit_folium import _get_map_string

    ds = tiny_dataset()
    base = map_data.base_layers(ds, KEY)
    m = maps.build_map(base, map_data.year_layer(ds, 2020, "id", KEY), "id", "Kota Uji", sync=True)
    m.get_root().render()
    script = _get_map_string(m)
    assert "function" not in script and "=>" not in script
    for call in ("kotaku.init(", "kotaku.layers.choropleth(", "kotaku.layers.labels(", "kotaku.addLegend(",
                 "kotaku.syncSiblings(", "kotaku.setGeo(JSON.parse("):
        assert call in script
    page = offline_assets.map_to_standalone_html(m)
    for rel in offline_assets.RUNTIME_FILES:  # the runtime is inlined, in order, after Leaflet
        assert offline_assets.own_text(rel).strip()[-40:] in page
    assert page.index("Leaflet 1.9.3") < page.index("K.FastPolygons = L.Layer.extend") < page.index("kotaku.init(map_")
