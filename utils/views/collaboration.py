"""Who does what where: the coverage map, the matriks kolaborasi, totals, gaps and the projection chart.

Tables come out with the UI language's headers and plain-text cells (pages escape nothing
themselves: these frames go to st.dataframe, which never renders HTML). The coverage map is a plain
Leaflet GeoJSON layer served from the app's own static copy of Leaflet (no CDN); every text in a
tooltip is HTML-escaped here, because Leaflet tooltips render HTML.
"""
from __future__ import annotations

import html

import folium
import pandas as pd
import plotly.graph_objects as go

from utils.analysis import projection, trends
from utils.core.i18n import fmt_ha, fmt_number, t
from utils.io import commitments as reg
from utils.method.criteria import ASPECT_BY_ID, CRITERIA_BY_ID
from utils.store.dataset import Dataset
from utils.views import offline_assets

# Purple-green (ColorBrewer PRGn): safe for red-green colour blindness, distinct from the class colours.
COVER_COLORS = {projection.COVER_NONE: "#762a83", projection.COVER_SOME: "#c2a5cf",
                projection.COVER_ALL: "#1b7837", "not_slum": "#f0f0f0"}


def criterion_label(cid: str, lang: str) -> str:
    crit = CRITERIA_BY_ID.get(cid)
    if crit is None:
        return t("collab.legalisation", lang) if cid == reg.LAND_LEGALISATION else str(cid)
    return f"{cid} · {crit.name_id if lang != 'en' else crit.name_en}"


def aspect_name(cid: str, lang: str) -> str:
    crit = CRITERIA_BY_ID.get(cid)
    if crit is None:
        return t("collab.legalisation", lang)
    a = ASPECT_BY_ID[crit.aspect]
    return a.name_id if lang != "en" else a.name_en


def kelurahan_names(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.kelurahan["kode_kel"].astype(str), ds.kelurahan["kelurahan"].astype(str)))


# ---- map -----------------------------------------------------------------------------------------

def coverage_map(ds: Dataset, cov: pd.DataFrame, lang: str, selected: str | None = None) -> folium.Map:
    """Slum kelurahan coloured by how much of their bad criteria someone has taken; others pale."""
    kel = ds.kelurahan[["kode_kel", "kelurahan", "geometry"]].copy()
    kel["kode_kel"] = kel["kode_kel"].astype(str)
    by = cov.set_index("kode_kel") if len(cov) else pd.DataFrame()
    status, tip = [], []
    for code, name in zip(kel["kode_kel"], kel["kelurahan"]):
        if code in by.index:
            r = by.loc[code]
            status.append(r["status"])
            gaps = ", ".join(r["uncovered"]) or "–"
            tip.append(t("collab.map.tip", lang, name=name, status=t(f"collab.cover.{r['status']}", lang),
                         ha=fmt_ha(r["slum_ha"], lang), gaps=gaps))
        else:
            status.append("not_slum")
            tip.append(t("collab.map.tip_not_slum", lang, name=name))
    kel["status"] = status
    kel["tip"] = [html.escape(x) for x in tip]
    kel["geometry"] = kel.geometry.simplify(0.00005, preserve_topology=True)
    (w, s, e, n) = kel.total_bounds
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=13, tiles=None, control_scale=True,
                   zoom_snap=0.25)
    m.default_js = offline_assets.local_js()[:1]  # Leaflet only, from the app's static files
    m.default_css = offline_assets.local_css()[:1]
    m.fit_bounds([[s, w], [n, e]])

    def style(feature: dict) -> dict:
        props = feature["properties"]
        chosen = props["kode_kel"] == selected
        return {"fillColor": COVER_COLORS[props["status"]], "color": "#102027" if chosen else "#607d8b",
                "weight": 3.5 if chosen else 0.8, "fillOpacity": 0.85}

    folium.GeoJson(kel.to_json(), name="coverage", style_function=style,
                   highlight_function=lambda f: {"weight": 3, "color": "#000000"},
                   tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=False)).add_to(m)
    return m


