"""Model field validators on the portal's one date bound (core/dates.py), and the report of rows
already outside it (for a data migration: it says, it does not change)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Q

from . import dates

log = logging.getLogger(__name__)


def validate_event_time(value: datetime | None) -> None:
    """A time something happened: from 2000-01-01 to a day ahead of now."""
    problem = dates.time_problem(value)
    if problem:
        raise ValidationError(f"{problem}.", code="date_out_of_bounds")


def validate_planned_day(value) -> None:
    """A day something happened or is planned for: from 2000-01-01 to a year ahead."""
    problem = dates.day_problem(value, ahead=dates.PLANNED_AHEAD)
    if problem:
        raise ValidationError(f"{problem}.", code="date_out_of_bounds")


def report_rows_outside_bounds(model, fields: dict[str, str], *, write=print) -> int:
    """Write one line per row of ``model`` with a field outside the bound, and return how many rows;
    nothing is changed. ``fields``: name -> "event" (a time) or "planned" (a day)."""
    now = datetime.now(UTC)
    condition = Q()
    for name, kind in fields.items():
        if kind == "planned":
            condition |= Q(**{f"{name}__lt": dates.EARLIEST.date()}) | Q(
                **{f"{name}__gt": (now + dates.PLANNED_AHEAD).date()}
            )
        else:
            condition |= Q(**{f"{name}__lt": dates.EARLIEST}) | Q(**{f"{name}__gt": now + dates.AHEAD})
    rows = model._base_manager.filter(condition).order_by("pk").values("pk", *fields)
    count = 0
    for row in rows.iterator():
        count += 1
        values = ", ".join(f"{name}={_shown(row[name])}" for name in fields)
        write(f"  {model._meta.label} {row['pk']} has a date outside 2000-01-01 .. now (+ ahead): {values}")
    if count:
        log.warning("%s: %d rows have a date outside the portal's bound", model._meta.label, count)
    return count


def _shown(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime | time):
        return value.isoformat()
    return str(value)
