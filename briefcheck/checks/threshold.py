"""Kind ``threshold``: a measured value of a sentence, paragraph or the whole letter above a limit."""
from __future__ import annotations

from . import Hit


def _sentence_words(analysis):
    for sentence in analysis.body_sentences:
        yield sentence.start, sentence.end, len(sentence.words)


def _paragraph_words(analysis):
    for _, block, doc in analysis.blocks:
        if block.kind in ("paragraph", "list_item", "table_cell", "text_box"):
            words = sum(1 for s in analysis.sentences if s.block is block for _ in s.words)
            yield block.start, block.end, words


def _paragraph_sentences(analysis):
    for _, block, doc in analysis.blocks:
        if block.kind in ("paragraph", "text_box"):
            count = sum(1 for s in analysis.sentences if s.block is block)
            yield block.start, block.end, count


def _document_words(analysis):
    if analysis.document.blocks:
        first, last = analysis.document.blocks[0], analysis.document.blocks[-1]
        yield first.start, last.end, len(analysis.words)


#: Metrics a threshold rule can name: what they count, over which span.
METRICS = {
    "sentence_words": _sentence_words,
    "paragraph_words": _paragraph_words,
    "paragraph_sentences": _paragraph_sentences,
    "document_words": _document_words,
}


def validate(rule) -> None:
    metric = rule.params.get("metric")
    if metric not in METRICS:
        raise ValueError(f"onbekende maat '{metric}' (kies uit {', '.join(METRICS)})")
    limits = rule.params.get("limits")
    if not isinstance(limits, dict) or not limits:
        raise ValueError("een drempelregel heeft 'limits' nodig, bijvoorbeeld {warning: 20, error: 30}")
    for severity, value in limits.items():
        if severity not in ("suggestion", "warning", "error") or not isinstance(value, (int, float)):
            raise ValueError(f"ongeldige grens '{severity}: {value}'")


def limits_for(rule, settings) -> dict[str, float]:
    """The rule's limits, with the organisation's own limits from briefcheck.toml on top."""
    limits = dict(rule.params["limits"])
    limits.update(settings.limits.get(rule.code, {}))
    return limits


def _suggestions(metric, analysis, start, end, advice) -> list:
    """Long sentences get a split into full sentences at the right joints (see suggest.py)."""
    if metric != "sentence_words":
        return []
    from ..suggest import sentence_split_suggestion

    sentence = next((s for s in analysis.body_sentences if s.start == start and s.end == end), None)
    split = sentence_split_suggestion(sentence, analysis.text, int(advice)) if sentence is not None else None
    return [split] if split else []


def run(rule, analysis, settings):
    limits = sorted(limits_for(rule, settings).items(), key=lambda item: item[1])
    advice = limits[0][1]
    metric = rule.params["metric"]
    for start, end, value in METRICS[metric](analysis):
        reached = [severity for severity, limit in limits if value > limit]
        if reached:
            yield Hit(start, end, value=value, limit=advice, severity=reached[-1],
                      suggestions=_suggestions(metric, analysis, start, end, advice))
