"""Output formats at the edge: a report as terminal text or JSON."""
from __future__ import annotations

import json
import os
import sys

from .findings import CATEGORY_LABELS, SEVERITY_LABELS, Report

_COLOURS = {"error": "31", "warning": "33", "suggestion": "36", "bold": "1", "dim": "2", "ok": "32"}


def use_colour(stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, style: str, colour: bool) -> str:
    return f"\033[{_COLOURS[style]}m{text}\033[0m" if colour else text


def _metric(value, suffix: str = "") -> str:
    if value is None:
        return "onbekend"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") + suffix
    return f"{value}{suffix}"


#: First words of the summary line that names the letter type (tone and anatomy both have one).
LETTER_TYPE_PREFIX = "Soort brief:"


def format_text(report: Report, colour: bool = False) -> str:
    lines = [_paint(f"briefcheck: {report.source_name}", "bold", colour)]
    m = report.metrics
    lines.append(
        f"{_metric(m.get('words'))} woorden, {_metric(m.get('sentences'))} zinnen, "
        f"gemiddeld {_metric(m.get('mean_sentence_words'))} woorden per zin."
    )
    lines.extend(readability_lines(report.details.get("readability")))
    tone_summary = (report.details.get("tone") or {}).get("summary", [])
    lines.extend(tone_summary)
    for item in (report.details.get("anatomy") or {}).get("summary", []):
        if item.startswith(LETTER_TYPE_PREFIX) and any(t.startswith(LETTER_TYPE_PREFIX) for t in tone_summary):
            continue  # the tone summary already names the letter type, with its confidence
        lines.append(item)
    lines.append("")
    # what the letter lacks as a whole first, as on the web page; then the text from top to bottom
    for finding in sorted(report.findings, key=lambda f: not f.whole_letter):
        label = SEVERITY_LABELS[finding.severity]
        head = _paint(f"{label:<12}", finding.severity, colour)
        where = finding.place
        lines.append(f"{head} {finding.code} {where}: {finding.message}")
        if not finding.whole_letter:  # the quoted words would only be where a comment goes
            excerpt = finding.text if len(finding.text) <= 90 else finding.text[:87] + "..."
            lines.append(_paint(f"             \u201c{excerpt}\u201d", "dim", colour))
        if finding.suggestions:
            first = finding.suggestions[0]
            if first.replacement and first.replacement[0] in ".,;:" and first.description:
                # '. Daarna ontvangt u …' replaces the end of a sentence: alone it reads as a fragment
                lines.append(f"             beter: {first.description}")
            else:
                options = " / ".join(f"\u201c{s.replacement}\u201d" for s in finding.suggestions[:3])
                lines.append(f"             beter: {options}")
    for notice in report.notices:
        lines.append(_paint(f"let op: {notice}", "dim", colour))
    counts = report.counts()
    lines.append("")
    lines.append(
        f"{counts['error']} fouten, {counts['warning']} waarschuwingen, {counts['suggestion']} tips."
    )
    if report.verdict.passed:
        lines.append(_paint("Deze brief voldoet aan het beleid.", "ok", colour))
    else:
        lines.append(_paint(
            f"Deze brief voldoet niet aan het beleid (grens: '"
            f"{SEVERITY_LABELS.get(report.verdict.fail_on, report.verdict.fail_on)}').", "error", colour))
        lines += ["Waarom niet:"] + [f"  - {reason}" for reason in report.verdict.reasons]
    return "\n".join(lines) + "\n"


def readability_lines(readability: dict | None) -> list[str]:
    """The scores in words a communication adviser reads at a glance."""
    if not readability:
        return []
    from .readability import LEVEL_LABELS

    lines = []
    lint = readability.get("lint")
    if lint and lint.get("score") is not None:
        lines.append(
            f"LiNT-II: {_metric(lint['score'])} (niveau {lint['level']} van 4: {LEVEL_LABELS[lint['level']]}; "
            f"ongeveer {lint['struggling_share']} % van de volwassenen heeft moeite met deze tekst)."
        )
    else:
        lines.append("LiNT-II: onbekend (te weinig gewone zinnen).")
    if readability.get("flesch_douma") is not None:
        lines.append(f"Flesch-Douma: {_metric(readability['flesch_douma'])}, "
                     f"leesindex Brouwer: {_metric(readability['brouwer'])} (hoger is makkelijker).")
    cefr = readability.get("cefr")
    if cefr:
        lines.append(cefr["b1"]["verdict"])
    return lines


def format_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)
