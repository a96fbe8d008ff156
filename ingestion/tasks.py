"""Celery tasks: thin wrappers that load by id and call the services.

Reliability is declared here, not in the services: late acks with requeue when a worker dies,
JSON arguments only (ids), time limits, and retries with exponential backoff and jitter.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import selectors, services
from .clients.feeds import FeedTransientError
from .clients.x_api import XTransientError
from .models import Source

log = logging.getLogger(__name__)

_RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
}


_PROCESSING = {
    "bind": True,
    "autoretry_for": (OperationalError, InterfaceError),  # the database is away
    "max_retries": services.MAX_PROCESS_ATTEMPTS,
    **_RELIABLE,
}


def _process(task, post_ids: list[int], force: bool) -> services.ProcessOutcome:
    outcome = services.posts_process_batch(post_ids=post_ids, force=force)
    if outcome.interrupted:
        # Their batch was cut short by a dying worker: alone, one of them cannot take the others down.
        services.posts_queue(post_ids=outcome.interrupted, force=force, one_by_one=True)
    # Run in-process (the embedded default), a retry would run at once: the failure is recorded and
    # the sweeper or the admin's retry action comes back to it.
    if not task.request.is_eager:
        for post_id, attempts in outcome.failed.items():
            if attempts < services.MAX_PROCESS_ATTEMPTS:
                countdown = min(600, 5 * 2**attempts)
                services.posts_queue(post_ids=[post_id], force=force, countdown=countdown, one_by_one=True)
            else:
                log.error("process_post: post %s failed %s times; left failed", post_id, attempts)
    return outcome


@shared_task(name="ingestion.process_post_batch", soft_time_limit=120, time_limit=180, **_PROCESSING)
def process_post_batch(self, post_ids: list[int], force: bool = False) -> dict:
    """Turn a batch of stored posts into their updates (services.PROCESS_BATCH_SIZE at most)."""
    outcome = _process(self, post_ids, force)
    return {
        "processed": len(outcome.updates),
        "failed": len(outcome.failed),
        "split": len(outcome.interrupted),
    }


@shared_task(name="ingestion.process_post", soft_time_limit=60, time_limit=90, **_PROCESSING)
def process_post(self, post_id: int, force: bool = False) -> int | None:
    """Turn one stored post into its update. Returns the update id (None if it failed or is gone)."""
    return _process(self, [post_id], force).updates.get(post_id)


@shared_task(
    name="ingestion.poll_source",
    autoretry_for=(XTransientError, FeedTransientError, OperationalError, InterfaceError),
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
    **_RELIABLE,
)
def poll_source(source_id: int) -> dict:
    """Fetch what is new at one source and queue its posts for processing."""
    source = Source.objects.get(pk=source_id)
    stats = services.source_poll(source=source)
    return {"new": stats.new, "duplicate": stats.duplicate, "failed": stats.failed}


@shared_task(name="ingestion.poll_due_sources", acks_late=True, soft_time_limit=50, time_limit=60)
def poll_due_sources() -> int:
    """Beat: queue a poll for every enabled source whose interval has passed."""
    due = selectors.sources_due()
    for source in due:
        services.source_queue_poll(source=source)
    return len(due)


@shared_task(name="ingestion.sweep_stale_posts", acks_late=True, soft_time_limit=100, time_limit=120)
def sweep_stale_posts(older_than_minutes: int = 10) -> int:
    """Beat: queue again posts that a lost task left unprocessed."""
    return services.posts_requeue_stuck(older_than=timedelta(minutes=older_than_minutes))


@shared_task(name="ingestion.train_kind_model", acks_late=True, soft_time_limit=600, time_limit=660)
def train_kind_model() -> str:
    """Beat: train the kind classifier on the reviewers' corrections; a worse model is kept unused."""
    training = services.kind_model_train()
    log.info("train_kind_model: %s", training)
    return str(training)
