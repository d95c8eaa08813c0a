"""Dataset store: one GeoPackage per dataset version, written atomically, last N versions kept.

A GeoPackage opens in QGIS and can be e-mailed, which is how city GIS staff already work.
Layout: <root>/<name>/v0001.gpkg, v0002.gpkg, ... The built-in sample lives in the project's
`data/` folder and is read-only.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from utils.store.base import KEEP_VERSIONS, SAMPLE_NAME, StoreError, VersionInfo
from utils.store.dataset import Dataset, DatasetMeta

STORE_ENV = "KOTAKU_DATA_DIR"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STORE = PROJECT_ROOT / "userdata"
SAMPLE_DIR = PROJECT_ROOT / "data"
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
_VERSION_RE = re.compile(r"^v(\d{4,})\.gpkg$")


def store_root() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")[:64]
    if not slug or not _NAME_RE.match(slug):
        raise StoreError(f"invalid dataset name: {name!r}")
    return slug


# ---- GeoPackage file format ---------------------------------------------------------------

def write_gpkg(dataset: Dataset, path: Path) -> None:
    """Write all layers of `dataset` into a new GeoPackage at `path` (which must not exist)."""
    pyogrio.write_dataframe(dataset.kelurahan, path, layer="kelurahan", driver="GPKG")
    pyogrio.write_dataframe(dataset.kecamatan, path, layer="kecamatan", driver="GPKG")
    if dataset.kawasan is not None and not dataset.kawasan.empty:
        pyogrio.write_dataframe(dataset.kawasan, path, layer="kawasan", driver="GPKG")
    if dataset.assessments is not None and not dataset.assessments.empty:
        pyogrio.write_dataframe(pd.DataFrame(dataset.assessments), path, layer="assessments", driver="GPKG")
    if dataset.investments is not None and not dataset.investments.empty:
        pyogrio.write_dataframe(pd.DataFrame(dataset.investments), path, layer="investments", driver="GPKG")
    if dataset.commitments is not None and not dataset.commitments.empty:
        pyogrio.write_dataframe(pd.DataFrame(dataset.commitments), path, layer="commitments", driver="GPKG")
    for key, layer in (dataset.display or {}).items():
        pyogrio.write_dataframe(layer, path, layer=f"display_{key}", driver="GPKG")
    meta = pd.DataFrame({"key": ["meta"], "value": [json.dumps(dataset.meta.to_dict(), ensure_ascii=False)]})
    pyogrio.write_dataframe(meta, path, layer="metadata", driver="GPKG")


def read_gpkg(path: Path) -> Dataset:
    layers = {row[0] for row in pyogrio.list_layers(path)}
    if "kelurahan" not in layers or "metadata" not in layers:
        raise StoreError(f"{path.name} is not a dashboard dataset (layers: {sorted(layers)})")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kel = gpd.read_file(path, layer="kelurahan", engine="pyogrio")
        kec = gpd.read_file(path, layer="kecamatan", engine="pyogrio")
        kawasan = gpd.read_file(path, layer="kawasan", engine="pyogrio") if "kawasan" in layers else None
        assessments = (pyogrio.read_dataframe(path, layer="assessments", read_geometry=False)
                       if "assessments" in layers else pd.DataFrame())
        investments = (pyogrio.read_dataframe(path, layer="investments", read_geometry=False)
                       if "investments" in layers else None)
        commitments = (pyogrio.read_dataframe(path, layer="commitments", read_geometry=False)
                       if "commitments" in layers else None)
        display = {layer[len("display_"):]: gpd.read_file(path, layer=layer, engine="pyogrio")
                   for layer in sorted(layers) if layer.startswith("display_")}
        meta_df = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
    meta = DatasetMeta.from_dict(json.loads(meta_df["value"].iloc[0]))
    for frame in (kel, kec, kawasan):
        if frame is not None:
            for col in frame.columns:
                if col.startswith("kode") and col != "geometry":
                    frame[col] = frame[col].astype(str)
    if not assessments.empty:
        assessments["kode_kel"] = assessments["kode_kel"].astype(str)
        assessments["sk_period"] = assessments["sk_period"].astype(str)
    return Dataset(meta=meta, kelurahan=kel, kecamatan=kec, assessments=assessments,
                   kawasan=kawasan, investments=investments, commitments=commitments, display=display)


# ---- the store ----------------------------------------------------------------------------

def _version_files(folder: Path) -> list[tuple[int, Path]]:
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        m = _VERSION_RE.match(p.name)
        if m:
            out.append((int(m.group(1)), p))
    return sorted(out)


def _saved_time(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def sample_path() -> Path:
    return SAMPLE_DIR / f"{SAMPLE_NAME}.gpkg"


def _list_datasets(root: Path | None = None) -> list[VersionInfo]:
    """The latest version of each dataset: the built-in sample first, then the user's, by name."""
    out: list[VersionInfo] = []
    if sample_path().exists():
        out.append(VersionInfo(SAMPLE_NAME, 1, sample_path(), _saved_time(sample_path()), builtin=True))
    root = root or store_root()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            versions = _version_files(folder)
            if versions:
                v, p = versions[-1]
                out.append(VersionInfo(folder.name, v, p, _saved_time(p)))
    return out


