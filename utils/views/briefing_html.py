"""The briefing as one self-contained HTML file: numbers, an interactive SVG map of every year
(its script `static/js/briefing-map.js` and style `static/css/briefing.css` inlined), plotly
charts with plotly.js inlined once, the priorities and the source. Opens with no internet."""
from __future__ import annotations

import html
import json
import logging

import pandas as pd

from utils.analysis import trends
from utils.core.i18n import fmt_ha, t
from utils.method.criteria import CLASS_COLORS, NO_DATA_CODE
from utils.store.dataset import Dataset
from utils.views import collaboration as collab_views
from utils.views.briefing import (
    build_briefing,
    category_line,
    headline,
    pace_sentence,
    priority_rule,
    priority_table,
    source_line,
    subtitle,
)
from utils.views.briefing_charts import category_mix_figure, trend_figure
from utils.views.offline_assets import own_text
from utils.views.static_map import LEGEND_CODES, map_svg

log = logging.getLogger("kotaku.report")
CSS_FILE = "css/briefing.css"
JS_FILE = "js/briefing-map.js"  # fixed code: no user text in it, the data comes from the JSON block


def _script_text(text: str) -> str:
    return text.replace("</script", "<\\/script")


def _json_for_script(obj: object) -> str:
    """JSON safe inside <script>: no '<' can close the element early."""
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _map_data(ds: Dataset, lang: str) -> dict:
    years: dict[str, dict] = {}
    for y in ds.years:
        kel = trends.kelurahan_year(ds, y)
        years[str(y)] = {
            str(r.kode_kel): {"c": r.category,
                              **({"s": int(r.total_score)} if pd.notna(r.total_score) else {}),
                              **({"h": fmt_ha(r.slum_ha, lang)} if r.category != NO_DATA_CODE else {})}
            for r in kel.itertuples()
        }
    k = ds.kelurahan
    return {
        "years": years, "colors": dict(CLASS_COLORS),
        "classes": {c: t(f"class.{c}", lang) for c in LEGEND_CODES},
        "names": dict(zip(k["kode_kel"].astype(str), k["kelurahan"].astype(str))),
        "kec": dict(zip(k["kode_kel"].astype(str), k["kecamatan"].astype(str))),
        "labels": {"cls": t("brief.col.class", lang), "score": t("brief.col.score", lang),
                   "ha": t("brief.col.slum_ha", lang)},
    }


def _engine_map_html(ds: Dataset, year: int, lang: str) -> str | None:
    """The map page's own folium map as one offline document, when utils.maps provides it."""
    try:
        from utils.views.maps import build_kelurahan_map, map_to_standalone_html

        return map_to_standalone_html(build_kelurahan_map(ds, year, lang))
    except Exception:  # noqa: BLE001 - fall back to the SVG map
        log.info("utils.maps standalone map unavailable; using the SVG map", exc_info=True)
        return None


def briefing_html(ds: Dataset, year: int, lang: str, engine_map: bool = False) -> str:
    """One self-contained HTML file: numbers, an interactive map (every year), charts, priorities.

    plotly.js is inlined once; the map is inline SVG with a small fixed script, so the file opens
    on a laptop with no internet. `engine_map` adds the Map page's folium map as well.
    """
    b = build_briefing(ds, year, lang)
    L = lang
    e = html.escape
    parts = [f'<!doctype html><html lang="{"en" if L == "en" else "id"}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width,initial-scale=1">',
             f"<title>{e(t('brief.pdf.title', L, city=b.city))}</title>",
             f"<style>{own_text(CSS_FILE)}</style></head><body><main>",
             f"<h1>{e(t('brief.pdf.title', L, city=b.city))}</h1>",
             f'<p class="sub">{e(subtitle(b))}</p>']
    if b.illustrative:
        parts.append(f'<div class="note" id="illustrative">{e(t("brief.illustrative", L))}</div>')
    parts.append('<div class="cards">')
    for label, value in headline(b):
        parts.append(f'<div class="card"><div class="l">{e(label)}</div><div class="v">{e(value)}</div></div>')
    parts.append("</div>")
    parts.append(f"<p>{e(t('brief.h.categories', L, year=b.year))}: {e(category_line(b))}</p>")
    parts.append(f"<p>{e(pace_sentence(b))}</p>")
    # map
    svg, _ = map_svg(ds.kelurahan, kecamatan=ds.kecamatan)
    options = "".join(f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>' for y in ds.years)
    legend = "".join(
        f'<div><span class="sw" style="background:{CLASS_COLORS[c]}"></span><span>{e(t(f"class.{c}", L))} '
        f'(<span data-count="{c}">0</span>)</span></div>' for c in LEGEND_CODES)
    parts.append(f"<h2>{e(t('brief.map_title_all', L))}</h2>")
    parts.append(f'<label for="yearsel">{e(t("brief.year_label", L))}</label> <select id="yearsel">{options}</select>')
    parts.append(f'<div class="mapwrap"><div>{svg}</div><div><div class="legend">{legend}</div>'
                 f'<div id="info">{e(t("brief.map_click", L))}</div></div></div>')
    parts.append(f'<p class="sub">{e(t("brief.map_note", L))}</p>')
    parts.append(f'<script type="application/json" id="kel-data">{_json_for_script(_map_data(ds, L))}</script>')
    parts.append(f"<script>{_script_text(own_text(JS_FILE))}</script>")
    if engine_map:
        doc = _engine_map_html(ds, year, L)
        if doc:
            parts.append(f"<h2>{e(t('brief.map_title', L, year=b.year))}</h2>")
            parts.append(f'<iframe title="map" style="width:100%;height:620px;border:0" srcdoc="{e(doc)}"></iframe>')
    # charts
    parts.append(f"<h2>{e(t('brief.trend_title', L))}</h2>")
    config = {"displaylogo": False, "responsive": True}
    parts.append(trend_figure(ds, b).to_html(full_html=False, include_plotlyjs=True, config=config,
                                            div_id="trend-chart", default_height="480px"))
    parts.append(category_mix_figure(ds, b).to_html(full_html=False, include_plotlyjs=False, config=config,
                                                    div_id="mix-chart", default_height="420px"))
    # priorities
    parts.append(f"<h2>{e(t('brief.priority_title', L, year=b.year))}</h2>")
    if b.priorities.empty:
        parts.append(f"<p>{e(t('brief.priority_none', L))}</p>")
    else:
        table = priority_table(b)  # the official priority when the data has it, else today's ranking
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in table.columns)
                     + "</tr></thead><tbody>")
        for row, r in zip(table.to_numpy().tolist(), b.priorities.itertuples()):
            cells = [f"<td>{e(str(c))}</td>" for c in row]
            cells[3] = (f'<td><span class="sw" style="display:inline-block;width:12px;height:12px;'
                        f'border:1px solid #666;background:{CLASS_COLORS[r.category]}"></span> {e(str(row[3]))}</td>')
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
        parts.append(f'<p class="sub">{e(priority_rule(b))}</p>')
    if b.handling_line:  # slum ha by type of handling (official priority only)
        parts.append(f"<p>{e(b.handling_line)}</p>")
    parts.append(collab_views.briefing_html_section(ds, L))  # commitments, projection, matriks kolaborasi
    parts.append(f"<h2>{e(t('brief.source_title', L))}</h2><p>{e(source_line(b))}</p>")
    parts.append(f'<p class="sub">{e(t("brief.method", L))}</p>')
    if b.illustrative:
        parts.append(f'<div class="note">{e(t("brief.illustrative", L))}</div>')
    parts.append("</main></body></html>")
    return "".join(parts)
