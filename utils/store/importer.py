"""Import orchestration: uploaded files -> (Dataset, validation report), then, only on confirmation, the store.

`prepare_*` never writes to the store: it reads everything in a private temp folder, validates,
matches and builds an in-memory Dataset. `commit` saves it as a new version with `store.save`
(atomic). A failed or cancelled import therefore leaves every stored byte unchanged.
Boundaries alone are a valid import: every kelurahan shows as "no data" until assessments come.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from utils import store
from utils.core.findings import Finding
from utils.io.boundaries import (
    TABLE_SUFFIXES,
    ColumnMapping,
    DetectedColumns,
    LayerSource,
    detect_columns,
    discover,
    normalise_layer,
    read_layer,
)
from utils.io.matching import MatchResult, match_rows
from utils.io.tables import list_sheets, read_table_file
from utils.io.uploads import UploadError, UploadWorkspace
from utils.io.validation import Report, check_assessments, check_coverage, check_investments, check_kelurahan
from utils.store import regions
from utils.store.dataset import Dataset, DatasetMeta, SkPeriod, dissolve_kecamatan

_YEAR_SHEET = re.compile(r"^\s*(19|20)\d\d\s*$")
_CITY_COLUMNS = ("kota", "kabupaten", "kab_kota", "kabkota", "wadmkk", "nama_kota", "kota_kab")


@dataclass
class ImportOptions:
    """Choices the user can make when the files leave something open."""

    crs: str | None = None  # for layers without .prj, e.g. "EPSG:32749"
    kelurahan_layer: str | None = None  # labels from LayerSource.label
    kecamatan_layer: str | None = None
    kawasan_layer: str | None = None
    mapping: ColumnMapping | None = None  # columns of the kelurahan layer
    assessment_sheet: str | None = None
    investment_sheet: str | None = None
    header_row: int | None = None
    city: str | None = None
    name: str | None = None


@dataclass
class ImportPreview:
    report: Report
    dataset: Dataset | None = None
    layers: list[LayerSource] = field(default_factory=list)
    layer_levels: dict[str, str | None] = field(default_factory=dict)  # label -> detected level
    roles: dict[str, str] = field(default_factory=dict)  # kelurahan/kecamatan/kawasan -> label
    detected: DetectedColumns | None = None
    columns: list[str] = field(default_factory=list)  # columns of the kelurahan layer (for mapping)
    sheets: dict[str, list[str]] = field(default_factory=dict)  # assessments/investments -> sheets
    chosen_sheets: dict[str, str | None] = field(default_factory=dict)
    match: MatchResult | None = None
    unmatched_table: pd.DataFrame | None = None
    needs: list[str] = field(default_factory=list)  # "crs", "layer", "columns": what the user must give

    @property
    def ok(self) -> bool:
        return self.dataset is not None and self.report.ok


def prepare_uploads(boundaries: list[tuple[str, bytes]], assessments: tuple[str, bytes] | None = None,
                    investments: tuple[str, bytes] | None = None, options: ImportOptions | None = None,
                    workspace_kwargs: dict | None = None) -> ImportPreview:
    """From uploaded (name, bytes) pairs (the Data page). Nothing touches the store."""
    with UploadWorkspace(**(workspace_kwargs or {})) as ws:
        try:
            b_paths = [ws.add_bytes(n, d, "boundaries") for n, d in boundaries]
            a_path = ws.add_bytes(*assessments, folder="assessments") if assessments else None
            i_path = ws.add_bytes(*investments, folder="investments") if investments else None
        except UploadError as exc:
            return ImportPreview(Report([exc.finding]))
        return prepare(ws, b_paths, a_path, i_path, options)


def prepare_paths(boundaries: list[Path], assessments: Path | None = None, investments: Path | None = None,
                  options: ImportOptions | None = None, workspace_kwargs: dict | None = None) -> ImportPreview:
    """From local paths (the CLI): each file is copied into the private workspace and read there."""
    with UploadWorkspace(**(workspace_kwargs or {})) as ws:
        try:
            b_paths = [ws.add_path(p, "boundaries") for p in boundaries]
            a_path = ws.add_path(assessments, "assessments") if assessments else None
            i_path = ws.add_path(investments, "investments") if investments else None
        except UploadError as exc:
            return ImportPreview(Report([exc.finding]))
        return prepare(ws, b_paths, a_path, i_path, options)


def prepare(ws: UploadWorkspace, boundary_paths: list[Path], assessment_path: Path | None,
            investment_path: Path | None, options: ImportOptions | None = None) -> ImportPreview:
    options = options or ImportOptions()
    preview = ImportPreview(Report())
    report = preview.report
    try:
        if not boundary_paths:
            raise UploadError("import.no_boundaries_given")
        files = ws.expand(boundary_paths)
        tables_among = [p for p in files if p.suffix.lower() in TABLE_SUFFIXES]
        sources, found = discover([p for p in files if p not in tables_among], ws.root)
        report.extend(found)
        preview.layers = sources
        layers = _read_layers(sources, options, preview)
        kel, kec, kawasan, raw_kel = _assign_roles(layers, options, preview)
        kel = regions.with_kabkota(kel, raw_kel)  # kab/kota: the file's columns or the code prefix
    except UploadError as exc:
        report.add(exc.finding)
        if exc.finding.key == "import.no_prj":
            preview.needs.append("crs")
        if exc.finding.key == "import.columns_unknown":
            preview.needs.append("columns")
        if exc.finding.key == "import.choose_layer":
            preview.needs.append("layer")
        return preview
    if report.errors:
        return preview
    # the kecamatan dissolved from these kelurahan hold their union already: the gap check reuses it
    dissolved = "kecamatan" not in preview.roles and bool(kel[["kode_kec", "kecamatan"]].notna().all().all())
    check_kelurahan(kel, report, parts=kec.geometry if dissolved and kec is not None else None)
    report.facts["kelurahan"] = len(kel)
    report.facts["kecamatan"] = len(kec)

    assessments = None
    if assessment_path is not None:
        assessments = _read_assessments(assessment_path, kel, options, preview)
    investments = None
    if investment_path is not None:
        investments = _read_investments(investment_path, kel, options, preview)
    if assessment_path is None or assessments is not None:
        check_coverage(kel, assessments, report)
    if not report.ok:
        return preview
    preview.dataset = Dataset(
        meta=_meta(kel, raw_kel, assessments, options, boundary_paths, assessment_path, investment_path),
        kelurahan=_plain(kel), kecamatan=_plain(kec),
        assessments=_plain(assessments) if assessments is not None else pd.DataFrame(),
        kawasan=_plain(kawasan) if kawasan is not None else None,
        investments=_plain(investments) if investments is not None else None,
    )
    return preview


def commit(preview: ImportPreview, name: str, *, author: str = "", note: str = "",
           new_dataset: bool | None = None) -> store.VersionInfo:
    """Store the previewed dataset under `name` as typed (the display name; the folder is its slug).

    Refuses a preview with errors, and a name whose folder holds ANOTHER dataset (`a/b` vs `a_b`).
    The same name again is the dataset's next version; `new_dataset=True` refuses that too (the Data
    page's "new dataset"). Tables are added to a stored dataset with `preview_addition`."""
    if not preview.ok or preview.dataset is None:
        raise UploadError("import.not_importable")
    try:
        slug = store.slugify(name)
    except store.StoreError as exc:
        raise UploadError("import.bad_name", name=name[:60]) from exc
    if slug == store.SAMPLE_NAME:
        raise UploadError("import.name_reserved", name=slug)
    typed = name.strip()
    latest = store.list_versions(slug)
    if latest and new_dataset is None and latest[-1].display_name not in (typed, ""):
        # the folder holds a dataset saved under another name (`a/b` vs `a_b`): never merge the two
        raise store.NameClashError(key="store.name_clash", name=typed, existing=latest[-1].display_name, slug=slug)
    preview.dataset.meta.name = slug
    preview.dataset.meta.display_name = typed
    preview.dataset.meta.city = preview.dataset.meta.city or typed
    return store.save(preview.dataset, typed, author=author, note=note, new_dataset=new_dataset)


