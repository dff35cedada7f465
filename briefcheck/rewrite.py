"""Applying suggestions: to a text, to a whole letter ("apply all", then check again), and to the
original .docx so its headings, bold, lists and merge fields stay.

Overlap policy of ``apply_suggestions`` (predictable, documented): the chosen suggestions are
taken in order of their start; of two that overlap, the one that starts earlier wins; at the same
start the wider one, then the more severe finding's, then the lower finding index. The loser is
not applied and is reported in ``skipped`` with the reason. A suggestion that would change a
number, date, amount, merge field, name or legal reference, or that crosses a block boundary, is
never applied either.
"""
from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field, replace

from .document import BLOCK_SEPARATOR, Block, Document
from .findings import SEVERITY_RANK, Finding, Report


@dataclass
class AppliedSuggestion:
    """A suggestion that was applied: where it was (old offsets), where its text is now."""

    finding_index: int
    suggestion_index: int
    code: str
    start: int
    end: int
    replacement: str
    description: str
    new_start: int = 0
    new_end: int = 0


@dataclass
class SkippedSuggestion:
    """A chosen suggestion that was not applied, and why (in Dutch)."""

    finding_index: int
    suggestion_index: int
    code: str
    reason: str


@dataclass
class RewriteResult:
    """The new text, what was applied and skipped, and the findings that remain (offsets in the new text)."""

    text: str
    applied: list[AppliedSuggestion] = field(default_factory=list)
    skipped: list[SkippedSuggestion] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _shift(position: int, edits: list[tuple[int, int, int]], side: str) -> int:
    """A position of the old text in the new text. ``edits`` are (start, end, new length), sorted;
    a position inside a replaced span goes to the start (side 'start') or end (side 'end') of the new text."""
    delta = 0
    for start, end, length in edits:
        if end <= position and not (start == end == position and side == "start"):
            delta += length - (end - start)
        elif start < position < end:
            return start + delta + (0 if side == "start" else length)
        elif start >= position:
            break
    return position + delta


def apply_suggestions(text: str, findings: list[Finding], chosen: list[tuple[int, int]] | None = None) -> RewriteResult:
    """Apply the chosen suggestions ((finding index, suggestion index) pairs; None = the first
    suggestion of every finding) to ``text`` and return the new text with the remaining findings
    moved to their new positions. See the module docstring for the overlap policy."""
    from .nlp import find_special_spans
    from .suggest import guard

    specials = [(s, e) for s, e, _ in find_special_spans(text)]
    if chosen is None:
        chosen = [(i, 0) for i, f in enumerate(findings) if f.suggestions]
    skipped: list[SkippedSuggestion] = []
    candidates = []
    for finding_index, suggestion_index in dict.fromkeys(chosen):
        if not (0 <= finding_index < len(findings)) or not (
                0 <= suggestion_index < len(findings[finding_index].suggestions)):
            code = findings[finding_index].code if 0 <= finding_index < len(findings) else "?"
            skipped.append(SkippedSuggestion(finding_index, suggestion_index, code, "Deze suggestie bestaat niet."))
            continue
        finding = findings[finding_index]
        suggestion = finding.suggestions[suggestion_index]
        if not (0 <= suggestion.start <= suggestion.end <= len(text)):
            skipped.append(SkippedSuggestion(finding_index, suggestion_index, finding.code,
                                             "De suggestie wijst buiten de tekst."))
            continue
        original = text[suggestion.start:suggestion.end]
        if BLOCK_SEPARATOR in original or "\n\n" in suggestion.replacement:
            skipped.append(SkippedSuggestion(finding_index, suggestion_index, finding.code,
                                             "De suggestie loopt over twee alinea's."))
            continue
        cut = any(s < suggestion.end and suggestion.start < e and not (suggestion.start <= s and e <= suggestion.end)
                  for s, e in specials)
        if cut or not guard(original, suggestion.replacement):
            skipped.append(SkippedSuggestion(
                finding_index, suggestion_index, finding.code,
                "De suggestie zou een getal, datum, bedrag, naamveld of wetsartikel veranderen."))
            continue
        candidates.append((finding_index, suggestion_index, finding, suggestion))
    candidates.sort(key=lambda c: (c[3].start, -(c[3].end - c[3].start), -SEVERITY_RANK.get(c[2].severity, 0),
                                   c[0], c[1]))
    accepted = []
    last_end = -1
    for finding_index, suggestion_index, finding, suggestion in candidates:
        if accepted and (suggestion.start < last_end or (suggestion.start == last_end == suggestion.end
                                                         and accepted[-1][3].start == suggestion.start)):
            winner = next(a for a in accepted if a[3].start <= suggestion.start < max(a[3].end, a[3].start + 1))
            skipped.append(SkippedSuggestion(
                finding_index, suggestion_index, finding.code,
                f"Overlapt met de suggestie van {winner[2].code} op '{text[winner[3].start:winner[3].end]}', "
                "die eerder begint en voorgaat."))
            continue
        accepted.append((finding_index, suggestion_index, finding, suggestion))
        last_end = max(last_end, suggestion.end)
    pieces, position, delta = [], 0, 0
    applied: list[AppliedSuggestion] = []
    edits: list[tuple[int, int, int]] = []
    for finding_index, suggestion_index, finding, suggestion in accepted:
        pieces.append(text[position:suggestion.start])
        pieces.append(suggestion.replacement)
        position = suggestion.end
        new_start = suggestion.start + delta
        delta += len(suggestion.replacement) - (suggestion.end - suggestion.start)
        applied.append(AppliedSuggestion(finding_index, suggestion_index, finding.code, suggestion.start,
                                         suggestion.end, suggestion.replacement, suggestion.description,
                                         new_start, new_start + len(suggestion.replacement)))
        edits.append((suggestion.start, suggestion.end, len(suggestion.replacement)))
    pieces.append(text[position:])
    new_text = "".join(pieces)
    resolved = {a.finding_index for a in applied}
    remaining = []
    for index, finding in enumerate(findings):
        if index in resolved:
            continue
        inside = any(s <= finding.start and finding.end <= e and (s, e) != (finding.start, finding.end) and s < e
                     for s, e, _ in edits)
        if inside:
            continue  # its words were rewritten by another suggestion: check the new text again
        start, end = _shift(finding.start, edits, "start"), _shift(finding.end, edits, "end")
        kept = [replace(s, start=_shift(s.start, edits, "start"), end=_shift(s.end, edits, "end"))
                for s in finding.suggestions
                if not any(a < s.end and s.start < b or (a == b and s.start < a < s.end) for a, b, _ in edits)]
        remaining.append(replace(finding, start=start, end=end, text=new_text[start:end], suggestions=kept))
    return RewriteResult(new_text, applied, skipped, remaining)


