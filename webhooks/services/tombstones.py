"""Tombstones: records deleted, or withdrawn from partners, kept for clients that sync by pulling."""

from __future__ import annotations

from ..models import Tombstone


def tombstone_record(*, resource: str, object_id: str, reason: str, partners: bool) -> Tombstone:
    """Note that a record is gone (or gone for partners), for clients that sync to drop their copy."""
    return Tombstone.objects.create(resource=resource, object_id=object_id, reason=reason, partners=partners)
