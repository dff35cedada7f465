"""End-to-end tests in a real browser: Debian's Chromium, driven by Playwright, headless, against the
app served by waitress on 127.0.0.1 (a random free port).

Needs: ``apt-get install chromium``, ``pip install playwright`` (no ``playwright install``: we use
/usr/bin/chromium) and ``npm ci`` in tests/e2e for axe-core. Without them the tests are skipped
with the reason. Screenshots are written to tests/output/ (git-ignored).
"""
from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "tests" / "output"
LETTER = (ROOT / "briefcheck" / "examples" / "voorbeeldbrief.txt").read_text(encoding="utf-8")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
#: Analysis of a letter on a busy machine (the first one also loads the pipeline in warm_up).
SLOW = 120_000

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def base_url():
    from waitress import create_server

    from briefcheck.config import Settings
    from web import create_app, warm_up

    warm_up()
    server = create_server(create_app(Settings()), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.task_dispatcher.shutdown()
    server.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        except Exception as error:  # a Chromium that does not start is an environment problem
            pytest.skip(f"Chromium does not start: {error}")
        yield browser
        browser.close()


@pytest.fixture()
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(accept_downloads=True, locale="nl-NL", viewport={"width": 1280, "height": 900},
                                      **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(SLOW)
        page.problems = []  # console errors and CSP violations
        page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


def check_letter(page, base_url: str, text: str) -> None:
    page.goto(base_url + "/")
    page.fill("#tekst", text)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Uitslag van uw brief')")


def axe_violations(page, name: str) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA and best practices) on the page; return the serious and critical
    violations. All results are written to tests/output/axe-NAME.json."""
    if not AXE.exists():
        pytest.skip(f"axe-core not installed: run 'npm ci' in {AXE.parents[2]}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']})")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    summary = [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
                "targets": [n["target"] for n in v["nodes"][:5]]} for v in result["violations"]]
    (OUTPUT / f"axe-{name}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return [v for v in summary if v["impact"] in ("serious", "critical")]


def first_link_with_suggestion(page) -> str:
    """The data-group of the first highlight whose findings have an 'Overnemen' button."""
    return page.evaluate("""() => {
        for (const link of document.querySelectorAll('#brief a.hl-link')) {
            const first = link.getAttribute('data-findings').split(' ')[0];
            if (document.querySelector('#bevinding-' + first + ' .knop-overnemen')) return link.getAttribute('data-group');
        }
        return null;
    }""")


def test_start_page_has_no_serious_accessibility_problems(new_page, base_url):
    page = new_page(bypass_csp=True)  # axe is injected as a script; the page's own CSP would refuse it
    page.goto(base_url + "/")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "start-page.png"), full_page=True)
    assert axe_violations(page, "start") == []


def test_results_page_has_no_serious_accessibility_problems(new_page, base_url):
    page = new_page(bypass_csp=True)
    check_letter(page, base_url, LETTER)
    assert axe_violations(page, "results") == []
    page.click(f"#brief a[data-group='{first_link_with_suggestion(page)}']")
    page.wait_for_selector("#paneel:not([hidden])")
    assert axe_violations(page, "results-panel") == []


def test_paste_accept_and_download(new_page, base_url, tmp_path):
    page = new_page()
    check_letter(page, base_url, LETTER)
    marks = page.locator("#brief mark.hl")
    assert marks.count() >= 5
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "results-page.png"), full_page=True)
    before = page.input_value("#nieuwe-tekst")
    assert before.startswith("Gemeente Rivierstad") and "Hoogachtend" in before  # the letter as checked

    # Click a highlight: the panel shows what / why / better with the suggestions.
    group = first_link_with_suggestion(page)
    page.click(f"#brief a[data-group='{group}']")
    panel = page.locator("#paneel")
    assert panel.is_visible()
    assert panel.locator("dt:has-text('Wat')").count() >= 1 and panel.locator("dt:has-text('Waarom')").count() >= 1
    page.screenshot(path=str(OUTPUT / "results-panel.png"))

    # Accept its suggestion: the rewritten letter changes at once (no page load).
    url = page.url
    panel.locator(".knop-overnemen").first.click()
    page.wait_for_function("before => document.getElementById('nieuwe-tekst').value !== before", arg=before)
    assert page.url == url
    after = page.input_value("#nieuwe-tekst")
    assert after != before
    assert page.locator("#overgenomen").inner_text() == "U heeft 1 suggestie overgenomen. De tekst hieronder is bijgewerkt."
    assert page.locator("#brief mark.hl.is-overgenomen").count() >= 1
    card = page.locator(f"#bevinding-{page.locator(f'#brief a[data-group={group!r}]').get_attribute('data-findings').split()[0]}")
    assert "is-overgenomen" in card.get_attribute("class")
    page.wait_for_function("() => document.getElementById('meldingen').textContent.includes('bijgewerkt')")

    # Undo, then accept all suggestions of one kind.
    panel.locator(".knop-herstellen").first.click()
    page.wait_for_function("before => document.getElementById('nieuwe-tekst').value === before", arg=before)
    assert page.locator("#overgenomen").inner_text().startswith("U heeft nog geen suggesties overgenomen.")
    page.locator(".knop-alles").first.click()
    page.wait_for_function("before => document.getElementById('nieuwe-tekst').value !== before", arg=before)
    final = page.input_value("#nieuwe-tekst")
    assert int(page.locator("#overgenomen").get_attribute("data-aantal")) >= 2
    assert "suggesties overgenomen" in page.locator("#overgenomen").inner_text()

    # Copy: the rewritten letter goes to the clipboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.click("#kopieer")
    page.wait_for_function("() => document.getElementById('kopieer-status').textContent.includes('gekopieerd')")
    assert page.evaluate("() => navigator.clipboard.readText()") == final

    # Download as .txt and as .docx: the files hold the rewritten letter.
    with page.expect_download() as download:
        page.click("#download-txt")
    assert download.value.suggested_filename == "verbeterde-brief.txt"
    assert Path(download.value.path()).read_bytes().decode("utf-8-sig") == final
    with page.expect_download() as download:
        page.click("#download-docx")
    assert download.value.suggested_filename == "verbeterde-brief.docx"
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "\n\n".join(p.text for p in document.paragraphs) == final
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems
    assert page.problems == []


def test_highlights_work_with_the_keyboard(new_page, base_url):
    page = new_page()
    page.goto(base_url + "/voorbeeld")
    link = page.locator("#brief a.hl-link").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#paneel:not([hidden])")
    assert page.evaluate("() => document.activeElement.id") == "paneel-titel"
    page.keyboard.press("Escape")
    assert page.locator("#paneel").is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('hl-link')")
    assert page.evaluate("() => document.activeElement.getAttribute('data-group')") == link.get_attribute("data-group")


def test_upload_docx_and_download_the_annotated_copy(new_page, base_url):
    d = docx.Document()
    for text in ("Geachte heer/mevrouw,",
                 "Naar aanleiding van uw schrijven delen wij u mede dat wij uw aanvraag thans behandelen.",
                 "Wij verzoeken u de stukken te retourneren.", "Hoogachtend,"):
        d.add_paragraph(text)
    data = io.BytesIO()
    d.save(data)
    page = new_page()
    page.goto(base_url + "/")
    page.set_input_files("#bestand", files=[{
        "name": "brief.docx", "buffer": data.getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Uitslag van uw brief')")
    assert page.locator("#brief mark.hl").count() >= 3
    with page.expect_download() as download:
        page.click("#download-opmerkingen")
    assert download.value.suggested_filename == "brief-met-opmerkingen.docx"
    annotated = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    comments = list(annotated.comments)
    assert len(comments) >= 3 and all(c.author == "briefcheck" for c in comments)
    assert any("Waarom:" in c.text for c in comments)


def test_letter_text_is_shown_literally_and_never_executed(new_page, base_url):
    nasty = ("Beste <script>window.__pwned = 1</script> mevrouw,\n\n"
             "Wij sturen u thans <img src=x onerror=\"window.__pwned = 2\"> de formulieren {{ 7*7 }} en "
             "{% if true %}ja{% endif %} ${7*7} <b>vet</b>.\n\nHoogachtend,")
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    check_letter(page, base_url, nasty)
    letter = page.locator("#brief")
    shown = page.evaluate("""() => {
        const copy = document.getElementById('brief').cloneNode(true);
        copy.querySelectorAll('.hl-cue, .visually-hidden, .zin-knop').forEach(node => node.remove());
        return copy.textContent;
    }""")  # the letter as shown, without the category cues
    assert shown == nasty
    for literal in ("<script>window.__pwned = 1</script>", '<img src=x onerror="window.__pwned = 2">',
                    "{{ 7*7 }}", "{% if true %}ja{% endif %}", "${7*7}", "<b>vet</b>"):
        assert literal in shown
    assert letter.locator("script, img, b").count() == 0
    assert page.input_value("#nieuwe-tekst") == nasty
    # Open the panel and accept a suggestion: the JavaScript path must not execute letter text either.
    group = first_link_with_suggestion(page)
    if group:
        page.click(f"#brief a[data-group='{group}']")
        page.locator("#paneel .knop-overnemen").first.click()
        page.wait_for_function("before => document.getElementById('nieuwe-tekst').value !== before", arg=nasty)
        assert "<script>window.__pwned = 1</script>" in page.input_value("#nieuwe-tekst")
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert not any(url.rstrip("/").endswith("/x") for url in requests)


def test_core_flow_works_without_javascript(new_page, base_url):
    page = new_page(java_script_enabled=False)
    check_letter(page, base_url, LETTER)
    before = page.input_value("#nieuwe-tekst")
    assert page.locator("#paneel").is_hidden() and page.locator("#kopieer").is_hidden()  # JavaScript-only parts
    # A highlight is a link to the explanation in the list.
    href = page.locator("#brief a.hl-link").first.get_attribute("href")
    assert href.startswith("#bevinding-")
    button = page.locator("#bevinding-0 .knop-overnemen, .kaart .knop-overnemen").first
    index = button.get_attribute("value").split(":")[0]
    button.click()  # posts the form; the server draws the page again with the choice
    page.wait_for_selector(f"#bevinding-{index}.is-overgenomen")
    assert page.input_value("#nieuwe-tekst") != before
    with page.expect_download() as download:
        page.click("#download-txt")
    assert Path(download.value.path()).read_bytes().decode("utf-8-sig") == page.input_value("#nieuwe-tekst")
