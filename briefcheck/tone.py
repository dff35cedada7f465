"""How a letter sounds to the resident: a tone profile with the words that drive it, the kind of
letter, and advice for that kind.

Five dimensions, each scored 0–100 where higher is the better side:
``persoonlijk`` (↔ afstandelijk), ``vriendelijk`` (↔ kil), ``uitnodigend`` (↔ dwingend),
``helder`` (↔ ambtelijk) and ``positief`` (↔ negatief).

Signals are data: ``rules/signalen/toon.yaml`` lists words and patterns per dimension with a
weight (+ or −) and a Dutch reason, plus the tone rules of ``rules/*.yaml`` that also count as
signals (``from_rules``), so a phrase lives in one place. Every score comes with its drivers:
``{text, start, end, effect, weight, reason, source}``.

Scores:

* sentence: ``s`` = the sum of the signal weights in the sentence;
  ``score = 50 + 50 · s / (|s| + 1.5)``. A sentence without any signal scores 50: that means
  "nothing heard", neutral — not a measured middle value.
* letter: ``P`` = the sum of the positive weights and ``N`` = the sum of the negative weights
  (as a positive number) over all body sentences; ``score = 50 + 50 · (P − N) / (P + N + 2)``.
  That is the balance between good and bad signals, independent of the letter's length; the
  ``+ 2`` pulls a letter with only a few signals towards neutral.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .analysis import is_writers_word
from .rules import BUILTIN_RULES_DIR, FAST_SAFE_LOADER

DIMENSIONS = ("persoonlijk", "vriendelijk", "uitnodigend", "helder", "positief")
LETTER_TYPES = ("informatie", "uitnodiging", "besluit_toegekend", "besluit_afgewezen",
                "verzoek_om_informatie", "betaling_herinnering", "handhaving")
SIGNALS_FILE = BUILTIN_RULES_DIR / "signalen" / "toon.yaml"

#: Damping of the sentence and letter formulas (see the module docstring).
SENTENCE_DAMPING = 1.5
LETTER_DAMPING = 2.0
NEGATIONS = frozenset({"niet", "geen", "nooit", "niets", "niemand", "nergens", "noch"})


# ---------------------------------------------------------------- signal data


@dataclass(frozen=True)
class Signal:
    id: str
    dimension: str
    weight: float
    reason: str
    regex: re.Pattern | None = None
    unless: re.Pattern | None = None
    builtin: str | None = None
    each: bool = False
    min_count: int = 1
    max_count: int | None = None
    merge_fields: bool = False  # may cover a merge field (a salutation with «Naam»)


@dataclass(frozen=True)
class Cue:
    letter_type: str
    weight: float
    reason: str
    regex: re.Pattern


@dataclass
class SignalData:
    dimensions: dict[str, dict]
    signals: list[Signal]
    from_rules: dict[str, dict]
    cues: list[Cue]
    type_labels: dict[str, str]
    type_nouns: dict[str, str] = field(default_factory=dict)
    priors: dict[str, tuple[float, str]] = field(default_factory=dict)
    advice: dict[str, dict] = field(default_factory=dict)


def _compile(spec: dict, flags: int) -> re.Pattern | None:
    """One regex from ``patterns`` and ``phrases`` (phrases as whole words, flexible spaces)."""
    alternatives = list(spec.get("patterns", ()))
    alternatives += [r"(?<!\w)" + re.escape(str(p)).replace(r"\ ", r"\s+") + r"(?!\w)"
                     for p in spec.get("phrases", ())]
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), flags)


@lru_cache(maxsize=4)
def load_signals(path: Path = SIGNALS_FILE) -> SignalData:
    """The tone signals, read once at first use (never at import)."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)
    signals = []
    for dimension, spec in data["dimensions"].items():
        if dimension not in DIMENSIONS:
            raise ValueError(f"{path}: unknown tone dimension '{dimension}'")
        for raw in spec.get("signals", ()):
            flags = re.MULTILINE | (0 if raw.get("case_sensitive") else re.IGNORECASE)
            unless = raw.get("unless")
            signals.append(Signal(
                id=raw["id"], dimension=dimension, weight=float(raw["weight"]), reason=raw["reason"],
                regex=_compile(raw, flags),
                unless=re.compile("|".join(f"(?:{u})" for u in unless), re.IGNORECASE) if unless else None,
                builtin=raw.get("builtin"), each=bool(raw.get("each")),
                min_count=int(raw.get("min", 1)), max_count=raw.get("max"),
                merge_fields=bool(raw.get("merge_fields")),
            ))
            if signals[-1].regex is None and signals[-1].builtin not in _BUILTINS:
                raise ValueError(f"{path}: signal '{raw['id']}' needs patterns, phrases or a known builtin")
    cues, labels, nouns, priors = [], {}, {}, {}
    for letter_type, spec in data["letter_types"].items():
        if letter_type not in LETTER_TYPES:
            raise ValueError(f"{path}: unknown letter type '{letter_type}'")
        labels[letter_type] = spec.get("label", letter_type)
        nouns[letter_type] = spec.get("noun", labels[letter_type])
        if spec.get("prior"):
            priors[letter_type] = (float(spec["prior"]), spec.get("prior_reason", ""))
        for raw in spec["cues"]:
            cues.append(Cue(letter_type, float(raw["weight"]), raw["reason"],
                            _compile(raw, re.IGNORECASE | re.MULTILINE)))
    return SignalData(
        dimensions={d: {k: v for k, v in spec.items() if k != "signals"} for d, spec in data["dimensions"].items()},
        signals=signals, from_rules=data.get("from_rules", {}), cues=cues, type_labels=labels,
        type_nouns=nouns, priors=priors, advice=data.get("advice", {}),
    )


