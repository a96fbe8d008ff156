"""Webhooks (push) and tombstones (pull): the rules.

A record saved or deleted (signals.py) is fanned out after the commit to every active
subscription whose owner may see it, as the owner would read it in the API. Each delivery is
POSTed as JSON signed with HMAC-SHA256 of the subscription's secret over "<timestamp>.<body>",
retried with exponential backoff, and every attempt is logged. After WEBHOOK_PAUSE_AFTER_FAILURES
failed attempts in a row the subscription is paused until its owner or an admin resumes it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.releasability import Releasability
from core import outbound
from core.outbound import UnsafeTarget

from .choices import PUSHED_RESOURCES, DeliveryStatus, Event, Resource, TombstoneReason
from .models import Tombstone, WebhookAttempt, WebhookDelivery, WebhookSubscription
from .resources import RESOURCES

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


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- subscriptions --------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the HMAC-SHA256 of "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def check_url(url: str, *, resolve: bool) -> None:
    """Refuse a partner's URL inside the network (SSRF) or over plain HTTP, unless settings allow it."""
    outbound.check_url(
        url,
        resolve=resolve,
        allow_http=_setting("WEBHOOK_ALLOW_HTTP", False),
        allow_private=_setting("WEBHOOK_ALLOW_PRIVATE_TARGETS", False),
    )


@transaction.atomic
def subscription_create(
    *, owner, url: str, resources: list[str] | None = None, description: str = "", is_active: bool = True
) -> tuple[WebhookSubscription, str]:
    """Register a URL for ``owner``. Returns the subscription and its secret, shown this once."""
    try:
        check_url(url, resolve=False)
    except UnsafeTarget as exc:
        raise ValidationError({"url": str(exc)}) from exc
    subscription = WebhookSubscription(
        owner=owner,
        url=url,
        resources=list(dict.fromkeys(resources or [])),
        description=description,
        is_active=is_active,
        secret=secrets.token_hex(32),
    )
    subscription.full_clean()
    subscription.save()
    return subscription, subscription.secret


