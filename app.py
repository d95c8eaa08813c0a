"""Entry point: page config, the shared sidebar, navigation over pages/."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from utils import ui

HERE = Path(__file__).resolve().parent

# (file, title key, icon, url path). Pages join the navigation once their file exists.
PAGE_ORDER = [
    ("pages/overview.py", "nav.overview", ":material/dashboard:", "ringkasan"),
    ("pages/map.py", "nav.map", ":material/map:", "peta"),
    ("pages/trends.py", "nav.trends", ":material/trending_down:", "tren"),
    ("pages/profile.py", "nav.profile", ":material/location_city:", "profil"),
    ("pages/data.py", "nav.data", ":material/upload_file:", "data"),
    ("pages/methodology.py", "nav.methodology", ":material/menu_book:", "metodologi"),
]

st.set_page_config(page_title="KOTAKU", page_icon=":material/home_work:", layout="wide")
ctx = ui.sidebar()
pages = [
    st.Page(str(HERE / path), title=ui.T(key), icon=icon, url_path=url, default=(i == 0))
    for i, (path, key, icon, url) in enumerate(PAGE_ORDER)
    if (HERE / path).exists()
]
page = st.navigation(pages)
with ui.friendly_errors():
    page.run()
