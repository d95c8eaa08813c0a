"""A throwaway PostgreSQL + PostGIS cluster for tests and for a developer's shell.

Started with the Debian binaries (`initdb`, `pg_ctl`) in a temporary folder, on a free local port
(127.0.0.1 only, password auth) and a socket in the same folder. PostgreSQL refuses to run as root,
so as root the folder is handed to the `postgres` user and the binaries run through `runuser`.

    python -m tests.pg_cluster          # start one, print its URL, stop it on Ctrl-C
    KOTAKU_REQUIRE_PG=1 python -m pytest -q tests/test_store_backends.py   # the suite starts its own
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "kotaku"
PASSWORD = "kotaku-test-pw"
DATABASE = "kotaku"
NO_POSTGIS_DATABASE = "kotaku_nopostgis"
TEMPLATE = "kotaku_template"  # PostGIS enabled, never connected to, copied for each test
VIEWER = "kotaku_viewer"  # a plain login role (not superuser): cannot create the PostGIS extension
VIEWER_PASSWORD = "viewer-test-pw"
RUN_AS = "postgres"  # the unprivileged account used when the tests run as root


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL can be started here; the message says why (shown as the skip reason)."""


@dataclass
class Cluster:
    folder: Path
    bindir: Path
    port: int
    prefix: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def url_for(self, database: str, password: str = PASSWORD) -> str:
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new database copied from the PostGIS template; its URL (as the superuser `kotaku`)."""
        import psycopg

        self.count = getattr(self, "count", 0) + 1
        name = f"test_{os.getpid()}_{self.count}"
        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url_for(name)

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(on_path)
    for c in candidates:
        if Path(c).exists() and (Path(c).parent / "pg_ctl").exists():
            return Path(c).parent
    raise ClusterUnavailable("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql "
                             "postgresql-15-postgis-3")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ClusterUnavailable(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-400:]}")


def start() -> Cluster:
    """Init, start and prepare a cluster (databases `kotaku` with PostGIS, `kotaku_nopostgis` without)."""
    bindir = find_bindir()
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="kotaku-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(RUN_AS)
        except KeyError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise ClusterUnavailable(f"running as root and there is no unprivileged '{RUN_AS}' user") from exc
        runuser = shutil.which("runuser") or shutil.which("setpriv")
        if runuser is None:
            raise ClusterUnavailable("running as root and neither runuser nor setpriv is available")
        if runuser.endswith("runuser"):
            prefix = [runuser, "-u", RUN_AS, "--"]
        else:
            prefix = [runuser, f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups"]
        os.chmod(folder, 0o700)
        os.chown(folder, account.pw_uid, account.pw_gid)
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if prefix:
        os.chown(pwfile, pwd.getpwnam(RUN_AS).pw_uid, pwd.getpwnam(RUN_AS).pw_gid)
    port = _free_port()
    cluster = Cluster(folder, bindir, port, prefix)
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(folder / "data"), "-U", USER, f"--pwfile={pwfile}",
              "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
              "--no-sync"], "initdb")
        opts = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=200")
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-o", opts,
              "-l", str(folder / "server.log"), "-w", "-t", "60", "start"], "pg_ctl start")
        _prepare(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _prepare(cluster: Cluster) -> None:
    import psycopg

    deadline = time.time() + 30
    while True:
        try:
            conn = psycopg.connect(cluster.url_for("postgres"), autocommit=True, connect_timeout=5)
            break
        except psycopg.OperationalError as exc:
            if time.time() > deadline:
                raise ClusterUnavailable(f"the test cluster does not accept connections: {exc}") from exc
            time.sleep(0.3)
    with conn:
        for name in (DATABASE, NO_POSTGIS_DATABASE, TEMPLATE):
            conn.execute(f"CREATE DATABASE {name}")
        conn.execute(f"CREATE ROLE {VIEWER} LOGIN PASSWORD '{VIEWER_PASSWORD}'")
    for name in (DATABASE, TEMPLATE):
        with psycopg.connect(cluster.url_for(name), autocommit=True) as conn:
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except psycopg.Error as exc:
                raise ClusterUnavailable(f"PostGIS is not installed for this PostgreSQL: {exc}") from exc
    with psycopg.connect(cluster.url_for(NO_POSTGIS_DATABASE), autocommit=True) as conn:
        conn.execute(f"GRANT ALL ON SCHEMA public TO {VIEWER}")


def main() -> None:
    import signal

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill PID` also stops the cluster
    cluster = start()
    print(f"PostgreSQL + PostGIS running in {cluster.folder}", flush=True)
    print(f"export KOTAKU_DATABASE_URL={cluster.url}", flush=True)
    print("Ctrl-C stops it and deletes the folder.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
