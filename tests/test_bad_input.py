"""Bad input, on purpose: every case gives a normal report or exit code 2 with one clear Dutch
message (never a traceback), within 30 seconds and 1.5 GB, leaves no temporary files behind and
does not change the input file.

The cases are built by the tests themselves (no binary files in the repository): zip bombs,
corrupt and lying zip files, password-protected and old Word files, a 50 MB Word file full of
pictures, entity expansion, deeply nested tables, huge paragraphs, odd encodings and Unicode,
directories, pipes, devices, symlink loops, unreadable files. The command runs in-process
(``briefcheck.cli.main``); a second set sends bad input to the JSON API (Flask test client).
"""
from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import random
import re
import signal
import stat
import struct
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from briefcheck.cli import main
from briefcheck.formats import MAX_FILE_BYTES, MAX_TEXT_CHARS

MAX_SECONDS = 30
MAX_GROWTH_BYTES = 1.5 * 1024 ** 3
ROOT = Path(__file__).resolve().parent.parent
LETTER = (ROOT / "benchmarks" / "brief-350.txt").read_text(encoding="utf-8")
SHORT_LETTER = (
    "Beste mevrouw Jansen,\n\n"
    "U vroeg ons om een nieuwe afvalcontainer. Wij brengen de container op 14 april 2026.\n\n"
    "Heeft u vragen? Bel ons op 14 020.\n\n"
    "Met vriendelijke groet,\n\nAfdeling Afval"
)
#: Words that show up in English error texts and never in our Dutch messages.
ENGLISH = re.compile(r"\b(error|errno|denied|permission|no such|too many|traceback|exception|invalid|cannot|"
                     r"failed|file is not|bad ?zip|unicode|codec|not found|directory)\b", re.IGNORECASE)
DUTCH = re.compile(r"\b(het|de|een|is|geen|niet|bestand|tekst|kies|probeer)\b", re.IGNORECASE)


# -- building blocks -----------------------------------------------------------------------------------
W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    '</Relationships>'
)
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'


def letter_paragraphs(text: str = SHORT_LETTER) -> str:
    return "".join(paragraph(p) for p in text.split("\n\n"))


def document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document {W_NS}><w:body>{body}</w:body></w:document>').encode("utf-8")


