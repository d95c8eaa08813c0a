"""The kelurahan map drawn as vector shapes, without basemap tiles, for the PDF and the HTML export.

A briefing must build offline and print crisply, so the polygons are drawn directly (reportlab
graphics for the PDF, SVG for the HTML) in the one class colour scheme of utils.criteria, with
a legend that names every class (colour is never the only carrier of meaning).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from reportlab.graphics.shapes import Drawing, Group, Line, Path, Rect, String
from reportlab.lib import colors
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from utils.core.i18n import fmt_number, t
from utils.method.criteria import CLASS_CODES, CLASS_COLORS, NO_DATA_CODE

LEGEND_CODES: tuple[str, ...] = (*CLASS_CODES, NO_DATA_CODE)
# Dark text on light fills, white on the darkest: labels stay readable on every class colour.
_DARK_FILLS = {"KB"}


@dataclass(frozen=True)
class Projector:
    """Equirectangular projection scaled to a box: fine at city scale, no pyproj needed."""

    minx: float
    miny: float
    kx: float
    scale: float
    x0: float
    y0: float

    @classmethod
    def fit(cls, bounds: tuple[float, float, float, float], width: float, height: float,
            pad: float = 6.0) -> Projector:
        minx, miny, maxx, maxy = bounds
        kx = math.cos(math.radians((miny + maxy) / 2))
        w = max((maxx - minx) * kx, 1e-9)
        h = max(maxy - miny, 1e-9)
        scale = min((width - 2 * pad) / w, (height - 2 * pad) / h)
        x0 = pad + ((width - 2 * pad) - w * scale) / 2
        y0 = pad + ((height - 2 * pad) - h * scale) / 2
        return cls(minx, miny, kx, scale, x0, y0)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self.x0 + (lon - self.minx) * self.kx * self.scale, self.y0 + (lat - self.miny) * self.scale

    def metres_per_unit(self) -> float:
        return 111_320.0 / self.scale


def _polygons(geom: BaseGeometry | None) -> list[Polygon]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def _rings(geom: BaseGeometry | None) -> list[list[tuple[float, float]]]:
    rings = []
    for poly in _polygons(geom):
        rings.append(list(poly.exterior.coords))
        rings.extend(list(r.coords) for r in poly.interiors)
    return rings


def _path(geom: BaseGeometry | None, proj: Projector, **style) -> Path:
    p = Path(fillMode=1, **style)  # even-odd: holes stay holes
    for ring in _rings(geom):
        x, y = proj.xy(*ring[0][:2])
        p.moveTo(x, y)
        for lon, lat, *_ in ring[1:]:
            p.lineTo(*proj.xy(lon, lat))
        p.closePath()
    return p


def _simplified(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoSeries:
    return gdf.geometry.simplify(tolerance, preserve_topology=True)


def _nice_length(max_m: float) -> float:
    """The longest round scale-bar length not over `max_m` metres."""
    best = 50.0
    for v in (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if v <= max_m:
            best = float(v)
    return best


def map_drawing(kel: gpd.GeoDataFrame, lang: str, width: float, height: float,
                kecamatan: gpd.GeoDataFrame | None = None, font: str = "Helvetica",
                bold_font: str = "Helvetica-Bold", label: bool = True, legend_counts: bool = True) -> Drawing:
    """A reportlab Drawing: kelurahan filled by `category`, kecamatan outlines, labels, legend, scale.

    `kel` needs columns kelurahan, category (KB/KS/KR/TK/ND) and geometry (EPSG:4326).
    """
    counts = kel["category"].value_counts()
    legend = _legend_layout(lang, width, font, counts if legend_counts else None)
    legend_h = 34.0 + LEGEND_ROW_H * (max(y for _, _, y, _, _ in legend) if legend else 0)
    d = Drawing(width, height)
    map_h = height - legend_h
    bounds = tuple(kel.total_bounds)
    proj = Projector.fit(bounds, width, map_h)
    tol = (bounds[2] - bounds[0]) / 1500  # below a printed hairline
    geoms = _simplified(kel, tol)
    g = Group()
    g.translate(0, legend_h)
    for geom, cat in zip(geoms, kel["category"]):
        fill = colors.HexColor(CLASS_COLORS.get(cat, CLASS_COLORS[NO_DATA_CODE]))
        g.add(_path(geom, proj, fillColor=fill, strokeColor=colors.white, strokeWidth=0.6))
    if kecamatan is not None and not kecamatan.empty:
        for geom in _simplified(kecamatan, tol):
            g.add(_path(geom, proj, fillColor=None, strokeColor=colors.HexColor("#333333"), strokeWidth=1.1))
    if label:
        for geom, name, cat in zip(kel.geometry, kel["kelurahan"], kel["category"]):
            if geom is None or geom.is_empty:
                continue
            pt = geom.representative_point()
            x, y = proj.xy(pt.x, pt.y)
            fill = colors.white if cat in _DARK_FILLS else colors.HexColor("#1a1a1a")
            g.add(String(x, y - 2, str(name), fontName=font, fontSize=5.2, fillColor=fill, textAnchor="middle"))
    # scale bar, bottom right of the map
    metres = _nice_length(proj.metres_per_unit() * width * 0.25)
    bar = metres / proj.metres_per_unit()
    bx, by = width - bar - 8, 6
    g.add(Rect(bx, by, bar, 3, fillColor=colors.HexColor("#333333"), strokeColor=None))
    km = metres / 1000  # a decimal comma in Bahasa Indonesia: "2,5 km"
    text = (f"{fmt_number(km, lang, 0 if km.is_integer() else 1)} km" if metres >= 1000
            else f"{fmt_number(metres, lang, 0)} m")
    g.add(String(bx + bar / 2, by + 5, text, fontName=font, fontSize=6.5, textAnchor="middle"))
    g.add(Line(width - 14, map_h - 26, width - 14, map_h - 10, strokeWidth=1.2))
    g.add(String(width - 14, map_h - 8, t("brief.north", lang), fontName=bold_font, fontSize=8,
                 textAnchor="middle"))
    d.add(g)
    # legend: swatch + class name + number of kelurahan, all classes and "no data"
    rows = max(y for _, _, y, _, _ in legend) + 1 if legend else 1
    for code, x, row, name, count in legend:
        dy = LEGEND_ROW_H * (rows - 1 - row)  # row 0 on top
        d.add(Rect(x, 12 + dy, 12, 12, fillColor=colors.HexColor(CLASS_COLORS[code]),
                   strokeColor=colors.HexColor("#666666"), strokeWidth=0.4))
        d.add(String(x + 16, 19 + dy, name, fontName=font, fontSize=LEGEND_NAME_SIZE))
        if count:
            d.add(String(x + 16, 10 + dy, count, fontName=font, fontSize=LEGEND_COUNT_SIZE,
                         fillColor=colors.HexColor("#444444")))
    return d


LEGEND_ROW_H = 24.0
LEGEND_NAME_SIZE = 7.0
LEGEND_COUNT_SIZE = 6.5
LEGEND_GAP = 10.0


def _legend_layout(lang: str, width: float, font: str,
                   counts: pd.Series | None) -> list[tuple[str, float, int, str, str]]:
    """(code, x, row, name, count text) per legend entry: equal columns when every entry fits its
    column, else entries flow by their measured width into as many rows as needed, so a long
    class name ("Kumuh Sedang (moderate)") is never cut by its neighbour."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    entries = []
    for code in LEGEND_CODES:
        name = t(f"class.{code}", lang)
        count = t("brief.legend_count", lang, n=int(counts.get(code, 0))) if counts is not None else ""
        w = 16 + max(stringWidth(name, font, LEGEND_NAME_SIZE),
                     stringWidth(count, font, LEGEND_COUNT_SIZE) if count else 0.0)
        entries.append((code, name, count, w))
    col_w = width / len(entries)
    if all(w + LEGEND_GAP <= col_w for *_, w in entries):
        return [(code, i * col_w, 0, name, count) for i, (code, name, count, _) in enumerate(entries)]
    out, x, row = [], 0.0, 0
    for code, name, count, w in entries:
        if x > 0 and x + w > width:
            x, row = 0.0, row + 1
        out.append((code, x, row, name, count))
        x += w + LEGEND_GAP
    return out


