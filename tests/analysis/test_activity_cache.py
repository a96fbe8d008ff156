"""Per-hotspot activity aggregates: cached, and dropped whenever activity changes."""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from analysis import activity_cache, map_api
from hotspots.models import Hotspot
from ingestion.models import Mention
from tests.analysis.helpers import ago, report_at, update_at
from tests.factories import (
    ContingentFactory,
    HotspotFactory,
    OperationReportFactory,
    TrainingRecordFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db

SCOPE = ["test", {"published_after": "2025-01-01"}]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _cache_something() -> None:
    activity_cache.set(SCOPE, {"counts": 1})
    assert activity_cache.get(SCOPE) == {"counts": 1}


def test_an_aggregate_is_computed_once_then_served_from_the_cache():
    calls = []
    compute = lambda: calls.append(1) or {"rows": len(calls)}  # noqa: E731

    assert activity_cache.get_or_compute(SCOPE, compute) == {"rows": 1}
    assert activity_cache.get_or_compute(SCOPE, compute) == {"rows": 1}
    assert len(calls) == 1


def test_invalidate_drops_every_cached_aggregate():
    _cache_something()
    activity_cache.set(["other"], 2)
    activity_cache.invalidate()
    assert activity_cache.get(SCOPE) is None
    assert activity_cache.get(["other"]) is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: UpdateFactory(), id="update saved"),
        pytest.param(
            lambda: UpdateFactory(hotspots=[HotspotFactory()]).mentions.all().delete(), id="mention deleted"
        ),
        pytest.param(lambda: OperationReportFactory(), id="report saved"),
        pytest.param(lambda: OperationReportFactory().delete(), id="report deleted"),
        pytest.param(lambda: TrainingRecordFactory(), id="training record saved"),
        pytest.param(lambda: HotspotFactory(), id="hotspot saved"),
    ],
)
def test_a_change_to_activity_drops_the_cache(change):
    _cache_something()
    change()
    assert activity_cache.get(SCOPE) is None


def test_a_mention_saved_or_deleted_alone_drops_the_cache():
    update = UpdateFactory()
    _cache_something()
    mention = Mention.objects.create(
        update=update, hotspot=HotspotFactory(), matched_text="x", start=0, end=1
    )
    assert activity_cache.get(SCOPE) is None
    _cache_something()
    mention.delete()
    assert activity_cache.get(SCOPE) is None


def test_a_report_linked_to_another_hotspot_or_contingent_drops_the_cache():
    report = OperationReportFactory()
    _cache_something()
    report.hotspots.add(HotspotFactory())
    assert activity_cache.get(SCOPE) is None
    _cache_something()
    report.contingents.add(ContingentFactory())
    assert activity_cache.get(SCOPE) is None


def test_counts_cached_while_a_transaction_was_open_are_dropped_at_its_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            OperationReportFactory()
            # Another reader recomputes before the commit: it still sees the old counts.
            activity_cache.set(SCOPE, {"counts": "old"})
        assert activity_cache.get(SCOPE) == {"counts": "old"}
    assert activity_cache.get(SCOPE) is None


def test_one_drop_at_commit_however_many_rows_a_transaction_changes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(5):
            OperationReportFactory()
    drops = [c for c in callbacks if c in activity_cache._DROPS.values()]
    assert drops == [activity_cache._DROPS[activity_cache.REPORTS]]


def test_readers_with_the_same_permissions_share_entries_and_others_do_not(make_user):
    first, second, reporter = make_user("analyst"), make_user("analyst"), make_user("reporter")
    assert activity_cache.reader_scope(first) == activity_cache.reader_scope(second)
    assert activity_cache.reader_scope(first) != activity_cache.reader_scope(reporter)


def test_parameters_in_another_order_are_the_same_entry():
    first = activity_cache.params_scope({"kind": ["incident", "deployment"], "published_after": "x"})
    second = activity_cache.params_scope({"published_after": "x", "kind": ["deployment", "incident"]})
    assert first == second