def legend_items(lang: str) -> list[tuple[str, str]]:
    """(colour, label) pairs for a legend drawn by the page."""
    keys = (projection.COVER_NONE, projection.COVER_SOME, projection.COVER_ALL, "not_slum")
    return [(COVER_COLORS[k], t(f"collab.cover.{k}", lang)) for k in keys]


def legend_html(lang: str) -> str:
    """The map legend as fixed markup with escaped labels."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;gap:6px;margin-right:18px">'
        f'<span style="width:18px;height:14px;border:1px solid #555;background:{color};display:inline-block"></span>'
        f"{html.escape(label)}</span>" for color, label in legend_items(lang))
    return f"<div>{items}</div>"


# ---- tables --------------------------------------------------------------------------------------

def register_view(commitments: pd.DataFrame | None, ds: Dataset, lang: str) -> pd.DataFrame:
    """The register as people read it: kelurahan names, criterion labels, localized headers."""
    c = reg.stored(commitments)
    names = kelurahan_names(ds)
    headers = reg.HEADERS_ID if lang != "en" else reg.HEADERS_EN
    out = pd.DataFrame({
        headers["stakeholder"]: c["stakeholder"], headers["stakeholder_type"]: c["stakeholder_type"],
        headers["kelurahan"]: c["kode_kel"].map(names), headers["criterion"]: c["criterion"],
        headers["activity"]: c["activity"], headers["volume"]: c["volume"], headers["unit"]: c["unit"],
        headers["year"]: c["year"], headers["budget_idr"]: c["budget_idr"], headers["status"]: c["status"],
    })
    return out


def matrix(commitments: pd.DataFrame | None, ds: Dataset, lang: str,
           statuses: tuple[str, ...] = reg.STATUSES) -> pd.DataFrame:
    """Stakeholder x kelurahan: the criteria each stakeholder took in each kelurahan (the matriks kolaborasi)."""
    c = reg.stored(commitments)
    c = c[c["status"].isin(statuses) & c["kode_kel"].notna()]
    if c.empty:
        return pd.DataFrame()
    names = kelurahan_names(ds)
    c = c.assign(kel=c["kode_kel"].map(names).fillna(c["kode_kel"]),
                 who=c["stakeholder"].fillna("?") + " (" + c["stakeholder_type"].fillna("?") + ")",
                 what=c["criterion"].map(lambda x: "legal" if x == reg.LAND_LEGALISATION else str(x)))
    out = c.pivot_table(index="who", columns="kel", values="what", aggfunc=lambda s: ", ".join(sorted(set(s))),
                        fill_value="")
    out.index.name = t("collab.col.stakeholder", lang)
    out.columns.name = None
    return out.reset_index()


def totals_by_type(ds: Dataset, commitments: pd.DataFrame | None, lang: str,
                   statuses: tuple[str, ...] = reg.STATUSES) -> pd.DataFrame:
    """Per stakeholder type: commitments, budget (Rp), slum ha its commitments reach."""
    tab = projection.reached_ha(ds, commitments, statuses=statuses)
    return pd.DataFrame({
        t("collab.col.type", lang): tab["stakeholder_type"], t("collab.col.n", lang): tab["n"],
        t("collab.col.budget", lang): tab["budget_idr"].map(lambda v: fmt_number(v / 1e6, lang, 0)),
        t("collab.col.reached_ha", lang): tab["slum_ha"].map(lambda v: fmt_number(v, lang, 2)),
    })


def totals_by_aspect(commitments: pd.DataFrame | None, lang: str,
                     statuses: tuple[str, ...] = reg.STATUSES) -> pd.DataFrame:
    c = reg.stored(commitments)
    c = c[c["status"].isin(statuses)]
    if c.empty:
        return pd.DataFrame(columns=[t("collab.col.aspect", lang), t("collab.col.n", lang),
                                     t("collab.col.n_kel", lang), t("collab.col.budget", lang)])
    c = c.assign(aspect=c["criterion"].map(lambda x: aspect_name(x, lang)),
                 order=c["criterion"].map(lambda x: str(x)[0] if x in CRITERIA_BY_ID else "9"))
    g = c.groupby(["order", "aspect"]).agg(n=("commitment_id", "size"), kel=("kode_kel", "nunique"),
                                           budget=("budget_idr", "sum")).reset_index()
    return pd.DataFrame({
        t("collab.col.aspect", lang): g["aspect"], t("collab.col.n", lang): g["n"],
        t("collab.col.n_kel", lang): g["kel"],
        t("collab.col.budget", lang): g["budget"].map(lambda v: fmt_number(v / 1e6, lang, 0)),
    })


def gap_view(cov: pd.DataFrame, lang: str, short: bool = False) -> pd.DataFrame:
    """The gaps, largest first: kelurahan, slum ha, ha nobody reaches, bad criteria nobody took
    (`short`: their ids only, for print)."""
    gaps = projection.gap_list(cov)
    name = (lambda c: str(c)) if short else (lambda c: criterion_label(c, lang))
    return pd.DataFrame({
        t("collab.col.kelurahan", lang): gaps["kelurahan"],
        t("collab.col.slum_ha", lang): gaps["slum_ha"].map(lambda v: fmt_number(v, lang, 2)),
        t("collab.col.ha_open", lang): gaps["ha_no_commitment"].map(lambda v: fmt_number(v, lang, 2)),
        t("collab.col.gaps", lang): gaps["uncovered"].map(lambda u: ", ".join(name(c) for c in u)),
    })


def outlook_sentence(ds: Dataset, lang: str, commitments: pd.DataFrame | None = None) -> str | None:
    """e.g. "With 42 commitments, 31.2 ha remain at the end of 2030; 31.2 ha have no commitment"."""
    o = projection.outlook(ds, commitments)
    if o is None:
        return None
    return t("collab.outlook", lang, n=o["n_commitments"], ha=fmt_ha(o["remaining_ha"], lang), year=o["year"],
             open=fmt_ha(o["no_commitment_ha"], lang))


# ---- projection chart ------------------------------------------------------------------------------

def projection_figure(ds: Dataset, lang: str, commitments: pd.DataFrame | None = None) -> go.Figure:
    """Actual slum ha of the latest period, the straight path to the target, and the projection if delivered."""
    period = projection.latest_period(ds)
    fig = go.Figure()
    if period is None:
        return fig
    actual = trends.period_series(ds, period.id)
    path = trends.target_path(ds, period.id)
    proj = projection.projection_series(ds, period.id, commitments=commitments)
    proposals = projection.projection_series(ds, period.id, projection.WITH_PROPOSALS, commitments=commitments)
    fig.add_scatter(x=actual["year"], y=actual["slum_ha"], mode="lines+markers", name=t("collab.chart.actual", lang),
                    line={"color": "#263238", "width": 3})
    fig.add_scatter(x=path["year"], y=path["path_ha"], mode="lines", name=t("trend.chart.path", lang,
                    year=int(path["year"].max())), line={"color": "#78909c", "dash": "dash"})
    fig.add_scatter(x=proj["year"], y=proj["slum_ha"], mode="lines+markers", name=t("collab.chart.projected", lang),
                    line={"color": "#1b7837", "width": 3})
    if not proposals["slum_ha"].equals(proj["slum_ha"]):
        fig.add_scatter(x=proposals["year"], y=proposals["slum_ha"], mode="lines", visible="legendonly",
                        name=t("collab.chart.with_proposals", lang), line={"color": "#5aae61", "dash": "dot"})
    fig.update_layout(title=t("collab.chart.title", lang, label=period.label), height=380,
                      yaxis_title=t("trend.axis.slum_ha", lang), xaxis={"dtick": 1}, margin={"t": 60, "b": 40},
                      legend={"orientation": "h", "y": -0.2}, template="plotly_white")
    return fig


def trend_projection(ds: Dataset, period_id: str | None = None) -> pd.DataFrame | None:
    """The projected series for a trend chart, or None: no counted commitment, or not the latest period."""
    latest = projection.latest_period(ds)
    if latest is None or (period_id is not None and str(period_id) != latest.id):
        return None
    c = reg.stored(ds.commitments)
    if not c["status"].isin(projection.COUNTED).any():
        return None
    return projection.projection_series(ds, latest.id)


def matrix_html(ds: Dataset, lang: str) -> str:
    """The matriks kolaborasi as an escaped HTML table (offline briefing)."""
    tab = matrix(ds.commitments, ds, lang)
    if tab.empty:
        return f"<p>{html.escape(t('collab.none_yet', lang))}</p>"
    return tab.to_html(index=False, escape=True, border=0, classes="kotaku-matrix")


# ---- briefing hooks (utils/views/briefing_pdf.py, briefing_html.py) -------------------------------------

def projection_line(ds: Dataset, lang: str) -> str | None:
    """e.g. "Projection if the commitments are delivered: 2025 115.09 ha · 2026 112.43 ha · ..."."""
    if trend_projection(ds) is None:
        return None
    proj = projection.projection_dict(ds)
    years = " · ".join(f"{y} {fmt_ha(h, lang)}" for y, h in proj.items())
    return t("collab.brief.projection", lang, years=years)


def briefing_pdf_section(ds: Dataset, lang: str, width: float, para, s_h, s_body, s_small) -> list:
    """Flowables for the PDF: the outlook, the projection by year, totals by stakeholder type, the largest gaps.

    `para(text, style)` escapes its text. Empty when the dataset has no commitments."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    sentence = outlook_sentence(ds, lang) if reg.stored(ds.commitments).shape[0] else None
    if not sentence:
        return []
    out = [para(t("collab.brief.title", lang), s_h), para(sentence, s_body)]
    line = projection_line(ds, lang)
    if line:
        out.append(para(line, s_body))
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)])
    gaps = gap_view(projection.coverage(ds), lang, short=True).head(BRIEF_GAPS)
    for frame, widths in ((totals_by_type(ds, ds.commitments, lang), (0.4, 0.15, 0.2, 0.25)),
                          (gaps, (0.3, 0.15, 0.2, 0.35))):
        if frame.empty:
            continue
        data = [[para(str(h), s_small) for h in frame.columns]]
        data += [[para(str(v), s_small) for v in row] for row in frame.astype(str).to_numpy().tolist()]
        tbl = Table(data, colWidths=[width * w for w in widths], repeatRows=1)
        tbl.setStyle(style)
        out += [tbl, para(" ", s_small)]
    out.append(para(t("collab.brief.gaps_note", lang, n=BRIEF_GAPS), s_small))
    return out


BRIEF_GAPS = 8  # largest gaps listed in the PDF (the page limit is 3)


def briefing_html_section(ds: Dataset, lang: str) -> str:
    """The offline briefing's section: the outlook, the projection and the matriks kolaborasi (escaped)."""
    if not reg.stored(ds.commitments).shape[0]:
        return ""
    e = html.escape
    parts = [f"<h2>{e(t('collab.brief.title', lang))}</h2>", f"<p>{e(outlook_sentence(ds, lang) or '')}</p>"]
    line = projection_line(ds, lang)
    if line:
        parts.append(f"<p>{e(line)}</p>")
    parts.append(f"<h3>{e(t('collab.matrix.heading', lang))}</h3>")
    parts.append(f'<div style="overflow-x:auto">{matrix_html(ds, lang)}</div>')
    return "".join(parts)

