"""The Kolaborasi page driven with AppTest: capture a commitment, see it saved and the gaps shrink."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from utils import store
from utils.sample.commitments import sample_commitments
from utils.ui import collab_store

PROJECT = Path(__file__).resolve().parents[1]


def open_page(**state) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page("pages/collaboration.py").run()
    assert not at.exception, at.exception
    return at


def gaps(at: AppTest) -> int:
    line = next(m.value for m in at.markdown if "celah kriteria" in m.value)
    return int(re.search(r"(\d+) celah", line).group(1))


def test_capture_on_the_sample_saves_a_copy_and_shrinks_the_gaps(private_store):
    at = open_page()
    assert at.title[0].value.startswith("Kolaborasi Kota Pasuruan")
    before = gaps(at)
    metric = {m.label: m.value for m in at.metric}
    n_before = int(metric["Komitmen tercatat"])
    # the worst kelurahan of the gap list, by name; its first offered criterion is its worst one
    first = next(d.value for d in at.dataframe if "Tanpa komitmen (ha)" in d.value.columns).iloc[0]
    kel = store.load(store.SAMPLE_NAME).kelurahan
    kode = kel.loc[kel["kelurahan"] == first.iloc[0], "kode_kel"].iloc[0]
    at.selectbox(key="collab_kel").set_value(kode).run()
    crit = at.selectbox(key=f"collab_crit_{kode}").value
    assert crit == first.iloc[3].split(" · ")[0]  # worst uncovered criterion offered first
    at.text_input(key="collab_who").input("Dinas PUPR Kota Pasuruan")
    at.number_input(key="collab_volume").set_value(10.0)
    next(b for b in at.button if b.label == "Tambah komitmen").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Tersimpan di" in s.value and "versi 1" in s.value for s in at.success), [e.value for e in at.error]
    assert gaps(at) == before - 1
    assert at.session_state["dataset_name"] == collab_store.SAMPLE_COPY
    saved = store.load(collab_store.SAMPLE_COPY).commitments
    assert len(saved) == n_before + 1
    new = saved.iloc[-1]
    assert (new["kode_kel"], new["criterion"], new["status"], float(new["volume"])) == (kode, crit, "komitmen", 10.0)
    assert {m.label: m.value for m in at.metric}["Komitmen tercatat"] == str(n_before + 1)


def test_register_is_editable_and_refuses_a_bad_cell(private_store):
    ds = tiny_dataset(name="uji")
    ds.commitments = pd.DataFrame([{"stakeholder": "PT A", "stakeholder_type": "swasta/CSR",
                                    "kode_kel": "35.75.01.1001", "criterion": "3a", "volume": 5.0, "unit": "KK",
                                    "year": 2025, "status": "komitmen", "commitment_id": "c1"}])
    store.save(ds, "uji")
    at = open_page(dataset_name="uji")
    key = "collab_editor_uji_1"
    editor = next(d for d in at.dataframe if d.key == key)
    assert editor.value["stakeholder"].tolist() == ["PT A"]
    at.session_state[key] = {"edited_rows": {0: {"volume": -3}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any("Baris 1, kolom Volume: nilai negatif" in m.value for m in at.markdown)
    save = next(b for b in at.button if b.label == "Simpan perubahan")
    assert save.disabled


def test_presentation_mode_shows_totals_per_stakeholder_type(private_store):
    ds = store.load(store.SAMPLE_NAME)
    ds.commitments = sample_commitments(ds)
    store.save(ds, "pasuruan_lokakarya")
    at = open_page(present=True, dataset_name="pasuruan_lokakarya")
    frames = [d.value for d in at.dataframe]
    totals = next(f for f in frames if "Jenis pemangku kepentingan" in f.columns)
    assert {"APBN PUPR", "Pemda OPD", "swasta/CSR"} <= set(totals["Jenis pemangku kepentingan"])
    assert any("komitmen, tersisa" in m.value for m in at.markdown)
    assert all(s.key != "collab_kel" for s in at.selectbox)  # no capture form on the projector