# ---------------------------------------------------------------- builtin signals (read the parse)


def _passive_without_agent(sentence) -> list[tuple]:
    """Passive auxiliaries with their participle, in a sentence that names no doer ('door …')."""
    from .checks.syntax import passive_auxiliaries

    if any(t.lower_ == "door" for t in sentence.span):
        return []
    found = []
    for aux in passive_auxiliaries(sentence.span):
        participle = aux.head
        # the parser sometimes calls 'hebben' or a copula passive; only 'worden'/'zijn' with a
        # past participle is
        if aux.lemma_.lower() not in ("worden", "zijn") or not _is_participle(participle):
            continue
        first, last = (aux, participle) if aux.i <= participle.i else (participle, aux)
        found.append((first, last))
    return found


def _is_participle(token) -> bool:
    return "Part" in token.morph.get("VerbForm") or token.tag_ == "WW|vd"


def _negations(sentence) -> list[tuple]:
    return [(t, t) for t in sentence.span if t.lower_ in NEGATIONS and is_writers_word(t)]


_BUILTINS = {"passive_without_agent": _passive_without_agent, "negations": _negations}


# ---------------------------------------------------------------- drivers per sentence


def _driver(dimension, text, start, end, weight, reason, source) -> dict:
    return {"dimension": dimension, "text": text, "start": start, "end": end,
            "effect": "+" if weight > 0 else "-", "weight": weight, "reason": reason, "source": source}


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _signal_drivers(analysis, sentences, data: SignalData) -> list[list[dict]]:
    """Drivers of the signals in ``data``, per body sentence.

    Patterns run over each block's text (so a salutation that the parser splits still matches)
    and every match is given to the sentence it starts in; ``unless`` looks at that sentence.
    """
    per_sentence: list[list[dict]] = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    for signal in data.signals:
        if signal.builtin:
            for index, sentence in enumerate(sentences):
                if signal.unless is not None and signal.unless.search(sentence.span.text):
                    continue
                pieces = _BUILTINS[signal.builtin](sentence)
                count = len(pieces)
                if not count or count < signal.min_count or (signal.max_count is not None and count > signal.max_count):
                    continue
                for first, last in pieces:
                    start, end = analysis.token_span(sentence.block, first, last)
                    per_sentence[index].append(_driver(signal.dimension, analysis.text[start:end], start, end,
                                                       signal.weight, signal.reason, signal.id))
    for _, block, _doc in analysis.blocks:
        if not block.is_body:
            continue
        protected = [(block.start + s, block.start + e) for s, e in analysis.protected_spans(block)]
        for signal in data.signals:
            if signal.regex is None:
                continue
            seen: dict[int, set] = {}
            for match in signal.regex.finditer(block.text):
                start, end = block.start + match.start(), block.start + match.end()
                if start == end or (not signal.merge_fields and _overlaps(start, end, protected)):
                    continue
                index = _sentence_index(sentences, starts, start)
                if index is None:
                    continue
                if signal.unless is not None and signal.unless.search(sentences[index].span.text):
                    continue
                keys = seen.setdefault(index, set())
                key = match.group(0).lower() if signal.each else ""
                if key in keys:
                    continue  # a signal counts once per sentence: ten times 'u' is not ten times as personal
                keys.add(key)
                per_sentence[index].append(_driver(signal.dimension, match.group(0), start, end,
                                                   signal.weight, signal.reason, signal.id))
    return per_sentence


