"""Priority views without Streamlit: the ranked unit table, slum ha by handling type, the priority
per kawasan (or per kelurahan), and the briefing's ranking (official priority when the data has it).

Units without PL or legality inputs stay in every table with their physical class and the label
"prioritas belum dinilai"; nothing here invents a priority.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from utils.core.i18n import fmt_number, t
from utils.io.tables import frames_to_xlsx
from utils.method import priority as engine
from utils.method.criteria import CLASSES, SLUM_CLASS_CODES
from utils.method.priority_table import HANDLING_TYPES, NOT_ASSESSED, TYPOLOGIES
from utils.store.dataset import Dataset

_SEVERITY = {c.code: i for i, c in enumerate(reversed(CLASSES))}  # TK 0 .. KB 3
TABLE_COLUMNS = [
    "kode_kel", "kelurahan", "kecamatan", "sk_period", "kawasan_id", "kawasan", "rt", "category", "total_score",
    "pl_score", "pl_level", "legal", "priority", "priority_class", "handling", "typology", "slum_ha", "area_ha",
    "priority_status",
]


def unit_rows(ds: Dataset, year: int) -> pd.DataFrame:
    """Scored rows of `year` with the priority columns (all 'not assessed' without inputs) and names.

    Kept on the Dataset object (cached by the app per version): the page, the overview, the map and
    the briefing all ask for the same year."""
    memo = ds.__dict__.setdefault("_priority_memo", {})
    if year not in memo:
        memo[year] = _unit_rows(ds, year)
    return memo[year].copy()


def _unit_rows(ds: Dataset, year: int) -> pd.DataFrame:
    rows = ds.scored.frame
    if rows.empty or "year" not in rows.columns:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    rows = engine.with_priority_columns(rows[rows["year"] == year])
    names = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kecamatan"]]).drop_duplicates("kode_kel")
    rows = rows.drop(columns=[c for c in ("kelurahan", "kecamatan") if c in rows.columns]).merge(
        names, on="kode_kel", how="left")
    for col in ("kawasan_id", "rt", "sk_period"):
        if col not in rows.columns:
            rows[col] = ""
    rows["kawasan"] = rows["kawasan_id"]
    if ds.kawasan is not None and not ds.kawasan.empty and "kawasan" in ds.kawasan.columns:
        kaw = pd.DataFrame(ds.kawasan.drop(columns="geometry"))
        lookup = dict(zip(kaw["kawasan_id"].astype(str), kaw["kawasan"].astype(str)))
        rows["kawasan"] = rows["kawasan_id"].astype(str).map(lookup).fillna(rows["kawasan_id"])
    return rows


def rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Priority 1 first (not assessed last), then the highest score, then the most slum ha."""
    order = frame.assign(_p=pd.to_numeric(frame["priority"], errors="coerce").fillna(99),
                         _sev=frame["category"].map(_SEVERITY).fillna(-1))
    order = order.sort_values(["_p", "total_score", "slum_ha", "_sev", "kelurahan"],
                              ascending=[True, False, False, False, True], kind="stable")
    return order.drop(columns=["_p", "_sev"]).reset_index(drop=True)


def priority_table(ds: Dataset, year: int) -> pd.DataFrame:
    """Every slum unit of `year`, ranked (TK units have no priority and are left out)."""
    rows = unit_rows(ds, year)
    if rows.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    rows = rows[rows["category"].isin(SLUM_CLASS_CODES)]
    return rank(rows)[TABLE_COLUMNS]


def filter_table(table: pd.DataFrame, handling: list[str] | None = None,
                 typology: list[str] | None = None) -> pd.DataFrame:
    """Keep the rows of the chosen handling types (NOT_ASSESSED for no priority) and typologies ('' = none)."""
    out = table
    if handling:
        h = out["handling"].astype("string").fillna(NOT_ASSESSED)
        out = out[h.isin(handling).to_numpy()]
    if typology:
        ty = out["typology"].astype("string").fillna("")
        out = out[ty.isin(typology).to_numpy()]
    return out.reset_index(drop=True)


def has_priority(ds: Dataset, year: int | None = None) -> bool:
    """Whether any unit (of `year`) has an official priority."""
    rows = ds.scored.frame
    if "priority_status" not in rows.columns:
        return False
    if year is not None:
        rows = rows[rows["year"] == year]
    return bool((rows["priority_status"] == engine.STATUS_ASSESSED).any())


def typologies_present(table: pd.DataFrame) -> list[str]:
    present = set(table["typology"].dropna().astype(str))
    return [ty for ty in TYPOLOGIES if ty in present]


