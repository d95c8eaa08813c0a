"""The projection rule on hand-computed units: volumes minus commitments, floored at 0, scored again."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from utils.analysis import projection as P
from utils.io import commitments as reg
from utils.method.criteria import CRITERIA, CRITERION_IDS
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

KEL_A, KEL_B = "35.75.01.1001", "35.75.01.1002"
# every denominator 100 (area 1 ha), so a volume of 30 is 30 %
DENOMS = {"area_ha": 1.0, "buildings": 100, "population": 400, "households": 100, "road_length_m": 100.0,
          "drainage_length_m": 100.0}


def unit(kel: str, rt: str, area: float = 1.0, **pct: float) -> dict:
    """A unit whose every criterion is 30 % affected (score 1: total 16, Kumuh Ringan) unless given."""
    row = {"year": 2025, "sk_period": "1", "kode_kel": kel, "kawasan_id": f"K-{kel[-4:]}", "rt": rt,
           **DENOMS, "area_ha": area}
    for c in CRITERIA:
        share = pct.get(f"v_{c.id}", 30.0) / 100.0
        row[f"v_{c.id}"] = share * (area if c.denominator == "area_ha" else DENOMS[c.denominator])
    return row


def dataset(rows: list[dict], commitments: list[dict] | None = None) -> Dataset:
    kel = gpd.GeoDataFrame({"kode_kel": [KEL_A, KEL_B], "kelurahan": ["Alfa", "Beta"],
                            "kode_kec": ["35.75.01", "35.75.01"], "kecamatan": ["Satu", "Satu"]},
                           geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    meta = DatasetMeta(name="proj", city="Kota Uji", city_code="35.75", sk_periods=[SkPeriod("1", "SK uji", 2024)],
                       target_year=2030)
    com = reg.stored(pd.DataFrame([{"stakeholder": "X", "stakeholder_type": "Pemda OPD", "status": "komitmen",
                                    **c} for c in commitments or []]))
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel), assessments=pd.DataFrame(rows),
                   commitments=com)


def projected(ds: Dataset, year: int, statuses=P.COUNTED) -> pd.DataFrame:
    y0, units = P.latest_units(ds)
    return P.project_units(units, P.allocate(units, ds.commitments, statuses, after_year=y0), year)


def test_baseline_units_are_kumuh_ringan_at_16():
    _, units = P.latest_units(dataset([unit(KEL_A, "RT 01")]))
    assert int(units["total_score"].iloc[0]) == 16 and units["category"].iloc[0] == "KR"


def test_unit_level_commitment_makes_the_unit_tk():
    ds = dataset([unit(KEL_A, "RT 01"), unit(KEL_A, "RT 02")],
                 [{"kode_kel": KEL_A, "rt": "RT 01", "criterion": "3a", "volume": 10, "unit": "KK", "year": 2027}])
    before = projected(ds, 2026)
    assert list(before["p_3a"]) == [30.0, 30.0]  # 2027's work is not done at the end of 2026
    after = projected(ds, 2027)
    # RT 01: 30 - 10 = 20 KK of 100 -> 20 % -> score 0 -> total 15 -> TK; RT 02 untouched
    assert list(after["p_3a"]) == [20.0, 30.0]
    assert list(after["total_score"]) == [15, 16]
    assert list(after["category"]) == ["TK", "KR"]
    assert list(after["slum_ha"]) == [0.0, 1.0]
    series = P.projection_series(ds)
    assert list(series["year"]) == list(range(2025, 2031))
    assert list(series["slum_ha"]) == [2.0, 2.0, 1.0, 1.0, 1.0, 1.0]


def test_kelurahan_commitment_spreads_by_affected_volume():
    # Alfa: RT 01 has 30 KK without water (3a), RT 02 has 90; 60 KK for the whole kelurahan:
    # shares 30/120 and 90/120 -> 15 and 45 -> 15 KK (15 %) and 45 KK (45 %) left
    ds = dataset([unit(KEL_A, "RT 01"), unit(KEL_A, "RT 02", v_3a=90.0), unit(KEL_B, "RT 01")],
                 [{"kode_kel": KEL_A, "criterion": "3a", "volume": 60, "year": 2026}])
    out = projected(ds, 2026)
    assert out["p_3a"].tolist() == [15.0, 45.0, 30.0]
    assert out["n_3a"].tolist() == [0, 1, 1]
    # RT 02 scored 5 on 3a (total 20, KR); now 1 (total 16); RT 01 drops to 15: TK
    _, units = P.latest_units(ds)
    assert units["total_score"].tolist() == [16, 20, 16]
    assert out["total_score"].tolist() == [15, 16, 16]
    assert out["category"].tolist() == ["TK", "KR", "KR"]
    shares = P.allocate(units, ds.commitments, after_year=2025)
    assert shares["amount"].round(6).tolist() == [15.0, 45.0]


def test_volume_floors_at_zero_and_area_criteria_use_area():
    ds = dataset([unit(KEL_A, "RT 01", area=2.0)],
                 [{"kode_kel": KEL_A, "criterion": "3a", "volume": 500, "year": 2026},
                  {"kode_kel": KEL_A, "criterion": "1b", "volume": 0.5, "unit": "ha", "year": 2026}])
    out = projected(ds, 2030)
    assert out["p_3a"].iloc[0] == 0.0 and out["v_3a"].iloc[0] == 0.0  # never negative
    assert out["v_1b"].iloc[0] == pytest.approx(0.1)  # 30 % of 2 ha = 0.6 ha, minus 0.5
    assert out["p_1b"].iloc[0] == 5.0


def test_statuses_years_and_kawasan():
    rows = [unit(KEL_A, "RT 01"), unit(KEL_B, "RT 01")]
    ds = dataset(rows, [
        {"kode_kel": KEL_A, "criterion": "3a", "volume": 30, "year": 2026, "status": "usulan"},
        {"kode_kel": KEL_A, "criterion": "5a", "volume": 30, "year": 2025},  # already in the 2025 assessment
        {"kode_kel": KEL_B, "kawasan_id": "K-1002", "criterion": "7a", "volume": 30, "unit": "unit", "year": 2029,
         "status": "selesai"},
    ])
    counted = projected(ds, 2030)
    assert counted["p_3a"].tolist() == [30.0, 30.0] and counted["p_5a"].tolist() == [30.0, 30.0]
    assert counted["p_7a"].tolist() == [30.0, 0.0]
    with_proposals = projected(ds, 2030, statuses=P.WITH_PROPOSALS)
    assert with_proposals["p_3a"].tolist() == [0.0, 30.0]
    assert P.projection_dict(ds) == {"2025": 2.0, "2026": 2.0, "2027": 2.0, "2028": 2.0, "2029": 1.0, "2030": 1.0}
    assert P.projection_series(ds, statuses=P.WITH_PROPOSALS)["slum_ha"].tolist() == [2.0, 1.0, 1.0, 1.0, 0.0, 0.0]


def test_coverage_gaps_and_uncommitted_ha():
    heavy = {f"v_{c}": 80.0 for c in ("3a", "5a")}  # two criteria at score 5 in Alfa
    ds = dataset([unit(KEL_A, "RT 01", **heavy), unit(KEL_B, "RT 01", area=3.0, v_7a=60.0)],
                 [{"kode_kel": KEL_A, "criterion": "3a", "volume": 10, "year": 2027}])
    cov = P.coverage(ds).set_index("kode_kel")
    assert cov.loc[KEL_A, "n_bad"] == 2 and cov.loc[KEL_A, "status"] == P.COVER_SOME
    assert cov.loc[KEL_A, "uncovered"] == ["5a"]
    assert cov.loc[KEL_B, "status"] == P.COVER_NONE and cov.loc[KEL_B, "uncovered"] == ["7a"]
    assert cov.loc[KEL_A, "ha_no_commitment"] == 0.0 and cov.loc[KEL_B, "ha_no_commitment"] == 3.0
    gaps = P.gap_list(cov.reset_index())
    assert gaps["kode_kel"].tolist() == [KEL_B, KEL_A]  # largest uncommitted ha first
    assert P.n_gaps(cov) == 2
    more = pd.concat([ds.commitments, reg.stored(pd.DataFrame([{
        "stakeholder": "Y", "stakeholder_type": "swasta/CSR", "kode_kel": KEL_A, "criterion": "5a", "volume": 5,
        "year": 2028, "status": "berjalan"}]))])
    cov2 = P.coverage(ds, more)
    assert P.n_gaps(cov2) == 1
    assert cov2.set_index("kode_kel").loc[KEL_A, "status"] == P.COVER_ALL
    out = P.outlook(ds, more)
    assert out["n_commitments"] == 2 and out["no_commitment_ha"] == 3.0 and out["year"] == 2030


def test_sample_commitments_are_illustrative_and_leave_kelurahan_uncovered():
    from utils import store
    from utils.sample.commitments import sample_commitments

    ds = store.load(store.SAMPLE_NAME)
    com = sample_commitments(ds, np.random.default_rng(7))
    assert len(com) >= 20 and com["note"].str.contains("lustrati").all()
    assert com["stakeholder_type"].nunique() >= 6
    assert set(com["criterion"]) <= set(CRITERION_IDS) | {reg.LAND_LEGALISATION}
    check = reg.check_commitments(com, ds.kelurahan, ds.kawasan)
    assert check.ok, [f.message("en") for f in check.findings]
    ds.commitments = com
    cov = P.coverage(ds)
    assert (cov["status"] == P.COVER_NONE).sum() >= 4  # some slum kelurahan have nobody
    proj = P.projection_dict(ds)
    years = sorted(proj)
    assert years[0] == "2025" and years[-1] == "2030"
    assert proj["2030"] < proj["2025"] == 115.09
