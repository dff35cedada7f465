"""Speed and memory figures, printed: ``python benchmarks/run.py [--runs 30] [--markdown BENCHMARKS.md]``.

In one run, side by side with the baselines a user could pick instead (textstat alone, lint-ii alone):

* warm analysis time of a 350-word letter (every check, LiNT-II, tone, anatomy, spelling and
  suggestions), median and p95, pinned to one core; our caches are emptied before every run so a
  repeated letter is not cheaper than a new one;
* letters per second on all cores (one warm process per core, the letters of tests/data/letters);
* pipeline, rule and word-list load time; peak memory (resident) of this process;
* cold start of ``briefcheck check`` as a new process (median of 5).

With ``--all`` it also runs benchmarks/spelling.py, api.py, load.py and batch.py (each as its own
process) and puts their output in the Markdown file.
"""
from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LETTER = HERE / "brief-350.txt"
LETTERS = sorted((ROOT / "tests" / "data" / "letters").rglob("*.txt"))
TARGET_WARM_MS = 100
TARGET_COLD_S = 3.0


ALL_CORES = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set()


def pin_to_one_core() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if ALL_CORES:
        os.sched_setaffinity(0, {min(ALL_CORES)})


def use_all_cores() -> None:
    """Undo pin_to_one_core (worker processes and benchmark commands inherit the affinity)."""
    if ALL_CORES:
        os.sched_setaffinity(0, ALL_CORES)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def forget_caches() -> None:
    """Empty briefcheck's per-text caches, so every run pays what a new letter pays."""
    from briefcheck.nlp import find_special_spans

    find_special_spans.cache_clear()