@transaction.atomic
def subscription_update(*, subscription: WebhookSubscription, **changes) -> WebhookSubscription:
    """Change a subscription's URL, collections, description or switch."""
    if "url" in changes:
        try:
            check_url(changes["url"], resolve=False)
        except UnsafeTarget as exc:
            raise ValidationError({"url": str(exc)}) from exc
    for name, value in changes.items():
        setattr(subscription, name, list(dict.fromkeys(value)) if name == "resources" else value)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: WebhookSubscription) -> int:
    """Unpause a subscription and send what waited. Returns how many deliveries were queued."""
    subscription.paused_at = None
    subscription.pause_reason = ""
    subscription.consecutive_failures = 0
    subscription.save(update_fields=["paused_at", "pause_reason", "consecutive_failures", "updated_at"])
    waiting = list(
        subscription.deliveries.filter(status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=waiting).update(next_attempt_at=None)
    _queue(waiting)
    return len(waiting)


# --- fan-out --------------------------------------------------------------------------------------


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import deliver

    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: deliver.delay(pk), robust=True)


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(data):
    """The serializer's output as plain JSON values (the payload is stored in a JSONField)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _payload(*, event: str, resource: str, object_id: str, data, reason: str | None = None) -> dict:
    payload = {
        "event": event,
        "resource": resource,
        "id": object_id,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }
    if reason:
        payload["reason"] = reason
    return payload


def _serialized(spec, pk: int, owner):
    """The record as ``owner`` reads it in the API, or None when ``owner`` may not see it."""
    queryset = spec.queryset().visible_to(owner)
    if spec.prepare is not None:
        queryset = spec.prepare(queryset, owner)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return None
    return _jsonable(spec.serializer(obj, context={"user": owner}).data)


def _last_delivery(subscription, resource: str, object_id: str) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(subscription=subscription, resource=resource, object_id=object_id)
        .order_by("-pk")
        .only("pk", "event", "digest")
        .first()
    )


def _subscriptions_for(resource: str):
    subscriptions = WebhookSubscription.objects.filter(is_active=True).select_related("owner")
    return [s for s in subscriptions if s.wants(resource) and s.owner.is_active]


def fan_out(*, resource: str, pk: int) -> list[int]:
    """Create a delivery of a new or changed record for each subscription whose owner may see it.

    A record that an owner saw before and may no longer see (withdrawn from partners) is
    announced to them as deleted. A record unchanged since the last delivery is not sent again.
    Returns the ids of the deliveries created (queued once committed).
    """
    spec = RESOURCES[resource]
    record = spec.model._base_manager.filter(pk=pk).first()
    if record is None:
        return []  # deleted since: the deletion has its own event
    object_id = spec.object_id(record)
    created: list[int] = []
    for subscription in _subscriptions_for(resource):
        with transaction.atomic():
            # One fan-out at a time per subscription, so two saves of a record are compared in order.
            WebhookSubscription.objects.select_for_update().filter(pk=subscription.pk).first()
            last = _last_delivery(subscription, resource, object_id)
            had_it = last is not None and last.event != Event.DELETED
            data = _serialized(spec, pk, subscription.owner)
            if data is None:
                if not had_it:
                    continue
                event, digest, reason = Event.DELETED, "", TombstoneReason.WITHDRAWN
            else:
                digest = _digest(data)
                if had_it and last.digest == digest:
                    continue
                event, reason = (Event.CHANGED if had_it else Event.CREATED), None
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event=event,
                resource=resource,
                object_id=object_id,
                payload=_payload(
                    event=event, resource=resource, object_id=object_id, data=data, reason=reason
                ),
                digest=digest,
            )
            created.append(delivery.pk)
            if subscription.paused_at is None:
                _queue([delivery.pk])
    return created


def fan_out_many(*, resource: str, pks: list[int]) -> list[int]:
    """fan_out for records created together (a batch of processed posts): one task, not one each."""
    if not _subscriptions_for(resource):
        return []
    return [delivery for pk in pks for delivery in fan_out(resource=resource, pk=pk)]


def fan_out_deleted(*, resource: str, object_id: str, partners: bool) -> list[int]:
    """Announce a deletion to each subscription whose owner could see the record."""
    spec = RESOURCES[resource]
    created: list[int] = []
    for subscription in _subscriptions_for(resource):
        level = spec.model.objects.reader_level(subscription.owner)
        if not (level == Releasability.MISSION or (partners and level == Releasability.PARTNERS)):
            continue
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event=Event.DELETED,
                resource=resource,
                object_id=object_id,
                payload=_payload(
                    event=Event.DELETED,
                    resource=resource,
                    object_id=object_id,
                    data=None,
                    reason=TombstoneReason.DELETED,
                ),
                digest="",
            )
            created.append(delivery.pk)
            if subscription.paused_at is None:
                _queue([delivery.pk])
    return created


# --- delivery -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptOutcome:
    """What one call of delivery_attempt did, and when to try again (None: not again)."""

    status: str
    retry_in: float | None = None


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failures: base x 2^(attempts-1), capped, with jitter."""
    base = float(_setting("WEBHOOK_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("WEBHOOK_RETRY_MAX_SECONDS", 1800))
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
        check_url(subscription.url, resolve=True)
        with requests.post(
            subscription.url,
            data=body,
            headers=headers,
            timeout=(
                float(_setting("WEBHOOK_CONNECT_TIMEOUT", 5)),
                float(_setting("WEBHOOK_READ_TIMEOUT", 10)),
            ),
            allow_redirects=False,
            stream=True,
        ) as response:
            status_code = response.status_code
            if not 200 <= status_code < 300:
                answer = response.raw.read(_RESPONSE_BYTES_KEPT, decode_content=True) or b""
                error = f"HTTP {status_code}: {answer.decode('utf-8', 'replace')}".strip()
    except UnsafeTarget as exc:
        error = str(exc)
    except (requests.RequestException, ValueError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery=delivery, status_code=status_code, error=error, duration_ms=duration_ms)


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
        pause_after = int(_setting("WEBHOOK_PAUSE_AFTER_FAILURES", 10))
        if subscription.paused_at is None and subscription.consecutive_failures >= pause_after:
            subscription.paused_at = now
            subscription.pause_reason = (
                f"Paused after {subscription.consecutive_failures} failed attempts in a row; last: {error}"[
                    :2000
                ]
            )
            log.warning("webhook %s paused: %s", subscription.pk, subscription.pause_reason)
        if delivery.attempts >= int(_setting("WEBHOOK_MAX_ATTEMPTS", 8)):
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
    from .tasks import deliver

    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)


# --- tombstones -----------------------------------------------------------------------------------


def tombstone_record(*, resource: str, object_id: str, reason: str, partners: bool) -> Tombstone:
    """Note that a record is gone (or gone for partners), for clients that sync to drop their copy."""
    return Tombstone.objects.create(resource=resource, object_id=object_id, reason=reason, partners=partners)


def source_official_changed(*, source_id: int, official: bool) -> int:
    """A source became official, or stopped being so: its updates no reviewer has decided on are
    released to partners, or withdrawn from them (Update.objects.released_to). Withdrawn
    ones get a tombstone; either way each goes through the fan-out, which tells the partners who
    had them. Returns how many updates changed hands."""
    from ingestion.choices import ReviewState
    from ingestion.models import Update

    ids = list(
        Update.objects.filter(post__source_id=source_id, review_state=ReviewState.AUTO).values_list(
            "pk", flat=True
        )
    )
    if not official:
        Tombstone.objects.bulk_create(
            Tombstone(
                resource=Resource.UPDATES, object_id=str(pk), reason=TombstoneReason.WITHDRAWN, partners=True
            )
            for pk in ids
        )
    queue_fan_out_many(resource=Resource.UPDATES, pks=ids)
    return len(ids)


def queue_fan_out(*, resource: str, pk: int) -> None:
    """After the commit, fan a saved record out to the subscriptions (pushed collections only)."""
    if resource not in PUSHED_RESOURCES:
        return
    from .tasks import fan_out as fan_out_task

    transaction.on_commit(lambda: fan_out_task.delay(resource, pk), robust=True)


def queue_fan_out_many(*, resource: str, pks: list[int]) -> None:
    """After the commit, fan records created in bulk out to the subscriptions, in one task."""
    if resource not in PUSHED_RESOURCES or not pks:
        return
    from .tasks import fan_out_many as fan_out_many_task

    ids = list(pks)
    transaction.on_commit(lambda: fan_out_many_task.delay(resource, ids), robust=True)


def queue_fan_out_deleted(*, resource: str, object_id: str, partners: bool) -> None:
    if resource not in PUSHED_RESOURCES:
        return
    from .tasks import fan_out_deleted as task

    transaction.on_commit(lambda: task.delay(resource, object_id, partners), robust=True)
