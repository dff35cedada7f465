"""The closed set of check kinds. Each kind validates its rules at load time and runs them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Suggestion


@dataclass
class Hit:
    """Where a rule fires: absolute offsets, the measured value and replacements."""

    start: int
    end: int
    value: float | None = None
    limit: float | None = None
    severity: str | None = None  # overrides the rule's severity (thresholds escalate)
    replacements: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # extra values for the message template
    suggestions: list[Suggestion] = field(default_factory=list)
    whole_letter: bool = False  # about the letter as a whole; start/end only anchor a comment


def _kinds():
    from . import pattern, syntax, threshold, wordlist

    return {"wordlist": wordlist, "pattern": pattern, "threshold": threshold, "syntax": syntax}


def validate_rule(rule) -> None:
    """Raise ValueError when the rule's kind-specific parameters are wrong."""
    _kinds()[rule.kind].validate(rule)


def run_rule(rule, analysis, settings) -> list[Hit]:
    """All hits of one rule in a parsed letter.

    Remembered on the analysis: the tone profile reads the hits of the tone rules again."""
    cache = analysis.__dict__.setdefault("_rule_hits", {})
    key = (id(rule), id(settings))
    if key not in cache:
        cache[key] = (rule, settings, list(_kinds()[rule.kind].run(rule, analysis, settings)))
    return cache[key][2]
