"""Concrete rewrite suggestions for findings: each a replacement for an exact span of the letter,
grammatical in its sentence, with a Dutch description of what changes and why.

The checks call in here (word lists, long sentences, passive voice, naamwoordstijl);
``enrich_findings`` adds rewrites for the fixed formulas of the pattern rules (stiff openings and
closings, 'u dient … te', 'het staat u vrij', vague deadlines, ...). Every suggestion passes
``guard``: numbers, dates, amounts, names, merge fields and legal references are never dropped
or changed.

Inflection is rule-based (Dutch spelling rules, a table of strong verbs); where the rules allow
more than one spelling, the form that is more frequent in SUBTLEX-NL (shipped with lint-ii) wins.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .findings import Suggestion

# =============================================================================== morphology ======
#: Strong and irregular verbs: infinitive → (past singular, past plural, participle).
STRONG_VERBS: dict[str, tuple[str, str, str]] = {
    "bakken": ("bakte", "bakten", "gebakken"), "bederven": ("bedierf", "bedierven", "bedorven"),
    "bedriegen": ("bedroog", "bedrogen", "bedrogen"), "beginnen": ("begon", "begonnen", "begonnen"),
    "bergen": ("borg", "borgen", "geborgen"), "bevelen": ("beval", "bevalen", "bevolen"),
    "bewegen": ("bewoog", "bewogen", "bewogen"), "bidden": ("bad", "baden", "gebeden"),
    "bieden": ("bood", "boden", "geboden"), "binden": ("bond", "bonden", "gebonden"),
    "blijken": ("bleek", "bleken", "gebleken"), "blijven": ("bleef", "bleven", "gebleven"),
    "breken": ("brak", "braken", "gebroken"), "brengen": ("bracht", "brachten", "gebracht"),
    "buigen": ("boog", "bogen", "gebogen"), "denken": ("dacht", "dachten", "gedacht"),
    "doen": ("deed", "deden", "gedaan"), "dragen": ("droeg", "droegen", "gedragen"),
    "drijven": ("dreef", "dreven", "gedreven"), "dringen": ("drong", "drongen", "gedrongen"),
    "drinken": ("dronk", "dronken", "gedronken"), "eten": ("at", "aten", "gegeten"),
    "gaan": ("ging", "gingen", "gegaan"), "gelden": ("gold", "golden", "gegolden"),
    "genieten": ("genoot", "genoten", "genoten"), "geven": ("gaf", "gaven", "gegeven"),
    "gieten": ("goot", "goten", "gegoten"), "glijden": ("gleed", "gleden", "gegleden"),
    "grijpen": ("greep", "grepen", "gegrepen"), "hangen": ("hing", "hingen", "gehangen"),
    "hebben": ("had", "hadden", "gehad"), "helpen": ("hielp", "hielpen", "geholpen"),
    "heten": ("heette", "heetten", "geheten"), "houden": ("hield", "hielden", "gehouden"),
    "kiezen": ("koos", "kozen", "gekozen"), "kijken": ("keek", "keken", "gekeken"),
    "klimmen": ("klom", "klommen", "geklommen"), "klinken": ("klonk", "klonken", "geklonken"),
    "komen": ("kwam", "kwamen", "gekomen"), "kopen": ("kocht", "kochten", "gekocht"),
    "krijgen": ("kreeg", "kregen", "gekregen"), "kunnen": ("kon", "konden", "gekund"),
    "lachen": ("lachte", "lachten", "gelachen"), "laden": ("laadde", "laadden", "geladen"),
    "laten": ("liet", "lieten", "gelaten"), "lezen": ("las", "lazen", "gelezen"),
    "liggen": ("lag", "lagen", "gelegen"), "lijden": ("leed", "leden", "geleden"),
    "lijken": ("leek", "leken", "geleken"), "lopen": ("liep", "liepen", "gelopen"),
    "meten": ("mat", "maten", "gemeten"), "moeten": ("moest", "moesten", "gemoeten"),
    "mogen": ("mocht", "mochten", "gemogen"), "nemen": ("nam", "namen", "genomen"),
    "prijzen": ("prees", "prezen", "geprezen"), "raden": ("raadde", "raadden", "geraden"),
    "rijden": ("reed", "reden", "gereden"), "roepen": ("riep", "riepen", "geroepen"),
    "ruiken": ("rook", "roken", "geroken"), "scheiden": ("scheidde", "scheidden", "gescheiden"),
    "schenken": ("schonk", "schonken", "geschonken"), "scheppen": ("schiep", "schiepen", "geschapen"),
    "schieten": ("schoot", "schoten", "geschoten"), "schijnen": ("scheen", "schenen", "geschenen"),
    "schrijven": ("schreef", "schreven", "geschreven"), "schrikken": ("schrok", "schrokken", "geschrokken"),
    "schuiven": ("schoof", "schoven", "geschoven"), "slaan": ("sloeg", "sloegen", "geslagen"),
    "slapen": ("sliep", "sliepen", "geslapen"), "sluiten": ("sloot", "sloten", "gesloten"),
    "snijden": ("sneed", "sneden", "gesneden"), "spreken": ("sprak", "spraken", "gesproken"),
    "springen": ("sprong", "sprongen", "gesprongen"), "staan": ("stond", "stonden", "gestaan"),
    "steken": ("stak", "staken", "gestoken"), "stelen": ("stal", "stalen", "gestolen"),
    "sterven": ("stierf", "stierven", "gestorven"), "stijgen": ("steeg", "stegen", "gestegen"),
    "strijden": ("streed", "streden", "gestreden"), "treden": ("trad", "traden", "getreden"),
    "treffen": ("trof", "troffen", "getroffen"), "trekken": ("trok", "trokken", "getrokken"),
    "vallen": ("viel", "vielen", "gevallen"), "vangen": ("ving", "vingen", "gevangen"),
    "varen": ("voer", "voeren", "gevaren"), "vechten": ("vocht", "vochten", "gevochten"),
    "verbieden": ("verbood", "verboden", "verboden"), "verdwijnen": ("verdween", "verdwenen", "verdwenen"),
    "vergeten": ("vergat", "vergaten", "vergeten"), "verliezen": ("verloor", "verloren", "verloren"),
    "vinden": ("vond", "vonden", "gevonden"), "vliegen": ("vloog", "vlogen", "gevlogen"),
    "vragen": ("vroeg", "vroegen", "gevraagd"), "wassen": ("waste", "wasten", "gewassen"),
    "wegen": ("woog", "wogen", "gewogen"), "werpen": ("wierp", "wierpen", "geworpen"),
    "weten": ("wist", "wisten", "geweten"), "wijken": ("week", "weken", "geweken"),
    "wijzen": ("wees", "wezen", "gewezen"), "willen": ("wilde", "wilden", "gewild"),
    "winnen": ("won", "wonnen", "gewonnen"), "worden": ("werd", "werden", "geworden"),
    "zeggen": ("zei", "zeiden", "gezegd"), "zenden": ("zond", "zonden", "gezonden"),
    "zien": ("zag", "zagen", "gezien"), "zijn": ("was", "waren", "geweest"),
    "zingen": ("zong", "zongen", "gezongen"), "zinken": ("zonk", "zonken", "gezonken"),
    "zitten": ("zat", "zaten", "gezeten"), "zoeken": ("zocht", "zochten", "gezocht"),
    "zullen": ("zou", "zouden", ""), "zwijgen": ("zweeg", "zwegen", "gezwegen"),
    "verzoeken": ("verzocht", "verzochten", "verzocht"), "bezoeken": ("bezocht", "bezochten", "bezocht"),
    "besluiten": ("besloot", "besloten", "besloten"), "verkopen": ("verkocht", "verkochten", "verkocht"),
    "beslissen": ("besliste", "beslisten", "beslist"), "betreffen": ("betrof", "betroffen", "betroffen"),
    "onderzoeken": ("onderzocht", "onderzochten", "onderzocht"), "begrijpen": ("begreep", "begrepen", "begrepen"),
}
#: Present forms the rules cannot make: infinitive → (1st person singular, 3rd person singular).
IRREGULAR_PRESENT = {"zijn": ("ben", "is"), "hebben": ("heb", "heeft"), "kunnen": ("kan", "kan"),
                     "zullen": ("zal", "zal"), "mogen": ("mag", "mag"), "willen": ("wil", "wil"),
                     "gaan": ("ga", "gaat"), "doen": ("doe", "doet"), "staan": ("sta", "staat"),
                     "slaan": ("sla", "slaat"), "zien": ("zie", "ziet"), "komen": ("kom", "komt")}
#: Particles of separable verbs ('aanvragen': 'vraagt ... aan'), longest first.
PARTICLES = tuple(sorted((
    "aan", "af", "bij", "binnen", "buiten", "door", "in", "mee", "na", "neer", "om", "op", "over", "terug",
    "toe", "uit", "voor", "weg", "samen", "vast", "los", "tegen", "achter", "rond", "open", "dicht", "thuis",
    "langs", "heen", "vrij", "goed", "kapot", "stop", "bekend", "teweeg", "tegemoet", "kwijt", "mis",
), key=len, reverse=True))
#: Prefixes that never take 'ge-' in the participle.
UNSTRESSED_PREFIXES = ("be", "ge", "her", "ont", "ver", "er")
_VOWELS = "aeiouy"
_DEVOICE = {"v": "f", "z": "s"}
_VOICE = {"f": "v", "s": "z"}


@lru_cache(maxsize=1)
def _frequencies() -> dict:
    try:
        from . import lintdata

        lintdata.install()
        from lint_ii.linguistic_data import wordlists

        return wordlists.FREQ_DATA
    except Exception:  # without lint-ii the first rule-made form is used
        return {}


def frequency(word: str) -> float:
    """SUBTLEX-NL log frequency of a word form (0 when unknown)."""
    return _frequencies().get(word.lower(), 0.0) or 0.0


def best(candidates: list[str]) -> str:
    """The most frequent candidate; the first when none is a known word."""
    candidates = [c for c in dict.fromkeys(candidates) if c]
    top = max(candidates, key=lambda c: (frequency(c), -candidates.index(c)))
    return top if frequency(top) > 0 else candidates[0]


def _strong(verb: str) -> tuple[str, str, str] | None:
    """Forms of a strong verb, also with an unstressed prefix ('ontvangen' from 'vangen')."""
    if verb in STRONG_VERBS:
        return STRONG_VERBS[verb]
    for prefix in UNSTRESSED_PREFIXES:
        rest = verb[len(prefix):]
        if verb.startswith(prefix) and len(rest) > 3 and rest in STRONG_VERBS:
            past_sg, past_pl, participle = STRONG_VERBS[rest]
            return prefix + past_sg, prefix + past_pl, prefix + (participle[2:] if participle.startswith("ge") else participle)
    return None


@lru_cache(maxsize=4096)
def split_particle(infinitive: str) -> tuple[str, str]:
    """('aan', 'vragen') for a separable verb, ('', verb) otherwise ('overleggen', 'ontvangen')."""
    for particle in PARTICLES:
        base = infinitive[len(particle):]
        if not infinitive.startswith(particle) or len(base) < 4 or not base.endswith("n"):
            continue
        if not (base in STRONG_VERBS or base in IRREGULAR_PRESENT or frequency(base) > 0):
            continue
        strong = _strong(base)
        tail = strong[2] if strong else "ge" + _weak_participle_tail(base)
        separable = particle + tail
        inseparable = particle + (tail[2:] if tail.startswith("ge") else tail)
        if inseparable == infinitive:  # 'aangeven': the participle test cannot tell; 'aangegeven' can
            return (particle, base) if frequency(separable) > 0 else ("", infinitive)
        if frequency(separable) >= frequency(inseparable):
            return particle, base
        return "", infinitive
    return "", infinitive


def _inseparable_particle(verb: str) -> bool:
    """'overleggen', 'ondertekenen': a particle-like prefix that takes no 'ge-'."""
    return any(verb.startswith(p) and len(verb) > len(p) + 3 for p in PARTICLES + ("onder",)) \
        and not split_particle(verb)[0]


@lru_cache(maxsize=4096)
def stem(infinitive: str) -> str:
    """The present stem: 'vragen' → 'vraag', 'zetten' → 'zet', 'geven' → 'geef'."""
    if infinitive in IRREGULAR_PRESENT:
        return IRREGULAR_PRESENT[infinitive][0]
    if infinitive.endswith("en"):
        root = infinitive[:-2]
    elif infinitive.endswith("n"):
        return infinitive[:-1]
    else:
        return infinitive
    if len(root) >= 2 and root[-1] == root[-2] and root[-1] not in _VOWELS:
        return root[:-1]  # zetten → zet
    options = []
    if len(root) >= 2 and root[-1] not in _VOWELS and root[-2] in "aeou" and (len(root) < 3 or root[-3] not in _VOWELS):
        options.append(root[:-2] + root[-2] * 2 + root[-1])  # vragen → vraag
    options.append(root)
    options = [o[:-1] + _DEVOICE.get(o[-1], o[-1]) for o in options]
    # choose by the 3rd person form, which is the most frequent in texts
    third = best([o if o.endswith("t") else o + "t" for o in options])
    return next(o for o in options if (o if o.endswith("t") else o + "t") == third)


def _voiceless(infinitive: str) -> bool:
    """'t kofschip: does the stem end in a voiceless consonant (before v/z became f/s)?"""
    root = infinitive[:-2] if infinitive.endswith("en") else infinitive
    return root[-1:] in ("t", "k", "f", "s", "p", "x") or root.endswith("ch")


