"""One-time downloads of the annotated Word file, kept in memory only.

Why: the annotated .docx can only be made from the uploaded file, and the page must not store
uploads. So it is made in the same request as the check, while the upload is in memory, and kept
in this process's memory under a random one-time token:

* never written to disk, never logged;
* deleted after its one download, or after ``DOWNLOAD_TTL_SECONDS`` (10 minutes), whichever is first;
* bounded: at most ``MAX_ITEMS`` files and ``MAX_TOTAL_BYTES`` together; the oldest go first;
* bound to the browser session that uploaded the file (a token from another session is refused).

After a restart of the server, or with more than one server process, a token may be unknown:
the page then asks to upload the letter again.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

DOWNLOAD_TTL_SECONDS = 10 * 60
MAX_ITEMS = 200
MAX_TOTAL_BYTES = 300 * 1024 * 1024


@dataclass
class _Item:
    data: bytes
    owner: str  # hash of the session's CSRF token
    expires: float


def owner_key(session_token: str) -> str:
    return hashlib.sha256(session_token.encode()).hexdigest()


class DownloadStore:
    def __init__(self, ttl: float = DOWNLOAD_TTL_SECONDS, clock=time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[str, _Item] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, data: bytes, owner: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._expire()
            self._items[token] = _Item(data, owner, self.clock() + self.ttl)
            while len(self._items) > MAX_ITEMS or self._total() > MAX_TOTAL_BYTES:
                self._items.popitem(last=False)
        return token

    def take(self, token: str, owner: str) -> bytes | None:
        """The file, removed from memory; None when unknown, expired, used or of another session."""
        with self._lock:
            self._expire()
            item = self._items.get(token)
            if item is None or not secrets.compare_digest(item.owner, owner):
                return None
            del self._items[token]
            return item.data

    def __contains__(self, token: str) -> bool:
        with self._lock:
            self._expire()
            return token in self._items

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def _total(self) -> int:
        return sum(len(item.data) for item in self._items.values())

    def _expire(self) -> None:
        now = self.clock()
        for token in [t for t, item in self._items.items() if item.expires <= now]:
            del self._items[token]
