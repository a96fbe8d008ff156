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


def _payload(*, event: str, resource: str, object_id: str, data) -> dict:
    return {
        "event": event,
        "resource": resource,
        "id": object_id,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }


def record_as_read_by(spec, pk: int, owner):
    """The record as ``owner`` reads it in the API, or None when ``owner`` may not see it."""
    queryset = spec.viewset.queryset.all().visible_to(owner)
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return None
    return _jsonable(spec.viewset.serializer_class(obj, context={"user": owner}).data)


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


def _event(*, last: WebhookDelivery | None, level: str | None, seen_before, data) -> str | None:
    """What one subscription is told of a saved record, or None (nothing it does not know already).

    Whether the owner may have the record is what was last sent to this subscription; with nothing
    sent yet (the record predates the subscription), whether the owner's level could see it before
    this write (``seen_before``: None when unknown, taken as no).
    """
    if last is not None:
        had_it = last.event in (Event.CREATED, Event.CHANGED)
    else:
        had_it = level is not None and level in (seen_before or ())
    if data is None:
        return Event.WITHDRAWN if had_it else None
    if had_it and last is not None and last.digest == _digest(data):
        return None
    return Event.CHANGED if had_it else Event.CREATED


def fan_out(
    *, resource: str, pk: int, seen_before: list[str] | None = None, hotspots_before: list[int] | None = None
) -> list[int]:
    """Tell each subscription whose owner may see a saved record, or saw it, what changed for them.

    ``created``: a record new to the owner (new, or newly released to them); ``changed``: a record
    the owner may have, in its new state, whenever the subscription began; ``withdrawn``: a record
    the owner may have that they may no longer see (releasability lowered, an update un-confirmed,
    its source no longer official). A record unchanged since the last delivery is not sent again.
    The owner's copy is compared with the record as it is when this runs, so fan-outs of one record
    that run late or out of order still leave each subscription with its last state.
    A record counted in the hotspots' activity is followed by the hotspots it was at
    (``hotspots_before``) and is at, whose counts may have changed for some owners.
    Returns the ids of the deliveries created (queued once committed).
    """
    spec = RESOURCES[resource]
    record = spec.model._base_manager.filter(pk=pk).first()
    if record is None:
        return []  # deleted since: the deletion has its own event
    return [
        *_fan_out_record(spec, record, seen_before),
        *fan_out_hotspots(resource=resource, pks=[pk], hotspots_before=hotspots_before),
    ]


def _fan_out_record(spec, record, seen_before: list[str] | None) -> list[int]:
    resource, pk = spec.name, record.pk
    object_id = spec.object_id(record)
    created: list[int] = []
    for subscription in _subscriptions_for(resource):
        with transaction.atomic():
            # One fan-out at a time per subscription, so two saves of a record are compared in order.
            WebhookSubscription.objects.select_for_update().filter(pk=subscription.pk).first()
            data = record_as_read_by(spec, pk, subscription.owner)
            event = _event(
                last=_last_delivery(subscription, resource, object_id),
                level=spec.model.objects.reader_level(subscription.owner),
                seen_before=seen_before,
                data=data,
            )
            if event is None:
                continue
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event=event,
                resource=resource,
                object_id=object_id,
                payload=_payload(event=event, resource=resource, object_id=object_id, data=data),
                digest="" if data is None else _digest(data),
            )
            created.append(delivery.pk)
            if subscription.paused_at is None:
                queue_deliveries([delivery.pk])
    return created


def fan_out_many(*, resource: str, pks: list[int], seen_before: list[str] | None = None) -> list[int]:
    """fan_out for records written together (a batch of processed posts): one task, not one each."""
    spec = RESOURCES[resource]
    created: list[int] = []
    if _subscriptions_for(resource):
        for record in spec.model._base_manager.filter(pk__in=pks).order_by("pk"):
            created += _fan_out_record(spec, record, seen_before)
    return created + fan_out_hotspots(resource=resource, pks=pks)


def fan_out_hotspots(*, resource: str, pks: list[int], hotspots_before: list[int] | None = None) -> list[int]:
    """Fan out the hotspots that records of ``resource`` were at or are at: their activity counts
    (what the owner may see there) may have changed. A hotspot whose counts did not change for an
    owner is not sent again (its last delivery is compared)."""
    spec = RESOURCES[resource]
    if spec.hotspot_ids is None or not _subscriptions_for(Resource.HOTSPOTS):
        return []
    hotspots = RESOURCES[Resource.HOTSPOTS]
    wanted = set(hotspots_before or ()) | (spec.hotspot_ids(pks) if pks else set())
    created: list[int] = []
    for record in hotspots.model._base_manager.filter(pk__in=wanted).order_by("pk"):
        created += _fan_out_record(hotspots, record, list(Releasability))  # every hotspot is public
    return created


def fan_out_deleted(
    *, resource: str, object_id: str, partners: bool, hotspots_before: list[int] | None = None
) -> list[int]:
    """Announce a deletion to each subscription whose owner could see the record; then fan out the
    hotspots it was at (``hotspots_before``), whose counts may have changed."""
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
                payload=_payload(event=Event.DELETED, resource=resource, object_id=object_id, data=None),
                digest="",
            )
            created.append(delivery.pk)
            if subscription.paused_at is None:
                queue_deliveries([delivery.pk])
    if hotspots_before:
        created += fan_out_hotspots(resource=resource, pks=[], hotspots_before=hotspots_before)
    return created


def source_changed(*, source_id: int, was_official: bool, official: bool) -> int:
    """A source was renamed, made official or unmade so: each of its updates shows the change
    (``post.source``, ``post.source_official``), and those no reviewer has decided on are released
    to partners, or withdrawn from them, when its trust changed (Update.objects.released_to).
    Withdrawn ones get a tombstone; every update goes through the fan-out, which tells each
    subscription what changed for it. Returns how many updates changed hands."""
    from ingestion.choices import ReviewState
    from ingestion.models import Update

    by_state: dict[str, list[int]] = {}
    for pk, state in Update.objects.filter(post__source_id=source_id).values_list("pk", "review_state"):
        by_state.setdefault(state, []).append(pk)
    unreviewed = by_state.get(ReviewState.AUTO, []) if was_official != official else []
    if was_official and not official:
        Tombstone.objects.bulk_create(
            Tombstone(
                resource=Resource.UPDATES, object_id=str(pk), reason=TombstoneReason.WITHDRAWN, partners=True
            )
            for pk in unreviewed
        )
    everyone, members = list(Releasability), [Releasability.MISSION]
    # Who saw each update before the change: a reviewer's decision holds whatever the source; an
    # unreviewed update was seen outside the mission while its source was official.
    seen_before = {
        ReviewState.AUTO: everyone if was_official else members,
        ReviewState.CONFIRMED: everyone,
        ReviewState.CORRECTED: everyone,
        ReviewState.REJECTED: members,
    }
    for state, pks in by_state.items():
        queue_fan_out_many(resource=Resource.UPDATES, pks=pks, seen_before=seen_before.get(state))
    return len(unreviewed)
