"""Edits made in the app go through the importer's own checks: same messages, same refusal.

An edited table (one year's assessment rows, the investments, or any table another area lets the
user edit) is checked here without Streamlit: the importer's validation runs on it, scores and
categories are recomputed, and every finding is tied to the cell it is about so the editor can mark
it. `ok` false means the edit must be refused and nothing stored may change.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.core.findings import Finding
from utils.io.matching import match_rows
from utils.io.tables import KOTAKU_HEADERS
from utils.io.validation import Report, check_assessments, check_investments
from utils.method.criteria import CRITERION_IDS
from utils.method.scoring import LegacyMethodError, UnusableInputError, score

ASSESSMENT_KEYS = ["year", "sk_period", "kode_kel", "kawasan_id", "rt"]
DENOMINATORS = ["area_ha", "buildings", "population", "households", "road_length_m", "drainage_length_m"]
COMPUTED = ["total_score", "category", "slum_ha"]


@dataclass
class EditCheck:
    """The verdict on an edited table. `cells` maps (row position, column) to the findings about it."""

    frame: pd.DataFrame | None  # the rows as they would be stored; None when unusable
    computed: pd.DataFrame  # one row per edited row: derived columns (scores, categories, …)
    findings: list[Finding] = field(default_factory=list)
    cells: dict[tuple[int, str], list[Finding]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.errors

    def cell_text(self, lang: str) -> dict[tuple[int, str], str]:
        return {k: " ".join(f.message(lang) for f in v) for k, v in self.cells.items()}


Validator = Callable[[pd.DataFrame], EditCheck]


def _locate(findings: list[Finding], columns: list[str]) -> dict[tuple[int, str], list[Finding]]:
    """A finding names its row (1-based, as shown) and its column or criterion; unplaced ones are left out."""
    cells: dict[tuple[int, str], list[Finding]] = {}
    by_header = {h: c for c, h in KOTAKU_HEADERS.items()}  # messages name the KOTAKU header, cells the column
    for f in findings:
        row = f.params.get("row")
        try:
            pos = int(row) - 1
        except (TypeError, ValueError):
            continue
        col = f.params.get("column")
        col = by_header.get(col, col)
        crit = f.params.get("criterion")
        if crit is not None:
            col = next((c for c in (f"v_{crit}", f"p_{crit}", f"n_{crit}") if c in columns), None)
        if f.key in ("import.row_unmatched", "import.inv_unmatched", "import.code_mismatch"):
            col = "kode_kel"
        if f.key in ("import.bad_year", "import.inv_bad_year"):
            col = "year"
        if f.key == "import.inv_bad_criterion":
            col = "criterion"
        if col in columns:
            cells.setdefault((pos, col), []).append(f)
    return cells


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    out["_row"] = np.arange(len(out)) + 1
    return out


def check_assessment_rows(edited: pd.DataFrame, kelurahan: pd.DataFrame) -> EditCheck:
    """One year's (or any) assessment rows as edited: the importer's checks, then the scores."""
    rows = _rows(edited)
    report = Report()
    match = match_rows(rows, kelurahan, row_labels=rows["_row"]) if len(rows) else None
    stored = check_assessments(rows, match, report) if len(rows) else rows.drop(columns="_row")
    computed = pd.DataFrame(index=rows.index, columns=COMPUTED)
    if len(rows):  # what each row scores as typed, shown even while another cell is invalid
        try:
            computed = score(rows, row_labels=rows["_row"]).frame[COMPUTED].reset_index(drop=True)
        except (LegacyMethodError, UnusableInputError):  # already reported by check_assessments
            pass
    names = dict(zip(kelurahan["kode_kel"].astype(str), kelurahan["kelurahan"].astype(str)))
    computed.insert(0, "kelurahan", [names.get(str(c), "") for c in rows.get("kode_kel", pd.Series([""] * len(rows)))])
    columns = list(edited.columns)
    return EditCheck(stored if report.ok else None, computed, report.findings, _locate(report.findings, columns))


def check_investment_rows(edited: pd.DataFrame, kelurahan: pd.DataFrame) -> EditCheck:
    """Investment rows as edited, through the importer's investment checks."""
    rows = _rows(edited)
    report = Report()
    if len(rows):
        match = match_rows(rows, kelurahan, row_labels=rows["_row"])
        stored = check_investments(rows, match, report)
    else:
        stored = rows.drop(columns="_row")
    computed = pd.DataFrame(index=rows.index)
    return EditCheck(stored if report.ok else None, computed, report.findings,
                     _locate(report.findings, list(edited.columns)))


def replace_year(assessments: pd.DataFrame, year: int, rows: pd.DataFrame) -> pd.DataFrame:
    """All assessments with `year`'s rows swapped for `rows` (the other years untouched)."""
    if len(assessments):
        keep = assessments.loc[pd.to_numeric(assessments["year"], errors="coerce") != year]
    else:
        keep = assessments
    out = pd.concat([keep, rows], ignore_index=True) if len(keep) else rows.reset_index(drop=True)
    return out.sort_values(["year", "kode_kel"], kind="stable").reset_index(drop=True)


def row_changes(old: pd.DataFrame | None, new: pd.DataFrame | None, keys: list[str] | None = None) -> dict[str, int]:
    """Rows added, changed and removed between two versions of a table (by key columns when given)."""
    old = old if old is not None else pd.DataFrame()
    new = new if new is not None else pd.DataFrame()
    cols = sorted(set(old.columns) | set(new.columns))
    if keys and all(k in old.columns for k in keys) and all(k in new.columns for k in keys):
        o = _keyed(old, keys, cols)
        n = _keyed(new, keys, cols)
    else:  # no keys: rows compare as whole lines
        o = {tuple(_canon(v) for v in r): 1 for r in old.reindex(columns=cols).itertuples(index=False)}
        n = {tuple(_canon(v) for v in r): 1 for r in new.reindex(columns=cols).itertuples(index=False)}
        return {"added": len(set(n) - set(o)), "changed": 0, "removed": len(set(o) - set(n))}
    added = len(set(n) - set(o))
    removed = len(set(o) - set(n))
    changed = sum(1 for k in set(n) & set(o) if n[k] != o[k])
    return {"added": added, "changed": changed, "removed": removed}


def _keyed(frame: pd.DataFrame, keys: list[str], cols: list[str]) -> dict[tuple, tuple]:
    out: dict[tuple, tuple] = {}
    for r in frame.reindex(columns=cols).to_dict("records"):
        out[tuple(_canon(r[k]) for k in keys)] = tuple(_canon(r[c]) for c in cols)
    return out


def _canon(v: object) -> object:
    """Values as compared across a save: 2 == 2.0 == "2", blanks equal."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        return round(f, 9)
    text = str(v).strip()
    try:
        return round(float(text), 9) if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
    except ValueError:
        return text


def criterion_columns(frame: pd.DataFrame) -> list[str]:
    """The volume/percentage columns a stored assessment table holds, in criterion order."""
    return [f"{k}_{c}" for c in CRITERION_IDS for k in "vp" if f"{k}_{c}" in frame.columns]