# ---- steps --------------------------------------------------------------------------------

def _read_layers(sources: list[LayerSource], options: ImportOptions, preview: ImportPreview) -> list[tuple]:
    out = []
    chosen = {options.kelurahan_layer, options.kecamatan_layer, options.kawasan_layer} - {None}
    for src in sources:
        if chosen and src.label not in chosen and len(sources) > 1:
            preview.layer_levels[src.label] = None
            continue
        gdf, found = read_layer(src, options.crs)
        mapping = options.mapping if src.label == options.kelurahan_layer or len(sources) == 1 else None
        det = detect_columns(gdf, mapping)
        preview.layer_levels[src.label] = det.level
        out.append((src, gdf, det, found))
    return out


def _assign_roles(layers: list[tuple], options: ImportOptions, preview: ImportPreview):
    report = preview.report

    def pick(role: str, chosen: str | None):
        if chosen:
            hit = [x for x in layers if x[0].label == chosen]
            if not hit:
                raise UploadError("import.no_such_layer", layer=chosen, layers=", ".join(x[0].label for x in layers))
            return hit[0]
        cands = [x for x in layers if x[2].level == role]
        if len(cands) > 1 and role == "kelurahan":
            raise UploadError("import.choose_layer", layers=", ".join(x[0].label for x in cands))
        return cands[0] if cands else None

    kel_layer = pick("kelurahan", options.kelurahan_layer)
    if kel_layer is None:
        if len(layers) == 1:
            src, gdf, det, _ = layers[0]
            preview.columns = det.candidates
            preview.detected = det
            if det.level == "kecamatan":
                raise UploadError("import.only_kecamatan", name=src.label)
            raise UploadError("import.columns_unknown", name=src.label, columns=", ".join(det.candidates) or "–")
        raise UploadError("import.no_kelurahan_layer", layers=", ".join(
            f"{x[0].label} ({x[2].level or '?'})" for x in layers))
    src, gdf, det, found = kel_layer
    if options.mapping is not None and det.level != "kelurahan":
        det = detect_columns(gdf, ColumnMapping(**{**options.mapping.__dict__, "level": "kelurahan"}))
    preview.detected, preview.columns = det, det.candidates
    preview.roles["kelurahan"] = src.label
    report.extend(found)
    if det.level != "kelurahan":
        raise UploadError("import.columns_unknown", name=src.label, columns=", ".join(det.candidates))
    kel, found = normalise_layer(gdf, det, src.label)
    report.extend(found)
    if not det.confident:
        report.add(Finding("import.columns_guessed", "warning",
                           {"name": src.label, "code": det.code or "–", "label": det.name or "–"}))

    kec_layer = pick("kecamatan", options.kecamatan_layer)
    if kec_layer is not None and kec_layer is not kel_layer:
        preview.roles["kecamatan"] = kec_layer[0].label
        report.extend(kec_layer[3])
        kec, found = normalise_layer(kec_layer[1], kec_layer[2], kec_layer[0].label)
        report.extend(found)
        names = dict(zip(kec["kode_kec"].astype(str), kec["kecamatan"]))
        kel["kecamatan"] = kel["kecamatan"].fillna(kel["kode_kec"].astype(str).map(names))
    else:
        kec = None
    if kel["kecamatan"].isna().any():
        report.add(Finding("import.no_kecamatan_names", "warning", {"name": src.label}))
        kel["kecamatan"] = kel["kecamatan"].fillna(kel["kode_kec"])
    if kec is None:
        kec = dissolve_kecamatan(kel)

    kawasan = None
    kaw_layer = pick("kawasan", options.kawasan_layer)
    if kaw_layer is not None:
        preview.roles["kawasan"] = kaw_layer[0].label
        report.extend(kaw_layer[3])
        kawasan, found = normalise_layer(kaw_layer[1], kaw_layer[2], kaw_layer[0].label)
        report.extend(found)
        missing = kawasan["kode_kel"].isna()
        if missing.any():  # the kelurahan a kawasan lies in, from where it lies
            pts = gpd.GeoDataFrame(geometry=kawasan.loc[missing].geometry.representative_point(), crs=kawasan.crs)
            joined = gpd.sjoin(pts, kel[["kode_kel", "geometry"]], how="left", predicate="within")
            joined = joined[~joined.index.duplicated()]
            kawasan.loc[missing, "kode_kel"] = joined["kode_kel"].astype("string")
    used = set(preview.roles.values())
    for s, _g, d, _f in layers:
        if s.label not in used:
            report.add(Finding("import.layer_ignored", "warning", {"name": s.label, "level": d.level or "?"}))
    return kel, kec, kawasan, gdf


