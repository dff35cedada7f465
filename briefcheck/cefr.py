"""CEFR estimate (A1 … C2) and the B1 verdict, from readability features.

The estimate is a linear model on standardised features with cut points between the levels,
calibrated on graded Dutch reading texts (see ``briefcheck/evaluation/cefr.py`` for the method
and ``briefcheck/data/cefr-calibration.json`` for the fitted numbers and cross-validated figures).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
B1_INDEX = LEVELS.index("B1")

#: Dutch names of the features, for the reasons of a verdict.
FEATURE_LABELS = {
    "lint_score": ("LiNT-II-score", "{:.0f}"),
    "word_frequency": ("gemiddelde woordfrequentie", "{:.2f}"),
    "max_dependency_length": ("afstand tussen woorden die bij elkaar horen", "{:.1f}"),
    "content_words_per_clause": ("inhoudswoorden per deelzin", "{:.1f}"),
    "proportion_concrete_nouns": ("aandeel concrete zelfstandige naamwoorden", "{:.2f}"),
    "words_per_sentence": ("woorden per zin", "{:.1f}"),
    "syllables_per_word": ("lettergrepen per woord", "{:.2f}"),
    "long_word_share": ("aandeel lange woorden", "{:.2f}"),
}


@lru_cache(maxsize=1)
def calibration() -> dict:
    return json.loads(files("briefcheck").joinpath("data/cefr-calibration.json").read_text(encoding="utf-8"))


def feature_vector(readability: dict) -> dict[str, float | None]:
    """The features the CEFR model reads, from the readability details of a letter."""
    lint = readability.get("lint") or {}
    features = lint.get("features") or {}
    return {
        "lint_score": lint.get("score"),
        "word_frequency": features.get("word_frequency"),
        "max_dependency_length": features.get("max_dependency_length"),
        "content_words_per_clause": features.get("content_words_per_clause"),
        "proportion_concrete_nouns": features.get("proportion_concrete_nouns"),
        "words_per_sentence": readability.get("words_per_sentence"),
        "syllables_per_word": readability.get("syllables_per_word"),
        "long_word_share": readability.get("long_word_share"),
    }


def predict_score(vector: dict[str, float | None], model: dict) -> float | None:
    """The continuous level (0 = A1 … 5 = C2) from a feature vector; None if a feature is missing."""
    total = model["intercept"]
    for name, weight, mean, std in zip(model["features"], model["weights"], model["means"], model["stds"]):
        value = vector.get(name)
        if value is None:
            return None
        total += weight * (value - mean) / std
    return total


def level_of(score: float, cut_points: list[float]) -> int:
    return sum(score > c for c in cut_points)


def estimate_cefr(readability: dict) -> dict:
    """{level, score, b1: {verdict, reasons}} — level None when the letter has too little text."""
    model = calibration()["model"]
    vector = feature_vector(readability)
    score = predict_score(vector, model)
    if score is None:
        return {"level": None, "score": None,
                "b1": {"passed": None, "verdict": "B1: onbekend, want de brief heeft te weinig gewone zinnen.",
                       "reasons": []}}
    index = level_of(score, model["cut_points"])
    passed = index <= B1_INDEX
    reasons = []
    norms = calibration()["b1_norms"]
    for name, (label, fmt) in FEATURE_LABELS.items():
        value, norm = vector.get(name), norms.get(name)
        if value is None or norm is None:
            continue
        worse = value > norm["max"] if norm["direction"] == "higher_is_harder" else value < norm["min"]
        if worse:
            limit = norm["max"] if norm["direction"] == "higher_is_harder" else norm["min"]
            reasons.append(f"{label} is {fmt.format(value)} (B1-teksten: {'hoogstens' if norm['direction'] == 'higher_is_harder' else 'minstens'} {fmt.format(limit)})".replace(".", ","))
    if passed:
        verdict = f"B1: ja. De brief is naar schatting op niveau {LEVELS[index]}."
    else:
        because = "; ".join(reasons[:3]) if reasons else "de combinatie van zinslengte en woordkeus is te moeilijk"
        verdict = f"B1: nee, want {because}. De brief is naar schatting op niveau {LEVELS[index]}."
    return {"level": LEVELS[index], "score": round(score, 2), "b1": {"passed": passed, "verdict": verdict, "reasons": reasons}}
