"""Spelling speed, printed: ``python benchmarks/spelling.py [--runs 30]``.

What check_spelling adds to the analysis of benchmarks/brief-350.txt with Hunspell (hunspell-nl),
pinned to one core, the dictionary loaded:

* warm: the usual case in a running process (word verdicts cached from earlier letters);
* cold verdicts: every word looked up again (the first letter after start-up);
* a letter with 5 misspellings, suggestions found afresh each run (the time budget at work).

Also the time to load the dictionary (once per process).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
LETTER = HERE / "brief-350.txt"
MISSPELLED = ("Wij hebben uw aanvraag ontvagen. U krijgt de vergunnig binnenkordt per post. "
              "Klopt uw adress niet? Bel dan de gemeete.")


def pin_to_one_core() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def timed(function, runs: int, before=None) -> list[float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    pin_to_one_core()
    os.environ.pop("BRIEFCHECK_LANGUAGETOOL_URL", None)  # measure the offline speller

    from briefcheck import spelling
    from briefcheck.analysis import TextAnalysis
    from briefcheck.formats import read_path
    from briefcheck.formats.text import document_from_text
    from briefcheck.nlp import get_nlp

    stem = spelling.find_dictionary()
    if stem is None:
        print("no Dutch Hunspell dictionary found (apt-get install hunspell-nl); nothing to measure")
        return 1
    nlp = get_nlp()
    started = time.perf_counter()
    speller = spelling.get_speller(stem)
    load = time.perf_counter() - started

    settings = SimpleNamespace(spelling=spelling.SpellingSettings())
    analysis = TextAnalysis.parse(read_path(LETTER), nlp)
    words = sum(1 for t in analysis.words)
    findings, notices = spelling.check_spelling(analysis, settings)  # warm-up
    warm = timed(lambda: spelling.check_spelling(analysis, settings), args.runs)
    cold = timed(lambda: spelling.check_spelling(analysis, settings), args.runs, speller.is_correct.cache_clear)
    bad = TextAnalysis.parse(document_from_text(MISSPELLED), nlp)

    def forget() -> None:
        speller.is_correct.cache_clear()
        speller._suggestions.clear()

    suggesting = timed(lambda: spelling.check_spelling(bad, settings), max(3, args.runs // 5), forget)

    print(f"dictionary: {stem} (loaded once per process in {load:.2f} s)")
    print(f"letter: {LETTER.name}, {words} words, {len(findings)} spelling findings, notices: {notices or 'none'}")
    print(f"spelling added to the analysis, one core, {args.runs} runs: median {statistics.median(warm):.1f} ms "
          f"(warm), {statistics.median(cold):.1f} ms (word verdicts not cached)")
    print(f"5 misspellings with fresh suggestions: median {statistics.median(suggesting):.0f} ms "
          f"(budget {spelling.SUGGESTION_BUDGET_S:g} s per analysis)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
