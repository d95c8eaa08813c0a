"""Small hand-made datasets for unit tests (the sample dataset covers the realistic cases)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from utils.method.criteria import CRITERION_IDS
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan


def tiny_dataset(name: str = "tiny", kel_name_b: str = "Beta", years=(2020, 2021)) -> Dataset:
    kel = gpd.GeoDataFrame(
        {"kode_kel": ["35.75.01.1001", "35.75.01.1002", "35.75.02.1001"],
         "kelurahan": ["Alfa", kel_name_b, "Gamma"],
         "kode_kec": ["35.75.01", "35.75.01", "35.75.02"],
         "kecamatan": ["Satu", "Satu", "Dua"]},
        geometry=[box(112.90, -7.64, 112.91, -7.63), box(112.91, -7.64, 112.92, -7.63),
                  box(112.90, -7.65, 112.92, -7.64)],
        crs="EPSG:4326",
    )
    rows = []
    for i, year in enumerate(years):
        # Alfa: heavy then improving; Beta: light then handled (TK); Gamma has no data
        rows.append({"year": year, "sk_period": "1", "kode_kel": "35.75.01.1001", "kawasan_id": "A", "rt": "RT 01",
                     "area_ha": 2.0, **{f"p_{c}": (100.0 if i == 0 else 60.0) for c in CRITERION_IDS}})
        rows.append({"year": year, "sk_period": "1", "kode_kel": "35.75.01.1002", "kawasan_id": "B", "rt": "RT 02",
                     "area_ha": 1.25, **{f"p_{c}": (30.0 if i == 0 else 0.0) for c in CRITERION_IDS}})
    meta = DatasetMeta(name=name, city="Kota Uji", city_code="35.75",
                       sk_periods=[SkPeriod("1", "SK uji", years[0])], target_year=2030, illustrative=False,
                       source="tests")
    return Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel), assessments=pd.DataFrame(rows))
