"""The briefing's numbers and sentences for one year of its SK period: headline figures, the
category line, the pace, the kelurahan to prioritise and the data source. Shared by the page,
the PDF and the HTML export."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from utils.analysis import trends
from utils.core.i18n import fmt_ha, fmt_number, t
from utils.method.criteria import CLASSES, SLUM_CLASS_CODES
from utils.store.dataset import Dataset
from utils.views import priority as priority_views
from utils.views.static_map import LEGEND_CODES

_SEVERITY = {c.code: i for i, c in enumerate(reversed(CLASSES))}  # TK 0 .. KB 3
PRIORITY_ROWS = 10


# ==== the numbers ===========================================================================

@dataclass
class Briefing:
    """Everything the PDF and the HTML show, computed once."""

    lang: str
    city: str
    year: int
    period_id: str
    period_label: str
    baseline_year: int
    baseline_ha: float
    slum_ha: float
    target_year: int
    target_ha: float
    reduced_year_ha: float | None
    reduced_since_baseline_ha: float
    pace_achieved: float | None  # ha per year since the baseline
    pace_needed: float | None  # ha per year from now to the target
    counts: dict[str, int]
    priorities: pd.DataFrame
    series: pd.DataFrame  # year, slum_ha of the selected SK period
    source: str
    source_date: str
    illustrative: bool
    kel_categories: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    official_priority: bool = False  # priorities ranked by the official priority (views/priority.py)
    handling_line: str = ""  # slum ha by type of handling; empty when no priority is assessed
    status: str = "draft"  # the dataset's status; a draft must never pass for the city's official figures


def _target_year(ds: Dataset, period) -> int:
    fn = getattr(trends, "period_target_year", None)
    return int(fn(ds, period)) if fn else int(ds.meta.target_year)


def priorities(ds: Dataset, year: int, n: int = PRIORITY_ROWS) -> pd.DataFrame:
    """Kelurahan still slum in `year`, heaviest class first, then highest score, then most slum ha."""
    kel = trends.kelurahan_year(ds, year)
    kel = kel[kel["category"].isin(SLUM_CLASS_CODES)].copy()
    kel["_sev"] = kel["category"].map(_SEVERITY)
    kel = kel.sort_values(["_sev", "total_score", "slum_ha", "kelurahan"], ascending=[False, False, False, True])
    cols = ["kode_kel", "kelurahan", "kecamatan", "category", "total_score", "slum_ha"]
    return kel[cols].head(n).reset_index(drop=True)


def build_briefing(ds: Dataset, year: int, lang: str) -> Briefing:
    """The briefing's numbers for `year` (condition at the end of that year) in its SK period."""
    summary = trends.year_summary(ds, year)
    if summary is None:
        raise ValueError(t("brief.no_year", lang, year=year))
    period = summary["period"]
    series = trends.city_series(ds)
    ps = series[(series["sk_period"] == period.id) & (series["year"] <= year)]
    target_year = _target_year(ds, period)
    elapsed = year - summary["baseline_year"]
    achieved = summary["reduced_since_baseline_ha"] / elapsed if elapsed > 0 else None
    remaining = max(summary["slum_ha"] - summary["target_ha"], 0.0)
    needed = (remaining / (target_year - year) if target_year > year and remaining > 0
              else (0.0 if remaining <= 0 else None))
    counts = trends.category_counts(ds, year)
    kel = trends.kelurahan_year(ds, year)
    ranked, official = priority_views.briefing_priorities(ds, year, priorities(ds, year), PRIORITY_ROWS)
    return Briefing(
        lang=lang, city=ds.meta.city, year=year, period_id=period.id, period_label=period.label,
        baseline_year=summary["baseline_year"], baseline_ha=summary["baseline_ha"], slum_ha=summary["slum_ha"],
        target_year=target_year, target_ha=summary["target_ha"], reduced_year_ha=summary["reduced_ha"],
        reduced_since_baseline_ha=summary["reduced_since_baseline_ha"], pace_achieved=achieved, pace_needed=needed,
        counts={c: int(counts.get(c, 0)) for c in LEGEND_CODES}, priorities=ranked,
        series=ps[["year", "slum_ha"]].reset_index(drop=True), source=ds.meta.source or "",
        source_date=ds.meta.source_date or "", illustrative=bool(ds.meta.illustrative),
        kel_categories=kel[["kode_kel", "category"]], official_priority=official,
        handling_line=priority_views.briefing_handling_line(ds, year, lang),
        status="official" if getattr(ds.meta, "status", "draft") == "official" else "draft",
    )


