"""Cursor pagination: pages stay right while records are added; page size capped; cursors checked."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from requests.utils import parse_header_links

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


def _link_header(response) -> dict[str, str]:
    """The RFC 8288 Link header as {rel: url}, parsed by requests' own parser."""
    return {link["rel"]: link["url"] for link in parse_header_links(response.get("Link", ""))}


# CSV and HXL are not paged: a collection is exported whole.
@pytest.mark.parametrize("format_", ["json", "geojson"])
def test_every_page_but_the_last_links_the_next_in_a_link_header(client_for, format_):
    client = client_for("analyst")
    for i in range(5):
        OperationReportFactory(started_at=when(1) + timedelta(hours=i))
    url, pages = f"http://testserver/api/v1/reports/?page_size=2&format={format_}", 0
    first = url
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages += 1
        links = _link_header(response)
        url = links.get("next")
        if url:
            assert parse_qs(urlsplit(links["first"]).query) == parse_qs(urlsplit(first).query)
            assert "cursor=" in url and f"format={format_}" in url
    assert pages == 3


def test_a_single_page_has_no_link_header(client_for):
    OperationReportFactory()
    response = client_for("analyst").get("/api/v1/reports/")
    assert "Link" not in response


def test_a_geojson_page_links_the_next_as_ogc_does(client_for):
    for i in range(3):
        OperationReportFactory(started_at=when(1) + timedelta(hours=i))
    response = client_for("analyst").get("/api/v1/reports/?format=geojson&page_size=2")
    document = response.json()
    assert document["links"] == [{"href": document["next"], "rel": "next", "type": "application/geo+json"}]
    assert _link_header(response)["next"] == document["next"]
    last = client_for("analyst").get(document["next"]).json()
    assert last["next"] is None and "links" not in last


def test_geojson_without_a_page_size_is_the_whole_result_streamed(client_for):
    reports = [OperationReportFactory(started_at=when(1) + timedelta(minutes=i)) for i in range(130)]
    response = client_for("analyst").get("/api/v1/reports/?format=geojson&ordering=started_at")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(b"".join(response.streaming_content))
    assert document["type"] == "FeatureCollection"
    assert [f["id"] for f in document["features"]] == [r.pk for r in reports]  # more than a page, in order
    assert all(f["type"] == "Feature" for f in document["features"])


def test_a_streamed_geojson_result_is_filtered_and_checked_as_a_page_is(client_for):
    OperationReportFactory(title="early", started_at=when(1))
    OperationReportFactory(title="late", started_at=when(9))
    client = client_for("analyst")
    response = client.get("/api/v1/reports/?format=geojson&started_after=2025-03-05T00:00:00Z")
    titles = [f["properties"]["title"] for f in json.loads(b"".join(response.streaming_content))["features"]]
    assert titles == ["late"]
    response = client.get("/api/v1/reports/?format=geojson&started_after=soon")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_an_empty_streamed_geojson_result_is_an_empty_collection(client_for):
    response = client_for("analyst").get("/api/v1/reports/?format=geojson")
    assert json.loads(b"".join(response.streaming_content)) == {"type": "FeatureCollection", "features": []}
