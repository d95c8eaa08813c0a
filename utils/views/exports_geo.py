"""The scored kelurahan layer as a GeoPackage that opens in QGIS (and in GDAL's own `ogrinfo`).

Field names are short, lower-case ASCII (shapefile-safe should someone convert it), categories are
both a code (for styling rules) and words (for reading); the dataset's status is a field on every
feature and the layer's description.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from utils.analysis.series import kelurahan_year
from utils.core.i18n import t
from utils.method.criteria import ASPECTS
from utils.store.dataset import Dataset
from utils.views.exports import (
    _aspects_by_kelurahan,
    _investments_by_kelurahan,
    category_words,
    dataset_label,
    previous_year,
)

ASPECT_FIELDS = {f"a_{a.id}": f"aspek_{a.id}_pct" for a in ASPECTS}


def kelurahan_layer(ds: Dataset, year: int, lang: str = "id") -> gpd.GeoDataFrame:
    base = kelurahan_year(ds, year)
    out = pd.DataFrame({"kode_kel": base["kode_kel"].astype(str), "kelurahan": base["kelurahan"],
                        "kode_kec": base["kode_kec"].astype(str), "kecamatan": base["kecamatan"], "tahun": year,
                        "kategori": base["category"], "kategori_nama": category_words(base["category"], lang),
                        "skor": base["total_score"], "luas_kumuh_ha": base["slum_ha"].round(4)})
    out = out.merge(_aspects_by_kelurahan(ds, year).rename(columns=ASPECT_FIELDS), on="kode_kel", how="left")
    for col in ASPECT_FIELDS.values():
        out[col] = (out[col] if col in out.columns else pd.Series(float("nan"), index=out.index)).astype(float).round(2)
    inv = _investments_by_kelurahan(ds, year).rename(columns={"budget_idr": "investasi_rp",
                                                             "n_activities": "jumlah_kegiatan"})
    out = out.merge(inv, on="kode_kel", how="left")
    out["investasi_rp"] = out["investasi_rp"].fillna(0.0).astype(float)
    out["jumlah_kegiatan"] = out["jumlah_kegiatan"].fillna(0).astype(int)
    prev = previous_year(ds, year)
    if prev is not None:
        p = kelurahan_year(ds, prev)
        out = out.merge(pd.DataFrame({"kode_kel": p["kode_kel"].astype(str), "kategori_sebelum": p["category"],
                                      "luas_kumuh_sebelum_ha": p["slum_ha"].round(4)}), on="kode_kel", how="left")
        out["tahun_sebelum"] = prev
    out["status"] = ds.meta.status or "draft"
    out["dataset"] = dataset_label(ds)
    geom = ds.kelurahan.set_index(ds.kelurahan["kode_kel"].astype(str)).geometry
    return gpd.GeoDataFrame(out, geometry=geom.reindex(out["kode_kel"]).to_numpy(), crs=ds.kelurahan.crs)


def kelurahan_gpkg(ds: Dataset, year: int | None = None, lang: str = "id") -> bytes:
    """One layer `kelurahan_<year>` (the latest year when None; boundaries only when nothing is assessed)."""
    year = year if year is not None else (ds.years[-1] if ds.years else None)
    layer = kelurahan_layer(ds, year, lang) if year is not None else gpd.GeoDataFrame(
        ds.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan", "geometry"]].assign(
            status=ds.meta.status or "draft"), crs=ds.kelurahan.crs)
    name = f"kelurahan_{year}" if year is not None else "kelurahan"
    desc = t("export.gpkg_description", lang, name=dataset_label(ds),
             status=t(f"settings.status.{ds.meta.status if ds.meta.status in ('draft', 'official') else 'draft'}",
                      lang), year=year if year is not None else "–")
    with tempfile.TemporaryDirectory(prefix="kotaku-export-") as tmp:
        path = Path(tmp) / "export.gpkg"
        pyogrio.write_dataframe(layer, path, layer=name, driver="GPKG", layer_options={"DESCRIPTION": desc},
                                 dataset_options={"VERSION": "1.2"})  # 1.2: older QGIS/GDAL open it without warnings
        return path.read_bytes()
