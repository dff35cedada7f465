"""``briefcheck batch``: a folder of 70+ varied templates (Word, templates, macro documents, text,
Markdown, .odt/.rtf/.doc, nested department folders, merge fields, a corrupt, a password-protected and
an empty file) checked in one run; reports, annotated copies, cache, exit codes, policy.

The LibreOffice parts (converting .odt/.rtf/.doc, proving the annotated copies open) run when
``soffice`` is installed (``apt-get install -y libreoffice-writer``); without it those files must be
listed as skipped with a reason, and the PDF check is skipped.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import textwrap
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefcheck import batch
from briefcheck.cli import main

LETTERS = Path(__file__).parent / "data" / "letters"
EXAMPLE = Path(__file__).resolve().parents[1] / "briefcheck" / "examples" / "voorbeeldbrief.txt"
SOFFICE = batch.find_soffice()
HAVE_ANNOTATE = __import__("importlib").util.find_spec("briefcheck.annotate") is not None
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ".docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
}
FIELD_RE = re.compile(r"«([^»\n]+)»|\[([A-Z][A-Z_]+)\]")
POLICY = """\
[policy]
fail_on = "error"
target_level = "B1"

[batch]
exclude = ["Concepten/**"]

[batch.letter_types]
"Vergunningen/**" = "besluit_toegekend"
"""


# -- building the folder ---------------------------------------------------------------------------------
def _add_text(paragraph, text: str, complex_fields: bool) -> None:
    """Text with merge fields: «Naam» and [NAAM] become real Word MERGEFIELDs (simple or complex)."""
    from docx.oxml import parse_xml

    position = 0
    for match in FIELD_RE.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position:match.start()])
        name = match.group(1) or match.group(2)
        shown = f"«{name}»"
        if complex_fields:
            for xml in (f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"/></w:r>',
                        f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> MERGEFIELD {name} </w:instrText></w:r>',
                        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="separate"/></w:r>',
                        f'<w:r xmlns:w="{W}"><w:t>{shown}</w:t></w:r>',
                        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>'):
                paragraph._p.append(parse_xml(xml))
        else:
            paragraph._p.append(parse_xml(
                f'<w:fldSimple xmlns:w="{W}" w:instr=" MERGEFIELD {name} "><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'))
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def docx_bytes(text: str, variant: int = 0) -> bytes:
    """A Word letter from plain text: paragraphs, merge fields, a header and footer, sometimes a
    heading or a table with the reference data."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Gemeente Rivierstad"
    section.footer.paragraphs[0].text = "Postbus 100, 1234 AB Rivierstad"
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    for index, block in enumerate(paragraphs):
        if variant % 3 == 1 and block.startswith(("Datum:", "Kenmerk:")) and "\n" in block:
            table = document.add_table(rows=0, cols=2)
            for line in block.splitlines():
                label, _, value = line.partition(":")
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label + ":", value.strip()
            continue
        if variant % 3 == 2 and block.startswith("Onderwerp:"):
            document.add_heading(block.removeprefix("Onderwerp:").strip(), level=1)
            continue
        paragraph = document.add_paragraph()
        _add_text(paragraph, block.replace("\n", " "), complex_fields=bool(index % 2))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_main_type(data: bytes, suffix: str) -> bytes:
    """The same package as a template (.dotx) or macro document (.docm)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(MAIN_TYPES[".docx"].encode(), MAIN_TYPES[suffix].encode())
            target.writestr(info, blob)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    from xml.sax.saxutils import escape

    body = "".join(f"<text:p>{escape(p.replace(chr(10), ' '))}</text:p>" for p in text.split("\n\n") if p.strip())
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def rtf_text(text: str) -> str:
    def escape(s: str) -> str:
        out = []
        for ch in s:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) > 127:
                code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
                out.append(f"\\u{code}?")
            else:
                out.append(ch)
        return "".join(out)

    paragraphs = [p.replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs22 "
            + "".join(f"{escape(p)}\\par\\par " for p in paragraphs) + "}")


def soffice_convert(sources: list[Path], target: str, out_dir: Path, profile: Path) -> None:
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", target, "--outdir", str(out_dir), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16


def build_folder(root: Path, work: Path) -> dict:
    """The template folder: returns {"good": [rel], "bad": {rel: words of the reason}, "converted": [rel],
    "excluded": [rel]}."""
    sources = {kind: sorted((LETTERS / kind).glob("*.txt"))[:9] for kind in (
        "betaling_herinnering", "besluit_toegekend", "besluit_afgewezen", "handhaving", "uitnodiging",
        "informatie", "verzoek_om_informatie")}
    plan = {  # kind → (folder, formats in order)
        "betaling_herinnering": ["Belastingen", [".docx"] * 3 + ["Herinneringen/2026/.docx"] * 2 + [".dotx"] * 2 + [".txt"] * 2],
        "besluit_toegekend": ["Vergunningen/Besluiten", [".docx"] * 6 + [".dotx"] * 3],
        "besluit_afgewezen": ["Sociaal Domein/Wmo", [".docx"] * 6 + [".docm"] * 3],
        "handhaving": ["Handhaving", [".docx"] * 7 + [".odt"] * 2],
        "uitnodiging": ["Burgerzaken", [".docx"] * 5 + [".rtf"] * 2 + [".doc"] * 2],
        "informatie": ["Communicatie", [".txt"] * 4 + [".md"] * 5],
        "verzoek_om_informatie": ["Klantcontact/Inkomen", [".docx"] * 6 + [".md"] * 3],
    }
    good, converted, to_doc = [], [], []
    variant = 0
    for kind, (folder, formats) in plan.items():
        for source, fmt in zip(sources[kind], formats):
            sub, _, suffix = fmt.rpartition("/")
            sub = sub.rstrip("/")
            rel = "/".join(p for p in (folder, sub, source.stem + suffix) if p)
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            variant += 1
            if suffix == ".docx":
                path.write_bytes(docx_bytes(text, variant))
            elif suffix in (".dotx", ".docm"):
                path.write_bytes(with_main_type(docx_bytes(text, variant), suffix))
            elif suffix == ".txt":
                path.write_text(text, encoding="utf-8")
            elif suffix == ".md":
                lines = text.split("\n\n")
                md = "\n\n".join(("## " + b.removeprefix("Onderwerp:").strip()) if b.startswith("Onderwerp:") else b
                                 for b in lines)
                path.write_text(md, encoding="utf-8")
            elif suffix == ".odt":
                path.write_bytes(odt_bytes(text))
            elif suffix == ".rtf":
                path.write_text(rtf_text(text), encoding="ascii")
            elif suffix == ".doc":
                to_doc.append((path, text))
            good.append(rel)
            if suffix in batch.CONVERT_SUFFIXES:
                converted.append(rel)
    # .doc (Word 97-2003) can only be made by LibreOffice; without it a stand-in that is skipped anyway
    if to_doc and SOFFICE:
        staging = work / "doc-staging"
        staging.mkdir()
        for path, text in to_doc:
            (staging / (path.stem + ".docx")).write_bytes(docx_bytes(text))
        soffice_convert(sorted(staging.glob("*.docx")), "doc", staging, work / "lo-profile-build")
        for path, _ in to_doc:
            shutil.copyfile(staging / (path.stem + ".doc"), path)
    else:
        for path, _ in to_doc:
            path.write_bytes(OLE_HEADER + b"\x00" * 512)
    # letters that pass, for the exit code 0 test; one that fails, for exit code 1
    for source in sorted((LETTERS / "b1-vriendelijk").glob("*.txt")):
        rel = f"Communicatie/Goed/{source.name}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / rel)
        good.append(rel)
    (root / "Oud").mkdir()
    shutil.copyfile(EXAMPLE, root / "Oud" / "voorbeeldbrief.txt")
    good.append("Oud/voorbeeldbrief.txt")
    # bad files
    (root / "Kapot").mkdir()
    whole = docx_bytes(sources["handhaving"][0].read_text(encoding="utf-8"))
    (root / "Kapot" / "kapot.docx").write_bytes(whole[: len(whole) // 2])
    (root / "Kapot" / "beveiligd.docx").write_bytes(OLE_HEADER + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    (root / "Kapot" / "leeg.docx").write_bytes(b"")
    bad = {"Kapot/kapot.docx": "beschadigd", "Kapot/beveiligd.docx": "wachtwoord", "Kapot/leeg.docx": "leeg"}
    # not letters, or left out by the policy
    (root / "Belastingen" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "Belastingen" / "~$lock.docx").write_bytes(b"lock")
    (root / "Concepten").mkdir()
    (root / "Concepten" / "concept.docx").write_bytes(docx_bytes("Beste «Naam»,\n\nDit is een concept."))
    (root / "briefcheck.toml").write_text(POLICY, encoding="utf-8")
    return {"good": good, "bad": bad, "converted": converted, "excluded": ["Concepten/concept.docx"]}


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The folder, checked once with reports and annotated copies (shared by the tests below)."""
    base = tmp_path_factory.mktemp("batch")
    root, work = base / "sjablonen", base / "work"
    root.mkdir()
    work.mkdir()
    expected = build_folder(root, work)
    before = tree_hashes(root)
    report, annotated, cache = base / "rapport", base / "met-opmerkingen", base / "cache"
    argv = ["batch", str(root), "--report", str(report), "--jobs", "2", "--cache-dir", str(cache)]
    if HAVE_ANNOTATE:
        argv += ["--annotate", str(annotated)]
    started = time.perf_counter()
    code, out, err = run_cli(argv)
    seconds = time.perf_counter() - started
    return {"root": root, "base": base, "report": report, "annotated": annotated, "cache": cache, "code": code,
            "out": out, "err": err, "before": before, "seconds": seconds, **expected}


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- the run -------------------------------------------------------------------------------------------
def test_folder_has_at_least_60_varied_templates(folder):
    files = folder["good"] + list(folder["bad"])
    assert len(files) >= 60
    suffixes = {Path(f).suffix for f in files}
    assert suffixes >= {".docx", ".dotx", ".docm", ".txt", ".md", ".odt", ".rtf", ".doc"}
    assert any(f.count("/") >= 3 for f in files)  # nested folders


