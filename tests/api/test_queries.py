"""List endpoints make the same few queries whatever the page size: no N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotspots.models import Hotspot
from tests.factories import (
    ContingentFactory,
    OperationReportFactory,
    PostFactory,
    TrainingRecordFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(make_user):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    solino, apn = Hotspot.objects.get(slug="solino"), Hotspot.objects.get(slug="apn")
    approver = make_user("approver")
    for _ in range(30):
        report = OperationReportFactory(status="approved", approved_by=approver, releasability="public")
        report.hotspots.set([solino, apn])
        report.contingents.set([kenya])
        record = TrainingRecordFactory(hotspot=apn, releasability="public")
        record.providing_contingents.set([kenya])
        update = UpdateFactory(post=PostFactory(), hotspots=[solino, apn])
        update.contingents.set([kenya])


_UNPAGED = {"/api/v1/hotspots/": "q=solino", "/api/v1/contingents/": "q=kenya"}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/",
        "/api/v1/training-records/",
        "/api/v1/updates/",
        "/api/v1/posts/",
        "/api/v1/place-candidates/",
        "/api/v1/deleted/",
        "/api/v1/hotspots/",
        "/api/v1/contingents/",
        "/api/v1/updates/?format=geojson",
        "/api/v1/reports/?format=hxl",
    ],
)
@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_queries_do_not_grow_with_the_page(path, role, many, client_for, django_assert_max_num_queries):
    if role == "partner" and ("posts" in path or "place-candidates" in path):
        pytest.skip("partners do not read these")
    # Place candidates are for staff review: a reporter reads them where an analyst would.
    client = client_for("reporter" if role == "analyst" and "place-candidates" in path else role)
    sep = "&" if "?" in path else "?"
    if path in _UNPAGED:
        # Not paged (they take no page_size): one record found, then the whole list, in as many queries.
        small = _count(client, f"{path}?{_UNPAGED[path]}")
        with django_assert_max_num_queries(small):
            body = client.get(path).json()
        assert len(body["features"] if isinstance(body, dict) else body) > 1
        return
    # Both pages full (30 records of each): the last page of a listing sorted on a field that may be
    # empty reads the empty ones in one more query, whatever its size.
    small = _count(client, f"{path}{sep}page_size=2")
    with django_assert_max_num_queries(small):
        client.get(f"{path}{sep}page_size=25")


def test_a_page_of_reports_takes_a_handful_of_queries(many, client_for, django_assert_max_num_queries):
    client = client_for("partner")
    client.get("/api/v1/contingents/")  # the token's first use also notes its last use
    # The token with its user and the role's permissions, the page with its hotspots and contingents,
    # and (with no Redis to buffer it in) the token's use log, written once the answer is sent.
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/reports/?page_size=30")
    assert len(response.json()["results"]) == 30


@pytest.mark.parametrize("path", ["/api/v1/reports/", "/api/v1/updates/"])
@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_a_page_is_two_queries_when_uses_are_buffered(
    path, role, many, client_for, redis_cache, django_assert_num_queries
):
    # As in production (Redis): the token with its permissions, and the page with its related rows
    # (not the last page: that of a listing sorted on a field that may be empty takes one more).
    client = client_for(role, token=True)
    with django_assert_num_queries(2):
        response = client.get(f"{path}?page_size=20")
    results = response.json()["results"]
    assert len(results) == 20 and response.json()["next"]
    assert all(r["hotspots"] and r["contingents"] == ["KE"] and r["geometry"] for r in results)
