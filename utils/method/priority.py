"""Vectorised priority of slum units: PL score and level, legality, priority 1-9, class A1-C6, handling.

Applies the tables of `priority_table.py` to scored rows (which carry `category`). A unit gets a
priority only when it is a slum and its three PL values and both legality values are known; every
other unit keeps its physical class and is "not assessed" (`priority_status`), never guessed.
An unknown value is an error finding that names the cell and lists what is accepted.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.core.findings import Finding
from utils.method.priority_table import (
    CLASS_LETTER,
    DENSITY_LEVEL_TOKENS,
    INPUT_COLUMNS,
    LEGAL_TOKENS,
    PRIORITY_CLASSES,
    TYPOLOGY_COLUMN,
    TYPOLOGY_TOKENS,
    YES_NO_TOKENS,
    MethodOverrideError,
    PriorityMethod,
    accepted_text,
    method_from_overrides,
)

MAX_ROW_FINDINGS = 200
STATUS_ASSESSED, STATUS_NOT_ASSESSED, STATUS_NOT_SLUM = "assessed", "not_assessed", "not_slum"
OUTPUT_COLUMNS: tuple[str, ...] = (
    "density_ppha", "n_8a", "n_8b", "n_8c", "pl_score", "pl_level", "legal", "priority", "priority_class",
    "handling", "priority_status",
)
HEADER_LABELS: dict[str, str] = {  # the Indonesian header a workbook uses, named in messages
    "pl_8a": "Nilai Strategis Lokasi", "pl_8b": "Kepadatan Penduduk", "pl_8c": "Kondisi Sosial Ekonomi Budaya",
    "l_9a": "Status Penguasaan Lahan", "l_9b": "Kesesuaian RTR", TYPOLOGY_COLUMN: "Tipologi",
}


def has_inputs(columns) -> bool:
    """Whether a table carries any priority input (only then are the priority columns added)."""
    return any(c in INPUT_COLUMNS for c in columns)


def resolve_method(overrides: dict | PriorityMethod | None, findings: list[Finding]) -> PriorityMethod:
    """The dataset's method; a broken override falls back to the defaults with an error finding."""
    if isinstance(overrides, PriorityMethod):
        return overrides
    try:
        return method_from_overrides(overrides)
    except (MethodOverrideError, TypeError, ValueError) as exc:
        findings.append(Finding("priority.bad_method", "error", {"reason": str(exc)}))
        return method_from_overrides(None)


# ---- parsing ---------------------------------------------------------------------------------

def normalise_series(values: pd.Series) -> pd.Series:
    """Vectorised form of `priority_table.normalise_token`; blanks become <NA>."""
    s = values.astype("string").str.strip().str.lower()
    sign = s.isin(["+", "-"])
    t = (s.str.replace(r"\.0+$", "", regex=True).str.replace(r"[_\-/,;:()]+", " ", regex=True)
         .str.replace(r"\s+", " ", regex=True).str.strip())
    out = s.where(sign, t)
    return out.mask(out == "")


def _lookup(tokens: dict) -> dict[str, object]:
    return {tok: value for value, toks in tokens.items() for tok in toks}


def _given(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(False, index=frame.index)
    return normalise_series(frame[col]).notna().fillna(False)


def _mask(values) -> np.ndarray:
    """A plain bool array from a (nullable) mask: <NA> counts as False."""
    return pd.Series(values).fillna(False).to_numpy(dtype=bool)


def _bad_cells(bad, col: str, raw: pd.Series, labels: np.ndarray, accepted: str,
               findings: list[Finding]) -> None:
    hits = np.flatnonzero(_mask(bad))
    # the header as the user's file spells it when the reader recorded it, else the usual Indonesian one
    header = str(raw.attrs.get("headers", {}).get(col) or HEADER_LABELS.get(col, col))
    for i in hits[:MAX_ROW_FINDINGS]:
        findings.append(Finding("priority.bad_value", "error", {
            "row": labels[i], "column": col, "header": header, "value": str(raw.iloc[i]), "accepted": accepted}))
    if len(hits) > MAX_ROW_FINDINGS:
        findings.append(Finding("priority.more_bad", "error", {"n": len(hits) - MAX_ROW_FINDINGS, "column": col}))


def parse_tokens(frame: pd.DataFrame, col: str, tokens: dict, labels: np.ndarray,
                 findings: list[Finding]) -> pd.Series:
    """Map a column's spellings onto canonical values; unknown -> error finding and <NA>."""
    if col not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype=object)
    norm = normalise_series(frame[col])
    parsed = norm.map(_lookup(tokens))
    _bad_cells(norm.notna() & parsed.isna(), col, frame[col], labels, accepted_text(tokens), findings)
    return parsed