def _rule_drivers(analysis, settings, data: SignalData) -> list[dict]:
    """Drivers from the tone rules named in ``from_rules`` (their hits, with absolute offsets)."""
    from .checks import run_rule
    from .rules import get_rules

    from .config import Settings

    settings = settings or Settings()
    rules = get_rules(tuple(settings.rule_files))
    disabled = settings.disabled
    drivers = []
    for code, spec in data.from_rules.items():
        rule = rules.get(code)
        if rule is None or code in disabled:
            continue
        for hit in run_rule(rule, analysis, settings):
            for dimension in DIMENSIONS:
                if dimension in spec:
                    drivers.append(_driver(dimension, analysis.text[hit.start:hit.end], hit.start, hit.end,
                                           float(spec[dimension]), spec.get("reason", rule.name), code))
    return drivers


def _sentence_index(sentences, starts: list[int], offset: int) -> int | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return None
    block = sentences[i].block
    return i if block.start <= offset <= block.end else None


def sentence_score(weights: list[float]) -> int:
    """50 + 50·s/(|s| + 1.5) for the sum s of the weights; no signal → 50 (neutral)."""
    s = sum(weights)
    return round(50 + 50 * s / (abs(s) + SENTENCE_DAMPING))


def letter_score(weights: list[float]) -> int:
    """50 + 50·(P − N)/(P + N + 2): the balance of positive and negative signals."""
    positive = sum(w for w in weights if w > 0)
    negative = -sum(w for w in weights if w < 0)
    return round(50 + 50 * (positive - negative) / (positive + negative + LETTER_DAMPING))


def tone_profile(analysis, settings=None, data: SignalData | None = None) -> dict:
    """Scores and drivers per body sentence and for the whole letter."""
    data = data or load_signals()
    sentences = analysis.body_sentences
    per_sentence = _signal_drivers(analysis, sentences, data)
    starts = [s.start for s in sentences]
    for driver in _rule_drivers(analysis, settings, data):
        index = _sentence_index(sentences, starts, driver["start"])
        if index is not None:
            per_sentence[index].append(driver)

    sentence_profiles = []
    all_drivers: dict[str, list[dict]] = {d: [] for d in DIMENSIONS}
    for sentence, drivers in zip(sentences, per_sentence):
        drivers.sort(key=lambda d: (d["start"], d["end"]))
        by_dimension = {d: [_public(x) for x in drivers if x["dimension"] == d] for d in DIMENSIONS}
        for dimension, items in by_dimension.items():
            all_drivers[dimension].extend(items)
        sentence_profiles.append({
            "start": sentence.start, "end": sentence.end, "text": sentence.text,
            "scores": {d: sentence_score([x["weight"] for x in by_dimension[d]]) for d in DIMENSIONS},
            "drivers": by_dimension,
        })
    letter = {}
    for dimension in DIMENSIONS:
        weights = [x["weight"] for x in all_drivers[dimension]]
        letter[dimension] = {
            "score": letter_score(weights),
            "positive": round(sum(w for w in weights if w > 0), 2),
            "negative": round(-sum(w for w in weights if w < 0), 2),
            "drivers": all_drivers[dimension],
        }
    return {"letter": letter, "sentences": sentence_profiles}


def _public(driver: dict) -> dict:
    return {k: v for k, v in driver.items() if k != "dimension"}


