"""Word letters (.docx, .dotx, .docm): text in reading order, with formatting, images and layout facts.

python-docx opens the package (zip parts and relationships). The text itself is read by walking the
XML, because python-docx's ``paragraph.text`` misses simple fields, text boxes, content controls and
tracked insertions, and does not resolve numbering formats.

Read: body paragraphs, headings, list items, tables (nested up to ``MAX_DEPTH``), headers and footers
of all sections, text boxes, merge fields (as «Naam»), pictures with their alternative text.
Not read: footnotes, endnotes, comments, embedded objects, imported chunks (w:altChunk), equations.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterator

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from docx.package import Package
from docx.styles import BabelFish

from ..document import Block, Document, Formatting, Image
from ..errors import InputError
from . import MAX_TEXT_CHARS, InputFormat

# -- limits: refuse what no real letter needs, before anything is unpacked or parsed -----------------
#: Largest XML part, unpacked. Parsing costs ~20x the XML size in memory (measured: 50 MB of empty
#: paragraphs took 1.1 GB), so this is lower than the file size limit.
MAX_XML_PART_BYTES = 25 * 1024 * 1024
MAX_XML_TOTAL_BYTES = 50 * 1024 * 1024
#: All parts together, unpacked (pictures included: python-docx loads every part into memory).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: Large XML parts that shrank more than this when packed are zip bombs (Word XML packs about 10:1).
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_BYTES = 5 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
#: Nesting of tables in tables and text boxes in text boxes.
MAX_DEPTH = 20
MAX_STYLE_CHAIN = 20
#: A table cell with at least this many words holds running text, not data.
LONG_CELL_WORDS = 25

# -- messages ------------------------------------------------------------------------------------------
CORRUPT = (
    "Dit Word-bestand is beschadigd en kan niet worden gelezen. "
    "Open het in Word, sla het opnieuw op als .docx en probeer het opnieuw."
)
PASSWORD = "Dit Word-bestand is beveiligd met een wachtwoord. Haal de beveiliging weg en probeer het opnieuw."
OLD_DOC = "Dit is een oud Word-bestand (.doc). Sla het in Word op als .docx en probeer het opnieuw."
UNSAFE_XML = (
    "Dit Word-bestand bevat onveilige XML (een DOCTYPE- of ENTITY-declaratie) en wordt daarom niet gelezen. "
    "Open het in Word, sla het opnieuw op als .docx en probeer het opnieuw."
)
STRICT = (
    "Dit Word-bestand is opgeslagen als 'Strict Open XML-document'. Sla het in Word op als gewoon "
    "Word-document (.docx) en probeer het opnieuw."
)


def _too_big(reason: str) -> InputError:
    return InputError(
        f"Dit Word-bestand is uitgepakt te groot om te lezen ({reason}). Het is mogelijk beschadigd of "
        "met opzet zo gemaakt. Kopieer de tekst van de brief naar een nieuw Word-document en probeer het opnieuw."
    )


def _not_word(name: str, what: str | None = None) -> InputError:
    if what:
        return InputError(f"{name} is {what}, geen Word-bestand. Kies het Word-bestand (.docx) van de brief.")
    return InputError(
        f"{name} is beschadigd of is geen Word-document: het deel met de tekst (word/document.xml) ontbreekt. "
        "Kies het juiste bestand, of sla de brief in Word opnieuw op als .docx."
    )


# -- XML names -----------------------------------------------------------------------------------------
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}


@lru_cache(maxsize=None)
def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


W_P, W_R, W_T, W_TBL, W_TR, W_TC = map(_q, ("w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc"))
W_PPR, W_RPR, W_TBLPR, W_TCPR, W_TRPR = map(_q, ("w:pPr", "w:rPr", "w:tblPr", "w:tcPr", "w:trPr"))
W_SDT, W_SDTCONTENT, W_CUSTOMXML = map(_q, ("w:sdt", "w:sdtContent", "w:customXml"))
W_BODY, W_SECTPR, W_SECTPRCHANGE = map(_q, ("w:body", "w:sectPr", "w:sectPrChange"))
W_VAL, W_TYPE, W_INSTR, W_CHAR = map(_q, ("w:val", "w:type", "w:instr", "w:char"))
W_FLDCHAR, W_FLDCHARTYPE, W_INSTRTEXT, W_FLDSIMPLE = map(
    _q, ("w:fldChar", "w:fldCharType", "w:instrText", "w:fldSimple"))
W_DRAWING, W_PICT, W_TXBXCONTENT = map(_q, ("w:drawing", "w:pict", "w:txbxContent"))
W_SYM, W_NOBREAKHYPHEN = _q("w:sym"), _q("w:noBreakHyphen")
W_GRIDSPAN, W_GRIDBEFORE, W_TBLSTYLE, W_TBLBORDERS, W_TCBORDERS = map(
    _q, ("w:gridSpan", "w:gridBefore", "w:tblStyle", "w:tblBorders", "w:tcBorders"))
MC_ALTERNATE, MC_CHOICE, MC_FALLBACK = map(_q, ("mc:AlternateContent", "mc:Choice", "mc:Fallback"))
WP_INLINE, WP_ANCHOR, WP_DOCPR = map(_q, ("wp:inline", "wp:anchor", "wp:docPr"))
A_GRAPHICDATA, PIC_PIC, V_IMAGEDATA, O_TITLE = map(_q, ("a:graphicData", "pic:pic", "v:imagedata", "o:title"))

#: Inline elements whose children are read as if they stood in the paragraph itself.
_INLINE_WRAPPERS = set(map(_q, ("w:hyperlink", "w:smartTag", "w:customXml", "w:ins", "w:moveTo", "w:bdo", "w:dir")))
#: Run content shown as a space: tabs and line breaks separate words.
_SPACE_TAGS = set(map(_q, ("w:tab", "w:ptab", "w:br", "w:cr")))
#: Graphic frames that are pictures to a reader, besides pic:pic itself.
_PICTURE_URIS = {
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "http://schemas.openxmlformats.org/drawingml/2006/diagram",
}
_ALIGNMENT = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
              "both": "justify", "distribute": "justify", "thaiDistribute": "justify",
              "lowKashida": "justify", "mediumKashida": "justify", "highKashida": "justify"}
_NO_BORDER = {None, "nil", "none"}
_WORD_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/wordprocessingml/main"

_HEADING_STYLE = re.compile(r"(?:heading|kop)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_STYLE = re.compile(r"(list bullet|list number|lijstopsommingsteken|lijstnummering)\s*([1-9])?$", re.IGNORECASE)
_MERGEFIELD = re.compile(r'\s*MERGEFIELD\s+(?:"([^"]*)"|([^\s\\]+))', re.IGNORECASE)


# -- small helpers -------------------------------------------------------------------------------------
def _val(element) -> str | None:
    return element.get(W_VAL) if element is not None else None


def _on(element) -> bool:
    """A Word on/off property: present without w:val, or with a true value."""
    return element.get(W_VAL) not in ("0", "false", "off", "none")


def _int(text: str | None, base: int = 10) -> int | None:
    try:
        return int(text, base) if text is not None else None
    except ValueError:
        return None


def _merge_name(instruction: str) -> str | None:
    match = _MERGEFIELD.match(instruction)
    if match is None:
        return None
    return (match.group(1) or match.group(2)).strip() or None


def _branch(alternate):
    """The branch of mc:AlternateContent to read: the first Choice (we read everything Word 2010+
    writes there), else the Fallback. Reading one branch only avoids reading text boxes and
    pictures twice (Choice holds DrawingML, Fallback the same content as VML)."""
    choice = alternate.find(MC_CHOICE)
    return choice if choice is not None else alternate.find(MC_FALLBACK)


def _children(container, wanted: set[str]) -> Iterator:
    """Children of ``container`` with a tag in ``wanted``, looking through content controls and
    other wrappers that do not change what a reader sees."""
    for child in container:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, wanted)
        elif tag in _INLINE_WRAPPERS:
            yield from _children(child, wanted)
        elif tag == MC_ALTERNATE:
            branch = _branch(child)
            if branch is not None:
                yield from _children(branch, wanted)


def _outside_boxes(element) -> Iterator:
    """Descendants of a drawing, without entering text box content (read as its own block)."""
    stack = list(reversed(element))
    while stack:
        node = stack.pop()
        yield node
        if node.tag == W_TXBXCONTENT:
            continue
        if node.tag == MC_ALTERNATE:
            branch = _branch(node)
            stack.extend(reversed(branch) if branch is not None else ())
        else:
            stack.extend(reversed(node))


def _element(part):
    """The parsed XML of a part (.dotx/.docm main parts are plain parts to python-docx)."""
    element = getattr(part, "element", None)
    return element if element is not None else parse_xml(part.blob)


def _related(part, reltype: str):
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


# -- container checks (before python-docx parses anything) --------------------------------------------
def _check_signature(data: bytes, name: str) -> None:
    if not data.strip():
        raise InputError(f"Het bestand {name} is leeg.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE compound file: either an old .doc, or a .docx that Word encrypted with a password
        # (Word then stores the real package in a stream called "EncryptedPackage").
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(PASSWORD)
        raise InputError(OLD_DOC)
    if not data.startswith(b"PK"):
        if data.startswith(b"%PDF"):
            raise _not_word(name, "een PDF-bestand")
        if data.startswith(b"{\\rtf"):
            raise InputError(f"{name} is een RTF-bestand. Sla het in Word op als .docx en probeer het opnieuw.")
        raise InputError(
            f"{name} is geen Word-bestand (.docx). Kies een ander bestand, of open het in Word en "
            "sla het op als .docx."
        )
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:
        # Counting central directory signatures is cheap; ZipFile would build an object per entry.
        raise _too_big(f"meer dan {MAX_ZIP_ENTRIES} onderdelen")


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse zip bombs, XML with a DTD and packages without a Word document, before parsing."""
    infos = [info for info in archive.infolist() if not info.is_dir()]
    for info in infos:
        # Word only stores and deflates; zipfile unpacks bzip2/lzma without a size bound.
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError(CORRUPT)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _too_big(f"meer dan {MAX_UNPACKED_BYTES // 1024 // 1024} MB")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise _not_word(name, _other_office_format(archive, names))
    content_types = _read_xml(archive, archive.getinfo("[Content_Types].xml"))
    overrides, defaults = {}, {}
    for item in parse_xml(content_types):
        if item.tag == f"{{{_NS['ct']}}}Override":
            overrides[(item.get("PartName") or "").lstrip("/").lower()] = item.get("ContentType") or ""
        elif item.tag == f"{{{_NS['ct']}}}Default":
            defaults[(item.get("Extension") or "").lower()] = item.get("ContentType") or ""

    def content_type(filename: str) -> str | None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return overrides.get(filename.lower(), defaults.get(extension))

    def is_xml(filename: str) -> bool:
        # Decide by content type (an SVG picture or imported HTML is not parsed), else by name;
        # python-docx parses relationship parts whatever their content type says.
        kind = content_type(filename)
        if kind is None or filename.lower().endswith(".rels"):
            return filename.lower().endswith((".xml", ".rels"))
        return kind.startswith("application/") and (kind.endswith("+xml") or kind == "application/xml")

    main = next((part for part, kind in overrides.items() if kind in _WORD_MAIN_TYPES), None)
    if main is None:
        raise _not_word(name, _other_office_format(archive, names))
    if main not in {n.lower() for n in names}:
        raise _not_word(name)
    xml_infos = [info for info in infos if is_xml(info.filename)]
    if sum(info.file_size for info in xml_infos) > MAX_XML_TOTAL_BYTES:
        raise _too_big(f"meer dan {MAX_XML_TOTAL_BYTES // 1024 // 1024} MB tekst en opmaak")
    for info in xml_infos:
        blob = _read_xml(archive, info)
        if info.filename.lower() == main and _STRICT_NAMESPACE in blob[:4096]:
            raise InputError(STRICT)


