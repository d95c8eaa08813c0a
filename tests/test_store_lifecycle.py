"""A dataset a team lives with: versions that say who/when/what/why, restores, conflicts, names,
locks, interrupted saves, settings and clipping."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import box

from tests.factories import tiny_dataset
from utils import store
from utils.store import changes
from utils.store.settings import SettingsError, apply_settings, clip_to_kabkota, kabkota_list

PROJECT = Path(__file__).resolve().parents[1]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("v")}


def test_a_version_records_who_when_what_and_why(private_store):
    first = store.save(tiny_dataset(), "Kota Uji 2023–2024", author="Ani", note="impor awal")
    assert first.display_name == "Kota Uji 2023–2024" and first.name == "kota_uji_2023_2024"
    assert first.changes["assessments"] == {"added": 4, "changed": 0, "removed": 0} and first.based_on is None
    ds = store.load(first.name)
    ds.assessments.loc[0, "p_1a"] = 10.0  # one cell
    ds.assessments = ds.assessments.drop(index=3).reset_index(drop=True)  # one row out
    second = store.save(ds, first.name, author="Budi", note="koreksi 1a", base_version=1)
    assert second.changes == {"assessments": {"added": 0, "changed": 1, "removed": 1}}
    listed = store.list_versions(first.name)
    assert [(v.version, v.author, v.note, v.based_on) for v in listed] == [
        (1, "Ani", "impor awal", None), (2, "Budi", "koreksi 1a", 1)]
    assert listed[1].saved.endswith("UTC") and listed[1].display_name == "Kota Uji 2023–2024"
    assert store.list_datasets()[-1].author == "Budi"


def test_restore_writes_a_new_version_and_rewrites_nothing(private_store):
    store.save(tiny_dataset(), "kota", author="Ani")
    store.save(tiny_dataset(kel_name_b="Beta Baru"), "kota", author="Budi")
    before = files_of(private_store / "kota")
    info = store.restore("kota", 1, author="Citra", note="kembali")
    assert (info.version, info.restored_from, info.author, info.based_on) == (3, 1, "Citra", 2)
    assert info.changes == {"kelurahan": {"added": 0, "changed": 1, "removed": 0}}
    assert {k: v for k, v in files_of(private_store / "kota").items() if k in before} == before
    assert store.load("kota").kelurahan["kelurahan"].tolist() == ["Alfa", "Beta", "Gamma"]


def test_a_save_based_on_an_old_version_is_a_conflict(private_store):
    store.save(tiny_dataset(), "kota", author="Ani")
    opened = store.list_versions("kota")[-1].version
    store.save(tiny_dataset(kel_name_b="Beta 2"), "kota", author="Budi", base_version=opened)
    before = files_of(private_store / "kota")
    with pytest.raises(store.ConflictError) as exc:
        store.save(tiny_dataset(kel_name_b="Beta 3"), "kota", author="Citra", base_version=opened)
    err = exc.value
    assert err.latest.version == 2 and err.latest.author == "Budi"
    assert "disimpan ulang oleh Budi" in err.message("id") and "saved again by Budi" in err.message("en")
    assert err.latest.saved in err.message("en") and " / " in str(err)
    assert files_of(private_store / "kota") == before


def test_names_keep_letters_and_never_merge_two_datasets(private_store):
    assert store.slugify("Ωmega") == "ωmega" and store.slugify("Ωmega") != store.slugify("mega")
    assert store.slugify("Kelurahan Pônten") == "kelurahan_ponten"
    assert store.slugify("Kota Pasuruan 2023–2024") == "kota_pasuruan_2023_2024"
    with pytest.raises(store.StoreError):
        store.slugify("//")
    store.save(tiny_dataset(), "a/b", new_dataset=True)
    before = files_of(private_store / "a_b")
    with pytest.raises(store.NameClashError) as exc:
        store.save(tiny_dataset(), "a_b", new_dataset=True)
    assert exc.value.existing == "a/b" and "'a/b'" in exc.value.message("en")
    with pytest.raises(store.NameClashError):
        store.save(tiny_dataset(), "A b")  # same folder, another name, no explicit choice
    with pytest.raises(store.StoreError):
        store.save(tiny_dataset(), "nothing_here", new_dataset=False)
    assert files_of(private_store / "a_b") == before
    assert store.save(tiny_dataset(), "a/b").version == 2  # the same name again: its next version


def test_import_commit_refuses_a_name_of_another_dataset(shared_data, private_store):
    from utils.store import importer

    path = shared_data / "pasuruan_kelurahan.geojson"
    importer.commit(importer.prepare_paths([path]), "a/b")
    with pytest.raises(store.NameClashError):
        importer.commit(importer.prepare_paths([path]), "a_b")
    assert [v.version for v in store.list_versions("a_b")] == [1]


def test_history_lists_pruned_versions_as_not_kept(private_store):
    for i in range(7):
        store.save(tiny_dataset(kel_name_b=f"Beta {i}"), "kota", author=f"u{i}")
    hist = store.history("kota")
    assert [(v.version, v.kept) for v in hist] == [(1, False), (2, False), *[(v, True) for v in range(3, 8)]]
    assert hist[0].author == "u0" and hist[0].path is None


def _save_script(root: Path, n: int, tag: str) -> str:
    return (f"import os; os.environ['KOTAKU_DATA_DIR'] = {str(root)!r}\n"
            "from tests.factories import tiny_dataset\nfrom utils import store\n"
            f"for i in range({n}):\n"
            f"    store.save(tiny_dataset(kel_name_b='{tag}' + str(i)), 'kota', author='{tag}')\n")


def test_two_processes_never_interleave_a_save(private_store):
    env = dict(os.environ, KOTAKU_DATA_DIR=str(private_store))
    procs = [subprocess.Popen([sys.executable, "-c", _save_script(private_store, 3, tag)], cwd=PROJECT, env=env)
             for tag in ("P", "Q")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    hist = store.history("kota")
    assert [v.version for v in hist] == [1, 2, 3, 4, 5, 6]
    assert [v.based_on for v in hist] == [None, 1, 2, 3, 4, 5]  # each saw the one before it
    assert sorted(v.author for v in hist) == ["P"] * 3 + ["Q"] * 3


def test_a_held_lock_makes_a_save_wait(private_store):
    store.save(tiny_dataset(), "kota")
    env = dict(os.environ, KOTAKU_DATA_DIR=str(private_store))
    with open(private_store / "kota" / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        proc = subprocess.Popen([sys.executable, "-c", _save_script(private_store, 1, "W")], cwd=PROJECT, env=env)
        time.sleep(6)
        assert [v.version for v in store.list_versions("kota")] == [1]  # still waiting
        fcntl.flock(fh, fcntl.LOCK_UN)
    assert proc.wait(timeout=120) == 0
    assert [v.version for v in store.list_versions("kota")] == [1, 2]


def test_a_save_killed_midway_leaves_the_previous_version_and_its_temp_files_go(private_store):
    store.save(tiny_dataset(), "kota")
    script = (f"import os; os.environ['KOTAKU_DATA_DIR'] = {str(private_store)!r}\n"
              "import pyogrio\nfrom tests.factories import tiny_dataset\nfrom utils import store\n"
              "def killed(ds, path, record=None):\n"
              "    pyogrio.write_dataframe(ds.kelurahan, path, layer='kelurahan', driver='GPKG')\n"
              "    open(str(path) + '-journal', 'wb').write(b'x' * 1000)\n"
              "    os._exit(9)\n"
              "store.files.write_gpkg = killed\n"
              "store.save(tiny_dataset(kel_name_b='Never'), 'kota')\n")
    r = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, timeout=120)
    assert r.returncode == 9
    folder = private_store / "kota"
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))
    assert len(left) == 2 and left[1].endswith(".gpkg-journal")
    assert store.load("kota").kelurahan["kelurahan"].tolist() == ["Alfa", "Beta", "Gamma"]
    assert sorted(store.cleanup()) == sorted(f"kota/{n}" for n in left)  # at start
    assert not any(p.name.startswith(".tmp-") for p in folder.iterdir())
    subprocess.run([sys.executable, "-c", script], cwd=PROJECT, timeout=120)
    store.save(tiny_dataset(kel_name_b="Next"), "kota")  # ... or at the next save
    assert not any(p.name.startswith(".tmp-") for p in folder.iterdir())
    assert [v.version for v in store.list_versions("kota")] == [1, 2]


def test_diff_counts_rows_per_table():
    old, new = tiny_dataset(), tiny_dataset(kel_name_b="Beta Baru", years=(2020, 2021, 2022))
    new.investments = pd.DataFrame({"year": [2021], "kode_kel": ["35.75.01.1001"], "criterion": ["2b"],
                                    "activity": ["paving"], "budget_idr": [1e8]})
    new.meta.target_year = 2029
    d = changes.diff(old, new)
    assert d["kelurahan"] == {"added": 0, "changed": 1, "removed": 0}
    assert d["assessments"] == {"added": 2, "changed": 0, "removed": 0}
    assert d["investments"] == {"added": 1, "changed": 0, "removed": 0}
    assert d["settings"]["fields"] == ["target_year"] and "kecamatan" not in d
    assert changes.diff(old, tiny_dataset()) == {}
    assert "penilaian +2 ~0 −0" in changes.summary(d, "id")


def test_settings_are_validated_and_kept_as_typed():
    ds = tiny_dataset()
    out = apply_settings(ds, {"display_name": "Kota Pasuruan 2023–2024", "status": "official", "target_year": "2029",
                              "target_ha": "1,5", "sk_periods": [{"id": "1", "label": "SK 2020", "baseline_year": 2020,
                                                                  "target_year": 2027, "target_ha": 0.5}]})
    assert out.meta.display_name == "Kota Pasuruan 2023–2024" and out.meta.status == "official"
    assert (out.meta.target_year, out.meta.target_ha) == (2029, 1.5)
    assert (out.meta.sk_periods[0].target_year, out.meta.sk_periods[0].target_ha) == (2027, 0.5)
    assert ds.meta.status == "draft" and ds.meta.target_year == 2030  # the original is untouched
    with pytest.raises(SettingsError) as exc:
        apply_settings(ds, {"target_year": 2019, "status": "final"}, "en")
    assert "Target year 2019 for SK uji is not after its baseline year 2020." in exc.value.errors
    assert any("final" in e for e in exc.value.errors)
    with pytest.raises(SettingsError) as exc:
        apply_settings(ds, {"target_year": 2019}, "id")
    assert "tidak sesudah tahun dasar 2020" in exc.value.errors[0]
    with pytest.raises(SettingsError):
        apply_settings(ds, {"sk_periods": []})  # period 1 is used by rows


def test_a_settings_change_is_a_version(private_store):
    first = store.save(tiny_dataset(), "Kota Uji")
    ds = apply_settings(store.load("kota_uji"), {"target_year": 2029, "status": "official"})
    info = store.save(ds, ds.meta.name, author="Ani", base_version=first.version)
    assert info.changes == {"settings": {"added": 0, "changed": 2, "removed": 0,
                                         "fields": ["status", "target_year"]}}
    assert info.status == "official" and store.load("kota_uji").meta.target_year == 2029


def test_clip_to_one_kabkota():
    ds = tiny_dataset()
    kel = ds.kelurahan.copy()
    extra = kel.iloc[[0]].copy()
    extra["kode_kel"], extra["kode_kec"], extra["kecamatan"] = "35.14.01.2001", "35.14.01", "Lain"
    extra["geometry"] = [box(112.95, -7.64, 112.96, -7.63)]
    ds.kelurahan = pd.concat([kel, extra], ignore_index=True).set_crs(4326, allow_override=True)
    assert kabkota_list(ds)["kode_kab"].tolist() == ["35.14", "35.75"]
    clipped = clip_to_kabkota(ds, "35.14", city="Kab. Pasuruan")
    assert clipped.kelurahan["kode_kel"].tolist() == ["35.14.01.2001"] and clipped.assessments.empty
    assert clipped.meta.city == "Kab. Pasuruan" and clipped.kecamatan["kode_kec"].tolist() == ["35.14.01"]
    kota = clip_to_kabkota(ds, "35.75")
    assert len(kota.kelurahan) == 3 and len(kota.assessments) == 4
    with pytest.raises(SettingsError) as exc:
        clip_to_kabkota(ds, "35.99", lang="en")
    assert "35.99" in exc.value.errors[0] and "35.14, 35.75" in exc.value.errors[0]


def test_a_new_process_removes_temp_files_at_start_but_not_under_a_held_lock(private_store):
    store.save(tiny_dataset(), "kota")
    store.save(tiny_dataset(), "lain")
    for folder in ("kota", "lain"):
        (private_store / folder / ".tmp-abc.gpkg").write_bytes(b"x" * 100)
        (private_store / folder / ".tmp-abc.gpkg-journal").write_bytes(b"x")
    env = dict(os.environ, KOTAKU_DATA_DIR=str(private_store))
    with open(private_store / "lain" / ".lock", "a+") as fh:  # a save running in another process
        fcntl.flock(fh, fcntl.LOCK_EX)
        r = subprocess.run([sys.executable, "-c", "from utils import store; print(len(store.list_datasets()))"],
                           cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert not any(p.name.startswith(".tmp-") for p in (private_store / "kota").iterdir())
    assert len([p for p in (private_store / "lain").iterdir() if p.name.startswith(".tmp-")]) == 2


def test_a_deleted_version_number_is_never_reused(private_store):
    store.save(tiny_dataset(), "kota")
    store.save(tiny_dataset(kel_name_b="Dua"), "kota")
    store.delete_version("kota", 2)
    assert store.save(tiny_dataset(kel_name_b="Tiga"), "kota").version == 3
    assert [v.version for v in store.history("kota")] == [1, 2, 3]
    assert [v.kept for v in store.history("kota")] == [True, False, True]
