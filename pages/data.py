"""Data: a city's dataset through the year: import, add a year, correct, configure, history, downloads.

Thin: each section lives in `utils/ui/data_*.py`; reading, checking and storing live below utils/ui.
"""
from __future__ import annotations

import streamlit as st

from utils import ui
from utils.ui import data_add, data_common, data_downloads, data_edit, data_history, data_import, data_settings

ctx = ui.page_context()
T = ui.T

st.title(T("import.page.title"))
data_common.show_flash()
data_common.author_input()

tabs = st.tabs([T("data.tab.import"), T("data.tab.add"), T("data.tab.edit"), T("data.tab.history"),
                T("data.tab.settings"), T("data.tab.downloads")])
with tabs[0]:
    st.header(T("import.page.import_header"))
    data_import.section(ctx)
with tabs[1]:
    data_add.section(ctx)
with tabs[2]:
    data_edit.section(ctx)
with tabs[3]:
    st.header(T("import.page.datasets"))
    data_history.datasets(ctx)
    data_history.history(ctx)
with tabs[4]:
    data_settings.section(ctx)
with tabs[5]:
    st.header(T("import.page.downloads"))
    data_downloads.section(ctx)
