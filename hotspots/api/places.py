"""Where records are, as the API shows them: the hotspots a record names, read in the record's own query."""

from __future__ import annotations

from django.db.models import F

from core.api.fields import point
from core.api.related import X, Y


def place_values(hotspot: str) -> list:
    """What places a record, read through its link ``hotspot`` for `core.api.related.related_json`:
    name, pk, slug, lon, lat, department, commune (rows sort by name)."""
    return [
        F(f"{hotspot}__name"),
        F(f"{hotspot}__pk"),
        F(f"{hotspot}__slug"),
        X(f"{hotspot}__location"),
        Y(f"{hotspot}__location"),
        F(f"{hotspot}__department"),
        F(f"{hotspot}__commune"),
    ]


def where(places: list[list], own: dict | None = None) -> dict:
    """Geometry, department and commune of a record from its `place_values` rows (slug, lon, lat,
    department, commune at 2 to 6): its own point ``own`` if it has one, else its first placed
    hotspot's; department and commune are that hotspot's."""
    first = next((p for p in places if p[3] is not None), None)
    return {
        "geometry": own or (point(first[3], first[4]) if first else None),
        "department": first[5] if first else "",
        "commune": first[6] if first else "",
    }
