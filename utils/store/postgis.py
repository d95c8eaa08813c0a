"""The shared store: datasets, their versions and history in PostgreSQL + PostGIS.

Chosen when `KOTAKU_DATABASE_URL` is set; behaves like the GeoPackage folder (`files.py`) behind the
same `Store` contract. A save is one transaction, serialised per dataset by an advisory lock, so
readers see the old version or the new one and a killed process leaves the last commit intact.
Schema: `utils/store/migrations/*.sql`, applied at start-up and recorded in `kotaku.schema_version`.
`kotaku_latest.<dataset>_<layer>` views always show the latest version, for QGIS.

Dataset names and values reach SQL only as parameters; the few identifiers (view names) are built
with `psycopg.sql.Identifier`, and the view's filter with `sql.Literal` because DDL takes no parameters.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql

from utils.store import changes as _changes
from utils.store import files
from utils.store import postgis_frames as frames
from utils.store.base import KEEP_VERSIONS, SAMPLE_NAME, ConflictError, NameClashError, StoreError, VersionInfo
from utils.store.dataset import Dataset, DatasetMeta

log = logging.getLogger("kotaku")
MIGRATIONS = Path(__file__).with_name("migrations")
CONNECT_TIMEOUT = 5  # seconds: an unreachable server is reported, not waited for
RETRY_AFTER = 10.0  # seconds a failed connection is remembered, so reruns do not wait again
_MIGRATION_LOCK = 0x4B4F54414B55  # "KOTAKU": one process migrates at a time
VIEW_LAYERS = ("kelurahan", "kecamatan", "kawasan", "assessments", "investments", "commitments")


class PgStoreError(StoreError):
    """The database cannot be used: a message in both languages, never the credentials."""


def mask_url(url: str) -> str:
    """`postgresql://user:secret@host/db` -> `postgresql://***@host/db` (also `password=` in key=value form)."""
    masked = re.sub(r"(?<=://)[^@/]*@", "***@", str(url))
    return re.sub(r"(?i)(password|user)\s*=\s*\S+", r"\1=***", masked)


def _scrub(text: str, url: str) -> str:
    """A driver message without user name or password (it names them in e.g. 'for user "x"')."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        info = {}
    out = mask_url(text)
    for secret in (info.get("password"), info.get("user")):
        if secret:
            out = out.replace(str(secret), "***")
    return out.strip().splitlines()[0][:200] if out.strip() else ""