def docx(body: str | bytes, images: dict[str, bytes] | None = None, prolog: str = "") -> bytes:
    """A minimal Word package: content types, relationships, word/document.xml and pictures
    (stored, not deflated, as Word does for pictures that do not pack)."""
    images = images or {}
    rels = "".join(f'<Relationship Id="{rid}" Type="{IMAGE_REL}" Target="media/{rid}.png"/>' for rid in images)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", body if isinstance(body, bytes) else document_xml(body, prolog))
        z.writestr("word/_rels/document.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                   f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for rid, data in images.items():
            z.writestr(zipfile.ZipInfo(f"word/media/{rid}.png", (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)
    return out.getvalue()


def picture(rid: str, number: int, alt: str = "") -> str:
    return (
        f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/>'
        f'<wp:docPr id="{number}" name="Afbeelding {number}" descr="{alt}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="foto{number}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill><pic:spPr/></pic:pic>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    )


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) with the given streams, each
    stored in regular sectors. Word stores old .doc files and password-protected .docx files
    (streams EncryptionInfo and EncryptedPackage) in this container."""
    sector = 512
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    streams = {name: data.ljust(4096, b"\0") for name, data in streams.items()}  # above the mini-stream cutoff
    fat = [fat_sector, end]  # sector 0: the FAT; sector 1: the directory
    data_sectors, starts = b"", []
    for data in streams.values():
        count = -(-len(data) // sector)
        first = len(fat)
        starts.append(first)
        fat += list(range(first + 1, first + count)) + [end]
        data_sectors += data.ljust(count * sector, b"\0")
    assert len(fat) <= sector // 4

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<iii", -1, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, 1, -1, end, 0)
    for number, name in enumerate(names, start=1):
        right = number + 1 if number < len(names) else -1
        directory += entry(name, 2, -1, right, starts[number - 1], len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    assert len(header) == sector
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(sector, b"\xff")
    return header + fat_bytes + directory + data_sectors


def zip_bomb(unpacked: int) -> bytes:
    """A Word package whose document.xml unpacks to ``unpacked`` bytes of spaces (packs ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(document_xml(letter_paragraphs())[:-len("</w:body></w:document>")])
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def lying_sizes() -> bytes:
    """A package that says document.xml is 2 KB while its data unpacks to 64 MB (a bomb that lies
    about its size, so checks on the declared size alone let it through)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", document_xml(letter_paragraphs() + " " * (64 * 1024 * 1024)))
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    real = info.file_size
    fake = struct.pack("<I", 2048)
    for at in [m.start() for m in re.finditer(re.escape(struct.pack("<I", real)), bytes(data))]:
        data[at:at + 4] = fake  # uncompressed size in the local header and in the central directory
    return bytes(data)


def billion_laughs_docx() -> bytes:
    entities = ['<!ENTITY lol "lol">', '<!ENTITY lol1 "' + "&lol;" * 10 + '">']
    entities += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(2, 10)]
    prolog = "<!DOCTYPE w:document [" + "".join(entities) + "]>"
    body = letter_paragraphs() + "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return docx(body, prolog=prolog)


def external_entity_docx() -> bytes:
    prolog = '<!DOCTYPE w:document [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>'
    return docx(letter_paragraphs() + "<w:p><w:r><w:t>&geheim;</w:t></w:r></w:p>", prolog=prolog)


def utf16_dtd_docx() -> bytes:
    """The entity expansion again, with document.xml in UTF-16 (a check for '<!DOCTYPE' in UTF-8
    bytes alone would miss it)."""
    xml = document_xml(letter_paragraphs() + "<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>",
                       prolog='<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;">'
                              '<!ENTITY lol2 "&lol1;&lol1;">]>').decode("utf-8")
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return docx(b"\xff\xfe" + xml.encode("utf-16-le"))


def nested_tables(depth: int) -> bytes:
    body = ""
    for level in range(depth, 0, -1):
        body = (f"<w:tbl><w:tr><w:tc>{paragraph(f'Tabel op niveau {level}.')}{body}"
                "<w:p/></w:tc></w:tr></w:tbl>")
    return docx(letter_paragraphs() + body + "<w:p/>")


def images_docx(total: int, with_text: bool = True) -> bytes:
    """A Word file of about ``total`` bytes: pictures of random (incompressible) bytes."""
    rng = random.Random(9)
    count = 5
    images = {f"rId{n}": rng.randbytes(total // count) for n in range(1, count + 1)}
    body = "".join(picture(rid, n, alt=f"Foto {n} van de straat") for n, rid in enumerate(images, start=1))
    if with_text:
        body = letter_paragraphs() + body
    return docx(body, images)


def tiny_paragraphs_docx(count: int) -> bytes:
    return docx("".join(paragraph("Ja.") for _ in range(count)))


def many_entries_zip(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", document_xml(letter_paragraphs()))
        for n in range(count):
            z.writestr(zipfile.ZipInfo(f"word/x/{n}.xml", (2026, 1, 1, 0, 0, 0)), b"")
    return out.getvalue()


def bzip2_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("word/document.xml", document_xml(letter_paragraphs()))
    return out.getvalue()


def excel_renamed() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace("/word/document.xml", "/xl/workbook.xml")
                   .replace("wordprocessingml.document.main", "spreadsheetml.sheet.main"))
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


# -- the cases -------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One bad input. ``make`` builds it in a folder and returns the path to check; ``expect`` is
    "report" (exit 0 or 1 with a JSON report), or a piece of the Dutch message that exit code 2 gives."""

    make: Callable[[Path], Path]
    expect: str
    check_report: Callable[[dict], None] | None = None


def file_case(name: str, data: bytes | Callable[[], bytes], expect: str, check_report=None) -> Case:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return Case(make, expect, check_report)


def _directory(folder: Path) -> Path:
    path = folder / "brieven.docx"
    path.mkdir()
    return path


def _symlink_loop(folder: Path) -> Path:
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    return folder / "a.txt"


def _dangling_symlink(folder: Path) -> Path:
    (folder / "brief.txt").symlink_to(folder / "verdwenen.txt")
    return folder / "brief.txt"


def _fifo(folder: Path) -> Path:
    path = folder / "brief.txt"
    os.mkfifo(path)  # nobody writes to it: opening it would wait forever
    return path


def _device(folder: Path) -> Path:
    path = folder / "brief.txt"
    path.symlink_to("/dev/zero")  # endless zeros: reading it all would never end
    return path


def _sparse_huge(folder: Path) -> Path:
    path = folder / "groot.txt"
    with open(path, "wb") as f:
        f.truncate(8 * 1024 ** 3)  # 8 GB that take no disk space; reading them would take 8 GB of memory
    return path


def _unreadable(folder: Path) -> Path:
    path = folder / "geheim.txt"
    path.write_text(SHORT_LETTER, encoding="utf-8")
    path.chmod(0)
    return path


def _report_has(text: str) -> Callable[[dict], None]:
    def check(report: dict) -> None:
        assert text in report["text"], report["text"][:300]

    return check


def _report_has_images_with_alt_text(report: dict) -> None:
    """The letter was read, and so were its pictures: the alt-text check applies, and passes."""
    assert "afvalcontainer" in report["text"] and report["metrics"]["words"] > 20
    visual = {item["key"]: item for item in report["details"]["anatomy"]["visual"]}
    assert visual["alt_tekst"]["applies"] is True and visual["alt_tekst"]["ok"] is True, visual["alt_tekst"]


CASES: dict[str, Case] = {
    # -- empty, whitespace, binary
    "empty-file": file_case("leeg.txt", b"", "leeg"),
    "only-whitespace": file_case("spaties.txt", b" \t\r\n\n \xc2\xa0\n" * 1000, "geen tekst"),
    "only-invisible-characters": file_case("onzichtbaar.txt", "\u200b\u200d\u202e\ufeff \u2028\u2060\n\n".encode() * 100,
                                           "geen tekst"),
    "binary-garbage-as-txt": file_case("brief.txt", lambda: random.Random(1).randbytes(256 * 1024), "binair"),
    "nul-bytes-in-text": file_case("nul.txt", SHORT_LETTER.encode().replace(b" ", b" \x00", 3), "binair"),
    "empty-docx": file_case("leeg.docx", b"", "leeg"),
    "binary-garbage-as-docx": file_case("brief.docx", lambda: random.Random(2).randbytes(64 * 1024),
                                        "geen Word-bestand"),
    "pdf-named-docx": file_case("brief.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    # -- encodings and odd Unicode
    "utf16-with-bom": file_case("utf16.txt", SHORT_LETTER.encode("utf-16"), "report", _report_has("afvalcontainer")),
    "utf16-without-bom": file_case("utf16.txt", SHORT_LETTER.encode("utf-16-le"), "binair"),
    "mixed-utf8-and-cp1252": file_case(
        "gemengd.txt", SHORT_LETTER.encode("utf-8") + "\n\nGeachte heer Müller, u betaalt € 25.".encode("cp1252"),
        "report", _report_has("Müller")),
    "surrogates-in-utf8-bytes": file_case(
        "surrogaat.txt", SHORT_LETTER.encode() + b"\n\nDit is \xed\xa0\x80 vreemd \xed\xb0\x80.", "report",
        _report_has("afvalcontainer")),
    "odd-unicode": file_case(
        "vreemd.txt", (SHORT_LETTER + "\n\nZero\u200bwidth jo\u200dint, \ufeffBOM, \u2028lijn\u2029, "
                       "e\u0301\u0301\u0301, \ue000\uf8ff, \U000e0041, \ufffd, \u202eomgekeerd\u202c, "
                       "ﬁ ligatuur, Ⅻ, ①, 𝕭𝖗𝖎𝖊𝖋.").encode("utf-8"), "report", _report_has("ligatuur")),
    "rtl-text": file_case(
        "rtl.txt", ("السيدة يانسن المحترمة،\n\nلقد تلقينا طلبكم. שלום, קיבלנו את הבקשה שלך.\n\n"
                    + SHORT_LETTER).encode("utf-8"), "report", _report_has("קיבלנו")),
    "emoji": file_case(
        "emoji.txt", ("Beste mevrouw 👋🏽,\n\nWij komen uw 🗑️ op 14 april ophalen 🚛💨. 👨‍👩‍👧‍👦🏳️‍🌈 "
                      * 40 + "\n\n" + SHORT_LETTER).encode("utf-8"), "report", _report_has("🚛")),
    "control-characters": file_case(
        "ctrl.txt", (SHORT_LETTER + "\n\nTekst\x0bmet\x1b[31mkleur\x1b[0m en\x7f wis.").encode(), "report",
        _report_has("afvalcontainer")),
    # -- size and shape
    "one-megabyte-paragraph": file_case("alinea.txt", ("woord " * 180_000).encode(), "te lang"),
    "one-sentence-over-the-limit": file_case("zin.txt", ("en dan " * (MAX_TEXT_CHARS // 7 + 1)).encode(), "te lang"),
    "very-long-word": file_case("woord.txt", (SHORT_LETTER + "\n\n" + "a" * 50_000 + ".").encode(), "report",
                                _report_has("aaaa")),
    "many-tiny-paragraphs": file_case("alineas.txt", ("Ja.\n\n" * 3_000).encode(), "report"),
    "too-many-tiny-paragraphs": file_case("alineas.txt", ("Ja.\n\n" * 20_000).encode(), "te veel alinea's"),
    "long-letter-near-the-limit": file_case(
        "lang.txt", lambda: "\n\n".join([LETTER] * (MAX_TEXT_CHARS // (len(LETTER) + 2))).encode(), "report"),
    "many-blank-lines": file_case("leegte.txt", (SHORT_LETTER + "\n" * 500_000 + "Tot ziens.").encode(), "report",
                                  _report_has("Tot ziens")),
    "sparse-8-gigabyte-file": Case(_sparse_huge, "te groot"),
    "over-the-file-size-limit": file_case("groot.md", lambda: b"# Kop\n\n" + b"x" * MAX_FILE_BYTES, "te groot"),
    # -- the file system
    "directory": Case(_directory, "is een map"),
    "missing-file": Case(lambda folder: folder / "bestaat-niet.docx", "bestaat niet"),
    "symlink-loop": Case(_symlink_loop, "naar zichzelf"),
    "dangling-symlink": Case(_dangling_symlink, "bestaat niet"),
    "named-pipe": Case(_fifo, "geen gewoon bestand"),
    "device-dev-zero": Case(_device, "geen gewoon bestand"),
    "unreadable-permissions": Case(_unreadable, "geen toestemming"),
    # -- Word containers
    "corrupt-zip": file_case("kapot.docx", b"PK\x03\x04" + random.Random(3).randbytes(4096), "beschadigd"),
    "truncated-docx": file_case("half.docx", lambda: docx(letter_paragraphs())[:700], "beschadigd"),
    "zip-bomb": file_case("bom.docx", lambda: zip_bomb(300 * 1024 * 1024), "te groot"),
    "zip-bomb-in-one-part": file_case("bom2.docx", lambda: zip_bomb(24 * 1024 * 1024), "te groot"),
    "zip-bomb-lying-sizes": file_case("liegt.docx", lying_sizes, "beschadigd"),
    "too-many-zip-entries": file_case("veel.docx", lambda: many_entries_zip(10_050), "te groot"),
    "bzip2-compressed-docx": file_case("bzip.docx", bzip2_docx, "beschadigd"),
    "excel-named-docx": file_case("tabel.docx", excel_renamed, "Excel"),
    "password-protected-docx": file_case(
        "wachtwoord.docx", lambda: cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(200),
                                        "EncryptedPackage": random.Random(4).randbytes(5000)}), "wachtwoord"),
    "old-doc-renamed-docx": file_case(
        "oud.docx", lambda: cfb({"WordDocument": b"\xec\xa5\xc1\x00" + bytes(500), "1Table": bytes(100)}),
        "oud Word-bestand"),
    "old-doc": file_case("oud.doc", lambda: cfb({"WordDocument": b"\xec\xa5\xc1\x00"}), ".docx"),
    # -- Word content
    "billion-laughs": file_case("lachen.docx", billion_laughs_docx, "onveilige XML"),
    "external-entity": file_case("xxe.docx", external_entity_docx, "onveilige XML"),
    "entity-expansion-utf16": file_case("utf16.docx", utf16_dtd_docx, "onveilige XML"),
    "nested-tables-50": file_case("tabellen.docx", lambda: nested_tables(50), "report",
                                  _report_has("niveau 1.")),
    "nested-tables-400": file_case("diep.docx", lambda: nested_tables(400), "beschadigd"),
    "docx-one-megabyte-paragraph": file_case("alinea.docx", lambda: docx(paragraph("woord " * 180_000)), "te lang"),
    "docx-too-many-tiny-paragraphs": file_case("alineas.docx", lambda: tiny_paragraphs_docx(20_000),
                                               "te veel alinea's"),
    "docx-only-images": file_case("plaatjes.docx", lambda: images_docx(500_000, with_text=False), "geen tekst"),
    "docx-50-megabytes-of-images": file_case("foto.docx", lambda: images_docx(50 * 1024 * 1024), "report",
                                             _report_has_images_with_alt_text),
    "docx-control-characters": file_case(
        "ctrl.docx", lambda: docx(letter_paragraphs() + "<w:p><w:r><w:t>Tekst &#1; vreemd</w:t></w:r></w:p>"),
        "beschadigd"),
}


# -- measuring -------------------------------------------------------------------------------------------
def _status_kb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    """Reset the process's peak RSS (VmHWM) so that it measures this case only (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _digest(path: Path) -> str | None:
    """Hash and metadata of a regular file (None for anything else: pipes and devices are not read)."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if path.is_symlink() or not stat.S_ISREG(info.st_mode):
        return f"{info.st_mode}:{info.st_mtime_ns}"
    if info.st_size > 100 * 1024 * 1024:
        return f"{info.st_size}:{info.st_mtime_ns}"  # the sparse file: hashing 8 GB would take too long
    hasher = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            hasher.update(chunk)
    return f"{hasher.hexdigest()}:{info.st_mode}:{info.st_mtime_ns}"


def _inventory(folder: Path) -> dict[str, str | None]:
    return {str(p.relative_to(folder)): _digest(p) for p in folder.rglob("*")}


def _run_measured(name: str, argv: list[str]) -> tuple[int, float, int]:
    """Run the command in-process: its exit code, wall time and peak memory growth (bytes)."""
    measured = _reset_peak()
    rss_before = _status_kb("VmRSS")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(MAX_SECONDS * 3)  # a hang fails the test instead of stopping the run
    started = time.perf_counter()
    try:
        code = main(argv)
    except _Timeout:
        pytest.fail(f"{name}: no answer after {MAX_SECONDS * 3} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - started
    growth = (_status_kb("VmHWM") - rss_before) * 1024 if measured else 0
    return code, seconds, growth


@pytest.fixture(scope="module")
def warm():
    """Load the pipeline and rules once, so the cases measure their own time and memory."""
    from briefcheck.nlp import get_nlp

    get_nlp()
    code = main(["check", str(ROOT / "benchmarks" / "brief-350.txt"), "--format", "json"])
    assert code in (0, 1)


@pytest.fixture()
def private_tmp(tmp_path, monkeypatch):
    """A fresh, empty temporary folder for everything briefcheck might put there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_there_are_enough_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_on_the_command_line(name, warm, tmp_path, private_tmp, capsys, monkeypatch):
    case = CASES[name]
    inputs = tmp_path / "invoer"
    inputs.mkdir()
    path = case.make(inputs)
    before = _inventory(inputs)
    capsys.readouterr()
    with monkeypatch.context() as patch:
        if name == "unreadable-permissions" and os.geteuid() == 0:
            # root reads any file whatever its mode: make opening it fail as it does for other users
            real_open = open

            def refusing_open(file, *args, **kwargs):
                if isinstance(file, (str, Path)) and Path(file) == path:
                    raise PermissionError(errno.EACCES, "Permission denied", str(file))
                return real_open(file, *args, **kwargs)

            patch.setattr("builtins.open", refusing_open)
        code, seconds, growth = _run_measured(name, ["check", str(path), "--format", "json"])
    out, err = capsys.readouterr()

    assert seconds < MAX_SECONDS, f"{name} took {seconds:.1f} s"
    assert growth < MAX_GROWTH_BYTES, f"{name} grew the process by {growth / 1024 ** 2:.0f} MB"
    if case.expect == "report":
        assert code in (0, 1), err
        report = json.loads(out)
        assert report["text"].strip() and isinstance(report["findings"], list)
        assert err == ""
        if case.check_report:
            case.check_report(report)
    else:
        assert code == 2, (code, out[:200])
        assert out == ""
        assert err.startswith("briefcheck: ") and err.count("\n") == 1, err
        assert case.expect in err, err
        assert not ENGLISH.search(err), err
        assert DUTCH.search(err), err
    assert _inventory(inputs) == before, "the input was changed or files were written next to it"
    assert list(private_tmp.iterdir()) == [], "temporary files were left behind"


# -- the same through the JSON API -------------------------------------------------------------------------
API_CASES = [
    "empty-file", "binary-garbage-as-txt", "nul-bytes-in-text", "utf16-with-bom", "odd-unicode", "rtl-text",
    "corrupt-zip", "zip-bomb", "zip-bomb-lying-sizes", "password-protected-docx", "old-doc-renamed-docx",
    "billion-laughs", "nested-tables-400", "docx-only-images", "docx-one-megabyte-paragraph",
]


@pytest.fixture(scope="module")
def client(warm):
    from briefcheck.config import Settings
    from web import create_app

    return create_app(Settings(), {"TESTING": True}).test_client()


def _api_ok_or_dutch_error(response, expect: str) -> None:
    body = response.get_json()
    assert body is not None, response.data[:200]
    assert response.status_code != 500, body
    if expect == "report":
        assert response.status_code == 200, body
        assert isinstance(body["findings"], list) and body["text"].strip()
    else:
        assert response.status_code in (400, 413, 422), body
        message = body["error"]["message"]
        assert not ENGLISH.search(message) and DUTCH.search(message), message


@pytest.mark.parametrize("name", API_CASES)
def test_bad_input_through_the_api(name, client, tmp_path, private_tmp):
    case = CASES[name]
    path = case.make(tmp_path)
    data = path.read_bytes()
    upload_name = path.name if path.suffix in (".docx", ".txt", ".md") else path.name + ".txt"
    started = time.perf_counter()
    response = client.post("/api/v1/check", data={"file": (io.BytesIO(data), upload_name)},
                           content_type="multipart/form-data")
    assert time.perf_counter() - started < MAX_SECONDS
    _api_ok_or_dutch_error(response, case.expect)
    if case.expect != "report":
        assert case.expect in response.get_json()["error"]["message"]
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("text, expect", [
    ("Beste mevrouw,\n\nDit is \ud800 een losse surrogaat \udfff in de tekst.", "report"),
    ("Beste mevrouw,\x00\x00\n\nEen brief met NUL-tekens\x00 erin.", "report"),
    ("\u202e\u200b\ufeff \u2028\u2029", "geen tekst"),
    ("a" * (MAX_TEXT_CHARS + 1), "te lang"),
    ("Ja.\n\n" * 6_000, "te veel alinea's"),
    ("🗑️" * 5000, "report"),
])
def test_odd_text_through_the_api(client, text, expect):
    # json.dumps escapes lone surrogates as \ud800, as a client in another language would send them
    response = client.post("/api/v1/check", data=json.dumps({"text": text}), content_type="application/json")
    _api_ok_or_dutch_error(response, expect)
    if expect == "report":
        response.get_data(as_text=True).encode("utf-8")  # the answer is valid UTF-8
    else:
        assert expect in response.get_json()["error"]["message"]


def test_oversized_upload_is_refused_with_413_in_dutch(client):
    from web import MAX_REQUEST_BYTES

    big = b"woord " * (MAX_REQUEST_BYTES // 6 + 1000)
    response = client.post("/api/v1/check", data={"file": (io.BytesIO(big), "brief.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    body = response.get_json()
    assert body["error"]["code"] == "too_large" and "hoogstens 10 MB" in body["error"]["message"]
    response = client.post("/api/v1/check", json={"text": "woord " * (MAX_REQUEST_BYTES // 6 + 1000)})
    assert response.status_code == 413 and response.get_json() == body


# -- the served app (waitress, as `briefcheck serve` runs it) ----------------------------------------------
CANARY = "Zwanenbroekstraatje"  # a word that appears nowhere but in the letters these tests send
CANARY_FILE = "geheim-dossier-kwartiermaker.docx"


@pytest.fixture(scope="module")
def served(warm):
    """The app under waitress on a free loopback port, with the options `briefcheck serve` uses."""
    import threading

    from briefcheck.config import Settings
    from web import create_app
    from web.serving import create_server, waitress_options

    options = {k: v for k, v in waitress_options().items() if k != "_server"}
    server = create_server(create_app(Settings()), host="127.0.0.1", port=0, threads=2, **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    thread.join(5)


def _post(port: int, path: str, body: bytes, content_type: str) -> tuple[int, str, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("the server closed the connection without an answer")
    finally:
        connection.close()


def _headers_only(port: int, path: str, length: int) -> tuple[int, str, bytes]:
    """Announce a body of ``length`` bytes but send none: waitress must answer from the headers."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "briefcheck-grens-0123456789"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_served_app_refuses_big_uploads_in_dutch_without_temporary_files(served, monkeypatch):
    """Above MAX_REQUEST_BYTES the app answers; far above it waitress does, from the headers alone.
    Both answer 413 with a Dutch error (JSON for the API, a page otherwise), and no part of an
    upload goes into a temporary file."""
    spilled = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: spilled.append(1) or real(*a, **k))
    body, content_type = _multipart("foto.docx", b"\0" * int(10.5 * 1024 * 1024))
    answers = [_post(served, "/api/v1/check", body, content_type),
               _headers_only(served, "/api/v1/check", 60 * 1024 * 1024)]
    for status, kind, data in answers:
        assert status == 413 and kind.startswith("application/json"), (status, data[:300])
        error = json.loads(data)["error"]
        assert error["code"] == "too_large" and "hoogstens 10 MB" in error["message"]
    status, kind, data = _headers_only(served, "/controleer", 60 * 1024 * 1024)
    assert status == 413 and "text/html" in kind and "Het bestand is te groot" in data.decode()
    assert spilled == []


def test_served_app_upload_below_the_limit_stays_in_memory(served, monkeypatch):
    spilled = []
    real = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: spilled.append(1) or real(*a, **k))
    letter = (SHORT_LETTER + "\n\n") * 2
    body, content_type = _multipart("brief.txt", letter.encode() + b" " * (3 * 1024 * 1024))
    status, _, data = _post(served, "/api/v1/check", body, content_type)
    assert status == 200, data[:300]
    assert "afvalcontainer" in json.loads(data)["text"]
    assert spilled == [], "waitress put the upload in a temporary file"


def test_no_letter_text_or_file_name_in_the_logs_of_the_served_app_and_the_command(served, tmp_path, caplog):
    """The waitress path (`briefcheck serve`) and the command line log no letter text or file name,
    not for good letters and not for broken ones."""
    import logging

    caplog.set_level(logging.DEBUG)
    text = f"Beste mevrouw,\n\nWij hebben uw brief over het {CANARY} thans ontvangen."
    status, _, _ = _post(served, "/api/v1/check", json.dumps({"text": text}).encode(), "application/json")
    assert status == 200
    for data in (docx(letter_paragraphs(text)), b"PK\x03\x04kapot", billion_laughs_docx()):
        body, content_type = _multipart(CANARY_FILE, data)
        _post(served, "/api/v1/check", body, content_type)
    body, content_type = _multipart(CANARY_FILE, b"\0" * int(10.5 * 1024 * 1024))
    assert _post(served, "/api/v1/check", body, content_type)[0] == 413
    _post(served, "/api/v1/check", b'{"text": "' + CANARY.encode() + b'", kapot', "application/json")
    assert re.search(r"POST /api/v1/check 200 \d+ ms", caplog.text)  # the server's log was captured...
    folder = tmp_path / "brieven"
    folder.mkdir()
    (folder / CANARY_FILE).write_bytes(docx(letter_paragraphs(text)))
    (folder / f"{CANARY}.txt").write_text(text, encoding="utf-8")
    (folder / f"kapot-{CANARY}.docx").write_bytes(b"PK\x03\x04kapot")
    for path in folder.iterdir():
        main(["check", str(path)])
    assert CANARY not in caplog.text and "kwartiermaker" not in caplog.text  # ...but no letter or file name


@pytest.mark.parametrize("raw, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
    (b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Lang: " + b"a" * 300_000 + b"\r\n\r\n", 431),
])
def test_served_app_answers_broken_http_in_dutch(served, raw, status):
    """Requests waitress refuses before the app sees them get a Dutch answer too (no English text)."""
    import socket

    with socket.create_connection(("127.0.0.1", int(served)), timeout=30) as connection:
        answer = b""
        try:
            connection.sendall(raw)
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass  # waitress answered and closed before reading all we sent
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == str(status).encode(), head
    text = body.decode("utf-8")
    assert "waitress" not in text, text
    if text.startswith("{"):
        text = json.loads(text)["error"]["message"]
    else:
        assert '<html lang="nl">' in text, text
        text = re.sub(r"<[^>]+>", " ", text)
    assert DUTCH.search(text) and not ENGLISH.search(text), text