def timed(function, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        function(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _worker_init() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_text

    analyze(read_text(LETTER.read_text(encoding="utf-8")))  # load everything once per process


def _worker_check(text: str) -> int:
    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_text

    forget_caches()
    return len(analyze(read_text(text)).findings)


def letters_per_second(processes: int, rounds: int = 3) -> tuple[float, int]:
    texts = [p.read_text(encoding="utf-8") for p in LETTERS] * rounds
    context = multiprocessing.get_context("spawn")  # a clean process per core, as a server would run
    with context.Pool(processes, initializer=_worker_init) as pool:
        pool.map(_worker_check, texts[:processes * 2])  # every worker warm
        started = time.perf_counter()
        pool.map(_worker_check, texts, chunksize=4)
        seconds = time.perf_counter() - started
    return len(texts) / seconds, len(texts)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory_gib = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        memory_gib = 0
    return (f"{os.cpu_count()} cores ({cpu}), {memory_gib:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--markdown", type=Path, help="also write the figures to this Markdown file")
    parser.add_argument("--all", action="store_true", help="also run api.py, load.py and batch.py")
    args = parser.parse_args()

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    # -- cold start first: nothing of ours is loaded in this process yet
    cold = []
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(args.cold_runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "briefcheck.cli", "check", str(LETTER), "--fail-on", "never"],
                       capture_output=True, env=env, check=True)
        cold.append(time.perf_counter() - started)

    pin_to_one_core()
    started = time.perf_counter()
    from briefcheck.nlp import get_nlp

    get_nlp()
    load_pipeline = time.perf_counter() - started
    started = time.perf_counter()
    from briefcheck.rules import get_rules

    get_rules()
    load_rules = time.perf_counter() - started
    started = time.perf_counter()
    from briefcheck.lintdata import install

    install()
    from briefcheck.spelling import check_spelling  # noqa: F401 (dictionary loads on first check)

    load_word_lists = time.perf_counter() - started

    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_text

    text = LETTER.read_text(encoding="utf-8")
    report = analyze(read_text(text))  # warm-up: first call loads the dictionary and the signal files
    words = report.metrics["words"]

    def briefcheck_run(_i: int) -> None:
        forget_caches()
        analyze(read_text(text))

    ours = timed(briefcheck_run, args.runs)

    # textstat alone: Flesch-Douma on the raw text (its functions are lru_cached: a new text each run)
    import textstat

    textstat.set_lang("nl")
    textstat_times = timed(lambda i: textstat.flesch_reading_ease(text + f" Kenmerk {i}."), args.runs)

    # lint-ii alone: it needs a spaCy Doc, so: our pipeline's parse + lint-ii's own analysis
    from lint_ii import ReadabilityAnalysis
    from lint_ii.core.sentence_analysis import SentenceAnalysis

    nlp = get_nlp()

    def lint_run(_i: int) -> None:
        doc = nlp(text)
        ReadabilityAnalysis([SentenceAnalysis(s) for s in doc.sents]).lint.score

    lint_times = timed(lint_run, args.runs)

    # part of the full analysis: the CEFR estimate's nine difficulty features, each run on fresh
    # lint-ii sentence analyses (they cache their properties), with the parse outside the timing
    from briefcheck.analysis import TextAnalysis
    from briefcheck.readability import (_lint_sentence_analyses, difficulty_features, lint_scores,
                                        reading_sentences, reading_words)

    letter_analysis = TextAnalysis(read_text(text), [])
    letter_analysis.docs = list(nlp.pipe(b.text for b in letter_analysis.document.blocks))
    reading = reading_sentences(letter_analysis)
    difficulty_times = []
    for _ in range(args.runs):
        sentence_analyses = _lint_sentence_analyses(reading)
        _, per_sentence = lint_scores(reading, sentence_analyses)
        started = time.perf_counter()
        difficulty_features(reading, sentence_analyses, per_sentence, reading_words(reading))
        difficulty_times.append((time.perf_counter() - started) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    use_all_cores()
    all_cores = len(ALL_CORES) or os.cpu_count() or 1
    per_second, letter_count = letters_per_second(all_cores)

    m_ours, m_textstat, m_lint = (statistics.median(x) for x in (ours, textstat_times, lint_times))
    say(f"Machine: {machine()}; measured {datetime.date.today().isoformat()}; "
        f"load average {os.getloadavg()[0]:.2f} at the end.")
    say(f"Command: `python benchmarks/run.py --runs {args.runs}{' --all' if args.all else ''}"
        f"{' --markdown ' + str(args.markdown) if args.markdown else ''}`")
    say()
    say(f"Letter: benchmarks/{LETTER.name}, {words} words, {len(report.findings)} findings.")
    say()
    say("| figure | briefcheck (everything) | textstat alone | lint-ii alone (parse + LiNT-II) |")
    say("| --- | --- | --- | --- |")
    say(f"| warm time per letter, one core, median ({args.runs} runs) | {m_ours:.1f} ms | {m_textstat:.2f} ms "
        f"| {m_lint:.1f} ms |")
    say(f"| warm time per letter, one core, p95 | {percentile(ours, 95):.1f} ms | "
        f"{percentile(textstat_times, 95):.2f} ms | {percentile(lint_times, 95):.1f} ms |")
    say(f"| ratio to briefcheck (median) | 1 | {m_textstat / m_ours:.3f} | {m_lint / m_ours:.2f} |")
    say()
    say(f"* Target for the full analysis: median ≤ {TARGET_WARM_MS} ms on one core: "
        f"{'met' if m_ours <= TARGET_WARM_MS else 'NOT met'} ({cores} core pinned).")
    say(f"* Of the full analysis, the nine difficulty features of the CEFR estimate: median "
        f"{statistics.median(difficulty_times):.2f} ms.")
    say(f"* Letters per second on all {all_cores} cores ({letter_count} letters of tests/data/letters, one warm "
        f"process per core): {per_second:.1f}.")
    say(f"* Load time: pipeline {load_pipeline:.2f} s; rules {load_rules * 1000:.0f} ms; "
        f"lint-ii word lists {load_word_lists:.2f} s.")
    say(f"* Peak memory (resident) of this process after all of the above: {peak_mb:.0f} MB.")
    say(f"* Cold start of `briefcheck check` on the letter, {args.cold_runs} runs: median "
        f"{statistics.median(cold):.2f} s, max {max(cold):.2f} s (target ≤ {TARGET_COLD_S:.0f} s: "
        f"{'met' if statistics.median(cold) <= TARGET_COLD_S else 'NOT met'}).")

    if args.all:
        for title, command in [
            ("Spelling (Hunspell, OpenTaal) on the 350-word letter", [sys.executable, str(HERE / "spelling.py")]),
            ("API, one request at a time (Flask test client)", [sys.executable, str(HERE / "api.py")]),
            ("API over HTTP (waitress on loopback)", [sys.executable, str(HERE / "api.py"), "--waitress"]),
            ("Server under load (60 s, 50 connections, loopback)", [sys.executable, str(HERE / "load.py")]),
            ("Batch of 1,000 one-page .docx letters", [sys.executable, str(HERE / "batch.py"), "--letters", "1000"]),
        ]:
            say()
            say(f"### {title}")
            say()
            say(f"Command: `python benchmarks/{' '.join(Path(c).name if c.endswith('.py') else c for c in command[1:])}`")
            say()
            result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ})
            say("```")
            for line in (result.stdout + (result.stderr if result.returncode else "")).strip().splitlines():
                say(line)
            say("```")

    if args.markdown:
        header = ["# Benchmarks", "", "Measured on this machine by the command below; every figure in one run.", ""]
        args.markdown.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