# -- whole letters ------------------------------------------------------------------------------------
@dataclass
class RewrittenDocument:
    """A letter before and after "apply all": block texts on both sides, both reports."""

    document: Document
    blocks_before: list[str]
    blocks_after: list[str]
    report_before: Report
    report_after: Report
    applied: list[AppliedSuggestion] = field(default_factory=list)
    skipped: list[SkippedSuggestion] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text


def _with_block_texts(document: Document, texts: list[str]) -> Document:
    blocks = []
    for block, text in zip(document.blocks, texts):
        formatting = replace(block.formatting, bold_spans=[]) if text != block.text else block.formatting
        blocks.append(Block(text, block.kind, location=block.location, formatting=formatting))
    return Document(blocks, source_name=document.source_name, source_format=document.source_format,
                    images=list(document.images), layout_tables=document.layout_tables)


def _block_texts(document: Document, result: RewriteResult, old_text: str) -> list[str]:
    """The new text of each block (suggestions never cross blocks); a block is never emptied."""
    texts = []
    for block in document.blocks:
        start = _shift(block.start, [(a.start, a.end, len(a.replacement)) for a in result.applied], "start")
        end = _shift(block.end, [(a.start, a.end, len(a.replacement)) for a in result.applied], "end")
        new = result.text[start:end].strip()
        texts.append(new if new else block.text)
    return texts


#: Rounds of "apply all, check again": a second and third round apply what overlapped a change
#: of the round before (a word swap inside a sentence that was split).
ROUNDS = 3


def rewrite_blocks(document: Document, settings=None, rules=None, with_details: bool = True,
                   rounds: int = ROUNDS) -> RewrittenDocument:
    """Apply all suggestions, check again, and repeat on what is left (``rounds`` in all)."""
    from .analyzer import analyze

    report_before = analyze(document, settings, rules, with_details)
    current, report = document, report_before
    texts = [b.text for b in document.blocks]
    applied: list[AppliedSuggestion] = []
    skipped: list[SkippedSuggestion] = []
    for _ in range(rounds):
        findings = _enriched(current, report)
        result = apply_suggestions(report.text, findings, None)
        applied += result.applied
        skipped += result.skipped
        if not result.applied:
            break
        texts = _block_texts(current, result, report.text)
        current = _with_block_texts(document, texts)
        report = analyze(current, settings, rules, with_details)
    return RewrittenDocument(current, [b.text for b in document.blocks], texts, report_before, report, applied, skipped)


