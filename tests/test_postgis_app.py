"""The app on the shared store: with KOTAKU_DATABASE_URL set it lists and loads datasets from PostGIS and
picks up another process's save at the next rerun; with a bad URL it says so once, in the user's
language, without credentials, and keeps working on the local data folder."""
from __future__ import annotations

import copy
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests import pg_cluster as pgc
from tests.factories import tiny_dataset
from utils import store
from utils.core.i18n import t
from utils.store import postgis

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def sidebar_text(at: AppTest) -> str:
    return "\n".join([c.value for c in at.sidebar.caption] + [e.value for e in at.error])


def all_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "error", "info", "warning", "success", "text", "title", "header", "subheader",
             "code", "metric")
    parts = [str(getattr(el, "value", "")) for kind in kinds for el in at.get(kind)]
    parts += [str(o) for sb in at.selectbox for o in sb.options]
    return "\n".join(parts)


def test_the_app_loads_a_dataset_from_postgis_and_sees_a_new_version(pg_url, monkeypatch):
    other_process = postgis.PostgisStore(pg_url)  # a second connection, as another app process would have
    ds = tiny_dataset("dari_pg")
    postgis.open_store(pg_url).save(ds, author="Ani")
    monkeypatch.setenv(store.DATABASE_ENV, pg_url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert "dari_pg" in at.selectbox(key="dataset_name").options
    at.selectbox(key="dataset_name").set_value("dari_pg").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert t("sidebar.version", "id", version=1, saved="")[:-1] in sidebar_text(at)
    changed = copy.deepcopy(ds)
    changed.meta.target_year = 2029
    other_process.save(changed, "dari_pg", author="Budi", base_version=1)
    at.run()
    assert t("sidebar.version", "id", version=2, saved="")[:-1] in sidebar_text(at)


def test_a_bad_database_url_shows_one_message_and_falls_back_to_the_folder(pg_cluster, monkeypatch):
    local = tiny_dataset("lokal")
    store.files.FileStore().save(local)  # the private file store of this test
    url = f"postgresql://{pgc.USER}:salah-sandi@127.0.0.1:{pg_cluster.port}/{pgc.DATABASE}"
    monkeypatch.setenv(store.DATABASE_ENV, url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "menolak login" in errors[0], errors  # Bahasa Indonesia first
    assert "lokal" in at.selectbox(key="dataset_name").options  # the file store answers instead
    assert t("pgstore.fallback", "id") in sidebar_text(at)
    everything = all_text(at)
    assert "menolak login" in everything
    assert "salah-sandi" not in everything and f"{pgc.USER}:" not in everything
    at.segmented_control(key="lang").set_value("en").run()
    assert any("refused the login" in e.value for e in at.error)
