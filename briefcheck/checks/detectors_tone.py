"""Tone detectors that look at the whole letter or at capitals, where a regular expression can't.

Each detector is chosen by name from a rule in ``rules/toon.yaml``; word lists come from the
rule's parameters where the rule gives them, so advisers can extend them without code.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..analysis import is_writers_word
from . import Hit
from .syntax import detector

#: Blocks where capitals or a generic salutation can be the writer's tone (not a letterhead).
_TEXT_BLOCKS = ("paragraph", "list_item", "table_cell", "text_box")


def _body_blocks(analysis):
    return [(block, doc) for _, block, doc in analysis.blocks if block.is_body]


# ---------------------------------------------------------------- u and je mixed


@detector("mixed_address")
def mixed_address(rule, analysis, params):
    """'u' and 'je/jij' in one letter: flag each form that is used least (ties: the 'je' forms)."""
    formal_words = {w.lower() for w in params.get("formal", ("u", "uw", "uzelf"))}
    informal_words = {w.lower() for w in params.get("informal", ("je", "jij", "jou", "jouw", "jezelf"))}
    formal, informal = [], []
    for block, doc in _body_blocks(analysis):
        for token in doc:
            if not is_writers_word(token):
                continue
            if token.lower_ in formal_words:
                formal.append((block, token))
            elif token.lower_ in informal_words:
                informal.append((block, token))
    if not formal or not informal:
        return
    minority = formal if len(formal) < len(informal) else informal
    fields = {"formal": len(formal), "informal": len(informal)}
    majority_is_formal = minority is informal
    for block, token in minority:
        start, end = analysis.token_span(block, token, token)
        yield Hit(start, end, fields=fields,
                  replacements=[_swap_address(token.text)] if majority_is_formal else [])


_TO_FORMAL = {"je": "u", "jij": "u", "jou": "u", "jouw": "uw", "jezelf": "uzelf"}


def _swap_address(word: str) -> str:
    formal = _TO_FORMAL.get(word.lower(), "u")
    return formal[:1].upper() + formal[1:] if word[:1].isupper() else formal


# ---------------------------------------------------------------- 'U' in mid-sentence

#: Tokens after which a capital is normal (a quotation or a new line of a list).
_OPENERS = {'"', "'", "‘", "“", "(", "[", "•", "-", "–", "—", "*"}
#: After a colon a capital is allowed when a whole sentence follows ('Let op: U moet …'); we
#: don't try to judge that, so a capital after a colon is never reported.
_COLONS = {":", ";"}
_SENTENCE_END = {".", "?", "!"}


@detector("capital_u_mid_sentence")
def capital_u_mid_sentence(rule, analysis, params):
    """'U' or 'Uw' with a capital where it is not the first word of a sentence or line.

    Sentence starts are read from the punctuation, not from the parser: a capital 'U' makes the
    parser start a new sentence, which is exactly the mistake we look for.
    """
    for block, doc in _body_blocks(analysis):
        previous = None
        for token in doc:
            if token.is_space:
                continue
            if token.text in ("U", "Uw") and previous is not None and not _starts_here(block, token, previous):
                start, end = analysis.token_span(block, token, token)
                yield Hit(start, end, replacements=[token.text.lower()])
            previous = token


def _starts_here(block, token, previous) -> bool:
    """True when a capital is expected at ``token``: after . ? ! :, a quote, a bullet or a new line."""
    if (previous.text in _SENTENCE_END or previous.text in _OPENERS or previous.text in _COLONS
            or previous.text.endswith((".", "?", "!", ":"))):
        return True
    gap = block.text[previous.idx + len(previous.text):token.idx]
    if "\n" in gap:
        return True
    # a line of capitals ('BEL U ONS') is shouting, reported by another rule
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return any(t is not None and t.is_alpha and t.is_upper and len(t.text) > 1 for t in (previous, following))


# ---------------------------------------------------------------- generic salutation with a name field

_GENERIC_SALUTATION = re.compile(
    r"\b(?:geachte|beste)\s+(?:heer\s*/\s*mevrouw|mevrouw\s*/\s*heer|meneer\s*/\s*mevrouw|mevrouw\s*/\s*meneer"
    r"|heer\s+of\s+mevrouw|mevrouw\s+of\s+heer|meneer\s+of\s+mevrouw|heer,\s*mevrouw|mevrouw,\s*heer"
    r"|bewoners?|inwoners?|relatie|klant|aanvrager|lezer)\b",
    re.IGNORECASE,
)
#: Merge fields whose name says they hold the reader's name or form of address.
_NAME_FIELD = re.compile(r"naam|name|aanhef|voorletter|tussenvoegsel|geslacht|titel|relatie", re.IGNORECASE)


@detector("generic_salutation_with_name_field")
def generic_salutation_with_name_field(rule, analysis, params):
    """'Geachte heer/mevrouw' while a merge field with the reader's name is in the letter."""
    name_pattern = re.compile(params["name_fields"], re.IGNORECASE) if params.get("name_fields") else _NAME_FIELD
    field = next(
        (t.text for _, _, doc in analysis.blocks for t in doc
         if t._.special == "placeholder" and name_pattern.search(t.text)),
        None,
    )
    if field is None:
        return
    for block, _doc in _body_blocks(analysis):
        for match in _GENERIC_SALUTATION.finditer(block.text):
            yield Hit(block.start + match.start(), block.start + match.end(), fields={"field": field})
            return  # one salutation per letter


