"""CEFR estimate (A1 … C2) and the B1 verdict, from readability features.

Model (fitted by ``python -m briefcheck.evaluation.cefr --write``; numbers in
``briefcheck/data/cefr-calibration.json``; method and figures in ``docs/cefr.md``):

* Features (17): the LiNT-II score and its four features, words per sentence, syllables per
  word, share of words of four syllables or more, and the nine difficulty measures of
  ``briefcheck.readability.difficulty_features`` (rare words, long words, infinitives, hard
  sentences, passives, subordinate clauses, adjectival modifiers, lexical diversity),
  standardised with the means and standard deviations of the calibration texts. No text length
  and no genre features: letters are neither as long nor of the same genres as the calibration
  texts.
* A multinomial logistic regression (softmax over the six levels, L2 penalty, each level
  weighted equally so that the four C1 texts count as much as the 25 B2 texts), fitted with
  numpy on the 107 graded texts of ``../shared/data/nt2-cefr``.
* Decision: the level ``k`` with the largest ``P(k) + β·(P(k−1) + P(k+1))``, i.e. the level with
  the best expected credit when an exact hit earns 1 and a neighbouring level earns β (λ and β
  chosen by cross-validation; now λ = 10, β = 0.5).
* ``score`` is the expected level ``Σ k·P(k)`` (0 = A1 … 5 = C2), for sorting and display.

Measured on nt2-cefr with ``python -m briefcheck.evaluation cefr``: nested cross-validation
(λ and β chosen inside the folds), mean of 10 shuffled stratified splits: exact 0.518, within
one level 0.878, B1 or easier against harder than B1 0.926. Within-one stays below 0.90;
``docs/cefr.md`` shows why and what else was tried.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files

from .readability import DIFFICULTY_MEASURES

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
B1_INDEX = LEVELS.index("B1")

#: Dutch names of the features, for the reasons of a verdict.
FEATURE_LABELS = {
    "lint_score": ("LiNT-II-score", "{:.0f}"),
    "word_frequency": ("gemiddelde woordfrequentie", "{:.2f}"),
    "max_dependency_length": ("afstand tussen woorden die bij elkaar horen", "{:.1f}"),
    "content_words_per_clause": ("inhoudswoorden per deelzin", "{:.1f}"),
    "proportion_concrete_nouns": ("aandeel concrete zelfstandige naamwoorden", "{:.0%}"),
    "words_per_sentence": ("woorden per zin", "{:.1f}"),
    "syllables_per_word": ("lettergrepen per woord", "{:.2f}"),
    "long_word_share": ("aandeel lange woorden", "{:.0%}"),
    "rare_share": ("aandeel zeldzame woorden", "{:.0%}"),
    "hard_sentence_share": ("aandeel moeilijke zinnen", "{:.0%}"),
    "passive_share": ("aandeel zinnen met lijdende vorm", "{:.0%}"),
    "subordinate_per_sentence": ("bijzinnen per zin", "{:.1f}"),
}


@lru_cache(maxsize=1)
def calibration() -> dict:
    return json.loads(files("briefcheck").joinpath("data/cefr-calibration.json").read_text(encoding="utf-8"))


def feature_vector(readability: dict) -> dict[str, float | None]:
    """The features the CEFR model reads, from the readability details of a letter."""
    lint = readability.get("lint") or {}
    features = lint.get("features") or {}
    difficulty = readability.get("difficulty") or {}
    return {
        "lint_score": lint.get("score"),
        "word_frequency": features.get("word_frequency"),
        "max_dependency_length": features.get("max_dependency_length"),
        "content_words_per_clause": features.get("content_words_per_clause"),
        "proportion_concrete_nouns": features.get("proportion_concrete_nouns"),
        "words_per_sentence": readability.get("words_per_sentence"),
        "syllables_per_word": readability.get("syllables_per_word"),
        "long_word_share": readability.get("long_word_share"),
        **{name: difficulty.get(name) for name in DIFFICULTY_MEASURES},
    }


def standardised(vector: dict[str, float | None], model: dict) -> list[float] | None:
    """The features in the model's order, standardised; None if a feature is missing."""
    values = []
    for name, mean, std in zip(model["features"], model["means"], model["stds"]):
        value = vector.get(name)
        if value is None:
            return None
        values.append((value - mean) / std)
    return values


def probabilities(vector: dict[str, float | None], model: dict) -> list[float] | None:
    """P(level) for A1 … C2 (softmax of the multinomial logistic regression); None if a feature is missing."""
    z = standardised(vector, model)
    if z is None:
        return None
    logits = [b + sum(w * x for w, x in zip(row, z)) for b, row in zip(model["intercepts"], model["weights"])]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def decide(probs: list[float], neighbour_weight: float) -> int:
    """The level with the best expected credit: 1 for the exact level, ``neighbour_weight`` for a neighbour."""
    credit = [p + neighbour_weight * ((probs[k - 1] if k else 0.0) + (probs[k + 1] if k + 1 < len(probs) else 0.0))
              for k, p in enumerate(probs)]
    return max(range(len(credit)), key=credit.__getitem__)


def predict(vector: dict[str, float | None], model: dict) -> tuple[int, float] | None:
    """(level index, expected level 0 … 5) or None if a feature is missing."""
    probs = probabilities(vector, model)
    if probs is None:
        return None
    return decide(probs, model["neighbour_weight"]), sum(k * p for k, p in enumerate(probs))


def predict_score(vector: dict[str, float | None], model: dict) -> float | None:
    """The expected level (0 = A1 … 5 = C2); None if a feature is missing."""
    result = predict(vector, model)
    return result[1] if result else None


def estimate_cefr(readability: dict) -> dict:
    """{level, score, b1: {verdict, reasons}} — level None when the letter has too little text."""
    model = calibration()["model"]
    vector = feature_vector(readability)
    prediction = predict(vector, model)
    if prediction is None:
        return {"level": None, "score": None,
                "b1": {"passed": None, "verdict": "B1: onbekend, want de brief heeft te weinig gewone zinnen.",
                       "reasons": []}}
    index, score = prediction
    passed = index <= B1_INDEX
    reasons = []
    norms = calibration()["b1_norms"]
    for name, (label, fmt) in FEATURE_LABELS.items():
        value, norm = vector.get(name), norms.get(name)
        if value is None or norm is None:
            continue
        worse = value > norm["max"] if norm["direction"] == "higher_is_harder" else value < norm["min"]
        limit = norm["max"] if norm["direction"] == "higher_is_harder" else norm["min"]
        if worse and fmt.format(value) != fmt.format(limit):  # never "13% (hoogstens 13%)"
            reasons.append(f"{label} is {fmt.format(value)} (B1-teksten: {'hoogstens' if norm['direction'] == 'higher_is_harder' else 'minstens'} {fmt.format(limit)})".replace(".", ","))
    if passed:
        verdict = f"B1: ja. De brief is naar schatting op niveau {LEVELS[index]}."
    else:
        because = "; ".join(reasons[:3]) if reasons else "de combinatie van zinslengte en woordkeus is te moeilijk"
        verdict = f"B1: nee, want {because}. De brief is naar schatting op niveau {LEVELS[index]}."
    return {"level": LEVELS[index], "score": round(score, 2), "b1": {"passed": passed, "verdict": verdict, "reasons": reasons}}
