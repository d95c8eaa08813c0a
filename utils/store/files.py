"""Dataset store: one GeoPackage per dataset version, written atomically, last N versions kept.

A GeoPackage opens in QGIS and can be e-mailed, which is how city GIS staff already work.
Layout: <root>/<slug>/v0001.gpkg, v0002.gpkg, ... plus `history.jsonl` (one line appended per
version, never rewritten, so the history outlives pruning) and `.lock` (fcntl.flock: two processes
never interleave a save). The built-in sample lives in the project's `data/` folder and is read-only.
Each GeoPackage carries its own version record (who, when, note, changes, based_on) in its
`metadata` layer, so a version copied out of the folder still says where it came from.
"""
from __future__ import annotations

import copy
import fcntl
import json
import os
import re
import tempfile
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from utils.store import changes as _changes
from utils.store.base import KEEP_VERSIONS, SAMPLE_NAME, ConflictError, NameClashError, StoreError, VersionInfo
from utils.store.dataset import Dataset, DatasetMeta

STORE_ENV = "KOTAKU_DATA_DIR"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STORE = PROJECT_ROOT / "userdata"
SAMPLE_DIR = PROJECT_ROOT / "data"
_NAME_RE = re.compile(r"^[^\W_][\w\-]{0,63}$")
_TEMP_RE = re.compile(r"^\.tmp-.*\.gpkg(-journal|-wal|-shm)?$")
_VERSION_RE = re.compile(r"^v(\d{4,})\.gpkg$")


def store_root() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def slugify(name: str) -> str:
    """The folder name of a dataset: lower case, accents dropped (`Pônten` -> `ponten`), other
    letters kept as letters (`Ω` -> `ω`), everything else `_`.

    Letters of other scripts are kept rather than transliterated: a faithful transliteration needs
    per-script tables this app does not ship, and a dropped letter would make `Ωmega` and `mega` one
    folder. UTF-8 folder names work on Linux, macOS and Windows and in PostgreSQL text keys.
    """
    text = unicodedata.normalize("NFKD", str(name).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "_", text).strip("_")[:64].strip("_")
    if not slug or not _NAME_RE.match(slug):
        raise StoreError(key="store.bad_name", name=str(name)[:60])
    return slug


# ---- GeoPackage file format ---------------------------------------------------------------

def write_gpkg(dataset: Dataset, path: Path, record: dict | None = None) -> None:
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
    keys, values = ["meta"], [json.dumps(dataset.meta.to_dict(), ensure_ascii=False)]
    if record is not None:
        keys.append("version")
        values.append(json.dumps(record, ensure_ascii=False))
    meta = pd.DataFrame({"key": keys, "value": values})
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
    rows = dict(zip(meta_df["key"], meta_df["value"]))
    meta = DatasetMeta.from_dict(json.loads(rows["meta"]))
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


