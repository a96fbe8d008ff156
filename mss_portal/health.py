"""Probes for an orchestrator: /healthz (the process answers) and /readyz (its services answer).

/healthz touches nothing but the process. /readyz checks the database, the Redis broker and that
at least one Celery worker answers a ping, each with a short timeout, and answers 503 naming what
failed. ``HealthCheckMiddleware`` serves both first in the middleware chain, so a probe sent to
the pod's address (any Host header, plain HTTP) is not refused by ALLOWED_HOSTS or redirected to
HTTPS, and never touches a session.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

OK, FAILED, SKIPPED = "ok", "failed", "skipped"


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 2.0))


def check_database() -> str:
    """The default database answers a trivial query."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("readyz: database check failed: %s", exc)
        with contextlib.suppress(DatabaseError):
            connections["default"].close()
        return FAILED
    return OK


def _broker_in_process() -> bool:
    # The embedded default runs tasks in-process: there is no broker and no worker to check.
    return settings.CELERY_BROKER_URL.startswith("memory://") or settings.CELERY_TASK_ALWAYS_EAGER


def check_broker() -> str:
    """The broker accepts a connection (a PING for Redis)."""
    if _broker_in_process():
        return SKIPPED
    url = settings.CELERY_BROKER_URL
    timeout = _timeout()
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
            try:
                client.ping()
            finally:
                client.close()
        else:
            from mss_portal.celery import app

            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # any failure to reach the broker makes the pod not ready
        log.warning("readyz: broker check failed: %s", exc)
        return FAILED
    return OK


def check_worker() -> str:
    """At least one Celery worker answers a ping through the broker."""
    if _broker_in_process():
        return SKIPPED
    from mss_portal.celery import app

    try:
        replies = app.control.ping(timeout=_timeout(), limit=1)
    except Exception as exc:
        log.warning("readyz: worker ping failed: %s", exc)
        return FAILED
    return OK if replies else FAILED


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process is up and serving. No database, no broker."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when the database, the broker and a worker answer; 503 naming what did not."""
    started = time.monotonic()
    checks = {"database": check_database(), "broker": check_broker()}
    # Without a broker no worker can be reached; asking would only wait for the timeout.
    checks["worker"] = check_worker() if checks["broker"] != FAILED else SKIPPED
    failed = [name for name, state in checks.items() if state == FAILED]
    document = {
        "status": "unavailable" if failed else "ok",
        "checks": checks,
        "failed": failed,
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    return JsonResponse(document, status=503 if failed else 200)


_PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Serves the probes before host validation, HTTPS redirects, sessions and CSRF."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = _PROBES.get(request.path_info.rstrip("/"))
        if probe is not None:
            return probe(request)
        return self.get_response(request)
