"""The JSON API for the document workflow (``/api/v1``). For machines: no CSRF, no cookies; it accepts
JSON (``application/json``) or a form with a file (``multipart/form-data``) and nothing else."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from briefcheck.config import FAIL_ON_CHOICES
from briefcheck.errors import InputError
from briefcheck.findings import Finding

from . import service
from .check import DOCX_TYPE
from .errors import api_error
from .openapi import openapi_spec

bp = Blueprint("api", __name__)

#: Largest number of findings a rewrite request may carry.
MAX_FINDINGS = 20_000


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return api_error(error.status, error.code, error.message)


@bp.errorhandler(InputError)
def _input_error(error: InputError):
    return api_error(422, "input", str(error))


def _json_body() -> dict:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       "Stuur JSON met de kop Content-Type: application/json.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", 'Dit is geen geldig JSON-object. Voorbeeld: {"text": "Beste ..."}.')
    return data


def _letter():
    """The document to check and the policy override, from JSON or from a form with a file."""
    if request.mimetype == "application/json":
        data = _json_body()
        text, fail_on, upload = data.get("text"), data.get("fail_on"), None
        if text is not None and not isinstance(text, str):
            raise ApiError(400, "bad_request", "Het veld 'text' moet tekst zijn.")
    elif request.mimetype == "multipart/form-data":
        upload = service.upload_from(request.files.get("file"))
        text, fail_on = request.form.get("text"), request.form.get("fail_on")
    else:
        raise ApiError(415, "unsupported_media_type",
                       "Stuur JSON (application/json) of een formulier met een bestand (multipart/form-data).")
    if fail_on not in (None, "") and fail_on not in FAIL_ON_CHOICES:
        raise ApiError(400, "bad_request", "Het veld 'fail_on' moet een van deze waarden hebben: "
                       + ", ".join(FAIL_ON_CHOICES) + ".")
    settings = current_app.config["BRIEFCHECK_SETTINGS"].with_fail_on(fail_on or None)
    return service.read_input(text, upload), upload, settings


@bp.post("/check")
def check():
    document, _upload, settings = _letter()
    return jsonify(service.check(document, settings).to_dict())


@bp.post("/verdict")
def verdict():
    document, _upload, settings = _letter()
    report = service.check(document, settings)
    if settings.source is not None:
        from briefcheck.batch import apply_policy

        apply_policy(report, settings, document.source_name)
    return jsonify({"passed": report.verdict.passed, "fail_on": report.verdict.fail_on,
                    "reasons": report.verdict.reasons, "counts": report.counts()})


@bp.post("/rewrite")
def rewrite():
    if request.mimetype == "multipart/form-data":
        return _rewrite_word()
    data = _json_body()
    report = data.get("report")
    if isinstance(report, dict):
        text, raw_findings = report.get("text"), report.get("findings")
    else:
        text, raw_findings = data.get("text"), data.get("findings")
    if not isinstance(text, str) or not isinstance(raw_findings, list) or len(raw_findings) > MAX_FINDINGS:
        raise ApiError(400, "bad_request",
                       "Stuur 'text' en 'findings' (zoals /api/v1/check ze geeft), of een heel 'report'.")
    try:
        findings = [Finding.from_dict(f) for f in raw_findings]
    except (TypeError, KeyError, ValueError):
        raise ApiError(400, "bad_request", "De lijst 'findings' klopt niet. Gebruik de findings van /api/v1/check.") from None
    for f in findings:
        spans = [(f.start, f.end)] + [(s.start, s.end) for s in f.suggestions]
        if not all(isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(text) for a, b in spans):
            raise ApiError(400, "bad_request", "Een finding of suggestie valt buiten de tekst.")
    chosen = data.get("chosen")
    if chosen is not None:
        if not isinstance(chosen, list) or not all(
                isinstance(c, list) and len(c) == 2 and all(isinstance(n, int) and not isinstance(n, bool) for n in c)
                for c in chosen):
            raise ApiError(400, "bad_request",
                           "Het veld 'chosen' is een lijst van paren [finding, suggestie], bijvoorbeeld [[0, 0]].")
        chosen = [(c[0], c[1]) for c in chosen]
    return jsonify(service.rewrite(text, findings, chosen))


def _rewrite_word():
    """A Word letter with all suggestions applied inside the document, so its formatting stays."""
    upload = service.upload_from(request.files.get("file"))
    if upload is None or not upload.is_docx:
        raise ApiError(400, "bad_request", "Stuur een Word-bestand (.docx) in het veld 'file'.")
    data, rewritten = service.rewrite_word(upload, current_app.config["BRIEFCHECK_SETTINGS"])
    response = Response(data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="verbeterde-brief.docx"'
    response.headers["X-Briefcheck-Applied"] = str(len(rewritten.applied))
    response.headers["X-Briefcheck-Skipped"] = str(len(rewritten.skipped))
    return response


@bp.post("/annotate")
def annotate():
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Stuur het Word-bestand als formulier (multipart/form-data), veld 'file'.")
    upload = service.upload_from(request.files.get("file"))
    if upload is None or not upload.is_docx:
        raise ApiError(400, "bad_request", "Stuur een Word-bestand (.docx) in het veld 'file'.")
    settings = current_app.config["BRIEFCHECK_SETTINGS"]
    report = service.check(service.read_input(None, upload), settings)
    result = service.annotate(upload, report, settings)
    response = Response(result.data, mimetype=DOCX_TYPE)
    response.headers["Content-Disposition"] = 'attachment; filename="brief-met-opmerkingen.docx"'
    response.headers["X-Briefcheck-Comments"] = str(result.anchored)
    response.headers["X-Briefcheck-Skipped"] = str(result.skipped)
    response.headers["X-Briefcheck-Passed"] = "true" if report.verdict.passed else "false"
    return response


@bp.get("/health")
def health():
    from briefcheck import __version__, nlp

    return jsonify({"status": "ok", "version": __version__, "pipeline_loaded": nlp._nlp is not None})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())