def _read_table(path: Path, kind: str, sheet, preview: ImportPreview, header_row=None):
    """Read one uploaded table and note its sheets; None (with the finding reported) when unreadable.

    `sheet` matches case-insensitively. A workbook with one sheet per year (`2023`, `2024`) and no
    sheet chosen is read sheet by sheet, each sheet's name giving the year of rows without one."""
    try:
        sheets = list_sheets(path) if path.suffix.lower() in (".xlsx", ".xlsm") else []
        if sheet is not None and sheets:
            sheet = next((s for s in sheets if s.strip().casefold() == str(sheet).strip().casefold()), sheet)
        year_sheets = [s for s in sheets if _YEAR_SHEET.match(s)] if sheet is None else []
        tr = _read_year_sheets(path, kind, year_sheets, header_row) if year_sheets else None
        if tr is None:
            tr = read_table_file(path, kind, sheet, header_row)
    except UploadError as exc:
        preview.report.add(exc.finding)
        return None
    preview.sheets[kind] = tr.sheets
    preview.chosen_sheets[kind] = tr.sheet
    preview.report.extend(tr.findings)
    return tr


def _read_year_sheets(path: Path, kind: str, year_sheets: list[str], header_row=None):
    """One TableRead of every year sheet that reads as a `kind` table; None when none does."""
    reads = []
    for s in year_sheets:
        try:
            tr = read_table_file(path, kind, s, header_row)
        except UploadError:
            continue
        frame = tr.frame.copy()
        year = int(s.strip())
        frame["year"] = frame["year"].where(frame["year"].notna(), year) if "year" in frame.columns else year
        frame["_row"] = [f"{s.strip()}!{r}" for r in frame["_row"]]
        reads.append(replace(tr, frame=frame))
    if not reads:
        return None
    frame = pd.concat([r.frame for r in reads], ignore_index=True)
    return replace(reads[0], frame=frame, sheet=", ".join(r.sheet or "" for r in reads),
                   findings=[f for r in reads for f in r.findings])


