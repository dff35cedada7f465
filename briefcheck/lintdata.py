"""Fast loading of LiNT-II's word lists (SUBTLEX-NL frequencies, noun semantic types).

``lint_ii`` reads its word lists from parquet into Python dicts on first use (2-5 s here), which
would dominate the cold start of ``briefcheck check``. We read them through lint-ii once, keep a
compact copy in briefcheck's cache folder (marshal, keyed by the lint-ii version), and install
that as ``lint_ii.linguistic_data.wordlists`` before lint-ii asks for it. The data and the way
lint-ii uses it are unchanged; only the loading is faster. Without a writable cache folder we
fall back to lint-ii's own loading.
"""
from __future__ import annotations

import marshal
import os
import sys
import threading
import types
from importlib.metadata import version
from pathlib import Path

_FIELDS = ("sem_type", "super_sem_type", "head")
_lock = threading.Lock()
_installed = False


class NounData(dict):
    """lint-ii's NOUN_DATA, stored as tuples and read as the dicts lint-ii expects (it only calls get)."""

    def get(self, key, default=None):
        value = dict.get(self, key)
        if value is None:
            return default
        return {k: v for k, v in zip(_FIELDS, value) if v is not None}

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


def cache_dir() -> Path:
    base = os.environ.get("BRIEFCHECK_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "briefcheck"


def _cache_file() -> Path:
    return cache_dir() / f"lint-ii-{version('lint-ii')}-wordlists-{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _build() -> dict:
    from lint_ii.linguistic_data import wordlists as original

    return {
        "NOUN_DATA": {w: tuple(v.get(f) for f in _FIELDS) for w, v in original.NOUN_DATA.items()},
        "FREQ_DATA": dict(original.FREQ_DATA),
        "FREQ_SKIPLIST": list(original.FREQ_SKIPLIST),
        "MANNER_ADVERBS": list(original.MANNER_ADVERBS),
        "MEASUREMENT_UNITS": list(original.MEASUREMENT_UNITS),
    }


def install() -> None:
    """Make lint-ii's word lists available quickly; call before the first LiNT-II analysis."""
    global _installed
    if _installed:
        return
    with _lock:
        if _installed:
            return
        path = _cache_file()
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            data = None
        if data is None:
            if "lint_ii.linguistic_data.wordlists" in sys.modules:
                _installed = True
                return
            data = _build()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_bytes(marshal.dumps(data))
                temporary.replace(path)  # atomic: a parallel process never reads half a file
            except OSError:
                pass  # no writable cache: lint-ii's own lists are loaded now and used as they are
            if "lint_ii.linguistic_data.wordlists" in sys.modules:
                _installed = True
                return
        module = types.ModuleType("lint_ii.linguistic_data.wordlists")
        module.NOUN_DATA = NounData(data["NOUN_DATA"])
        module.FREQ_DATA = data["FREQ_DATA"]
        # sets, because lint-ii tests membership for every word
        module.FREQ_SKIPLIST = frozenset(data["FREQ_SKIPLIST"])
        module.MANNER_ADVERBS = frozenset(data["MANNER_ADVERBS"])
        module.MEASUREMENT_UNITS = frozenset(data["MEASUREMENT_UNITS"])
        import lint_ii.linguistic_data as package

        sys.modules[module.__name__] = module
        package.wordlists = module
        _installed = True


def word_frequencies() -> dict[str, float]:
    """LiNT-II's SUBTLEX-NL log frequencies (per billion words) by lower-case word form."""
    install()
    from lint_ii.linguistic_data import wordlists

    return wordlists.FREQ_DATA
