"""DataFrames in and out of the PostGIS tables, exactly: every column of a row as JSONB, the dtypes
and column order in a schema stored beside it, geometries as EWKB.

Why JSONB per row: assessment tables differ between datasets (priority inputs `pl_8a`…, a city's
own extra columns), and one fixed SQL table must still round-trip all of them. Floats go through
Python's shortest repr and PostgreSQL's exact numeric, so they come back bit for bit.
"""
from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pandas.api.types import pandas_dtype
from psycopg import sql

# the typed key columns of each table (also in attrs); geometry tables have `single` and `geom`
KEY_COLUMNS: dict[str, list[str]] = {
    "kelurahan": ["kode_kel", "kelurahan", "kode_kec", "kecamatan"],
    "kecamatan": ["kode_kec", "kecamatan"],
    "kawasan": ["kawasan_id", "kawasan", "kode_kel"],
    "assessments": ["year", "kode_kel"],
    "investments": ["year", "kode_kel"],
    "commitments": ["year", "kode_kel"],
}
BOUNDARIES = ("kelurahan", "kecamatan", "kawasan")
TABLES = ("assessments", "investments", "commitments")
SRID = 4326


def _plain(value: Any) -> Any:
    """A JSON-able Python value; NaN/NA/NaT become null, infinities a string float() reads back."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, pd.Timedelta):
        return value.value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _column_values(series: pd.Series) -> list:
    kind = series.dtype.kind
    if kind == "M":
        return [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in series]
    if kind == "m":
        return [None if pd.isna(v) else pd.Timedelta(v).value for v in series]
    return [_plain(v) for v in series.to_numpy(dtype=object)]


def _json_texts(series: pd.Series) -> list[str]:
    """The JSON text of every value of a column ("null" when missing), vectorised for the common dtypes."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        arr = series.to_numpy(dtype="float64")
        out = list(map(repr, arr.tolist()))  # Python's shortest repr: exact, and valid JSON when finite
        for i in np.flatnonzero(~np.isfinite(arr)):
            out[i] = "null" if np.isnan(arr[i]) else ('"Infinity"' if arr[i] > 0 else '"-Infinity"')
        return out
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return list(map(str, series.to_numpy().tolist()))
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return ["true" if v else "false" for v in series.to_numpy().tolist()]
    if pd.api.types.is_string_dtype(dtype) and not isinstance(dtype, np.dtype):
        missing = series.isna().to_numpy()
        return ["null" if m else _string(v) for v, m in zip(series.to_numpy(dtype=object).tolist(), missing)]
    return [json.dumps(v, ensure_ascii=False, allow_nan=False) for v in _column_values(series)]


_string = json.encoder.encode_basestring  # the C encoder: a str as a JSON string, non-ASCII kept


def encode(frame: pd.DataFrame) -> tuple[dict, list[str]]:
    """(schema, one JSON text per row). The schema keeps column order, dtypes and the geometry's CRS."""
    geom_col = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    cols = [c for c in frame.columns if c != geom_col]
    schema: dict = {"columns": [[str(c), str(frame[c].dtype)] for c in cols], "geometry": geom_col}
    if geom_col is not None:
        crs = frame.crs
        schema["crs"] = None if crs is None else (f"EPSG:{crs.to_epsg()}" if crs.to_epsg() else crs.to_wkt())
    if not cols:
        return schema, ["{}"] * len(frame)
    texts = []
    for c in cols:
        key = _string(str(c)) + ":"
        texts.append([key + v for v in _json_texts(frame[c])])
    return schema, ["{" + ",".join(row) + "}" for row in zip(*texts)]


def _cast(series: pd.Series, dtype: str) -> pd.Series:
    try:
        target = pandas_dtype(dtype)
    except TypeError:
        return series
    if dtype == "object":
        return series.astype(object)
    kind = getattr(target, "kind", "O")
    try:
        if kind == "M":
            return pd.to_datetime(series, format="ISO8601", utc="UTC" in dtype or "+" in dtype).astype(target)
        if kind == "m":
            return pd.to_timedelta(series.astype("float64"), unit="ns").astype(target)
        if kind == "f":
            return pd.to_numeric(series.replace({"Infinity": np.inf, "-Infinity": -np.inf})).astype(target)
        return series.astype(target)
    except (TypeError, ValueError):
        return series  # keep the values rather than fail a load over one odd column


