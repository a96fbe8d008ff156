"""A database outage answers 503 (JSON for API clients), never a traceback or a debug page.

Two places see a database error: ``process_exception`` for errors raised by a view, and the
``handler500`` view (``server_error`` below) for errors raised by middleware, such as a session
saved after the database went away. Both give the same answer; the connection is dropped so the
next request reconnects by itself once the database is back.
"""

from __future__ import annotations

import contextlib
import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
_API_PREFIXES = ("/api/", "/healthz", "/readyz")

_UNAVAILABLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Service unavailable</title></head>
<body><h1>Service unavailable</h1>
<p>The portal cannot reach its database right now. Try again in a minute.</p></body></html>
"""


def wants_json(request: HttpRequest) -> bool:
    """API paths always; elsewhere when the client asks for JSON rather than a page."""
    if request.path.startswith(_API_PREFIXES):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer to a request that needed the database while it was away."""
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": "The service is temporarily unavailable: its database cannot be reached.",
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(_UNAVAILABLE_HTML, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _drop_broken_connections() -> None:
    # A connection that failed mid-request is unusable; closing it now means the next request
    # opens a fresh one instead of failing on the stale socket.
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DATABASE_ERRORS):
            connection.close()


def _log_unavailable(request: HttpRequest, error: Exception) -> None:
    # The cause as the database said it ("database is locked", "connection refused"): the 503
    # answer is the same for every cause, the log is where an operator tells them apart.
    log.warning(
        "database unavailable: %s %s answered 503: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        str(error).strip() or "(no message)",
    )


class DatabaseUnavailableMiddleware:
    """Turns OperationalError and InterfaceError raised by a view into a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        _log_unavailable(request, exception)
        _drop_broken_connections()
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view still answers 503; JSON for API clients."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        _log_unavailable(request, error)
        _drop_broken_connections()
        return database_unavailable(request)
    if wants_json(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