def test_every_good_file_reported_and_bad_files_listed_in_dutch(folder):
    rows = {r["bestand"]: r for r in jsonl(folder["report"] / "brieven.jsonl")}
    assert set(rows) == set(folder["good"]) | set(folder["bad"]), folder["out"]
    for rel in folder["good"]:
        row = rows[rel]
        if rel in folder["converted"] and not SOFFICE:
            assert row["status"] == batch.SKIPPED and "LibreOffice" in row["reden"]
            assert f"{rel}: " in folder["out"]
        else:
            assert row["status"] == batch.CHECKED, (rel, row["reden"])
            assert row["beleid"] in ("voldoet", "voldoet niet") and row["woorden"] > 0
            assert (folder["report"] / row["pagina"]).is_file()
    for rel, words in folder["bad"].items():
        assert rows[rel]["status"] == batch.UNREADABLE
        assert words in rows[rel]["reden"].lower()
        assert f"{rel}: {rows[rel]['reden']}" in folder["out"]  # listed with the Dutch reason
    for rel in folder["excluded"] + ["Belastingen/~$lock.docx", "Belastingen/logo.png"]:
        assert rel not in rows
    assert "andere bestanden (geen brief, niet bekeken): 1" in folder["out"]
    # merge fields are read as fields, not as words
    docx_rows = [r for r in rows.values() if r["formaat"] == "docx" and r["status"] == batch.CHECKED]
    assert docx_rows


