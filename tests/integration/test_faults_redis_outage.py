"""Redis (the broker) stopped for 30 seconds while posts are ingested: none is lost.

A post is stored before it is queued, so an unreachable broker costs nothing but the queueing:
``posts_ingest`` logs the failure and goes on, the post stays ``new``, and once Redis is back the
sweeper (ingestion.sweep_stale_posts, run by beat every few minutes) queues it. The worker rides
out the outage and reconnects by itself, even when the outage finds a task in its hands: it ends
that task, which it could not acknowledge, and the task's posts wait for the sweeper like the rest
(celery 5.7.0's worker exited there: mss_portal/celery.py).
"""

import logging
import time

import psycopg2
import pytest
from django.db import connection

from ingestion import services
from ingestion.models import Post, RejectedRecord, Source, Update
from ingestion.tasks import sweep_stale_posts
from mss_portal.celery import app as celery_app
from tests.integration.conftest import _reset_connections, wait_until
from tests.integration.services import fault_stack, post_records

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only, pytest.mark.faults]

OUTAGE_SECONDS = 30
BATCHES_DURING_OUTAGE = 5
BATCH = 10


@pytest.fixture
def stack(django_db_blocker):
    with fault_stack(django_db_blocker) as running:
        yield running


def _processed() -> int:
    return Post.objects.filter(state="processed").count()


def _waiting_on_the_lock(held) -> bool:
    with held.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def _updates_locked():
    """A session of its own holding the updates table against writes, until it is closed."""
    held = psycopg2.connect(**connection.get_connection_params())
    held.cursor().execute(f"LOCK TABLE {Update._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    return held


def test_posts_ingested_while_redis_is_down_are_all_processed_after(stack, caplog):
    source = Source.objects.create(name="outage test", kind="file", is_official=True)
    worker = stack.worker(concurrency=2)
    before = services.posts_ingest(source=source, result=post_records(10), origin="before")
    assert before.new == 10
    assert wait_until(lambda: _processed() == 10, timeout=60)
    # The next batch's task is taken and held at its first write when Redis goes: in the worker's
    # hands, not acknowledged.
    held = _updates_locked()
    in_hand = services.posts_ingest(
        source=source, result=post_records(10, first_id=1900000000000150000), origin="in hand"
    )
    assert in_hand.new == 10
    assert wait_until(lambda: _waiting_on_the_lock(held), timeout=30), "a worker took the task"

    logged = worker.log.stat().st_size
    stack.redis.stop()
    # The worker cannot acknowledge the task without the broker: it ends it (its transaction rolled
    # back once it wakes, its posts still new, for the sweeper) rather than let it finish.
    ending = "cannot be acknowledged after a connection loss"
    assert wait_until(lambda: ending in worker.log.read_text()[logged:], timeout=30), "the task is ended"
    held.close()
    down_at = time.monotonic()
    slowest = 0.0
    next_id = 1900000000000200000
    with caplog.at_level(logging.WARNING, logger="ingestion.services"):
        for _ in range(BATCHES_DURING_OUTAGE):
            started = time.monotonic()
            stats = services.posts_ingest(
                source=source, result=post_records(BATCH, first_id=next_id), origin="during the outage"
            )
            slowest = max(slowest, time.monotonic() - started)
            next_id += BATCH
            # Stored, not failed, nothing rejected: only the queueing waits for the broker.
            assert (stats.new, stats.failed) == (BATCH, 0)
            time.sleep(max(0.0, (OUTAGE_SECONDS / BATCHES_DURING_OUTAGE) - (time.monotonic() - started)))
    assert RejectedRecord.objects.count() == 0
    assert "stored but not queued" in caplog.text and "the sweeper will queue them" in caplog.text
    stored_during = BATCH * BATCHES_DURING_OUTAGE
    assert Post.objects.filter(state="new").count() == in_hand.new + stored_during
    assert worker.process.poll() is None, "the worker survived the outage"
    remaining = OUTAGE_SECONDS - (time.monotonic() - down_at)
    if remaining > 0:
        time.sleep(remaining)

    stack.redis.start()
    up_at = time.monotonic()
    _reset_connections()  # this process's pooled broker connections died with the server
    assert wait_until(lambda: bool(celery_app.control.ping(timeout=0.5)), timeout=90), (
        "the worker reconnected"
    )
    reconnected = time.monotonic() - up_at
    sweep_stale_posts.delay(older_than_minutes=0)

    total = 20 + stored_during
    assert wait_until(lambda: _processed() == total, timeout=120), (
        f"{total - _processed()} posts still unprocessed after the outage"
    )
    assert Post.objects.count() == total
    assert Update.objects.count() == total
    assert Update.history.filter(history_type="+").count() == total
    print(
        f"\nRedis down {OUTAGE_SECONDS} s: {stored_during} posts stored meanwhile (slowest batch of {BATCH}: "
        f"{slowest:.1f} s); worker answered {reconnected:.1f} s after Redis returned; all {total} processed"
    )
