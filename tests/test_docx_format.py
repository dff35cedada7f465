"""The .docx input plugin: every test document is built here with python-docx (in memory)."""
from __future__ import annotations

import io
import random
import time
import tracemalloc
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from docx_helpers import NAMESPACES, W_NS, append_xml, tiny_png

from briefcheck.errors import InputError
from briefcheck.formats.docx import read_docx


# -- helpers -------------------------------------------------------------------------------------------
def save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read(document):
    return read_docx(save(document), "brief.docx")


def rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a package with parts replaced (or removed, for None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in replace:
                if replace[item.filename] is not None:
                    target.writestr(item.filename, replace[item.filename])
            else:
                target.writestr(item, source.read(item))
    return out.getvalue()


def block(document, text: str):
    """The one block whose text contains ``text``."""
    found = [b for b in document.blocks if text in b.text]
    assert len(found) == 1, [b.text for b in document.blocks]
    return found[0]


def refused(data: bytes, name: str = "brief.docx") -> InputError:
    with pytest.raises(InputError) as caught:
        read_docx(data, name)
    return caught.value


def simple_docx(text: str = "Geachte heer Jansen,") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    return save(document)


def document_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document {NAMESPACES}><w:body>{body}</w:body></w:document>').encode()


# -- structure and formatting --------------------------------------------------------------------------
def test_heading_styles_give_heading_blocks_with_level():
    document = docx.Document()
    document.add_heading("Uw aanvraag", level=1)
    document.add_heading("Wat moet u doen?", level=2)
    kop = document.styles.add_style("Kop 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Bezwaar maken", style=kop)
    tussenkop = document.styles.add_style("Tussenkop", WD_STYLE_TYPE.PARAGRAPH)
    tussenkop.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("Contact", style=tussenkop)
    document.add_paragraph("Met vriendelijke groet,")
    result = read(document)

    assert [(b.kind, b.formatting.heading_level) for b in result.blocks] == [
        ("heading", 1), ("heading", 2), ("heading", 3), ("heading", 2), ("paragraph", None)]
    first = result.blocks[0]
    assert first.formatting.style == "Heading 1" and first.location == "alinea 1"
    assert result.blocks[-1].location == "alinea 5"
    assert result.source_format == "docx" and result.source_name == "brief.docx"


def test_fake_heading_is_a_bold_paragraph():
    document = docx.Document()
    document.add_paragraph().add_run("Wat moet u doen?").bold = True
    document.add_paragraph("U vult het formulier in.")
    result = read(document)

    fake = block(result, "Wat moet u doen?")
    assert fake.kind == "paragraph"
    assert fake.formatting.bold is True
    assert fake.formatting.style == "Normal"
    assert block(result, "formulier").formatting.bold is False


def test_bold_from_character_and_paragraph_style():
    document = docx.Document()
    strong = document.styles.add_style("Nadruk sterk", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    document.add_paragraph().add_run("Let op", style=strong)
    loud = document.styles.add_style("Vet", WD_STYLE_TYPE.PARAGRAPH)
    loud.font.bold = True
    loud.font.all_caps = True
    document.add_paragraph("Belangrijk bericht", style=loud)
    paragraph = document.add_paragraph(style=loud)
    paragraph.add_run("Deels ")
    paragraph.add_run("niet vet").bold = False
    result = read(document)

    assert block(result, "Let op").formatting.bold is True
    assert block(result, "Belangrijk").formatting.bold is True
    assert block(result, "Belangrijk").formatting.all_caps is True
    assert block(result, "Deels").formatting.bold is False


def test_bullet_and_numbered_list_items():
    document = docx.Document()
    document.add_paragraph("Neem mee:")
    document.add_paragraph("uw paspoort", style="List Bullet")
    document.add_paragraph("een pasfoto", style="List Bullet 2")
    document.add_paragraph("Vul het formulier in", style="List Number")
    # numbering set on the paragraph itself (numPr), as Word does after clicking the list button
    direct = document.add_paragraph("Stuur het op")
    number_id = document.styles["List Number"].element.pPr.numPr.numId.val
    direct._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{number_id}"/></w:numPr>'))
    # numId 0 switches numbering off, even in a list style
    off = document.add_paragraph("Geen opsomming", style="List Number")
    off._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>'))
    result = read(document)

    assert block(result, "Neem mee").kind == "paragraph"
    facts = {b.text: (b.kind, b.formatting.numbered, b.formatting.list_level) for b in result.blocks}
    assert facts["uw paspoort"] == ("list_item", False, 0)
    assert facts["een pasfoto"] == ("list_item", False, 1)
    assert facts["Vul het formulier in"] == ("list_item", True, 0)
    assert facts["Stuur het op"] == ("list_item", True, 0)
    assert facts["Geen opsomming"] == ("paragraph", None, None)  # numId 0 beats the list style


def test_size_alignment_font_italic():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = paragraph.add_run("Deze tekst is klein en uitgevuld.")
    run.font.size = Pt(10)
    run.font.name = "Arial"
    run.italic = True
    document.add_paragraph("Gewone tekst.").alignment = WD_ALIGN_PARAGRAPH.CENTER
    distributed = document.add_paragraph("Verdeeld.")
    distributed._p.get_or_add_pPr().append(parse_xml(f'<w:jc {nsdecls("w")} w:val="distribute"/>'))
    mixed = document.add_paragraph("Groot ")
    mixed.runs[0].font.size = Pt(14)
    mixed.add_run("klein").font.size = Pt(8)
    result = read(document)

    small = block(result, "klein en uitgevuld")
    assert small.formatting.size_pt == 10
    assert small.formatting.alignment == "justify"
    assert small.formatting.font == "Arial"
    assert small.formatting.italic is True
    normal = block(result, "Gewone tekst")
    assert normal.formatting.alignment == "center"
    assert normal.formatting.size_pt == 11  # from docDefaults (w:sz 22 half-points)
    assert normal.formatting.font  # theme font, resolved from the theme part
    assert block(result, "Verdeeld").formatting.alignment == "justify"
    assert block(result, "Groot").formatting.size_pt == 8


def test_bold_span_of_deadline_inside_paragraph():
    document = docx.Document()
    paragraph = document.add_paragraph("U moet ")
    paragraph.add_run("vóór 1 mei 2025").bold = True
    paragraph.add_run(" betalen. ")
    paragraph.add_run("Bel").bold = True
    paragraph.add_run(" ")
    paragraph.add_run("ons").bold = True
    result = read(document)

    deadline = block(result, "vóór 1 mei")
    assert deadline.formatting.bold is False
    spans = deadline.formatting.bold_spans
    assert [deadline.text[start:end] for start, end in spans] == ["vóór 1 mei 2025", "Bel ons"]


def test_pictures_with_and_without_alt_text():
    document = docx.Document()
    document.add_picture(io.BytesIO(tiny_png()))
    document.add_picture(io.BytesIO(tiny_png()))
    paragraph = document.add_paragraph("Zie de kaart: ")
    paragraph.add_run().add_picture(io.BytesIO(tiny_png()))
    shapes = document.inline_shapes
    shapes[0]._inline.docPr.set("descr", "Logo van de gemeente Voorbeeld")
    shapes[2]._inline.docPr.set("title", "Kaart van het centrum")
    result = read(document)

    assert len(result.images) == 3
    logo, bare, chart = result.images
    assert logo.alt_text == "Logo van de gemeente Voorbeeld"
    assert logo.block_index is None  # a picture on its own has no text block
    assert bare.alt_text is None
    assert bare.name
    assert chart.alt_text == "Kaart van het centrum"
    assert result.blocks[chart.block_index].text == "Zie de kaart:"


def test_complex_and_simple_merge_fields_become_placeholders():
    document = docx.Document()
    paragraph = document.add_paragraph("Geachte heer/mevrouw ")
    append_xml(paragraph, (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> MERGEFIELD  Naam \\* MERGEFORMAT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>Jansen</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t>,</w:t></w:r>'))
    address = document.add_paragraph("Uw adres: ")
    append_xml(address, '<w:fldSimple w:instr=" MERGEFIELD Adres "><w:r><w:t>Dorpsstraat 1</w:t></w:r></w:fldSimple>')
    page = document.add_paragraph("Pagina ")
    append_xml(page, '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    quoted = document.add_paragraph()
    append_xml(quoted, '<w:fldSimple w:instr=\'MERGEFIELD "Datum brief"\'/>')
    # IF { MERGEFIELD Geslacht } = "M" "heer" "mevrouw": the inner field is part of the instruction
    condition = document.add_paragraph("Beste ")
    append_xml(condition, (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD Geslacht </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>M</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:instrText> = "M" "heer" "mevrouw" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>heer</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    result = read(document)

    assert block(result, "Geachte").text == "Geachte heer/mevrouw «Naam»,"
    assert block(result, "Uw adres").text == "Uw adres: «Adres»"
    assert block(result, "Pagina").text == "Pagina 1"
    assert block(result, "Datum").text == "«Datum brief»"
    assert block(result, "Beste").text == "Beste heer"


def test_breaks_tabs_symbols_hidden_and_tracked_changes():
    document = docx.Document()
    paragraph = document.add_paragraph("Postbus 1")
    paragraph.runs[0].add_break()
    paragraph.add_run("1000 AA Voorbeeld")
    append_xml(paragraph, (
        '<w:r><w:tab/><w:t>e</w:t><w:noBreakHyphen/><w:t>mail</w:t></w:r>'
        '<w:r><w:sym w:font="Wingdings" w:char="F028"/><w:t>tel</w:t></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>VERBORGEN</w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>geschrapt</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t> toegevoegd</w:t></w:r></w:ins>'))
    result = read(document)

    assert result.blocks[0].text == "Postbus 1 1000 AA Voorbeeld e-mail tel toegevoegd"


def test_text_box_read_once():
    document = docx.Document()
    document.add_paragraph("Hoofdtekst van de brief.")
    anchor = document.add_paragraph("Tekst naast het kader.")
    content = "<w:txbxContent><w:p><w:r><w:t>Let op: betaal vóór 1 mei.</w:t></w:r></w:p></w:txbxContent>"
    append_xml(anchor, (
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
    vml = document.add_paragraph()
    append_xml(vml, '<w:r><w:pict><v:shape id="kader2"><v:textbox><w:txbxContent><w:p><w:r>'
                    "<w:t>Oud tekstvak</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    result = read(document)

    boxes = [b for b in result.blocks if b.kind == "text_box"]
    assert [(b.text, b.location) for b in boxes] == [
        ("Let op: betaal vóór 1 mei.", "tekstvak 1"), ("Oud tekstvak", "tekstvak 2")]
    assert "Let op" not in block(result, "naast het kader").text
    assert result.images == []  # a text box is not a picture


def test_headers_and_footers_each_text_once():
    document = docx.Document()
    document.add_paragraph("Geachte heer Jansen,")
    first = document.sections[0]
    first.header.paragraphs[0].text = "Gemeente Voorbeeld"
    first.footer.paragraphs[0].text = "Vragen? Bel ons op 14 020."
    first.first_page_header.paragraphs[0].text = "Niet getoond: titelpagina staat uit"
    second = document.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "Gemeente Voorbeeld"
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "Vragen? Bel ons op 14 020."
    second.different_first_page_header_footer = True
    second.first_page_header.is_linked_to_previous = False
    second.first_page_header.paragraphs[0].text = "Bijlage"
    document.add_paragraph("Tweede sectie.")
    third = document.add_section()  # no headers of its own: inherits those of section 2
    third.different_first_page_header_footer = True
    document.add_paragraph("Derde sectie.")
    result = read(document)

    headers = [(b.text, b.location) for b in result.blocks if b.kind == "header"]
    footers = [(b.text, b.location) for b in result.blocks if b.kind == "footer"]
    assert headers == [("Gemeente Voorbeeld", "koptekst"), ("Bijlage", "koptekst eerste pagina")]
    assert footers == [("Vragen? Bel ons op 14 020.", "voettekst")]
    assert result.blocks[0].kind == "header" and result.blocks[-1].kind == "footer"
    assert not result.blocks[0].is_body
    assert "Niet getoond" not in result.text


def test_pictures_in_header_and_table_point_at_their_block():
    document = docx.Document()
    header = document.sections[0].header.paragraphs[0]
    header.text = "Gemeente Voorbeeld "
    header.add_run().add_picture(io.BytesIO(tiny_png()))
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 1).paragraphs[0]
    cell.text = "Plattegrond"
    cell.add_run().add_picture(io.BytesIO(tiny_png()))
    result = read(document)

    logo, plan = result.images
    assert result.blocks[logo.block_index].kind == "header"
    assert result.blocks[plan.block_index].text == "Plattegrond"
    assert result.blocks[plan.block_index].location == "tabel 1, rij 1, kolom 2"


def test_deep_nesting_is_bounded():
    nested = "<w:tbl><w:tr><w:tc>" * 30 + "<w:p><w:r><w:t>diep</w:t></w:r></w:p>" + "</w:tc></w:tr></w:tbl>" * 30
    body = "<w:p><w:r><w:t>Boven</w:t></w:r></w:p>" + nested
    result = read_docx(rezip(simple_docx(), {"word/document.xml": document_xml(body)}), "brief.docx")
    assert [b.text for b in result.blocks] == ["Boven"]  # tables nested deeper than 20 are skipped
    too_deep = "<w:sdt><w:sdtContent>" * 300 + "</w:sdtContent></w:sdt>" * 300
    assert "beschadigd" in str(refused(rezip(simple_docx(), {"word/document.xml": document_xml(too_deep)})))


def test_table_cells_nested_tables_and_layout_tables():
    document = docx.Document()
    data = document.add_table(rows=3, cols=2)
    data.style = "Table Grid"
    for row, (what, amount) in enumerate([("Wat", "Bedrag"), ("Afvalstoffenheffing", "€ 312"), ("Rioolheffing", "")]):
        data.cell(row, 0).text = what
        data.cell(row, 1).text = amount
    layout = document.add_table(rows=1, cols=2)  # logo left, address right: layout
    layout.cell(0, 1).text = "Postbus 1"
    inner = layout.cell(0, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Binnentabel"
    merged = document.add_table(rows=2, cols=3)
    merged.style = "Table Grid"
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Samengevoegd"
    merged.cell(0, 2).text = "Rechts"
    merged.cell(1, 0).text = "Onder"
    result = read(document)

    cells = {b.text: b.location for b in result.blocks if b.kind == "table_cell"}
    assert cells["Afvalstoffenheffing"] == "tabel 1, rij 2, kolom 1"
    assert cells["€ 312"] == "tabel 1, rij 2, kolom 2"
    assert "Rioolheffing" in cells and "" not in cells
    assert cells["Postbus 1"] == "tabel 2, rij 1, kolom 2"
    assert cells["Binnentabel"] == "tabel 2, rij 1, kolom 1 > tabel 1, rij 1, kolom 1"
    assert cells["Samengevoegd"] == "tabel 3, rij 1, kolom 1"
    assert cells["Rechts"] == "tabel 3, rij 1, kolom 3"  # the merged cell spans two grid columns
    assert result.layout_tables == 2  # the one-row table and the table nested in it


def test_borderless_table_with_running_text_is_layout():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)  # no style: Word's default table has no borders
    table.cell(0, 0).text = "A"
    table.cell(1, 1).text = "B"
    result = read(document)
    assert result.layout_tables == 1


def test_content_controls_are_read():
    document = docx.Document()
    document.add_paragraph("Eerste alinea.")
    document.element.body.insert(1, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>In een inhoudsbesturingselement</w:t>'
        "</w:r></w:p></w:sdtContent></w:sdt>"))
    result = read(document)
    assert block(result, "inhoudsbesturingselement").location == "alinea 2"


@pytest.mark.parametrize("content_type", [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
])
def test_templates_and_macro_documents_are_read(content_type):
    data = simple_docx("Geachte heer Jansen,")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                          content_type)
    result = read_docx(rezip(data, {"[Content_Types].xml": types.encode()}), "sjabloon.dotx")
    assert result.blocks[0].text == "Geachte heer Jansen,"


def test_read_through_entry_point():
    from briefcheck.formats import format_for, read_bytes

    assert format_for("brief.DOCX").name == "docx"
    result = read_bytes(simple_docx("Geachte mevrouw De Vries,"), "brief.docx")
    assert result.source_format == "docx"
    assert result.text == "Geachte mevrouw De Vries,"


# -- bad input -----------------------------------------------------------------------------------------
def test_empty_file():
    assert "leeg" in str(refused(b""))


def test_random_bytes():
    data = random.Random(7).randbytes(4000)
    assert not data.startswith((b"PK", b"\xd0\xcf"))
    message = str(refused(data))
    assert "geen Word-bestand" in message and "brief.docx" in message


def test_pdf_renamed():
    assert "PDF" in str(refused(b"%PDF-1.7\n" + b"0" * 100))


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def test_password_protected_docx():
    message = str(refused(OLE_HEADER + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64))
    assert "beveiligd met een wachtwoord" in message


def test_old_word_doc():
    message = str(refused(OLE_HEADER + "WordDocument".encode("utf-16-le") + b"\x00" * 64, "brief.doc"))
    assert "oud Word-bestand (.doc)" in message


def test_truncated_docx():
    data = simple_docx()
    error = refused(data[: len(data) // 2])
    assert "beschadigd" in str(error)


def test_damaged_part_inside_zip():
    data = bytearray(simple_docx("x" * 5000))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10: start + 40] = b"\x00" * 30  # garble the packed document text
    error = refused(bytes(data))
    assert "beschadigd" in str(error)
    assert error.__cause__ is not None  # the English reason, for developers


def test_broken_xml_keeps_reason():
    error = refused(rezip(simple_docx(), {"word/document.xml": b"<w:document"}))
    assert "beschadigd" in str(error)
    assert error.__cause__ is not None


def test_zip_without_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hallo.txt", "geen brief")
    message = str(refused(out.getvalue()))
    assert "word/document.xml" in message and "beschadigd of is geen Word-document" in message
    without = rezip(simple_docx(), {"word/document.xml": None})
    assert "ontbreekt" in str(refused(without))


def test_excel_file_renamed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert "Excel-bestand" in str(refused(out.getvalue()))


def _bomb(megabytes: int) -> bytes:
    """A docx whose document.xml unpacks to ``megabytes`` MB of spaces, written in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(simple_docx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
                continue
            with target.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(document_xml("<w:p><w:r><w:t>")[:-len("</w:body></w:document>")])
                spaces = b" " * (1024 * 1024)
                for _ in range(megabytes):
                    part.write(spaces)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def test_zip_bomb_refused_fast_with_little_memory():
    data = _bomb(60)
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = str(refused(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "te groot" in message
    assert peak < 20 * 1024 * 1024
    assert time.perf_counter() - started < 2


def test_highly_compressed_part_refused():
    assert "te groot" in str(refused(_bomb(10)))  # under the size limit, but packed > 200:1


def test_bzip2_member_refused():
    data = simple_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    assert "beschadigd" in str(refused(out.getvalue()))


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
          + "]>")


def test_entity_expansion_in_document_refused():
    xml = ('<?xml version="1.0"?>' + LAUGHS +
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    message = str(refused(rezip(simple_docx(), {"word/document.xml": xml.encode()})))
    assert "onveilige XML" in message
    utf16 = refused(rezip(simple_docx(), {"word/document.xml": xml.replace('"1.0"', '"1.0" encoding="UTF-16"')
                                          .encode("utf-16")}))
    assert "onveilige XML" in str(utf16)


def test_entity_declaration_in_footer_refused():
    document = docx.Document()
    document.add_paragraph("Tekst")
    document.sections[0].footer.paragraphs[0].text = "Voet"
    data = save(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        footer = next(n for n in archive.namelist() if n.startswith("word/footer"))
    xml = f'<?xml version="1.0"?>{LAUGHS}<w:ftr xmlns:w="{W_NS}"><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:ftr>'
    assert "onveilige XML" in str(refused(rezip(data, {footer: xml.encode()})))


def test_strict_open_xml_explained():
    data = simple_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    strict = xml.replace(W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert "Strict" in str(refused(rezip(data, {"word/document.xml": strict})))


def test_document_without_body_is_damaged():
    xml = f'<w:document xmlns:w="{W_NS}"/>'.encode()
    assert "beschadigd" in str(refused(rezip(simple_docx(), {"word/document.xml": xml})))
