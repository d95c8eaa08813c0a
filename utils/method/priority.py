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
    PL_LEVELS,
    PRIORITY_CLASSES,
    TYPOLOGY_COLUMN,
    TYPOLOGY_TOKENS,
    YES_NO_TOKENS,
    MethodOverrideError,
    PriorityMethod,
    accepted_text,
    method_from_overrides,
    normalise_token,
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
    """`priority_table.normalise_token` for a column; blanks become <NA>.

    Normalised per distinct value and mapped back (a column of 100,000 units holds a handful of
    spellings: a regex per cell took seconds)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    norm = np.array([normalise_token(u) for u in uniques] + [""], dtype=object)  # the last slot: missing
    out = pd.Series(norm[codes], index=values.index, dtype=object)  # code -1 picks the last slot
    return out.mask(out == "")


def _lookup(tokens: dict) -> dict[str, object]:
    return {tok: value for value, toks in tokens.items() for tok in toks}


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


def _parse(frame: pd.DataFrame, col: str, tokens: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(canonical value or None, given (not blank), unknown) per row; parsed once per distinct value."""
    n = len(frame)
    if col not in frame.columns:
        none = np.zeros(n, dtype=bool)
        return np.full(n, None, dtype=object), none, none
    codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
    lookup = _lookup(tokens)
    norm = [normalise_token(u) for u in uniques]
    value = np.array([lookup.get(x) if x else None for x in norm] + [None], dtype=object)[codes]
    given = np.array([bool(x) for x in norm] + [False], dtype=bool)[codes]
    return value, given, given & np.equal(value, None)


def parse_tokens(frame: pd.DataFrame, col: str, tokens: dict, labels: np.ndarray,
                 findings: list[Finding]) -> np.ndarray:
    """A column's spellings as canonical values (None: blank or unknown); unknown -> error finding."""
    value, _, bad = _parse(frame, col, tokens)
    if bad.any():
        _bad_cells(bad, col, frame[col], labels, accepted_text(tokens), findings)
    return value


def _given(frame: pd.DataFrame, col: str) -> np.ndarray:
    return _parse(frame, col, {})[1]


def density_of(frame: pd.DataFrame, labels: np.ndarray, findings: list[Finding]) -> tuple[np.ndarray, np.ndarray]:
    """(density in people/ha, a density level word given instead of a number); population/area_ha fills blanks."""
    n = len(frame)
    given = np.full(n, np.nan)
    level = np.full(n, None, dtype=object)
    bad = np.zeros(n, dtype=bool)
    if "pl_8b" in frame.columns:
        raw = frame["pl_8b"]
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)  # numbers read once per distinct value
        text = [v.strip().replace(",", ".") if isinstance(v, str) else v for v in uniques]
        num = np.append(pd.to_numeric(pd.Series(text, dtype=object), errors="coerce").to_numpy(float), np.nan)[codes]
        level, was_given, _ = _parse(frame, "pl_8b", DENSITY_LEVEL_TOKENS)
        bad = (was_given & np.isnan(num) & np.equal(level, None)) | (num < 0)
        if bad.any():
            _bad_cells(bad, "pl_8b", raw, labels, accepted_text(DENSITY_LEVEL_TOKENS), findings)
        given = np.where(num >= 0, num, np.nan)
    derived = np.full(n, np.nan)
    if "population" in frame.columns and "area_ha" in frame.columns:
        pop = pd.to_numeric(frame["population"], errors="coerce").to_numpy(float)
        area = pd.to_numeric(frame["area_ha"], errors="coerce").to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = np.where(area > 0, pop / area, np.nan)
    keep = ~np.isnan(given) | ~np.equal(level, None) | bad  # a wrong value is not replaced by the derived one
    return np.where(keep, given, derived), level


# ---- applying the method -----------------------------------------------------------------------

def pl_level_of(pl_score: pd.Series | np.ndarray, method: PriorityMethod) -> pd.Series:
    """The PL level of each total (<NA> where the total is unknown); below the lowest band: the lowest."""
    s = np.asarray(pl_score, dtype=float)
    bands = sorted(method.pl_bands, key=lambda b: b[1], reverse=True)  # highest lower bound first
    out = np.select([s >= lower for _, lower in bands], [lvl for lvl, _ in bands], default=bands[-1][0])
    out = np.where(np.isnan(s), None, out).astype(object)
    return pd.Series(out, index=getattr(pl_score, "index", None), dtype=object).where(~np.isnan(s), pd.NA)


def density_score(density: np.ndarray, level: np.ndarray, method: PriorityMethod) -> np.ndarray:
    lo, hi = method.density_cuts
    s1, s2, s3 = method.density_scores
    d = np.asarray(density, dtype=float)
    by_number = np.select([d <= lo, d <= hi, d > hi], [s1, s2, s3], default=np.nan)
    by_level = np.select([level == "rendah", level == "sedang", level == "tinggi"], [s1, s2, s3], default=np.nan)
    return np.where(np.isnan(by_level), by_number, by_level)


def _yes_no(values: np.ndarray, m: PriorityMethod) -> np.ndarray:
    return np.select([values == "ada", values == "tidak"], [m.yes_score, m.no_score], default=np.nan)


