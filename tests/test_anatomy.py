"""Letter anatomy and visual cues (issue #5): the checklist per letter type, the visual cues, the
findings made from them, Word letters built here with python-docx (each varying one thing),
merge fields, and the acceptance on the example letter pair."""
from __future__ import annotations

import io
import json
import re

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from docx_helpers import append_xml, tiny_png

from briefcheck.analyzer import analyze
from briefcheck.anatomy import ITEM_KEYS, VISUAL_CUES, load_anatomy_data
from briefcheck.formats import read_bytes, read_text
from briefcheck.nlp import find_special_spans
from briefcheck.tone import LETTER_TYPES


# -- helpers -------------------------------------------------------------------------------------------
_reports: dict = {}


def report_of_text(text: str):
    if text not in _reports:
        _reports[text] = analyze(read_text(text))
    return _reports[text]


def report_of_docx(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return analyze(read_bytes(buffer.getvalue(), "brief.docx"))


def items(report) -> dict:
    return {item["key"]: item for item in report.details["anatomy"]["items"]}


def cues(report) -> dict:
    return {cue["key"]: cue for cue in report.details["anatomy"]["visual"]}


def codes(report) -> set[str]:
    return {f.code for f in report.findings}


def findings(report, code: str) -> list:
    return [f for f in report.findings if f.code == code]


def merge_field(paragraph, name: str, shown: str = "voorbeeld") -> None:
    """A Word merge field (complex field), as Word writes it."""
    append_xml(paragraph, (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> MERGEFIELD {name} \\* MERGEFORMAT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{shown}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def text_box(paragraph, text: str) -> None:
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    append_xml(paragraph, (
        "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
        'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="457200"/><wp:wrapSquare wrapText="bothSides"/>'
        '<wp:docPr id="10" name="Tekstvak 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape id="Tekstvak 1"><v:textbox>{content}</v:textbox></v:shape></w:pict>'
        "</mc:Fallback></mc:AlternateContent></w:r>"))


# -- the Word letter and its variants ------------------------------------------------------------------
CONTACT = ("Bel dan met Sanne de Vries van team Inkomen op 14 0123. Zij is bereikbaar op werkdagen van "
           "9.00 tot 17.00 uur. Noem dan het kenmerk van deze brief.")
ACTION_TAIL = (" een overzicht van uw inkomen van de laatste drie maanden. U kunt het uploaden op "
               "www.rivierstad.nl/inkomen of afgeven bij de Stadswinkel in het stadhuis.")


def letter(heading_style: str = "style", deadline_bold: bool = True, size: float | None = None,
           justify: bool = False, font: str | None = None, contact_in: str = "body",
           enumeration: str | None = None, steps: str | None = None, pictures: str | None = None,
           italic_passage: bool = False, caps_passage: bool = False, layout_table: bool = False,
           merge_fields: bool = False, subject: str = "label", buried_deadline: bool = False):
    """A complete B1 letter asking for income details (a verzoek om informatie); every argument
    changes one thing."""
    document = docx.Document()
    if font:
        document.styles["Normal"].font.name = font
    if layout_table:
        table = document.add_table(rows=1, cols=2)  # no borders: places the letterhead
        table.cell(0, 0).paragraphs[0].text = "Gemeente Rivierstad"
        table.cell(0, 1).paragraphs[0].text = "Postbus 100, 1234 AB Rivierstad"
    if merge_fields:
        paragraph = document.add_paragraph("Kenmerk: ")
        merge_field(paragraph, "Zaaknummer")
    else:
        document.add_paragraph("Kenmerk: WI-2026-0310")
    if subject == "label":
        document.add_paragraph("Onderwerp: wilt u ons gegevens over uw inkomen sturen?")
    elif subject == "title":
        document.add_paragraph("Wilt u ons gegevens over uw inkomen sturen?", style="Title")
    if merge_fields:
        paragraph = document.add_paragraph("Geachte ")
        merge_field(paragraph, "Aanhef")
        paragraph.add_run(" ")
        merge_field(paragraph, "Achternaam")
        paragraph.add_run(",")
    else:
        document.add_paragraph("Geachte mevrouw Jansen,")
    body: list = []
    body.append(document.add_paragraph(
        "U heeft bijzondere bijstand aangevraagd voor een nieuwe wasmachine. Om uw aanvraag te kunnen "
        "beoordelen, hebben wij nog gegevens over uw inkomen van u nodig."))

    def heading(text: str) -> None:
        if heading_style == "style":
            document.add_heading(text, level=2)
        elif heading_style == "bold":
            document.add_paragraph().add_run(text).bold = True

    heading("Wat moet u doen?")
    if buried_deadline:
        paragraph = document.add_paragraph(
            "Wij hebben uw aanvraag goed ontvangen en wij hebben al een deel van uw gegevens bekeken. Voor de "
            "berekening van het bedrag missen wij nog een overzicht van uw inkomen van de laatste drie maanden. "
            "Stuur dat overzicht ")
        paragraph.add_run("vóór 15 mei 2026").bold = deadline_bold
        paragraph.add_run(" naar ons.")
        body.append(paragraph)
    else:
        paragraph = document.add_paragraph("Stuur ons ")
        if merge_fields:
            paragraph.add_run("vóór ")
            merge_field(paragraph, "Datum")
        else:
            paragraph.add_run("vóór 15 mei 2026").bold = deadline_bold
        paragraph.add_run(ACTION_TAIL)
        body.append(paragraph)
    if enumeration == "sentence":
        body.append(document.add_paragraph(
            "Stuur ook de loonstroken van de laatste drie maanden, een bankafschrift van uw betaalrekening en "
            "het huurcontract van uw woning mee."))
    elif enumeration == "list":
        body.append(document.add_paragraph("Stuur ook mee:"))
        for item in ("de loonstroken van de laatste drie maanden", "een bankafschrift van uw betaalrekening",
                     "het huurcontract van uw woning"):
            body.append(document.add_paragraph(item, style="List Bullet"))
    if steps == "sentences":
        body.append(document.add_paragraph(
            "Eerst logt u in met DigiD op onze website. Daarna kiest u het formulier Inkomen. Vervolgens "
            "uploadt u het overzicht. Tot slot klikt u op Versturen."))
    elif steps == "numbered":
        body.append(document.add_paragraph("Zo uploadt u het overzicht:"))
        for item in ("Log in met DigiD op onze website.", "Kies het formulier Inkomen.",
                     "Upload het overzicht.", "Klik op Versturen."):
            body.append(document.add_paragraph(item, style="List Number"))
    if pictures is not None:
        body.append(document.add_paragraph("Neem bij een afspraak aan de balie mee:"))
        for item, alt in (("uw paspoort of identiteitskaart", "Foto van een paspoort en een identiteitskaart"),
                          ("een bankafschrift", "Foto van een bankafschrift")):
            body.append(document.add_paragraph(item, style="List Bullet"))
            if pictures != "none":
                document.add_picture(io.BytesIO(tiny_png()))
                if pictures == "with_alt":
                    document.inline_shapes[-1]._inline.docPr.set("descr", alt)
    heading("Wat gebeurt er daarna?")
    body.append(document.add_paragraph(
        "Binnen 8 weken na uw aanvraag krijgt u een brief met ons besluit. In die brief staat ook hoeveel geld "
        "u krijgt en wanneer wij het overmaken. Heeft u alles op tijd gestuurd, dan gaat het vaak sneller. Lukt "
        "het niet om alles op tijd te sturen? Dan zoeken wij samen naar een oplossing. Wij denken graag met u "
        "mee, ook als u schulden heeft of als uw inkomen verandert."))
    if italic_passage:
        paragraph = document.add_paragraph()
        paragraph.add_run("Let op: als wij het overzicht niet op tijd krijgen, kunnen wij uw aanvraag niet "
                          "afmaken. Dan krijgt u een brief dat wij uw aanvraag niet verder behandelen.").italic = True
        body.append(paragraph)
    if caps_passage:
        paragraph = document.add_paragraph()
        paragraph.add_run("Let op: bewaar deze brief goed bij uw papieren.").font.all_caps = True
        body.append(paragraph)
    heading("Heeft u vragen?")
    if contact_in == "body":
        body.append(document.add_paragraph(CONTACT))
    elif contact_in == "merge":
        paragraph = document.add_paragraph("Bel dan met ")
        merge_field(paragraph, "Behandelaar")
        paragraph.add_run(" op ")
        merge_field(paragraph, "Telefoonnummer")
        paragraph.add_run(". Wij zijn bereikbaar op werkdagen van 9.00 tot 17.00 uur.")
        body.append(paragraph)
    elif contact_in == "text_box":
        anchor = document.add_paragraph("Wij helpen u graag.")
        text_box(anchor, CONTACT)
        body.append(anchor)
    elif contact_in == "footer":
        document.add_paragraph("Wij helpen u graag.")
        document.sections[0].footer.paragraphs[0].text = (
            "Vragen? Bel team Inkomen: 14 0123, maandag tot en met vrijdag van 9.00 tot 17.00 uur.")
    document.add_paragraph("Met vriendelijke groet,")
    document.add_paragraph("Sanne de Vries")
    document.add_paragraph("klantmanager")
    for paragraph in body:
        if justify:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(size)
    return document


@pytest.fixture(scope="module")
def base():
    return report_of_docx(letter())


ALL_PRESENT = {"onderwerp", "kern_vooraan", "actie", "concrete_datum", "contact_persoon", "contact_telefoon",
               "contact_bereikbaar", "contact_kanaal", "kenmerk", "aanhef", "afsluiting"}


def assert_items(report, present: set[str], where: dict | None = None) -> None:
    """Item by item: exactly ``present`` is found (bezwaar is not asked in this letter)."""
    found = items(report)
    assert {k for k, i in found.items() if i["present"]} == present
    for key, location in (where or {}).items():
        assert found[key]["where"] == location, (key, found[key])


def not_ok(report) -> set[str]:
    return {k for k, c in cues(report).items() if c["ok"] is False}


# -- 1. heading styles: the complete letter -----------------------------------------------------------
def test_docx_with_heading_styles_is_complete(base):
    anatomy = base.details["anatomy"]
    assert anatomy["letter_type"] == "verzoek_om_informatie"
    assert anatomy["complete"] is True
    assert_items(base, ALL_PRESENT, {
        "kenmerk": "alinea 1", "onderwerp": "alinea 2", "aanhef": "alinea 3", "kern_vooraan": "alinea 4",
        "actie": "alinea 5", "concrete_datum": "alinea 6", "contact_telefoon": "alinea 10",
        "afsluiting": "alinea 11"})
    found = items(base)
    assert found["actie"]["evidence"] == "Wat moet u doen?"  # found by its heading
    assert found["concrete_datum"]["evidence"] == "vóór 15 mei 2026"
    assert found["contact_telefoon"]["evidence"] == "14 0123"
    assert found["bezwaar"]["required"] is False and found["bezwaar"]["present"] is False
    assert not_ok(base) == set()
    assert not {c for c in codes(base) if c.startswith(("BC4", "BC5"))}


# -- 2. fake bold headings ------------------------------------------------------------------------------
def test_docx_bold_paragraphs_as_headings():
    report = report_of_docx(letter(heading_style="bold"))
    assert_items(report, ALL_PRESENT)
    assert items(report)["actie"]["evidence"] == "Wat moet u doen?"  # the bold heading still says it
    assert not_ok(report) == {"nep_kop"}
    assert cues(report)["nep_kop"]["count"] == 3
    assert [f.text for f in findings(report, "BC502")] == ["Wat moet u doen?", "Wat gebeurt er daarna?",
                                                          "Heeft u vragen?"]
    assert "Kop 2" in cues(report)["nep_kop"]["advice"]


# -- 3. no headings at all ------------------------------------------------------------------------------
def test_docx_without_headings():
    report = report_of_docx(letter(heading_style="none"))
    assert_items(report, ALL_PRESENT)
    assert not_ok(report) == {"koppen"}
    [finding] = findings(report, "BC501")
    assert finding.text.startswith("U heeft bijzondere bijstand aangevraagd")
    assert "Kop 2" in cues(report)["koppen"]["advice"]


# -- 4. enumeration in a sentence, and the same as a bullet list ----------------------------------------
def test_docx_enumeration_in_sentence_and_as_bullets():
    sentence = report_of_docx(letter(enumeration="sentence"))
    bullets = report_of_docx(letter(enumeration="list"))
    assert "opsomming" in not_ok(sentence)
    [finding] = findings(sentence, "BC503")
    assert finding.text.startswith("Stuur ook de loonstroken")
    assert "3 dingen" in finding.message
    assert "opsomming" not in not_ok(bullets)
    assert "BC503" not in codes(bullets)
    assert_items(sentence, ALL_PRESENT)
    assert_items(bullets, ALL_PRESENT)


# -- 5. deadline in bold, and the same deadline buried and not bold -------------------------------------
def test_docx_bold_deadline_stands_out():
    bold = report_of_docx(letter(buried_deadline=True, deadline_bold=True))
    plain = report_of_docx(letter(buried_deadline=True, deadline_bold=False))
    assert "nadruk" not in not_ok(bold)
    assert "BC506" not in codes(bold)
    assert not_ok(plain) == {"nadruk"}
    assert [f.text for f in findings(plain, "BC506")] == ["vóór 15 mei 2026"]
    assert_items(bold, ALL_PRESENT)
    assert_items(plain, ALL_PRESENT)


# -- 6. 10 pt justified text ----------------------------------------------------------------------------
def test_docx_small_justified_text():
    report = report_of_docx(letter(size=10, justify=True))
    assert_items(report, ALL_PRESENT)
    visual = cues(report)
    assert not_ok(report) == {"kleine_letter", "uitgevuld"}
    assert visual["kleine_letter"]["applies"] is True
    assert "10 punt" in visual["kleine_letter"]["advice"]
    assert visual["uitgevuld"]["count"] >= 3


def test_docx_default_size_and_alignment_are_fine(base):
    visual = cues(base)
    assert visual["kleine_letter"]["ok"] is True and visual["uitgevuld"]["ok"] is True


# -- 7. pictures with and without alternative text ------------------------------------------------------
def test_docx_pictures_with_alt_text():
    report = report_of_docx(letter(pictures="with_alt"))
    assert "alt_tekst" not in not_ok(report)
    assert "beeldbrief" not in not_ok(report)  # the pictures are there, described
    assert "BC509" not in codes(report)
    assert_items(report, ALL_PRESENT)


def test_docx_pictures_without_alt_text():
    report = report_of_docx(letter(pictures="no_alt"))
    assert "alt_tekst" in not_ok(report)
    assert cues(report)["alt_tekst"]["count"] == 1  # both pictures stand on their own: one finding
    [finding] = findings(report, "BC509")
    assert finding.severity == "warning"
    assert "beeldbrief" in not_ok(report)  # pictures without a description do not count


# -- 8. things to bring without pictures: the beeldbrief ------------------------------------------------
def test_docx_things_to_bring_suggest_a_picture_list():
    report = report_of_docx(letter(pictures="none"))
    assert not_ok(report) == {"beeldbrief"}
    [finding] = findings(report, "BC507")
    assert "een paspoort" in finding.message and "een identiteitskaart" in finding.message
    assert "een bankafschrift" in finding.message
    assert "beeldbrief" in cues(report)["beeldbrief"]["advice"]


# -- 9. merge fields --------------------------------------------------------------------------------------
def test_docx_merge_fields_count_as_present_and_make_no_findings():
    report = report_of_docx(letter(merge_fields=True, contact_in="merge"))
    assert "«Telefoonnummer»" in report.text and "«Datum»" in report.text
    assert_items(report, ALL_PRESENT)
    found = items(report)
    assert found["contact_telefoon"]["evidence"] == "«Telefoonnummer»"
    assert found["concrete_datum"]["evidence"] == "«Datum»"
    assert found["kenmerk"]["evidence"] == "Kenmerk: «Zaaknummer»"
    assert found["contact_persoon"]["evidence"] in ("«Behandelaar»", "Sanne de Vries (onder de brief)")
    assert_no_finding_on_merge_fields(report)


def assert_no_finding_on_merge_fields(report) -> None:
    fields = [(s, e) for s, e, kind in find_special_spans(report.text) if kind == "placeholder"]
    assert fields
    for finding in report.findings:
        inside = any(s <= finding.start and finding.end <= e for s, e in fields)
        assert not inside, (finding.code, finding.text)
        assert not re.fullmatch(r"\W*", re.sub(r"«[^»]*»|\{\{[^}]*\}\}|\[[A-Z][A-Z0-9_. ]*\]", "", finding.text)), \
            (finding.code, finding.text)


# -- 10. contact details in a text box --------------------------------------------------------------------
def test_docx_contact_in_text_box():
    report = report_of_docx(letter(contact_in="text_box"))
    assert_items(report, ALL_PRESENT, {"contact_telefoon": "tekstvak 1", "contact_bereikbaar": "tekstvak 1",
                                       "contact_kanaal": "tekstvak 1"})
    assert "BC407" not in codes(report)


# -- 11. contact details in the footer ------------------------------------------------------------------
def test_docx_contact_in_footer():
    report = report_of_docx(letter(contact_in="footer"))
    assert_items(report, ALL_PRESENT, {"contact_telefoon": "voettekst", "contact_bereikbaar": "voettekst",
                                       "contact_kanaal": "voettekst"})
    assert items(report)["contact_persoon"]["evidence"] == "team Inkomen"
    assert "BC407" not in codes(report)


def test_docx_without_any_contact_details():
    report = report_of_docx(letter(contact_in="none"))
    found = items(report)
    assert found["contact_telefoon"]["present"] is False
    assert found["contact_kanaal"]["present"] is True
    assert found["contact_kanaal"]["evidence"] == "www.rivierstad.nl/inkomen"  # the upload site is a channel
    [finding] = findings(report, "BC407")
    assert "telefoonnummer" in finding.message and finding.severity == "warning"


# -- 12. a borderless table used for the letterhead ------------------------------------------------------
def test_docx_layout_table():
    report = report_of_docx(letter(layout_table=True))
    assert not_ok(report) == {"opmaaktabel"}
    assert cues(report)["opmaaktabel"]["where"] == "tabel 1, rij 1, kolom 1"
    assert_items(report, ALL_PRESENT)


# -- 13. a hard-to-read font ------------------------------------------------------------------------------
def test_docx_hard_font():
    report = report_of_docx(letter(font="Monotype Corsiva"))
    assert not_ok(report) == {"lettertype"}
    assert "Monotype Corsiva" in cues(report)["lettertype"]["advice"]
    assert not_ok(report_of_docx(letter(font="Arial"))) == set()


# -- 14. long passages in italics or in capitals ----------------------------------------------------------
def test_docx_italic_passage():
    report = report_of_docx(letter(italic_passage=True))
    assert not_ok(report) == {"cursief_hoofdletters"}
    [finding] = findings(report, "BC508")
    assert "cursief" in finding.message


def test_docx_caps_passage():
    report = report_of_docx(letter(caps_passage=True))
    assert not_ok(report) == {"cursief_hoofdletters"}
    [finding] = findings(report, "BC508")
    assert "hoofdletters" in finding.message


# -- 15. steps in sentences and as a numbered list -------------------------------------------------------
def test_docx_steps():
    sentences = report_of_docx(letter(steps="sentences"))
    numbered = report_of_docx(letter(steps="numbered"))
    assert not_ok(sentences) == {"stappen"}
    [finding] = findings(sentences, "BC504")
    assert finding.text.startswith("Eerst logt u in") and finding.text.endswith("Versturen.")
    assert not_ok(numbered) == set()


# -- 16. the subject as a Title paragraph, and no subject ------------------------------------------------
def test_docx_subject_as_title_style():
    report = report_of_docx(letter(subject="title"))
    assert_items(report, ALL_PRESENT)
    assert items(report)["onderwerp"]["evidence"] == "Wilt u ons gegevens over uw inkomen sturen?"


def test_docx_without_subject():
    report = report_of_docx(letter(subject="none"))
    assert_items(report, ALL_PRESENT - {"onderwerp"})
    assert items(report)["onderwerp"]["required"] is True
    assert report.details["anatomy"]["complete"] is False
    [finding] = findings(report, "BC401")
    assert finding.text.startswith("U heeft bijzondere bijstand")


# -- plain text: each item missing and present -----------------------------------------------------------
def plain_letter(subject="Onderwerp: wilt u ons uw loonstroken sturen?\nKenmerk: WI-2026-0310",
                 salutation="Geachte mevrouw Jansen,",
                 first="U heeft bijzondere bijstand aangevraagd. Wij hebben nog gegevens over uw inkomen nodig.",
                 action="Wat moet u doen?\nStuur ons vóór 15 mei 2026 een overzicht van uw inkomen van de laatste "
                        "drie maanden.",
                 middle="",
                 contact="Heeft u vragen?\nBel dan met team Inkomen op 14 0123. Wij zijn bereikbaar op werkdagen "
                         "van 9.00 tot 17.00 uur.",
                 closing="Met vriendelijke groet,\nSanne de Vries\nklantmanager") -> str:
    parts = [subject, salutation, first, action, middle, contact, closing]
    return "\n\n".join(p for p in parts if p)


TEXT_CASES = {
    # key: (text where it is missing, text where it is present)
    "onderwerp": (plain_letter(subject="Kenmerk: WI-2026-0310"),
                  plain_letter()),
    "kern_vooraan": (plain_letter(first="Naar aanleiding van uw aanvraag voor bijzondere bijstand delen wij u "
                                        "het volgende mede. Wij hebben nog uw loonstroken nodig."),
                     plain_letter()),
    "actie": (plain_letter(first="U heeft bijzondere bijstand aangevraagd. Wij hebben uw aanvraag goed ontvangen "
                                 "en wij hebben al een deel van uw gegevens bekeken. Voor de berekening van het "
                                 "bedrag missen wij nog gegevens over uw inkomen van de laatste drie maanden. "
                                 "Wij vragen u om uw loonstroken vóór 15 mei 2026 naar ons te sturen.",
                           action=""),
              plain_letter()),
    "concrete_datum": (plain_letter(action="Wat moet u doen?\nStuur uw loonstroken binnen 14 dagen naar ons."),
                       plain_letter()),
    "contact_persoon": (plain_letter(contact="Heeft u vragen?\nBel ons dan op 14 0123, op werkdagen van 9.00 "
                                             "tot 17.00 uur.", closing="Met vriendelijke groet,"),
                        plain_letter()),
    "contact_telefoon": (plain_letter(contact="Heeft u vragen?\nMail dan naar team Inkomen: inkomen@rivierstad.nl."),
                         plain_letter()),
    "contact_bereikbaar": (plain_letter(contact="Heeft u vragen?\nBel dan met team Inkomen op 14 0123."),
                           plain_letter()),
    "contact_kanaal": (plain_letter(contact="Heeft u vragen? Dan helpt team Inkomen u graag."),
                       plain_letter()),
    "kenmerk": (plain_letter(subject="Onderwerp: wilt u ons uw loonstroken sturen?"),
                plain_letter()),
    "aanhef": (plain_letter(salutation=""), plain_letter()),
    "afsluiting": (plain_letter(closing=""), plain_letter()),
}


def test_every_item_has_a_text_case():
    assert set(TEXT_CASES) | {"bezwaar"} == set(ITEM_KEYS)


@pytest.mark.parametrize("key", sorted(TEXT_CASES))
def test_item_missing_and_present_in_plain_text(key):
    missing, present = TEXT_CASES[key]
    wrong, right = items(report_of_text(missing))[key], items(report_of_text(present))[key]
    assert wrong["present"] is False and wrong["advice"], wrong
    assert right["present"] is True and right["where"], right
    assert right["label"] == load_anatomy_data().labels[key]


def test_complete_plain_letter():
    report = report_of_text(plain_letter())
    anatomy = report.details["anatomy"]
    assert anatomy["letter_type"] == "verzoek_om_informatie"
    assert anatomy["complete"] is True
    assert not_ok(report) == set()
    assert not {c for c in codes(report) if c.startswith(("BC4", "BC5"))}


def test_item_places_in_plain_text():
    found = items(report_of_text(plain_letter()))
    assert found["onderwerp"]["where"] == "regel 1"
    assert found["kenmerk"]["where"] == "regel 1"  # the subject and reference share a paragraph
    assert found["aanhef"]["where"] == "regel 4"
    assert found["actie"]["evidence"] == "Wat moet u doen?"
    assert found["concrete_datum"]["evidence"] == "vóór 15 mei 2026"
    assert found["contact_bereikbaar"]["evidence"] == "op werkdagen van 9.00 tot 17.00 uur"


def test_vague_subject_is_not_a_subject():
    found = items(report_of_text(plain_letter(subject="Betreft: uw brief\nKenmerk: WI-2026-0310")))["onderwerp"]
    assert found["present"] is False and found["evidence"] == "Betreft: uw brief"


def test_action_buried_in_long_paragraph_is_reported():
    missing, _ = TEXT_CASES["actie"]
    report = report_of_text(missing)
    found = items(report)["actie"]
    assert found["evidence"].startswith("Wij vragen u om uw loonstroken")  # found, but hidden
    [finding] = findings(report, "BC403")
    assert "verstopt" in finding.message


def test_nothing_to_do_is_an_action():
    text = plain_letter(action="U hoeft niets te doen. De nieuwe pas krijgt u vanzelf.")
    assert items(report_of_text(text))["actie"]["present"] is True


@pytest.mark.parametrize("phrase", ["per omgaande", "zo spoedig mogelijk", "binnen 14 dagen na dagtekening"])
def test_vague_or_relative_deadline_is_not_a_date(phrase):
    text = plain_letter(action=f"Wat moet u doen?\nStuur uw loonstroken {phrase} naar ons.")
    found = items(report_of_text(text))["concrete_datum"]
    assert found["present"] is False and found["evidence"] == phrase
    assert "vóór [datum]" in found["advice"]


def test_relative_deadline_finding_suggests_a_date():
    report = report_of_text(TEXT_CASES["concrete_datum"][0])
    [finding] = findings(report, "BC404")
    assert finding.text == "binnen 14 dagen"
    assert finding.severity == "warning"  # the reader must act
    # the template keeps the period, so the writer knows which date to fill in
    assert [s.replacement for s in finding.suggestions] == ["vóór [datum over 14 dagen]"]


@pytest.mark.parametrize("field", ["«Datum»", "[DATUM]", "{{ termijn }}", "{{ datum_betaling }}"])
def test_date_as_merge_field_counts_as_present(field):
    text = plain_letter(action=f"Wat moet u doen?\nStuur uw loonstroken vóór {field} naar ons.")
    report = report_of_text(text)
    found = items(report)["concrete_datum"]
    assert found["present"] is True and found["evidence"] == field
    assert_no_finding_on_merge_fields(report)


@pytest.mark.parametrize("field", ["«Telefoonnummer»", "[TELEFOON]", "{{ telefoon }}", "<<Telnr>>"])
def test_phone_as_merge_field_counts_as_present(field):
    text = plain_letter(contact=f"Heeft u vragen?\nBel dan met team Inkomen op {field}, op werkdagen van 9.00 "
                                "tot 17.00 uur.")
    report = report_of_text(text)
    found = items(report)
    assert found["contact_telefoon"]["present"] is True and found["contact_telefoon"]["evidence"] == field
    assert found["contact_kanaal"]["present"] is True
    assert "BC407" not in codes(report)
    assert_no_finding_on_merge_fields(report)


def test_template_full_of_merge_fields_makes_no_findings_on_them():
    text = ("«Naam»\n«Straat» «Huisnummer»\n«Postcode» «Woonplaats»\n\nDatum: «Datum»\nKenmerk: «Kenmerk»\n"
            "Onderwerp: «Onderwerp»\n\nGeachte «Aanhef» «Achternaam»,\n\n"
            "Wij hebben uw aanvraag voor «Regeling» ontvangen. Wij hebben nog gegevens van u nodig.\n\n"
            "Wat moet u doen?\nStuur «Documenten» vóór [DATUM] naar ons, of upload ze op {{ website }}.\n\n"
            "Heeft u vragen?\nBel dan met «Behandelaar» op «Telefoonnummer». Wij zijn bereikbaar «Bereikbaarheid».\n\n"
            "Met vriendelijke groet,\n\n«Ondertekenaar»\n«Functie»")
    report = report_of_text(text)
    assert report.details["anatomy"]["complete"] is True
    assert_no_finding_on_merge_fields(report)
    assert not {c for c in codes(report) if c.startswith(("BC4", "BC5"))}


# -- plain text: the objection clause -----------------------------------------------------------------
DECISION = ("Onderwerp: uw aanvraag om een kapvergunning\nKenmerk: KAP-2026-0067\n\nGeachte mevrouw Verbeek,\n\n"
            "Wij hebben uw aanvraag beoordeeld en afgewezen. U mag de eik in uw voortuin niet kappen. De boom "
            "is gezond en staat op de lijst van waardevolle bomen.\n\n{clause}\n\nHeeft u vragen? Bel dan met team "
            "Vergunningen op 14 0123, op werkdagen van 9.00 tot 17.00 uur.\n\nMet vriendelijke groet,\n"
            "Team Vergunningen")
CLAUSES = {
    "none": ("Wij begrijpen dat dit vervelend voor u is.", False),
    "no_term": ("Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Stuur een brief naar "
                "Postbus 100, 1234 AB Rivierstad.", False),
    "no_where": ("Bent u het niet eens met dit besluit? Dan kunt u binnen 6 weken bezwaar maken.", False),
    "plain": ("Bent u het niet eens met dit besluit? Dan kunt u binnen 6 weken bezwaar maken. Stuur een brief "
              "naar Postbus 100, 1234 AB Rivierstad, of maak bezwaar op www.rivierstad.nl/bezwaar.", True),
    "jargon": ("Tegen dit besluit kan belanghebbende binnen zes weken na dagtekening een bezwaarschrift "
               "indienen bij het college van burgemeester en wethouders.", True),
}


@pytest.mark.parametrize("clause", sorted(CLAUSES))
def test_objection_clause(clause):
    text, complete = CLAUSES[clause]
    report = report_of_text(DECISION.format(clause=text))
    anatomy = report.details["anatomy"]
    assert anatomy["letter_type"].startswith("besluit_")
    found = items(report)["bezwaar"]
    assert found["required"] is True
    assert found["present"] is complete
    assert ("BC406" in codes(report)) is not complete
    if clause == "jargon":
        assert "bezwaarschrift" in found["advice"] and "indienen" in found["advice"]
    if clause == "plain":
        assert found["advice"] is None and anatomy["complete"] is True
    if clause == "no_term":
        assert "termijn" in findings(report, "BC406")[0].message
    if clause == "no_where":
        assert "waar en hoe" in findings(report, "BC406")[0].message


def test_objection_clause_is_not_a_relative_deadline():
    report = report_of_text(DECISION.format(clause=CLAUSES["jargon"][0]))
    assert "BC404" not in codes(report)
    assert items(report)["concrete_datum"]["present"] is False  # no date, but none is needed here
    assert items(report)["concrete_datum"]["required"] is False


# -- plain text: visual cues ---------------------------------------------------------------------------
VISUAL_TEXT_CASES = {
    # cue: (text with the problem, the same letter fixed)
    "koppen": (plain_letter(action="Stuur ons vóór 15 mei 2026 een overzicht van uw inkomen van de laatste drie "
                                   "maanden. U kunt het uploaden op www.rivierstad.nl/inkomen of afgeven bij de "
                                   "Stadswinkel in het stadhuis.",
                            middle="Binnen 8 weken na uw aanvraag krijgt u een brief met ons besluit. In die brief "
                                   "staat ook hoeveel geld u krijgt en wanneer wij het overmaken. Heeft u alles op "
                                   "tijd gestuurd, dan gaat het vaak sneller. Lukt het niet om alles op tijd te "
                                   "sturen? Dan zoeken wij samen met u naar een oplossing. Wij denken graag met u "
                                   "mee, ook als u schulden heeft of als uw inkomen verandert.",
                            first="U heeft bijzondere bijstand aangevraagd voor een nieuwe wasmachine en een "
                                  "nieuw bed. Dank u wel voor uw aanvraag. Om te bepalen hoeveel u krijgt, hebben "
                                  "wij nog gegevens over uw inkomen nodig.",
                            contact="Bel met team Inkomen op 14 0123 als u vragen heeft. Wij zijn bereikbaar op "
                                    "werkdagen van 9.00 tot 17.00 uur. Noem dan het kenmerk van deze brief."),
               plain_letter(middle="Wat gebeurt er daarna?\nBinnen 8 weken na uw aanvraag krijgt u een brief met "
                                   "ons besluit. In die brief staat ook hoeveel geld u krijgt en wanneer wij het "
                                   "overmaken. Heeft u alles op tijd gestuurd, dan gaat het vaak sneller. Lukt het "
                                   "niet om alles op tijd te sturen? Dan zoeken wij samen met u naar een "
                                   "oplossing. Wij denken graag met u mee, ook als u schulden heeft of als uw "
                                   "inkomen verandert.")),
    "nep_kop": (plain_letter(action="**Wat moet u doen?**\nStuur uw loonstroken van de laatste drie maanden vóór "
                                    "15 mei 2026 naar ons."),
                plain_letter()),
    "opsomming": (plain_letter(middle="Stuur ook een overzicht van uw spaarrekeningen, de laatste brief van de "
                                      "Belastingdienst en een verklaring van uw werkgever mee."),
                  plain_letter(middle="Stuur ook mee:\n- een overzicht van uw spaarrekeningen\n- de laatste brief "
                                      "van de Belastingdienst\n- een verklaring van uw werkgever")),
    "stappen": (plain_letter(middle="Eerst logt u in op onze website. Daarna kiest u het formulier Inkomen. "
                                    "Vervolgens uploadt u het overzicht. Tot slot klikt u op Versturen."),
                plain_letter(middle="Zo uploadt u het overzicht:\n1. Log in op onze website.\n2. Kies het "
                                    "formulier Inkomen.\n3. Upload het overzicht.\n4. Klik op Versturen.")),
    "tekstmuur": (plain_letter(middle="Hoe rekenen wij?\n" + "\n\n".join(
                      [" ".join(["Wij kijken naar uw inkomen en naar het geld op uw bankrekening."] * 6)] * 4)),
                  plain_letter(middle="Hoe rekenen wij?\nWij kijken naar uw inkomen en naar het geld op uw "
                                      "bankrekening.")),
    "lange_alinea": (plain_letter(first="U heeft bijzondere bijstand aangevraagd. " + " ".join(
                         ["Wij kijken naar uw inkomen en naar het geld op uw bankrekening."] * 8)),
                     plain_letter()),
    "nadruk": (plain_letter(action="Wat moet u doen?\nWij hebben uw aanvraag goed ontvangen en wij hebben al een "
                                   "groot deel van uw gegevens bekeken. Voor de berekening van het bedrag dat u "
                                   "krijgt, missen wij alleen nog gegevens over uw inkomen van de laatste drie "
                                   "maanden. Stuur ons een overzicht van dat inkomen vóór 15 mei 2026."),
               plain_letter(action="Wat moet u doen?\nStuur ons vóór 15 mei 2026 een overzicht van uw inkomen. Wij "
                                   "hebben uw aanvraag goed ontvangen en wij hebben al een groot deel van uw "
                                   "gegevens bekeken. Voor de berekening van het bedrag dat u krijgt, missen wij "
                                   "alleen nog gegevens over uw inkomen van de laatste drie maanden.")),
    "beeldbrief": (plain_letter(middle="Neem bij uw afspraak uw paspoort of identiteitskaart en een "
                                       "bankafschrift mee."),
                   plain_letter(middle="Neem bij uw afspraak uw paspoort mee.")),
    "cursief_hoofdletters": (plain_letter(middle="*Let op: als wij de loonstroken niet op tijd krijgen, kunnen "
                                                 "wij uw aanvraag niet afmaken. Dan krijgt u een brief dat wij "
                                                 "uw aanvraag niet verder behandelen.*"),
                             plain_letter(middle="Let op: als wij de loonstroken niet op tijd krijgen, kunnen "
                                                 "wij uw aanvraag niet afmaken.")),
    "alt_tekst": (plain_letter(middle="Zo ziet een loonstrook eruit: ![](loonstrook.png)"),
                  plain_letter(middle="Zo ziet een loonstrook eruit: ![Voorbeeld van een loonstrook met het "
                                      "nettoloon omcirkeld](loonstrook.png)")),
}
DOCX_ONLY = {key for key, (_label, _code, docx_only) in VISUAL_CUES.items() if docx_only}


def test_every_visual_cue_has_a_case():
    assert set(VISUAL_TEXT_CASES) | DOCX_ONLY == set(VISUAL_CUES)


@pytest.mark.parametrize("key", sorted(VISUAL_TEXT_CASES))
def test_visual_cue_in_plain_text(key):
    wrong, right = VISUAL_TEXT_CASES[key]
    bad, good = report_of_text(wrong), report_of_text(right)
    assert not_ok(bad) == {key}, cues(bad)
    assert not_ok(good) == set(), cues(good)
    cue = cues(bad)[key]
    assert cue["advice"] and cue["where"] and cue["count"] >= 1
    code = VISUAL_CUES[key][1]
    assert code in codes(bad) and code not in codes(good)


def test_docx_only_cues_do_not_apply_to_plain_text():
    visual = cues(report_of_text(plain_letter()))
    for key in DOCX_ONLY:
        assert visual[key]["applies"] is False and visual[key]["ok"] is None


def test_beeldbrief_names_the_pictures():
    report = report_of_text(VISUAL_TEXT_CASES["beeldbrief"][0])
    [finding] = findings(report, "BC507")
    assert "een foto van een paspoort, een identiteitskaart en een bankafschrift" in finding.message


# -- data ------------------------------------------------------------------------------------------------
def test_required_items_per_letter_type():
    data = load_anatomy_data()
    assert set(data.required) == set(LETTER_TYPES)
    for letter_type, keys in data.required.items():
        assert {"aanhef", "afsluiting", "contact_kanaal"} <= keys, letter_type
        assert ("bezwaar" in keys) == letter_type.startswith("besluit_"), letter_type
    assert data.labels.keys() == set(ITEM_KEYS)


def test_details_are_json_and_complete():
    anatomy = report_of_text(plain_letter()).details["anatomy"]
    json.dumps(anatomy)
    assert [i["key"] for i in anatomy["items"]] == list(ITEM_KEYS)
    for item in anatomy["items"]:
        assert set(item) >= {"key", "label", "required", "present", "where", "evidence", "advice"}
    assert anatomy["summary"][0].startswith("Soort brief:")


def test_a_snippet_is_not_told_it_lacks_a_letter():
    report = report_of_text("Stuur uw loonstroken vóór 15 mei 2026 naar ons.")
    assert not {c for c in codes(report) if c.startswith("BC4")}


# -- acceptance: the example letter pair ---------------------------------------------------------------
@pytest.fixture(scope="module")
def letter_pair(shared_data):
    path = shared_data / "letter-example" / "letter_pair.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    letters = json.loads(path.read_text(encoding="utf-8"))
    return {version: report_of_text(letters[version]) for version in ("C1", "B1")}


def test_letter_example_official_misses_headings_date_and_channel(letter_pair):
    official = letter_pair["C1"]
    assert cues(official)["koppen"]["ok"] is False
    assert items(official)["concrete_datum"]["present"] is False
    assert items(official)["concrete_datum"]["evidence"] == "uiterlijk binnen 8 weken"
    assert items(official)["contact_kanaal"]["present"] is False
    assert {"BC501", "BC404", "BC407"} <= codes(official)
    message = findings(official, "BC407")[0].message
    assert "een telefoonnummer en een andere manier om contact op te nemen" in message


def test_letter_example_b1_is_complete_on_those_items(letter_pair):
    rewrite = letter_pair["B1"]
    assert cues(rewrite)["koppen"]["ok"] is True
    assert items(rewrite)["concrete_datum"]["present"] is True
    assert items(rewrite)["contact_kanaal"]["present"] is True
    assert items(rewrite)["contact_kanaal"]["evidence"] == "0800-123987"
    assert not {"BC501", "BC404", "BC405"} & codes(rewrite)
    assert all("manier om contact" not in f.message for f in findings(rewrite, "BC407"))


def test_evaluate_anatomy(shared_data):
    from briefcheck.evaluation.anatomy import evaluate_anatomy

    path = shared_data / "letter-example" / "letter_pair.json"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    result = evaluate_anatomy(path, verbose=False)
    assert result["acceptance_met"] is True
    assert "concrete_datum" in result["C1"]["missing"] and "concrete_datum" in result["B1"]["present"]


# -- headings typed without blank lines (pasted from an e-mail or a word processor) ---------------
PASTED_WITHOUT_BLANK_LINES = """Geachte mevrouw Jansen,

Op 3 februari hebben wij uw aanvraag voor een parkeervergunning ontvangen. Wij hebben nog een document van u nodig.
Wat moet u doen?
Stuur ons een kopie van het kentekenbewijs van uw auto. Doe dat voor 1 maart 2027.
Uw afspraak
U bent welkom op 12 maart 2027 om 10.00 uur op het stadhuis.
Vragen?
Bel ons op 14 020. Wij zijn bereikbaar op werkdagen van 9.00 tot 17.00 uur.

Met vriendelijke groet,

Karin de Vries
"""


def test_headings_without_blank_lines_start_their_own_sections():
    from briefcheck.formats.text import document_from_text

    blocks = [(b.kind, b.text.split("\n")[0]) for b in document_from_text(PASTED_WITHOUT_BLANK_LINES).blocks]
    assert ("paragraph", "Wat moet u doen?") in blocks
    assert ("heading", "Uw afspraak") in blocks
    assert ("paragraph", "Vragen?") in blocks
    report = report_of_text(PASTED_WITHOUT_BLANK_LINES)
    assert items(report)["actie"]["present"] is True
    assert "BC403" not in codes(report)  # the action is under its own heading, not buried


def test_wrapped_sentences_are_not_split_into_headings():
    from briefcheck.formats.text import document_from_text

    wrapped = ("Wij hebben uw aanvraag ontvangen en bekeken. Wij hebben nog\n"
               "Een paar vragen over uw inkomen en over de kosten die u\n"
               "maakt voor de opvang van uw kinderen.\n"
               "Wilt u die ophalen\n"
               "en meenemen naar de balie?")
    blocks = document_from_text(wrapped).blocks
    assert [b.kind for b in blocks] == ["paragraph"]


@pytest.mark.parametrize("text", [
    "U kunt kiezen uit drie data.\nMaandag 3 maart\nDinsdag 4 maart\nWoensdag 5 maart\nBel ons als u een dag kiest.",
    "Neem deze papieren mee:\nUw paspoort\nEen pasfoto van dit jaar\nHet ingevulde formulier",
    "Wij helpen u graag.\nHeeft u vragen?\nWilt u iets veranderen?\nBel ons op 14 020.",
])
def test_lists_typed_without_bullets_are_not_headings(text):
    from briefcheck.formats.text import document_from_text

    assert [b.kind for b in document_from_text(text).blocks] == ["paragraph"]


# -- findings about the letter as a whole -----------------------------------------------------------------
def test_what_a_letter_lacks_is_about_the_whole_letter_in_every_output():
    from briefcheck.formatters import format_text
    from web.highlight import highlight

    text = plain_letter(subject="", contact="Heeft u vragen? Dan helpt team Inkomen u graag.",
                        first="U heeft bijzondere bijstand aangevraagd. Wij hebben nog gegevens over uw "
                              "inkomen nodig. Wij ontvangen die graag van u.")
    report = report_of_text(text)
    whole = {f.code for f in report.findings if f.whole_letter}
    assert {"BC401", "BC407", "BC408"} <= whole  # no subject, no phone number or channel, no reference
    [word] = findings(report, "BC201")  # 'ontvangen': a word in a sentence, with a place
    assert word.whole_letter is False and word.text == "ontvangen"
    assert report.to_dict()["findings"][report.findings.index(word)]["whole_letter"] is False

    lines = format_text(report).splitlines()
    subject = next(i for i, line in enumerate(lines) if " BC401 " in line)
    assert " BC401 hele brief: " in lines[subject] and "\u201c" not in lines[subject + 1]
    first_word_finding = next(i for i, line in enumerate(lines) if " BC201 " in line)
    assert subject < first_word_finding  # the whole letter first, then the text from top to bottom

    marked = highlight(report.text, report.findings)
    listed = {report.findings[i].code for i in marked.general}
    assert {"BC401", "BC407", "BC408"} <= listed
    assert all(report.findings[i].code not in whole for group in marked.groups for i in group.findings)
