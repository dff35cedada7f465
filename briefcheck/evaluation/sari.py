"""SARI (Xu et al., 2016, "Optimizing statistical machine translation for text simplification").

SARI compares a system's output with the source and a reference simplification, for n-grams of
1 to 4 words: n-grams rightly **kept** (F1), rightly **deleted** (precision only) and rightly
**added** (F1). The three are averaged over n and then over each other; the corpus figure is the
mean over sentences, times 100. This follows Xu's reference implementation (``SARI.py``) for a
single reference: an operation the system did not perform (nothing deleted, nothing added)
scores 0 for that operation, so "change nothing" gets only the keep part (about a third).

``evaluate_sari(pairs_csv)`` applies briefcheck's suggestions ("apply all") to each original
sentence of the Amsterdam pairs and scores it against the experts' edited sentence.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokenize(sentence: str) -> list[str]:
    """Lower-cased runs of letters and digits, and single punctuation marks."""
    return _TOKEN.findall(sentence.lower())


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision > 0 or recall > 0 else 0.0


def _sari_ngram(source: Counter, output: Counter, reference: Counter) -> tuple[float, float, float]:
    """(keep F1, delete precision, add F1) for one n (Xu's SARIngram with one reference)."""
    # keep: n-grams of the source that the output keeps, and that the reference keeps too
    kept = source & output
    kept_good = kept & reference
    kept_all = source & reference
    keep_precision = (sum(kept_good[g] / kept[g] for g in kept) / len(kept)) if kept else 0.0
    keep_recall = (sum(kept_good.values()) / sum(kept_all.values())) if kept_all else 0.0
    # delete: n-grams of the source the output dropped, and the reference dropped too (precision)
    deleted = source - output
    deleted_good = deleted - reference
    delete_precision = (sum(deleted_good[g] / deleted[g] for g in deleted) / len(deleted)) if deleted else 0.0
    # add: new n-grams in the output that the reference has as new n-grams too (types, not counts)
    added = set(output) - set(source)
    added_good = added & set(reference)
    added_all = set(reference) - set(source)
    add_precision = len(added_good) / len(added) if added else 0.0
    add_recall = len(added_good) / len(added_all) if added_all else 0.0
    return _f1(keep_precision, keep_recall), delete_precision, _f1(add_precision, add_recall)


def sari_sentence(source: str, output: str, reference: str, max_n: int = 4) -> float:
    """SARI of one sentence, 0–1 (multiply by 100 for the usual figure)."""
    s, o, r = tokenize(source), tokenize(output), tokenize(reference)
    keep = delete = add = 0.0
    for n in range(1, max_n + 1):
        k, d, a = _sari_ngram(_ngrams(s, n), _ngrams(o, n), _ngrams(r, n))
        keep += k
        delete += d
        add += a
    return (keep + delete + add) / (3 * max_n)


def sari_parts(source: str, output: str, reference: str, max_n: int = 4) -> dict[str, float]:
    """The three parts of SARI for one sentence, each averaged over n (0–1)."""
    s, o, r = tokenize(source), tokenize(output), tokenize(reference)
    parts = [_sari_ngram(_ngrams(s, n), _ngrams(o, n), _ngrams(r, n)) for n in range(1, max_n + 1)]
    return {name: sum(p[i] for p in parts) / max_n for i, name in enumerate(("keep", "delete", "add"))}


def corpus_sari(sources: list[str], outputs: list[str], references: list[str]) -> float:
    """Mean sentence SARI × 100."""
    if not sources:
        return 0.0
    return 100 * sum(sari_sentence(s, o, r) for s, o, r in zip(sources, outputs, references)) / len(sources)


#: Numbers, dates and amounts as written (digits with their separators, and month names).
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")


def number_tokens(text: str) -> Counter:
    """The numbers of a text (``3``, ``1.250,50``, ``12-03-2024``), as a multiset."""
    return Counter(_NUMBER.findall(text))


def numbers_preserved(source: str, output: str) -> bool:
    """Every number of the source is still in the output, as often and written the same way."""
    return not (number_tokens(source) - number_tokens(output))


def read_pairs(path: Path | str, limit: int | None = None) -> list[tuple[str, str]]:
    """(original, edited) sentence pairs from a CSV with columns Complex and Simple."""
    with Path(path).open(encoding="utf-8") as handle:
        rows = [((r.get("Complex") or "").strip(), (r.get("Simple") or "").strip()) for r in csv.DictReader(handle)]
    rows = [r for r in rows if r[0] and r[1]]
    return rows[:limit] if limit else rows


def rewrite_sentence(sentence: str) -> str:
    """An original sentence with all of briefcheck's suggestions applied (the "apply all" system)."""
    from ..formats.text import document_from_text
    from ..rewrite import rewrite_document

    new_text, _before, _after = rewrite_document(document_from_text(sentence), with_details=False, rounds=1)
    return new_text


def evaluate_sari(pairs_csv: Path | str, limit: int | None = None) -> dict:
    """SARI of "apply all" and "change nothing" on the pairs, and the share of sentences whose
    numbers, dates and amounts survived the rewrite unchanged."""
    pairs = read_pairs(pairs_csv, limit)
    sources = [p[0] for p in pairs]
    references = [p[1] for p in pairs]
    outputs = [rewrite_sentence(s) for s in sources]
    changed = sum(1 for s, o in zip(sources, outputs) if s != o)
    preserved = sum(1 for s, o in zip(sources, outputs) if numbers_preserved(s, o))
    with_numbers = sum(1 for s in sources if number_tokens(s))
    return {
        "pairs": len(pairs),
        "sari_apply_all": round(corpus_sari(sources, outputs, references), 2),
        "sari_change_nothing": round(corpus_sari(sources, sources, references), 2),
        "sentences_changed": changed,
        "numbers_preserved_share": round(preserved / len(pairs), 4) if pairs else None,
        "sentences_with_numbers": with_numbers,
        "published_reference": {"gpt-3.5": 34.0, "best_translation_pipeline": 29.9},
    }
