"""The briefcheck command: real letters, exit codes, and bad input with Dutch messages."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest

from briefcheck.cli import main
from briefcheck.formats import MAX_FILE_BYTES, MAX_TEXT_CHARS

PLAIN_LETTER = (
    "Beste mevrouw Jansen,\n\n"
    "U vroeg ons om een nieuwe afvalcontainer. Wij brengen de container op 14 april 2026.\n\n"
    "Heeft u vragen? Bel ons op 14 020.\n\n"
    "Met vriendelijke groet,\n\nAfdeling Afval"
)

LONG_SENTENCE = (
    "Wij hebben uw aanvraag voor een parkeervergunning in goede orde ontvangen en wij zullen deze "
    "aanvraag zo snel als het ons mogelijk is behandelen, waarna u van ons binnen enkele weken een "
    "schriftelijk besluit ontvangt over de vergunning en de kosten daarvan."
)


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_example_prints_an_analysis(capsys):
    code, out, err = run(["example"], capsys)
    assert code == 0
    assert "voorbeeldbrief.txt" in out
    assert "BC101" in out and "woorden (advies: hoogstens 20)" in out
    assert out.count("Soort brief:") == 1 and "(zekerheid" in out


def test_plain_letter_passes(tmp_path, capsys):
    path = tmp_path / "brief.txt"
    path.write_text(PLAIN_LETTER, encoding="utf-8")
    code, out, _ = run(["check", str(path)], capsys)
    assert code == 0, out
    assert "voldoet aan het beleid" in out


def test_long_sentence_fails_with_error(tmp_path, capsys):
    path = tmp_path / "brief.txt"
    path.write_text(LONG_SENTENCE, encoding="utf-8")
    code, out, _ = run(["check", str(path), "--format", "json"], capsys)
    assert code == 1
    report = json.loads(out)
    long = [f for f in report["findings"] if f["code"] == "BC101"]
    assert long and long[0]["severity"] == "error" and long[0]["value"] > 30
    assert report["verdict"]["passed"] is False


def test_fail_on_never_passes(tmp_path, capsys):
    path = tmp_path / "brief.txt"
    path.write_text(LONG_SENTENCE, encoding="utf-8")
    assert run(["check", str(path), "--fail-on", "never"], capsys)[0] == 0


def test_fail_on_suggestion_is_stricter(tmp_path, capsys):
    path = tmp_path / "brief.txt"
    path.write_text("Uw aanvraag wordt door ons beoordeeld.", encoding="utf-8")
    assert run(["check", str(path)], capsys)[0] == 0
    assert run(["check", str(path), "--fail-on", "suggestion"], capsys)[0] == 1


def test_stdin(monkeypatch, capsys):
    monkeypatch.setattr("briefcheck.cli._read_stdin", lambda: LONG_SENTENCE.encode())
    code, out, _ = run(["check", "-", "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["source"]["name"] == "<invoer>"


def test_cp1252_text_is_read(tmp_path, capsys):
    text = "Geachte heer Müller,\n\nUw aanvraag voor een parkeervergunning is goedgekeurd. U betaalt € 25,00 per maand."
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("cp1252"))
    code, out, _ = run(["check", str(path), "--format", "json"], capsys)
    report = json.loads(out)
    assert "Müller" in report["text"] and "€ 25,00" in report["text"]


def _docx_bytes_from_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


BAD_INPUTS = {
    "leeg.txt": (b"", "leeg"),
    "spaties.txt": (b"  \n\n  ", "leeg"),
    "binair.txt": (bytes(range(256)) * 20, "geen tekst"),
    "kapot.docx": (b"PK\x03\x04" + b"\x00" * 200, "beschadigd"),
    "wachtwoord.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le"), "wachtwoord"),
    "oud.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, ".docx"),
    "oud-hernoemd.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, "oud Word-bestand"),
    "geen-document.docx": (_docx_bytes_from_zip({"hello.txt": b"hallo"}), "beschadigd"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_dutch_message_and_exit_2(name, tmp_path, capsys):
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(["check", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("briefcheck: ") and expected in err, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name], "nothing may be written"


def test_text_over_the_limit(tmp_path, capsys):
    path = tmp_path / "lang.txt"
    path.write_bytes(b"woord " * (MAX_TEXT_CHARS // 6 + 10))
    code, _, err = run(["check", str(path)], capsys)
    assert code == 2 and "te lang" in err


def test_file_over_the_size_limit(tmp_path, capsys):
    path = tmp_path / "groot.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    code, _, err = run(["check", str(path)], capsys)
    assert code == 2 and "te groot" in err


def test_missing_file(capsys):
    code, _, err = run(["check", "bestaat-niet.txt"], capsys)
    assert code == 2 and "bestaat niet" in err


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    assert exit_info.value.code == 2
    assert "fout in de opdracht" in capsys.readouterr().err


def test_rules_list_and_explain(capsys):
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "BC101" in out and "lange-zin" in out
    code, out, _ = run(["rules", "explain", "BC101"], capsys)
    assert code == 0
    for part in ("Wat:", "Waarom:", "Beter:", "Fout:", "Goed:"):
        assert part in out
    code, _, err = run(["rules", "explain", "XX999"], capsys)
    assert code == 2 and "geen regel" in err


def test_policy_switches_a_rule_off_and_adds_a_rule_file(tmp_path, capsys):
    own = tmp_path / "eigen.yaml"
    own.write_text(
        'rules:\n'
        '  - code: ORG001\n    name: eigen-woord\n    kind: pattern\n    category: woorden\n'
        '    severity: error\n    phrases: ["burgerzaken"]\n    alternatives: ["Publiekszaken"]\n'
        '    message: "Wij schrijven Publiekszaken, niet {match}."\n    why: "Zo heet de afdeling nu."\n'
        '    examples:\n      wrong: ["Bel [[Burgerzaken]]."]\n      right: ["Bel Publiekszaken."]\n',
        encoding="utf-8")
    policy = tmp_path / "briefcheck.toml"
    policy.write_text('[policy]\nfail_on = "error"\n[rules]\ndisable = ["BC101"]\nextra_files = ["eigen.yaml"]\n',
                      encoding="utf-8")
    letter = tmp_path / "brief.txt"
    letter.write_text(LONG_SENTENCE + " Bel Burgerzaken.", encoding="utf-8")
    code, out, _ = run(["check", str(letter), "--policy", str(policy), "--format", "json"], capsys)
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert "BC101" not in codes and "ORG001" in codes and code == 1


def test_broken_policy_file(tmp_path, capsys):
    policy = tmp_path / "briefcheck.toml"
    policy.write_text('[policy]\nfail_on = "soms"\n', encoding="utf-8")
    letter = tmp_path / "brief.txt"
    letter.write_text(PLAIN_LETTER, encoding="utf-8")
    code, _, err = run(["check", str(letter), "--policy", str(policy)], capsys)
    assert code == 2 and "fail_on" in err


def test_installed_command_runs_as_a_process(tmp_path):
    """The console script itself (not just main()) exits 2 on bad input, with no traceback."""
    path = tmp_path / "leeg.txt"
    path.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "briefcheck.cli", "check", str(path)],
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 2 and "leeg" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("version, expected", [("B1", 0), ("C1", 1)])
def test_policy_passes_the_b1_letter_and_stops_the_official_one(version, expected, shared_data, tmp_path, capsys):
    path = shared_data / "letter-example" / "letter_pair.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    letter = tmp_path / "brief.txt"
    letter.write_text(json.loads(path.read_text(encoding="utf-8"))[version], encoding="utf-8")
    policy = tmp_path / "briefcheck.toml"
    policy.write_text('[policy]\nfail_on = "error"\ntarget_level = "B1"\n', encoding="utf-8")
    code, out, _ = run(["check", str(letter), "--policy", str(policy)], capsys)
    assert code == expected
    if expected:
        assert "Deze brief voldoet niet aan het beleid" in out
        assert "Taalniveau: het beleid vraagt B1. B1: nee, want" in out
    else:
        assert "Deze brief voldoet aan het beleid." in out
