"""Input formats are plugins: each turns the bytes of a file into a ``Document``.

Formats are registered under the entry point group ``briefcheck.formats`` (see pyproject.toml);
an organisation can add its own by publishing a package with such an entry point. The core
never imports a format's dependencies (python-docx) itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Callable, Protocol

from ..document import Document
from ..errors import InputError

ENTRY_POINT_GROUP = "briefcheck.formats"

#: Largest input file we read, in bytes (documented in README.md).
MAX_FILE_BYTES = 60 * 1024 * 1024
#: Largest text we analyse, in characters (documented in README.md).
MAX_TEXT_CHARS = 1_000_000


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
        raise InputError(
            f"Het bestand is te groot ({len(data) / 1024 / 1024:.0f} MB). "
            f"briefcheck leest bestanden tot {MAX_FILE_BYTES // 1024 // 1024} MB."
        )
    fmt = available_formats()[format_name] if format_name else format_for(name)
    document = fmt.read(data, name)
    total = sum(len(b.text) for b in document.blocks)
    if total > MAX_TEXT_CHARS:
        raise InputError(
            f"De tekst is te lang ({total:,} tekens). briefcheck controleert brieven tot "
            f"{MAX_TEXT_CHARS:,} tekens.".replace(",", ".")
        )
    if not any(b.text.strip() for b in document.blocks):
        raise InputError("Er staat geen tekst in dit bestand. Controleer of u het goede bestand heeft gekozen.")
    return document


def read_path(path: str | Path) -> Document:
    """Read a document from a file on disk (never written to)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Het bestand {path.name} bestaat niet.") from None
    except IsADirectoryError:
        raise InputError(f"{path.name} is een map, geen bestand.") from None
    except OSError as error:
        raise InputError(f"Het bestand {path.name} kan niet worden geopend ({error.strerror}).") from None
    return read_bytes(data, path.name)


def read_text(text: str, name: str = "<tekst>") -> Document:
    """Read a document from text that is already decoded (pasted text)."""
    from .text import document_from_text

    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"De tekst is te lang ({len(text):,} tekens). briefcheck controleert brieven tot "
            f"{MAX_TEXT_CHARS:,} tekens.".replace(",", ".")
        )
    document = document_from_text(text, name)
    if not document.blocks:
        raise InputError("Er is geen tekst om te controleren.")
    return document
