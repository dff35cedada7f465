"""What the results page shows, prepared from a report (no HTML here except the highlighted letter)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefcheck.config import Settings
from briefcheck.findings import SEVERITY_LABELS, Report

from . import service
from .highlight import category_icon, category_label, highlight, _css
from .state import PageState

#: LiNT-II levels (1 = easiest) in words.
LINT_LEVELS = {1: "makkelijk", 2: "vrij makkelijk", 3: "vrij moeilijk", 4: "moeilijk"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


def number(value: Any, decimals: int = 1) -> str:
    """A number the Dutch way: decimal comma, no needless ",0"."""
    if value is None:
        return "–"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.{decimals}f}".replace(".", ",")


@dataclass
class Card:
    """One finding as the page shows it."""

    index: int
    finding: Any
    category: str
    category_css: str
    category_label: str
    icon: str
    severity_label: str
    rule: dict[str, Any] | None
    group: str | None
    chosen: int | None = None  # index of the accepted suggestion
    ignored: bool = False
    skipped_reason: str = ""  # why the accepted suggestion could not be applied
    same_kind: int = 0  # findings of this rule with a suggestion (for "alle ... overnemen")
    general: bool = False


@dataclass
class ResultsView:
    report: Report
    data: dict[str, Any]  # for the page's JavaScript
    letter: Any  # the highlighted letter (Markup)
    legend: list[dict[str, str]]
    cards: list[Card]
    general: list[Card]
    rewritten: str
    applied: int
    summary: dict[str, Any]
    tone: dict[str, Any] | None
    anatomy: list[dict[str, Any]]
    anatomy_notes: list[str]
    annotated: dict[str, Any] | None
    state: str
    chosen_values: list[str] = field(default_factory=list)
    ignored_values: list[str] = field(default_factory=list)


def build(page: PageState, settings: Settings, state_value: str) -> ResultsView:
    report = page.report
    findings = report.findings
    marked = highlight(report.text, findings)
    rewrite = service.rewrite(report.text, findings, sorted(page.chosen.items()))
    skipped = {item["finding"]: item.get("reason", "") for item in rewrite["skipped"]}
    with_suggestions: dict[str, int] = {}
    for f in findings:
        if f.suggestions:
            with_suggestions[f.code] = with_suggestions.get(f.code, 0) + 1
    cards, general = [], []
    rules: dict[str, Any] = {}
    general_set = set(marked.general)
    for index, f in enumerate(findings):
        if f.code not in rules:
            rules[f.code] = service.rule_info(f.code, settings)
        card = Card(
            index=index, finding=f, category=f.category, category_css=_css(f.category),
            category_label=category_label(f.category), icon=category_icon(f.category),
            severity_label=SEVERITY_LABELS.get(f.severity, f.severity), rule=rules[f.code],
            group=marked.group_of.get(index), chosen=page.chosen.get(index), ignored=index in page.ignored,
            skipped_reason=skipped.get(index, "") if index in page.chosen else "",
            same_kind=with_suggestions.get(f.code, 0), general=index in general_set,
        )
        (general if card.general else cards).append(card)
    general.sort(key=lambda c: (SEVERITY_ORDER.get(c.finding.severity, 3), c.index))
    return ResultsView(
        report=report,
        data={
            "text": report.text,
            "findings": [f.to_dict() for f in findings],
            "chosen": [[i, j] for i, j in sorted(page.chosen.items())],
            "ignored": sorted(page.ignored),
        },
        letter=marked.html,
        legend=[{"category": c, "css": _css(c), "label": category_label(c), "icon": category_icon(c)}
                for c in marked.categories],
        cards=cards,
        general=general,
        rewritten=rewrite["text"],
        applied=len(rewrite["applied"]),
        summary=summary(report),
        tone=tone_view(report.details.get("tone")),
        anatomy=anatomy_view(report.details.get("anatomy"))[0],
        anatomy_notes=anatomy_view(report.details.get("anatomy"))[1],
        annotated=page.annotated,
        state=state_value,
        chosen_values=[f"{i}:{j}" for i, j in sorted(page.chosen.items())],
        ignored_values=[str(i) for i in sorted(page.ignored)],
    )


def summary(report: Report) -> dict[str, Any]:
    readability = _dict(report.details.get("readability"))
    lint = _dict(readability.get("lint"))
    cefr = _dict(readability.get("cefr"))
    b1 = _dict(cefr.get("b1"))
    level = lint.get("level")
    counts = report.counts()
    return {
        "b1_passed": b1.get("passed"),
        "b1_verdict": b1.get("verdict") or "",
        "b1_reasons": [str(r) for r in b1.get("reasons", []) if r] if isinstance(b1.get("reasons"), list) else [],
        "cefr_level": cefr.get("level"),
        "lint_level": level,
        "lint_words": LINT_LEVELS.get(level, "") if isinstance(level, int) else "",
        "lint_score": number(lint.get("score")),
        "struggling": lint.get("struggling_share"),
        "flesch_douma": number(readability.get("flesch_douma")),
        "passed": report.verdict.passed,
        "fail_on": SEVERITY_LABELS.get(report.verdict.fail_on, report.verdict.fail_on),
        "never": report.verdict.fail_on == "never",
        "reasons": list(report.verdict.reasons),
        "counts": counts,
        "total": sum(counts.values()),
        "words": report.metrics.get("words"),
        "sentences": report.metrics.get("sentences"),
        "mean_sentence_words": number(report.metrics.get("mean_sentence_words")),
    }


def tone_view(tone: Any) -> dict[str, Any] | None:
    tone = _dict(tone)
    scores = _dict(tone.get("scores"))
    if not scores:
        return None
    dimensions = _dict(tone.get("dimensions"))
    rows = []
    for key, score in scores.items():
        info = _dict(dimensions.get(key))
        try:
            value = max(0, min(100, int(round(float(score)))))
        except (TypeError, ValueError):
            continue
        rows.append({
            "key": key, "score": value, "position": int(round(value / 5.0)) * 5,
            "high": str(info.get("high") or key), "low": str(info.get("low") or ""),
        })
    letter_type = _dict(tone.get("letter_type"))
    checks = [c for c in tone.get("checks", []) if isinstance(c, dict)] if isinstance(tone.get("checks"), list) else []
    advice = tone.get("advice") if isinstance(tone.get("advice"), list) else []
    return {
        "rows": rows,
        "letter_type": letter_type.get("label"),
        "confidence": round(float(letter_type.get("confidence") or 0) * 100) if letter_type else None,
        "checks": [{"ok": bool(c.get("ok")), "note": str(c.get("note") or "")} for c in checks],
        "advice": [_text(a) for a in advice if _text(a)],
    }


#: Lists in the anatomy details: key -> (title, kind). "items": parts the letter should have
#: (present or missing); "visual": visual cues (in order or could be better).
_ANATOMY_LISTS = {
    "items": ("Onderdelen van de brief", "items"),
    "checklist": ("Onderdelen van de brief", "items"),
    "visual": ("Beeld en opmaak", "visual"),
    "visual_cues": ("Beeld en opmaak", "visual"),
    "cues": ("Beeld en opmaak", "visual"),
}


def anatomy_view(anatomy: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The anatomy checklist and visual cues, whatever shape they come in: a list of items, or a
    dict with lists of items. Each item is shown with its label, a status (icon and words, not
    colour alone), where it is and the advice."""
    sections: list[dict[str, Any]] = []
    notes: list[str] = []
    if isinstance(anatomy, list):
        sections.append({"title": "Onderdelen van de brief", "items": _items(anatomy, "items")})
    elif isinstance(anatomy, dict):
        for key, value in anatomy.items():
            if key in _ANATOMY_LISTS and isinstance(value, list):
                title, kind = _ANATOMY_LISTS[key]
                sections.append({"title": title, "items": _items(value, kind)})
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                sections.append({"title": str(key).replace("_", " ").capitalize(), "items": _items(value, "items")})
            elif key in ("summary", "advice", "notes") and isinstance(value, list):
                notes += [_text(v) for v in value if _text(v)]
            elif key in ("summary", "advice") and isinstance(value, str):
                notes.append(value)
    return [s for s in sections if s["items"]], notes


