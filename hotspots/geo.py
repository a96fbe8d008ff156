"""Haiti's outline, used to refuse locations outside the mission's area."""

from functools import lru_cache
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.formats import number_format
from django.utils.translation import gettext

OUTLINE_PATH = Path(__file__).resolve().parent / "data" / "haiti_outline.geojson"


@lru_cache(maxsize=1)
def haiti_outline() -> GEOSGeometry:
    """The union of Haiti's departments, buffered about 2 km so coastal sites (ports) fit."""
    import json

    data = json.loads(OUTLINE_PATH.read_text(encoding="utf-8"))
    geometry = GEOSGeometry(json.dumps(data["features"][0]["geometry"]), srid=4326)
    geometry.prepared  # noqa: B018 - builds the prepared geometry once for fast containment tests
    return geometry


def is_in_haiti(point: Point) -> bool:
    """True when the point (WGS84) lies within Haiti's outline; an empty point is nowhere."""
    if point.empty:
        return False
    if point.srid not in (None, 4326):
        point = point.transform(4326, clone=True)
    return haiti_outline().prepared.contains(point)


def outside_haiti_message(point: Point) -> str:
    """Why a point is refused, in the user's language; it fits a point clicked on the map as well as
    coordinates typed in (where swapped latitude and longitude are the usual slip)."""
    if point.empty:
        return gettext("The location is empty: place a point on the map or clear the field.")
    return gettext(
        "The point (latitude %(lat)s, longitude %(lon)s) is outside Haiti. On the map, place it within "
        "Haiti's outline; if you typed the coordinates, check that latitude and longitude are not swapped."
    ) % {"lat": number_format(point.y, 5), "lon": number_format(point.x, 5)}
