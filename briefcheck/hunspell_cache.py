"""Fast loading of Hunspell dictionaries for spylls.

spylls parses a ``.dic`` file into one ``Word`` object per line: ~4 s of CPU for the 180,000
entries of the OpenTaal Dutch dictionary, most of the cold start of ``briefcheck check``. A
letter only ever touches a few hundred of those entries, so after the first (normal) load we keep
what spylls read from the ``.dic`` in briefcheck's cache folder, as plain strings, tuples and
bytes (marshal, read in a few tens of milliseconds). Later loads parse the small ``.aff`` normally
and put a :class:`LazyDic` in place of spylls' ``Dic``: it answers the same questions with the
same ``Word`` objects, but creates a ``Word`` only when lookup or suggest first asks for its stem.
Everything that needs all words at once (``words``, ``index``, spylls' n-gram suggester) gets
them all, created on first use.

The cache is keyed by the paths, sizes and modification times of the .aff and .dic, the spylls
version and the Python version. An unreadable, stale or foreign cache file, or a cache folder that
is not writable, means the normal load: never a different spelling verdict.

Measured on the OpenTaal dictionary (CPU time, busy machine): spylls' own load 4.5 s; first load
here (parse + write the 5 MB cache) ~3.5 s, as the garbage collector is paused while spylls
creates its objects; every later load ~0.1 s and ~140 MB less memory.

Entry point: :func:`load_dictionary`.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import operator
import os
import sys
import threading
from array import array
from bisect import bisect_left
from collections import defaultdict
from contextlib import contextmanager
from itertools import chain, compress, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Version of the cache layout below; raise it whenever the layout changes.
CACHE_FORMAT = 1
_INT = "I" if array("I").itemsize >= 4 else "L"  # array type of positions and numbers in the cache
_MULTI = 0xFFFFFFFF  # "several words have this stem", and "no rank yet" while building
_CHUNK = 4096  # words created at once while n-gram suggestions walk all words


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------

@contextmanager
def _gc_paused():
    """No cyclic garbage collection while ~10^5 long-lived objects are created: the collector would
    walk them again and again for nothing (it doubles spylls' parse time). Process-wide, but short."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_dictionary(stem: Path | str, *, use_cache: bool = True):
    """A spylls ``Dictionary`` for ``stem`` (path without .aff/.dic), from the cache when it is valid.

    The first load parses with spylls as usual and writes the cache; later loads take ~0.1 s.
    Any problem with the cache silently falls back to spylls' own loading. ``use_cache=False``:
    always spylls' own loading (same result as ``Dictionary.from_files``).
    """
    with _gc_paused():
        return _load(Path(stem), use_cache)


def _load(stem: Path, use_cache: bool):
    if not use_cache:
        return _parse(stem)[0]
    try:
        path, key = _cache_file(stem), _cache_key(stem)
    except Exception:  # noqa: BLE001 - no cache key (e.g. a file vanished): spylls reports the real error
        logger.debug("no cache key for %s", stem, exc_info=True)
        return _parse(stem)[0]
    try:
        dictionary = _load_cached(stem, path, key)
    except Exception:  # noqa: BLE001 - a broken cache must never break spelling
        logger.debug("hunspell cache %s unusable, parsing %s", path, stem, exc_info=True)
        dictionary = None
    if dictionary is not None:
        return dictionary
    dictionary, rep_added = _parse(stem)
    try:
        _write_cache(path, key, dictionary, rep_added)
    except Exception:  # noqa: BLE001 - no writable cache folder: the next load simply parses again
        logger.debug("cannot write hunspell cache %s", path, exc_info=True)
    return dictionary


# --------------------------------------------------------------------------------------------
# Cache file and key
# --------------------------------------------------------------------------------------------

def _cache_file(stem: Path) -> Path:
    from .lintdata import cache_dir

    aff, dic = (stem.with_suffix(".aff").resolve(), stem.with_suffix(".dic").resolve())
    # one file per dictionary location: a changed dictionary overwrites its old cache
    digest = hashlib.sha1(f"{aff}\0{dic}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return cache_dir() / f"hunspell-{stem.name}-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _spylls_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spylls")
    except PackageNotFoundError:  # spylls imported from a source tree
        import spylls

        return f"source:{Path(spylls.__file__).resolve().parent}"


def _cache_key(stem: Path) -> tuple:
    """Everything the cached data depends on; compared in full when the cache is read."""
    parts: list[Any] = [CACHE_FORMAT, _spylls_version(), tuple(sys.version_info[:2]), sys.byteorder]
    for suffix in (".aff", ".dic"):
        path = stem.with_suffix(suffix).resolve()
        info = path.stat()
        parts.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(parts)


# --------------------------------------------------------------------------------------------
# First load: spylls parses, we keep what it read
# --------------------------------------------------------------------------------------------

def _parse(stem: Path):
    """spylls' own ``Dictionary.from_files``, step by step, to see which REP patterns the .dic added.

    Returns (dictionary, [(pattern, replacement), ...] that ``read_dic`` appended to ``aff.REP``).
    """
    from spylls.hunspell import Dictionary, readers
    from spylls.hunspell.readers.file_reader import FileReader

    aff, context = readers.read_aff(FileReader(str(stem.with_suffix(".aff"))))
    rep_before = len(aff.REP)
    dic = readers.read_dic(FileReader(str(stem.with_suffix(".dic")), encoding=context.encoding),
                           aff=aff, context=context)
    rep_added = [(rep.pattern, rep.replacement) for rep in aff.REP[rep_before:]]
    return Dictionary(aff, dic), rep_added


def _build_cache(key: tuple, aff, dic, rep_added: list[tuple[str, str]]) -> dict:
    """The plain-data form of spylls' ``Dic``, in a layout that loads in a few milliseconds.

    Layout: the distinct stems, sorted and joined by newlines (a .dic line never holds one), for
    binary search; per sorted stem the position of its word in ``Dic.words`` (or MULTI: see
    "multi"); per word its stem's rank, flag set, capitalisation type. Parts that few letters need
    are nested marshal blobs, decoded on first use. The indexes are derived from the words as
    spylls' ``read_dic`` and ``Dic.append`` derive them, and checked against spylls' own.
    """
    from spylls.hunspell.algo.capitalization import Type as CapType

    # (map/filter/compress keep the loops over 180,000 words in C: this runs on the first load,
    # on top of spylls' own 4 s)
    words = dic.words
    count = len(words)
    if count >= _MULTI:
        raise ValueError("too many words for the cache layout")
    stems = list(map(attrgetter("stem"), words))
    # positions by stem (stable: homonyms stay in file order), walked once (big dicts are slow to build)
    unique: list[str] = []
    first = array(_INT)
    rank = array(_INT, [0]) * count
    multi: dict[str, Any] = {}  # stems with several words (homonyms): their positions, in order
    previous = None
    for i in sorted(range(count), key=stems.__getitem__):
        stem = stems[i]
        if stem != previous or not unique:
            unique.append(stem)
            first.append(i)
            previous = stem
        elif stem in multi:
            multi[stem].append(i)
        else:
            multi[stem] = [first[-1], i]
            first[-1] = _MULTI
        rank[i] = len(unique) - 1
    multi = {stem: tuple(positions) for stem, positions in multi.items()}
    joined = "\n".join(unique)
    if joined.count("\n") != max(len(unique) - 1, 0):
        raise ValueError("a stem contains a newline")
    index = dic.index
    if (len(index) != len(unique) or sum(map(len, index.values())) != count
            or any(not _same_words(index[stem], words, positions) for stem, positions in multi.items())):
        raise ValueError("Dic.index differs from what the cache would answer")
    flags = list(map(frozenset, map(attrgetter("flags"), words)))
    flag_sets = dict.fromkeys(flags)  # the distinct flag sets, numbered in order
    flag_ids = array(_INT, map(dict(zip(flag_sets, range(len(flag_sets)))).__getitem__, flags))
    captype_list = list(map(attrgetter("captype"), words))
    captypes = bytes(map({t: t.value for t in CapType}.__getitem__, captype_list))
    # Lowercase index: only the entries of words with capitals. For a word without capitals spylls'
    # read_dic iterates the stem string instead of [stem], so such a word is filed under each of its
    # *characters*; LazyDic recomputes those one-character entries from the stems when asked.
    lower: dict[str, Any] = {}
    lowercase = aff.casing.lower
    for i in compress(range(count), map(operator.is_not, captype_list, repeat(CapType.NO))):
        for lowered in lowercase(stems[i]):
            lower.setdefault(lowered, []).append(i)
    # the check: the same words under the longer keys; one-character keys as many entries in all
    lowercase_index = dic.lowercase_index
    keys = [key_ for key_ in lowercase_index if len(key_) > 1]
    chars = [key_ for key_ in lowercase_index if len(key_) == 1]
    lowercase_stems = compress(stems, map(operator.is_, captype_list, repeat(CapType.NO)))
    characters_of_lowercase_words = sum(map(len, lowercase_stems))
    if (set(keys) != {key_ for key_ in lower if len(key_) > 1}
            or not _same_words(list(chain.from_iterable(map(lowercase_index.__getitem__, keys))), words,
                               list(chain.from_iterable(map(lower.__getitem__, keys))))
            or sum(len(lowercase_index[char]) for char in chars)
            != characters_of_lowercase_words + sum(len(lower.get(char, ())) for char in chars)):
        raise ValueError("Dic.lowercase_index differs from what the cache would answer")
    lower = {key_: positions[0] if len(positions) == 1 else tuple(positions) for key_, positions in lower.items()}
    datas = list(map(attrgetter("data"), words))
    # words with data tags have a (possibly empty) defaultdict, the others an empty dict
    tagged = compress(range(count), map(operator.or_, map(bool, datas),
                                        map(operator.is_not, map(type, datas), repeat(dict))))
    data = {i: {tag: list(values) for tag, values in datas[i].items()} for i in tagged}
    alts = list(map(attrgetter("alt_spellings"), words))
    alt = {i: list(alts[i]) for i in compress(range(count), map(bool, alts))}
    return {
        "format": CACHE_FORMAT,
        "key": key,
        "count": count,
        "stems": joined,
        "first": first.tobytes(),
        "rank": rank.tobytes(),
        "flag_ids": flag_ids.tobytes(),
        "captypes": captypes,
        "rep": [tuple(pair) for pair in rep_added],
        # decoded on first use
        "flag_sets": marshal.dumps([tuple(sorted(flags)) for flags in flag_sets]),
        "multi": marshal.dumps(multi),
        "lower": marshal.dumps(lower),
        "data": marshal.dumps(data),
        "alt": marshal.dumps(alt),
    }


def _same_words(entries: list, words: list, positions) -> bool:
    return len(entries) == len(positions) and all(map(operator.is_, entries, map(words.__getitem__, positions)))


def _write_cache(path: Path, key: tuple, dictionary, rep_added: list[tuple[str, str]]) -> None:
    payload = marshal.dumps(_build_cache(key, dictionary.aff, dictionary.dic, rep_added))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temporary.write_bytes(payload)
        os.replace(temporary, path)  # atomic: another process never reads half a file
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------------
# Later loads
# --------------------------------------------------------------------------------------------

def _load_cached(stem: Path, path: Path, key: tuple):
    """The dictionary from the cache file, or None when there is no valid one for ``key``."""
    try:
        raw = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT or raw.get("key") != key:
        return None
    from spylls.hunspell import readers
    from spylls.hunspell.data.aff import RepPattern
    from spylls.hunspell.readers.file_reader import FileReader

    lazy_dic, cached_dictionary = _classes()
    dic = lazy_dic(raw)
    aff, _ = readers.read_aff(FileReader(str(stem.with_suffix(".aff"))))
    for pattern, replacement in raw["rep"]:  # what read_dic would have added from ph: tags
        aff.REP.append(RepPattern(pattern, replacement))
    return cached_dictionary(aff, dic)


def _int_array(data: bytes) -> array:
    numbers = array(_INT)
    numbers.frombytes(data)
    return numbers


def _make_classes():
    from spylls.hunspell import Dictionary
    from spylls.hunspell.algo import lookup, suggest
    from spylls.hunspell.algo.capitalization import Type as CapType
    from spylls.hunspell.data.dic import Dic, Word

    captype_of = {t.value: t for t in CapType}

    class LazyDic(Dic):
        """spylls' ``Dic`` whose ``Word`` objects are created on first use, from the cached data.

        ``homonyms`` (all that lookup and suggest ask of a Dic) returns the same lists, in the same
        order, with one shared ``Word`` per dictionary entry, as spylls' ``Dic`` does; ``words``,
        ``index`` and ``lowercase_index`` are complete too, created when first used. Stems are
        found by binary search in the sorted stems: building a dict of 180,000 stems would cost
        more than all look-ups of a letter together.
        """

        def __init__(self, raw: dict):  # pylint: disable=super-init-not-called
            # (spylls' dataclass __init__ would need every Word up front)
            count = raw["count"]
            self._sorted: list[str] = raw["stems"].split("\n") if count else []
            self._first = _int_array(raw["first"])
            self._rank = _int_array(raw["rank"])
            self._flag_ids = _int_array(raw["flag_ids"])
            self._captypes: bytes = raw["captypes"]
            if not (len(self._rank) == len(self._flag_ids) == len(self._captypes) == count
                    and len(self._first) == len(self._sorted)):
                raise ValueError("inconsistent hunspell cache")
            self._raw = raw
            self._parts: dict[str, Any] = {}
            self._flag_sets: list | None = None  # these three: parts, decoded with the first Word
            self._word_data: dict = {}
            self._alt: dict = {}
            self._objects: list = [None] * count
            self._found: dict[str, list] = {}  # stem -> its Words, once asked for
            self._lower_found: dict[str, list] = {}  # the same for the lowercase index
            self._lock = threading.RLock()  # words is built inside index and lowercase_index
            self._all_words: list | None = None
            self._plain_index: defaultdict | None = None
            self._plain_lower: defaultdict | None = None
            self._plain = False  # True after append(): from then on spylls' own Dic code runs

        def _part(self, name: str):
            """A part of the cache that few letters need, decoded on first use."""
            part = self._parts.get(name)
            if part is None:
                part = self._parts[name] = marshal.loads(self._raw[name])
            return part

        # -- Word objects ------------------------------------------------------------------

        def _word(self, i: int):
            word = self._objects[i]
            if word is None:
                if self._flag_sets is None:
                    self._flag_sets = self._part("flag_sets")
                    self._word_data = self._part("data")
                    self._alt = self._part("alt")
                data = self._word_data.get(i)
                word = Word(
                    stem=self._sorted[self._rank[i]],
                    flags=set(self._flag_sets[self._flag_ids[i]]),
                    data={} if data is None else defaultdict(list, data),
                    alt_spellings=list(self._alt.get(i, ())),
                    captype=captype_of[self._captypes[i]],
                )
                # two threads may both create it: the first one stored is the one everybody gets
                existing = self._objects[i]
                if existing is None:
                    self._objects[i] = word
                else:
                    word = existing
            return word

        def _words_in(self, start: int, stop: int, skip=frozenset()) -> list:
            """The words at positions start..stop-1, but those whose flag set number is in ``skip``."""
            with _gc_paused():  # many new objects at once: see _gc_paused
                flag_ids, word = self._flag_ids, self._word
                return [word(i) for i in range(start, stop) if flag_ids[i] not in skip]

        # -- what lookup and suggest use ---------------------------------------------------

        def homonyms(self, stem: str, *, ignorecase: bool = False):
            if self._plain:
                return super().homonyms(stem, ignorecase=ignorecase)
            if ignorecase:
                return self._lower_homonyms(stem)
            found = self._found.get(stem)
            if found is not None:
                return found
            stems = self._sorted
            k = bisect_left(stems, stem)
            if k == len(stems) or stems[k] != stem:
                return []  # most calls: lookup tries many splits of a word that are no stem
            i = self._first[k]
            positions = (i,) if i != _MULTI else self._part("multi")[stem]
            found = self._found[stem] = [self._word(i) for i in positions]
            return found

        def _lower_homonyms(self, stem: str) -> list:
            found = self._lower_found.get(stem)
            if found is None:
                if len(stem) == 1:
                    found = self._homonyms_of_char(stem)
                else:
                    ref = self._part("lower").get(stem)
                    if ref is None:
                        return []
                    found = [self._word(i) for i in ((ref,) if type(ref) is int else ref)]
                self._lower_found[stem] = found
            return found

        def _homonyms_of_char(self, char: str) -> list:
            """spylls' lowercase index for a one-character key: every word without capitals once per
            occurrence of the character in its stem, and the words with capitals lowercasing to it."""
            ref = self._part("lower").get(char, ())
            capitals = {ref} if type(ref) is int else set(ref)
            no = CapType.NO.value
            stems = self._sorted
            found = []
            for i, (k, captype) in enumerate(zip(self._rank, self._captypes)):
                if captype == no:
                    count = stems[k].count(char)
                    if count:
                        found.extend([self._word(i)] * count)
                elif i in capitals:
                    found.append(self._word(i))
            return found

        # -- complete views (slow path: n-gram suggestions, code that walks the dictionary) -

        @property
        def words(self) -> list:
            if self._all_words is None:
                with self._lock:
                    if self._all_words is None:
                        self._all_words = self._words_in(0, len(self._objects))
            return self._all_words

        @property
        def index(self):
            if self._plain_index is None:
                with self._lock:
                    if self._plain_index is None:
                        index = defaultdict(list)
                        for word in self.words:
                            index[word.stem].append(word)
                        self._plain_index = index
            return self._plain_index

        @property
        def lowercase_index(self):
            if self._plain_lower is None:
                words = self.words
                with self._lock:
                    if self._plain_lower is None:
                        lowers: dict[int, list[str]] = defaultdict(list)
                        for key, ref in self._part("lower").items():
                            for i in ((ref,) if type(ref) is int else ref):
                                lowers[i].append(key)
                        index = defaultdict(list)
                        no = CapType.NO.value
                        for i, word in enumerate(words):
                            # exactly what read_dic does, including its per-character quirk
                            for key in (word.stem if self._captypes[i] == no else lowers.get(i, ())):
                                index[key].append(word)
                        self._plain_lower = index
            return self._plain_lower

        def append(self, word, *, lower) -> None:
            """Add a word (spylls itself never does after reading): switches to spylls' own ``Dic`` code."""
            if not self._plain:
                self.index  # noqa: B018 - build both complete indexes before they change
                self.lowercase_index  # noqa: B018
                self._plain = True
            super().append(word, lower=lower)

        def __repr__(self) -> str:
            count = len(self._all_words) if self._plain else len(self._objects)
            return f"Dictionary(... {count} words ...)"

    class NgramWords:
        """``Suggest.words_for_ngram`` of a LazyDic: the words that n-gram suggestions may come from,
        in order, created while they are iterated (so that the deadline of whoever iterates, like
        briefcheck's suggestion budget, also bounds the work of creating them)."""

        def __init__(self, dic: LazyDic, bad_flags: set[str]):
            self._dic = dic
            self._bad_flags = frozenset(bad_flags)
            self._count = len(dic.words) if dic._plain else len(dic._objects)  # spylls' list is a snapshot too
            self._words: list | None = None

        def __iter__(self):
            return iter(self._words) if self._words is not None else self._generate()

        def _generate(self):
            dic = self._dic
            found = []
            if dic._plain:  # words were added: spylls' own filter
                found = [w for w in dic.words[:self._count] if not self._bad_flags.intersection(w.flags)]
                yield from found
            else:
                bad = {k for k, flags in enumerate(dic._part("flag_sets")) if self._bad_flags.intersection(flags)}
                for start in range(0, self._count, _CHUNK):
                    chunk = dic._words_in(start, min(start + _CHUNK, self._count), skip=bad)
                    found.extend(chunk)
                    yield from chunk
            self._words = found  # only once complete: an interrupted walk starts again next time

        def _list(self) -> list:
            if self._words is None:
                for _ in self:
                    pass
            return self._words

        def __len__(self) -> int:
            return len(self._list())

        def __getitem__(self, index):
            return self._list()[index]

    class _NoWords:
        words: tuple = ()

    class CachedDictionary(Dictionary):
        """spylls' ``Dictionary`` whose suggester doesn't walk every word when it is made."""

        def __init__(self, aff, dic):  # pylint: disable=super-init-not-called
            self.aff = aff
            self.dic = dic
            self.lookuper = lookup.Lookup(self.aff, self.dic)
            self._suggester = None
            self._suggester_lock = threading.Lock()

        @property
        def suggester(self):
            if self._suggester is None:
                with self._suggester_lock:
                    if self._suggester is None:
                        # spylls' own __init__, over no words; then the real dic and its word list,
                        # filtered as spylls' Suggest.__init__ filters it
                        if isinstance(self.dic, LazyDic):
                            suggester = suggest.Suggest(self.aff, _NoWords(), self.lookuper)
                            suggester.dic = self.dic
                            bad_flags = {*filter(None, [self.aff.FORBIDDENWORD, self.aff.NOSUGGEST,
                                                        self.aff.ONLYINCOMPOUND])}
                            suggester.words_for_ngram = NgramWords(self.dic, bad_flags)
                        else:
                            suggester = suggest.Suggest(self.aff, self.dic, self.lookuper)
                        self._suggester = suggester
            return self._suggester

        @suggester.setter
        def suggester(self, value) -> None:
            self._suggester = value

    return LazyDic, CachedDictionary


_classes_lock = threading.Lock()
_made: tuple | None = None


def _classes():
    """(LazyDic, CachedDictionary), created on first use so that importing briefcheck doesn't import spylls."""
    global _made  # noqa: PLW0603
    with _classes_lock:
        if _made is None:
            _made = _make_classes()
        return _made


def __getattr__(name: str):
    if name == "LazyDic":
        return _classes()[0]
    if name == "CachedDictionary":
        return _classes()[1]
    raise AttributeError(name)
