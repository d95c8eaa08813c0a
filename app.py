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
    ("pages/priority.py", "nav.priority", ":material/low_priority:", "prioritas"),
    ("pages/collaboration.py", "nav.collab", ":material/handshake:", "kolaborasi"),
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
    pages, by_url = [], {}  # by_url: every page under its own path, the default page included
    for path, key, icon, url in PAGE_ORDER:
        if (HERE / path).exists():
            default = not pages  # Streamlit serves the default page at "/" only, so its own path is ""
            by_url[url] = st.Page(str(HERE / path), title=ui.T(key), icon=icon, url_path="" if default else url,
                                  default=default)
            pages.append(by_url[url])
    home = pages[0]
    # A hidden alias answers the default page's own path (/ringkasan) and moves to "/" with the view kept,
    # so a typed or bookmarked /ringkasan never shows "Page not found".
    alias = st.Page(lambda: st.switch_page(home, query_params=ui.view_params(ctx)), title=home.title,
                    url_path=PAGE_ORDER[0][3], visibility="hidden")
    presenting = ui.presenting()
    page = st.navigation([*pages, alias], position="top" if presenting else "sidebar")
    wanted = ui.pending_page()  # a shared link may name the page as ?page=peta
    target = by_url.get(wanted or "")
    if target is not None and target.url_path != page.url_path:
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
