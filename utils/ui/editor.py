"""A table the user edits in place, checked as they type: one editor for every area that edits data.

`edit_table` draws `st.data_editor` over `frame`, runs `validate` (a function without Streamlit,
e.g. `utils.io.edits.check_assessment_rows` bound to the boundaries) on the edited rows at every
rerun, and shows the derived columns (scores, categories) beside the row numbers, with every cell
a finding is about marked and the finding's own words next to it. Saving is the caller's business:
`last_check(key)` gives the verdict of the latest run, and a refused edit (`not check.ok`) must not
be stored.

The input `frame` must stay the same between reruns (Streamlit keeps the edits as changes against
it): pass the stored rows and change `key` after a save, so the editor starts from the new version.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from utils.core.i18n import t
from utils.core.text import escape_markdown
from utils.io.edits import EditCheck, Validator

_ERROR_BG = "background-color: #f8d7da"
_WARN_BG = "background-color: #fff3cd"
MAX_MESSAGES = 30


def _lang() -> str:
    from utils import ui

    return ui.lang()


def check_key(key: str) -> str:
    return f"{key}__check"


def last_check(key: str) -> EditCheck | None:
    """The verdict on the table as the user left it in the latest run."""
    return st.session_state.get(check_key(key))


def edit_table(frame: pd.DataFrame, column_config: dict, validate: Validator, key: str, *,
               id_columns: list[str] | None = None, num_rows: str = "dynamic", height: int | None = None,
               disabled: list[str] | None = None) -> pd.DataFrame:
    """Edit `frame`, re-check it at once, mark what is wrong; returns the edited frame."""
    lang = _lang()
    edited = st.data_editor(frame, column_config=column_config, key=key, num_rows=num_rows, hide_index=True,
                            height=height or "auto", disabled=disabled or False)
    check = validate(edited)
    st.session_state[check_key(key)] = check
    labels = {c: cfg["label"] for c, cfg in (column_config or {}).items() if isinstance(cfg, dict) and cfg.get("label")}
    show_check(edited, check, lang, id_columns or [], key, labels)
    return edited


def check_view(edited: pd.DataFrame, check: EditCheck, lang: str, id_columns: list[str]) -> pd.DataFrame:
    """Row number, the identifying columns, every cell a finding is about, the derived columns, the messages."""
    flagged = [c for c in edited.columns if any(col == c for _, col in check.cells)]
    cols = [c for c in [*id_columns, *flagged] if c in edited.columns]
    view = edited.reset_index(drop=True)[list(dict.fromkeys(cols))].copy()
    for c in check.computed.columns:  # a name column first, the derived figures after
        if c not in view.columns:
            values = check.computed[c].reindex(range(len(view))).to_numpy()
            if c == "kelurahan":
                view.insert(0, c, values)
            else:
                view[c] = values
    view.insert(0, t("data.edit.col_row", lang), range(1, len(view) + 1))
    texts = check.cell_text(lang)
    per_row: dict[int, list[str]] = {}
    for (pos, _col), msg in texts.items():
        per_row.setdefault(pos, []).append(msg)
    view[t("data.edit.col_problems", lang)] = [" ".join(per_row.get(i, [])) for i in range(len(view))]
    return view


def show_check(edited: pd.DataFrame, check: EditCheck, lang: str, id_columns: list[str], key: str,
               labels: dict[str, str] | None = None) -> None:
    """The verdict under the editor: derived columns, marked cells, and the findings in words."""
    view = check_view(edited, check, lang, id_columns)
    severity = {}
    for (pos, col), findings in check.cells.items():
        severity[(pos, col)] = "error" if any(f.severity == "error" for f in findings) else "warning"

    def mark(data: pd.DataFrame) -> pd.DataFrame:
        css = pd.DataFrame("", index=data.index, columns=data.columns)
        for (pos, col), sev in severity.items():
            if col in css.columns and pos in css.index:
                css.loc[pos, col] = _ERROR_BG if sev == "error" else _WARN_BG
        return css

    if len(view):
        st.caption(t("data.edit.computed_caption", lang))
        names = {**{c: t(f"data.edit.col_{c}", lang) for c in ("kelurahan", "total_score", "category", "slum_ha")},
                 **(labels or {})}
        styled = view.style.apply(mark, axis=None).format(precision=2, thousands="", na_rep="–")
        config = {c: st.column_config.Column(names[c]) for c in view.columns if c in names}
        st.dataframe(styled, hide_index=True, key=f"{key}__view", column_config=config,
                     height=min(400, 38 + 35 * len(view)))
    errors = check.errors
    warnings = [f for f in check.findings if f.severity != "error"]
    if errors:
        st.error(t("data.edit.refused", lang, n=len(errors)), icon=":material/block:")
        for f in errors[:MAX_MESSAGES]:
            st.markdown(f"- {escape_markdown(f.message(lang))}")
    elif warnings:
        with st.expander(t("data.edit.warnings", lang, n=len(warnings))):
            for f in warnings[:MAX_MESSAGES]:
                st.markdown(f"- {escape_markdown(f.message(lang))}")
    else:
        st.caption(t("data.edit.valid", lang))
