"""Events and their fan-out: which subscriptions hear of a saved, withdrawn or deleted record, and how.

A record saved or deleted (signals.py) is fanned out after the commit to every active subscription
whose owner may see it, as the owner would read it in the API; each event becomes one delivery
per subscription (delivery.py sends it).
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.releasability import Releasability

from ..choices import Event, Resource, TombstoneReason
from ..models import Tombstone, WebhookDelivery, WebhookSubscription
from ..resources import RESOURCES
from .queueing import queue_deliveries, queue_fan_out_many


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


def record_as_read_by(spec, pk: int, owner):
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
            data = record_as_read_by(spec, pk, subscription.owner)
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
                queue_deliveries([delivery.pk])
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
                queue_deliveries([delivery.pk])
    return created


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
