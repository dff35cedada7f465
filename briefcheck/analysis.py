"""The parsed letter: each block's spaCy Doc, its sentences and words, with absolute offsets."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .document import Block, Document
from .nlp import find_special_spans

#: Special tokens that are not words of the writer (never difficult, never misspelled).
NON_WORD_SPECIALS = frozenset({"placeholder", "email", "url"})


def is_word(token) -> bool:
    """A token that counts as a word in lengths: not punctuation, not white space."""
    return not (token.is_punct or token.is_space) and any(ch.isalnum() for ch in token.text)


def is_writers_word(token) -> bool:
    """A word written by the letter's author: not a merge field, number, address, amount, ..."""
    return is_word(token) and token._.special is None and not token.like_num


@dataclass
class Sentence:
    """A sentence of one block, with its offsets in ``Document.text``."""

    span: object  # spacy.tokens.Span
    block: Block
    block_index: int

    @property
    def start(self) -> int:
        return self.block.start + self.span.start_char

    @property
    def end(self) -> int:
        text = self.span.text
        return self.block.start + self.span.start_char + len(text.rstrip())

    @property
    def text(self) -> str:
        return self.span.text.rstrip()

    @cached_property
    def words(self) -> list:
        return [t for t in self.span if is_word(t)]


class TextAnalysis:
    """A document together with one parsed spaCy Doc per block."""

    def __init__(self, document: Document, docs: list):
        self.document = document
        self.docs = docs
        self.text = document.text

    @classmethod
    def parse(cls, document: Document, nlp) -> "TextAnalysis":
        return cls(document, list(nlp.pipe(b.text for b in document.blocks)))

    @cached_property
    def blocks(self) -> list[tuple[int, Block, object]]:
        return [(i, block, doc) for i, (block, doc) in enumerate(zip(self.document.blocks, self.docs))]

    @cached_property
    def sentences(self) -> list[Sentence]:
        result = []
        for index, block, doc in self.blocks:
            for span in doc.sents:
                if any(is_word(t) for t in span):
                    result.append(Sentence(span, block, index))
        return result

    @cached_property
    def body_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.block.is_body]

    @cached_property
    def words(self) -> list:
        return [t for _, block, doc in self.blocks if block.is_body for t in doc if is_word(t)]

    def protected_spans(self, block: Block) -> list[tuple[int, int]]:
        """Offsets (in the block) of merge fields, e-mail addresses and URLs: no finding of their own."""
        cache = self.__dict__.setdefault("_protected", {})
        if block.start not in cache:
            cache[block.start] = [(s, e) for s, e, kind in find_special_spans(block.text) if kind in NON_WORD_SPECIALS]
        return cache[block.start]

    def token_span(self, block: Block, first, last) -> tuple[int, int]:
        """Absolute (start, end) of the tokens first..last (inclusive) of a block."""
        return block.start + first.idx, block.start + last.idx + len(last.text)