def _weak_participle_tail(infinitive: str) -> str:
    s = stem(infinitive)
    return s if s.endswith(("t", "d")) else s + ("t" if _voiceless(infinitive) else "d")


@lru_cache(maxsize=4096)
def verb_forms(infinitive: str) -> dict[str, str]:
    """Forms of a verb by slot: inf, stem (ik), stem_t (u, hij), past_sg, past_pl, part, part_e,
    prespart, prespart_e. Separable verbs are joined ('aanvraagt'), as in a subordinate clause."""
    infinitive = infinitive.lower()
    particle, base = split_particle(infinitive)
    strong = _strong(base)
    s = stem(base)
    first, third = IRREGULAR_PRESENT.get(base, (s, s if s.endswith("t") else s + "t"))
    if strong:
        past_sg, past_pl, participle = strong
    else:
        ending = "te" if _voiceless(base) else "de"
        past_sg, past_pl = s + ending, s + ending + "n"
        tail = _weak_participle_tail(base)
        prefixed = any(base.startswith(p) and len(base) > len(p) + 3 for p in UNSTRESSED_PREFIXES)
        participle = tail if prefixed or _inseparable_particle(base) else "ge" + tail
    part_e = participle if participle.endswith("en") else adjective_e(participle)
    forms = {"inf": base, "stem": first, "stem_t": third, "past_sg": past_sg, "past_pl": past_pl,
             "part": participle, "part_e": part_e, "prespart": base + "d", "prespart_e": base + "de"}
    if particle:
        forms = {k: particle + v for k, v in forms.items()}
    return forms


def _infinitives_from_root(root: str) -> list[str]:
    """Possible infinitives of a stem-like root ('beoordeel' → 'beoordelen', 'geef' → 'geven')."""
    options = [root + "en"]
    voiced = _VOICE.get(root[-1:])
    if voiced:
        options.append(root[:-1] + voiced + "en")
    if len(root) >= 3 and root[-2] == root[-3] and root[-2] in "aeou":
        short = root[:-3] + root[-2] + root[-1]
        options.append(short + "en")
        if voiced:
            options.append(short[:-1] + voiced + "en")
    if len(root) >= 2 and root[-1] not in _VOWELS and root[-2] in _VOWELS and (len(root) < 3 or root[-3] not in _VOWELS):
        options.append(root + root[-1] + "en")
    if root.endswith(("a", "e", "o", "ie", "oe")):
        options.append(root + "n")
    return options


_REVERSE: dict[str, str] = {}


def infinitive_of(form: str, lemma: str = "") -> str:
    """The infinitive of a verb form (participle, past or present), best guess."""
    form = form.lower()
    if not _REVERSE:
        for verb, forms in STRONG_VERBS.items():
            for f in forms:
                if f:
                    _REVERSE.setdefault(f, verb)
    candidates: list[str] = []
    for particle in ("",) + PARTICLES + UNSTRESSED_PREFIXES:
        if particle and not form.startswith(particle):
            continue
        rest = form[len(particle):]
        if rest in _REVERSE:
            candidates.append(particle + _REVERSE[rest])
        if particle in UNSTRESSED_PREFIXES and "ge" + rest in _REVERSE:
            candidates.append(particle + _REVERSE["ge" + rest])
        core = rest[2:] if rest.startswith("ge") and len(rest) > 5 else rest
        for cut in ("ten", "den", "te", "de", "t", "d", ""):
            if cut and not core.endswith(cut):
                continue
            root = core[:len(core) - len(cut)] if cut else core
            if len(root) >= 2:
                candidates += [particle + option for option in _infinitives_from_root(root)]
    if lemma and lemma.lower().endswith("n"):
        candidates.append(lemma.lower())
    checked = [c for c in dict.fromkeys(candidates) if form in verb_forms(c).values() and frequency(c) > 0]
    return best(checked) if checked else best(candidates or [form])


def plural(noun: str) -> str:
    """'besluit' → 'besluiten', 'regel' → 'regels', 'auto' → "auto's"."""
    if " " in noun or not noun:
        return noun
    candidates = []
    if noun.endswith("heid"):
        return noun[:-4] + "heden"
    if noun.endswith(("el", "em", "en", "er", "je", "ie", "é", "eur")):
        candidates.append(noun + "s")
    if noun[-1] in "aiouy":
        candidates.append(noun + "'s")
    if noun.endswith("e"):
        candidates += [noun + "s", noun + "n"]
    candidates.append(noun + "en")
    if len(noun) >= 3 and noun[-1] not in _VOWELS and noun[-2] in "aeiou" and noun[-3] not in _VOWELS:
        candidates.append(noun + noun[-1] + "en")  # bus → bussen
    if len(noun) >= 3 and noun[-2] == noun[-3] and noun[-2] in "aeou":
        short = noun[:-3] + noun[-2] + noun[-1]
        candidates += [short + "en", short[:-1] + _VOICE.get(short[-1], short[-1]) + "en"]
    candidates += [noun[:-1] + _VOICE.get(noun[-1], noun[-1]) + "en", noun + "s"]
    return best(candidates)


def adjective_e(adjective: str) -> str:
    """'groot' → 'grote', 'goed' → 'goede', 'dun' → 'dunne', 'lief' → 'lieve'; 'extra' stays."""
    if " " in adjective:
        head, _, tail = adjective.rpartition(" ")
        return head + " " + adjective_e(tail)
    if not adjective[-1:].isalpha() or adjective[-1] in _VOWELS or adjective.endswith("en"):
        return adjective
    candidates = [adjective + "e"]
    if len(adjective) >= 3 and adjective[-2] == adjective[-3] and adjective[-2] in "aeou":
        short = adjective[:-3] + adjective[-2] + adjective[-1]
        candidates += [short[:-1] + _VOICE.get(short[-1], short[-1]) + "e", short + "e"]
    if len(adjective) >= 2 and adjective[-1] not in _VOWELS + "w" and adjective[-2] in "aeiou" and (
            len(adjective) < 3 or adjective[-3] not in _VOWELS):
        candidates.append(adjective + adjective[-1] + "e")
    candidates.append(adjective[:-1] + _VOICE.get(adjective[-1], adjective[-1]) + "e")
    return best(candidates)


@lru_cache(maxsize=2048)
def noun_gender(noun: str) -> str | None:
    """'Com' (de-word) or 'Neut' (het-word), as our pipeline's morphology says; None if unknown."""
    if noun.endswith(("je", "jes")):
        return "Neut"
    if noun.endswith(("ing", "heid", "tie", "teit", "nis", "ij")):
        return "Com"
    try:
        from .nlp import get_nlp

        doc = get_nlp()(noun)
    except Exception:
        return None
    genders = doc[-1].morph.get("Gender") if len(doc) else []
    return genders[0] if len(genders) == 1 else None


# ================================================================================== guard ========
#: Words a sentence may start with that are no names, even if the tagger says PROPN.
FUNCTION_WORDS = frozenset("""uw u de het een deze dit die dat wij we ik zij ze hij jij je naar in op
met voor bij na als om over van aan door tot uit er hier daar dan ook en maar of want dus""".split())
_DIGITS = re.compile(r"\d+(?:[.,:/-]\d+)*")
_LEGAL = re.compile(r"\b(?:artikel|art\.|lid|paragraaf|hoofdstuk|sub)\s+\d+[a-z]?(?:[.:]\d+)*", re.IGNORECASE)


def protected_texts(tokens, exclude=()) -> list[str]:
    """Texts a suggestion must keep: special tokens (merge fields, dates, amounts, ...), numbers
    and names. Tokens in ``exclude`` (the words a rule replaces) are not protected."""
    skip = {t.i for t in exclude}
    found = []
    for token in tokens:
        if token.i in skip:
            continue
        if token._.special or any(ch.isdigit() for ch in token.text) or (token.like_num and token.lower_ != "een"):
            found.append(token.text)
        elif token.pos_ == "PROPN" and token.text[:1].isupper() and token.lower_ not in FUNCTION_WORDS:
            found.append(token.text)
    return found


def _occurrences(needle: str, haystack: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack))


def guard(original: str, replacement: str, protected: list[str] = ()) -> bool:
    """True when the replacement keeps every protected text of the original, every number, date,
    amount, merge field, e-mail address or URL, and every legal reference, unchanged."""
    from .nlp import find_special_spans

    for text in protected:
        if _occurrences(text, replacement) < _occurrences(text, original):
            return False
    if Counter(_DIGITS.findall(original)) - Counter(_DIGITS.findall(replacement)):
        return False
    specials = Counter(original[s:e] for s, e, _ in find_special_spans(original))
    if specials - Counter(replacement[s:e] for s, e, _ in find_special_spans(replacement)):
        return False
    legal = Counter(m.group(0).lower() for m in _LEGAL.finditer(original))
    return not legal - Counter(m.group(0).lower() for m in _LEGAL.finditer(replacement))


_PIECE = re.compile(r"\s+|\w+|[^\w\s]")


