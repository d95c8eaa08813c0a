"""The priority views and pages: the ranked table, its filters and XLSX, slum ha by handling on the
overview, the method table on the Methodology page, a city's overrides, the briefing's ranking."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from utils import store
from utils.core.i18n import fmt_ha, t
from utils.sample.priority import add_priority_inputs
from utils.views import priority as views

APP = str(Path(__file__).resolve().parents[1] / "app.py")
needs_sample = pytest.mark.skipif(not store.sample_path().exists(), reason="sample dataset not generated")


@pytest.fixture(scope="module")
def sample_with_priority():
    """The sample with the illustrative priority inputs, built by the sample's own step."""
    if not store.sample_path().exists():
        pytest.skip("sample dataset not generated")
    ds = store.load(store.SAMPLE_NAME)
    if "l_9a" not in ds.assessments.columns:
        ds = add_priority_inputs(ds, np.random.default_rng(7))
    ds.meta.name = "pasuruan_prioritas"
    return ds


def tiny_with_priority():
    ds = tiny_dataset(name="tiny_prio")
    a = ds.assessments
    a["population"] = 500
    a["pl_8a"], a["pl_8c"], a["l_9a"] = "ada", "tidak", "+"
    a["l_9b"] = np.where(a["kode_kel"] == "35.75.01.1001", "-", "+")
    a["typology"] = ["tepi air", "dataran rendah"] * (len(a) // 2)
    return ds


# ---- views without Streamlit ----------------------------------------------------------------

def test_table_is_ranked_by_priority_then_score_then_ha(sample_with_priority):
    table = views.priority_table(sample_with_priority, 2019)
    assert set(table["category"]) <= {"KB", "KS", "KR"} and len(table) == 14
    p = pd.to_numeric(table["priority"], errors="coerce").fillna(99).to_numpy()
    assert (np.diff(p) >= 0).all()
    for _, grp in table.groupby(p):
        assert (np.diff(grp["total_score"].to_numpy()) <= 0).all()
    assert table["priority"].iloc[0] == 1 and table["priority_class"].iloc[0] == "A1"


def test_handling_ha_adds_up_to_the_slum_ha(sample_with_priority):
    ha = views.handling_ha(sample_with_priority, 2025)
    assert ha.sum() == pytest.approx(115.09, abs=0.01)
    assert ha["pemukiman_kembali"] > 0 and ha["belum_dinilai"] > 0  # a few not legal, one kawasan blank
    table = views.priority_table(sample_with_priority, 2025)
    resettle = table.loc[table["handling"] == "pemukiman_kembali", "slum_ha"].sum()
    assert ha["pemukiman_kembali"] == pytest.approx(resettle)


def test_filters_by_handling_and_typology(sample_with_priority):
    table = views.priority_table(sample_with_priority, 2014)
    coastal = views.filter_table(table, typology=["tepi_air"])
    assert len(coastal) > 0 and (coastal["typology"] == "tepi_air").all()
    assert coastal["kawasan"].str.contains("Pesisir").all()
    resettle = views.filter_table(table, handling=["pemukiman_kembali"])
    assert len(resettle) > 0 and (resettle["legal"] == False).all()  # noqa: E712 - a nullable boolean
    none = views.filter_table(views.priority_table(sample_with_priority, 2025), handling=["belum_dinilai"])
    assert len(none) > 0 and none["priority"].isna().all()


def test_xlsx_has_the_localised_table_and_the_data(sample_with_priority):
    table = views.priority_table(sample_with_priority, 2019)
    wb = openpyxl.load_workbook(io.BytesIO(views.xlsx_bytes(table, "en", 2019)))
    assert wb.sheetnames == ["priority 2019", "data"]
    head = [c.value for c in wb["priority 2019"][1]]
    assert head[:3] == ["No", "Unit (kawasan · RT)", "Kelurahan"] and "Type of handling" in head
    assert wb["priority 2019"].max_row == len(table) + 1
    data_head = [c.value for c in wb["data"][1]]
    assert {"priority", "priority_class", "handling", "legal"} <= set(data_head)


def test_priority_per_kawasan_is_the_best_among_its_units(sample_with_priority):
    level, areas = views.area_priorities(sample_with_priority, 2019)
    assert level == "kawasan"
    rows = views.unit_rows(sample_with_priority, 2019)
    for r in areas.dropna(subset=["priority"]).itertuples():
        units = rows[(rows["kawasan_id"] == r.kawasan_id) & (rows["sk_period"] == r.sk_period)]
        assert r.priority == pd.to_numeric(units["priority"], errors="coerce").min()


def test_per_kelurahan_without_kawasan():
    ds = tiny_with_priority()
    level, areas = views.area_priorities(ds, 2020)
    assert level == "kelurahan"
    by = areas.set_index("kode_kel")
    # 8a ada 5 + density 250 or 400 people/ha 5 + 8c tidak 1 = 11: PL tinggi
    assert by.loc["35.75.01.1001", "priority"] == 1 and by.loc["35.75.01.1001", "handling"] == "pemukiman_kembali"
    assert by.loc["35.75.01.1002", "priority"] == 3 and by.loc["35.75.01.1002", "handling"] == "pemugaran"


def test_briefing_uses_the_official_priority_or_says_it_is_not_there():
    fallback = pd.DataFrame({"kelurahan": ["X"]})
    table, official = views.briefing_priorities(tiny_dataset(), 2020, fallback)
    assert official is False and table is fallback
    table, official = views.briefing_priorities(tiny_with_priority(), 2020, fallback)
    assert official is True and table["kelurahan"].tolist() == ["Alfa", "Beta"]  # priority 1 before 3
    assert table["priority_class"].tolist() == ["A2", "C1"]


# ---- pages (AppTest) -----------------------------------------------------------------------

def open_page(page: str, dataset: str, year: int, lang: str = "id") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.selectbox(key="dataset_name").set_value(dataset).run()
    at.selectbox(key="year").set_value(year).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_priority_page_table_filters_and_download(sample_with_priority):
    store.save(sample_with_priority, "pasuruan_prioritas")
    at = open_page("pages/priority.py", "pasuruan_prioritas", 2025, "en")
    assert at.title[0].value == t("priority.title", "en")
    frame = at.dataframe[0].value
    table = views.priority_table(sample_with_priority, 2025)
    assert len(frame) == len(table) and frame["Priority"].iloc[0] == str(int(table["priority"].iloc[0]))
    assert "Priority not assessed" in set(frame["Type of handling"])
    m = {x.label: x.value for x in at.metric}
    ha = views.handling_ha(sample_with_priority, 2025)
    assert m[t("priority.handling.pemukiman_kembali", "en")] == fmt_ha(ha["pemukiman_kembali"], "en")
    at.multiselect(key="priority_filter_handling").set_value(["pemukiman_kembali"]).run()
    frame = at.dataframe[0].value
    assert len(frame) > 0 and set(frame["Type of handling"]) == {t("priority.handling.pemukiman_kembali", "en")}
    assert any(t("priority.legalise_note", "en") in w.value for w in at.warning)
    at.multiselect(key="priority_filter_typology").set_value(["tepi_air"]).run()
    assert set(at.dataframe[0].value["Typology"]) <= {"Waterfront"}
    assert at.get("download_button")


def test_priority_page_without_inputs_says_not_assessed():
    store.save(tiny_dataset(name="tiny"))
    at = open_page("pages/priority.py", "tiny", 2020, "id")
    assert any("prioritas belum dinilai" in i.value for i in at.info)
    frame = at.dataframe[0].value
    assert set(frame["Jenis penanganan"]) == {"Prioritas belum dinilai"} and set(frame["Prioritas"]) == {"–"}


def test_overview_shows_slum_ha_by_handling(sample_with_priority):
    store.save(sample_with_priority, "pasuruan_prioritas")
    at = open_page("pages/overview.py", "pasuruan_prioritas", 2025, "id")
    ha = views.handling_ha(sample_with_priority, 2025)
    m = {x.label: x.value for x in at.metric}
    assert m["Pemukiman kembali"] == fmt_ha(ha["pemukiman_kembali"], "id")
    assert m["Pemugaran"] == fmt_ha(ha["pemugaran"], "id")


def test_methodology_shows_the_method_table_and_saves_a_city_override():
    store.save(tiny_with_priority())
    at = open_page("pages/methodology.py", "tiny_prio", 2020, "en")
    heads = [h.value for h in at.header]
    assert t("priority.m.title", "en") in heads
    frames = [d.value for d in at.dataframe]
    matrix = next(f for f in frames if "PL" in f.columns)
    assert matrix.iloc[0].tolist() == ["high", "1 (A1 / A2)", "2 (B1 / B2)", "3 (C1 / C2)"]
    assert any("default (can be changed)" in c.value for c in at.caption)
    at.number_input[0].set_value(300.0)
    at.number_input[1].set_value(500.0)
    at.text_input[0].set_value("Perwali Uji No. 9")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("Saved as version 2" in s.value for s in at.success)
    saved = store.load("tiny_prio")
    assert saved.meta.priority_method["density_cuts"] == [300.0, 500.0]
    assert saved.meta.priority_method["source"] == "Perwali Uji No. 9"
    first = saved.scored.frame.iloc[0]  # 500 people / 2 ha = 250 <= 300: the city's cut-off scores 1
    assert first["n_8b"] == 1 and first["pl_level"] == "sedang" and first["priority"] == 4


# ---- the in-app editor of the priority inputs -----------------------------------------------

def test_editor_rows_normalise_stored_spellings_and_validate_like_an_import():
    from utils.io.edits import check_assessment_rows
    from utils.ui.priority_edit import editor_frame, merged

    ds = tiny_with_priority()
    rows = ds.assessments[ds.assessments["year"] == 2020].reset_index(drop=True)
    rows.loc[0, "pl_8a"], rows.loc[0, "l_9a"], rows.loc[1, "typology"] = "Ya", "1", "Pesisir"
    frame = editor_frame(rows)
    assert frame.columns.tolist() == ["kode_kel", "kawasan_id", "rt", "pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b",
                                      "typology"]
    assert frame.loc[0, "pl_8a"] == "ada" and frame.loc[0, "l_9a"] == "+" and frame.loc[1, "typology"] == "tepi_air"
    frame.loc[1, "l_9b"] = "-"
    check = check_assessment_rows(merged(rows, frame), ds.kelurahan)
    assert check.ok, [f.message("en") for f in check.findings]
    assert score_of(check.frame).loc[1, "handling"] == "pemukiman_kembali"
    frame.loc[0, "l_9b"] = "mungkin"  # an unknown value is refused with the import's message, on its cell
    check = check_assessment_rows(merged(rows, frame), ds.kelurahan)
    assert not check.ok and (0, "l_9b") in check.cells
    assert "mungkin" in check.cells[(0, "l_9b")][0].message("en")


def test_editor_adds_the_columns_to_data_without_them():
    from utils.ui.priority_edit import editor_frame

    frame = editor_frame(tiny_dataset().assessments)
    assert (frame[["pl_8a", "pl_8b", "pl_8c", "l_9a", "l_9b", "typology"]] == "").all().all()


def score_of(frame):
    from utils.method.scoring import score

    return score(frame).frame


def test_priority_page_offers_the_editor_for_a_stored_dataset():
    store.save(tiny_dataset(name="tiny"))
    at = open_page("pages/priority.py", "tiny", 2020, "en")
    assert any(e.label == t("priority.edit.title", "en", year=2020) for e in at.expander)
    assert any(b.label == t("data.edit.save", "en") for b in at.button)


# ---- the briefing ------------------------------------------------------------------------------

def test_briefing_uses_the_official_priority_in_pdf_html_and_page(sample_with_priority):
    import re

    from utils.views import report

    ds = sample_with_priority
    b = report.build_briefing(ds, 2025, "en")
    assert b.official_priority is True
    table = report.priority_table(b)
    assert list(table.columns) == ["No", "Kelurahan", "Kecamatan", "Category", "Priority", "Type of handling",
                                   "Slum area"]
    assert table["Priority"].iloc[0] == "3 (C1)" and "Resettlement" in set(table["Type of handling"])
    ha = views.handling_ha(ds, 2025)
    assert b.handling_line.startswith("Slum area by type of handling")
    assert fmt_ha(ha["pemugaran"], "en") in b.handling_line
    assert report.priority_rule(b) == t("priority.brief.rule_official", "en")
    html = report.briefing_html(ds, 2025, "en")
    assert t("priority.brief.rule_official", "en") in html.replace("&#x27;", "'") and "Resettlement" in html
    pdf = report.briefing_pdf(ds, 2025, "en")
    # at most three pages: the wider table plus the sample's commitments and projection (issue 11)
    assert 2 <= len(re.findall(rb"/Type /Page\b", pdf)) <= 3


def test_briefing_without_priority_keeps_todays_ranking_and_says_so():
    from utils.views import report

    b = report.build_briefing(tiny_dataset(), 2020, "id")
    assert b.official_priority is False and b.handling_line == ""
    assert "Nilai" in report.priority_table(b).columns
    assert report.priority_rule(b) == t("brief.priority_rule", "id") and "belum dimasukkan" in report.priority_rule(b)
    assert t("brief.priority_rule", "id") in report.briefing_html(tiny_dataset(), 2020, "id")
