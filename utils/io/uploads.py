"""Safe handling of uploaded files: a private temporary folder, careful zip extraction, size caps.

Uploads come from strangers' laptops: a zip may hold `../` paths (zip slip), absolute paths or a
zip bomb. Everything is written below one private temp folder that is deleted afterwards, and no
path typed by a user is ever opened outside it.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from utils.core.findings import Finding

# Caps (module constants so a deployment can tune them; tests pass smaller ones explicitly).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # matches server.maxUploadSize in .streamlit/config.toml
MAX_ZIP_MEMBERS = 2000  # a province shapefile set is a handful of files per layer
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # 1 GiB unpacked in total
MAX_NESTED_ZIP_DEPTH = 1  # a zip inside a zip is opened once, never deeper
_CHUNK = 1024 * 1024
PREFIX = "kotaku-upload-"  # every workspace folder in the temp dir starts so; the sweep looks only at these
OWNER_FILE = ".owner"  # the process id of the import using the folder
STALE_SECONDS = 6 * 3600  # a folder with no readable owner is left alone this long


class UploadError(ValueError):
    """A problem with an uploaded file, carried as a translatable finding (always an error)."""

    def __init__(self, key: str, **params: object):
        self.finding = Finding(key, "error", dict(params))
        super().__init__(self.finding.message("en"))


def safe_filename(name: str) -> str:
    """The last path component of `name`, stripped of anything a file system could misread."""
    base = re.split(r"[\\/]", str(name))[-1].strip().strip(".")
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base)
    if not base:
        raise UploadError("import.bad_filename", name=str(name)[:80])
    return base[:180]


class UploadWorkspace:
    """A private temp folder for one import; use as a context manager so it is always removed."""

    def __init__(self, max_upload_bytes: int = MAX_UPLOAD_BYTES, max_members: int = MAX_ZIP_MEMBERS,
                 max_uncompressed: int = MAX_UNCOMPRESSED_BYTES):
        self.max_upload_bytes = max_upload_bytes
        self.max_members = max_members
        self.max_uncompressed = max_uncompressed
        self.unpacked = 0  # bytes written by every zip extraction so far, all levels and archives together
        self.members = 0  # zip members seen so far, all levels together
        sweep_stale_workspaces()
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX)).resolve()
        (self.root / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")

    def __enter__(self) -> UploadWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- placing files -------------------------------------------------------------------
    def _unique(self, folder: Path, name: str) -> Path:
        target = folder / name
        n = 1
        while target.exists():
            target = folder / f"{Path(name).stem}_{n}{Path(name).suffix}"
            n += 1
        return target

    def inside(self, path: Path) -> Path:
        """`path` resolved, or an error when it points outside the workspace."""
        resolved = Path(path).resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise UploadError("import.outside_workspace", name=str(path))
        return resolved

    def add_bytes(self, name: str, data: bytes, folder: str = "files") -> Path:
        """Write one uploaded file (its name reduced to a safe basename) into the workspace."""
        filename = safe_filename(name)
        if len(data) > self.max_upload_bytes:
            raise UploadError("import.too_large", name=filename, size_mb=_mb(len(data)),
                              limit_mb=_mb(self.max_upload_bytes))
        target_dir = self.root / folder
        target_dir.mkdir(parents=True, exist_ok=True)
        target = self._unique(target_dir, filename)
        target.write_bytes(data)
        return target

    def add_path(self, source: Path, folder: str = "files") -> Path:
        """Copy a local file given on the command line into the workspace (same size cap)."""
        source = Path(source)
        if not source.is_file():
            raise UploadError("import.not_found", name=str(source))
        size = source.stat().st_size
        if size > self.max_upload_bytes:
            raise UploadError("import.too_large", name=source.name, size_mb=_mb(size),
                              limit_mb=_mb(self.max_upload_bytes))
        target_dir = self.root / folder
        target_dir.mkdir(parents=True, exist_ok=True)
        target = self._unique(target_dir, safe_filename(source.name))
        shutil.copyfile(source, target)
        return target

    # -- zip files -----------------------------------------------------------------------
    def extract_zip(self, archive: Path, depth: int = 0) -> list[Path]:
        """Extract `archive` into its own subfolder; returns the extracted files (nested zips opened once).

        Rejected: corrupt archives, members with absolute paths or `..`, symlinks, a zip inside a zip
        inside a zip, more than `max_members` members or more than `max_uncompressed` bytes unpacked.
        Both caps are one budget for the whole workspace: every archive and every nesting level counts
        against it together, so small inner zips cannot each spend a full budget. Bytes are counted
        while writing, so a lying header does not help a zip bomb.
        """
        archive = self.inside(archive)
        try:
            zf = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UploadError("import.zip_corrupt", name=archive.name, reason=str(exc)[:120]) from exc
        dest = self._unique(archive.parent, archive.stem + "_unzipped")
        dest.mkdir(parents=True)
        out: list[Path] = []
        with zf:
            members = zf.infolist()
            self.members += len(members)
            if self.members > self.max_members:
                raise UploadError("import.zip_too_many", name=archive.name, n=self.members, limit=self.max_members)
            declared = self.unpacked + sum(m.file_size for m in members)
            if declared > self.max_uncompressed:
                raise UploadError("import.zip_bomb", name=archive.name, size_mb=_mb(declared),
                                  limit_mb=_mb(self.max_uncompressed))
            for m in members:  # check every name before writing anything
                _check_member_name(archive.name, m)
                if depth >= MAX_NESTED_ZIP_DEPTH and m.filename.lower().endswith(".zip"):
                    raise UploadError("upload.zip_nested_too_deep", name=archive.name,
                                      member=m.filename[:120], depth=MAX_NESTED_ZIP_DEPTH)
            for m in members:
                if m.is_dir():
                    continue
                rel = PurePosixPath(m.filename.replace("\\", "/"))
                if rel.name.startswith("._") or "__MACOSX" in rel.parts:
                    continue  # macOS resource forks: noise, not data
                target = dest.joinpath(*rel.parts)
                self.inside(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with zf.open(m) as src, open(target, "wb") as dst:
                        while chunk := src.read(_CHUNK):
                            self.unpacked += len(chunk)
                            if self.unpacked > self.max_uncompressed:
                                raise UploadError("import.zip_bomb", name=archive.name, size_mb=_mb(self.unpacked),
                                                  limit_mb=_mb(self.max_uncompressed))
                            dst.write(chunk)
                except UploadError:
                    raise
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                    raise UploadError("import.zip_corrupt", name=archive.name, reason=str(exc)[:120]) from exc
                if target.suffix.lower() == ".zip":  # depth < MAX_NESTED_ZIP_DEPTH, checked above
                    out.extend(self.extract_zip(target, depth + 1))
                    target.unlink(missing_ok=True)  # its contents are out; the disk it took is still counted
                else:
                    out.append(target)
        return out

    def expand(self, paths: list[Path]) -> list[Path]:
        """Uploaded files with every zip replaced by its extracted members."""
        out: list[Path] = []
        for p in paths:
            if p.suffix.lower() == ".zip":
                out.extend(self.extract_zip(p))
            else:
                out.append(p)
        return out


def sweep_stale_workspaces(tmp_dir: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove upload folders that an import killed mid-way (a closed laptop, a killed server) left behind.

    Runs when a new workspace opens, so the next upload cleans up. A folder goes when the process that
    made it is gone; a folder without an owner file goes once it is STALE_SECONDS old. A live import,
    in this process or another, is never touched.
    """
    base = Path(tmp_dir) if tmp_dir is not None else Path(tempfile.gettempdir())
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = list(base.glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            owner = _owner_pid(folder)
            stale = not _alive(owner) if owner is not None else now - folder.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _owner_pid(folder: Path) -> int | None:
    try:
        text = (folder / OWNER_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or cannot tell: keep the folder
    return True


def _check_member_name(archive: str, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        raise UploadError("import.zip_slip", name=archive, member=info.filename[:120])
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UploadError("import.zip_symlink", name=archive, member=info.filename[:120])


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"
