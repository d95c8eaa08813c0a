"""The priority method: PL bands, density bands, legality parsing, the 1-9 matrix, class A1-C6,
handling, 'not assessed' propagation, city overrides, Indonesian headers and the score command."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from utils.io.tables import map_header, read_table_file
from utils.io.validation import Report, check_assessments
from utils.method import priority
from utils.method.criteria import CRITERION_IDS
from utils.method.priority_table import (
    DEFAULT_METHOD,
    MethodOverrideError,
    method_from_overrides,
    overrides_of,
)
from utils.method.scoring import score

# a percentage that puts every criterion in one band: totals 80 (KB), 48 (KS), 16 (KR), 0 (TK)
CLASS_PCT = {"KB": 100.0, "KS": 60.0, "KR": 30.0, "TK": 0.0}


def unit(category: str = "KB", a="ada", b=None, c="ada", l9a="+", l9b="+", typology=None,
         population=500.0, area=2.0) -> dict:
    return {**{f"p_{cid}": CLASS_PCT[category] for cid in CRITERION_IDS}, "area_ha": area,
            "population": population, "pl_8a": a, "pl_8b": b, "pl_8c": c, "l_9a": l9a, "l_9b": l9b,
            "typology": typology}


def scored(*rows: dict, method=None) -> pd.DataFrame:
    res = score(pd.DataFrame(list(rows)), priority_method=method)
    assert not [f for f in res.findings if f.severity == "error"], [f.message("en") for f in res.findings]
    return res.frame


# PL level from (8a, density, 8c): ada/ada with density >200 = 15 tinggi; the levels of the matrix
PL_INPUTS = {"tinggi": ("ada", 250, "ada"), "sedang": ("ada", 100, "tidak"), "rendah": ("tidak", 100, "tidak")}
MATRIX = {("KB", "tinggi"): 1, ("KS", "tinggi"): 2, ("KR", "tinggi"): 3,
          ("KB", "sedang"): 4, ("KS", "sedang"): 5, ("KR", "sedang"): 6,
          ("KB", "rendah"): 7, ("KS", "rendah"): 8, ("KR", "rendah"): 9}
LETTER = {"KB": "A", "KS": "B", "KR": "C"}
NUMBER = {"tinggi": (1, 2), "sedang": (3, 4), "rendah": (5, 6)}
HANDLING_LEGAL = {"KB": "peremajaan", "KS": "peremajaan", "KR": "pemugaran"}


@pytest.mark.parametrize("legal", [True, False])
@pytest.mark.parametrize(("category", "level"), list(MATRIX))
def test_every_matrix_cell(category, level, legal):
    a, b, c = PL_INPUTS[level]
    sign = "+" if legal else "-"
    out = scored(unit(category, a=a, b=b, c=c, l9a="+", l9b=sign)).iloc[0]
    assert out["category"] == category and out["pl_level"] == level
    assert out["priority"] == MATRIX[(category, level)]
    assert out["priority_class"] == f"{LETTER[category]}{NUMBER[level][0 if legal else 1]}"
    assert bool(out["legal"]) is legal
    assert out["handling"] == (HANDLING_LEGAL[category] if legal else "pemukiman_kembali")
    assert out["priority_status"] == "assessed"


def test_the_matrix_is_data_and_complete():
    assert DEFAULT_METHOD.matrix == MATRIX
    assert sorted(DEFAULT_METHOD.matrix.values()) == list(range(1, 10))


@pytest.mark.parametrize(("a", "density", "c", "total", "level"), [
    ("tidak", 100, "tidak", 3, "rendah"),
    ("tidak", 160, "tidak", 5, "rendah"),   # 1 + 3 + 1: top of rendah
    ("ada", 100, "tidak", 7, "sedang"),
    ("tidak", 250, "tidak", 7, "sedang"),
    ("ada", 250, "tidak", 11, "tinggi"),    # 5 + 5 + 1: bottom of tinggi
    ("ada", 100, "ada", 11, "tinggi"),
    ("ada", 160, "ada", 13, "tinggi"),
])
def test_pl_totals_and_bands(a, density, c, total, level):
    out = scored(unit("KS", a=a, b=density, c=c)).iloc[0]
    assert out["pl_score"] == total and out["pl_level"] == level


def test_pl_band_edges_5_6_and_10_11_on_the_level_function():
    s = pd.Series([3.0, 5.0, 6.0, 10.0, 11.0, 15.0, np.nan])
    levels = priority.pl_level_of(s, DEFAULT_METHOD).tolist()
    assert levels[:6] == ["rendah", "rendah", "sedang", "sedang", "tinggi", "tinggi"]
    assert levels[6] is pd.NA


@pytest.mark.parametrize(("density", "n8b"), [(0, 1), (150, 1), (150.4, 3), (151, 3), (200, 3), (201, 5), (900, 5)])
def test_density_band_edges(density, n8b):
    assert scored(unit(b=density)).iloc[0]["n_8b"] == n8b


def test_density_from_population_per_ha_when_not_given():
    rows = scored(unit(b=None, population=300, area=2.0), unit(b=None, population=302, area=2.0),
                  unit(b=None, population=402, area=2.0), unit(b="175,5", population=1000, area=1.0))
    assert rows["density_ppha"].tolist() == [150.0, 151.0, 201.0, 175.5]
    assert rows["n_8b"].tolist() == [1, 3, 5, 3]  # a given density wins over population / area


def test_density_as_a_level_word():
    assert scored(unit(b="tinggi"), unit(b="Rendah"), unit(b="medium"))["n_8b"].tolist() == [5, 1, 3]


@pytest.mark.parametrize(("value", "legal"), [
    ("+", True), ("ya", True), ("1", True), (1, True), (1.0, True), ("legal", True), ("Yes", True), ("TRUE", True),
    ("-", False), ("tidak", False), ("0", False), (0, False), ("ilegal", False), ("No", False), ("illegal", False),
    ("Tidak Sesuai", False), ("tidak jelas", False),
])
def test_legality_values(value, legal):
    out = scored(unit(l9a="+", l9b=value)).iloc[0]
    assert bool(out["legal"]) is legal


@pytest.mark.parametrize("empty", [None, "", "  ", np.nan])
def test_empty_legality_is_not_assessed_never_legal(empty):
    out = scored(unit(l9a="+", l9b=empty)).iloc[0]
    assert out["legal"] is pd.NA
    assert out["priority"] is pd.NA and out["handling"] is pd.NA and out["priority_class"] is pd.NA
    assert out["priority_status"] == "not_assessed"
    assert out["category"] == "KB"  # the physical class stays


def test_unknown_values_are_errors_naming_the_cell_and_the_accepted_values():
    frame = pd.DataFrame([unit(), unit(l9a="mungkin"), unit(a="kadang"), unit(typology="di gunung"),
                          unit(b="padat")])
    res = score(frame, row_labels=pd.Series([10, 11, 12, 13, 14]))
    errors = [f for f in res.findings if f.severity == "error"]
    assert [f.key for f in errors] == ["priority.bad_value"] * 4
    text = {f.params["column"]: f.message("id") for f in errors}
    assert "Baris 11" in text["l_9a"] and "mungkin" in text["l_9a"] and "ilegal" in text["l_9a"]
    assert "Status Penguasaan Lahan" in text["l_9a"]
    assert "Baris 12" in text["pl_8a"] and "tidak ada" in text["pl_8a"]
    assert "tepi air" in text["typology"] and "Baris 13" in text["typology"]
    assert "Baris 14" in text["pl_8b"]
    en = [f.message("en") for f in errors]
    assert all("Accepted values" in m for m in en)
    # a wrong PL or legality value leaves no priority; a wrong typology does not touch the matrix
    assert res.frame["priority"].isna().tolist() == [False, True, True, False, True]
    assert res.frame.loc[4, "n_8b"] is pd.NA  # a wrong density is not replaced by population / area


def test_not_assessed_propagation_and_tk_has_no_priority():
    rows = scored(
        unit("KB"),                                       # assessed
        unit("KS", a=None, c=None, l9a=None, l9b=None),   # no inputs at all
        unit("KR", c=None),                               # one PL value missing
        unit("TK"),                                       # not a slum: never a priority
    )
    assert rows["priority"].tolist()[0] == 1
    assert rows["priority_status"].tolist() == ["assessed", "not_assessed", "not_assessed", "not_slum"]
    assert rows["priority"].isna().tolist() == [False, True, True, True]
    assert rows["handling"].isna().tolist() == [False, True, True, True]
    assert rows["pl_score"].isna().tolist() == [False, True, True, False]
    assert rows["category"].tolist() == ["KB", "KS", "KR", "TK"]


def test_partly_filled_rows_are_reported_but_blank_rows_are_not():
    res = score(pd.DataFrame([unit("KS", a=None, c=None, l9a=None, l9b=None), unit("KR", l9b=None)]))
    partial = [f for f in res.findings if f.key == "priority.partial"]
    assert len(partial) == 1 and partial[0].params["row"] == 2 and partial[0].params["missing"] == "9b"


def test_without_priority_inputs_no_columns_are_added():
    frame = pd.DataFrame([{f"p_{c}": 100.0 for c in CRITERION_IDS} | {"area_ha": 1.0, "population": 900}])
    out = score(frame).frame
    assert "priority" not in out.columns
    filled = priority.with_priority_columns(out)
    assert filled["priority_status"].tolist() == ["not_assessed"] and filled["priority"].isna().all()


def test_typology_is_shown_and_does_not_change_the_matrix():
    rows = scored(unit(typology="Tepi Air"), unit(typology="di_atas_air"), unit(typology="Dataran tinggi / perbukitan"),
                  unit(typology="rawan bencana"), unit(typology=""))
    assert rows["typology"].tolist()[:4] == ["tepi_air", "di_atas_air", "dataran_tinggi", "rawan_bencana"]
    assert rows["typology"].isna().tolist()[4]
    assert rows["priority"].tolist() == [1] * 5


def test_scoring_twice_is_stable():
    """Dataset.scored re-scores the stored rows; the canonical values read back as themselves."""
    once = scored(unit(typology="pesisir", l9b="tidak"))
    again = scored(once[[*(c for c in once.columns if c.startswith("p_")), "area_ha", "population", "pl_8a", "pl_8b",
                         "pl_8c", "l_9a", "l_9b", "typology"]].iloc[0].to_dict())
    assert again["typology"].iloc[0] == "tepi_air" and again["priority_class"].iloc[0] == "A2"


# ---- a city's overrides ---------------------------------------------------------------------

def test_city_overrides_change_cuts_and_bands_and_are_labelled():
    method = {"density_cuts": [100, 300], "pl_bands": {"tinggi": 13, "sedang": 7, "rendah": 3},
              "handling_legal": {"KS": "pemugaran"}, "source": "Perwali Pasuruan No. 1/2024"}
    m = method_from_overrides(method)
    assert set(m.overridden) == {"density_cuts", "pl_bands", "handling_legal"} and m.source.startswith("Perwali")
    assert not m.is_default("pl_bands") and m.is_default("matrix")
    rows = scored(unit("KS", a="ada", b=250, c="tidak"), method=method)  # 5 + 3 + 1 = 9 -> sedang (7..12)
    assert rows.iloc[0]["n_8b"] == 3 and rows.iloc[0]["pl_level"] == "sedang" and rows.iloc[0]["priority"] == 5
    assert rows.iloc[0]["handling"] == "pemugaran"
    assert overrides_of(m) == {"density_cuts": [100.0, 300.0], "pl_bands": {"tinggi": 13, "sedang": 7, "rendah": 3},
                               "handling_legal": {"KB": "peremajaan", "KS": "pemugaran", "KR": "pemugaran"},
                               "source": "Perwali Pasuruan No. 1/2024"}
    assert overrides_of(DEFAULT_METHOD) == {}


@pytest.mark.parametrize("bad", [{"matrix": {}}, {"density_cuts": [200, 100]}, {"pl_bands": {"tinggi": 5}},
                                 {"handling_legal": {"KB": "digusur"}}])
def test_wrong_overrides_are_refused(bad):
    with pytest.raises(MethodOverrideError):
        method_from_overrides(bad)
    res = score(pd.DataFrame([unit()]), priority_method=bad)  # the app keeps working, on the defaults
    assert [f.key for f in res.findings] == ["priority.bad_method"] and res.frame["priority"].iloc[0] == 1


# ---- import: Indonesian headers -----------------------------------------------------------

@pytest.mark.parametrize(("header", "column"), [
    ("Nilai Strategis Lokasi", "pl_8a"), ("Kepadatan Penduduk", "pl_8b"), ("Kondisi Sosial Ekonomi Budaya", "pl_8c"),
    ("Status Penguasaan Lahan", "l_9a"), ("Kesesuaian RTR", "l_9b"), ("Tipologi", "typology"),
    ("Kejelasan Status Penguasaan Lahan", "l_9a"), ("Kesesuaian dengan RTR", "l_9b"),
    ("Pertimbangan Lain Nilai Strategis Lokasi", "pl_8a"), ("pl_8a", "pl_8a"), ("l_9b", "l_9b"),
    ("Kepadatan Penduduk (jiwa/ha)", "pl_8b"),
])
def test_header_aliases(header, column):
    assert map_header(header) == column


HEADERS = ["Tahun", "Kode Kelurahan", "RT", "Luas Verifikasi (ha)", "Jumlah Penduduk",
           *[f"{c} Prosen" for c in CRITERION_IDS], "Nilai Strategis Lokasi", "Kepadatan Penduduk",
           "Kondisi Sosial Ekonomi Budaya", "Status Penguasaan Lahan", "Kesesuaian RTR", "Tipologi"]


def _csv(path, rows: list[list[object]]):
    lines = [";".join(HEADERS)] + [";".join("" if v is None else str(v) for v in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(rt, pct, a, b, c, l9a, l9b, typ):
    return [2024, "35.75.04.1013", rt, "1,5", 400, *[pct] * 16, a, b, c, l9a, l9b, typ]


def test_indonesian_headers_through_the_importer(tmp_path):
    src = _csv(tmp_path / "penilaian.csv", [
        _row("RT 01", 100, "Ada", None, "ada", "+", "+", "Tepi air"),
        _row("RT 02", 30, "tidak", "120", "tidak", "-", "+", "Dataran rendah"),
        _row("RT 03", 30, None, None, None, None, None, None),
    ])
    tr = read_table_file(src)
    assert {tr.mapped[h] for h in HEADERS[-6:]} == {"pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b", "typology"}
    report = Report()
    model = check_assessments(tr.frame, None, report)
    assert report.ok, report.lines("en")
    assert {"pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b", "typology"} <= set(model.columns)  # kept for the store
    out = score(model).frame
    assert out["priority"].tolist()[:2] == [1, 9] and out["priority"].isna().tolist()[2]
    assert out["handling"].tolist()[:2] == ["peremajaan", "pemukiman_kembali"]
    assert out["n_8b"].tolist()[:2] == [5, 1]  # 400 / 1.5 = 266.7 jiwa/ha; a given 120


def test_importer_blocks_an_unknown_value_and_names_the_cell(tmp_path):
    src = _csv(tmp_path / "penilaian.csv", [_row("RT 01", 100, "ada", None, "ada", "+", "mungkin", "Tepi air")])
    report = Report()
    check_assessments(read_table_file(src).frame, None, report)
    [err] = [f for f in report.errors if f.key == "priority.bad_value"]
    assert err.params["row"] == 2 and err.params["column"] == "l_9b"
    assert "Kesesuaian RTR" in err.message("en") and "mungkin" in err.message("en") and "ilegal" in err.message("en")


# ---- the score command ---------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "utils", *args], capture_output=True, text=True, timeout=120)


def test_cli_score_outputs_the_priority_columns(tmp_path):
    src = _csv(tmp_path / "in.csv", [
        _row("RT 01", 100, "ada", None, "ada", "+", "+", "Tepi air"),
        _row("RT 02", 60, "tidak", "160", "ada", "ya", "tidak", ""),
        _row("RT 03", 30, None, None, None, None, None, None),
        _row("RT 04", 0, "ada", None, "ada", "+", "+", ""),
    ])
    out = tmp_path / "out.csv"
    proc = run_cli("score", str(src), "--out", str(out), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "2 slum units assessed, 1 not assessed" in proc.stdout
    res = pd.read_csv(out, dtype=str, keep_default_na=False)
    for col in ("n_8a", "n_8b", "n_8c", "pl_score", "pl_level", "legal", "priority", "priority_class", "handling"):
        assert col in res.columns, col
    assert res["legal"].tolist() == ["true", "false", "", "true"]
    assert res["priority"].tolist() == ["1", "5", "", ""]
    assert res["priority_class"].tolist() == ["A1", "B4", "", ""]
    assert res["pl_level"].tolist() == ["tinggi", "sedang", "", "tinggi"]  # 1 + 3 + 5 = 9 for RT 02
    assert res["handling"].tolist() == ["peremajaan", "pemukiman_kembali", "", ""]


def test_cli_score_refuses_an_unknown_value(tmp_path):
    src = _csv(tmp_path / "in.csv", [_row("RT 01", 100, "ada", None, "ada", "+", "+", "Lautan")])
    out = tmp_path / "out.csv"
    proc = run_cli("score", str(src), "--out", str(out), "--lang", "en")
    assert proc.returncode == 1 and not out.exists()
    assert "Row 2, column typology (Tipologi): value 'Lautan'" in proc.stderr and "tepi air" in proc.stderr


def test_cli_score_with_a_city_method_file(tmp_path):
    src = _csv(tmp_path / "in.csv", [_row("RT 01", 60, "ada", None, "tidak", "+", "+", "")])  # 400 / 1,5 = 267
    method = tmp_path / "method.json"
    method.write_text('{"density_cuts": [300, 400], "source": "Perwali Uji"}', encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = run_cli("score", str(src), "--out", str(out), "--priority-method", str(method))
    assert proc.returncode == 0, proc.stderr
    res = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert res["n_8b"].tolist() == ["1"] and res["pl_level"].tolist() == ["sedang"]  # 5 + 1 + 1 = 7
    method.write_text('{"density_cuts": [400, 300]}', encoding="utf-8")  # a wrong override is an error
    proc = run_cli("score", str(src), "--out", str(tmp_path / "o2.csv"), "--priority-method", str(method))
    assert proc.returncode == 1 and "density_cuts" in proc.stderr
