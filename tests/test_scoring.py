"""Scoring against the worked example and the band edges of KOTAKU_METHOD.md."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from utils.method.criteria import CRITERION_IDS, class_for_total, score_for_percent
from utils.method.scoring import LegacyMethodError, UnusableInputError, score

DENOMS = dict(area_ha=1.51, buildings=63, population=260, households=65, road_length_m=340.5, drainage_length_m=350.5)
WORKED_PCT = {"1a": 25.4, "2a": 43.17, "2b": 56.83, "3a": 100, "4a": 42.51, "4b": 97.15, "4c": 2.85,
              "6a": 100, "7a": 100, "7b": 100}
WORKED_SCORES = [1, 0, 0, 1, 3, 5, 0, 1, 5, 0, 0, 0, 5, 0, 5, 5]


def pct_row(pcts: dict[str, float], **extra) -> dict:
    return {**DENOMS, **{f"p_{c}": pcts.get(c, 0.0) for c in CRITERION_IDS}, **extra}


def test_worked_example_from_percentages():
    out = score(pd.DataFrame([pct_row(WORKED_PCT)])).frame.iloc[0]
    assert [int(out[f"n_{c}"]) for c in CRITERION_IDS] == WORKED_SCORES
    assert out["total_score"] == 31
    assert out["category"] == "KR"
    assert out["slum_ha"] == pytest.approx(1.51)
    assert out["water_access_pct"] == 0.0 and out["sanitation_access_pct"] == 100.0


def test_worked_example_from_volumes():
    # volumes reconstructed from the percentages and the RT's denominators
    vols = {"1a": 16, "2a": 147.0, "2b": 193.5, "3a": 65, "4a": 0.6419, "4b": 340.5, "4c": 10.0,
            "6a": 65, "7a": 63, "7b": 63}
    row = {**DENOMS, **{f"v_{c}": vols.get(c, 0) for c in CRITERION_IDS}}
    out = score(pd.DataFrame([row])).frame.iloc[0]
    assert out["p_1a"] == pytest.approx(25.4, abs=0.01)
    assert out["p_2a"] == pytest.approx(43.17, abs=0.01)
    assert [int(out[f"n_{c}"]) for c in CRITERION_IDS] == WORKED_SCORES
    assert (out["total_score"], out["category"]) == (31, "KR")


@pytest.mark.parametrize("pct,expected", [
    (75.00, 3), (75.91, 3), (75.994, 3), (75.995, 5), (76.0, 5), (100.0, 5),
    (50.67, 1), (50.91, 1), (50.995, 3), (51.0, 3), (53.57, 3),
    (25.0, 1), (25.4, 1), (24.995, 1), (24.99, 0), (21.05, 0), (0.0, 0),
    (175.0, 5), (-3.0, 0),
])
def test_band_edges(pct, expected):
    frame = score(pd.DataFrame([pct_row({"1a": pct})])).frame
    assert int(frame["n_1a"].iloc[0]) == expected
    assert score_for_percent(pct) == expected  # scalar helper agrees with the vectorised engine


@pytest.mark.parametrize("total,expected", [(80, "KB"), (60, "KB"), (59, "KS"), (38, "KS"), (37, "KR"),
                                            (16, "KR"), (15, "TK"), (0, "TK")])
def test_class_edges(total, expected):
    assert class_for_total(total) == expected
    # build a row with exactly `total`: k criteria at 5, one at 3 or 1 for the remainder
    fives, rest = divmod(total, 5)
    pcts = {c: 100.0 for c in CRITERION_IDS[:fives]}
    extra = {4: [3, 1], 3: [3], 2: [1, 1], 1: [1], 0: []}[rest]
    for c, s in zip(CRITERION_IDS[fives:], extra):
        pcts[c] = {3: 60.0, 1: 30.0}[s]
    out = score(pd.DataFrame([pct_row(pcts)])).frame.iloc[0]
    assert out["total_score"] == total
    assert out["category"] == expected
    assert out["slum_ha"] == (0.0 if expected == "TK" else pytest.approx(1.51))


def test_impossible_values_are_clamped_and_reported():
    res = score(pd.DataFrame([pct_row({"1a": 175.0, "2a": -4.0})]))
    row = res.frame.iloc[0]
    assert row["p_1a"] == 100.0 and row["n_1a"] == 5
    assert row["p_2a"] == 0.0 and row["n_2a"] == 0
    keys = sorted(f.key for f in res.findings)
    assert keys == ["finding.pct_negative", "finding.pct_over_100"]
    assert "175" in res.findings[[f.key for f in res.findings].index("finding.pct_over_100")].message("en")


def test_zero_denominator_gives_zero_and_a_finding():
    row = {**DENOMS, "households": 0, **{f"v_{c}": 0 for c in CRITERION_IDS}}
    row["v_3a"] = 12
    res = score(pd.DataFrame([row]))
    assert res.frame["p_3a"].iloc[0] == 0.0
    [finding] = [f for f in res.findings if f.key == "finding.zero_denominator"]
    assert finding.params["criterion"] == "3a"
    assert "households" in finding.message("id")


def test_legacy_19_criteria_input_is_refused_clearly():
    frame = pd.DataFrame([pct_row({}, p_4d=10.0, p_4e=20.0, p_6c=0.0)])
    with pytest.raises(LegacyMethodError) as exc:
        score(frame)
    assert "02/2016" in exc.value.finding.message("id")
    assert "4d" in exc.value.finding.message("en")


def test_missing_criteria_columns_are_named():
    frame = pd.DataFrame([pct_row({})]).drop(columns=["p_5b", "p_7a"])
    with pytest.raises(UnusableInputError) as exc:
        score(frame)
    assert "5b, 7a" in exc.value.findings[0].message("en")


def test_vectorised_speed_and_consistency():
    rng = np.random.default_rng(1)
    n = 100_000
    frame = pd.DataFrame({f"p_{c}": rng.uniform(-5, 110, n) for c in CRITERION_IDS})
    frame["area_ha"] = rng.uniform(0.2, 4, n)
    out = score(frame).frame
    expected = np.array([[score_for_percent(v) for v in frame[f"p_{c}"].head(200)] for c in CRITERION_IDS]).T
    assert (out[[f"n_{c}" for c in CRITERION_IDS]].head(200).to_numpy() == expected).all()
    assert len(out) == n


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "utils", *args], capture_output=True, text=True, timeout=120)


def test_cli_scores_the_worked_example_from_semicolon_csv(tmp_path):
    src = tmp_path / "rt.csv"
    header = ";".join(["rt", *DENOMS, *[f"p_{c}" for c in CRITERION_IDS]])
    values = ";".join(["Tembokrejo", *[str(v).replace(".", ",") for v in DENOMS.values()],
                       *[str(WORKED_PCT.get(c, 0)).replace(".", ",") for c in CRITERION_IDS]])
    src.write_text(header + "\n" + values + "\n", encoding="utf-8")
    out = tmp_path / "scored.xlsx"
    proc = run_cli("score", str(src), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "1 baris dinilai" in proc.stdout
    scored = pd.read_excel(out)
    assert scored["total_score"].iloc[0] == 31 and scored["category"].iloc[0] == "KR"


def test_cli_unusable_input_exits_1_without_traceback(tmp_path):
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    proc = run_cli("score", str(bad), "--out", str(tmp_path / "o.csv"), "--lang", "en")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "Cannot read the file" in proc.stderr
    legacy = tmp_path / "legacy.csv"
    pd.DataFrame([pct_row({}, p_4d=1.0, p_4e=1.0, p_6c=1.0)]).to_csv(legacy, index=False)
    proc = run_cli("score", str(legacy), "--out", str(tmp_path / "o.csv"))
    assert proc.returncode == 1 and "Permen PUPR 02/2016" in proc.stderr and "Traceback" not in proc.stderr


def test_findings_stay_bounded_on_huge_inputs_and_say_how_many_more():
    frame = pd.DataFrame([pct_row({"1a": 150.0})] * 450)
    res = score(frame)
    over = [f for f in res.findings if f.key == "finding.pct_over_100"]
    [more] = [f for f in res.findings if f.key == "finding.more_rows"]
    assert len(over) == 200 and more.params["n"] == 250
    assert "250" in more.message("id")
