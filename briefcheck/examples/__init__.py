"""The example letter that ships with briefcheck (written by the team), for a first run."""
from __future__ import annotations

from importlib.resources import files

from ..document import Document

EXAMPLE_NAME = "voorbeeldbrief.txt"


def example_text() -> str:
    return files(__package__).joinpath(EXAMPLE_NAME).read_text(encoding="utf-8")


def example_letter() -> Document:
    from ..formats.text import document_from_text

    return document_from_text(example_text(), EXAMPLE_NAME)
