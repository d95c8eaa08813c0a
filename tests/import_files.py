"""Builders of import test files from the real Kota Pasuruan data (shared by the import tests)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from utils.method.criteria import CRITERION_IDS


def kelurahan(shared_data: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_data / "pasuruan_kelurahan.geojson")


def write_shapefile(gdf: gpd.GeoDataFrame, folder: Path, stem: str = "batas_kelurahan", crs: int | None = 32749,
                    encoding: str = "ISO-8859-1", keep: tuple[str, ...] = (".shp", ".shx", ".dbf", ".prj", ".cpg"),
                    drop_cpg: bool = False) -> list[Path]:
    """A shapefile set (UTM 49S, latin-1 DBF by default); returns the files kept."""
    folder.mkdir(parents=True, exist_ok=True)
    out = gdf.to_crs(crs) if crs else gdf
    out.to_file(folder / f"{stem}.shp", encoding=encoding)
    if drop_cpg:
        (folder / f"{stem}.cpg").unlink()
    files = []
    for p in sorted(folder.glob(f"{stem}.*")):
        if p.suffix.lower() in keep and not (drop_cpg and p.suffix == ".cpg"):
            files.append(p)
        else:
            p.unlink()
    return files


def zip_files(files: list[Path], target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, prefix + f.name)
    return target


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def assessment_rows(codes: list[str], names: list[str], year: int = 2024, pct: float = 30.0) -> pd.DataFrame:
    """One kawasan row per kelurahan, percentages only (the model convention)."""
    rows = []
    for code, name in zip(codes, names):
        rows.append({"year": year, "sk_period": "2", "kode_kel": code, "kelurahan": name, "kawasan_id": "K1", "rt": "",
                     "area_ha": 1.5, **{f"p_{c}": pct for c in CRITERION_IDS}})
    return pd.DataFrame(rows)