def _enriched(document: Document, report: Report) -> list[Finding]:
    """Copies of the report's findings (analyze() already added the formula rewrites)."""
    return [replace(f, suggestions=list(f.suggestions)) for f in report.findings]


def rewrite_document(document: Document, settings=None, rules=None, with_details: bool = True,
                     rounds: int = ROUNDS) -> tuple[str, Report, Report]:
    """Apply all suggestions to a letter: (new text, report before, report after)."""
    rewritten = rewrite_blocks(document, settings, rules, with_details, rounds)
    return rewritten.text, rewritten.report_before, rewritten.report_after


# -- edits as small as possible ---------------------------------------------------------------------
_PIECE = re.compile(r"\s+|\w+|[^\w\s]")


def word_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits that turn ``old`` into ``new``, word by word, so that
    unchanged words (and their formatting in a .docx) stay untouched."""
    a, b = _PIECE.findall(old), _PIECE.findall(new)
    offsets = [0]
    for piece in a:
        offsets.append(offsets[-1] + len(piece))
    edits = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append((offsets[i1], offsets[i2], "".join(b[j1:j2])))
    return edits


def rewrite_text(original: str, rewritten: RewrittenDocument) -> str:
    """The original text file with the rewritten blocks put in its place, so bullets, headings
    and line breaks of the file stay. Falls back to the blocks joined by blank lines."""
    pieces, position = [], 0
    for before, after in zip(rewritten.blocks_before, rewritten.blocks_after):
        found = original.find(before, position)
        if found < 0:
            return _plain(rewritten)
        pieces.append(original[position:found])
        pieces.append(after)
        position = found + len(before)
    pieces.append(original[position:])
    return "".join(pieces)


def _plain(rewritten: RewrittenDocument) -> str:
    lines = []
    for block, text in zip(rewritten.document.blocks, rewritten.blocks_after):
        lines.append(("- " if block.kind == "list_item" else "") + text)
    return "\n\n".join(lines) + "\n"


# -- .docx ------------------------------------------------------------------------------------------
def rewrite_docx(data: bytes, settings=None, rules=None, name: str = "brief.docx", rounds: int = ROUNDS) -> bytes:
    """The .docx with all suggestions applied (see ``rewrite_docx_report``)."""
    return rewrite_docx_report(data, settings, rules, name, rounds)[0]


def rewrite_docx_report(data: bytes, settings=None, rules=None, name: str = "brief.docx",
                        rounds: int = ROUNDS) -> tuple[bytes, RewrittenDocument]:
    """Apply all suggestions inside the original .docx: text is replaced inside the runs (a change
    that spans runs goes into the first run, the others lose those characters), so paragraph
    styles (headings, lists), bold and italic of unchanged words stay; merge fields and other
    fields are never touched (a change that would touch one is left out). Returns the new .docx
    and the rewrite (reports before and after)."""
    from docx.package import Package

    from .formats import read_bytes

    document = read_bytes(data, name)
    rewritten = rewrite_blocks(document, settings, rules, rounds=rounds)
    pending: dict[str, list[list[tuple[int, int, str]]]] = {}
    for before, after in zip(rewritten.blocks_before, rewritten.blocks_after):
        if before == after:
            continue
        lines = before.split("\n")
        new_lines = after.split("\n")
        if len(lines) != len(new_lines):
            new_lines = [after.replace("\n", " ")] if len(lines) == 1 else None
            if new_lines is None:
                continue
        for line, new_line in zip(lines, new_lines):
            if line != new_line:
                pending.setdefault(line, []).append(word_edits(line, new_line))
    package = Package.open(io.BytesIO(data))
    for part in _text_parts(package):
        for paragraph in part.element.iter(_docx().W_P):
            chars, raw = _paragraph_chars(paragraph)
            key = raw.strip()
            if key in pending and pending[key]:
                edits = pending[key].pop(0)
                shift = len(raw) - len(raw.lstrip())
                _apply_in_runs(chars, [(s + shift, e + shift, r) for s, e, r in edits])
    out = io.BytesIO()
    package.save(out)
    return out.getvalue(), rewritten


def _docx():
    from .formats import docx

    return docx


def _text_parts(package):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    main = package.main_document_part
    parts = [main]
    for rel in main.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            parts.append(rel.target_part)
    return [p for p in parts if getattr(p, "element", None) is not None]


def _paragraph_chars(paragraph) -> tuple[list, str]:
    """The visible text of a w:p as the reader sees it, and for each character the (w:t element,
    index) it comes from, or None when it must not be edited (merge fields, other fields, tabs)."""
    d = _docx()
    chars: list = []
    text: list[str] = []

    def emit(value: str, source) -> None:
        for k, ch in enumerate(value):
            text.append(ch)
            chars.append((source, k) if source is not None else None)

    fields: list = []

    def place(done, outer, hidden: bool) -> None:
        if done.merge_name and not done.placed and d._visible(outer) and not hidden:
            emit(f"«{done.merge_name}»", None)
        done.placed = True

    def run(r) -> None:
        rpr = r.find(d.W_RPR)
        vanish = rpr.find(d._q("w:vanish")) if rpr is not None else None
        hidden = vanish is not None and d._on(vanish)
        for child in r:
            tag = child.tag
            if tag == d.W_FLDCHAR:
                kind = child.get(d.W_FLDCHARTYPE)
                if kind == "begin":
                    fields.append(d._Field())
                elif kind == "separate" and fields:
                    fields[-1].separated = True
                    fields[-1].merge_name = d._merge_name(fields[-1].instruction)
                    place(fields[-1], fields[:-1], hidden)
                elif kind == "end" and fields:
                    done = fields.pop()
                    done.merge_name = done.merge_name or d._merge_name(done.instruction)
                    place(done, fields, hidden)
            elif tag == d.W_INSTRTEXT:
                if fields and not fields[-1].separated:
                    fields[-1].instruction += child.text or ""
            elif not d._visible(fields) or hidden:
                continue
            elif tag == d.W_T:
                emit(child.text or "", None if fields else child)
            elif tag in d._SPACE_TAGS:
                emit(" ", None)
            elif tag == d.W_NOBREAKHYPHEN:
                emit("-", None)
            elif tag == d.W_SYM:
                code = d._int(child.get(d.W_CHAR), 16)
                emit(chr(code) if code and 32 <= code < 0xD800 else " ", None)

    def walk(parent, in_field: bool = False) -> None:
        for child in parent:
            tag = child.tag
            if tag == d.W_R:
                if in_field:
                    before = len(chars)
                    run(child)
                    for k in range(before, len(chars)):
                        chars[k] = None
                else:
                    run(child)
            elif tag == d.W_FLDSIMPLE:
                name = d._merge_name(child.get(d.W_INSTR) or "")
                if name is None:
                    walk(child, True)
                elif d._visible(fields):
                    emit(f"«{name}»", None)
            elif tag in d._INLINE_WRAPPERS:
                walk(child, in_field)
            elif tag == d.W_SDT:
                content = child.find(d.W_SDTCONTENT)
                if content is not None:
                    walk(content, in_field)

    walk(paragraph)
    return chars, "".join(text)


def _apply_in_runs(chars: list, edits: list[tuple[int, int, str]]) -> int:
    """Apply (start, end, replacement) edits to the w:t elements behind ``chars``, right to left;
    returns how many were applied (an edit that touches a field or tab is left out)."""
    done = 0
    for start, end, replacement in sorted(edits, key=lambda e: -e[0]):
        if start == end:
            anchor = chars[start - 1] if start > 0 and chars[start - 1] is not None else None
            after = False
            if anchor is not None:
                after = True
            elif start < len(chars) and chars[start] is not None:
                anchor = chars[start]
            if anchor is None:
                continue
            element, k = anchor
            position = k + 1 if after else k
            _set_text(element, element.text[:position] + replacement + element.text[position:])
            done += 1
            continue
        span = chars[start:end]
        if not span or any(c is None for c in span):
            continue
        groups: list[tuple[object, int, int]] = []
        for element, k in span:
            if groups and groups[-1][0] is element:
                groups[-1] = (element, groups[-1][1], k)
            else:
                groups.append((element, k, k))
        for number, (element, low, high) in reversed(list(enumerate(groups))):
            insert = replacement if number == 0 else ""
            _set_text(element, element.text[:low] + insert + element.text[high + 1:])
        done += 1
    return done


def _set_text(element, value: str) -> None:
    element.text = value
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


__all__ = ["AppliedSuggestion", "SkippedSuggestion", "RewriteResult", "RewrittenDocument", "apply_suggestions",
           "rewrite_blocks", "rewrite_document", "rewrite_docx", "rewrite_docx_report", "rewrite_text", "word_edits"]
