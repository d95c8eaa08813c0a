"""The embedded sample: reproducible, calibrated to the public Kota Pasuruan figures, clean geometry."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from utils import store
from utils.method.criteria import CRITERION_IDS, FUNDING_SOURCES
from utils.method.scoring import score
from utils.sample import P1_SLUM_HA, P2_SLUM_HA, build_sample, read_facts
from utils.store.dataset import Dataset

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FACTS = SHARED_DATA / "pasuruan_kelurahan.csv"
needs_facts = pytest.mark.skipif(not FACTS.exists(), reason=f"{FACTS} is absent (CI lays shared/data beside the checkout)")


@pytest.fixture(scope="module")
def built() -> Dataset:
    if not FACTS.exists():
        pytest.skip(f"{FACTS} is absent")
    return build_sample(FACTS)


@pytest.fixture(scope="module")
def committed() -> Dataset:
    return store.read_gpkg(store.sample_path())


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    """Comparable form: WKT for geometry, plain objects for text, default index."""
    out = pd.DataFrame(frame).reset_index(drop=True).copy()
    for col in out.columns:
        if isinstance(out[col].dtype, gpd.array.GeometryDtype) or col == "geometry":
            out[col] = shapely.to_wkt(np.asarray(out[col]), rounding_precision=7)
        elif not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].astype(object)
    return out


def _assert_same(a: Dataset, b: Dataset) -> None:
    for layer in ("kelurahan", "kecamatan", "kawasan", "assessments", "investments"):
        pd.testing.assert_frame_equal(_norm(getattr(a, layer)), _norm(getattr(b, layer)), check_dtype=False,
                                      obj=layer)
    assert a.meta.to_dict() == b.meta.to_dict()


def _slum_by_year(ds: Dataset) -> dict[tuple[str, int], float]:
    s = score(ds.assessments).frame
    return {(str(p), int(y)): v for (p, y), v in s.groupby(["sk_period", "year"])["slum_ha"].sum().items()}


@needs_facts
def test_regeneration_is_deterministic_and_matches_committed(built, committed):
    _assert_same(built, build_sample(FACTS))
    _assert_same(built, committed)


def test_committed_sample_loads_through_the_store():
    ds = store.load("kota_pasuruan_sample")
    assert ds.meta.illustrative is True
    assert ds.meta.city == "Kota Pasuruan" and ds.meta.city_code == "35.75"
    assert [p.baseline_year for p in ds.meta.sk_periods] == [2014, 2024]
    assert ds.meta.target_year == 2030 and ds.meta.target_ha == 0.0
    assert not ds.scored.frame.empty


def test_published_series(committed):
    got = _slum_by_year(committed)
    expected = {**{("1", y): v for y, v in P1_SLUM_HA.items()}, **{("2", y): v for y, v in P2_SLUM_HA.items()}}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert abs(got[key] - value) < 0.005, key
    assert abs(P1_SLUM_HA[2014] - P1_SLUM_HA[2019] - 52.88) < 0.005


def test_kelurahan_figures_at_end_of_2018(committed):
    s = score(committed.assessments).frame
    names = committed.kelurahan.set_index("kode_kel")["kelurahan"]
    by_kel = s[s["year"] == 2018].groupby("kode_kel")["slum_ha"].sum()
    by_name = {names[k]: v for k, v in by_kel.items()}
    assert by_name["Ngemplakrejo"] == pytest.approx(10.84, abs=0.005)
    assert by_name["Mandaranrejo"] == pytest.approx(6.16, abs=0.005)
    assert len(by_kel) == 11


def test_period_2_is_all_kumuh_ringan_in_24_kelurahan(committed):
    s = score(committed.assessments).frame
    p2 = s[s["sk_period"] == "2"]
    assert set(p2["category"]) <= {"KR", "TK"}
    assert set(p2.loc[p2["year"] == 2024, "category"]) == {"KR"}
    assert p2["kode_kel"].nunique() == 24
    kec = p2["kode_kel"].str[:8].unique()
    assert len(kec) == 4
    names = set(committed.kelurahan.set_index("kode_kel").loc[p2["kode_kel"].unique(), "kelurahan"])
    assert {"Tamba'an", "Panggungrejo", "Mandaranrejo"} <= names


def test_period_1_mix_and_access_improves(committed):
    s = score(committed.assessments).frame
    base = s[(s["sk_period"] == "1") & (s["year"] == 2014)]
    assert {"KR", "KS"} <= set(base["category"])
    access = s[s["sk_period"] == "1"].groupby("year")[["water_access_pct", "sanitation_access_pct"]].mean()
    assert access.diff().dropna().ge(0).all().all()


@needs_facts
def test_boundaries_codes_and_tiling(committed):
    facts = read_facts(FACTS)
    kel = committed.kelurahan
    assert len(kel) == 34 and sorted(kel["kode_kel"]) == sorted(facts["kode"])
    assert {"Tapa'an", "Tamba'an"} <= set(kel["kelurahan"])
    assert len(committed.kecamatan) == 4
    assert kel.crs.to_epsg() == 4326
    geoms = kel.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    metric = kel.to_crs("EPSG:32749").geometry.to_numpy()
    tree = shapely.STRtree(metric)
    i, j = tree.query(metric, predicate="intersects")
    keep = i < j
    overlap = shapely.area(shapely.intersection(metric[i[keep]], metric[j[keep]])).sum()
    assert overlap < 1.0  # m2
    merged = shapely.union_all(metric)
    assert merged.geom_type == "Polygon" and shapely.get_num_interior_rings(merged) == 0  # no gaps
    pts = dict(zip(facts["kode"], gpd.points_from_xy(facts["lon"], facts["lat"])))
    for code, geom in zip(kel["kode_kel"], geoms):
        assert geom.contains(pts[code]), code
    rel = np.abs(shapely.area(metric) / 1e4 / facts.set_index("kode").loc[kel["kode_kel"], "area_ha"].to_numpy() - 1)
    assert rel.mean() < 0.10 and rel.max() < 0.30


def test_kawasan_inside_kelurahan_and_sized_to_rts(committed):
    kaw = committed.kawasan.to_crs("EPSG:32749")
    kel = committed.kelurahan.to_crs("EPSG:32749").set_index("kode_kel")
    area = committed.assessments.drop_duplicates(["sk_period", "kawasan_id", "rt"]).groupby("kawasan_id")["area_ha"].sum()
    assert set(kaw["kawasan_id"]) == set(area.index)
    for _, row in kaw.iterrows():
        assert row.geometry.is_valid
        assert row.geometry.difference(kel.loc[row["kode_kel"], "geometry"]).area < 1.0
        assert row.geometry.area / 1e4 == pytest.approx(area[row["kawasan_id"]], rel=0.02)


def test_investments_explain_the_fall_in_volumes(committed):
    a = committed.assessments
    keys = ["sk_period", "kode_kel", "kawasan_id", "rt"]
    long = a.melt(id_vars=[*keys, "year"], value_vars=[f"v_{c}" for c in CRITERION_IDS],
                  var_name="criterion", value_name="volume")
    long["criterion"] = long["criterion"].str[2:]
    long = long.sort_values([*keys, "criterion", "year"])
    long["fall"] = -long.groupby([*keys, "criterion"])["volume"].diff()
    falls = long[long["fall"].fillna(0) > 1e-9].set_index(["year", "kode_kel", "kawasan_id", "rt", "criterion"])["fall"]
    inv = committed.investments.set_index(["year", "kode_kel", "kawasan_id", "rt", "criterion"])["volume"]
    assert len(falls) == len(inv)
    assert np.allclose(inv.sort_index().to_numpy(), falls.sort_index().to_numpy(), atol=1e-6)
    assert inv.index.equals(inv.index.unique())
    assert (long["fall"].fillna(0) >= -1e-9).all()  # volumes never grow
    assert 2025 in set(committed.investments["year"])
    assert set(committed.investments["funding_source"]) <= set(FUNDING_SOURCES)
    assert (committed.investments["budget_idr"] > 0).all()
