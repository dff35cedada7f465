"""Acceptance figures for the tone profile and the letter-type detection.

* ``evaluate_tone(data_dir)``: on the Amsterdam sentence pairs (Complex → Simple, edited by the
  city's communication experts), how often the edited side has the better mean tone, among the
  pairs whose tone signals differ; and, on the example letter (C1 official → B1 rewrite), the
  score of each dimension on both sides.
* ``evaluate_letter_types(letters_dir)``: accuracy of the letter type on our own test letters
  (``tests/data/letters/<type>/*.txt``), per type and as a confusion table.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from . import PROJECT_ROOT

LETTERS_DIR = PROJECT_ROOT / "tests" / "data" / "letters"
PAIRS = Path("amsterdam-simplification") / "pairs-dev.csv"
LETTER_PAIR = Path("letter-example") / "letter_pair.json"


def _analyse(text: str):
    from ..analysis import TextAnalysis
    from ..formats.text import document_from_text
    from ..nlp import get_nlp

    return TextAnalysis.parse(document_from_text(text), get_nlp())


def _profile(text: str) -> dict:
    from ..tone import tone_profile

    return tone_profile(_analyse(text))


def evaluate_pairs(path: Path) -> dict:
    """Share of pairs where the edited side scores better on the mean of the five dimensions,
    among the pairs whose tone signals differ (pairs with identical signals are not counted)."""
    from ..tone import DIMENSIONS, mean_score, signal_keys

    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Complex"].strip() and r["Simple"].strip()]
    differing = better = worse = equal = 0
    per_dimension = {d: {"better": 0, "worse": 0} for d in DIMENSIONS}
    for row in rows:
        original, edited = _profile(row["Complex"]), _profile(row["Simple"])
        if signal_keys(original) == signal_keys(edited):
            continue
        differing += 1
        difference = mean_score(edited) - mean_score(original)
        if difference > 0:
            better += 1
        elif difference < 0:
            worse += 1
        else:
            equal += 1
        for d in DIMENSIONS:
            delta = edited["letter"][d]["score"] - original["letter"][d]["score"]
            if delta:
                per_dimension[d]["better" if delta > 0 else "worse"] += 1
    return {
        "data": str(path.name),
        "pairs": len(rows),
        "pairs_with_different_tone_signals": differing,
        "edited_better": better,
        "edited_worse": worse,
        "equal_mean": equal,
        "share_edited_better": round(better / differing, 4) if differing else None,
        "target": 0.70,
        "per_dimension": per_dimension,
    }


def evaluate_letter_pair(path: Path) -> dict:
    """Per dimension: the official (C1) and rewritten (B1) letter's scores; B1 should be higher."""
    from ..tone import DIMENSIONS

    pair = json.loads(path.read_text(encoding="utf-8"))
    official, rewrite = _profile(pair["C1"]), _profile(pair["B1"])
    dimensions = {
        d: {"C1": official["letter"][d]["score"], "B1": rewrite["letter"][d]["score"],
            "B1_better": rewrite["letter"][d]["score"] > official["letter"][d]["score"]}
        for d in DIMENSIONS
    }
    return {"data": str(path.name), "dimensions": dimensions,
            "B1_better_on_every_dimension": all(v["B1_better"] for v in dimensions.values())}


def evaluate_tone(data_dir: Path) -> dict:
    """Acceptance (a): the Amsterdam pairs and the example letter, where present in ``data_dir``."""
    data_dir = Path(data_dir)
    result = {}
    if (data_dir / PAIRS).is_file():
        result["amsterdam_pairs"] = evaluate_pairs(data_dir / PAIRS)
    if (data_dir / LETTER_PAIR).is_file():
        result["letter_example"] = evaluate_letter_pair(data_dir / LETTER_PAIR)
    if not result:
        result["skipped"] = f"no tone data under {data_dir}"
    return result


def read_letters(letters_dir: Path = LETTERS_DIR) -> list[tuple[str, Path]]:
    """(expected type, file) for every letter in a folder named after a letter type."""
    from ..tone import LETTER_TYPES

    letters_dir = Path(letters_dir)
    return [(folder.name, path) for folder in sorted(letters_dir.iterdir())
            if folder.is_dir() and folder.name in LETTER_TYPES
            for path in sorted(folder.glob("*.txt"))]


def evaluate_letter_types(letters_dir: Path = LETTERS_DIR) -> dict:
    """Acceptance (b): accuracy of the detected letter type, per type, and the confusion table."""
    from ..tone import LETTER_TYPES, detect_letter_type

    confusion = {t: {u: 0 for u in LETTER_TYPES} for t in LETTER_TYPES}
    mistakes = []
    letters = read_letters(letters_dir)
    for expected, path in letters:
        found = detect_letter_type(_analyse(path.read_text(encoding="utf-8")))
        confusion[expected][found["type"]] += 1
        if found["type"] != expected:
            mistakes.append({"file": f"{path.parent.name}/{path.name}", "expected": expected,
                             "found": found["type"], "confidence": found["confidence"]})
    correct = sum(confusion[t][t] for t in LETTER_TYPES)
    per_type = {
        t: {"letters": sum(confusion[t].values()), "correct": confusion[t][t],
            "accuracy": round(confusion[t][t] / sum(confusion[t].values()), 4) if sum(confusion[t].values()) else None}
        for t in LETTER_TYPES
    }
    return {
        "letters": len(letters),
        "correct": correct,
        "accuracy": round(correct / len(letters), 4) if letters else None,
        "target": 0.85,
        "per_type": per_type,
        "confusion": confusion,
        "mistakes": mistakes,
    }
