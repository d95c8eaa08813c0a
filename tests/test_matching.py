"""Matching table rows to boundaries: codes in any form, normalised names, fuzzy suggestions, nothing dropped."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.import_files import kelurahan
from utils.io.matching import match_rows, normalise_code, normalise_name


@pytest.mark.parametrize("value,expected", [
    ("35.75.04.1013", "35.75.04.1013"), ("3575041013", "35.75.04.1013"), (3575041013, "35.75.04.1013"),
    (3575041013.0, "35.75.04.1013"), ("3575041013.0", "35.75.04.1013"), ("35 75 04 1013", "35.75.04.1013"),
    ("35.75.4.1013", "35.75.04.1013"), ("357504", "35.75.04"), ("35.75", "35.75"),
    ("abc", None), ("", None), (None, None), (float("nan"), None), ("35750410", None),
])
def test_codes_in_any_form(value, expected):
    assert normalise_code(value) == expected


@pytest.mark.parametrize("a,b", [
    ("Tambaan", "Tamba'an"), ("Bugulkidul", "Bugul Kidul"), ("Kandang Sapi", "Kandangsapi"),
    ("Kel. Trajeng", "TRAJENG"), ("Kelurahan  Bugul  Lor", "bugul lor"), ("Tapa’an", "Tapaan"), ("Désa X", "x"),
])
def test_name_variants(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_rows_match_by_code_then_name_and_the_rest_get_suggestions(shared_data):
    b = kelurahan(shared_data).rename(columns={"kode": "kode_kel"})
    table = pd.DataFrame({
        "kode_kel": ["3575041001", 3575041002, None, None, "99.99.99.9999", None, None],
        "kelurahan": ["x", "y", "Kel. TAMBAAN", "Bugulkidul", "Tembokrejo", "Tembokrjo", "Atlantis"],
    })
    res = match_rows(table, b, row_labels=pd.Series(range(2, 9)))
    names = dict(zip(b["kode_kel"], b["kelurahan"]))
    matched = [names.get(c) if isinstance(c, str) else None for c in res.kode_kel]
    assert matched[:5] == [names["35.75.04.1001"], names["35.75.04.1002"], "Tamba'an", "Bugul Kidul", "Tembokrejo"]
    assert res.method.tolist()[:5] == ["code", "code", "name", "name", "name"]
    assert res.code_mismatch == [(6, "99.99.99.9999", "35.75.02.1003")]  # wrong code, right name: flagged
    assert [(u.row, u.name) for u in res.unmatched] == [(7, "Tembokrjo"), (8, "Atlantis")]
    assert res.unmatched[0].suggestions[0][:2] == ("35.75.02.1003", "Tembokrejo")
    assert res.n_matched == 5 and len(res.kode_kel) == len(table)  # nothing dropped