# --- The map's first request --------------------------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """Counts how often the map's aggregate is computed."""
    calls = []
    real = map_api.hotspot_activity

    def hotspot_activity(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(map_api, "hotspot_activity", hotspot_activity)
    return calls


def _counts(client, slug, since):
    data = client.get("/map/data/activity/", {"published_after": since}).json()
    row = next(r for r in data["hotspots"] if r[0] == slug)
    columns = data["columns"]
    return row[columns.index("updates")], row[columns.index("reports")]


def test_the_map_serves_its_counts_from_the_cache_until_activity_changes(analyst, reporter, counted):
    solino = Hotspot.objects.get(slug="solino")
    client = APIClient()
    client.force_login(analyst)
    since = ago(days=7).isoformat()
    update_at([solino], ago(days=1))

    assert _counts(client, "solino", since) == (1, 0)
    assert _counts(client, "solino", since) == (1, 0)
    assert len(counted) == 1

    report_at([solino], ago(hours=3), author=reporter)
    assert _counts(client, "solino", since) == (1, 1)
    update_at([solino], ago(hours=1))
    assert _counts(client, "solino", since) == (2, 1)
    assert len(counted) == 3


def test_a_cached_map_answer_costs_no_aggregate_query(analyst, django_assert_max_num_queries):
    client = APIClient()
    client.force_login(analyst)
    params = {"published_after": ago(days=7).isoformat()}
    client.get("/map/data/activity/", params)
    with django_assert_max_num_queries(4):  # the session, the user and its permissions; no aggregate
        assert client.get("/map/data/activity/", params).status_code == 200


# --- With Redis, as in production ---------------------------------------------------------------

REDIS_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_cache():
    prefix = f"scale-test-{uuid.uuid4().hex[:8]}"
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=config):
        yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_with_redis_a_change_drops_what_every_process_cached(redis_cache):
    _cache_something()
    # What another web process sees: the same keys in the same Redis.
    assert redis.Redis.from_url(REDIS_URL).keys("*hotspot-activity:generation:reports")
    OperationReportFactory()
    assert activity_cache.get(SCOPE) is None


def test_without_the_cache_writes_still_succeed_and_readers_compute(unreachable_cache):
    report = OperationReportFactory()  # the drop fails, the save does not
    report.hotspots.add(HotspotFactory())
    report.delete()
    assert activity_cache.get_or_compute(SCOPE, lambda: {"computed": True}) == {"computed": True}


# --- Parts: what a change drops -------------------------------------------------------------------


def test_invalidating_one_part_keeps_what_depends_on_the_others_only():
    activity_cache.set(["reports only"], 1, parts=[activity_cache.REPORTS])
    activity_cache.set(["updates only"], 2, parts=[activity_cache.UPDATES])
    activity_cache.set(["everything"], 3)

    activity_cache.invalidate(activity_cache.UPDATES)

    assert activity_cache.get(["reports only"], parts=[activity_cache.REPORTS]) == 1
    assert activity_cache.get(["updates only"], parts=[activity_cache.UPDATES]) is None
    assert activity_cache.get(["everything"]) is None


def test_invalidating_without_a_part_drops_every_part():
    for part in activity_cache.PARTS:
        activity_cache.set([part], part, parts=[part])
    activity_cache.invalidate()
    assert all(activity_cache.get([part], parts=[part]) is None for part in activity_cache.PARTS)


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="Unknown parts"):
        activity_cache.invalidate("trainings")
    with pytest.raises(ValueError, match="Unknown parts"):
        activity_cache.get(SCOPE, parts=["trainings"])


@pytest.mark.parametrize(
    ("change", "dropped"),
    [
        pytest.param(lambda: UpdateFactory(), activity_cache.UPDATES, id="update"),
        pytest.param(lambda: OperationReportFactory(), activity_cache.REPORTS, id="report"),
        pytest.param(lambda: TrainingRecordFactory(), activity_cache.REPORTS, id="training record"),
        pytest.param(lambda: HotspotFactory(), activity_cache.HOTSPOTS, id="hotspot"),
    ],
)
def test_a_change_drops_its_own_part_only(change, dropped):
    for part in activity_cache.PARTS:
        activity_cache.set([part], part, parts=[part])
    change()
    kept = {part for part in activity_cache.PARTS if activity_cache.get([part], parts=[part]) == part}
    assert kept == set(activity_cache.PARTS) - {dropped}


