"""The core: document → parse → checks → report. Never prints; formatters live at the edge."""
from __future__ import annotations

import re

from .analysis import TextAnalysis
from .checks import run_rule
from .config import Settings
from .document import Document
from .findings import SEVERITY_RANK, Finding, Report, Suggestion, Verdict
from .nlp import get_nlp
from .rules import Rule, RuleSet, get_rules


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


class _Fields(dict):
    """Message fields; an unknown field stays visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def make_finding(rule: Rule, hit, analysis: TextAnalysis) -> Finding:
    text = analysis.text[hit.start:hit.end]
    fields = _Fields(value=_number(hit.value), limit=_number(hit.limit), match=text, **hit.fields)
    message = rule.message.format_map(fields)
    suggestions = list(hit.suggestions) or [
        Suggestion(hit.start, hit.end, r, f"Vervang '{text}' door '{r}'.") for r in hit.replacements
    ]
    block = analysis.document.block_at(hit.start)
    return Finding(
        code=rule.code, name=rule.name, category=rule.category, severity=hit.severity or rule.severity,
        message=re.sub(r"\s+", " ", message).strip(), start=hit.start, end=hit.end, text=text,
        suggestions=suggestions, value=hit.value, limit=hit.limit,
        location=block.location if block else "", help=f"briefcheck rules explain {rule.code}",
        whole_letter=hit.whole_letter,
    )


#: Findings on spans up to this long are about words or phrases (longer ones about sentences).
PHRASE_CHARS = 60
#: Categories of word-level advice, where two findings on the same words say the same thing.
WORD_ADVICE = frozenset({"woorden", "toon"})


def drop_contained(findings: list[Finding]) -> list[Finding]:
    """Two rules on the same words say one thing twice: a phrase finding that lies within another
    phrase finding (e.g. 'Naar aanleiding van' within 'Naar aanleiding van uw schrijven') is
    dropped; the more severe one, or on equal severity the wider one, stays. Only word advice
    (words, tone) is merged this way; a sentence finding never hides a word finding."""
    phrases = [f for f in findings if f.end - f.start <= PHRASE_CHARS and f.category in WORD_ADVICE]
    rank = lambda f: (SEVERITY_RANK[f.severity], f.end - f.start, bool(f.suggestions))
    dropped = set()
    for small in phrases:
        for big in phrases:
            if big is small or big.code == small.code or id(big) in dropped:
                continue
            if big.start <= small.start and small.end <= big.end and rank(big) > rank(small):
                dropped.add(id(small))
                break
    return [f for f in findings if id(f) not in dropped]


def drop_repeated_rare_words(findings: list[Finding], rules: list[Rule]) -> list[Finding]:
    """A rare-word finding on exactly the words of a long-word or spelling finding says nothing
    new: 'omgevingsvergunningaanvraag' is rare because it is long, 'kopeinden' because it is
    misspelled, and those findings say what to do. Without them the rare-word finding stays."""
    rare = {r.code for r in rules if r.params.get("detector") == "rare_word"}
    covering = {r.code for r in rules if r.params.get("detector") == "long_word"}
    covered = {(f.start, f.end) for f in findings if f.code in covering or f.category == "spelling"}
    return [f for f in findings if not (f.code in rare and (f.start, f.end) in covered)]


def run_checks(analysis: TextAnalysis, rules: list[Rule], settings: Settings) -> list[Finding]:
    findings = {}
    for rule in rules:
        for hit in run_rule(rule, analysis, settings):
            finding = make_finding(rule, hit, analysis)
            findings.setdefault((finding.code, finding.start, finding.end), finding)
    return sorted(drop_contained(list(findings.values())), key=lambda f: f.sort_key)


def evaluate_policy(findings: list[Finding], settings: Settings) -> Verdict:
    if settings.fail_on == "never":
        return Verdict(True, "never", [])
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = [f for f in findings if SEVERITY_RANK[f.severity] >= threshold]
    reasons = [f"{f.code} {f.place}: {f.message}" for f in failing]
    return Verdict(not failing, settings.fail_on, reasons)


def basic_metrics(analysis: TextAnalysis) -> dict:
    """Counts: all words of the body; sentences = full sentences of the text to read (not the
    address block, date line, salutation or signature)."""
    from .readability import reading_sentences

    sentences = reading_sentences(analysis)
    sentence_words = sum(len(s.words) for s in sentences)
    return {
        "words": len(analysis.words),
        "sentences": len(sentences),
        "paragraphs": sum(1 for b in analysis.document.blocks if b.kind == "paragraph"),
        "mean_sentence_words": round(sentence_words / len(sentences), 1) if sentences else None,
    }


#: Analyses that add structured details to the report (readability scores, tone profile,
#: anatomy checklist): key → "module:function", each called as function(analysis, settings) → dict.
DETAIL_ANALYSES = {
    "readability": "briefcheck.readability:readability_details",
    "tone": "briefcheck.tone:tone_details",
    "anatomy": "briefcheck.anatomy:anatomy_details",
}


def detail_analyses(analysis: TextAnalysis, settings: Settings) -> dict:
    import importlib
    import importlib.util

    details = {}
    for key, target in DETAIL_ANALYSES.items():
        module_name, function_name = target.split(":")
        if importlib.util.find_spec(module_name) is None:
            continue
        details[key] = getattr(importlib.import_module(module_name), function_name)(analysis, settings)
    return details


def analyze(document: Document, settings: Settings | None = None, rules: RuleSet | list[Rule] | None = None,
            with_details: bool = True) -> Report:
    """Check one letter and return its report (``with_details=False`` runs only the rules:
    no scores, profiles or spelling; the rule-example tests use that)."""
    settings = settings or Settings()
    if rules is None:
        rules = get_rules(settings.rule_files)
    rule_list = rules.rules if isinstance(rules, RuleSet) else list(rules)
    active = [r for r in rule_list if r.code not in settings.disabled]
    analysis = TextAnalysis.parse(document, get_nlp())
    findings = run_checks(analysis, active, settings)
    from .suggest import enrich_findings

    enrich_findings(findings, analysis)
    notices: list[str] = []
    if with_details:
        from .spelling import check_spelling

        spelling_findings, notices = check_spelling(analysis, settings)
        findings = sorted(findings + spelling_findings, key=lambda f: f.sort_key)
    findings = drop_repeated_rare_words(findings, active)
    return Report(
        source_name=document.source_name,
        source_format=document.source_format,
        text=analysis.text,
        findings=findings,
        metrics=basic_metrics(analysis),
        verdict=evaluate_policy(findings, settings),
        notices=notices,
        details=detail_analyses(analysis, settings) if with_details else {},
    )


def check_text(text: str, settings: Settings | None = None) -> Report:
    """Convenience: check pasted text."""
    from .formats import read_text

    return analyze(read_text(text), settings)
