"""Calibrating the CEFR estimate on graded Dutch reading texts (../shared/data/nt2-cefr).

Method: each text is analysed as a letter would be (our pipeline, LiNT-II, counts). The
features of ``briefcheck.cefr.feature_vector`` are standardised and a ridge regression
predicts the level index (A1 = 0 … C2 = 5); the cut points between levels are the midpoints
between the mean predictions of neighbouring levels. Accuracy is measured with stratified
10-fold cross-validation (deterministic folds). ``--write`` fits on all texts and writes
``briefcheck/data/cefr-calibration.json`` (numbers only; no text is kept).

    python -m briefcheck.evaluation.cefr [--write]
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from pathlib import Path

from ..cefr import B1_INDEX, LEVELS, feature_vector, level_of, predict_score
from . import PROJECT_ROOT, shared_data_dir

CALIBRATION_PATH = PROJECT_ROOT / "briefcheck" / "data" / "cefr-calibration.json"
FEATURES = ["lint_score", "word_frequency", "max_dependency_length", "content_words_per_clause",
            "proportion_concrete_nouns", "words_per_sentence", "syllables_per_word", "long_word_share"]
LOWER_IS_HARDER = {"word_frequency", "proportion_concrete_nouns"}
RIDGE = 1.0
FOLDS = 10


def text_features(text: str, nlp) -> dict:
    from ..analysis import TextAnalysis
    from ..formats.text import document_from_text
    from ..readability import classic_scores, lint_scores, reading_sentences

    analysis = TextAnalysis(document_from_text(text), [])
    analysis.docs = list(nlp.pipe(b.text for b in analysis.document.blocks))
    sentences = reading_sentences(analysis)
    lint, _ = lint_scores(sentences)
    return feature_vector({"lint": lint.to_dict() if lint else None, **classic_scores(sentences)})


def load_corpus(data: Path, nlp) -> list[tuple[str, int, dict]]:
    rows = list(csv.DictReader((data / "nt2-cefr" / "labels.csv").open(encoding="utf-8")))
    corpus = []
    for row in rows:
        text = (data / "nt2-cefr" / "texts" / row["file"]).read_text(encoding="utf-8", errors="replace")
        corpus.append((row["file"], LEVELS.index(row["level"]), text_features(text, nlp)))
    return corpus


def fit(samples: list[tuple[int, dict]]) -> dict:
    import numpy as np

    X = np.array([[vector[f] for f in FEATURES] for _, vector in samples], dtype=float)
    y = np.array([label for label, _ in samples], dtype=float)
    means, stds = X.mean(axis=0), X.std(axis=0)
    stds[stds == 0] = 1.0
    Z = (X - means) / stds
    # ridge regression in closed form; the intercept is not penalised
    A = np.hstack([np.ones((len(Z), 1)), Z])
    penalty = RIDGE * np.eye(A.shape[1])
    penalty[0, 0] = 0
    coef = np.linalg.solve(A.T @ A + penalty, A.T @ y)
    model = {"features": FEATURES, "intercept": float(coef[0]), "weights": [float(c) for c in coef[1:]],
             "means": [float(m) for m in means], "stds": [float(s) for s in stds]}
    predictions = A @ coef
    level_means = {}
    for level in range(len(LEVELS)):
        values = [p for p, label in zip(predictions, y) if label == level]
        if values:
            level_means[level] = float(np.mean(values))
    ordered = [level_means[level] for level in sorted(level_means)]
    # cut points between neighbouring levels, kept increasing
    cut_points = [(a + b) / 2 for a, b in zip(ordered, ordered[1:])]
    cut_points = [max(c, cut_points[i - 1] + 1e-6) if i else c for i, c in enumerate(cut_points)]
    model["cut_points"] = cut_points
    return model


def usable(corpus):
    return [(label, vector) for _, label, vector in corpus if all(vector[f] is not None for f in FEATURES)]


def cross_validate(samples: list[tuple[int, dict]]) -> dict:
    folds = [[] for _ in range(FOLDS)]
    by_level: dict[int, list] = {}
    for sample in samples:
        by_level.setdefault(sample[0], []).append(sample)
    position = 0
    for level in sorted(by_level):
        for sample in by_level[level]:
            folds[position % FOLDS].append(sample)
            position += 1
    exact = within_one = binary = total = 0
    for k in range(FOLDS):
        train = [s for i, fold in enumerate(folds) if i != k for s in fold]
        model = fit(train)
        for label, vector in folds[k]:
            predicted = level_of(predict_score(vector, model), model["cut_points"])
            total += 1
            exact += predicted == label
            within_one += abs(predicted - label) <= 1
            binary += (predicted <= B1_INDEX) == (label <= B1_INDEX)
    return {"texts": total, "exact": round(exact / total, 3), "within_one": round(within_one / total, 3),
            "b1_or_easier_vs_harder": round(binary / total, 3), "folds": FOLDS}


def b1_norms(samples: list[tuple[int, dict]]) -> dict:
    b1 = [vector for label, vector in samples if label == B1_INDEX]
    norms = {}
    for feature in FEATURES:
        values = sorted(v[feature] for v in b1)
        q = statistics.quantiles(values, n=4)
        if feature in LOWER_IS_HARDER:
            norms[feature] = {"direction": "lower_is_harder", "min": round(q[0], 3)}
        else:
            norms[feature] = {"direction": "higher_is_harder", "max": round(q[2], 3)}
    return norms


def evaluate_cefr(data: Path, nlp, write: bool = False) -> dict:
    samples = usable(load_corpus(data, nlp))
    figures = cross_validate(samples)
    if write:
        CALIBRATION_PATH.write_text(json.dumps({
            "method": __doc__.split("\n\n")[1].replace("\n", " "),
            "source": "nt2-cefr: 107 graded Dutch reading texts (publisher's CEFR labels); figures only",
            "cross_validation": figures,
            "model": fit(samples),
            "b1_norms": b1_norms(samples),
        }, indent=2) + "\n", encoding="utf-8")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="fit on all texts and write the calibration file")
    args = parser.parse_args()
    data = shared_data_dir()
    if not (data / "nt2-cefr").is_dir():
        print(f"skipped: no nt2-cefr data under {data}")
        return 0
    from ..nlp import get_nlp

    print(json.dumps(evaluate_cefr(data, get_nlp(), args.write), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