def decode(schema: dict, attrs_json: list[str], geoms: list[bytes | None] | None = None,
           single: list[bool] | None = None) -> pd.DataFrame:
    """The frame `encode` was given: same columns, order and dtypes (a fresh RangeIndex)."""
    names = [c for c, _ in schema["columns"]]
    records = json.loads("[" + ",".join(attrs_json) + "]") if attrs_json else []
    frame = pd.DataFrame.from_records(records, columns=names) if records else pd.DataFrame(
        {c: pd.Series([], dtype=object) for c in names})
    for col, dtype in schema["columns"]:
        frame[col] = _cast(frame[col], dtype)
    geom_col = schema.get("geometry")
    if geom_col is None:
        return frame
    shapes = shapely.from_wkb(np.array(geoms if geoms is not None else [], dtype=object))
    if single is not None and len(shapes):
        one = np.asarray(single, dtype=bool)
        if one.any():
            shapes[one] = shapely.get_geometry(shapes[one], 0)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=schema.get("crs")), crs=schema.get("crs"))
    if geom_col != "geometry":
        out = out.rename_geometry(geom_col)
    cols = [*names]
    position = schema.get("geometry_position", len(cols))
    cols.insert(position, geom_col)
    return out[cols]


def _key_value(table: str, col: str, value: Any) -> Any:
    if value is None:
        return None
    if col == "year":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() and abs(number) < 2**31 else None
    return str(value)


def _copy_text(value: Any) -> str:
    """One field of PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def write(cur, table: str, dataset: str, version: int, frame: pd.DataFrame, layer: str | None = None) -> dict:
    """COPY `frame` into kotaku.<table> under (dataset, version[, layer]); returns its schema.

    The COPY text is built in bulk (not row by row through the driver): a province's 60,000 rows are
    written in seconds."""
    schema, rows = encode(frame)
    geo = isinstance(frame, gpd.GeoDataFrame)
    if geo:
        schema["geometry_position"] = list(frame.columns).index(frame.geometry.name)
    keys = KEY_COLUMNS.get(table, [])
    cols = ["dataset", "version", *(["layer"] if layer is not None else []), "fid", *keys, "attrs"]
    n = len(frame)
    fields: list[list[str]] = [[str(i + 1) for i in range(n)]]
    for k in keys:
        values = frame[k].to_numpy(dtype=object).tolist() if k in frame.columns else [None] * n
        fields.append([_copy_text(_key_value(table, k, None if _missing(v) else v)) for v in values])
    fields.append([r.replace("\\", "\\\\") if "\\" in r else r for r in rows])
    if geo:
        shapes = frame.geometry.to_numpy()
        if table in BOUNDARIES:
            if frame.crs is not None and frame.crs.to_epsg() != SRID:
                shapes = frame.geometry.to_crs(SRID).to_numpy()
                schema["crs"] = f"EPSG:{SRID}"
            singles = shapely.get_type_id(shapes) == 3 if n else np.zeros(0, dtype=bool)
            shapes = np.array([shapely.MultiPolygon([g]) if s else g for g, s in zip(shapes, singles)], dtype=object)
            cols.append("single")
            fields.append(["t" if s else "f" for s in singles])
        srid = SRID if table in BOUNDARIES or schema.get("crs") == f"EPSG:{SRID}" else 0
        wkb = shapely.to_wkb(shapely.set_srid(shapes, srid), hex=True, include_srid=True) if n else []
        cols.append("geom")
        fields.append(["\\N" if w is None else w for w in wkb])
    head = "\t".join([_copy_text(dataset), str(version), *([_copy_text(layer)] if layer is not None else [])]) + "\t"
    stmt = sql.SQL("COPY kotaku.{} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in cols))
    with cur.copy(stmt) as copy:
        lines = [head + "\t".join(row) + "\n" for row in zip(*fields)]
        for start in range(0, len(lines), 5000):
            copy.write("".join(lines[start:start + 5000]))
    return schema


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def read(cur, table: str, dataset: str, version: int, schema: dict, layer: str | None = None) -> pd.DataFrame:
    geo = schema.get("geometry") is not None
    fields = "attrs::text" + (", ST_AsBinary(geom)" if geo else "") + (", single" if table in BOUNDARIES else "")
    where = "dataset = %s AND version = %s" + (" AND layer = %s" if layer is not None else "")
    params: list[Any] = [dataset, version, *([layer] if layer is not None else [])]
    cur.execute(sql.SQL("SELECT " + fields + " FROM kotaku.{} WHERE " + where + " ORDER BY fid").format(
        sql.Identifier(table)), params)
    rows = cur.fetchall()
    attrs = [r[0] for r in rows]
    if not geo:
        return decode(schema, attrs)
    geoms = [None if r[1] is None else bytes(r[1]) for r in rows]
    single = [bool(r[2]) for r in rows] if table in BOUNDARIES else None
    return decode(schema, attrs, geoms, single)