@pytest.fixture
def computed(monkeypatch):
    """Counts how often each part of the map's aggregate is computed."""
    from analysis import activity

    calls = {"hotspot_places": 0, "update_counts": 0, "report_counts": 0}
    for name in calls:
        real = getattr(activity, name)

        def counting(*args, _name=name, _real=real, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(activity, name, counting)
    return calls


def test_new_updates_recompute_the_update_counts_only_and_count_right(analyst, reporter, computed):
    solino = Hotspot.objects.get(slug="solino")
    client = APIClient()
    client.force_login(analyst)
    since = ago(days=7).isoformat()
    update_at([solino], ago(days=1))
    report_at([solino], ago(days=2), author=reporter)
    assert _counts(client, "solino", since) == (1, 1)
    first = dict(computed)

    update_at([solino], ago(hours=1))
    assert _counts(client, "solino", since) == (2, 1)
    assert computed == {**first, "update_counts": first["update_counts"] + 1}

    report_at([solino], ago(hours=2), author=reporter)
    assert _counts(client, "solino", since) == (2, 2)
    assert computed == {**first, "update_counts": 2, "report_counts": 2}


def test_a_hotspot_renamed_is_on_the_map_at_once(analyst, computed):
    client = APIClient()
    client.force_login(analyst)
    params = {"published_after": ago(days=7).isoformat()}
    client.get("/map/data/activity/", params)
    first = dict(computed)
    solino = Hotspot.objects.get(slug="solino")
    solino.name = "Solino (renamed)"
    solino.save()

    rows = client.get("/map/data/activity/", params).json()["hotspots"]

    assert next(r for r in rows if r[0] == "solino")[1] == "Solino (renamed)"
    assert computed == {name: 2 * n for name, n in first.items()}  # every part again


def test_after_new_updates_the_map_asks_the_database_for_the_update_counts_only(analyst):
    client = APIClient()
    client.force_login(analyst)
    params = {"published_after": ago(days=7).isoformat()}
    client.get("/map/data/activity/", params)
    activity_cache.invalidate(activity_cache.UPDATES)

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/map/data/activity/", params).status_code == 200

    counting = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
    # Per hotspot from the mentions (they carry their update's time), and the updates in all.
    assert len(counting) == 2
    assert 'FROM "ingestion_mention"' in counting[0] and 'FROM "ingestion_update"' in counting[1]
    assert not any("operations_" in sql for sql in counting)
    assert not any("hotspots_hotspot" in q["sql"] for q in captured.captured_queries)


# --- Round trips: generations read once, candidates looked up together -----------------------------


@pytest.fixture
def cache_calls(monkeypatch):
    """The calls to Django's cache that concern the activity cache, by method name."""
    calls, depth = [], []

    def spy(name, real):
        def call(first, *args, **kwargs):
            keys = [first] if isinstance(first, str) else list(first)
            if not depth and any(k.startswith("hotspot-activity:") for k in keys):
                calls.append(name)
            depth.append(name)  # a backend's get_many may call its get: one call to the cache
            try:
                return real(first, *args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, spy(name, getattr(cache, name)))
    return calls


def test_the_map_with_nothing_cached_reads_the_generations_once(analyst, cache_calls):
    client = APIClient()
    client.force_login(analyst)
    params = {"published_after": ago(days=7).isoformat()}
    client.get("/map/data/activity/", params)  # the generations exist from here on
    activity_cache.invalidate()
    cache_calls.clear()

    assert client.get("/map/data/activity/", params).status_code == 200

    # Generations once; the map, the hotspots; each kind of count with its earlier periods in one
    # lookup; then the four entries stored.
    assert cache_calls.count("get_many") == 3
    assert cache_calls.count("get") == 2
    assert cache_calls.count("set") == 4


def test_an_entry_computed_while_its_records_change_is_never_served(cache_calls):
    """Within a snapshot, keys use the generations read before computing: a change during the
    computation moves a generation on, and what was computed with the old data is not read again."""

    def compute():
        OperationReportFactory()  # the reports change while the aggregate is computed
        return {"stale": True}

    assert activity_cache.get_or_compute(SCOPE, compute) == {"stale": True}
    assert activity_cache.get_or_compute(SCOPE, lambda: {"fresh": True}) == {"fresh": True}


def test_cached_values_looks_up_every_candidate_in_one_round_trip(analyst, cache_calls):
    first, second = {"published_after": "2025-01-01T00:00:00Z"}, {"published_after": "2025-01-02T00:00:00Z"}
    activity_cache.store("counts", analyst, (second,), {"n": 2})
    cache_calls.clear()

    found = activity_cache.cached_values("counts", analyst, [(first,), (second,)])

    assert found == [None, {"n": 2}]
    assert cache_calls.count("get_many") == 2  # the generations, then both entries


def test_without_the_cache_lookups_find_nothing_and_storing_does_not_fail(unreachable_cache, analyst):
    assert activity_cache.cached_values("counts", analyst, [({"a": "1"},), ({"a": "2"},)]) == [None, None]
    activity_cache.store("counts", analyst, ({"a": "1"},), {"n": 1})