def _rate(v: float | None, lang: str) -> str:
    return "–" if v is None else t("brief.per_year", lang, ha=fmt_ha(v, lang))


def headline(b: Briefing) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order both exports show them."""
    L = b.lang
    return [
        (t("brief.h.slum_now", L, year=b.year), fmt_ha(b.slum_ha, L)),
        (t("brief.h.baseline", L, year=b.baseline_year), fmt_ha(b.baseline_ha, L)),
        (t("brief.h.target", L, year=b.target_year), fmt_ha(b.target_ha, L)),
        (t("brief.h.reduced_year", L, year=b.year),
         "–" if b.reduced_year_ha is None else fmt_ha(b.reduced_year_ha, L)),
        (t("brief.h.reduced_total", L, year=b.baseline_year), fmt_ha(b.reduced_since_baseline_ha, L)),
        (t("brief.h.pace_achieved", L), _rate(b.pace_achieved, L)),
        (t("brief.h.pace_needed", L, year=b.target_year), _rate(b.pace_needed, L)),
    ]


def period_text(label: str, lang: str) -> str:
    """The period's label where a sentence names it, never "periode SK SK 1": a label that
    already starts with "SK" is used as it is."""
    label = str(label).strip()
    return label if label[:2].upper() == "SK" else t("report.period", lang, label=label)


def subtitle(b: Briefing) -> str:
    return t("brief.pdf.subtitle", b.lang, period=period_text(b.period_label, b.lang), year=b.year,
             today=date.today().isoformat(), status=t(f"brief.status.{b.status}", b.lang))


def headline_metrics(b: Briefing) -> list[tuple[str, str]]:
    """The headline as page metrics: the same figures, with the rates' unit moved into the label
    ("Laju tercapai (ha/tahun)", "10,58"), so no value is cut off in a narrow column."""
    L = b.lang
    rate = {t("brief.h.pace_achieved", L): ("report.metric.pace_achieved", b.pace_achieved),
            t("brief.h.pace_needed", L, year=b.target_year): ("report.metric.pace_needed", b.pace_needed)}
    out = []
    for label, value in headline(b):
        if label in rate:
            key, v = rate[label]
            label, value = t(key, L, year=b.target_year), "–" if v is None else fmt_number(v, L, 2)
        out.append((label, value))
    return out


def category_line(b: Briefing) -> str:
    return " · ".join(f"{t(f'class.{c}', b.lang)}: {b.counts.get(c, 0)}" for c in LEGEND_CODES)


def pace_sentence(b: Briefing) -> str:
    L = b.lang
    if b.slum_ha <= b.target_ha:
        return t("brief.pace.reached", L)
    if b.pace_achieved is None or b.pace_needed is None:
        return t("brief.pace.unknown", L)
    key = "brief.pace.on_track" if b.pace_achieved >= b.pace_needed else "brief.pace.behind"
    return t(key, L, achieved=fmt_number(b.pace_achieved, L), needed=fmt_number(b.pace_needed, L),
             year=b.target_year)


def source_line(b: Briefing) -> str:
    src = b.source.strip().rstrip(".") or t("brief.source_unknown", b.lang)  # the template adds the full stop
    return t("brief.source", b.lang, source=src, date=b.source_date or "–")


def priority_table(b: Briefing) -> pd.DataFrame:
    """The priorities as a reader sees them (page and PDF alike): rank, names, the class in words,
    score and slum area written in the briefing's language (decimal comma in Bahasa Indonesia).
    With the official priority (legality and other considerations in the data) it shows priority,
    class code and type of handling instead of the score (`views/priority.briefing_table`)."""
    head, rows, _ = priority_views.briefing_table(b.priorities, b.official_priority, b.lang)
    return pd.DataFrame(rows, columns=head, dtype="string")


def priority_rule(b: Briefing) -> str:
    """How the priority table is ordered: the official priority, or today's ranking and that it is not."""
    return priority_views.briefing_rule(b.official_priority, b.lang)


def file_stem(ds: Dataset, year: int, lang: str) -> str:
    """A file name stem such as paparan_kota_pasuruan_2019_id."""
    city = "".join(ch if ch.isalnum() else "_" for ch in ds.meta.city.lower()).strip("_")
    return f"{t('brief.file_prefix', lang)}_{city}_{year}_{lang}"
