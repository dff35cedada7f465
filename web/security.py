"""Security of the web page: in-memory uploads, CSRF tokens, security headers, logs without content."""
from __future__ import annotations

import hmac
import io
import logging
import secrets
import traceback

from flask import Flask, Request, abort, request, session

#: Content-Security-Policy: only our own files; no inline scripts or styles, no plugins, no frames.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

CSRF_FIELD = "csrf_token"
CSRF_SESSION_KEY = "csrf"


class InMemoryRequest(Request):
    """Uploaded files are kept in memory (the request size is limited), never in a temporary file."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def csrf_token() -> str:
    """The CSRF token of this browser session (made on first use; kept in the signed session cookie)."""
    token = session.get(CSRF_SESSION_KEY)
    if not token:
        token = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_valid() -> bool:
    expected = session.get(CSRF_SESSION_KEY)
    given = request.form.get(CSRF_FIELD, "")
    return bool(expected) and hmac.compare_digest(str(expected), given)


def require_csrf() -> None:
    """For the page's POST forms: a missing or wrong token is refused (400, Dutch page)."""
    if request.method == "POST" and not csrf_valid():
        abort(400, description="csrf")


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["csrf_field"] = CSRF_FIELD

    @app.after_request
    def _headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("BRIEFCHECK_HSTS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages and API answers hold letter text: no copies in the browser cache or proxies.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    def log_exception(exc_info) -> None:
        # Flask would log the exception message, which may quote letter text or a file name.
        # Log the type and where it happened, never the message.
        kind, _value, tb = exc_info
        frames = "".join(traceback.format_list(traceback.extract_tb(tb)))
        logging.getLogger("briefcheck.web").error(
            "Fout bij %s %s: %s\n%s", request.method, request.url_rule.rule if request.url_rule else "?",
            kind.__name__ if kind else "?", frames)

    app.log_exception = log_exception  # type: ignore[method-assign]