def handling_ha(ds: Dataset, year: int) -> pd.Series:
    """Slum ha of `year` by handling type, with the slum ha whose priority is not assessed."""
    rows = unit_rows(ds, year)
    keys = [*HANDLING_TYPES, NOT_ASSESSED]
    if rows.empty:
        return pd.Series(0.0, index=keys)
    rows = rows[rows["category"].isin(SLUM_CLASS_CODES)]
    h = rows["handling"].astype("string").fillna(NOT_ASSESSED)
    return rows["slum_ha"].groupby(h.to_numpy()).sum().reindex(keys, fill_value=0.0).astype(float)


def handling_sentence(ha: pd.Series, lang: str, short: bool = False) -> str:
    """'Pemukiman kembali: 8,25 ha · Peremajaan …' for the overview caption and the briefing."""
    key = "priority.handling_short." if short else "priority.handling."
    parts = [f"{t(key + k, lang)}: {fmt_number(v, lang, 2)} ha" for k, v in ha.items() if v > 0]
    return " · ".join(parts) if parts else "–"


# ---- per area (map, briefing) ------------------------------------------------------------

def _best_per(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The best-priority unit of each group (ties: highest score, most slum ha): its priority, class,
    handling; plus the group's slum ha and how many of its slum units are assessed."""
    ranked = rank(rows)
    best = ranked.drop_duplicates(keys, keep="first").set_index(keys)
    g = rows.groupby(keys, sort=False)
    slum = rows["category"].isin(SLUM_CLASS_CODES)
    out = pd.DataFrame({
        "priority": best["priority"], "priority_class": best["priority_class"], "handling": best["handling"],
        "pl_level": best["pl_level"], "legal": best["legal"], "typology": best["typology"],
        "category": rows.assign(_s=rows["category"].map(_SEVERITY)).groupby(keys)["_s"].max().map(
            {v: k for k, v in _SEVERITY.items()}),
        "total_score": g["total_score"].max(), "slum_ha": g["slum_ha"].sum(),
        "n_slum": slum.groupby([rows[k] for k in keys]).sum(),
        "n_assessed": (rows["priority_status"] == engine.STATUS_ASSESSED).groupby([rows[k] for k in keys]).sum(),
    })
    return out.reset_index()


def area_priorities(ds: Dataset, year: int) -> tuple[str, pd.DataFrame]:
    """('kawasan' or 'kelurahan', one row per area): priority per kawasan where the year's units have
    kawasan with outlines, else per kelurahan (the best priority among its units)."""
    rows = unit_rows(ds, year)
    if rows.empty:
        return "kelurahan", pd.DataFrame(columns=["kode_kel", "priority", "handling"])
    kaw = ds.kawasan
    if kaw is not None and not kaw.empty:
        ids = set(kaw["kawasan_id"].astype(str))
        with_kaw = rows["kawasan_id"].astype(str).isin(ids)
        if with_kaw.all():
            return "kawasan", _best_per(rows, ["sk_period", "kawasan_id"])
    return "kelurahan", _best_per(rows, ["kode_kel"])


def kelurahan_priorities(ds: Dataset, year: int) -> pd.DataFrame:
    """One row per kelurahan with slum units in `year`: best priority, its class and handling."""
    rows = unit_rows(ds, year)
    if rows.empty:
        return pd.DataFrame(columns=["kode_kel", "kelurahan", "kecamatan", "priority"])
    best = _best_per(rows[rows["category"].isin(SLUM_CLASS_CODES)], ["kode_kel"])
    names = rows[["kode_kel", "kelurahan", "kecamatan"]].drop_duplicates("kode_kel")
    return names.merge(best, on="kode_kel", how="inner")


def briefing_priorities(ds: Dataset, year: int, fallback: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, bool]:
    """(table, official): kelurahan ranked by the official priority when the year's data has it;
    otherwise `fallback` (today's ranking by class, score, slum ha) unchanged and official False."""
    if not has_priority(ds, year):
        return fallback, False
    kel = kelurahan_priorities(ds, year)
    kel = rank(kel)
    cols = ["kode_kel", "kelurahan", "kecamatan", "category", "total_score", "slum_ha", "priority",
            "priority_class", "handling", "n_slum", "n_assessed"]
    return kel[cols].head(n).reset_index(drop=True), True


# ---- display and download -----------------------------------------------------------------

def label_handling(value: object, lang: str) -> str:
    return t(f"priority.handling.{value if isinstance(value, str) and value else NOT_ASSESSED}", lang)


def label_legal(value: object, lang: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return t(f"priority.legal.{'true' if bool(value) else 'false'}", lang)


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked table with headers and values in `lang`, as shown on the page and in the XLSX.

    Labels are looked up once per code and mapped (a province has tens of thousands of units)."""
    def text(col: str) -> pd.Series:
        return table[col].astype("string").fillna("").str.strip().replace("nan", "")

    kaw, rt = text("kawasan"), text("rt")
    unit = (kaw + np.where((kaw != "") & (rt != ""), " · ", "") + rt).replace("", "–")
    classes = {c.code: t(f"class.{c.code}", lang) for c in CLASSES}
    handling = {h: label_handling(h, lang) for h in (*HANDLING_TYPES, NOT_ASSESSED)}
    typology = {ty: t(f"priority.typology.{ty}", lang) for ty in TYPOLOGIES}
    levels = {lv: t(f"priority.level.{lv}", lang) for lv in ("tinggi", "sedang", "rendah")}
    legal = table["legal"].astype("boolean")
    pl_score = pd.to_numeric(table["pl_score"], errors="coerce")
    pl = (pl_score.round().astype("Int64").astype("string") + " ("
          + table["pl_level"].astype("string").map(levels).astype("string") + ")").fillna("–")
    prio = pd.to_numeric(table["priority"], errors="coerce").astype("Int64").astype("string").fillna("–")
    return pd.DataFrame({
        t("priority.col.rank", lang): np.arange(1, len(table) + 1),
        t("priority.col.unit", lang): unit.to_numpy(),
        t("priority.col.kelurahan", lang): table["kelurahan"].astype(str).to_numpy(),
        t("priority.col.class", lang): table["category"].map(classes).to_numpy(),
        t("priority.col.score", lang): table["total_score"].to_numpy(),
        t("priority.col.pl", lang): pl.to_numpy(),
        t("priority.col.legal", lang): legal.map({True: label_legal(True, lang), False: label_legal(False, lang)})
        .astype(object).fillna("–").to_numpy(),
        t("priority.col.priority", lang): prio.to_numpy(),
        t("priority.col.priority_class", lang): table["priority_class"].astype("string").fillna("–").to_numpy(),
        t("priority.col.handling", lang): table["handling"].astype("string").fillna(NOT_ASSESSED).map(handling)
        .to_numpy(),
        t("priority.col.typology", lang): table["typology"].astype("string").map(typology).astype(object)
        .fillna("–").to_numpy(),
        t("priority.col.slum_ha", lang): table["slum_ha"].astype(float).round(2).to_numpy(),
    })


def xlsx_bytes(table: pd.DataFrame, lang: str, year: int) -> bytes:
    """The table as shown (localised) plus the model columns, for a workshop to sort and annotate."""
    return frames_to_xlsx({t("priority.sheet", lang, year=year): display_table(table, lang),
                           "data": engine.csv_ready(table)})


# ---- the briefing (PDF and HTML share these) ----------------------------------------------

BRIEF_WIDTHS = (0.06, 0.24, 0.2, 0.27, 0.09, 0.14)  # today's ranking: the briefing's own layout
BRIEF_WIDTHS_OFFICIAL = (0.05, 0.18, 0.16, 0.24, 0.1, 0.15, 0.12)


def briefing_table(table: pd.DataFrame, official: bool, lang: str) -> tuple[list[str], list[list[str]], tuple]:
    """(header, rows, column widths) of the briefing's priority table; the class stays column 3 in
    both layouts, where the exports draw its colour swatch."""
    if not official:
        head = [t("brief.col.rank", lang), t("brief.col.kelurahan", lang), t("brief.col.kecamatan", lang),
                t("brief.col.class", lang), t("brief.col.score", lang), t("brief.col.slum_ha", lang)]
        rows = [[str(i + 1), str(r.kelurahan), str(r.kecamatan), t(f"class.{r.category}", lang),
                 fmt_number(r.total_score, lang, 0), f"{fmt_number(r.slum_ha, lang, 2)} ha"]
                for i, r in enumerate(table.itertuples())]
        return head, rows, BRIEF_WIDTHS
    head = [t("brief.col.rank", lang), t("brief.col.kelurahan", lang), t("brief.col.kecamatan", lang),
            t("brief.col.class", lang), t("priority.col.priority", lang), t("priority.col.handling", lang),
            t("brief.col.slum_ha", lang)]
    rows = []
    for i, r in enumerate(table.itertuples()):
        prio = "–" if pd.isna(r.priority) else f"{int(r.priority)} ({r.priority_class})"
        rows.append([str(i + 1), str(r.kelurahan), str(r.kecamatan), t(f"class.{r.category}", lang), prio,
                     t(f"priority.handling_short.{r.handling if not pd.isna(r.handling) else NOT_ASSESSED}", lang),
                     f"{fmt_number(r.slum_ha, lang, 2)} ha"])
    return head, rows, BRIEF_WIDTHS_OFFICIAL


def briefing_rule(official: bool, lang: str) -> str:
    """How the table is ordered: the official priority, or today's ranking and that it is not official."""
    return t("priority.brief.rule_official" if official else "brief.priority_rule", lang)


def briefing_handling_line(ds: Dataset, year: int, lang: str) -> str:
    """'Slum area by type of handling: …' for the briefing; empty when no priority is assessed."""
    if not has_priority(ds, year):
        return ""
    return t("priority.brief.handling", lang, parts=handling_sentence(handling_ha(ds, year), lang, short=True))
