"""The OpenAPI 3.1 description of ``/api/v1``, built from the report's JSON schema so they cannot drift."""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

import briefcheck
from briefcheck.config import FAIL_ON_CHOICES
from briefcheck.formats import MAX_TEXT_CHARS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BINARY = {"type": "string", "contentMediaType": "application/octet-stream"}
REPORT_SCHEMA = Path(briefcheck.__file__).resolve().parent / "schema" / "report.schema.json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict:
    return {"application/json": {"schema": _ref(name)}}


def _error(description: str) -> dict:
    return {"description": description, "content": _json("Error")}


ERRORS = {
    "400": _error("Het verzoek klopt niet (bijvoorbeeld geen geldige JSON)."),
    "413": _error("Het verzoek is groter dan 10 MB."),
    "415": _error("Verkeerd soort inhoud: stuur application/json of multipart/form-data."),
    "422": _error("De brief kan niet worden gelezen (leeg, te lang, beschadigd of verkeerd bestandstype)."),
    "500": _error("Onverwachte fout bij de server."),
}

LETTER_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _ref("CheckRequest")},
        "multipart/form-data": {"schema": _ref("CheckUpload")},
    },
}


@lru_cache(maxsize=1)
def openapi_spec() -> dict:
    report = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    for key in ("$schema", "$id"):
        report.pop(key, None)
    finding = report["properties"]["findings"]["items"]
    report["properties"]["findings"]["items"] = _ref("Finding")
    schemas = {
        "Report": report,
        "Finding": finding,
        "Error": {
            "type": "object", "required": ["error"], "additionalProperties": False,
            "properties": {"error": {
                "type": "object", "required": ["code", "message"], "additionalProperties": False,
                "properties": {"code": {"type": "string"},
                               "message": {"type": "string", "description": "in het Nederlands, voor mensen"}},
            }},
        },
        "CheckRequest": {
            "type": "object", "required": ["text"],
            "properties": {
                "text": {"type": "string", "maxLength": MAX_TEXT_CHARS, "description": "the letter as plain text"},
                "fail_on": {"enum": list(FAIL_ON_CHOICES),
                            "description": "override the configured policy for this request"},
            },
        },
        "CheckUpload": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream",
                         "description": "the letter: .docx, .txt or .md"},
                "text": {"type": "string", "description": "pasted text, used when no file is sent"},
                "fail_on": {"enum": list(FAIL_ON_CHOICES)},
            },
        },
        "Verdict": {
            "type": "object", "required": ["passed", "fail_on", "reasons", "counts"], "additionalProperties": False,
            "properties": {
                "passed": {"type": "boolean"},
                "fail_on": {"enum": list(FAIL_ON_CHOICES)},
                "reasons": {"type": "array", "items": {"type": "string"},
                            "description": "one line per finding at or above fail_on: code, place, message"},
                "counts": report["properties"]["counts"],
            },
        },
        "Choice": {
            "type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer", "minimum": 0},
            "description": "[index of the finding, index of its suggestion]",
        },
        "RewriteRequest": {
            "type": "object",
            "description": "The text and findings of a report (or the whole report) and the chosen suggestions; "
                           "chosen null or left out applies the first suggestion of every finding.",
            "anyOf": [{"required": ["text", "findings"]}, {"required": ["report"]}],
            "properties": {
                "text": {"type": "string"},
                "findings": {"type": "array", "items": _ref("Finding")},
                "report": _ref("Report"),
                "chosen": {"type": ["array", "null"], "items": _ref("Choice")},
            },
        },
        "RewriteResult": {
            "type": "object", "required": ["text", "applied", "skipped", "findings"], "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "description": "the rewritten letter"},
                "applied": {"type": "array", "items": {
                    "type": "object", "required": ["finding", "suggestion"], "additionalProperties": False,
                    "properties": {"finding": {"type": ["integer", "null"]},
                                   "suggestion": {"type": ["integer", "null"]}}}},
                "skipped": {"type": "array", "items": {
                    "type": "object", "required": ["finding", "suggestion", "reason"], "additionalProperties": False,
                    "properties": {"finding": {"type": ["integer", "null"]},
                                   "suggestion": {"type": ["integer", "null"]},
                                   "reason": {"type": "string"}}}},
                "findings": {"type": "array", "items": _ref("Finding"),
                             "description": "the findings that still apply, with offsets into the new text"},
            },
        },
        "Health": {
            "type": "object", "required": ["status", "version", "pipeline_loaded"], "additionalProperties": False,
            "properties": {"status": {"const": "ok"}, "version": {"type": "string"},
                           "pipeline_loaded": {"type": "boolean"}},
        },
    }
    return copy.deepcopy({
        "openapi": "3.1.0",
        "info": {
            "title": "briefcheck API",
            "version": "1.0.0",
            "summary": "Controleer brieven van de gemeente op B1-taal, toon en opbouw.",
            "description": "For the document workflow. Requests carry the letter; nothing is stored or logged. "
                           "No cookies, no CSRF token: send JSON or multipart/form-data.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/check": {"post": {
                "operationId": "check",
                "summary": "Check a letter and return the full report (with the policy verdict).",
                "requestBody": LETTER_BODY,
                "responses": {"200": {"description": "The report.", "content": _json("Report")}, **ERRORS},
            }},
            "/verdict": {"post": {
                "operationId": "verdict",
                "summary": "Pass or fail against the configured policy, with the reasons.",
                "requestBody": LETTER_BODY,
                "responses": {"200": {"description": "The verdict.", "content": _json("Verdict")}, **ERRORS},
            }},
            "/rewrite": {"post": {
                "operationId": "rewrite",
                "summary": "Apply chosen suggestions to the text and return the rewritten letter; or send a "
                           "Word letter (multipart) and get it back with all suggestions applied, formatting kept.",
                "requestBody": {"required": True, "content": {
                    **_json("RewriteRequest"),
                    "multipart/form-data": {"schema": {
                        "type": "object", "required": ["file"],
                        "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream",
                                                "description": "the letter as .docx"}},
                    }},
                }},
                "responses": {
                    "200": {
                        "description": "JSON in, JSON out: the rewritten text. A .docx in: the rewritten .docx.",
                        "headers": {
                            "X-Briefcheck-Applied": {"schema": {"type": "integer"},
                                                     "description": "(.docx only) suggestions applied"},
                            "X-Briefcheck-Skipped": {"schema": {"type": "integer"},
                                                     "description": "(.docx only) suggestions left out"},
                        },
                        "content": {**_json("RewriteResult"), DOCX: {"schema": BINARY}},
                    },
                    **ERRORS,
                },
            }},
            "/annotate": {"post": {
                "operationId": "annotate",
                "summary": "Check a Word letter and return a copy with a Word comment on every finding.",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}},
                }}}},
                "responses": {
                    "200": {
                        "description": "The annotated .docx.",
                        "headers": {
                            "X-Briefcheck-Comments": {"schema": {"type": "integer"},
                                                      "description": "findings with a comment"},
                            "X-Briefcheck-Skipped": {"schema": {"type": "integer"},
                                                     "description": "findings that could not be anchored "
                                                                    "(headers, footers, text boxes, merge fields)"},
                            "X-Briefcheck-Passed": {"schema": {"enum": ["true", "false"]}},
                        },
                        "content": {DOCX: {"schema": BINARY}},
                    },
                    **ERRORS,
                },
            }},
            "/health": {"get": {
                "operationId": "health",
                "summary": "Is the service up?",
                "responses": {"200": {"description": "Up.", "content": _json("Health")}},
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This description.",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {
                    "schema": {"type": "object"}}}}},
            }},
        },
        "components": {"schemas": schemas},
    })
