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


def lint_scores(sentences: list[Sentence], analyses=None) -> tuple[LintResult | None, list[LintResult]]:
    """LiNT-II for the whole text and for every sentence (lint-ii computes; we only report).
    ``analyses``: lint-ii's SentenceAnalysis objects of ``sentences``, if already made."""
    if not sentences:
        return None, []
    from lint_ii import ReadabilityAnalysis

    per_sentence = analyses if analyses is not None else _lint_sentence_analyses(sentences)
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


def reading_words(sentences: list[Sentence]) -> list:
    """The word tokens of the sentences, without names, numbers, addresses and other special spans."""
    return [t for s in sentences for t in s.span if is_word(t) and t._.special is None]


def classic_scores(sentences: list[Sentence], words: list | None = None) -> dict:
    """Flesch-Douma and Brouwer's leesindex on our own sentences and words. Higher = easier."""
    words = [t.text for t in (reading_words(sentences) if words is None else words)]
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


#: A content word with a SUBTLEX-NL log frequency below this counts as rare (LiNT-II's frequency scale).
RARE_LOG_FREQUENCY = 3.0
#: A word of this many letters or more counts as long to the eye.
LONG_WORD_LETTERS = 12
#: Window of the moving-average type-token ratio (MATTR).
MATTR_WINDOW = 50
#: The measures of ``difficulty_features``, in order.
DIFFICULTY_MEASURES = ("rare_share", "frequency_p10", "long_word_chars_share", "infinitives_per_word",
                       "hard_sentence_share", "passive_share", "subordinate_per_sentence", "adjectival_per_clause",
                       "lemma_mattr")


def difficulty_features(sentences: list[Sentence], analyses, per_sentence: list[LintResult],
                        words: list | None = None) -> dict:
    """Nine text-level measures of word and sentence difficulty beside LiNT-II's four, read by the
    CEFR estimate. Each is None when the text has nothing to measure it on."""
    words = reading_words(sentences) if words is None else words
    if not sentences or not words:
        return dict.fromkeys(DIFFICULTY_MEASURES)
    frequencies = sorted(w.word_frequency for a in analyses for w in a.content_words if w.word_frequency is not None)
    lemmas = [t.lemma_.lower() for t in words]
    if len(lemmas) >= MATTR_WINDOW:
        window_types = [len(set(lemmas[i:i + MATTR_WINDOW])) for i in range(len(lemmas) - MATTR_WINDOW + 1)]
        mattr = sum(window_types) / (len(window_types) * MATTR_WINDOW)
    else:  # a short text: the plain type-token ratio
        mattr = len(set(lemmas)) / len(lemmas)
    n = len(words)
    return {
        "rare_share": round(sum(f < RARE_LOG_FREQUENCY for f in frequencies) / len(frequencies), 3) if frequencies else None,
        "frequency_p10": round(frequencies[int(0.1 * (len(frequencies) - 1))], 3) if frequencies else None,
        "long_word_chars_share": round(sum(len(w.text) >= LONG_WORD_LETTERS for w in words) / n, 3),
        "infinitives_per_word": round(sum("WW|inf" in t.tag_ for s in sentences for t in s.span) / n, 4),
        "hard_sentence_share": round(sum(bool(r.level and r.level >= 3) for r in per_sentence) / len(sentences), 3),
        "passive_share": round(sum(a.has_passive for a in analyses) / len(analyses), 3),
        "subordinate_per_sentence": round(sum(a.n_subordinate_clauses for a in analyses) / len(analyses), 3),
        "adjectival_per_clause": round(sum(a.adjectival_modifiers_per_clause for a in analyses) / len(analyses), 3),
        "lemma_mattr": round(mattr, 3),
    }


def reading_scores(sentences: list[Sentence]) -> dict:
    """LiNT-II (document and per sentence), the classic scores and the difficulty features of
    the sentences a resident reads; the CEFR estimate reads its features from this."""
    analyses = _lint_sentence_analyses(sentences) if sentences else []
    document, per_sentence = lint_scores(sentences, analyses)
    words = reading_words(sentences)
    return {
        "lint": document.to_dict() if document else None,
        "per_sentence": per_sentence,
        **classic_scores(sentences, words),
        "difficulty": difficulty_features(sentences, analyses, per_sentence, words),
    }


def readability_details(analysis: TextAnalysis, settings) -> dict:
    sentences = reading_sentences(analysis)
    scores = reading_scores(sentences)
    per_sentence = scores.pop("per_sentence")
    details = {
        "lint": scores.pop("lint"),
        "sentences": [
            {"start": s.start, "end": s.end, **r.to_dict()} for s, r in zip(sentences, per_sentence)
        ],
        **scores,
    }
    from .cefr import estimate_cefr

    details["cefr"] = estimate_cefr(details)
    return details
