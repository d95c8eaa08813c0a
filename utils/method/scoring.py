"""Vectorised Permen PUPR 14/2018 scoring of unit-year assessment rows.

Input columns: either volumes `v_<id>` with the six denominators, or percentages `p_<id>`, for the
16 criteria. Output adds `p_*`, scores `n_*`, aspect averages `a_<aspect>`, `sector_avg`,
`total_score`, `category`, `slum_ha`, `water_access_pct`, `sanitation_access_pct`.
Impossible values are scored as the KOTAKU portal scores them (clamped to 0-100) and reported
as findings, never dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.core.findings import Finding
from utils.method import priority
from utils.method.criteria import (
    ASPECTS,
    CLASSES,
    CRITERIA,
    CRITERION_IDS,
    LEGACY_2016_EXTRA_IDS,
    PERCENT_DECIMALS,
    SANITATION_ACCESS_CRITERION,
    SCORE_BANDS,
    WATER_ACCESS_CRITERION,
    criteria_of_aspect,
)

MAX_ROW_FINDINGS_PER_KIND = 200  # beyond this a summary finding stands for the rest

SCORE_COLUMNS = [f"n_{c}" for c in CRITERION_IDS]
PCT_COLUMNS = [f"p_{c}" for c in CRITERION_IDS]
VOL_COLUMNS = [f"v_{c}" for c in CRITERION_IDS]
ASPECT_COLUMNS = [f"a_{a.id}" for a in ASPECTS]
DERIVED_COLUMNS = [
    *PCT_COLUMNS, *SCORE_COLUMNS, *ASPECT_COLUMNS,
    "sector_avg", "total_score", "category", "slum_ha", "water_access_pct", "sanitation_access_pct",
]


class LegacyMethodError(ValueError):
    """Raised for Permen 02/2016 (19-criteria) input: scoring it as 16 would be silently wrong."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message("en"))
        self.finding = finding


class UnusableInputError(ValueError):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message("en") for f in findings))
        self.findings = findings


@dataclass
class ScoreResult:
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)


def detect_legacy_columns(columns: pd.Index | list[str]) -> list[str]:
    """Column names that only the 19-criteria 2016 method has (4d, 4e, 6c in any prefix form)."""
    found = []
    for col in columns:
        m = re.fullmatch(r"(?:[vpn]_)?([0-9][a-z])", str(col).strip().lower())
        if m and m.group(1) in LEGACY_2016_EXTRA_IDS:
            found.append(str(col))
    return found


def round_half_up(values: np.ndarray, decimals: int = PERCENT_DECIMALS) -> np.ndarray:
    scale = 10.0**decimals
    return np.floor(values * scale + 0.5 + 1e-9) / scale


def scores_from_percent(pct: np.ndarray) -> np.ndarray:
    """Band scores for clamped percentages, per SCORE_BANDS (rounded to 2 decimals first)."""
    p = round_half_up(np.clip(pct, 0.0, 100.0))
    out = np.zeros(p.shape, dtype=np.int8)
    for lower, score in sorted(SCORE_BANDS):  # ascending, so higher bands overwrite
        out[p >= lower] = score
    return out


def category_from_total(total: np.ndarray) -> np.ndarray:
    codes = np.full(total.shape, CLASSES[-1].code, dtype=object)
    for cls in sorted(CLASSES, key=lambda c: c.min_total):
        codes[total >= cls.min_total] = cls.code
    return codes


def _numeric(frame: pd.DataFrame, col: str, findings: list[Finding], row_labels: np.ndarray) -> np.ndarray:
    raw = frame[col]
    if pd.api.types.is_numeric_dtype(raw):
        return raw.to_numpy(dtype=float, na_value=np.nan)
    text = raw.astype("string").str.strip().str.replace(",", ".", regex=False)
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() & text.notna() & (text != "")
    for i in np.flatnonzero(bad.to_numpy())[:MAX_ROW_FINDINGS_PER_KIND]:
        findings.append(Finding("finding.not_numeric", "warning",
                                {"row": row_labels[i], "column": col, "value": raw.iloc[i]}))
    return num.to_numpy(dtype=float, na_value=np.nan)


def _row_findings(mask: np.ndarray, key: str, cid: str, values: np.ndarray, row_labels: np.ndarray,
                  findings: list[Finding], extra: dict | None = None) -> None:
    hits = np.flatnonzero(mask)
    for i in hits[:MAX_ROW_FINDINGS_PER_KIND]:
        params = {"row": row_labels[i], "criterion": cid, "value": _fmt(values[i])}
        if extra:
            params.update(extra)
        findings.append(Finding(key, "warning", params))
    if len(hits) > MAX_ROW_FINDINGS_PER_KIND:
        findings.append(Finding("finding.more_rows", "warning",
                                {"n": len(hits) - MAX_ROW_FINDINGS_PER_KIND, "criterion": cid}))


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v == v else "?"


