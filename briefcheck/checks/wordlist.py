"""Kind ``wordlist``: words and phrases with plain alternatives, matched on lemma or form."""
from __future__ import annotations

from ..analysis import is_writers_word
from . import Hit


def validate(rule) -> None:
    if not rule.entries:
        raise ValueError("een woordenlijst heeft 'entries' nodig")


_indexes: dict[int, tuple] = {}


def _index(rule) -> tuple[dict, dict]:
    """Entries by first word, built once per rule (kept with the rule object's identity)."""
    cached = _indexes.get(id(rule))
    if cached is not None and cached[0] is rule:
        return cached[1], cached[2]
    single: dict[str, object] = {}
    multi: dict[str, list[tuple[list[str], object]]] = {}
    for entry in rule.entries:
        parts = entry.term.split()
        if len(parts) == 1:
            single[parts[0]] = entry
        else:
            multi.setdefault(parts[0], []).append((parts, entry))
    for candidates in multi.values():
        candidates.sort(key=lambda c: -len(c[0]))
    _indexes[id(rule)] = (rule, single, multi)
    return single, multi


def _forms(token) -> tuple[str, str]:
    return token.lower_, token.lemma_.lower()


def match_case(replacement: str, original: str) -> str:
    """Give the replacement the capital of the original (sentence start), nothing more."""
    if original[:1].isupper() and not original.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def find_entries(rule, doc):
    """(first token, last token, entry) for each match in a Doc, longest phrase first."""
    single, multi = _index(rule)
    i = 0
    tokens = list(doc)
    while i < len(tokens):
        token = tokens[i]
        if not is_writers_word(token):
            i += 1
            continue
        matched = None
        for form in dict.fromkeys(_forms(token)):
            for parts, entry in multi.get(form, ()):
                j, k = i, 0
                while k < len(parts) and j < len(tokens):
                    if tokens[j].is_space:
                        j += 1
                        continue
                    if parts[k] not in _forms(tokens[j]):
                        break
                    j += 1
                    k += 1
                if k == len(parts):
                    matched = (token, tokens[j - 1], entry)
                    break
            if matched:
                break
        if not matched:
            for form in _forms(token):
                if form in single:
                    matched = (token, token, single[form])
                    break
        if matched:
            yield matched
            i = matched[1].i + 1
        else:
            i += 1


def run(rule, analysis, settings):
    from ..suggest import wordlist_suggestions

    for _, block, doc in analysis.blocks:
        for first, last, entry in find_entries(rule, doc):
            start, end = analysis.token_span(block, first, last)
            # the alternatives inflected to fit the sentence ('verstrekt' → 'gegeven'); where no
            # alternative fits grammatically, the finding names them without a ready replacement
            suggestions = wordlist_suggestions(entry, first, last, doc, analysis.text, block.start)
            yield Hit(
                start, end,
                replacements=[],
                suggestions=suggestions,
                fields={"alternatives": " of ".join(f"'{a}'" for a in entry.alternatives),
                        "term": entry.term, "entry_why": entry.why},
            )
