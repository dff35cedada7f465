"""Rules are data: YAML files in ``rules/`` (and an organisation's own files), loaded and checked.

The kinds of check are a small closed set, implemented in ``briefcheck.checks``:

* ``wordlist``  – words or phrases (matched on lemma or form) with plain alternatives;
* ``pattern``   – regular expressions or phrase lists on the text of a block;
* ``threshold`` – a measured value of a sentence, paragraph or letter above a limit;
* ``syntax``    – a named detector that reads the parse (passive voice, naamwoordstijl, ...).

Every rule carries wrong and right examples; the test suite is generated from them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .document import BLOCK_SEPARATOR
from .errors import RuleFileError

#: The rule files that ship with briefcheck (top level ``rules/`` of the project).
BUILTIN_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

KINDS = ("wordlist", "pattern", "threshold", "syntax")
SEVERITIES = ("suggestion", "warning", "error")
CATEGORIES = ("leesbaarheid", "woorden", "zinnen", "toon", "opbouw", "opmaak", "spelling", "grammatica", "stijl")
CODE_RE = re.compile(r"^[A-Z]{2,4}\d{3,4}$")
MARK_RE = re.compile(r"\[\[(.+?)\]\]")


#: A Word example starts with its formatting in braces: "{9 punt} Tekst", "{tabel zonder randen} A | B".
WORD_TAG_RE = re.compile(r"^\{([^{}]*)\}\s*")
#: Cells of a one-row table in a Word example.
CELL_SEPARATOR = " | "
WORD_TAGS_HELP = "'11 punt', 'uitgevuld', 'lettertype Arial', 'tabel zonder randen'"


def _word_formatting(tag: str) -> dict[str, Any]:
    """The formatting of a Word example from its tag: size_pt, alignment, font, table."""
    formatting: dict[str, Any] = {}
    for part in (p.strip() for p in re.split(r",\s+", tag)):  # "9,5 punt, uitgevuld": a comma and a space
        size = re.fullmatch(r"(\d{1,2}(?:[.,]5)?) punt", part)
        font = re.fullmatch(r"lettertype (\S.*)", part)
        if size:
            formatting["size_pt"] = float(size.group(1).replace(",", "."))
        elif part == "uitgevuld":
            formatting["alignment"] = "justify"
        elif font:
            formatting["font"] = font.group(1).strip()
        elif part == "tabel zonder randen":
            formatting["table"] = True
        else:
            raise ValueError(f"onbekende opmaak '{part}' in een Word-voorbeeld (kies uit {WORD_TAGS_HELP})")
    return formatting


@dataclass
class Example:
    """An example sentence; ``span`` is the marked part ``[[...]]`` (offsets in ``text``).

    A Word example (``word`` is set) stands for a .docx with that formatting: one paragraph, or a
    one-row table whose cells are separated by " | " in the rule file. ``text`` is then the text
    briefcheck reads from that .docx (cells joined as blocks), so ``span`` points into it."""

    text: str
    span: tuple[int, int] | None
    word: dict[str, Any] | None = None
    word_tag: str = ""

    @classmethod
    def parse(cls, raw: str) -> "Example":
        word, tag = None, ""
        tagged = WORD_TAG_RE.match(raw)
        if tagged:
            tag = tagged.group(1).strip()
            word = _word_formatting(tag)
            raw = raw[tagged.end():]
            if word.get("table"):
                raw = raw.replace(CELL_SEPARATOR, BLOCK_SEPARATOR)
        match = MARK_RE.search(raw)
        if not match:
            return cls(raw, None, word, tag)
        text = raw[: match.start()] + match.group(1) + raw[match.end():]
        if MARK_RE.search(text):
            raise ValueError("markeer in een voorbeeld maar één stuk met [[...]]")
        return cls(text, (match.start(), match.start() + len(match.group(1))), word, tag)

    def shown(self, text: str | None = None) -> str:
        """The example for people: a Word example says which formatting it has."""
        text = self.text if text is None else text
        if self.word is None:
            return text
        if self.word.get("table"):
            text = text.replace(BLOCK_SEPARATOR, CELL_SEPARATOR)
        return f"(in Word: {self.word_tag}) {text}"


@dataclass
class WordEntry:
    """One entry of a word list: a term, its plain alternatives, why, and an example pair."""

    term: str
    alternatives: list[str]
    why: str = ""
    example: Example | None = None
    better: str = ""
    line: int = 0


@dataclass
class Rule:
    code: str
    name: str
    kind: str
    category: str
    severity: str
    message: str
    why: str
    better: str
    wrong: list[Example]
    right: list[Example]
    source: str
    line: int
    params: dict[str, Any] = field(default_factory=dict)
    entries: list[WordEntry] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


#: libyaml's parser when PyYAML has it (about ten times faster: the CLI starts sooner).
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(FAST_SAFE_LOADER):
    """A YAML loader that remembers the line of every mapping (as ``__line__``)."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_REQUIRED = ("code", "name", "kind", "category", "severity", "message", "why", "examples")
_COMMON = set(_REQUIRED) | {"better", "entries", "__line__"}


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _fail(path: Path, line: int, code: str, problem: str) -> RuleFileError:
    return RuleFileError(f"{path}:{line}: {code}: {problem}")


