"""Cursor pagination: pages stay right while records are added; page size capped; cursors checked."""

from datetime import timedelta

import pytest

from ingestion.models import Update
from operations.models import OperationReport
from tests.api.conftest import when
from tests.factories import OperationReportFactory, UpdateFactory, UserFactory

pytestmark = pytest.mark.django_db


def _walk(client, url):
    """Every page from ``url``; returns the list of pages, each a list of ids."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        pages.append([r["id"] for r in response.json()["results"]])
        url = response.json()["next"]
    return pages


def test_pages_cover_every_record_once(client_for):
    reports = [OperationReportFactory(started_at=when(1) + timedelta(hours=i % 7)) for i in range(23)]
    pages = _walk(client_for("analyst"), "/api/v1/reports/?page_size=5")
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(r.pk for r in reports)


def test_records_added_while_paging_neither_repeat_nor_hide_older_ones(client_for):
    client = client_for("analyst")
    old = [OperationReportFactory(started_at=when(1) + timedelta(minutes=i)) for i in range(10)]
    first = client.get("/api/v1/reports/?page_size=4").json()
    # Newer records arrive while the partner pages through (they would shift every offset).
    for i in range(6):
        OperationReportFactory(started_at=when(20) + timedelta(minutes=i))
    rest = _walk(client, first["next"])
    seen = [r["id"] for r in first["results"]] + [pk for page in rest for pk in page]
    assert len(seen) == len(set(seen)) == 10
    assert set(seen) == {r.pk for r in old}


def test_ties_on_the_sort_field_are_broken_by_id(client_for):
    same_time = [OperationReportFactory(started_at=when(3)) for _ in range(7)]
    pages = _walk(client_for("analyst"), "/api/v1/reports/?page_size=3")
    seen = [pk for page in pages for pk in page]
    assert seen == sorted((r.pk for r in same_time), reverse=True)


def test_sync_by_updated_at_then_continue_later(client_for):
    client = client_for("partner")
    approver = UserFactory()
    reports = [
        OperationReportFactory(status="approved", approved_by=approver, releasability="public", title=f"r{i}")
        for i in range(5)
    ]
    first = [pk for page in _walk(client, "/api/v1/reports/?ordering=updated_at&page_size=2") for pk in page]
    assert sorted(first) == sorted(r.pk for r in reports)
    synced_at = max(r.updated_at for r in OperationReport.objects.all())
    changed = reports[1]
    changed.title = "r1, corrected"
    changed.save()
    since = synced_at.isoformat().replace("+", "%2B")
    later = _walk(client, f"/api/v1/reports/?ordering=updated_at&updated_since={since}")
    later = [pk for page in later for pk in page]
    # `updated_since` is inclusive: the last record of the previous sync may come again (upsert it).
    boundary = set(OperationReport.objects.filter(updated_at=synced_at).values_list("pk", flat=True))
    assert later[-1] == changed.pk and set(later[:-1]) <= boundary


def test_null_sort_values_come_last_on_their_own_pages(client_for):
    dated = [UpdateFactory(published_at=when(1) + timedelta(hours=i)) for i in range(3)]
    undated = [UpdateFactory(published_at=None) for _ in range(3)]
    for ordering in ("-published_at", "published_at"):
        pages = _walk(client_for("analyst"), f"/api/v1/updates/?page_size=2&ordering={ordering}")
        seen = [pk for page in pages for pk in page]
        assert len(seen) == 6
        assert set(seen[:3]) == {u.pk for u in dated}
        assert seen[3:] == sorted((u.pk for u in undated), reverse=ordering.startswith("-"))
    assert Update.objects.filter(published_at__isnull=True).count() == 3


def test_page_size_is_capped_at_500(client_for):
    client = client_for("analyst")
    assert client.get("/api/v1/reports/?page_size=500").status_code == 200
    response = client.get("/api/v1/reports/?page_size=501")
    assert response.status_code == 400 and "page_size" in response.json()


@pytest.mark.parametrize("cursor", ["nonsense", "eyJvIjoiLXN0YXJ0ZWRfYXQifQ", "%00"])
def test_a_made_up_cursor_is_refused(cursor, client_for):
    response = client_for("analyst").get(f"/api/v1/reports/?cursor={cursor}")
    assert response.status_code == 400 and "cursor" in response.json()


def test_a_cursor_from_another_ordering_is_refused(client_for):
    client = client_for("analyst")
    for _ in range(3):
        OperationReportFactory()
    cursor_url = client.get("/api/v1/reports/?page_size=1").json()["next"]
    response = client.get(cursor_url.replace("page_size=1", "page_size=1&ordering=updated_at"))
    assert response.status_code == 400


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "1999-12-31T23:00:00Z"]
)
def test_a_cursor_at_a_time_no_record_can_have_is_refused(moment, client_for):
    import base64
    import json

    document = json.dumps({"o": "-started_at", "v": moment, "p": 1}).encode()
    cursor = base64.urlsafe_b64encode(document).decode().rstrip("=")
    response = client_for("analyst").get(f"/api/v1/reports/?cursor={cursor}")
    assert response.status_code == 400 and "cursor" in response.json()
