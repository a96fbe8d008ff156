"""The map's own data: activity per hotspot and per week, with the API's filters, selectors and 304s."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from hotspots.models import Hotspot
from tests.factories import ContingentFactory, HotspotFactory
from tests.pages.helpers import ago, report_at, update_at

pytestmark = pytest.mark.django_db

ACTIVITY = "/map/data/activity/"
WEEKLY = "/map/data/weekly/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _rows(data) -> dict[str, dict]:
    return {row[0]: dict(zip(data["columns"], row, strict=True)) for row in data["hotspots"]}


@pytest.fixture
def places():
    return {slug: Hotspot.objects.get(slug=slug) for slug in ("solino", "tlia", "carrefour-laeroport")}


def test_every_hotspot_comes_with_its_activity_in_the_period(analyst, reporter, places):
    update_at([places["solino"]], ago(hours=2))
    update_at([places["solino"], places["tlia"]], ago(days=3))
    update_at([places["solino"]], ago(days=20))  # outside 7 days
    report_at([places["tlia"]], ago(days=1), author=reporter)
    since = ago(days=7).isoformat()

    data = _client(analyst).get(ACTIVITY, {"published_after": since}).json()

    rows = _rows(data)
    assert len(rows) == Hotspot.objects.count()
    assert (rows["solino"]["updates"], rows["solino"]["reports"]) == (2, 0)
    assert (rows["tlia"]["updates"], rows["tlia"]["reports"]) == (1, 1)
    assert data["totals"]["updates"] == 2  # the update naming two hotspots counts once
    assert data["totals"]["reports"] == 1
    assert rows["carrefour-laeroport"]["lon"] is None  # unplaced: listed, without a point
    assert data["totals"]["placed"] == Hotspot.objects.filter(location__isnull=False).count()
    assert rows["solino"]["last"] is not None and rows["tlia"]["confidence"] == "high"


def test_the_counts_are_what_the_api_lists_for_the_same_filters(analyst, places):
    kenya = ContingentFactory(country_code="KE", name="Kenya")
    update_at([places["solino"]], ago(days=1), kind="incident", contingents=[kenya])
    update_at([places["solino"]], ago(days=2), kind="incident")
    update_at([places["solino"]], ago(days=2), kind="deployment", contingents=[kenya])
    client = _client(analyst)
    params = {"published_after": ago(days=7).isoformat(), "kind": ["incident"], "contingent": ["KE"]}

    rows = _rows(client.get(ACTIVITY, params).json())
    listed = client.get("/api/v1/updates/", {**params, "hotspot": "solino"}).json()["results"]

    assert rows["solino"]["updates"] == len(listed) == 1


def test_what_a_reader_may_not_see_is_not_counted(django_user_model, reporter, places):
    # Hotspots and updates, but no operation reports: the reports' selector leaves every report out.
    user = django_user_model.objects.create_user("no-reports", password="pw-123456789")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_hotspot", "view_update"]))
    report_at([places["tlia"]], ago(days=1), author=reporter, status="draft")
    update_at([places["tlia"]], ago(days=1))

    data = _client(user).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json()

    assert (_rows(data)["tlia"]["updates"], _rows(data)["tlia"]["reports"]) == (1, 0)
    assert data["totals"]["reports"] == 0


def test_a_refused_filter_is_named(analyst):
    response = _client(analyst).get(ACTIVITY, {"kind": "picnic", "published_after": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "published_after"}


def test_an_unchanged_answer_is_a_304(analyst, places):
    update_at([places["solino"]], ago(hours=1))
    client = _client(analyst)
    first = client.get(ACTIVITY, {"published_after": ago(days=7).isoformat()})
    etag = first["ETag"]
    # A minute later the period starts a minute later; the answer is the same, so is its ETag.
    again = client.get(
        ACTIVITY, {"published_after": ago(days=7, minutes=-1).isoformat()}, HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304
    update_at([places["tlia"]], ago(minutes=1))
    changed = client.get(ACTIVITY, {"published_after": ago(days=7).isoformat()}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_the_first_request_stays_small_and_its_queries_constant(
    analyst, places, django_assert_max_num_queries
):
    for n in range(60):
        update_at([HotspotFactory(slug=f"extra-{n}", name=f"Extra {n}")], ago(hours=n))
    client = _client(analyst)
    with django_assert_max_num_queries(14):
        response = client.get(ACTIVITY, {"published_after": ago(days=7).isoformat()})
    assert response.status_code == 200
    assert len(response.content) / response.json()["totals"]["hotspots"] < 200  # bytes per hotspot


def test_activity_per_week_and_kind(analyst, reporter, places):
    update_at([places["solino"]], ago(days=1), kind="incident")
    update_at([places["solino"]], ago(days=1), kind="incident")
    update_at([places["solino"]], ago(days=15), kind="deployment")
    update_at([places["tlia"]], ago(days=1), kind="incident")
    report_at([places["solino"]], ago(days=1), author=reporter)

    data = (
        _client(analyst)
        .get(WEEKLY, {"hotspot": "solino", "published_after": ago(days=30).isoformat()})
        .json()
    )

    assert sum(data["updates"]["incident"]) == 2
    assert sum(data["updates"]["deployment"]) == 1
    assert sum(data["reports"]) == 1
    assert len(data["weeks"]) in (3, 4)  # from the first week with activity to the last, gaps included
    assert all(len(values) == len(data["weeks"]) for values in data["updates"].values())
