"""One store contract, two backends: every test here runs on the GeoPackage folder and on PostGIS.

The PostGIS runs use a throwaway cluster (tests/pg_cluster.py); they are skipped, with the reason, only
when no PostgreSQL can be started, and fail instead when KOTAKU_REQUIRE_PG=1 (CI).
"""
from __future__ import annotations

import copy
import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from shapely.geometry import LineString, MultiPolygon, box

from tests.factories import tiny_dataset
from utils import store
from utils.store.base import ConflictError, NameClashError, StoreError
from utils.store.dataset import Dataset


@pytest.fixture(params=["file", "postgis"])
def backend(request, monkeypatch, private_store):
    """Selects the backend the way the app does: KOTAKU_DATABASE_URL set or not."""
    if request.param == "postgis":
        monkeypatch.setenv(store.DATABASE_ENV, request.getfixturevalue("pg_url"))
    else:
        monkeypatch.delenv(store.DATABASE_ENV, raising=False)
    return request.param


def rich_dataset(name: str = "rich") -> Dataset:
    """Every table filled, extra assessment columns, a MultiPolygon among Polygons, NaNs, a display layer."""
    ds = tiny_dataset(name)
    kel = ds.kelurahan.copy()
    kel.loc[1, "geometry"] = MultiPolygon([box(1, 0, 1.5, 1), box(1.5, 0, 2, 1)])
    ds.kelurahan = kel
    a = ds.assessments.copy()
    a["pl_8a"] = ["legal", "tidak legal"] * (len(a) // 2) + ["legal"] * (len(a) % 2)
    a["priority_input"] = np.linspace(0.1, 0.7, len(a))
    a.loc[0, "priority_input"] = np.nan
    a["rt"] = [f"RT {i:02d}" for i in range(len(a))]
    ds.assessments = a
    ds.investments = pd.DataFrame({
        "year": [2020, 2021], "kode_kel": ["35.75.01.1001", "35.75.01.1002"], "kawasan_id": ["", ""],
        "rt": ["", ""], "criterion": ["1a", "2b"], "activity": ["Jalan lingkungan", "Drainase"],
        "volume": [120.5, np.nan], "unit": ["m", "m"], "budget_idr": [150_000_000, 98_765_432_100],
        "funding_source": ["APBD", "APBN"], "implementer": ["PUPR", "BKM"]})
    ds.commitments = pd.DataFrame({"year": [2026], "kode_kel": ["35.75.01.1001"], "who": ["Dinas PUPR"],
                                   "what": ["Jalan 200 m; “kutip” & <b>\tC:\\x\nbaris 2"], "budget_idr": [2.5e8]})
    ds.kawasan = gpd.GeoDataFrame({"kawasan_id": ["K1"], "kawasan": ["Kawasan \\Pesisir\t"],
                                   "kode_kel": [ds.kelurahan["kode_kel"].iloc[0]]},
                                  geometry=[box(0.1, 0.1, 0.4, 0.4)], crs=4326)
    ds.display = {"outline": gpd.GeoDataFrame({"kind": ["edge"]}, geometry=[LineString([(0, 0), (1, 1)])],
                                              crs=4326)}
    return ds


def same_frames(a: pd.DataFrame | None, b: pd.DataFrame | None) -> None:
    assert (a is None or len(a) == 0) == (b is None or len(b) == 0)
    if a is None or len(a) == 0:
        return
    assert list(a.columns) == list(b.columns)
    geo = [c for c in a.columns if str(a[c].dtype) == "geometry"]
    plain = [c for c in a.columns if c not in geo]
    assert_frame_equal(pd.DataFrame(a[plain]).reset_index(drop=True), pd.DataFrame(b[plain]).reset_index(drop=True),
                       check_exact=True)
    for col in geo:
        assert list(a[col].normalize().to_wkb()) == list(b[col].normalize().to_wkb()) or \
            all(x.equals(y) for x, y in zip(a[col], b[col]))


def test_round_trip_of_every_table(backend):
    ds = rich_dataset()
    info = store.save(ds, author="Ani", note="impor pertama")
    back = store.load(info.name)
    for table in ("kelurahan", "kecamatan", "kawasan", "assessments", "investments", "commitments"):
        same_frames(getattr(ds, table), getattr(back, table))
    assert "outline" in back.display  # layers built at save (simplified outlines) come back too
    same_frames(ds.display["outline"], back.display["outline"])
    assert back.meta.sk_periods == ds.meta.sk_periods and back.meta.target_year == ds.meta.target_year
    assert back.assessments["year"].dtype == np.int64 and back.assessments["priority_input"].dtype == np.float64
    assert np.isnan(back.assessments["priority_input"].iloc[0])
    assert int(back.investments["budget_idr"].iloc[1]) == 98_765_432_100
    assert back.commitments["what"].iloc[0] == "Jalan 200 m; “kutip” & <b>\tC:\\x\nbaris 2"


def test_versions_history_and_restore(backend):
    ds = tiny_dataset("riwayat")
    v1 = store.save(ds, author="Ani", note="impor")
    edited = copy.deepcopy(ds)
    edited.kelurahan.loc[0, "kelurahan"] = "Alfa Baru"
    v2 = store.save(edited, "riwayat", author="Budi", note="ejaan", base_version=v1.version)
    assert (v2.version, v2.based_on) == (v1.version + 1, v1.version)
    assert v2.changes["kelurahan"] == {"added": 0, "changed": 1, "removed": 0}
    v3 = store.restore("riwayat", v1.version, author="Citra", note="kembali")
    assert v3.restored_from == v1.version and v3.version == v2.version + 1
    assert store.load("riwayat").kelurahan["kelurahan"].tolist() == ds.kelurahan["kelurahan"].tolist()
    assert store.load("riwayat", v2.version).kelurahan["kelurahan"].iloc[0] == "Alfa Baru"
    hist = store.history("riwayat")
    assert [(h.version, h.author, h.note) for h in hist] == [
        (v1.version, "Ani", "impor"), (v2.version, "Budi", "ejaan"), (v3.version, "Citra", "kembali")]
    assert [v.version for v in store.list_versions("riwayat")] == [v1.version, v2.version, v3.version]


def test_pruning_keeps_the_last_versions_and_the_whole_history(backend):
    ds = tiny_dataset("pangkas")
    for i in range(4):
        ds.meta.notes = f"putaran {i}"
        store.save(ds, "pangkas", keep=2, note=f"n{i}")
    kept = store.list_versions("pangkas")
    assert [v.version for v in kept] == [3, 4]
    hist = store.history("pangkas")
    assert [(h.version, h.kept) for h in hist] == [(1, False), (2, False), (3, True), (4, True)]
    with pytest.raises(StoreError):
        store.load("pangkas", 1)
    assert store.load("pangkas", 3).meta.notes == "putaran 2"


def test_delete_version(backend):
    ds = tiny_dataset("hapus")
    store.save(ds)
    store.save(ds, "hapus")
    store.delete_version("hapus", 2)
    assert [v.version for v in store.list_versions("hapus")] == [1]
    with pytest.raises(StoreError):
        store.delete_version("hapus", 7)


def test_settings_are_a_version(backend):
    ds = tiny_dataset("atur")
    v1 = store.save(ds, author="Ani")
    changed = copy.deepcopy(store.load("atur"))
    changed.meta.display_name = "Kota Uji 2023–2024"
    changed.meta.status = "official"
    changed.meta.target_year = 2029
    v2 = store.save(changed, "atur", base_version=v1.version, author="Ani")
    assert (v2.display_name, v2.status) == ("Kota Uji 2023–2024", "official")
    assert set(v2.changes["settings"]["fields"]) >= {"display_name", "status", "target_year"}
    latest = next(i for i in store.list_datasets() if i.name == "atur")
    assert latest.status == "official" and latest.display_name == "Kota Uji 2023–2024"
    assert store.load("atur").meta.target_year == 2029
    # the display name reaches the same dataset; another name on the same folder is refused
    store.save(changed, "Kota Uji 2023–2024", author="Ani")
    with pytest.raises(NameClashError):
        store.save(tiny_dataset(), "ATUR!", new_dataset=None)
    with pytest.raises(NameClashError):
        store.save(tiny_dataset(), "atur", new_dataset=True)


def test_sample_is_listed_and_read_only(backend):
    if not store.sample_path().exists():
        pytest.skip("sample dataset not generated")
    infos = store.list_datasets()
    assert infos[0].name == store.SAMPLE_NAME and infos[0].builtin
    assert len(store.load(store.SAMPLE_NAME).kelurahan) > 0
    with pytest.raises(StoreError):
        store.save(tiny_dataset(), store.SAMPLE_NAME)


def test_a_stale_base_version_is_refused_naming_who_saved_first(backend):
    ds = tiny_dataset("bentrok")
    v1 = store.save(ds, author="Ani")
    mine, theirs = copy.deepcopy(ds), copy.deepcopy(ds)
    theirs.kelurahan.loc[0, "kelurahan"] = "Dari Budi"
    store.save(theirs, "bentrok", author="Budi", base_version=v1.version)
    mine.kelurahan.loc[0, "kelurahan"] = "Dari Ani"
    with pytest.raises(ConflictError) as err:
        store.save(mine, "bentrok", author="Ani", base_version=v1.version)
    assert err.value.latest.author == "Budi" and "Budi" in str(err.value)
    assert store.load("bentrok").kelurahan["kelurahan"].iloc[0] == "Dari Budi"


def test_concurrent_saves_never_lose_data(backend):
    ds = tiny_dataset("serentak")
    store.save(ds, author="awal")
    n = 6
    errors: list[BaseException] = []
    saved: dict[str, int] = {}

    def worker(i: int) -> None:
        mine = copy.deepcopy(ds)
        mine.kelurahan.loc[0, "kelurahan"] = f"Penulis {i}"
        try:
            saved[f"Penulis {i}"] = store.save(mine, "serentak", author=f"p{i}", keep=20).version
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors, errors
    assert sorted(saved.values()) == list(range(2, n + 2))  # each its own version, none overwritten
    for text, version in saved.items():
        assert store.load("serentak", version).kelurahan["kelurahan"].iloc[0] == text


def test_concurrent_saves_on_one_base_let_exactly_one_through(backend):
    ds = tiny_dataset("satu")
    v1 = store.save(ds)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            store.save(ds, "satu", author=f"p{i}", base_version=v1.version)
            result = "saved"
        except ConflictError:
            result = "conflict"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert sorted(outcomes) == ["conflict"] * 3 + ["saved"]
    assert [v.version for v in store.list_versions("satu")] == [1, 2]
