"""Times in the API: DRF's DateTimeField in UTC (core/api/fields.py UTCDateTimeField), written with Z."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.api.fields import UTCDateTimeField
from tests.factories import OperationReportFactory

HAITI = ZoneInfo("America/Port-au-Prince")

CASES = [
    pytest.param(datetime(2025, 3, 1, 17, 0, tzinfo=UTC), "2025-03-01T17:00:00Z", id="utc"),
    pytest.param(datetime(2025, 3, 1, 17, 0, 0, 5, tzinfo=UTC), "2025-03-01T17:00:00.000005Z", id="micro"),
    pytest.param(
        datetime(2025, 3, 1, 17, 0, 0, 500000, tzinfo=UTC), "2025-03-01T17:00:00.500000Z", id="half"
    ),
    pytest.param(
        datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "2025-12-31T23:59:59.999999Z", id="year end"
    ),
    # Other objects for UTC than datetime.UTC.
    pytest.param(datetime(2025, 3, 1, 17, 0, tzinfo=ZoneInfo("UTC")), "2025-03-01T17:00:00Z", id="zoneinfo"),
    pytest.param(
        datetime(2025, 3, 1, 17, 0, tzinfo=timezone(timedelta(0))), "2025-03-01T17:00:00Z", id="zero offset"
    ),
    # Port-au-Prince: UTC-5 in winter, UTC-4 in summer (daylight saving time).
    pytest.param(datetime(2025, 3, 1, 12, 0, tzinfo=HAITI), "2025-03-01T17:00:00Z", id="haiti winter"),
    pytest.param(
        datetime(2025, 7, 1, 12, 0, 0, 5, tzinfo=HAITI), "2025-07-01T16:00:00.000005Z", id="haiti summer"
    ),
    pytest.param(datetime(2025, 3, 1, 21, 30, tzinfo=HAITI), "2025-03-02T02:30:00Z", id="next day in utc"),
    pytest.param(
        datetime(2025, 3, 1, 22, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        "2025-03-01T17:00:00Z",
        id="positive offset",
    ),
    pytest.param(datetime(1, 1, 1, 0, 0, tzinfo=UTC), "0001-01-01T00:00:00Z", id="year 1"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_times_are_written_in_utc_with_z(value, expected):
    assert UTCDateTimeField().to_representation(value) == expected


@pytest.mark.django_db
def test_a_report_in_the_api_has_its_times_in_utc(client_for):
    report = OperationReportFactory(
        started_at=datetime(2025, 7, 1, 8, 0, tzinfo=HAITI),
        ended_at=datetime(2025, 7, 1, 9, 0, 0, 5, tzinfo=HAITI),
    )
    body = client_for("analyst").get(f"/api/v1/reports/{report.pk}/").json()
    assert body["started_at"] == "2025-07-01T12:00:00Z"
    assert body["ended_at"] == "2025-07-01T13:00:00.000005Z"
    report.refresh_from_db()
    assert body["created_at"] == UTCDateTimeField().to_representation(report.created_at)
    assert body["updated_at"] == UTCDateTimeField().to_representation(report.updated_at)
