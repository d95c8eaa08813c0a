"""One look for every chart: fonts readable from the back of a room, the class colours, axis
units, and Bahasa Indonesia number formats (decimal comma, thousands dot) through the layout's
`separators`. Shared by the chart modules (`charts`, `investment_charts`, `profile_charts`)."""
from __future__ import annotations

import plotly.graph_objects as go

from utils.core.i18n import fmt_number, t
from utils.method.criteria import ASPECTS
from utils.store.dataset import Dataset

FONT_FAMILY = "Source Sans Pro, DejaVu Sans, Arial, sans-serif"
FONT_SIZE = 18
TITLE_SIZE = 22
TICK_SIZE = 16
HEIGHT = 480
WIDTH_EXPORT = 1600
HEIGHT_EXPORT = 900
TEXT_COLOR = "#262730"
GRID_COLOR = "#e3e3e8"
# Series that are not slum classes: colour-blind safe (Okabe-Ito), distinct from the class colours.
SERIES_COLORS = ["#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#D55E00", "#000000", "#999999"]
PERIOD_COLORS = ["#3f3f46", "#0072B2", "#009E73", "#CC79A7"]
PATH_COLOR = "#6b7280"
HIGHLIGHT_COLOR = "#0b3d91"


def separators(lang: str) -> str:
    """Plotly's separators: decimal mark first, thousands mark second."""
    return ".," if lang == "en" else ",."


def _style(fig: go.Figure, lang: str, title: str, x_title: str | None, y_title: str | None,
           height: int = HEIGHT, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0.0, "xanchor": "left", "xref": "paper"},
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOR},
        separators=separators(lang),
        template="plotly_white",
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 60 + (70 if legend else 0)},
        showlegend=legend,
        # Below the plot: a long legend at the top would run into the title.
        # At the bottom of the whole figure (container), so it stays put at any export height.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "xanchor": "left", "x": 0.0,
                "traceorder": "normal", "font": {"size": TICK_SIZE}},
        hoverlabel={"font": {"size": TICK_SIZE}},
    )
    fig.update_xaxes(title_text=x_title, tickfont={"size": TICK_SIZE}, gridcolor=GRID_COLOR,
                     title_font={"size": FONT_SIZE})
    fig.update_yaxes(title_text=y_title, tickfont={"size": TICK_SIZE}, gridcolor=GRID_COLOR,
                     title_font={"size": FONT_SIZE}, zeroline=True, zerolinecolor="#bdbdc7")
    return fig


def _ha(v: float, lang: str) -> str:
    return f"{fmt_number(v, lang, 2)} ha"


def _ha_short(v: float, lang: str) -> str:
    """`0 ha` rather than `0,00 ha` for round targets."""
    return f"{fmt_number(v, lang, 0 if float(v).is_integer() else 2)} ha"


def _wrap(text: str, width: int = 12) -> str:
    """Break a long label at spaces with <br>, so heatmap columns do not overlap."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "<br>".join(lines)


def _year_axis(fig: go.Figure, years: list[int]) -> None:
    if years:
        fig.update_xaxes(tickmode="array", tickvals=sorted(set(years)), tickformat="d")


def class_name(code: str, lang: str) -> str:
    return t(f"class.{code}", lang)


def aspect_name(aspect_id: str, lang: str) -> str:
    a = next((a for a in ASPECTS if a.id == str(aspect_id)), None)
    if a is None:
        return t("trend.aspect_unknown", lang)
    return a.name_en if lang == "en" else a.name_id


def period_label(ds: Dataset, period_id: str) -> str:
    try:
        return ds.meta.period(str(period_id)).label
    except KeyError:
        return str(period_id)


# ---- slum ha over time -------------------------------------------------------------------


def figure_data(fig: go.Figure) -> list[dict]:
    """The traces as plain dicts (name, x, y, meta): what tests and the CSV fallback read."""
    return [{k: v for k, v in tr.to_plotly_json().items() if k in ("name", "x", "y", "z", "meta", "type")}
            for tr in fig.data]
