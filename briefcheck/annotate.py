"""Word comments on a report's findings: a copy of the .docx with a comment on exactly the words of
each finding (what is wrong, why, what is better).

Findings point into ``Report.text``: the letter's blocks joined by a blank line, in the reading
order of ``briefcheck.formats.docx``. To find the words back in the Word file, the document is
read again by that same reader, which here also remembers from which ``w:t`` element each piece of
text came. Runs are then split so that every finding starts and ends on a run boundary, and the
comment is anchored from the first to the last run of the finding (python-docx ``add_comment``).

Only the main text can carry comments: findings in headers, footers and text boxes, on merge
fields, or whose words cannot be found back exactly are skipped and counted. The input bytes are
never changed; everything happens in memory.
"""
from __future__ import annotations

import bisect
import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass, field

from .errors import InputError
from .findings import CATEGORY_LABELS, Finding

#: Block kinds whose text lives in the main story, where Word allows comments.
ANCHORABLE_KINDS = frozenset({"paragraph", "heading", "list_item", "table_cell"})
AUTHOR, INITIALS = "briefcheck", "BC"
ONLY_DOCX = ("Alleen een Word-document (.docx) kan opmerkingen krijgen. Sla de brief in Word op als "
             ".docx en probeer het opnieuw.")


@dataclass
class AnnotationResult:
    """The annotated document and how many findings got a comment."""

    data: bytes
    anchored: int
    skipped: int
    skipped_findings: list[int] = field(default_factory=list)  # indices into report.findings


def annotate_docx(data: bytes, report, rules=None) -> bytes:
    """A copy of the Word letter ``data`` with a Word comment on the words of each finding."""
    return annotate_docx_result(data, report, rules).data


def annotate_docx_result(data: bytes, report, rules=None, name: str = "brief.docx") -> AnnotationResult:
    """Like ``annotate_docx``, and tells how many findings were anchored and skipped."""
    import docx

    _check_package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError:  # a template (.dotx) or macro document (.docm): python-docx cannot add comments
        raise InputError(ONLY_DOCX) from None
    except Exception as error:
        from .formats.docx import CORRUPT

        raise InputError(CORRUPT) from error
    if rules is None:
        from .rules import get_rules

        rules = get_rules()

    findings = list(report.findings)
    layout = _Layout.read(document, name)
    targets: dict[int, tuple[_Piece, _Piece]] = {}
    for index, finding in enumerate(findings):
        ends = layout.ends_of(finding, report.text)
        if ends is not None:
            targets[index] = ends
    # Split the runs at every start and end, then read again: each finding now covers whole runs.
    splits: dict[int, tuple[object, set[int]]] = {}
    for first, last in targets.values():
        splits.setdefault(id(first.element), (first.element, set()))[1].add(first.offset)
        splits.setdefault(id(last.element), (last.element, set()))[1].add(last.offset + 1)
    for element, offsets in splits.values():
        for offset in sorted(offsets, reverse=True):
            _split_run(element, offset)
    after = _Layout.read(document, name)
    anchored, skipped = 0, []
    for index, finding in enumerate(findings):
        runs = after.runs_of(finding, report.text) if index in targets else None
        if runs is None:
            skipped.append(index)
            continue
        _add_comment(document, runs, finding, rules.get(finding.code) if rules is not None else None)
        anchored += 1
    out = io.BytesIO()
    document.save(out)
    return AnnotationResult(out.getvalue(), anchored, len(skipped), skipped)


def comment_paragraphs(finding: Finding, rule) -> list[str]:
    """The text of a finding's comment, one paragraph per item: what, why, better, rule."""
    category = CATEGORY_LABELS.get(finding.category, finding.category)
    lines = [f"{category}: {finding.message}"]
    why = getattr(rule, "why", "") if rule is not None else ""
    if why:
        lines.append("Waarom: " + " ".join(why.split()))
    replacements = [s.replacement for s in finding.suggestions if s.replacement.strip()]
    better = getattr(rule, "better", "") if rule is not None else ""
    if replacements:
        unique = list(dict.fromkeys(replacements))
        lines.append("Beter: " + " of ".join(f"'{r}'" for r in unique[:3]) + ".")
    elif better:
        lines.append("Beter: " + " ".join(better.split()))
    lines.append(f"({finding.code} {finding.name}, briefcheck)")
    return lines


