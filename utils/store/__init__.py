"""Layer 3: the Dataset and where its versions live.

`from utils import store` gives the store API; callers never know the backend behind it. With
`KOTAKU_DATABASE_URL` set, `backend()` is the PostGIS store (`utils/store/postgis.py`); without it,
the GeoPackage folder (`utils/store/files.py`). The module-level functions below dispatch to it, and
their `root=` argument (a folder) applies to the file store only.
"""
from __future__ import annotations

import os
from pathlib import Path

from utils.store import display, files
from utils.store.base import (  # noqa: F401
    DATABASE_ENV,
    KEEP_VERSIONS,
    SAMPLE_NAME,
    ConflictError,
    NameClashError,
    Store,
    StoreError,
    VersionInfo,
)
from utils.store.dataset import Dataset
from utils.store.files import (  # noqa: F401
    DEFAULT_STORE,
    PROJECT_ROOT,
    SAMPLE_DIR,
    STORE_ENV,
    _version_files,
    read_gpkg,
    sample_path,
    slugify,
    store_root,
    write_gpkg,
)


def database_url() -> str | None:
    return os.environ.get(DATABASE_ENV) or None


def backend(root: Path | None = None):
    """The store that answers now: PostGIS when `KOTAKU_DATABASE_URL` is set, else the folder."""
    url = database_url()
    if url and root is None:
        from utils.store import postgis  # imported only when asked for: psycopg stays optional

        return postgis.open_store(url)
    folder = (root or files.store_root()).resolve()
    if folder not in _STARTED:  # first use of this folder in this process = "at start"
        _STARTED.add(folder)
        files.cleanup(folder)  # temp files of a save that was interrupted before this process began
    return files.FileStore(root)


_STARTED: set[Path] = set()


def list_datasets(root: Path | None = None) -> list[VersionInfo]:
    return backend(root).list_datasets()


def list_versions(name: str, root: Path | None = None) -> list[VersionInfo]:
    return backend(root).list_versions(name)


def load(name: str, version: int | None = None, root: Path | None = None) -> Dataset:
    return backend(root).load(name, version)


def history(name: str, root: Path | None = None) -> list[VersionInfo]:
    """Every version ever saved, oldest first; `kept=False` marks those pruned (only KEEP_VERSIONS stay)."""
    return backend(root).history(name)


def save(dataset: Dataset, name: str | None = None, root: Path | None = None, keep: int = KEEP_VERSIONS,
         *, author: str = "", note: str = "", base_version: int | None = None,
         new_dataset: bool | None = None) -> VersionInfo:
    """A new version. `name` as the user typed it (the folder is `slugify(name)`); None: the dataset's own.

    `new_dataset=True` refuses when the folder exists, `False` when it does not (NameClashError /
    StoreError); `base_version` that is no longer the latest raises ConflictError with `.latest`."""
    display.ensure(dataset)  # display layers built here, once, not at the first map view
    return backend(root).save(dataset, name, author=author, note=note, base_version=base_version, keep=keep,
                              new_dataset=new_dataset)


def restore(name: str, version: int, root: Path | None = None, *, author: str = "", note: str = "") -> VersionInfo:
    return backend(root).restore(name, version, author=author, note=note)


def cleanup(root: Path | None = None) -> list[str]:
    """Remove temp files left by an interrupted save (call at start); [] for backends without files."""
    b = backend(root)
    return b.cleanup() if hasattr(b, "cleanup") else []


def delete_version(name: str, version: int, root: Path | None = None) -> None:
    backend(root).delete_version(name, version)


def resolve_name(name: str, root: Path | None = None) -> str:
    """The folder of a dataset named by its folder or by its display name as typed (CLI arguments)."""
    for info in list_datasets(root):
        if name in (info.name, info.display_name):
            return info.name
    return slugify(name)
