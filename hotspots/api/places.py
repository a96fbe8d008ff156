"""Where records are: a hotspot's identity and point as a plain tuple, read in the query that needs it.

A page of 100 reports names a few hundred hotspots; reading them as tuples (with ST_X and ST_Y done
by the database) costs a fraction of building a model and a GEOS geometry for each.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import F, FloatField, Func

from core.api.related import JSONRow


class Place(NamedTuple):
    slug: str
    name: str
    department: str
    commune: str
    lon: float | None
    lat: float | None


def place_annotations(path: str) -> dict[str, Func]:
    """Annotations giving the longitude and latitude of the hotspot at ``path`` ("hotspot"; "self" for a
    queryset of hotspots)."""
    location = "location" if path == "self" else f"{path}__location"
    return {
        f"{path}_lon": Func(F(location), function="ST_X", output_field=FloatField()),
        f"{path}_lat": Func(F(location), function="ST_Y", output_field=FloatField()),
    }


def place_columns(path: str) -> list[str]:
    """The values_list() names, after place_annotations(path), that make a Place (in its order)."""
    return [
        f"{path}__slug",
        f"{path}__name",
        f"{path}__department",
        f"{path}__commune",
        f"{path}_lon",
        f"{path}_lat",
    ]


def first_placed(places) -> Place | None:
    """The first place that has a point."""
    return next((p for p in places if p.lon is not None), None)


def places_by_id(ids) -> dict[int, Place]:
    """The places of the hotspots with these ids, in one query."""
    from ..models import Hotspot

    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    rows = (
        Hotspot.objects.filter(pk__in=wanted)
        .annotate(**place_annotations("self"))
        .values_list("pk", "slug", "name", "department", "commune", "self_lon", "self_lat")
    )
    return {pk: Place(*row) for pk, *row in rows}


def place_json(path: str, *keys) -> JSONRow:
    """A JSON array expression: ``keys`` (sort keys, e.g. a mention's start), then a Place's fields, of the
    hotspot at ``path``. Read back with `place_from_json`."""
    location = F(f"{path}__location")
    return JSONRow(
        *keys,
        F(f"{path}__slug"),
        F(f"{path}__name"),
        F(f"{path}__department"),
        F(f"{path}__commune"),
        Func(location, function="ST_X", output_field=FloatField()),
        Func(location, function="ST_Y", output_field=FloatField()),
    )


def place_from_json(row: list, keys: int = 0) -> Place:
    """The Place in a row of `place_json` with that many sort keys first."""
    return Place(*row[keys:])
