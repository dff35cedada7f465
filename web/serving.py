"""How ``briefcheck serve`` runs the app under waitress.

Two things waitress does by itself that the app must not do:

* it buffers a request body above ``inbuf_overflow`` (512 KB by default) in a temporary file, while
  we promise that uploads stay in memory: here the buffer holds the largest body we accept;
* it answers a body above ``max_request_body_size`` with its own English plain-text 413, before the
  app sees the request: here that answer is Dutch, as JSON for the API and as a page otherwise.

Bodies up to ``MAX_REQUEST_BYTES`` reach the app; bodies a little larger still reach it (and get the
app's own Dutch 413); waitress refuses anything above ``MAX_WAITRESS_BODY_BYTES`` without reading it.
"""
from __future__ import annotations

import html
import json

from waitress.channel import HTTPChannel
from waitress.server import create_server as waitress_create_server
from waitress.task import ErrorTask

from . import MAX_REQUEST_BYTES
from .errors import CODES, MESSAGES

#: The largest body waitress reads; it is kept in memory (at most this much per open connection).
MAX_WAITRESS_BODY_BYTES = MAX_REQUEST_BYTES + 1024 * 1024


def waitress_options() -> dict:
    """Options for waitress.serve besides host, port and threads."""
    return {
        "ident": "briefcheck",
        "max_request_body_size": MAX_WAITRESS_BODY_BYTES,
        "inbuf_overflow": MAX_WAITRESS_BODY_BYTES,  # never spill an upload into a temporary file
        "clear_untrusted_proxy_headers": True,
        "_server": create_server,
    }


class DutchErrorTask(ErrorTask):
    """waitress's own error answers (413 too large, 400 unreadable request, ...) in Dutch."""

    def execute(self):
        error = self.request.error
        status = getattr(error, "code", 400)
        title, message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
        if (getattr(self.request, "path", None) or "").startswith("/api/"):
            body = json.dumps({"error": {"code": CODES.get(status, "error"), "message": message}},
                              ensure_ascii=False).encode("utf-8")
            content_type = "application/json"
        else:
            body = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}'
                    f"</title></head><body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
                    '<p><a href="/">Naar de startpagina</a></p></body></html>').encode("utf-8")
            content_type = "text/html; charset=utf-8"
        self.status = f"{status} {error.reason}"
        self.response_headers.extend([("Content-Type", content_type), ("Cache-Control", "no-store")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class DutchChannel(HTTPChannel):
    error_task_class = DutchErrorTask


def create_server(app, **kwargs):
    """waitress.create_server, with Dutch error answers on every listening socket."""
    server = waitress_create_server(app, **kwargs)
    servers = [server] + [s for s in getattr(server, "map", {}).values() if hasattr(s, "channel_class")]
    for each in servers:
        if hasattr(each, "channel_class"):
            each.channel_class = DutchChannel
    return server
