"""Where records are, as the API shows them: the hotspots a record names, read in the record's own query."""

from __future__ import annotations

from django.db.models import F

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
