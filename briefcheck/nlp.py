"""Our Dutch spaCy pipeline: loaded once, lazily, with a tokenizer that knows letters.

The statistical part (tok2vec, morphologizer, parser, lemmatizer) is trained by
``training/build_pipeline.py`` from UD Dutch and shipped in ``briefcheck/pipeline/``. On top of
it, at load time, we add:

* ``LetterTokenizer``: keeps merge fields, e-mail addresses, URLs, phone numbers, postcodes,
  amounts, dates and reference numbers as single tokens, marked in ``token._.special``;
* ``briefcheck_cgn_tags``: writes the CGN tag pieces that LiNT-II reads (``WW|pv`` for finite
  verbs, ``TW`` for numerals) into ``token.tag_``, derived from the UD POS and morphology, and
  gives the special tokens a fitting part of speech.
"""
from __future__ import annotations

import re
from functools import lru_cache
import threading
from pathlib import Path

PIPELINE_DIR = Path(__file__).parent / "pipeline" / "nl_briefcheck"

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"

#: Kinds of special token, in order of precedence when patterns overlap.
SPECIAL_PATTERNS: list[tuple[str, str]] = [
    ("placeholder", r"«[^»\n]{1,60}»|\{\{[^{}\n]{1,60}\}\}|<<[^<>\n]{1,60}>>|\$[A-Za-z_][\w.]{0,40}\$"
                    r"|\[[A-Z][A-Z0-9_. ]{0,40}\]|\{[A-Za-z_][\w.]{0,40}\}"),
    ("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    ("url", r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)]|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|eu|be|info)(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?"),
    ("amount", r"(?:€|EUR)\s?\d{1,3}(?:\.\d{3})*(?:,(?:\d{2}|-{1,2}))?(?!\d)|\b\d{1,3}(?:\.\d{3})*,\d{2}\s?(?:euro|EUR)\b"),
    ("date", rf"\b\d{{1,2}}\s(?:{_MONTHS})\s\d{{4}}\b|\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"),
    ("iban", r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d{4}){2}\s?\d{2}\b"),
    ("phone", r"(?<![\w-])(?:\+31[\s-]?(?:\(0\))?\d{1,3}|\(0\d{2,3}\)|0\d{1,3})(?:\s?-\s?|\s)?\d{2,4}(?:[\s-]?\d{2,4}){0,2}(?![\w-])"
              r"|(?<!\d)14\s?0\d{2,3}(?!\d)"),
    ("postcode", r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b"),
    ("reference", r"\b(?=[A-Z0-9/.-]*\d)(?=[A-Z0-9/.-]*[A-Z/-])[A-Z]{1,5}[-/.]?\d[\dA-Z]*(?:[-/.][\dA-Z]+)+\b|\b[A-Z]{1,4}\d{4,}\b"),
]
SPECIAL_RE = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in SPECIAL_PATTERNS))

#: Abbreviations common in letters that must stay one token with their dots.
LETTER_ABBREVIATIONS = [
    "bijv.", "o.a.", "m.b.t.", "d.d.", "dd.", "i.v.m.", "t.a.v.", "z.s.m.", "art.", "nr.", "mevr.", "dhr.",
    "bv.", "e.d.", "enz.", "etc.", "m.i.v.", "n.a.v.", "t.z.t.", "v.w.b.", "i.p.v.", "m.u.v.", "t.b.v.",
    "o.b.v.", "i.o.m.", "incl.", "excl.", "resp.", "evt.", "jl.", "a.s.", "tel.", "blz.", "pag.", "lid.",
    "ca.", "z.o.z.", "p.a.", "c.q.", "a.u.b.", "s.v.p.", "e.e.a.", "m.a.w.", "t/m", "d.m.v.", "ihkv.",
]


#: Texts up to this length are remembered by find_special_spans (blocks of a letter are far shorter;
#: a long-running server must not keep big texts alive).
SPECIAL_CACHE_MAX_CHARS = 4000


def _scan_special_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start(), m.end(), m.lastgroup or "special") for m in SPECIAL_RE.finditer(text))


_cached_special_spans = lru_cache(maxsize=2048)(_scan_special_spans)