def _read_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The bytes of an XML part, after checking its unpacked size; refuses DTDs."""
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_XML_PART_BYTES or (info.file_size > RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO):
        raise _too_big(f"{info.filename}: {info.file_size / 1024 / 1024:.0f} MB")
    # zipfile stops at the declared size and then fails on the checksum, so memory stays bounded
    # even when the declared size lies.
    blob = archive.read(info)
    # A DTD is how entity expansion ("billion laughs") and external entities get in; Word never
    # writes one. Checked in every encoding an XML parser would detect.
    # every marker holds a '!': one fast scan for it spares the ten full scans in almost every part
    if b"!" in blob and any(marker in blob for marker in _DTD_MARKERS):
        raise InputError(UNSAFE_XML)
    return blob


def _other_office_format(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "xl/workbook.xml" in names:
        return "een Excel-bestand"
    if "ppt/presentation.xml" in names:
        return "een PowerPoint-bestand"
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200 and b"opendocument" in archive.read("mimetype"):
        return "een OpenDocument-bestand (bijvoorbeeld .odt)"
    return None


# -- styles and numbering ------------------------------------------------------------------------------
class _Styles:
    """Style lookups with inheritance: direct formatting, then character style, paragraph style
    (each with its basedOn chain), then the document defaults. Word's toggling of bold/italic
    between style levels and table style formatting are not modelled (python-docx ignores them too)."""

    def __init__(self, root, theme_fonts: dict[str, str]):
        self.by_id: dict[str, object] = {}
        self.default: dict[str, str] = {}
        self.theme_fonts = theme_fonts
        self.doc_rpr = self.doc_ppr = None
        self._cache: dict[tuple, dict] = {}
        self._chains: dict[str | None, list] = {}
        if root is None:
            return
        for style in root.iterchildren(_q("w:style")):
            style_id = style.get(_q("w:styleId"))
            self.by_id.setdefault(style_id, style)
            if style.get(_q("w:default")) in ("1", "true", "on"):
                self.default.setdefault(style.get(W_TYPE) or "paragraph", style_id)
        defaults = root.find(_q("w:docDefaults"))
        if defaults is not None:
            self.doc_rpr = defaults.find(f"{_q('w:rPrDefault')}/{W_RPR}")
            self.doc_ppr = defaults.find(f"{_q('w:pPrDefault')}/{W_PPR}")

    def chain(self, style_id: str | None) -> list:
        """The style and the styles it is based on, nearest first (cycles and long chains cut off)."""
        if style_id in self._chains:
            return self._chains[style_id]
        styles, seen, first = [], set(), style_id
        while style_id and style_id not in seen and len(styles) < MAX_STYLE_CHAIN:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            styles.append(style)
            style_id = _val(style.find(_q("w:basedOn")))
        self._chains[first] = styles
        return styles

    def resolve(self, style_id: str | None, kind: str) -> str | None:
        """An existing style id, or the document's default style of that kind (as Word does)."""
        return style_id if style_id in self.by_id else self.default.get(kind)

    def name(self, style_id: str | None) -> str | None:
        name = _val(self.by_id[style_id].find(_q("w:name"))) if style_id in self.by_id else None
        return BabelFish.internal2ui(name) if name else None

    def paragraph_value(self, ppr, style_id: str | None, get: Callable) -> str | None:
        """First value ``get`` finds in the paragraph's own, its styles' and the default pPr."""
        # most values are in the paragraph's own pPr or its first style: look no further than needed
        if ppr is not None:
            value = get(ppr)
            if value is not None:
                return value
        for style in self.chain(style_id):
            layer = style.find(W_PPR)
            value = get(layer) if layer is not None else None
            if value is not None:
                return value
        return get(self.doc_ppr) if self.doc_ppr is not None else None

    def run_properties(self, rpr, paragraph_style: str | None) -> dict:
        """Effective bold, italic, caps, hidden, size (pt) and font of a run, as far as known."""
        char_style = self.resolve(_val(rpr.find(_q("w:rStyle"))) if rpr is not None else None, "character")
        key = (paragraph_style, char_style)
        inherited = self._cache.get(key)
        if inherited is None:
            inherited = {}
            layers = [s.find(W_RPR) for s in self.chain(char_style) + self.chain(paragraph_style)] + [self.doc_rpr]
            for layer in layers:
                for name, value in self._values(layer).items():
                    inherited.setdefault(name, value)
            self._cache[key] = inherited
        direct = self._values(rpr)
        return {**inherited, **direct} if direct else inherited

    def _values(self, rpr) -> dict:
        """The properties an rPr sets explicitly."""
        values: dict = {}
        if rpr is None:
            return values
        for name, tag in (("bold", "w:b"), ("italic", "w:i"), ("caps", "w:caps"), ("hidden", "w:vanish")):
            element = rpr.find(_q(tag))
            if element is not None:
                values[name] = _on(element)
        half_points = _int(_val(rpr.find(_q("w:sz"))))
        if half_points:
            values["size"] = half_points / 2
        fonts = rpr.find(_q("w:rFonts"))
        if fonts is not None:
            theme = fonts.get(_q("w:asciiTheme")) or fonts.get(_q("w:hAnsiTheme"))
            font = self.theme_fonts.get(theme[:5]) if theme else None  # "majorHAnsi" -> "major"
            font = font or fonts.get(_q("w:ascii")) or fonts.get(_q("w:hAnsi"))
            if font:
                values["font"] = font
        return values


