"""The letter with its findings highlighted: escaped text segments with ``<mark>`` links.

Two layers, so that nothing nests in a way HTML forbids (a link inside a link):

* phrase findings (words, short phrases): a ``<mark>`` with a link to the finding's explanation,
  a category class (colour and underline style) and a visible category letter (the second cue);
* sentence findings (long spans, e.g. a long sentence): a wrapper ``<span>`` with a dotted line and
  a small link with the category letter before it.

Findings in one layer that overlap are shown as one highlight that leads to all of them. Findings
about the letter as a whole (``whole_letter``: no subject, no phone number) and findings without a
place in the text (empty span, or across paragraphs) are listed as general remarks.
Every piece of letter text goes through ``markupsafe.escape``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from briefcheck.findings import CATEGORY_LABELS, SEVERITY_LABELS, SEVERITY_RANK, Finding

#: Findings on spans up to this long are words or phrases; longer ones are about sentences.
PHRASE_CHARS = 60
#: Longer spans are about the letter as a whole: listed, not highlighted.
MAX_HIGHLIGHT_CHARS = 800

#: The visible second cue per category (a letter in a small badge), besides the colour.
CATEGORY_ICONS = {
    "woorden": "W", "zinnen": "Z", "toon": "T", "leesbaarheid": "L", "opbouw": "O",
    "opmaak": "B", "spelling": "S", "grammatica": "G", "stijl": "St",
}


def category_icon(category: str) -> str:
    return CATEGORY_ICONS.get(category, "?")


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.capitalize())


@dataclass
class Group:
    """Findings of one layer whose spans overlap, shown as one highlight."""

    id: str
    layer: str  # "phrase" or "sentence"
    start: int
    end: int
    findings: list[int] = field(default_factory=list)
    primary: int = 0  # the finding whose category the highlight shows


@dataclass
class Highlighted:
    html: Markup
    groups: list[Group]
    general: list[int]  # findings about the whole letter, or without a place in the text
    group_of: dict[int, str]  # finding index -> group id
    categories: list[str]  # categories that appear in the letter, in display order


def layer_of(finding: Finding, text: str) -> str:
    length = finding.end - finding.start
    if (finding.whole_letter or length <= 0 or finding.start < 0 or finding.end > len(text) or length > MAX_HIGHLIGHT_CHARS
            or "\n\n" in text[finding.start:finding.end]):
        return "general"
    return "phrase" if length <= PHRASE_CHARS else "sentence"


def _groups(findings: list[Finding], indices: list[int], layer: str) -> list[Group]:
    groups: list[Group] = []
    for index in sorted(indices, key=lambda i: (findings[i].start, findings[i].end)):
        f = findings[index]
        if groups and f.start < groups[-1].end:
            groups[-1].end = max(groups[-1].end, f.end)
            groups[-1].findings.append(index)
        else:
            groups.append(Group(f"{layer[0]}{len(groups) + 1}", layer, f.start, f.end, [index]))
    for group in groups:
        group.primary = max(group.findings, key=lambda i: (SEVERITY_RANK[findings[i].severity], -i))
    return groups


def highlight(text: str, findings: list[Finding]) -> Highlighted:
    layers: dict[str, list[int]] = {"phrase": [], "sentence": [], "general": []}
    for index, finding in enumerate(findings):
        layers[layer_of(finding, text)].append(index)
    phrase_groups = _groups(findings, layers["phrase"], "phrase")
    sentence_groups = _groups(findings, layers["sentence"], "sentence")
    group_of = {i: g.id for g in phrase_groups + sentence_groups for i in g.findings}

    cuts = {0, len(text)}
    for group in phrase_groups + sentence_groups:
        cuts.update((group.start, group.end))
    cuts_sorted = sorted(cuts)

    def covering(groups: list[Group]):
        """For each segment, the group of this layer that covers it (groups do not overlap)."""
        result, k = [], 0
        for a in cuts_sorted[:-1]:
            while k < len(groups) and groups[k].end <= a:
                k += 1
            result.append(groups[k] if k < len(groups) and groups[k].start <= a else None)
        return result

    phrase_at, sentence_at = covering(phrase_groups), covering(sentence_groups)
    out: list[str] = []
    open_sentence: Group | None = None
    open_phrase: Group | None = None
    marked: set[str] = set()

    def close_phrase(at: int) -> None:
        nonlocal open_phrase
        if open_phrase is not None:
            out.append(_phrase_close(open_phrase, findings, at >= open_phrase.end))
            open_phrase = None

    for n, a in enumerate(cuts_sorted[:-1]):
        b = cuts_sorted[n + 1]
        sentence, phrase = sentence_at[n], phrase_at[n]
        if sentence is not open_sentence:
            close_phrase(a)
            if open_sentence is not None:
                out.append("</span>")
            if sentence is not None:
                if sentence.id not in marked:
                    out.append(_sentence_marker(sentence, findings))
                    marked.add(sentence.id)
                f = findings[sentence.primary]
                out.append(f'<span class="zin cat-{_css(f.category)}" data-group="{sentence.id}">')
            open_sentence = sentence
        if phrase is not open_phrase:
            close_phrase(a)
            if phrase is not None:
                out.append(_phrase_open(phrase, findings))
            open_phrase = phrase
        out.append(str(escape(text[a:b])))
    close_phrase(len(text))
    if open_sentence is not None:
        out.append("</span>")

    seen: list[str] = []
    for index in sorted(group_of, key=lambda i: (findings[i].start, i)):
        if findings[index].category not in seen:
            seen.append(findings[index].category)
    return Highlighted(Markup("".join(out)), phrase_groups + sentence_groups, layers["general"], group_of, seen)


def _css(category: str) -> str:
    return "".join(ch for ch in category.lower() if ch.isalnum()) or "overig"


def _count(n: int) -> str:
    return "1 melding" if n == 1 else f"{n} meldingen"


def _phrase_open(group: Group, findings: list[Finding]) -> str:
    f = findings[group.primary]
    severity = f.severity if f.severity in SEVERITY_LABELS else "suggestion"
    indices = " ".join(str(i) for i in group.findings)
    return (f'<mark class="hl cat-{_css(f.category)} sev-{severity}" data-group="{group.id}">'
            f'<a class="hl-link" href="#bevinding-{group.primary}" data-group="{group.id}" '
            f'data-findings="{indices}">')


def _phrase_close(group: Group, findings: list[Finding], last_part: bool) -> str:
    if not last_part:
        return "</a></mark>"
    categories = list(dict.fromkeys(findings[i].category for i in group.findings))
    icons = " ".join(category_icon(c) for c in categories)
    labels = ", ".join(category_label(c).lower() for c in categories)
    return (f'<span class="hl-cue" aria-hidden="true">{escape(icons)}</span>'
            f'<span class="visually-hidden"> ({escape(labels)}: {_count(len(group.findings))})</span></a></mark>')


def _sentence_marker(group: Group, findings: list[Finding]) -> str:
    f = findings[group.primary]
    indices = " ".join(str(i) for i in group.findings)
    categories = list(dict.fromkeys(findings[i].category for i in group.findings))
    labels = ", ".join(category_label(c).lower() for c in categories)
    return (f'<a class="zin-knop cat-{_css(f.category)}" href="#bevinding-{group.primary}" '
            f'data-group="{group.id}" data-findings="{indices}">'
            f'<span aria-hidden="true">{escape(category_icon(f.category))}</span>'
            f'<span class="visually-hidden">Over de zin hierna ({escape(labels)}: '
            f'{_count(len(group.findings))})</span></a>')