def find_special_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, kind) of every special span in ``text``, without overlaps.

    Cached for short texts: the checks ask for the same block many times, and the pattern is costly."""
    if len(text) <= SPECIAL_CACHE_MAX_CHARS:
        return _cached_special_spans(text)
    return _scan_special_spans(text)


find_special_spans.cache_clear = _cached_special_spans.cache_clear  # for benchmarks: a new letter each run


class LetterTokenizer:
    """Wraps spaCy's Dutch tokenizer; special spans (see SPECIAL_PATTERNS) become one token each."""

    def __init__(self, base):
        self.base = base
        self.vocab = base.vocab
        for abbreviation in LETTER_ABBREVIATIONS:
            for variant in {abbreviation, abbreviation.capitalize()}:
                self.base.add_special_case(variant, [{"ORTH": variant}])

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        kinds: list[str | None] = []
        position = 0

        def add_plain(segment: str) -> None:
            if not segment:
                return
            stripped = segment.lstrip(" ")
            leading = len(segment) - len(stripped)
            if leading and words:
                # spaces between a special token and the next words belong to the previous token
                spaces[-1] = True
                if leading > 1:
                    words.append(" " * (leading - 1)); spaces.append(False); kinds.append(None)
            elif leading:
                words.append(" " * leading); spaces.append(False); kinds.append(None)
            for token in self.base(stripped):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                kinds.append(None)

        for start, end, kind in find_special_spans(text):
            add_plain(text[position:start])
            words.append(text[start:end])
            spaces.append(False)
            kinds.append(kind)
            position = end
        rest = text[position:]
        if rest.startswith(" ") and words:
            spaces[-1] = True
            rest = rest[1:]
        add_plain(rest)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token, kind in zip(doc, kinds):
            if kind:
                token._.special = kind
        return doc

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)

    # the pipeline is saved without this wrapper; these keep spaCy's to_disk/from_disk working
    def to_bytes(self, **kwargs):
        return self.base.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.base.from_bytes(data, **kwargs)
        return self

    def to_disk(self, path, **kwargs):
        self.base.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.base.from_disk(path, **kwargs)
        return self


#: UD part of speech → main CGN tag (the first piece of a CGN tag).
UD_TO_CGN = {
    "NOUN": "N|soort", "PROPN": "N|eigen", "VERB": "WW", "AUX": "WW", "ADJ": "ADJ", "ADV": "BW",
    "ADP": "VZ", "CCONJ": "VG|neven", "SCONJ": "VG|onder", "DET": "LID", "PRON": "VNW", "NUM": "TW",
    "PUNCT": "LET", "SYM": "SPEC|symb", "INTJ": "TSW", "X": "SPEC|vreemd", "SPACE": "LET",
}

#: Part of speech that the special tokens get after the statistical components ran.
SPECIAL_POS = {
    "placeholder": "PROPN", "email": "PROPN", "url": "PROPN", "amount": "NUM", "date": "NUM",
    "phone": "NUM", "postcode": "NUM", "reference": "NUM", "iban": "NUM",
}


def _register_extensions() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("special"):
        Token.set_extension("special", default=None)


def _cgn_tags(doc):
    """Pipeline component: CGN tag pieces from UD POS and morphology, and POS for special tokens."""
    for token in doc:
        special = token._.special
        if special:
            token.pos_ = SPECIAL_POS.get(special, "X")
            token.tag_ = "SPEC|deeleigen" if token.pos_ == "PROPN" else "TW|hoofd"
            token.lemma_ = token.text
            continue
        pos = token.pos_
        tag = UD_TO_CGN.get(pos, "SPEC")
        if pos in ("VERB", "AUX"):
            verb_form = token.morph.get("VerbForm")
            if "Fin" in verb_form:
                tag = "WW|pv"
            elif "Part" in verb_form:
                tag = "WW|vd"
            elif "Inf" in verb_form:
                tag = "WW|inf"
        elif pos == "NOUN" and token.like_num:
            tag = "TW|hoofd"
        token.tag_ = tag
    return doc


_lock = threading.Lock()
_nlp = None


def pipeline_meta() -> dict:
    """The meta of the shipped pipeline (includes its measured accuracy), without loading it."""
    import json

    return json.loads((PIPELINE_DIR / "meta.json").read_text(encoding="utf-8"))


def get_nlp():
    """The loaded pipeline; the first call loads it (about a second), later calls are free."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = load_pipeline(PIPELINE_DIR)
    return _nlp


def load_pipeline(path: Path | str):
    """Load a trained pipeline from ``path`` and add the letter-aware parts."""
    import spacy
    from spacy.language import Language

    if not Path(path).exists():
        raise FileNotFoundError(
            f"Dutch pipeline not found at {path}; build it with: python training/build_pipeline.py"
        )
    _register_extensions()
    if "briefcheck_cgn_tags" not in Language.factories:
        Language.component("briefcheck_cgn_tags")(_cgn_tags)
    # The saved tokenizer is spaCy's Dutch default (training changes no tokenizer setting; a test
    # checks it): keeping the default instead of reading 4,670 special cases again saves ~0.6 s.
    nlp = spacy.load(path, exclude=["tokenizer"])
    nlp.tokenizer = LetterTokenizer(nlp.tokenizer)
    nlp.add_pipe("briefcheck_cgn_tags", last=True)
    return nlp
