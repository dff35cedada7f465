"""Letter anatomy: does the letter have what a resident needs, and does it look like it?

Two parts, both in the report's ``details["anatomy"]``:

* ``items``: a checklist per letter type (subject, reason and core up front, the action, dates,
  objection clause, contact, reference, opening and closing), each found or missing, with the
  place where it was found;
* ``visual``: cues about the look of the letter (headings, lists, emphasis, pictures, Word
  formatting), each with the concrete layout change to make.

Words, limits and the required items per letter type are data (``rules/signalen/anatomie.yaml``).
The findings (rules BC401–BC449 and BC501–BC549) are made by ``checks/detectors_anatomy.py`` from
this same computation, so the checklist and the findings never disagree. The letter type comes
from ``tone.detect_letter_type``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .analysis import is_word
from .nlp import find_special_spans
from .rules import BUILTIN_RULES_DIR, FAST_SAFE_LOADER

ANATOMY_FILE = BUILTIN_RULES_DIR / "signalen" / "anatomie.yaml"
ITEM_KEYS = ("onderwerp", "kern_vooraan", "actie", "concrete_datum", "bezwaar", "contact_persoon",
             "contact_telefoon", "contact_bereikbaar", "contact_kanaal", "kenmerk", "aanhef", "afsluiting")
#: The rule that reports a missing item.
ITEM_CODES = {"onderwerp": "BC401", "kern_vooraan": "BC402", "actie": "BC403", "concrete_datum": "BC404",
              "bezwaar": "BC406", "contact_persoon": "BC407", "contact_telefoon": "BC407",
              "contact_bereikbaar": "BC407", "contact_kanaal": "BC407", "kenmerk": "BC408",
              "aanhef": "BC409", "afsluiting": "BC410"}
#: Visual cues: key → (Dutch label, rule code or None, only for .docx).
VISUAL_CUES = {
    "koppen": ("Tussenkopjes in een langere brief", "BC501", False),
    "nep_kop": ("Kopjes met een kopstijl, niet alleen vet", "BC502", False),
    "opsomming": ("Opsomming als lijstje", "BC503", False),
    "stappen": ("Stappen als genummerde lijst", "BC504", False),
    "tekstmuur": ("Geen muur van tekst onder één kopje", "BC505", False),
    "lange_alinea": ("Korte alinea's", "BC102", False),
    "nadruk": ("Datum en bedrag vallen op", "BC506", False),
    "beeldbrief": ("Plaatjes van wat de lezer moet meenemen of laten zien", "BC507", False),
    "cursief_hoofdletters": ("Geen lange stukken cursief of in hoofdletters", "BC508", False),
    "alt_tekst": ("Afbeeldingen met een beschrijving (alternatieve tekst)", "BC509", False),
    "kleine_letter": ("Letters van minstens 11 punten", "BC510", True),
    "uitgevuld": ("Tekst links uitgelijnd, niet uitgevuld", "BC511", True),
    "lettertype": ("Een goed leesbaar lettertype", "BC512", True),
    "opmaaktabel": ("Geen tabellen om tekst op zijn plaats te zetten", "BC513", True),
}
#: Spans of document-level findings must be longer than the analyzer's phrase limit
#: (``analyzer.PHRASE_CHARS``, 60): otherwise they would swallow word findings of other rules
#: (a stiff closing, a generic salutation) that lie inside them.
ANCHOR_MIN_CHARS = 61
#: Block kinds that hold running text.
TEXT_KINDS = ("paragraph", "list_item", "table_cell", "text_box")
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b|\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}\b"
                   rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.IGNORECASE)
_PAYMENT = re.compile(r"\bbeta(?:a)?l\w*|\bovermak\w*|\bmaak\s+\w+\s+over\b|\bkrijgt\b|\bontvangt\b|\bterug\w*|\bboete\b"
                      r"|\bbedrag\b|\bkost\w*\b|\bvergoed\w*\b|\bnota\b|\brekening\b", re.IGNORECASE)
#: A date that is a deadline (not 'vanaf 1 maart' or 'op 3 mei'): the ones that must stand out.
_DEADLINE_WORD = re.compile(r"(?:vóór|voor|uiterlijk|tot|t/m)\b", re.IGNORECASE)
_MD_BOLD_LINE = re.compile(r"^(\*\*|__)(?P<text>[^*_\n]{1,80}?)\1\s*:?$")
_MD_BOLD = re.compile(r"(\*\*|__)[^\n]+?\1")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?!\*)(?P<a>[^*]+?)(?<!\*)\*(?![\w*])|(?<![\w_])_(?!_)(?P<b>[^_]+?)(?<!_)_(?![\w_])")
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<name>[^)\n]*)\)")
_TRAILING_PUNCT = re.compile(r"[.!?…:;)\]\"'»”’]+")


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class AnatomyData:
    labels: dict
    required: dict
    merge: dict  # kind → compiled pattern on merge field names
    cues: dict  # name → compiled pattern
    visual: dict
    things: tuple  # (pattern, picture name)
    hard_fonts: frozenset


def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(pattern, flags)


@lru_cache(maxsize=4)
def load_anatomy_data(path: Path = ANATOMY_FILE) -> AnatomyData:
    """The anatomy data, read once at first use (never at import)."""
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_SAFE_LOADER)
    from .tone import LETTER_TYPES

    labels = data["items"]
    missing = [k for k in ITEM_KEYS if k not in labels]
    if missing:
        raise ValueError(f"{path}: items without a label: {', '.join(missing)}")
    required = {}
    for letter_type in LETTER_TYPES:
        keys = data["required"].get(letter_type)
        if keys is None:
            raise ValueError(f"{path}: 'required' has no list for letter type '{letter_type}'")
        unknown = [k for k in keys if k not in ITEM_KEYS]
        if unknown:
            raise ValueError(f"{path}: unknown item(s) for {letter_type}: {', '.join(unknown)}")
        required[letter_type] = frozenset(keys)
    cues = {name: _compile(p, 0 if name == "signature_name" else re.IGNORECASE)
            for name, p in data["cues"].items() if name not in ("number_words", "time_units")}
    numbers, units = data["cues"]["number_words"], data["cues"]["time_units"]
    # A relative term: 'binnen 14 dagen', 'binnen een termijn van zes weken', '14 dagen na dagtekening'.
    cues["relative"] = _compile(
        rf"\b(?:uiterlijk\s+)?binnen\s+(?:(?:een|de)\s+)?(?:termijn\s+van\s+)?(?:\d+|{numbers})\s+(?:{units})\b"
        rf"|\b(?:een|de)\s+termijn\s+van\s+(?:\d+|{numbers})\s+(?:{units})\b"
        rf"|\b(?:uiterlijk\s+)?(?:\d+|{numbers})\s+(?:{units})(?={data['cues']['letter_anchor']})")
    visual = data["visual"]
    for name in ("step_first", "step_next", "bring_context", "thing_exclude", "hard_font_words"):
        cues[name] = _compile(visual[name])
    things = tuple((_compile(t["pattern"]), t["picture"]) for t in visual["things"])
    return AnatomyData(
        labels=labels, required=required,
        merge={kind: _compile(p) for kind, p in data["merge_fields"].items()},
        cues=cues, visual=visual, things=things,
        hard_fonts=frozenset(f.lower() for f in visual["hard_fonts"]),
    )


# ---------------------------------------------------------------- the letter's parts


@dataclass
class Segment:
    """A stretch of one block (usually all of it): absolute offsets into ``Document.text``."""

    index: int
    block: object
    doc: object
    start: int
    end: int
    kind: str  # the block's kind, or "heading" for a heading line or a bold line used as one
    fake_heading: bool = False  # bold text used as a heading (.docx bold paragraph, **text** line)

    def text(self, analysis) -> str:
        return analysis.text[self.start:self.end]

    @property
    def location(self) -> str:
        return self.block.location

    def tokens(self):
        # asked for again and again by the checklist: remember the answer (a segment never changes)
        cached = self.__dict__.get("_tokens")
        if cached is None:
            offset = self.block.start
            cached = self.__dict__["_tokens"] = [t for t in self.doc if self.start <= offset + t.idx < self.end]
        return cached

    def words(self) -> int:
        cached = self.__dict__.get("_words")
        if cached is None:
            cached = self.__dict__["_words"] = sum(1 for t in self.tokens() if is_word(t))
        return cached


@dataclass
class Line:
    index: int
    block: object
    start: int
    end: int
    text: str

    @property
    def location(self) -> str:
        return self.block.location


@dataclass
class Found:
    """Something found in the letter: where (absolute offsets and a Dutch location) and what."""

    start: int
    end: int
    where: str
    text: str
    fields: dict = field(default_factory=dict)


@dataclass
class Item:
    key: str
    label: str
    required: bool
    present: bool
    found: Found | None = None
    evidence: str | None = None
    advice: str | None = None
    extra: dict = field(default_factory=dict)  # facts the detectors need (anchors, missing parts)

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "required": self.required, "present": self.present,
                "where": self.found.where if self.found else None, "evidence": self.evidence,
                "advice": self.advice, "code": self.extra.get("code", ITEM_CODES[self.key])}


@dataclass
class Cue:
    key: str
    label: str
    code: str | None
    applies: bool
    instances: list[Found] = field(default_factory=list)
    advice: str | None = None

    @property
    def ok(self) -> bool | None:
        return None if not self.applies else not self.instances

    def to_dict(self) -> dict:
        first = self.instances[0] if self.instances else None
        return {"key": self.key, "label": self.label, "applies": self.applies, "ok": self.ok,
                "count": len(self.instances), "where": first.where if first else None,
                "evidence": first.text if first else None, "advice": self.advice if self.instances else None,
                "code": self.code,
                "instances": [{"where": f.where, "evidence": f.text} for f in self.instances]}


def _lines(block, index: int) -> list[Line]:
    result, position = [], 0
    for raw in block.text.split("\n"):
        stripped = raw.strip()
        if stripped:
            offset = position + raw.index(stripped)
            result.append(Line(index, block, block.start + offset, block.start + offset + len(stripped), stripped))
        position += len(raw) + 1
    return result


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, kind in find_special_spans(text) if kind == "placeholder"]


def _words_of(text: str) -> int:
    """Words of a line, a merge field counting as one."""
    for start, end in reversed(_placeholder_spans(text)):
        text = text[:start] + "veld" + text[end:]
    return len(re.findall(r"\w+", text))


def _mask(text: str) -> str:
    """The text with merge fields blanked out, so that word cues never match inside «Behandelaar»."""
    return _mask_all(text, _placeholder_spans(text))


def _mask_all(text: str, spans) -> str:
    for start, end, *_kind in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _only_placeholders(text: str) -> bool:
    rest = text
    for start, end in reversed(_placeholder_spans(text)):
        rest = rest[:start] + rest[end:]
    return bool(_placeholder_spans(text)) and not re.search(r"\w", rest)


def _merge_fields(analysis, kind: str, data: AnatomyData, blocks=None):
    """Merge fields whose name says they hold ``kind`` (a date, a phone number, ...), as Found."""
    pattern = data.merge[kind]
    for index, block, _doc in analysis.blocks:
        if blocks is not None and index not in blocks:
            continue
        for start, end in _placeholder_spans(block.text):
            name = block.text[start:end].strip("«»{}[]<>$ ")
            if pattern.search(name):
                yield Found(block.start + start, block.start + end, block.location, block.text[start:end])


def _short(text: str, limit: int = 140) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class Letter:
    """The parts of a letter: letterhead, salutation, content, closing and signature."""

    def __init__(self, analysis, data: AnatomyData):
        self.analysis = analysis
        self.data = data
        self.is_docx = analysis.document.source_format == "docx"
        self.plain = analysis.document.source_format in ("text", "markdown")
        self.body = [(i, b, d) for i, b, d in analysis.blocks if b.is_body]
        self.salutation: Line | None = None
        self.closing: Line | None = None
        self.signature: list[Line] = []
        self.head: list[tuple] = []  # body blocks before the salutation (letterhead, subject, ...)
        self._by_block: dict | None = None
        self._find_salutation()
        self.content: list[Segment] = []
        self._find_content_and_closing()

    # -- parts -----------------------------------------------------------------------------------
    def _find_salutation(self) -> None:
        pattern = self.data.cues["salutation"]
        for position, (index, block, _doc) in enumerate(self.body):
            if block.kind not in TEXT_KINDS:
                continue
            for line in _lines(block, index)[:2]:
                if pattern.match(line.text) and _words_of(line.text) <= 10 and not line.text.endswith((".", "?")):
                    self.salutation = line
                    self.head = self.body[:position]
                    return

    def _letterhead_like(self, block) -> bool:
        """Short lines without a full stop: an address, a date or a sender, not running text."""
        lines = [l.strip() for l in block.text.split("\n") if l.strip()]
        return all(_words_of(l) <= 8 and not re.search(r"[.?!]$", l) for l in lines)

    def _find_content_and_closing(self) -> None:
        closing_pattern = self.data.cues["closing"]
        if self.salutation is not None:
            start_block, start_offset = self.salutation.index, self.salutation.end
        else:
            start_block, start_offset = None, None
            for position, (index, block, _doc) in enumerate(self.body):
                if self._subject_label(block) or self._letterhead_like(block):
                    continue
                start_block, start_offset = index, block.start
                self.head = self.body[:position]
                break
            if start_block is None:
                return
        segments: list[Segment] = []
        closing_found = False
        for index, block, doc in self.body:
            if index < start_block:
                continue
            begin = start_offset if index == start_block else block.start
            end = block.end
            if begin >= end:
                continue
            if not closing_found:
                for line in _lines(block, index):
                    if line.start < begin:
                        continue
                    if closing_pattern.match(line.text) and _words_of(line.text) <= 8:
                        self.closing = line
                        closing_found = True
                        end = line.start
                        break
            if closing_found and self.closing.index != index:
                self.signature.extend(_lines(block, index))
                continue
            if closing_found and self.closing.index == index:
                self.signature.extend(l for l in _lines(block, index) if l.start > self.closing.start)
            text = self.analysis.text[begin:end]
            stripped = text.strip()
            if stripped:
                begin += len(text) - len(text.lstrip())
                segments.extend(self._split_heading_line(index, block, doc, begin, begin + len(stripped)))
        self.content = segments
        self.signature = self.signature[:8]

    def _split_heading_line(self, index, block, doc, start, end) -> list[Segment]:
        """A block, with a heading line at its top as a segment of its own (plain text only: the
        text reader makes a short first line a heading, but not one that ends in '?' or ':')."""
        kind = block.kind
        text = self.analysis.text[start:end]
        if kind == "paragraph" and self.is_docx and self._docx_fake_heading(block, text):
            return [Segment(index, block, doc, start, end, "heading", fake_heading=True)]
        if kind != "paragraph" or not self.plain:
            return [Segment(index, block, doc, start, end, kind)]
        first, _, rest = text.partition("\n")
        bold = _MD_BOLD_LINE.match(first.strip())
        if bold and (rest.strip() or _words_of(bold.group("text")) <= self.data.visual["fake_heading_max_words"]):
            head = Segment(index, block, doc, start, start + len(first.rstrip()), "heading", fake_heading=True)
        elif rest.strip() and self._plain_heading_line(first):
            head = Segment(index, block, doc, start, start + len(first.rstrip()), "heading")
        else:
            return [Segment(index, block, doc, start, end, kind)]
        if not rest.strip():
            return [head]
        body_start = start + len(first) + 1
        body_start += len(rest) - len(rest.lstrip())
        return [head, Segment(index, block, doc, body_start, end, kind)]

    @staticmethod
    def _plain_heading_line(line: str) -> bool:
        line = line.strip()
        return (0 < len(line) <= 60 and _words_of(line) <= 8 and line[0].isupper()
                and line[-1] in "?:" and not line.lower().startswith(("geachte", "beste")))

    def _docx_fake_heading(self, block, text: str) -> bool:
        """A short, wholly bold paragraph: a heading made with bold instead of a heading style."""
        stripped = text.strip()
        specials = find_special_spans(stripped)
        if specials and _words_of(_mask_all(stripped, specials)) <= 2:
            return False  # a date or amount set in bold on its own line is emphasis, not a heading
        return (block.formatting.bold is True and "\n" not in stripped
                and 0 < _words_of(stripped) <= self.data.visual["fake_heading_max_words"]
                and len(stripped) <= 80 and not stripped.endswith((".", ",", ";"))
                and not _only_placeholders(stripped))

    def _subject_label(self, block) -> bool:
        return any(self.data.cues["subject_label"].match(l) for l in block.text.split("\n"))

    # -- views -----------------------------------------------------------------------------------
    @property
    def headings(self) -> list[Segment]:
        return [s for s in self.content if s.kind == "heading"]

    def first_paragraph(self) -> Segment | None:
        return next((s for s in self.content if s.kind in ("paragraph", "table_cell", "text_box")), None)

    def sentences_of(self, block_index: int) -> list:
        """The analysis' sentences of one block."""
        if self._by_block is None:
            self._by_block = {}
            for sentence in self.analysis.sentences:
                self._by_block.setdefault(sentence.block_index, []).append(sentence)
        return self._by_block.get(block_index, [])

    def sentences(self, segment: Segment) -> list[tuple[int, int, object]]:
        """Sentences of a segment as (absolute start, absolute end, span), clipped to the segment."""
        result = []
        for sentence in self.sentences_of(segment.index):
            end = sentence.end
            # the parser sometimes makes the final full stop a sentence of its own: keep it here
            trailing = _TRAILING_PUNCT.match(self.analysis.text, end)
            if trailing:
                end = trailing.end()
            start, end = max(sentence.start, segment.start), min(end, segment.end)
            if end > start and self.analysis.text[start:end].strip():
                result.append((start, end, sentence.span))
        return result

    def wide(self, start: int, end: int) -> tuple[int, int]:
        """A span of at least ANCHOR_MIN_CHARS: extended over the following (else preceding)
        body blocks, so a document-level finding never swallows a word finding."""
        blocks = [b for _, b, _ in self.body]
        for block in blocks:
            if end - start >= ANCHOR_MIN_CHARS:
                break
            if block.start <= end <= block.end or block.start > end:  # first the rest of its own block
                end = block.end
        for block in reversed(blocks):
            if end - start >= ANCHOR_MIN_CHARS:
                break
            if block.end < start:
                start = block.start
        return start, end

    def found(self, start: int, end: int, text: str | None = None, **fields) -> Found:
        block = self.analysis.document.block_at(start)
        return Found(start, end, block.location if block else "",
                     _short(text if text is not None else self.analysis.text[start:end]), fields)

    def is_bold(self, start: int, end: int) -> bool:
        """Bold in Word, or between ** ** in plain text."""
        block = self.analysis.document.block_at(start)
        if block is None:
            return False
        if block.formatting.bold:
            return True
        local = (start - block.start, end - block.start)
        if any(s < local[1] and local[0] < e for s, e in block.formatting.bold_spans):
            return True
        return any(m.start() <= local[0] and local[1] <= m.end() for m in _MD_BOLD.finditer(block.text))