def load_rule_file(path: Path | str) -> list[Rule]:
    """Load and validate one rule file. Raises RuleFileError naming file, line and rule code."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise RuleFileError(f"{path}:{line}: -: YAML-fout: {getattr(error, 'problem', error)}") from None
    except OSError as error:
        raise RuleFileError(f"{path}:0: -: kan het bestand niet lezen ({error.strerror})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFileError(f"{path}:1: -: het bestand moet een lijst 'rules:' bevatten")
    rules = []
    for raw in data["rules"]:
        if not isinstance(raw, dict):
            raise RuleFileError(f"{path}:0: -: elke regel moet een mapping zijn")
        rules.append(_parse_rule(path, raw))
    return rules


def _parse_rule(path: Path, raw: dict) -> Rule:
    line = raw.get("__line__", 0)
    code = str(raw.get("code", "?"))
    for key in _REQUIRED:
        if key not in raw:
            raise _fail(path, line, code, f"verplicht veld '{key}' ontbreekt")
    if not CODE_RE.match(code):
        raise _fail(path, line, code, "de code moet de vorm BC123 hebben")
    if raw["kind"] not in KINDS:
        raise _fail(path, line, code, f"onbekende soort '{raw['kind']}' (kies uit {', '.join(KINDS)})")
    if raw["severity"] not in SEVERITIES:
        raise _fail(path, line, code, f"onbekende ernst '{raw['severity']}' (kies uit {', '.join(SEVERITIES)})")
    if raw["category"] not in CATEGORIES:
        raise _fail(path, line, code, f"onbekende categorie '{raw['category']}'")
    examples = raw["examples"]
    if not isinstance(examples, dict) or not examples.get("wrong") or not examples.get("right"):
        raise _fail(path, line, code, "elke regel heeft minstens één fout ('wrong') en één goed ('right') voorbeeld")
    try:
        wrong = [Example.parse(str(e)) for e in examples["wrong"]]
        right = [Example.parse(str(e)) for e in examples["right"]]
    except ValueError as error:
        raise _fail(path, line, code, str(error)) from None
    if any(e.span is None for e in wrong):
        raise _fail(path, line, code, "markeer in elk fout voorbeeld het foute deel met [[...]]")
    params = {k: _without_lines(v) for k, v in raw.items() if k not in _COMMON}
    rule = Rule(
        code=code, name=str(raw["name"]), kind=raw["kind"], category=raw["category"],
        severity=raw["severity"], message=str(raw["message"]), why=str(raw["why"]).strip(),
        better=str(raw.get("better", "")).strip(), wrong=wrong, right=right,
        source=str(path), line=line, params=params,
    )
    if rule.kind == "wordlist":
        rule.entries = _parse_entries(path, rule, raw.get("entries"))
    # the kind's own checker validates its parameters now, so a broken rule fails at load time
    from .checks import validate_rule

    try:
        validate_rule(rule)
    except (ValueError, re.error) as error:
        raise _fail(path, line, code, str(error)) from None
    return rule


def _parse_entries(path: Path, rule: Rule, raw_entries: Any) -> list[WordEntry]:
    if not isinstance(raw_entries, list) or not raw_entries:
        raise _fail(path, rule.line, rule.code, "een woordenlijst heeft 'entries' nodig")
    entries = []
    seen: dict[str, int] = {}
    for raw in raw_entries:
        line = raw.get("__line__", rule.line) if isinstance(raw, dict) else rule.line
        if not isinstance(raw, dict) or not raw.get("term") or not raw.get("alternatives"):
            raise _fail(path, line, rule.code, "elk woord heeft 'term' en 'alternatives' nodig")
        term = str(raw["term"]).strip().lower()
        if term in seen:
            raise _fail(path, line, rule.code, f"'{term}' staat al in de lijst (regel {seen[term]})")
        seen[term] = line
        alternatives = raw["alternatives"]
        if isinstance(alternatives, str):
            alternatives = [alternatives]
        try:
            example = Example.parse(str(raw["example"])) if raw.get("example") else None
        except ValueError as error:
            raise _fail(path, line, rule.code, f"{term}: {error}") from None
        entries.append(WordEntry(term, [str(a) for a in alternatives], str(raw.get("why", "")).strip(),
                                 example, str(raw.get("better", "")), line))
    return entries


@dataclass
class RuleSet:
    """All loaded rules by code, in load order."""

    rules: list[Rule]

    def __post_init__(self) -> None:
        seen: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.code in seen:
                other = seen[rule.code]
                raise RuleFileError(
                    f"{rule.location}: {rule.code}: deze code is al gebruikt in {other.location}"
                )
            seen[rule.code] = rule
        self.by_code = seen

    def get(self, code: str) -> Rule | None:
        return self.by_code.get(code.upper())


def load_rules(extra_files: list[Path] | None = None, directory: Path = BUILTIN_RULES_DIR) -> RuleSet:
    """The built-in rules plus an organisation's extra rule files."""
    rules: list[Rule] = []
    for path in sorted(directory.glob("*.yaml")):
        rules.extend(load_rule_file(path))
    for path in extra_files or []:
        rules.extend(load_rule_file(path))
    return RuleSet(rules)


_cache: dict[tuple, RuleSet] = {}


def get_rules(extra_files: tuple[Path, ...] = ()) -> RuleSet:
    """Rules loaded once per set of extra files (rule files are read at first use, not at import)."""
    key = tuple(str(p) for p in extra_files)
    if key not in _cache:
        _cache[key] = load_rules(list(extra_files))
    return _cache[key]
