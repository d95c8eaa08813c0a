"""Shareable views: dataset, page, year, kelurahan and language live in the URL; opening such a
URL restores the view; bad values fall back quietly; presentation mode is one switch."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import tiny_dataset
from utils import store, ui

APP = str(Path(__file__).resolve().parents[1] / "app.py")
BETA = "35.75.01.1002"


@pytest.fixture(autouse=True)
def tiny_in_store(private_store):
    store.save(tiny_dataset())


def open_with(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_restores_dataset_year_kelurahan_and_language():
    at = open_with(dataset="tiny", year="2020", kelurahan=BETA, lang="en")
    assert at.session_state[ui.DATASET_KEY] == "tiny"
    assert at.sidebar.selectbox(key=ui.YEAR_KEY).value == 2020
    assert at.session_state[ui.SELECTED_KEL_KEY] == BETA
    assert at.title[0].value == "Kota Uji overview"
    assert "Slum area 2020" in [m.label for m in at.metric]
    # the address bar keeps the whole view
    assert at.query_params["year"] == ["2020"] or at.query_params["year"] == "2020"
    link = at.sidebar.code[0].value
    for part in ("dataset=tiny", "year=2020", f"kelurahan={BETA}", "lang=en"):
        assert part in link, link


def test_bad_values_fall_back_without_an_error():
    at = open_with(dataset="no_such", year="1999", kelurahan="99.99", lang="xx", page="nowhere")
    assert at.session_state[ui.LANG_KEY] == "id"
    assert at.sidebar.selectbox(key=ui.YEAR_KEY).value == max(store.load(at.session_state[ui.DATASET_KEY]).years)
    assert at.session_state[ui.SELECTED_KEL_KEY] is None
    assert not at.error


def test_a_change_updates_the_url():
    at = open_with(dataset="tiny")
    at.sidebar.selectbox(key=ui.YEAR_KEY).set_value(2020).run()
    at.segmented_control(key=ui.LANG_KEY).set_value("en").run()
    qp = {k: at.query_params[k] for k in at.query_params}
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in qp.items()}
    assert flat["year"] == "2020" and flat["lang"] == "en" and flat["dataset"] == "tiny"
    assert "year=2020" in at.sidebar.code[0].value and "lang=en" in at.sidebar.code[0].value


def test_page_parameter_opens_that_page():
    at = open_with(dataset="tiny", page="metodologi", lang="en")
    assert at.title[0].value == "Methodology"


def test_presentation_mode_from_the_url_reduces_controls_and_steps_years():
    at = open_with(dataset="tiny", year="2020", present="1")
    assert ui.presenting.__name__  # the flag below is the one pages read
    assert at.session_state[ui.PRESENT_KEY] is True
    assert len(at.sidebar.selectbox) == 0 and len(at.sidebar.segmented_control) == 0  # no sidebar controls
    assert [s.key for s in at.main.segmented_control] == [ui.PRESENT_YEAR_KEY]
    assert at.segmented_control(key=ui.PRESENT_YEAR_KEY).options == ["2020 (baseline)", "2021"]
    at.button(key="_present_next").click().run()
    assert at.session_state[ui.YEAR_KEY] == 2021
    assert at.title[0].value.startswith("Ringkasan")
    assert any(m.label == "Luas kumuh 2021" for m in at.metric)
    # play from the last year starts again at the first and runs
    at.button(key="_present_play").click().run()
    assert at.session_state[ui.YEAR_KEY] == 2020 and at.session_state[ui.PLAYING_KEY] is True
    assert at.button(key="_present_play").label == "Berhenti"
    # picking a kelurahan is shared with the map and profile pages, and goes into the URL
    at.selectbox(key=ui.PRESENT_KEL_KEY).set_value(BETA).run()
    assert at.session_state[ui.SELECTED_KEL_KEY] == BETA
    assert "present" in at.query_params
    # leaving keeps year and language, and brings the sidebar back
    at.button(key="_present_exit").click().run()
    assert at.session_state[ui.PRESENT_KEY] is False
    assert at.sidebar.selectbox(key=ui.YEAR_KEY).value == 2020
    assert "present" not in at.query_params


def test_language_survives_presentation_mode():
    at = open_with(dataset="tiny", lang="en")
    at.sidebar.toggle(key=ui.PRESENT_KEY).set_value(True).run()
    assert at.button(key="_present_exit").label == "Leave presentation"
    at.button(key="_present_prev").click().run()  # a run without the sidebar's language widget
    assert at.session_state[ui.LANG_KEY] == "en"
    assert at.button(key="_present_exit").label == "Leave presentation"


def test_next_year_wraps_and_steps():
    assert ui.next_year([2014, 2015, 2024], 2015) == 2024
    assert ui.next_year([2014, 2015, 2024], 2024) == 2014
    assert ui.next_year([2014, 2015, 2024], None) == 2014


@pytest.mark.parametrize("year", ["\u00b2", "2\u00b9", "\u0662\u0660\u0662\u0660", "9" * 5000, "-2020", " 2020"],
                         ids=["superscript-two", "2-superscript-one", "arabic-indic", "5000-digits", "minus", "space"])
def test_a_year_that_is_not_plain_ascii_digits_falls_back_to_the_latest(year):
    # '²' passes str.isdigit() but not int(); 5,000 digits pass both checks and int() refuses them
    at = open_with(dataset="tiny", year=year)
    assert at.sidebar.selectbox(key=ui.YEAR_KEY).value == max(store.load("tiny").years)
    assert not at.error
    assert at.title and at.sidebar.code  # the page and the sidebar are drawn, not a bare error


def test_year_from_url_parses_only_short_ascii_digits():
    assert ui.year_from_url("2019") == 2019
    for bad in ("\u00b2", "\u0662\u0660\u0662\u0660", "9" * 5000, "", "20 19", "1e3", None):
        assert ui.year_from_url(bad) is None, bad
