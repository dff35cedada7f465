"""Plain text and Markdown: decoding (UTF-8 or Windows-1252) and splitting into blocks."""
from __future__ import annotations

import re

from ..document import Block, Document, Formatting
from ..errors import InputError
from . import InputFormat

_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252."""
    if not data.strip():
        raise InputError(f"Het bestand {name} is leeg.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{name} is geen tekstbestand maar een Office-bestand. Geef het de extensie .docx als het een "
            "Word-bestand is, of sla het op als .docx."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in text or control > max(3, len(text) // 100):
        raise InputError(
            f"{name} lijkt geen tekst te bevatten (het is een binair bestand). "
            "Kies een brief als .txt, .md of .docx."
        )
    return text


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    # control characters other than newline and tab carry no meaning in a letter
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped) <= 60
        and len(stripped.split()) <= 8
        and stripped[0].isupper()
        and stripped[-1] not in ".,:;!?"
    )


def _heading_shape(line: str) -> bool:
    """Short, starts with a capital, and ends without a full stop: 'Uw afspraak', 'Vragen?'."""
    line = line.strip()
    if _looks_like_heading(line):
        return True
    return (0 < len(line) <= 60 and len(line.split()) <= 8 and line[0].isupper() and line[-1] in "?:"
            and not line.lower().startswith(("geachte", "beste")))


def _starts_section(lines: list[tuple[int, str]], index: int) -> bool:
    """A heading typed inside a run of lines ('Wat moet u doen?', 'Uw afspraak'): the line above
    ends a sentence, the line itself has a heading's shape, and the line below is running text
    that starts a new sentence. A wrapped sentence does not qualify (its lines do not end in a
    full stop, or the next goes on in lower case), and neither do the lines of a list typed
    without bullets (a line above or below has a heading's shape too, or the line above ends in ':')."""
    if not 0 < index < len(lines) - 1:
        return False
    above, line, below = lines[index - 1][1].strip(), lines[index][1].strip(), lines[index + 1][1].strip()
    return (bool(above) and above[-1] in ".!?" and below[:1].isupper() and not _BULLET.match(lines[index + 1][1])
            and _heading_shape(line) and not _heading_shape(above) and not _heading_shape(below))


def document_from_text(text: str, name: str = "<tekst>", markdown: bool = False) -> Document:
    """Split text into blocks: paragraphs at blank lines, list items and headings on their own."""
    text = _clean(text)
    blocks: list[Block] = []
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        if not chunk:
            return
        lines = list(chunk)
        chunk.clear()
        paragraph: list[tuple[int, str]] = []

        def flush_paragraph() -> None:
            if paragraph:
                blocks.append(Block("\n".join(l for _, l in paragraph).strip(), "paragraph",
                                    location=f"regel {paragraph[0][0]}"))
                paragraph.clear()

        for index, (number, line) in enumerate(lines):
            heading = _MD_HEADING.match(line) if markdown else None
            bullet = _BULLET.match(line)
            if heading:
                flush_paragraph()
                level = len(heading.group(1))
                blocks.append(Block(line[heading.end():].strip(), "heading", location=f"regel {number}",
                                    formatting=Formatting(heading_level=level)))
            elif bullet:
                flush_paragraph()
                blocks.append(Block(line[bullet.end():].strip(), "list_item", location=f"regel {number}",
                                    formatting=Formatting(list_level=0, numbered=bool(_NUMBERED.match(line)))))
            elif index == 0 and len(lines) > 1 and _looks_like_heading(line) and not markdown:
                blocks.append(Block(line.strip(), "heading", location=f"regel {number}",
                                    formatting=Formatting(heading_level=2)))
            elif not markdown and _starts_section(lines, index):
                # a heading typed without a blank line around it: the text above is a paragraph of its own
                flush_paragraph()
                if _looks_like_heading(line):
                    blocks.append(Block(line.strip(), "heading", location=f"regel {number}",
                                        formatting=Formatting(heading_level=2)))
                else:  # "Wat moet u doen?": first line of the next paragraph, read as its heading
                    paragraph.append((number, line))
            else:
                if markdown:
                    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
                paragraph.append((number, line))
        flush_paragraph()

    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            chunk.append((number, line.rstrip()))
        else:
            flush()
    flush()
    return Document(blocks, source_name=name, source_format="markdown" if markdown else "text")


def read_text_file(data: bytes, name: str) -> Document:
    return document_from_text(decode(data, name), name)


def read_markdown_file(data: bytes, name: str) -> Document:
    return document_from_text(decode(data, name), name, markdown=True)


TEXT_FORMAT = InputFormat("text", (".txt", ".text", ""), read_text_file)
MARKDOWN_FORMAT = InputFormat("markdown", (".md", ".markdown"), read_markdown_file)