def _read_assessments(path: Path, kel: gpd.GeoDataFrame, options: ImportOptions, preview: ImportPreview):
    report = preview.report
    tr = _read_table(path, "assessments", options.assessment_sheet, preview, options.header_row)
    if tr is None:
        return None
    match = None
    if "kode_kel" in tr.frame.columns or "kelurahan" in tr.frame.columns:
        match = match_rows(tr.frame, kel, row_labels=tr.frame["_row"])
        preview.match = match
        preview.unmatched_table = pd.DataFrame(
            [{"row": u.row, "code": u.code, "name": u.name, "suggestions": u.suggestion_text()}
             for u in match.unmatched])
    return check_assessments(tr.frame, match, report)


def _read_investments(path: Path, kel: gpd.GeoDataFrame, options: ImportOptions, preview: ImportPreview):
    report = preview.report
    tr = _read_table(path, "investments", options.investment_sheet, preview)
    if tr is None:
        return None
    match = match_rows(tr.frame, kel, row_labels=tr.frame["_row"]) if (
        "kode_kel" in tr.frame.columns or "kelurahan" in tr.frame.columns) else None
    return check_investments(tr.frame, match, report)


def _meta(kel, raw_kel, assessments, options: ImportOptions, boundary_paths, assessment_path,
          investment_path=None) -> DatasetMeta:
    city = options.city
    if not city:
        for col in raw_kel.columns:
            if str(col).lower() in _CITY_COLUMNS:
                vals = raw_kel[col].dropna().astype(str)
                if not vals.empty:
                    city = vals.mode().iloc[0]
                    break
    codes = kel["kode_kel"].dropna().astype(str).str[:5]
    city_code = codes.mode().iloc[0] if not codes.empty else ""
    region = ""
    if "kode_kab" in kel and kel["kode_kab"].nunique() > 1:  # a province: never named after one kab/kota
        province = regions.province_name(raw_kel)
        region = options.city or (("" if province.lower().startswith("provinsi") else "Provinsi ") + province
                                  if province else options.name or "")
        city, city_code = region, city_code[:2]
    periods: list[SkPeriod] = []
    if assessments is not None and not assessments.empty:
        for pid, grp in assessments.groupby("sk_period"):
            base = int(grp["year"].min())
            periods.append(SkPeriod(str(pid), f"SK {pid} ({base})", base))
    # every file the dataset was built from, the investments too (the briefing's source line names them)
    files = [Path(p).name for p in [*boundary_paths, assessment_path, investment_path] if p]
    return DatasetMeta(name=options.name or "import", city=city or options.name or "", city_code=city_code,
                       region=region,
                       sk_periods=sorted(periods, key=lambda p: p.baseline_year), source=", ".join(files)[:300],
                       source_date=date.today().isoformat(), illustrative=False)


