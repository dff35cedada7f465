"""Findings against real edits: Amsterdam's original and edited sentences, and its hard words."""
from __future__ import annotations

import csv
from pathlib import Path


def _report(text: str):
    from ..analyzer import analyze
    from ..formats.text import document_from_text

    return analyze(document_from_text(text), with_details=False)


def evaluate_pairs(path: Path, limit: int | None = None) -> dict:
    """Findings per 100 words on the original (Complex) and the edited (Simple) side."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))[:limit]
    totals = {"Complex": [0, 0], "Simple": [0, 0]}
    for row in rows:
        for side in totals:
            text = (row[side] or "").strip()
            if not text:
                continue
            report = _report(text)
            totals[side][0] += len(report.findings)
            totals[side][1] += report.metrics["words"]
    per_100 = {side: round(100 * f / w, 2) if w else None for side, (f, w) in totals.items()}
    reduction = (1 - per_100["Simple"] / per_100["Complex"]) if per_100["Complex"] else None
    return {"pairs": len(rows), "findings_per_100_words_original": per_100["Complex"],
            "findings_per_100_words_edited": per_100["Simple"],
            "reduction": round(reduction, 3) if reduction is not None else None}


_DETERMINERS = frozenset("de het een deze dit die dat".split())


def _spelling(word: str) -> str:
    """Compare spelling variants as one word: 'kort geleden' / 'kortgeleden', 'zij-aan-zij'."""
    return "".join(word.lower().replace("-", " ").split())


def _replacing_words(suggestion, start: int) -> set[str]:
    """What a suggestion puts in the hard word's place. A suggestion that starts before the word
    may bring a new article ('de taskforce' → 'het team'): the word is then the rest."""
    options = {_spelling(suggestion.replacement)}
    words = suggestion.replacement.split()
    if suggestion.start < start and len(words) > 1 and words[0].lower() in _DETERMINERS:
        options.add(_spelling(" ".join(words[1:])))
    return options


def evaluate_lexical(path: Path) -> dict:
    """Is the marked hard word flagged, and is one of our suggestions among the editors' words?

    The editors' words are inflected to fit the sentence ('gebeurt', 'gemengde'), so suggestions are
    compared as forms, not lemmas; only spelling variants (spaces, hyphens) count as the same."""
    flagged = suggested = total = 0
    misses, no_match = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0]:
            continue
        sentence, word, human = parts[0], parts[1], {_spelling(p) for p in parts[2:] if p}
        total += 1
        report = _report(sentence)
        start = sentence.find(word)
        hits = [f for f in report.findings if start >= 0 and f.start <= start and start + len(word) <= f.end
                and f.category == "woorden"]
        if hits:
            flagged += 1
            options = {o for f in hits for s in f.suggestions for o in _replacing_words(s, start)}
            if options & human:
                suggested += 1
            else:
                no_match.append(word)
        else:
            misses.append(word)
    return {"sentences": total, "hard_word_flagged": round(flagged / total, 3) if total else None,
            "suggestion_among_human_words": round(suggested / total, 3) if total else None,
            "not_flagged": misses, "flagged_without_matching_suggestion": no_match}


def evaluate_letter_example(path: Path) -> dict:
    """Findings by severity on the official (C1) and the B1 version of a real permit letter."""
    import json

    from ..analyzer import analyze
    from ..formats.text import document_from_text

    letters = json.loads(path.read_text(encoding="utf-8"))
    result = {}
    for version in ("C1", "B1"):
        report = analyze(document_from_text(letters[version], f"letter-{version}"))
        readability = report.details.get("readability", {})
        result[version] = {
            **report.counts(),
            "warnings": [f"{f.code} {f.text[:40]}" for f in report.findings if f.severity != "suggestion"],
            "lint": (readability.get("lint") or {}).get("score"),
            "cefr": (readability.get("cefr") or {}).get("level"),
        }
    return result


def word_list_coverage(lexicons: Path) -> dict:
    """Share of the distinct headwords of the Amsterdam and Onze Taal lists that our word list covers."""
    import json
    import re

    from ..rules import get_rules

    ours = {e.term for r in get_rules().rules for e in r.entries}

    def normalise(word: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"\([^)]*\)", "", word)).strip().lower()

    amsterdam_file = lexicons / "amsterdam-moeilijke-woorden" / "moeilijke_woorden_parsed.tsv"
    amsterdam = {normalise(line.split("\t")[0]) for line in amsterdam_file.read_text(encoding="utf-8").splitlines()[1:]
                 if line.strip()}
    onzetaal_file = lexicons / "onzetaal-moeilijke-woorden" / "moeilijke-woorden.json"
    onzetaal = {normalise(w) for w, _ in json.loads(onzetaal_file.read_text(encoding="utf-8"))}
    amsterdam.discard("")
    onzetaal.discard("")
    union = amsterdam | onzetaal
    return {"entries": len(ours),
            "union": round(len(union & ours) / len(union), 3),
            "amsterdam": round(len(amsterdam & ours) / len(amsterdam), 3),
            "onzetaal": round(len(onzetaal & ours) / len(onzetaal), 3)}


#: Words known by fewer raters than this count as hard in the prevalence check.
PREVALENCE_HARD_BELOW = 0.9


def rare_word_against_prevalence(lexicons: Path) -> dict | None:
    """BC203's word decision (SUBTLEX-NL frequency below the rule's limit, minus inflected forms and
    compounds of common words) against word prevalence: the share of Dutch raters who know a word
    (Keuleers et al. 2015, in T-Scan's ``prevalence_nl.data``). Lemmas of 4+ lower-case letters;
    'hard' = known by fewer than 90 % of the raters. Precision and recall of flagging, with and
    without the known-to-readers exceptions. None without the file."""
    path = lexicons / "tscan" / "prevalence_nl.data"
    if not path.is_file():
        return None
    from .. import lintdata
    from ..checks.detectors_readability import UNKNOWN_LOG_FREQUENCY, known_to_readers
    from ..rules import get_rules

    [rule] = [r for r in get_rules().rules if r.params.get("detector") == "rare_word"]
    limit = rule.params.get("max_log_frequency", 2.0)
    frequencies = lintdata.word_frequencies()
    from lint_ii.linguistic_data import wordlists  # installed by word_frequencies()

    counts = {"exceptions": [0, 0, 0], "frequency_only": [0, 0, 0]}  # flagged, flagged and hard, hard
    words = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[0].isalpha() or not fields[0].islower() or len(fields[0]) < 4:
            continue
        word, hard = fields[0], float(fields[2]) < PREVALENCE_HARD_BELOW
        words += 1
        # as LiNT-II reads a noun it knows as a compound: by its head
        head = (wordlists.NOUN_DATA.get(word) or {}).get("head", word)
        rare = frequencies.get(head, UNKNOWN_LOG_FREQUENCY) < limit
        for name, flagged in (("frequency_only", rare),
                              ("exceptions", rare and not known_to_readers(word, word, frequencies, limit))):
            counts[name][0] += flagged
            counts[name][1] += flagged and hard
            counts[name][2] += hard
    result = {"words": words, "hard_below": PREVALENCE_HARD_BELOW}
    for name, (flagged, both, hard) in counts.items():
        result[name] = {"flagged": flagged, "precision": round(both / flagged, 3), "recall": round(both / hard, 3)}
    return result
