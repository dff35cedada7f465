"""Findings, suggestions and the report: what the checks produce and the formatters show."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["suggestion", "warning", "error"]
SEVERITY_RANK: dict[str, int] = {"suggestion": 1, "warning": 2, "error": 3}

#: Version of the report's JSON schema (briefcheck/schema/report.schema.json). Bump on any change.
REPORT_SCHEMA_VERSION = "1.1"

#: Dutch labels of the categories, for users.
CATEGORY_LABELS = {
    "leesbaarheid": "Leesbaarheid",
    "woorden": "Moeilijke woorden",
    "zinnen": "Zinsbouw",
    "toon": "Toon",
    "opbouw": "Opbouw van de brief",
    "opmaak": "Opmaak en beeld",
    "spelling": "Spelling",
    "grammatica": "Grammatica",
    "stijl": "Stijl",
}

SEVERITY_LABELS = {"suggestion": "tip", "warning": "waarschuwing", "error": "fout"}


@dataclass
class Suggestion:
    """A concrete replacement for an exact span of ``Report.text``."""

    start: int
    end: int
    replacement: str
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    """One thing to improve, from one rule, at one place in the letter."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    text: str
    suggestions: list[Suggestion] = field(default_factory=list)
    value: float | None = None  # the measured value, where the rule measures one
    limit: float | None = None
    location: str = ""
    help: str = ""  # how to read the rule's explanation
    # about the letter as a whole (something it lacks): start/end only say where a comment goes
    whole_letter: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["suggestions"] = [s.to_dict() for s in self.suggestions]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        data = dict(data)
        data["suggestions"] = [Suggestion(**s) for s in data.get("suggestions", [])]
        return cls(**data)

    @property
    def place(self) -> str:
        """Where, in Dutch: 'hele brief' for a finding about the whole letter, else its location."""
        return WHOLE_LETTER if self.whole_letter else self.location

    @property
    def sort_key(self) -> tuple:
        return (self.start, self.end, self.code)


#: How a finding about the letter as a whole says where it is.
WHOLE_LETTER = "hele brief"


def place_of(finding: dict[str, Any]) -> str:
    """``Finding.place`` for a finding as a dict (a stored report)."""
    return WHOLE_LETTER if finding.get("whole_letter") else finding.get("location", "")


@dataclass
class Verdict:
    """Whether the letter passes the policy, and why not."""

    passed: bool
    fail_on: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The result of checking one letter."""

    source_name: str
    source_format: str
    text: str
    findings: list[Finding]
    metrics: dict[str, Any]
    verdict: Verdict
    notices: list[str] = field(default_factory=list)  # things the user should know (e.g. spelling not checked)
    details: dict[str, Any] = field(default_factory=dict)  # structured analyses (readability, tone, anatomy)

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITY_RANK}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": REPORT_SCHEMA_VERSION,
            "source": {"name": self.source_name, "format": self.source_format},
            "text": self.text,
            "verdict": asdict(self.verdict),
            "counts": self.counts(),
            "metrics": self.metrics,
            "details": self.details,
            "notices": list(self.notices),
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        return cls(
            source_name=data["source"]["name"],
            source_format=data["source"]["format"],
            text=data["text"],
            findings=[Finding.from_dict(f) for f in data["findings"]],
            metrics=data["metrics"],
            verdict=Verdict(**data["verdict"]),
            notices=list(data.get("notices", [])),
            details=data.get("details", {}),
        )