# ---------------------------------------------------------------- helpers on the parse


def _finite(token) -> bool:
    return "Fin" in token.morph.get("VerbForm") or token.pos_ == "AUX" or token.pos_ == "SCONJ"


def _is_past(span) -> bool:
    """A sentence about the past: a finite verb in the past tense, or a perfect (heeft … gestuurd)."""
    for token in span:
        if "Fin" in token.morph.get("VerbForm") and "Past" in token.morph.get("Tense"):
            return True
        if (token.lemma_.lower() in ("hebben", "zijn") and token.dep_.startswith("aux")
                and "Part" in token.head.morph.get("VerbForm")):
            return True
    return False


# ---------------------------------------------------------------- the analysis


class Anatomy:
    """Items and visual cues of one letter (computed once per analysis)."""

    def __init__(self, analysis, data: AnatomyData | None = None):
        from .tone import detect_letter_type

        self.analysis = analysis
        self.data = data or load_anatomy_data()
        self.letter = Letter(analysis, self.data)
        detected = detect_letter_type(analysis)
        self.letter_type = detected["type"]
        self.letter_type_label = detected.get("label", self.letter_type)
        self.required = self.data.required.get(self.letter_type, frozenset())
        self.relative_terms: list[Found] = []
        self.items: dict[str, Item] = {}
        self._contact_facts: dict = {}
        for key in ITEM_KEYS:
            self.items[key] = getattr(self, f"_item_{key}")()
        self.cues: dict[str, Cue] = {}
        for key, (label, code, docx_only) in VISUAL_CUES.items():
            applies = not docx_only or self.letter.is_docx
            cue = Cue(key, label, code, applies)
            if applies:
                cue.instances, cue.advice = getattr(self, f"_cue_{key}")()
            self.cues[key] = cue

    def _item(self, key: str, present: bool, found: Found | None = None, evidence: str | None = None,
              advice: str | None = None, **extra) -> Item:
        return Item(key, self.data.labels[key], key in self.required, present, found,
                    _short(evidence) if evidence else (found.text if found else None), advice, extra)

    @property
    def complete(self) -> bool:
        return all(item.present for item in self.items.values() if item.required)

    # -- items ----------------------------------------------------------------------------------
    def _item_aanhef(self) -> Item:
        line = self.letter.salutation
        if line is None:
            return self._item("aanhef", False, advice="Begin de brief met een aanhef, bij voorkeur met de naam: "
                                                     "'Geachte mevrouw Jansen,' of 'Beste meneer De Vries,'.")
        return self._item("aanhef", True, self.letter.found(line.start, line.end))

    def _item_afsluiting(self) -> Item:
        line = self.letter.closing
        if line is None:
            return self._item("afsluiting", False, advice="Sluit af met een groet en wie de brief stuurt: "
                                                          "'Met vriendelijke groet,' met een naam of team eronder.")
        # who sends it: a name, a team or a function (the first line that is not 'namens ...')
        signer = next((l.text for l in self.letter.signature if not self.data.cues["signature_skip"].match(l.text)),
                      None)
        evidence = line.text + (f" — {signer}" if signer else "")
        advice = None if signer else "Zet onder de groet wie de brief stuurt: een naam of een team."
        return self._item("afsluiting", True, self.letter.found(line.start, line.end), evidence, advice,
                          signer=signer)

    def _subject_candidates(self):
        """Lines that can be the subject: before the salutation, in the letterhead, header or
        text boxes and table cells read before the content."""
        first_content = self.letter.content[0].index if self.letter.content else len(self.analysis.document.blocks)
        limit = self.letter.salutation.index if self.letter.salutation else first_content
        for index, block, _doc in self.analysis.blocks:
            if index > limit:
                break
            for line in _lines(block, index):
                if self.letter.salutation is not None and line.start >= self.letter.salutation.start:
                    return
                yield line

    def _item_onderwerp(self) -> Item:
        cues = self.data.cues
        vague_found = None
        for line in self._subject_candidates():
            label = cues["subject_label"].match(line.text)
            if not label:
                continue
            value = line.text[label.end():].strip()
            found = self.letter.found(line.start, line.end)
            if not value:
                continue
            if _only_placeholders(value) or (_words_of(value) >= 1 and not cues["vague_subject"].match(value)
                                              and re.search(r"[^\W\d_]{3}", value)):
                return self._item("onderwerp", True, found)
            vague_found = found
        if vague_found is None:
            line = self._unlabelled_subject()
            if line is not None:
                return self._item("onderwerp", True, self.letter.found(line.start, line.end))
        for _index, block, _doc in self.analysis.blocks:  # a merge field with the subject
            if any(self.data.merge["onderwerp"].search(block.text[s:e]) for s, e in _placeholder_spans(block.text)):
                return self._item("onderwerp", True, self.letter.found(block.start, block.end))
        if vague_found is not None:
            return self._item("onderwerp", False, vague_found,
                              advice="Het onderwerp zegt te weinig. Noem waar de brief over gaat: "
                                     "'Uw aanvraag voor een parkeervergunning'.")
        return self._item("onderwerp", False,
                          advice="Zet boven de aanhef een onderwerp dat zegt waar de brief over gaat, "
                                 "bijvoorbeeld 'Onderwerp: uw aanvraag voor een parkeervergunning'.")

    def _unlabelled_subject(self) -> Line | None:
        """A heading, bold line or single line straight above the salutation."""
        salutation = self.letter.salutation
        if salutation is None or not self.letter.head:
            return None
        index, block, _doc = self.letter.head[-1]
        if block.kind not in ("heading", "paragraph") or "\n" in block.text.strip():
            return None
        text = block.text.strip()
        if (self.data.cues["not_subject"].search(text) or _DATE.search(text) or _only_placeholders(text)
                or _words_of(text) < 2 or _words_of(text) > 12 or text.endswith((".", ",", ";"))):
            return None
        if self.letter.is_docx and not (block.kind == "heading" or block.formatting.bold):
            return None
        if len(self.letter.head) == 1 and block.kind != "heading" and not block.formatting.bold:
            return None
        return _lines(block, index)[0]

    def _item_kern_vooraan(self) -> Item:
        paragraph = self.letter.first_paragraph()
        if paragraph is None:
            return self._item("kern_vooraan", False, advice="Zeg in de eerste alinea waarom de lezer de brief "
                                                            "krijgt en wat het belangrijkste is.")
        sentences = self.letter.sentences(paragraph)
        start, end = (sentences[0][0], sentences[0][1]) if sentences else (paragraph.start, paragraph.end)
        found = self.letter.found(start, end)
        opener = self.data.cues["indirect_opening"].match(self.analysis.text[start:end])
        if opener:
            return self._item("kern_vooraan", False, found,
                              advice=f"De brief begint met '{opener.group(0)}'. Zeg eerst waarom de lezer "
                                     "deze brief krijgt en wat het belangrijkste is, bijvoorbeeld: 'U krijgt "
                                     "de vergunning.' of 'Wij hebben uw formulier nog niet gekregen.'",
                              opener=opener.group(0), sentence=(start, end), paragraph=paragraph)
        return self._item("kern_vooraan", True, found, paragraph=paragraph)

    def _action_sentences(self):
        """(found, findable) for each sentence that says what the reader must or can do."""
        cues = self.data.cues
        previous_heading = False
        contact_section = False
        for segment in self.letter.content:
            if segment.kind == "heading":
                previous_heading = True
                contact_section = bool(cues["contact_heading"].search(segment.text(self.analysis)))
                continue
            sentences = self.letter.sentences(segment)
            words = segment.words()
            after_question = False
            for number, (start, end, _span) in enumerate(sentences):
                text = self.analysis.text[start:end]
                excluded = bool(cues["action_exclude"].search(text))
                # 'Heeft u vragen? Bel ons dan.': the second sentence is contact, not the action
                skip = contact_section or excluded or after_question
                after_question = excluded
                if skip or not cues["action"].search(text):
                    continue
                findable = (segment.kind == "list_item" or number == 0 or words <= 40
                            or self.letter.is_bold(start, end) or (previous_heading and number <= 1))
                yield self.letter.found(start, end), findable
            previous_heading = False

    def _item_actie(self) -> Item:
        for segment in self.letter.headings:
            text = segment.text(self.analysis).strip("*_ ")
            if self.data.cues["action_heading"].search(text):
                return self._item("actie", True, self.letter.found(segment.start, segment.end, text))
        buried = None
        for found, findable in self._action_sentences():
            if findable:
                return self._item("actie", True, found)
            buried = buried or found
        if buried is not None:
            return self._item("actie", False, buried,
                              advice="Wat de lezer moet doen, staat verstopt in een lange alinea. Zet het "
                                     "onder een eigen kopje 'Wat moet u doen?', vooraan in een alinea of "
                                     "in een lijstje.", buried=True)
        return self._item("actie", False, advice="Zeg wat de lezer moet of kan doen (of dat hij niets hoeft te "
                                                 "doen), onder een kopje 'Wat moet u doen?'.", buried=False)

    def _time_statements(self):
        """Concrete and vague time statements in the content, and the relative terms to flag."""
        cues = self.data.cues
        concrete: list[Found] = []
        vague: list[Found] = []
        relative: list[Found] = []
        segments = [s for s in self.letter.content if s.kind != "heading"]
        for segment in segments:
            previous = ""
            for start, end, span in self.letter.sentences(segment):
                text = self.analysis.text[start:end]
                # 'Dan kunt u bezwaar maken. Dat moet binnen zes weken.': the term of the sentence before
                legal = bool(cues["legal_term_sentence"].search(text) or cues["legal_term_sentence"].search(previous))
                previous = text
                past = None
                for match in _DATE.finditer(text):
                    before = text[:match.start()]
                    preposition = cues["deadline_preposition"].search(before[-40:])
                    if preposition is None:
                        continue
                    word = preposition.group(0).strip().lower()
                    if not word.startswith(("vóór", "voor", "uiterlijk", "tot", "t/m")):
                        past = _is_past(span) if past is None else past
                        if past:
                            continue
                    p_start = start + len(before) - len(before[-40:]) + preposition.start()
                    concrete.append(self.letter.found(p_start, start + match.end()))
                for match in cues["relative"].finditer(text):
                    after = text[match.end():]
                    anchor = cues["letter_anchor"].match(after)
                    event = cues["event_anchor"].match(after) if anchor is None else None
                    if event is not None:
                        phrase = re.match(r"\s*\S+(?:\s+[^\s,.;:!?]+){0,2}", after)
                        stop = match.end() + (phrase.end() if phrase else 0)
                        concrete.append(self.letter.found(start + match.start(), start + stop))
                        continue
                    if legal:
                        continue
                    stop = match.end() + (anchor.end() if anchor else 0)
                    severity = "warning" if cues["action"].search(text) else None
                    found = self.letter.found(start + match.start(), start + stop, severity=severity)
                    relative.append(found)
                    vague.append(found)
                if not legal:
                    for match in cues["vague_time"].finditer(text):
                        vague.append(self.letter.found(start + match.start(), start + match.end()))
        content_blocks = {s.index for s in segments}
        concrete.extend(_merge_fields(self.analysis, "datum", self.data, content_blocks))
        # a date the reader can put in his diary first, a term from a later event after it
        concrete.sort(key=lambda f: (not (_DATE.search(f.text) or _placeholder_spans(f.text)), f.start))
        return concrete, vague, relative

    def _item_concrete_datum(self) -> Item:
        concrete, vague, relative = self._time_statements()
        self.relative_terms = relative
        if vague:
            first = vague[0]
            return self._item("concrete_datum", False, first,
                              advice=f"'{first.text}' is geen datum. Noem de datum zelf: 'vóór [datum]', "
                                     "bijvoorbeeld 'vóór 15 mei 2026'.", vague=vague, concrete=concrete)
        if concrete:
            return self._item("concrete_datum", True, concrete[0], concrete=concrete)
        return self._item("concrete_datum", False,
                          advice="Noem de datum waarvoor de lezer iets moet doen: 'vóór 15 mei 2026'.",
                          none=True, concrete=[], code="BC405")

    def _item_bezwaar(self) -> Item:
        cues = self.data.cues
        letter = self.letter
        after = letter.salutation.index if letter.salutation else -1
        body = [(i, b, d) for i, b, d in letter.body if i > after or (letter.salutation and i == after)]
        mentions = [(position, block) for position, (_i, block, _d) in enumerate(body)
                    if cues["bezwaar"].search(block.text) and not (block.kind == "heading" and position + 1 >= len(body))]
        # the explanation itself, not an earlier 'u heeft bezwaar gemaakt'
        clauses = [(position, block) for position, block in mentions if cues["bezwaar_clause"].search(block.text)]
        if not (clauses or mentions):
            return self._item("bezwaar", False,
                              advice="Zeg hoe de lezer bezwaar maakt: 'Bent u het niet eens met dit besluit? Dan kunt "
                                     "u binnen 6 weken bezwaar maken. Stuur een brief naar [adres] of maak bezwaar op "
                                     "[website].'", missing=["de hele uitleg over bezwaar"])
        position, block = (clauses or mentions)[0]
        match = cues["bezwaar"].search(block.text)
        section = [block]
        for _i, following, _d in body[position + 1: position + 4]:
            if following.kind == "heading" or (following.formatting.bold and len(following.text) <= 80):
                break
            section.append(following)
        text = "\n".join(b.text for b in section)
        has_term = bool(cues["bezwaar_term"].search(text) or _DATE.search(text)
                        or any(self.data.merge["datum"].search(text[s:e]) for s, e in _placeholder_spans(text)))
        specials = {kind for _s, _e, kind in find_special_spans(text)}
        has_where = bool(cues["bezwaar_where"].search(text) or specials & {"url", "email", "postcode"})
        start = block.start + match.start()
        sentence = next((s for s in letter.sentences_of(self.analysis.document.blocks.index(block))
                         if s.start <= start < s.end + 1), None)
        found = (letter.found(sentence.start, sentence.end) if sentence
                 else letter.found(block.start, block.end))
        jargon = sorted({m.group(0).lower() for m in cues["bezwaar_jargon"].finditer(text)})
        missing = [part for part, ok in (("de termijn (binnen 6 weken)", has_term),
                                         ("waar en hoe de lezer bezwaar maakt", has_where)) if not ok]
        plain = (f"Schrijf het in gewone woorden; vermijd {', '.join(repr(j) for j in jargon)}."
                 if jargon else None)
        span = (section[0].start, section[-1].end)
        if missing:
            advice = (f"In de uitleg over bezwaar ontbreekt {' en '.join(missing)}. Bijvoorbeeld: 'Bent u "
                      "het niet eens met dit besluit? Dan kunt u binnen 6 weken bezwaar maken. Stuur een "
                      "brief naar [adres] of maak bezwaar op [website].'" + (f" {plain}" if plain else ""))
            return self._item("bezwaar", False, found, advice=advice, missing=missing, span=span)
        return self._item("bezwaar", True, found, advice=plain, jargon=jargon, span=span)

    # -- contact ---------------------------------------------------------------------------------
    def _contact(self) -> dict:
        """Phone numbers, e-mail, websites, people and opening hours, anywhere in the letter
        (header, footer, text boxes and tables too)."""
        if self._contact_facts:
            return self._contact_facts
        cues = self.data.cues
        letter = self.letter
        facts = {"phone": [], "email": [], "url": [], "channel": [], "person": [], "hours": []}
        for index, block, doc in self.analysis.blocks:
            for token in doc:
                kind = token._.special
                if kind in ("phone", "email", "url"):
                    before = block.text[max(0, token.idx - 12):token.idx].lower()
                    if kind == "phone" and "fax" in before:
                        continue
                    start, end = self.analysis.token_span(block, token, token)
                    facts[kind].append(letter.found(start, end))
            # where the contact details are: sentences of running text, whole lines elsewhere
            if block.kind in ("paragraph", "list_item", "heading"):
                units = [(s.start, s.end) for s in letter.sentences_of(index)]
            else:
                units = [(l.start, l.end) for l in _lines(block, index)]
            for start, end in units:
                specials = {kind for _s, _e, kind in find_special_spans(self.analysis.text[start:end])}
                text = _mask(self.analysis.text[start:end])
                contact = bool(cues["contact_context"].search(text) or specials & {"phone", "email"})
                if block.kind in ("header", "footer", "text_box", "table_cell") and specials & {"phone", "email", "url"}:
                    contact = True
                if not contact:
                    continue
                match = cues["contact_person"].search(text)
                if match:
                    facts["person"].append(letter.found(start + match.start(), start + match.end()))
                hours = list(cues["contact_hours"].finditer(text))
                if hours:  # 'op werkdagen' + '9.00 tot 17.00 uur': one stretch
                    facts["hours"].append(letter.found(start + hours[0].start(), start + hours[-1].end()))
                match = cues["contact_channel"].search(text)
                if match:
                    facts["channel"].append(letter.found(start + match.start(), start + match.end()))
        facts["phone"].extend(_merge_fields(self.analysis, "telefoon", self.data))
        facts["email"].extend(_merge_fields(self.analysis, "email", self.data))
        facts["person"].extend(_merge_fields(self.analysis, "persoon", self.data))
        facts["hours"].extend(_merge_fields(self.analysis, "bereikbaar", self.data))
        signer = None
        for line in letter.signature:
            if cues["signature_skip"].match(line.text):
                continue
            if cues["signature_name"].match(line.text):
                signer = letter.found(line.start, line.end, f"{line.text} (onder de brief)")
                break
        if signer:
            facts["person"].append(signer)
        self._contact_facts = facts
        return facts

    def _contact_item(self, key: str, found: list[Found], advice: str) -> Item:
        if found:
            return self._item(key, True, found[0])
        return self._item(key, False, advice=advice)

    def _item_contact_persoon(self) -> Item:
        return self._contact_item("contact_persoon", self._contact()["person"],
                                  "Noem een persoon of team dat de lezer kan bereiken: 'Bel met Sanne de Vries "
                                  "van team Vergunningen'.")

    def _item_contact_telefoon(self) -> Item:
        return self._contact_item("contact_telefoon", self._contact()["phone"],
                                  "Zet er een telefoonnummer bij: 'Bel ons op 14 020'.")

    def _item_contact_bereikbaar(self) -> Item:
        return self._contact_item("contact_bereikbaar", self._contact()["hours"],
                                  "Zeg wanneer de lezer kan bellen: 'maandag tot en met vrijdag van 9.00 tot "
                                  "17.00 uur'.")

    def _item_contact_kanaal(self) -> Item:
        facts = self._contact()
        channels = facts["phone"] + facts["email"] + facts["url"] + facts["channel"]
        return self._contact_item("contact_kanaal", channels,
                                  "Zeg hoe de lezer contact opneemt: een telefoonnummer, e-mailadres of website.")

    def _item_kenmerk(self) -> Item:
        cues = self.data.cues
        blocks = self.analysis.document.blocks
        found = None
        for index, block, _doc in self.analysis.blocks:
            for line in _lines(block, index):
                match = cues["kenmerk_label"].search(line.text)
                if match is None or re.search(r"\buw\s+$", line.text[:match.start()], re.IGNORECASE):
                    continue
                value = (match.group("value") or "").strip()
                if not value and index + 1 < len(blocks) and blocks[index + 1].kind == block.kind:
                    value = blocks[index + 1].text.split("\n")[0].strip()  # the value in the next table cell
                if value and (re.search(r"\d", value) or _only_placeholders(value.split()[0])):
                    found = self.letter.found(line.start, line.end)
                    break
            if found:
                break
        if found is None:
            fields = list(_merge_fields(self.analysis, "kenmerk", self.data))
            found = fields[0] if fields else None
        if found is None:
            return self._item("kenmerk", False, advice="Zet een kenmerk (zaaknummer) bij de brief en vraag de "
                                                       "lezer dat te noemen als hij belt of schrijft.")
        mentioned = bool(cues["kenmerk_mention"].search(self.analysis.text))
        advice = None if mentioned else "Vraag de lezer het kenmerk te noemen als hij belt of schrijft."
        return self._item("kenmerk", True, found, advice=advice)

    # -- visual cues -----------------------------------------------------------------------------
    def _cue_koppen(self):
        visual = self.data.visual
        letter = self.letter
        paragraphs = [s for s in letter.content if s.kind == "paragraph"]
        words = sum(s.words() for s in letter.content)
        need = (words >= visual["headings_min_words"]
                or (len(paragraphs) >= visual["headings_min_paragraphs"]
                    and words >= visual["headings_min_words_with_paragraphs"]))
        if not need or letter.headings:
            return [], None
        first = letter.first_paragraph() or letter.content[0]
        start, end = letter.wide(first.start, first.end)
        found = letter.found(start, end, f"{words} woorden in {len(paragraphs)} alinea's zonder tussenkopje",
                             words=words, paragraphs=len(paragraphs))
        style = " Gebruik in Word een kopstijl (Kop 2)." if letter.is_docx else ""
        return [found], ("Zet boven elk deel een kort tussenkopje, bijvoorbeeld 'Wat hebben wij besloten?', "
                         "'Wat moet u doen?' en 'Heeft u vragen?'." + style)

    def _cue_nep_kop(self):
        found = [self.letter.found(s.start, s.end) for s in self.letter.content if s.fake_heading]
        advice = ("Maak van deze vetgedrukte regels echte kopjes: kies in Word de stijl 'Kop 2'. Dan ziet een "
                  "voorleesprogramma dat het een kopje is, en staat het in de inhoud." if self.letter.is_docx else
                  "Maak van deze vetgedrukte regels echte kopjes (in Word de stijl 'Kop 2', in Markdown '## ').")
        return found, advice

    def _cue_opsomming(self):
        visual = self.data.visual
        result = []
        for segment in self.letter.content:
            if segment.kind not in ("paragraph", "table_cell", "text_box"):
                continue
            for start, end, span in self.letter.sentences(segment):
                items = _enumeration(span, segment.block.start, (start, end), visual)
                if items:
                    result.append(self.letter.found(start, end, count=len(items), items="; ".join(items)))
        return result, ("Zet de opsomming onder elkaar, als lijstje met opsommingstekens (•). Laat de zin "
                        "eindigen met een dubbele punt en zet elk ding op een eigen regel.")

    def _cue_stappen(self):
        cues = self.data.cues
        minimum = self.data.visual["step_min"]
        result = []
        for segment in self.letter.content:
            if segment.kind not in ("paragraph", "table_cell", "text_box"):
                continue
            sentences = self.letter.sentences(segment)
            for number, (start, _end, _span) in enumerate(sentences):
                if not cues["step_first"].search(self.analysis.text[start:_end]):
                    continue
                steps = [number]
                for later in range(number + 1, min(len(sentences), number + 8)):
                    if cues["step_next"].search(self.analysis.text[sentences[later][0]:sentences[later][1]]):
                        steps.append(later)
                if len(steps) >= minimum:
                    result.append(self.letter.found(start, sentences[steps[-1]][1], count=len(steps)))
                break
        # a bulleted list whose items are steps
        run: list[Segment] = []
        for segment in self.letter.content + [None]:
            if segment is not None and segment.kind == "list_item" and not segment.block.formatting.numbered:
                run.append(segment)
                continue
            if len(run) >= minimum:
                texts = [s.text(self.analysis) for s in run]
                marked = sum(1 for t in texts if cues["step_first"].search(t) or cues["step_next"].search(t))
                if cues["step_first"].search(texts[0]) and marked >= minimum - 1:
                    result.append(self.letter.found(run[0].start, run[-1].end, count=len(run)))
            run = []
        return result, ("Dit zijn stappen na elkaar. Zet ze in een genummerde lijst (1, 2, 3), met één stap "
                        "per regel, zodat de lezer ziet wat hij eerst doet.")

    def _cue_tekstmuur(self):
        letter = self.letter
        if not letter.headings:
            return [], None
        result = []
        section: list[Segment] = []
        for segment in letter.content + [None]:
            if segment is not None and segment.kind != "heading":
                section.append(segment)
                continue
            words = sum(s.words() for s in section)
            if words >= self.data.visual["wall_words"] and not any(s.kind == "list_item" for s in section):
                result.append(letter.found(section[0].start, section[-1].end,
                                           f"{words} woorden onder één kopje", words=words))
            section = []
        return result, ("Dit stuk is een muur van tekst. Maak kortere alinea's, zet er een tussenkopje in, of "
                        "zet opsommingen in een lijstje.")

    def _cue_lange_alinea(self):
        limit = self.data.visual["long_paragraph_words"]
        result = []
        for segment in self.letter.content:
            if segment.kind in TEXT_KINDS:
                words = sum(len([t for t in span if is_word(t)]) for _s, _e, span in self.letter.sentences(segment))
                if words > limit:
                    result.append(self.letter.found(segment.start, segment.end, words=words))
        return result, f"Maak alinea's van hoogstens {limit} woorden, met één onderwerp per alinea."

    def _cue_nadruk(self):
        """Deadline dates and amounts that sit late in a long paragraph and are not bold."""
        letter = self.letter
        minimum = self.data.visual["buried_min_words"]
        concrete = self.items["concrete_datum"].extra.get("concrete", [])
        result = []
        for segment in letter.content:
            if segment.kind != "paragraph" or segment.words() < minimum:
                continue
            sentences = letter.sentences(segment)
            if len(sentences) < 2:
                continue
            first_end = sentences[0][1]
            candidates = [f for f in concrete if segment.start <= f.start < segment.end and f.start >= first_end
                          and _DATE.search(f.text) and _DEADLINE_WORD.match(f.text)]
            for start, end, span in sentences[1:]:
                if not _PAYMENT.search(self.analysis.text[start:end]):
                    continue
                for token in span:
                    if token._.special == "amount":
                        s, e = self.analysis.token_span(segment.block, token, token)
                        if start <= s < end:
                            candidates.append(letter.found(s, e))
            for found in sorted(candidates, key=lambda f: f.start):
                if not letter.is_bold(found.start, found.end):
                    result.append(found)
        style = "vet" if letter.is_docx else "vet, of op een eigen regel"
        return result, (f"Laat belangrijke datums en bedragen opvallen: zet ze vooraan in de alinea, {style}, "
                        "of onder een kopje als 'Wat moet u doen?'.")

    def _cue_beeldbrief(self):
        letter = self.letter
        cues = self.data.cues
        pictures: dict[str, Found] = {}
        spans: list[tuple[int, int]] = []
        previous_text = ""
        for segment in letter.content:
            if segment.kind == "list_item":
                units = [(segment.start, segment.end)]
                context = bool(cues["bring_context"].search(previous_text))
            else:
                units = [(s, e) for s, e, _ in letter.sentences(segment)] or [(segment.start, segment.end)]
                context = False
                previous_text = segment.text(self.analysis)
            for start, end in units:
                text = self.analysis.text[start:end]
                if not (context or cues["bring_context"].search(text)):
                    continue
                hit = False
                for pattern, picture in self.data.things:
                    match = pattern.search(text)
                    if match and picture not in pictures and not (
                            cues["thing_exclude"].search(text[:match.start()])
                            or cues["thing_exclude"].search(text[match.end():])):
                        pictures[picture] = letter.found(start + match.start(), start + match.end())
                        hit = True
                if hit:
                    spans.append((start, end))
        if len(pictures) < self.data.visual["beeldbrief_min_items"]:
            return [], None
        described = [i.alt_text for i in self.analysis.document.images if i.alt_text and (
            i.block_index is None or self.analysis.document.blocks[i.block_index].is_body)]
        shown = {picture for pattern, picture in self.data.things if any(pattern.search(alt) for alt in described)}
        names = [name for name in pictures if name not in shown]
        if not names or len(described) >= len(pictures) and not shown:
            return [], None  # every thing has a described picture (or as many pictures as things)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
        found = letter.found(spans[0][0], spans[-1][1], pictures=listed, count=len(pictures))
        return [found], (f"Laat met plaatjes zien wat de lezer moet meenemen of laten zien, zoals in de "
                         f"beeldbrief van Rotterdam: een lijstje met een foto van {listed}. Zet bij elk plaatje "
                         "een beschrijving (alternatieve tekst).")

    def _cue_cursief_hoofdletters(self):
        visual = self.data.visual
        letter = self.letter
        result = []
        for segment in letter.content:
            if segment.kind not in TEXT_KINDS:
                continue
            formatting = segment.block.formatting
            words = segment.words()
            if formatting.italic and words >= visual["italic_min_words"]:
                result.append(letter.found(segment.start, segment.end, style="cursief", words=words))
            elif formatting.all_caps and words >= visual["caps_min_words"]:
                result.append(letter.found(segment.start, segment.end, style="hoofdletters", words=words))
            elif letter.plain:
                text = segment.text(self.analysis)
                for match in _MD_ITALIC.finditer(text):
                    inner = match.group("a") or match.group("b") or ""
                    if _words_of(inner) >= visual["italic_min_words"] and not _placeholder_spans(match.group(0)):
                        result.append(letter.found(segment.start + match.start(), segment.start + match.end(),
                                                   style="cursief", words=_words_of(inner)))
        return result, ("Lange stukken cursief of in hoofdletters zijn moeilijk te lezen. Gebruik gewone "
                        "letters; zet alleen een paar belangrijke woorden vet.")

    def _cue_alt_tekst(self):
        letter = self.letter
        document = self.analysis.document
        result = []
        groups: dict[tuple[int, int], list[str]] = {}
        for image in document.images:
            if image.alt_text:
                continue
            if image.block_index is not None:
                block = document.blocks[image.block_index]
                anchor = letter.wide(block.start, block.end)
            else:
                first = letter.first_paragraph() or (letter.content[0] if letter.content else None)
                if first is None:
                    continue
                anchor = letter.wide(first.start, first.end)
            groups.setdefault(anchor, []).append(image.name)
        for (start, end), names in groups.items():
            result.append(letter.found(start, end, f"{len(names)} afbeelding(en) zonder beschrijving: "
                                       + ", ".join(names), count=len(names), names=", ".join(names)))
        for index, block, _doc in self.analysis.blocks:
            for match in _MD_IMAGE.finditer(block.text):
                if not match.group("alt").strip():
                    result.append(letter.found(block.start + match.start(), block.start + match.end(),
                                               count=1, names=match.group("name") or "afbeelding"))
        result.sort(key=lambda f: f.start)
        return result, ("Geef elke afbeelding een korte beschrijving (in Word: rechtsklik > Alternatieve tekst "
                        "bewerken), bijvoorbeeld 'Foto van een paspoort'. Dan weet ook iemand die de brief laat "
                        "voorlezen wat erop staat.")

    # -- Word formatting (only .docx knows it) --------------------------------------------------
    def _cue_kleine_letter(self):
        minimum = self.data.visual["min_font_pt"]
        result = [self.letter.found(s.start, s.end, size=s.block.formatting.size_pt)
                  for s in self.letter.content
                  if s.block.formatting.size_pt is not None and s.block.formatting.size_pt < minimum]
        sizes = sorted({f.fields["size"] for f in result})
        shown = ", ".join(f"{size:g}".replace(".", ",") for size in sizes)
        return result, (f"Deze tekst staat in {shown} punt. Maak de letters minstens {minimum} punt "
                        "(liever 12).") if result else None

    def _cue_uitgevuld(self):
        minimum = self.data.visual["justify_min_words"]
        result = [self.letter.found(s.start, s.end) for s in self.letter.content
                  if s.kind in TEXT_KINDS and s.block.formatting.alignment == "justify" and s.words() >= minimum]
        return result, ("Zet de tekst links uitgelijnd, niet uitgevuld. Uitgevulde tekst geeft ongelijke "
                        "ruimtes tussen woorden; dat leest lastig, vooral voor mensen met dyslexie.")

    def _cue_lettertype(self):
        result, fonts = [], []
        for index, block, _doc in self.analysis.blocks:
            font = block.formatting.font
            if font and (font.lower() in self.data.hard_fonts or self.data.cues["hard_font_words"].search(font)):
                result.append(self.letter.found(block.start, block.end, font=font))
                if font not in fonts:
                    fonts.append(font)
        return result, (f"Het lettertype {', '.join(fonts)} is moeilijk te lezen. Kies een rustig lettertype "
                        "zonder schreef, zoals Arial, Verdana of het lettertype van de huisstijl.") if result else None

    def _cue_opmaaktabel(self):
        document = self.analysis.document
        if not document.layout_tables:
            return [], None
        cell = next((b for b in document.blocks if b.kind == "table_cell"), None)
        block = cell or (document.blocks[0] if document.blocks else None)
        if block is None:
            return [], None
        found = self.letter.found(block.start, block.end,
                                  f"{document.layout_tables} tabel(len) gebruikt om tekst te plaatsen",
                                  count=document.layout_tables)
        return [found], ("Gebruik geen tabel om tekst op zijn plaats te zetten: een voorleesprogramma leest de "
                         "cellen dan door elkaar. Zet de tekst gewoon onder elkaar, met kopjes of een lijstje.")

    # -- report ----------------------------------------------------------------------------------
    def to_details(self) -> dict:
        items = [self.items[key].to_dict() for key in ITEM_KEYS]
        visual = [cue.to_dict() for cue in self.cues.values()]
        missing = [i["label"] for i in items if i["required"] and not i["present"]]
        problems = [c["label"] for c in visual if c["ok"] is False]
        summary = [f"Soort brief: {self.letter_type_label}."]
        summary.append("Opbouw: alles wat deze soort brief nodig heeft, staat erin." if not missing
                       else "Opbouw: dit ontbreekt nog: " + "; ".join(missing) + ".")
        summary.append("Beeld: geen verbeterpunten gevonden." if not problems
                       else "Beeld: " + "; ".join(problems) + ".")
        return {"letter_type": self.letter_type, "letter_type_label": self.letter_type_label,
                "items": items, "visual": visual, "complete": self.complete, "summary": summary}