def parse_legal(frame: pd.DataFrame, col: str, labels: np.ndarray, findings: list[Finding]) -> pd.Series:
    """+ / - and their spellings -> nullable boolean (<NA> = not assessed, never legal)."""
    return parse_tokens(frame, col, LEGAL_TOKENS, labels, findings).astype("boolean")


def density_of(frame: pd.DataFrame, labels: np.ndarray, findings: list[Finding]) -> tuple[pd.Series, pd.Series]:
    """(density in people/ha, a density level word given instead of a number); population/area_ha fills blanks."""
    idx = frame.index
    given = pd.Series(np.nan, index=idx)
    level = pd.Series(pd.NA, index=idx, dtype=object)
    if "pl_8b" in frame.columns:
        raw = frame["pl_8b"]
        text = raw.astype("string").str.strip().str.replace(",", ".", regex=False)
        num = pd.to_numeric(text, errors="coerce").astype(float)
        norm = normalise_series(raw)
        level = norm.map(_lookup(DENSITY_LEVEL_TOKENS))
        bad = norm.notna() & num.isna() & level.isna() | (num < 0)
        accepted = accepted_text(DENSITY_LEVEL_TOKENS)
        _bad_cells(bad, "pl_8b", raw, labels, accepted, findings)
        given = num.where(num >= 0)
    else:
        bad = pd.Series(False, index=idx)
    derived = pd.Series(np.nan, index=idx)
    if "population" in frame.columns and "area_ha" in frame.columns:
        pop = pd.to_numeric(frame["population"], errors="coerce")
        area = pd.to_numeric(frame["area_ha"], errors="coerce")
        derived = (pop / area).where(area > 0)
    density = given.where(given.notna() | level.notna() | _mask(bad), derived)  # a wrong value is not replaced
    return density.astype(float), level


# ---- applying the method -----------------------------------------------------------------------

def pl_level_of(pl_score: pd.Series, method: PriorityMethod) -> pd.Series:
    out = pd.Series(pd.NA, index=pl_score.index, dtype=object)
    for level, lower in sorted(method.pl_bands, key=lambda b: b[1]):  # ascending, higher bands overwrite
        out = out.mask(pl_score.notna() & (pl_score >= lower), level)
    lowest = min(method.pl_bands, key=lambda b: b[1])[0]
    return out.mask(pl_score.notna() & out.isna(), lowest)


def density_score(density: pd.Series, level: pd.Series, method: PriorityMethod) -> pd.Series:
    lo, hi = method.density_cuts
    s1, s2, s3 = method.density_scores
    d = density.to_numpy(dtype=float)
    score = np.select([d <= lo, d <= hi, d > hi], [s1, s2, s3], default=np.nan)
    out = pd.Series(score, index=density.index)
    by_level = level.map({"rendah": s1, "sedang": s2, "tinggi": s3}).astype(float)
    return by_level.where(by_level.notna(), out)


