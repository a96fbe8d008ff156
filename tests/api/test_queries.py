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


WHOLE_LISTS = ("/api/v1/hotspots/", "/api/v1/contingents/")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PATHS = [
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
]
MEMBERS_ONLY = ("/api/v1/posts/", "/api/v1/place-candidates/")


@pytest.mark.parametrize(
    ("role", "path"),
    [("analyst", path) for path in PATHS] + [("partner", path) for path in PATHS if path not in MEMBERS_ONLY],
)
def test_queries_do_not_grow_with_the_page(path, role, many, client_for, django_assert_max_num_queries):
    # Place candidates are for staff review: a reporter reads them where an analyst would.
    client = client_for("reporter" if role == "analyst" and "place-candidates" in path else role)
    if path in WHOLE_LISTS:
        # Not paged (it takes no page size): read whole, its queries do not grow with its records.
        whole = _count(client, path)
        solino = Hotspot.objects.get(slug="solino")
        for _ in range(10):
            UpdateFactory(post=PostFactory(), hotspots=[solino]).contingents.set([ContingentFactory()])
        with django_assert_max_num_queries(whole):
            client.get(path)
        return
    sep = "&" if "?" in path else "?"
    # Both pages full (30 records of each): the last page of a listing sorted on a field that may be
    # empty reads the empty ones in one more query, whatever its size.
    small = _count(client, f"{path}{sep}page_size=2")
    with django_assert_max_num_queries(small):
        client.get(f"{path}{sep}page_size=25")


def test_a_page_of_reports_takes_a_handful_of_queries(many, client_for, django_assert_max_num_queries):
    client = client_for("partner")
    client.get("/api/v1/contingents/")  # the token's first use also notes its last use
    # The token with its user, the user's and the role's permissions (one query: RoleBackend), the
    # page with its hotspots and contingents, and the token's use log, written once the answer is sent.
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/reports/?page_size=30")
    assert len(response.json()["results"]) == 30


@pytest.mark.parametrize("path", ["/api/v1/reports/", "/api/v1/updates/"])
@pytest.mark.parametrize("role", ["analyst", "partner"])
@pytest.mark.parametrize("cache", ["local-memory", "redis"])
def test_a_token_page_is_four_queries_whatever_the_cache(
    path, role, cache, many, client_for, request, django_assert_num_queries
):
    # Nothing of authentication is cached: the token with its user, their permissions and their
    # role's (one query), the page with its related lists (hotspots, contingents) in the same query
    # (not the last page: that of a listing sorted on a field that may be empty takes one more), and
    # the use log. The last use was noted by the first request.
    if cache == "redis":
        request.getfixturevalue("redis_cache")
    client = client_for(role, token=True)
    client.get("/api/v1/contingents/")
    with django_assert_num_queries(4):
        response = client.get(f"{path}?page_size=20")
    results = response.json()["results"]
    assert len(results) == 20 and response.json()["next"]
    assert all(r["hotspots"] and r["contingents"] == ["KE"] and r["geometry"] for r in results)
