"""Filter building blocks shared by the apps' FilterSets (`<app>/filters.py`).

Spatial filters work on PostGIS and SpatiaLite alike: a bounding box (`in_bbox`) and a distance in
metres from a point (`point` and `dist`), measured on the sphere on the WGS84 fields, after a
bounding-box test that an index can answer. Both use `coveredby` rather than the bounding-box
lookup `contained`: on SpatiaLite, `contained` (MbrWithin) is true for a record without a point.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from drf_spectacular.utils import extend_schema_field

from . import dates

# Metres in one degree of latitude (and of longitude at the equator), on the mean-radius sphere.
_METRES_PER_DEGREE = 111_195.0
MAX_DISTANCE_M = 500_000  # Haiti is 300 km across; more is a mistake
DEFAULT_DISTANCE_M = 1000


# Decimal degrees, as the schema documents them: longitude -180..180, latitude -90..90.
LON = r"-?(?:180(?:\.0+)?|1[0-7]\d(?:\.\d+)?|\d{1,2}(?:\.\d+)?)"
LAT = r"-?(?:90(?:\.0+)?|[0-8]?\d(?:\.\d+)?)"
POINT_PATTERN = rf"^{LON},{LAT}$"
BBOX_PATTERN = rf"^{LON},{LAT},{LON},{LAT}$"


def _numbers(text: str, pattern: str, what: str) -> list[float]:
    text = (text or "").replace(" ", "")
    if not re.fullmatch(pattern, text):
        raise ValidationError(f"Give {what} in decimal degrees, longitude -180..180 and latitude -90..90.")
    return [float(part) for part in text.split(",")]


class BBoxField(forms.CharField):
    """`min_lon,min_lat,max_lon,max_lat` in WGS84, cleaned to a polygon (corners in any order)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        lon1, lat1, lon2, lat2 = _numbers(value, BBOX_PATTERN, "the box as min_lon,min_lat,max_lon,max_lat")
        return Polygon.from_bbox((min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)))


