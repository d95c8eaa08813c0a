"""The user's per-row answers in the validation report are applied to a copy of the upload and re-checked."""
from __future__ import annotations

import pandas as pd

from tests.test_io_kotaku import kotaku_rt_workbook, rt_row
from utils.io.corrections import correct_table
from utils.method.criteria import CRITERION_IDS
from utils.store import importer


def test_take_a_suggestion_and_leave_a_row_out_in_a_workbook(tmp_path, shared_data):
    rows = [rt_row("", "Tembokrjo", "Purworejo"), rt_row("", "Atlantis", "X", rt="RT 02"),
            rt_row("35.75.01.1005", "Bukir", "Gadingrejo", rt="RT 03")]
    data = kotaku_rt_workbook(tmp_path / "rt.xlsx", rows).read_bytes()
    geo = ("k.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes())
    first = importer.prepare_uploads([geo], ("rt.xlsx", data))
    assert [u.row for u in first.match.unmatched] == [5, 6]
    assert first.match.unmatched[0].suggestions[0][:2] == ("35.75.02.1003", "Tembokrejo")
    fixed = correct_table("rt.xlsx", data, {5: ("35.75.02.1003", "Tembokrejo"), 6: None},
                          sheet=first.chosen_sheets["assessments"])
    again = importer.prepare_uploads([geo], ("rt.xlsx", fixed))
    assert again.ok, again.report.lines("en")
    assert sorted(again.dataset.assessments["kode_kel"]) == ["35.75.01.1005", "35.75.02.1003"]


def test_a_name_only_csv_gets_the_chosen_code(shared_data):
    frame = pd.DataFrame({"tahun": [2023, 2023], "kelurahan": ["Tembokrjo", "Bukir"], "area_ha": ["1,5", "2"],
                          **{f"p_{c}": [10, 20] for c in CRITERION_IDS}})
    data = frame.to_csv(index=False, sep=";").encode()
    fixed = correct_table("a.csv", data, {2: ("35.75.02.1003", "Tembokrejo")})
    assert "Kode Kelurahan" in fixed.decode().splitlines()[0]
    geo = ("k.geojson", (shared_data / "pasuruan_kelurahan.geojson").read_bytes())
    p = importer.prepare_uploads([geo], ("a.csv", fixed))
    assert p.ok, p.report.lines("en")
    assert sorted(p.dataset.assessments["kode_kel"]) == ["35.75.01.1005", "35.75.02.1003"]
    assert p.dataset.assessments["area_ha"].tolist() in ([2.0, 1.5], [1.5, 2.0])  # decimal commas kept
