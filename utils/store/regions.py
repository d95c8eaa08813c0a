"""The kab/kota level between the region (a province) and the kecamatan, and the region's name.

Why in the store layer: the boundary file is read once at import; the kab/kota of each kelurahan
(its code and name) and the region name are kept with the dataset, so every page, map and export
reads the same level. Codes follow Kemendagri: `35.75.01.1001` is province 35, kab/kota 35.75
(01-69 a kabupaten, 71-99 a kota), kecamatan 35.75.01.
"""
from __future__ import annotations

import re

import pandas as pd

from utils.store.dataset import Dataset

KAB_NAME_COLUMNS = ("kab_kota", "kabkota", "kota_kab", "kabupaten_kota", "kota", "kabupaten", "wadmkk",
                    "nama_kota", "nama_kab", "nm_kab", "nmkab")
KAB_CODE_COLUMNS = ("kode_kab", "kode_kota", "kode_kab_kota", "kd_kab", "kdkab", "kdpkab", "kdbpum", "kode_kabkota")
PROVINCE_COLUMNS = ("provinsi", "propinsi", "wadmpr", "nama_prov", "nama_provinsi", "province")
_CODE = re.compile(r"^(\d{2})\.?(\d{2})")


def kab_code(kode: object) -> str:
    """'35.75' from a kelurahan or kecamatan code ('35.75.01.1001', '3575011001'); '' when none."""
    if kode is None or (not isinstance(kode, str) and pd.isna(kode)):
        return ""
    m = _CODE.match(str(kode).strip())
    return f"{m.group(1)}.{m.group(2)}" if m else ""


def kab_fallback_name(code: str) -> str:
    """A readable stand-in when the file names no kab/kota: 'Kota 35.75' or 'Kabupaten 35.10'."""
    if not code:
        return "?"
    return ("Kota " if int(code[-2:]) >= 71 else "Kabupaten ") + code


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns if c != "geometry"}
    return next((lower[n] for n in names if n in lower), None)


def with_kabkota(kel: pd.DataFrame, raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """`kel` with `kode_kab` and `kab_kota`: kept when present, else from `raw` (the boundary file's
    own columns, row-aligned), else from the Kemendagri code prefix."""
    out = kel.copy()
    src = raw if raw is not None and len(raw) == len(kel) else None
    if "kode_kab" not in out or out["kode_kab"].isna().all():
        col = _column(src, KAB_CODE_COLUMNS) if src is not None else None
        codes = [kab_code(v) for v in src[col].to_numpy()] if col else []
        if not col or not all(codes):
            codes = [kab_code(v) for v in out["kode_kel"].to_numpy()]
        out["kode_kab"] = codes
    out["kode_kab"] = out["kode_kab"].fillna("").astype(str)
    if "kab_kota" not in out or out["kab_kota"].isna().all():
        col = _column(src, KAB_NAME_COLUMNS) if src is not None else None
        names = (pd.Series(src[col].to_numpy(), index=out.index).astype("string").str.strip() if col
                 else pd.Series(pd.NA, index=out.index, dtype="string"))
        out["kab_kota"] = names
    fallback = out["kode_kab"].map(kab_fallback_name)
    out["kab_kota"] = out["kab_kota"].astype(object).where(out["kab_kota"].notna() & (out["kab_kota"] != ""), fallback)
    out["kab_kota"] = out["kab_kota"].astype(str)
    return out


def province_name(raw: pd.DataFrame | None) -> str:
    """The province named in the boundary file ('' when it names none or several)."""
    if raw is None:
        return ""
    col = _column(raw, PROVINCE_COLUMNS)
    if col is None:
        return ""
    vals = raw[col].dropna().astype(str).str.strip()
    vals = vals[vals != ""].unique()
    return str(vals[0]) if len(vals) == 1 else ""


def kab_table(kel: pd.DataFrame) -> pd.DataFrame:
    """One row per kab/kota: kode_kab, kab_kota, kecamatan and kelurahan counts (by code order)."""
    k = with_kabkota(kel) if "kode_kab" not in kel or "kab_kota" not in kel else kel
    out = (k.groupby(["kode_kab", "kab_kota"], as_index=False)
           .agg(kecamatan=("kode_kec", "nunique"), kelurahan=("kode_kel", "nunique")))
    return out.sort_values(["kode_kab", "kab_kota"]).reset_index(drop=True)


def is_multi_kab(ds: Dataset) -> bool:
    """Whether the boundaries hold more than one kab/kota (then the region is not a city)."""
    kel = ds.kelurahan
    if kel is None or kel.empty:
        return False
    codes = kel["kode_kab"] if "kode_kab" in kel else kel["kode_kel"].map(kab_code)
    return codes.nunique() > 1


def region_name(ds: Dataset) -> str:
    """What the dataset covers, for titles: the region (province) or the display name when the
    boundaries hold several kab/kota (never one of them), else the city."""
    meta = ds.meta
    if is_multi_kab(ds):
        return meta.region or meta.display_name or meta.name or meta.city
    return meta.city or meta.display_name or meta.name
