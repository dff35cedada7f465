"""Batch speed, printed: ``python benchmarks/batch.py [--letters 1000] [--jobs 2] [--report]``.

Builds N one-page Word letters (.docx, 200-300 words each, merge fields, header and footer; every
letter different) in a temporary folder, then runs ``briefcheck batch`` on it as a new process:

* cold: with an empty result cache (the pipeline is loaded, every letter is analysed);
* unchanged: the same folder again (every result comes from the cache; no pipeline is loaded).

Targets (issue #8, on 2 cores): cold ≤ 90 s for 1,000 letters, unchanged ≤ 5 s.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LETTERS = HERE.parent / "tests" / "data" / "letters"
FIELD_RE = re.compile(r"«([^»\n]+)»|\[([A-Z][A-Z_]+)\]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMES = ["Jansen", "De Vries", "Bakker", "Visser", "Smit", "Meijer", "De Boer", "Mulder", "Bos", "Vos",
         "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kaya", "El Amrani", "Nguyen", "Yilmaz", "Postma"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def _paragraphs(text: str) -> list[str]:
    return [p.replace("\n", " ").strip() for p in text.split("\n\n") if p.strip()]


def letter_texts(count: int, seed: int = 8) -> list[list[str]]:
    """``count`` different one-page letters (paragraph lists) from the test letters: a letter, one or
    two body paragraphs of other letters, a unique name, date and reference."""
    rng = random.Random(seed)
    sources = [_paragraphs(p.read_text(encoding="utf-8")) for p in sorted(LETTERS.rglob("*.txt"))]
    body_pool = [p for paragraphs in sources for p in paragraphs if len(p.split()) >= 25]
    letters = []
    for i in range(count):
        base = list(sources[i % len(sources)])
        words = sum(len(p.split()) for p in base)
        insert_at = max(1, len(base) - 2)
        while words < 200:
            extra = rng.choice(body_pool)
            base.insert(insert_at, extra)
            insert_at += 1
            words += len(extra.split())
        day, month = rng.randint(1, 28), rng.choice(MONTHS)
        header = [f"Datum: {day} {month} 2026", f"Kenmerk: BC-2026-{i:05d}"]
        base = [p for p in base if not p.startswith(("Datum:", "Kenmerk:"))]
        base = base[:1] + header + base[1:]
        base = [re.sub(r"\b(mevrouw|meneer|heer) [A-Z][a-z]+(?: [A-Z][a-z]+)?", rf"\1 {rng.choice(NAMES)}", p)
                for p in base]
        letters.append(base)
    return letters


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Gemeente Rivierstad"
    section.footer.paragraphs[0].text = "Postbus 100, 1234 AB Rivierstad · 14 0123 · www.rivierstad.nl"
    for text in paragraphs:
        paragraph = document.add_paragraph()
        position = 0
        for match in FIELD_RE.finditer(text):
            if match.start() > position:
                paragraph.add_run(text[position:match.start()])
            name = match.group(1) or match.group(2)
            paragraph._p.append(parse_xml(
                f'<w:fldSimple xmlns:w="{W}" w:instr=" MERGEFIELD {name} "><w:r><w:t>«{name}»</w:t></w:r></w:fldSimple>'))
            position = match.end()
        if position < len(text):
            paragraph.add_run(text[position:])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build(folder: Path, count: int) -> int:
    """Write the letters into department folders; returns the total number of words."""
    departments = ["Belastingen", "Burgerzaken", "Sociaal Domein/Wmo", "Sociaal Domein/Participatie",
                   "Vergunningen", "Handhaving", "Afval", "Communicatie"]
    words = 0
    for i, paragraphs in enumerate(letter_texts(count)):
        path = folder / departments[i % len(departments)] / f"brief-{i:04d}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(docx_bytes(paragraphs))
        words += sum(len(p.split()) for p in paragraphs)
    return words


def run_batch(folder: Path, cache: Path, jobs: int, report: Path | None) -> tuple[float, int, str]:
    command = [sys.executable, "-m", "briefcheck.cli", "batch", str(folder), "--jobs", str(jobs),
               "--cache-dir", str(cache), "--quiet"]
    if report is not None:
        command += ["--report", str(report)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"briefcheck batch failed with exit code {done.returncode}")
    summary = next((line.strip() for line in done.stdout.splitlines() if line.strip().startswith("gecontroleerd")), "")
    return seconds, done.returncode, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--report", action="store_true", help="also write the HTML/CSV report in both runs")
    parser.add_argument("--keep", metavar="DIR", help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="briefcheck-bench-"))
    folder, cache = base / "brieven", base / "cache"
    try:
        if folder.exists():
            shutil.rmtree(folder)
        if cache.exists():
            shutil.rmtree(cache)
        started = time.perf_counter()
        words = build(folder, args.letters)
        print(f"built {args.letters} .docx letters ({words / args.letters:.0f} words on average) "
              f"in {time.perf_counter() - started:.1f} s")
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"machine: {cores} cores available, load average {load:.1f}; --jobs {args.jobs}")
        report = base / "rapport" if args.report else None
        cold, code, summary = run_batch(folder, cache, args.jobs, report)
        print(f"cold run (empty cache):  {cold:6.1f} s  {args.letters / cold:6.1f} letters/s  "
              f"(exit {code}; {summary})  target ≤ 90 s")
        warm, code, summary = run_batch(folder, cache, args.jobs, report)
        print(f"unchanged re-run:        {warm:6.1f} s  {args.letters / warm:6.1f} letters/s  "
              f"(exit {code}; {summary})  target ≤ 5 s")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