def _target(url: str) -> str:
    """host:port/dbname for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return mask_url(url)
    return f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def classify(exc: BaseException, url: str) -> PgStoreError:
    """One clear message per way a connection fails."""
    if isinstance(exc, PgStoreError):
        return exc
    where = _target(url)
    text = str(exc)
    state = getattr(getattr(exc, "diag", None), "sqlstate", None) or getattr(exc, "sqlstate", None)
    low = text.lower()
    if state in ("28P01", "28000") or "password authentication failed" in low or "no password supplied" in low:
        key = "pgstore.auth"
    elif "invalid" in low and ("connection option" in low or "uri" in low):
        key = "pgstore.bad_url"
    elif state == "3D000" or ("database" in low and "does not exist" in low):
        key = "pgstore.no_database"
    elif isinstance(exc, psycopg.OperationalError) and any(
            w in low for w in ("connection refused", "could not translate", "timeout", "timed out",
                               "no route", "name or service", "network is unreachable", "could not connect")):
        key = "pgstore.unreachable"
    elif isinstance(exc, psycopg.OperationalError):
        key = "pgstore.unreachable"
    else:
        key = "pgstore.failed"
    return PgStoreError(key=key, target=where, detail=_scrub(text, url))


def check_url(url: str) -> None:
    if not re.match(r"^postgres(ql)?://", url.strip()):
        raise PgStoreError(key="pgstore.bad_url", target=mask_url(url)[:80], detail="")
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise PgStoreError(key="pgstore.bad_url", target=mask_url(url)[:80], detail=_scrub(str(exc), url)) from None
    if not all(p.strip().isdigit() for p in str(info.get("port") or "5432").split(",")):
        raise PgStoreError(key="pgstore.bad_url", target=mask_url(url)[:80], detail="port")


def _now() -> str:
    return datetime.now(tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


# ---- migrations ------------------------------------------------------------------------------

def migrations() -> list[tuple[int, str, str]]:
    out = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        out.append((number, path.name, path.read_text(encoding="utf-8")))
    return out


def _applied(conn: psycopg.Connection) -> set[int]:
    if conn.execute("SELECT to_regclass('kotaku.schema_version')").fetchone()[0] is None:
        return set()
    return {r[0] for r in conn.execute("SELECT version FROM kotaku.schema_version")}


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply every migration not yet in kotaku.schema_version, each in its own transaction."""
    has_postgis = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone()
    if not has_postgis:
        try:
            with conn.transaction():
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as exc:
            available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
            raise PgStoreError(key="pgstore.no_postgis" if available else "pgstore.postgis_not_installed",
                               target="", detail=_scrub(str(exc), "")) from None
    if not [m for m in migrations() if m[0] not in _applied(conn)]:
        return []  # up to date: nothing written, so a read-only viewer role can open the store
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        conn.execute("CREATE SCHEMA IF NOT EXISTS kotaku")
        conn.execute("CREATE TABLE IF NOT EXISTS kotaku.schema_version (version integer PRIMARY KEY, "
                     "name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())")
        done = _applied(conn)
        for number, name, text in migrations():
            if number in done:
                continue
            conn.execute(text)
            conn.execute("INSERT INTO kotaku.schema_version (version, name) VALUES (%s, %s)", [number, name])
            applied.append(name)
    return applied


# ---- opening -----------------------------------------------------------------------------------

_STORES: dict[str, PostgisStore] = {}
_FAILED: dict[str, tuple[float, PgStoreError]] = {}
_OPEN_LOCK = threading.Lock()


def open_store(url: str) -> PostgisStore:
    """The store for `url`, connected and migrated once per process; PgStoreError when unusable.

    A failure is remembered for RETRY_AFTER seconds, so every rerun of the app does not wait for the
    connect timeout again; after that the next call tries again (a restarted server is picked up)."""
    with _OPEN_LOCK:
        if url in _STORES:
            return _STORES[url]
        failed = _FAILED.get(url)
        if failed and time.monotonic() - failed[0] < RETRY_AFTER:
            raise failed[1]
        try:
            check_url(url)
            store = PostgisStore(url)
            with store._conn() as conn:
                applied = migrate(conn)
            if applied:
                log.info("database %s: applied migrations %s", _target(url), ", ".join(applied))
        except PgStoreError as exc:
            _FAILED[url] = (time.monotonic(), exc)
            log.warning("shared store unavailable: %s", exc)
            raise
        _FAILED.pop(url, None)
        _STORES[url] = store
        return store


