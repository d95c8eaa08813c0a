"""The GeoPackage store: round trip, atomic writes, version pruning."""
from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

from tests.factories import tiny_dataset
from utils import store


def test_round_trip_keeps_everything(private_store):
    ds = tiny_dataset()
    info = store.save(ds)
    assert info.path.parent == private_store / "tiny" and info.version == 1
    back = store.load("tiny")
    assert back.meta.display_name == "tiny" and ds.meta.display_name == ""  # the caller's object is untouched
    back.meta.display_name = ""
    assert back.meta == ds.meta
    assert list(back.kelurahan["kelurahan"]) == ["Alfa", "Beta", "Gamma"]
    assert back.kelurahan.crs.to_epsg() == 4326
    assert back.kelurahan.total_bounds.round(8).tolist() == ds.kelurahan.total_bounds.round(8).tolist()
    pd.testing.assert_frame_equal(back.scored.frame[["kode_kel", "year", "total_score", "category"]],
                                  ds.scored.frame[["kode_kel", "year", "total_score", "category"]],
                                  check_dtype=False)
    # one GeoPackage, with the layers a QGIS user expects
    layers = {name for name, _ in pyogrio.list_layers(info.path)}
    assert {"kelurahan", "kecamatan", "assessments", "metadata"} <= layers


def test_failed_write_leaves_previous_version_readable(private_store, monkeypatch):
    store.save(tiny_dataset())
    before = sorted(p.name for p in (private_store / "tiny").iterdir())

    def explode(dataset, path, record=None):
        pyogrio.write_dataframe(dataset.kelurahan, path, layer="kelurahan", driver="GPKG")
        raise OSError("disk full")

    monkeypatch.setattr(store.files, "write_gpkg", explode)
    with pytest.raises(OSError):
        store.save(tiny_dataset(kel_name_b="Changed"))
    assert sorted(p.name for p in (private_store / "tiny").iterdir()) == before  # no temp file left
    assert list(store.load("tiny").kelurahan["kelurahan"]) == ["Alfa", "Beta", "Gamma"]


def test_only_the_last_five_versions_are_kept(private_store):
    for i in range(7):
        store.save(tiny_dataset(kel_name_b=f"Beta {i}"))
    versions = store.list_versions("tiny")
    assert [v.version for v in versions] == [3, 4, 5, 6, 7]
    assert store.load("tiny", 3).kelurahan["kelurahan"].iloc[1] == "Beta 2"
    assert store.load("tiny").kelurahan["kelurahan"].iloc[1] == "Beta 6"


def test_sample_cannot_be_overwritten_and_names_are_safe(private_store):
    with pytest.raises(store.StoreError):
        store.save(tiny_dataset(), name=store.SAMPLE_NAME)
    info = store.save(tiny_dataset(), name="../../Kota Uji!")
    assert info.path.parent == private_store / "kota_uji"
    store.delete_version("kota_uji", 1)
    assert store.list_versions("kota_uji") == []
