"""The store contract that every backend (GeoPackage folder, PostgreSQL/PostGIS) fulfils.

Pages, CLI and analysis talk to `utils.store` only; which backend answers is decided once, by
`KOTAKU_DATABASE_URL` (set: PostGIS; unset: the GeoPackage folder). Nothing is ever rewritten:
every save, edit, settings change and restore is a new version that records who, when, what
changed, and which version it was based on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from utils.store.dataset import Dataset

KEEP_VERSIONS = 5
SAMPLE_NAME = "kota_pasuruan_sample"
DATABASE_ENV = "KOTAKU_DATABASE_URL"


class StoreError(RuntimeError):
    pass


@dataclass(frozen=True)
class VersionInfo:
    """One stored version. `changes` maps a table name to {"added": n, "changed": n, "removed": n}."""

    name: str
    version: int
    path: Path | None  # the GeoPackage for the file backend; None in PostGIS
    saved: str  # ISO-like UTC time of the write, "YYYY-MM-DD HH:MM UTC"
    builtin: bool = False
    author: str = ""
    note: str = ""
    changes: dict = field(default_factory=dict, compare=False, hash=False)
    display_name: str = ""
    status: str = "draft"  # "draft" | "official"
    based_on: int | None = None
    restored_from: int | None = None


class ConflictError(StoreError):
    """A save based on a version that is no longer the latest: the user reloads or merges."""

    def __init__(self, message: str, latest: VersionInfo | None = None):
        super().__init__(message)
        self.latest = latest


class Store(Protocol):
    """What every backend offers. `base_version` guards against lost updates."""

    def list_datasets(self) -> list[VersionInfo]: ...

    def list_versions(self, name: str) -> list[VersionInfo]: ...

    def load(self, name: str, version: int | None = None) -> Dataset: ...

    def save(self, dataset: Dataset, name: str | None = None, *, author: str = "", note: str = "",
             base_version: int | None = None, keep: int = KEEP_VERSIONS) -> VersionInfo: ...

    def restore(self, name: str, version: int, *, author: str = "", note: str = "") -> VersionInfo: ...

    def delete_version(self, name: str, version: int) -> None: ...
