"""Tone: the profile hears plain versus stiff, the drivers name the words, the letter type is
right on our own letters, friendly B1 letters get no tone warnings, and acceptance (a) holds on
the shared data (skipped when it is absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefcheck.analysis import TextAnalysis
from briefcheck.analyzer import analyze
from briefcheck.evaluation.tone import LETTERS_DIR, evaluate_letter_types, evaluate_tone, read_letters
from briefcheck.formats.text import document_from_text
from briefcheck.rules import get_rules
from briefcheck.tone import (
    DIMENSIONS, LETTER_TYPES, detect_letter_type, letter_score, load_signals, sentence_score, tone_details,
    tone_profile,
)

FRIENDLY_DIR = LETTERS_DIR / "b1-vriendelijk"


@pytest.fixture(scope="module")
def analyse(nlp):
    def run(text: str) -> TextAnalysis:
        return TextAnalysis.parse(document_from_text(text), nlp)
    return run


def _scores(analyse, text):
    return {d: v["score"] for d, v in tone_profile(analyse(text))["letter"].items()}


def _driver_texts(profile, dimension):
    return [d["text"].lower() for d in profile["letter"][dimension]["drivers"]]


# ---------------------------------------------------------------- the profile


def test_stiff_sentence_scores_lower_than_plain(analyse):
    stiff = _scores(analyse, "U dient het formulier onverwijld te retourneren.")
    plain = _scores(analyse, "Wilt u het formulier terugsturen?")
    assert stiff["uitnodigend"] < plain["uitnodigend"]
    assert stiff["helder"] < plain["helder"]
    assert sum(stiff.values()) < sum(plain.values())


def test_drivers_name_the_words_and_say_why(analyse):
    profile = tone_profile(analyse("U dient het formulier onverwijld te retourneren."))
    pressure = [d for d in profile["letter"]["uitnodigend"]["drivers"] if d["text"].lower() == "u dient"]
    assert pressure and pressure[0]["effect"] == "-" and pressure[0]["reason"]
    assert "u dient" in _driver_texts(profile, "helder")
    friendly = tone_profile(analyse("Wilt u het formulier terugsturen?"))
    assert "wilt u" in _driver_texts(friendly, "uitnodigend")
    for driver in profile["letter"]["helder"]["drivers"]:
        assert analyse("U dient het formulier onverwijld te retourneren.").text[driver["start"]:driver["end"]] \
            == driver["text"]


@pytest.mark.parametrize("stiff,plain,dimension", [
    ("Hoogachtend, J. de Vries", "Met vriendelijke groet, J. de Vries", "helder"),
    ("Men kan bezwaar maken.", "U kunt bezwaar maken.", "persoonlijk"),
    ("Gelieve het formulier te ondertekenen.", "Wilt u het formulier ondertekenen?", "uitnodigend"),
    ("Indien u niet binnen 14 dagen betaalt, zullen wij een dwangsom opleggen.",
     "Betaalt u niet binnen 14 dagen? Dan moeten wij een dwangsom opleggen.", "uitnodigend"),
    ("U heeft nagelaten het formulier terug te sturen.", "Wij hebben uw formulier nog niet gekregen.", "positief"),
    ("Zoals u ongetwijfeld weet moet u elk jaar aangifte doen.",
     "Wij begrijpen dat dit veel is. Wij helpen u graag met de aangifte.", "vriendelijk"),
])
def test_each_dimension_hears_the_difference(analyse, stiff, plain, dimension):
    assert _scores(analyse, stiff)[dimension] < _scores(analyse, plain)[dimension]


def test_a_sentence_without_signals_is_neutral(analyse):
    profile = tone_profile(analyse("De bibliotheek ligt aan het Marktplein."))
    assert all(v["score"] == 50 and not v["drivers"] for v in profile["letter"].values())
    assert all(score == 50 for s in profile["sentences"] for score in s["scores"].values())


def test_score_formulas():
    assert sentence_score([]) == 50 and letter_score([]) == 50
    assert sentence_score([1.0]) > 50 > sentence_score([-1.0])
    assert 0 <= sentence_score([-100.0]) < sentence_score([-1.0])
    assert sentence_score([100.0]) <= 100
    # the letter score is a balance: twice the signals in the same ratio moves it further from 50
    assert letter_score([1.0, -1.0]) == 50
    assert letter_score([2.0, 2.0, -1.0]) > letter_score([2.0, -1.0]) > 50


def test_tone_details_for_the_report(analyse):
    from briefcheck.analyzer import DETAIL_ANALYSES

    assert DETAIL_ANALYSES["tone"] == "briefcheck.tone:tone_details"
    tone = tone_details(analyse((FRIENDLY_DIR / "uitnodiging-buurtavond.txt").read_text(encoding="utf-8")))
    assert set(tone["scores"]) == set(DIMENSIONS)
    assert all(0 <= s <= 100 for s in tone["scores"].values())
    assert tone["letter_type"]["type"] in LETTER_TYPES
    assert tone["letter_type"]["reasons"] and all(isinstance(r, str) for r in tone["letter_type"]["reasons"])
    assert tone["sentences"] and all(set(s["scores"]) == set(DIMENSIONS) for s in tone["sentences"])
    assert tone["summary"] and tone["method"]


# ---------------------------------------------------------------- the letter type


def test_letter_type_accuracy_on_our_letters():
    result = evaluate_letter_types(LETTERS_DIR)
    assert result["letters"] >= 40
    assert all(v["letters"] >= 5 for v in result["per_type"].values()), result["per_type"]
    assert result["accuracy"] >= 0.85, result["mistakes"]


def test_letter_type_names_the_words_that_decided(analyse):
    text = ("Geachte heer Brouwer,\n\nOp 14 januari zagen wij dat op uw perceel een schuur staat zonder "
            "vergunning. Wij leggen u daarom een last onder dwangsom op.\n\nMet vriendelijke groet,")
    found = detect_letter_type(analyse(text))
    assert found["type"] == "handhaving"
    assert any("dwangsom" in reason for reason in found["reasons"])
    assert 0 < found["confidence"] <= 1


def test_refusal_gets_advice_about_reason_and_way_forward(analyse):
    text = ("Geachte heer Visser,\n\nWij hebben uw aanvraag om subsidie ontvangen.\n\n"
            "Uw aanvraag is afgewezen.\n\nHoogachtend,\n\nTeam Subsidies")
    details = tone_details(analyse(text))
    assert details["letter_type"]["type"] == "besluit_afgewezen"
    advice = " ".join(details["advice"])
    assert "waarom" in advice and "weg vooruit" in advice


# ---------------------------------------------------------------- findings


def _tone_findings(text: str):
    """Tone findings with all rules on (the details are not needed for findings)."""
    report = analyze(document_from_text(text), with_details=False)
    return [f for f in report.findings if f.category == "toon"]


@pytest.mark.parametrize("path", sorted(FRIENDLY_DIR.glob("*.txt")), ids=lambda p: p.name)
def test_friendly_b1_letters_get_no_tone_warnings(path):
    findings = _tone_findings(path.read_text(encoding="utf-8"))
    assert not [f for f in findings if f.severity in ("warning", "error")], [(f.code, f.text) for f in findings]


def test_there_are_at_least_three_friendly_letters_of_different_types(analyse):
    letters = sorted(FRIENDLY_DIR.glob("*.txt"))
    assert len(letters) >= 3
    types = {detect_letter_type(analyse(p.read_text(encoding="utf-8")))["type"] for p in letters}
    assert len(types) >= 3


def test_friendly_letters_score_on_the_good_side(analyse):
    for path in sorted(FRIENDLY_DIR.glob("*.txt")):
        scores = _scores(analyse, path.read_text(encoding="utf-8"))
        assert all(score >= 50 for score in scores.values()), (path.name, scores)


def test_refusal_with_reason_but_no_way_forward_is_only_a_suggestion():
    findings = [f for f in _tone_findings("Uw aanvraag is afgewezen, omdat uw inkomen te hoog is.")
                if f.code == "BC327"]
    assert [f.severity for f in findings] == ["suggestion"]


def test_stiff_letter_gets_tone_warnings():
    text = ("Geachte heer/mevrouw,\n\nU dient het formulier binnen 14 dagen te retourneren. Indien u niet tijdig "
            "reageert, zullen wij zonder nadere aankondiging een boete opleggen.\n\nHoogachtend,")
    codes = {f.code for f in _tone_findings(text) if f.severity == "warning"}
    assert {"BC311", "BC318", "BC319"} <= codes


# ---------------------------------------------------------------- rules and signal data


def test_enough_tone_rules_and_phrases():
    rules = [r for r in get_rules().rules if r.category == "toon"]
    phrases = sum(len(r.params.get("phrases", ())) + len(r.params.get("patterns", ())) for r in rules)
    assert len(rules) >= 40
    assert len(rules) + phrases >= 120


def test_signal_file_is_consistent_with_the_rules():
    data = load_signals()
    rules = get_rules()
    # our own tone rules must exist; rules of other files (BC111, BC201) are used when present
    assert all(rules.get(code) is not None for code in data.from_rules if code.startswith("BC3")), \
        "from_rules names an unknown tone rule"
    assert {c.letter_type for c in data.cues} == set(LETTER_TYPES)
    assert not any("signalen" in r.source for r in rules.rules), "the signal file must not load as a rule file"


def test_every_letter_is_in_a_known_type_folder():
    assert all(kind in LETTER_TYPES for kind, _ in read_letters(LETTERS_DIR))
    assert {p.name for p in Path(LETTERS_DIR).iterdir() if p.is_dir()} <= set(LETTER_TYPES) | {"b1-vriendelijk"}


# ---------------------------------------------------------------- acceptance (a), on shared data


@pytest.fixture(scope="module")
def tone_figures(shared_data):
    return evaluate_tone(shared_data)


def test_edited_amsterdam_sentences_sound_better(tone_figures):
    pairs = tone_figures.get("amsterdam_pairs")
    if pairs is None:
        pytest.skip("amsterdam-simplification/pairs-dev.csv not found")
    assert pairs["pairs_with_different_tone_signals"] > 100
    assert pairs["share_edited_better"] >= 0.70, pairs


def test_b1_letter_beats_the_official_letter_on_every_dimension(tone_figures):
    example = tone_figures.get("letter_example")
    if example is None:
        pytest.skip("letter-example/letter_pair.json not found")
    assert example["B1_better_on_every_dimension"], example["dimensions"]
