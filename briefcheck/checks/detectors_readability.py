"""Detectors for readability findings: difficult words and sentence structure (issue: B1)."""
from __future__ import annotations

import re

from ..analysis import is_word, is_writers_word
from . import Hit
from .syntax import detector

NEGATIONS = frozenset({"niet", "geen", "nooit", "niemand", "niets", "nergens", "noch", "zonder"})
SUBORDINATE_DEPS = frozenset({"advcl", "acl:relcl", "acl", "ccomp", "csubj"})
#: Acronyms every resident knows; never asked to be explained.
KNOWN_ACRONYMS = frozenset({"ID", "EU", "NL", "PDF", "TV", "WC", "OK", "DigiD", "AOW", "BTW", "GGD", "NS", "OV"})
#: Two or more capitals in a short word: WOZ, BSN, DigiD. Acronyms written like words (Wmo)
#: cannot be told from words; the rule file lists those (``also``).
_ACRONYM = re.compile(r"^(?:[A-Z]{2,6}|[A-Z][a-z]?[A-Z][A-Za-z]{0,3})$")


def _word_frequency(token) -> float | None:
    """SUBTLEX-NL log frequency as LiNT-II reads it (compounds by their head); None for non-content words."""
    from .. import lintdata

    lintdata.install()
    from lint_ii import WordFeatures

    return WordFeatures(token).word_frequency


@detector("long_word")
def _long_word(rule, analysis, params):
    limit = params.get("max_letters", 16)
    for _, block, doc in analysis.blocks:
        for token in doc:
            if is_writers_word(token) and token.is_alpha and len(token.text) > limit and not token.is_upper:
                start, end = analysis.token_span(block, token, token)
                yield Hit(start, end, value=len(token.text), limit=limit)


#: LiNT-II's frequency for a word SUBTLEX-NL does not have (a count of 0 in 43.8 million words).
UNKNOWN_LOG_FREQUENCY = 1.359228547196266
#: Endings of inflected forms: 'aangevraagde' is 'aangevraagd' with an -e.
_INFLECTIONS = ("e", "s", "en", "er", "ere", "ste", "st", "t", "d",
                "je", "jes", "tje", "tjes", "pje", "pjes", "etje", "etjes")  # 'tuintjes': a little 'tuin'
#: Word endings that are suffixes, not the second word of a compound ('robuust-heid').
_SUFFIXES = frozenset({"heid", "heden", "ende", "ting", "lijk", "lijke", "isch", "ische", "baar", "bare",
                       "atie", "aties", "ing", "ingen", "tje", "tjes", "ster", "sters", "loos", "loze"})
#: Particles that make a new verb or noun, not the first word of a compound ('door-loper'); shorter
#: ones ('ont-laten', 'aan-kweek') are below the four letters a first word needs anyway.
_PREFIXES = frozenset({"over", "onder", "door", "voor", "achter", "tegen", "terug", "samen", "weer"})
#: Both words of a compound must be common (at least 1,000 per billion words) for the compound to
#: count as known: with the rare-word limit instead, 'koe' + 'reiger' made 'koereiger' known. Chosen
#: on word prevalence (Keuleers et al. 2015, ``python -m briefcheck.evaluation findings``).
COMPOUND_PART_MIN_LOG_FREQUENCY = 3.0


def _known_form(word: str, lemma: str, frequencies: dict, limit: float) -> bool:
    """An inflected form of a word people know: its lemma, or the word without its ending, is common."""
    if lemma != word and frequencies.get(lemma, 0.0) >= limit:
        return True
    return any(word.endswith(ending) and frequencies.get(word[:-len(ending)], 0.0) >= limit
               for ending in _INFLECTIONS)


def _known_compound(word: str, frequencies: dict) -> tuple[str, str] | None:
    """A compound of two common words ('woon' + 'gemeente'), with or without a linking s, e or
    en; None when no such split exists. Long compounds are BC202's business."""
    least = COMPOUND_PART_MIN_LOG_FREQUENCY
    for cut in range(4, len(word) - 3):
        first, second = word[:cut], word[cut:]
        if second in _SUFFIXES or frequencies.get(second, 0.0) < least:
            continue
        for stem in (first, first[:-1] if first[-1] in "se" else "", first[:-2] if first.endswith("en") else ""):
            if len(stem) >= 4 and stem not in _PREFIXES and frequencies.get(stem, 0.0) >= least:
                return stem, second
    return None


def known_to_readers(word: str, lemma: str, frequencies: dict, limit: float) -> bool:
    """A rare or unknown word form that readers still know: an inflected form of a common word
    ('aangevraagde', 'tuintjes') or a compound of two common words ('woongemeente')."""
    return _known_form(word, lemma, frequencies, limit) or _known_compound(word, frequencies) is not None


