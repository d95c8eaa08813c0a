"""What only the PostGIS store has: SQL safety, crash safety, connection errors, migrations, live views
for QGIS, read-only viewers, and moving datasets between the folder and the database."""
from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

from tests import pg_cluster as pgc
from tests.factories import tiny_dataset
from tests.test_store_backends import rich_dataset, same_frames
from utils import store
from utils.cli import store_cmd
from utils.store import files, postgis

PROJECT = Path(__file__).resolve().parents[1]
TABLES = ("kelurahan", "kecamatan", "kawasan", "assessments", "investments", "commitments")


@pytest.fixture
def pg(pg_url):
    return postgis.open_store(pg_url)


def count(url: str, query: str, params=()) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchone()[0]


def test_a_hostile_dataset_name_is_only_data(pg, pg_url):
    hostile = "x'); DROP TABLE assessments;--"
    info = pg.save(tiny_dataset(), hostile, author="Robert'); DROP TABLE kotaku.versions;--")
    assert count(pg_url, "SELECT count(*) FROM kotaku.assessments") == 4  # the table is there, with its rows
    assert count(pg_url, "SELECT count(*) FROM kotaku.versions") == 1
    assert pg.load(hostile).meta.display_name == hostile  # kept exactly as typed
    assert pg.list_versions(hostile)[0].author == "Robert'); DROP TABLE kotaku.versions;--"
    assert info.name == files.slugify(hostile)
    with pytest.raises(store.StoreError):
        pg.load("y'; DELETE FROM kotaku.metadata;--")
    assert count(pg_url, "SELECT count(*) FROM kotaku.metadata") == 1


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from tests.factories import tiny_dataset
    from utils.store import postgis, postgis_frames
    original = postgis_frames.write
    def slow(cur, table, *args, **kw):
        out = original(cur, table, *args, **kw)
        if table == "kelurahan":
            print("MIDSAVE", flush=True)
            time.sleep(120)
        return out
    postgis_frames.write = slow
    ds = tiny_dataset("mati")
    ds.kelurahan.loc[0, "kelurahan"] = "setengah"
    postgis.open_store(sys.argv[1]).save(ds, "mati", author="terbunuh")
