"""An X API that fails with 500, then 429, then hangs: retries with backoff, no cursor jump, no loss.

The poll goes through a real worker against a real HTTP server (FakeXApi) holding 150 posts, two
pages. Page 1 arrives, page 2 fails with 500: page 1's posts are kept, the cursor stays where it
was (page 2's older posts must still be fetched), and the task retries with backoff. The retry
meets a 429: the source waits until the reset time, which the scheduler respects. The next poll
hangs past the client's timeout and is retried; then every post arrives, once, and only then does
the cursor move to the newest post.
"""

import time

import pytest

from ingestion.models import Post, RejectedRecord, Source, Update
from ingestion.tasks import poll_due_sources, poll_source
from tests.integration.conftest import wait_until
from tests.integration.services import fault_stack
from tests.support.fake_servers import FakeXApi, ScriptedResponse

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only, pytest.mark.faults]

TOKEN = "fault-x-token"
FIRST_ID = 1815000000000400000
POSTS = [
    {
        "id": str(FIRST_ID + i),
        "text": f"Patrol {i} near Pont-Sondé and Solino.",
        "author_id": "42",
        "created_at": f"2025-03-17T{10 + i // 60:02d}:{i % 60:02d}:00.000Z",
        "lang": "en",
        "edit_history_tweet_ids": [str(FIRST_ID + i)],
    }
    for i in range(150)
]
NEWEST = str(FIRST_ID + 149)
TIMELINE = "/2/users/42/tweets"


@pytest.fixture
def stack(django_db_blocker):
    with fault_stack(django_db_blocker) as running:
        yield running


def test_errors_rate_limits_and_hangs_lose_nothing_and_never_skip_posts(stack):
    with FakeXApi(POSTS, users=[{"id": "42", "username": "mss"}], token=TOKEN) as api:
        stack.worker(concurrency=2, env={"MSS_SOURCE_X_TOKEN": TOKEN})
        source = Source.objects.create(
            name="MSS on X", kind="x_api_v2", target="42", credential_env="MSS_SOURCE_X_TOKEN",
            base_url=api.url, poll_interval_minutes=0, is_official=True,
        )  # fmt: skip

        # Page 1 answers, page 2 fails with 500; the retry is then told 429 until `reset`.
        api.script(ScriptedResponse(then_normal=True))
        api.fail_next(1, status=500)
        reset = api.rate_limit_next(1, reset_at=int(time.time()) + 20)
        poll_source.delay(source.pk)

        def rate_limited() -> bool:
            source.refresh_from_db()
            return "Rate limited" in source.last_error

        assert wait_until(rate_limited, timeout=60), source.last_error
        statuses = [r.path for r in api.requests]
        assert statuses == [TIMELINE, TIMELINE, TIMELINE]  # page 1, page 2 (500), the retry (429)
        assert api.requests[1].query.get("pagination_token")  # the 500 was page 2
        retry_delay = api.requests[2].received_at - api.requests[1].received_at
        # Page 1 is stored; the cursor has not moved past page 2's unseen posts.
        assert Post.objects.filter(source=source).count() == 100
        assert not source.cursor.get("since_id")
        assert source.next_poll_after is not None and abs(source.next_poll_after.timestamp() - reset) < 2

        # The scheduler holds off until the reset time.
        assert reset - time.time() > 3, "the retry came too late to watch the hold-off"
        poll_due_sources.delay()
        time.sleep(2)
        assert len(api.requests) == 3
        assert wait_until(lambda: time.time() > reset + 0.5, timeout=30)

        # The next poll hangs past the client's timeout (10 s), fails, and is retried.
        api.hang_next(1, seconds=20)
        poll_due_sources.delay()

        def everything_in() -> bool:
            source.refresh_from_db()
            return (
                source.cursor.get("since_id") == NEWEST and Post.objects.filter(source=source).count() == 150
            )

        assert wait_until(everything_in, timeout=90), (source.last_error, Post.objects.count())
        hung, retried = api.requests[3], api.requests[4]
        assert retried.received_at - hung.received_at >= 10  # the client gave up, the task retried
        assert not retried.query.get("since_id")  # still from the old cursor: nothing skipped

        assert wait_until(lambda: Update.objects.count() == 150, timeout=60)
        assert Post.objects.count() == 150
        assert sorted(Post.objects.values_list("external_id", flat=True)) == sorted(p["id"] for p in POSTS)
        assert RejectedRecord.objects.count() == 0
        source.refresh_from_db()
        assert source.last_error == "" and source.next_poll_after is None

        # A later poll asks only for what is newer than the cursor.
        poll_source.delay(source.pk)
        assert wait_until(lambda: api.requests[-1].query.get("since_id") == NEWEST, timeout=30)
        assert Post.objects.count() == 150
    print(
        f"\nX API: 500 retried after {retry_delay:.1f} s, 429 held the source until its reset, hang retried "
        f"after {retried.received_at - hung.received_at:.1f} s; 150/150 posts, cursor {NEWEST}"
    )
