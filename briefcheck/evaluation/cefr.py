"""Calibrating the CEFR estimate on graded Dutch reading texts (../shared/data/nt2-cefr).

Method: each text is analysed as a letter would be (our pipeline, LiNT-II, counts), and the
17 features of ``briefcheck.cefr.feature_vector`` are standardised. A multinomial logistic
regression (six levels, L2 penalty λ on the weights, every level weighted equally, fitted by
Newton's method with numpy) gives P(level); the estimate is the level with the best expected
credit when the exact level earns 1 and a neighbouring level earns β. λ and β are chosen from the
fixed grid λ ∈ {3, 10, 30}, β ∈ {0, 0.5} by stratified 5-fold cross-validation (criterion exact +
within-one). Nested cross-validation (outer stratified 10-fold; the choice of λ and β made inside
every outer fold) measures that whole procedure, on the deterministic split and on 10 shuffled
splits; the mean over the shuffled splits is the figure we report. Plain 10-fold
cross-validation of the settings chosen on all texts is reported beside it.
``--write`` chooses the settings on all texts, fits and writes
``briefcheck/data/cefr-calibration.json`` (numbers only; no text is kept).

    python -m briefcheck.evaluation.cefr [--write]      # or: python -m briefcheck.evaluation cefr

The features of the 107 texts are cached in /tmp (keyed by the text, briefcheck's feature code,
the pipeline and lint-ii versions), so a second run does not parse again.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from ..cefr import B1_INDEX, LEVELS, decide, feature_vector
from ..readability import DIFFICULTY_MEASURES
from . import PROJECT_ROOT, shared_data_dir

CALIBRATION_PATH = PROJECT_ROOT / "briefcheck" / "data" / "cefr-calibration.json"
FEATURES = ["lint_score", "word_frequency", "max_dependency_length", "content_words_per_clause",
            "proportion_concrete_nouns", "words_per_sentence", "syllables_per_word", "long_word_share",
            *DIFFICULTY_MEASURES]
LOWER_IS_HARDER = {"word_frequency", "proportion_concrete_nouns", "frequency_p10"}
#: Default settings of ``fit`` (the ones the grid choice gives on all texts; see docs/cefr.md).
PENALTY = 10.0
NEIGHBOUR_WEIGHT = 0.5
#: The grid the settings are chosen from.
PENALTY_GRID = (3.0, 10.0, 30.0)
NEIGHBOUR_GRID = (0.0, 0.5)
FOLDS = 10
INNER_FOLDS = 5
#: Shuffled splits of the repeated nested cross-validation.
SPLITS = 10
#: Bump when text_features changes in a way FEATURE_SOURCES does not show.
FEATURE_VERSION = 2


def text_features(text: str, nlp) -> dict:
    from ..analysis import TextAnalysis
    from ..formats.text import document_from_text
    from ..readability import reading_scores, reading_sentences

    analysis = TextAnalysis(document_from_text(text), [])
    analysis.docs = list(nlp.pipe(b.text for b in analysis.document.blocks))
    return feature_vector(reading_scores(reading_sentences(analysis)))


#: The code that turns a text into features: a change to any of these makes the cache stale.
FEATURE_SOURCES = ("formats/text.py", "document.py", "analysis.py", "nlp.py", "readability.py", "cefr.py", "lintdata.py",
                   "evaluation/cefr.py")


def _cache_path(nlp) -> Path:
    meta = getattr(nlp, "meta", {}) or {}
    package = Path(__file__).resolve().parents[1]
    sources = hashlib.sha1(b"".join((package / name).read_bytes() for name in FEATURE_SOURCES)).hexdigest()
    key = json.dumps([FEATURE_VERSION, sources, meta.get("name"), meta.get("version"),
                      str(getattr(nlp, "path", "")), version("lint-ii"), version("spacy")])
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"briefcheck-nt2-cefr-features-{digest}.json"


def source_of(file: str) -> str:
    """The publisher's series, from the file name (…_NT2, …_CNAVT…, …_COMPROF…, …_TIJD; else 'unnamed')."""
    stem = file.rsplit(".", 1)[0].upper()
    for source in ("TIJD", "COMPROF", "CNAVT", "NT2"):
        if source in stem:
            return source
    return "unnamed"


