"""The overview and the trend chart say where the commitments lead; summary --json gives the same figure."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from utils import store
from utils.__main__ import main
from utils.analysis import projection
from utils.core.i18n import fmt_ha
from utils.views import charts
from utils.views import collaboration as views

PROJECT = Path(__file__).resolve().parents[1]


def test_overview_sentence_and_summary_json_agree(capsys):
    ds = store.load(store.SAMPLE_NAME)
    assert ds.commitments is not None and len(ds.commitments) > 0  # the sample carries illustrative ones
    assert main(["summary", "--json"]) == 0
    proj = json.loads(capsys.readouterr().out)["projection"]
    assert sorted(proj) == [str(y) for y in range(2025, 2031)]
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    o = projection.outlook(ds)
    assert o["remaining_ha"] == proj["2030"] < proj["2025"]
    sentence = next(m.value for m in at.markdown if "komitmen, tersisa" in m.value).replace("\\", "")
    assert f"tersisa {fmt_ha(proj['2030'], 'id')} kumuh pada akhir 2030" in sentence
    assert f"Dengan {o['n_commitments']} komitmen" in sentence


def test_trend_chart_draws_the_projection_only_when_asked():
    ds = store.load(store.SAMPLE_NAME)
    plain = charts.slum_trend_figure(ds, "id", "2")
    assert not any((tr.meta or {}).get("kind") == "projection" for tr in plain.data)
    proj = views.trend_projection(ds, "2")
    fig = charts.slum_trend_figure(ds, "id", "2", projection=proj)
    line = next(tr for tr in fig.data if (tr.meta or {}).get("kind") == "projection")
    assert list(line.x) == list(range(2025, 2031)) and list(line.y) == proj["slum_ha"].tolist()
    assert views.trend_projection(ds, "1") is None  # an older SK period has no projection


def test_briefing_pdf_and_html_carry_the_commitments():
    import re

    from utils.views import briefing_html, briefing_pdf

    ds = store.load(store.SAMPLE_NAME)
    pdf = briefing_pdf.briefing_pdf(ds, 2025, "en")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 3
    page = briefing_html.briefing_html(ds, 2025, "en")
    assert "Collaboration commitments and projection" in page and "kotaku-matrix" in page
    assert "Projected slum area if the commitments are delivered: 2025 115.09 ha" in page
    text = views.briefing_html_section(ds, "id")
    assert "<script" not in text.lower()
    ds.commitments = ds.commitments.assign(stakeholder="<script>alert(1)</script>")
    assert "<script>alert" not in views.briefing_html_section(ds, "id")
