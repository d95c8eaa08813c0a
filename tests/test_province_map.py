"""Level of detail of a province map: kab/kota outlines at the province's zoom, kecamatan outlines
from a kab/kota's zoom, kelurahan borders further in; fills, legend and click target at every zoom."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from tests.factories import tiny_dataset
from utils.store.dataset import Dataset, DatasetMeta, dissolve_kecamatan
from utils.views import map_data, maps, offline_assets

SIDE = 40  # 1,600 kelurahan: above CANVAS_ABOVE, so the canvas layer is what is tested


def grid_province() -> Dataset:
    """4 kab/kota (20 x 20 kelurahan each), 16 kecamatan each (5 x 5 kelurahan)."""
    rows, geoms = [], []
    d = 0.01
    for i in range(SIDE):
        for j in range(SIDE):
            kab = f"35.{10 + 2 * (i // 20) + j // 20:02d}"
            kec = f"{kab}.{1 + 4 * ((i % 20) // 5) + (j % 20) // 5:02d}"
            rows.append({"kode_kel": f"{kec}.{1001 + 5 * (i % 5) + j % 5}", "kelurahan": f"K{i}-{j}",
                         "kode_kec": kec, "kecamatan": f"Kec {kec}", "kab_kota": f"Kabupaten {kab}"})
            x, y = round(112 + j * d, 4), round(-7 - i * d, 4)
            geoms.append(box(x, round(y - d, 4), round(x + d, 4), y))
    kel = gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)
    meta = DatasetMeta(name="grid", city="Provinsi Uji", city_code="35", sk_periods=[], region="Provinsi Uji")
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel))


def test_lod_config_for_a_province_and_none_for_a_city():
    assert map_data.lod_config(34, 1, 3) is None  # one city: everything at every zoom
    jatim = map_data.lod_config(8494, 38, 666)
    assert jatim == {"kec": 2.12, "kel": 3.12}  # a kab/kota's zoom, then one level further in
    assert map_data.lod_config(40_000, 4, 100)["kel"] == pytest.approx(3.26, abs=0.01)  # dense: by kelurahan width
    base = map_data.build_base_layers(grid_province())
    assert base.n_kab == 4 and base.geo["lod"] == map_data.lod_config(SIDE * SIDE, 4, 64)
    assert [r[1] for r in base.geo["kab"]["r"]] == [f"Kabupaten 35.{c}" for c in (10, 11, 12, 13)]
    assert map_data.build_base_layers(tiny_dataset()).geo["lod"] is None
    # the province map gets a kab/kota outline layer; a city's does not
    script = maps.base_map(base, "id", "Provinsi Uji").get_root().render()
    assert '"part": "kab"' in script or '"part":"kab"' in script
    city = map_data.build_base_layers(tiny_dataset())
    assert '"kab"' not in maps.base_map(city, "id", "Kota Uji").get_root().render().split("loadGeo")[0]


def test_zooming_switches_outlines_and_borders_but_not_fills_legend_or_clicks(offline_page, artifacts):
    ds = grid_province()
    base = map_data.build_base_layers(ds)
    page = offline_page
    page.set_content(offline_assets.map_to_standalone_html(maps.build_map(base, None, "id", "Provinsi Uji")))
    page.wait_for_function("() => window.__kotakuDrawnAt && kotaku.choro && kotaku.choro.drawn > 0", timeout=60_000)
    state = """() => {
      const K = kotaku, f = K.choro.getLayers()[0];
      const hit = K.choro._hit(L.latLng(-7.155, 112.255));
      return {zoom: K.map.getZoom(), fit: K.map.getBoundsZoom(K.lodBounds), kec: K.lodOn("kec"),
              kecShown: K.map.hasLayer(K.kecOutlines.layer), border: K.choroStyle(f).opacity,
              fill: K.choroStyle(f).fillColor, drawn: K.choro.drawn, hit: hit && hit.properties.kode_kel,
              legend: document.querySelectorAll('.kotaku-legend').length};
    }"""
    wide = page.evaluate(state)
    assert wide["kec"] is False and wide["kecShown"] is False and wide["border"] == 0
    assert wide["drawn"] == SIDE * SIDE and wide["legend"] >= 1 and wide["fill"]
    assert wide["hit"] == "35.11.14.1001"  # row 15, column 25 of the grid: the click target is exact
    page.screenshot(path=str(artifacts / "province_lod_wide.png"))

    lod = base.geo["lod"]
    zoom = wide["fit"] + lod["kec"] + 0.1
    page.evaluate(f"() => kotaku.map.setView([-7.155, 112.255], {zoom}, {{animate: false}})")
    mid = page.evaluate(state)
    assert mid["kec"] is True and mid["kecShown"] is True and mid["border"] == 0
    assert mid["hit"] == wide["hit"] and mid["legend"] == wide["legend"] and mid["fill"] == wide["fill"]
    page.screenshot(path=str(artifacts / "province_lod_kab.png"))

    page.evaluate(f"() => kotaku.map.setZoom({wide['fit']} + {lod['kel']} + 0.1, {{animate: false}})")
    near = page.evaluate(state)
    assert near["kecShown"] is True and near["border"] == 1
    assert near["hit"] == wide["hit"] and near["legend"] == wide["legend"]
    page.screenshot(path=str(artifacts / "province_lod_kec.png"))
