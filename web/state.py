"""The state of a results page, kept in the page itself (never on the server).

Without JavaScript, each "Overnemen" or "Negeren" posts the page's form back. The report is then
not computed again: it travels with the form, signed with the app's secret key (so the server can
trust its offsets) and compressed. The user's choices travel as plain form fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from briefcheck.findings import Report

#: How long a results page can be used to accept suggestions without checking the letter again.
STATE_MAX_AGE_SECONDS = 12 * 60 * 60


@dataclass
class PageState:
    report: Report
    annotated: dict[str, Any] | None = None  # {"token", "anchored", "skipped"} for an uploaded .docx
    chosen: dict[int, int] = field(default_factory=dict)  # finding -> suggestion
    ignored: set[int] = field(default_factory=set)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="briefcheck-uitslag")


def dump(state: PageState) -> str:
    return _serializer().dumps({"report": state.report.to_dict(), "annotated": state.annotated})


def load(value: str) -> tuple[Report, dict[str, Any] | None] | None:
    """The report and annotated-download info, or None when the value is missing, changed or old."""
    try:
        data = _serializer().loads(value, max_age=STATE_MAX_AGE_SECONDS)
        return Report.from_dict(data["report"]), data.get("annotated")
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def parse_choices(chosen: list[str], ignored: list[str], findings_count: int,
                  suggestion_counts: list[int]) -> tuple[dict[int, int], set[int]]:
    """Choices from form fields ("3:0" = suggestion 0 of finding 3; "5" = finding 5 ignored);
    anything malformed or out of range is dropped."""
    picked: dict[int, int] = {}
    for value in chosen:
        pair = _pair(value)
        if pair and 0 <= pair[0] < findings_count and 0 <= pair[1] < suggestion_counts[pair[0]]:
            picked[pair[0]] = pair[1]
    skipped = set()
    for value in ignored:
        if value.isdigit() and int(value) < findings_count:
            skipped.add(int(value))
    return picked, skipped - set(picked)


def _pair(value: str) -> tuple[int, int] | None:
    left, _, right = value.partition(":")
    if left.isdigit() and right.isdigit() and len(left) < 7 and len(right) < 4:
        return int(left), int(right)
    return None
