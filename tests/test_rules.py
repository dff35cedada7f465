"""Rule files: loading, validation errors with file:line:code, codes never reused."""
from __future__ import annotations

import pytest

from briefcheck.errors import RuleFileError
from briefcheck.rules import BUILTIN_RULES_DIR, RuleSet, load_rule_file, load_rules

GOOD_RULE = """\
rules:
  - code: ORG001
    name: eigen-woord
    kind: pattern
    category: woorden
    severity: warning
    phrases: ["burgerzaken"]
    message: "Schrijf Publiekszaken."
    why: "Zo heet de afdeling."
    examples:
      wrong: ["Bel [[Burgerzaken]]."]
      right: ["Bel Publiekszaken."]
"""


def write(tmp_path, text, name="eigen.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_rule_file_loads(tmp_path):
    rules = load_rule_file(write(tmp_path, GOOD_RULE))
    assert [r.code for r in rules] == ["ORG001"]
    assert rules[0].wrong[0].span == (4, 15)


@pytest.mark.parametrize("change,problem", [
    (("    why: \"Zo heet de afdeling.\"\n", ""), "verplicht veld 'why' ontbreekt"),
    (("kind: pattern", "kind: magic"), "onbekende soort 'magic'"),
    (("severity: warning", "severity: ernstig"), "onbekende ernst"),
    (('phrases: ["burgerzaken"]', 'patterns: ["(burger"]'), "missing )"),
    (("wrong: [\"Bel [[Burgerzaken]].\"]", "wrong: [\"Bel Burgerzaken.\"]"), "markeer"),
    (("      right: [\"Bel Publiekszaken.\"]\n", ""), "één goed ('right') voorbeeld"),
    (("right: [\"Bel Publiekszaken.\"]", "right: [\"{8 pixels} Bel Publiekszaken.\"]"),
     "onbekende opmaak '8 pixels' in een Word-voorbeeld"),
])
def test_a_broken_rule_names_file_line_and_code(tmp_path, change, problem):
    path = write(tmp_path, GOOD_RULE.replace(*change))
    with pytest.raises(RuleFileError) as error:
        load_rule_file(path)
    message = str(error.value)
    assert message.startswith(f"{path}:2: ORG001: "), message
    assert problem in message


def test_word_examples_carry_their_formatting_and_point_into_the_docx_text():
    from briefcheck.rules import Example

    small = Example.parse("{9,5 punt, uitgevuld, lettertype Arial Narrow} Bel [[Burgerzaken]].")
    assert small.word == {"size_pt": 9.5, "alignment": "justify", "font": "Arial Narrow"}
    assert small.text == "Bel Burgerzaken." and small.span == (4, 15)
    table = Example.parse("{tabel zonder randen} [[Uw afspraak]] | Dinsdag 12 maart")
    assert table.text == "Uw afspraak\n\nDinsdag 12 maart" and table.span == (0, 11)
    assert table.shown() == "(in Word: tabel zonder randen) Uw afspraak | Dinsdag 12 maart"
    with pytest.raises(ValueError, match="onbekende opmaak 'vet'"):
        Example.parse("{vet} Bel [[Burgerzaken]].")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, GOOD_RULE.replace('    name: eigen-woord', '    name: [eigen-woord'))
    with pytest.raises(RuleFileError) as error:
        load_rule_file(path)
    assert str(error.value).startswith(f"{path}:") and "YAML" in str(error.value)


def test_duplicate_term_in_a_word_list(tmp_path):
    text = GOOD_RULE.replace("kind: pattern", "kind: wordlist").replace(
        '    phrases: ["burgerzaken"]\n',
        "    entries:\n      - term: burgerzaken\n        alternatives: [Publiekszaken]\n"
        "      - term: burgerzaken\n        alternatives: [Publiekszaken]\n")
    with pytest.raises(RuleFileError, match=r"eigen.yaml:\d+: ORG001: 'burgerzaken' staat al in de lijst"):
        load_rule_file(write(tmp_path, text))


def test_a_code_is_never_used_twice(tmp_path):
    first = load_rule_file(write(tmp_path, GOOD_RULE, "a.yaml"))
    second = load_rule_file(write(tmp_path, GOOD_RULE, "b.yaml"))
    with pytest.raises(RuleFileError, match="ORG001: deze code is al gebruikt in .*a.yaml:2"):
        RuleSet(first + second)


def test_builtin_rules_load_with_unique_codes():
    ruleset = load_rules()
    codes = [r.code for r in ruleset.rules]
    assert len(codes) == len(set(codes))
    assert {p.name for p in BUILTIN_RULES_DIR.glob("*.yaml")} >= {"zinnen.yaml", "ambtelijke-woorden.yaml"}
