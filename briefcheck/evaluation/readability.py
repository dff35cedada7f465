"""LiNT-II agreement with the reference analyses (made by lint-ii with spaCy nl_core_news_lg)."""
from __future__ import annotations

import json
import statistics
from pathlib import Path


def reference_sentence_text(sentence: dict) -> str:
    """Rebuild a reference sentence: its tokens are lowercased and punctuation is attached to
    words. We restore the capitals a writer would have used, the same way for every sentence:
    the first letter of the sentence, and the first letter of every word the reference itself
    analysed as a proper noun (``pos == "PROPN"``), because Dutch writes names with a capital
    and the reference's tagger saw them capitalised. Without this, lowercased names such as
    "sicilië" or "middellandse zee" become common nouns and adjectives for our tagger, and
    LiNT-II then counts them as rare content words (it skips proper nouns in word frequency)."""
    parts = []
    for word in sentence["word_features"]:
        if word.get("pos") == "PUNCT" and "punctuation" not in word:
            continue
        punctuation = word.get("punctuation", {})
        if "standalone" in punctuation:
            parts.append(punctuation["standalone"])
            continue
        text = word["text"]
        if word.get("pos") == "PROPN":
            text = text[:1].upper() + text[1:]
        parts.append(punctuation.get("leading", "") + text + punctuation.get("trailing", ""))
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    return statistics.correlation(xs, ys)


def evaluate_lint_reference(nlp, reference_dir: Path) -> dict:
    """Our document and sentence scores against the reference, one sentence parsed at a time
    (as the reference was analysed), with lint-ii computing every score."""
    from .. import lintdata

    lintdata.install()
    from lint_ii import ReadabilityAnalysis, SentenceAnalysis

    documents, ours_all, theirs_all = [], [], []
    for path in sorted(reference_dir.glob("level*.json")):
        reference = json.loads(path.read_text(encoding="utf-8"))
        analyses = []
        for sentence in reference["sentences"]:
            doc = nlp(reference_sentence_text(sentence))
            analysis = SentenceAnalysis(doc[:])
            analyses.append(analysis)
            if analysis.lint.score is not None and sentence.get("lint_score") is not None:
                ours_all.append(analysis.lint.score)
                theirs_all.append(sentence["lint_score"])
        document = ReadabilityAnalysis(analyses)
        documents.append({
            "document": path.stem,
            "ours": round(document.lint.score, 1) if document.lint.score is not None else None,
            "reference": round(reference["document_lint_score"], 1),
            "our_level": document.lint.level,
            "reference_level": reference["document_difficulty_level"],
        })
    differences = [abs(d["ours"] - d["reference"]) for d in documents if d["ours"] is not None]
    r = pearson(ours_all, theirs_all)
    return {
        "documents": documents,
        "max_document_difference": round(max(differences), 1) if differences else None,
        "same_level": sum(d["our_level"] == d["reference_level"] for d in documents),
        "sentences_compared": len(ours_all),
        "sentence_pearson_r": round(r, 3) if r is not None else None,
    }