def assess(frame: pd.DataFrame, row_labels=None, method: dict | PriorityMethod | None = None
           ) -> tuple[pd.DataFrame, list[Finding]]:
    """The priority columns for scored rows (`category` present); returns (columns frame, findings)."""
    findings: list[Finding] = []
    m = resolve_method(method, findings)
    labels = np.asarray(row_labels if row_labels is not None else np.arange(len(frame)) + 1)
    idx = frame.index
    yes_no = {"ada": m.yes_score, "tidak": m.no_score}
    n8a = parse_tokens(frame, "pl_8a", YES_NO_TOKENS, labels, findings).map(yes_no).astype("Float64")
    n8c = parse_tokens(frame, "pl_8c", YES_NO_TOKENS, labels, findings).map(yes_no).astype("Float64")
    density, level = density_of(frame, labels, findings)
    n8b = density_score(density, level, m).astype("Float64")
    pl = (n8a + n8b + n8c)  # <NA> unless all three are known
    pl_level = pl_level_of(pl.astype(float), m)
    l9a = parse_legal(frame, "l_9a", labels, findings)
    l9b = parse_legal(frame, "l_9b", labels, findings)
    legal = (l9a & l9b).where(l9a.notna() & l9b.notna(), pd.NA).astype("boolean")
    if TYPOLOGY_COLUMN in frame.columns:
        typology = parse_tokens(frame, TYPOLOGY_COLUMN, TYPOLOGY_TOKENS, labels, findings)
    else:
        typology = pd.Series(pd.NA, index=idx, dtype=object)

    category = frame["category"].astype("string") if "category" in frame.columns else pd.Series(pd.NA, index=idx)
    slum = category.isin(PRIORITY_CLASSES).fillna(False).to_numpy()
    known = (pl_level.notna() & legal.notna()).to_numpy()
    assessed = slum & known
    key = category.astype(object) + "|" + pl_level.astype(object)
    matrix = {f"{c}|{lvl}": p for (c, lvl), p in m.matrix.items()}
    priority = key.map(matrix).where(assessed).astype("Int64")
    legal_filled = legal.fillna(False).to_numpy(dtype=bool)
    number = np.where(legal_filled, pl_level.map({k: v[0] for k, v in m.class_numbers.items()}),
                      pl_level.map({k: v[1] for k, v in m.class_numbers.items()}))
    letter = category.map(CLASS_LETTER).astype(object)
    digits = pd.Series(number, index=idx).astype("Int64").astype("string")
    pclass = pd.Series(letter.to_numpy(), index=idx).astype("string") + digits
    handling = pd.Series(np.where(legal_filled, category.map(m.handling_legal).astype(object), m.handling_not_legal),
                         index=idx)
    status = np.where(~slum, STATUS_NOT_SLUM, np.where(assessed, STATUS_ASSESSED, STATUS_NOT_ASSESSED))

    # partly filled: some value given (a density derived from population is not "given") but not all
    some = pd.concat([n8a.isna(), n8b.isna(), n8c.isna(), l9a.isna(), l9b.isna()], axis=1)
    given_8b = density.notna() & _given(frame, "pl_8b") | level.notna()
    given = pd.concat([n8a.notna(), given_8b, n8c.notna(), l9a.notna(), l9b.notna()], axis=1).any(axis=1)
    partial = _mask(given) & _mask(some.any(axis=1)) & slum
    hits = np.flatnonzero(partial)
    for i in hits[:MAX_ROW_FINDINGS]:
        missing = [c for c, miss in zip(("8a", "8b", "8c", "9a", "9b"), some.iloc[i].to_numpy()) if miss]
        findings.append(Finding("priority.partial", "warning", {"row": labels[i], "missing": ", ".join(missing)}))
    if len(hits) > MAX_ROW_FINDINGS:
        findings.append(Finding("priority.more_partial", "warning", {"n": len(hits) - MAX_ROW_FINDINGS}))

    out = pd.DataFrame({
        "density_ppha": density.round(2),
        "n_8a": n8a.astype("Int64"), "n_8b": n8b.astype("Int64"), "n_8c": n8c.astype("Int64"),
        "pl_score": pl.astype("Int64"),
        "pl_level": pl_level.astype("string"),
        "legal": legal,
        "priority": priority,
        "priority_class": pclass.where(assessed, pd.NA),
        "handling": handling.where(assessed, pd.NA).astype("string"),
        "priority_status": status,
    }, index=idx)
    out[TYPOLOGY_COLUMN] = typology.astype("string")
    return out, findings


def apply(scored: pd.DataFrame, row_labels=None, method: dict | PriorityMethod | None = None
          ) -> tuple[pd.DataFrame, list[Finding]]:
    """`scored` with the priority columns added (the typology column replaced by its canonical code)."""
    cols, findings = assess(scored, row_labels, method)
    out = scored.copy()
    for col in cols.columns:
        out[col] = cols[col]
    return out, findings


def with_priority_columns(scored: pd.DataFrame) -> pd.DataFrame:
    """Scored rows of a dataset without priority inputs, with every unit 'not assessed' (for views)."""
    if "priority_status" in scored.columns:
        return scored
    out = scored.copy()
    for col in OUTPUT_COLUMNS:
        out[col] = pd.NA
    if TYPOLOGY_COLUMN not in out.columns:
        out[TYPOLOGY_COLUMN] = pd.NA
    slum = out["category"].isin(PRIORITY_CLASSES) if "category" in out.columns else False
    out["priority_status"] = np.where(slum, STATUS_NOT_ASSESSED, STATUS_NOT_SLUM)
    return out


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """`legal` as true/false/empty, as the score command documents (pandas writes True/False)."""
    if "legal" not in frame.columns:
        return frame
    out = frame.copy()
    out["legal"] = out["legal"].astype("boolean").map({True: "true", False: "false"}).astype(object).where(
        out["legal"].notna(), "")
    return out