def signal_keys(profile: dict) -> list[tuple[str, str, str]]:
    """The signals of a profile as (dimension, source, text) keys, to compare two texts."""
    return sorted((d, x["source"], x["text"].lower()) for d, v in profile["letter"].items() for x in v["drivers"])


def mean_score(profile: dict) -> float:
    return sum(profile["letter"][d]["score"] for d in DIMENSIONS) / len(DIMENSIONS)


# ---------------------------------------------------------------- letter type

_SUBJECT_LINE = re.compile(r"^\s*(?:onderwerp|betreft|inzake)\s*:.*$", re.IGNORECASE | re.MULTILINE)
_SALUTATION = re.compile(r"^\s*(?:geachte|beste|hallo|l\.s\.|aan\s+de|zeer\s+geachte)\b.*,\s*$", re.IGNORECASE)


def _salutation_index(blocks) -> int | None:
    for i, block in enumerate(blocks):
        lines = block.text.strip().splitlines()
        if lines and _SALUTATION.match(lines[-1]):
            return i
    return None


def _letter_text_and_prominent(analysis) -> tuple[str, list[tuple[int, int]]]:
    """The text that says what the letter is about, and the prominent spans in it.

    That text is the subject line plus everything from the salutation on: the letterhead and
    address block are left out (a department's name says little about this letter). Prominent
    are the subject line, headings and the first paragraph after the salutation.
    """
    blocks = [b for b in analysis.document.blocks if b.is_body]
    if not blocks:
        return "", []
    salutation = _salutation_index(blocks)
    if salutation is None:
        return "\n\n".join(b.text for b in blocks), [(0, len(blocks[0].text))] if len(blocks) == 1 else []
    head = "\n\n".join(b.text for b in blocks[:salutation])
    subject = [m.group(0).strip() for m in _SUBJECT_LINE.finditer(head)]
    parts: list[str] = []
    prominent: list[tuple[int, int]] = []
    position = 0
    first_paragraph_done = False
    for text, is_prominent in ([(line, True) for line in subject]
                               + [(b.text, b.kind == "heading") for b in blocks[salutation:]]):
        if not is_prominent and not first_paragraph_done and position and not _SALUTATION.match(text.strip()):
            is_prominent = first_paragraph_done = True
        if is_prominent:
            prominent.append((position, position + len(text)))
        parts.append(text)
        position += len(text) + 2
    return "\n\n".join(parts), prominent


def detect_letter_type(analysis, data: SignalData | None = None) -> dict:
    """The kind of letter, with a confidence and the words that decided it (in Dutch).

    Every cue counts once, double when it is in the subject line, a heading or the first
    paragraph; the kind with the most points wins. Confidence = top / (top + runner-up).
    """
    data = data or load_signals()
    cache = analysis.__dict__.setdefault("_letter_type", {})
    if id(data) not in cache:
        cache[id(data)] = (data, _detect_letter_type(analysis, data))
    return cache[id(data)][1]


def _detect_letter_type(analysis, data: SignalData) -> dict:
    text, prominent = _letter_text_and_prominent(analysis)
    points = {t: 0.0 for t in LETTER_TYPES}
    evidence: dict[str, list[tuple[float, str]]] = {t: [] for t in LETTER_TYPES}
    for letter_type, (prior, reason) in data.priors.items():
        points[letter_type] += prior
        evidence[letter_type].append((prior, f"{reason} (+{_fmt(prior)})"))
    for cue in data.cues:
        matches = list(cue.regex.finditer(text))
        if not matches:
            continue
        up_front = [m for m in matches if _overlaps(m.start(), m.end(), prominent)]
        chosen = (up_front or matches)[0]
        value = cue.weight * (2 if up_front else 1)
        points[cue.letter_type] += value
        where = " (vooraan in de brief)" if up_front else ""
        evidence[cue.letter_type].append(
            (value, f"'{chosen.group(0).strip()}': {cue.reason}{where} (+{_fmt(value)})"))
    ranking = sorted(LETTER_TYPES, key=lambda t: (-points[t], LETTER_TYPES.index(t)))
    top, second = ranking[0], ranking[1]
    if points[top] == 0:
        return {"type": "informatie", "label": data.type_labels.get("informatie", "informatie"),
                "confidence": 0.0, "points": points,
                "reasons": ["Geen duidelijke aanwijzingen gevonden; daarom behandelen we de brief als informatiebrief."]}
    confidence = points[top] / (points[top] + points[second])
    reasons = [r for _, r in sorted(evidence[top], key=lambda e: -e[0])]
    if points[second]:
        reasons.append(f"Tweede keus: {data.type_labels.get(second, second)} "
                       f"({_fmt(points[second])} tegen {_fmt(points[top])} punten).")
    return {"type": top, "label": data.type_labels.get(top, top), "confidence": round(confidence, 2),
            "points": {t: round(p, 2) for t, p in points.items()}, "reasons": reasons}


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


