"""Dataset settings (display name, status, region, targets, SK periods) and clipping to one kab/kota.

`apply_settings` returns a NEW Dataset (the one passed in is untouched) or raises `SettingsError`
listing every problem in the user's language; the caller then saves it with `store.save(...,
base_version=...)`, so a settings change is a version like any other.
"""
from __future__ import annotations

import copy
from dataclasses import fields

import pandas as pd

from utils.core.i18n import t
from utils.store.base import StoreError
from utils.store.dataset import Dataset, SkPeriod, dissolve_kecamatan
from utils.store.regions import kab_code, kab_table

STATUSES = ("draft", "official")
YEAR_RANGE = (1990, 2100)
_TEXT_FIELDS = {"display_name": 120, "city": 120, "region": 120, "notes": 2000, "source": 300}


class SettingsError(StoreError):
    """Every problem found in one set of changes; `errors` are already in the requested language."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors

    def message(self, lang: str = "id") -> str:
        return str(self)


def _year(value, field: str, lang: str, errors: list[str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(float(str(value).replace(",", ".")))
    except ValueError:
        errors.append(t("settings.err.year", lang, field=field, value=str(value)[:20]))
        return None
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1] or float(str(value).replace(",", ".")) != year:
        errors.append(t("settings.err.year", lang, field=field, value=str(value)[:20]))
        return None
    return year


def _ha(value, field: str, lang: str, errors: list[str]) -> float | None:
    if value is None or value == "":
        return None
    try:
        ha = float(str(value).replace(" ", "").replace(",", "."))
    except ValueError:
        errors.append(t("settings.err.ha", lang, field=field, value=str(value)[:20]))
        return None
    if ha < 0 or ha != ha:
        errors.append(t("settings.err.ha", lang, field=field, value=str(value)[:20]))
        return None
    return ha


def apply_settings(dataset: Dataset, changes: dict, lang: str = "id") -> Dataset:
    """Validated settings on a copy of `dataset`.

    `changes` keys (all optional): display_name, status ("draft"/"official"), city, region, notes,
    target_year, target_ha, sk_periods (a list of dicts: id, label, baseline_year, target_year,
    target_ha; a period's target years/ha may be None = the dataset's). Unknown keys are refused.
    """
    errors: list[str] = []
    meta = copy.deepcopy(dataset.meta)
    allowed = {*_TEXT_FIELDS, "status", "target_year", "target_ha", "sk_periods"}
    for key in changes:
        if key not in allowed:
            errors.append(t("settings.err.unknown", lang, field=str(key)[:40]))
    for key, limit in _TEXT_FIELDS.items():
        if key in changes:
            value = "" if changes[key] is None else str(changes[key])
            if key == "display_name":
                if not value.strip():
                    errors.append(t("settings.err.display_name_empty", lang))
                    continue
            if len(value) > limit:
                errors.append(t("settings.err.too_long", lang, field=key, n=limit))
                continue
            setattr(meta, key, value.strip() if key != "display_name" else value)
    if "status" in changes:
        if changes["status"] not in STATUSES:
            errors.append(t("settings.err.status", lang, value=str(changes["status"])[:20]))
        else:
            meta.status = changes["status"]
    if "target_year" in changes:
        year = _year(changes["target_year"], "target_year", lang, errors)
        if year is not None:
            meta.target_year = year
    if "target_ha" in changes:
        ha = _ha(changes["target_ha"], "target_ha", lang, errors)
        if ha is not None:
            meta.target_ha = ha
    if "sk_periods" in changes:
        meta.sk_periods = _periods(changes["sk_periods"], dataset, lang, errors)
    for p in meta.sk_periods:  # every target after its period's baseline
        target = p.target_year or meta.target_year
        if target <= p.baseline_year:
            errors.append(t("settings.err.target_before_baseline", lang, target=target, label=p.label,
                            baseline=p.baseline_year))
    if errors:
        raise SettingsError(errors)
    out = copy.copy(dataset)
    out.meta = meta
    return out


def _periods(rows, dataset: Dataset, lang: str, errors: list[str]) -> list[SkPeriod]:
    known = {f.name for f in fields(SkPeriod)}
    used = set() if dataset.assessments is None or dataset.assessments.empty else set(
        dataset.assessments["sk_period"].astype(str))
    out: list[SkPeriod] = []
    for row in rows or []:
        row = dict(row)
        pid = str(row.get("id", "")).strip()
        label = str(row.get("label", "") or "").strip()
        if not pid:
            errors.append(t("settings.err.period_id", lang))
            continue
        if not label:
            errors.append(t("settings.err.period_label", lang, id=pid))
        base = _year(row.get("baseline_year"), f"SK {pid}", lang, errors)
        if base is None:
            errors.append(t("settings.err.period_baseline", lang, id=pid))
            continue
        target = _year(row.get("target_year"), f"SK {pid}", lang, errors)
        ha = _ha(row.get("target_ha"), f"SK {pid}", lang, errors)
        extra = {k: v for k, v in row.items() if k in known and k not in
                 ("id", "label", "baseline_year", "target_year", "target_ha")}
        out.append(SkPeriod(pid, label or pid, base, target, ha, **extra))
    ids = [p.id for p in out]
    for pid in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(t("settings.err.period_duplicate", lang, id=pid))
    for pid in sorted(used - set(ids)):
        errors.append(t("settings.err.period_in_use", lang, id=pid))
    return sorted(out, key=lambda p: p.baseline_year)


# ---- region -------------------------------------------------------------------------------

def kabkota_of(codes: pd.Series) -> pd.Series:
    """`35.75` from `35.75.04.1013` or `3575041013` (the Kemendagri prefix, as `regions.kab_code`)."""
    return codes.map(kab_code)


def kabkota_list(dataset: Dataset) -> pd.DataFrame:
    """The kab/kota a dataset's boundaries hold: kode_kab, kab_kota (name), kecamatan and kelurahan counts."""
    return kab_table(dataset.kelurahan)