class PostgisStore:
    """`Store` on PostgreSQL/PostGIS. A few idle connections are kept for reuse across reruns."""

    def __init__(self, url: str, pool_size: int = 4):
        self.url = url
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._pool_size = pool_size

    def __repr__(self) -> str:
        return f"PostgisStore({mask_url(self.url)})"

    # ---- connections ----
    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                   application_name="kotaku")
        except psycopg.Error as exc:
            raise classify(exc, self.url) from None

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed or conn.broken:
            conn = self._connect()
        try:
            yield conn
        except psycopg.OperationalError as exc:
            conn.close()
            raise classify(exc, self.url) from None
        except psycopg.errors.InsufficientPrivilege:
            self._release(conn)
            raise PgStoreError(key="pgstore.read_only", target=_target(self.url), detail="") from None
        except BaseException:
            self._release(conn)
            raise
        self._release(conn)

    def _release(self, conn: psycopg.Connection) -> None:
        """Back to the idle list when clean (a refused save rolled back is clean), else closed."""
        if conn.closed or conn.broken or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < self._pool_size:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()

    # ---- reading ----
    @staticmethod
    def _info(row: tuple, kept: bool = True) -> VersionInfo:
        name, version, saved, author, note, changes, display_name, status, based_on, restored_from = row[:10]
        return VersionInfo(name, version, None, saved, author=author, note=note, changes=changes or {},
                           display_name=display_name or name, status=status or "draft", based_on=based_on,
                           restored_from=restored_from, kept=kept)

    _COLUMNS = ("v.dataset, v.version, v.saved, v.author, v.note, v.changes, v.display_name, v.status, "
                "v.based_on, v.restored_from")

    def _sample(self) -> list[VersionInfo]:
        return [i for i in files.FileStore().list_datasets() if i.builtin]

    def list_datasets(self) -> list[VersionInfo]:
        with self._conn() as conn:
            rows = conn.execute(f"SELECT {self._COLUMNS} FROM kotaku.versions v JOIN kotaku.latest l "
                                "ON l.dataset = v.dataset AND l.version = v.version ORDER BY v.dataset").fetchall()
        return [*self._sample(), *(self._info(r) for r in rows)]

    def list_versions(self, name: str) -> list[VersionInfo]:
        if name == SAMPLE_NAME:
            return files.FileStore().list_versions(name)
        slug = files.slugify(name)
        with self._conn() as conn:
            rows = conn.execute(f"SELECT {self._COLUMNS} FROM kotaku.versions v JOIN kotaku.metadata m "
                                "ON m.dataset = v.dataset AND m.version = v.version WHERE v.dataset = %s "
                                "ORDER BY v.version", [slug]).fetchall()
        return [self._info(r) for r in rows]

    def history(self, name: str) -> list[VersionInfo]:
        if name == SAMPLE_NAME:
            return files.FileStore().history(name)
        slug = files.slugify(name)
        with self._conn() as conn:
            rows = conn.execute(f"SELECT {self._COLUMNS}, m.dataset IS NOT NULL FROM kotaku.versions v "
                                "LEFT JOIN kotaku.metadata m ON m.dataset = v.dataset AND m.version = v.version "
                                "WHERE v.dataset = %s ORDER BY v.version", [slug]).fetchall()
        return [self._info(r, kept=bool(r[10])) for r in rows]

    def load(self, name: str, version: int | None = None) -> Dataset:
        if name == SAMPLE_NAME:
            return files.FileStore().load(name, version)
        slug = files.slugify(name)
        with self._conn() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")  # one snapshot
            return self._read(conn, slug, name, version)

    def _read(self, conn: psycopg.Connection, slug: str, name: str, version: int | None) -> Dataset:
        if version is None:
            row = conn.execute("SELECT version FROM kotaku.latest WHERE dataset = %s", [slug]).fetchone()
            if row is None:
                raise StoreError(key="store.no_dataset", name=name)
            version = row[0]
        row = conn.execute("SELECT meta, layers FROM kotaku.metadata WHERE dataset = %s AND version = %s",
                           [slug, version]).fetchone()
        if row is None:
            raise StoreError(key="store.no_version", name=name, version=version)
        meta, layers = row
        out: dict = {}
        with conn.cursor() as cur:
            for table in (*frames.BOUNDARIES, *frames.TABLES):
                if table in layers:
                    out[table] = frames.read(cur, table, slug, version, layers[table])
            display = {key: frames.read(cur, "display_layers", slug, version, schema, layer=key)
                       for key, schema in sorted(layers.get("display", {}).items())}
        return Dataset(meta=DatasetMeta.from_dict(meta), kelurahan=out["kelurahan"], kecamatan=out["kecamatan"],
                       assessments=out.get("assessments", pd.DataFrame()), kawasan=out.get("kawasan"),
                       investments=out.get("investments"), commitments=out.get("commitments"), display=display)

    # ---- writing ----
    def save(self, dataset: Dataset, name: str | None = None, *, author: str = "", note: str = "",
             base_version: int | None = None, keep: int = KEEP_VERSIONS, new_dataset: bool | None = None,
             restored_from: int | None = None) -> VersionInfo:
        typed = name or dataset.meta.name
        slug = files.slugify(typed)
        if slug == SAMPLE_NAME:
            raise StoreError(key="store.sample_read_only")
        with self._conn() as conn, conn.transaction():
            self._lock_dataset(conn, slug)
            latest = self._latest(conn, slug)
            if latest is None and new_dataset is False:
                raise StoreError(key="store.no_dataset", name=typed)
            if latest is not None:
                existing = latest.display_name or slug
                if new_dataset:
                    raise NameClashError(key="store.exists", name=typed, existing=existing, slug=slug)
                if new_dataset is None and typed not in (slug, existing):
                    raise NameClashError(key="store.name_clash", name=typed, existing=existing, slug=slug)
            current = latest.version if latest is not None else None
            if base_version is not None and base_version != current:
                raise ConflictError(latest=latest, key="store.conflict",
                                    name=latest.display_name if latest else slug, base=base_version,
                                    version=current or 0, author=(latest.author if latest else "") or "?",
                                    saved=latest.saved if latest else "?")
            ds = files._prepare(dataset, slug, typed)
            previous = self._read(conn, slug, typed, current) if current is not None else None
            info = VersionInfo(slug, 0, None, _now(), author=author.strip()[:80], note=note.strip()[:500],
                               changes=_changes.diff(previous, ds), display_name=ds.meta.display_name,
                               status=ds.meta.status, based_on=current, restored_from=restored_from)
            info = self._insert(conn, slug, ds, info)
            self._prune(conn, slug, keep)
        return info

    def put_version(self, name: str, dataset: Dataset | None, info: VersionInfo) -> VersionInfo:
        """Write `dataset` as version `info.version` with its record unchanged (for `store copy`);
        `dataset=None` writes the history line of a pruned version only."""
        slug = files.slugify(name)
        if slug == SAMPLE_NAME:
            raise StoreError(key="store.sample_read_only")
        with self._conn() as conn, conn.transaction():
            self._lock_dataset(conn, slug)
            return self._insert(conn, slug, dataset, info, number=info.version)

    def restore(self, name: str, version: int, *, author: str = "", note: str = "") -> VersionInfo:
        dataset = self.load(name, version)
        return self.save(dataset, files.slugify(name), author=author, note=note, new_dataset=False,
                         restored_from=version)

    def delete_version(self, name: str, version: int) -> None:
        slug = files.slugify(name)
        with self._conn() as conn, conn.transaction():
            self._lock_dataset(conn, slug)
            cur = conn.execute("DELETE FROM kotaku.metadata WHERE dataset = %s AND version = %s", [slug, version])
            if cur.rowcount == 0 or name == SAMPLE_NAME:
                raise StoreError(key="store.no_version", name=name, version=version)

    def cleanup(self) -> list[str]:
        return []  # nothing half-written survives a rolled-back transaction

    @staticmethod
    def _lock_dataset(conn: psycopg.Connection, slug: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["kotaku:" + slug])

    def _latest(self, conn: psycopg.Connection, slug: str) -> VersionInfo | None:
        row = conn.execute(f"SELECT {self._COLUMNS} FROM kotaku.versions v JOIN kotaku.latest l "
                           "ON l.dataset = v.dataset AND l.version = v.version WHERE v.dataset = %s",
                           [slug]).fetchone()
        return self._info(row) if row else None

    def _insert(self, conn: psycopg.Connection, slug: str, ds: Dataset | None, info: VersionInfo,
                number: int | None = None) -> VersionInfo:
        created = conn.execute("INSERT INTO kotaku.datasets (name) VALUES (%s) ON CONFLICT (name) DO NOTHING "
                               "RETURNING name", [slug]).fetchone()
        if number is None:
            number = conn.execute("UPDATE kotaku.datasets SET last_version = last_version + 1 WHERE name = %s "
                                  "RETURNING last_version", [slug]).fetchone()[0]
        else:
            conn.execute("UPDATE kotaku.datasets SET last_version = greatest(last_version, %s) WHERE name = %s",
                         [number, slug])
        rec = {**info.record(), "version": number}
        conn.execute("INSERT INTO kotaku.versions (dataset, version, saved, author, note, changes, display_name, "
                     "status, based_on, restored_from) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                     [slug, number, rec["saved"], rec["author"], rec["note"], psycopg.types.json.Jsonb(rec["changes"]),
                      rec["display_name"], rec["status"], rec["based_on"], rec["restored_from"]])
        if ds is None:
            return replace(info, version=number, path=None, kept=False)
        conn.execute("INSERT INTO kotaku.metadata (dataset, version, meta, layers) VALUES (%s, %s, %s, '{}')",
                     [slug, number, psycopg.types.json.Jsonb(ds.meta.to_dict())])
        layers: dict = {}
        with conn.cursor() as cur:
            for table in (*frames.BOUNDARIES, *frames.TABLES):
                frame = getattr(ds, table)
                if frame is None or (table not in ("kelurahan", "kecamatan") and frame.empty):
                    continue
                layers[table] = frames.write(cur, table, slug, number, frame)
            layers["display"] = {key: frames.write(cur, "display_layers", slug, number, layer, layer=key)
                                 for key, layer in (ds.display or {}).items()}
        conn.execute("UPDATE kotaku.metadata SET layers = %s WHERE dataset = %s AND version = %s",
                     [psycopg.types.json.Jsonb(layers), slug, number])
        if created or not conn.execute("SELECT 1 FROM pg_views WHERE schemaname = 'kotaku_latest' AND viewname = %s",
                                        [view_name(slug, "kelurahan")]).fetchone():
            self._ensure_views(conn, slug)
        return VersionInfo(slug, number, None, rec["saved"], author=rec["author"], note=rec["note"],
                           changes=rec["changes"], display_name=rec["display_name"] or slug, status=rec["status"],
                           based_on=rec["based_on"], restored_from=rec["restored_from"])

    @staticmethod
    def _prune(conn: psycopg.Connection, slug: str, keep: int) -> None:
        conn.execute("DELETE FROM kotaku.metadata WHERE dataset = %s AND version NOT IN (SELECT version FROM "
                     "kotaku.metadata WHERE dataset = %s ORDER BY version DESC LIMIT %s)", [slug, slug, max(keep, 1)])

    @staticmethod
    def _ensure_views(conn: psycopg.Connection, slug: str) -> None:
        """kotaku_latest.<slug>_<layer>: the latest kept version's rows (QGIS opens these live)."""
        for layer in VIEW_LAYERS:
            keys = frames.KEY_COLUMNS[layer]
            geo = ", t.geom" if layer in frames.BOUNDARIES else ""
            cols = sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in ["fid", *keys, "attrs"])
            conn.execute(sql.SQL(
                "CREATE OR REPLACE VIEW kotaku_latest.{view} AS SELECT {cols}" + geo + " FROM kotaku.{table} t "
                "JOIN kotaku.latest l ON l.dataset = t.dataset AND l.version = t.version WHERE t.dataset = {name}"
            ).format(view=sql.Identifier(view_name(slug, layer)), cols=cols, table=sql.Identifier(layer),
                     name=sql.Literal(slug)))


def view_name(slug: str, layer: str) -> str:
    """`<slug>_<layer>`, shortened with a hash when longer than PostgreSQL's 63-byte identifiers."""
    name = f"{slug}_{layer}"
    if len(name.encode("utf-8")) <= 63:
        return name
    digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
    head = slug.encode("utf-8")[:63 - len(layer) - 10].decode("utf-8", "ignore")
    return f"{head}_{digest}_{layer}"


def describe(url: str) -> str:
    """The URL with credentials masked, for logs and the CLI."""
    return mask_url(url)

