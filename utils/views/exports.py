"""Taking the data out in the forms a city uses: workbooks, CSV, GeoPackage, the blank template.

Every function returns bytes, so the Data page offers them as downloads and the CLI writes them to a
file. Every export names the dataset and its status (draft / official): an XLSX in its title rows, a
CSV in a `Status` column, a GeoPackage in a `status` field and its layer description. Categories
are written in words, kelurahan with their names as well as their codes. The geographic and the
template exports live in `exports_geo.py` and `exports_template.py`.
"""
from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from utils.analysis.investment_stats import investments as clean_investments
from utils.analysis.series import kelurahan_year
from utils.core.i18n import t
from utils.io.tables import KOTAKU_HEADERS
from utils.method.criteria import ASPECTS, CRITERIA, DENOMINATORS
from utils.store.dataset import Dataset

ASPECT_COLUMNS = [f"a_{a.id}" for a in ASPECTS]


def category_words(codes: pd.Series, lang: str) -> pd.Series:
    """`KS` -> `Kumuh Sedang`; codes the method does not know stay as written."""
    words = {c: t(f"class.{c}", lang) for c in ("KB", "KS", "KR", "TK", "ND")}
    return codes.astype("string").map(lambda c: words.get(c, c) if isinstance(c, str) else words["ND"])


def status_word(ds: Dataset, lang: str) -> str:
    status = ds.meta.status if ds.meta.status in ("draft", "official") else "draft"
    return t(f"settings.status.{status}", lang)


def dataset_label(ds: Dataset) -> str:
    return ds.meta.display_name or ds.meta.city or ds.meta.name


def title_lines(ds: Dataset, lang: str, what: str, year: int | None = None) -> list[str]:
    """The lines above a workbook's table: what, which dataset, its status, and the year."""
    name = dataset_label(ds)
    city = f" ({ds.meta.city})" if ds.meta.city and ds.meta.city != name else ""
    lines = [t(f"export.title.{what}", lang), t("export.dataset_line", lang, name=name, city=city),
             t("export.status_line", lang, status=status_word(ds, lang))]
    if year is not None:
        lines.append(t("export.year_line", lang, year=year))
    if ds.meta.illustrative:
        lines.append(t("export.illustrative", lang))
    return lines


# ---- per-kelurahan ------------------------------------------------------------------------

def _aspects_by_kelurahan(ds: Dataset, year: int) -> pd.DataFrame:
    """Area-weighted aspect percentages (a_1..a_7) per kelurahan, like the profile page shows them."""
    rows = ds.scored.frame
    cols = [c for c in ASPECT_COLUMNS if c in rows.columns]
    if rows.empty or not cols:
        return pd.DataFrame(columns=["kode_kel", *ASPECT_COLUMNS])
    rows = rows[rows["year"] == year]
    w = rows["area_ha"].fillna(0.0)
    weighted = rows[cols].mul(w, axis=0).groupby(rows["kode_kel"]).sum()
    wsum = w.groupby(rows["kode_kel"]).sum()
    plain = rows[cols].groupby(rows["kode_kel"]).mean()
    out = weighted.div(wsum.replace(0, np.nan), axis=0).fillna(plain)
    return out.reset_index()


def _investments_by_kelurahan(ds: Dataset, year: int) -> pd.DataFrame:
    inv = clean_investments(ds)
    inv = inv[inv["year"] == year]
    if inv.empty:
        return pd.DataFrame(columns=["kode_kel", "budget_idr", "n_activities"])
    g = inv.groupby("kode_kel")
    return pd.DataFrame({"budget_idr": g["budget_idr"].sum(), "n_activities": g.size()}).reset_index()


def previous_year(ds: Dataset, year: int) -> int | None:
    earlier = [y for y in ds.years if y < year]
    return earlier[-1] if earlier else None


