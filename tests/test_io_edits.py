"""Edits made in the app go through the importer's checks: scores recomputed, bad edits refused in both languages."""
from __future__ import annotations

import pandas as pd

from tests.factories import tiny_dataset
from utils.io.edits import ASSESSMENT_KEYS, check_assessment_rows, check_investment_rows, replace_year, row_changes


def _year(ds, year=2021) -> pd.DataFrame:
    return ds.assessments.loc[ds.assessments["year"] == year].reset_index(drop=True)


def test_scores_and_categories_follow_the_typed_values():
    ds = tiny_dataset()
    rows = _year(ds)
    check = check_assessment_rows(rows, ds.kelurahan)
    assert check.ok and check.computed["category"].tolist() == ["KS", "TK"]  # 60 % on all 16 criteria; 0 %
    rows.loc[1, [c for c in rows.columns if c.startswith("p_")]] = 100.0
    check = check_assessment_rows(rows, ds.kelurahan)
    assert check.ok and check.computed["category"].tolist()[1] == "KB"
    assert check.computed["total_score"].tolist()[1] == 80
    assert check.computed["slum_ha"].tolist()[1] == 1.25


def test_an_edit_that_makes_the_data_invalid_is_refused_with_the_importers_words():
    ds = tiny_dataset()
    rows = _year(ds)
    rows.loc[0, "kode_kel"] = "35.75.09.9999"  # no such kelurahan
    rows.loc[1, "area_ha"] = -2  # a negative denominator
    rows = pd.concat([rows, rows.iloc[[1]]], ignore_index=True)  # the same unit twice
    check = check_assessment_rows(rows, ds.kelurahan)
    assert not check.ok and check.frame is None
    keys = {f.key for f in check.errors}
    assert {"import.row_unmatched", "import.negative_denominator", "import.duplicate_unit"} <= keys
    cells = check.cell_text("en")
    assert "matches no boundary" in cells[(0, "kode_kel")]
    assert "Luas Verifikasi (Ha)" in cells[(1, "area_ha")]
    assert "tidak cocok" in check.cell_text("id")[(0, "kode_kel")]


def test_investment_edits_are_checked_like_an_import():
    ds = tiny_dataset()
    inv = pd.DataFrame({"year": [2021, 1800], "kode_kel": ["35.75.01.1001", "35.75.01.1002"], "kawasan_id": ["A", "B"],
                        "rt": ["", ""], "criterion": ["Drainase", "4b"], "activity": ["x", "y"], "volume": [1, 2],
                        "unit": ["m", "m"], "budget_idr": [1_000_000, -5], "funding_source": ["APBN", "APBN"],
                        "implementer": ["", ""]})
    check = check_investment_rows(inv, ds.kelurahan)
    assert not check.ok
    assert {(1, "year"), (1, "budget_idr")} <= set(check.cells)
    ok = check_investment_rows(inv.iloc[[0]], ds.kelurahan)
    assert ok.ok and ok.frame["criterion"].tolist() == ["4a"]


def test_a_year_is_replaced_and_the_changes_counted():
    ds = tiny_dataset()
    rows = _year(ds)
    rows.loc[0, "area_ha"] = 3.0
    rows.loc[1, "rt"] = "RT 09"
    new = replace_year(ds.assessments, 2021, check_assessment_rows(rows, ds.kelurahan).frame)
    assert len(new) == len(ds.assessments) and sorted(new["year"].unique()) == [2020, 2021]
    assert new.loc[new["year"] == 2020].reset_index(drop=True)["area_ha"].tolist() == [2.0, 1.25]
    assert row_changes(ds.assessments, new, ASSESSMENT_KEYS) == {"added": 1, "changed": 1, "removed": 1}