""")


def test_a_process_killed_mid_save_leaves_the_last_version_intact(pg, pg_url):
    pg.save(tiny_dataset("mati"), author="awal")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, pg_url], cwd=PROJECT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "MIDSAVE", proc.stderr.read()
        assert count(pg_url, "SELECT count(*) FROM kotaku.kelurahan") == 3  # the half-written rows are invisible
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert [v.version for v in pg.list_versions("mati")] == [1]
    assert pg.load("mati").kelurahan["kelurahan"].iloc[0] == "Alfa"
    started = time.monotonic()
    info = pg.save(tiny_dataset("mati"), "mati", author="berikut", base_version=1)  # the lock was released
    assert info.version == 2 and time.monotonic() - started < 30
    assert count(pg_url, "SELECT count(*) FROM kotaku.kelurahan WHERE dataset = 'mati'") == 6


def _problem(url: str) -> postgis.PgStoreError:
    with pytest.raises(postgis.PgStoreError) as err:
        postgis.open_store(url)
    return err.value


@pytest.mark.parametrize("case", ["bad_url", "auth", "unreachable", "no_database", "no_postgis"])
def test_connection_problems_give_one_clear_bilingual_message_without_credentials(pg_cluster, case):
    port = pg_cluster.port
    urls = {
        "bad_url": "postgresql://kotaku:rahasia-1@127.0.0.1:notaport/kotaku",
        "auth": f"postgresql://kotaku:rahasia-2@127.0.0.1:{port}/{pgc.DATABASE}",
        "unreachable": f"postgresql://kotaku:rahasia-3@127.0.0.1:{pgc._free_port()}/kotaku",
        "no_database": f"postgresql://kotaku:{pgc.PASSWORD}@127.0.0.1:{port}/tidak_ada",
        "no_postgis": f"postgresql://{pgc.VIEWER}:{pgc.VIEWER_PASSWORD}@127.0.0.1:{port}/{pgc.NO_POSTGIS_DATABASE}",
    }
    expected = {"bad_url": "pgstore.bad_url", "auth": "pgstore.auth", "unreachable": "pgstore.unreachable",
                "no_database": "pgstore.no_database", "no_postgis": "pgstore.no_postgis"}
    err = _problem(urls[case])
    assert err.key == expected[case]
    text = str(err)
    id_text, en_text = err.message("id"), err.message("en")
    assert id_text != en_text and text == f"{id_text} / {en_text}"
    for secret in ("rahasia", pgc.PASSWORD, pgc.VIEWER_PASSWORD, "kotaku:", f"{pgc.VIEWER}:"):
        assert secret not in text
    assert "Traceback" not in text


def test_mask_url_hides_user_and_password():
    assert postgis.mask_url("postgresql://ani:s3cret@db.example:5432/kotaku") == "postgresql://***@db.example:5432/kotaku"
    assert "s3cret" not in postgis.mask_url("host=db user=ani password=s3cret dbname=kotaku")


def test_migrations_run_once_and_are_recorded(pg_url):
    store_ = postgis.open_store(pg_url)
    with psycopg.connect(pg_url) as conn:
        assert postgis.migrate(conn) == []  # already applied by open_store
        rows = conn.execute("SELECT version, name FROM kotaku.schema_version ORDER BY version").fetchall()
        assert rows == [(n, name) for n, name, _ in postgis.migrations()]
        gist = conn.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'kotaku' "
                            "AND indexdef ILIKE '%USING gist (geom)%'").fetchone()[0]
        geomtype = conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'kotaku' "
                                "AND f_table_name = 'kelurahan'").fetchone()
    assert gist == 4 and geomtype == ("MULTIPOLYGON", 4326)
    assert all(i.builtin for i in store_.list_datasets())  # a fresh database: only the embedded sample


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is missing (apt-get install gdal-bin)")
def test_qgis_sees_the_latest_version_live_through_the_view(pg, pg_cluster, pg_url):
    ds = tiny_dataset("provinsi")
    pg.save(ds, author="Ani")
    dbname = pg_url.rsplit("/", 1)[1]
    conn = (f"PG:host=127.0.0.1 port={pg_cluster.port} dbname={dbname} user={pgc.USER} "
            f"password={pgc.PASSWORD} schemas=kotaku_latest")
    layer = postgis.view_name("provinsi", "kelurahan")

    def ogrinfo() -> str:
        done = subprocess.run(["ogrinfo", "-ro", "-so", conn, layer], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    out = ogrinfo()
    assert "Geometry: Multi Polygon" in out and "Feature Count: 3" in out and "kode_kel" in out
    smaller = copy.deepcopy(ds)
    smaller.kelurahan = smaller.kelurahan.iloc[:2].copy()
    pg.save(smaller, "provinsi", author="Budi", base_version=1)
    assert "Feature Count: 2" in ogrinfo()  # the same layer, now the new version


def test_a_read_only_viewer_role_reads_but_cannot_save(pg, pg_cluster, pg_url):
    pg.save(tiny_dataset("baca"), author="Ani")
    dbname = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"GRANT CONNECT ON DATABASE {dbname} TO {pgc.VIEWER}")
        conn.execute(f"GRANT USAGE ON SCHEMA kotaku, kotaku_latest TO {pgc.VIEWER}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA kotaku, kotaku_latest TO {pgc.VIEWER}")
    viewer = postgis.open_store(pg_cluster.url_for(dbname).replace(f"{pgc.USER}:{pgc.PASSWORD}",
                                                                   f"{pgc.VIEWER}:{pgc.VIEWER_PASSWORD}"))
    assert viewer.load("baca").kelurahan["kelurahan"].tolist() == ["Alfa", "Beta", "Gamma"]
    with pytest.raises(postgis.PgStoreError) as err:
        viewer.save(tiny_dataset("baca"), "baca", author="viewer")
    assert err.value.key == "pgstore.read_only"
    assert [v.version for v in pg.list_versions("baca")] == [1]


def test_copy_to_the_database_and_back_leaves_every_table_identical(tmp_path, pg_url, monkeypatch):
    monkeypatch.delenv(store.DATABASE_ENV, raising=False)
    folder = tmp_path / "asal"
    src = files.FileStore(folder)
    ds = rich_dataset("pindah")
    src.save(ds, "pindah", author="Ani", note="impor")
    second = copy.deepcopy(ds)
    second.kelurahan.loc[0, "kelurahan"] = "Alfa Baru"
    src.save(second, "pindah", author="Budi", note="ejaan", base_version=1)
    assert store_cmd.run(_args("copy", "pindah", str(folder), pg_url)) == 0
    back = tmp_path / "kembali"
    assert store_cmd.run(_args("copy", "pindah", pg_url, str(back))) == 0
    again = files.FileStore(back)
    pg = postgis.open_store(pg_url)
    for target in (pg, again):
        assert [(h.version, h.author, h.note, h.saved, h.based_on) for h in target.history("pindah")] == \
            [(h.version, h.author, h.note, h.saved, h.based_on) for h in src.history("pindah")]
        for v in (1, 2):
            a, b = src.load("pindah", v), target.load("pindah", v)
            for table in TABLES:
                same_frames(getattr(a, table), getattr(b, table))
            assert set(a.display) == set(b.display)
            for key in a.display:
                same_frames(a.display[key], b.display[key])
            assert a.meta == b.meta
    # the target already has it: refused, nothing changed
    assert store_cmd.run(_args("copy", "pindah", str(folder), pg_url)) == 1
    assert [v.version for v in pg.list_versions("pindah")] == [1, 2]


def _args(action: str, name: str, source: str, target: str):
    import argparse

    return argparse.Namespace(action=action, name=name, source=source, target=target, new_name=None, lang="en")


def test_the_cli_runs_as_a_module(pg_url, tmp_path):
    env = dict(os.environ, KOTAKU_DATA_DIR=str(tmp_path / "kosong"))
    env.pop(store.DATABASE_ENV, None)
    done = subprocess.run([sys.executable, "-m", "utils", "store", "list", "--source", pg_url], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    bad = subprocess.run([sys.executable, "-m", "utils", "store", "list", "--source",
                          "postgresql://ani:rahasia@127.0.0.1:1/x"], cwd=PROJECT, capture_output=True, text=True,
                         timeout=120, env=env)
    assert bad.returncode == 1 and "rahasia" not in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
