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


@shared_task(
    bind=True,
    name="ingestion.process_post",
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=services.MAX_PROCESS_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
    **_RELIABLE,
)
def process_post(self, post_id: int, force: bool = False) -> int | None:
    """Turn one stored post into its update. Returns the update id."""
    post = services.post_mark_started(post_id=post_id)
    if post is None:
        log.warning("process_post: post %s no longer exists", post_id)
        return None
    try:
        return services.post_process(post=post, force=force).pk
    except (OperationalError, InterfaceError):
        raise  # the database is away: autoretry
    except Exception as exc:
        services.post_mark_failed(post=post, error=exc)
        # Run in-process (the embedded default), a retry would recurse at once: the failure is
        # recorded and the sweeper or the admin's retry action comes back to it.
        if not self.request.is_eager and post.attempts < services.MAX_PROCESS_ATTEMPTS:
            raise self.retry(exc=exc, countdown=min(600, 5 * 2**post.attempts)) from exc
        log.exception("process_post: post %s failed %s times; left failed", post_id, post.attempts)
        return None


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
        poll_source.delay(source.pk)
    return len(due)


@shared_task(name="ingestion.sweep_stale_posts", acks_late=True, soft_time_limit=100, time_limit=120)
def sweep_stale_posts(older_than_minutes: int = 10) -> int:
    """Beat: queue again posts that a lost task left unprocessed."""
    return services.posts_requeue_stuck(older_than=timedelta(minutes=older_than_minutes))
