"""Input formats are plugins: each turns the bytes of a file into a ``Document``.

Formats are registered under the entry point group ``briefcheck.formats`` (see pyproject.toml);
an organisation can add its own by publishing a package with such an entry point. The core
never imports a format's dependencies (python-docx) itself.
"""
from __future__ import annotations

import errno
import re
import stat
import unicodedata
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable, Protocol

from ..document import Document
from ..errors import InputError

ENTRY_POINT_GROUP = "briefcheck.formats"

#: Largest input file we read, in bytes (documented in README.md).
MAX_FILE_BYTES = 60 * 1024 * 1024
#: Largest text we analyse, in characters (documented in README.md): about 15,000 words, far more
#: than any letter. The analysis takes time and memory that grow faster than the text: measured on
#: one core, 92,000 characters of letter text took 4.5 s and 340 MB, 250,000 took 18 s and 590 MB,
#: and 60,000 characters without a full stop 10 s. The earlier limit of 1,000,000 characters would
#: have taken minutes and gigabytes (and in the web app, held up every other letter meanwhile).
MAX_TEXT_CHARS = 100_000
#: Most blocks (paragraphs, list items, table cells, ...) we analyse: some checks compare every
#: block with every sentence, so 20,000 one-word paragraphs would take minutes (5,000 take ~8 s).
MAX_BLOCKS = 5_000


_SURROGATE = re.compile("[\ud800-\udfff]")


class Reader(Protocol):
    def __call__(self, data: bytes, name: str) -> Document: ...


@dataclass(frozen=True)
class InputFormat:
    """A registered input format: its name, file extensions and reader."""

    name: str
    extensions: tuple[str, ...]
    read: Reader


_formats: dict[str, InputFormat] | None = None
#: Plugins that failed to load, by entry point name, with the reason (for developers).
plugin_errors: dict[str, str] = {}


def available_formats() -> dict[str, InputFormat]:
    """All registered formats by name, loaded from the entry points once."""
    global _formats
    if _formats is None:
        found: dict[str, InputFormat] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                fmt = ep.load()
            except Exception as error:  # one broken plugin must not stop the others
                plugin_errors[ep.name] = f"{ep.value}: {error!r}"
                continue
            found[fmt.name] = fmt
        _formats = found
    return _formats


def format_for(name: str) -> InputFormat:
    """The format that reads a file called ``name`` (by its extension); text when unknown."""
    suffix = Path(name).suffix.lower()
    formats = available_formats()
    for fmt in formats.values():
        if suffix in fmt.extensions:
            return fmt
    if suffix in (".doc", ".odt", ".rtf", ".pdf", ".xls", ".xlsx", ".pptx"):
        raise InputError(
            f"Het bestandstype {suffix} kan briefcheck niet lezen. "
            "Sla de brief op als Word-bestand (.docx) of als tekst (.txt) en probeer het opnieuw."
        )
    return formats["text"]


def read_bytes(data: bytes, name: str = "<tekst>", format_name: str | None = None) -> Document:
    """Read a document from bytes; raises InputError with a Dutch message for bad input."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    fmt = available_formats()[format_name] if format_name else format_for(name)
    document = fmt.read(data, name)
    if not any(_visible(b.text) for b in document.blocks):
        raise InputError("Er staat geen tekst in dit bestand. Controleer of u het goede bestand heeft gekozen.")
    return _within_limits(document)


def _visible(text: str) -> bool:
    """Whether the text has a character a reader sees: a letter, digit, punctuation mark or symbol
    (not only spaces, zero-width characters, direction marks or other control characters)."""
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in text)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _within_limits(document: Document) -> Document:
    """The document, or an InputError when it is too long to check in reasonable time and memory."""
    total = sum(len(b.text) for b in document.blocks)
    if total > MAX_TEXT_CHARS:
        raise InputError(
            f"De tekst is te lang ({_number(total)} tekens). briefcheck controleert brieven tot "
            f"{_number(MAX_TEXT_CHARS)} tekens. Controleer de brief in delen."
        )
    if len(document.blocks) > MAX_BLOCKS:
        raise InputError(
            f"De brief heeft te veel alinea's ({_number(len(document.blocks))}). briefcheck controleert brieven "
            f"tot {_number(MAX_BLOCKS)} alinea's. Controleer of u het goede bestand heeft gekozen, of controleer "
            "de brief in delen."
        )
    return document


def _too_large(size: int) -> InputError:
    return InputError(
        f"Het bestand is te groot ({size / 1024 / 1024:.0f} MB). "
        f"briefcheck leest bestanden tot {MAX_FILE_BYTES // 1024 // 1024} MB."
    )


def _open_error(name: str, error: OSError) -> InputError:
    """A Dutch message for a file that cannot be opened (``strerror`` is English, so never shown)."""
    if isinstance(error, FileNotFoundError):
        return InputError(f"Het bestand {name} bestaat niet.")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{name} is een map, geen bestand.")
    if isinstance(error, PermissionError):
        return InputError(f"U mag het bestand {name} niet lezen (geen toestemming). "
                          "Vraag de eigenaar van het bestand om leesrechten, of kies een ander bestand.")
    if error.errno == errno.ELOOP:
        return InputError(f"{name} is een snelkoppeling die naar zichzelf verwijst. Kies het bestand zelf.")
    if error.errno == errno.ENAMETOOLONG:
        return InputError("De naam of het pad van het bestand is te lang. Kies een bestand met een kortere naam.")
    return InputError(f"Het bestand {name} kan niet worden geopend. Controleer of het bestaat en of u het mag lezen.")


def read_path(path: str | Path) -> Document:
    """Read a document from a file on disk (never written to).

    Only regular files are read: a directory, a named pipe or a device such as /dev/zero is
    refused before it is opened (reading one could block or never end), and a file above
    ``MAX_FILE_BYTES`` is refused by its size, without reading it.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name} is een map, geen bestand.")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name} is geen gewoon bestand (maar bijvoorbeeld een apparaat of een pijp). "
                             "Kies het bestand van de brief (.docx, .txt of .md).")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as error:
        raise _open_error(name, error) from None
    return read_bytes(data, path.name)


def read_text(text: str, name: str = "<tekst>") -> Document:
    """Read a document from text that is already decoded (pasted text)."""
    from .text import document_from_text

    # Lone surrogates (JSON allows "\ud800") cannot be written as UTF-8: the report could not be
    # sent or saved. They are no text anyway: show them as the replacement character.
    text = _SURROGATE.sub("\ufffd", text)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"De tekst is te lang ({_number(len(text))} tekens). briefcheck controleert brieven tot "
            f"{_number(MAX_TEXT_CHARS)} tekens. Controleer de brief in delen."
        )
    document = document_from_text(text, name)
    if not any(_visible(b.text) for b in document.blocks):
        raise InputError("Er is geen tekst om te controleren.")
    return _within_limits(document)
