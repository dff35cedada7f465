"""The rule examples are the tests: every wrong example is flagged at its marked span, every
right example is not flagged (LanguageTool's way). Generated from rules/*.yaml."""
from __future__ import annotations

import pytest

from briefcheck.analyzer import analyze
from briefcheck.checks.wordlist import find_entries
from briefcheck.formats.text import document_from_text
from briefcheck.rules import get_rules

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


def _findings(rule, text):
    report = analyze(document_from_text(text), rules=[rule], with_details=False)
    return [f for f in report.findings if f.code == rule.code]


def test_every_rule_has_wrong_and_right_examples():
    assert RULES, "no rules loaded"
    for rule in RULES:
        assert rule.wrong and rule.right, rule.code


@pytest.mark.parametrize("rule,example,flagged", list(_cases()))
def test_rule_example(rule, example, flagged):
    findings = _findings(rule, example.text)
    if flagged:
        spans = [(f.start, f.end) for f in findings]
        assert example.span in spans, f"{rule.code}: expected a finding at {example.span} " \
            f"'{example.text[slice(*example.span)]}', got {[(s, example.text[s:e]) for s, e in spans]}"
    else:
        assert not findings, f"{rule.code}: unexpected {[f.text for f in findings]}"


@pytest.mark.parametrize("rule,entry", list(_entry_cases()))
def test_word_list_entry(rule, entry, nlp):
    """Each entry is flagged in its example; its rewritten example no longer has that entry."""
    findings = _findings(rule, entry.example.text)
    assert entry.example.span in [(f.start, f.end) for f in findings], entry.term
    if entry.better:
        matched = [e.term for _, _, e in find_entries(rule, nlp(entry.better))]
        assert entry.term not in matched, entry.better
