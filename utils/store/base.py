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
    """A refusal the user must read. With `key`, `message(lang)` gives it in the UI language;
    `str()` is Bahasa Indonesia then English, for logs and the CLI's last-resort handler."""

    def __init__(self, message: str = "", *, key: str | None = None, **params: object):
        self.key = key
        self.params = params
        if key is not None and not message:
            message = bilingual(key, **params)
        super().__init__(message)

    def message(self, lang: str = "id") -> str:
        if self.key is None:
            return str(self)
        from utils.core.i18n import t

        return t(self.key, lang, **self.params)


def bilingual(key: str, **params: object) -> str:
    from utils.core.i18n import t

    return f"{t(key, 'id', **params)} / {t(key, 'en', **params)}"


@dataclass(frozen=True)
class VersionInfo:
    """One stored version. `changes` maps a table name to {"added": n, "changed": n, "removed": n}."""

    name: str
    version: int
    path: Path | None  # the GeoPackage for the file backend; None in PostGIS
    saved: str  # UTC time of the write, "YYYY-MM-DD HH:MM:SS UTC"
    builtin: bool = False
    author: str = ""
    note: str = ""
    changes: dict = field(default_factory=dict, compare=False, hash=False)
    display_name: str = ""
    status: str = "draft"  # "draft" | "official"
    based_on: int | None = None
    restored_from: int | None = None
    kept: bool = True  # False in `history()` for a version pruned after KEEP_VERSIONS newer ones

    def record(self) -> dict:
        """What is stored with the version (inside its GeoPackage / its database row)."""
        return {"version": self.version, "saved": self.saved, "author": self.author, "note": self.note,
                "changes": self.changes, "display_name": self.display_name, "status": self.status,
                "based_on": self.based_on, "restored_from": self.restored_from}


class ConflictError(StoreError):
    """A save based on a version that is no longer the latest: the user reloads or merges."""

    def __init__(self, message: str = "", latest: VersionInfo | None = None, *, key: str | None = None,
                 **params: object):
        super().__init__(message, key=key, **params)
        self.latest = latest


class NameClashError(StoreError):
    """A name whose folder/slug is another dataset's (`a/b` vs `a_b`), or a new dataset over an old one."""

    def __init__(self, message: str = "", *, key: str | None = None, **params: object):
        super().__init__(message, key=key, **params)
        self.existing = str(params.get("existing", ""))  # the display name of the dataset already there


class Store(Protocol):
    """What every backend offers. `base_version` guards against lost updates."""

    def list_datasets(self) -> list[VersionInfo]: ...

    def list_versions(self, name: str) -> list[VersionInfo]: ...

    def load(self, name: str, version: int | None = None) -> Dataset: ...

    def save(self, dataset: Dataset, name: str | None = None, *, author: str = "", note: str = "",
             base_version: int | None = None, keep: int = KEEP_VERSIONS, new_dataset: bool | None = None,
             restored_from: int | None = None) -> VersionInfo:
        """A new version. `new_dataset=True` refuses an existing folder, `False` a missing one; `None`
        accepts an existing folder only when `name` is its slug or its display name (else NameClashError).
        `base_version` not the latest -> ConflictError. `changes` is `changes.diff(previous, dataset)`."""
        ...

    def restore(self, name: str, version: int, *, author: str = "", note: str = "") -> VersionInfo: ...

    def delete_version(self, name: str, version: int) -> None: ...

    def history(self, name: str) -> list[VersionInfo]:
        """Every version ever saved, oldest first; `kept=False` for the pruned ones."""
        ...