# ---------------------------------------------------------------- refusal without reason or way forward


@lru_cache(maxsize=32)
def _any_of(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@detector("refusal_without_way_forward")
def refusal_without_way_forward(rule, analysis, params):
    """A refusal in a letter that gives no reason, or no next step, anywhere.

    Both missing is the rule's severity (a warning); one missing is a suggestion.
    """
    refusal = _any_of(tuple(params.get("refusal", ())))
    reasons = _any_of(tuple(params.get("reasons", ())))
    next_steps = _any_of(tuple(params.get("next_steps", ())))
    blocks = _body_blocks(analysis)
    first = None
    for block, _doc in blocks:
        match = refusal.search(block.text)
        if match:
            first = (block, match)
            break
    if first is None:
        return
    text = "\n".join(block.text for block, _ in blocks)
    missing = []
    if not reasons.search(text):
        missing.append("waarom")
    if not next_steps.search(text):
        missing.append("wat de lezer nu kan doen")
    if not missing:
        return
    block, match = first
    # the whole refusing sentence: the problem is the letter's, not one word's (and a word-sized
    # span would vanish inside a longer phrase finding on the same words)
    start, end = _rough_sentence(block.text, match.start(), match.end())
    yield Hit(block.start + start, block.start + end,
              severity=None if len(missing) == 2 else "suggestion",
              fields={"missing": " en ook niet ".join(missing), "refusal": match.group(0)})


_SENTENCE_START = re.compile(r"(?:^|(?<=[.?!])\s+|\n)(?=\S)")
_SENTENCE_STOP = re.compile(r"[.?!](?=\s|$)|\n|$")


def _rough_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], by punctuation and line breaks (not by the parser)."""
    left = 0
    for m in _SENTENCE_START.finditer(text, 0, start + 1):
        if m.end() <= start:
            left = m.end()
    stop = _SENTENCE_STOP.search(text, end)
    right = stop.end() if stop and stop.group(0) in ".?!" else (stop.start() if stop else len(text))
    return left, right


# ---------------------------------------------------------------- words in capitals

_CAPS_WORD = re.compile(r"^[A-ZÀ-Ý]{2,}$")


@detector("shouting_capitals")
def shouting_capitals(rule, analysis, params):
    """A run of words in capitals in running text: one word of 4+ letters, or 2+ words.

    Known acronyms (WOZ, BSN, UWV, IBAN, …, listed in the rule) are not shouting; headings,
    letterheads and merge fields are left alone.
    """
    acronyms = {a.upper() for a in params.get("acronyms", ())}
    for _, block, doc in analysis.blocks:
        if block.kind not in _TEXT_BLOCKS:
            continue
        run: list = []
        for token in list(doc) + [None]:
            if token is not None and token.is_space:
                continue
            if (token is not None and token._.special is None and _CAPS_WORD.match(token.text)
                    and token.text not in acronyms):
                run.append(token)
                continue
            if run and (len(run) > 1 or len(run[0].text) >= 4):
                start, end = analysis.token_span(block, run[0], run[-1])
                yield Hit(start, end, replacements=[analysis.text[start:end].lower()])
            run = []
