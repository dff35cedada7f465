"""Speed figures, printed: ``python benchmarks/run.py [--runs 30]``.

* warm analysis time of a 350-word letter (every check), median and p95, pinned to one core;
* pipeline and rule load time;
* cold start of ``briefcheck check`` as a new process (median of 5).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LETTER = HERE / "brief-350.txt"


def pin_to_one_core() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()
    pin_to_one_core()

    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_path
    from briefcheck.nlp import get_nlp
    from briefcheck.rules import get_rules

    started = time.perf_counter()
    get_nlp()
    load_pipeline = time.perf_counter() - started
    started = time.perf_counter()
    get_rules()
    load_rules = time.perf_counter() - started

    document = read_path(LETTER)
    report = analyze(document)  # warm-up: first call fills caches
    words = report.metrics["words"]
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        analyze(read_path(LETTER))
        times.append((time.perf_counter() - started) * 1000)

    cold = []
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(args.cold_runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "briefcheck.cli", "check", str(LETTER), "--fail-on", "never"],
                       capture_output=True, env=env, check=True)
        cold.append(time.perf_counter() - started)

    print(f"letter: {LETTER.name}, {words} words, {len(report.findings)} findings")
    print(f"load pipeline: {load_pipeline:.2f} s; load rules: {load_rules * 1000:.0f} ms")
    print(f"warm analysis, one core, {args.runs} runs: median {statistics.median(times):.1f} ms, "
          f"p95 {percentile(times, 95):.1f} ms")
    print(f"cold start of 'briefcheck check', {args.cold_runs} runs: median {statistics.median(cold):.2f} s, "
          f"max {max(cold):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
