"""Saving the commitments register as a new version, without losing a colleague's rows.

No Streamlit here (the page calls these from its callbacks; tests call them from threads). Every
save names the version it started from; when someone saved meanwhile the store refuses
(`ConflictError`), and the register is merged three-way (base, mine, theirs) onto the latest
version (their assessments and investments kept) and saved again. Rows both sides changed
differently are not guessed at: the save is refused with their ids.
The built-in sample is read-only, so its register is saved as a dataset of its own
(`<sample>_kolaborasi`), created on the first save.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from utils import store
from utils.io import commitments as reg
from utils.store.base import ConflictError, NameClashError, StoreError, VersionInfo
from utils.store.dataset import Dataset

SAMPLE_COPY = f"{store.SAMPLE_NAME}_kolaborasi"
MAX_ATTEMPTS = 20


def _back_off(attempt: int) -> None:
    """A short random wait before retrying a lost race, so that facilitators saving at the same
    moment do not collide again in lockstep (seen: 4 at once, one starved after 8 quick retries)."""
    time.sleep(random.uniform(0.02, 0.12) * min(attempt + 1, 5))


@dataclass
class SaveOutcome:
    name: str
    info: VersionInfo | None  # None: refused
    merged: bool = False  # someone saved meanwhile and their rows were kept
    conflicts: list[str] = field(default_factory=list)  # commitment ids changed on both sides
    added: int = 0  # investments added (convert_finished)

    @property
    def ok(self) -> bool:
        return self.info is not None


def target_name(name: str) -> str:
    """Where a dataset's register is saved: itself, or the sample's own working copy."""
    return SAMPLE_COPY if name == store.SAMPLE_NAME else name


def _latest(name: str, root: Path | None) -> tuple[int | None, Dataset | None]:
    try:
        versions = [v for v in store.list_versions(name, root) if not v.builtin]
    except StoreError:
        versions = []
    if not versions:
        return None, None
    v = versions[-1].version
    return v, store.load(name, v, root)


def save_register(ds: Dataset, name: str, base_version: int | None, mine: pd.DataFrame, *, author: str = "",
                  note: str = "", root: Path | None = None) -> SaveOutcome:
    """Save `mine` as the register of dataset `name` (as loaded at `base_version`, the dataset `ds`).

    On a conflict the latest version is loaded, `mine` merged onto it, and the save retried."""
    target = target_name(name)
    if target != name:  # the sample: continue its working copy when one exists
        base_version, latest = _latest(target, root)
        base_reg = latest.commitments if latest is not None else ds.commitments
        ds = latest if latest is not None else ds
    else:
        base_reg = ds.commitments
    mine = reg.stored(mine)
    merged = False
    for attempt in range(MAX_ATTEMPTS):
        out = replace(ds, commitments=mine, display=dict(ds.display or {}))
        try:
            info = store.save(out, target, root, author=author, note=note, base_version=base_version,
                              new_dataset=True if base_version is None and target != name else None)
            return SaveOutcome(target, info, merged)
        except (ConflictError, NameClashError):
            _back_off(attempt)
            base_version, latest = _latest(target, root)
            if latest is None:
                raise
            mine, conflicts = reg.merge(base_reg, mine, latest.commitments)
            if conflicts:
                return SaveOutcome(target, None, True, conflicts)
            ds, base_reg, merged = latest, latest.commitments, True
    raise StoreError(key="collab.save_busy")


def add_rows(ds: Dataset, name: str, base_version: int | None, rows: pd.DataFrame, *, author: str = "",
             note: str = "", root: Path | None = None) -> SaveOutcome:
    """Append checked rows to the register and save: the quick-capture form's one action."""
    current = reg.stored(ds.commitments)
    if target_name(name) != name:
        _, latest = _latest(target_name(name), root)
        current = reg.stored(latest.commitments) if latest is not None else current
    mine = pd.concat([current, reg.stored(rows)], ignore_index=True) if len(current) else reg.stored(rows)
    return save_register(ds, name, base_version, mine, author=author, note=note, root=root)


def convert_finished(name: str, year: int, *, author: str = "", note: str = "",
                     root: Path | None = None) -> SaveOutcome:
    """Turn the `selesai` commitments of `year` into that year's investment rows, as one new version."""
    target = target_name(name)
    for attempt in range(MAX_ATTEMPTS):
        base_version, latest = _latest(target, root)
        if latest is None and target != name:  # the sample's first save: its copy starts here
            latest = store.load(name, root=root)
        if latest is None:
            return SaveOutcome(target, None)
        com, inv, n = reg.to_investments(latest.commitments, latest.investments, year)
        if n == 0:
            return SaveOutcome(target, None)
        out = replace(latest, commitments=com, investments=inv, display=dict(latest.display or {}))
        try:
            return SaveOutcome(target, store.save(out, target, root, author=author, note=note,
                                                  base_version=base_version,
                                                  new_dataset=True if base_version is None else None), added=n)
        except (ConflictError, NameClashError):
            _back_off(attempt)
            continue
    raise StoreError(key="collab.save_busy")
