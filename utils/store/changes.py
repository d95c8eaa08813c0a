"""What a new version changes, per table: rows added, changed and removed against the previous one.

Rows are matched by their natural key (a kelurahan by its code, an assessment row by year, SK period,
kelurahan, kawasan and RT). Investments and commitments have no key a city keeps stable, so their rows
are matched as whole records: an edited investment row counts as one removed and one added unless a
row with the same year, place, criterion and activity stays, which then counts as changed.
Vectorised (pandas merges), so a province-sized dataset diffs in about a second.
"""
from __future__ import annotations

import pandas as pd

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


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, geometries as WKB hex, so that 1 and 1.0 or NaN and None compare equal."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        if col == "geometry" or str(values.dtype) == "geometry":
            out[col] = values.to_wkb(hex=True) if hasattr(values, "to_wkb") else values.astype(str)
            continue
        num = pd.to_numeric(values, errors="coerce") if values.dtype.kind in "biufO" else None
        if num is not None and values.dtype.kind in "biuf":
            out[col] = num.round(9).astype(str).where(num.notna(), "")
        else:
            out[col] = values.astype(object).where(values.notna(), "").astype(str)
            out[col] = out[col].replace({"nan": "", "None": "", "<NA>": ""})
    return out


def _with_occurrence(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Keys made unique by a running number, so repeated keys still pair up one to one."""
    out = frame.copy()
    out["_occ"] = out.groupby(keys, sort=False).cumcount() if keys else 0
    return out


def table_diff(old: pd.DataFrame | None, new: pd.DataFrame | None, keys: list[str]) -> dict[str, int]:
    n_old = 0 if old is None else len(old)
    n_new = 0 if new is None else len(new)
    if old is None or new is None:
        return {"added": n_new, "changed": 0, "removed": n_old}
    cols = sorted(set(old.columns) | set(new.columns))
    a = _comparable(old.reindex(columns=cols))
    b = _comparable(new.reindex(columns=cols))
    keys = [k for k in keys if k in cols]
    if not keys:  # whole records: multiset difference
        ca = a.apply(tuple, axis=1).value_counts()
        cb = b.apply(tuple, axis=1).value_counts()
        both = ca.index.union(cb.index)
        ca, cb = ca.reindex(both, fill_value=0), cb.reindex(both, fill_value=0)
        return {"added": int((cb - ca).clip(lower=0).sum()), "changed": 0,
                "removed": int((ca - cb).clip(lower=0).sum())}
    a, b = _with_occurrence(a, keys), _with_occurrence(b, keys)
    merged = a.merge(b, on=[*keys, "_occ"], how="outer", suffixes=("_o", "_n"), indicator=True)
    added = int((merged["_merge"] == "right_only").sum())
    removed = int((merged["_merge"] == "left_only").sum())
    both = merged[merged["_merge"] == "both"]
    rest = [c for c in cols if c not in keys]
    changed = 0
    if rest and len(both):
        diff = pd.Series(False, index=both.index)
        for c in rest:
            diff |= both[f"{c}_o"] != both[f"{c}_n"]
        changed = int(diff.sum())
    return {"added": added, "changed": changed, "removed": removed}


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
