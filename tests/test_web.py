"""The web page and the JSON API (Flask test client): pages, Dutch errors, CSRF, security headers,
escaping, the no-JavaScript flow, downloads, the API against its OpenAPI description, and logs
without letter text."""
from __future__ import annotations

import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import jsonschema
import pytest

from briefcheck.config import Settings
from web import create_app
from web.downloads import DownloadStore
from web.highlight import highlight
from web.results import anatomy_view
from web.security import CSP

ROOT = Path(__file__).resolve().parent.parent
LETTER = (ROOT / "briefcheck" / "examples" / "voorbeeldbrief.txt").read_text(encoding="utf-8")
CANARY = "Zwanenbroekstraatje"  # a word that appears nowhere but in the letters these tests send
CANARY_FILE = "geheim-dossier-kwartiermaker.docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app():
    return create_app(Settings(), {"TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def fresh(app):
    """A new browser session: a client with its CSRF token."""
    client = app.test_client()
    return client, token_of(client.get("/").get_data(as_text=True))


def word_letter(paragraphs: list[str]) -> bytes:
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def results(app):
    """The results page of the example letter (checked once for the module)."""
    client, token = fresh(app)
    response = client.post("/controleer", data={"csrf_token": token, "tekst": LETTER})
    assert response.status_code == 200
    return client, token, response.get_data(as_text=True)


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").get_json()


def validate(spec: dict, path: str, method: str, status: int, body) -> None:
    """Check a real response body against the schema the OpenAPI description gives for it."""
    content = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]
    schema = {**content["schema"], "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def textarea(html: str, name: str = "nieuwe-tekst") -> str:
    import html as html_lib

    raw = re.search(rf'<textarea id="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1)
    return html_lib.unescape(raw)


# -- pages, headers, CSRF ------------------------------------------------------------------------------
def test_start_page_in_dutch_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Controleer uw brief" in html and "We bewaren uw brief niet" in html
    headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "default-src 'self'" in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_style_or_external_assets(results, client):
    for html in (client.get("/").get_data(as_text=True), results[2]):
        for tag, attrs in tags(html):
            assert "style" not in attrs, tag
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            assert tag != "style"
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json"
            for name in ("src", "href", "action"):
                if name in attrs and tag != "a":
                    assert attrs[name].startswith("/"), (tag, attrs)


def test_static_files_are_served_locally(client):
    for path in ("/static/css/briefcheck.css", "/static/js/briefcheck.js", "/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" in response.headers
    assert "http" not in client.get("/static/css/briefcheck.css").get_data(as_text=True).replace("http://www.w3", "")


@pytest.mark.parametrize("path", ["/controleer", "/herschrijf", "/download.txt", "/download.docx", "/geannoteerd.docx"])
def test_csrf_token_is_required_on_every_form(app, path):
    client, token = fresh(app)
    for data in ({"tekst": "Beste mevrouw,"}, {"tekst": "Beste mevrouw,", "csrf_token": "vals" + token}):
        response = client.post(path, data=data)
        assert response.status_code == 400
        assert "Het formulier is verlopen" in response.get_data(as_text=True)
    other, _ = fresh(app)  # a token from another session does not count either
    assert other.post(path, data={"tekst": "x", "csrf_token": token}).status_code == 400


def test_dutch_error_pages(client, app):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404 and "Deze pagina bestaat niet" in response.get_data(as_text=True)
    response = client.get("/controleer")
    assert response.status_code == 405 and "Dit kan hier niet" in response.get_data(as_text=True)
    small = create_app(Settings(), {"TESTING": True, "MAX_CONTENT_LENGTH": 2000})
    c, token = fresh(small)
    response = c.post("/controleer", data={"csrf_token": token, "tekst": "woord " * 1000})
    assert response.status_code == 413
    assert "Het bestand is te groot" in response.get_data(as_text=True)
    api = c.post("/api/v1/check", json={"text": "woord " * 1000})
    assert api.status_code == 413 and api.get_json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("data, message", [
    ({"tekst": "   "}, "Plak de tekst van uw brief"),
    ({"bestand": (io.BytesIO(b"%PDF-1.4"), "brief.pdf")}, "kan briefcheck niet lezen"),
    ({"bestand": (io.BytesIO(b"PK\x03\x04kapot"), "brief.docx")}, "beschadigd"),
    ({"bestand": (io.BytesIO(b"\xd0\xcf\x11\xe0oud"), "brief.doc")}, ".doc"),
    ({"bestand": (io.BytesIO(b"abc"), "brief.exe")}, "Kies een Word-bestand (.docx) of een tekstbestand (.txt)"),
])
def test_bad_input_gives_a_clear_dutch_message_and_keeps_the_text(app, data, message):
    client, token = fresh(app)
    response = client.post("/controleer", data={"csrf_token": token, **data}, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Dit ging niet goed" in html and message in html


# -- the results page and the no-JavaScript flow ---------------------------------------------------------
def test_results_page_shows_verdicts_profile_and_highlights(results):
    html = results[2]
    assert "Uitslag van uw brief" in html
    assert "Taalniveau B1" in html and "Geschat taalniveau (ERK)" in html
    # the example letter has no phone number: a card about the whole letter, named by its rule
    general = re.search(r'<h3 class="list-kop">Over de hele brief</h3>\s*<ol class="kaarten">(.*?)</ol>', html, re.S)
    assert '<h3 class="kaart-titel">Contact ontbreekt</h3>' in general.group(1)
    assert 'data-code="BC407"' in general.group(1)
    # the example letter is not B1: its reasons are listed, each with its value and the B1 limit
    reasons = re.search(r'<p>Waarom niet:</p>\s*<ul class="redenen">(.*?)</ul>', html, re.S).group(1)
    assert re.search(r"<li>LiNT-II-score is \d+ \(B1-teksten: hoogstens \d+\)\.</li>", reasons)
    assert len(re.findall("<li>", reasons)) == 3 and "B1: nee, want" not in html
    assert re.search(r"Ongeveer \d+ % van de volwassenen heeft moeite met deze tekst\.", html)
    assert "Regels van uw organisatie" in html and ("Goedgekeurd" in html or "Afgekeurd" in html)
    assert "Toon van de brief" in html and "toon-punt pos-" in html
    marks = re.findall(r'<mark class="hl cat-(\w+) sev-(\w+)" data-group="(p\d+)">', html)
    assert len(marks) >= 10
    assert 'class="hl-cue" aria-hidden="true">W</span>' in html  # the second cue besides colour
    assert "(moeilijke woorden: 1 melding)" in html  # and for screen readers
    assert 'href="#bevinding-' in html and 'id="bevinding-0"' in html
    assert "Overnemen" in html and "Negeren" in html and "suggesties van dit soort overnemen" in html
    assert textarea(html) == highlight_text(html)


def highlight_text(html: str) -> str:
    """The text of the highlighted letter, without the cues: it must be the original letter."""
    import html as html_lib

    letter = re.search(r'<div class="letter" id="brief">(.*?)</div>\n', html, re.S).group(1)
    letter = re.sub(r'<span class="hl-cue".*?</span>|<span class="visually-hidden">.*?</span>', "", letter)
    letter = re.sub(r'<a class="zin-knop.*?</a>', "", letter)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", letter))


def _form_state(html: str) -> dict:
    return {"staat": re.search(r'name="staat" value="([^"]+)"', html).group(1),
            "gekozen": re.findall(r'name="gekozen" value="([^"]+)"', html),
            "genegeerd": re.findall(r'name="genegeerd" value="([^"]+)"', html)}


def test_accept_ignore_all_and_undo_without_javascript(results):
    client, token, html = results
    original = textarea(html)
    assert "U heeft nog geen suggesties overgenomen." in html
    match = re.search(r'name="overnemen"\s+value="(\d+):(\d+)"', html)
    index, choice = int(match.group(1)), f"{match.group(1)}:{match.group(2)}"
    step = client.post("/herschrijf", data={"csrf_token": token, **_form_state(html), "overnemen": choice})
    assert step.status_code == 200
    accepted = step.get_data(as_text=True)
    assert textarea(accepted) != original
    assert f'id="bevinding-{index}" data-finding="{index}"' in accepted
    assert re.search(rf'class="kaart cat-\w+ is-overgenomen"\s+id="bevinding-{index}"', accepted)
    assert _form_state(accepted)["gekozen"] == [choice]
    assert "U heeft 1 suggestie overgenomen. De tekst hieronder is bijgewerkt." in accepted

    undo = client.post("/herschrijf", data={"csrf_token": token, **_form_state(accepted), "herstellen": str(index)})
    assert textarea(undo.get_data(as_text=True)) == original

    ignored = client.post("/herschrijf", data={"csrf_token": token, **_form_state(html), "negeren": str(index)})
    page = ignored.get_data(as_text=True)
    assert textarea(page) == original and _form_state(page)["genegeerd"] == [str(index)]

    code = re.search(r'name="alles"\s+value="(\w+)"', html).group(1)
    everything = client.post("/herschrijf", data={"csrf_token": token, **_form_state(html), "alles": code})
    chosen = _form_state(everything.get_data(as_text=True))["gekozen"]
    assert len(chosen) >= 2 and all(c.endswith(":0") for c in chosen)


def test_changed_or_foreign_state_is_refused(results, app):
    client, token, html = results
    state = _form_state(html)
    state["staat"] = state["staat"][:-3] + "abc"
    response = client.post("/herschrijf", data={"csrf_token": token, **state, "overnemen": "0:0"})
    assert response.status_code == 400 and "Deze uitslag is verlopen" in response.get_data(as_text=True)
    other = create_app(Settings(), {"TESTING": True, "SECRET_KEY": "een-andere-sleutel"})
    c, t = fresh(other)
    assert c.post("/herschrijf", data={"csrf_token": t, **_form_state(html)}).status_code == 400


def test_downloads_of_the_rewritten_letter(app):
    client, token = fresh(app)
    text = "Beste mevrouw Jansen,\n\nWij hebben uw brief gekregen.\nDank u wel.\n\nMet vriendelijke groet,"
    txt = client.post("/download.txt", data={"csrf_token": token, "tekst": text})
    assert txt.status_code == 200
    assert txt.headers["Content-Disposition"] == 'attachment; filename="verbeterde-brief.txt"'
    assert txt.data.decode("utf-8-sig") == text
    word = client.post("/download.docx", data={"csrf_token": token, "tekst": text + "\x00\x0b"})
    assert word.headers["Content-Type"] == DOCX_TYPE
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs]
    assert paragraphs == ["Beste mevrouw Jansen,", "Wij hebben uw brief gekregen.\nDank u wel.", "Met vriendelijke groet,"]


def test_letter_text_is_escaped_everywhere(app):
    nasty = ("Beste <script>alert('x')</script> mevrouw,\n\nWij sturen u <img src=x onerror=alert(1)> thans "
             "de {{ 7*7 }} en {% if true %}ja{% endif %} formulieren. \" ' & </textarea><b>vet</b>")
    client, token = fresh(app)
    response = client.post("/controleer", data={"csrf_token": token, "tekst": nasty})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>vet</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html and "{% if true %}ja{% endif %}" in html
    assert "&lt;/textarea&gt;" in html
    assert textarea(html) == nasty
    data = re.search(r'<script type="application/json" id="briefcheck-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and "\\u003cscript\\u003e" in data


def test_upload_docx_gives_a_one_time_annotated_download(app):
    client, token = fresh(app)
    data = word_letter(["Geachte heer/mevrouw,", "Wij verzoeken u thans de stukken te retourneren.",
                        "Hoogachtend,"])
    response = client.post("/controleer", data={"csrf_token": token, "bestand": (io.BytesIO(data), "brief.docx")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Uw Word-bestand met opmerkingen" in html
    download = re.search(r'name="token" value="([^"]+)"', html).group(1)
    other, other_token = fresh(app)
    assert other.post("/geannoteerd.docx", data={"csrf_token": other_token, "token": download}).status_code == 410
    file = client.post("/geannoteerd.docx", data={"csrf_token": token, "token": download})
    assert file.status_code == 200 and file.headers["Content-Type"] == DOCX_TYPE
    assert file.headers["Content-Disposition"] == 'attachment; filename="brief-met-opmerkingen.docx"'
    comments = list(docx.Document(io.BytesIO(file.data)).comments)
    assert comments and all(c.author == "briefcheck" for c in comments)
    again = client.post("/geannoteerd.docx", data={"csrf_token": token, "token": download})
    assert again.status_code == 410 and "niet meer beschikbaar" in again.get_data(as_text=True)


def test_download_store_expires_and_forgets():
    now = [0.0]
    store = DownloadStore(ttl=600, clock=lambda: now[0])
    token = store.put(b"PK...", "eigenaar")
    assert store.take(token, "iemand anders") is None and token in store
    now[0] = 601
    assert token not in store and store.take(token, "eigenaar") is None
    token = store.put(b"PK...", "eigenaar")
    assert store.take(token, "eigenaar") == b"PK..." and store.take(token, "eigenaar") is None
    assert len(store) == 0


def test_uploads_stay_in_memory(app):
    stream = app.request_class._get_file_stream(None, 50_000_000, "application/octet-stream", "x.docx")
    assert isinstance(stream, io.BytesIO)


def test_example_page(client):
    response = client.get("/voorbeeld")
    assert response.status_code == 200 and "Uitslag van uw brief" in response.get_data(as_text=True)


# -- the API ---------------------------------------------------------------------------------------------
def test_openapi_description_is_valid(spec):
    from openapi_spec_validator import validate as validate_spec

    validate_spec(spec)
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) >= {"/check", "/verdict", "/rewrite", "/annotate", "/health", "/openapi.json"}


def test_api_check_json_and_file_match_the_description(client, spec):
    response = client.post("/api/v1/check", json={"text": LETTER})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    validate(spec, "/check", "post", 200, body)
    assert body["text"] and body["findings"] and "readability" in body["details"]
    assert "Set-Cookie" not in response.headers and response.headers["Cache-Control"] == "no-store"

    data = word_letter(["Geachte heer/mevrouw,", "Wij verzoeken u thans de stukken te retourneren."])
    upload = client.post("/api/v1/check", data={"file": (io.BytesIO(data), "brief.docx"), "fail_on": "suggestion"},
                         content_type="multipart/form-data")
    assert upload.status_code == 200
    validate(spec, "/check", "post", 200, upload.get_json())
    assert upload.get_json()["source"]["format"] == "docx"
    assert upload.get_json()["verdict"]["fail_on"] == "suggestion"


def test_api_verdict_with_reasons(client, spec):
    response = client.post("/api/v1/verdict", json={"text": LETTER, "fail_on": "warning"})
    body = response.get_json()
    validate(spec, "/verdict", "post", 200, body)
    assert body["passed"] is False and body["fail_on"] == "warning" and body["reasons"]
    assert all(re.match(r"^[A-Z]{2,4}\d{3,4} ", reason) for reason in body["reasons"])


def test_api_rewrite(client, spec):
    text = "Wij sturen u thans de stukken. Wij sturen u thans ook een brief."
    findings = []
    for start in (text.index("thans"), text.rindex("thans")):
        findings.append({"code": "BC201", "name": "ambtelijk-woord", "category": "woorden", "severity": "suggestion",
                         "message": "'thans' is moeilijk.", "start": start, "end": start + 5, "text": "thans",
                         "suggestions": [{"start": start, "end": start + 5, "replacement": "nu", "description": ""}],
                         "value": None, "limit": None, "location": "", "help": ""})
    response = client.post("/api/v1/rewrite", json={"text": text, "findings": findings, "chosen": [[1, 0]]})
    body = response.get_json()
    validate(spec, "/rewrite", "post", 200, body)
    assert body["text"] == "Wij sturen u thans de stukken. Wij sturen u nu ook een brief."
    assert body["applied"] == [{"finding": 1, "suggestion": 0}]
    everything = client.post("/api/v1/rewrite", json={"report": {"text": text, "findings": findings}})
    assert everything.get_json()["text"] == "Wij sturen u nu de stukken. Wij sturen u nu ook een brief."
    assert "Set-Cookie" not in response.headers


def test_api_annotate_returns_word_file_with_comments(client):
    data = word_letter(["Geachte heer/mevrouw,", "Wij verzoeken u thans de stukken te retourneren."])
    response = client.post("/api/v1/annotate", data={"file": (io.BytesIO(data), "brief.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    count = int(response.headers["X-Briefcheck-Comments"])
    assert count >= 2 and len(list(docx.Document(io.BytesIO(response.data)).comments)) == count


def test_api_rewrite_of_a_word_file_keeps_it_a_word_file(client):
    data = word_letter(["Geachte heer/mevrouw,", "Wij sturen u thans de stukken."])
    response = client.post("/api/v1/rewrite", data={"file": (io.BytesIO(data), "brief.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and response.mimetype == DOCX_TYPE
    assert int(response.headers["X-Briefcheck-Applied"]) >= 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    assert "thans" not in text and "stukken" in text


@pytest.mark.parametrize("kwargs, status, code", [
    ({"data": "tekst", "content_type": "text/plain"}, 415, "unsupported_media_type"),
    ({"data": "{kapot", "content_type": "application/json"}, 400, "bad_json"),
    ({"json": ["geen", "object"]}, 400, "bad_json"),
    ({"json": {"text": "   "}}, 422, "input"),
    ({"json": {"text": 12}}, 400, "bad_request"),
    ({"json": {"text": "Beste mevrouw,", "fail_on": "soms"}}, 400, "bad_request"),
    ({"data": {"file": (io.BytesIO(b"%PDF-1.4"), "brief.pdf")}, "content_type": "multipart/form-data"}, 422, "input"),
])
def test_api_errors_are_json_in_dutch(client, spec, kwargs, status, code):
    response = client.post("/api/v1/check", **kwargs)
    assert response.status_code == status
    body = response.get_json()
    validate(spec, "/check", "post", status, body)
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("body", [
    {"text": "abc", "findings": "geen lijst"},
    {"text": "abc", "findings": [{"code": "BC201"}]},
    {"text": "abc", "findings": [], "chosen": [[0]]},
    {"text": "abc", "findings": [{"code": "BC201", "name": "x", "category": "woorden", "severity": "suggestion",
                                   "message": "x", "start": 0, "end": 99, "text": "x", "suggestions": []}]},
])
def test_api_rewrite_refuses_bad_requests(client, spec, body):
    response = client.post("/api/v1/rewrite", json=body)
    assert response.status_code == 400
    validate(spec, "/rewrite", "post", 400, response.get_json())


def test_api_health(client, spec):
    response = client.get("/api/v1/health")
    validate(spec, "/health", "get", 200, response.get_json())
    assert response.get_json()["status"] == "ok" and "Set-Cookie" not in response.headers


def test_api_needs_no_csrf_and_sets_no_cookie(app):
    client = app.test_client()
    response = client.post("/api/v1/rewrite", json={"text": "abc", "findings": []})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


# -- privacy: logs ---------------------------------------------------------------------------------------
def test_no_letter_text_or_file_name_in_logs(app, caplog):
    caplog.set_level(logging.DEBUG)
    client, token = fresh(app)
    text = f"Beste mevrouw,\n\nWij hebben uw brief over het {CANARY} thans ontvangen."
    client.post("/controleer", data={"csrf_token": token, "tekst": text})
    client.post("/controleer", data={"csrf_token": token, "bestand": (io.BytesIO(b"PK\x03\x04kapot"), CANARY_FILE)},
                content_type="multipart/form-data")
    client.post("/controleer", data={"csrf_token": token,
                                     "bestand": (io.BytesIO(word_letter([text])), CANARY_FILE)},
                content_type="multipart/form-data")
    client.post("/api/v1/check", json={"text": text})
    client.post("/api/v1/check", data={"file": (io.BytesIO(b"%PDF"), CANARY_FILE.replace(".docx", ".pdf"))},
                content_type="multipart/form-data")
    client.post("/download.txt", data={"csrf_token": token, "tekst": text})
    assert "POST /controleer 200" in caplog.text  # logging was captured...
    assert CANARY not in caplog.text and "kwartiermaker" not in caplog.text  # ...but no letter or file name


def test_unexpected_errors_are_logged_without_their_message(app, caplog, monkeypatch):
    from web import service

    def broken(document, settings):
        raise RuntimeError(f"kapot bij {CANARY}")

    monkeypatch.setattr(service, "check", broken)
    caplog.set_level(logging.DEBUG)
    client, token = fresh(app)
    page = client.post("/controleer", data={"csrf_token": token, "tekst": "Beste mevrouw,"})
    assert page.status_code == 500 and "Er ging iets mis" in page.get_data(as_text=True)
    assert CANARY not in page.get_data(as_text=True)
    api = client.post("/api/v1/check", json={"text": "Beste mevrouw,"})
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "server_error"
    assert "RuntimeError" in caplog.text and CANARY not in caplog.text


# -- pieces ----------------------------------------------------------------------------------------------
def _finding(start, end, category="woorden", severity="suggestion", code="BC201"):
    from briefcheck.findings import Finding

    return Finding(code, "x", category, severity, "melding", start, end, "")


def test_highlight_groups_overlaps_and_escapes():
    text = "Wij <b>sturen</b> u thans & de stukken die u nodig heeft voor uw aanvraag.\n\nTweede alinea hier."
    first = text.index("\n")
    findings = [_finding(4, 17), _finding(10, 20, "toon", "warning"), _finding(0, first, "zinnen"),
                _finding(5, 5), _finding(first - 5, first + 5)]
    marked = highlight(text, findings)
    html = str(marked.html)
    assert "<b>" not in html and "&lt;b&gt;sturen&lt;/b&gt;" in html and "&amp;" in html
    assert marked.general == [3, 4]  # empty span; across paragraphs
    phrase = [g for g in marked.groups if g.layer == "phrase"]
    assert len(phrase) == 1 and phrase[0].findings == [0, 1] and phrase[0].primary == 1  # warning wins
    assert html.count('<mark class="hl cat-toon sev-warning"') == 1
    assert 'data-findings="0 1"' in html and 'class="zin-knop cat-zinnen"' in html
    assert html.count("<mark") == html.count("</mark>") and html.count("<a ") == html.count("</a>")


def test_anatomy_is_rendered_whatever_its_shape():
    items, notes = anatomy_view({
        "items": [{"key": "datum", "label": "Datum", "present": True, "where": "regel 3"},
                  {"key": "bezwaar", "label": "Bezwaar", "present": False, "required": True, "advice": "Noem het."}],
        "visual": [{"label": "Korte alinea's", "ok": False, "applies": True, "advice": "Maak ze korter."},
                   {"label": "Plaatjes", "ok": None, "applies": False}],
        "summary": ["Alles goed."], "complete": False,
    })
    assert [s["title"] for s in items] == ["Onderdelen van de brief", "Beeld en opmaak"]
    assert [(i["label"], i["status"], i["state"]) for i in items[0]["items"]] == [
        ("Datum", "ok", "staat erin"), ("Bezwaar", "niet-ok", "ontbreekt")]
    assert [(i["label"], i["state"]) for i in items[1]["items"]] == [("Korte alinea's", "kan beter")]
    assert notes == ["Alles goed."]
    assert anatomy_view(None) == ([], [])
    assert anatomy_view([{"label": "Aanhef", "present": True}, "los", 3])[0][0]["items"][0]["label"] == "Aanhef"
    assert anatomy_view({"items": "geen lijst"}) == ([], [])


def test_serve_command_runs_waitress_with_defaults(monkeypatch):
    import waitress

    import web
    from briefcheck import cli

    seen = {}
    monkeypatch.setattr(web, "warm_up", lambda settings=None: None)
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: seen.update(kwargs, app=app))
    from web import service

    monkeypatch.setattr(service, "start_workers", lambda count: seen.update(workers=count))
    assert cli.main(["serve"]) == 0
    assert (seen["host"], seen["port"], seen["threads"]) == ("127.0.0.1", 8080, 4)
    assert seen["workers"] == cli.DEFAULT_WORKERS >= 1
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "9000", "--threads", "8", "--workers", "3"]) == 0
    assert (seen["host"], seen["port"], seen["threads"], seen["workers"]) == ("0.0.0.0", 9000, 8, 3)
    assert cli.main(["serve", "--port", "0"]) == 2
    assert cli.main(["serve", "--workers", "0"]) == 2


def test_worker_processes_give_the_same_report_as_the_server_itself():
    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_text
    from web import service

    document = read_text(LETTER)
    service.start_workers(2)
    try:
        from_worker = service.check(document, Settings())
    finally:
        service.stop_workers()
    assert service._worker_pool is None
    here = analyze(document, Settings())
    assert from_worker.to_dict() == here.to_dict() and from_worker.findings


def test_api_verdict_applies_the_whole_policy_file(tmp_path, spec):
    from briefcheck.config import load_settings

    policy = tmp_path / "briefcheck.toml"
    policy.write_text('[policy]\nfail_on = "never"\n\n[policy.required]\nall = ["kenmerk"]\n', encoding="utf-8")
    client = create_app(load_settings(str(policy)), {"TESTING": True}).test_client()
    without = "Beste mevrouw Jansen,\n\nWij hebben uw brief gekregen. Dank u wel.\n\nMet vriendelijke groet,\nTeam Wonen"
    body = client.post("/api/v1/verdict", json={"text": without}).get_json()
    validate(spec, "/verdict", "post", 200, body)
    assert body["passed"] is False and any("kenmerk" in reason.lower() for reason in body["reasons"])
    with_reference = without.replace("Beste", "Ons kenmerk: 2026-0412\n\nBeste")
    assert client.post("/api/v1/verdict", json={"text": with_reference}).get_json()["passed"] is True