def test_exit_code_2_when_files_could_not_be_read(folder):
    assert folder["code"] == batch.EXIT_PROBLEMS
    assert "Niet gecontroleerd:" in folder["out"]


def test_progress_goes_to_stderr_without_letter_text(folder):
    assert "bestanden klaar" in folder["err"]
    assert "Rivierstad" not in folder["err"]  # never letter text in the progress output


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_html_report_has_charts_and_every_link_resolves(folder):
    report = folder["report"]
    index = report / "index.html"
    html = index.read_text(encoding="utf-8")
    assert html.count("<svg") >= 3 and "LiNT-II" in html and "taalniveau" in html.lower()
    for section in ("Per afdeling", "de slechtste eerst", "Wat komt het vaakst voor?", "Niet gecontroleerd"):
        assert section in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no external assets
    assert "<script" not in html
    pages = [index] + sorted((report / "brieven").glob("*.html"))
    assert len(pages) > len(folder["good"]) // 2
    parsed = {page.resolve(): _parse(page) for page in pages}
    checked_links = 0
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, link
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.exists(), f"{page.name}: {link}"
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                assert parts.fragment in ids, f"{page.name}: {link}"
            checked_links += 1
    assert checked_links > 100


def test_letter_page_escapes_text_and_highlights_findings(folder):
    rows = {r["bestand"]: r for r in jsonl(folder["report"] / "brieven.jsonl")}
    page = (folder["report"] / rows["Oud/voorbeeldbrief.txt"]["pagina"]).read_text(encoding="utf-8")
    assert "&laquo;" not in page and "«Naam»" in page  # text is there (as characters)
    assert '<mark class="ernst-' in page and 'class="zin ernst-error"' in page
    assert "Deze brief voldoet niet aan het beleid." in page and "BC101" in page


