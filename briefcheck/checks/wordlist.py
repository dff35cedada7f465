"""Kind ``wordlist``: words and phrases with plain alternatives, matched on lemma or form."""
from __future__ import annotations

import unicodedata

from ..analysis import is_word, is_writers_word
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
            single.setdefault(_plain(parts[0]), entry)
        else:
            multi.setdefault(parts[0], []).append((parts, entry))
    for candidates in multi.values():
        candidates.sort(key=lambda c: -len(c[0]))
    _indexes[id(rule)] = (rule, single, multi)
    return single, multi


def _plain(word: str) -> str:
    """The word without diaeresis or accents: the tagger's lemma of 'geïmplementeerd' can come out as
    'ïmplementëren', and writers drop or add the marks ('mèt', 'geinformeerd')."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _forms(token) -> tuple[str, ...]:
    form, lemma = token.lower_, token.lemma_.lower()
    return tuple(dict.fromkeys((form, lemma, _plain(form), _plain(lemma))))


def _single_forms(token) -> tuple[str, ...]:
    """Forms to look up a one-word term by. An inflected adjective or participle is tried as its
    base adjective before the tagger's lemma, so an adjective entry wins over the verb it comes
    from ('een gedifferentieerde samenstelling' → 'gedifferentieerd', not 'differentiëren')."""
    forms = _forms(token)
    form = forms[0]
    if form.endswith("e") and len(form) > 4 and (token.pos_ == "ADJ" or "Part" in token.morph.get("VerbForm")):
        return tuple(dict.fromkeys((form, form[:-1], _plain(form[:-1])) + forms[1:]))
    return forms


def _candidate(token) -> bool:
    """A word of the writer's that may be a list term. A number word used as a verb counts
    ('De gemeente acht dit nodig': 'acht' of 'achten', not the number 8)."""
    if is_writers_word(token):
        return True
    return token.like_num and token.pos_ == "VERB" and "Fin" in token.morph.get("VerbForm") \
        and token.text.isalpha() and is_word(token) and token._.special is None \
        and not any(child.dep_ == "cop" for child in token.children)  # 'Dat zijn er acht.'


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
        if not _candidate(token):
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
            for form in _single_forms(token):
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
