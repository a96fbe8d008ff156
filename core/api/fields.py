"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from django.contrib.gis.geos import Point
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

POINT_SCHEMA = {
    "type": "object",
    "description": 'A GeoJSON Point in WGS84: `{"type": "Point", "coordinates": [lon, lat]}`.',
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {
            "type": "array",
            "items": {"type": "number", "format": "double"},
            "minItems": 2,
            "maxItems": 2,
            "example": [-72.335, 18.54],
        },
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field({**POINT_SCHEMA, "nullable": True})
class PointField(serializers.Field):
    """A GeoJSON Point, read without GDAL: nothing but `type` and two finite WGS84 coordinates."""

    default_error_messages = {
        "invalid": 'Give a GeoJSON Point: {{"type": "Point", "coordinates": [lon, lat]}}.',
        "range": "Longitude must be within -180..180 and latitude within -90..90.",
    }

    def to_representation(self, value):
        return None if value is None else point(value.x, value.y)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") != "Point":
            self.fail("invalid")
        coordinates = data.get("coordinates")
        if (
            not isinstance(coordinates, list)
            or len(coordinates) != 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
            or not all(math.isfinite(c) for c in coordinates)
        ):
            self.fail("invalid")
        lon, lat = (float(c) for c in coordinates)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.fail("range")
        return Point(lon, lat, srid=4326)


def point(lon: float | None, lat: float | None) -> dict | None:
    """A GeoJSON Point of coordinates (a geometry's, or read as numbers by `core.api.related.X`, `Y`),
    to 7 decimals (about a centimetre)."""
    return None if lon is None else {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


def utc(moment: datetime | None) -> str | None:
    """A time as UTCDateTimeField writes it (`2025-03-01T17:00:00Z`, microseconds when there are some)."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class UTCDateTimeField(serializers.DateTimeField):
    """A time in UTC (`2025-03-01T17:00:00Z`) whatever the portal's own time zone; naive input is UTC."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


# The JSON type each kind of field takes. DRF also takes 0 for false, "12" for 12 and 12 for "12":
# the API refuses them, as its schema says.
_JSON_TYPES: list[tuple[type, tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.ManyRelatedField, (list,), "a list"),
    (serializers.ListField, (list,), "a list"),
    (serializers.CharField, (str,), "text"),
    (serializers.ChoiceField, (str,), "one of the choices, as text"),
    (serializers.DateTimeField, (str,), "a time (ISO 8601)"),
    (serializers.DateField, (str,), "a date (YYYY-MM-DD)"),
    (serializers.RelatedField, (str,), "an identifier, as text"),
]


def json_type_errors(fields, data) -> dict[str, list[str]]:
    """The fields of ``data`` whose JSON type is not the one their field takes."""
    errors = {}
    for name, field in fields.items():
        if field.read_only or name not in data or data[name] is None:
            continue
        value = data[name]
        for kind, types, words in _JSON_TYPES:
            if isinstance(field, kind):
                if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                    errors[name] = [f"Give {words}."]
                break
    return errors


class UTCTimesMixin:
    """For ModelSerializers: date-times in UTC, as partners' systems expect them, and JSON types kept."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateTimeField:
            field_class = UTCDateTimeField
        return field_class, field_kwargs

    def represent(self, record, **computed) -> dict:
        """The record as its Meta.fields list it, from ``computed`` values or its own attributes: a
        serializer whose page reads its related rows in its own query (core/api/related.py) writes
        them itself, for the cost of DRF's field-by-field reading (bench/scale.py)."""
        out = {}
        for name in self.Meta.fields:
            value = computed[name] if name in computed else getattr(record, name)
            if isinstance(value, datetime):
                value = utc(value)
            elif isinstance(value, date):
                value = value.isoformat()
            out[name] = value
        return out

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = json_type_errors(self.fields, data)
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def reader(serializer) -> object | None:
    """The user the record is shown to: the request's, or the webhook subscriber's."""
    user = serializer.context.get("user")
    if user is None and serializer.context.get("request") is not None:
        user = serializer.context["request"].user
    return user
