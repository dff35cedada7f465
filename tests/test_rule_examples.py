"""The rule examples are the tests: every wrong example is flagged at its marked span, every
right example is not flagged (LanguageTool's way). Generated from rules/*.yaml."""
from __future__ import annotations

import pytest

import io

from briefcheck.analyzer import analyze
from briefcheck.checks.wordlist import find_entries
from briefcheck.document import BLOCK_SEPARATOR
from briefcheck.formats import read_bytes
from briefcheck.formats.text import document_from_text
from briefcheck.rules import Example, get_rules

RULES = get_rules().rules


def _cases():
    for rule in RULES:
        for i, example in enumerate(rule.wrong):
            yield pytest.param(rule, example, True, id=f"{rule.code}-wrong-{i}")
        for i, example in enumerate(rule.right):
            yield pytest.param(rule, example, False, id=f"{rule.code}-right-{i}")


def _entry_cases():
    for rule in RULES:
        for entry in rule.entries:
            if entry.example:
                yield pytest.param(rule, entry, id=f"{rule.code}-{entry.term}")


def word_example_docx(example: Example) -> bytes:
    """A real .docx for a Word example: its text as one paragraph, or as the cells of a one-row
    table (python-docx's default table style has no borders), with the example's formatting."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    parts = example.text.split(BLOCK_SEPARATOR)
    if example.word.get("table"):
        table = document.add_table(rows=1, cols=len(parts))
        paragraphs = [cell.paragraphs[0] for cell in table.rows[0].cells]
    else:
        paragraphs = [document.add_paragraph() for _ in parts]
    for paragraph, text in zip(paragraphs, parts):
        run = paragraph.add_run(text)
        if "size_pt" in example.word:
            run.font.size = Pt(example.word["size_pt"])
        if "font" in example.word:
            run.font.name = example.word["font"]
        if example.word.get("alignment") == "justify":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _findings(rule, example: Example):
    if example.word is None:
        document = document_from_text(example.text)
    else:
        document = read_bytes(word_example_docx(example), "voorbeeld.docx")
        assert document.text == example.text, (rule.code, document.text)
    report = analyze(document, rules=[rule], with_details=False)
    return [f for f in report.findings if f.code == rule.code]


def test_every_rule_has_wrong_and_right_examples():
    assert RULES, "no rules loaded"
    for rule in RULES:
        assert rule.wrong and rule.right, rule.code


@pytest.mark.parametrize("rule,example,flagged", list(_cases()))
def test_rule_example(rule, example, flagged):
    findings = _findings(rule, example)
    if flagged:
        spans = [(f.start, f.end) for f in findings]
        assert example.span in spans, f"{rule.code}: expected a finding at {example.span} " \
            f"'{example.text[slice(*example.span)]}', got {[(s, example.text[s:e]) for s, e in spans]}"
    else:
        assert not findings, f"{rule.code}: unexpected {[f.text for f in findings]}"


@pytest.mark.parametrize("rule,entry", list(_entry_cases()))
def test_word_list_entry(rule, entry, nlp):
    """Each entry is flagged in its example; its rewritten example no longer has that entry."""
    findings = _findings(rule, entry.example)
    assert entry.example.span in [(f.start, f.end) for f in findings], entry.term
    if entry.better:
        matched = [e.term for _, _, e in find_entries(rule, nlp(entry.better))]
        assert entry.term not in matched, entry.better