# ---------------------------------------------------------------- advice for the kind of letter


def type_advice(analysis, letter_type: str, profile: dict, data: SignalData | None = None) -> tuple[list[dict], list[str]]:
    """Checks of what this kind of letter needs, and Dutch notes on what to improve."""
    data = data or load_signals()
    spec = data.advice.get(letter_type, {})
    text, _ = _letter_text_and_prominent(analysis)
    checks, notes = [], []
    for check in spec.get("checks", ()):
        need = re.compile("|".join(f"(?:{p})" for p in check["need"]), re.IGNORECASE | re.MULTILINE)
        scope = text
        if check.get("first_paragraphs"):
            scope = _first_paragraphs(analysis, int(check["first_paragraphs"]))
        ok = bool(need.search(scope))
        checks.append({"ok": ok, "note": check["ok"] if ok else check["missing"]})
        if not ok:
            notes.append(check["missing"])
    noun = data.type_nouns.get(letter_type, letter_type)
    for dimension, minimum in spec.get("min_scores", {}).items():
        score = profile["letter"][dimension]["score"]
        if score >= minimum:
            continue
        meta = data.dimensions[dimension]
        worst = sorted((d for d in profile["letter"][dimension]["drivers"] if d["weight"] < 0),
                       key=lambda d: d["weight"])[:3]
        because = "; ".join(f"'{d['text']}' ({d['reason']})" for d in worst)
        notes.append(
            f"Voor een {noun} klinkt de brief te {meta['low']} (score {score}, passend is minstens "
            f"{minimum})." + (f" Dit drukt de score het meest: {because}." if because else ""))
    return checks, notes


def _first_paragraphs(analysis, count: int) -> str:
    """The first ``count`` paragraphs after the salutation (or of the letter when there is none)."""
    blocks = [b for b in analysis.document.blocks if b.is_body]
    salutation = _salutation_index(blocks)
    if salutation is not None:
        blocks = blocks[salutation + 1:]
    paragraphs = [b.text for b in blocks if b.kind in ("paragraph", "list_item")]
    return "\n".join(paragraphs[:count])


# ---------------------------------------------------------------- the report's tone details


def tone_details(analysis, settings=None) -> dict:
    """The tone part of the report: profile of letter and sentences, letter type, advice."""
    data = load_signals()
    profile = tone_profile(analysis, settings, data)
    letter_type = detect_letter_type(analysis, data)
    checks, advice = type_advice(analysis, letter_type["type"], profile, data)
    scores = {d: profile["letter"][d]["score"] for d in DIMENSIONS}
    summary = [
        "Toon: " + ", ".join(f"{d} {scores[d]}" for d in DIMENSIONS) + " (0–100, 50 is neutraal).",
        f"Soort brief: {letter_type['label']} (zekerheid {round(letter_type['confidence'] * 100)}%).",
    ]
    return {
        "dimensions": {d: {"label": data.dimensions[d]["label"], "high": data.dimensions[d]["high"],
                           "low": data.dimensions[d]["low"]} for d in DIMENSIONS},
        "scores": scores,
        "mean": round(sum(scores.values()) / len(scores), 1),
        "letter": profile["letter"],
        "sentences": profile["sentences"],
        "letter_type": letter_type,
        "checks": checks,
        "advice": advice,
        "summary": summary,
        "method": ("Zin: 50 + 50·s/(|s|+1,5), s = som van de signalen; zonder signaal 50 (neutraal). "
                   "Brief: 50 + 50·(P−N)/(P+N+2), P en N = som van de positieve en negatieve signalen."),
    }
