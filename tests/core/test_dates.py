"""The portal's one date bound (core/dates.py): 2000-01-01 to a day ahead of now."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core import dates

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "problem"),
    [
        (datetime(2000, 1, 1, tzinfo=UTC), None),
        (NOW + timedelta(hours=23), None),
        (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), "The time 1999-12-31 23:59 UTC is before 2000-01-01"),
        (
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
            "The time 0001-01-01T00:00:00+14:00 is before 2000-01-01",
        ),
        (
            datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
            "The time 9999-12-31T23:59:00-05:00 is more than a day ahead of now (2026-03-01 12:00 UTC)",
        ),
        (NOW + timedelta(days=1, seconds=1), "is more than a day ahead of now"),
    ],
)
def test_times_outside_the_bound_are_named(moment, problem):
    found = dates.time_problem(moment, now=NOW)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_days_have_the_same_bound_and_planned_days_a_year():
    today = NOW.date()
    assert dates.day_problem(date(1, 1, 1), today=today).startswith(
        "The date 0001-01-01 is before 2000-01-01"
    )
    assert dates.day_problem(today + timedelta(days=1), today=today) is None
    assert "more than a day ahead" in dates.day_problem(today + timedelta(days=2), today=today)
    assert dates.day_problem(today + timedelta(days=300), today=today, ahead=dates.PLANNED_AHEAD) is None
    assert "366 days ahead" in dates.day_problem(date(9999, 12, 31), today=today, ahead=dates.PLANNED_AHEAD)


def test_a_query_outside_the_bound_is_read_as_its_nearest_end():
    year_one = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    assert dates.clamp_time(year_one, now=NOW) == dates.EARLIEST
    assert dates.clamp_time(datetime(9999, 12, 31, tzinfo=UTC), now=NOW) == NOW + dates.AHEAD
    assert dates.clamp_time(NOW, now=NOW) is NOW
    today = NOW.date()
    assert dates.clamp_day(date(1, 1, 1), today=today) == date(2000, 1, 1)
    assert dates.clamp_day(date(9999, 12, 31), today=today, ahead=dates.PLANNED_AHEAD) == date(2027, 3, 2)