class PointField(forms.CharField):
    """`lon,lat` in WGS84, cleaned to a point."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        lon, lat = _numbers(value, POINT_PATTERN, "the point as lon,lat")
        return Point(lon, lat, srid=4326)


@extend_schema_field(
    {
        "type": "string",
        "pattern": BBOX_PATTERN,
        "example": "-72.45,18.45,-72.2,18.65",
        "description": (
            "The records inside the box `min_lon,min_lat,max_lon,max_lat`, in WGS84 decimal degrees, "
            "longitude first."
        ),
    }
)
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField


@extend_schema_field(
    {
        "type": "string",
        "pattern": POINT_PATTERN,
        "example": "-72.335,18.54",
        "description": (
            "`lon,lat` in WGS84 decimal degrees, longitude first: the records within `dist` metres of it "
            f"(default {DEFAULT_DISTANCE_M} m)."
        ),
    }
)
class PointFilter(django_filters.Filter):
    field_class = PointField


class StrictBooleanField(forms.Field):
    """true or false (also 1/0, yes/no); empty is absent; anything else is refused, not ignored."""

    TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")

    def to_python(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        if text == "":
            return None
        raise ValidationError("Give true or false.")


# Unix epoch seconds (`1741046400`, `1741046400.5`), accepted wherever a time is.
_EPOCH = re.compile(r"^\d{1,11}(?:\.\d{1,6})?$")
TIME_HELP = (
    "ISO 8601 (`2025-03-01T12:00:00Z`); a time without an offset is UTC, a date alone its midnight UTC; "
    "or Unix epoch seconds (`1740830400`)."
)


def parse_time(text: str) -> datetime:
    """A time as partners send it: ISO 8601 with or without an offset (without: UTC), a date alone
    (its midnight UTC), or Unix epoch seconds. Raises ValidationError naming what it accepts."""
    text = (text or "").strip()
    try:
        if _EPOCH.fullmatch(text):
            return dates.clamp_time(datetime.fromtimestamp(float(text), tz=UTC))
        value = datetime.fromisoformat(text.replace("z", "Z"))
        # The portal's one bound (core/dates.py): no record is dated outside it, so a time before or
        # after it asks the same question as the bound itself and is read as the bound. Bounded
        # before converting: year 1 at +14:00 or 9999-12-31 at -05:00 has no UTC form.
        value = dates.clamp_time(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        # The database keeps offsets within +-15:59, and times in UTC: convert before asking.
        return value.astimezone(UTC)
    except (OverflowError, OSError, ValueError) as exc:
        # The value is not echoed: it may hold anything, and Django formats these messages with `%`.
        raise ValidationError(f"Not a time: give {TIME_HELP}") from exc


class _UTCDateTimeField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        return parse_time(value) if value else None


# An RFC 3339 time or epoch seconds; a time without an offset or a date alone is taken too, as every
# description says.
TIME_SCHEMA = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "pattern": _EPOCH.pattern},
    ],
    "example": "2025-03-01T12:00:00Z",
}


@extend_schema_field(TIME_SCHEMA)
class DateTimeFilter(django_filters.Filter):
    """A time: ISO 8601 (without an offset, UTC) or Unix epoch seconds."""

    field_class = _UTCDateTimeField

    def __init__(self, *args, **kwargs):
        # Every time parameter says, in the schema, how a time is read.
        if kwargs.get("help_text") and TIME_HELP not in kwargs["help_text"]:
            kwargs["help_text"] = f"{kwargs['help_text']} {TIME_HELP[0].upper()}{TIME_HELP[1:]}"
        super().__init__(*args, **kwargs)


class _BoundedDateField(forms.DateField):
    def __init__(self, *args, ahead: timedelta = dates.AHEAD, **kwargs):
        self.ahead = ahead
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return None if value is None else dates.clamp_day(value, ahead=self.ahead)


class DateFilter(django_filters.DateFilter):
    """A day (`YYYY-MM-DD`); one outside 2000-01-01 .. ``ahead`` of today (a day; a year for what is
    planned) is read as the nearest end of that span."""

    field_class = _BoundedDateField


@extend_schema_field(
    {
        "type": "number",
        "minimum": 0,
        "maximum": MAX_DISTANCE_M,
        "default": DEFAULT_DISTANCE_M,
        "description": (
            f"Metres from `point`, measured on the sphere: 0 to {MAX_DISTANCE_M} "
            f"(default {DEFAULT_DISTANCE_M}). Read only with `point`."
        ),
    }
)
class DistanceFilter(django_filters.NumberFilter):
    """Metres, from 0 to MAX_DISTANCE_M."""


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class _ChoicesField(django_filters.fields.MultipleChoiceField):
    def clean(self, value):
        # `?kind=` (empty, as a form sends it) is no filter, not a wrong choice.
        return super().clean([v for v in value or [] if v != ""])


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """One or more of the choices, the parameter repeated (`?kind=patrol&kind=raid`): any of them."""

    field_class = _ChoicesField


class _RepeatableCSVWidget(django_filters.widgets.BaseCSVWidget, forms.TextInput):
    """Comma-separated values, in one parameter or several (`?hotspot=a,b` or `?hotspot=a&hotspot=b`)."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if values is None or values == []:
            return None
        if isinstance(values, str):
            values = [values]
        return [part for value in values for part in str(value).split(",") if part != ""]


class ValuesFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Several values, comma-separated or the parameter repeated (`?hotspot=a,b`, `?hotspot=a&hotspot=b`):
    records matching any; unknown ones match nothing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _RepeatableCSVWidget)
        super().__init__(*args, **kwargs)


def box_around(point: Point, metres: float) -> Polygon:
    """A box that surely holds every point within ``metres`` of ``point`` (a little larger than needed)."""
    dlat = metres / _METRES_PER_DEGREE * 1.01
    cos_lat = max(math.cos(math.radians(min(abs(point.y) + dlat, 89.9))), 1e-6)
    dlon = min(dlat / cos_lat, 180.0)
    return Polygon.from_bbox(
        (
            max(point.x - dlon, -180),
            max(point.y - dlat, -90),
            min(point.x + dlon, 180),
            min(point.y + dlat, 90),
        )
    )


