"""The naive province map as a Streamlit page: the whole layer as one folium.GeoJson (bench only).

Run by bench/map_app.py from a temp folder beside a link to static/ (the same local Leaflet);
?dataset=<name>&year=<year> picks what to draw.
"""
from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from utils import store
from utils.analysis import trends
from utils.method.criteria import CLASS_COLORS
from utils.views import offline_assets

st.set_page_config(layout="wide")
ds = store.load(st.query_params.get("dataset", ""))
year = int(st.query_params.get("year", "2024"))
cats = trends.kelurahan_year(ds, year)[["kode_kel", "category"]]
gdf = ds.kelurahan[["kode_kel", "kelurahan", "geometry"]].merge(cats, on="kode_kel", how="left")
m = folium.Map(location=[-7.6, 112.7], zoom_start=8, tiles=None)
offline_assets.use_local_assets(m)
folium.GeoJson(gdf, style_function=lambda f: {"fillColor": CLASS_COLORS.get(f["properties"]["category"], "#d9d9d9"),
                                              "color": "#ffffff", "weight": 1, "fillOpacity": 0.8}).add_to(m)
b = gdf.total_bounds
m.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
st_folium(m, height=700, use_container_width=True, returned_objects=[])
