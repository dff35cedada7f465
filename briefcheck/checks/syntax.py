"""Kind ``syntax``: named detectors that read the parse. Rule files choose one by name."""
from __future__ import annotations

from typing import Callable, Iterator

from . import Hit

Detector = Callable[[object, object, dict], Iterator[Hit]]
DETECTORS: dict[str, Detector] = {}


def detector(name: str):
    def register(function: Detector) -> Detector:
        DETECTORS[name] = function
        return function
    return register


#: Modules that register more detectors (by area); imported on first use, not at import time.
DETECTOR_MODULES = (
    "briefcheck.checks.detectors_readability",
    "briefcheck.checks.detectors_tone",
    "briefcheck.checks.detectors_anatomy",
)
_loaded = False


def _load_detector_modules() -> None:
    global _loaded
    if not _loaded:
        import importlib
        import importlib.util

        for name in DETECTOR_MODULES:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
        _loaded = True


def validate(rule) -> None:
    _load_detector_modules()
    if rule.params.get("detector") not in DETECTORS:
        raise ValueError(f"onbekende detector '{rule.params.get('detector')}' (kies uit {', '.join(sorted(DETECTORS))})")


def run(rule, analysis, settings):
    return DETECTORS[rule.params["detector"]](rule, analysis, rule.params)


def passive_auxiliaries(span) -> list:
    """Passive auxiliaries of a sentence, read from the parse (``aux:pass``).

    'worden' as an auxiliary of a past participle is passive too, even where the parser said
    plain ``aux`` (the parser sometimes does).
    """
    found = []
    for token in span:
        if token.dep_ == "aux:pass":
            found.append(token)
        elif (token.dep_ == "aux" and token.lemma_.lower() == "worden"
              and "Part" in token.head.morph.get("VerbForm")):
            found.append(token)
    return found


@detector("passive")
def _passive(rule, analysis, params):
    for sentence in analysis.sentences:
        for aux in passive_auxiliaries(sentence.span):
            participle = aux.head
            first, last = (aux, participle) if aux.i <= participle.i else (participle, aux)
            start, end = analysis.token_span(sentence.block, first, last)
            yield Hit(start, end, fields={"auxiliary": aux.text, "participle": participle.text})


#: -ing nouns that are ordinary things, not a verb turned into a noun.
_ING_NOUNS = frozenset({
    "woning", "regeling", "leerling", "vereniging", "omgeving", "ruling", "tekening", "rekening",
    "uitkering", "verzekering", "vergadering", "richting", "opleiding", "kring", "ring", "zending",
    "afdeling", "instelling", "stichting", "lening", "bedrijfsvoering", "kleding", "verwarming",
})


@detector("nominalisation")
def _nominalisation(rule, analysis, params):
    """Naamwoordstijl: 'het indienen van', 'de behandeling van': a verb turned into a noun + 'van'."""
    for _, block, doc in analysis.blocks:
        tokens = list(doc)
        for i in range(len(tokens) - 2):
            article, noun, van = tokens[i], tokens[i + 1], tokens[i + 2]
            if van.lower_ != "van" or article.lower_ not in ("het", "de"):
                continue
            word = noun.lower_
            verbal = (
                article.lower_ == "het" and len(word) > 5 and word.endswith("en")
                and (noun.pos_ == "VERB" or noun.pos_ == "NOUN" and noun.lemma_.lower() == word)
            ) or (
                article.lower_ == "de" and word.endswith("ing") and len(word) > 7 and word not in _ING_NOUNS
                and not any(word.endswith(n) for n in _ING_NOUNS)
            )
            if verbal:
                start, end = analysis.token_span(block, article, van)
                yield Hit(start, end, fields={"noun": noun.text})