def make_suggestion(text: str, start: int, end: int, replacement: str, description: str,
                    protected: list[str] = ()) -> Suggestion | None:
    """A Suggestion for text[start:end] → replacement, trimmed to the words that change; None when
    nothing changes or the guard refuses it."""
    original = text[start:end]
    replacement = _tidy(replacement)
    if replacement == original or not guard(original, replacement, protected):
        return None
    old, new = _PIECE.findall(original), _PIECE.findall(replacement)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    s = start + sum(len(p) for p in old[:head])
    e = end - sum(len(p) for p in old[len(old) - tail:]) if tail else end
    r = "".join(new[head:len(new) - tail])
    return Suggestion(s, e, r, description)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" ([,.;:!?)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"\.\s*\.(?!\.)", ".", text)
    return text.strip(" ")


def capitalize(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch in "«{[<$":
            return text
    return text


def lower_first(tokens_text: str, token) -> str:
    """Lower-case a moved sentence-start word unless it is a name."""
    if token.lower_ in FUNCTION_WORDS or (token.pos_ not in ("PROPN",) and not token._.special
                                          and not token.text.isupper()):
        return tokens_text[:1].lower() + tokens_text[1:]
    return tokens_text


def join(tokens_or_text) -> str:
    """Text of tokens (or strings) with single spaces, punctuation attached; neighbouring tokens
    of the source keep their own spacing ('(ver)bouw')."""
    items = [t for t in tokens_or_text if t]
    out = []
    for k, item in enumerate(items):
        if isinstance(item, str):
            out.append(item + " ")
            continue
        nxt = items[k + 1] if k + 1 < len(items) else None
        if nxt is not None and not isinstance(nxt, str) and nxt.i == item.i + 1 and nxt.doc is item.doc:
            out.append(item.text_with_ws)
        else:
            out.append(item.text + " ")
    return _tidy("".join(out))


# ============================================================================ clause helpers ======
SUBORDINATORS = frozenset("""dat omdat als wanneer indien of nadat voordat zodat terwijl doordat sinds
totdat tot zodra hoewel ofschoon aangezien mits tenzij waardoor waarna waarin waarbij waarmee waarop
waarvoor waarover waaruit waarvan waaraan waar die welke wat wie""".split())
CLAUSE_BREAK = frozenset(",;:.!?()")
PERSONAL_OBJECT = {"ik": "mij", "wij": "ons", "we": "ons", "hij": "hem", "u": "u", "jij": "jou", "je": "je",
                   "het": "het", "dit": "dit", "dat": "dat", "die": "die", "deze": "deze"}


#: Words the tagger may take for verbs that are prepositions or adverbs.
NOT_FINITE = frozenset("betreffende gedurende aangaande ingevolge hangende niettegenstaande blijkens".split())


#: Forms that are always finite verbs, whatever the tagger says ('Wilt u …?').
FINITE_FORMS = frozenset("""ben bent is heb hebt heeft kan kunt kon konden wil wilt wilde zal zult zou zouden
mag mocht moet moest moesten was waren had hadden""".split())


def is_finite(token) -> bool:
    """A finite verb: tagged so, or a form that only a finite verb has ('verzoekt', which a
    tagger may take for a participle; 'Wilt' at the start of a question)."""
    lower = token.lower_
    if lower in FINITE_FORMS and not token._.special:
        return True
    if lower in NOT_FINITE or (lower.endswith("ende") and len(lower) > 6) or token.pos_ not in ("VERB", "AUX"):
        return False
    verb_form = token.morph.get("VerbForm")
    if ("WW|pv" in token.tag_ or "Fin" in verb_form) and "Part" not in verb_form:
        return True
    if "Part" in verb_form or "WW|vd" in token.tag_:
        forms = verb_forms(infinitive_of(lower, token.lemma_))
        return lower != forms["part"] and lower in (forms["stem_t"], forms["past_sg"], forms["past_pl"])
    return False


def is_verb(token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def finite_slot(token) -> str:
    """The slot of a finite verb form: stem, stem_t, inf (plural), past_sg or past_pl."""
    lower = token.lower_
    past = "Past" in token.morph.get("Tense")
    if past:
        return "past_pl" if lower.endswith("en") else "past_sg"
    if lower.endswith("en") or "Plur" in token.morph.get("Number"):
        return "inf"
    return "stem_t" if lower.endswith(("t", "d")) or lower in ("is", "kan", "zal", "mag", "wil") else "stem"


def subject_slot(subject: str, past: bool) -> str:
    """Verb slot that agrees with a subject ('wij' → inf, 'u' → stem_t, 'ik' → stem)."""
    lower = subject.lower().split()
    plural_subject = lower[0] in ("wij", "we", "zij", "jullie") if lower else False
    if not plural_subject and len(lower) > 1:
        plural_subject = lower[-1] != plural(lower[-1]) and lower[-1].endswith(("en", "s")) and not lower[-1].endswith("heid")
    if past:
        return "past_pl" if plural_subject else "past_sg"
    if plural_subject:
        return "inf"
    return "stem" if lower[:1] == ["ik"] else "stem_t"


def conjugate(infinitive: str, slot: str) -> tuple[str, str]:
    """(finite form for a main clause, particle that goes to the end)."""
    particle, base = split_particle(infinitive)
    if infinitive == "hebben" and slot == "stem_t":
        return "heeft", ""
    return verb_forms(base)[slot], particle


def to_main_clause(tokens, first_word: str | None = None) -> str | None:
    """A subordinate clause (verb at the end) in main clause order: the finite verb moves to the
    second place, after ``first_word`` ('Daarna krijgt u ...') or after the subject."""
    tokens = [t for t in tokens]
    if any(t.text in ",;:()" for t in tokens):
        return None  # clauses within the clause: too much to reorder safely
    finite = next((t for t in tokens if is_finite(t)), None)
    if finite is None:
        return None
    rest = [t for t in tokens if t.i != finite.i]
    verb_text = finite.text
    particle = ""
    infinitive = infinitive_of(finite.lower_, finite.lemma_) if finite.pos_ == "VERB" else ""
    if infinitive:
        p, base = split_particle(infinitive)
        if p and finite.lower_.startswith(p):
            particle, verb_text = p, finite.lower_[len(p):]
    pieces: list = list(rest)
    index = [t.i for t in rest]
    if particle:
        # the particle stays where the verb was, at the end of the middle field
        position = next((k for k, i in enumerate(index) if i > finite.i), len(pieces))
        pieces.insert(position, particle)
    if first_word:
        return join([first_word, verb_text] + pieces)
    # subject first: the words before the finite verb's first non-subject word
    subject_end = _subject_length(rest)
    if subject_end is None:
        return None
    return join(pieces[:subject_end] + [verb_text] + pieces[subject_end:])


#: Words that start a noun phrase when a noun or adjective follows ('uw aanvraag', 'deze regels').
DETERMINER_WORDS = frozenset("de het een uw ons onze mijn zijn haar hun jouw je deze dit die dat elke elk geen alle".split())


def _subject_length(tokens) -> int | None:
    """Number of tokens of the noun phrase at the start (a rough subject), or None."""
    if not tokens:
        return None
    first = tokens[0]
    if first.lower_ in DETERMINER_WORDS and len(tokens) > 1 and tokens[1].pos_ in ("NOUN", "ADJ", "PROPN", "NUM"):
        n = 1
        while n < len(tokens) and tokens[n].pos_ in ("ADJ", "NUM", "NOUN", "PROPN") and not is_verb(tokens[n]):
            n += 1
            if tokens[n - 1].pos_ in ("NOUN", "PROPN") and (n >= len(tokens) or tokens[n].pos_ not in ("NOUN", "PROPN")):
                break
        return n
    if first.lower_ in ("u", "wij", "we", "ik", "zij", "ze", "hij", "jij", "je", "er") or (
            first.pos_ == "PRON" and first.lower_ not in ("het", "de", "een")):
        return 1
    if first.lower_ == "het" and (len(tokens) == 1 or tokens[1].pos_ not in ("NOUN", "ADJ", "PROPN", "NUM")):
        return 1
    if first.pos_ not in ("DET", "NOUN", "PROPN", "ADJ", "NUM"):
        return None
    n = 0
    while n < len(tokens) and tokens[n].pos_ in ("DET", "ADJ", "NUM", "NOUN", "PROPN") and not is_verb(tokens[n]):
        n += 1
        if tokens[n - 1].pos_ in ("NOUN", "PROPN") and (n >= len(tokens) or tokens[n].pos_ not in ("NOUN", "PROPN")):
            break
    return n or None


def drop_te(tokens) -> list[str] | None:
    """A te-infinitive clause as a bare infinitive clause ('het formulier in te vullen' →
    'het formulier invullen'), as words; None without 'te' + verb."""
    words: list = list(tokens)
    for k, token in enumerate(tokens):
        if token.lower_ == "te" and k + 1 < len(tokens) and (is_verb(tokens[k + 1]) or tokens[k + 1].lower_.endswith("en")):
            if k > 0 and tokens[k - 1].lower_ in PARTICLES and tokens[k - 1].pos_ in ("ADP", "ADV", "ADJ"):
                return words[:k - 1] + [tokens[k - 1].text + tokens[k + 1].text] + words[k + 2:]
            return words[:k] + words[k + 1:]
    return None


# ============================================================================== word lists ========
PREPOSITIONS = frozenset("aan met op over voor van tot naar in bij om uit door tegen".split())
_ARTICLE_SWAP = {("de", "Neut"): "het", ("het", "Com"): "de", ("deze", "Neut"): "dit", ("dit", "Com"): "deze",
                 ("die", "Neut"): "dat", ("dat", "Com"): "die", ("elke", "Neut"): "elk", ("elk", "Com"): "elke",
                 ("welke", "Neut"): "welk", ("welk", "Com"): "welke", ("onze", "Neut"): "ons", ("ons", "Com"): "onze"}
#: Words an alternative may start with that replace the article before the term.
_OWN_DETERMINER = frozenset("de het een wie iemand iets ons onze uw dit deze".split())


def _match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and not original.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _verb_word(words: list[str]) -> int | None:
    """Index of the verb in a base-form phrase ('in dienst nemen' → 2, 'leiding geven aan' → 1)."""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word in PREPOSITIONS and k == len(words) - 1:
            continue
        if word.endswith("en") and len(word) > 3 or word in IRREGULAR_PRESENT or word in ("doen", "gaan", "zien", "staan", "slaan"):
            return k
        return None
    return None


def _clause_end(doc, token):
    """The token before which a particle of a main-clause verb goes (end of the middle field)."""
    j = token.i + 1
    while j < len(doc):
        t = doc[j]
        if t.text in CLAUSE_BREAK or t.pos_ in ("CCONJ", "SCONJ") or t.lower_ in ("om", "die", "dat", "waar") \
                or (is_verb(t) and not is_finite(t)) or t.lower_ == "te":
            return j
        j += 1
    return len(doc)


def _is_subordinate_position(doc, token) -> bool:
    """A finite verb at the end of its clause (subordinate order) rather than in second place."""
    nxt = token.nbor(1) if token.i + 1 < len(doc) else None
    if nxt is None or nxt.text in CLAUSE_BREAK or nxt.pos_ == "CCONJ" or is_verb(nxt):
        j = token.i - 1
        while j >= 0 and doc[j].text not in CLAUSE_BREAK:
            if doc[j].lower_ in SUBORDINATORS and doc[j].pos_ in ("SCONJ", "PRON", "ADV"):
                return True
            j -= 1
        return nxt is None or nxt.text in CLAUSE_BREAK
    return False


def _inflect_alternative(alternative: str, slot: str, kind: str) -> str:
    words = alternative.split()
    if kind == "noun_pl":
        k = next((i for i, w in enumerate(words) if w in PREPOSITIONS), len(words)) - 1
        if k >= 0 and words[k].isalpha():
            words[k] = plural(words[k])
        return " ".join(words)
    if kind == "adj_e":
        k = next((i for i, w in enumerate(words) if w in PREPOSITIONS), len(words)) - 1
        if k >= 0:
            words[k] = adjective_e(words[k])
        return " ".join(words)
    return alternative


def _never_fails(default):
    """A suggestion is a bonus: a bug in making one must never stop a letter from being checked."""
    def wrap(function):
        import functools

        @functools.wraps(function)
        def safe(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:  # noqa: BLE001 - logged nowhere on purpose: the finding stays, without rewrite
                return default() if callable(default) else default
        return safe
    return wrap


@_never_fails(list)
def wordlist_suggestions(entry, first, last, doc, text: str, offset: int) -> list[Suggestion]:
    """Suggestions for a word-list match (tokens first..last of ``doc``; ``offset`` = the block's
    start in ``text``): each alternative inflected to fit the sentence."""
    tokens = doc[first.i:last.i + 1]
    start, end = offset + first.idx, offset + last.idx + len(last.text)
    original = text[start:end]
    protected = protected_texts(doc[max(0, first.i - 3):min(len(doc), last.i + 4)], exclude=list(tokens))
    parts = entry.term.split()
    # which matched token carries an inflection (its form differs from the term's word)
    inflected = None
    for k, (token, part) in enumerate(zip(tokens, parts)):
        if token.lower_ != part:
            inflected = (k, token, part)
            break
    why = entry.why or "Een gewoon woord is makkelijker te begrijpen."
    found: list[Suggestion] = []
    for alternative in entry.alternatives:
        made = _fit_alternative(alternative, inflected, tokens, doc, parts)
        if made is None:
            continue
        s, e, replacement = made
        if replacement.split(" ", 1)[0].lower() in _OWN_DETERMINER and s > 0 and \
                doc[s - 1].lower_ in ("de", "het", "een", "deze", "dit", "die", "dat"):
            s -= 1  # the alternative brings its own article: 'het bevoegd gezag' → 'de overheid die beslist'
        s_abs, e_abs = offset + doc[s].idx, offset + doc[e].idx + len(doc[e].text)
        span_text = text[s_abs:e_abs]
        replacement = _match_case(replacement, span_text)
        description = f"Schrijf '{replacement}' in plaats van '{original}'. {why}"
        suggestion = make_suggestion(text, s_abs, e_abs, replacement, description, protected)
        if suggestion and all(suggestion.replacement != f.replacement for f in found):
            found.append(suggestion)
        if len(found) >= 3:
            break
    return found


def _fit_alternative(alternative: str, inflected, tokens, doc, parts):
    """(first token index, last token index, replacement) for one alternative, or None."""
    first_i, last_i = tokens[0].i, tokens[-1].i
    words = alternative.split()
    if "..." in alternative or "…" in alternative or (words[0] == "zich" and len(words) > 1):
        return None
    nxt = doc[last_i + 1] if last_i + 1 < len(doc) else None
    if parts[0] in TE_VERBS and len(words) == 1 and (words[0] in BARE_MODALS or infinitive_of(words[0]) in BARE_MODALS):
        return _modal_without_te(words[0] if words[0] in BARE_MODALS else infinitive_of(words[0]), tokens[0], doc)
    if len(words) == 1 and words[0] in BARE_MODALS and nxt is not None and nxt.lower_ in ("om", "te"):
        # 'in de gelegenheid zijn om te komen' → 'kunnen komen': a modal takes no 'om … te'
        if not tokens[-1].lower_.endswith(("en", "zijn")):
            return None
        end = nxt.i
        while end < len(doc) and doc[end].text not in CLAUSE_BREAK:
            end += 1
        clause = list(doc[nxt.i + (1 if nxt.lower_ == "om" else 0):end])
        rest = drop_te(clause)
        if rest is None:
            return None
        return first_i, end - 1, join([words[0]] + rest)
    if words[0] in CONJUNCTIONS and len(words) == 1:
        # 'echter' → 'maar' only at the start of a clause, and not before an inverted verb
        before = doc[first_i - 1] if first_i > 0 else None
        if (before is not None and before.text not in ",;") or (nxt is not None and is_finite(nxt)):
            return None
    nxt = doc[last_i + 1] if last_i + 1 < len(doc) else None
    term_tokens = tokens
    object_follows = parts[-1] in PREPOSITIONS
    if words[-1] in PREPOSITIONS and len(words) > 1 and parts[-1] not in PREPOSITIONS \
            and _verb_word(words[:-1] if len(words) > 1 else words) is not None:
        # 'rekening houden met' only fits where the object follows: it replaces the term's own
        # preposition ('anticiperen op de afsluiting'), or the object comes right after ('betreft
        # uw aanvraag' → 'gaat over uw aanvraag'); never before 'dat'
        if nxt is not None and nxt.pos_ == "ADP" and nxt.lower_ != "te":
            last_i = nxt.i
            tokens = doc[first_i:last_i + 1]
        elif nxt is not None and nxt.pos_ in ("DET", "PRON", "NOUN", "PROPN", "NUM") and nxt.lower_ not in SUBORDINATORS:
            object_follows = True
        else:
            return None
    if inflected is None:
        token = term_tokens[0] if len(term_tokens) == 1 else None
        verb_token = next((t for t, p in zip(term_tokens, parts) if p.endswith("en") and is_verb(t)), None)
        if verb_token is not None and first_i > 0 and doc[first_i - 1].lower_ == "te":
            return _te_alternative(words, doc, first_i, last_i)
        term_verb = next((p for t, p in zip(term_tokens, parts) if verb_token is not None and t.i == verb_token.i), "")
        if verb_token is not None and verb_forms(term_verb)["part"] == verb_token.lower_ and _after_auxiliary(doc, verb_token):
            # 'heeft … ontvangen': the participle looks like the infinitive
            v = _verb_word(words)
            if v is None:
                return None
            return first_i, last_i, " ".join(words[:v] + [verb_forms(words[v])["part"]] + words[v + 1:])
        if verb_token is not None and verb_token.i == term_tokens[-1].i and not object_follows and (
                nxt is None or nxt.text in CLAUSE_BREAK or is_verb(nxt)):
            return first_i, last_i, alternative  # verb-final: the base phrase fits as it is
        finite_here = verb_token is not None and verb_token.lower_.endswith("en") and (
            is_finite(verb_token) or (verb_token.i > 0 and doc[verb_token.i - 1].lower_ in ("wij", "we", "zij", "ze", "jullie")))
        if finite_here:
            if len(term_tokens) > 1 and verb_token.i != term_tokens[0].i:
                return None
            return _finite_alternative(alternative, "inf", verb_token, doc, first_i, last_i,
                                       object_follows=object_follows)
        if token is not None and tokens[0].i > 0 and doc[first_i - 1].lower_ == "te" and is_verb(token):
            return _te_alternative(words, doc, first_i, last_i)
        if token is not None and is_finite(token) and _verb_word(words) is None:
            return None  # 'betreft' → 'onderwerp': a noun cannot take the verb's place
        if token is not None and (token.pos_ in ("NOUN", "PROPN", "X") or (
                first_i > 0 and doc[first_i - 1].pos_ in ("DET", "ADJ") and not is_verb(token))):
            return _noun_with_article(alternative, token, doc, first_i, last_i)
        return first_i, last_i, alternative
    k, token, part = inflected
    verbish = part.endswith("n") and (is_verb(token) or token.lower_ in verb_forms(part).values())
    if verbish:
        forms = verb_forms(part)
        slots = [slot for slot, form in forms.items() if form == token.lower_]
        verb_form = token.morph.get("VerbForm")
        if "Part" in verb_form or "WW|vd" in token.tag_:
            slots = [s for s in slots if s.startswith(("part", "prespart"))] or ["part_e" if token.lower_.endswith("e") else "part"]
        elif is_finite(token):
            slots = [s for s in slots if s in ("stem", "stem_t", "past_sg", "past_pl", "inf")] or [finite_slot(token)]
        if not slots:
            return None
        slot = slots[0]
        if "stem" in slots and "stem_t" in slots and is_finite(token):
            slot = _stem_slot(token)  # 'acht' is stem and stem_t of 'achten': 'de gemeente acht' → 'vindt'
        v = _verb_word(words)
        if v is None:
            return None
        if slot in ("stem", "stem_t", "past_sg", "past_pl", "inf") and is_finite(token):
            if len(term_tokens) > 1 and k != 0:
                return None  # a finite verb inside a phrase ('in overweging neemt'): order too varied
            return _finite_alternative(alternative, slot, token, doc, first_i, last_i,
                                       object_follows=object_follows)
        if slot in ("part_e", "prespart_e") and len(words) > 1:
            return None  # an attributive participle takes no phrase: 'een onderscheid gemaakte samenstelling'
        form = verb_forms(words[v])[slot]
        return first_i, last_i, " ".join(words[:v] + [form] + words[v + 1:])
    if token.pos_ == "NOUN" or "Plur" in token.morph.get("Number") or token.lower_ == plural(part):
        if token.lower_.startswith(part[:max(3, len(part) - 2)]) and token.lower_ != part:
            return first_i, last_i, _inflect_alternative(alternative, "", "noun_pl")
    if token.lower_ in (part + "e", adjective_e(part)):
        if any(w in PREPOSITIONS for w in words):
            return None  # 'een gefaseerde ontwikkeling' takes no 'in stappen' or 'stap voor stap'
        return first_i, last_i, _inflect_alternative(alternative, "", "adj_e")
    return None


def _stem_slot(token) -> str:
    """'stem' or 'stem_t' for a present singular whose stem ends in t ('ik acht', 'hij acht'),
    from its subject: 'ik', and 'jij'/'je' after the verb, take the bare stem."""
    subject = next((c for c in token.children if c.dep_.startswith("nsubj")), None)
    if subject is None:
        return "stem_t"
    if subject.lower_ == "ik" or (subject.lower_ in ("jij", "je") and subject.i > token.i):
        return "stem"
    return "stem_t"


PERFECT_AUXILIARIES = frozenset("heeft hebben hebt heb had hadden is zijn ben bent was waren wordt worden werd werden".split())


def _after_auxiliary(doc, token) -> bool:
    j = token.i - 1
    while j >= 0 and doc[j].text not in CLAUSE_BREAK:
        if doc[j].lower_ in PERFECT_AUXILIARIES:
            return True
        j -= 1
    return False


TE_VERBS = frozenset({"dienen", "dient", "dien", "diende", "dienden", "behoeven"})
BARE_MODALS = frozenset({"moeten", "kunnen", "mogen", "willen", "hoeven"})
CONJUNCTIONS = frozenset({"maar", "want"})  # clause conjunctions ('en' and 'of' also join words)


def _modal_without_te(modal: str, token, doc):
    """'dient … te worden ingevuld' → 'moet … worden ingevuld': the modal takes no 'te'."""
    slot = next((sl for sl, form in verb_forms(token.lemma_.lower() if token.lemma_.lower() in TE_VERBS else "dienen").items()
                 if form == token.lower_), None) or finite_slot(token)
    end = token.i + 1
    while end < len(doc) and doc[end].text not in CLAUSE_BREAK:
        end += 1
    words = drop_te(list(doc[token.i + 1:end]))
    if words is None or slot not in ("stem", "stem_t", "inf", "past_sg", "past_pl"):
        return None
    finite = conjugate(modal, slot)[0]
    return token.i, end - 1, join([finite] + words)


def _te_alternative(words, doc, first_i, last_i):
    verbs = [k for k, w in enumerate(words) if _verb_word([w]) == 0 and w not in PREPOSITIONS]
    if not verbs:
        return first_i, last_i, " ".join(words)
    v = verbs[-1]
    particle, base = split_particle(words[v])
    if not particle and v == 0:
        return first_i, last_i, " ".join(words)
    if len(verbs) > 1:
        # 'laten vallen' → 'te laten vallen': 'te' goes before the first verb of the cluster
        v = verbs[0]
        return first_i - 1, last_i, " ".join(words[:v] + ["te"] + words[v:])
    new = words[:v] + ([particle] if particle else []) + ["te", base] + words[v + 1:]
    return first_i - 1, last_i, " ".join(new)


def _finite_alternative(alternative, slot, token, doc, first_i, last_i, object_follows=False):
    """A finite verb alternative in place: joined at the end of a subordinate clause ('dat u het
    aanvraagt'), split in a main clause ('u vraagt het aan', 'wij laten het doorlopen')."""
    words = alternative.split()
    verbs = [k for k, w in enumerate(words) if _verb_word([w]) == 0 and w not in PREPOSITIONS]
    if not verbs:
        return None
    if _is_subordinate_position(doc, token):
        v = verbs[-1]
        if len(verbs) > 1:
            return None
        return first_i, last_i, " ".join(words[:v] + [verb_forms(words[v])[slot]] + words[v + 1:])
    v = verbs[0]  # 'laten doorlopen': the first verb is finite, the rest goes to the end
    finite, particle = conjugate(words[v], slot)
    before, after = words[:v], words[v + 1:]
    if object_follows:
        # the term ended in a preposition and its object follows: 'doen een beroep op het …'
        return first_i, last_i, " ".join([finite] + before + ([particle] if particle else []) + after)
    tail = " ".join(before + ([particle] if particle else []) + after)
    if not tail:
        return first_i, last_i, finite
    if words[-1] in PREPOSITIONS:
        return None
    end = _clause_end(doc, token)
    if end - token.i > 12:
        return None
    middle = doc[token.i + 1:end]
    replacement = join([finite] + list(middle) + [tail])
    return first_i, (end - 1 if end > token.i + 1 else last_i), _tidy(replacement)


#: Determiners after which a singular het-word's adjective has no -e ('een nieuw plan').
_INDEFINITE = frozenset("een geen uw ons onze mijn zijn haar hun elk welk".split())


@lru_cache(maxsize=1)
def _gender_hints() -> dict[str, str]:
    """Genders shown by our own word list: 'de X' / 'het X' in the better examples."""
    votes: dict[str, Counter] = {}
    try:
        from .rules import get_rules

        rules = get_rules().rules
    except Exception:
        return {}
    for rule in rules:
        for entry in rule.entries:
            for match in re.finditer(r"\b(de|het)\s+(?:\w+e\s+)?(\w+)", entry.better or "", re.IGNORECASE):
                votes.setdefault(match.group(2).lower(), Counter())[
                    "Com" if match.group(1).lower() == "de" else "Neut"] += 1
    return {w: c.most_common(1)[0][0] for w, c in votes.items() if len(c) == 1}


def gender_of(noun: str) -> str | None:
    return _gender_hints().get(noun) or noun_gender(noun)


def adjective_base(form: str) -> str:
    """'grote' → 'groot', 'belangrijke' → 'belangrijk', 'dunne' → 'dun' (inverse of adjective_e)."""
    if not form.endswith("e") or len(form) < 4:
        return form
    root = form[:-1]
    candidates = [root]
    if len(root) >= 2 and root[-1] == root[-2]:
        candidates.append(root[:-1])
    devoiced = root[:-1] + _DEVOICE.get(root[-1], root[-1])
    candidates.append(devoiced)
    if len(root) >= 2 and root[-2] in "aeou" and (len(root) < 3 or root[-3] not in _VOWELS):
        candidates.append(devoiced[:-2] + devoiced[-2] * 2 + devoiced[-1])
    fitting = [c for c in candidates if adjective_e(c) == form]
    return best(fitting or candidates)


@lru_cache(maxsize=512)
def _is_adjective_noun(phrase: str) -> bool:
    """'speciaal team': an adjective before a noun (tagged in a neutral frame)."""
    from .nlp import get_nlp

    doc = get_nlp()(f"een {phrase}")
    return len(doc) == 3 and doc[1].pos_ == "ADJ" and doc[2].pos_ == "NOUN"


def _noun_with_article(alternative, token, doc, first_i, last_i):
    """Make the article and adjectives agree with the new noun's gender ('de beschikking' →
    'het besluit', 'een belangrijk criterium' → 'een belangrijke eis')."""
    words = alternative.split()
    head = words[0] if any(w in PREPOSITIONS for w in words) else words[-1]
    if len(words) > 1 and words[0] in ("de", "het", "een"):
        return first_i, last_i, alternative
    j = first_i - 1
    while j >= 0 and doc[j].pos_ == "ADJ":
        j -= 1
    if j < 0 or "Plur" in token.morph.get("Number"):
        return first_i, last_i, alternative
    det = doc[j].lower_
    gender = gender_of(head.lower())
    old_gender = "Neut" if det in ("het", "dit", "dat", "elk", "welk", "ons") else (
        "Com" if det in ("de", "deze", "die", "elke", "welke", "onze") else None)
    if gender is None:
        return first_i, last_i, alternative
    adjectives = list(doc[j + 1:first_i])
    if det in _INDEFINITE and adjectives:
        changed = [adjective_base(a.text) if gender == "Neut" else adjective_e(a.text) for a in adjectives]
        swap = _ARTICLE_SWAP.get((det, gender), doc[j].text)
        return j, last_i, " ".join([_match_case(swap, doc[j].text)] + changed + [alternative])
    if det not in _INDEFINITE and len(words) == 2 and words[0].isalpha() and words[0][-1] not in _VOWELS \
            and not words[0].endswith("en") and _is_adjective_noun(alternative):
        # an adjective in the alternative takes -e after a definite article: 'de taskforce' →
        # 'het speciale team', not 'het speciaal team'
        alternative = f"{adjective_e(words[0])} {words[1]}"
    swap = _ARTICLE_SWAP.get((det, gender))
    if swap is None or old_gender == gender:
        return first_i, last_i, alternative
    return j, last_i, " ".join([_match_case(swap, doc[j].text)] + [a.text for a in adjectives] + [alternative])


# ================================================================================== passive ========
AGENT_PRONOUNS = {"ons": "wij", "mij": "ik", "me": "ik", "hen": "zij", "hem": "hij", "haar": "zij", "u": "u", "jou": "jij"}


#: Participles that say how something is, not what somebody did ('is bestemd voor', 'is gelegen').
STATIVE_PARTICIPLES = frozenset("""bestemd gelegen bekend verplicht gewend geïnteresseerd betrokken verbonden
genoodzaakt gevestigd gebaseerd gericht verzekerd gehuwd getrouwd gescheiden gewenst gemotiveerd verdeeld
bedoeld inbegrepen opgenomen gesloten geopend toegestaan verboden""".split())


def _clause_bounds(sentence_tokens, token) -> tuple[int, int]:
    """Index range (in the sentence's token list) of the clause around ``token``."""
    index = next(k for k, t in enumerate(sentence_tokens) if t.i == token.i)
    start = index
    while start > 0 and sentence_tokens[start - 1].text not in CLAUSE_BREAK:
        if sentence_tokens[start - 1].pos_ == "CCONJ":
            before = start - 2
            segment = []
            while before >= 0 and sentence_tokens[before].text not in CLAUSE_BREAK and sentence_tokens[before].pos_ != "CCONJ":
                segment.append(sentence_tokens[before])
                before -= 1
            if any(is_finite(t) for t in segment):
                break  # two clauses: 'X is gedaan en Y wordt gedaan'
        start -= 1
    end = index
    while end + 1 < len(sentence_tokens) and sentence_tokens[end + 1].text not in CLAUSE_BREAK \
            and sentence_tokens[end + 1].pos_ != "CCONJ":
        end += 1
    return start, end + 1


def _agent(clause, participle):
    """(tokens of 'door …', the agent as a subject) or (None, None)."""
    for k, token in enumerate(clause):
        if token.lower_ != "door" or k + 1 >= len(clause):
            continue
        np = []
        for t in clause[k + 1:]:
            if t.i == participle.i or is_verb(t) or t.text in CLAUSE_BREAK or t.pos_ in ("SCONJ", "CCONJ") \
                    or (t.pos_ == "ADP" and t.lower_ != "van"):
                break
            np.append(t)
        while np and np[-1].lower_ == "van":
            np.pop()
        if not np:
            continue
        if len(np) == 1 and np[0].lower_ in AGENT_PRONOUNS:
            return [token] + np, AGENT_PRONOUNS[np[0].lower_]
        if np[0].pos_ in ("DET", "NOUN", "PROPN", "NUM") or np[0].lower_ in ("de", "het", "een"):
            return [token] + np, join(np)
    return None, None


@_never_fails(None)
def passive_suggestion(sentence_tokens, aux, participle, text: str, offset: int) -> Suggestion | None:
    """Passive → active: 'Uw aanvraag wordt door ons beoordeeld' → 'Wij beoordelen uw aanvraag'.
    The agent is the 'door …' phrase, else 'wij' (the municipality writes the letter)."""
    tokens = [t for t in sentence_tokens if not t.is_space]
    if not tokens or participle.i == aux.i:
        return None
    start, end = _clause_bounds(tokens, aux)
    clause = tokens[start:end]
    ids = [t.i for t in clause]
    if participle.i not in ids:
        return None
    finite = aux if is_finite(aux) else next((t for t in clause if is_finite(t) and t.i != participle.i), None)
    if finite is None:
        return None
    fin_lemma = finite.lemma_.lower()
    if participle.lower_ in STATIVE_PARTICIPLES and finite.lemma_.lower() != "worden" and finite.lower_ not in ("wordt", "worden", "werd", "werden"):
        return None
    if finite.lower_ in ("wordt", "worden", "werd", "werden", "word"):
        tense = "simple"
    elif finite.lower_ in ("is", "zijn", "was", "waren", "ben", "bent") and aux.i == finite.i:
        tense = "perfect"
    elif fin_lemma in ("zullen", "kunnen", "moeten", "mogen", "willen", "gaan") and aux.lower_ in ("worden",):
        tense = "modal"
    else:
        return None
    past = finite.lower_ in ("werd", "werden", "was", "waren") or "Past" in finite.morph.get("Tense")
    agent_tokens, agent = _agent(clause, participle)
    assumed = agent is None
    if assumed:
        agent = "wij"
    infinitive = infinitive_of(participle.lower_, participle.lemma_)
    if not infinitive.endswith("n") or frequency(infinitive) == 0:
        return None
    removed = {finite.i, aux.i, participle.i} | {t.i for t in agent_tokens or []}
    subordinate = clause[0].lower_ in SUBORDINATORS and clause[0].pos_ in ("SCONJ", "PRON", "ADV") and clause[0].i != finite.i
    body = clause[1:] if subordinate else clause
    fin_pos = next(k for k, t in enumerate(body) if t.i == finite.i)
    # the subject: before the finite verb (main clause, subject first) or right after it
    subject: list = []
    lead: list = []
    if subordinate:
        if clause[0].lower_ in ("die", "dat", "welke") and clause[0].pos_ == "PRON" and (
                len(body) < 2 or body[0].pos_ not in ("DET", "NOUN", "PROPN", "PRON")):
            subject = []  # the relative pronoun is the subject; it stays in front
        else:
            n = _subject_length([t for t in body if t.i not in removed])
            if n is None:
                return None
            subject = [t for t in body if t.i not in removed][:n]
    elif fin_pos == 0:
        return None  # a question or command: leave it
    else:
        before = body[:fin_pos]
        if before[0].lower_ == "er" and len(before) == 1:
            lead = []
            removed.add(before[0].i)
            after = [t for t in body[fin_pos + 1:] if t.i not in removed]
            n = _subject_length(after)
            subject = after[:n] if n else []
        elif _subject_length(before) == len(before):
            subject = before
        else:
            lead = before
            after = [t for t in body[fin_pos + 1:] if t.i not in removed]
            if after and after[0].lower_ == "er":
                removed.add(after[0].i)
                after = after[1:]
            n = _subject_length(after)
            if n is None or after[0].pos_ == "NUM":
                return None
            subject = after[:n]
    if subject and subject[0].lower_ in ("wij", "we", "ik", "zij", "ze", "het", "dit", "dat") \
            or agent.lower() in [t.lower_ for t in subject]:
        return None  # 'het is niet toegestaan': no action of anybody
    subject_ids = {t.i for t in subject}
    if subject and len(subject) == 1 and subject[0].lower_ in PERSONAL_OBJECT:
        object_text = PERSONAL_OBJECT[subject[0].lower_]
    elif subject:
        object_text = join(subject)
        if subject[0].is_sent_start:
            object_text = lower_first(object_text, subject[0])
    else:
        object_text = ""
    # the verb forms of the active sentence
    slot = subject_slot(agent, past)
    particle = ""
    if tense == "simple":
        finite_new, particle = conjugate(infinitive, slot)
        nonfinite = particle
        cluster_sub = verb_forms(infinitive)[slot]
    elif tense == "perfect":
        finite_new = conjugate("hebben", slot)[0]
        nonfinite = participle.text
        cluster_sub = finite_new + " " + participle.text
    else:
        finite_new = conjugate(fin_lemma, slot)[0]
        nonfinite = infinitive
        cluster_sub = finite_new + " " + infinitive
    agent_text = agent if not agent_tokens or agent in AGENT_PRONOUNS.values() else join(agent_tokens[1:])
    middle = [t for t in body if t.i not in removed and t.i not in subject_ids and t.lower_ != "worden"
              and not (lead and t in lead)]
    # nonfinite verbs go where the participle was (before extraposed phrases)
    where = next((k for k, t in enumerate(middle) if t.i > participle.i), len(middle))
    if subordinate:
        pieces = [clause[0].text, agent_text, object_text] + list(middle[:where]) + [cluster_sub] + list(middle[where:])
    else:
        first_part = [join(lead), finite_new, agent_text] if lead else [agent_text, finite_new]
        pieces = first_part + [object_text] + list(middle[:where]) + [nonfinite] + list(middle[where:])
    replacement = join(pieces)
    if clause[0].is_sent_start or (start == 0):
        replacement = capitalize(replacement)
    span_start = offset + clause[0].idx
    span_end = offset + clause[-1].idx + len(clause[-1].text)
    who = f"'{agent_text}'"
    why = (f"Zeg wie iets doet: {who}. Wij nemen aan dat de gemeente het doet; pas dat aan als het niet klopt."
           if assumed else f"Zeg wie iets doet: {who}. Een actieve zin is korter en duidelijker.")
    description = f"Maak de zin actief: {quoted_sentences(replacement)} {why}"
    return make_suggestion(text, span_start, span_end, replacement, description, protected_texts(clause))


# ============================================================================ naamwoordstijl =======
#: Actions of the resident; the others are done by the municipality ('wij').
RESIDENT_VERBS = frozenset("""indienen aanvragen invullen insturen opsturen betalen versturen ondertekenen
melden inleveren aanleveren doen afspreken verhuizen aanmelden inschrijven uitbreiden bouwen verbouwen
plaatsen maken aanvullen toesturen terugsturen opzeggen gebruiken kopen parkeren""".split())
#: Fixed rewrites of a verb + object: (verb, object noun) → (object, verb).
LEXICAL = {("indienen", "bezwaarschrift"): ("bezwaar", "maken"), ("indienen", "bezwaar"): ("bezwaar", "maken"),
           ("aantekenen", "beroep"): ("in beroep", "gaan"), ("instellen", "beroep"): ("in beroep", "gaan"),
           ("doen", "aanvraag"): ("", "aanvragen"), ("indienen", "aanvraag"): ("", "aanvragen")}
_PREPOSITION_CLAUSE = {"voor": "om", "na": "nadat", "sinds": "sinds", "tijdens": "terwijl", "bij": "als",
                       "zonder": "zonder dat", "over": "over hoe"}


def _verb_of_noun(noun) -> str | None:
    word = noun.lower_
    if word.endswith("en") and noun.pos_ in ("VERB", "NOUN"):
        return word if frequency(word) > 0 else None
    if word.endswith("ing"):
        options = [o for o in _infinitives_from_root(word[:-3]) if frequency(o) > 0]
        return best(options) if options else None
    return None


@_never_fails(None)
def nominalisation_suggestion(tokens, k: int, text: str, offset: int) -> Suggestion | None:
    """Naamwoordstijl → verb: 'Voor het indienen van een bezwaarschrift heeft u …' → 'Om bezwaar te
    maken heeft u …'; 'Na de beoordeling van uw aanvraag krijgt u …' → 'Nadat wij uw aanvraag
    hebben beoordeeld, krijgt u …'. ``k`` indexes the article in ``tokens`` (a block's Doc)."""
    article, noun = tokens[k], tokens[k + 1]
    if k == 0:
        return None
    preposition = tokens[k - 1]
    conjunction = _PREPOSITION_CLAUSE.get(preposition.lower_)
    verb = _verb_of_noun(noun)
    if conjunction is None or verb is None:
        return None
    if conjunction == "om" and not preposition.is_sent_start:
        return None  # 'stemmen voor de verkiezing van': 'voor' is no purpose here
    np = []
    for t in tokens[k + 3:]:
        if is_verb(t) and not t.pos_ == "ADJ" or t.text in CLAUSE_BREAK or t.pos_ in ("ADP", "CCONJ", "SCONJ"):
            break
        np.append(t)
    if not np or len(np) > 6 or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in np):
        return None
    after = tokens[k + 3 + len(np)] if k + 3 + len(np) < len(tokens) else None
    obj = join(np)
    head = next((t.lower_ for t in reversed(np) if t.pos_ == "NOUN"), "")
    lexical = LEXICAL.get((verb, head))
    if lexical:
        obj, verb = lexical
    agent = "u" if verb in RESIDENT_VERBS or (lexical and verb in ("maken", "gaan", "aanvragen")) else "wij"
    particle, base = split_particle(verb)
    if conjunction == "om":
        clause = [conjunction, obj] + ([particle] if particle else []) + ["te", base]
    elif conjunction == "over hoe":
        clause = [conjunction, agent, obj, "kunt" if agent == "u" else "kunnen", verb]
    elif conjunction in ("nadat", "sinds"):
        have = "heeft" if agent == "u" else "hebben"
        clause = [conjunction, agent, obj, have, verb_forms(verb)["part"]]
    else:
        clause = [conjunction, agent, obj, verb_forms(verb)["stem_t" if agent == "u" else "inf"]]
    replacement = join(clause)
    if after is not None and is_finite(after) and preposition.is_sent_start and conjunction != "om":
        replacement += ","
    if preposition.text[:1].isupper():
        replacement = capitalize(replacement)
    start = offset + preposition.idx
    end = offset + np[-1].idx + len(np[-1].text)
    description = (f"Gebruik een werkwoord: '{replacement.rstrip(',')}' in plaats van "
                   f"'{text[start:end]}'. Met het werkwoord zelf wordt de zin korter en staat erin wie iets doet.")
    return make_suggestion(text, start, end, replacement, description, protected_texts(tokens[k - 1:k + 3 + len(np)]))


# ============================================================================= long sentences ======
#: Relative and linking words at a joint → the word that starts the new sentence.
LINK_WORDS = {"waarna": "Daarna", "waardoor": "Daardoor", "waarbij": "Daarbij", "waarmee": "Daarmee",
              "waarin": "Daarin", "waarop": "Daarop", "waarvoor": "Daarvoor", "waarover": "Daarover",
              "waaruit": "Daaruit", "waarvan": "Daarvan", "waaraan": "Daaraan", "zodat": "Zo",
              "die": "Die", "dat": "Dat", "welke": "Die"}
COORDINATORS = {"en": "", "maar": "Maar", "want": "Want", "dus": "Dus"}
MIN_PART_WORDS = 4


def _words(tokens) -> int:
    return sum(1 for t in tokens if any(ch.isalnum() for ch in t.text))


def _has_finite(tokens) -> bool:
    return any(is_finite(t) for t in tokens)


def _joints(tokens) -> list[tuple[int, str]]:
    """(index, kind) of the places where a sentence can be split."""
    found = []
    for k, t in enumerate(tokens):
        if k == 0 or k >= len(tokens) - 2:
            continue
        prev = tokens[k - 1]
        if t.text == ";":
            found.append((k, "semicolon"))
        elif t.lower_ in COORDINATORS and t.pos_ == "CCONJ":
            found.append((k, "coordination"))
        elif prev.text == "," and t.lower_ in LINK_WORDS and (t.lower_ not in ("die", "dat", "welke") or t.pos_ == "PRON"):
            found.append((k, "link"))
        elif prev.text == "," and t.lower_ == "omdat":
            found.append((k, "omdat"))
    return found


def _split_at(tokens, k: int, kind: str) -> tuple[str, str] | None:
    """Two sentences from a split at tokens[k], or None when a part would not be a full sentence."""
    left = tokens[:k]
    while left and left[-1].text in ",;":
        left = left[:-1]
    rest = tokens[k + 1:] if kind != "semicolon" else tokens[k + 1:]
    final = ""
    if rest and rest[-1].text in ".!?":
        final, rest = rest[-1].text, rest[:-1]
    if _words(left) < MIN_PART_WORDS or _words(rest) < MIN_PART_WORDS or not _has_finite(left):
        return None
    tail_after = []
    if kind == "link":
        # an embedded clause ends at the next comma, after which the main clause goes on
        close = next((m for m, t in enumerate(rest) if t.text == ","), None)
        clause = rest
        if close is not None and _has_finite(rest[close + 1:]) and not _has_finite(rest[:close]) is False:
            clause, tail_after = rest[:close], rest[close + 1:]
        first_word = LINK_WORDS[tokens[k].lower_]
        second = to_main_clause(clause, first_word)
        if second is None:
            return None
        if tail_after:
            main = join(list(left) + list(tail_after))
            return main + (final or "."), second + (final or ".")
        return join(left) + ".", second + (final or ".")
    if kind == "omdat":
        if not _has_finite(rest):
            return None
        return join(left) + ".", "Dat is omdat " + join(rest) + (final or ".")
    if kind == "coordination":
        word = COORDINATORS[tokens[k].lower_]
        if not rest or not _has_finite(rest):
            return None
        if is_finite(rest[0]):
            # the second clause shares the subject: 'Wij hebben … en zullen …' → 'Wij zullen …'
            if left[0].lower_ not in ("wij", "we", "ik", "u", "zij", "ze", "hij", "jij", "je") or not is_finite(left[1]):
                return None
            subject = lower_first(left[0].text, left[0])
            second = join([word, subject, *rest]) if word else join([left[0].text, *rest])
        else:
            n = _subject_length(list(rest))
            if n is None or n >= len(rest) or not is_finite(rest[n]):
                return None  # 'Taal en Rekenen': not two clauses
            second = join([word, *rest]) if word else join(rest)
        return join(left) + ".", capitalize(second) + (final or ".")
    second = join(rest)
    return join(left) + ".", capitalize(second) + (final or ".")


_PRIORITY = {"semicolon": 0, "link": 1, "coordination": 2, "omdat": 3}


def split_sentence(sentence_text: str, limit: int, depth: int = 0) -> list[str] | None:
    """A long sentence as shorter full sentences (split at ';', relative and linking words,
    'en'/'maar' between clauses, ', omdat'), or None when there is no good joint."""
    from .nlp import get_nlp

    doc = get_nlp()(sentence_text)
    tokens = [t for t in doc if not t.is_space]
    options = []
    for k, kind in _joints(tokens):
        parts = _split_at(tokens, k, kind)
        if parts is None:
            continue
        balance = abs(_words(tokens[:k]) - _words(tokens[k:]))
        options.append((_PRIORITY[kind], balance, parts))
    if not options:
        return None
    options.sort(key=lambda o: (o[0], o[1]))
    result = []
    for part in options[0][2]:
        words = len(re.findall(r"\w+", part))
        more = split_sentence(part, limit, depth + 1) if words > limit and depth < 3 else None
        result.extend(more or [part])
    return result


def quoted_sentences(text: str) -> str:
    """'Tekst.' in a description: one full stop, not "'Tekst.'." after a quoted sentence."""
    return f"'{text}'" if text.rstrip()[-1:] in ".!?" else f"'{text}'."


@_never_fails(None)
def sentence_split_suggestion(sentence, text: str, limit: int) -> Suggestion | None:
    """BC101: the long sentence split into full sentences at the right joints."""
    original = sentence.text
    parts = split_sentence(original, limit)
    if not parts or len(parts) < 2:
        return None
    replacement = " ".join(capitalize(p) for p in parts)
    description = (f"Maak er {len(parts)} zinnen van: {quoted_sentences(replacement)} "
                   "Korte zinnen met één boodschap zijn makkelijker te volgen.")
    end = _with_final_mark(text, sentence.end, replacement)
    return make_suggestion(text, sentence.start, end, replacement, description, protected_texts(sentence.span))


# ========================================================================= formulas (pattern) ====
_NOUN_OPENING = {"brief": "U stuurde ons{date} een brief.", "schrijven": "U stuurde ons{date} een brief.",
                 "e-mail": "U stuurde ons{date} een e-mail.", "mail": "U stuurde ons{date} een e-mail.",
                 "verzoek": "U stuurde ons{date} een verzoek.", "aanvraag": "U deed{date} een aanvraag.",
                 "telefoontje": "U belde ons{date}.", "telefoongesprek": "Wij spraken elkaar{date} aan de telefoon."}
_OPENING = re.compile(
    r"(?P<lead>naar aanleiding van|in antwoord op|in reactie op|onder verwijzing naar|refererend aan|"
    r"met referte aan|met betrekking tot)\s+(?:uw|ons|het)\s+(?P<noun>schrijven|brief|e-mail|mail|verzoek|"
    r"aanvraag|telefoontje|telefoongesprek)(?P<date>(?:\s+(?:van|d\.d\.|dd\.|gedateerd)\s+[^,]*?\d{4}|"
    r"\s+van\s+\d{1,2}\s+\w+))?", re.IGNORECASE)


def _sentence_of(analysis, start: int):
    for sentence in analysis.sentences:
        if sentence.start <= start < sentence.end + 1:
            return sentence
    return None


def _tokens_from(sentence, offset_start: int):
    block_start = sentence.block.start
    return [t for t in sentence.span if block_start + t.idx >= offset_start and not t.is_space]


def _opening(finding, analysis, text):
    """'Naar aanleiding van uw brief van 3 maart laten wij u weten …' → 'U stuurde ons op 3 maart
    een brief. Wij laten u weten …'."""
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    if finding.text.lower() == "uw schrijven":
        return "uw brief", finding.start, finding.end, "'Schrijven' als zelfstandig naamwoord is ambtelijk."
    match = _OPENING.match(text, sentence.start, sentence.end) if finding.start == sentence.start else None
    if match is None:
        return None
    date = (match.group("date") or "").strip()
    date = re.sub(r"^(?:van|d\.d\.|dd\.|gedateerd)\s+", "", date)
    first = _NOUN_OPENING[match.group("noun").lower()].format(date=f" op {date}" if date else "")
    rest = _tokens_from(sentence, match.end())
    sentences = [first]
    if rest and rest[0].text == ",":
        rest = rest[1:]
        close = next((m for m, t in enumerate(rest) if t.text == ","), None)
        if close is None or not rest or rest[0].lower_ not in LINK_WORDS:
            return None
        embedded = to_main_clause(rest[1:close], LINK_WORDS[rest[0].lower_])
        if embedded is None:
            return None
        sentences.append(embedded + ".")
        rest = rest[close + 1:]
    final = rest[-1].text if rest and rest[-1].text in ".!?" else "."
    body = rest[:-1] if rest and rest[-1].text in ".!?" else rest
    if not body or not is_finite(body[0]):
        return None
    # inversion after the fronted phrase: 'laten wij u weten' → 'Wij laten u weten'
    n = _subject_length(body[1:])
    if n is None:
        return None
    subject = join(body[1:1 + n])
    main = join([capitalize(subject), body[0].text] + list(body[1 + n:]))
    if re.fullmatch(r"(?:ik|wij|we) (?:kan|kunnen) u het volgende (?:melden|mededelen)", main, re.IGNORECASE):
        main = ""  # 'Ik kan u het volgende melden' says nothing: the next paragraph says it
    replacement = " ".join(sentences + ([capitalize(main) + final] if main else []))
    return replacement, sentence.start, sentence.end, (
        "Begin met wat de lezer deed of vroeg, in gewone woorden. Dan weet hij meteen waar de brief over gaat.")


def _formula_dat(finding, analysis, text):
    """'Wij delen u mede dat uw aanvraag is goedgekeurd.' → 'Uw aanvraag is goedgekeurd.'"""
    if not finding.text.lower().rstrip().endswith(("dat", "erop dat")):
        return None
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    before = text[sentence.start:finding.start].strip()
    if before and not re.fullmatch(r"hierbij,?", before, re.IGNORECASE):
        return None
    rest = _tokens_from(sentence, finding.end)
    final = rest[-1].text if rest and rest[-1].text in ".!?" else "."
    body = rest[:-1] if rest and rest[-1].text in ".!?" else rest
    main = to_main_clause(body) or _not_allowed_text(join(body))
    if main is None:
        return None
    replacement = ("Let op: " + main if finding.code == "BC332" else capitalize(main)) + final
    return replacement, sentence.start, sentence.end, "Zeg meteen wat er aan de hand is; de formule ervoor is overbodig."


_INFINITIVE_REQUEST = re.compile(
    r"(?P<lead>(?:u\s+wordt|wordt\s+u)(?:\s+hierbij)?(?:\s+vriendelijk)?\s+verzocht|(?:hierbij\s+)?(?:wij|we)\s+"
    r"verzoeken\s+u(?:\s+beleefd|\s+vriendelijk)?|verzoeken\s+(?:wij|we)\s+u(?:\s+beleefd|\s+vriendelijk)?|"
    r"gelieve|gelieven|verzoeke)(?:\s+om)?\s", re.IGNORECASE)


def _request(finding, analysis, text):
    """'U wordt verzocht het formulier in te vullen.' → 'Wilt u het formulier invullen?'"""
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None or finding.start != sentence.start:
        return None
    match = _INFINITIVE_REQUEST.match(text, sentence.start, sentence.end)
    if match is None:
        return None
    rest = _tokens_from(sentence, match.end())
    body = rest[:-1] if rest and rest[-1].text in ".!?" else rest
    if any(t.text in ",;" for t in body):
        return None
    words = drop_te(body)
    if words is None:
        return None
    return ("Wilt u " + join(words) + "?", sentence.start, sentence.end,
            "Vraag het de lezer rechtstreeks en vriendelijk.")


_MUST = re.compile(r"\b(?P<subject>u|je|jij)\s+(?P<verb>dient|dienen)\b|\b(?P<verb2>dient|dien)\s+(?P<subject2>u|je|jij)\b",
                   re.IGNORECASE)


def _must(finding, analysis, text):
    """'U dient het formulier in te vullen' → 'U moet het formulier invullen'; 'dient te worden
    ingevuld' → 'moet worden ingevuld'."""
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    tokens = [t for t in sentence.span if not t.is_space]
    block_start = sentence.block.start
    dient = next((t for t in tokens if block_start + t.idx >= finding.start and t.lower_ in ("dient", "dienen", "diende", "dienden", "dien")), None)
    if dient is None:
        return None
    after = [t for t in tokens if t.i > dient.i]
    end_index = next((m for m, t in enumerate(after) if t.text in CLAUSE_BREAK), len(after))
    clause = after[:end_index]
    words = drop_te(clause)
    if words is None:
        return None
    moet = {"dient": "moet", "dien": "moet", "dienen": "moeten", "diende": "moest", "dienden": "moesten"}[dient.lower_]
    replacement = join([_match_case(moet, dient.text)] + words)
    start = block_start + dient.idx
    end = block_start + clause[-1].idx + len(clause[-1].text) if clause else start + len(dient.text)
    return replacement, start, end, "'Moeten' is het gewone woord voor 'dienen te'."


def _clause_after(sentence, offset: int):
    """The tokens after a formula up to the clause's end (',', ';' or the final mark), without
    a leading 'om': 'Het staat u vrij [om een aanvraag in te dienen].'"""
    rest = _tokens_from(sentence, offset)
    body = rest[:-1] if rest and rest[-1].text in ".!?" else rest
    close = next((m for m, t in enumerate(body) if t.text in ",;"), len(body))
    body = body[:close]
    return body[1:] if body and body[0].lower_ == "om" else body


_FREE = re.compile(r"(?P<inv>staat het u(?: uiteraard)? vrij|is het u toegestaan)|(?:het staat u(?: uiteraard)? vrij|"
                   r"u bent vrij|het is u toegestaan)", re.IGNORECASE)


def _free(finding, analysis, text):
    """'Het staat u vrij om een nieuwe aanvraag in te dienen.' → 'U kunt een nieuwe aanvraag indienen.'"""
    match = _FREE.match(text, finding.start)
    sentence = _sentence_of(analysis, finding.start)
    if match is None or sentence is None:
        return None
    body = _clause_after(sentence, match.end())
    words = drop_te(body)
    if words is None:
        return None
    lead = "kunt u" if match.group("inv") else "u kunt"
    replacement = join([lead] + words)
    if text[finding.start].isupper():
        replacement = capitalize(replacement)
    end = sentence.block.start + body[-1].idx + len(body[-1].text)
    return replacement, finding.start, end, "'U kunt' zegt hetzelfde, korter en uitnodigend."


_TER = {"ter verkrijging van": "krijgen", "ter voldoening aan": None}


def _ter(finding, analysis, text):
    """'Ter verkrijging van een parkeervergunning vult u …' → 'Om een parkeervergunning te krijgen, vult u …';
    'ter kennisname' / 'ter informatie' → weg."""
    phrase = finding.text.lower()
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    if phrase == "ter verkrijging van":
        rest = _tokens_from(sentence, finding.end)
        np = []
        for t in rest:
            if is_verb(t) or t.text in CLAUSE_BREAK or t.pos_ in ("ADP", "SCONJ", "CCONJ"):
                break
            np.append(t)
        if not np:
            return None
        after = rest[len(np)] if len(rest) > len(np) else None
        replacement = join(["om"] + list(np) + ["te krijgen"])
        if after is not None and is_finite(after):
            replacement += ","
        if finding.text[:1].isupper():
            replacement = capitalize(replacement)
        end = sentence.block.start + np[-1].idx + len(np[-1].text)
        return replacement, finding.start, end, "'Om … te krijgen' is gewone taal."
    if phrase == "ter ondertekening":
        return "om te tekenen", finding.start, finding.end, "'Om te tekenen' is gewone taal."
    if phrase in ("ter kennisname", "ter kennisneming", "ter informatie", "ter uwer informatie", "ter uwer kennisname"):
        remaining = (text[sentence.start:finding.start] + text[finding.end:sentence.end]).strip()
        if len(remaining.split()) < 3:
            return None
        start = finding.start
        while start > sentence.start and text[start - 1] == " ":
            start -= 1
        return "", start, finding.end, "Deze woorden zeggen niets; zonder is de zin korter."
    return None


_CLOSING = re.compile(r"\b(?:hopen|hoop|vertrouwen|vertrouw|hopende)\b.*\b(?:geïnformeerd|geinformeerd|ingelicht|van dienst)\b",
                      re.IGNORECASE)


def _closing(finding, analysis, text):
    """'Wij hopen u hiermee voldoende te hebben geïnformeerd.' → 'Heeft u nog vragen? Neem dan contact met ons op.'"""
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    whole = text[sentence.start:sentence.end]
    leftover = (text[sentence.start:finding.start] + text[finding.end:sentence.end]).strip(" .,!")
    if _CLOSING.search(finding.text):
        if leftover and leftover.lower() not in ("wij", "we", "ik"):
            return None
        return ("Heeft u nog vragen? Neem dan contact met ons op.", sentence.start, sentence.end,
                "Sluit af met hulp: zeg waar de lezer met vragen terecht kan.")
    if "afwachting" in finding.text.lower():
        after = text[finding.end:sentence.end].lstrip()
        if after.startswith(","):
            rest = after[1:].strip()
            if rest:
                return capitalize(rest), finding.start, sentence.end, "Deze formule zegt niets; zonder is de zin korter."
        if not leftover:
            return "Wij horen graag van u.", sentence.start, sentence.end, "Zeg gewoon dat u graag een reactie krijgt."
        return None
    if "tegemoet" in finding.text.lower() and leftover.lower() in ("wij", "we", "ik", ""):
        return "Wij horen graag van u.", sentence.start, sentence.end, "Zeg gewoon dat u graag een reactie krijgt."
    del whole
    return None


def _deadline(finding, analysis, text):
    """A vague or relative deadline → 'vóór [datum]'; a term in days or weeks goes into the note
    for the writer, so no number is lost: 'binnen 8 weken' → 'vóór [datum over 8 weken]'."""
    why = "Noem een datum die de lezer in zijn agenda kan zetten; vul de datum zelf in."
    if any(ch.isdigit() for ch in finding.text):
        term = re.search(r"\d+\s+\w+", finding.text)
        if term is None:
            return None
        return f"vóór [datum over {term.group(0)}]", finding.start, finding.end, why
    return "vóór [datum]", finding.start, finding.end, why


_NOT_ALLOWED_CLAUSE = re.compile(
    r"^het\s+(?:u(?=\W))?\s*(?P<x>.*?)\bniet\s+toegestaan\s+is\s+(?:om\s+)?(?P<y>.*?)\s*\bte\s+(?P<v>\w+)(?P<z>.*)$",
    re.IGNORECASE)


def _not_allowed_text(clause: str) -> str | None:
    """'het u, hangende X, niet toegestaan is met de bouw aan te vangen' → 'u mag, hangende X,
    niet met de bouw aanvangen'."""
    match = _NOT_ALLOWED_CLAUSE.match(clause)
    if match is None:
        return None
    x, y, verb, z = match.group("x"), match.group("y").strip(), match.group("v"), match.group("z")
    words = y.split()
    if words and words[-1].lower() in PARTICLES:
        verb = words.pop() + verb
    return _tidy(" ".join(["u mag", x.strip(), "niet", " ".join(words), verb]) + z)


_NOT_ALLOWED = re.compile(r"(?P<inv>is het(?: u)? niet toegestaan)|het is(?: u)? niet toegestaan", re.IGNORECASE)


def _not_allowed(finding, analysis, text):
    """'Het is niet toegestaan om hier te parkeren' → 'U mag hier niet parkeren'."""
    match = _NOT_ALLOWED.match(text, finding.start)
    sentence = _sentence_of(analysis, finding.start)
    if match is None or sentence is None:
        return None
    body = _clause_after(sentence, match.end())
    k = next((m for m, t in enumerate(body) if t.lower_ == "te" and m + 1 < len(body)), None)
    if k is None or not body:
        return None
    verb = body[k + 1].text
    before = list(body[:k])
    if before and before[-1].lower_ in PARTICLES and before[-1].pos_ in ("ADP", "ADV", "ADJ"):
        verb = before.pop().text + verb
    words = before + ["niet", verb] + list(body[k + 2:])
    lead = "mag u" if match.group("inv") else "u mag"
    replacement = join([lead] + words)
    if text[finding.start].isupper():
        replacement = capitalize(replacement)
    end = sentence.block.start + body[-1].idx + len(body[-1].text)
    return replacement, finding.start, end, "Zeg het de lezer rechtstreeks: 'u mag … niet'."


def _greeting(finding, analysis, text):
    """'In afwachting van uw reactie verblijven wij, met vriendelijke groet.' → 'Met vriendelijke groet,'."""
    if "verblijv" not in finding.text.lower():
        return None
    sentence = _sentence_of(analysis, finding.start)
    if sentence is None:
        return None
    end = sentence.end + (1 if text[sentence.end:sentence.end + 1] in (".", ",") else 0)
    return "Met vriendelijke groet,", sentence.start, end, "'Met vriendelijke groet' is beleefd en gewoon."


#: Rule codes of the pattern rules → how to rewrite their formula.
FORMULAS = {"BC303": _opening, "BC302": _formula_dat, "BC332": _formula_dat, "BC309": _request,
            "BC310": _request, "BC315": _request, "BC311": _must, "BC312": _must, "BC313": _must,
            "BC334": _free, "BC305": _ter, "BC304": _closing, "BC340": _deadline, "BC404": _deadline,
            "BC347": _not_allowed, "BC301": _greeting}


@_never_fails(list)
def formula_suggestions(finding, analysis) -> list[Suggestion]:
    """Rewrites of a pattern rule's formula in its sentence (stiff openings and closings, requests,
    'u dient … te', 'het staat u vrij', vague deadlines)."""
    handler = FORMULAS.get(finding.code)
    if handler is None:
        return []
    text = analysis.text
    try:
        made = handler(finding, analysis, text)
    except (IndexError, KeyError, StopIteration, ValueError):
        return []
    if made is None:
        return []
    replacement, start, end, why = made
    end = _with_final_mark(text, end, replacement)
    sentence = _sentence_of(analysis, finding.start)
    block_start = sentence.block.start if sentence is not None else 0
    targeted = [t for t in sentence.span if finding.start <= block_start + t.idx < finding.end] if sentence else []
    protected = protected_texts(sentence.span, exclude=targeted) if sentence is not None else []
    shown = replacement or "(weg)"
    description = f"Schrijf '{shown}' in plaats van '{finding.text}'. {why}"
    suggestion = make_suggestion(text, start, end, replacement, description, protected)
    return [suggestion] if suggestion else []


#: Rules whose own plain replacement ('u moet', 'wilt u', 'Let op:') only fits where our rewrite
#: also works; where the rewrite fails, that replacement would leave a broken sentence.
PLAIN_UNSAFE = frozenset({"BC311", "BC312", "BC315", "BC332", "BC334"})
#: Phrases of BC301 whose plain replacement leaves a broken sentence ('… verblijven wij, …').
_GREETING_VERB = re.compile(r"verblijv", re.IGNORECASE)


def enrich_findings(findings, analysis) -> None:
    """Put a formula rewrite first in the suggestions of each pattern finding that has one, and
    drop any suggestion (of any rule) that the guard refuses."""
    text = analysis.text
    for finding in findings:
        finding.suggestions = [s for s in finding.suggestions
                               if 0 <= s.start <= s.end <= len(text) and guard(text[s.start:s.end], s.replacement)]
        if finding.code not in FORMULAS:
            continue
        made = formula_suggestions(finding, analysis)
        if made:
            existing = [s for s in finding.suggestions if s.replacement != made[0].replacement]
            finding.suggestions = made + ([] if finding.code in PLAIN_UNSAFE else existing)
        elif finding.code in PLAIN_UNSAFE or (finding.code == "BC301" and _GREETING_VERB.search(finding.text)):
            finding.suggestions = []


def _with_final_mark(text: str, end: int, replacement: str) -> int:
    """Include the sentence's final mark in the span when the replacement brings its own."""
    if replacement and replacement[-1] in ".?!" and text[end:end + 1] in (".", "?", "!") \
            and text[end - 1:end] not in (".", "?", "!"):
        return end + 1
    return end
