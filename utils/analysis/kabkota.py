"""The kab/kota level of a province dataset: a kab/kota's own dataset, slum ha per kab/kota and year,
and the kecamatan and kelurahan of one kab/kota for its profile.

Why a subset rather than a filter column everywhere: every aggregation in utils/analysis already
works on a Dataset, so a kab/kota's Dataset (as the kecamatan filter of the trends page does) gives
the overview, trends and briefing for one kab/kota without touching them.
"""
from __future__ import annotations

import copy

import pandas as pd

from utils.analysis.breakdowns import kecamatan_series, subset
from utils.analysis.series import kelurahan_year
from utils.method.criteria import CLASS_CODES, NO_DATA_CODE
from utils.store import regions
from utils.store.dataset import Dataset


def kel_kab(ds: Dataset) -> pd.DataFrame:
    """kode_kel, kode_kec, kode_kab, kab_kota of every kelurahan (the stored columns, else derived)."""
    kel = pd.DataFrame(ds.kelurahan.drop(columns="geometry", errors="ignore"))
    if "kode_kab" not in kel or "kab_kota" not in kel:
        kel = regions.with_kabkota(kel)
    out = kel[["kode_kel", "kode_kec", "kode_kab", "kab_kota"]].astype(str)
    return out.reset_index(drop=True)


def options(ds: Dataset) -> dict[str, str]:
    """kode_kab -> kab/kota name, in code order; empty when the dataset holds one kab/kota only."""
    if not regions.is_multi_kab(ds):
        return {}
    t = kel_kab(ds).drop_duplicates("kode_kab").sort_values("kode_kab")
    return dict(zip(t["kode_kab"], t["kab_kota"]))


def for_kab(ds: Dataset, kode_kab: str | None) -> Dataset:
    """The dataset of one kab/kota (its kecamatan, kelurahan, rows), named after it; `ds` when None."""
    if not kode_kab:
        return ds
    t = kel_kab(ds)
    kecs = sorted(set(t.loc[t["kode_kab"] == kode_kab, "kode_kec"]))
    if not kecs:
        return ds
    sub = subset(ds, kecs)
    sub.meta = copy.copy(ds.meta)
    sub.meta.city = str(t.loc[t["kode_kab"] == kode_kab, "kab_kota"].iloc[0])
    sub.meta.region = ""
    return sub


def kab_series(ds: Dataset, period_id: str | None = None) -> pd.DataFrame:
    """Slum ha per SK period, year and kab/kota (every kab/kota, zero where none): for stacked bars."""
    cols = ["sk_period", "year", "kode_kab", "kab_kota", "slum_ha"]
    kec = kecamatan_series(ds, period_id)
    if kec.empty:
        return pd.DataFrame(columns=cols)
    t = kel_kab(ds).drop_duplicates("kode_kec")[["kode_kec", "kode_kab", "kab_kota"]]
    out = kec.assign(kode_kec=kec["kode_kec"].astype(str)).merge(t, on="kode_kec", how="left")
    out["kode_kab"] = out["kode_kab"].fillna("?")
    out["kab_kota"] = out["kab_kota"].fillna("?")
    g = out.groupby(["sk_period", "year", "kode_kab", "kab_kota"], as_index=False)["slum_ha"].sum()
    g["slum_ha"] = g["slum_ha"].round(2)
    return g.sort_values(["sk_period", "year", "kode_kab"]).reset_index(drop=True)[cols]


def kab_year(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per kab/kota for `year`: kecamatan, kelurahan, slum ha and kelurahan per class."""
    kel = kelurahan_year(ds, year)
    kel = kel.assign(kode_kel=kel["kode_kel"].astype(str)).merge(
        kel_kab(ds)[["kode_kel", "kode_kab", "kab_kota"]], on="kode_kel", how="left")
    g = kel.groupby(["kode_kab", "kab_kota"])
    out = pd.DataFrame({"kecamatan": g["kode_kec"].nunique(), "kelurahan": g["kode_kel"].nunique(),
                        "slum_ha": g["slum_ha"].sum().round(2)})
    counts = kel.pivot_table(index=["kode_kab", "kab_kota"], columns="category", values="kode_kel",
                             aggfunc="count", fill_value=0)
    for code in [*CLASS_CODES, NO_DATA_CODE]:
        out[code] = counts[code] if code in counts else 0
    return out.reset_index().sort_values("kode_kab").reset_index(drop=True)


def profile_tables(ds: Dataset, kode_kab: str, year: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The kecamatan (kelurahan count, slum ha) and the kelurahan (category, slum ha) of one kab/kota."""
    sub = for_kab(ds, kode_kab)
    if year is not None:
        kel = kelurahan_year(sub, year)[["kode_kel", "kelurahan", "kode_kec", "kecamatan", "category", "slum_ha"]]
    else:
        kel = pd.DataFrame(sub.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]]).assign(
            category=NO_DATA_CODE, slum_ha=0.0)
    kel = kel.sort_values(["kecamatan", "kelurahan"]).reset_index(drop=True)
    kec = (kel.groupby(["kode_kec", "kecamatan"], as_index=False)
           .agg(kelurahan=("kode_kel", "nunique"), slum_ha=("slum_ha", "sum")))
    kec["slum_ha"] = kec["slum_ha"].round(2)
    return kec.sort_values("kecamatan").reset_index(drop=True), kel