def clip_to_kabkota(dataset: Dataset, kode_kab: str, city: str | None = None, lang: str = "id") -> Dataset:
    """The dataset restricted to one kab/kota (every table filtered by kelurahan code); a new Dataset."""
    kode_kab = kab_code(kode_kab) or str(kode_kab).strip()
    keep = kabkota_of(dataset.kelurahan["kode_kel"]) == kode_kab
    if not keep.any():
        have = ", ".join(kabkota_list(dataset)["kode_kab"])
        raise SettingsError([t("settings.err.no_kabkota", lang, code=kode_kab, codes=have)])
    kel = dataset.kelurahan[keep.to_numpy()].copy()
    codes = set(kel["kode_kel"].astype(str))

    def by_kel(frame):
        if frame is None or len(frame) == 0 or "kode_kel" not in frame.columns:
            return frame
        return frame[frame["kode_kel"].astype(str).isin(codes)].reset_index(drop=True)

    kecs = set(kel["kode_kec"].astype(str))
    kec = dataset.kecamatan[dataset.kecamatan["kode_kec"].astype(str).isin(kecs)].copy()
    if kec.empty:
        kec = dissolve_kecamatan(kel)
    meta = copy.deepcopy(dataset.meta)
    meta.city_code = kode_kab
    meta.region = ""
    names = kel["kab_kota"].dropna().astype(str).unique() if "kab_kota" in kel.columns else []
    meta.city = city or (str(names[0]) if len(names) == 1 else meta.city)
    return Dataset(meta=meta, kelurahan=kel.reset_index(drop=True), kecamatan=kec.reset_index(drop=True),
                   assessments=by_kel(dataset.assessments) if dataset.assessments is not None else pd.DataFrame(),
                   kawasan=by_kel(dataset.kawasan), investments=by_kel(dataset.investments),
                   commitments=by_kel(dataset.commitments), display={})  # display layers: rebuilt at save


def keep_all_kabkota(dataset: Dataset, region: str, lang: str = "id") -> Dataset:
    """Keep every kab/kota, the region named after the province or the dataset (a new Dataset)."""
    return apply_settings(dataset, {"region": region}, lang)
