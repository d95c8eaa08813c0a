"""Entry point: page config, the shared sidebar, navigation, the view's URL, presentation mode."""
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
    ("pages/briefing.py", "nav.briefing", ":material/picture_as_pdf:", "paparan"),
    # not "data": a path equal to a file stem under pages/ is taken as a legacy v1 page
    ("pages/data.py", "nav.data", ":material/upload_file:", "kelola-data"),
    ("pages/methodology.py", "nav.methodology", ":material/menu_book:", "metodologi"),
]

# A local icon: a material-icon favicon would be fetched from Google Fonts, which a workshop laptop cannot reach.
st.set_page_config(page_title="KOTAKU", page_icon=str(HERE / "assets" / "favicon.png"), layout="wide")
page = None
with ui.friendly_errors():  # a failure here shows a message, never a traceback
    ctx = ui.sidebar()
    pages = [
        st.Page(str(HERE / path), title=ui.T(key), icon=icon, url_path=url, default=(i == 0))
        for i, (path, key, icon, url) in enumerate(PAGE_ORDER)
        if (HERE / path).exists()
    ]
    presenting = ui.presenting()
    page = st.navigation(pages, position="top" if presenting else "sidebar")
    wanted = ui.pending_page()  # a shared link may name the page as ?page=peta
    if wanted and wanted != page.url_path:
        target = next((p for p in pages if p.url_path == wanted), None)
        if target is not None:
            st.switch_page(target, query_params=ui.view_params(ctx))
    if presenting:
        ui.presentation_bar(ctx)
    else:
        with st.sidebar:
            ui.share_link(ctx, page.url_path)
    ui.sync_url(ctx)
if page is None:
    st.stop()
with ui.friendly_errors():
    page.run()
