"""Error pages in plain Dutch (HTML for the page, JSON for the API)."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from . import MAX_REQUEST_BYTES

MESSAGES = {
    400: ("Dit verzoek klopt niet",
          "Wij konden dit verzoek niet verwerken. Ga terug naar de startpagina en probeer het opnieuw."),
    404: ("Deze pagina bestaat niet",
          "Misschien is het adres verkeerd getypt. Ga naar de startpagina om een brief te controleren."),
    405: ("Dit kan hier niet",
          "Deze pagina werkt alleen vanuit het formulier. Ga naar de startpagina en probeer het opnieuw."),
    413: ("Het bestand is te groot",
          f"U kunt een bestand of tekst sturen van hoogstens {MAX_REQUEST_BYTES // 1024 // 1024} MB. "
          "Maak het bestand kleiner, of plak alleen de tekst van de brief."),
    415: ("Dit soort verzoek kennen wij niet",
          "Stuur JSON (application/json) of een formulier met een bestand (multipart/form-data)."),
    500: ("Er ging iets mis",
          "Er ging bij ons iets mis. Uw brief is niet bewaard. Probeer het over een paar minuten opnieuw."),
}
CSRF_MESSAGE = ("Het formulier is verlopen", "Voor uw veiligheid is dit formulier niet meer geldig. "
                "Ga terug naar de startpagina, laad de pagina opnieuw en probeer het nog een keer.")
CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
         415: "unsupported_media_type", 500: "server_error"}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def page_error(status: int, title: str, message: str):
    return render_template("errors/error.html", title=title, message=message, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        if status == 400 and error.description == "csrf":
            title, message = CSRF_MESSAGE
        if wants_json():
            return api_error(status, CODES.get(status, "error"), message)
        return page_error(status, title, message)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.log_exception((type(error), error, error.__traceback__))
        title, message = MESSAGES[500]
        if wants_json():
            return api_error(500, CODES[500], message)
        return page_error(500, title, message)