def load_corpus(data: Path, nlp) -> list[tuple[str, int, dict]]:
    rows = list(csv.DictReader((data / "nt2-cefr" / "labels.csv").open(encoding="utf-8")))
    cache_file = _cache_path(nlp)
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    corpus, changed = [], False
    for row in rows:
        text = (data / "nt2-cefr" / "texts" / row["file"]).read_text(encoding="utf-8", errors="replace")
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if key not in cache:
            cache[key] = text_features(text, nlp)
            changed = True
        corpus.append((row["file"], LEVELS.index(row["level"]), cache[key]))
    if changed:
        try:
            temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(cache), encoding="utf-8")
            temporary.replace(cache_file)
        except OSError:
            pass
    return corpus


def _softmax(S):
    import numpy as np

    S = S - S.max(axis=1, keepdims=True)
    E = np.exp(S)
    return E / E.sum(axis=1, keepdims=True)


def fit(samples: list[tuple[int, dict]], penalty: float = PENALTY, neighbour_weight: float = NEIGHBOUR_WEIGHT,
        features: list[str] = FEATURES, weights: list[float] | None = None) -> dict:
    """Multinomial logistic regression with an L2 penalty on the weights (not the intercepts) and
    every level weighted equally, minimised exactly with Newton's method (the loss is convex).
    ``weights`` (default: 1 per sample) are scaled so that every level present has the same total."""
    import numpy as np

    X = np.array([[vector[f] for f in features] for _, vector in samples], dtype=float)
    y = np.array([label for label, _ in samples])
    means, stds = X.mean(axis=0), X.std(axis=0)
    stds[stds == 0] = 1.0
    A = np.hstack([np.ones((len(X), 1)), (X - means) / stds])
    n, d = A.shape
    K = len(LEVELS)
    base = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    totals = np.bincount(y, weights=base, minlength=K)
    present = totals > 0
    sample_weight = base * len(y) / (present.sum() * totals[y])  # each level present counts equally
    Y = np.eye(K)[y]
    reg = np.full(d, penalty)
    reg[0] = 1e-6  # intercepts: a tiny penalty only to fix the softmax's free constant
    W = np.zeros((d, K))
    for _ in range(50):
        P = _softmax(A @ W)
        G = A.T @ ((P - Y) * sample_weight[:, None]) + reg[:, None] * W
        H = np.zeros((d * K, d * K))
        for k in range(K):
            for j in range(K):
                c = sample_weight * P[:, k] * ((k == j) - P[:, j])
                H[k * d:(k + 1) * d, j * d:(j + 1) * d] = (A * c[:, None]).T @ A
        H += np.diag(np.tile(reg, K))
        # lstsq, not solve: with few texts and a small penalty the Hessian can be numerically singular
        step = np.linalg.lstsq(H, G.T.reshape(-1), rcond=None)[0].reshape(K, d).T
        W -= step
        if np.abs(step).max() < 1e-9:
            break
    return {"kind": "multinomial_logistic", "features": list(features),
            "means": [float(m) for m in means], "stds": [float(s) for s in stds],
            "intercepts": [float(v) for v in W[0]], "weights": [[float(v) for v in W[1:, k]] for k in range(K)],
            "penalty": penalty, "neighbour_weight": neighbour_weight}


def _predict_all(model: dict, vectors: list[dict], neighbour_weight: float | None = None) -> list[int]:
    from ..cefr import probabilities

    beta = model["neighbour_weight"] if neighbour_weight is None else neighbour_weight
    return [decide(probabilities(v, model), beta) for v in vectors]


