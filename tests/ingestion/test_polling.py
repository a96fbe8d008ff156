"""Polling X API v2 and feed sources against real HTTP servers on loopback."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ingestion import selectors, services
from ingestion.clients.x_api import XTransientError
from ingestion.models import Post, Source, Update
from ingestion.tasks import poll_due_sources, poll_source
from tests.support.fake_servers import FakeFeedServer, FakeXApi, ScriptedResponse, problem

pytestmark = pytest.mark.django_db

USER_ID = "1790000000000000001"
TOKEN = "test-token"


def _posts(n, *, first=1815000000000100000):
    return [
        {
            "id": str(first + i),
            "text": f"Patrol number {i} in Solino and Delmas 30.",
            "created_at": "2025-03-17T14:15:00.000Z",
            "author_id": USER_ID,
            "lang": "en",
            "edit_history_tweet_ids": [str(first + i)],
        }
        for i in range(n)
    ]


@pytest.fixture
def x_api():
    with FakeXApi(
        _posts(250), users=[{"id": USER_ID, "username": "MSS_Haiti", "name": "MSS"}], token=TOKEN
    ) as api:
        yield api


@pytest.fixture
def x_source(x_api, monkeypatch):
    monkeypatch.setenv("MSS_SOURCE_X_TOKEN", TOKEN)
    return Source.objects.create(
        name="MSS on X",
        kind="x_api_v2",
        target=USER_ID,
        credential_env="MSS_SOURCE_X_TOKEN",
        base_url=x_api.url,
        is_official=True,
    )


def test_a_poll_follows_every_page_and_advances_the_cursor(x_api, x_source, committed):
    stats = committed(services.source_poll, source=x_source)

    assert stats.new == 250
    assert Update.objects.count() == 250
    pages = [r for r in x_api.requests if r.path.endswith("/tweets")]
    assert len(pages) == 3
    assert pages[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "note_tweet" in pages[0].query["tweet.fields"]
    assert pages[1].query["pagination_token"]
    x_source.refresh_from_db()
    assert x_source.cursor["since_id"] == str(1815000000000100000 + 249)
    assert x_source.last_error == ""
    assert Post.objects.get(external_id="1815000000000100000").url == (
        "https://x.com/MSS_Haiti/status/1815000000000100000"
    )


def test_the_next_poll_asks_only_for_newer_posts(x_api, x_source):
    services.source_poll(source=x_source)
    x_api.add_posts(*_posts(2, first=1815000000000900000))
    x_api.clear_requests()

    stats = services.source_poll(source=x_source)

    assert stats.new == 2
    assert x_api.requests[0].query["since_id"] == str(1815000000000100000 + 249)


def test_a_failure_mid_way_keeps_the_stored_pages_and_the_old_cursor(x_api, x_source):
    # The first page answers normally, the second with a server error.
    x_api.script(
        ScriptedResponse(then_normal=True),
        ScriptedResponse(503, problem(503, "Service Unavailable"), {"Content-Type": "application/json"}),
    )
    with pytest.raises(XTransientError):
        services.source_poll(source=x_source)

    x_source.refresh_from_db()
    assert Post.objects.count() == 100  # the first page is stored: nothing fetched is lost
    assert "since_id" not in x_source.cursor  # ...but the cursor did not move past the lost pages
    assert "Temporary failure" in x_source.last_error

    stats = services.source_poll(source=x_source)
    assert (stats.new, stats.duplicate) == (150, 100)
    assert Post.objects.count() == 250


def test_a_rate_limit_holds_the_source_until_the_reset_time(x_api, x_source):
    reset = x_api.rate_limit_next(reset_at=datetime(2030, 1, 1, tzinfo=UTC))

    services.source_poll(source=x_source)

    x_source.refresh_from_db()
    assert x_source.next_poll_after == datetime.fromtimestamp(reset, tz=UTC)
    assert "Rate limited" in x_source.last_error
    assert "since_id" not in x_source.cursor
    assert x_source not in selectors.sources_due()


def test_a_wrong_token_marks_the_source_in_error(x_api, x_source, monkeypatch):
    monkeypatch.setenv("MSS_SOURCE_X_TOKEN", "wrong")
    services.source_poll(source=x_source)
    x_source.refresh_from_db()
    assert "401" in x_source.last_error or "Unauthorized" in x_source.last_error
    assert Post.objects.count() == 0


def test_a_missing_credential_is_named(x_source, monkeypatch):
    monkeypatch.delenv("MSS_SOURCE_X_TOKEN")
    services.source_poll(source=x_source)
    x_source.refresh_from_db()
    assert x_source.last_error == "Source 'MSS on X': the environment variable MSS_SOURCE_X_TOKEN is not set."


def test_the_poll_task_retries_a_server_error(x_api, x_source, committed):
    x_api.fail_next(1, status=500)
    # Run in-process, Celery retries at once (the real worker's backoff is in tests/integration).
    committed(poll_source.apply, args=[x_source.pk], throw=False)
    assert Post.objects.count() == 250
    assert len(x_api.requests) == 4  # the failed request, then three pages


def test_the_scheduler_polls_sources_that_are_due(x_api, x_source):
    assert poll_due_sources.delay().get() == 1
    assert Post.objects.count() == 250
    assert poll_due_sources.delay().get() == 0  # polled a moment ago


def test_the_admin_polls_the_selected_sources_now(x_api, x_source, admin_client):
    admin_client.post(
        reverse("admin:ingestion_source_changelist"),
        {"action": "poll_now", "_selected_action": [x_source.pk]},
    )
    x_source.refresh_from_db()
    assert (x_source.polls_ok, Post.objects.count()) == (1, 250)  # eager here: polled at once


FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>MSS news</title><id>urn:mss:news</id>
<updated>2025-03-17T14:15:00Z</updated>
<entry><id>urn:mss:news:1</id><title>Food kits at Champ de Mars</title>
<link href="https://mss.example.org/news/1"/><updated>2025-03-17T14:15:00Z</updated>
<summary>Food kits were distributed to displaced families at Champ de Mars.</summary></entry>
</feed>"""


def test_a_feed_is_fetched_then_answered_304(committed):
    with FakeFeedServer(FEED, content_type="application/atom+xml") as server:
        source = Source.objects.create(name="news", kind="rss", target=server.feed_url())
        first = committed(services.source_poll, source=source)
        second = services.source_poll(source=source)
        requests = server.requests

    assert (first.new, second.new) == (1, 0)
    assert requests[1].headers.get("if-none-match")
    source.refresh_from_db()
    assert source.cursor["etag"]
    update = Update.objects.get()
    assert update.kind == "humanitarian"
    assert set(update.hotspots.values_list("slug", flat=True)) == {"champ-de-mars"}
