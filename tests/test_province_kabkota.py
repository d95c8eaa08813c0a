"""The kab/kota level of a province dataset: region name at import, kab/kota from the file or the
code prefix, a kab/kota's own figures, and the area picker on the overview and trends (AppTest)."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from utils import store
from utils.analysis import kabkota, trends
from utils.core.i18n import fmt_ha
from utils.method.criteria import CRITERION_IDS
from utils.store import importer, regions
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# three kab/kota; Lamongan has the most kelurahan (the old code named the province after it)
KABS = [("35.24", "Kabupaten Lamongan", 5), ("35.75", "Kota Pasuruan", 2), ("35.78", "Kota Surabaya", 3)]


def province_frame() -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for j, (kab, name, n) in enumerate(KABS):
        for i in range(n):
            kec = f"{kab}.{1 + i // 2:02d}"
            rows.append({"kode": f"{kec}.{1001 + i}", "nama": f"Desa {kab}-{i}", "kecamatan": f"Kec {kec}",
                         "kota": name, "provinsi": "Jawa Timur"})
            geoms.append(box(112 + i * 0.01, -7.5 - j * 0.01, 112.01 + i * 0.01, -7.49 - j * 0.01))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4326)


def test_import_names_the_province_not_its_largest_kab(tmp_path):
    path = tmp_path / "jatim.geojson"
    province_frame().to_file(path)
    preview = importer.prepare_paths([path])
    assert preview.ok, [f.key for f in preview.report.findings]
    ds = preview.dataset
    assert ds.meta.city == ds.meta.region == "Provinsi Jawa Timur"
    assert regions.region_name(ds) == "Provinsi Jawa Timur"
    kel = ds.kelurahan
    assert dict(zip(kel["kode_kab"], kel["kab_kota"])) == {k: n for k, n, _ in KABS}
    assert kabkota.options(ds) == {"35.24": "Kabupaten Lamongan", "35.75": "Kota Pasuruan", "35.78": "Kota Surabaya"}


def test_without_name_columns_kab_kota_come_from_the_code_and_the_region_from_the_dataset_name(tmp_path):
    path = tmp_path / "desa.geojson"
    province_frame().drop(columns=["kota", "provinsi"]).to_file(path)
    preview = importer.prepare_paths([path])
    assert preview.ok
    assert sorted(set(preview.dataset.kelurahan["kab_kota"])) == ["Kabupaten 35.24", "Kota 35.75", "Kota 35.78"]
    assert preview.dataset.meta.city != "Kabupaten 35.24"
    info = importer.commit(preview, "Jatim Uji")
    back = store.load(info.name)
    assert regions.region_name(back) == back.meta.city == "Jatim Uji"


def test_one_city_keeps_its_name():
    kel = province_frame()
    kel = kel[kel["kota"] == "Kota Pasuruan"].rename(columns={"kode": "kode_kel", "nama": "kelurahan"})
    kel["kode_kec"] = kel["kode_kel"].str[:8]
    meta = DatasetMeta(name="kota", city="Kota Pasuruan", city_code="35.75", sk_periods=[])
    ds = Dataset(meta=meta, kelurahan=kel, kecamatan=dissolve_kecamatan(kel))
    assert not regions.is_multi_kab(ds) and kabkota.options(ds) == {}
    assert regions.region_name(ds) == "Kota Pasuruan"


def province_dataset() -> Dataset:
    kel = province_frame().rename(columns={"kode": "kode_kel", "nama": "kelurahan", "kota": "kab_kota"})
    kel["kode_kec"] = kel["kode_kel"].str[:8]
    kel = regions.with_kabkota(kel.drop(columns="provinsi"))
    rows = []
    for year, pct in ((2023, 80.0), (2024, 50.0)):
        for k, code in enumerate(kel["kode_kel"]):
            rows.append({"year": year, "sk_period": "1", "kode_kel": code, "kawasan_id": f"K{k}", "rt": "RT 01",
                         "area_ha": 1.0 + k, **{f"p_{c}": pct for c in CRITERION_IDS}})
    meta = DatasetMeta(name="jatim", city="Provinsi Jawa Timur", city_code="35", region="Provinsi Jawa Timur",
                       sk_periods=[SkPeriod("1", "SK uji", 2023)])
    return Dataset(meta=meta, kelurahan=gpd.GeoDataFrame(kel, crs=4326), kecamatan=dissolve_kecamatan(kel),
                   assessments=pd.DataFrame(rows))


def test_a_kab_kota_subset_and_its_series():
    ds = province_dataset()
    sub = kabkota.for_kab(ds, "35.75")
    assert sub.meta.city == "Kota Pasuruan" and ds.meta.city == "Provinsi Jawa Timur"
    assert sorted(sub.kelurahan["kode_kel"]) == ["35.75.01.1001", "35.75.01.1002"]
    per_kab = kabkota.kab_year(ds, 2024).set_index("kode_kab")
    whole = trends.kelurahan_year(ds, 2024)["slum_ha"].sum()
    assert per_kab["slum_ha"].sum() == pytest.approx(whole)
    assert per_kab.loc["35.75", "slum_ha"] == pytest.approx(trends.kelurahan_year(sub, 2024)["slum_ha"].sum())
    series = kabkota.kab_series(ds)
    assert set(series["kode_kab"]) == {"35.24", "35.75", "35.78"} and set(series["year"]) == {2023, 2024}
    kec, kel = kabkota.profile_tables(ds, "35.24", 2024)
    assert list(kec["kecamatan"]) == ["Kec 35.24.01", "Kec 35.24.02", "Kec 35.24.03"]
    assert len(kel) == 5 and kec["kelurahan"].sum() == 5


def test_overview_and_trends_filter_by_kab_kota():
    ds = province_dataset()
    store.save(ds, "jatim")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.selectbox(key="dataset_name").set_value("jatim").run()
    at.selectbox(key="year").set_value(2024).run()
    assert not at.exception, at.exception
    assert "Provinsi Jawa Timur" in at.title[0].value
    whole = fmt_ha(trends.kelurahan_year(ds, 2024)["slum_ha"].sum(), "id")
    assert whole in [m.value for m in at.metric]
    assert any(h.value == "Luas kumuh per kabupaten/kota" for h in at.subheader)

    at.selectbox(key="kab_filter").set_value("35.75").run()
    assert not at.exception, at.exception
    assert "Kota Pasuruan" in at.title[0].value
    sub = kabkota.for_kab(ds, "35.75")
    assert fmt_ha(trends.kelurahan_year(sub, 2024)["slum_ha"].sum(), "id") in [m.value for m in at.metric]
    assert not any(h.value == "Luas kumuh per kabupaten/kota" for h in at.subheader)

    at.switch_page("pages/trends.py").run()  # the choice holds on the next page
    assert not at.exception, at.exception
    assert "Kota Pasuruan" in at.title[0].value
    at.selectbox(key="kab_filter").set_value("").run()
    assert any(h.value == "Luas kumuh per kabupaten/kota" for h in at.header)
