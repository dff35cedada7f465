"""The source side of the data flow: a letter as a list of blocks with positions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["paragraph", "heading", "list_item", "table_cell", "header", "footer", "text_box"]

#: Blocks are joined with this separator in ``Document.text``; findings point into that text.
BLOCK_SEPARATOR = "\n\n"


@dataclass
class Formatting:
    """Formatting facts of a block, as far as the source format knows them (.docx does, text does not)."""

    style: str | None = None
    bold: bool | None = None  # every visible character bold
    italic: bool | None = None
    all_caps: bool | None = None
    size_pt: float | None = None  # smallest font size in the block
    alignment: str | None = None  # "left", "center", "right", "justify"
    font: str | None = None
    list_level: int | None = None
    numbered: bool | None = None  # numbered list (True) or bullets (False)
    heading_level: int | None = None
    bold_spans: list[tuple[int, int]] = field(default_factory=list)  # offsets within the block

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [])}


@dataclass
class Image:
    """A picture in the source, with its alternative text (None when there is none)."""

    name: str
    alt_text: str | None
    block_index: int | None = None


@dataclass
class Block:
    """One unit of text: a paragraph, heading, list item, table cell, header, footer or text box.

    ``start`` is the offset of the block in ``Document.text``; ``location`` says where it is in
    the source in words a user understands ("regel 12", "alinea 4", "tabel 1, rij 2").
    """

    text: str
    kind: BlockKind = "paragraph"
    start: int = 0
    location: str = ""
    formatting: Formatting = field(default_factory=Formatting)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_body(self) -> bool:
        return self.kind not in ("header", "footer")


@dataclass
class Document:
    """A letter read from a source: its blocks, images and layout facts."""

    blocks: list[Block]
    source_name: str = "<tekst>"
    source_format: str = "text"
    images: list[Image] = field(default_factory=list)
    layout_tables: int = 0  # tables that look like layout rather than data (.docx)

    def __post_init__(self) -> None:
        self.blocks = [b for b in self.blocks if b.text.strip()]
        offset = 0
        for block in self.blocks:
            block.start = offset
            offset += len(block.text) + len(BLOCK_SEPARATOR)

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(b.text for b in self.blocks)

    def block_at(self, offset: int) -> Block | None:
        for block in self.blocks:
            if block.start <= offset <= block.end:
                return block
        return None

    @classmethod
    def from_paragraphs(cls, paragraphs: list[str], **kwargs) -> "Document":
        return cls([Block(p) for p in paragraphs], **kwargs)
