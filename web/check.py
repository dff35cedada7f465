"""The pages: start page, check, choose suggestions (works without JavaScript), downloads."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request

from briefcheck.errors import InputError

from . import service, state
from .downloads import owner_key
from .results import build
from .security import csrf_token, require_csrf

bp = Blueprint("check", __name__, template_folder="templates")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPIRED = ("Deze uitslag is verlopen of klopt niet meer. Controleer de brief opnieuw: plak de tekst of "
           "kies het bestand nog een keer.")
DOWNLOAD_GONE = ("Dit Word-bestand met opmerkingen is niet meer beschikbaar. Het kan één keer worden "
                 "gedownload, binnen 10 minuten. Daarna wissen wij het. Kies het bestand opnieuw op de "
                 "startpagina om een nieuw exemplaar te maken.")


@bp.before_request
def _csrf():
    require_csrf()


def _settings():
    return current_app.config["BRIEFCHECK_SETTINGS"]


@bp.get("/")
def index():
    return render_template("check/index.html")


@bp.post("/controleer")
def check():
    text = request.form.get("tekst", "")
    try:
        upload = service.upload_from(request.files.get("bestand"))
        document = service.read_input(text, upload)
        report = service.check(document, _settings())
    except InputError as error:
        return render_template("check/index.html", error=str(error), text=text), 400
    annotated = None
    if upload is not None and upload.is_docx:
        annotated = _annotated(upload, report)
    return _results(state.PageState(report, annotated))


@bp.get("/voorbeeld")
def example():
    from briefcheck.examples import example_letter

    return _results(state.PageState(service.check(example_letter(), _settings())))


@bp.post("/herschrijf")
def choose():
    loaded = state.load(request.form.get("staat", ""))
    if loaded is None:
        return render_template("check/index.html", error=EXPIRED), 400
    report, annotated = loaded
    counts = [len(f.suggestions) for f in report.findings]
    chosen, ignored = state.parse_choices(request.form.getlist("gekozen"), request.form.getlist("genegeerd"),
                                          len(report.findings), counts)
    action, value = _action()
    if action == "overnemen":
        pair = state.parse_choices([value], [], len(report.findings), counts)[0]
        chosen.update(pair)
        ignored -= set(pair)
    elif action == "negeren" and value.isdigit():
        chosen.pop(int(value), None)
        ignored.add(int(value))
    elif action == "herstellen" and value.isdigit():
        chosen.pop(int(value), None)
        ignored.discard(int(value))
    elif action == "alles":
        for index, finding in enumerate(report.findings):
            if finding.code == value and finding.suggestions and index not in ignored:
                chosen.setdefault(index, 0)
    return _results(state.PageState(report, annotated, chosen, ignored))


def _action() -> tuple[str, str]:
    for name in ("overnemen", "negeren", "herstellen", "alles"):
        if name in request.form:
            return name, request.form.get(name, "")
    return "", ""


def _results(page: state.PageState):
    view = build(page, _settings(), state.dump(page))
    return render_template("check/results.html", view=view)


def _annotated(upload, report) -> dict | None:
    """Make the annotated .docx now, while the upload is in memory; keep it for one download."""
    try:
        result = service.annotate(upload, report, _settings())
    except InputError:
        return None
    store = current_app.extensions["briefcheck_downloads"]
    token = store.put(result.data, owner_key(csrf_token()))
    return {"token": token, "anchored": result.anchored, "skipped": result.skipped}


# -- downloads ------------------------------------------------------------------------------------------
def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/download.txt")
def download_txt():
    text = request.form.get("tekst", "").replace("\r\n", "\n")
    # With a byte order mark, so that Notepad and Word on Windows read it as UTF-8.
    return _attachment(("\ufeff" + text).encode("utf-8"), "text/plain; charset=utf-8", "verbeterde-brief.txt")


@bp.post("/download.docx")
def download_docx():
    text = request.form.get("tekst", "").replace("\r\n", "\n")
    return _attachment(service.docx_from_text(text), DOCX_TYPE, "verbeterde-brief.docx")


@bp.post("/geannoteerd.docx")
def download_annotated():
    store = current_app.extensions["briefcheck_downloads"]
    data = store.take(request.form.get("token", ""), owner_key(csrf_token()))
    if data is None:
        return render_template("errors/error.html", title="Download niet meer beschikbaar",
                               message=DOWNLOAD_GONE, status=410), 410
    return _attachment(data, DOCX_TYPE, "brief-met-opmerkingen.docx")
