"""SIGKILL the Celery worker in the middle of 2,000 posts: nothing is lost or doubled.

Two deaths are tried, one after the other: a pool process killed (as the OOM killer would), which
the worker's main process notices and answers by putting the task back (reject_on_worker_lost);
then the whole worker killed, main process and all, which leaves its reserved tasks unacknowledged
in Redis until the visibility timeout: the sweeper (ingestion.sweep_stale_posts) queues those
posts again. Processing is idempotent, so a task that runs twice replaces its update.
"""

import os
import signal
import subprocess
import time

import pytest

from ingestion import services
from ingestion.models import Post, Source, Update
from tests.integration.conftest import wait_until
from tests.integration.services import fault_stack, post_records

pytestmark = [pytest.mark.integration, pytest.mark.postgis_only, pytest.mark.faults]

BATCH = 2000


@pytest.fixture
def stack(django_db_blocker):
    with fault_stack(django_db_blocker) as running:
        yield running


def _pool_children(worker) -> list[int]:
    out = subprocess.run(
        ["/usr/bin/pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in out.split()]


def _processed() -> int:
    return Post.objects.filter(state="processed").count()


def test_killed_workers_lose_no_post_and_double_no_update(stack):
    source = Source.objects.create(name="kill test", kind="file", is_official=True)
    worker = stack.worker(concurrency=2)
    started = time.monotonic()
    stats = services.posts_ingest(source=source, result=post_records(BATCH), origin="kill test")
    assert stats.new == BATCH

    # 1. A pool process dies mid-task: its task is put back at once and done by a new process.
    assert wait_until(lambda: _processed() >= 50, timeout=60)
    children = _pool_children(worker)
    assert children, "the prefork pool has processes"
    os.kill(children[0], signal.SIGKILL)

    # 2. The whole worker dies (main process and pool) while the batch is half done.
    assert wait_until(lambda: _processed() >= 200, timeout=90)
    worker.kill()
    at_kill = _processed()
    assert at_kill < BATCH, "the worker died with posts left to do"
    time.sleep(1)
    assert _processed() == at_kill  # nothing runs any more

    # A new worker takes over the queue; the tasks the dead one held come back through the sweeper.
    stack.worker(concurrency=2)
    assert wait_until(lambda: stack.queue_length() == 0, timeout=120)
    from ingestion.tasks import sweep_stale_posts

    requeued = sweep_stale_posts.delay(older_than_minutes=0)
    assert requeued is not None
    assert wait_until(lambda: _processed() == BATCH, timeout=120), (
        f"{BATCH - _processed()} posts never processed: "
        f"{list(Post.objects.exclude(state='processed').values('external_id', 'state', 'attempts')[:10])}"
    )
    elapsed = time.monotonic() - started

    # Every post processed, each with exactly one update, created once.
    assert Post.objects.count() == BATCH
    assert Update.objects.count() == BATCH
    assert Update.objects.values("post").distinct().count() == BATCH
    created = Update.history.filter(history_type="+")
    assert created.count() == BATCH
    assert created.values("id").distinct().count() == BATCH
    # Only the batches in flight when a process died ran more than once (idempotently, and then
    # one post at a time): the pool process's, and the two of the worker killed whole.
    rerun = Post.objects.filter(attempts__gt=1).count()
    assert rerun <= 3 * services.PROCESS_BATCH_SIZE, f"{rerun} posts started more than once"
    print(f"\n{BATCH} posts through two worker deaths in {elapsed:.1f} s; {rerun} post(s) started again")
