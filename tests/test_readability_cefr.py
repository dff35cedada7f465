"""The CEFR estimate (calibrated model) and the LiNT-II reference evaluation."""
from __future__ import annotations

import pytest

from briefcheck.cefr import LEVELS, calibration, decide, estimate_cefr, probabilities
from briefcheck.evaluation.readability import reference_sentence_text


EASY_DIFFICULTY = {"rare_share": 0.03, "frequency_p10": 3.8, "long_word_chars_share": 0.01,
                   "infinitives_per_word": 0.02, "hard_sentence_share": 0.0, "passive_share": 0.0,
                   "subordinate_per_sentence": 0.1, "adjectival_per_clause": 0.6, "lemma_mattr": 0.70}
HARD_DIFFICULTY = {"rare_share": 0.25, "frequency_p10": 1.8, "long_word_chars_share": 0.09,
                   "infinitives_per_word": 0.05, "hard_sentence_share": 0.9, "passive_share": 0.4,
                   "subordinate_per_sentence": 1.0, "adjectival_per_clause": 2.5, "lemma_mattr": 0.83}


def _readability(**overrides):
    details = {
        "lint": {"score": 40.0, "features": {"word_frequency": 4.5, "max_dependency_length": 7.0,
                                             "content_words_per_clause": 4.5, "proportion_concrete_nouns": 0.6}},
        "words_per_sentence": 12.0, "syllables_per_word": 1.55, "long_word_share": 0.04,
        "difficulty": {"rare_share": 0.1, "frequency_p10": 3.0, "long_word_chars_share": 0.03,
                       "infinitives_per_word": 0.03, "hard_sentence_share": 0.3, "passive_share": 0.1,
                       "subordinate_per_sentence": 0.4, "adjectival_per_clause": 1.0, "lemma_mattr": 0.76},
    }
    details.update(overrides)
    return details


def test_calibration_file_is_a_multinomial_model():
    model = calibration()["model"]
    assert model["kind"] == "multinomial_logistic"
    assert len(model["intercepts"]) == len(LEVELS) == len(model["weights"])
    assert all(len(row) == len(model["features"]) for row in model["weights"])
    assert 0 <= model["neighbour_weight"] <= 1


def test_probabilities_sum_to_one_and_estimate_has_a_level():
    from briefcheck.cefr import feature_vector

    probs = probabilities(feature_vector(_readability()), calibration()["model"])
    assert probs is not None and abs(sum(probs) - 1) < 1e-9
    result = estimate_cefr(_readability())
    assert result["level"] in LEVELS
    assert 0 <= result["score"] <= 5
    assert result["b1"]["passed"] == (LEVELS.index(result["level"]) <= LEVELS.index("B1"))


def _easy():
    return _readability(lint={"score": 15.0, "features": {"word_frequency": 5.2, "max_dependency_length": 4.0,
                                                          "content_words_per_clause": 3.0,
                                                          "proportion_concrete_nouns": 0.85}},
                        words_per_sentence=8.0, syllables_per_word=1.4, long_word_share=0.01,
                        difficulty=EASY_DIFFICULTY)


def _hard():
    return _readability(lint={"score": 70.0, "features": {"word_frequency": 3.8, "max_dependency_length": 12.0,
                                                          "content_words_per_clause": 6.0,
                                                          "proportion_concrete_nouns": 0.2}},
                        words_per_sentence=22.0, syllables_per_word=2.0, long_word_share=0.15,
                        difficulty=HARD_DIFFICULTY)


def test_easy_and_hard_letters_end_on_either_side_of_b1():
    assert estimate_cefr(_easy())["b1"]["passed"] is True
    assert estimate_cefr(_hard())["b1"]["passed"] is False


def test_missing_feature_gives_no_level():
    result = estimate_cefr(_readability(lint=None))
    assert result["level"] is None and result["b1"]["passed"] is None
    result = estimate_cefr(_readability(difficulty={**EASY_DIFFICULTY, "rare_share": None}))
    assert result["level"] is None


def test_hard_letter_gets_reasons_with_value_and_b1_limit():
    reasons = estimate_cefr(_hard())["b1"]["reasons"]
    assert "aandeel zinnen met lijdende vorm is 40% (B1-teksten: hoogstens " in " ".join(reasons)
    assert any(r.startswith("woorden per zin is 22,0 (B1-teksten: hoogstens ") for r in reasons)


def _scores(nlp, text):
    from briefcheck.analysis import TextAnalysis
    from briefcheck.formats.text import document_from_text
    from briefcheck.readability import reading_scores, reading_sentences

    analysis = TextAnalysis(document_from_text(text), [])
    analysis.docs = list(nlp.pipe(b.text for b in analysis.document.blocks))
    return reading_scores(reading_sentences(analysis))["difficulty"]


def test_difficulty_features_measure_passives_clauses_and_rare_words(nlp):
    plain = _scores(nlp, "Wij sturen u een nieuwe pas. U krijgt de pas over twee weken. Bel ons als u vragen hebt.")
    official = _scores(nlp, "De aanvraag wordt door het college beoordeeld. Het besluit wordt binnen acht weken "
                            "genomen, tenzij de termijn wordt verdaagd omdat nader onderzoek noodzakelijk is. "
                            "De vergunningverlening geschiedt conform de bepalingen.")
    assert plain["passive_share"] == 0 and official["passive_share"] == round(2 / 3, 3)
    assert official["subordinate_per_sentence"] > plain["subordinate_per_sentence"]
    assert official["rare_share"] > plain["rare_share"]
    assert official["long_word_chars_share"] > 0 == plain["long_word_chars_share"]
    assert all(value is not None for value in plain.values())


def test_difficulty_features_are_none_without_sentences(nlp):
    assert set(_scores(nlp, "Gemeente Utrecht\nPostbus 16200").values()) == {None}


def test_decide_prefers_a_level_between_two_likely_ones():
    probs = [0.0, 0.0, 0.0, 0.45, 0.1, 0.45]
    assert decide(probs, 0.0) in (3, 5)
    assert decide(probs, 0.5) == 4


def test_reference_sentence_gets_capitals_for_first_word_and_proper_nouns():
    sentence = {"word_features": [
        {"text": "in", "pos": "ADP"}, {"text": "italië", "pos": "PROPN"},
        {"text": "ligt", "pos": "VERB"}, {"text": "rome", "pos": "PROPN", "punctuation": {"trailing": "."}},
        {"text": ".", "pos": "PUNCT"},
    ]}
    assert reference_sentence_text(sentence) == "In Italië ligt Rome."


def test_lint_agrees_with_reference(shared_data, nlp):
    reference = shared_data / "lint-ii-reference"
    if not reference.is_dir():
        pytest.skip("no lint-ii-reference data")
    from briefcheck.evaluation.readability import evaluate_lint_reference

    result = evaluate_lint_reference(nlp, reference)
    assert result["max_document_difference"] <= 6
    assert result["same_level"] >= 3
    assert result["sentence_pearson_r"] >= 0.85