class _Numbering:
    """Number formats from numbering.xml: is list level ``ilvl`` of list ``numId`` a bullet?"""

    def __init__(self, root, styles: _Styles):
        self.styles = styles
        self.nums = {n.get(_q("w:numId")): n for n in root.iterchildren(_q("w:num"))} if root is not None else {}
        self.abstracts = ({a.get(_q("w:abstractNumId")): a for a in root.iterchildren(_q("w:abstractNum"))}
                          if root is not None else {})

    def number_format(self, num_id: str, level: int, depth: int = 0) -> str | None:
        """"bullet", "decimal", "none", ...; None when the list does not exist."""
        num = self.nums.get(num_id)
        if num is None or depth > 5:
            return None
        for override in num.iterchildren(_q("w:lvlOverride")):
            if _int(override.get(_q("w:ilvl"))) == level:
                number_format = _val(override.find(f"{_q('w:lvl')}/{_q('w:numFmt')}"))
                if number_format:
                    return number_format
        abstract = self.abstracts.get(_val(num.find(_q("w:abstractNumId"))))
        if abstract is None:
            return None
        link = _val(abstract.find(_q("w:numStyleLink")))
        if link:  # the list definition lives in a numbering style
            style = self.styles.by_id.get(link)
            linked = _val(style.find(f"{W_PPR}/{_q('w:numPr')}/{_q('w:numId')}")) if style is not None else None
            return self.number_format(linked, level, depth + 1) if linked else None
        for lvl in abstract.iterchildren(_q("w:lvl")):
            if _int(lvl.get(_q("w:ilvl"))) == level:
                return _val(lvl.find(_q("w:numFmt"))) or "decimal"
        return None


