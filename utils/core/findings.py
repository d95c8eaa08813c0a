"""Data-quality findings: what is wrong, where, and how to fix it, rendered in either language.

Scoring and import validation both produce these, so the CLI, the Data page and the report show
one kind of message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from utils.core.i18n import t

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    key: str  # i18n key of the message, e.g. "finding.pct_over_100"
    severity: Severity = "warning"
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)

    def line(self, lang: str = "id") -> str:
        return f"[{t('finding.severity.' + self.severity, lang)}] {self.message(lang)}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
