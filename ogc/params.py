"""The query parameters of OGC API - Features: `bbox`, `datetime`, `limit`, `offset`, `f`.

Each is checked as the standard says and refused with 400 naming the parameter and what it takes,
as is any parameter the OpenAPI document does not list (requirement /req/core/query-param-unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from core.api.pagination import MAX_PAGE_SIZE
from core.filters import parse_time

DEFAULT_LIMIT = 100
MAX_LIMIT = MAX_PAGE_SIZE
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def refuse_unknown(query_params, allowed: frozenset[str]) -> None:
    unknown = sorted(set(query_params) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: [f"Not a parameter of this resource; it takes {', '.join(sorted(allowed))}."]
                for name in unknown
            }
        )


def check_format(query_params, formats: tuple[str, ...]) -> None:
    value = query_params.get("f")
    if value is not None and value not in formats:
        raise ValidationError({"f": [f"One of {', '.join(formats)}."]})


def limit_from(query_params) -> int:
    """`limit`: 1 to MAX_LIMIT (default DEFAULT_LIMIT); a larger limit is served as MAX_LIMIT features,
    as the standard allows (/req/core/fc-limit-response-1)."""
    raw = query_params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError({"limit": [f"A whole number from 1 (at most {MAX_LIMIT} are served)."]})
    return min(int(raw), MAX_LIMIT)


def offset_from(query_params) -> int:
    raw = query_params.get("offset")
    if raw is None:
        return 0
    if not raw.isascii() or not raw.isdigit():
        raise ValidationError({"offset": ["A whole number from 0: take it from a `next` or `prev` link."]})
    return int(raw)


def bbox_from(query_params) -> Polygon | None:
    """`bbox=minLon,minLat,maxLon,maxLat` in CRS84 (or six numbers, with heights, which are ignored)."""
    raw = query_params.get("bbox")
    if raw is None:
        return None
    parts = raw.split(",")
    problem = "Four numbers, minLon,minLat,maxLon,maxLat in degrees (CRS84), or six with heights (ignored)."
    if len(parts) not in (4, 6) or not all(_NUMBER.fullmatch(p.strip()) for p in parts):
        raise ValidationError({"bbox": [problem]})
    numbers = [float(p) for p in parts]
    lon1, lat1, lon2, lat2 = (
        (numbers[0], numbers[1], numbers[3], numbers[4]) if len(numbers) == 6 else numbers
    )
    if not (-180 <= lon1 <= 180 and -180 <= lon2 <= 180 and -90 <= lat1 <= lat2 <= 90):
        raise ValidationError(
            {"bbox": ["Longitudes within -180..180, latitudes within -90..90, the lower latitude first."]}
        )
    if lon1 > lon2:
        # A box across the antimeridian; nothing of the mission is near it, but the answer is still right.
        return Polygon.from_bbox((lon1, lat1, 180, lat2)).union(Polygon.from_bbox((-180, lat1, lon2, lat2)))
    return Polygon.from_bbox((lon1, lat1, lon2, lat2))


@dataclass(frozen=True)
class TimeRange:
    """A closed or half-open span of time: `start` (inclusive, None for open), `end` (None for open),
    `end_inclusive` False for a date given alone, whose day ends at the next midnight."""

    start: datetime | None
    end: datetime | None
    end_inclusive: bool = True

    def condition(self, field: str, *, is_date: bool) -> Q:
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start.date() if is_date else self.start})
        if self.end is not None:
            if is_date:
                day = self.end.date()
                if not self.end_inclusive and self.end.time() == time.min:
                    day -= timedelta(days=1)
                condition &= Q(**{f"{field}__lte": day})
            else:
                condition &= Q(**{f"{field}__{'lte' if self.end_inclusive else 'lt'}": self.end})
        return condition


def _instant(text: str, *, as_end: bool) -> tuple[datetime, bool]:
    """A date-time, or a date (its whole day: from its midnight, or to the next one, excluded)."""
    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise ValidationError({"datetime": [f"{text!r} is no date."]}) from exc
        if as_end:
            return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC), False
        return datetime.combine(day, time.min, tzinfo=UTC), True
    try:
        return parse_time(text), True
    except DjangoValidationError as exc:
        raise ValidationError({"datetime": exc.messages}) from exc


def time_range_from(query_params) -> TimeRange | None:
    """`datetime`: an instant (`2025-03-01T12:00:00Z`, a date alone for its whole day) or an interval
    `start/end` where either end may be open (`..` or empty)."""
    raw = query_params.get("datetime")
    if raw is None:
        return None
    if raw.count("/") > 1 or not raw.strip():
        raise ValidationError(
            {"datetime": ["An instant, or an interval start/end where one end may be `..`."]}
        )
    if "/" not in raw:
        start, _ = _instant(raw, as_end=False)
        end, inclusive = _instant(raw, as_end=True)
        if inclusive:  # a date-time: that instant exactly
            return TimeRange(start, start)
        return TimeRange(start, end, end_inclusive=False)
    first, second = (part.strip() for part in raw.split("/"))
    if first in ("", "..") and second in ("", ".."):
        raise ValidationError({"datetime": ["Give at least one end of the interval."]})
    start = None if first in ("", "..") else _instant(first, as_end=False)[0]
    end, inclusive = (None, True) if second in ("", "..") else _instant(second, as_end=True)
    if start is not None and end is not None and start > end:
        raise ValidationError({"datetime": ["The interval ends before it starts."]})
    return TimeRange(start, end, end_inclusive=inclusive)
