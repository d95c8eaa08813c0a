"""A new dataset from the city's files: upload -> preview -> report (with per-row answers) -> confirm.

Nothing is stored before the confirmation; the preview is kept in session state so reruns do not
re-read the files, and is rebuilt from the kept upload when the user answers an unmatched row.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils import store, ui
from utils.io.boundaries import ColumnMapping
from utils.io.corrections import correct_table
from utils.io.uploads import UploadError
from utils.store import importer
from utils.ui import data_common as common
from utils.ui import data_corrections

BOUNDARY_TYPES = ["zip", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "geojson", "json", "kml", "parquet"]
TABLE_TYPES = ["xlsx", "xlsm", "csv", "txt"]
PREVIEW_KEY = "_import_preview"
ROUND_KEY = "_import_round"  # bumped after a save or cancel so the uploaders start empty
FIX_PREFIX = "import"


def _options() -> importer.ImportOptions:
    s = st.session_state
    mapping = None
    if s.get("import_code_col") or s.get("import_name_col") or s.get("import_kec_col"):
        mapping = ColumnMapping(level="kelurahan", code=s.get("import_code_col") or None,
                                name=s.get("import_name_col") or None, kec_name=s.get("import_kec_col") or None)
    return importer.ImportOptions(crs=(s.get("import_crs") or "").strip() or None,
                                  kelurahan_layer=s.get("import_layer") or None, mapping=mapping,
                                  assessment_sheet=s.get("import_sheet") or None)


def files_key(files) -> tuple:
    return tuple((f.file_id, f.name, f.size) for f in files if f is not None)


def _preview(boundaries, assessments, investments, options: importer.ImportOptions) -> importer.ImportPreview:
    fixes = data_corrections.corrections(FIX_PREFIX)
    key = (files_key(boundaries), files_key([assessments]), files_key([investments]), repr(options), repr(fixes))
    cached = st.session_state.get(PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]
    table = None
    if assessments is not None:
        data = assessments.getvalue()
        if fixes:
            sheet = cached[1].chosen_sheets.get("assessments") if cached else options.assessment_sheet
            data = correct_table(assessments.name, data, fixes, "assessments", sheet)
        table = (assessments.name, data)
    with st.spinner():
        preview = importer.prepare_uploads(
            [(f.name, f.getvalue()) for f in boundaries], table,
            (investments.name, investments.getvalue()) if investments else None, options)
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
    data_corrections.clear(FIX_PREFIX)


def _confirm(preview: importer.ImportPreview) -> None:
    """Button callback: runs before the next script run, so it may select the new dataset in the sidebar."""
    name = (st.session_state.get("import_name") or "").strip()
    try:
        info = importer.commit(preview, name, author=common.author(), note=ui.T("data.note.import"))
    except (UploadError, store.StoreError) as exc:
        common.save_failed(exc)
        return
    except Exception as exc:  # noqa: BLE001 - the store stays unchanged; tell the user why
        common.save_failed(exc)
        return
    common.select_dataset(info.name)
    common.flash("success", ui.T("import.page.stored", name=info.name, version=info.version))
    _reset_uploads()


def _cancel() -> None:
    _reset_uploads()
    common.flash("info", ui.T("import.page.cancelled"))


def _options_expander(preview: importer.ImportPreview) -> None:
    T = ui.T
    with st.expander(T("import.page.options"), expanded=bool(preview.needs)):
        st.text_input(T("import.page.crs"), key="import_crs")
        fmt = lambda v: v or T("import.page.auto")  # noqa: E731
        if len(preview.layers) > 1:
            st.selectbox(T("import.page.kel_layer"), options=["", *[s.label for s in preview.layers]],
                         format_func=fmt, key="import_layer")
        if preview.columns:
            st.caption(T("import.page.mapping"))
            cols = ["", *preview.columns]
            m1, m2, m3 = st.columns(3)
            m1.selectbox(T("import.page.code_col"), cols, format_func=fmt, key="import_code_col")
            m2.selectbox(T("import.page.name_col"), cols, format_func=fmt, key="import_name_col")
            m3.selectbox(T("import.page.kec_col"), cols, format_func=fmt, key="import_kec_col")
        sheets = preview.sheets.get("assessments") or []
        if len(sheets) > 1:
            st.selectbox(T("import.page.sheet"), options=["", *sheets], format_func=fmt, key="import_sheet")


def section(ctx: ui.PageContext) -> None:
    T = ui.T
    st.header(T("import.page.import_header"))
    st.caption(T("import.page.import_intro"))
    rnd = st.session_state.get(ROUND_KEY, 0)
    boundaries = st.file_uploader(T("import.page.boundaries"), type=BOUNDARY_TYPES, accept_multiple_files=True,
                                  key=f"import_boundaries_{rnd}")
    c1, c2 = st.columns(2)
    assessments = c1.file_uploader(T("import.page.assessments"), type=TABLE_TYPES, key=f"import_assessments_{rnd}")
    investments = c2.file_uploader(T("import.page.investments"), type=TABLE_TYPES, key=f"import_investments_{rnd}")
    if not boundaries:
        if assessments is not None or investments is not None:  # a table alone: say what to do with it
            own = ctx.dataset_name and ctx.dataset_name != store.SAMPLE_NAME
            st.warning(T("data.table_without_boundaries_own" if own else "data.table_without_boundaries"),
                       icon=":material/info:")
        return
    preview = _preview(boundaries, assessments, investments, _options())
    _options_expander(preview)
    ds = preview.dataset
    if ds is not None:
        st.subheader(T("import.page.preview"))
        st.caption(T("import.page.preview_caption", kel=len(ds.kelurahan), kec=len(ds.kecamatan),
                     rows=len(ds.assessments)))
        st.plotly_chart(importer.preview_figure(ds.kelurahan, preview.report), key="import_preview_map",
                        config={"displayModeBar": False})
        st.dataframe(pd.DataFrame(ds.kelurahan.drop(columns="geometry")), hide_index=True, height=240)
        if not ds.assessments.empty:
            st.dataframe(ds.assessments.head(200), hide_index=True, height=240)
    st.subheader(T("import.page.report"))
    common.show_report(preview.report, ctx.lang)
    kel = ds.kelurahan if ds is not None else None
    if kel is None and preview.match is not None and preview.match.unmatched:
        kel = _boundaries_of(boundaries, preview)
    if kel is not None:
        data_corrections.choose(FIX_PREFIX, preview.match, kel)
    if preview.ok:
        st.text_input(T("import.page.name"), value=_default_name(ds.meta.city), key="import_name")
        b1, b2 = st.columns(2)
        b1.button(T("import.page.confirm"), type="primary", on_click=_confirm, args=(preview,), key="import_confirm",
                  icon=":material/save:")
        b2.button(T("import.page.cancel"), on_click=_cancel, key="import_cancel")
    else:
        st.info(T("import.page.blocked"))
        st.button(T("import.page.cancel"), on_click=_cancel, key="import_cancel")


def _boundaries_of(boundaries, preview: importer.ImportPreview):
    """The kelurahan of the upload alone (its table blocked the import), for the per-row choices."""
    key = ("_import_kel", files_key(boundaries))
    cached = st.session_state.get("_import_kel")
    if cached and cached[0] == key:
        return cached[1]
    alone = importer.prepare_uploads([(f.name, f.getvalue()) for f in boundaries], None, None, _options())
    kel = alone.dataset.kelurahan if alone.dataset is not None else None
    st.session_state["_import_kel"] = (key, kel)
    return kel
