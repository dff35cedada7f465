"""Spelling and grammar: LanguageTool when the organisation runs a server, else Hunspell offline.

* A LanguageTool server URL (``[spelling] languagetool_url`` in briefcheck.toml, or the environment
  variable ``BRIEFCHECK_LANGUAGETOOL_URL``) → the letter goes to that server through
  ``language_tool_python``; its matches become findings BC610–BC619. The server is never trusted to
  answer: every call runs under a time limit, and a slow, dead or confused server only adds a
  notice to the report.
* No server → Hunspell with the OpenTaal Dutch dictionary (Debian's ``hunspell-nl``) through
  ``spylls`` (pure Python); misspelled words become findings BC601. No dictionary → a notice that
  spelling was not checked.

Never flagged: merge fields, e-mail addresses, URLs and the other special tokens, names, words with
digits, abbreviations, acronyms and the organisation's own words (``[spelling] word_lists``).

Entry point: :func:`check_spelling`. Nothing is loaded at import time.
"""
from __future__ import annotations

import bisect
import copy
import difflib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ConfigError
from .findings import Finding, Suggestion

logger = logging.getLogger(__name__)

ENV_URL = "BRIEFCHECK_LANGUAGETOOL_URL"

#: Where Debian's hunspell-nl puts the OpenTaal dictionary (path without .aff/.dic).
SYSTEM_DICTIONARIES = (Path("/usr/share/hunspell/nl"), Path("/usr/share/hunspell/nl_NL"))

#: Time for finding suggestions in one analysis, over all misspelled words together.
SUGGESTION_BUDGET_S = 1.0
#: No single word may take more than this of the budget, so the next words get suggestions too.
SUGGESTION_WORD_MAX_S = 0.4
MAX_SUGGESTIONS = 5
#: Longer "words" are not checked: no Dutch word is this long (Hunspell's own limit is 100), and
#: the dictionary lookup of one such word costs time that grows with its length (a 50,000-letter
#: word took minutes), outside the suggestion deadline.
MAX_WORD_CHARS = 100

#: After LanguageTool did not answer in time, skip it for this long: otherwise every letter in a
#: batch or in the web app would wait the full time limit for a server that is known to hang.
LANGUAGETOOL_COOLDOWN_S = 60.0
#: Text per request: LanguageTool servers often limit the text length of one request.
LANGUAGETOOL_CHUNK_CHARS = 20_000

#: Special tokens that LanguageTool must not report anything on (the issue: "not sent as errors").
PROTECTED_SPECIALS = frozenset({"placeholder", "email", "url"})

# A word as a speller sees it: letters, optionally joined by hyphens or apostrophes ("auto's").
_WORD_RE = re.compile(r"^['’]?[^\W\d_]+(?:[-'’][^\W\d_]+)*$")


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpellingSettings:
    """The ``[spelling]`` table of briefcheck.toml; every field has a default."""

    languagetool_url: str | None = None
    timeout_s: float = 5.0
    dictionary: Path | None = None  # .dic, .aff or the path without extension
    word_lists: tuple[Path, ...] = ()