def usable(corpus):
    return [(label, vector) for _, label, vector in corpus if all(vector[f] is not None for f in FEATURES)]


def stratified_folds(labels: list[int], k: int, seed: int | None = None) -> list[int]:
    """Fold of every sample: by level, dealt round-robin; in file order (seed None, the
    deterministic split of the reported figures) or shuffled within each level by ``seed``."""
    rng = random.Random(seed) if seed is not None else None
    fold = [0] * len(labels)
    position = rng.randrange(k) if rng else 0
    for level in sorted(set(labels)):
        members = [i for i, label in enumerate(labels) if label == level]
        if rng:
            rng.shuffle(members)
        for i in members:
            fold[i] = position % k
            position += 1
    return fold


def figures(labels: list[int], predicted: list[int]) -> dict:
    total = len(labels)
    matrix = [[0] * len(LEVELS) for _ in LEVELS]
    for label, p in zip(labels, predicted):
        matrix[label][p] += 1
    return {
        "texts": total,
        "exact": round(sum(p == t for p, t in zip(predicted, labels)) / total, 3),
        "within_one": round(sum(abs(p - t) <= 1 for p, t in zip(predicted, labels)) / total, 3),
        "b1_or_easier_vs_harder": round(sum((p <= B1_INDEX) == (t <= B1_INDEX) for p, t in zip(predicted, labels)) / total, 3),
        "confusion_rows_true_columns_predicted": {LEVELS[i]: row for i, row in enumerate(matrix)},
    }


def cross_predict(samples, folds: int, penalty: float, neighbour_weights, features: list[str] = FEATURES,
                  seed: int | None = None) -> dict:
    """Out-of-fold predictions for every β in ``neighbour_weights`` (β does not change the fit)."""
    labels = [label for label, _ in samples]
    fold = stratified_folds(labels, folds, seed)
    predicted = {beta: [0] * len(samples) for beta in neighbour_weights}
    for k in range(folds):
        train = [s for s, f in zip(samples, fold) if f != k]
        test = [i for i, f in enumerate(fold) if f == k]
        model = fit(train, penalty, features=features)
        for beta in neighbour_weights:
            for i, p in zip(test, _predict_all(model, [samples[i][1] for i in test], beta)):
                predicted[beta][i] = p
    return predicted


def cross_validate(samples, penalty: float = PENALTY, neighbour_weight: float = NEIGHBOUR_WEIGHT) -> dict:
    labels = [label for label, _ in samples]
    predicted = cross_predict(samples, FOLDS, penalty, [neighbour_weight])[neighbour_weight]
    return {**figures(labels, predicted), "folds": FOLDS, "penalty": penalty, "neighbour_weight": neighbour_weight}, predicted


def choose_settings(samples, features: list[str] = FEATURES, seed: int | None = None) -> tuple[float, float]:
    """λ and β from the fixed grid with the best exact + within-one in stratified 5-fold
    cross-validation on ``samples`` (the first of equals wins)."""
    labels = [label for label, _ in samples]
    best = None
    for penalty in PENALTY_GRID:
        inner = cross_predict(samples, INNER_FOLDS, penalty, NEIGHBOUR_GRID, features, seed)
        for beta in NEIGHBOUR_GRID:
            f = figures(labels, inner[beta])
            criterion = f["exact"] + f["within_one"]
            if best is None or criterion > best[0]:
                best = (criterion, penalty, beta)
    return best[1], best[2]