# -- reading -------------------------------------------------------------------------------------------
@dataclass
class _Field:
    """A complex field (w:fldChar) being read: its instruction and whether its result has begun."""

    instruction: str = ""
    separated: bool = False
    merge_name: str | None = None
    placed: bool = False


@dataclass
class _Paragraph:
    """One w:p: its text as (text, run properties) pieces, its paragraph facts and what it holds."""

    style: str | None = None
    alignment: str | None = None
    heading_level: int | None = None
    list_level: int | None = None
    numbered: bool | None = None
    pieces: list[tuple[str, dict]] = field(default_factory=list)
    boxes: list = field(default_factory=list)  # w:txbxContent elements, read after the paragraph
    images: list[Image] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass
class _Story:
    """Where content is read: the body (kind None: each paragraph has its own kind) or a header/footer."""

    kind: str | None
    where: str = ""

    def location(self, local: str) -> str:
        return ", ".join(part for part in (self.where, local) if part)


def _visible(fields: list[_Field]) -> bool:
    """Text shows when every open field is in its result part and none is a merge field."""
    return all(f.separated and f.merge_name is None for f in fields)


class _Reader:
    def __init__(self, package: Package, name: str):
        self.main = package.main_document_part
        if self.main.content_type not in _WORD_MAIN_TYPES:
            raise _not_word(name)
        self.name = name
        self.root = _element(self.main)
        theme = _related(self.main, RT.THEME)
        self.styles = _Styles(_element_or_none(_related(self.main, RT.STYLES)), _theme_fonts(theme))
        self.numbering = _Numbering(_element_or_none(_related(self.main, RT.NUMBERING)), self.styles)
        settings = _element_or_none(_related(self.main, RT.SETTINGS))
        even = settings.find(_q("w:evenAndOddHeaders")) if settings is not None else None
        self.even_and_odd = even is not None and _on(even)
        self.blocks: list[Block] = []
        self.images: list[Image] = []
        self.layout_tables = 0
        self.paragraphs = 0
        self.boxes = 0
        self.characters = 0
        self.seen: dict[tuple[str, str], int] = {}

    def read(self) -> Document:
        body = self.root.find(W_BODY)
        if body is None:
            raise InputError(CORRUPT)
        self._headers_footers("header")
        self._container(body, _Story(None), 0)
        self._headers_footers("footer")
        return Document(self.blocks, source_name=self.name, source_format="docx",
                        images=self.images, layout_tables=self.layout_tables)

    # -- structure ---------------------------------------------------------------------------------
    def _headers_footers(self, kind: str) -> None:
        """Headers (or footers) of all sections, each part once. A section without its own header
        of a type inherits the previous section's; first-page and even-page variants count only
        where the section or document turns them on (otherwise Word does not show them)."""
        reference = _q("w:headerReference" if kind == "header" else "w:footerReference")
        label = "koptekst" if kind == "header" else "voettekst"
        current: dict[str, str | None] = {}
        done = set()
        for section in self.root.iter(W_SECTPR):
            if section.getparent().tag == W_SECTPRCHANGE:  # old properties of a tracked change
                continue
            for ref in section.iterchildren(reference):
                current[ref.get(W_TYPE) or "default"] = ref.get(_q("r:id"))
            title_page = section.find(_q("w:titlePg"))
            shown = ["default"] + (["first"] if title_page is not None and _on(title_page) else [])
            for variant in shown + (["even"] if self.even_and_odd else []):
                rel = self.main.rels.get(current.get(variant))
                if rel is None or rel.is_external or rel.target_part.partname in done:
                    continue
                done.add(rel.target_part.partname)
                where = label + {"first": " eerste pagina", "even": " even pagina's"}.get(variant, "")
                self._container(_element(rel.target_part), _Story(kind, where), 0)

    def _container(self, container, story: _Story, depth: int) -> None:
        """Block-level content: paragraphs and tables, in document order."""
        tables = 0
        for element in _children(container, {W_P, W_TBL}):
            if element.tag == W_TBL:
                tables += 1
                self._table(element, story, f"tabel {tables}", depth + 1)
                continue
            paragraph = self._paragraph(element)
            if story.kind is None:
                kind = ("heading" if paragraph.heading_level else
                        "list_item" if paragraph.list_level is not None else "paragraph")
                index = self._block(kind, f"alinea {self.paragraphs + 1}", [paragraph])
                self.paragraphs += index is not None
            else:
                self._block(story.kind, story.where, [paragraph])
            self._boxes([paragraph], story, depth)

    def _table(self, table, story: _Story, where: str, depth: int) -> None:
        """One block per non-empty cell; nested tables follow their cell."""
        if depth > MAX_DEPTH:
            return
        rows = list(_children(table, {W_TR}))
        columns, cell_texts = 0, []
        for row_number, row in enumerate(rows, start=1):
            column = _int(_val(row.find(f"{W_TRPR}/{W_GRIDBEFORE}"))) or 0
            cells = list(_children(row, {W_TC}))
            columns = max(columns, len(cells))
            for cell in cells:
                local = f"{where}, rij {row_number}, kolom {column + 1}"
                column += _int(_val(cell.find(f"{W_TCPR}/{W_GRIDSPAN}"))) or 1
                paragraphs, nested = [], []
                for element in _children(cell, {W_P, W_TBL}):
                    if element.tag == W_P:
                        paragraphs.append(self._paragraph(element))
                    else:
                        nested.append(element)
                self._block(story.kind or "table_cell", story.location(local), paragraphs)
                cell_texts.append(" ".join(p.text for p in paragraphs))
                self._boxes(paragraphs, story, depth)
                for number, inner in enumerate(nested, start=1):
                    self._table(inner, story, f"{local} > tabel {number}", depth + 1)
        if self._is_layout_table(table, len(rows), columns, cell_texts):
            self.layout_tables += 1

    def _boxes(self, paragraphs: list[_Paragraph], story: _Story, depth: int) -> None:
        """The text boxes anchored in these paragraphs: one block each."""
        if depth >= MAX_DEPTH:
            return
        for paragraph in paragraphs:
            for content in paragraph.boxes:
                self.boxes += 1
                where = f"tekstvak {self.boxes}"
                inner, tables = [], []
                for element in _children(content, {W_P, W_TBL}):
                    (inner if element.tag == W_P else tables).append(element)
                inner = [self._paragraph(p) for p in inner]
                self._block(story.kind or "text_box", story.location(where), inner)
                self._boxes(inner, story, depth + 1)
                for number, table in enumerate(tables, start=1):
                    self._table(table, story, f"{where} > tabel {number}", depth + 1)

    def _is_layout_table(self, table, rows: int, columns: int, cell_texts: list[str]) -> bool:
        """A table that places text rather than showing data: one row or one column, no visible
        borders at all (table, table style or cells), or more than half of the filled cells holding
        running text (LONG_CELL_WORDS words or more). A heuristic; data tables in letters have borders."""
        if rows <= 1 or columns <= 1 or not self._has_borders(table):
            return True
        filled = [text for text in cell_texts if text.strip()]
        long = [text for text in filled if len(text.split()) >= LONG_CELL_WORDS]
        return bool(filled) and 2 * len(long) > len(filled)

    def _has_borders(self, table) -> bool:
        properties = table.find(W_TBLPR)
        style_id = self.styles.resolve(_val(properties.find(W_TBLSTYLE)) if properties is not None else None, "table")
        edges: dict[str, str | None] = {}
        for layer in [properties] + [style.find(W_TBLPR) for style in self.styles.chain(style_id)]:
            borders = layer.find(W_TBLBORDERS) if layer is not None else None
            for edge in borders if borders is not None else ():
                if isinstance(edge.tag, str):
                    edges.setdefault(edge.tag, edge.get(W_VAL))
        if any(value not in _NO_BORDER for value in edges.values()):
            return True
        for row in _children(table, {W_TR}):
            for cell in _children(row, {W_TC}):
                borders = cell.find(f"{W_TCPR}/{W_TCBORDERS}")
                if borders is not None and any(edge.get(W_VAL) not in _NO_BORDER for edge in borders):
                    return True
        return False

    # -- paragraphs --------------------------------------------------------------------------------
    def _paragraph(self, p) -> _Paragraph:
        ppr = p.find(W_PPR)
        style_id = self.styles.resolve(_val(ppr.find(_q("w:pStyle"))) if ppr is not None else None, "paragraph")
        paragraph = _Paragraph(style=self.styles.name(style_id))
        jc = self.styles.paragraph_value(ppr, style_id, lambda pr: _val(pr.find(_q("w:jc"))))
        paragraph.alignment = _ALIGNMENT.get(jc or "left", "left")
        self._structure(paragraph, ppr, style_id)
        self._inline(p, paragraph, style_id, [])
        return paragraph

    def _structure(self, paragraph: _Paragraph, ppr, style_id: str | None) -> None:
        """Heading level (style "Heading N"/"Kop N", Title, or outline level), else list facts
        (numbering of the paragraph or its style, or a List Bullet/List Number style)."""
        name = paragraph.style or ""
        heading = _HEADING_STYLE.match(name)
        if heading:
            paragraph.heading_level = int(heading.group(1))
            return
        if name.lower() in _TITLE_STYLES:
            paragraph.heading_level = 1
            return
        outline = _int(self.styles.paragraph_value(ppr, style_id, lambda pr: _val(pr.find(_q("w:outlineLvl")))))
        if outline is not None and 0 <= outline < 9:  # 9 means body text
            paragraph.heading_level = outline + 1
            return

        def numbering(tag: str) -> Callable:
            return lambda pr: _val(pr.find(f"{_q('w:numPr')}/{_q(tag)}"))

        num_id = self.styles.paragraph_value(ppr, style_id, numbering("w:numId"))
        own_level = _int(numbering("w:ilvl")(ppr)) if ppr is not None else None
        style_level = _int(self.styles.paragraph_value(None, style_id, numbering("w:ilvl")))
        ilvl = own_level if own_level is not None else style_level or 0
        by_style = _LIST_STYLE.match(name)
        if own_level is None and by_style and by_style.group(2):
            level = int(by_style.group(2)) - 1  # "List Bullet 2" is the second level (its own list)
        else:
            level = ilvl
        if num_id == "0":  # numbering switched off, whatever the style says
            return
        number_format = self.numbering.number_format(num_id, ilvl) if num_id else None
        if number_format is None and not by_style:
            return
        paragraph.list_level = level
        if number_format is not None:
            paragraph.numbered = number_format not in ("bullet", "none")
        else:
            paragraph.numbered = "number" in name.lower() or "nummering" in name.lower()

    def _inline(self, parent, paragraph: _Paragraph, style_id: str | None, fields: list[_Field]) -> None:
        """Paragraph content in order. ``fields`` is the stack of open complex fields; it is kept
        per paragraph, so a field left open by a broken file cannot hide the rest of the letter."""
        for child in parent:
            tag = child.tag
            if tag == W_R:
                properties = self.styles.run_properties(child.find(W_RPR), style_id)
                self._run_content(child, paragraph, properties, fields)
            elif tag == W_FLDSIMPLE:
                name = _merge_name(child.get(W_INSTR) or "")
                if name is None:
                    self._inline(child, paragraph, style_id, fields)  # PAGE, DATE...: the cached result
                elif _visible(fields):
                    first = child.find(W_R)
                    properties = self.styles.run_properties(first.find(W_RPR) if first is not None else None, style_id)
                    paragraph.pieces.append((f"«{name}»", properties))
            elif tag in _INLINE_WRAPPERS:
                self._inline(child, paragraph, style_id, fields)
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self._inline(content, paragraph, style_id, fields)
            elif tag == MC_ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._inline(branch, paragraph, style_id, fields)
            # w:del and w:moveFrom (deleted text), bookmarks, proofing marks: nothing to read

    def _run_content(self, run, paragraph: _Paragraph, properties: dict, fields: list[_Field]) -> None:
        hidden = properties.get("hidden", False)  # w:vanish: Word neither shows nor prints it
        for child in run:
            tag = child.tag
            if tag == W_FLDCHAR:
                kind = child.get(W_FLDCHARTYPE)
                if kind == "begin":
                    fields.append(_Field())
                elif kind == "separate" and fields:
                    fields[-1].separated = True
                    fields[-1].merge_name = _merge_name(fields[-1].instruction)
                    self._place_merge_field(fields[-1], fields[:-1], paragraph, properties)
                elif kind == "end" and fields:
                    done = fields.pop()
                    done.merge_name = done.merge_name or _merge_name(done.instruction)
                    self._place_merge_field(done, fields, paragraph, properties)
            elif tag == W_INSTRTEXT:
                if fields and not fields[-1].separated:
                    fields[-1].instruction += child.text or ""
            elif not _visible(fields):
                continue
            elif tag in (W_DRAWING, W_PICT):
                self._graphic(child, paragraph)
            elif tag == MC_ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._run_content(branch, paragraph, properties, fields)
            elif hidden:
                continue
            elif tag == W_T:
                paragraph.pieces.append((child.text or "", properties))
            elif tag in _SPACE_TAGS:
                paragraph.pieces.append((" ", properties))
            elif tag == W_NOBREAKHYPHEN:
                paragraph.pieces.append(("-", properties))
            elif tag == W_SYM:
                # Symbol fonts (Wingdings...) use private-use codes that mean nothing as text:
                # keep a space so the words around the symbol stay apart.
                code = _int(child.get(W_CHAR), 16)
                paragraph.pieces.append((chr(code) if code and 32 <= code < 0xD800 else " ", properties))
            # w:softHyphen is invisible unless a line breaks there; w:delText is deleted text

    def _place_merge_field(self, done: _Field, outer: list[_Field], paragraph: _Paragraph, properties: dict) -> None:
        """A merge field shows as «Naam», whatever result Word cached for it."""
        if done.merge_name and not done.placed and _visible(outer) and not properties.get("hidden"):
            paragraph.pieces.append((f"«{done.merge_name}»", properties))
        done.placed = True

    def _graphic(self, element, paragraph: _Paragraph) -> None:
        """Pictures (with alternative text) and text boxes in a w:drawing or VML w:pict."""
        if element.tag == W_DRAWING:
            for frame in element:
                if frame.tag not in (WP_INLINE, WP_ANCHOR):
                    continue
                is_picture = False
                for node in _outside_boxes(frame):
                    if node.tag == W_TXBXCONTENT:
                        paragraph.boxes.append(node)
                    elif node.tag == PIC_PIC or (node.tag == A_GRAPHICDATA and node.get("uri") in _PICTURE_URIS):
                        is_picture = True
                if is_picture:
                    properties = frame.find(WP_DOCPR)
                    get = properties.get if properties is not None else (lambda key: None)
                    alt = (get("descr") or "").strip() or (get("title") or "").strip() or None
                    paragraph.images.append(Image(get("name") or "afbeelding", alt))
            return
        for node in _outside_boxes(element):  # VML, as written by Word 2003 and older converters
            if node.tag == W_TXBXCONTENT:
                paragraph.boxes.append(node)
            elif node.tag == V_IMAGEDATA:
                shape = node.getparent()
                alt = (shape.get("alt") or "").strip() or (node.get(O_TITLE) or "").strip() or None
                paragraph.images.append(Image(shape.get("id") or "afbeelding", alt))

    # -- blocks ------------------------------------------------------------------------------------
    def _block(self, kind: str, location: str, paragraphs: list[_Paragraph]) -> int | None:
        """Add a block of the non-empty paragraphs (joined by newlines); return its index, or None
        when there is no text. Pictures in the paragraphs point at the block. Header and footer text
        that repeats (same text in several sections) is kept once."""
        text, pieces, first = "", [], None
        for paragraph in paragraphs:
            raw = paragraph.text
            stripped = raw.strip()
            if not stripped:
                continue
            if first is None:
                first = paragraph
            else:
                text += "\n"
            shift = len(text) - (len(raw) - len(raw.lstrip()))
            position = 0
            for piece, properties in paragraph.pieces:
                start = min(max(position + shift, len(text)), len(text) + len(stripped))
                end = min(max(position + len(piece) + shift, len(text)), len(text) + len(stripped))
                if end > start:
                    pieces.append((start, end, properties))
                position += len(piece)
            text += stripped
        index = None
        if first is not None:
            key = (kind, text)
            if kind in ("header", "footer") and key in self.seen:
                index = self.seen[key]
            else:
                self.characters += len(text)
                if self.characters > MAX_TEXT_CHARS:  # stop early: bounded time on huge documents
                    raise InputError(
                        f"De tekst is te lang (meer dan {MAX_TEXT_CHARS:,} tekens). briefcheck controleert "
                        f"brieven tot {MAX_TEXT_CHARS:,} tekens.".replace(",", ".")
                    )
                single = first if sum(1 for p in paragraphs if p.text.strip()) == 1 else _Paragraph()
                formatting = _formatting(text, pieces, first, single)
                self.blocks.append(Block(text, kind, location=location, formatting=formatting))  # type: ignore[arg-type]
                index = self.seen[key] = len(self.blocks) - 1
        for paragraph in paragraphs:
            for image in paragraph.images:
                if kind in ("header", "footer") and any(
                        (i.name, i.alt_text, i.block_index) == (image.name, image.alt_text, index) for i in self.images):
                    continue  # the same logo in the header of every section
                image.block_index = index
                self.images.append(image)
        return index


