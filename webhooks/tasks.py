"""Celery tasks: thin wrappers that call the services with ids.

Deliveries retry with exponential backoff (the service says when); fan-outs retry only when the
database is away. The sweeper re-queues deliveries whose task was lost.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

_DATABASE_AWAY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
}


@shared_task(name="webhooks.fan_out", acks_late=True, soft_time_limit=100, time_limit=120, **_DATABASE_AWAY)
def fan_out(
    resource: str, pk: int, seen_before: list[str] | None = None, hotspots_before: list[int] | None = None
) -> int:
    """Create the deliveries of one saved record (and of the hotspots it is or was at). Returns how many."""
    return len(
        services.fan_out(resource=resource, pk=pk, seen_before=seen_before, hotspots_before=hotspots_before)
    )


@shared_task(
    name="webhooks.fan_out_many", acks_late=True, soft_time_limit=240, time_limit=300, **_DATABASE_AWAY
)
def fan_out_many(resource: str, pks: list[int], seen_before: list[str] | None = None) -> int:
    """Create the deliveries of records written together. Returns how many."""
    return len(services.fan_out_many(resource=resource, pks=pks, seen_before=seen_before))


@shared_task(
    name="webhooks.fan_out_deleted", acks_late=True, soft_time_limit=100, time_limit=120, **_DATABASE_AWAY
)
def fan_out_deleted(
    resource: str, object_id: str, partners: bool, hotspots_before: list[int] | None = None
) -> int:
    """Create the deliveries announcing one deletion (and of the hotspots it was at). Returns how many."""
    return len(
        services.fan_out_deleted(
            resource=resource, object_id=object_id, partners=partners, hotspots_before=hotspots_before
        )
    )


@shared_task(
    bind=True,
    name="webhooks.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def deliver(self, delivery_id: int) -> str:
    """POST one delivery; on failure, come back after the backoff the service decided."""
    outcome = services.delivery_attempt(delivery_id=delivery_id)
    # In-process (the embedded default) a retry would run at once: the sweeper comes back instead.
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.status


@shared_task(name="webhooks.redeliver_overdue", acks_late=True, soft_time_limit=50, time_limit=60)
def redeliver_overdue() -> int:
    """Beat: queue again the pending deliveries whose task was lost."""
    return services.deliveries_requeue_overdue()
