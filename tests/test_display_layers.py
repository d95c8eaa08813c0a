"""Display layers are built when a version is saved and read back after a restart, not rebuilt."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from shapely.geometry import box

from tests.factories import tiny_dataset
from utils import store
from utils.store import display
from utils.store.dataset import Dataset, DatasetMeta, dissolve_kecamatan
from utils.views import map_data


def _multi_kab(dirty: bool = False) -> Dataset:
    """Two kab/kota of two kecamatan of 2x2 kelurahan each; `dirty`: overlaps and a gap as in real files."""
    codes, geoms = [], []
    for kab, x0 in (("35.10", 112.0), ("35.75", 112.1)):
        for kec in range(2):
            for i in range(4):
                x = round(x0 + kec * 0.05 + (i % 2) * 0.025, 6)
                y = round(-7.6 + (i // 2) * 0.025, 6)
                g = box(x, y, round(x + 0.025, 6), round(y + 0.025, 6))
                if dirty and i == 0:
                    g = box(x, y, x + 0.0252, y + 0.0249)  # 20 m into its neighbour, 10 m short of the next
                codes.append(f"{kab}.{kec + 1:02d}.{1001 + i}")
                geoms.append(g)
    kel = gpd.GeoDataFrame({"kode_kel": codes, "kelurahan": [f"Kel {c}" for c in codes],
                            "kode_kec": [c[:8] for c in codes], "kecamatan": [f"Kec {c[:8]}" for c in codes]},
                           geometry=geoms, crs=4326)
    meta = DatasetMeta(name="prov", city="Provinsi Uji", city_code="35", sk_periods=[], region="Provinsi Uji")
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel))


def test_layers_are_built_at_save_and_used_after_a_restart(private_store):
    ds = _multi_kab()
    before = display.BUILD_COUNT
    info = store.save(ds, "prov")
    assert display.BUILD_COUNT == before + 1  # built once, at save
    layers = {name for name, _ in pyogrio.list_layers(info.path)}
    assert {"display_kel", "display_kec", "display_kab", "display_outline"} <= layers

    map_data.clear_cache()  # a restarted server: new process state, the version read from disk
    back = store.load("prov")
    assert back is not ds and display.is_current(back)
    base = map_data.base_layers(back, ("prov", info.version))
    assert display.BUILD_COUNT == before + 1  # opening the map did not rebuild
    assert base.n_features == 16 and base.n_kab == 2
    assert [r[1] for r in base.geo["kab"]["r"]] == ["Kabupaten 35.10", "Kota 35.75"]
    assert len(base.geo["kec"]["r"]) == 4
    # saving the loaded version again keeps the layers (no rebuild either)
    store.save(back, "prov")
    assert display.BUILD_COUNT == before + 1


def test_changed_boundaries_make_the_layers_stale():
    ds = _multi_kab()
    display.ensure(ds)
    assert display.is_current(ds)
    ds.kelurahan.loc[0, "geometry"] = box(112.0, -7.6, 112.02, -7.58)
    assert not display.is_current(ds)
    before = display.BUILD_COUNT
    assert display.ensure(ds) and display.BUILD_COUNT == before + 1
    assert display.is_current(ds)


def test_a_version_saved_without_layers_still_opens(private_store):
    ds = tiny_dataset()
    path = private_store / "old" / "v0001.gpkg"
    path.parent.mkdir(parents=True)
    store.write_gpkg(ds, path)  # as an older app wrote it: no display layers
    back = store.load("old")
    assert back.display == {}
    before = display.BUILD_COUNT
    base = map_data.build_base_layers(back)
    assert display.BUILD_COUNT == before + 1 and base.n_features == 3


def test_dirty_layer_outlines_are_unions_without_gap_holes():
    ds = _multi_kab(dirty=True)
    assert not shapely.coverage_is_valid(ds.kelurahan.geometry.values)
    layers = display.build(ds)
    assert not display.facts(layers)["clean"]
    assert len(layers["kel"]) == 16 and len(layers["kec"]) == 4 and len(layers["kab"]) == 2
    outline = layers["outline"].geometry.iloc[0]
    # the 10 m gaps between kelurahan are not holes in the kecamatan, kab/kota or region outlines
    for g in [*layers["kec"].geometry, *layers["kab"].geometry, outline]:
        assert sum(len(p.interiors) for p in shapely.get_parts(g)) == 0
    union = shapely.union_all(ds.kelurahan.geometry.values)
    assert 0 <= shapely.area(outline) - shapely.area(union) < 0.0252 * 0.0002 * 4  # only the gaps filled
    # each kab/kota outline covers exactly its own kelurahan
    kab = layers["kab"].set_index("kode_kab").geometry
    for code, grp in layers["kel"].groupby("kode_kab"):
        assert kab[code].buffer(1e-6).contains(shapely.union_all(grp.geometry.values))


def test_clean_coverage_outlines_match_the_kelurahan_edges():
    ds = _multi_kab()
    layers = display.build(ds)
    assert display.facts(layers)["clean"]
    assert shapely.coverage_is_valid(np.asarray(layers["kec"].geometry.values, dtype=object))
    outline, union = layers["outline"].geometry.iloc[0], shapely.union_all(ds.kelurahan.geometry.values)
    assert shapely.hausdorff_distance(outline, union) < 1e-9 and abs(outline.area - union.area) < 1e-12
