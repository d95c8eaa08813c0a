"""The validation report of an import: errors block it, warnings allow it; every finding says where, what, how to fix.

Data-quality checks of boundaries (duplicate codes, overlaps and gaps between neighbouring
kelurahan with their areas in m², computed in the data's own UTM zone), of assessments (years out
of range, duplicate units, impossible values via the scoring engine, legacy 19-criteria data,
rows matching no kelurahan) and of investments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from utils.core.findings import Finding, Num
from utils.core.i18n import fmt_number
from utils.core.text import escape_markdown  # noqa: F401 - re-exported for pages
from utils.io.matching import MatchResult, normalise_name
from utils.io.tables import user_header
from utils.method.criteria import ASPECTS, CRITERIA, CRITERION_IDS, FUNDING_SOURCES
from utils.method.priority_table import INPUT_COLUMNS as PRIORITY_INPUTS
from utils.method.scoring import LegacyMethodError, UnusableInputError, detect_legacy_columns, score

MIN_YEAR = 2000
MAX_LISTED = 100  # per kind of finding; a summary stands for the rest
MIN_SLIVER_M2 = 0.01  # overlaps and gaps under 10 cm x 10 cm are floating-point noise
_MARKUP_RE = re.compile(r"[<>]|&[a-zA-Z#0-9]+;|\]\(|javascript:", re.IGNORECASE)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)  # figures for the summary (counts, areas)
    shapes: dict[str, list] = field(default_factory=dict)  # "overlaps"/"gaps": geometries in EPSG:4326 for the preview

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: list[Finding]) -> None:
        self.findings.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def keys(self) -> list[str]:
        return [f.key for f in self.findings]

    def lines(self, lang: str = "id") -> list[str]:
        """Errors first, then warnings, each on one line."""
        return [f.line(lang) for f in [*self.errors, *self.warnings]]


def metric_crs(gdf: gpd.GeoDataFrame):
    """The UTM zone of the data (Indonesia spans 46S-54S), for areas in m²."""
    try:
        crs = gdf.estimate_utm_crs()
    except Exception:  # noqa: BLE001 - empty or odd data: a global equal-area CRS still gives m²
        crs = "EPSG:6933"
    return crs


# ---- boundaries ---------------------------------------------------------------------------

def check_kelurahan(kel: gpd.GeoDataFrame, report: Report, layer: str = "kelurahan",
                    parts: gpd.GeoSeries | None = None) -> None:
    """Duplicate codes (error), names with markup (warning), overlaps and gaps (warnings with m²).

    `parts`: geometries whose union is the union of `kel` (the kecamatan dissolved from them), so the
    gap check unions ~900 pieces already unioned instead of every kelurahan again."""
    codes = kel["kode_kel"].astype("string")
    dup = codes[codes.duplicated(keep=False) & codes.notna()]
    for code, idx in list(dup.groupby(dup).groups.items())[:MAX_LISTED]:
        names = ", ".join(str(kel.loc[i, "kelurahan"]) for i in idx)
        report.add(Finding("import.duplicate_code", "error",
                           {"layer": layer, "code": code, "features": ", ".join(str(i + 1) for i in idx),
                            "names": names}))
    names = kel["kelurahan"].astype("string")
    for i in np.flatnonzero(names.isna().to_numpy() | (names.str.strip() == "").fillna(True).to_numpy())[:MAX_LISTED]:
        report.add(Finding("import.missing_name", "warning", {"layer": layer, "feature": int(i) + 1,
                                                              "code": str(codes.iloc[i])}))
    _check_markup(names, report, layer)
    overlaps_and_gaps(kel, report, parts)


def _check_markup(names: pd.Series, report: Report, layer: str) -> None:
    for i, v in enumerate(names.tolist()):
        if isinstance(v, str) and _MARKUP_RE.search(v):
            report.add(Finding("import.name_markup", "warning", {"layer": layer, "feature": i + 1, "value": v[:80]}))


def _holes(union) -> np.ndarray:
    """The interior rings of `union` as polygons, vectorised (a province union has ~20,000)."""
    parts = shapely.get_parts(union)
    parts = parts[shapely.get_type_id(parts) == 3]  # polygons only
    n = shapely.get_num_interior_rings(parts)
    if not len(parts) or not n.sum():
        return np.array([], dtype=object)
    ring_idx = np.concatenate([np.arange(k) for k in n])
    return shapely.polygons(shapely.get_interior_ring(np.repeat(parts, n), ring_idx))


def overlaps_and_gaps(kel: gpd.GeoDataFrame, report: Report, parts: gpd.GeoSeries | None = None) -> None:
    """Slivers between neighbours: overlapping pairs and holes inside the union, with m² in the UTM zone.

    All vectorised: pairs from one STRtree query, their intersections computed once (areas and the
    preview shapes), the union from `parts` when given, neighbours looked up for the listed gaps only."""
    if kel.empty:
        return
    crs = metric_crs(kel)
    geom = kel.to_crs(crs).geometry.to_numpy()
    names = kel["kelurahan"].astype("string").fillna("?").tolist()
    tree = shapely.STRtree(geom)
    left, right = tree.query(geom, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    inter = shapely.intersection(geom[left], geom[right]) if len(left) else np.array([], dtype=object)
    areas = shapely.area(inter) if len(left) else np.array([])
    sig = areas >= MIN_SLIVER_M2
    left, right, areas, inter = left[sig], right[sig], areas[sig], inter[sig]
    order = np.argsort(-areas)
    crs_name = str(getattr(crs, "name", crs))
    report.facts.update(overlap_pairs=int(len(areas)), overlap_m2=float(areas.sum()), metric_crs=crs_name)
    def to_wgs84(shapes) -> list:
        return gpd.GeoSeries(list(shapes), crs=crs).to_crs(4326).tolist()

    if len(areas):
        report.shapes["overlaps"] = to_wgs84(inter[order[:500]])
        report.add(Finding("import.overlaps_summary", "warning",
                           {"n": len(areas), "area": _m2(areas.sum()), "largest": _m2(areas.max()), "crs": crs_name}))
        for k in order[:MAX_LISTED]:
            report.add(Finding("import.overlap", "warning", {"a": names[left[k]], "b": names[right[k]],
                                                             "area": _m2(areas[k])}))
    if parts is not None and len(parts):
        union = shapely.union_all(gpd.GeoSeries(parts).to_crs(crs).to_numpy())
    else:
        union = shapely.union_all(geom)
    holes = _holes(union)
    hole_areas = shapely.area(holes) if len(holes) else np.array([])
    sig = hole_areas >= MIN_SLIVER_M2
    holes, hole_areas = holes[sig], hole_areas[sig]
    report.facts.update(gaps=int(len(holes)), gap_m2=float(hole_areas.sum()))
    if len(holes):
        report.add(Finding("import.gaps_summary", "warning",
                           {"n": len(holes), "area": _m2(hole_areas.sum()), "largest": _m2(hole_areas.max()),
                            "crs": crs_name}))
        report.shapes["gaps"] = to_wgs84(holes[:500])
        listed = np.argsort(-hole_areas)[:MAX_LISTED]
        near_gap, near_kel = tree.query(shapely.buffer(holes[listed], 1.0), predicate="intersects")
        for pos, k in enumerate(listed):
            neighbours = sorted({names[j] for j in near_kel[near_gap == pos]})
            report.add(Finding("import.gap", "warning", {"area": _m2(hole_areas[k]),
                                                         "neighbours": ", ".join(neighbours) or "–"}))


def _m2(value: float) -> str:
    return f"{fmt_number(float(value), 'en', 0)} m²".replace(",", "\u202f")


def check_coverage(kel: gpd.GeoDataFrame, assessments: pd.DataFrame | None, report: Report) -> None:
    """Kelurahan with boundaries but no assessment rows: they show as 'no data' (a warning, listed)."""
    if assessments is None or assessments.empty:
        report.add(Finding("import.boundaries_only", "warning", {"n": len(kel)}))
        return
    have = set(assessments["kode_kel"].dropna().astype(str))
    without = kel.loc[~kel["kode_kel"].astype(str).isin(have), "kelurahan"].astype(str).tolist()
    report.facts["kelurahan_without_data"] = len(without)
    if without:
        report.add(Finding("import.kel_without_data", "warning",
                           {"n": len(without), "names": ", ".join(without[:60]) + (" …" if len(without) > 60 else "")}))


# ---- assessments --------------------------------------------------------------------------

def check_assessments(frame: pd.DataFrame, match: MatchResult | None, report: Report,
                      max_year: int | None = None) -> pd.DataFrame | None:
    """Validate mapped assessment rows; returns the model frame (kode_kel matched) or None when unusable."""
    max_year = max_year or date.today().year + 1
    rows = frame["_row"] if "_row" in frame.columns else pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    legacy = detect_legacy_columns(frame.columns)
    if legacy:
        report.add(Finding("finding.legacy_2016", "error", {"columns": ", ".join(legacy)}))
        report.add(Finding("import.legacy_hint", "error", {}))
        return None
    if "year" not in frame.columns:
        report.add(Finding("import.no_year_column", "error", {}))
    if "kode_kel" not in frame.columns and "kelurahan" not in frame.columns:
        report.add(Finding("import.no_kel_column", "error", {}))
    if report.errors:
        return None
    out = frame.copy()
    years = pd.to_numeric(out["year"], errors="coerce")
    bad_year = years.isna() | (years % 1 != 0) | (years < MIN_YEAR) | (years > max_year)
    _bad_years(out["year"], bad_year, rows, ("import.bad_year", "io.bad_year_grouped"), max_year, report)
    out["year"] = years.astype("Int64")
    if "sk_period" not in out.columns:
        report.add(Finding("import.no_sk_period", "warning", {}))
        out["sk_period"] = "1"
    out["sk_period"] = (out["sk_period"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
                        .fillna("1").replace("", "1"))
    if "kelurahan" in out.columns:
        _check_markup(out["kelurahan"].astype("string"), report, "assessments")
    if match is not None:
        _match_findings(match, report, ("import.row_unmatched", "io.ambiguous_name"))
        if len(match.unmatched) > MAX_LISTED:
            report.add(Finding("import.more_unmatched", "error", {"n": len(match.unmatched) - MAX_LISTED}))
        for row, given, code in match.code_mismatch[:MAX_LISTED]:
            report.add(Finding("import.code_mismatch", "warning", {"row": row, "given": given, "code": code}))
        out["kode_kel"] = match.kode_kel
        report.facts["rows_matched"] = match.n_matched
        report.facts["rows_unmatched"] = len(match.unmatched)
    if "kawasan_id" not in out.columns:
        out["kawasan_id"] = out["kawasan"] if "kawasan" in out.columns else ""
    if "rt" not in out.columns:
        out["rt"] = ""
    for col in ("kawasan_id", "rt"):
        out[col] = out[col].astype("string").str.strip().fillna("")
    keys = ["year", "sk_period", "kode_kel", "kawasan_id", "rt"]
    dup = out.duplicated(subset=keys, keep=False) & out["kode_kel"].notna()
    if dup.any():
        for _, grp in list(out[dup].groupby(keys, dropna=False))[:MAX_LISTED]:
            report.add(Finding("import.duplicate_unit", "error",
                               {"rows": ", ".join(str(rows.loc[i]) for i in grp.index),
                                "year": str(grp["year"].iloc[0]), "code": str(grp["kode_kel"].iloc[0]),
                                "unit": " ".join(x for x in (str(grp["kawasan_id"].iloc[0]), str(grp["rt"].iloc[0]))
                                                 if x) or "–"}))
    for den in ("area_ha", "buildings", "population", "households", "road_length_m", "drainage_length_m"):
        if den in out.columns:
            vals = pd.to_numeric(out[den], errors="coerce")
            for i in np.flatnonzero((vals < 0).to_numpy())[:MAX_LISTED]:
                report.add(Finding("import.negative_denominator", "error",
                                   {"row": rows.iloc[i], "column": user_header(frame, den),
                                    "value": fmt_number(vals.iloc[i], "en", 2)}))
    if not _check_denominators(frame, report):
        return None
    try:
        result = score(out, row_labels=rows)
        report.extend(result.findings)
        _check_given_scores(out, result.frame, rows, report)
    except LegacyMethodError as exc:
        report.add(exc.finding)
        return None
    except UnusableInputError as exc:
        report.extend(exc.findings)
        return None
    report.facts["assessment_rows"] = len(out)
    cols = [*keys, *[c for c in ("area_ha", "buildings", "population", "households", "road_length_m",
                                 "drainage_length_m") if c in out.columns],
            *[c for c in out.columns if re.fullmatch(r"[vp]_[1-7][a-c]", str(c)) and c[2:] in CRITERION_IDS],
            *[c for c in PRIORITY_INPUTS if c in out.columns]]  # legality, PL, typology (priority_table.py)
    return out[cols].reset_index(drop=True)


def _check_given_scores(given: pd.DataFrame, scored: pd.DataFrame, rows: pd.Series, report: Report) -> None:
    """A workbook's own Nilai columns (n_1a..n_7b) against the method: a mismatch means either the
    workbook or its percentages are wrong, and the map would otherwise silently differ from it."""
    for cid in CRITERION_IDS:
        col = f"n_{cid}"
        if col not in given.columns:
            continue
        stated = pd.to_numeric(given[col], errors="coerce").to_numpy()
        computed = scored[col].to_numpy()
        differs = ~np.isnan(stated) & (stated != computed)
        hits = np.flatnonzero(differs)
        for i in hits[:MAX_LISTED]:
            report.add(Finding("import.score_mismatch", "warning", {
                "row": rows.iloc[i], "criterion": cid, "given": fmt_number(stated[i], "en", 0),
                "computed": int(computed[i]), "pct": Num(float(scored[f"p_{cid}"].iloc[i]), 2)}))
        if len(hits) > MAX_LISTED:
            report.add(Finding("finding.more_rows", "warning", {"n": len(hits) - MAX_LISTED, "criterion": cid}))


def _bad_years(values: pd.Series, bad: pd.Series, rows: pd.Series, keys: tuple[str, str], max_year: int,
               report: Report) -> None:
    """One message per wrong value: `2023/2024` in 44 rows is one finding, not 44."""
    shown = values.astype("string").fillna("").str.strip()
    hits = np.flatnonzero(bad.to_numpy())
    groups: dict[str, list[int]] = {}
    for i in hits:
        groups.setdefault(str(shown.iloc[i]), []).append(i)
    for value, idx in list(groups.items())[:MAX_LISTED]:
        params = {"value": value or "–", "min": MIN_YEAR, "max": max_year}
        if len(idx) == 1:
            report.add(Finding(keys[0], "error", {"row": rows.iloc[idx[0]], **params}))
        else:
            listed = ", ".join(str(rows.iloc[i]) for i in idx[:10]) + (" …" if len(idx) > 10 else "")
            report.add(Finding(keys[1], "error", {"n": len(idx), "rows": listed, **params}))


def _match_findings(match: MatchResult, report: Report, keys: tuple[str, str]) -> None:
    """Unmatched rows (with suggestions), names shared by several desa (with every candidate), and
    rows whose code and name point at different kelurahan (filed by the code, both shown)."""
    for u in match.unmatched[:MAX_LISTED]:
        if u.ambiguous:
            report.add(Finding(keys[1], "error", {"row": u.row, "name": u.name, "n": len(u.candidates),
                                                  "candidates": u.candidate_text()}))
        else:
            report.add(Finding(keys[0], "error", {"row": u.row, "code": u.code or "–", "name": u.name or "–",
                                                  "suggestions": u.suggestion_text()}))
    for row, code, code_name, given, other in match.name_mismatch[:MAX_LISTED]:
        report.add(Finding("io.name_code_disagree", "warning", {
            "row": row, "code": code, "code_name": code_name, "given": given,
            "name_code": other or "–"}))


def _check_denominators(frame: pd.DataFrame, report: Report) -> bool:
    """Volumes whose denominator column is missing: percentages stand in (said so) or the table is refused,
    naming the header the user knows (`Jumlah KK`), never the internal column name."""
    ok = True
    by_den: dict[str, list[str]] = {}
    for crit in CRITERIA:
        if f"v_{crit.id}" in frame.columns and crit.denominator not in frame.columns:
            by_den.setdefault(crit.denominator, []).append(crit.id)
    for den, ids in by_den.items():
        header = user_header(frame, den)
        with_pct = [c for c in ids if f"p_{c}" in frame.columns]
        without = [c for c in ids if c not in with_pct]
        if without:
            ok = False
            report.add(Finding("io.missing_denominator", "error", {"header": header, "criteria": ", ".join(without)}))
        if with_pct:
            report.add(Finding("io.pct_instead", "warning", {"header": header, "n": len(with_pct),
                                                             "criteria": ", ".join(with_pct)}))
    has_vol = any(f"v_{c}" in frame.columns for c in CRITERION_IDS)
    pct_only = [c for c in CRITERION_IDS if f"p_{c}" in frame.columns and f"v_{c}" not in frame.columns]
    if has_vol and pct_only:
        report.add(Finding("io.pct_only", "warning", {"n": len(pct_only), "criteria": ", ".join(pct_only)}))
    return ok


_CRITERION_ID_RE = re.compile(r"(?:v_|kriteria |criterion )?([1-7])\s*[.\-_]?\s*([a-c])")


def _criterion(value: object, row: object, report: Report) -> str:
    """An investment's criterion as an id (`3a`): ids in any spelling (`3.a`, `V_3A`), a criterion's
    name, or an aspect's name (`Air minum`: its first criterion, with a warning naming the others)."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return ""
    text = str(value).strip()
    m = _CRITERION_ID_RE.fullmatch(text.lower())
    if m and m.group(1) + m.group(2) in CRITERION_IDS:
        return m.group(1) + m.group(2)
    key = normalise_name(text)
    for crit in CRITERIA:
        if key in (normalise_name(crit.name_id), normalise_name(crit.name_en)):
            report.add(Finding("io.inv_criterion_named", "warning",
                               {"row": row, "value": text[:60], "criterion": crit.id, "name": crit.name_id}))
            return crit.id
    for aspect in ASPECTS:
        names = (aspect.name_id, aspect.name_en, f"aspek {aspect.id}", f"aspek {aspect.name_id}")
        if key in {normalise_name(n) for n in names}:
            ids = [c.id for c in CRITERIA if c.aspect == aspect.id]
            report.add(Finding("io.inv_aspect_criterion", "warning", {
                "row": row, "value": text[:60], "aspect": aspect.id, "name": aspect.name_id, "criterion": ids[0],
                "options": ", ".join(ids)}))
            return ids[0]
    report.add(Finding("io.inv_bad_criterion", "warning", {"row": row, "value": text[:60]}))
    return ""


