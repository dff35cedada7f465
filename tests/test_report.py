"""The report: JSON schema, round trip, spans on the right words, placeholders never flagged."""
from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from briefcheck.analyzer import analyze, check_text
from briefcheck.examples import example_letter
from briefcheck.findings import Report

SCHEMA = json.loads(files("briefcheck").joinpath("schema/report.schema.json").read_text())


@pytest.fixture(scope="module")
def example_report():
    return analyze(example_letter())


def test_report_matches_schema(example_report):
    jsonschema.validate(example_report.to_dict(), SCHEMA)


def test_report_round_trips(example_report):
    data = json.loads(json.dumps(example_report.to_dict()))
    assert Report.from_dict(data).to_dict() == example_report.to_dict()


def test_spans_point_at_the_flagged_words(example_report):
    assert example_report.findings
    for finding in example_report.findings:
        assert example_report.text[finding.start:finding.end] == finding.text
        for suggestion in finding.suggestions:
            assert 0 <= suggestion.start <= suggestion.end <= len(example_report.text)
    keys = [f.sort_key for f in example_report.findings]
    assert keys == sorted(keys)


def test_merge_fields_are_single_tokens_and_never_flagged(nlp):
    text = "Beste «Naam», bel {{ telefoon }} of mail [EMAIL] over $kenmerk$ en <<adres>>."
    doc = nlp(text)
    placeholders = [t.text for t in doc if t._.special == "placeholder"]
    assert placeholders == ["«Naam»", "{{ telefoon }}", "[EMAIL]", "$kenmerk$", "<<adres>>"]
    report = check_text(text)
    assert all(f.text not in placeholders for f in report.findings)
    assert all(not (t._.special and t.is_alpha) for t in doc)


def test_rare_word_message_separates_rare_from_unknown_and_skips_forms_of_known_words():
    text = ("Na de aanvraagtoetsing hoort u meer. U mag de sprekers niet interrumperen. "
            "De aangevraagde vergunning geldt ook in uw woongemeente.")
    rare = {f.text: f for f in check_text(text).findings if f.code == "BC203"}
    assert set(rare) == {"aanvraagtoetsing", "interrumperen"}
    # not in SUBTLEX-NL at all: no made-up count, only that it is below the limit
    assert rare["aanvraagtoetsing"].value is None
    assert "minder dan 23 keer" in rare["aanvraagtoetsing"].message
    assert rare["interrumperen"].value == 46
    assert "ongeveer 46 keer" in rare["interrumperen"].message and "minstens 50 keer" in rare["interrumperen"].message


@pytest.mark.parametrize("text,kind", [
    ("Bel 0800-123 4567 voor hulp.", "phone"),
    ("Bel 14 020 voor hulp.", "phone"),
    ("Ons adres is Postbus 100, 1234 AB Rivierstad.", "postcode"),
    ("U betaalt € 1.234,56 per jaar.", "amount"),
    ("De brief is van 1 januari 2026.", "date"),
    ("De brief is van 01-01-2026.", "date"),
    ("Mail naar info@rivierstad.nl vandaag.", "email"),
    ("Kijk op https://www.rivierstad.nl/afval voor meer.", "url"),
    ("Noem kenmerk Z/2026/123456 in uw brief.", "reference"),
])
def test_letter_tokens(nlp, text, kind):
    assert [t._.special for t in nlp(text) if t._.special] == [kind]


@pytest.mark.parametrize("abbreviation", ["bijv.", "o.a.", "m.b.t.", "d.d.", "i.v.m.", "t.a.v.", "z.s.m.",
                                          "art.", "nr.", "mevr.", "dhr."])
def test_abbreviations_stay_one_token(nlp, abbreviation):
    doc = nlp(f"Dit staat in de brief {abbreviation} van de gemeente.")
    assert abbreviation in [t.text for t in doc]
    assert len(list(doc.sents)) == 1


def test_cgn_tags_for_lint(nlp):
    doc = nlp("De gemeente stuurt u 2 brieven.")
    tags = {t.text: t.tag_ for t in doc}
    assert tags["stuurt"].startswith("WW|pv")
    assert tags["2"].startswith("TW")


def test_saved_tokenizer_is_the_dutch_default_that_the_loader_keeps():
    """load_pipeline skips the saved tokenizer for speed; that is only right while they are equal."""
    import spacy

    from briefcheck.nlp import PIPELINE_DIR

    saved = spacy.load(PIPELINE_DIR).tokenizer
    default = spacy.blank("nl").tokenizer
    assert saved.rules == default.rules and len(saved.rules) > 1000
    for attribute in ("prefix_search", "suffix_search", "infix_finditer", "url_match"):
        assert getattr(saved, attribute).__self__.pattern == getattr(default, attribute).__self__.pattern
    assert saved.token_match == default.token_match


def test_a_sentence_split_reads_as_whole_sentences_in_the_text_report():
    from briefcheck.formatters import format_text

    text = ("Uw aanvraag zal worden getoetst tegen het vigerende beleid van de gemeente, waarna u uiterlijk "
            "binnen acht weken een besluit van de gemeente ontvangt.")
    report = check_text(text)
    [long_sentence] = [f for f in report.findings if f.code == "BC101"]
    split = long_sentence.suggestions[0]
    assert split.replacement.startswith(". Daarna")  # only the end of the sentence changes
    assert split.description.startswith("Maak er 2 zinnen van: 'Uw aanvraag zal worden getoetst")
    assert ".'." not in split.description and "van de gemeente.' Korte zinnen" in split.description
    # the report shows the two sentences, not the fragment '. Daarna …'
    assert f"beter: {split.description}" in format_text(report)


def test_a_long_rare_compound_gets_one_tip_and_a_short_one_keeps_its_rare_word_tip():
    report = check_text("Uw omgevingsvergunningaanvraag is compleet. De kostendelersnorm geldt voor u.")
    by_word = {}
    for f in report.findings:
        by_word.setdefault(f.text, set()).add(f.code)
    assert by_word["omgevingsvergunningaanvraag"] == {"BC202"}  # long: the long-word tip says to split it
    assert by_word["kostendelersnorm"] == {"BC203"}  # 16 letters: only rare
