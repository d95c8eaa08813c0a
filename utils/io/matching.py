"""Matching table rows to boundary features: Kemendagri code first, then normalised name, then suggestions.

Real workbooks write codes with or without dots, as numbers, and names in odd case, with `Kel.`
prefixes or spelling variants (Tambaan / Tamba'an, Bugulkidul / Bugul Kidul). A row that matches
nothing is listed with fuzzy suggestions; it is never dropped silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

# Digits per segment of a Kemendagri code: province.kabkota.kecamatan.kelurahan
_SEGMENTS = (2, 2, 2, 4)
_PREFIX_RE = re.compile(
    r"^\s*(?:kelurahan|kel\s*\.|kel\b|desa\s*/\s*kelurahan|desa|ds\s*\.|kecamatan|kec\s*\.|kec\b)\s*",
    re.IGNORECASE,
)
SUGGESTION_CUTOFF = 60.0
SUGGESTION_LIMIT = 3


def normalise_code(value: object) -> str | None:
    """A Kemendagri code as a dotted string (`35.75.04.1013`), whatever form it came in; None if not a code.

    Accepts `35.75.04.1013`, `3575041013`, the number 3575041013 (or 3575041013.0 from Excel),
    `35 75 04 1013`, and dotted codes with unpadded segments (`35.75.4.1013`).
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value or not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    if not text or text.lower() in ("nan", "none", "<na>"):
        return None
    if re.fullmatch(r"\d+\.0+", text):  # an Excel number stored as text
        text = text.split(".")[0]
    parts = [p for p in re.split(r"[.\s\-_/]+", text) if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    if len(parts) == 1:
        digits = parts[0]
        lengths = {2: 1, 4: 2, 6: 3, 10: 4}
        if len(digits) not in lengths:
            return None
        n = lengths[len(digits)]
        out, pos = [], 0
        for width in _SEGMENTS[:n]:
            out.append(digits[pos:pos + width])
            pos += width
        return ".".join(out)
    if len(parts) > 4 or any(len(p) > w for p, w in zip(parts, _SEGMENTS)):
        return None
    return ".".join(p.zfill(w) for p, w in zip(parts, _SEGMENTS))


def normalise_name(value: object) -> str:
    """A comparison key for a place name: lower case, no accents, prefixes, apostrophes or spaces.

    Dropping every space and apostrophe makes Tambaan = Tamba'an, Bugulkidul = Bugul Kidul,
    Kandang Sapi = Kandangsapi, and `Kel. Trajeng` = `TRAJENG`.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PREFIX_RE.sub("", text.strip())
    return re.sub(r"[^0-9a-z]+", "", text.lower())


@dataclass
class Unmatched:
    row: object  # the row label the user sees (spreadsheet row number)
    code: str
    name: str
    suggestions: list[tuple[str, str, float]] = field(default_factory=list)  # (kode_kel, kelurahan, score)
    # a name that several kelurahan/desa share (a Kab + Kota file): (kode_kel, kelurahan, kecamatan) of each
    candidates: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def suggestion_text(self) -> str:
        return ", ".join(f"{name} ({code})" for code, name, _ in self.suggestions) or "–"

    def candidate_text(self) -> str:
        return ", ".join(f"{name} ({code}, {kec})" for code, name, kec in self.candidates)


@dataclass
class MatchResult:
    kode_kel: pd.Series  # matched dotted code per row, <NA> where unmatched
    method: pd.Series  # "code" / "name" / <NA>
    unmatched: list[Unmatched]
    code_mismatch: list[tuple[object, str, str]]  # (row, given code, code matched by name)
    # a code and a name that point at different kelurahan: (row, code, name at that code, name given,
    # code of the name given or ""); the row is filed by its code
    name_mismatch: list[tuple[object, str, str, str, str]] = field(default_factory=list)

    @property
    def n_matched(self) -> int:
        return int(self.kode_kel.notna().sum())


def match_rows(table: pd.DataFrame, boundaries: pd.DataFrame, row_labels: pd.Series | None = None,
               code_col: str = "kode_kel", name_col: str = "kelurahan", kec_col: str = "kecamatan") -> MatchResult:
    """Match each row of `table` to a kelurahan of `boundaries` (columns kode_kel, kelurahan, kecamatan)."""
    labels = row_labels if row_labels is not None else pd.Series(range(1, len(table) + 1), index=table.index)
    b_codes = boundaries["kode_kel"].astype(str).tolist()
    b_names = boundaries["kelurahan"].astype(str).tolist()
    b_kec = boundaries["kecamatan"].astype(str).tolist() if "kecamatan" in boundaries else [""] * len(b_codes)
    code_set = set(b_codes)
    by_name: dict[str, list[int]] = {}
    for i, n in enumerate(b_names):
        by_name.setdefault(normalise_name(n), []).append(i)
    choices = {i: normalise_name(n) for i, n in enumerate(b_names)}

    codes_in = table[code_col] if code_col in table.columns else pd.Series([None] * len(table), index=table.index)
    names_in = table[name_col] if name_col in table.columns else pd.Series([None] * len(table), index=table.index)
    kec_in = table[kec_col] if kec_col in table.columns else pd.Series([None] * len(table), index=table.index)

    out_code: list[object] = []
    out_method: list[object] = []
    unmatched: list[Unmatched] = []
    mismatch: list[tuple[object, str, str]] = []
    disagree: list[tuple[object, str, str, str, str]] = []
    name_at = dict(zip(b_codes, b_names))
    cache: dict[tuple, tuple] = {}
    for idx, raw_code, raw_name, raw_kec in zip(table.index, codes_in, names_in, kec_in):
        key = (str(raw_code), str(raw_name), str(raw_kec))
        if key not in cache:
            cache[key] = _match_one(raw_code, raw_name, raw_kec, code_set, by_name, b_codes, b_kec)
        code, method, ambiguous = cache[key]
        given_code = normalise_code(raw_code)
        if code is not None and method == "name" and given_code is not None and given_code != code:
            mismatch.append((labels.loc[idx], str(raw_code), code))
        if code is not None and method == "code" and not _blank(raw_name):
            given = normalise_name(raw_name)
            if given and given != normalise_name(name_at[code]):
                others = [b_codes[i] for i in by_name.get(given, [])]
                disagree.append((labels.loc[idx], code, name_at[code], str(raw_name).strip(),
                                 others[0] if len(others) == 1 else ""))
        if code is None:
            query = normalise_name(raw_name)
            hits = process.extract(query, choices, scorer=fuzz.WRatio, limit=SUGGESTION_LIMIT,
                                   score_cutoff=SUGGESTION_CUTOFF) if query and not ambiguous else []
            unmatched.append(Unmatched(labels.loc[idx], "" if _blank(raw_code) else str(raw_code),
                                       "" if _blank(raw_name) else str(raw_name),
                                       [(b_codes[i], b_names[i], round(float(s), 1)) for _, s, i in hits],
                                       [(b_codes[i], b_names[i], b_kec[i]) for i in ambiguous]))
        out_code.append(code)
        out_method.append(method)
    return MatchResult(pd.Series(out_code, index=table.index, dtype="string"),
                       pd.Series(out_method, index=table.index, dtype="string"), unmatched, mismatch, disagree)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() in ("", "nan", "<NA>", "None")


def _match_one(raw_code, raw_name, raw_kec, code_set, by_name, b_codes,
               b_kec) -> tuple[str | None, str | None, list[int]]:
    """(code, how it matched, the feature indices a shared name leaves open)."""
    code = normalise_code(raw_code)
    if code is not None and code in code_set:
        return code, "code", []
    candidates = by_name.get(normalise_name(raw_name), []) if not _blank(raw_name) else []
    if len(candidates) > 1 and not _blank(raw_kec):  # same name in two kecamatan: the kecamatan decides
        kec = normalise_name(raw_kec)
        narrowed = [i for i in candidates if normalise_name(b_kec[i]) == kec]
        candidates = narrowed or candidates
    if len(candidates) == 1:
        return b_codes[candidates[0]], "name", []
    return None, None, candidates if len(candidates) > 1 else []
