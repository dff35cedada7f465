"""Kind ``pattern``: regular expressions or phrase lists on the text of each block."""
from __future__ import annotations

import re
from functools import lru_cache

from . import Hit


def _compile(rule) -> tuple[re.Pattern, re.Pattern | None]:
    return _compiled(rule.code, tuple(rule.params.get("patterns", ())), tuple(rule.params.get("phrases", ())),
                     bool(rule.params.get("case_sensitive", False)), tuple(rule.params.get("unless", ())))


@lru_cache(maxsize=1024)
def _compiled(code, patterns, phrases, case_sensitive, unless):
    flags = 0 if case_sensitive else re.IGNORECASE
    alternatives = list(patterns)
    if phrases:
        # One word-boundary test around all phrases: far faster than one per phrase, same matches.
        alternatives.append(r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases) + r")(?!\w)")
    pattern = re.compile("|".join(f"(?:{a})" for a in alternatives), flags)
    unless_re = re.compile("|".join(f"(?:{u})" for u in unless), flags) if unless else None
    return pattern, unless_re


def validate(rule) -> None:
    if not rule.params.get("patterns") and not rule.params.get("phrases"):
        raise ValueError("een patroonregel heeft 'patterns' of 'phrases' nodig")
    pattern, _ = _compile(rule)
    if pattern.search(""):
        raise ValueError("het patroon past op lege tekst")
    alternatives = rule.params.get("alternatives", [])
    if "replacement" in rule.params and alternatives:
        raise ValueError("geef 'replacement' of 'alternatives', niet allebei")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A rough sentence around a match, for 'unless' (cheap; the parse is not needed here)."""
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end)) if i >= 0]
    return left + 1 if left >= 0 else 0, (min(right_candidates) + 1) if right_candidates else len(text)


def run(rule, analysis, settings):
    pattern, unless = _compile(rule)
    template = rule.params.get("replacement")
    alternatives = list(rule.params.get("alternatives", []))
    for _, block, _doc in analysis.blocks:
        protected = analysis.protected_spans(block)
        for match in pattern.finditer(block.text):
            start, end = match.span()
            if start == end or any(s < end and start < e for s, e in protected):
                continue
            if unless is not None:
                left, right = _sentence_bounds(block.text, start, end)
                if unless.search(block.text[left:right]):
                    continue
            replacements = [match.expand(template)] if template is not None else alternatives
            from .wordlist import match_case

            yield Hit(block.start + start, block.start + end,
                      replacements=[match_case(r, match.group(0)) if r else r for r in replacements])
