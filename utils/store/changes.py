"""What a new version changes, per table: rows added, changed and removed against the previous one.

Rows are matched by their natural key (a kelurahan by its code, an assessment row by year, SK period,
kelurahan, kawasan and RT). Investments and commitments have no key a city keeps stable, so their rows
are matched as whole records: an edited investment row counts as one removed and one added unless a
row with the same year, place, criterion and activity stays, which then counts as changed.
Vectorised (a merge on the keys, then one array comparison per column), so a province-sized
dataset (8,500 kelurahan, 51,000 rows) diffs in well under a second.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from utils.store.dataset import ASSESSMENT_KEYS, Dataset

TABLE_KEYS: dict[str, list[str]] = {
    "kelurahan": ["kode_kel"],
    "kecamatan": ["kode_kec"],
    "kawasan": ["kawasan_id"],
    "assessments": ASSESSMENT_KEYS,
    "investments": ["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity"],
    "commitments": [],
}
_SETTINGS_FIELDS = ("display_name", "status", "city", "region", "target_year", "target_ha", "sk_periods")


def _frame(dataset: Dataset | None, table: str) -> pd.DataFrame | None:
    if dataset is None:
        return None
    frame = getattr(dataset, table, None)
    if frame is None or len(frame) == 0:
        return None
    return frame


def _values(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column as an array that compares by value: floats, WKB bytes for geometries, else objects."""
    if col not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[col]
    if col == "geometry" or str(values.dtype) == "geometry":
        return np.asarray(shapely.to_wkb(np.asarray(values, dtype=object)), dtype=object)
    if values.dtype.kind in "biuf":
        return values.to_numpy(dtype=float, na_value=np.nan)
    out = values.astype(object).to_numpy()
    return np.where(pd.isna(out), None, out)


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise equality where two blanks are equal and 1 equals 1.0 or "1"."""
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return (a == b) | (np.isnan(a) & np.isnan(b))
    if a.dtype.kind == "f" or b.dtype.kind == "f":  # a number against text: compare as numbers
        a = pd.to_numeric(pd.Series(a, dtype=object), errors="coerce").to_numpy(dtype=float)
        b = pd.to_numeric(pd.Series(b, dtype=object), errors="coerce").to_numpy(dtype=float)
        return (a == b) | (np.isnan(a) & np.isnan(b))
    blank_a = pd.isna(a) | (a == "")
    blank_b = pd.isna(b) | (b == "")
    return (a == b) | (blank_a & blank_b)


def _key_text(values: pd.Series) -> pd.Series:
    """Key values as text that survives a round trip: 2020, 2020.0 and "2020" are all "2020"."""
    if values.dtype.kind in "biuf":
        return values.astype(float).map(lambda v: "" if v != v else f"{v:.10g}")
    text = values.astype(object).where(values.notna(), "").astype(str)
    numeric = text.str.fullmatch(r"-?\d+\.0")
    return text.where(~numeric, text.str[:-2]) if numeric.any() else text


def _keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The key columns as text plus a running number, so repeated keys still pair up one to one."""
    out = pd.DataFrame({k: _key_text(frame[k]) for k in keys})
    out["_occ"] = out.groupby(keys, sort=False).cumcount()
    return out


def table_diff(old: pd.DataFrame | None, new: pd.DataFrame | None, keys: list[str]) -> dict[str, int]:
    n_old = 0 if old is None else len(old)
    n_new = 0 if new is None else len(new)
    if old is None or new is None:
        return {"added": n_new, "changed": 0, "removed": n_old}
    cols = list(dict.fromkeys([*old.columns, *new.columns]))
    keys = [k for k in keys if k in old.columns and k in new.columns]
    if not keys:  # whole records: multiset difference
        ka = pd.Series(list(zip(*[map(str, _values(old, c)) for c in cols]))).value_counts()
        kb = pd.Series(list(zip(*[map(str, _values(new, c)) for c in cols]))).value_counts()
        both = ka.index.union(kb.index)
        ka, kb = ka.reindex(both, fill_value=0), kb.reindex(both, fill_value=0)
        return {"added": int((kb - ka).clip(lower=0).sum()), "changed": 0,
                "removed": int((ka - kb).clip(lower=0).sum())}
    ka = _keys(old, keys).assign(_ia=np.arange(n_old))
    kb = _keys(new, keys).assign(_ib=np.arange(n_new))
    pairs = ka.merge(kb, on=[*keys, "_occ"], how="inner")
    ia, ib = pairs["_ia"].to_numpy(), pairs["_ib"].to_numpy()
    differs = np.zeros(len(pairs), dtype=bool)
    for c in cols:
        if c in keys:
            continue
        differs |= ~_same(_values(old, c)[ia], _values(new, c)[ib])
    return {"added": n_new - len(pairs), "changed": int(differs.sum()), "removed": n_old - len(pairs)}


def settings_diff(old: Dataset | None, new: Dataset) -> list[str]:
    if old is None:
        return []
    a, b = old.meta.to_dict(), new.meta.to_dict()
    return [f for f in _SETTINGS_FIELDS if a.get(f) != b.get(f)]


def diff(old: Dataset | None, new: Dataset) -> dict:
    """{table: {"added": n, "changed": n, "removed": n}} for tables that differ, plus
    {"settings": {"changed": n, "fields": [...]}} when the dataset settings changed."""
    out: dict = {}
    for table, keys in TABLE_KEYS.items():
        d = table_diff(_frame(old, table), _frame(new, table), keys)
        if any(d.values()):
            out[table] = d
    fields = settings_diff(old, new)
    if fields:
        out["settings"] = {"added": 0, "changed": len(fields), "removed": 0, "fields": fields}
    return out


def summary(changes: dict, lang: str = "id") -> str:
    """One line for the history list: `penilaian +12 ~3 −0; pengaturan: target_year`."""
    from utils.core.i18n import t

    parts = []
    for table, d in changes.items():
        label = t(f"store.table.{table}", lang)
        if table == "settings":
            parts.append(f"{label}: {', '.join(d.get('fields', []))}")
        else:
            parts.append(f"{label} +{d['added']} ~{d['changed']} −{d['removed']}")
    return "; ".join(parts) if parts else t("store.no_changes", lang)