# ---- investments --------------------------------------------------------------------------

def check_investments(frame: pd.DataFrame, match: MatchResult | None, report: Report,
                      max_year: int | None = None) -> pd.DataFrame | None:
    max_year = max_year or date.today().year + 1
    rows = frame["_row"] if "_row" in frame.columns else pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    if "year" not in frame.columns:
        report.add(Finding("import.inv_no_year", "error", {}))
        return None
    out = frame.copy()
    years = pd.to_numeric(out["year"], errors="coerce")
    bad = years.isna() | (years % 1 != 0) | (years < MIN_YEAR) | (years > max_year)
    _bad_years(out["year"], bad, rows, ("import.inv_bad_year", "io.inv_bad_year_grouped"), max_year, report)
    out["year"] = years.astype("Int64")
    if match is not None:
        _match_findings(match, report, ("import.inv_unmatched", "io.inv_ambiguous_name"))
        out["kode_kel"] = match.kode_kel
    if "criterion" in out.columns:
        out["criterion"] = [_criterion(v, rows.iloc[i], report) for i, v in enumerate(out["criterion"].tolist())]
    for col in ("volume", "budget_idr"):
        if col in out.columns:
            raw = out[col]
            vals = pd.to_numeric(raw, errors="coerce")
            text = raw.astype("string").str.strip()
            header = user_header(frame, col)
            for i in np.flatnonzero((vals.isna() & text.notna() & (text != "")).to_numpy())[:MAX_LISTED]:
                report.add(Finding("io.inv_not_number", "warning",
                                   {"row": rows.iloc[i], "column": header, "value": str(raw.iloc[i])[:60]}))
            for i in np.flatnonzero((vals < 0).to_numpy())[:MAX_LISTED]:
                report.add(Finding("import.inv_negative", "error",
                                   {"row": rows.iloc[i], "column": header, "value": fmt_number(vals.iloc[i], "en", 2)}))
            out[col] = vals
    if "funding_source" in out.columns:
        known = {normalise_name(s): s for s in FUNDING_SOURCES}
        src = out["funding_source"].astype("string")
        # a list, not Series.map: all-unknown sources would give an Arrow "null" column that breaks below
        norm = pd.Series([known.get(normalise_name(v)) if isinstance(v, str) else None for v in src.tolist()],
                         index=src.index, dtype="object")
        for i in np.flatnonzero((norm.isna() & src.notna()).to_numpy())[:MAX_LISTED]:
            report.add(Finding("import.inv_unknown_source", "warning",
                               {"row": rows.iloc[i], "value": str(src.iloc[i]), "known": ", ".join(FUNDING_SOURCES)}))
        out["funding_source"] = norm.fillna(src)
    cols = ["year", "kode_kel", "kawasan_id", "rt", "criterion", "activity", "volume", "unit", "budget_idr",
            "funding_source", "implementer"]
    for c in cols:
        if c not in out.columns:
            out[c] = pd.NA if c in ("volume", "budget_idr") else ""
    report.facts["investment_rows"] = len(out)
    return out[cols].reset_index(drop=True)
