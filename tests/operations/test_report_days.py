"""Reports per hotspot and day: kept equal to what counting the reports finds, whatever changes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Max

from analysis.activity import as_query, report_counts
from hotspots.models import Hotspot
from operations import report_days
from operations.models import HotspotReportDay, OperationReport
from tests.factories import HotspotFactory, OperationReportFactory

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _cells() -> set[tuple]:
    return set(HotspotReportDay.objects.values_list("hotspot_id", "day", "reports", "last_started_at"))


def _counted_again() -> set[tuple]:
    """What counting every report finds (rebuild), leaving the kept cells as they were."""
    kept = _cells()
    report_days.rebuild()
    counted = _cells()
    HotspotReportDay.objects.all().delete()
    HotspotReportDay.objects.bulk_create(
        HotspotReportDay(hotspot_id=h, day=d, reports=n, last_started_at=t) for h, d, n, t in kept
    )
    return counted


@pytest.fixture
def spots():
    return [HotspotFactory(slug=f"day-spot-{n}", name=f"Day spot {n}") for n in range(3)]


def _report(started, hotspots):
    report = OperationReportFactory(started_at=started)
    report.hotspots.set(hotspots)
    return report


def test_every_change_to_reports_and_their_hotspots_keeps_the_days_counted(spots):
    a, b, c = spots
    first = _report(MORNING, [a, b])
    second = _report(MORNING + timedelta(hours=3), [a])
    third = _report(MORNING + timedelta(days=1), [c])
    assert _cells() == _counted_again() and len(_cells()) == 3

    first.started_at = MORNING - timedelta(days=2)  # moved to another day
    first.save()
    assert _cells() == _counted_again()

    second.hotspots.add(c)
    second.hotspots.remove(a)
    assert _cells() == _counted_again()

    third.hotspots.clear()
    assert _cells() == _counted_again()

    b.operation_reports.add(third, second)  # from the hotspot's side
    assert _cells() == _counted_again()
    b.operation_reports.clear()
    assert _cells() == _counted_again()

    second.delete()
    assert _cells() == _counted_again()
    Hotspot.objects.filter(pk=a.pk).delete()
    assert _cells() == _counted_again()
    assert HotspotReportDay.objects.filter(hotspot_id=a.pk).count() == 0


def test_a_save_on_the_same_day_counts_nothing_again(spots):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = _report(MORNING, spots[:1])
    report.title = "Renamed"
    report.started_at = MORNING + timedelta(hours=2)
    with CaptureQueriesContext(connection) as queries:
        report.save()
    assert not [q for q in queries if "hotspotreportday" in q["sql"]]
    report.started_at = MORNING + timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        report.save()
    assert [q for q in queries if "hotspotreportday" in q["sql"]]


def _live_counts(start) -> dict:
    live = (
        OperationReport.hotspots.through.objects.filter(operationreport__started_at__gte=start)
        .values_list("hotspot_id")
        .annotate(n=Count("*"), last=Max("operationreport__started_at"))
        .order_by()
    )
    return {pk: (n, last) for pk, n, last in live}


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(MORNING + timedelta(minutes=30), id="morning: the reports before it taken away"),
        pytest.param(MORNING + timedelta(hours=7, minutes=10), id="afternoon: the reports after it added"),
        pytest.param(MORNING - timedelta(hours=8), id="midnight: whole days only"),
        pytest.param(MORNING + timedelta(hours=4), id="noon"),
    ],
)
def test_counts_since_a_time_within_a_day_are_those_of_the_reports(spots, start):
    a, b, c = spots
    for hours in (-30, -7, -2, 1, 5, 9, 15, 26, 24 * 9):  # before, on the start's day, whole days, the future
        _report(MORNING + timedelta(hours=hours), [a] if hours % 2 else [a, b])
    # Reports on the start's day only: hotspot c's just after its midnight, d's late in the evening.
    d = HotspotFactory(slug="day-spot-late", name="Day spot late")
    _report(MORNING - timedelta(hours=7, minutes=30), [c])
    _report(MORNING + timedelta(hours=14), [d])

    counted = report_days.counts_since(start)

    assert counted == _live_counts(start)
    assert counted[a.pk][1] == MORNING + timedelta(hours=24 * 9)
    assert c.pk not in counted or start < MORNING - timedelta(hours=7)


def test_counts_since_read_at_most_half_a_day_of_reports_one_by_one(spots, django_assert_num_queries):
    a, b, _ = spots
    _report(MORNING, [a, b])
    for start, queries in ((MORNING - timedelta(hours=8), 1), (MORNING + timedelta(hours=1), 2)):
        with django_assert_num_queries(queries):  # the cells, and the stretch of the day cut off
            report_days.counts_since(start)


def test_the_maps_counts_for_members_are_those_of_the_reports(spots, analyst, django_user_model):
    from django.contrib.auth.models import Permission

    a, b, _ = spots
    for hours in (-30, 1, 5, 26):
        _report(MORNING + timedelta(hours=hours), [a, b] if hours > 2 else [b])
    start = (MORNING + timedelta(minutes=10)).isoformat()
    # A reader who sees every report through a permission of their own, and filters nothing more.
    assert analyst.has_perm("operations.view_operationreport")
    from_days = report_counts(analyst, as_query({"started_after": start}))
    # The same question with a filter that changes nothing answers from the reports themselves.
    from_reports = report_counts(
        analyst, as_query({"started_after": start, "started_before": "2100-01-01T00:00:00Z"})
    )
    assert from_days == from_reports
    assert from_days["hotspots"][a.pk][0] == 2 and from_days["total"] == 3
    assert Permission.objects.filter(codename="view_operationreport").exists()


def test_the_command_counts_the_days_again_from_the_reports(spots, capsys):
    from django.core.management import call_command

    _report(MORNING, spots[:2])
    HotspotReportDay.objects.update(reports=99)  # changed behind the portal's back

    call_command("rebuild_report_days")

    assert set(HotspotReportDay.objects.values_list("reports", flat=True)) == {1}
    assert "2 hotspot-days counted" in capsys.readouterr().out
