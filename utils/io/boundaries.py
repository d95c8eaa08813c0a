"""Reading boundary files as cities have them, into the model's layers in EPSG:4326.

Zipped shapefiles (layers in subfolders, several layers), loose .shp/.shx/.dbf/.prj/.cpg sets,
GeoPackage (several layers), GeoJSON, KML and GeoParquet. Any CRS is reprojected; a missing .prj
is accepted only when the coordinates are plainly longitude/latitude in Indonesia. DBF text is read
as the .cpg says, else as UTF-8 when it decodes, else latin-1. Invalid geometries are repaired and
reported. The level (kecamatan / kelurahan / kawasan) and the code and name columns are detected,
and the user can override the guess.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from utils.core.findings import Finding
from utils.io.matching import normalise_code
from utils.io.uploads import UploadError

VECTOR_SUFFIXES = {".shp", ".gpkg", ".geojson", ".json", ".kml", ".parquet", ".geoparquet"}
SHAPE_SIDECARS = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd", ".qpj"}
TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls", ".txt"}
# Longitude/latitude box of Indonesia with a margin: coordinates inside it without a .prj are
# taken as WGS84 (with a warning); anything else needs the user to say which CRS it is.
INDONESIA_LONLAT = (94.0, -11.5, 142.0, 6.5)
LEVELS = ("kelurahan", "kecamatan", "kawasan")
MAX_FEATURE_FINDINGS = 100
# KML/LIBKML boilerplate fields that never hold a code or name
_KML_NOISE = {"id", "description", "timestamp", "begin", "end", "altitudemode", "tessellate", "extrude",
              "visibility", "draworder", "icon", "snippet"}

pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": "YES", "OGR_GEOJSON_MAX_OBJ_SIZE": "0"})


@dataclass
class LayerSource:
    """One readable vector layer among the uploaded files."""

    path: Path
    layer: str | None
    label: str  # shown to the user, e.g. "batas/kelurahan.shp" or "batas.gpkg › kelurahan"
    n_features: int = 0
    geometry_type: str = ""
    fields: list[str] = field(default_factory=list)
    kind: str = ""  # shapefile / gpkg / geojson / kml / parquet


@dataclass
class ColumnMapping:
    """Which column holds what; any field left None is detected."""

    level: str | None = None
    code: str | None = None
    name: str | None = None
    kec_code: str | None = None
    kec_name: str | None = None
    kawasan_kel: str | None = None  # kawasan layers: the kelurahan code column


@dataclass
class DetectedColumns:
    level: str | None
    code: str | None
    name: str | None
    kec_code: str | None
    kec_name: str | None
    kawasan_kel: str | None
    confident: bool
    candidates: list[str]


# ---- discovering layers -------------------------------------------------------------------

def discover(paths: list[Path], root: Path | None = None) -> tuple[list[LayerSource], list[Finding]]:
    """Every readable vector layer among `paths` (zips already extracted), and what is wrong with the rest."""
    findings: list[Finding] = []
    sources: list[LayerSource] = []
    by_stem: dict[tuple[Path, str], dict[str, Path]] = {}
    others: list[Path] = []
    for p in paths:
        suffix = p.suffix.lower()
        if suffix == ".shp" or suffix in SHAPE_SIDECARS:
            by_stem.setdefault((p.parent, p.stem.lower()), {})[suffix] = p
        else:
            others.append(p)
    for (_, _stem), parts in sorted(by_stem.items(), key=lambda kv: str(kv[0])):
        if ".shp" not in parts:
            continue  # sidecars alone; reported below if nothing else is usable
        shp = parts[".shp"]
        label = _label(shp, root)
        if shp.stat().st_size == 0:
            raise UploadError("import.empty_file", name=label)
        if ".dbf" not in parts:
            raise UploadError("import.shp_missing_dbf", name=label)
        if ".shx" not in parts:
            findings.append(Finding("import.shp_missing_shx", "warning", {"name": label}))
        sources.append(_describe(shp, None, label, "shapefile"))
    for p in others:
        suffix = p.suffix.lower()
        label = _label(p, root)
        if suffix not in VECTOR_SUFFIXES:
            continue
        if p.stat().st_size == 0:
            raise UploadError("import.empty_file", name=label)
        if suffix == ".gpkg":
            try:
                layers = pyogrio.list_layers(p)
            except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds
                raise UploadError("import.unreadable", name=label, reason=_reason(exc)) from exc
            for layer_name, geom in layers:
                if geom is None:
                    continue  # attribute tables (e.g. a dashboard export's assessments)
                sources.append(_describe(p, layer_name, f"{label} › {layer_name}", "gpkg"))
        elif suffix in (".parquet", ".geoparquet"):
            sources.append(_describe_parquet(p, label))
        elif suffix == ".kml":
            try:
                layers = pyogrio.list_layers(p)
            except Exception as exc:  # noqa: BLE001
                raise UploadError("import.unreadable", name=label, reason=_reason(exc)) from exc
            for layer_name, _geom in layers:
                src = _describe(p, layer_name, f"{label} › {layer_name}" if len(layers) > 1 else label, "kml")
                if src.n_features:
                    sources.append(src)
        else:
            sources.append(_describe(p, None, label, "geojson"))
    if not sources:
        names = ", ".join(_label(p, root) for p in paths[:20]) or "–"
        has_sidecars = any(p.suffix.lower() in SHAPE_SIDECARS for p in paths)
        raise UploadError("import.no_shp" if has_sidecars else "import.no_boundary_file", files=names)
    return sources, findings


def _label(p: Path, root: Path | None) -> str:
    if root is not None:
        try:
            rel = p.resolve().relative_to(root)
            parts = [part.removesuffix("_unzipped") for part in rel.parts[1:]]  # drop "files/"
            return "/".join(parts) or p.name
        except ValueError:
            pass
    return p.name


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _describe(path: Path, layer: str | None, label: str, kind: str) -> LayerSource:
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:  # noqa: BLE001
        raise UploadError("import.unreadable", name=label, reason=_reason(exc)) from exc
    return LayerSource(path, layer, label, int(info.get("features") or 0), str(info.get("geometry_type") or ""),
                       [str(f) for f in info.get("fields", [])], kind)


def _describe_parquet(path: Path, label: str) -> LayerSource:
    try:
        import pyarrow.parquet as pq

        meta = pq.read_schema(path)
        n = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001
        raise UploadError("import.unreadable", name=label, reason=_reason(exc)) from exc
    fields = [f for f in meta.names if f != "geometry"]
    return LayerSource(path, None, label, int(n), "Polygon", fields, "parquet")


# ---- reading one layer --------------------------------------------------------------------

def _dbf_encoding(shp: Path) -> str | None:
    """The DBF text encoding: the .cpg when present (GDAL honours it), else UTF-8 if it decodes, else latin-1."""
    for suffix in (".cpg", ".CPG"):
        if shp.with_suffix(suffix).exists():
            return None
    dbf = next((shp.with_suffix(s) for s in (".dbf", ".DBF") if shp.with_suffix(s).exists()), None)
    if dbf is None:
        return None
    data = dbf.read_bytes()
    if all(b < 0x80 for b in data[:32]) and max(data, default=0) < 0x80:
        return None
    try:
        data[32:].decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "CP1252"


def parse_crs(text: str) -> CRS:
    """A CRS the user typed: `EPSG:32749`, `32749`, `UTM 49S`, a WKT or PROJ string."""
    value = text.strip()
    m = re.fullmatch(r"(?i)utm\s*(?:zone\s*)?(\d{2})\s*([ns])", value)
    if m:
        zone, hemi = int(m.group(1)), m.group(2).lower()
        value = f"EPSG:{(32700 if hemi == 's' else 32600) + zone}"
    elif value.isdigit():
        value = f"EPSG:{value}"
    try:
        return CRS.from_user_input(value)
    except CRSError as exc:
        raise UploadError("import.bad_crs", crs=text[:80]) from exc


def read_layer(source: LayerSource, crs: str | None = None) -> tuple[gpd.GeoDataFrame, list[Finding]]:
    """Read `source`, set or check its CRS, repair geometry, return it in EPSG:4326 with findings."""
    findings: list[Finding] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if source.kind == "parquet":
                gdf = gpd.read_parquet(source.path)
            else:
                enc = _dbf_encoding(source.path) if source.kind == "shapefile" else None
                gdf = pyogrio.read_dataframe(source.path, layer=source.layer, encoding=enc)
    except UploadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise UploadError("import.unreadable", name=source.label, reason=_reason(exc)) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise UploadError("import.no_geometry", name=source.label)
    if gdf.empty:
        raise UploadError("import.layer_empty", name=source.label)
    gdf = gdf.drop(columns=[c for c in gdf.columns if c != gdf.geometry.name and str(c).lower() in _KML_NOISE
                            and gdf[c].isna().all()])
    gdf = _set_crs(gdf, source, crs, findings)
    gdf = _repair(gdf, source, findings)
    return gdf, findings


def _set_crs(gdf: gpd.GeoDataFrame, source: LayerSource, crs: str | None, findings: list[Finding]) -> gpd.GeoDataFrame:
    valid = gdf.geometry[_has_shape(gdf.geometry)]
    minx, miny, maxx, maxy = valid.total_bounds if len(valid) else (0, 0, 0, 0)
    if crs:
        user_crs = parse_crs(crs)
        if gdf.crs is not None and CRS.from_user_input(gdf.crs) != user_crs:
            findings.append(Finding("import.crs_overridden", "warning",
                                    {"name": source.label, "file_crs": _crs_name(gdf.crs), "crs": _crs_name(user_crs)}))
        gdf = gdf.set_crs(user_crs, allow_override=True)
    elif gdf.crs is None:
        lo_x, lo_y, hi_x, hi_y = INDONESIA_LONLAT
        if lo_x <= minx and maxx <= hi_x and lo_y <= miny and maxy <= hi_y:
            findings.append(Finding("import.no_prj_lonlat", "warning", {"name": source.label}))
            gdf = gdf.set_crs(4326)
        else:
            raise UploadError("import.no_prj", name=source.label,
                              bounds=f"{minx:.0f}, {miny:.0f}, {maxx:.0f}, {maxy:.0f}",
                              hint=_utm_hint(minx, miny, maxx, maxy))
    out = gdf.to_crs(4326) if CRS.from_user_input(gdf.crs).to_epsg() != 4326 else gdf
    b = out.geometry[_has_shape(out.geometry)].total_bounds if len(valid) else None
    if b is not None and np.all(np.isfinite(b)):
        lo_x, lo_y, hi_x, hi_y = INDONESIA_LONLAT
        if not (lo_x - 20 <= b[0] and b[2] <= hi_x + 20 and lo_y - 20 <= b[1] and b[3] <= hi_y + 20):
            findings.append(Finding("import.outside_indonesia", "error",
                                    {"name": source.label, "crs": _crs_name(gdf.crs),
                                     "bounds": f"{b[0]:.3f}, {b[1]:.3f}, {b[2]:.3f}, {b[3]:.3f}"}))
    return out


def _has_shape(geoms: gpd.GeoSeries) -> np.ndarray:
    """Not missing and not empty, in shapely terms: GeoSeries.notna() warns (UserWarning) on an empty polygon."""
    arr = geoms.to_numpy()
    return ~(pd.isna(arr) | shapely.is_empty(arr))


def _crs_name(crs: object) -> str:
    c = CRS.from_user_input(crs)
    epsg = c.to_epsg()
    return f"EPSG:{epsg} ({c.name})" if epsg else c.name


def _utm_hint(minx: float, miny: float, maxx: float, maxy: float) -> str:
    """A hint when coordinates look like UTM south metres (Indonesia: zones 46S-54S = EPSG:32746-32754)."""
    if 100_000 <= minx and maxx <= 900_000 and 8_700_000 <= miny and maxy <= 10_000_000:
        return "UTM 46S-54S (EPSG:32746-32754)"
    if 100_000 <= minx and maxx <= 900_000 and 0 <= miny and maxy <= 800_000:
        return "UTM 46N-53N (EPSG:32646-32653)"
    return "EPSG:4326 / UTM"


def _repair(gdf: gpd.GeoDataFrame, source: LayerSource, findings: list[Finding]) -> gpd.GeoDataFrame:
    geom = gdf.geometry.to_numpy()
    missing = pd.isna(geom) | shapely.is_empty(geom)
    for i in np.flatnonzero(missing)[:MAX_FEATURE_FINDINGS]:
        findings.append(Finding("import.feature_no_geometry", "warning",
                                {"name": source.label, "feature": int(i) + 1, "label": _feature_label(gdf, i)}))
    if missing.any():
        gdf = gdf.loc[~missing].copy()
        geom = gdf.geometry.to_numpy()
    kinds = set(shapely.get_type_id(geom).tolist())
    polygonal = {3, 6}  # Polygon, MultiPolygon
    if not kinds & polygonal or kinds - polygonal - {7}:
        types = ", ".join(sorted({g.geom_type for g in geom[:1000]}))
        if not kinds & polygonal:
            raise UploadError("import.not_polygons", name=source.label, types=types)
    invalid = ~shapely.is_valid(geom)
    if invalid.any():
        reasons = shapely.is_valid_reason(geom[invalid])
        repaired = shapely.make_valid(geom[invalid])
        for k, i in enumerate(np.flatnonzero(invalid)):
            if k < MAX_FEATURE_FINDINGS:
                findings.append(Finding("import.geometry_repaired", "warning",
                                        {"name": source.label, "feature": int(i) + 1, "label": _feature_label(gdf, i),
                                         "reason": str(reasons[k])[:120]}))
        geom = geom.copy()
        geom[invalid] = repaired
        if invalid.sum() > MAX_FEATURE_FINDINGS:
            findings.append(Finding("import.more_repaired", "warning",
                                    {"n": int(invalid.sum()) - MAX_FEATURE_FINDINGS}))
    geom = _polygonal(geom)
    gdf = gdf.set_geometry(gpd.GeoSeries(geom, index=gdf.index, crs=gdf.crs))
    # drop Z, which some exports carry and the web map does not need
    if shapely.has_z(geom).any():
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.to_numpy()), crs=gdf.crs)
    return gdf


def _polygonal(geom: np.ndarray) -> np.ndarray:
    """Keep only the polygon parts (make_valid may return collections with lines or points)."""
    out = geom.copy()
    for i, g in enumerate(geom):
        if g is not None and g.geom_type == "GeometryCollection":
            polys = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
            out[i] = shapely.union_all(polys) if polys else shapely.Polygon()
    return out


def _feature_label(gdf: pd.DataFrame, i: int) -> str:
    for col in gdf.columns:
        if col == getattr(gdf, "geometry", pd.Series()).name:
            continue
        low = str(col).lower()
        if any(k in low for k in ("nama", "name", "kel", "desa", "wadm", "namobj")):
            v = gdf.iloc[i][col]
            if isinstance(v, str) and v.strip():
                return v.strip()[:60]
    return f"#{i + 1}"


# ---- detecting the level and the columns --------------------------------------------------

_CODE_HINTS = ("kode", "code", "kd", "kdepum", "kdcpum", "kdppum", "kdbbps", "id")
_KEL_NAME = re.compile(r"(?i)^(kelurahan|nama_?kel(urahan)?|nm_?kel|desa|nama_?desa|desa_?kel(urahan)?|kel_?desa|"
                       r"wadmkd|namobj|kelurahan_?desa|village|name|nama)$")
_KEC_NAME = re.compile(r"(?i)^(kecamatan|nama_?kec(amatan)?|nm_?kec|wadmkc|district)$")
_KAWASAN_NAME = re.compile(r"(?i)^(kawasan|nama_?kawasan|nm_?kawasan|lokasi)$")
_CITY_LIKE = re.compile(r"(?i)^(kota|kabupaten|kab_?kota|wadmkk|wadmpr|provinsi|propinsi|jenis|tipe|type)$")
_KAWASAN_ID = re.compile(r"(?i)^(kawasan_?id|id_?kawasan|kode_?kawasan|kd_?kawasan)$")


def _code_level(values: pd.Series) -> str | None:
    """'kelurahan' when values are 10-digit Kemendagri codes, 'kecamatan' for 6 digits."""
    sample = values.dropna().head(200)
    if sample.empty:
        return None
    codes = [normalise_code(v) for v in sample]
    ok = [c for c in codes if c]
    if len(ok) < 0.9 * len(sample):
        return None
    lengths = {c.count(".") for c in ok}
    if lengths == {3}:
        return "kelurahan"
    if lengths == {2}:
        return "kecamatan"
    return None


def _is_texty(values: pd.Series) -> bool:
    sample = values.dropna().head(200).astype(str)
    return not sample.empty and sample.str.contains(r"[A-Za-z]", regex=True).mean() > 0.8


def detect_columns(gdf: pd.DataFrame, mapping: ColumnMapping | None = None) -> DetectedColumns:
    """Guess the level and the code/name columns; `mapping` overrides any part of the guess."""
    mapping = mapping or ColumnMapping()
    cols = [c for c in gdf.columns if c != getattr(gdf, "geometry", pd.Series()).name and c != "geometry"]
    levels = {c: _code_level(gdf[c]) for c in cols}
    kel_codes = [c for c in cols if levels[c] == "kelurahan"]
    kec_codes = [c for c in cols if levels[c] == "kecamatan"]
    texty = [c for c in cols if _is_texty(gdf[c])]

    def pick(cands: list[str], prefer: tuple[str, ...] = ()) -> str | None:
        for p in prefer:
            for c in cands:
                if str(c).lower() == p:
                    return c
        for c in cands:
            if any(h in str(c).lower() for h in _CODE_HINTS):
                return c
        return cands[0] if cands else None

    kawasan_id = next((c for c in cols if _KAWASAN_ID.match(str(c))), None)
    kawasan_name = next((c for c in texty if _KAWASAN_NAME.match(str(c))), None)
    kel_name = next((c for c in texty if _KEL_NAME.match(str(c)) and not _KEC_NAME.match(str(c))), None)
    kec_name = next((c for c in texty if _KEC_NAME.match(str(c))), None)
    kel_code = pick(kel_codes, ("kode_kel", "kode", "kdepum", "kode_desa"))
    kec_code = pick(kec_codes, ("kode_kec", "kdcpum"))

    level = mapping.level
    if level is None:
        if kawasan_id or kawasan_name:
            level = "kawasan"
        elif kel_code:
            level = "kelurahan"
        elif kec_code:
            level = "kecamatan"
    confident = level is not None
    if level == "kelurahan":
        code, name = kel_code, kel_name
        confident = confident and code is not None and name is not None
        if name is None:  # a guess the user confirms or corrects under "column mapping"
            name = next((c for c in texty if c not in (kec_name, kawasan_name) and not _CITY_LIKE.match(str(c))), None)
    elif level == "kecamatan":
        code, name = kec_code, kec_name or kel_name
        confident = confident and code is not None and name is not None
    elif level == "kawasan":
        code, name = kawasan_id or kawasan_name, kawasan_name or kawasan_id
        confident = confident and code is not None
    else:
        code = name = None
    det = DetectedColumns(
        level=level,
        code=mapping.code or code,
        name=mapping.name or name,
        kec_code=mapping.kec_code or (kec_code if level != "kecamatan" else None),
        kec_name=mapping.kec_name or (kec_name if level != "kecamatan" else None),
        kawasan_kel=mapping.kawasan_kel or (kel_code if level == "kawasan" else None),
        confident=confident or all([mapping.level, mapping.code, mapping.name]),
        candidates=[str(c) for c in cols],
    )
    return det


def normalise_layer(gdf: gpd.GeoDataFrame, det: DetectedColumns, label: str) -> tuple[gpd.GeoDataFrame, list[Finding]]:
    """The model's columns for the detected level (kelurahan / kecamatan / kawasan), from `det`."""
    findings: list[Finding] = []
    missing = [k for k in ("code", "name") if getattr(det, k) is None or getattr(det, k) not in gdf.columns]
    if det.level is None or (missing and det.level != "kawasan"):
        raise UploadError("import.columns_unknown", name=label, columns=", ".join(det.candidates) or "–")
    codes_raw = gdf[det.code] if det.code in gdf.columns else None
    names = gdf[det.name].astype("string").str.strip() if det.name in gdf.columns else codes_raw.astype("string")
    geometry = gdf.geometry
    if det.level == "kelurahan":
        codes = codes_raw.map(normalise_code).astype("string")
        bad = codes.isna() | (codes.str.count(r"\.") != 3)
        for i in np.flatnonzero(bad.to_numpy())[:MAX_FEATURE_FINDINGS]:
            findings.append(Finding("import.bad_code", "error",
                                    {"name": label, "feature": int(i) + 1, "label": str(names.iloc[i]),
                                     "value": str(codes_raw.iloc[i]), "column": det.code}))
        kode_kec = (gdf[det.kec_code].map(normalise_code).astype("string") if det.kec_code in gdf.columns
                    else codes.str.rsplit(".", n=1).str[0])
        kode_kec = kode_kec.fillna(codes.str.rsplit(".", n=1).str[0])
        kecamatan = (gdf[det.kec_name].astype("string").str.strip() if det.kec_name in gdf.columns
                     else pd.Series(pd.NA, index=gdf.index, dtype="string"))
        out = gpd.GeoDataFrame({"kode_kel": codes, "kelurahan": names, "kode_kec": kode_kec, "kecamatan": kecamatan},
                               geometry=geometry.values, crs=gdf.crs, index=gdf.index)
    elif det.level == "kecamatan":
        codes = codes_raw.map(normalise_code).astype("string")
        out = gpd.GeoDataFrame({"kode_kec": codes, "kecamatan": names}, geometry=geometry.values, crs=gdf.crs,
                               index=gdf.index)
    else:
        ids = (gdf[det.code].astype("string").str.strip() if det.code in gdf.columns
               else pd.Series([f"K{i + 1:03d}" for i in range(len(gdf))], index=gdf.index, dtype="string"))
        kel = (gdf[det.kawasan_kel].map(normalise_code).astype("string") if det.kawasan_kel in gdf.columns
               else pd.Series(pd.NA, index=gdf.index, dtype="string"))
        sk = (gdf["sk_period"].astype("string") if "sk_period" in gdf.columns
              else pd.Series("", index=gdf.index, dtype="string"))
        out = gpd.GeoDataFrame({"kawasan_id": ids, "kawasan": names, "kode_kel": kel, "sk_period": sk},
                               geometry=geometry.values, crs=gdf.crs, index=gdf.index)
    return out.reset_index(drop=True), findings