def _now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _saved_time(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def sample_path() -> Path:
    return SAMPLE_DIR / f"{SAMPLE_NAME}.gpkg"


def read_record(path: Path) -> dict:
    """The version record and the dataset's meta stored in a GeoPackage ({} for files from before records)."""
    try:
        df = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
    except Exception:  # noqa: BLE001 - an unreadable file lists with what its name and time say
        return {}
    rows = dict(zip(df["key"], df["value"]))
    record = json.loads(rows["version"]) if "version" in rows else {}
    meta = json.loads(rows.get("meta", "{}"))
    record.setdefault("display_name", meta.get("display_name") or "")
    record.setdefault("status", meta.get("status") or "draft")
    return record


def _info(name: str, version: int, path: Path, builtin: bool = False) -> VersionInfo:
    rec = read_record(path)
    return VersionInfo(name, version, path, rec.get("saved") or _saved_time(path), builtin=builtin,
                       author=rec.get("author", ""), note=rec.get("note", ""), changes=rec.get("changes", {}),
                       display_name=rec.get("display_name") or name, status=rec.get("status") or "draft",
                       based_on=rec.get("based_on"), restored_from=rec.get("restored_from"))


def _sample_info() -> VersionInfo:
    return _info(SAMPLE_NAME, 1, sample_path(), builtin=True)


def _folder(root: Path | None, name: str) -> Path:
    return (root or store_root()) / slugify(name)


@contextmanager
def _locked(folder: Path, blocking: bool = True) -> Iterator[bool]:
    """An exclusive flock on `<folder>/.lock`; yields False when `blocking=False` and it is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_temp_files(folder: Path) -> list[str]:
    """Leftovers of an interrupted save (`.tmp-*.gpkg`, its `-journal`); call with the lock held."""
    removed = []
    for p in folder.iterdir() if folder.is_dir() else ():
        if _TEMP_RE.match(p.name):
            p.unlink(missing_ok=True)
            removed.append(p.name)
    return removed


def cleanup(root: Path | None = None) -> list[str]:
    """At start: remove temp files in every dataset folder whose lock is free (no save running)."""
    root = root or store_root()
    removed: list[str] = []
    if not root.is_dir():
        return removed
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not any(_TEMP_RE.match(p.name) for p in folder.iterdir()):
            continue
        with _locked(folder, blocking=False) as got:
            if got:
                removed += [f"{folder.name}/{n}" for n in _remove_temp_files(folder)]
    return removed


def _list_datasets(root: Path | None = None) -> list[VersionInfo]:
    """The latest version of each dataset: the built-in sample first, then the user's, by name."""
    out: list[VersionInfo] = []
    if sample_path().exists():
        out.append(_sample_info())
    root = root or store_root()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            versions = _version_files(folder)
            if versions:
                v, p = versions[-1]
                out.append(_info(folder.name, v, p))
    return out


def _list_versions(name: str, root: Path | None = None) -> list[VersionInfo]:
    if name == SAMPLE_NAME:
        return [_sample_info()]
    folder = _folder(root, name)
    return [_info(folder.name, v, p) for v, p in _version_files(folder)]


def _last_logged(folder: Path) -> int:
    log = folder / "history.jsonl"
    if not log.exists():
        return 0
    numbers = [0]
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            numbers.append(int(json.loads(line)["version"]))
        except (ValueError, KeyError, TypeError):  # a line cut by a crash
            continue
    return max(numbers)


def _history(name: str, root: Path | None = None) -> list[VersionInfo]:
    """Every version ever saved (from `history.jsonl`), oldest first, `kept` telling which still exist."""
    if name == SAMPLE_NAME:
        return [_sample_info()]
    folder = _folder(root, name)
    kept = {i.version: i for i in _list_versions(name, root)}
    logged: dict[int, VersionInfo] = {}
    log = folder / "history.jsonl"
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:  # a line cut by a crash
                continue
            v = int(rec["version"])
            logged[v] = VersionInfo(folder.name, v, None, rec.get("saved", ""), author=rec.get("author", ""),
                                    note=rec.get("note", ""), changes=rec.get("changes", {}),
                                    display_name=rec.get("display_name", ""), status=rec.get("status", "draft"),
                                    based_on=rec.get("based_on"), restored_from=rec.get("restored_from"),
                                    kept=False)
    logged.update(kept)
    return [logged[v] for v in sorted(logged)]


# The last versions read or written in this process, keyed by file identity. A version file is never
# rewritten, so (path, mtime, size) names its content; a save then diffs against the cached copy
# instead of reading the previous GeoPackage again (~1-3 s at province scale).
_RECENT: dict[tuple, Dataset] = {}
_RECENT_MAX = 2


def _file_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def _snapshot(ds: Dataset) -> Dataset:
    """A copy the caller cannot change: tables copied (geometries are immutable and shared)."""
    def cp(frame):
        return None if frame is None else frame.copy()

    return Dataset(meta=copy.deepcopy(ds.meta), kelurahan=cp(ds.kelurahan), kecamatan=cp(ds.kecamatan),
                   assessments=cp(ds.assessments), kawasan=cp(ds.kawasan), investments=cp(ds.investments),
                   commitments=cp(ds.commitments), display={k: cp(v) for k, v in (ds.display or {}).items()})


def _remember(path: Path, ds: Dataset) -> None:
    _RECENT[_file_key(path)] = _snapshot(ds)
    for key in list(_RECENT)[:-_RECENT_MAX]:  # a list first: another thread may add meanwhile
        _RECENT.pop(key, None)


def _read_version(path: Path) -> Dataset:
    """A stored version for comparison only (never handed to a caller): the cached copy when fresh."""
    hit = _RECENT.get(_file_key(path))
    return hit if hit is not None else read_gpkg(path)


def _verify(path: Path, ds: Dataset, record: dict | None) -> None:
    """Never publish a file we cannot read back: every layer there with its row count, metadata parseable.
    Cheaper than reading the whole file again (which costs as much as the write at province scale)."""
    layers = {row[0] for row in pyogrio.list_layers(path)}
    expected = {"kelurahan": ds.kelurahan, "kecamatan": ds.kecamatan, "kawasan": ds.kawasan,
                "assessments": ds.assessments, "investments": ds.investments, "commitments": ds.commitments,
                **{f"display_{k}": v for k, v in (ds.display or {}).items()}}
    for layer, frame in expected.items():
        if frame is None or (len(frame) == 0 and layer not in ("kelurahan", "kecamatan")):
            continue
        if layer not in layers or pyogrio.read_info(path, layer=layer)["features"] != len(frame):
            raise StoreError(f"{path.name}: layer {layer} did not write completely")
    rows = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
    meta = dict(zip(rows["key"], rows["value"]))
    DatasetMeta.from_dict(json.loads(meta["meta"]))
    if record is not None and json.loads(meta["version"])["version"] != record["version"]:
        raise StoreError(f"{path.name}: version record did not write completely")


@contextmanager
def _no_sync_per_layer() -> Iterator[None]:
    """SQLite syncs to disk after every layer; the temp file is synced once before it is published
    instead (3x faster on the sample). A crash before that leaves only a temp file, as before."""
    old = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": old})


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load(name: str, version: int | None = None, root: Path | None = None) -> Dataset:
    if name == SAMPLE_NAME:
        return read_gpkg(sample_path())
    versions = _version_files(_folder(root, name))
    if not versions:
        raise StoreError(key="store.no_dataset", name=name)
    chosen = versions[-1][1] if version is None else next((p for v, p in versions if v == version), None)
    if chosen is None:
        raise StoreError(key="store.no_version", name=name, version=version)
    ds = read_gpkg(chosen)
    _remember(chosen, ds)
    return ds


def _check_name(name: str, slug: str, versions: list, new_dataset: bool | None) -> None:
    """Refuse to merge two datasets into one folder (`a/b` and `a_b`), and make new-vs-next explicit."""
    if not versions:
        if new_dataset is False:
            raise StoreError(key="store.no_dataset", name=name)
        return
    existing = read_record(versions[-1][1]).get("display_name") or slug
    if new_dataset:
        raise NameClashError(key="store.exists", name=name, existing=existing, slug=slug)
    if new_dataset is None and name not in (slug, existing):
        raise NameClashError(key="store.name_clash", name=name, existing=existing, slug=slug)


def _prepare(dataset: Dataset, slug: str, display_name: str) -> Dataset:
    """A shallow copy with the folder slug and display name set (the caller's object is not changed).

    Hook point for work done once per save (e.g. display layers) before the file is written."""
    out = copy.copy(dataset)
    out.meta = copy.deepcopy(dataset.meta)
    out.meta.name = slug
    out.meta.display_name = out.meta.display_name or display_name
    return out


def _save(dataset: Dataset, name: str | None = None, root: Path | None = None, keep: int = KEEP_VERSIONS, *,
          author: str = "", note: str = "", base_version: int | None = None, new_dataset: bool | None = None,
          restored_from: int | None = None) -> VersionInfo:
    """Write a new version atomically, under the dataset's lock: a temp file in the same folder, read
    back, then os.replace(). A crash at any point leaves the earlier versions readable and at most a
    temp file, which the next save (or `cleanup()` at start) removes."""
    typed = name or dataset.meta.name
    slug = slugify(typed)
    if slug == SAMPLE_NAME:
        raise StoreError(key="store.sample_read_only")
    folder = (root or store_root()) / slug
    with _locked(folder):
        _remove_temp_files(folder)
        existing = _version_files(folder)
        _check_name(typed, slug, existing, new_dataset)
        latest = existing[-1][0] if existing else None
        if base_version is not None and base_version != latest:
            info = _info(slug, latest, existing[-1][1]) if existing else None
            raise ConflictError(latest=info, key="store.conflict", name=info.display_name if info else slug,
                                base=base_version, version=latest or 0, author=(info.author if info else "") or "?",
                                saved=info.saved if info else "?")
        ds = _prepare(dataset, slug, typed)
        previous = _read_version(existing[-1][1]) if existing else None
        version = max(latest or 0, _last_logged(folder)) + 1  # a deleted version's number is never reused
        record = VersionInfo(slug, version, None, _now(), author=author.strip()[:80], note=note.strip()[:500],
                             changes=_changes.diff(previous, ds), display_name=ds.meta.display_name,
                             status=ds.meta.status, based_on=latest, restored_from=restored_from).record()
        final = folder / f"v{version:04d}.gpkg"
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".gpkg", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            tmp.unlink()  # GDAL wants to create the file itself
            with _no_sync_per_layer():
                write_gpkg(ds, tmp, record)
            _verify(tmp, ds, record)
            _fsync(tmp)
            os.replace(tmp, final)
            _fsync(folder)
        except BaseException:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
            raise
        with open(folder / "history.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
        for _, old in _version_files(folder)[:-keep]:
            old.unlink(missing_ok=True)
        _remember(final, ds)
    return _info(slug, version, final)


def _delete_version(name: str, version: int, root: Path | None = None) -> None:
    for info in _list_versions(name, root):
        if info.version == version and not info.builtin:
            info.path.unlink()
            return
    raise StoreError(key="store.no_version", name=name, version=version)


class FileStore:
    """The GeoPackage folder as a `Store`; `root` defaults to `KOTAKU_DATA_DIR` or `userdata/`."""

    def __init__(self, root: Path | None = None):
        self.root = root

    def list_datasets(self) -> list[VersionInfo]:
        return _list_datasets(self.root)

    def list_versions(self, name: str) -> list[VersionInfo]:
        return _list_versions(name, self.root)

    def history(self, name: str) -> list[VersionInfo]:
        return _history(name, self.root)

    def load(self, name: str, version: int | None = None) -> Dataset:
        return _load(name, version, self.root)

    def save(self, dataset: Dataset, name: str | None = None, *, author: str = "", note: str = "",
             base_version: int | None = None, keep: int = KEEP_VERSIONS, new_dataset: bool | None = None,
             restored_from: int | None = None) -> VersionInfo:
        return _save(dataset, name, self.root, keep, author=author, note=note, base_version=base_version,
                     new_dataset=new_dataset, restored_from=restored_from)

    def restore(self, name: str, version: int, *, author: str = "", note: str = "") -> VersionInfo:
        """A new version equal to `version`: nothing is rewritten, the restore is itself in the history."""
        dataset = _load(name, version, self.root)
        return _save(dataset, slugify(name), self.root, author=author, note=note, new_dataset=False,
                     restored_from=version)

    def delete_version(self, name: str, version: int) -> None:
        _delete_version(name, version, self.root)

    def cleanup(self) -> list[str]:
        return cleanup(self.root)