def map_svg(kel: gpd.GeoDataFrame, width: int = 900, height: int = 640,
            kecamatan: gpd.GeoDataFrame | None = None) -> tuple[str, Projector]:
    """An inline SVG of the kelurahan (one <path class="kel"> each, data-kode set) for the HTML export.

    Colours are applied by the page's script per year; names go in escaped <title> elements.
    """
    bounds = tuple(kel.total_bounds)
    proj = Projector.fit(bounds, width, height)
    tol = (bounds[2] - bounds[0]) / 3000
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="kelmap" width="100%">']

    def d_attr(geom: BaseGeometry | None) -> str:
        segs = []
        for ring in _rings(geom):
            pts = [proj.xy(lon, lat) for lon, lat, *_ in ring]
            segs.append("M" + " L".join(f"{x:.1f},{height - y:.1f}" for x, y in pts) + " Z")
        return " ".join(segs)

    for geom, kode, name in zip(_simplified(kel, tol), kel["kode_kel"], kel["kelurahan"]):
        parts.append(f'<path class="kel" fill-rule="evenodd" data-kode="{html.escape(str(kode))}" '
                     f'd="{d_attr(geom)}"><title>{html.escape(str(name))}</title></path>')
    if kecamatan is not None and not kecamatan.empty:
        for geom in _simplified(kecamatan, tol):
            parts.append(f'<path class="kec" d="{d_attr(geom)}"/>')
    for geom, name in zip(kel.geometry, kel["kelurahan"]):
        if geom is None or geom.is_empty:
            continue
        pt = geom.representative_point()
        x, y = proj.xy(pt.x, pt.y)
        parts.append(f'<text class="lbl" x="{x:.1f}" y="{height - y:.1f}">{html.escape(str(name))}</text>')
    parts.append("</svg>")
    return "".join(parts), proj


def categories_frame(kel: gpd.GeoDataFrame, rows: pd.DataFrame) -> gpd.GeoDataFrame:
    """Join per-kelurahan categories onto the boundaries (ND where a kelurahan has no row)."""
    out = kel[["kode_kel", "kelurahan", "geometry"]].merge(rows[["kode_kel", "category"]], on="kode_kel", how="left")
    out["category"] = out["category"].fillna(NO_DATA_CODE)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=kel.crs)
