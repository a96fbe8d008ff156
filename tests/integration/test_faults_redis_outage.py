"""Redis (the broker) stopped for 30 seconds while posts are ingested: none is lost.

A post is stored before it is queued, so an unreachable broker costs nothing but the queueing:
``posts_ingest`` logs the failure and goes on, the post stays ``new``, and once Redis is back the
sweeper (ingestion.sweep_stale_posts, run by beat every few minutes) queues it. The worker rides
out the outage and reconnects by itself.
"""

import logging
import time

import pytest

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


def test_posts_ingested_while_redis_is_down_are_all_processed_after(stack, caplog):
    source = Source.objects.create(name="outage test", kind="file", is_official=True)
    worker = stack.worker(concurrency=2)
    before = services.posts_ingest(source=source, result=post_records(20), origin="before")
    assert before.new == 20
    assert wait_until(lambda: _processed() == 20, timeout=60)

    stack.redis.stop()
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
    assert Post.objects.filter(state="new").count() == stored_during
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
