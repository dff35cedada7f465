"""Property-based tests of the analyzer on arbitrary text (hypothesis)."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefcheck.analyzer import analyze
from briefcheck.errors import InputError
from briefcheck.findings import Report
from briefcheck.formats import read_text

DUTCH_WORDS = ["u", "wij", "de", "gemeente", "aanvraag", "vergunning", "ontvangen", "verstrekken", "niet",
               "binnenkort", "«Naam»", "[DATUM]", "€ 12,50", "0800-123 4567", "1234 AB", "Hoogachtend", ".",
               ",", "?", "\n", "\n\n", "- ", "WOZ", "wordt", "beoordeeld", "door", "ons", "het", "indienen", "van"]

letters = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(DUTCH_WORDS), max_size=80).map(" ".join),
    st.lists(st.one_of(st.sampled_from(DUTCH_WORDS), st.text(max_size=8)), max_size=60).map(" ".join),
)


def check(text: str) -> Report | None:
    try:
        document = read_text(text)
    except InputError:
        return None  # empty or too long: a clear error, which is a valid outcome
    return analyze(document)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(letters)
def test_any_text_gives_a_consistent_report(text):
    report = check(text)
    if report is None:
        return
    keys = [f.sort_key for f in report.findings]
    assert keys == sorted(keys)
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(report.text)
        assert report.text[finding.start:finding.end] == finding.text
        for suggestion in finding.suggestions:
            assert 0 <= suggestion.start <= suggestion.end <= len(report.text)
    data = json.loads(json.dumps(report.to_dict()))
    assert Report.from_dict(data).to_dict() == report.to_dict()