def _enumeration(span, block_start: int, limits: tuple[int, int], visual: dict) -> list[str]:
    """The items of an enumeration of 3+ things inside a sentence ('uw paspoort, een pasfoto en
    een uittreksel'), or []. Read from the tokens, not the parse (the parser often misses the
    coordination): comma-separated short parts without a finite verb, then 'en'/'of' and a last part."""
    max_words = visual["enumeration_max_item_words"]
    tokens = [t for t in span if limits[0] <= block_start + t.idx < limits[1]]

    def words(part) -> int:
        return sum(1 for t in part if is_word(t))

    def clean(part) -> bool:
        return (bool(part) and words(part) <= max_words and not any(_finite(t) for t in part)
                and not part[-1].text.endswith("-"))  # 'groente-, fruit- en tuinafval' is one thing

    def tail(part) -> list:
        """The end of a part that starts the sentence: 'U moet uw paspoort' → 'uw paspoort',
        'ruimte voor voetgangers' → 'voetgangers' (short, so that only real lists count)."""
        cut = 0
        for position, token in enumerate(part):
            if _finite(token) or token.pos_ == "ADP" or token.dep_ in ("nsubj", "ROOT"):
                cut = position + 1
        rest = part[cut:][-max_words:]
        if not rest or rest[-1].pos_ in ("VERB", "AUX") or rest[-1].text.endswith("-"):
            return []
        return rest

    for k, coordinator in enumerate(tokens):
        if coordinator.lower_ not in ("en", "of", "en/of"):
            continue
        last = []
        for token in tokens[k + 1:]:
            if (token.is_punct and token._.special is None) or _finite(token):
                break
            last.append(token)
        if not last or last[0].pos_ == "SCONJ" or set(last[0].morph.get("PronType")) & {"Int", "Rel"}:
            continue  # 'en wat u wilt leren': clauses, not a list of things
        chunks, current = [], []  # the parts before the coordinator, right to left
        for token in reversed(tokens[:k]):
            if token.text == ",":
                chunks.append(current)
                current = []
            elif (token.is_punct and token._.special is None) or token.lower_ in ("en", "of"):
                break
            else:
                current.insert(0, token)
        chunks.append(current)
        if len(chunks) < 2:
            continue
        items = []
        for position, chunk in enumerate(chunks):
            if clean(chunk) and position < len(chunks) - 1:
                items.append(chunk)
                continue
            part = tail(chunk)  # the start of the sentence: only its last words are the first item
            if part:
                items.append(part)
            break
        items = list(reversed(items)) + [last[:max_words]]
        if len(items) < visual["enumeration_min_items"]:
            continue
        if sum(1 for part in items if all(t._.special == "placeholder" for t in part if is_word(t))) * 2 >= len(items):
            continue  # merge fields in a row ('«Straat», «Postcode» en «Plaats»') are not the writer's list
        if sum(words(part) for part in items) >= visual["enumeration_min_words"] or len(items) >= 4:
            return [" ".join(t.text for t in part) for part in items]
    return []


def letter_anatomy(analysis) -> Anatomy:
    """The anatomy of a parsed letter, computed once (detectors and details share it).

    Kept on the analysis itself: a weak-keyed cache would never let go, because the anatomy
    refers back to its analysis (every letter stayed in memory)."""
    anatomy = analysis.__dict__.get("_anatomy")
    if anatomy is None:
        anatomy = analysis.__dict__["_anatomy"] = Anatomy(analysis)
    return anatomy


def anatomy_details(analysis, settings=None) -> dict:
    """The anatomy part of the report: items per letter type, visual cues, complete or not."""
    return letter_anatomy(analysis).to_details()
