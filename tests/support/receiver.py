"""A webhook receiver on 127.0.0.1 that checks each delivery's signature, as a partner's endpoint would.

    with WebhookReceiver(secret) as receiver:
        subscription.url = receiver.url + "/hook"
        ...
        assert receiver.events[0]["event"] == "created"

A delivery whose signature does not verify is answered 401 and not kept; ``fail_next`` and
``hang_next`` (from FakeHTTPServer) make the endpoint fail or stall.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from typing import Any

from tests.support.fake_servers import JSON, FakeHTTPServer, RecordedRequest, ScriptedResponse, problem


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What X-MSS-Signature must be: written here from the API's documentation, not from its code."""
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class WebhookReceiver(FakeHTTPServer):
    """Accepts POSTs whose X-MSS-Signature verifies with ``secret`` (settable later) and keeps their JSON."""

    def __init__(self, secret: str = "", *, max_age_seconds: int = 300, **server: Any) -> None:
        super().__init__(**server)
        self.secret = secret
        self.max_age_seconds = max_age_seconds
        self._events: list[dict[str, Any]] = []
        self._headers: list[dict[str, str]] = []
        self.rejected = 0
        self.arrived = threading.Event()

    @property
    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._events)

    @property
    def event_headers(self) -> list[dict[str, str]]:
        with self._lock:
            return list(self._headers)

    def handle(self, request: RecordedRequest) -> ScriptedResponse:
        if request.method != "POST":
            return ScriptedResponse(405, problem(405, "Method Not Allowed"), {"Content-Type": JSON})
        timestamp = request.headers.get("x-mss-timestamp", "")
        signature = request.headers.get("x-mss-signature", "")
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= self.max_age_seconds
        valid = hmac.compare_digest(signature, expected_signature(self.secret, timestamp, request.body))
        if not (fresh and valid):
            with self._lock:
                self.rejected += 1
            return ScriptedResponse(401, problem(401, "Bad signature"), {"Content-Type": JSON})
        with self._lock:
            self._events.append(json.loads(request.body))
            self._headers.append(dict(request.headers))
        self.arrived.set()
        return ScriptedResponse(200, b'{"ok": true}', {"Content-Type": JSON})
