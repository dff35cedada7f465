"""Readability scores of a letter: LiNT-II (through the ``lint-ii`` library, on our own parse),
Flesch-Douma and Brouwer's leesindex (counted on our sentences and words), and the CEFR estimate.

An undefined score is ``None`` (e.g. a letter without a single full sentence), never a fake 0.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

from .analysis import Sentence, TextAnalysis, is_word

#: Share of Dutch adults that struggle with a text of each LiNT-II level (from lint-ii's documentation).
STRUGGLING_SHARE = {1: 14, 2: 29, 3: 53, 4: 78}
LEVEL_LABELS = {1: "makkelijk", 2: "redelijk makkelijk", 3: "moeilijk", 4: "zeer moeilijk"}

#: A word of this many syllables or more counts as long.
LONG_WORD_SYLLABLES = 4

#: Block kinds whose sentences are text to read (not address lines, headers or footers).
READING_KINDS = ("paragraph", "list_item", "table_cell", "text_box")


def has_finite_verb(span) -> bool:
    return any("WW|pv" in t.tag_ for t in span)


def reading_sentences(analysis: TextAnalysis) -> list[Sentence]:
    """Sentences a resident reads: in body text, with a finite verb (so not the address block,
    date line, salutation or signature, which have no clause and would distort the scores)."""
    return [s for s in analysis.sentences if s.block.kind in READING_KINDS and has_finite_verb(s.span)]


@dataclass
class LintFeatures:
    word_frequency: float | None
    max_dependency_length: float | None
    content_words_per_clause: float | None
    proportion_concrete_nouns: float | None


@dataclass
class LintResult:
    score: float | None
    level: int | None
    struggling_share: int | None
    features: LintFeatures

    def to_dict(self) -> dict:
        return asdict(self)


def _lint_sentence_analyses(sentences: list[Sentence]):
    from . import lintdata

    lintdata.install()
    from lint_ii import SentenceAnalysis

    return [SentenceAnalysis(s.span) for s in sentences]


def _result(scorer, freq, sdl, cwc, concrete) -> LintResult:
    score = scorer.score
    level = scorer.level
    return LintResult(
        score=round(score, 1) if score is not None else None,
        level=level,
        struggling_share=STRUGGLING_SHARE.get(level) if level else None,
        features=LintFeatures(
            word_frequency=round(freq, 3) if freq is not None else None,
            max_dependency_length=round(sdl, 2) if sdl is not None else None,
            content_words_per_clause=round(cwc, 2) if cwc is not None else None,
            proportion_concrete_nouns=round(concrete, 3) if concrete is not None else None,
        ),
    )


def lint_scores(sentences: list[Sentence]) -> tuple[LintResult | None, list[LintResult]]:
    """LiNT-II for the whole text and for every sentence (lint-ii computes; we only report)."""
    if not sentences:
        return None, []
    from lint_ii import ReadabilityAnalysis

    per_sentence = _lint_sentence_analyses(sentences)
    document = ReadabilityAnalysis(per_sentence)
    doc_result = _result(document.lint, document.mean_log_word_frequency, document.mean_max_sdl,
                         document.mean_content_words_per_clause, document.proportion_of_concrete_nouns)
    sentence_results = [
        _result(s.lint, s.mean_log_word_frequency, s.max_sdl, s.content_words_per_clause,
                s.proportion_of_concrete_nouns)
        for s in per_sentence
    ]
    return doc_result, sentence_results


@lru_cache(maxsize=1)
def _dutch_textstat():
    import textstat

    textstat.set_lang("nl")  # always: textstat's English mode would try to download cmudict
    return textstat


def syllables(word: str) -> int:
    """Syllables of a Dutch word, counted by textstat in Dutch mode (Pyphen's Dutch hyphenation)."""
    return max(1, _dutch_textstat().syllable_count(word))


def classic_scores(sentences: list[Sentence]) -> dict:
    """Flesch-Douma and Brouwer's leesindex on our own sentences and words. Higher = easier."""
    words = [t.text for s in sentences for t in s.span if is_word(t) and t._.special is None]
    if not sentences or not words:
        return {"flesch_douma": None, "brouwer": None, "words_per_sentence": None, "syllables_per_word": None,
                "long_word_share": None}
    from textstat.backend.utils import get_lang_cfg

    words_per_sentence = len(words) / len(sentences)
    counts = [syllables(w) for w in words]
    syllables_per_word = sum(counts) / len(words)
    # Flesch-Douma with textstat's Dutch constants: 206.835 - 0.93 * ASL - 77 * ASW
    flesch_douma = (get_lang_cfg("nl", "fre_base") - get_lang_cfg("nl", "fre_sentence_length") * words_per_sentence
                    - get_lang_cfg("nl", "fre_syll_per_word") * syllables_per_word)
    brouwer = 195 - 2 * words_per_sentence - 67 * syllables_per_word
    return {
        "flesch_douma": round(flesch_douma, 1),
        "brouwer": round(brouwer, 1),
        "words_per_sentence": round(words_per_sentence, 1),
        "syllables_per_word": round(syllables_per_word, 2),
        "long_word_share": round(sum(c >= LONG_WORD_SYLLABLES for c in counts) / len(words), 3),
    }


def readability_details(analysis: TextAnalysis, settings) -> dict:
    sentences = reading_sentences(analysis)
    document, per_sentence = lint_scores(sentences)
    details = {
        "lint": document.to_dict() if document else None,
        "sentences": [
            {"start": s.start, "end": s.end, **r.to_dict()} for s, r in zip(sentences, per_sentence)
        ],
        **classic_scores(sentences),
    }
    from .cefr import estimate_cefr

    details["cefr"] = estimate_cefr(details)
    return details
