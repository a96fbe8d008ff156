"""The map's own data: activity per hotspot and per week, with the API's filters, selectors and 304s."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from analysis import activity, pages
from analysis.activity import as_query, hotspot_activity
from hotspots.models import Hotspot
from ingestion.models import Mention
from tests.analysis.helpers import ago, report_at, update_at
from tests.factories import ContingentFactory, HotspotFactory, SourceFactory

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


@pytest.mark.parametrize("start", ["yesterday", "2025-13-01T00:00:00Z", ""])
def test_a_refused_start_alone_is_named(analyst, start):
    """A period given by its start only is counted without a FilterSet when the start is a time; any
    other start still goes to the FilterSet, which names it."""
    response = _client(analyst).get(ACTIVITY, {"published_after": start})
    # Empty too: the API refuses an empty time (core.api.filtering), and the schema says a time.
    assert response.status_code == 400
    assert "published_after" in response.json()


@pytest.mark.parametrize("start", ["0001-01-01T00:05:00Z", "9999-12-31T23:00:00Z"])
def test_a_start_at_the_calendars_ends_is_answered(analyst, start):
    """A period cannot be moved back a step, nor its start's day on to the next: the FilterSet answers."""
    response = _client(analyst).get(ACTIVITY, {"published_after": start})
    assert response.status_code == 200
    assert set(response.json()["totals"]) == {"hotspots", "placed", "updates", "reports"}


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


def test_coordinates_are_the_points_rounded_to_about_a_metre(analyst, places):
    rows = _rows(_client(analyst).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json())
    point = places["solino"].location
    assert (rows["solino"]["lon"], rows["solino"]["lat"]) == (round(point.x, 5), round(point.y, 5))
    for hotspot in Hotspot.objects.exclude(location=None):  # every seed hotspot, to the same 5 decimals
        row = rows[hotspot.slug]
        assert abs(row["lon"] - round(hotspot.location.x, 5)) < 1e-9
        assert abs(row["lat"] - round(hotspot.location.y, 5)) < 1e-9


def test_the_last_activity_is_the_later_of_the_latest_update_and_report(analyst, reporter, places):
    update_at([places["solino"]], ago(days=2))
    report = report_at([places["solino"]], ago(hours=5), author=reporter)
    latest_update = update_at([places["tlia"]], ago(hours=1))
    report_at([places["tlia"]], ago(days=3), author=reporter)

    rows = _rows(_client(analyst).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json())

    iso = lambda moment: moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    assert rows["solino"]["last"] == iso(report.started_at)
    assert rows["tlia"]["last"] == iso(latest_update.published_at)
    assert rows["carrefour-laeroport"]["last"] is None


def test_a_report_at_two_hotspots_counts_for_each_and_once_in_all(analyst, reporter, places):
    report_at([places["solino"], places["tlia"]], ago(days=1), author=reporter)
    report_at([places["solino"]], ago(days=1), author=reporter)
    report_at([], ago(days=1), author=reporter)  # at no hotspot: in the total only

    data = _client(analyst).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json()

    rows = _rows(data)
    assert (rows["solino"]["reports"], rows["tlia"]["reports"]) == (2, 1)
    assert data["totals"]["reports"] == 3


def test_an_update_naming_a_hotspot_twice_counts_once_there(analyst, places):
    update = update_at([places["solino"]], ago(days=1))
    Mention.objects.create(update=update, hotspot=places["solino"], matched_text="Solino", start=40, end=46)

    rows = _rows(_client(analyst).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json())

    assert rows["solino"]["updates"] == 1


def test_the_activity_read_asks_the_same_five_queries_whatever_the_data(analyst, reporter, places):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            hotspot_activity(analyst, as_query({"published_after": ago(days=7).isoformat()}), as_query({}))
        return len(captured.captured_queries)

    analyst.get_all_permissions()  # the permissions, read once per request, are not the read's
    before = queries()
    for n in range(20):
        spot = HotspotFactory(slug=f"more-{n}", name=f"More {n}")
        update_at([spot, places["solino"]], ago(hours=n))
        report_at([spot], ago(hours=n), author=reporter)
    assert queries() == before == 5


# --- The period the map asks for ------------------------------------------------------------------


def _after(now) -> str:
    return pages.update_params(pages.PageFilters(), now)["published_after"]


