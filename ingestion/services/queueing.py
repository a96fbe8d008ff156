"""Queueing the app's Celery tasks: the one place in ingestion that does.

Posts are queued for processing once their transaction commits (``posts_queue_on_commit``), so the
worker finds them, or now, outside a transaction (``posts_queue``: the tasks and the sweeper); a
broker outage while queueing posts is logged, never raised: the post is stored and the sweeper
queues it later. Polls are queued with ``source_queue_poll``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from django.db import transaction

from ..models import Source

log = logging.getLogger(__name__)


# Posts are processed in batches: one task per batch of PROCESS_BATCH_SIZE, not a task per post
# (issue 7: 200 posts/s). Storing has its own batch size (storing.STORE_BATCH_SIZE).
PROCESS_BATCH_SIZE = 25


# Queueing gives up quickly when the broker cannot be reached: the post is already stored and stays
# `new`, and the sweeper (ingestion.sweep_stale_posts) queues it once the broker is back.
_QUEUE_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.25, "interval_max": 0.25}


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _enqueue(
    post_ids: list[int], *, force: bool = False, countdown: float | None = None, batch_size: int | None = None
) -> None:
    """Queue stored posts for processing; a broker outage is logged, never raised.

    One post goes to ``process_post``, several to ``process_post_batch`` in batches of PROCESS_BATCH_SIZE.
    """
    # Imported here: tasks import services.
    from kombu.exceptions import OperationalError as BrokerError

    from ..tasks import process_post, process_post_batch

    for batch in _chunks(list(post_ids), batch_size or PROCESS_BATCH_SIZE):
        task, args = (process_post, (batch[0],)) if len(batch) == 1 else (process_post_batch, (batch,))
        try:
            task.apply_async(
                args,
                {"force": True} if force else None,
                countdown=countdown,
                retry_policy=_QUEUE_RETRY_POLICY,
            )
        except (BrokerError, ConnectionError) as exc:
            log.warning(
                "posts %s stored but not queued (broker unavailable: %s); the sweeper will queue them",
                batch,
                exc,
            )


def posts_queue_on_commit(*, post_ids: Sequence[int], force: bool = False) -> None:
    """Queue stored posts for processing once the current transaction commits (storing, reprocessing)."""
    # Only once the posts are committed, so the worker finds them.
    if post_ids:
        ids = list(post_ids)
        transaction.on_commit(lambda: _enqueue(ids, force=force))


def posts_queue(
    *, post_ids: Sequence[int], force: bool = False, countdown: float | None = None, one_by_one: bool = False
) -> None:
    """Queue stored posts for processing now (outside a transaction: the tasks and the sweeper)."""
    _enqueue(list(post_ids), force=force, countdown=countdown, batch_size=1 if one_by_one else None)


def source_queue_poll(*, source: Source) -> None:
    """Queue a poll of the source now (the beat's due sources, the admin's "poll now").

    A broker outage is raised, unlike for posts: nothing is stored that the sweeper could come back
    to. The admin shows the error; the beat queues a source that is still due at its next run.
    """
    # Imported here: tasks import services.
    from ..tasks import poll_source

    poll_source.delay(source.pk)