# -- reading the letter again, with the origin of every piece of text ---------------------------------
@dataclass
class _Piece:
    """A stretch of document text that comes from one ``w:t`` element (``offset`` into its text)."""

    start: int  # in Report.text
    end: int
    element: object  # the w:t
    offset: int  # of ``start`` within the w:t's text
    anchorable: bool


class _Layout:
    """Where each character of the document text comes from."""

    def __init__(self, text: str, pieces: list[_Piece]):
        self.text = text
        self.pieces = sorted(pieces, key=lambda p: p.start)
        self.starts = [p.start for p in self.pieces]

    @classmethod
    def read(cls, document, name: str) -> "_Layout":
        reader = _tracking_reader_class()(document.part.package, name)
        read = reader.read()
        pieces = []
        for block_index, entries, kind in reader.block_maps:
            block = read.blocks[block_index]
            for start, end, element, offset in entries:
                pieces.append(_Piece(block.start + start, block.start + end, element, offset,
                                     kind in ANCHORABLE_KINDS and element.getparent() is not None
                                     and element.getparent().tag == _w("r")))
        return cls(read.text, pieces)

    def piece_at(self, offset: int) -> _Piece | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and self.pieces[i].start <= offset < self.pieces[i].end:
            return self.pieces[i]
        return None

    def ends_of(self, finding: Finding, report_text: str) -> tuple[_Piece, _Piece] | None:
        """The pieces holding the finding's first and last character, with ``offset`` set to those
        characters; None when the finding cannot be anchored exactly."""
        start, end = finding.start, finding.end
        if end <= start or self.text[start:end] != report_text[start:end] or report_text[start:end] != finding.text:
            return None
        first, last = self.piece_at(start), self.piece_at(end - 1)
        if first is None or last is None or not (first.anchorable and last.anchorable):
            return None
        return (_Piece(start, start + 1, first.element, first.offset + start - first.start, True),
                _Piece(end - 1, end, last.element, last.offset + end - 1 - last.start, True))

    def runs_of(self, finding: Finding, report_text: str) -> tuple[object, object] | None:
        """The first and last w:r of the finding, after splitting: they must start and end exactly
        at the finding's bounds."""
        ends = self.ends_of(finding, report_text)
        if ends is None:
            return None
        first, last = ends
        if first.offset != 0 or last.offset != len(last.element.text or "") - 1:
            return None
        first_run, last_run = first.element.getparent(), last.element.getparent()
        if _content(first_run)[0] is not first.element or _content(last_run)[-1] is not last.element:
            return None
        return first_run, last_run


_reader_class = None


def _tracking_reader_class():
    """A subclass of the .docx reader that records the w:t element behind every piece of text, so
    that offsets in the report map back to the XML in exactly the reader's order."""
    global _reader_class
    if _reader_class is not None:
        return _reader_class
    from .formats import docx as fmt

    class _Pieces(list):
        """A paragraph's pieces that remember, for each, the w:t it came from (None: no w:t)."""

        def __init__(self, reader, items=()):
            super().__init__(items)
            self.reader = reader
            self.origins = [None] * len(self)

        def append(self, item):
            super().append(item)
            self.origins.append(self.reader.current_text)

    class TrackingReader(fmt._Reader):
        def __init__(self, package, name):
            super().__init__(package, name)
            self.current_text = None
            self.block_maps: list[tuple[int, list[tuple[int, int, object, int]], str]] = []

        def _inline(self, parent, paragraph, style_id, fields):
            if not isinstance(paragraph.pieces, _Pieces):
                paragraph.pieces = _Pieces(self, paragraph.pieces)
            super()._inline(parent, paragraph, style_id, fields)

        def _run_content(self, run, paragraph, properties, fields):
            for child in run:  # one child at a time, so every piece is known by its element
                saved = self.current_text
                self.current_text = child if child.tag == fmt.W_T else None
                super()._run_content((child,), paragraph, properties, fields)
                self.current_text = saved

        def _block(self, kind, location, paragraphs):
            entries = _block_entries(paragraphs)
            count = len(self.blocks)
            index = super()._block(kind, location, paragraphs)
            if len(self.blocks) > count:
                self.block_maps.append((index, entries, kind))
            return index

    _reader_class = TrackingReader
    return TrackingReader


