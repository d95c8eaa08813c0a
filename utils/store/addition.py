"""Adding an assessment or investment table to a dataset that already has boundaries.

The new rows go through the import's own reading, matching and validation, against the STORED
kelurahan, and are merged in memory: rows of a year the new table holds replace that year's stored
rows, every other year stays. Nothing is saved until `commit_addition`, which refuses to replace a
stored year unless told to, and saves with `base_version`, so an edit made meanwhile is not lost.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd

from utils import store
from utils.core.findings import Finding
from utils.io.uploads import UploadError, UploadWorkspace
from utils.io.validation import Report, check_coverage
from utils.method.scoring import score
from utils.store.dataset import Dataset, SkPeriod
from utils.store.importer import (
    AdditionPreview,
    ImportOptions,
    ImportPreview,
    _plain,
    _read_assessments,
    _read_investments,
)


def _place(ws: UploadWorkspace, item, folder: str) -> Path | None:
    if item is None:
        return None
    if isinstance(item, tuple):
        return ws.add_bytes(item[0], item[1], folder)
    return ws.add_path(Path(item), folder)


def _years(frame: pd.DataFrame | None) -> set[int]:
    if frame is None or len(frame) == 0 or "year" not in frame.columns:
        return set()
    return {int(y) for y in pd.to_numeric(frame["year"], errors="coerce").dropna().unique()}


def _merge(old: pd.DataFrame | None, new: pd.DataFrame | None) -> pd.DataFrame | None:
    """Stored rows of the years `new` does not hold, then all of `new`."""
    if new is None or len(new) == 0:
        return old
    if old is None or len(old) == 0:
        return new.reset_index(drop=True)
    years = _years(new)
    kept = old[~pd.to_numeric(old["year"], errors="coerce").isin(years)]
    return pd.concat([kept, new], ignore_index=True)


_EMPTY_BY_YEAR = pd.DataFrame({"year": pd.Series(dtype="int64"), "rows": pd.Series(dtype="int64"),
                               "slum_ha": pd.Series(dtype=float)})


def _by_year(ds: Dataset | None, years: list[int]) -> pd.DataFrame:
    """Rows and slum ha per year, scoring only the rows of `years` (not the whole province)."""
    if ds is None or ds.assessments is None or ds.assessments.empty:
        return _EMPTY_BY_YEAR.copy()
    rows = ds.assessments[pd.to_numeric(ds.assessments["year"], errors="coerce").isin(years)]
    if rows.empty:
        return _EMPTY_BY_YEAR.copy()
    f = score(rows.reset_index(drop=True), priority_method=ds.meta.priority_method).frame
    out = f.groupby("year").agg(rows=("kode_kel", "size"), slum_ha=("slum_ha", "sum")).reset_index()
    return out.astype({"year": "int64"})


def before_after(old: Dataset, new: Dataset | None, years: list[int]) -> pd.DataFrame:
    """year, rows_before, rows_after, slum_ha_before, slum_ha_after for the years the addition touches."""
    cols = ["year", "rows_before", "rows_after", "slum_ha_before", "slum_ha_after"]
    if not years:
        return pd.DataFrame(columns=cols)
    a = _by_year(old, years).rename(columns={"rows": "rows_before", "slum_ha": "slum_ha_before"})
    b = _by_year(new, years).rename(columns={"rows": "rows_after", "slum_ha": "slum_ha_after"})
    out = pd.DataFrame({"year": pd.Series(sorted(years), dtype="int64")})
    out = out.merge(a, on="year", how="left").merge(b, on="year", how="left")
    for col in ("rows_before", "rows_after"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("slum_ha_before", "slum_ha_after"):
        out[col] = out[col].fillna(0.0).astype(float).round(4)
    return out[cols]


def _periods(meta_periods: list[SkPeriod], assessments: pd.DataFrame | None) -> list[SkPeriod]:
    """The stored SK periods plus any period id the new rows bring (labelled like an import does)."""
    out = list(meta_periods)
    known = {p.id for p in out}
    if assessments is not None and len(assessments):
        for pid, grp in assessments.groupby("sk_period"):
            if str(pid) not in known:
                base = int(grp["year"].min())
                out.append(SkPeriod(str(pid), f"SK {pid} ({base})", base))
    return sorted(out, key=lambda p: p.baseline_year)


def preview_addition(name: str, assessments=None, investments=None, sheet: str | None = None,
                     lang: str = "id") -> AdditionPreview:
    versions = store.list_versions(name)
    report = Report()
    if not versions:
        report.add(Finding("addition.no_dataset", "error", {"name": name}))
        return AdditionPreview(name, None, report)
    base = versions[-1]
    if base.builtin:
        report.add(Finding("addition.sample_read_only", "error", {"name": name}))
        return AdditionPreview(name, None, report)
    if assessments is None and investments is None:
        report.add(Finding("addition.nothing_given", "error", {}))
        return AdditionPreview(name, base.version, report)
    old = store.load(name, base.version)
    holder = ImportPreview(report)
    options = ImportOptions(assessment_sheet=sheet)
    new_a = new_i = None
    with UploadWorkspace() as ws:
        try:
            a_path = _place(ws, assessments, "assessments")
            i_path = _place(ws, investments, "investments")
        except UploadError as exc:
            report.add(exc.finding)
            return AdditionPreview(name, base.version, report)
        if a_path is not None:
            new_a = _read_assessments(a_path, old.kelurahan, options, holder)
            if new_a is not None:
                check_coverage(old.kelurahan, new_a, report)
        if i_path is not None:
            new_i = _read_investments(i_path, old.kelurahan, options, holder)
    preview = AdditionPreview(name, base.version, report, sheets=holder.sheets, chosen_sheets=holder.chosen_sheets,
                              match=holder.match, unmatched_table=holder.unmatched_table)
    if (a_path is not None and new_a is None) or (i_path is not None and new_i is None) or not report.ok:
        return preview
    new_a, new_i = _plain(new_a), _plain(new_i)
    replaced = sorted((_years(new_a) & _years(old.assessments)) | (_years(new_i) & _years(old.investments)))
    meta = copy.deepcopy(old.meta)
    meta.sk_periods = _periods(meta.sk_periods, new_a)
    sources = [Path(x[0] if isinstance(x, tuple) else x).name for x in (assessments, investments) if x is not None]
    meta.source = ", ".join(dict.fromkeys([*(s for s in meta.source.split(", ") if s), *sources]))[:300]
    merged = Dataset(meta=meta, kelurahan=old.kelurahan, kecamatan=old.kecamatan,
                     assessments=_merge(old.assessments, new_a) if new_a is not None else old.assessments,
                     kawasan=old.kawasan, investments=_merge(old.investments, new_i),
                     commitments=old.commitments, display=old.display)
    preview.dataset = merged
    preview.years_replaced = replaced
    preview.new_years = sorted(_years(new_a) | _years(new_i))
    preview.before_after = before_after(old, merged, sorted(_years(new_a)))
    if replaced:
        report.add(Finding("addition.years_replaced", "warning",
                           {"years": ", ".join(str(y) for y in replaced), "name": base.display_name}))
    return preview


def commit_addition(preview: AdditionPreview, replace_years: bool, author: str = "", note: str = "",
                    lang: str = "id") -> store.VersionInfo:
    if not preview.ok or preview.dataset is None:
        raise UploadError("import.not_importable")
    if preview.years_replaced and not replace_years:
        raise UploadError("addition.year_present", years=", ".join(str(y) for y in preview.years_replaced),
                          name=preview.dataset.meta.display_name or preview.name)
    return store.save(preview.dataset, preview.dataset.meta.name, author=author, note=note,
                      base_version=preview.base_version, new_dataset=False)
