"""The map's switch kategori kekumuhan / prioritas / jenis penanganan: its folium elements and data.

Browser code: `static/js/map-priority.js`. `PriorityControl` (once per map) passes fixed colours,
labels and the three legends; `PriorityState` (per year, in the year's feature group, before the
year state) passes the priority per kawasan where the year's units have kawasan outlines, else per
kelurahan (the best priority among its units). Only JSON data crosses into the script.
"""
from __future__ import annotations

import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from utils.core.i18n import t
from utils.method.criteria import CLASS_COLORS
from utils.method.priority_table import (
    HANDLING_COLORS,
    HANDLING_TYPES,
    NOT_ASSESSED,
    NOT_ASSESSED_COLOR,
    PRIORITY_COLORS,
)
from utils.store.dataset import Dataset
from utils.views import priority as views
from utils.views.map_data import _json, category_order

MODES = ("cat", "prio", "hand")
NONE_COLOR = "#ffffff"  # no priority to show: not a slum, or no data


def _value(v: object) -> object:
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v


def payload(ds: Dataset, year: int) -> dict:
    """{level, kel: {kode: [priority, handling, class]}, kaw: {"period|kawasan_id": [...]}} for `year`.

    A slum area without an assessed priority carries handling NOT_ASSESSED, so the map shows it
    as "belum dinilai" rather than blank; areas that are not slums carry [null, null, null]."""
    level, areas = views.area_priorities(ds, year)
    out: dict[str, object] = {"level": level, "kel": {}, "kaw": {}}
    if areas.empty:
        return out
    prio = pd.to_numeric(areas["priority"], errors="coerce")
    handling = areas["handling"].astype("string")
    slum = areas.get("n_slum", pd.Series(0, index=areas.index)).fillna(0) > 0
    handling = handling.where(handling.notna() | ~slum, NOT_ASSESSED)
    recs = [[None if pd.isna(p) else int(p), _value(h), _value(c)]
            for p, h, c in zip(prio, handling.astype(object), areas["priority_class"].astype(object))]
    if level == "kawasan":
        keys = areas["sk_period"].astype(str) + "|" + areas["kawasan_id"].astype(str)
        out["kaw"] = dict(zip(keys, recs))
    else:
        out["kel"] = dict(zip(areas["kode_kel"].astype(str), recs))
    return out


def control_config(lang: str) -> dict:
    """Fixed colours, labels and the legend of each mode."""
    hand_names = {h: t(f"priority.handling.{h}", lang) for h in (*HANDLING_TYPES, NOT_ASSESSED)}
    na = t("priority.not_assessed", lang)
    none = t("priority.map.none", lang)
    return {
        "title": t("priority.map.switch", lang),
        "modes": [[m, t(f"priority.map.mode.{m}", lang)] for m in MODES],
        "prioColors": {str(k): v for k, v in PRIORITY_COLORS.items()},
        "handColors": {**HANDLING_COLORS, NOT_ASSESSED: NOT_ASSESSED_COLOR},
        "handNames": hand_names, "naColor": NOT_ASSESSED_COLOR, "noneColor": NONE_COLOR,
        "f": {"priority": t("priority.col.priority", lang), "handling": t("priority.col.handling", lang), "na": na},
        "legends": {
            "cat": {"title": t("map.legend_title", lang),
                    "items": [[CLASS_COLORS[c], t(f"class.{c}", lang)] for c in category_order()]},
            "prio": {"title": t("priority.map.legend_prio", lang),
                     "items": [["ramp", list(PRIORITY_COLORS.values()), t("priority.map.first", lang),
                                t("priority.map.last", lang)], [NOT_ASSESSED_COLOR, na], [NONE_COLOR, none]]},
            "hand": {"title": t("priority.map.legend_hand", lang),
                     "items": [*([HANDLING_COLORS[h], hand_names[h]] for h in HANDLING_TYPES),
                               [NOT_ASSESSED_COLOR, na], [NONE_COLOR, none]],
                     "note": t("priority.map.legalise", lang)},
        },
    }


class PriorityControl(MacroElement):
    """`kotaku.priorityInit`: the switch (top left) and what each mode draws and says."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.priorityInit({{ this._parent.get_name() }}, {{ this.config }});
        {% endmacro %}
    """)

    def __init__(self, lang: str):
        super().__init__()
        self._name = "PriorityControl"
        self.config = _json(control_config(lang))


class PriorityState(MacroElement):
    """`kotaku.setPriority`: the year's priority per kawasan or kelurahan (in the year's group)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        kotaku.setPriority({{ this.data }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str):
        super().__init__()
        self._name = "PriorityState"
        self.data = data_json


def payload_json(ds: Dataset, year: int) -> str:
    return _json(payload(ds, year))