def score(frame: pd.DataFrame, row_labels: pd.Series | None = None, priority_method: dict | None = None) -> ScoreResult:
    """Score every row; raises LegacyMethodError / UnusableInputError when scoring would mislead.

    With priority inputs (pl_8a.., l_9a.., typology) the priority columns are added (`priority.py`)."""
    findings: list[Finding] = []
    legacy = detect_legacy_columns(frame.columns)
    if legacy:
        raise LegacyMethodError(Finding("finding.legacy_2016", "error", {"columns": ", ".join(legacy)}))

    labels = (row_labels if row_labels is not None else pd.Series(np.arange(len(frame)) + 1)).to_numpy()
    has_pct = [c for c in PCT_COLUMNS if c in frame.columns]
    has_vol = [c for c in VOL_COLUMNS if c in frame.columns]
    if not has_pct and not has_vol:
        raise UnusableInputError([Finding("finding.no_criteria", "error")])

    out = frame.copy()
    pct = np.zeros((len(frame), len(CRITERIA)), dtype=float)
    missing_cols = []
    needed_denoms = {c.denominator for c in CRITERIA if f"v_{c.id}" in frame.columns}
    absent_denoms = sorted(d for d in needed_denoms if d not in frame.columns)
    if absent_denoms and not has_pct:
        raise UnusableInputError([Finding("finding.missing_denominators", "error",
                                          {"columns": ", ".join(absent_denoms)})])
    denoms = {d: _numeric(frame, d, findings, labels) for d in needed_denoms if d in frame.columns}

    for j, crit in enumerate(CRITERIA):
        pcol, vcol = f"p_{crit.id}", f"v_{crit.id}"
        if vcol in frame.columns and crit.denominator in denoms:
            vol = _numeric(frame, vcol, findings, labels)
            den = denoms[crit.denominator]
            zero_den = ~(den > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                p = np.where(zero_den, 0.0, vol / den * 100.0)
            flagged = zero_den & (vol > 0)
            _row_findings(flagged, "finding.zero_denominator", crit.id, vol, labels, findings,
                          {"denominator": crit.denominator})
            # A percentage given alongside a volume fills rows whose volume is empty.
            if pcol in frame.columns:
                given = _numeric(frame, pcol, findings, labels)
                p = np.where(np.isnan(vol), given, p)
        elif pcol in frame.columns:
            p = _numeric(frame, pcol, findings, labels)
        else:
            missing_cols.append(crit.id)
            continue
        nan = np.isnan(p)
        _row_findings(nan, "finding.missing_value", crit.id, p, labels, findings)
        p = np.where(nan, 0.0, p)
        _row_findings(p > 100.0 + 1e-9, "finding.pct_over_100", crit.id, p, labels, findings)
        _row_findings(p < 0.0, "finding.pct_negative", crit.id, p, labels, findings)
        pct[:, j] = p

    if missing_cols:
        raise UnusableInputError([Finding("finding.missing_criteria", "error",
                                          {"columns": ", ".join(missing_cols)})])

    clamped = np.clip(pct, 0.0, 100.0)
    scores = scores_from_percent(pct)
    total = scores.sum(axis=1).astype(int)
    category = category_from_total(total)

    new = {}
    for j, cid in enumerate(CRITERION_IDS):
        new[f"p_{cid}"] = round_half_up(clamped[:, j])
        new[f"n_{cid}"] = scores[:, j]
    idx = {cid: j for j, cid in enumerate(CRITERION_IDS)}
    aspect_avgs = []
    for aspect in ASPECTS:
        cols = [idx[c] for c in criteria_of_aspect(aspect.id)]
        avg = clamped[:, cols].mean(axis=1)
        aspect_avgs.append(avg)
        new[f"a_{aspect.id}"] = avg
    new["sector_avg"] = np.mean(aspect_avgs, axis=0)
    new["total_score"] = total
    new["category"] = category
    if "area_ha" in frame.columns:
        area = np.nan_to_num(_numeric(frame, "area_ha", [], labels), nan=0.0)
        new["slum_ha"] = np.where(np.isin(category, ["TK"]), 0.0, area)
    else:
        new["slum_ha"] = np.nan
    new["water_access_pct"] = 100.0 - clamped[:, idx[WATER_ACCESS_CRITERION]]
    new["sanitation_access_pct"] = 100.0 - clamped[:, idx[SANITATION_ACCESS_CRITERION]]
    for col, values in new.items():
        out[col] = values
    if priority.has_inputs(frame.columns):
        out, more = priority.apply(out, labels, priority_method)
        findings.extend(more)
    return ScoreResult(out, findings)