def nested_cross_validate(samples, features: list[str] = FEATURES, seed: int | None = None) -> dict:
    """Outer stratified 10-fold; in every outer fold, λ and β are chosen on the training part alone
    (inner stratified 5-fold, criterion exact + within-one) from the fixed grid."""
    labels = [label for label, _ in samples]
    fold = stratified_folds(labels, FOLDS, seed)
    predicted = [0] * len(samples)
    chosen = []
    for k in range(FOLDS):
        train = [s for s, f in zip(samples, fold) if f != k]
        penalty, beta = choose_settings(train, features, seed)
        chosen.append([penalty, beta])
        model = fit(train, penalty, beta, features)
        test = [i for i, f in enumerate(fold) if f == k]
        for i, p in zip(test, _predict_all(model, [samples[i][1] for i in test])):
            predicted[i] = p
    return {**figures(labels, predicted), "folds": FOLDS, "inner_folds": INNER_FOLDS,
            "grid": {"penalty": list(PENALTY_GRID), "neighbour_weight": list(NEIGHBOUR_GRID)},
            "chosen_per_fold": chosen}


def repeated_nested_cross_validate(samples, splits: int = SPLITS, features: list[str] = FEATURES) -> dict:
    """Nested cross-validation on ``splits`` shuffled stratified splits (seeds 1 … splits): how much
    the figures depend on which texts happen to share a fold (with 107 texts, one text is 0.009)."""
    rows = []
    for seed in range(1, splits + 1):
        result = nested_cross_validate(samples, features, seed)
        rows.append([result["exact"], result["within_one"], result["b1_or_easier_vs_harder"]])
    summary = {"splits": splits}
    for index, name in enumerate(("exact", "within_one", "b1_or_easier_vs_harder")):
        values = [row[index] for row in rows]
        summary[name] = {"mean": round(statistics.mean(values), 3), "min": min(values), "max": max(values)}
    summary["per_split"] = rows
    return summary


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
    corpus = load_corpus(data, nlp)
    kept = [(file, label, vector) for file, label, vector in corpus if all(vector[f] is not None for f in FEATURES)]
    samples = [(label, vector) for _, label, vector in kept]
    # the shipped model's settings come from the same choice the nested figure validates
    penalty, beta = choose_settings(samples)
    result, predicted = cross_validate(samples, penalty, beta)
    by_source: dict[str, dict] = {}
    for (file, label, _), p in zip(kept, predicted):
        entry = by_source.setdefault(source_of(file), {"texts": 0, "exact": 0, "within_one": 0})
        entry["texts"] += 1
        entry["exact"] += p == label
        entry["within_one"] += abs(p - label) <= 1
    result["by_source"] = by_source
    result["far_off"] = [f"{file} {LEVELS[label]}→{LEVELS[p]}" for (file, label, _), p in zip(kept, predicted)
                         if abs(p - label) > 1]
    result["nested_cross_validation"] = nested_cross_validate(samples)
    result["repeated_nested_cross_validation"] = repeated_nested_cross_validate(samples)
    # Fitted and scored on the same texts: an upper bound for what cross-validation can show.
    model = fit(samples, penalty, beta)
    in_sample = figures([label for label, _ in samples], _predict_all(model, [v for _, v in samples]))
    result["in_sample"] = {k: v for k, v in in_sample.items() if k != "confusion_rows_true_columns_predicted"}
    if write:
        CALIBRATION_PATH.write_text(json.dumps({
            "method": __doc__.split("\n\n")[1].replace("\n", " "),
            "source": "nt2-cefr: 107 graded Dutch reading texts (publisher's CEFR labels); figures only",
            "cross_validation": {k: v for k, v in result.items()
                                 if k not in ("far_off", "nested_cross_validation", "repeated_nested_cross_validation",
                                              "in_sample")},
            "in_sample": result["in_sample"],
            "nested_cross_validation": result["nested_cross_validation"],
            "repeated_nested_cross_validation": result["repeated_nested_cross_validation"],
            "model": model,
            "b1_norms": b1_norms(samples),
        }, indent=2) + "\n", encoding="utf-8")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="fit on all texts and write the calibration file")
    args = parser.parse_args()
    data = shared_data_dir()
    if not (data / "nt2-cefr").is_dir():
        print(f"skipped: no nt2-cefr data under {data}")
        return 0
    from ..nlp import get_nlp

    print(json.dumps(evaluate_cefr(data, get_nlp(), args.write), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