def _block_entries(paragraphs) -> list[tuple[int, int, object, int]]:
    """Offsets within the block of each piece that comes from a w:t, computed exactly as
    ``_Reader._block`` joins and strips the paragraphs."""
    text, entries = "", []
    started = False
    for paragraph in paragraphs:
        raw = paragraph.text
        stripped = raw.strip()
        if not stripped:
            continue
        if started:
            text += "\n"
        started = True
        shift = len(text) - (len(raw) - len(raw.lstrip()))
        position = 0
        origins = getattr(paragraph.pieces, "origins", None) or [None] * len(paragraph.pieces)
        for (piece, _), origin in zip(paragraph.pieces, origins):
            start = min(max(position + shift, len(text)), len(text) + len(stripped))
            end = min(max(position + len(piece) + shift, len(text)), len(text) + len(stripped))
            if end > start and origin is not None:
                entries.append((start, end, origin, start - (position + shift)))
            position += len(piece)
        text += stripped
    return entries


# -- splitting runs and adding comments -------------------------------------------------------------------
def _w(local: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + local


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _content(run) -> list:
    """The children of a w:r that hold content (everything except its properties)."""
    return [child for child in run if child.tag != _w("rPr")]


def _split_run(text_element, offset: int) -> None:
    """Split the run of ``text_element`` (a w:t) so that a new run starts at character ``offset``
    of that w:t. Nothing happens at a run boundary. The run's properties are copied."""
    from docx.oxml import OxmlElement

    run = text_element.getparent()
    if run is None or run.tag != _w("r"):
        return
    value = text_element.text or ""
    if 0 < offset < len(value):
        rest = deepcopy(text_element)
        text_element.text, rest.text = value[:offset], value[offset:]
        for element in (text_element, rest):
            element.set(_XML_SPACE, "preserve")
        text_element.addnext(rest)
        boundary = rest
    elif offset <= 0:
        boundary = text_element
    else:
        boundary = text_element.getnext()
    if boundary is None:
        return
    content = _content(run)
    if not content or content[0] is boundary:
        return
    new_run = OxmlElement("w:r")
    for key, value in run.attrib.items():
        new_run.set(key, value)
    properties = run.find(_w("rPr"))
    if properties is not None:
        new_run.append(deepcopy(properties))
    moving = []
    node = boundary
    while node is not None:
        moving.append(node)
        node = node.getnext()
    for node in moving:
        new_run.append(node)
    run.addnext(new_run)


def _add_comment(document, runs: tuple[object, object], finding: Finding, rule) -> None:
    from docx.text.run import Run

    first, last = (Run(r, document._body) for r in runs)
    paragraphs = comment_paragraphs(finding, rule)
    comment = document.add_comment([first, last], text=paragraphs[0], author=AUTHOR, initials=INITIALS)
    for line in paragraphs[1:]:
        comment.add_paragraph(line)


def _check_package(data: bytes, name: str) -> None:
    """The same container checks as reading the letter (zip bombs, DTDs, wrong file types)."""
    from .formats import docx as fmt

    fmt._check_signature(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            fmt._check_archive(archive, name)
    except InputError:
        raise
    except Exception as error:
        raise InputError(fmt.CORRUPT) from error
