"""Spelling and grammar (issue #10): LanguageTool through a local stand-in server, Hunspell offline.

LanguageTool itself (Java, ~250 MB) cannot be installed on the CI machine, so the LanguageTool tests
run against a stand-in that speaks its HTTP API (GET /v2/languages, POST /v2/check) with the
response shapes of LanguageTool 6: it finds fixed words in the text it receives and answers
with real-looking matches, measured in UTF-16 units as LanguageTool does.
"""
from __future__ import annotations

import json
import marshal
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefcheck import spelling
from briefcheck.analysis import TextAnalysis
from briefcheck.errors import ConfigError
from briefcheck.formats.text import document_from_text
from briefcheck.spelling import SpellingSettings, check_spelling, spelling_settings_from_toml

# --------------------------------------------------------------------------------------------
# A stand-in LanguageTool server
# --------------------------------------------------------------------------------------------

LANGUAGES = [
    {"name": "Dutch", "code": "nl", "longCode": "nl-NL"},
    {"name": "Dutch (Belgium)", "code": "nl", "longCode": "nl-BE"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
]

#: word or phrase the stand-in flags → (rule id, description, issue type, category id, category name,
#: message, replacements)
STAND_IN_RULES = {
    "ontvagen": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS", "Mogelijke typefouten",
                 "Er is een mogelijke spelfout gevonden.", ["ontvangen", "ontzagen"]),
    "Hun hebben": ("HUN_HEBBEN", "hun hebben (zij hebben)", "grammar", "GRAMMAR", "Grammatica",
                   "Gebruik 'zij' als onderwerp van de zin.", ["Zij hebben"]),
    "in verband met": ("NL_SIMPLE_REPLACE_IN_VERBAND_MET", "in verband met (door)", "style", "STYLE", "Stijl",
                       "Deze uitdrukking kan eenvoudiger.", ["door", "vanwege"]),
    "  ": ("WHITESPACE_RULE", "Witruimte herhaling", "whitespace", "TYPOGRAPHY", "Typografie",
           "Mogelijke typografische fout: meerdere spaties achter elkaar.", [" "]),
    # the stand-in, like the real speller, does not know names, merge fields, addresses or our words
    "Jansen": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS", "Mogelijke typefouten",
               "Er is een mogelijke spelfout gevonden.", ["Janssen"]),
    "«Naam»": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS", "Mogelijke typefouten",
               "Er is een mogelijke spelfout gevonden.", ["Naam"]),
    "vergunningen@rivierstad.nl": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS",
                                   "Mogelijke typefouten", "Er is een mogelijke spelfout gevonden.", []),
    "rivierstad.nl/parkeren": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS",
                               "Mogelijke typefouten", "Er is een mogelijke spelfout gevonden.", []),
    "parkeerapp": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS", "Mogelijke typefouten",
                   "Er is een mogelijke spelfout gevonden.", ["parkeerpas"]),
    "AB Rivierstad": ("MORFOLOGIK_RULE_NL_NL", "Mogelijke typefout", "misspelling", "TYPOS", "Mogelijke typefouten",
                      "Er is een mogelijke spelfout gevonden.", []),
}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _match(text: str, start: int, found: str) -> dict:
    """One match as LanguageTool 6 writes it; offsets in UTF-16 code units like the Java server."""
    rule_id, description, issue_type, category_id, category_name, message, replacements = STAND_IN_RULES[found]
    end = start + len(found)
    c_start, c_end = max(0, start - 40), min(len(text), end + 40)
    context = ("..." if c_start else "") + text[c_start:c_end].replace("\n", " ") + ("..." if c_end < len(text) else "")
    context_offset = (3 if c_start else 0) + _utf16(text[c_start:start])
    sentence_start = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    sentence_end = min([i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return {
        "message": message,
        "shortMessage": "Spelfout" if issue_type == "misspelling" else "",
        "replacements": [{"value": r} for r in replacements],
        "offset": _utf16(text[:start]),
        "length": _utf16(found),
        "context": {"text": context, "offset": context_offset, "length": _utf16(found)},
        "sentence": text[sentence_start:sentence_end + 1].strip(),
        "type": {"typeName": "UnknownWord" if issue_type == "misspelling" else "Other"},
        "rule": {"id": rule_id, "description": description, "issueType": issue_type,
                 "category": {"id": category_id, "name": category_name}},
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def stand_in_check(text: str) -> dict:
    matches = []
    for found in STAND_IN_RULES:
        start = text.find(found)
        while start >= 0:
            matches.append(_match(text, start, found))
            start = text.find(found, start + len(found))
    matches.sort(key=lambda m: m["offset"])
    return {
        "software": {"name": "LanguageTool", "version": "6.4", "buildDate": "2024-03-28 12:34:56 +0100",
                     "apiVersion": 1, "premium": False, "premiumHint": "You might be missing errors only the "
                     "Premium version can find. Contact us at support<at>languagetoolplus.com.", "status": ""},
        "warnings": {"incompleteResults": False},
        "language": {"name": "Dutch", "code": "nl",
                     "detectedLanguage": {"name": "Dutch", "code": "nl", "confidence": 0.99, "source": "ngram"}},
        "matches": matches,
        "sentenceRanges": [[0, _utf16(text)]],
        "extendedSentenceRanges": [{"from": 0, "to": _utf16(text),
                                    "detectedLanguages": [{"language": "nl", "rate": 1.0}]}],
    }


class StandInLanguageTool:
    """A LanguageTool HTTP API on 127.0.0.1 (random free port) in a thread; ``mode`` picks its behaviour."""

    def __init__(self, mode: str = "normal", hang_s: float = 8.0):
        self.mode = mode
        self.requests: list[tuple[str, str, dict]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                stand_in.requests.append(("GET", self.path, {}))
                if self.path.startswith("/v2/languages"):
                    if stand_in.mode == "hang-languages":
                        time.sleep(hang_s)
                    languages = [lang for lang in LANGUAGES if lang["code"] != "nl" or stand_in.mode != "no-dutch"]
                    self._send(200, json.dumps(languages).encode())
                else:
                    self._send(404, b"Not found", "text/plain")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.requests.append(("POST", self.path, form))
                if not self.path.startswith("/v2/check"):
                    self._send(404, b"Not found", "text/plain")
                elif stand_in.mode == "hang":
                    time.sleep(hang_s)
                    self._send(200, json.dumps(stand_in_check(form.get("text", ""))).encode())
                elif stand_in.mode == "nonsense":
                    self._send(200, b"<html><body>Oeps, er ging iets mis</body></html>", "text/html")
                elif stand_in.mode == "wrong-shape":
                    self._send(200, json.dumps({"matches": [{"offset": "x", "rule": None}]}).encode())
                else:
                    self._send(200, json.dumps(stand_in_check(form.get("text", ""))).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False  # a hanging handler must not hold up the test's teardown
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def checked_texts(self) -> list[str]:
        return [form["text"] for method, _, form in self.requests if method == "POST"]


@pytest.fixture(autouse=True)
def _clean_languagetool(monkeypatch):
    monkeypatch.delenv(spelling.ENV_URL, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the stand-in is local, never via a proxy
    spelling.reset_languagetool()
    yield
    spelling.reset_languagetool()


@pytest.fixture
def lt_server(request):
    server = StandInLanguageTool(getattr(request, "param", "normal"))
    yield server
    server.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse(text: str, nlp) -> TextAnalysis:
    return TextAnalysis.parse(document_from_text(text), nlp)


def lt_settings(url: str, timeout_s: float = 5.0, word_lists: tuple = ()) -> SimpleNamespace:
    return SimpleNamespace(spelling=SpellingSettings(languagetool_url=url, timeout_s=timeout_s,
                                                     word_lists=word_lists), disabled=frozenset())


LT_LETTER = """Gemeente Rivierstad

«Naam»
Kerkstraat 12
1234 AB Rivierstad

Geachte heer Jansen,

Wij hebben uw aanvraag voor een parkeervergunning ontvagen. Hun hebben de aanvraag bekeken.
U krijgt de vergunning in verband met de drukte later. Dat duurt  twee weken.

Download de parkeerapp of mail naar vergunningen@rivierstad.nl. Kijk ook op www.rivierstad.nl/parkeren.
Bedankt 👍 voor uw bericht: wij hebben het ontvagen.

Met vriendelijke groet,

Sanne de Boer
"""


# --------------------------------------------------------------------------------------------
# LanguageTool
# --------------------------------------------------------------------------------------------

def _assert_standard_lt_findings(findings, text):
    for finding in findings:
        assert text[finding.start:finding.end] == finding.text
    by_text = {}
    for finding in findings:
        by_text.setdefault(finding.text, []).append(finding)
    assert sorted(by_text) == sorted(["ontvagen", "Hun hebben", "in verband met", "  "])
    typos = by_text["ontvagen"]
    assert len(typos) == 2  # also the one after the emoji (two UTF-16 units for one character)
    assert all(f.code == "BC610" and f.category == "spelling" for f in typos)
    assert [s.replacement for s in typos[0].suggestions] == ["ontvangen", "ontzagen"]
    assert "MORFOLOGIK_RULE_NL_NL" in typos[0].message and "spelfout" in typos[0].message
    (grammar,) = by_text["Hun hebben"]
    assert (grammar.code, grammar.category) == ("BC611", "grammatica")
    assert "HUN_HEBBEN" in grammar.message and grammar.suggestions[0].replacement == "Zij hebben"
    (style,) = by_text["in verband met"]
    assert (style.code, style.category, style.severity) == ("BC612", "stijl", "suggestion")
    (other,) = by_text["  "]
    assert other.code == "BC619"


@pytest.fixture
def org_words(tmp_path) -> Path:
    words = tmp_path / "onze-woorden.txt"
    words.write_text("# producten\nparkeerapp\n", encoding="utf-8")
    return words


def test_languagetool_matches_map_to_words_and_categories(lt_server, nlp, org_words):
    analysis = parse(LT_LETTER, nlp)
    findings, notices = check_spelling(analysis, lt_settings(lt_server.url, word_lists=(org_words,)))
    assert notices == []
    _assert_standard_lt_findings(findings, analysis.text)
    # nothing on the name, merge field, e-mail address, URL, postcode or the organisation's own word
    flagged = " ".join(f.text for f in findings)
    for protected in ("Jansen", "«Naam»", "@", "rivierstad.nl", "parkeerapp", "AB"):
        assert protected not in flagged
    methods = [(m, p) for m, p, _ in lt_server.requests]
    assert methods[0] == ("GET", "/v2/languages") and ("POST", "/v2/check") in methods
    assert lt_server.requests[-1][2]["language"] in ("nl", "nl-NL")


def test_languagetool_offsets_stay_exact_over_several_requests(lt_server, nlp, monkeypatch, org_words):
    monkeypatch.setattr(spelling, "LANGUAGETOOL_CHUNK_CHARS", 120)
    analysis = parse(LT_LETTER, nlp)
    findings, notices = check_spelling(analysis, lt_settings(lt_server.url, word_lists=(org_words,)))
    assert notices == []
    assert len(lt_server.checked_texts) > 2
    _assert_standard_lt_findings(findings, analysis.text)


def test_languagetool_client_is_reused(lt_server, nlp):
    analysis = parse(LT_LETTER, nlp)
    for _ in range(3):
        check_spelling(analysis, lt_settings(lt_server.url))
    assert [m for m, _, _ in lt_server.requests].count("GET") == 1  # /v2/languages once, not per letter


def test_environment_variable_selects_languagetool(lt_server, nlp, monkeypatch):
    monkeypatch.setenv(spelling.ENV_URL, lt_server.url)
    findings, notices = check_spelling(parse(LT_LETTER, nlp), None)
    assert notices == []
    assert {f.code for f in findings} == {"BC610", "BC611", "BC612", "BC619"}
    assert "parkeerapp" in {f.text for f in findings}  # no word list here: LanguageTool's word stands


@pytest.mark.parametrize("lt_server", ["hang", "hang-languages"], indirect=True)
def test_hanging_languagetool_is_cut_off_with_notice(lt_server, nlp):
    limit = 1.0
    analysis = parse(LT_LETTER, nlp)
    started = time.perf_counter()
    findings, notices = check_spelling(analysis, lt_settings(lt_server.url, timeout_s=limit))
    elapsed = time.perf_counter() - started
    assert elapsed < limit + 2.0
    assert findings == []
    assert len(notices) == 1 and "geen antwoord binnen 1 seconde" in notices[0]
    assert "de andere controles zijn wel gedaan" in notices[0]
    # the next letter does not wait for the same hanging server again
    started = time.perf_counter()
    _, notices = check_spelling(analysis, lt_settings(lt_server.url, timeout_s=limit))
    assert time.perf_counter() - started < 0.5
    assert "LanguageTool" in notices[0]


def test_refused_connection_gives_notice(nlp):
    started = time.perf_counter()
    findings, notices = check_spelling(parse(LT_LETTER, nlp), lt_settings(f"http://127.0.0.1:{free_port()}"))
    assert time.perf_counter() - started < 5.0
    assert findings == []
    assert len(notices) == 1 and "niet bereikbaar" in notices[0] and "LanguageTool" in notices[0]


@pytest.mark.parametrize("lt_server", ["nonsense", "wrong-shape"], indirect=True)
def test_nonsense_answer_gives_notice(lt_server, nlp):
    findings, notices = check_spelling(parse(LT_LETTER, nlp), lt_settings(lt_server.url))
    assert findings == []
    assert len(notices) == 1 and "niet begrijpt" in notices[0]


@pytest.mark.parametrize("lt_server", ["no-dutch"], indirect=True)
def test_server_without_dutch_gives_notice(lt_server, nlp):
    findings, notices = check_spelling(parse(LT_LETTER, nlp), lt_settings(lt_server.url))
    assert findings == []
    assert len(notices) == 1 and "kent geen Nederlands" in notices[0]


def test_other_checks_still_run_when_languagetool_is_down(nlp, monkeypatch):
    from briefcheck.analyzer import analyze

    monkeypatch.setenv(spelling.ENV_URL, f"http://127.0.0.1:{free_port()}")
    long_sentence = ("Wij hebben uw aanvraag voor een parkeervergunning ontvangen en wij zullen deze aanvraag zo "
                     "snel als het ons lukt behandelen, waarna u van ons een brief krijgt met ons besluit.")
    report = analyze(document_from_text(long_sentence + "\n\nMet vriendelijke groet,\n\nSanne de Boer\n"))
    assert any(f.code == "BC101" for f in report.findings)
    assert report.details["readability"]["lint"] is not None
    assert any("LanguageTool" in n for n in report.notices)


def test_languagetool_kind_mapping():
    assert spelling.languagetool_kind("TYPOS", "misspelling")[:2] == ("BC610", "spelling")
    assert spelling.languagetool_kind("GRAMMAR", "grammar")[:2] == ("BC611", "grammatica")
    assert spelling.languagetool_kind("REDUNDANCY", "duplication")[:2] == ("BC612", "stijl")
    assert spelling.languagetool_kind("SOMETHING_NEW", "grammar")[:2] == ("BC611", "grammatica")
    assert spelling.languagetool_kind("TYPOGRAPHY", "whitespace")[0] == "BC619"


# --------------------------------------------------------------------------------------------
# Hunspell (offline)
# --------------------------------------------------------------------------------------------

NL_DIC = Path("/usr/share/hunspell/nl.dic")

PLANTED = {"ontvagen": "ontvangen", "vergunnig": "vergunning", "binnenkordt": "binnenkort",
           "adress": "adres", "gemeete": "gemeente"}

HUNSPELL_LETTER = """Gemeente Rivierstad
Team Vergunningen

«Naam»
Kerkstraat 12
1234 AB Rivierstad

Datum: 3 maart 2026
Kenmerk: VG-2026-00412

Geachte heer Jansen,

Wij hebben uw aanvraag voor een parkeervergunning ontvagen. Mevrouw Van der Berg van ons team heeft de aanvraag bekeken. U krijgt de vergunnig binnenkordt per post.

Voor de vergunning betaalt u € 1.234,56. Dat is ook de WOZ-waarde van de vergunning. Klopt uw adress niet? Stuur dan een e-mail naar vergunningen@rivierstad.nl of kijk op www.rivierstad.nl/parkeren. U kunt ook bellen met de gemeete via 14 020. Met de parkeerapp gaat het sneller.

Met vriendelijke groet,

Sanne de Boer
Teamleider Vergunningen
"""

needs_dictionary = pytest.mark.skipif(not NL_DIC.is_file(), reason="hunspell-nl is not installed")


@pytest.fixture(scope="module")
def speller():
    if not NL_DIC.is_file():
        pytest.skip("hunspell-nl is not installed")
    return spelling.get_speller(spelling.find_dictionary())


@needs_dictionary
def test_planted_words_are_really_misspelled(speller):
    for wrong, right in PLANTED.items():
        assert not speller.dictionary.lookup(wrong), wrong
        assert speller.dictionary.lookup(right), right


@needs_dictionary
def test_hunspell_finds_exactly_the_planted_misspellings(speller, nlp, tmp_path):
    words = tmp_path / "woorden.txt"
    words.write_text("parkeerapp\n", encoding="utf-8")
    analysis = parse(HUNSPELL_LETTER, nlp)
    findings, notices = check_spelling(analysis, SimpleNamespace(spelling=SpellingSettings(word_lists=(words,))))
    assert notices == []
    assert [f.code for f in findings] == ["BC601"] * 5
    assert [f.text for f in findings] == list(PLANTED)
    for finding in findings:
        assert analysis.text[finding.start:finding.end] == finding.text
        assert finding.category == "spelling"
        assert PLANTED[finding.text] in [s.replacement for s in finding.suggestions], finding
        assert all((s.start, s.end) == (finding.start, finding.end) for s in finding.suggestions)


@needs_dictionary
def test_organisation_word_list_extends_the_dictionary(speller, nlp, tmp_path):
    text = "Met de parkeerapp gaat het sneller."
    findings, _ = check_spelling(parse(text, nlp), SimpleNamespace(spelling=SpellingSettings()))
    assert [f.text for f in findings] == ["parkeerapp"]
    words = tmp_path / "producten.txt"
    words.write_text("# onze producten\nParkeerapp\nTeam Belastingen\n", encoding="utf-8")
    findings, _ = check_spelling(parse(text, nlp), SimpleNamespace(spelling=SpellingSettings(word_lists=(words,))))
    assert findings == []


@needs_dictionary
def test_configured_dictionary_path_is_used(speller, nlp):
    settings = SimpleNamespace(spelling=SpellingSettings(dictionary=NL_DIC))
    findings, notices = check_spelling(parse("Wij hebben uw brief ontvagen.", nlp), settings)
    assert notices == [] and [f.text for f in findings] == ["ontvagen"]


@needs_dictionary
def test_missing_configured_dictionary_falls_back_with_notice(speller, nlp, tmp_path):
    settings = SimpleNamespace(spelling=SpellingSettings(dictionary=tmp_path / "weg.dic"))
    findings, notices = check_spelling(parse("Wij hebben uw brief ontvagen.", nlp), settings)
    assert [f.text for f in findings] == ["ontvagen"]
    assert len(notices) == 1 and "weg.dic" in notices[0] and "nl.dic" in notices[0]


@needs_dictionary
def test_suggestions_respect_the_deadline(speller):
    started = time.perf_counter()
    assert speller.suggest("xqzvwrtplk", time.thread_time()) == []
    assert time.perf_counter() - started < 0.2
    assert "xqzvwrtplk" not in speller._suggestions  # an unfinished search is tried again next time


def test_no_dictionary_says_spelling_was_not_checked(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "SYSTEM_DICTIONARIES", (tmp_path / "nl",))
    findings, notices = check_spelling(parse("Wij hebben uw brief ontvagen.", nlp), None)
    assert findings == []
    assert any(n.startswith("Spelling is niet gecontroleerd") for n in notices)


def test_missing_configured_dictionary_is_named(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "SYSTEM_DICTIONARIES", ())
    settings = SimpleNamespace(spelling=SpellingSettings(dictionary=tmp_path / "weg.dic"))
    findings, notices = check_spelling(parse("Wij hebben uw brief ontvangen.", nlp), settings)
    assert findings == []
    assert len(notices) == 1 and notices[0].startswith("Spelling is niet gecontroleerd") and "weg.dic" in notices[0]


def test_unreadable_dictionary_gives_notice(nlp, tmp_path):
    (tmp_path / "kapot.aff").write_bytes(b"\xff\xfe\x00garbage\nSFX")
    (tmp_path / "kapot.dic").write_text("niet-een-getal\nwoord/XYZ\n", encoding="utf-8")
    settings = SimpleNamespace(spelling=SpellingSettings(dictionary=tmp_path / "kapot.dic"))
    findings, notices = check_spelling(parse("Wij hebben uw brief ontvagen.", nlp), settings)
    assert findings == []
    assert any("kon niet worden gelezen" in n for n in notices), notices


def test_disabled_code_is_not_checked(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "SYSTEM_DICTIONARIES", (tmp_path / "nl",))
    settings = SimpleNamespace(spelling=SpellingSettings(), disabled=frozenset({"BC601"}))
    assert check_spelling(parse("Wij hebben uw brief ontvagen.", nlp), settings) == ([], [])


# --------------------------------------------------------------------------------------------
# Hunspell dictionary cache (briefcheck.hunspell_cache)
# --------------------------------------------------------------------------------------------

#: ~300 words: letter vocabulary, compounds, misspellings, names and capitals, ALL CAPS, hyphens,
#: apostrophes, diacritics, single letters and number compounds (the .aff's COMPOUNDRULEs).
CACHE_WORDS = """
aanvraag aanvragen aanvrager aanvraagformulier afspraak afspraken afdeling afdelingen adres adressen
ambtenaar ambtenaren antwoord antwoorden bedrag bedragen belasting belastingen belastingaanslag beslissing
besluit besluiten bezwaar bezwaarschrift bezwaarschriften bijlage bijlagen binnenkort brief brieven burger
burgers burgemeester college datum dienst diensten document documenten e-mail gegevens gemeente gemeenten
gemeentelijk gemeentehuis geachte groet hebben heeft hoogachtend informatie inwoner inwoners kenmerk
klacht klachten kosten leges maand maanden medewerker medewerkers melding meldingen ontvangen ontvangst
onderwerp ondertekening overzicht parkeervergunning parkeervergunningen parkeerplaats periode persoon
plaats post regeling regelingen reactie rekening schrijven straat telefoon termijn toelichting uitkering
uitkeringen vergunning vergunningen verzoek verzoeken vriendelijke wet wij zorg zorgverzekering zullen
betalen betaald betaalt betaalde heb hebt had hadden wordt worden werd werden word vind vindt gevonden
bestemmingsplan bestemmingsplanwijziging omgevingsvergunning omgevingsvergunningaanvraag
afvalstoffenheffing rioolheffing onroerendezaakbelasting kwijtscheldingsverzoek huurtoeslag
zorgtoeslagaanvraag bouwvergunningsprocedure gemeentebelastingen parkeervergunninghouder
straatnaambord verkeersbesluit bewonersvergunning jeugdhulpverlening schuldhulpverlening
ontvagen vergunnig binnenkordt adress gemeete onmiddelijk eigelijk bijvoorbeelt acomodatie
aanvrag belastinng beslising bezwaarschift brieff burgermeester documet formulir informatei
medewerkr ontvangts overzigt regelling telefon vergunnning verzoekk wijzigng antwoordt hij
gebeurd gebeurt geupdate geüpdatet categorie catagorie definitief definatief interresse interesse
Gemeente Rivierstad Nederland Amsterdam Rotterdam Utrecht Groningen Jansen Van Berg Boer Sanne
Kerkstraat Maastricht Friesland Europa Europese Nederlandse Duitsland Belgische Den Haag Noord
GEMEENTE BELASTING VERGUNNING BRIEF AANVRAAG WOZ AOW BSN DIGID NAVO EU AMSTERDAM GEMEETE ONTVAGEN
DigiD iPhone WhatsApp McDonald's PostNL KvK
WOZ-waarde e-mailadres Rivierstad-Noord Noord-Holland oud-burgemeester ex-partner anti-discriminatie
auto's foto's menu's baby's cd's zo'n m'n 's-Hertogenbosch 's avonds
ideeën financiële één café coördinator reünie geïnteresseerd naïef privé
a e i o u A E I O U é É ë
12-jarig 8-jarig 102-jarig eenentwintig vijfhonderd tweeduizend zestigste
de het een en van in op te dat die is niet met zijn voor er aan als ook maar om bij nog dan
kunt kunnen moet moeten mag mogen wilt willen zal zult ziet zien gaat gaan komt komen doen doet
snel sneller snelst goed beter best groot groter grootst klein kleiner kleinst nieuw nieuwe
parkeerapp klantcontactcentrum wijkteam wijkagent
""".split()

#: Misspellings for briefcheck's suggestions (edits) and for spylls' own, whose last resort walks
#: every dictionary word (n-grams): the part of LazyDic that materialises all words.
SUGGEST_WORDS = ("ontvagen", "vergunnig", "binnenkordt")
SPYLLS_SUGGEST_WORDS = ("gemeete", "xqzvwrtplk")


def _positions(dic, table) -> dict[str, list[int]]:
    """A Dic index with each Word replaced by its position in ``dic.words`` (identity, not equality)."""
    position = {id(word): i for i, word in enumerate(dic.words)}
    return {key: [position[id(word)] for word in words] for key, words in table.items() if words}


def _word_data(dic) -> list[tuple]:
    return [(w.stem, frozenset(w.flags), dict(w.data), list(w.alt_spellings), w.captype) for w in dic.words]


def _rep(dictionary) -> list[tuple[str, str]]:
    return [(r.pattern, r.replacement) for r in dictionary.aff.REP]


@pytest.fixture(scope="module")
def nl_dictionaries(tmp_path_factory):
    """spylls' own Dictionary.from_files, the first load through the cache (which writes it), the second
    load (from the cache) and the cache folder."""
    if not NL_DIC.is_file():
        pytest.skip("hunspell-nl is not installed")
    from spylls.hunspell import Dictionary

    from briefcheck import hunspell_cache

    stem = NL_DIC.with_suffix("")
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFCHECK_CACHE", str(cache))
        first = hunspell_cache.load_dictionary(stem)
        cached = hunspell_cache.load_dictionary(stem)
    return Dictionary.from_files(str(stem)), first, cached, cache


@needs_dictionary
def test_cached_dictionary_gives_the_same_answers(nl_dictionaries, monkeypatch):
    from briefcheck import hunspell_cache

    fresh, _, cached, _ = nl_dictionaries
    assert type(cached.dic).__name__ == "LazyDic"  # otherwise this test compares spylls with itself
    assert len(CACHE_WORDS) >= 300
    verdicts = {word: fresh.lookup(word) for word in CACHE_WORDS}
    assert {word: cached.lookup(word) for word in CACHE_WORDS} == verdicts
    assert not all(verdicts.values()) and sum(verdicts.values()) > 200  # the list has both kinds
    assert _rep(cached) == _rep(fresh)
    # briefcheck's suggestions, through a Speller on each dictionary
    suggestions = {}
    for dictionary in (fresh, cached):
        monkeypatch.setattr(hunspell_cache, "load_dictionary", lambda stem, **_: dictionary)
        speller = spelling.Speller(NL_DIC.with_suffix(""))
        suggestions[dictionary] = [speller.suggest(word, time.thread_time() + 60) for word in SUGGEST_WORDS]
    assert suggestions[cached] == suggestions[fresh]
    assert all(suggestions[fresh])
    # spylls' own suggester, n-gram search over all words included
    for word in SPYLLS_SUGGEST_WORDS:
        assert list(cached.suggest(word)) == list(fresh.suggest(word)), word


@needs_dictionary
def test_cached_dictionary_holds_the_same_words_and_indexes(nl_dictionaries):
    fresh, _, cached, _ = nl_dictionaries
    assert cached.dic.words == fresh.dic.words  # stem, flags, data, alternative spellings, capitalisation
    for name in ("index", "lowercase_index"):
        mine, theirs = getattr(cached.dic, name), getattr(fresh.dic, name)
        assert {k: len(v) for k, v in mine.items()} == {k: len(v) for k, v in theirs.items()}, name
        # the very same Word objects, in the same order (all but the huge one-character keys of
        # spylls' lowercase index: those are checked on the small dictionary below)
        keys = [k for k, v in theirs.items() if len(v) > 1 or len(k) > 1][::7] + ["q", "x", "é"]
        assert (_positions(cached.dic, {k: mine[k] for k in keys})
                == _positions(fresh.dic, {k: theirs[k] for k in keys})), name
    for stem in ("e", "a", "amsterdam", "navo", "digid", "gemeente"):
        assert ([w.stem for w in cached.dic.homonyms(stem, ignorecase=True)]
                == [w.stem for w in fresh.dic.homonyms(stem, ignorecase=True)]), stem
    assert ([(w.stem, w.flags) for w in cached.suggester.words_for_ngram]
            == [(w.stem, w.flags) for w in fresh.suggester.words_for_ngram])


@needs_dictionary
def test_second_load_comes_from_the_cache(nl_dictionaries, monkeypatch):
    from spylls.hunspell import readers

    from briefcheck import hunspell_cache

    first, cache = nl_dictionaries[1], nl_dictionaries[3]
    assert type(first.dic).__name__ == "Dic"  # the first load parsed the .dic...
    assert list((cache / "briefcheck").glob("hunspell-nl-*.marshal"))  # ...and wrote the cache
    assert not list((cache / "briefcheck").glob("*.tmp"))

    def no_parsing(*args, **kwargs):
        raise AssertionError("the .dic was parsed although the cache is valid")

    monkeypatch.setattr(readers, "read_dic", no_parsing)
    monkeypatch.setattr(readers.dic, "read_dic", no_parsing)
    monkeypatch.setenv("BRIEFCHECK_CACHE", str(cache))
    started = time.process_time()
    dictionary = hunspell_cache.load_dictionary(NL_DIC.with_suffix(""))
    elapsed = time.process_time() - started
    assert type(dictionary.dic).__name__ == "LazyDic"
    assert dictionary.lookup("parkeervergunning") and not dictionary.lookup("vergunnig")
    assert elapsed < 1.5, elapsed  # ~0.1 s; generous for a busy test machine


# A small dictionary with every kind of entry the cache must keep: homonyms, capitals, ALL CAPS,
# mixed case, data tags (ph: adds REP patterns, a tab starts old-style data), a forbidden word.
TINY_AFF = """SET UTF-8
TRY esianrtolcdugmphbyfvkwzESIANRTOLCDUGMPHBYFVKWZ
FORBIDDENWORD F
KEEPCASE K
COMPOUNDFLAG C
REP 1
REP f ph
SFX S Y 1
SFX S 0 s .
PFX O Y 1
PFX O 0 on .
"""

TINY_DIC = """16
kat/SC
kat/K
Kat/S
hond/SCO po:noun
Amsterdam
NAVO
iPhone
McDonald/S
e
a/C
which ph:wich
pretty ph:prity*
happy ph:hepi->happi
foo/F
bar\tsome old-style data
huis/SCO
"""


def _tiny_dictionary(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mini.aff").write_text(TINY_AFF, encoding="utf-8")
    (folder / "mini.dic").write_text(TINY_DIC, encoding="utf-8")
    return folder / "mini"


TINY_WORDS = ("kat", "katten", "katen", "kats", "Kat", "KAT", "Kats", "hond", "honds", "onhond", "hondkat",
              "kathond", "huishond", "Huishond", "HUISHOND", "amsterdam", "Amsterdam", "AMSTERDAM", "NAVO", "navo",
              "Navo", "iPhone", "IPHONE", "iphone", "McDonald", "MCDONALD", "McDonalds", "mcdonald", "e", "E", "a",
              "A", "ae", "which", "wich", "pretty", "foo", "foos", "Foo", "bar", "huis", "onhuis", "xyz")


def test_tiny_dictionary_cache_is_exact(tmp_path, monkeypatch):
    from spylls.hunspell import Dictionary

    from briefcheck import hunspell_cache

    monkeypatch.setenv("BRIEFCHECK_CACHE", str(tmp_path / "cache"))
    stem = _tiny_dictionary(tmp_path / "dict")
    fresh = Dictionary.from_files(str(stem))
    hunspell_cache.load_dictionary(stem)
    cached = hunspell_cache.load_dictionary(stem)
    assert type(cached.dic).__name__ == "LazyDic"
    assert [cached.lookup(w) for w in TINY_WORDS] == [fresh.lookup(w) for w in TINY_WORDS]
    assert _rep(cached) == _rep(fresh)
    assert len(cached.aff.REP) == 4  # the .aff's own and three from ph: tags
    for word in ("wich", "katt", "hnd", "amsterdm", "xyz"):
        assert list(cached.suggest(word)) == list(fresh.suggest(word)), word
    for key in ("e", "a", "k", "amsterdam", "navo", "mcdonald", "iphone", "kat", "zz"):
        assert ([(w.stem, w.flags) for w in cached.dic.homonyms(key, ignorecase=True)]
                == [(w.stem, w.flags) for w in fresh.dic.homonyms(key, ignorecase=True)]), key
        assert cached.dic.homonyms(key) == fresh.dic.homonyms(key), key
    assert cached.dic.homonyms("kat")[0] is cached.dic.words[0]  # one Word per entry, shared
    assert _word_data(cached.dic) == _word_data(fresh.dic)
    assert _positions(cached.dic, cached.dic.index) == _positions(fresh.dic, fresh.dic.index)
    assert _positions(cached.dic, cached.dic.lowercase_index) == _positions(fresh.dic, fresh.dic.lowercase_index)
    # adding a word (spylls never does, but it must still work like spylls' Dic)
    from spylls.hunspell.data.dic import Word

    for dictionary in (fresh, cached):
        dictionary.dic.append(Word(stem="Muis", flags={"S"}, data={}, alt_spellings=[],
                                   captype=dictionary.aff.casing.guess("Muis")), lower=["muis"])
    assert cached.lookup("Muis") and cached.lookup("MUIS") == fresh.lookup("MUIS")
    assert _positions(cached.dic, cached.dic.lowercase_index) == _positions(fresh.dic, fresh.dic.lowercase_index)


def test_broken_or_stale_cache_falls_back_to_parsing(tmp_path, monkeypatch):
    from briefcheck import hunspell_cache

    monkeypatch.setenv("BRIEFCHECK_CACHE", str(tmp_path / "cache"))
    stem = _tiny_dictionary(tmp_path / "dict")
    hunspell_cache.load_dictionary(stem)
    (cache_file,) = (tmp_path / "cache" / "briefcheck").glob("hunspell-mini-*.marshal")
    valid = cache_file.read_bytes()
    for garbage in (b"", b"\x00\x01garbage", valid[:len(valid) // 2], marshal.dumps({"format": 1})):
        cache_file.write_bytes(garbage)
        dictionary = hunspell_cache.load_dictionary(stem)
        assert type(dictionary.dic).__name__ == "Dic" and dictionary.lookup("katten") is False
        assert dictionary.lookup("kats") and dictionary.lookup("Amsterdam")
        # ...and the cache was written again
        assert type(hunspell_cache.load_dictionary(stem).dic).__name__ == "LazyDic"
    # a changed .dic makes the cache stale
    (tmp_path / "dict" / "mini.dic").write_text(TINY_DIC.replace("16\n", "17\n") + "muis/S\n", encoding="utf-8")
    dictionary = hunspell_cache.load_dictionary(stem)
    assert type(dictionary.dic).__name__ == "Dic" and dictionary.lookup("muizen") is False
    assert dictionary.lookup("muis") and hunspell_cache.load_dictionary(stem).lookup("muis")


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    from briefcheck import hunspell_cache

    blocker = tmp_path / "geen-map"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("BRIEFCHECK_CACHE", str(blocker))
    stem = _tiny_dictionary(tmp_path / "dict")
    for _ in range(2):
        dictionary = hunspell_cache.load_dictionary(stem)
        assert type(dictionary.dic).__name__ == "Dic" and dictionary.lookup("kats")


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------

def test_spelling_settings_from_toml(tmp_path):
    (tmp_path / "straten.txt").write_text("Kerkstraat\n", encoding="utf-8")
    data = {"spelling": {"languagetool_url": "http://localhost:8010", "timeout": 3,
                         "dictionary": "dict/nl.dic", "word_lists": ["straten.txt"]}}
    settings = spelling_settings_from_toml(data, tmp_path)
    assert settings == SpellingSettings("http://localhost:8010", 3.0, (tmp_path / "dict/nl.dic").resolve(),
                                        ((tmp_path / "straten.txt").resolve(),))
    assert spelling_settings_from_toml({}, tmp_path) == SpellingSettings()


@pytest.mark.parametrize("table, fragment", [
    ({"word_lists": ["weg.txt"]}, "bestaat niet"),
    ({"timeout": "snel"}, "spelling.timeout"),
    ({"timeout": 0}, "spelling.timeout"),
    ({"languagetool_url": 8010}, "languagetool_url"),
    ({"woordenlijst": []}, "onbekende instelling"),
])
def test_spelling_settings_errors(tmp_path, table, fragment):
    with pytest.raises(ConfigError, match=fragment):
        spelling_settings_from_toml({"spelling": table}, tmp_path)


def test_environment_variable_overrides_configured_url(monkeypatch):
    monkeypatch.setenv(spelling.ENV_URL, "http://lt.intern:8081")
    settings = SimpleNamespace(spelling=SpellingSettings(languagetool_url="http://localhost:8010"))
    assert spelling.effective_settings(settings).languagetool_url == "http://lt.intern:8081"
    monkeypatch.delenv(spelling.ENV_URL)
    assert spelling.effective_settings(settings).languagetool_url == "http://localhost:8010"
    assert spelling.effective_settings(None) == SpellingSettings()


@needs_dictionary
def test_a_misspelled_word_gets_the_spelling_finding_not_also_a_rare_word_one():
    from briefcheck.analyzer import check_text

    report = check_text("Wij plaatsen een damwand aan de kopeinden van de steigers.")
    on_word = {f.code for f in report.findings if f.text == "kopeinden"}
    assert on_word == {"BC601"}  # unknown to SUBTLEX-NL as well, but the misspelling says what to do
