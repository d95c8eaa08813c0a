"""The embedded sample: reproducible, calibrated to the public Kota Pasuruan figures, clean geometry."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from utils import store
from utils.core.i18n import t
from utils.method.criteria import CRITERION_IDS, FUNDING_SOURCES
from utils.method.scoring import score
from utils.sample import CREDIT, P1_SLUM_HA, P2_SLUM_HA, build_sample, read_sources
from utils.sample.boundaries import PROJECT_DIR, SHARED_DIR, clean_coverage
from utils.store.dataset import Dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built() -> Dataset:
    return build_sample(PROJECT_DIR)  # the project's own copy: regenerating needs nothing outside the checkout


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
    for layer in ("kelurahan", "kecamatan", "kawasan", "assessments", "investments", "commitments"):
        left, right = getattr(a, layer), getattr(b, layer)
        assert (left is None) == (right is None), layer
        if left is not None:
            pd.testing.assert_frame_equal(_norm(left), _norm(right), check_dtype=False, obj=layer)
    assert a.meta.to_dict() == b.meta.to_dict()


def _slum_by_year(ds: Dataset) -> dict[tuple[str, int], float]:
    s = score(ds.assessments).frame
    return {(str(p), int(y)): v for (p, y), v in s.groupby(["sk_period", "year"])["slum_ha"].sum().items()}


def test_regeneration_is_deterministic_and_matches_committed(built, committed):
    _assert_same(built, build_sample(PROJECT_DIR))
    _assert_same(built, committed)


@pytest.mark.skipif(not (SHARED_DIR / "pasuruan_kelurahan.geojson").exists(), reason="no ../shared/data")
def test_project_copies_equal_the_shared_boundary_files():
    for name in ("pasuruan_kelurahan.geojson", "pasuruan_kecamatan.geojson"):
        assert (PROJECT_DIR / name).read_bytes() == (SHARED_DIR / name).read_bytes(), name


def test_the_boundary_licence_is_credited():
    assert CREDIT == "Kelurahan boundaries: cahyadsn/wilayah_boundaries, MIT License, Copyright (c) 2024 Cahya DSN"
    assert CREDIT in (ROOT / "data" / "CREDITS.md").read_text(encoding="utf-8")
    assert all(CREDIT in t("sample.credit", lang) for lang in ("id", "en"))
    assert 'ui.T("sample.credit")' in (ROOT / "pages" / "methodology.py").read_text(encoding="utf-8")
    assert CREDIT in store.read_gpkg(store.sample_path()).meta.source


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


def test_boundaries_are_the_real_kelurahan_as_a_clean_coverage(committed):
    src_kel, src_kec = read_sources(PROJECT_DIR)
    kel = committed.kelurahan
    assert len(kel) == 34 and list(kel["kode_kel"]) == list(src_kel["kode"])
    assert list(kel["kelurahan"]) == list(src_kel["kelurahan"])
    assert {"Tapa'an", "Tamba'an"} <= set(kel["kelurahan"])
    assert kel.crs.to_epsg() == 4326
    geoms = kel.geometry.to_numpy()
    assert shapely.is_valid(geoms).all() and set(kel.geom_type) == {"Polygon"}
    assert shapely.coverage_is_valid(geoms)
    metric = kel.to_crs("EPSG:32749").geometry.to_numpy()
    tree = shapely.STRtree(metric)
    i, j = tree.query(metric, predicate="intersects")
    keep = i < j
    assert shapely.area(shapely.intersection(metric[i[keep]], metric[j[keep]])).sum() < 1.0  # m2: no overlaps
    merged = shapely.union_all(metric)
    assert merged.geom_type == "Polygon" and shapely.get_num_interior_rings(merged) == 0  # no gaps
    # each kelurahan is its source polygon up to the border slivers (the source overlaps by 0.07 %)
    src = src_kel.to_crs("EPSG:32749").geometry.to_numpy()
    moved = shapely.area(shapely.symmetric_difference(metric, src)) / shapely.area(src)
    assert moved.max() < 0.02 and moved.mean() < 0.003
    assert abs(merged.area / 1e6 - 38.99) < 0.05  # km2, SOURCES.md: about 38.97 km2 (union, before gap filling)
    # a real source vertex survives as it is: the westernmost point of the city outline
    assert np.isclose(shapely.get_coordinates(geoms)[:, 0].min(), 112.8714024, atol=1e-9)
    # kecamatan: the dissolve of the kelurahan, within 0.2 % of the published kecamatan polygons
    kec = committed.kecamatan
    assert list(kec["kode_kec"]) == list(src_kec["kode_kec"]) and list(kec["kecamatan"]) == list(src_kec["kecamatan"])
    assert shapely.coverage_is_valid(kec.geometry.to_numpy())
    kec_m = kec.to_crs("EPSG:32749").geometry.to_numpy()
    src_kec_m = src_kec.to_crs("EPSG:32749").geometry.to_numpy()
    assert (shapely.area(shapely.symmetric_difference(kec_m, src_kec_m)) / shapely.area(src_kec_m)).max() < 0.002


def test_clean_coverage_gives_each_overlap_and_gap_to_one_neighbour():
    a, b = shapely.box(0, 0, 10, 10), shapely.box(9.9, 0, 20, 10)  # overlap by a 0.1 wide sliver
    out = clean_coverage(np.array([a, b], dtype=object), grid=1e-6)
    assert shapely.coverage_is_valid(out) and shapely.union_all(out).area == pytest.approx(200.0)
    assert out[0].area == pytest.approx(100.0) and out[1].area == pytest.approx(100.0)
    # a 0.1 wide gap between a and b, closed by a strip above and below: it joins a neighbour, no hole is left
    ring = [shapely.box(0, 0, 10, 10), shapely.box(10.1, 0, 20, 10),
            shapely.box(0, 10, 20, 12), shapely.box(0, -2, 20, 0)]
    out = clean_coverage(np.array(ring, dtype=object), grid=1e-6)
    merged = shapely.union_all(out)
    assert shapely.coverage_is_valid(out) and shapely.get_num_interior_rings(merged) == 0
    assert out[0].area == pytest.approx(101.0) and out[1].area == pytest.approx(99.0)


def test_kawasan_inside_kelurahan_and_sized_to_rts(committed):
    kaw = committed.kawasan.to_crs("EPSG:32749")
    kel = committed.kelurahan.to_crs("EPSG:32749").set_index("kode_kel")
    area = (committed.assessments.drop_duplicates(["sk_period", "kawasan_id", "rt"])
            .groupby("kawasan_id")["area_ha"].sum())
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


def test_methodology_page_shows_the_boundary_credit_and_what_is_real():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["page"] = "metodologi"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert any(CREDIT in c.value for c in at.caption)
    assert any("real (simplified) Kota Pasuruan boundaries" in w.value for w in at.warning)
