"""Record changes seen from above: tombstones for deletions and withdrawals, webhook fan-out after commit.

The other apps know nothing of this one; their services save, and these receivers follow.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from accounts.releasability import Releasability
from ingestion.models import Mention, Source
from ingestion.signals import updates_created

from . import services
from .choices import Resource, TombstoneReason
from .resources import BY_MODEL, RESOURCES

# The reader levels that saw a record before a save (ResourceSpec.levels_seeing), kept from pre_save.
_SEEN_BY = "_webhooks_seen_by"
# The hotspots a record counted in their activity was at before a save or a deletion.
_AT_HOTSPOTS = "_webhooks_at_hotspots"
_PARTNERS_SAW = "_webhooks_partners_saw"


def connect() -> None:
    for spec in RESOURCES.values():
        uid = f"webhooks-{spec.name}"
        pre_delete.connect(_before_delete, sender=spec.model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_after_delete, sender=spec.model, dispatch_uid=f"{uid}-post-delete")
        post_save.connect(_after_save, sender=spec.model, dispatch_uid=f"{uid}-post-save")
        if spec.withdrawable:
            pre_save.connect(_before_save, sender=spec.model, dispatch_uid=f"{uid}-pre-save")
        # Links changed on their own (report.hotspots.add(...)), with no save of the record.
        for field in spec.model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"{uid}-{field.name}-m2m")
    updates_created.connect(_after_bulk_create, dispatch_uid="webhooks-updates-created")
    post_delete.connect(_after_mention_delete, sender=Mention, dispatch_uid="webhooks-mention-post-delete")
    # Whether partners see an update also depends on its source being official; they see its name.
    pre_save.connect(_before_source_save, sender=Source, dispatch_uid="webhooks-source-pre-save")
    post_save.connect(_after_source_save, sender=Source, dispatch_uid="webhooks-source-post-save")


# A source's trust and name before a save: its updates show both.
_WAS = "_webhooks_source_was"


def _before_source_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    was = Source.objects.filter(pk=instance.pk).values_list("is_official", "name").first()
    setattr(instance, _WAS, was)


def _after_source_save(sender, instance, created, raw=False, **kwargs) -> None:
    was = instance.__dict__.pop(_WAS, None)
    if raw or created or was is None or was == (instance.is_official, instance.name):
        return
    services.source_changed(source_id=instance.pk, was_official=was[0], official=instance.is_official)


def _after_bulk_create(sender, pks, **kwargs) -> None:
    # New records: nothing was released before, so nothing to withdraw; only the fan-out.
    services.queue_fan_out_many(resource=Resource.UPDATES, pks=pks, seen_before=[])


def _spec(sender):
    return BY_MODEL[sender]


def _hotspots_now(spec, pk) -> list[int] | None:
    return sorted(spec.hotspot_ids([pk])) if spec.hotspot_ids is not None else None


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    spec = _spec(sender)
    setattr(instance, _SEEN_BY, spec.levels_seeing(instance.pk))
    setattr(instance, _AT_HOTSPOTS, _hotspots_now(spec, instance.pk))


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    spec = _spec(sender)
    if created:
        seen_before = []
    elif spec.withdrawable:
        seen_before = instance.__dict__.pop(_SEEN_BY, None)
    else:
        seen_before = spec.levels_seeing(instance.pk)  # released whole or not at all: as it was
    if seen_before is not None and Releasability.PARTNERS in seen_before and not spec.released(instance.pk):
        # Partners who copied it must drop it: to them it is as good as deleted.
        services.tombstone_record(
            resource=spec.name,
            object_id=spec.object_id(instance),
            reason=TombstoneReason.WITHDRAWN,
            partners=True,
        )
    services.queue_fan_out(
        resource=spec.name,
        pk=instance.pk,
        seen_before=seen_before,
        hotspots_before=instance.__dict__.pop(_AT_HOTSPOTS, None),
    )


def _before_delete(sender, instance, **kwargs) -> None:
    # Asked before the row goes: afterwards there is nothing left to test.
    spec = _spec(sender)
    setattr(instance, _PARTNERS_SAW, spec.released(instance.pk))
    setattr(instance, _AT_HOTSPOTS, _hotspots_now(spec, instance.pk))


def _after_delete(sender, instance, **kwargs) -> None:
    spec = _spec(sender)
    partners = getattr(instance, _PARTNERS_SAW, False)
    object_id = spec.object_id(instance)
    services.tombstone_record(
        resource=spec.name, object_id=object_id, reason=TombstoneReason.DELETED, partners=partners
    )
    services.queue_fan_out_deleted(
        resource=spec.name,
        object_id=object_id,
        partners=partners,
        hotspots_before=instance.__dict__.pop(_AT_HOTSPOTS, None),
    )


def _after_mention_delete(sender, instance, **kwargs) -> None:
    # A reviewer's correction or a reprocessing moved an update off a hotspot: its counts changed.
    everyone = list(Releasability)
    services.queue_fan_out(resource=Resource.HOTSPOTS, pk=instance.hotspot_id, seen_before=everyone)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if reverse or type(instance) not in BY_MODEL:
        return  # from the other side (hotspot.operation_reports.add): not a path the portal takes
    spec = _spec(type(instance))
    if action == "pre_clear":
        setattr(instance, _AT_HOTSPOTS, _hotspots_now(spec, instance.pk))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    hotspots_before = instance.__dict__.pop(_AT_HOTSPOTS, None) if action == "post_clear" else None
    if model is RESOURCES[Resource.HOTSPOTS].model and action == "post_remove":
        hotspots_before = sorted(pk_set or ())
    # Links change what the record shows, never who may see it.
    seen = spec.levels_seeing(instance.pk)
    services.queue_fan_out(
        resource=spec.name, pk=instance.pk, seen_before=seen, hotspots_before=hotspots_before
    )