def _legal(values: np.ndarray) -> np.ndarray:
    """1.0 legal, 0.0 not legal, NaN not assessed."""
    return np.select([values == True, values == False], [1.0, 0.0], default=np.nan)  # noqa: E712 - object array


def assess(frame: pd.DataFrame, row_labels=None, method: dict | PriorityMethod | None = None
           ) -> tuple[pd.DataFrame, list[Finding]]:
    """The priority columns for scored rows (`category` present); returns (columns frame, findings)."""
    findings: list[Finding] = []
    m = resolve_method(method, findings)
    labels = np.asarray(row_labels if row_labels is not None else np.arange(len(frame)) + 1)
    idx = frame.index
    n8a = _yes_no(parse_tokens(frame, "pl_8a", YES_NO_TOKENS, labels, findings), m)
    n8c = _yes_no(parse_tokens(frame, "pl_8c", YES_NO_TOKENS, labels, findings), m)
    density, level = density_of(frame, labels, findings)
    n8b = density_score(density, level, m)
    pl = n8a + n8b + n8c  # NaN unless all three are known
    pl_level = np.where(np.isnan(pl), None, pl_level_of(pl, m).to_numpy(dtype=object))  # None, never <NA>
    l9a = _legal(parse_tokens(frame, "l_9a", LEGAL_TOKENS, labels, findings))
    l9b = _legal(parse_tokens(frame, "l_9b", LEGAL_TOKENS, labels, findings))
    legal = np.where(np.isnan(l9a) | np.isnan(l9b), np.nan, l9a * l9b)
    typology = (parse_tokens(frame, TYPOLOGY_COLUMN, TYPOLOGY_TOKENS, labels, findings)
                if TYPOLOGY_COLUMN in frame.columns else np.full(len(frame), None, dtype=object))

    category = (frame["category"].astype(object).where(frame["category"].notna(), None).to_numpy()
                if "category" in frame.columns
                else np.full(len(frame), None, dtype=object))
    ci = np.select([category == c for c in PRIORITY_CLASSES], list(range(len(PRIORITY_CLASSES))), default=-1)
    li = np.select([pl_level == lv for lv in PL_LEVELS], list(range(len(PL_LEVELS))), default=-1)
    slum = ci >= 0
    assessed = slum & (li >= 0) & ~np.isnan(legal)
    is_legal = legal == 1.0
    matrix = np.array([[m.matrix[(c, lv)] for lv in PL_LEVELS] for c in PRIORITY_CLASSES], dtype=float)
    numbers = np.array([m.class_numbers[lv] for lv in PL_LEVELS])  # (level, legal / not legal)
    ci0, li0 = np.maximum(ci, 0), np.maximum(li, 0)
    priority = np.where(assessed, matrix[ci0, li0], np.nan)
    letters = np.array([CLASS_LETTER[c] for c in PRIORITY_CLASSES], dtype=object)
    digit = np.where(is_legal, numbers[li0, 0], numbers[li0, 1]).astype(str).astype(object)
    pclass = np.where(assessed, letters[ci0] + digit, None)
    handling_legal = np.array([m.handling_legal[c] for c in PRIORITY_CLASSES], dtype=object)
    handling = np.where(assessed, np.where(is_legal, handling_legal[ci0], m.handling_not_legal), None)
    status = np.where(~slum, STATUS_NOT_SLUM, np.where(assessed, STATUS_ASSESSED, STATUS_NOT_ASSESSED))

    # partly filled: some value given (a density derived from population is not "given") but not all
    missing = np.column_stack([np.isnan(n8a), np.isnan(n8b), np.isnan(n8c), np.isnan(l9a), np.isnan(l9b)])
    given = np.column_stack([~np.isnan(n8a), _given(frame, "pl_8b"), ~np.isnan(n8c), ~np.isnan(l9a),
                             ~np.isnan(l9b)]).any(axis=1)
    partial = given & missing.any(axis=1) & slum
    hits = np.flatnonzero(partial)
    for i in hits[:MAX_ROW_FINDINGS]:
        gaps = [c for c, miss in zip(("8a", "8b", "8c", "9a", "9b"), missing[i]) if miss]
        findings.append(Finding("priority.partial", "warning", {"row": labels[i], "missing": ", ".join(gaps)}))
    if len(hits) > MAX_ROW_FINDINGS:
        findings.append(Finding("priority.more_partial", "warning", {"n": len(hits) - MAX_ROW_FINDINGS}))

    out = pd.DataFrame({
        "density_ppha": np.round(density, 2),
        "n_8a": _int(n8a), "n_8b": _int(n8b), "n_8c": _int(n8c), "pl_score": _int(pl),
        "pl_level": pd.array(pl_level, dtype="string"),
        "legal": pd.array(np.where(np.isnan(legal), None, is_legal).astype(object), dtype="boolean"),
        "priority": _int(priority),
        "priority_class": pd.array(pclass, dtype="string"),
        "handling": pd.array(handling, dtype="string"),
        "priority_status": status,
    }, index=idx)
    out[TYPOLOGY_COLUMN] = pd.array(typology, dtype="string")
    return out, findings


def _int(a: np.ndarray) -> pd.arrays.IntegerArray:
    """A float array with NaN as a nullable integer array (<NA> where NaN)."""
    nan = np.isnan(a)
    return pd.arrays.IntegerArray(np.where(nan, 0, a).astype("int64"), nan)


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
