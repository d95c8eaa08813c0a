"""Data: import the city's files (upload -> preview -> report -> confirm), switch and delete datasets, downloads.

Thin: reading, validating and storing live in utils.importer; this page lays out widgets and keeps
the preview in session state so reruns do not re-read the files.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.core.findings import Finding
from utils.io.boundaries import ColumnMapping
from utils.io.tables import build_template, frames_to_xlsx
from utils.io.uploads import UploadError
from utils.io.validation import escape_markdown
from utils.store import importer

BOUNDARY_TYPES = ["zip", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "geojson", "json", "kml", "parquet"]
TABLE_TYPES = ["xlsx", "xlsm", "csv", "txt"]
PREVIEW_KEY = "_import_preview"
FLASH_KEY = "_import_flash"
ROUND_KEY = "_import_round"  # bumped after a save or cancel so the uploaders start empty
DELETE_KEY = "_delete_pending"
MAX_FINDINGS_SHOWN = 60

ctx = ui.page_context()
L = ctx.lang
T = ui.T


def _msg(f: Finding) -> str:
    return escape_markdown(f.message(L))


def _flash() -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, text = flash
        getattr(st, kind)(escape_markdown(text))


def _options() -> importer.ImportOptions:
    s = st.session_state
    mapping = None
    if s.get("import_code_col") or s.get("import_name_col") or s.get("import_kec_col"):
        mapping = ColumnMapping(level="kelurahan", code=s.get("import_code_col") or None,
                                name=s.get("import_name_col") or None, kec_name=s.get("import_kec_col") or None)
    return importer.ImportOptions(crs=(s.get("import_crs") or "").strip() or None,
                                  kelurahan_layer=s.get("import_layer") or None, mapping=mapping,
                                  assessment_sheet=s.get("import_sheet") or None)


def _files_key(files) -> tuple:
    return tuple((f.file_id, f.name, f.size) for f in files if f is not None)


def _preview(boundaries, assessments, investments, options: importer.ImportOptions) -> importer.ImportPreview:
    key = (_files_key(boundaries), _files_key([assessments]), _files_key([investments]), repr(options))
    cached = st.session_state.get(PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]
    with st.spinner():
        preview = importer.prepare_uploads(
            [(f.name, f.getvalue()) for f in boundaries],
            (assessments.name, assessments.getvalue()) if assessments else None,
            (investments.name, investments.getvalue()) if investments else None,
            options)
    st.session_state[PREVIEW_KEY] = (key, preview)
    return preview


def _default_name(city: str) -> str:
    try:
        slug = store.slugify(city)
    except store.StoreError:
        slug = "kota"
    return slug + "_import" if slug == store.SAMPLE_NAME else slug


def _reset_uploads() -> None:
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    st.session_state.pop(PREVIEW_KEY, None)


def _confirm(preview: importer.ImportPreview) -> None:
    """Button callback: runs before the next script run, so it may select the new dataset in the sidebar."""
    name = (st.session_state.get("import_name") or "").strip()
    try:
        info = importer.commit(preview, name)
    except UploadError as exc:
        st.session_state[FLASH_KEY] = ("error", exc.finding.message(L))
        return
    except Exception as exc:  # noqa: BLE001 - the store stays unchanged; tell the user why
        st.session_state[FLASH_KEY] = ("error", T("import.page.store_failed", reason=str(exc)[:200]))
        return
    st.session_state[ui.DATASET_KEY] = info.name
    st.session_state.pop(ui.YEAR_KEY, None)
    st.session_state[FLASH_KEY] = ("success", T("import.page.stored", name=info.name, version=info.version))
    _reset_uploads()


def _cancel() -> None:
    _reset_uploads()
    st.session_state[FLASH_KEY] = ("info", T("import.page.cancelled"))


def _use(name: str) -> None:
    st.session_state[ui.DATASET_KEY] = name
    st.session_state.pop(ui.YEAR_KEY, None)


def _delete(name: str, version: int) -> None:
    try:
        store.delete_version(name, version)
    except store.StoreError as exc:
        st.session_state[FLASH_KEY] = ("error", str(exc))
    else:
        st.session_state[FLASH_KEY] = ("success", T("import.page.deleted", name=name, version=version))
        if not store.list_versions(name):
            st.session_state.pop(ui.DATASET_KEY, None)
    st.session_state.pop(DELETE_KEY, None)


# ---- import -------------------------------------------------------------------------------

st.title(T("import.page.title"))
_flash()
st.header(T("import.page.import_header"))
st.caption(T("import.page.import_intro"))
rnd = st.session_state.get(ROUND_KEY, 0)
boundaries = st.file_uploader(T("import.page.boundaries"), type=BOUNDARY_TYPES, accept_multiple_files=True,
                              key=f"import_boundaries_{rnd}")
c1, c2 = st.columns(2)
assessments = c1.file_uploader(T("import.page.assessments"), type=TABLE_TYPES, key=f"import_assessments_{rnd}")
investments = c2.file_uploader(T("import.page.investments"), type=TABLE_TYPES, key=f"import_investments_{rnd}")
st.download_button(T("import.page.template"), data=lambda: build_template(L), file_name="templat_kotaku.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/table_view:", key="import_template")

if boundaries:
    preview = _preview(boundaries, assessments, investments, _options())
    with st.expander(T("import.page.options"), expanded=bool(preview.needs)):
        st.text_input(T("import.page.crs"), key="import_crs")
        if len(preview.layers) > 1:
            st.selectbox(T("import.page.kel_layer"), options=["", *[s.label for s in preview.layers]],
                         format_func=lambda v: v or T("import.page.auto"), key="import_layer")
        if preview.columns:
            st.caption(T("import.page.mapping"))
            cols = ["", *preview.columns]
            m1, m2, m3 = st.columns(3)
            fmt = lambda v: v or T("import.page.auto")  # noqa: E731
            m1.selectbox(T("import.page.code_col"), cols, format_func=fmt, key="import_code_col")
            m2.selectbox(T("import.page.name_col"), cols, format_func=fmt, key="import_name_col")
            m3.selectbox(T("import.page.kec_col"), cols, format_func=fmt, key="import_kec_col")
        sheets = preview.sheets.get("assessments") or []
        if len(sheets) > 1:
            st.selectbox(T("import.page.sheet"), options=["", *sheets],
                         format_func=lambda v: v or T("import.page.auto"), key="import_sheet")

    if preview.dataset is not None or (preview.report.ok and preview.report.facts):
        ds = preview.dataset
        st.subheader(T("import.page.preview"))
        if ds is not None:
            st.caption(T("import.page.preview_caption", kel=len(ds.kelurahan), kec=len(ds.kecamatan),
                         rows=len(ds.assessments)))
            st.plotly_chart(importer.preview_figure(ds.kelurahan, preview.report), key="import_preview_map",
                            config={"displayModeBar": False})
            st.dataframe(pd.DataFrame(ds.kelurahan.drop(columns="geometry")), hide_index=True, height=240)
            if not ds.assessments.empty:
                st.dataframe(ds.assessments.head(200), hide_index=True, height=240)

    st.subheader(T("import.page.report"))
    report = preview.report
    if report.errors:
        st.markdown(f"**{escape_markdown(T('import.page.errors', n=len(report.errors)))}**")
        for f in report.errors[:MAX_FINDINGS_SHOWN]:
            st.error(_msg(f), icon=":material/error:")
    if preview.unmatched_table is not None and not preview.unmatched_table.empty:
        st.caption(T("import.page.unmatched"))
        st.dataframe(preview.unmatched_table.rename(columns={
            "row": T("import.page.col_row"), "code": T("import.page.col_code"),
            "name": T("import.page.col_given_name"), "suggestions": T("import.page.col_suggestions")}),
            hide_index=True)
    if report.warnings:
        summaries = [f for f in report.warnings if f.key not in ("import.overlap", "import.gap")]
        details = [f for f in report.warnings if f.key in ("import.overlap", "import.gap")]
        st.markdown(f"**{escape_markdown(T('import.page.warnings', n=len(report.warnings)))}**")
        for f in summaries[:MAX_FINDINGS_SHOWN]:
            st.warning(_msg(f), icon=":material/warning:")
        if details:
            with st.expander(f"{len(details)} …"):
                st.text("\n".join(f.message(L) for f in details))
    if not report.findings:
        st.success(T("import.page.no_findings"))

    if preview.ok:
        default = _default_name(preview.dataset.meta.city)
        st.text_input(T("import.page.name"), value=default, key="import_name")
        b1, b2 = st.columns(2)
        b1.button(T("import.page.confirm"), type="primary", on_click=_confirm, args=(preview,), key="import_confirm",
                  icon=":material/save:")
        b2.button(T("import.page.cancel"), on_click=_cancel, key="import_cancel")
    else:
        st.info(T("import.page.blocked"))

# ---- stored datasets ----------------------------------------------------------------------

st.header(T("import.page.datasets"))
infos = store.list_datasets()
active = st.session_state.get(ui.DATASET_KEY)
for info in infos:
    row = st.columns([4, 2, 3, 2])
    label = T("sidebar.sample_label", name="Kota Pasuruan") if info.builtin else info.name
    row[0].markdown(escape_markdown(label) + (f" · **{T('import.page.active')}**" if info.name == active else ""))
    row[1].caption(f"{T('import.page.col_version')} {info.version}")
    row[2].caption(info.saved)
    row[3].button(T("import.page.use"), key=f"use_{info.name}", on_click=_use, args=(info.name,),
                  disabled=info.name == active)

if ctx.dataset_name and ctx.dataset_name != store.SAMPLE_NAME:
    versions = store.list_versions(ctx.dataset_name)
    if versions:
        st.subheader(T("import.page.versions", name=ctx.dataset_name))
        pending = st.session_state.get(DELETE_KEY)
        for v in reversed(versions):
            row = st.columns([2, 3, 3])
            row[0].write(f"v{v.version}")
            row[1].caption(v.saved)
            if row[2].button(T("import.page.delete", version=v.version), key=f"del_{v.name}_{v.version}",
                             icon=":material/delete:"):
                st.session_state[DELETE_KEY] = (v.name, v.version)
                pending = (v.name, v.version)
        if pending and pending[0] == ctx.dataset_name:
            st.warning(escape_markdown(T("import.page.delete_confirm", name=pending[0], version=pending[1])))
            d1, d2 = st.columns(2)
            d1.button(T("import.page.delete_yes"), type="primary", key="delete_yes", on_click=_delete, args=pending)
            d2.button(T("import.page.cancel"), key="delete_no", on_click=lambda: st.session_state.pop(DELETE_KEY, None))

# ---- downloads ----------------------------------------------------------------------------

ds = ctx.dataset
if ds is not None:
    st.header(T("import.page.downloads"))
    info = next((i for i in store.list_versions(ctx.dataset_name) if i.version == ctx.version), None) \
        if ctx.dataset_name != store.SAMPLE_NAME else store.list_versions(store.SAMPLE_NAME)[0]
    base = ctx.dataset_name or "dataset"
    d1, d2, d3 = st.columns(3)
    if info is not None:
        d1.download_button(T("import.page.dl_gpkg"), data=info.path.read_bytes, file_name=f"{base}.gpkg",
                           mime="application/geopackage+sqlite3", on_click="ignore", key="dl_gpkg")

    def _tables() -> bytes:
        frames = {"kelurahan": pd.DataFrame(ds.kelurahan.drop(columns="geometry")),
                  "kecamatan": pd.DataFrame(ds.kecamatan.drop(columns="geometry"))}
        if not ds.scored.frame.empty:
            frames["penilaian"] = ds.scored.frame
        if ds.investments is not None and not ds.investments.empty:
            frames["investasi"] = ds.investments
        return frames_to_xlsx(frames)

    d2.download_button(T("import.page.dl_xlsx"), data=_tables, file_name=f"{base}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                       key="dl_xlsx")
    d3.download_button(T("import.page.dl_csv"), data=lambda: ds.scored.frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{base}_penilaian.csv", mime="text/csv", on_click="ignore", key="dl_csv")