def kelurahan_table(ds: Dataset, year: int, lang: str = "id") -> pd.DataFrame:
    """One row per kelurahan for `year`, with the previous assessed year's figures beside, headers in `lang`."""
    base = kelurahan_year(ds, year)
    out = base[["kode_kel", "kelurahan", "kecamatan"]].copy()
    out["category"] = category_words(base["category"], lang)
    out["total_score"] = base["total_score"]
    out["slum_ha"] = base["slum_ha"].round(4)
    out = out.merge(_aspects_by_kelurahan(ds, year), on="kode_kel", how="left")
    out = out.merge(_investments_by_kelurahan(ds, year), on="kode_kel", how="left")
    out["budget_idr"] = out["budget_idr"].fillna(0.0)
    out["n_activities"] = out["n_activities"].fillna(0).astype(int)
    prev = previous_year(ds, year)
    names = {"kode_kel": t("export.col.kode_kel", lang), "kelurahan": "Kelurahan", "kecamatan": "Kecamatan",
             "category": t("export.col.category", lang), "total_score": t("export.col.score", lang),
             "slum_ha": t("export.col.slum_ha", lang), "budget_idr": t("export.col.budget", lang, year=year),
             "n_activities": t("export.col.activities", lang, year=year)}
    for a in ASPECTS:
        names[f"a_{a.id}"] = t("export.col.aspect", lang, aspect=a.name_id if lang != "en" else a.name_en)
    if prev is not None:
        p = kelurahan_year(ds, prev)
        out = out.merge(pd.DataFrame({"kode_kel": p["kode_kel"], "prev_category": category_words(p["category"], lang),
                                      "prev_score": p["total_score"], "prev_slum_ha": p["slum_ha"].round(4)}),
                        on="kode_kel", how="left")
        out["change_ha"] = (out["slum_ha"] - out["prev_slum_ha"]).round(4)
        names.update(prev_category=t("export.col.prev_category", lang, year=prev),
                     prev_score=t("export.col.prev_score", lang, year=prev),
                     prev_slum_ha=t("export.col.prev_slum_ha", lang, year=prev),
                     change_ha=t("export.col.change_ha", lang, prev=prev, year=year))
    for col in ASPECT_COLUMNS:
        if col not in out.columns:
            out[col] = np.nan
        out[col] = out[col].round(2)
    order = ["kode_kel", "kelurahan", "kecamatan", "category", "total_score", "slum_ha", *ASPECT_COLUMNS,
             "budget_idr", "n_activities", *[c for c in ("prev_category", "prev_score", "prev_slum_ha", "change_ha")
                                             if c in out.columns]]
    return out[order].rename(columns=names)


# ---- the RT table and investments ---------------------------------------------------------

def _rt_headers(lang: str) -> dict[str, str]:
    """Headers the importer reads back (KOTAKU words in Bahasa, plain words in English)."""
    if lang == "en":
        heads = {"year": "Year", "sk_period": "SK period", "kode_kec": "Kecamatan code", "kecamatan": "Kecamatan",
                 "kode_kel": "Kelurahan code", "kelurahan": "Kelurahan", "kawasan_id": "Kawasan code", "rt": "RT"}
        heads.update({k: f"{v[2]} ({v[0]})" for k, v in DENOMINATORS.items()})
        heads.update({f"p_{c.id}": f"{c.id} percent" for c in CRITERIA})
        heads.update({f"n_{c.id}": f"{c.id} score" for c in CRITERIA})
    else:
        heads = {"year": "Tahun", "sk_period": "Periode SK", "kode_kec": "Kode Kecamatan", "kecamatan": "Kecamatan",
                 "kode_kel": "Kode Kelurahan", "kelurahan": "Kelurahan", "kawasan_id": "Kode Kawasan", "rt": "RT"}
        heads.update({k: KOTAKU_HEADERS.get(k, f"{v[1]} ({v[0]})") for k, v in DENOMINATORS.items()})
        heads.update({f"p_{c.id}": f"{c.id} Prosen" for c in CRITERIA})
        heads.update({f"n_{c.id}": f"{c.id} Nilai" for c in CRITERIA})
    heads.update({f"a_{a.id}": t("export.col.aspect", lang, aspect=a.name_id if lang != "en" else a.name_en)
                  for a in ASPECTS})
    heads.update(total_score=t("export.col.score", lang), category=t("export.col.category", lang),
                 slum_ha=t("export.col.slum_ha", lang), status=t("export.col.status", lang))
    return heads


def assessments_table(ds: Dataset, lang: str = "id", with_status: bool = False) -> pd.DataFrame:
    """The scored RT (unit) rows: names beside codes, categories in words, headers in `lang`."""
    rows = ds.scored.frame.copy()
    if rows.empty:
        return pd.DataFrame(columns=list(_rt_headers(lang).values()))
    kel = pd.DataFrame(ds.kelurahan[["kode_kel", "kelurahan", "kode_kec", "kecamatan"]]).astype({"kode_kel": str})
    rows["kode_kel"] = rows["kode_kel"].astype(str)
    rows = rows.drop(columns=[c for c in ("kelurahan", "kecamatan", "kode_kec") if c in rows.columns])
    rows = rows.merge(kel, on="kode_kel", how="left")
    rows["category"] = category_words(rows["category"], lang)
    order = ["year", "sk_period", "kode_kec", "kecamatan", "kode_kel", "kelurahan", "kawasan_id", "rt",
             *[d for d in DENOMINATORS if d in rows.columns], *[f"p_{c.id}" for c in CRITERIA],
             *[f"n_{c.id}" for c in CRITERIA], *ASPECT_COLUMNS, "total_score", "category", "slum_ha"]
    out = rows[[c for c in order if c in rows.columns]].sort_values(["year", "kode_kel", "kawasan_id", "rt"])
    for col in out.columns:
        if col.startswith(("p_", "a_")):
            out[col] = out[col].round(2)
    if with_status:
        out["status"] = status_word(ds, lang)
    return out.rename(columns=_rt_headers(lang)).reset_index(drop=True)


