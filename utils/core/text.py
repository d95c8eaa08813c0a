"""Making user text safe to show: one escaping rule for every page that prints names."""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def escape_markdown(text: object) -> str:
    """User text shown through st.markdown / st.error / st.subheader: no HTML, links, images or
    formatting can come from a kelurahan name or a file's content."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