def test_csv_and_json_lines_parse(folder):
    report = folder["report"]
    templates = jsonl(report / "brieven.jsonl")
    findings = jsonl(report / "bevindingen.jsonl")
    with open(report / "brieven.csv", encoding="utf-8-sig", newline="") as handle:
        csv_templates = list(csv.DictReader(handle, delimiter=";"))
    with open(report / "bevindingen.csv", encoding="utf-8-sig", newline="") as handle:
        csv_findings = list(csv.DictReader(handle, delimiter=";"))
    assert [r["bestand"] for r in csv_templates] == [r["bestand"] for r in templates]
    assert len(csv_findings) == len(findings) > 0
    assert set(csv_templates[0]) == set(templates[0]) == set(batch_report_columns())
    counted = sum((r["fouten"] or 0) + (r["waarschuwingen"] or 0) + (r["tips"] or 0) for r in templates)
    assert counted == len(findings)
    scores = [r["lint_score"] for r in csv_templates if r["lint_score"]]
    assert scores and all(re.fullmatch(r"\d+(,\d+)?", s) for s in scores)  # decimal comma for Dutch Excel
    assert all(not r["melding"].startswith(("=", "+", "@")) for r in csv_findings)


def batch_report_columns():
    from briefcheck.report_html import TEMPLATE_COLUMNS

    return TEMPLATE_COLUMNS


def test_originals_are_never_changed(folder):
    assert tree_hashes(folder["root"]) == folder["before"]


