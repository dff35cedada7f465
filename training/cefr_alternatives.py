"""Compare the committed CEFR model with the alternatives we tried, on the same folds.

    python training/cefr_alternatives.py [--data ../shared/data]     # about 1 minute

Research only: nothing here is used by briefcheck, and nothing is written. Every row uses the
stratified 10-fold split of ``briefcheck.evaluation.cefr``. "chosen on the same folds" rows pick
their settings by looking at the cross-validated result itself, so they are optimistic; "nested"
rows choose inside every outer fold and are the honest figures. The table is in docs/cefr.md.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefcheck.cefr import LEVELS, decide, feature_vector, probabilities  # noqa: E402
from briefcheck.evaluation.cefr import (FEATURES, FOLDS, SPLITS, fit, nested_cross_validate,  # noqa: E402
                                        repeated_nested_cross_validate, stratified_folds)

#: The eight features of the first model (before the difficulty features were added).
FIRST_FEATURES = FEATURES[:8]
#: The difficulty features of ``briefcheck.readability.difficulty_features`` (in the committed model).
DIFFICULTY = FEATURES[8:]
#: Features that mostly tell newspaper text from course text (the C2 texts are all newspaper articles).
GENRE = ["past_share", "quote_share", "proper_noun_share"]
CHUNK_WORDS = 200
LAMBDAS = (1.0, 3.0, 10.0, 30.0)
BETAS = (0.0, 0.25, 0.5)


def genre_features(sentences) -> dict:
    tokens = [t for s in sentences for t in s.span]
    finite = [t for t in tokens if "WW|pv" in t.tag_]
    words = max(1, sum(1 for t in tokens if t.is_alpha))
    return {
        "past_share": sum("Past" in t.morph.get("Tense") for t in finite) / max(1, len(finite)),
        "quote_share": sum(any(c in s.span.text for c in "\"“”'‘’") for s in sentences) / max(1, len(sentences)),
        "proper_noun_share": sum(t.pos_ == "PROPN" for t in tokens) / words,
    }


def chunks(sentences, size: int) -> list[list]:
    """Consecutive sentences of about ``size`` words; a short rest joins the chunk before it."""
    from briefcheck.analysis import is_word

    groups, current, words = [], [], 0
    for sentence in sentences:
        current.append(sentence)
        words += sum(1 for t in sentence.span if is_word(t))
        if words >= size:
            groups.append(current)
            current, words = [], 0
    if current:
        if groups and words < size / 2:
            groups[-1] += current
        else:
            groups.append(current)
    return groups


def load(data: Path) -> list[dict]:
    from briefcheck.analysis import TextAnalysis
    from briefcheck.formats.text import document_from_text
    from briefcheck.nlp import get_nlp
    from briefcheck.readability import reading_scores, reading_sentences

    nlp = get_nlp()
    texts = []
    for row in csv.DictReader((data / "nt2-cefr" / "labels.csv").open(encoding="utf-8")):
        text = (data / "nt2-cefr" / "texts" / row["file"]).read_text(encoding="utf-8", errors="replace")
        analysis = TextAnalysis(document_from_text(text), [])
        analysis.docs = list(nlp.pipe(b.text for b in analysis.document.blocks))
        sentences = reading_sentences(analysis)
        vector = {**feature_vector(reading_scores(sentences)), **genre_features(sentences)}
        texts.append({"file": row["file"], "label": LEVELS.index(row["level"]), "vector": vector,
                      "chunks": [feature_vector(reading_scores(group)) for group in chunks(sentences, CHUNK_WORDS)]})
    return [t for t in texts if all(v is not None for v in t["vector"].values())]


def scores(labels, predicted) -> tuple[float, float, float]:
    y, p = np.asarray(labels), np.asarray(predicted)
    return (float((p == y).mean()), float((abs(p - y) <= 1).mean()), float(((p <= 2) == (y <= 2)).mean()))


def criterion(exact: float, within: float) -> float:
    """How close to the acceptance line (exact 0.50 and within-one 0.90) both figures are."""
    return min(exact / 0.5, within / 0.9)


def best(rows):
    """The (exact, within, b1, setting) row with the best criterion."""
    return max(rows, key=lambda r: (criterion(r[0], r[1]), r[0] + r[1]))


def cv_probabilities(texts, make_model, folds=FOLDS) -> np.ndarray:
    labels = [t["label"] for t in texts]
    fold = stratified_folds(labels, folds)
    P = np.zeros((len(texts), len(LEVELS)))
    for k in range(folds):
        train = [t for t, f in zip(texts, fold) if f != k]
        predict = make_model(train)
        for i, f in enumerate(fold):
            if f == k:
                P[i] = predict(texts[i])
    return P


def logistic(features, penalty, chunk_training=False):
    def make(train):
        if chunk_training:  # every chunk of a text; each text weighs as much as one whole text
            samples = [(t["label"], c) for t in train for c in t["chunks"] if all(c[f] is not None for f in features)]
            weights = [1 / len(t["chunks"]) for t in train for c in t["chunks"] if all(c[f] is not None for f in features)]
        else:
            samples, weights = [(t["label"], t["vector"]) for t in train], None
        model = fit(samples, penalty, features=features, weights=weights)
        return lambda text: probabilities(text["vector"], model)
    return make


def lda(features, shrinkage):
    """Linear discriminant analysis with a shrunk shared covariance and equal priors."""
    def make(train):
        X = np.array([[t["vector"][f] for f in features] for t in train])
        y = np.array([t["label"] for t in train])
        means, stds = X.mean(0), X.std(0)
        Z = (X - means) / stds
        centroids = np.array([Z[y == k].mean(0) for k in range(len(LEVELS))])
        residual = Z - centroids[y]
        S = residual.T @ residual / (len(y) - len(LEVELS))
        S = (1 - shrinkage) * S + shrinkage * np.eye(len(S)) * np.trace(S) / len(S)
        inverse = np.linalg.inv(S)

        def predict(text):
            z = (np.array([text["vector"][f] for f in features]) - means) / stds
            logits = z @ inverse @ centroids.T - 0.5 * np.sum(centroids @ inverse * centroids, 1)
            e = np.exp(logits - logits.max())
            return e / e.sum()
        return predict
    return make


def grid_rows(texts, make_for_setting, settings, betas=BETAS):
    labels = [t["label"] for t in texts]
    rows = []
    for setting in settings:
        P = cv_probabilities(texts, make_for_setting(setting))
        for beta in betas:
            rows.append((*scores(labels, [decide(list(p), beta) for p in P]), f"{setting}, β {beta}"))
    return rows


def forward_selection(train, pool, inner_folds=5):
    """Greedy: add the candidate that most improves the inner cross-validated criterion."""
    chosen, current = list(FIRST_FEATURES), None
    while True:
        options = []
        for candidate in [None] + [c for c in pool if c not in chosen]:
            features = chosen + ([candidate] if candidate else [])
            labels = [t["label"] for t in train]
            for penalty in (3.0, 10.0, 30.0):
                P = cv_probabilities(train, logistic(features, penalty), inner_folds)
                for beta in BETAS:
                    e, w, _ = scores(labels, [decide(list(p), beta) for p in P])
                    options.append((criterion(e, w) + 0.01 * (e + w), candidate, penalty, beta))
        value, candidate, penalty, beta = max(options, key=lambda o: o[0])
        if candidate is None or (current and value <= current[0]):
            return chosen, (current or (value, None, penalty, beta))[2:]
        chosen.append(candidate)
        current = (value, candidate, penalty, beta)


def nested_forward_selection(texts, pool):
    labels = [t["label"] for t in texts]
    fold = stratified_folds(labels, FOLDS)
    predicted = [0] * len(texts)
    for k in range(FOLDS):
        train = [t for t, f in zip(texts, fold) if f != k]
        features, (penalty, beta) = forward_selection(train, pool)
        model = fit([(t["label"], t["vector"]) for t in train], penalty, beta, features=features)
        for i, f in enumerate(fold):
            if f == k:
                predicted[i] = decide(probabilities(texts[i]["vector"], model), beta)
    return scores(labels, predicted)


def in_sample_rows(texts, features):
    labels = [t["label"] for t in texts]
    rows = []
    for penalty in LAMBDAS:
        model = fit([(t["label"], t["vector"]) for t in texts], penalty, features=features)
        for beta in BETAS:
            rows.append((*scores(labels, [decide(probabilities(t["vector"], model), beta) for t in texts]),
                         f"λ {penalty:g}, β {beta}"))
    return rows


def random_forest_rows(texts, features):
    try:
        from sklearn.ensemble import RandomForestClassifier
    except ImportError:
        return None

    def make(train):
        X = [[t["vector"][f] for f in features] for t in train]
        model = RandomForestClassifier(500, min_samples_leaf=2, class_weight="balanced", random_state=0)
        model.fit(X, [t["label"] for t in train])

        def predict(text):
            p = np.zeros(len(LEVELS))
            p[model.classes_] = model.predict_proba([[text["vector"][f] for f in features]])[0]
            return p
        return predict
    return grid_rows(texts, lambda _: make, ["forest"], betas=(0.0, 0.25, 0.5, 0.6, 0.65, 0.7))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.data / "nt2-cefr").is_dir():
        print(f"skipped: no nt2-cefr data under {args.data}")
        return 0
    texts = load(args.data)
    table = []

    def add(name, row, how):
        table.append((name, row[0], row[1], row[2], how + (f" ({row[3]})" if len(row) > 3 else "")))

    def fixed(features):
        return grid_rows(texts, lambda lam: logistic(features, lam), [10.0], betas=(0.5,))[0][:3]

    def nested(features):
        result = nested_cross_validate([(t["label"], t["vector"]) for t in texts], features)
        return result["exact"], result["within_one"], result["b1_or_easier_vs_harder"]

    def repeated(features):
        result = repeated_nested_cross_validate([(t["label"], t["vector"]) for t in texts], features=features)
        return tuple(result[name]["mean"] for name in ("exact", "within_one", "b1_or_easier_vs_harder"))

    add("first model: multinomial, 8 features", fixed(FIRST_FEATURES), "λ 10, β 0.5 fixed")
    add("the same", nested(FIRST_FEATURES), "nested")
    add("the same", repeated(FIRST_FEATURES), f"nested, mean of {SPLITS} shuffled splits")
    add("the same, fitted and scored on all texts", best(in_sample_rows(texts, FIRST_FEATURES)), "best of grid, in-sample")
    add("first model, forward selection from the 9 difficulty features", nested_forward_selection(texts, DIFFICULTY),
        "nested")
    add("committed: 8 + 9 difficulty features", fixed(FEATURES), "λ 10, β 0.5 fixed")
    add("the same", nested(FEATURES), "nested")
    add("the same", repeated(FEATURES), f"nested, mean of {SPLITS} shuffled splits")
    add("committed features, best of grid", best(grid_rows(texts, lambda lam: logistic(FEATURES, lam), LAMBDAS)),
        "chosen on the same folds")
    add("+ 3 genre features", best(grid_rows(texts, lambda lam: logistic(FEATURES + GENRE, lam), LAMBDAS)),
        "chosen on the same folds")
    add("LDA, shrunk covariance, 8 features",
        best(grid_rows(texts, lambda a: lda(FIRST_FEATURES, a), (0.0, 0.1, 0.3, 0.5, 0.8))), "chosen on the same folds")
    add(f"committed features, trained on {CHUNK_WORDS}-word chunks",
        best(grid_rows(texts, lambda lam: logistic(FEATURES, lam, True), LAMBDAS)), "chosen on the same folds")
    forest = random_forest_rows(texts, FEATURES + GENRE)
    if forest:
        add("random forest, all features (scikit-learn)", best(forest), "chosen on the same folds")
    print(f"{len(texts)} texts, stratified {FOLDS}-fold; acceptance: exact ≥ 0.50 and within one ≥ 0.90\n")
    print("| model | exact | within one | B1 split | settings |\n| --- | --- | --- | --- | --- |")
    for name, exact, within, b1, how in table:
        print(f"| {name} | {exact:.3f} | {within:.3f} | {b1:.3f} | {how} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
