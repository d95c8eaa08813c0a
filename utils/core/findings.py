"""Data-quality findings: what is wrong, where, and how to fix it, rendered in either language.

Scoring and import validation both produce these, so the CLI, the Data page and the report show
one kind of message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from utils.core.i18n import fmt_number, t

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Num:
    """A number in a finding's parameters, written in the reader's language when the message is
    rendered ("26,00" in Bahasa Indonesia, "26.00" in English), not when the finding is made."""

    value: float
    decimals: int = 2

    def __str__(self) -> str:
        return fmt_number(self.value, "en", self.decimals)


@dataclass(frozen=True)
class Finding:
    key: str  # i18n key of the message, e.g. "finding.pct_over_100"
    severity: Severity = "warning"
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        params = {k: fmt_number(v.value, lang, v.decimals) if isinstance(v, Num) else v for k, v in self.params.items()}
        return t(self.key, lang, **params)

    def line(self, lang: str = "id") -> str:
        return f"[{t('finding.severity.' + self.severity, lang)}] {self.message(lang)}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