def _plain(frame):
    """Nullable pandas dtypes to what GeoPackage writing and the rest of the app expect."""
    if frame is None:
        return None
    out = frame.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        dtype = out[col].dtype
        if isinstance(dtype, pd.StringDtype) or dtype is object or str(dtype) == "object":
            out[col] = out[col].astype(object).where(out[col].notna(), None)
            if col in ("kode_kel", "kode_kec", "sk_period", "kawasan_id", "rt", "kelurahan", "kecamatan"):
                out[col] = out[col].map(lambda v: "" if v is None else str(v))
        elif str(dtype) == "Int64":
            out[col] = out[col].astype("int64") if out[col].notna().all() else out[col].astype(float)
    return out


def preview_figure(kel: gpd.GeoDataFrame, report: Report, max_vertices: int = 60_000):
    """A small offline map of the boundaries (plotly, no basemap, no tiles): outlines, overlaps in red.

    Names are HTML-escaped before they reach the hover text.
    """
    import html

    import numpy as np
    import plotly.graph_objects as go
    import shapely

    geom = kel.geometry.to_numpy()
    n_vertices = int(shapely.get_num_coordinates(geom).sum())
    if n_vertices > max_vertices:  # province-size files: simplify for the preview only
        xmin, ymin, xmax, ymax = kel.total_bounds
        geom = shapely.simplify(geom, max(xmax - xmin, ymax - ymin) / 2000)

    def outline_xy(geoms) -> tuple[list, list]:
        xs: list = []
        ys: list = []
        for g in geoms:
            for poly in shapely.get_parts(g):
                if poly.geom_type != "Polygon" or poly.is_empty:
                    continue
                x, y = poly.exterior.xy
                xs.extend([*x, None])
                ys.extend([*y, None])
        return xs, ys

    fig = go.Figure()
    xs, ys = outline_xy(geom)
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgba(31,95,139,0.12)",
                             line=dict(color="#1f5f8b", width=1), hoverinfo="skip", showlegend=False))
    for key, color in (("overlaps", "#d7301f"), ("gaps", "#7a0177")):
        shapes = report.shapes.get(key, [])
        if shapes:
            ox, oy = outline_xy(shapes)
            fig.add_trace(go.Scatter(x=ox, y=oy, mode="lines", fill="toself", fillcolor=color,
                                     line=dict(color=color, width=2), hoverinfo="skip", showlegend=False))
    pts = shapely.point_on_surface(kel.geometry.to_numpy())
    labels = [html.escape(str(n)) + " (" + html.escape(str(c)) + ")" for n, c in zip(kel["kelurahan"], kel["kode_kel"])]
    fig.add_trace(go.Scatter(x=shapely.get_x(pts), y=shapely.get_y(pts), mode="markers",
                             marker=dict(size=5, color="#1f5f8b"), hovertext=labels, hoverinfo="text",
                             showlegend=False))
    lat = float(np.nanmean(shapely.get_y(pts))) if len(pts) else 0.0
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / max(np.cos(np.radians(lat)), 0.1), visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(height=360, margin=dict(l=0, r=0, t=0, b=0), plot_bgcolor="white")
    return fig


# ---- adding tables to a stored dataset (implemented in utils/store/addition.py) -------------

@dataclass
class AdditionPreview:
    """New table(s) checked against a stored dataset's boundaries and merged in memory, not yet saved."""

    name: str
    base_version: int | None
    report: Report
    dataset: Dataset | None = None  # the merged dataset, None when the new rows cannot be used
    years_replaced: list[int] = field(default_factory=list)
    before_after: pd.DataFrame = field(default_factory=pd.DataFrame)
    sheets: dict[str, list[str]] = field(default_factory=dict)
    chosen_sheets: dict[str, str | None] = field(default_factory=dict)
    match: MatchResult | None = None
    unmatched_table: pd.DataFrame | None = None
    new_years: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dataset is not None and self.report.ok


def preview_addition(name: str, assessments=None, investments=None, sheet: str | None = None,
                     lang: str = "id") -> AdditionPreview:
    """Validate new assessment and/or investment tables (a Path or an uploaded (name, bytes)) against
    the stored boundaries of `name`; rows of a year already stored are listed in `years_replaced`."""
    from utils.store import addition

    return addition.preview_addition(name, assessments, investments, sheet, lang)


def commit_addition(preview: AdditionPreview, replace_years: bool, author: str = "", note: str = "",
                    lang: str = "id") -> store.VersionInfo:
    """Save the merged dataset as a new version; refuses replacing a stored year unless `replace_years`."""
    from utils.store import addition

    return addition.commit_addition(preview, replace_years, author, note, lang)
