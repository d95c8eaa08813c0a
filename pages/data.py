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

SECTIONS = [("data.tab.import", data_import.section), ("data.tab.add", data_add.section),
            ("data.tab.edit", data_edit.section), ("data.tab.history", data_history.section),
            ("data.tab.settings", data_settings.section), ("data.tab.downloads", data_downloads.section)]
# a keyed, stateful tab bar: a rerun (an upload, a click) keeps the user on the tab they chose, and
# only that tab's section runs
tabs = st.tabs([T(k) for k, _ in SECTIONS], key="data_tab", on_change="rerun")
for container, (_, draw) in zip(tabs, SECTIONS):
    if container.open is False:
        continue
    with container:
        draw(ctx)
