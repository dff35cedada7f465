"""The briefcheck web page and JSON API (Flask). Production: ``briefcheck serve`` (waitress).

Privacy: no letter text or file is stored or logged. Uploads are read into memory (never into a
temporary file); the one exception to "nothing kept" is the annotated Word file of an uploaded
.docx, which lives in memory for at most ``DOWNLOAD_TTL_SECONDS`` and is deleted after its one
download (see ``web/downloads.py``).
"""
from __future__ import annotations

import logging
import os
import secrets
import time

from flask import Flask, g, request

from briefcheck.config import Settings, load_settings

#: Largest request body: the uploaded file plus form fields (Dutch error page above it).
MAX_REQUEST_BYTES = 10 * 1024 * 1024

log = logging.getLogger("briefcheck.web")


def create_app(settings: Settings | None = None, test_config: dict | None = None) -> Flask:
    """The application. ``settings`` is the organisation's policy (default: briefcheck.toml in the
    current folder, else built-in defaults); ``test_config`` overrides Flask config values."""
    from . import api, check, downloads, errors, security

    app = Flask(__name__)
    app.request_class = security.InMemoryRequest
    app.config.update(
        SECRET_KEY=os.environ.get("BRIEFCHECK_SECRET_KEY") or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        MAX_FORM_PARTS=20_000,  # the no-JavaScript form sends one field per choice
        SESSION_COOKIE_NAME="briefcheck_sessie",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("BRIEFCHECK_COOKIE_SECURE", "") in ("1", "true", "yes"),
        BRIEFCHECK_SETTINGS=settings if settings is not None else load_settings(),
        BRIEFCHECK_HSTS=os.environ.get("BRIEFCHECK_HSTS", "") in ("1", "true", "yes"),
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    if test_config:
        app.config.update(test_config)
    app.extensions["briefcheck_downloads"] = downloads.DownloadStore()

    app.register_blueprint(check.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    security.init_app(app)
    errors.init_app(app)

    @app.before_request
    def _start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        # Method, route and status only: never the body, query string, form fields or file names.
        started = g.get("started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        rule = request.url_rule.rule if request.url_rule is not None else "<geen route>"
        log.info("%s %s %s %.0f ms", request.method, rule, response.status_code, duration)
        return response

    return app


def warm_up(settings: Settings | None = None) -> None:
    """Load everything the first letter would wait for (pipeline, rules, word lists, spelling
    dictionary) by checking a short letter of our own; takes several seconds."""
    from briefcheck.analyzer import analyze
    from briefcheck.formats import read_text
    from briefcheck.nlp import get_nlp
    from briefcheck.rules import get_rules

    settings = settings or Settings()
    get_nlp()
    get_rules(settings.rule_files)
    analyze(read_text("Beste mevrouw Jansen,\n\nWij hebben uw aanvraag ontvangen. U hoort binnen twee weken "
                      "van ons.\n\nMet vriendelijke groet,\n\nGemeente Rivierstad"), settings)
    _freeze_loaded_objects()


def _freeze_loaded_objects() -> None:
    """Move what is loaded now (pipeline, rules, dictionary: ~10^5 long-lived objects) out of the
    garbage collector's sight: it would otherwise walk them all in every full collection, a few ms
    per request for nothing. They live as long as the server anyway."""
    import gc

    gc.collect()
    gc.freeze()
