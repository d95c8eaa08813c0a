"""`python -m utils summary`: the same figures as the pages, as a table or JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import tiny_dataset
from utils import store
from utils.__main__ import main

PROJECT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(["summary", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_json_of_a_stored_dataset(capsys):
    store.save(tiny_dataset(name="tiny"))
    rc, out, _ = run(capsys, "--dataset", "tiny", "--json")
    assert rc == 0
    data = json.loads(out)
    period = data["periods"][0]
    assert [y["year"] for y in period["years"]] == [2020, 2021]
    assert [y["slum_ha"] for y in period["years"]] == [3.25, 2.0]
    assert period["years"][1]["reduced_ha"] == 1.25 and period["years"][0]["reduced_ha"] is None
    assert period["years"][0]["kelurahan_per_category"] == {"KB": 1, "KS": 0, "KR": 1, "TK": 0}
    assert period["years"][1]["water_access_pct"] == 70.0
    assert period["pace"]["status"] == "on_track" and period["pace"]["projected_year"] == 2023


def test_text_table_in_both_languages(capsys):
    store.save(tiny_dataset(name="tiny"))
    rc, out, _ = run(capsys, "--dataset", "tiny")
    assert rc == 0
    assert "Periode SK 1" in out and "3,25" in out and "1,25" in out
    rc, out, _ = run(capsys, "--dataset", "tiny", "--lang", "en")
    assert "SK period 1" in out and "3.25" in out and "reached around 2023 (on track)" in out


def test_unknown_dataset_is_a_message_and_exit_1(capsys):
    rc, out, err = run(capsys, "--dataset", "nope")
    assert rc == 1 and "Dataset tidak ditemukan: nope" in err and "Traceback" not in err


@pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")
def test_the_sample_by_default_as_a_real_command():
    proc = subprocess.run([sys.executable, "-m", "utils", "summary", "--json"], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    years = {(p["sk_period"], y["year"]): y for p in data["periods"] for y in p["years"]}
    assert years[("1", 2019)]["slum_ha"] == 27.99
    assert years[("1", 2019)]["reduced_since_baseline_ha"] == 52.88
    assert years[("2", 2024)]["slum_ha"] == 117.51
    assert years[("2", 2025)]["slum_ha"] == 115.09
    assert data["periods"][1]["pace"]["projected_year"] == 2073