def keyset_order(value: str) -> list:
    """The ORDER BY for an ordering choice such as `-published_at`: nulls last, the id breaking ties."""
    descending = value.startswith("-")
    name = value.lstrip("-")
    if name in ("id", "pk"):
        return ["-pk" if descending else "pk"]
    field = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return [field, "-pk" if descending else "pk"]


class OrderingFilter(django_filters.ChoiceFilter):
    """`?ordering=field` or `-field` (descending), one of ``fields``; ties broken by id.

    The cursor pagination of the API reads the same choice, so a page boundary is always a
    (value, id) pair and pages stay stable while records are added.
    """

    def __init__(self, *, fields: tuple[str, ...], default: str, **kwargs):
        self.fields = (*fields, "id")
        self.default = default
        choices = []
        for name in self.fields:
            choices += [(name, f"{name}, ascending"), (f"-{name}", f"{name}, descending")]
        kwargs.setdefault("label", "Sort order")
        kwargs.setdefault("help_text", f"Sort order: a field, '-' first for descending. Default {default}.")
        super().__init__(choices=choices, **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*keyset_order(value or self.default))


class MissionFilterSet(django_filters.FilterSet):
    """Filters every collection has: `updated_since`, and a text search over ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Changed since",
        help_text=f"Records created or changed at or after this time, for incremental sync: {TIME_HELP}",
    )
    q = django_filters.CharFilter(
        method="filter_text", label="Text search", help_text="Words to find (case-insensitive)."
    )

    def filter_related(self, queryset, name, value):
        """For a ValuesFilter across a relation: records related to any of the values."""
        if not value:
            return queryset
        return queryset.filter(_through_subquery(queryset, name, {f"{name}__in": value}))

    def filter_text(self, queryset, name, value):
        for word in value.split()[:10]:
            condition = Q()
            for field in self.search_fields:
                condition |= _through_subquery(queryset, field, {f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset


def _through_subquery(queryset, path: str, terms: dict) -> Q:
    """``terms`` as a condition; across a relation, in a subquery, so no record is listed twice."""
    if "__" not in path:
        return Q(**terms)
    return Q(pk__in=queryset.model._base_manager.filter(**terms).values("pk"))


class SpatialFilterSet(MissionFilterSet):
    """Adds `in_bbox` and `point` with `dist` (metres) over the geometries at ``geometry_paths``.

    A path through a relation (e.g. `hotspots__location`) is tested in a subquery, so a record
    placed at two hotspots inside the area is listed once.
    """

    geometry_paths: tuple[str, ...] = ("location",)

    in_bbox = BBoxFilter(
        method="filter_in_bbox",
        label="Inside the box",
        help_text="min_lon,min_lat,max_lon,max_lat (WGS84 degrees).",
    )
    point = PointFilter(
        method="filter_near",
        label="Near the point",
        help_text="lon,lat (WGS84 degrees); with `dist`, the records within that many metres.",
    )
    dist = DistanceFilter(
        method="filter_nothing",
        min_value=0,
        max_value=MAX_DISTANCE_M,
        label="Distance (metres)",
        help_text=f"Distance in metres from `point` (default {DEFAULT_DISTANCE_M}).",
    )

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_near

    def filter_in_bbox(self, queryset, name, value):
        return self._spatial(queryset, {"coveredby": value})

    def filter_near(self, queryset, name, value):
        metres = self.form.cleaned_data.get("dist")
        metres = float(DEFAULT_DISTANCE_M if metres is None else metres)
        # The box lets an index discard far records; the distance on the sphere decides the rest.
        return self._spatial(
            queryset, {"coveredby": box_around(value, metres), "distance_lte": (value, D(m=metres))}
        )

    def _spatial(self, queryset, lookups: dict) -> object:
        condition = Q()
        for path in self.geometry_paths:
            terms = {f"{path}__{lookup}": value for lookup, value in lookups.items()}
            condition |= _through_subquery(queryset, path, terms)
        return queryset.filter(condition)
