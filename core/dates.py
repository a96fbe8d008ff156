"""The one bound for every date and time the portal accepts: from 2000-01-01 to a day ahead of now.

The mission's records (reports, posts, training) are all from this century; a date before it, or
more than a day ahead (time zones, a slow clock), is a mistyped or misread field, and kept, it would
break period filters, charts and exports. Models' validators, forms, the API's filters, the pages'
parameters and the parsers all ask this module. Plain Python (no Django): the parsers use it too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
AHEAD = timedelta(days=1)  # events: what happened, was published, was changed
PLANNED_AHEAD = timedelta(days=366)  # what is planned: a training course a year ahead at most


def _utc_text(moment: datetime) -> str:
    # isoformat, not strftime: strftime writes year 1 as "1".
    if moment.tzinfo is None:
        return moment.isoformat(sep=" ", timespec="minutes")
    try:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes") + " UTC"
    except (OverflowError, ValueError):  # year 1 with a positive offset, year 9999 with a negative one
        return moment.isoformat()


def time_problem(
    moment: datetime | None, *, what: str = "The time", now: datetime | None = None
) -> str | None:
    """Why ``moment`` is outside 2000-01-01 .. now + 1 day (a sentence starting with ``what``), or None.

    A naive ``moment`` is read as UTC.
    """
    if moment is None:
        return None
    now = now or datetime.now(UTC)
    shown = _utc_text(moment)
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    # Compared in UTC by Python, which cannot overflow where converting year 1 or 9999 would.
    if aware < EARLIEST:
        return f"{what} {shown} is before 2000-01-01: the portal accepts no earlier date"
    if aware > now + AHEAD:
        return f"{what} {shown} is more than a day ahead of now ({now:%Y-%m-%d %H:%M} UTC)"
    return None


def day_problem(
    day: date | None, *, what: str = "The date", today: date | None = None, ahead: timedelta = AHEAD
) -> str | None:
    """Why ``day`` is outside 2000-01-01 .. today + ``ahead`` (tomorrow for an event), or None."""
    if day is None:
        return None
    if isinstance(day, datetime):
        return time_problem(day, what=what)
    today = today or datetime.now(UTC).date()
    if day < EARLIEST.date():
        return f"{what} {day.isoformat()} is before 2000-01-01: the portal accepts no earlier date"
    if day > today + ahead:
        return f"{what} {day.isoformat()} is more than {_span(ahead)} ahead of today ({today:%Y-%m-%d})"
    return None


def _span(ahead: timedelta) -> str:
    return "a day" if ahead == AHEAD else f"{ahead.days} days"


def clamp_time(moment: datetime, *, now: datetime | None = None) -> datetime:
    """``moment``, or the nearest end of 2000-01-01 .. now + 1 day when it is outside (for a query:
    no record is dated outside, so the answer is the same). A naive ``moment`` is read as UTC."""
    latest = (now or datetime.now(UTC)) + AHEAD
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    if aware < EARLIEST:
        return EARLIEST
    if aware > latest:
        return latest
    return moment


def clamp_day(day: date, *, today: date | None = None, ahead: timedelta = AHEAD) -> date:
    """``day``, or the nearest end of 2000-01-01 .. today + ``ahead`` when it is outside."""
    latest = (today or datetime.now(UTC).date()) + ahead
    return min(max(day, EARLIEST.date()), latest)
