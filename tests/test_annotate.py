"""Word comments on findings (briefcheck.annotate): exactly the finding's words, nothing changed."""
from __future__ import annotations

import hashlib
import io

import docx
import pytest
from docx.oxml.ns import qn

from briefcheck.annotate import annotate_docx, annotate_docx_result, comment_paragraphs
from briefcheck.errors import InputError
from briefcheck.findings import Finding, Report, Suggestion, Verdict
from briefcheck.formats import read_bytes


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter() -> bytes:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Gemeente Rivierstad thans"
    d.add_paragraph("Geachte heer Jansen,")
    p = d.add_paragraph()
    p.add_run("Wij hebben uw aanvraag ")
    bold = p.add_run("thans in behandeling")
    bold.bold = True
    p.add_run(" genomen, teneinde uw aanvraag te beoordelen.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 1).text = "Stuur alsmede een foto."
    d.add_paragraph("Hoogachtend,")
    return save(d)


def finding(text: str, word: str, nth: int = 0, code: str = "BC201", replacement: str | None = None,
            length: int | None = None) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    end = start + (len(word) if length is None else length)
    suggestions = [Suggestion(start, end, replacement, "")] if replacement else []
    return Finding(code=code, name="moeilijk-woord", category="woorden", severity="suggestion",
                   message=f"'{text[start:end]}' is een moeilijk woord.", start=start, end=end,
                   text=text[start:end], suggestions=suggestions)


def report(text: str, findings: list[Finding]) -> Report:
    return Report("brief.docx", "docx", text, findings, {"words": 0, "sentences": 0}, Verdict(True, "error"))


def comment_ranges(data: bytes) -> dict[int, str]:
    """The text each comment covers, by comment id, read from the XML of the main story."""
    body = docx.Document(io.BytesIO(data)).element.body
    open_ids: dict[str, list[str]] = {}
    done: dict[int, str] = {}
    for element in body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids[element.get(qn("w:id"))] = []
        elif element.tag == qn("w:commentRangeEnd"):
            key = element.get(qn("w:id"))
            done[int(key)] = "".join(open_ids.pop(key))
        elif element.tag == qn("w:t"):
            for parts in open_ids.values():
                parts.append(element.text or "")
    return done


def test_one_comment_per_finding_on_exactly_its_words():
    data = letter()
    text = read_bytes(data, "brief.docx").text
    findings = [
        finding(text, "thans", nth=1, replacement="nu"),  # inside a bold run, in the body (nth 0 is the header)
        finding(text, "teneinde", replacement="om"),  # in the middle of a plain run
        finding(text, "alsmede", replacement="ook"),  # in a table cell
        finding(text, "Wij hebben uw aanvraag thans", code="BC302"),  # across two runs
        finding(text, "Hoogachtend"),  # a whole run
    ]
    result = annotate_docx_result(data, report(text, findings))
    assert (result.anchored, result.skipped) == (5, 0)
    out = docx.Document(io.BytesIO(result.data))
    comments = list(out.comments)
    assert len(comments) == 5
    assert all(c.author == "briefcheck" and c.initials == "BC" for c in comments)
    ranges = comment_ranges(result.data)
    assert sorted(ranges.values()) == sorted(f.text for f in findings)
    by_text = {ranges[c.comment_id]: c.text for c in comments}
    assert "'teneinde' is een moeilijk woord." in by_text["teneinde"]
    assert "Beter: 'om'." in by_text["teneinde"]


def test_text_and_formatting_stay_the_same():
    data = letter()
    text = read_bytes(data, "brief.docx").text
    result = annotate_docx(data, report(text, [finding(text, "in behandeling"), finding(text, "uw", nth=0)]))
    assert read_bytes(result, "brief.docx").text == text
    paragraph = docx.Document(io.BytesIO(result)).paragraphs[1]
    bold = "".join(r.text for r in paragraph.runs if r.bold)
    assert bold == "thans in behandeling"  # the split runs keep their formatting


def test_unanchorable_findings_are_skipped_and_counted():
    data = letter()
    text = read_bytes(data, "brief.docx").text
    header = finding(text, "thans", nth=0)  # in the header: Word allows no comments there
    empty = finding(text, "Geachte", length=0)
    wrong = finding(text, "Geachte")
    wrong.text = "iets anders"  # does not match the letter: never guess
    body = finding(text, "Geachte")
    result = annotate_docx_result(data, report(text, [header, empty, wrong, body]))
    assert (result.anchored, result.skipped) == (1, 3)
    assert result.skipped_findings == [0, 1, 2]
    assert list(comment_ranges(result.data).values()) == ["Geachte"]


def test_overlapping_findings_each_get_a_comment():
    data = letter()
    text = read_bytes(data, "brief.docx").text
    outer = finding(text, "teneinde uw aanvraag te beoordelen", code="BC101")
    inner = finding(text, "uw aanvraag", nth=1)
    same = finding(text, "teneinde", code="BC303")
    result = annotate_docx_result(data, report(text, [outer, inner, same, finding(text, "teneinde")]))
    assert result.anchored == 4
    assert sorted(comment_ranges(result.data).values()) == sorted(
        ["teneinde uw aanvraag te beoordelen", "uw aanvraag", "teneinde", "teneinde"])


def test_original_bytes_are_not_changed():
    data = letter()
    before = hashlib.sha256(data).hexdigest()
    text = read_bytes(data, "brief.docx").text
    annotate_docx(data, report(text, [finding(text, "teneinde")]))
    assert hashlib.sha256(data).hexdigest() == before
    assert len(list(docx.Document(io.BytesIO(data)).comments)) == 0


def test_comment_text_has_what_why_and_better():
    from briefcheck.rules import get_rules

    rule = get_rules().get("BC201")
    f = Finding("BC201", "ambtelijk-woord", "woorden", "suggestion", "'thans' is een ambtelijk woord.", 0, 5,
                "thans", [Suggestion(0, 5, "nu", "")])
    lines = comment_paragraphs(f, rule)
    assert lines[0] == "Moeilijke woorden: 'thans' is een ambtelijk woord."
    assert lines[1].startswith("Waarom: ")
    assert "Beter: 'nu'." in lines
    assert lines[-1].startswith("(BC201")


def test_not_a_word_file_is_refused_in_dutch():
    with pytest.raises(InputError, match="geen Word-bestand"):
        annotate_docx(b"gewone tekst", report("gewone tekst", []))


def test_real_report_of_a_word_letter():
    """With the real analysis: every finding is anchored on exactly its words or counted as skipped."""
    from briefcheck.analyzer import analyze

    d = docx.Document()
    d.add_paragraph("Geachte heer/mevrouw,")
    p = d.add_paragraph()
    p.add_run("Naar aanleiding van uw schrijven ")
    p.add_run("inzake").bold = True
    p.add_run(" de aanvraag delen wij u mede dat uw aanvraag thans wordt getoetst aan het vigerende plan.")
    d.add_paragraph("Hoogachtend,")
    data = save(d)
    rep = analyze(read_bytes(data, "brief.docx"))
    assert rep.findings
    result = annotate_docx_result(data, rep)
    assert result.anchored + result.skipped == len(rep.findings)
    assert result.anchored >= len(rep.findings) - 1
    ranges = comment_ranges(result.data)
    anchored = [f for i, f in enumerate(rep.findings) if i not in result.skipped_findings]
    assert sorted(ranges.values()) == sorted(f.text for f in anchored)