def _list_versions(name: str, root: Path | None = None) -> list[VersionInfo]:
    if name == SAMPLE_NAME:
        return [VersionInfo(SAMPLE_NAME, 1, sample_path(), _saved_time(sample_path()), builtin=True)]
    folder = (root or store_root()) / slugify(name)
    return [VersionInfo(folder.name, v, p, _saved_time(p)) for v, p in _version_files(folder)]


def _load(name: str, version: int | None = None, root: Path | None = None) -> Dataset:
    versions = _list_versions(name, root)
    if not versions:
        raise StoreError(f"no dataset named {name!r}")
    chosen = versions[-1] if version is None else next((v for v in versions if v.version == version), None)
    if chosen is None:
        raise StoreError(f"dataset {name!r} has no version {version}")
    return read_gpkg(chosen.path)


def _save(dataset: Dataset, name: str | None = None, root: Path | None = None,
          keep: int = KEEP_VERSIONS) -> VersionInfo:
    """Write a new version atomically: a temp file in the same folder, then os.replace().

    A crash or error mid-write leaves only a temp file behind; every earlier version stays readable.
    """
    slug = slugify(name or dataset.meta.name)
    if slug == SAMPLE_NAME:
        raise StoreError("the built-in sample cannot be overwritten; save under another name")
    folder = (root or store_root()) / slug
    folder.mkdir(parents=True, exist_ok=True)
    existing = _version_files(folder)
    version = existing[-1][0] + 1 if existing else 1
    final = folder / f"v{version:04d}.gpkg"
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".gpkg", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # GDAL wants to create the file itself
        write_gpkg(dataset, tmp)
        read_gpkg(tmp)  # never publish a file we cannot read back
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for _, old in _version_files(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return VersionInfo(slug, version, final, _saved_time(final))


def _delete_version(name: str, version: int, root: Path | None = None) -> None:
    for info in _list_versions(name, root):
        if info.version == version and not info.builtin:
            info.path.unlink()
            return
    raise StoreError(f"dataset {name!r} has no deletable version {version}")


class FileStore:
    """The GeoPackage folder as a `Store`; `root` defaults to `KOTAKU_DATA_DIR` or `userdata/`."""

    def __init__(self, root: Path | None = None):
        self.root = root

    def list_datasets(self) -> list[VersionInfo]:
        return _list_datasets(self.root)

    def list_versions(self, name: str) -> list[VersionInfo]:
        return _list_versions(name, self.root)

    def load(self, name: str, version: int | None = None) -> Dataset:
        return _load(name, version, self.root)

    def save(self, dataset: Dataset, name: str | None = None, *, author: str = "", note: str = "",
             base_version: int | None = None, keep: int = KEEP_VERSIONS) -> VersionInfo:
        return _save(dataset, name, self.root, keep)

    def restore(self, name: str, version: int, *, author: str = "", note: str = "") -> VersionInfo:
        dataset = _load(name, version, self.root)
        return _save(dataset, name, self.root)

    def delete_version(self, name: str, version: int) -> None:
        _delete_version(name, version, self.root)