def spelling_settings_from_toml(data: dict, base: Path) -> SpellingSettings:
    """Parse the ``[spelling]`` table of a parsed briefcheck.toml; paths are relative to ``base``.

    Raises ConfigError (Dutch message) on wrong values or missing word lists.
    """
    table = data.get("spelling", {})
    if not isinstance(table, dict):
        raise ConfigError("[spelling] moet een tabel zijn, bijvoorbeeld: [spelling] timeout = 5")
    known = {"languagetool_url", "timeout", "dictionary", "word_lists"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"spelling: onbekende instelling {', '.join(unknown)} "
                          f"(mogelijk: {', '.join(sorted(known))}).")
    url = table.get("languagetool_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise ConfigError('spelling.languagetool_url moet een adres zijn, bijvoorbeeld "http://localhost:8010".')
    timeout = table.get("timeout", 5.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 120:
        raise ConfigError("spelling.timeout moet een aantal seconden zijn tussen 0 en 120, bijvoorbeeld 5.")
    dictionary = table.get("dictionary")
    if dictionary is not None and not isinstance(dictionary, str):
        raise ConfigError('spelling.dictionary moet een pad zijn, bijvoorbeeld "/usr/share/hunspell/nl.dic".')
    lists = table.get("word_lists", [])
    if isinstance(lists, str):
        lists = [lists]
    if not isinstance(lists, list) or not all(isinstance(p, str) for p in lists):
        raise ConfigError('spelling.word_lists moet een lijst van bestanden zijn, bijvoorbeeld ["straatnamen.txt"].')
    word_lists = tuple((base / p).resolve() for p in lists)
    for path in word_lists:
        if not path.is_file():
            raise ConfigError(f"spelling.word_lists: de woordenlijst {path} bestaat niet.")
    return SpellingSettings(
        languagetool_url=url.strip() if url else None,
        timeout_s=float(timeout),
        dictionary=(base / dictionary).resolve() if dictionary else None,
        word_lists=word_lists,
    )


def effective_settings(settings: Any = None) -> SpellingSettings:
    """``settings.spelling`` if there is one, else defaults; the environment variable wins for the URL."""
    spelling = getattr(settings, "spelling", None)
    if not isinstance(spelling, SpellingSettings):
        spelling = SpellingSettings()
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        from dataclasses import replace

        spelling = replace(spelling, languagetool_url=url)
    return spelling


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

def check_spelling(analysis, settings: Any = None) -> tuple[list[Finding], list[str]]:
    """Spelling (and with LanguageTool grammar and style) findings, and Dutch notices for the report.

    Never raises: whatever goes wrong ends as a notice, so the other checks of the analysis stand.
    """
    spelling = effective_settings(settings)
    disabled = frozenset(getattr(settings, "disabled", ()) or ())
    notices: list[str] = []
    try:
        org_words = _organisation_words(spelling.word_lists, notices)
        if spelling.languagetool_url:
            findings = _check_languagetool(analysis, spelling, org_words, notices)
        elif "BC601" in disabled:
            findings = []
        else:
            findings = _check_hunspell(analysis, spelling, org_words, notices)
    except Exception:  # noqa: BLE001 - a bug here must not cost the user the whole report
        logger.exception("spelling check failed")
        return [], ["Spelling is niet gecontroleerd door een fout in briefcheck. De andere controles zijn wel gedaan."]
    findings = [f for f in findings if f.code not in disabled]
    return sorted(findings, key=lambda f: f.sort_key), notices


# --------------------------------------------------------------------------------------------
# Which words may be flagged
# --------------------------------------------------------------------------------------------

def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_acronym_like(word: str) -> bool:
    """WOZ, AOW, DigiD, iPhone: capitals after the first letter mark acronyms and product names."""
    rest = word[1:]
    return rest != rest.lower()


def _at_sentence_start(token) -> bool:
    # Only the parser's sentence starts: a capital at the start of a wrapped line is often a name.
    return bool(token.is_sent_start) or token.i == 0


def _followed_by_number(token) -> bool:
    """Kerkstraat 12: a capitalised word before a number is a street name, not a misspelling."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and (following.like_num or following.text[:1].isdigit())


def _may_flag(token, org_words: frozenset[str]) -> bool:
    """Whether a misspelling of this token would be worth a finding (names, codes etc. are not)."""
    text = token.text
    # letters only (no digits, dots, @, /, spaces): this also rules out most special tokens, cheaply
    if not 2 <= len(text) <= MAX_WORD_CHARS or not _WORD_RE.match(text) or token._.special:
        return False
    if text.lower() in org_words or ("-" not in text and _is_acronym_like(text)):
        return False  # hyphenated words (WOZ-waarde) are judged part by part
    if _is_capitalised(text):
        # Mid-sentence capitals are names (Jansen, Van der Berg, Rivierstad). At the start of a
        # sentence the tagger decides: a proper noun there is most likely a name too. Lowercase
        # tokens are checked even when tagged PROPN: our tagger calls unknown words (typos) that.
        if token.pos_ == "PROPN" or not _at_sentence_start(token) or _followed_by_number(token):
            return False
    return True


def _part_may_flag(part: str, org_words: frozenset[str]) -> bool:
    """A part of a hyphenated word: WOZ in WOZ-waarde, Noord in Rivierstad-Noord are not checked."""
    return (len(part) > 1 and not _is_acronym_like(part) and not _is_capitalised(part)
            and part.lower() not in org_words)


# --------------------------------------------------------------------------------------------
# Organisation word lists
# --------------------------------------------------------------------------------------------

def _organisation_words(paths: Iterable[Path], notices: list[str]) -> frozenset[str]:
    keys = []
    for path in paths:
        try:
            keys.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            notices.append(f"De woordenlijst {path} kon niet worden gelezen. De woorden daarin zijn niet meegenomen.")
    try:
        return _read_word_lists(tuple(keys))
    except (OSError, UnicodeDecodeError) as error:
        notices.append(f"Een woordenlijst kon niet worden gelezen ({error}). De eigen woorden zijn niet meegenomen.")
        return frozenset()


@lru_cache(maxsize=8)
def _read_word_lists(keys: tuple[tuple[str, int], ...]) -> frozenset[str]:
    """All words of the lists; cached per (path, modification time), so edits are seen by a running server."""
    words: frozenset[str] = frozenset()
    for path, mtime_ns in keys:
        words |= _read_word_list(path, mtime_ns)
    return words


@lru_cache(maxsize=32)
def _read_word_list(path: str, mtime_ns: int) -> frozenset[str]:
    """One word or name per line (# starts a comment); a line 'Team Belastingen' adds both words."""
    words: set[str] = set()
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if not line:
            continue
        words.add(line)
        for part in re.split(r"[\s\-/]+", line):
            if part:
                words.add(part)
    return frozenset(words)


# --------------------------------------------------------------------------------------------
# Hunspell (offline)
# --------------------------------------------------------------------------------------------

def _dictionary_candidates(configured: Path | None) -> list[Path]:
    stems = []
    if configured is not None:
        configured = Path(configured)
        stems.append(configured.with_suffix("") if configured.suffix in (".dic", ".aff") else configured)
    stems.extend(SYSTEM_DICTIONARIES)
    return stems


def find_dictionary(configured: Path | None = None) -> Path | None:
    """The first dictionary (path without extension) whose .aff and .dic both exist."""
    for stem in _dictionary_candidates(configured):
        if stem.with_suffix(".aff").is_file() and stem.with_suffix(".dic").is_file():
            return stem
    return None


class _Timeout(Exception):
    """The suggestion budget is spent."""


def _clock() -> float:
    """CPU time of this thread: the suggestion budget counts work done, not waiting, so a letter gets
    the same suggestions on a busy machine as on an idle one."""
    return time.thread_time()


class _DeadlineLookup:
    """Stands in for spylls' Lookup inside its Suggest, and stops it when the deadline passes."""

    def __init__(self, lookup, deadline: float):
        self._lookup = lookup
        self.deadline = deadline

    def good_forms(self, *args, **kwargs):
        if _clock() > self.deadline:
            raise _Timeout
        return self._lookup.good_forms(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        if _clock() > self.deadline:
            raise _Timeout
        return self._lookup(*args, **kwargs)


class _DeadlineWords:
    """Stands in for the word list spylls' ngram search loops over (its slowest step)."""

    def __init__(self, words, deadline: float):
        self._words = words
        self.deadline = deadline

    def __iter__(self):
        for index, word in enumerate(self._words):
            if index % 1024 == 0 and _clock() > self.deadline:
                raise _Timeout
            yield word

    def __len__(self):
        return len(self._words)


class Speller:
    """A loaded Hunspell dictionary with a verdict cache and time-boxed suggestions."""

    def __init__(self, stem: Path):
        from .hunspell_cache import load_dictionary

        self.stem = stem
        # spylls' Dictionary.from_files, but after the first time from briefcheck's cache (~0.1 s, not ~4 s)
        self.dictionary = load_dictionary(stem)
        aff = self.dictionary.aff
        self._lookuper = self.dictionary.lookuper
        self._alphabet = "".join(dict.fromkeys(ch for ch in (aff.TRY or "abcdefghijklmnopqrstuvwxyz")
                                               if ch.isalpha() and ch.islower()))
        self._suggestions: dict[str, list[str]] = {}
        # A word seen once needn't be looked up again: letters repeat most of their words.
        self.is_correct = lru_cache(maxsize=100_000)(self._is_correct)

    def _is_correct(self, word: str) -> bool:
        return bool(self.dictionary.lookup(word))

    # -- candidate checks -------------------------------------------------------------------

    def _good(self, word: str, *, compound: bool) -> bool:
        """Is ``word`` (exactly this case) a suggestible dictionary word? Without compounds it's ~20× cheaper."""
        aff = self.dictionary.aff
        form = aff.ICONV(word) if aff.ICONV else word
        if aff.FORBIDDENWORD and self.dictionary.dic.has_flag(form, aff.FORBIDDENWORD):
            return False
        return any(self._lookuper.good_forms(form, capitalization=False, allow_nosuggest=False,
                                             affix_forms=not compound, compound_forms=compound))

    # -- suggestions --------------------------------------------------------------------------

    def suggest(self, word: str, deadline: float) -> list[str]:
        """Up to MAX_SUGGESTIONS corrections of ``word``, found before ``deadline`` (on ``_clock()``).

        Why not simply spylls' ``suggest``: it takes ~3 s per word on the Dutch dictionary (it
        ends with an n-gram scan of every dictionary word), far too slow for a check that should
        cost milliseconds. Most real typos are one edit away, and Dutch has typical confusions
        (d/t endings, ei/ij, au/ou, single/double letters), so we first try those cheap candidates
        against the dictionary (plain words first, compounds next), and only when that finds
        nothing let spylls' own suggest run until the deadline.
        """
        cached = self._suggestions.get(word)
        if cached is not None:
            return cached
        word_deadline = _clock() + SUGGESTION_WORD_MAX_S
        # the word gets its full time: a search that still runs out of it, runs out of it every time
        full_time = word_deadline <= deadline
        deadline = min(deadline, word_deadline)
        lower = word.lower() if _is_capitalised(word) and not _is_acronym_like(word) else word
        found: list[str] = []
        complete = True
        try:
            self._suggest_edits(lower, found, deadline)
        except _Timeout:
            complete = False
        # closest first; ties keep the order of likelihood in which the candidates were tried
        found.sort(key=lambda candidate: -difflib.SequenceMatcher(None, lower, candidate).ratio())
        if not found and complete:
            try:
                self._suggest_spylls(lower, found, deadline)
            except _Timeout:
                complete = False
        result = [_match_case(s, word) for s in found[:MAX_SUGGESTIONS]]
        # Kept: a finished search, one that found something, and one that used all the time a word
        # may take (it would only spend that again, ~0.4 s of CPU per letter, for the same empty
        # answer). A search cut short by the letter's budget is tried again next time.
        if complete or result or full_time:
            if len(self._suggestions) > 20_000:  # a long-running server must not grow forever
                self._suggestions.clear()
            self._suggestions[word] = result
        return result

    def _suggest_edits(self, word: str, found: list[str], deadline: float) -> None:
        def consider(candidates: Iterable[str], compound: bool) -> None:
            seen = {word}
            for candidate in candidates:
                if candidate in seen:
                    continue
                seen.add(candidate)
                if _clock() > deadline:
                    raise _Timeout
                if candidate not in found and self._good(candidate, compound=compound):
                    found.append(candidate)
                    if len(found) >= 3 * MAX_SUGGESTIONS:
                        return

        likely = [*_rep_variants(word, self.dictionary.aff.REP), *_dutch_confusions(word), *_deletes(word),
                  *_swaps(word)]
        inserts = list(_inserts(word, self._alphabet))
        # Stages from likely to less likely; a stage that finds something ends the search, so a typical
        # typo costs a few hundred lookups. A plain lookup costs ~0.1 ms, a compound lookup ~1.5 ms;
        # Dutch writes compounds as one word (parkeervergunning), so the likeliest edits get one.
        stages = (
            ((likely, False), (inserts, False)),  # the OpenTaal REP table, d/t, ei/ij, ..., a letter too many or few
            ((likely, True), (_substitutions(word, self._alphabet), False)),
            ((inserts, True),),
            # two edits away, only with the typical edits: all pairs would be ~300,000 lookups
            (((e2 for e1 in dict.fromkeys(likely) for e2 in (*_dutch_confusions(e1), *_deletes(e1), *_swaps(e1))),
              False),),
        )
        for stage in stages:
            for candidates, compound in stage:
                consider(candidates, compound)
            if found:
                return

    def _suggest_spylls(self, word: str, found: list[str], deadline: float) -> None:
        # A private copy of spylls' Suggest whose lookups and word scan stop at the deadline.
        suggester = copy.copy(self.dictionary.suggester)
        suggester.lookup = _DeadlineLookup(self._lookuper, deadline)
        suggester.words_for_ngram = _DeadlineWords(self.dictionary.suggester.words_for_ngram, deadline)
        for suggestion in suggester(word):
            if suggestion not in found and suggestion != word:
                found.append(suggestion)
                if len(found) >= MAX_SUGGESTIONS:
                    return


def _match_case(suggestion: str, original: str) -> str:
    if _is_capitalised(original) and not _is_acronym_like(original):
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _deletes(word: str) -> Iterator[str]:
    return (word[:i] + word[i + 1:] for i in range(len(word)))


def _swaps(word: str) -> Iterator[str]:
    return (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1) if word[i] != word[i + 1])


def _inserts(word: str, alphabet: str) -> Iterator[str]:
    return (word[:i] + ch + word[i:] for i in range(len(word) + 1) for ch in alphabet)


def _substitutions(word: str, alphabet: str) -> Iterator[str]:
    return (word[:i] + ch + word[i + 1:] for i in range(len(word)) for ch in alphabet if ch != word[i])


def _replace_each(word: str, old: str, new: str) -> Iterator[str]:
    start = word.find(old)
    while start >= 0:
        yield word[:start] + new + word[start + len(old):]
        start = word.find(old, start + 1)


#: Pairs Dutch writers confuse anywhere in a word (both directions are tried).
_CONFUSIONS = [("ei", "ij"), ("au", "ou"), ("ie", "ië"), ("ee", "eë"), ("g", "ch"), ("s", "z"), ("f", "v"),
               ("c", "k"), ("c", "s"), ("y", "ij"), ("x", "ks")]


def _dutch_confusions(word: str) -> Iterator[str]:
    """Typical Dutch misspellings, undone: d/t endings, ei/ij, au/ou, single/double letters."""
    if word.endswith("dt"):
        yield word[:-1]
        yield word[:-2] + "t"
    elif word.endswith("td"):
        yield word[:-2] + "dt"
    elif word.endswith("d"):
        yield word[:-1] + "t"
        yield word + "t"
    elif word.endswith("t"):
        yield word[:-1] + "d"
        yield word[:-1] + "dt"
    for i in range(len(word) - 1):  # double letter written single, or single letter doubled
        if word[i] == word[i + 1]:
            yield word[:i] + word[i + 1:]
    for i, ch in enumerate(word):
        if ch.isalpha() and (i + 1 >= len(word) or word[i + 1] != ch) and (i == 0 or word[i - 1] != ch):
            yield word[:i + 1] + ch + word[i + 1:]
    for a, b in _CONFUSIONS:
        yield from _replace_each(word, a, b)
        yield from _replace_each(word, b, a)


def _rep_variants(word: str, reptable) -> Iterator[str]:
    """The dictionary's own REP table (typical misspellings OpenTaal lists)."""
    from spylls.hunspell.algo import permutations

    for variant in permutations.replchars(word, reptable or []):
        if isinstance(variant, str) and " " not in variant:
            yield variant


_speller_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load_speller(stem: str) -> Speller | None:
    try:
        return Speller(Path(stem))
    except Exception:  # noqa: BLE001 - a broken dictionary file is a notice, not a crash
        logger.exception("cannot load dictionary %s", stem)
        return None  # cached too: a broken file must not cost seconds on every letter


def get_speller(stem: Path) -> Speller | None:
    """The speller for a dictionary, loaded on first use and kept; None if it cannot be read.

    The first load of a dictionary ever takes 3–8 s; later ones (other processes too) come from the
    cache of :mod:`briefcheck.hunspell_cache` in ~0.1 s."""
    with _speller_lock:  # two threads must not both spend seconds loading the same dictionary
        return _load_speller(str(stem))


def _check_hunspell(analysis, spelling: SpellingSettings, org_words: frozenset[str],
                    notices: list[str]) -> list[Finding]:
    stem = find_dictionary(spelling.dictionary)
    if stem is None:
        missing = f" (ook niet {spelling.dictionary})" if spelling.dictionary is not None else ""
        notices.append(f"Spelling is niet gecontroleerd: er is geen Nederlands woordenboek gevonden{missing}. "
                       "Vraag uw beheerder om het pakket hunspell-nl te installeren.")
        return []
    if spelling.dictionary is not None and stem != _dictionary_candidates(spelling.dictionary)[0]:
        notices.append(f"Het ingestelde woordenboek {spelling.dictionary} is niet gevonden. "
                       f"De spelling is gecontroleerd met {stem.with_suffix('.dic')}.")
    speller = get_speller(stem)
    if speller is None:
        notices.append(f"Spelling is niet gecontroleerd: het woordenboek {stem.with_suffix('.dic')} "
                       "kon niet worden gelezen.")
        return []

    deadline = _clock() + SUGGESTION_BUDGET_S
    findings: list[Finding] = []
    for _, block, doc in analysis.blocks:
        for token in doc:
            if not _may_flag(token, org_words):
                continue
            word = token.text
            if speller.is_correct(word):
                continue
            bad = word
            if "-" in word:
                # WOZ-waarde, Rivierstad-Noord: judge the parts we may judge, flag the first bad one
                bad = next((p for p in word.split("-") if _part_may_flag(p, org_words) and not speller.is_correct(p)),
                           None)
                if bad is None:
                    continue
            start = block.start + token.idx
            end = start + len(word)
            replacements = [word.replace(bad, s, 1) for s in speller.suggest(bad, deadline)]
            findings.append(_hunspell_finding(analysis, block, start, end, word, replacements))
    return findings


def _hunspell_finding(analysis, block, start: int, end: int, word: str, replacements: list[str]) -> Finding:
    if replacements:
        message = f"'{word}' staat niet in het woordenboek. Bedoelt u: {', '.join(replacements[:3])}?"
    else:
        message = f"'{word}' staat niet in het woordenboek. Kijk of het goed geschreven is."
    return Finding(
        code="BC601", name="spelling", category="spelling", severity="warning", message=message,
        start=start, end=end, text=analysis.text[start:end],
        suggestions=[Suggestion(start, end, r, f"Vervang '{word}' door '{r}'.") for r in replacements],
        location=block.location,
        help="Is het woord toch goed (een straatnaam, productnaam of afdeling)? "
             "Laat het dan op de woordenlijst van uw organisatie zetten: [spelling] word_lists in briefcheck.toml.",
    )


# --------------------------------------------------------------------------------------------
# LanguageTool (server of the organisation)
# --------------------------------------------------------------------------------------------

#: LanguageTool category id / issue type → (our code, our category, severity).
_LT_SPELLING = ("BC610", "spelling", "warning")
_LT_GRAMMAR = ("BC611", "grammatica", "warning")
_LT_STYLE = ("BC612", "stijl", "suggestion")
_LT_OTHER = ("BC619", "grammatica", "suggestion")
LT_CATEGORIES = {
    "TYPOS": _LT_SPELLING, "CASING": _LT_SPELLING, "COMPOUNDING": _LT_SPELLING, "CONFUSED_WORDS": _LT_SPELLING,
    "SPELLING": _LT_SPELLING,
    "GRAMMAR": _LT_GRAMMAR, "PUNCTUATION": _LT_GRAMMAR, "AGREEMENT": _LT_GRAMMAR,
    "STYLE": _LT_STYLE, "REDUNDANCY": _LT_STYLE, "COLLOQUIALISMS": _LT_STYLE, "PLAIN_ENGLISH": _LT_STYLE,
    "REGIONALISMS": _LT_STYLE, "SEMANTICS": _LT_STYLE, "GENDER_NEUTRALITY": _LT_STYLE, "WIKIPEDIA": _LT_STYLE,
    "FALSE_FRIENDS": _LT_STYLE, "NONSTANDARD_PHRASES": _LT_STYLE, "REPETITIONS_STYLE": _LT_STYLE,
}
LT_ISSUE_TYPES = {
    "misspelling": _LT_SPELLING, "grammar": _LT_GRAMMAR, "style": _LT_STYLE, "duplication": _LT_STYLE,
    "register": _LT_STYLE, "locale-violation": _LT_SPELLING, "inconsistency": _LT_STYLE,
}


def languagetool_kind(category_id: str, issue_type: str) -> tuple[str, str, str]:
    """(code, category, severity) for a LanguageTool match: its category first, then its issue type."""
    return LT_CATEGORIES.get((category_id or "").upper()) or LT_ISSUE_TYPES.get((issue_type or "").lower()) or _LT_OTHER


class _LTUnavailable(Exception):
    """LanguageTool gave no usable answer; ``str`` is the Dutch notice."""


_lt_lock = threading.Lock()
_lt_tools: dict[tuple[str, float], Any] = {}
_lt_unresponsive_until: dict[str, float] = {}


def reset_languagetool() -> None:
    """Forget connected servers and servers that did not answer (for tests and after reconfiguring)."""
    with _lt_lock:
        _lt_tools.clear()
        _lt_unresponsive_until.clear()


def _lt_notice(reason: str, timeout_s: float) -> str:
    seconds = f"{timeout_s:g}".replace(".", ",")
    unit = "seconde" if timeout_s == 1 else "seconden"
    reasons = {
        "timeout": f"gaf geen antwoord binnen {seconds} {unit}",
        "recent-timeout": "gaf kort geleden geen antwoord en is daarom overgeslagen",
        "unreachable": "is niet bereikbaar",
        "nonsense": "gaf een antwoord dat briefcheck niet begrijpt",
        "no-dutch": "kent geen Nederlands",
    }
    return (f"De spelling- en grammaticacontrole (LanguageTool) {reasons[reason]}. "
            "De spelling en grammatica zijn dus niet gecontroleerd; de andere controles zijn wel gedaan.")


def _lt_tool(url: str, timeout_s: float):
    """A LanguageTool client for ``url`` (cached: its constructor asks the server for its languages)."""
    key = (url, timeout_s)
    with _lt_lock:
        tool = _lt_tools.get(key)
    if tool is not None:
        return tool
    import language_tool_python

    class _TimedLanguageTool(language_tool_python.LanguageTool):
        # The library waits up to 300 s per request; ours waits as long as the whole check may take,
        # so a worker thread that we abandoned ends soon after instead of lingering for minutes.
        _TIMEOUT = timeout_s  # type: ignore[assignment]

    tool = _TimedLanguageTool("nl", remote_server=url)
    with _lt_lock:
        _lt_tools[key] = tool
    return tool


def _lt_chunks(analysis) -> list[tuple[int, str]]:
    """(offset in analysis.text, text): whole blocks, up to LANGUAGETOOL_CHUNK_CHARS each (one huge block stays whole)."""
    chunks: list[tuple[int, str]] = []
    first = last = None
    for _, block, _ in analysis.blocks:
        if first is not None and block.end - first.start > LANGUAGETOOL_CHUNK_CHARS:
            chunks.append((first.start, analysis.text[first.start:last.end]))
            first = None
        if first is None:
            first = block
        last = block
    if first is not None:
        chunks.append((first.start, analysis.text[first.start:last.end]))
    return chunks


def _classify_lt_error(error: BaseException) -> str:
    import json

    import requests

    from language_tool_python.exceptions import LanguageToolError

    if isinstance(error, ValueError) and "unsupported language" in str(error):
        return "no-dutch"
    cause = error.__cause__ if isinstance(error, LanguageToolError) else error
    if isinstance(cause, requests.Timeout):
        return "timeout"
    if isinstance(cause, (requests.ConnectionError, ConnectionError)):
        return "unreachable"
    if isinstance(cause, (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError, IndexError)):
        return "nonsense"
    if isinstance(error, LanguageToolError):
        return "nonsense" if cause is None else "unreachable"
    return "nonsense"


def _lt_run(url: str, timeout_s: float, chunks: list[tuple[int, str]], result: dict) -> None:
    """Worker thread: connect and check every chunk; puts matches or the error into ``result``."""
    try:
        tool = _lt_tool(url, timeout_s)
        result["matches"] = [(base, text, tool.check(text)) for base, text in chunks]
    except Exception as error:  # noqa: BLE001 - handed to the waiting thread
        result["error"] = error


def _query_languagetool(analysis, spelling: SpellingSettings) -> list[tuple[int, str, list]]:
    """All LanguageTool matches per chunk, within ``spelling.timeout_s`` in total; else _LTUnavailable."""
    url, timeout_s = spelling.languagetool_url, spelling.timeout_s
    with _lt_lock:
        if _lt_unresponsive_until.get(url, 0.0) > time.monotonic():
            raise _LTUnavailable(_lt_notice("recent-timeout", timeout_s))
    chunks = _lt_chunks(analysis)
    if not chunks:
        return []
    result: dict = {}
    # The library has no overall time limit: a server that accepts the connection and then hangs
    # (or trickles bytes) would block the analysis. The worker thread is a daemon, so a hung call
    # is simply abandoned; its own request timeout ends it later.
    worker = threading.Thread(target=_lt_run, args=(url, timeout_s, chunks, result),
                              name="briefcheck-languagetool", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive() or (isinstance(result.get("error"), Exception) and _classify_lt_error(result["error"]) == "timeout"):
        with _lt_lock:
            _lt_unresponsive_until[url] = time.monotonic() + LANGUAGETOOL_COOLDOWN_S
        raise _LTUnavailable(_lt_notice("timeout", timeout_s))
    if "error" in result:
        error = result["error"]
        logger.warning("LanguageTool at %s failed: %r", url, error)
        raise _LTUnavailable(_lt_notice(_classify_lt_error(error), timeout_s))
    return result["matches"]


class _TokenIndex:
    """Tokens of the letter by absolute offset, to see what a LanguageTool span covers."""

    def __init__(self, analysis):
        self.tokens: list = []
        self.starts: list[int] = []
        for _, block, doc in analysis.blocks:
            for token in doc:
                self.tokens.append(token)
                self.starts.append(block.start + token.idx)

    def overlapping(self, start: int, end: int) -> list:
        i = max(bisect.bisect_right(self.starts, start) - 1, 0)
        found = []
        while i < len(self.tokens) and self.starts[i] < end:
            token = self.tokens[i]
            if self.starts[i] + len(token.text) > start:
                found.append(token)
            i += 1
        return found


def _utf16_end(text: str, start: int, length_utf16: int) -> int:
    """End (in code points) of a span that LanguageTool measured in UTF-16 units (emoji count twice)."""
    units = 0
    end = start
    while end < len(text) and units < length_utf16:
        units += 2 if ord(text[end]) > 0xFFFF else 1
        end += 1
    return end


def _is_name(token) -> bool:
    return _is_capitalised(token.text) and (token.pos_ == "PROPN" or not _at_sentence_start(token))


def _lt_keep(tokens: list, category: str, org_words: frozenset[str]) -> bool:
    """Whether a LanguageTool match on these tokens may be reported."""
    words = [t for t in tokens if not (t.is_space or t.is_punct)]
    if any(t._.special in PROTECTED_SPECIALS for t in tokens):
        return False
    if category == "spelling":
        # a "typo" in a name, postcode, amount or an organisation word is LanguageTool not knowing it
        return bool(words) and all(_may_flag(t, org_words) for t in words)
    # grammar and style may span a name ("Jansen hebben"), but not consist of names only
    return not words or not all(_is_name(t) for t in words)


def _check_languagetool(analysis, spelling: SpellingSettings, org_words: frozenset[str],
                        notices: list[str]) -> list[Finding]:
    try:
        results = _query_languagetool(analysis, spelling)
    except _LTUnavailable as unavailable:
        notices.append(str(unavailable))
        return []
    index = _TokenIndex(analysis)
    findings: dict[tuple[str, int, int], Finding] = {}
    dropped = 0
    for base, chunk, matches in results:
        astral = any(ord(ch) > 0xFFFF for ch in chunk)  # emoji: LanguageTool counts them as two
        for match in matches:
            finding = _lt_finding(analysis, index, base, chunk, astral, match, org_words)
            if finding is None:
                dropped += 1
                continue
            findings.setdefault((finding.code, finding.start, finding.end), finding)
    if dropped:
        logger.debug("dropped %d LanguageTool matches (protected spans or out of range)", dropped)
    return list(findings.values())


def _lt_finding(analysis, index: _TokenIndex, base: int, chunk: str, astral: bool, match,
                org_words: frozenset[str]) -> Finding | None:
    """A finding for one LanguageTool match (offsets relative to ``chunk``), or None to drop it."""
    try:
        offset, length = int(match.offset), int(match.error_length)
        rule_id = str(match.rule_id)
        message = re.sub(r"\s+", " ", str(match.message or "")).strip()
        replacements = [str(r) for r in (match.replacements or []) if isinstance(r, str) and r]
        code, category, severity = languagetool_kind(str(match.category or ""), str(match.rule_issue_type or ""))
    except (AttributeError, TypeError, ValueError):
        return None
    if offset < 0 or length <= 0 or offset >= len(chunk):
        return None
    # language_tool_python already moved the offset to code points, but not the length
    end_in_chunk = _utf16_end(chunk, offset, length) if astral else offset + length
    if end_in_chunk > len(chunk):
        return None
    start, end = base + offset, base + end_in_chunk
    if not _lt_keep(index.overlapping(start, end), category, org_words):
        return None
    block = analysis.document.block_at(start)
    text = analysis.text[start:end]
    return Finding(
        code=code, name=f"languagetool-{rule_id}", category=category, severity=severity,
        message=f"{message or 'Mogelijke fout'} (LanguageTool, {category}: {rule_id})",
        start=start, end=end, text=text,
        suggestions=[Suggestion(start, end, r, f"Vervang '{text}' door '{r}'.") for r in replacements[:MAX_SUGGESTIONS]],
        location=block.location if block else "",
        help=f"Uitleg van LanguageTool-regel {rule_id}: https://community.languagetool.org/rule/show/{rule_id}?lang=nl",
    )
