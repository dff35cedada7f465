"""Kind ``syntax``: named detectors that read the parse. Rule files choose one by name."""
from __future__ import annotations

import json
from functools import lru_cache
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


#: Verbs whose perfect tense takes 'zijn' (unaccusatives): 'is overleden' and 'is gegaan' are
#: not passive, while 'is verleend' is.
UNACCUSATIVE_VERBS = frozenset({
    "aankomen", "aanbelanden", "afgaan", "afnemen", "aflopen", "belanden", "beginnen", "bezwijken",
    "binnenkomen", "blijven", "dalen", "doorgaan", "eindigen", "gaan", "gebeuren", "genezen", "geraken",
    "groeien", "ingaan", "keren", "komen", "landen", "lukken", "meegaan", "meevallen", "mislukken",
    "omkomen", "ontsnappen", "ontstaan", "opgroeien", "ophouden", "opstaan", "opvallen", "overgaan",
    "overlijden", "raken", "slagen", "sneuvelen", "sterven", "stijgen", "stoppen", "tegenvallen",
    "terugkeren", "thuiskomen", "toenemen", "trouwen", "uitgaan", "uitkomen", "vallen", "vergaan",
    "verhuizen", "verdrinken", "verdwijnen", "verlopen", "verongelukken", "verschijnen", "verstrijken",
    "vertrekken", "vluchten", "voorkomen", "wegvallen", "worden", "zakken", "zijn", "zinken",
})


def _is_participle(token) -> bool:
    return "Part" in token.morph.get("VerbForm")


@lru_cache(maxsize=1)
def passive_lexicon() -> dict[str, tuple[int, int]]:
    """How often each participle stood with 'zijn' as passive (aux:pass) and as not passive
    (perfect tense or copula) in the pipeline's training data; written by the pipeline build."""
    from ..nlp import PIPELINE_DIR

    path = PIPELINE_DIR / "passive_lexicon.json"
    if not path.is_file():
        return {}
    return {lemma: tuple(counts) for lemma, counts in json.loads(path.read_text(encoding="utf-8")).items()}


def _zijn_passive(participle, copula: bool) -> bool:
    """Is 'zijn' + this participle a passive ('is verleend') rather than a perfect ('is vertrokken')
    or an adjective ('is gesloten')? What the training data says, else what the verb class says."""
    counts = passive_lexicon().get(participle.lemma_.lower())
    if counts and sum(counts) >= 2:
        return counts[0] >= counts[1]
    return not copula and participle.lemma_.lower() not in UNACCUSATIVE_VERBS


def passive_auxiliaries(span) -> list:
    """Passive auxiliaries of a sentence, read from the parse.

    'worden' as auxiliary of a past participle is always passive. 'zijn' with a past participle
    is passive when the training data says so for that verb, else unless the verb forms its
    perfect with 'zijn'. The parser's label is not trusted alone: ``aux:pass``, ``aux`` and (for
    'zijn') ``cop`` are all read, because it sometimes misses the subtype.
    """
    found = []
    for token in span:
        lemma = token.lemma_.lower()
        participle = token.head
        if participle.i == token.i or not _is_participle(participle):
            continue
        if token.dep_ == "aux:pass" or (token.dep_ == "aux" and lemma in ("worden", "zijn")):
            if lemma == "worden" or _zijn_passive(participle, copula=False):
                found.append(token)
        elif token.dep_ == "cop" and lemma == "zijn" and _zijn_passive(participle, copula=True):
            found.append(token)
    return found


@detector("passive")
def _passive(rule, analysis, params):
    from ..suggest import passive_suggestion

    for sentence in analysis.sentences:
        for aux in passive_auxiliaries(sentence.span):
            participle = aux.head
            first, last = (aux, participle) if aux.i <= participle.i else (participle, aux)
            start, end = analysis.token_span(sentence.block, first, last)
            # active voice with the agent ('door ons' → 'wij'), or the municipality as agent
            active = passive_suggestion(sentence.span, aux, participle, analysis.text, sentence.block.start)
            yield Hit(start, end, fields={"auxiliary": aux.text, "participle": participle.text},
                      suggestions=[active] if active else [])


#: -ing nouns that are ordinary things, not a verb turned into a noun.
_ING_NOUNS = frozenset({
    "woning", "regeling", "leerling", "vereniging", "omgeving", "ruling", "tekening", "rekening",
    "uitkering", "verzekering", "vergadering", "richting", "opleiding", "kring", "ring", "zending",
    "afdeling", "instelling", "stichting", "lening", "bedrijfsvoering", "kleding", "verwarming",
    "aanleiding", "samenvatting", "schutting", "inleiding", "uitnodiging", "regering", "ervaring",
    "voorziening", "vestiging",
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
                from ..suggest import nominalisation_suggestion

                start, end = analysis.token_span(block, article, van)
                verb = nominalisation_suggestion(tokens, i, analysis.text, block.start)
                yield Hit(start, end, fields={"noun": noun.text}, suggestions=[verb] if verb else [])
