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


# ---- adding tables to a stored dataset -----------------------------------------------------

def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def test_an_addition_is_checked_against_the_stored_boundaries_and_merged_in_memory(private_store):
    from utils.io.uploads import UploadError
    from utils.store import importer

    store.save(tiny_dataset(), "Kota Uji", author="Ani")
    rows = tiny_dataset().assessments.query("year == 2021").assign(year=2022)
    preview = importer.preview_addition("kota_uji", assessments=("tahun_2022.csv", _csv(rows)))
    assert preview.ok and preview.years_replaced == [] and preview.new_years == [2022]
    assert preview.dataset.years == [2020, 2021, 2022] and store.load("kota_uji").years == [2020, 2021]
    ba = preview.before_after.set_index("year")
    assert (ba.loc[2022, "rows_before"], ba.loc[2022, "rows_after"]) == (0, 2)
    assert ba.loc[2022, "slum_ha_after"] == pytest.approx(2.0)  # Alfa 2 ha KR, Beta TK
    info = importer.commit_addition(preview, replace_years=False, author="Budi", note="2022")
    assert (info.version, info.author, info.changes) == (2, "Budi", {"assessments": {"added": 2, "changed": 0,
                                                                                       "removed": 0}})
    # a stored year: listed, shown before/after, refused without the confirmation
    worse = tiny_dataset().assessments.query("year == 2020").assign(year=2021)
    again = importer.preview_addition("kota_uji", assessments=("ulang.csv", _csv(worse)), lang="en")
    assert again.ok and again.years_replaced == [2021]
    assert "Year 2021 is already stored in 'Kota Uji'" in " ".join(again.report.lines("en"))
    ba = again.before_after.set_index("year")
    assert (ba.loc[2021, "slum_ha_before"], ba.loc[2021, "slum_ha_after"]) == (pytest.approx(2.0), pytest.approx(3.25))
    with pytest.raises(UploadError) as exc:
        importer.commit_addition(again, replace_years=False)
    assert "2021" in exc.value.finding.message("id") and "--replace-years" in exc.value.finding.message("en")
    assert store.list_versions("kota_uji")[-1].version == 2
    info = importer.commit_addition(again, replace_years=True)
    assert info.changes == {"assessments": {"added": 0, "changed": 2, "removed": 0}}


def test_an_addition_with_unknown_kelurahan_or_nothing_is_refused(private_store):
    from utils.store import importer

    store.save(tiny_dataset(), "kota")
    rows = tiny_dataset().assessments.query("year == 2021").assign(year=2022)
    rows.loc[rows.index[0], "kode_kel"] = "35.75.09.9999"
    bad = importer.preview_addition("kota", assessments=("x.csv", _csv(rows)))
    assert not bad.ok and bad.dataset is None and "import.row_unmatched" in bad.report.keys()
    assert not importer.preview_addition("kota").ok
    assert "addition.no_dataset" in importer.preview_addition("tidak_ada", assessments=("x.csv", b"a")).report.keys()
    sample = importer.preview_addition(store.SAMPLE_NAME, assessments=("x.csv", b"a"))
    assert "addition.sample_read_only" in sample.report.keys()
    assert [v.version for v in store.list_versions("kota")] == [1]


def test_investments_are_added_by_year(private_store):
    from utils.store import importer

    ds = tiny_dataset()
    ds.investments = pd.DataFrame({"year": [2020], "kode_kel": ["35.75.01.1001"], "kawasan_id": ["A"], "rt": [""],
                                   "criterion": ["2b"], "activity": ["paving"], "volume": [10.0], "unit": ["m"],
                                   "budget_idr": [1e8], "funding_source": ["APBN"], "implementer": ["PUPR"]})
    store.save(ds, "kota")
    new = pd.DataFrame({"Tahun": [2021, 2021], "Kode Kelurahan": ["35.75.01.1001", "35.75.01.1002"],
                        "Kriteria": ["3a", "4b"], "Kegiatan": ["sumur", "saluran"], "Anggaran (Rp)": ["Rp 5.000.000",
                                                                                                  "7500000"]})
    preview = importer.preview_addition("kota", investments=("inv.csv", _csv(new)))
    assert preview.ok and preview.years_replaced == []
    inv = preview.dataset.investments
    assert sorted(inv["year"].astype(int)) == [2020, 2021, 2021]
    assert sorted(pd.to_numeric(inv["budget_idr"])) == [5e6, 7.5e6, 1e8]
    assert importer.commit_addition(preview, False).changes == {"investments": {"added": 2, "changed": 0,
                                                                                "removed": 0}}