def investments_table(ds: Dataset, lang: str = "id", with_status: bool = False) -> pd.DataFrame:
    inv = clean_investments(ds)
    en = lang == "en"
    names = {"year": "Year" if en else "Tahun", "kode_kel": "Kelurahan code" if en else "Kode Kelurahan",
             "kelurahan": "Kelurahan", "kecamatan": "Kecamatan", "kawasan_id": "Kawasan code" if en else "Kode Kawasan",
             "rt": "RT", "criterion": "Criterion" if en else "Kriteria", "aspect": "Aspect" if en else "Aspek",
             "activity": "Activity" if en else "Kegiatan", "volume": "Volume", "unit": "Unit" if en else "Satuan",
             "budget_idr": "Budget (Rp)" if en else "Anggaran (Rp)",
             "funding_source": "Funding source" if en else "Sumber Dana",
             "implementer": "Implementer" if en else "Pelaksana", "status": t("export.col.status", lang)}
    aspect_names = {a.id: (a.name_en if en else a.name_id) for a in ASPECTS}
    inv["aspect"] = inv["aspect"].map(aspect_names)
    if with_status:
        inv["status"] = status_word(ds, lang)
    return inv.rename(columns=names)


# ---- writers ------------------------------------------------------------------------------

def csv_bytes(frame: pd.DataFrame, lang: str = "id") -> bytes:
    """CSV as the user's Excel opens it: Bahasa `;` with a decimal comma, English `,` with a dot;
    UTF-8 with a BOM so that names like Tamba'an or Pônten survive."""
    buf = io.StringIO()
    if lang == "en":
        frame.to_csv(buf, index=False, lineterminator="\r\n")
    else:
        frame.to_csv(buf, index=False, sep=";", decimal=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, tuple[list[str], pd.DataFrame]],
               number_formats: dict[str, str] | None = None) -> bytes:
    """Sheets of (title lines, table): the title lines in bold above, the header frozen below them."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, (lines, frame) in sheets.items():
            start = len(lines) + 1 if lines else 0
            frame.to_excel(writer, sheet_name=name[:31], index=False, startrow=start)
            ws = writer.sheets[name[:31]]
            for i, line in enumerate(lines, start=1):
                ws.cell(row=i, column=1, value=line).font = Font(bold=i <= 3)
            fill = PatternFill("solid", fgColor="DDEBF7")
            for cell in ws[start + 1]:
                cell.font, cell.fill = Font(bold=True), fill
            ws.freeze_panes = ws.cell(row=start + 2, column=3)
            for j, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = min(max(10, len(str(col)) + 2), 40)
                fmt = (number_formats or {}).get(col)
                if fmt:
                    for r in range(start + 2, start + 2 + len(frame)):
                        ws[f"{letter}{r}"].number_format = fmt
    return buf.getvalue()


def _formats(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    money = {t("export.col.budget", lang, year=y) for y in range(1990, 2101)}
    out = {}
    for col in frame.columns:
        if col in money or "(Rp)" in str(col):
            out[col] = "#,##0"
        elif pd.api.types.is_float_dtype(frame[col]):
            out[col] = "0.00"
    return out


def kelurahan_workbook(ds: Dataset, year: int, lang: str = "id") -> bytes:
    table = kelurahan_table(ds, year, lang)
    return xlsx_bytes({t("export.sheet.kelurahan", lang): (title_lines(ds, lang, "kelurahan", year), table)},
                      _formats(table, lang))


def kelurahan_csv(ds: Dataset, year: int, lang: str = "id") -> bytes:
    table = kelurahan_table(ds, year, lang)
    table[t("export.col.status", lang)] = status_word(ds, lang)
    return csv_bytes(table, lang)


def assessments_xlsx(ds: Dataset, lang: str = "id") -> bytes:
    table = assessments_table(ds, lang)
    return xlsx_bytes({t("export.sheet.assessments", lang): (title_lines(ds, lang, "assessments"), table)},
                      _formats(table, lang))


def assessments_csv(ds: Dataset, lang: str = "id") -> bytes:
    """`;` and decimal commas in Bahasa Indonesia, `,` and dots in English (Excel's regional convention)."""
    return csv_bytes(assessments_table(ds, lang, with_status=True), lang)


def investments_xlsx(ds: Dataset, lang: str = "id") -> bytes:
    table = investments_table(ds, lang)
    return xlsx_bytes({t("export.sheet.investments", lang): (title_lines(ds, lang, "investments"), table)},
                      _formats(table, lang))


def investments_csv(ds: Dataset, lang: str = "id") -> bytes:
    return csv_bytes(investments_table(ds, lang, with_status=True), lang)


def file_name(ds: Dataset, what: str, suffix: str, year: int | None = None) -> str:
    """`kota_pasuruan_kelurahan_2024_draft.xlsx`: the status is in the name too."""
    parts = [ds.meta.name or "dataset", what, *([str(year)] if year else []), ds.meta.status or "draft"]
    return "_".join(parts) + suffix