# -- annotated copies ----------------------------------------------------------------------------------
def _comment_anchors(data: bytes) -> dict[str, str]:
    """Comment id → the text between its commentRangeStart and commentRangeEnd in the main text."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    open_ids: list[str] = []
    texts: dict[str, list[str]] = {}
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if event == "end":
            if tag in ("p", "tc") and open_ids:  # blocks are separated in the report's text
                for cid in open_ids:
                    texts[cid].append(" ")
            continue
        if tag == "commentRangeStart":
            cid = element.get(f"{{{W}}}id")
            open_ids.append(cid)
            texts[cid] = []
        elif tag == "commentRangeEnd":
            cid = element.get(f"{{{W}}}id")
            if cid in open_ids:
                open_ids.remove(cid)
        elif tag in ("t", "tab", "br") and open_ids:
            piece = element.text or "" if tag == "t" else " "
            for cid in open_ids:
                texts[cid].append(piece)
    return {cid: "".join(parts) for cid, parts in texts.items()}


def _as_document(data: bytes) -> bytes:
    for kind in (MAIN_TYPES[".dotx"], MAIN_TYPES[".docm"]):
        data = batch._replace_main_content_type(data, kind, MAIN_TYPES[".docx"]) if kind.encode() in _types(data) else data
    return data


def _types(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("[Content_Types].xml")


@pytest.mark.skipif(not HAVE_ANNOTATE, reason="briefcheck.annotate is not there yet")
def test_annotated_copies_mirror_the_folder_and_carry_one_comment_per_finding(folder):
    import docx

    annotated = folder["annotated"]
    templates = {r["bestand"]: r for r in jsonl(folder["report"] / "brieven.jsonl")}
    findings: dict[str, list[dict]] = {}
    for f in jsonl(folder["report"] / "bevindingen.jsonl"):
        findings.setdefault(f["bestand"], []).append(f)
    copies = 0
    for rel in folder["good"]:
        row = templates[rel]
        suffix = Path(rel).suffix
        target = batch.annotated_path(annotated, batch.FileEntry(Path(rel), rel, suffix))
        if suffix in (".txt", ".md") or row["status"] != batch.CHECKED:
            assert target is None or not target.exists()
            continue
        assert target.is_file(), rel
        assert row["kopie"] and (folder["report"] / unquote(row["kopie"])).resolve() == target.resolve()
        data = target.read_bytes()
        if suffix in MAIN_TYPES:  # the copy keeps its kind (template, macro document)
            assert MAIN_TYPES[suffix].encode() in _types(data)
        document = docx.Document(io.BytesIO(_as_document(data)))
        comments = list(document.comments)
        letter_findings = findings.get(rel, [])
        assert len(comments) <= len(letter_findings)
        anchors = _comment_anchors(data)
        assert len(anchors) == len(comments)
        by_message = {}
        for f in letter_findings:
            by_message.setdefault(f["melding"], []).append(f)
        for comment in comments:
            text = "\n".join(p.text for p in comment.paragraphs)
            matching = [f for message, fs in by_message.items() if message in text for f in fs]
            assert matching, (rel, text)
            anchored = " ".join(anchors[str(comment.comment_id)].split())
            assert any(" ".join(f["woorden"].split()) == anchored for f in matching), (rel, anchored)
        # every finding in the main text has its comment (headers, footers, merge fields cannot carry one)
        body = [f for f in letter_findings if "koptekst" not in f["plek"] and "voettekst" not in f["plek"]
                and "«" not in f["woorden"]]
        assert len(comments) >= len(body) * 0.9, (rel, len(comments), len(body))
        copies += 1
    assert copies >= 40
    # what a letter lacks (no subject, no reference, no phone number) is about the whole letter
    lacking = [f for fs in findings.values() for f in fs if f["code"] in ("BC401", "BC407", "BC408")]
    assert lacking and all(f["plek"] == "hele brief" for f in lacking)
    assert not (annotated / "Communicatie").exists() or not list((annotated / "Communicatie").rglob("*.txt"))


@pytest.mark.skipif(not (HAVE_ANNOTATE and SOFFICE), reason="needs briefcheck.annotate and LibreOffice (soffice)")
def test_libreoffice_converts_every_annotated_copy_to_pdf(folder, tmp_path):
    copies = sorted(p for p in folder["annotated"].rglob("*") if p.is_file())
    assert len(copies) >= 40
    staging = tmp_path / "in"
    staging.mkdir()
    names = {}
    for i, path in enumerate(copies):  # flat, unique names for one LibreOffice run
        name = f"c{i:03d}{path.suffix}"
        shutil.copyfile(path, staging / name)
        names[name] = path
    out = tmp_path / "pdf"
    soffice_convert(sorted(staging.iterdir()), "pdf", out, tmp_path / "lo-profile")
    for name, path in names.items():
        pdf = out / (Path(name).stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, path
        assert pdf.read_bytes().startswith(b"%PDF")


# -- cache, exit codes, isolation, policy -----------------------------------------------------------------
def test_unchanged_rerun_uses_the_cache_without_workers(folder):
    started = time.perf_counter()
    result = batch.run_batch(folder["root"], *_settings(folder["root"]), jobs=2, report_dir=folder["report"],
                             cache_dir=folder["cache"], progress=False)
    seconds = time.perf_counter() - started
    assert result.workers_started == 0
    assert all(r.from_cache for r in result.rows if r.status == batch.CHECKED)
    assert seconds < 5, seconds
    assert result.exit_code == batch.EXIT_PROBLEMS


def _settings(root: Path):
    from briefcheck.config import load_settings

    settings = load_settings(None, search_dir=root)
    return settings, batch.load_batch_policy(settings.source)


def test_exit_codes_0_and_1(folder):
    cache = str(folder["cache"])
    code, out, _ = run_cli(["batch", str(folder["root"] / "Communicatie" / "Goed"), "--jobs", "2",
                            "--cache-dir", cache, "--policy", str(folder["root"] / "briefcheck.toml"), "-q"])
    assert code == batch.EXIT_OK, out
    assert "voldoen niet: 0" in out
    code, out, _ = run_cli(["batch", str(folder["root"] / "Oud"), "--jobs", "2", "--cache-dir", cache, "-q"])
    assert code == batch.EXIT_POLICY, out
    assert "voorbeeldbrief.txt: BC101" in out
    code, _, err = run_cli(["batch", str(folder["root"] / "bestaat-niet")])
    assert code == batch.EXIT_PROBLEMS and "bestaat niet" in err
    code, _, err = run_cli(["batch", str(folder["root"]), "--annotate", str(folder["root"])])
    assert code == batch.EXIT_PROBLEMS and "--annotate" in err


def test_timeout_and_crash_stop_only_their_own_file(folder, tmp_path, monkeypatch):
    """A file that hangs or crashes its worker gets a row with a Dutch reason; the others go on.
    (An annotator that misbehaves on purpose; the reports come from the cache, so no pipeline loads.)"""
    sources = sorted((folder["root"] / "Handhaving").glob("*.docx"))[:3]
    stub = tmp_path / "stub_annotator.py"
    stub.write_text(textwrap.dedent(f"""
        import os, time
        def annotate(data, report):  # the cached reports keep the names of the files they came from
            if report.source_name == {sources[0].name!r}:
                time.sleep(60)
            if report.source_name == {sources[1].name!r}:
                os._exit(3)
            return data
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    small = tmp_path / "klein"
    small.mkdir()
    # the same bytes as in the big folder, so the reports come from the cache
    for source, name in zip(sources, ("traag.docx", "crash.docx", "goed.docx")):
        shutil.copyfile(source, small / name)
    started = time.perf_counter()
    result = batch.run_batch(small, jobs=2, timeout=3, annotate_dir=tmp_path / "uit", cache_dir=folder["cache"],
                             progress=False, annotator="stub_annotator:annotate",
                             settings=_settings(folder["root"])[0])
    assert time.perf_counter() - started < 60
    rows = {r.rel: r for r in result.rows}
    assert rows["goed.docx"].annotation["status"] == "ok"
    assert rows["traag.docx"].annotation["status"] == "failed"
    assert "langer dan 3 seconden" in rows["traag.docx"].annotation["reason"]
    assert rows["crash.docx"].annotation["status"] == "failed"
    assert "vast" in rows["crash.docx"].annotation["reason"]
    assert result.exit_code == batch.EXIT_PROBLEMS


