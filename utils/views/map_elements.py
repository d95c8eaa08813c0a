"""The folium elements of the slum map: each writes one call into the map script, with JSON data.

The browser code they call lives in `static/js/` (`map-core.js`, `map-canvas.js`, `map-layers.js`),
loaded after Leaflet from the app's static files or inlined by the standalone export
(`offline_assets`). Python passes only data and strings, as script-safe JSON (`map_data._json`),
so no name typed by a user can become markup or code.
"""
from __future__ import annotations

from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from utils.core.i18n import t
from utils.method.criteria import CLASS_COLORS
from utils.views.map_data import BaseLayers, YearLayer, _json, category_order

CANVAS_ABOVE = 1500  # above this many polygons draw on one canvas instead of one SVG path each
INVEST_COLOR = "#3f007d"


class _Element(MacroElement):
    """A MacroElement with our template; `_name` gives readable variable names."""

    def __init__(self, name: str):
        super().__init__()
        self._name = name


class _Layer(Layer):
    """A layer whose script is `var <name> = <one runtime call>;` (folium adds it to the map)."""

    def __init__(self, name: str, layer_name: str | None, overlay: bool = True, control: bool = True,
                 show: bool = True):
        super().__init__(name=layer_name, overlay=overlay, control=control, show=show)
        self._name = name


class Runtime(_Element):
    """`kotaku.init`: the map, its bounds, class colours and the field labels of `lang`."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.init({{ this._parent.get_name() }}, {{ this.config }});
        {% endmacro %}
    """)

    def __init__(self, lang: str, bounds: tuple):
        super().__init__("KotakuRuntime")
        self.config = _json({
            "bounds": [list(bounds[0]), list(bounds[1])],
            "colors": CLASS_COLORS,
            "classes": {c: t(f"class.{c}", lang) for c in category_order()},
            "fields": {
                "kec": t("map.field_kecamatan", lang), "cat": t("map.field_category", lang),
                "score": t("map.field_score", lang), "ha": t("map.field_slum_ha", lang),
                "kel": t("map.field_kelurahan", lang), "kaw": t("map.field_kawasan", lang),
                "inv": t("map.field_investments", lang), "bud": t("map.field_budget", lang),
                "failed": t("map.geo_failed", lang),
            },
        })


class Choropleth(_Layer):
    """Kelurahan polygons coloured by the category of `kotaku.year` (set by YearState); one
    canvas above `CANVAS_ABOVE` polygons."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kotaku.layers.choropleth({{ this.config }});
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, popups: bool = False):
        super().__init__("KelurahanLayer", t("map.layer_kelurahan", lang))
        self.config = _json({"n": base.n_features, "canvas": base.n_features > CANVAS_ABOVE, "popups": popups})


class Outlines(_Layer):
    """Non-interactive outlines (kecamatan, city) drawn over the choropleth; `part`: the layer of
    the geometry document ("kec" or "outline")."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kotaku.layers.outlines({{ this.config }});
        {% endmacro %}
    """)

    def __init__(self, part: str, style: dict, layer_name: str | None, control: bool = True,
                 canvas: bool = False):
        super().__init__("Outlines", layer_name, control=control)
        self.config = _json({"part": part, "style": style, "canvas": canvas})


class Kawasan(_Layer):
    """Delineated kawasan of the SK period of the shown year (filtered in the browser)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kotaku.layers.kawasan();
        {% endmacro %}
    """)

    def __init__(self, lang: str):
        super().__init__("KawasanLayer", t("map.layer_kawasan", lang))


class Labels(_Layer):
    """Kecamatan and kelurahan names; kelurahan names appear only `extra_zoom` levels past the
    zoom that shows the whole area."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kotaku.layers.labels({{ this._parent.get_name() }}, {{ this.config }});
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, lang: str, extra_zoom: int = 1, max_kec: int = 60):
        super().__init__("Labels", t("map.layer_labels", lang))
        self.config = _json({"bounds": [list(base.bounds[0]), list(base.bounds[1])],
                             "extraZoom": int(extra_zoom), "maxKec": int(max_kec)})


class Investments(_Layer):
    """One circle per kelurahan with investments in the year, at its representative point."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kotaku.layers.investments({{ this.data }}, {{ this.color }});
        {% endmacro %}
    """)

    def __init__(self, data: str, layer_name: str, control: bool = True):
        super().__init__("Investments", layer_name, control=control)
        self.data = data  # YearLayer.invest_json: already script-safe JSON
        self.color = _json(INVEST_COLOR)


class YearState(_Element):
    """Restyles the choropleth for one year and marks the selected kelurahan."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.setYear({{ this.data }}, {{ this.selected }}, {{ this.title }}, {{ this.period }});
        {% endmacro %}
    """)

    def __init__(self, year: YearLayer, selected: str | None, title: str):
        super().__init__("YearState")
        self.data = year.json
        self.selected = _json(selected)
        self.title = _json(title)
        self.period = _json(year.sk_period)


class Legend(_Element):
    """Class colours with their names and a 'no data' entry, plus a title box for the year."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.addLegend({{ this._parent.get_name() }}, {{ this.items }}, {{ this.legend_title }}, {{ this.title }});
        {% endmacro %}
    """)

    def __init__(self, lang: str, title: str):
        super().__init__("Legend")
        self.items = _json([[CLASS_COLORS[c], t(f"class.{c}", lang)] for c in category_order()])
        self.legend_title = _json(t("map.legend_title", lang))
        self.title = _json(title)


class SyncSiblings(_Element):
    """Keep side-by-side maps on the same extent (each map follows the others' pans and zooms);
    outside Streamlit (one map) it does nothing."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.syncSiblings({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__("SyncSiblings")


class GeoSource(_Element):
    """Where the geometry document comes from: fetched from the app's static files (`url`, the
    normal case: the map script stays small and the browser caches the file) or inline (standalone
    export; `map_to_standalone_html` switches to inline by itself). Added after the layers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- if this.url %}
        kotaku.loadGeo({{ this.url_json }});
        {%- else %}
        kotaku.setGeo(JSON.parse({{ this.inline_json }}));
        {%- endif %}
        {% endmacro %}
    """)

    def __init__(self, base: BaseLayers, url: str | None):
        super().__init__("GeoSource")
        self._geo_json = base.geo_json
        self.url = url

    @property
    def url_json(self) -> str:
        return _json(self.url)

    @property
    def inline_json(self) -> str:
        return _json(self._geo_json)  # a JS string literal: JSON.parse of a string beats an object literal

    def inline_for_export(self) -> None:
        self.url = None