@detector("rare_word")
def _rare_word(rule, analysis, params):
    """Content words residents rarely meet: SUBTLEX-NL log frequency below the limit (LiNT-II's
    own frequency measure, so the finding and the score agree). Names and merge fields never count.
    A rare or unknown form is not flagged when it is an inflected form of a common word or a
    compound of two common words: LiNT-II's score counts those as rare, but readers know them."""
    from .. import lintdata
    from ..readability import reading_sentences

    limit = params.get("max_log_frequency", 2.0)
    frequencies = lintdata.word_frequencies()
    # only in running text: address lines and letterheads are full of names the tagger may miss
    for sentence in reading_sentences(analysis):
        block = sentence.block
        for token in sentence.span:
            if not is_writers_word(token) or token.pos_ == "PROPN" or not token.is_alpha or len(token.text) < 4:
                continue
            if token.text[0].isupper() and not token.is_sent_start:
                continue  # a capital inside a sentence: a name the tagger missed
            frequency = _word_frequency(token)
            if frequency is None or frequency >= limit:
                continue
            if known_to_readers(token.lower_, token.lemma_.lower(), frequencies, limit):
                continue
            start, end = analysis.token_span(block, token, token)
            # shown as occurrences per billion words: a number people can picture
            per_billion = round(10 ** frequency)
            if frequency > UNKNOWN_LOG_FREQUENCY + 1e-9:
                yield Hit(start, end, value=per_billion, limit=round(10 ** limit),
                          fields={"how_often": f"ongeveer {per_billion} keer"})
            else:
                # not in SUBTLEX-NL at all: the count is unknown, only that it is below this
                yield Hit(start, end, value=None, limit=round(10 ** limit),
                          fields={"how_often": f"minder dan {per_billion} keer"})


def _words_between(sentence_tokens, a, b) -> int:
    low, high = sorted((a.i, b.i))
    return sum(1 for t in sentence_tokens if low < t.i < high and is_word(t))


def _noun_after_fronted_phrase(tokens, article):
    """The noun that closes 'de [op 12 februari door u] ingeleverde formulieren': an article directly
    followed by a preposition, then a participle or adjective and its noun. The parser often misses
    this shape (it attaches the article elsewhere), so it is found by its words."""
    position = article.i - tokens[0].i
    if position + 1 >= len(tokens) or tokens[position + 1].pos_ != "ADP":
        return None
    for previous, token in zip(tokens[position + 1:], tokens[position + 2:]):
        if token.is_punct or token.pos_ in ("SCONJ", "CCONJ"):
            return None
        # the participle is often tagged as a finite past verb ('ingeleverde'): any verb form counts
        if token.pos_ in ("NOUN", "PROPN") and previous.pos_ in ("ADJ", "VERB"):
            return token
    return None


@detector("split_construction")
def _split_construction(rule, analysis, params):
    """Tangconstructie: an article far from its noun, or an auxiliary far from its main verb."""
    article_limit = params.get("max_words_article", 4)
    verb_limit = params.get("max_words_verb", 10)
    for sentence in analysis.sentences:
        tokens = list(sentence.span)
        worst = None
        for token in tokens:
            head = token.head
            if head.i == token.i or head.i < sentence.span.start or head.i >= sentence.span.end:
                continue
            if token.dep_ == "det" and token.i < head.i:
                limit = article_limit
            elif token.pos_ == "DET" and (noun := _noun_after_fronted_phrase(tokens, token)) is not None:
                head, limit = noun, article_limit
            elif token.dep_ in ("aux", "aux:pass") and token.i < head.i and "WW|pv" in token.tag_:
                limit = verb_limit
            else:
                continue
            distance = _words_between(tokens, token, head)
            if distance > limit and (worst is None or distance - limit > worst[0]):
                worst = (distance - limit, token, head, distance, limit)
        if worst:
            _, first, last, distance, limit = worst
            start, end = analysis.token_span(sentence.block, first, last)
            yield Hit(start, end, value=distance, limit=limit, fields={"first": first.text, "last": last.text})


def _clause_depth(token, sentence) -> int:
    depth = 0
    current = token
    while current.head.i != current.i and sentence.span.start <= current.head.i < sentence.span.end:
        if current.dep_ in SUBORDINATE_DEPS:
            depth += 1
        current = current.head
    return depth


@detector("stacked_clauses")
def _stacked_clauses(rule, analysis, params):
    """Bijzinnen in bijzinnen: a subordinate clause inside another one (depth above the limit)."""
    limit = params.get("max_depth", 1)
    for sentence in analysis.sentences:
        depth = max((_clause_depth(t, sentence) for t in sentence.span if t.dep_ in SUBORDINATE_DEPS), default=0)
        if depth > limit:
            yield Hit(sentence.start, sentence.end, value=depth, limit=limit)


@detector("unexplained_abbreviation")
def _unexplained_abbreviation(rule, analysis, params):
    """An acronym (WOZ, Wmo, BSN) that the letter never explains, flagged where it first appears.
    Explained means: it stands in brackets after its meaning '(WOZ)', or its meaning follows in brackets."""
    text = analysis.text
    seen = set()
    also = set(params.get("also", []))
    known = KNOWN_ACRONYMS | set(params.get("known", []))
    for _, block, doc in analysis.blocks:
        for token in doc:
            # 'Wmo-voorziening': the acronym is the first part of a hyphenated word
            word = token.text.split("-")[0]
            if token._.special or not (_ACRONYM.match(word) or word in also) or word in known or word in seen:
                continue
            seen.add(word)
            if f"({word})" in text or re.search(rf"\b{re.escape(word)}\s*\([a-z][^)]{{3,}}\)", text):
                continue
            start = block.start + token.idx
            yield Hit(start, start + len(word))


@detector("double_negative")
def _double_negative(rule, analysis, params):
    """Two negations close together ('niet onmogelijk', 'geen ... niet'): the reader must reverse twice."""
    window = params.get("window", 6)
    for sentence in analysis.sentences:
        negations = [t for t in sentence.span
                     if t.lower_ in NEGATIONS
                     or (t.lower_.startswith("on") and t.pos_ == "ADJ" and len(t.text) > 6)]
        for first, second in zip(negations, negations[1:]):
            if first.lower_ in NEGATIONS and second.i - first.i <= window:
                start, end = analysis.token_span(sentence.block, first, second)
                yield Hit(start, end)
                break
