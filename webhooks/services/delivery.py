"""Delivery: each event POSTed as signed JSON, retried with backoff, every attempt logged.

The body is signed with HMAC-SHA256 of the subscription's secret over "<timestamp>.<body>". After
WEBHOOK_PAUSE_AFTER_FAILURES failed attempts in a row the subscription is paused until its owner or
an admin resumes it; after WEBHOOK_MAX_ATTEMPTS a delivery is given up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import certifi
import urllib3
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..choices import DeliveryStatus
from ..models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from .queueing import queue_overdue
from .targets import Target, UnsafeTarget, resolve_target

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-MSS-Signature"
TIMESTAMP_HEADER = "X-MSS-Timestamp"
EVENT_HEADER = "X-MSS-Event"
DELIVERY_HEADER = "X-MSS-Delivery"
USER_AGENT = "MSS-Portal-Webhooks/1"
# A claimed delivery is left alone by other workers for this long (above the task's time limit).
LEASE = timedelta(seconds=120)
# A pending delivery this late is taken to have lost its task, and is queued again.
OVERDUE = timedelta(minutes=2)
_RESPONSE_BYTES_KEPT = 500


@dataclass(frozen=True)
class AttemptOutcome:
    """What one call of delivery_attempt did, and when to try again (None: not again)."""

    status: str
    retry_in: float | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the HMAC-SHA256 of "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failures: base x 2^(attempts-1), capped, with jitter."""
    base = float(settings.WEBHOOK_RETRY_BASE_SECONDS)
    cap = float(settings.WEBHOOK_RETRY_MAX_SECONDS)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay + random.uniform(0, delay * 0.1)  # noqa: S311 - jitter, not a secret


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def delivery_attempt(*, delivery_id: int) -> AttemptOutcome:
    """POST a pending delivery once, log the attempt, and decide what happens next."""
    now = timezone.now()
    # Claiming with a conditional UPDATE means two workers holding the same task never both send it.
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(subscription__is_active=True, subscription__paused_at__isnull=True)
        .update(next_attempt_at=now + LEASE)
    )
    if not claimed:
        return AttemptOutcome("skipped")
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
        TIMESTAMP_HEADER: timestamp,
        EVENT_HEADER: f"{delivery.resource}.{delivery.event}",
        DELIVERY_HEADER: str(delivery.pk),
    }
    status_code, error = None, ""
    started = time.monotonic()
    try:
        target = resolve_target(subscription.url)
        status_code, answer = _post(target, body, headers)
        if 300 <= status_code < 400:
            error = f"HTTP {status_code}: redirects are not followed; subscribe the URL redirected to."
        elif not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {answer.decode('utf-8', 'replace')}".strip()
    except UnsafeTarget as exc:
        error = str(exc)
    except urllib3.exceptions.HTTPError as exc:
        error = _failure(exc, subscription.url)
    except OSError as exc:
        log.warning("webhook delivery to %s failed: %r", subscription.url, exc)
        error = f"Request failed ({type(exc).__name__})."
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms)


def _ca_bundle() -> str:
    return settings.WEBHOOK_CA_BUNDLE or certifi.where()


def _post(target: Target, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST to the vetted addresses in turn, until one takes the connection: no second DNS lookup.

    The connection goes to the address itself while the Host header, the TLS server name (SNI) and
    the certificate check use the URL's host name. Redirects are never followed. Returns the status
    and, for an answer other than 2xx, its first bytes.
    """
    timeout = urllib3.Timeout(
        connect=float(settings.WEBHOOK_CONNECT_TIMEOUT), read=float(settings.WEBHOOK_READ_TIMEOUT)
    )
    unreachable: urllib3.exceptions.HTTPError | None = None
    for address in target.addresses:
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                target.port,
                timeout=timeout,
                retries=False,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=_ca_bundle(),
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
        with pool:
            try:
                response = pool.urlopen(
                    "POST",
                    target.path,
                    body=body,
                    headers={**headers, "Host": target.host_header},
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    assert_same_host=False,
                )
            except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
                unreachable = exc  # the next vetted address, if any
                continue
            try:
                ok = 200 <= response.status < 300
                return response.status, b"" if ok else response.read(_RESPONSE_BYTES_KEPT) or b""
            finally:
                response.release_conn()
    if unreachable is None:  # resolve_target never gives no address; this says so if it ever did
        raise UnsafeTarget(f"{target.host} has no address to connect to.")
    raise unreachable


def _failure(exc: urllib3.exceptions.HTTPError, url: str) -> str:
    """What failed, for the partner: the kind of failure and the URL's host, never an address.

    urllib3's own messages name the address connected to (a vetted one, still an internal detail);
    the full exception goes to the portal's log instead.
    """
    log.warning("webhook delivery to %s failed: %r", url, exc)
    errors = urllib3.exceptions
    # NewConnectionError is a subclass of ConnectTimeoutError in urllib3 2: asked first.
    if isinstance(exc, errors.NewConnectionError):
        return "Connection failed: the endpoint refused or could not take the connection."
    if isinstance(exc, errors.ConnectTimeoutError):
        return f"Timeout: no connection within {settings.WEBHOOK_CONNECT_TIMEOUT:g} s."
    if isinstance(exc, errors.ReadTimeoutError):
        return f"Timeout: no answer within {settings.WEBHOOK_READ_TIMEOUT:g} s."
    if isinstance(exc, errors.SSLError):
        return "TLS failed: the endpoint's certificate is not trusted or not valid for the URL's host name."
    if isinstance(exc, errors.ProtocolError):
        return "Connection lost: the endpoint closed the connection before answering."
    return f"Request failed ({type(exc).__name__})."


@transaction.atomic
def _record(
    *, delivery: WebhookDelivery, status_code: int | None, error: str, duration_ms: int
) -> AttemptOutcome:
    succeeded = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        succeeded=succeeded,
        status_code=status_code,
        error=error[:2000],
        duration_ms=duration_ms,
    )
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:2000]
    retry_in = None
    if succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        subscription.consecutive_failures, subscription.last_success_at = 0, now
    else:
        subscription.consecutive_failures += 1
        subscription.last_failure_at = now
        pause_after = int(settings.WEBHOOK_PAUSE_AFTER_FAILURES)
        if subscription.paused_at is None and subscription.consecutive_failures >= pause_after:
            subscription.paused_at = now
            subscription.pause_reason = (
                f"Paused after {subscription.consecutive_failures} failed attempts in a row; last: {error}"[
                    :2000
                ]
            )
            log.warning("webhook %s paused: %s", subscription.pk, subscription.pause_reason)
        if delivery.attempts >= int(settings.WEBHOOK_MAX_ATTEMPTS):
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        elif subscription.paused_at is not None:
            delivery.next_attempt_at = None  # waits for the resume
        else:
            retry_in = backoff(delivery.attempts)
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
    delivery.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    subscription.save(
        update_fields=[
            "consecutive_failures",
            "last_success_at",
            "last_failure_at",
            "paused_at",
            "pause_reason",
            "updated_at",
        ]
    )
    return AttemptOutcome(delivery.status, retry_in)


def deliveries_requeue_overdue() -> int:
    """The sweeper: queue again pending deliveries whose task was lost (or never ran, run in-process)."""
    now = timezone.now()
    overdue = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING,
        subscription__is_active=True,
        subscription__paused_at__isnull=True,
    ).filter(
        Q(next_attempt_at__lte=now - OVERDUE) | Q(next_attempt_at__isnull=True, created_at__lte=now - OVERDUE)
    )
    ids = list(overdue.order_by("pk").values_list("pk", flat=True)[:1000])
    queue_overdue(ids)
    return len(ids)