def _formatting(text: str, pieces: list[tuple[int, int, dict]], first: _Paragraph, single: _Paragraph) -> Formatting:
    """Formatting of a block: bold/italic/caps when every visible character has it, the smallest
    font size, the font of most characters, and the bold stretches."""
    visible = [(start, end, props) for start, end, props in pieces if text[start:end].strip()]

    def every(name: str) -> bool | None:
        return all(props.get(name, False) for _, _, props in visible) if visible else None

    sizes = [props["size"] for _, _, props in visible if "size" in props]
    fonts = Counter()
    for start, end, props in visible:
        if "font" in props:
            fonts[props["font"]] += len(text[start:end].strip())
    bold_spans: list[tuple[int, int]] = []
    for start, end, props in visible:
        if not props.get("bold"):
            continue
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if bold_spans and not text[bold_spans[-1][1]:start].strip():
            bold_spans[-1] = (bold_spans[-1][0], end)  # only spaces between: one stretch
        else:
            bold_spans.append((start, end))
    return Formatting(
        style=first.style, bold=every("bold"), italic=every("italic"), all_caps=every("caps"),
        size_pt=min(sizes) if sizes else None, alignment=first.alignment,
        font=fonts.most_common(1)[0][0] if fonts else None,
        list_level=single.list_level, numbered=single.numbered, heading_level=single.heading_level,
        bold_spans=bold_spans,
    )


def _element_or_none(part):
    return _element(part) if part is not None else None


def _theme_fonts(theme_part) -> dict[str, str]:
    """The theme's heading ("major") and body ("minor") fonts, which styles often refer to."""
    if theme_part is None:
        return {}
    theme = _element(theme_part)
    fonts = {}
    for kind in ("major", "minor"):
        latin = theme.find(f".//{_q('a:' + kind + 'Font')}/{_q('a:latin')}")
        if latin is not None and latin.get("typeface"):
            fonts[kind] = latin.get("typeface")
    return fonts


def read_docx(data: bytes, name: str) -> Document:
    """Read a Word letter; raises InputError with a Dutch message for anything that is not one."""
    _check_signature(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive, name)
        package = Package.open(io.BytesIO(data))
        return _Reader(package, name).read()
    except InputError:
        raise
    except Exception as error:  # a broken file; the English reason stays in __cause__ for developers
        raise InputError(CORRUPT) from error


DOCX_FORMAT = InputFormat("docx", (".docx", ".dotx", ".docm"), read_docx)