def test_the_last_7_days_start_on_a_ten_minute_boundary_at_most_ten_minutes_early():
    now = datetime(2026, 3, 10, 14, 37, 42, 123456, tzinfo=UTC)
    after = datetime.fromisoformat(_after(now))
    assert after == datetime(2026, 3, 3, 14, 30, tzinfo=UTC)
    assert now - timedelta(days=7) - pages.PERIOD_STEP < after <= now - timedelta(days=7)
    # Written as the map's script writes it (Date.toISOString), so both ask the very same question.
    assert _after(now) == "2026-03-03T14:30:00.000Z"


def test_every_analyst_asks_the_same_question_for_ten_minutes():
    start = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)
    same = {_after(start + timedelta(seconds=s)) for s in (0, 1, 299, 599)}
    assert len(same) == 1
    assert _after(start + timedelta(minutes=10)) != _after(start)


def test_the_rounded_period_is_one_cache_entry(analyst, places, monkeypatch):
    calls = []
    real = activity.hotspot_activity
    monkeypatch.setattr(activity, "hotspot_activity", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = _client(analyst)
    now = timezone.now()
    for seconds in (0, 20, 40):
        client.get(ACTIVITY, {"published_after": _after(now + timedelta(seconds=seconds))})
    assert len(calls) == len({_after(now + timedelta(seconds=s)) for s in (0, 20, 40)})


def test_the_map_page_preloads_the_rounded_period_and_tells_its_script_the_step(analyst):
    client = _client(analyst)
    response = client.get("/")
    config = response.context["map_config"]
    assert config["periodStep"] == 600
    query = parse_qs(urlsplit(config["urls"]["firstActivity"]).query)
    after = datetime.fromisoformat(query["published_after"][0])
    assert after.timestamp() % 600 == 0
    assert timedelta(days=7) <= timezone.now() - after < timedelta(days=7, minutes=10, seconds=5)


# --- The whole answer is cached under the data version ---------------------------------------------


def _activity_queries(client, params) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as queries:
        data = client.get(ACTIVITY, params).json()
    counted = [q for q in queries if "COUNT(" in q["sql"].upper() or "hotspots_hotspot" in q["sql"]]
    return data, len(counted)


def test_the_answer_is_read_from_the_cache_until_a_write_moves_the_data_version(analyst, reporter, places):
    client = _client(analyst)
    params = {"published_after": ago(days=7).isoformat()}
    update_at([places["solino"]], ago(hours=2))

    first, first_queries = _activity_queries(client, params)
    again, again_queries = _activity_queries(client, params)
    assert first_queries >= 5 and again_queries == 0 and again == first

    update_at([places["solino"]], ago(hours=1))  # an update: a new version
    after_update, queries = _activity_queries(client, params)
    assert queries >= 5 and _rows(after_update)["solino"]["updates"] == 2

    report_at([places["solino"]], ago(hours=1), author=reporter)  # a report: a new version
    assert _rows(client.get(ACTIVITY, params).json())["solino"]["reports"] == 1

    places["tlia"].name = "Aéroport Toussaint Louverture"  # a hotspot: a new version
    places["tlia"].save()
    assert _rows(client.get(ACTIVITY, params).json())["tlia"]["name"] == "Aéroport Toussaint Louverture"


def test_a_write_in_a_transaction_moves_the_version_again_at_commit(
    analyst, places, django_capture_on_commit_callbacks
):
    from core import read_cache

    with django_capture_on_commit_callbacks() as callbacks:
        update_at([places["solino"]], ago(hours=1))
        during = read_cache.version()
    assert callbacks  # the second move, for readers who computed before the commit
    for callback in callbacks:
        callback()
    assert read_cache.version() != during


def test_readers_with_other_permissions_do_not_share_an_answer(analyst, partner, places):
    third_party = SourceFactory(name="A resident", is_official=False)
    update_at([places["solino"]], ago(hours=1), source=third_party)  # unreviewed: members only
    params = {"published_after": ago(days=7).isoformat()}
    member = _rows(_client(analyst).get(ACTIVITY, params).json())
    assert member["solino"]["updates"] == 1
    from analysis.activity import cached_activity

    seen_by_partner = cached_activity(partner, as_query(params), as_query({}))
    assert _rows(seen_by_partner)["solino"]["updates"] == 0


def test_without_the_cache_the_answer_is_computed(analyst, places, unreachable_cache):
    update_at([places["solino"]], ago(hours=1))
    data = _client(analyst).get(ACTIVITY, {"published_after": ago(days=7).isoformat()}).json()
    assert _rows(data)["solino"]["updates"] == 1