def _items(values: list, kind: str) -> list[dict[str, Any]]:
    items = []
    for value in values:
        if not isinstance(value, dict):
            if _text(value):
                items.append({"label": _text(value), "status": "neutraal", "state": "", "where": "", "advice": ""})
            continue
        if value.get("applies") is False:
            continue  # a visual cue that does not apply to this letter
        label = _text(value.get("label") or value.get("name") or value.get("key") or "")
        if kind == "visual":
            ok = value.get("ok", value.get("present"))
            status, state = {True: ("ok", "in orde"), False: ("niet-ok", "kan beter")}.get(
                ok if isinstance(ok, bool) else None, ("neutraal", ""))
        else:
            present = value.get("present", value.get("ok"))
            required = value.get("required", True)
            if present is True:
                status, state = "ok", "staat erin"
            elif present is False and required is not False:
                status, state = "niet-ok", "ontbreekt"
            elif present is False:
                status, state = "neutraal", "staat er niet in (niet verplicht)"
            else:
                status, state = "neutraal", ""
        advice = _text(value.get("advice")) if status != "ok" or kind == "visual" else ""
        items.append({"label": label, "status": status, "state": state,
                      "where": _where(value.get("where")), "advice": advice})
    return [i for i in items if i["label"]]


def _where(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("location") or value.get("text") or "")
    if isinstance(value, list):
        return ", ".join(w for w in (_where(v) for v in value) if w)
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("text") or value.get("note") or value.get("advice") or value.get("message") or "")
    if isinstance(value, (int, float)):
        return str(value)
    return ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