def test_check_policy_passes_the_b1_letter_and_fails_the_official_one(folder):
    policy = str(folder["root"] / "briefcheck.toml")
    code, out, _ = run_cli(["check", "--policy", policy, str(LETTERS / "b1-vriendelijk" / "herinnering-betalen.txt")])
    assert code == 0, out
    code, out, _ = run_cli(["check", "--policy", policy, str(EXAMPLE)])
    assert code == 1
    assert "BC101" in out and "voldoet niet" in out.lower()


def test_policy_file_errors_are_dutch(tmp_path):
    path = tmp_path / "briefcheck.toml"
    path.write_text('[policy]\ntarget_level = "B3"\n', encoding="utf-8")
    with pytest.raises(batch.ConfigError, match="target_level moet een van A1"):
        batch.load_batch_policy(path)
    path.write_text('[batch]\ntimeot = 3\n', encoding="utf-8")
    with pytest.raises(batch.ConfigError, match="kent de instelling timeot niet"):
        batch.load_batch_policy(path)
    path.write_text('[policy.required]\nall = "contact"\n', encoding="utf-8")
    with pytest.raises(batch.ConfigError, match="lijst met namen"):
        batch.load_batch_policy(path)


def test_path_patterns():
    assert batch.path_matches("Concepten/a/b.docx", ["Concepten/**"])
    assert batch.path_matches("x/archief/b.docx", ["archief"])
    assert batch.path_matches("x/b.bak.docx", ["*.bak.docx"])
    assert not batch.path_matches("Vergunningen/b.docx", ["Concepten/**"])
    assert batch.path_matches("vergunningen/Besluiten/b.docx", ["Vergunningen/**"])  # case does not matter


def test_policy_reasons_target_level_lint_and_required_parts():
    from briefcheck.config import Settings

    report = {
        "findings": [],
        "details": {
            "readability": {"lint": {"score": 60.0, "level": 3},
                            "cefr": {"level": "B2", "b1": {"passed": False, "verdict": "B1: nee, want …"}}},
            "anatomy": {"letter_type": "besluit_afgewezen",
                        "items": [{"key": "bezwaar", "label": "Bezwaar", "present": False},
                                  {"key": "aanhef", "label": "Aanhef", "present": True}]},
        },
    }
    policy = batch.BatchPolicy(target_level="B1", max_lint_level=2,
                               required={"all": ("aanhef",), "besluit_afgewezen": ("bezwaar",)})
    passed, reasons = batch.policy_reasons(report, Settings(), policy, "besluit_afgewezen")
    assert not passed
    assert any(r.startswith("Taalniveau: het beleid vraagt B1.") for r in reasons)
    assert any(r.startswith("LiNT-II: de tekst heeft niveau 3") for r in reasons)
    assert any("'bezwaar' ontbreekt" in r for r in reasons)
    assert not any("aanhef" in r for r in reasons)
    verdict = batch.letter_verdict(report, Settings(), batch.BatchPolicy(target_level="C1"))
    assert verdict["passed"] and verdict["letter_type"] == "besluit_afgewezen"
