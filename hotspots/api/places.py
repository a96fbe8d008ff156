"""Where records are, as the API shows them: the hotspots a record names, read with only what places it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import Hotspot

PLACE_FIELDS = ("slug", "name", "department", "commune", "location")


def place_hotspots() -> QuerySet:
    """Hotspots with the fields that place a record (no area), for a `Prefetch` of a record's hotspots."""
    return Hotspot.objects.only(*PLACE_FIELDS).order_by("name", "pk")


def first_placed(hotspots: Iterable[Hotspot | None]) -> Hotspot | None:
    """The first hotspot that has a point."""
    return next((h for h in hotspots if h is not None and h.location is not None), None)
