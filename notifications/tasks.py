"""Celery tasks: thin wrappers that call the services with ids.

Emails retry with growing delays while the mail server is away or refuses; the others retry only
while the database is away. The daily digest is queued by beat (migration 0002).
"""

from __future__ import annotations

from datetime import datetime
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import services

_DATABASE_AWAY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "max_retries": 5,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
}
# SMTPException for a refusal, OSError for a server that cannot be reached.
_MAIL_AWAY = {
    "autoretry_for": (SMTPException, OSError, OperationalError, InterfaceError),
    "max_retries": 8,
    "retry_backoff": settings.EMAIL_RETRY_BASE_SECONDS,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
}


@shared_task(
    name="notifications.report_step", acks_late=True, soft_time_limit=100, time_limit=120, **_DATABASE_AWAY
)
def notify_report_step(report_id: int, step: str, user_id: int | None, reason: str = "") -> int:
    """Tell the approvers or the author of a report's workflow step. Returns how many were told."""
    return services.report_step_notify(report_id=report_id, step=step, user_id=user_id, reason=reason)


@shared_task(
    name="notifications.updates_created",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    **_DATABASE_AWAY,
)
def notify_updates_created(update_ids: list[int]) -> int:
    """Tell the watchers of new updates. Returns how many notifications were made."""
    return services.updates_created_notify(update_ids=update_ids)


@shared_task(name="notifications.send_email", acks_late=True, soft_time_limit=50, time_limit=60, **_MAIL_AWAY)
def send_email(
    user_id: int,
    kind: str,
    report_id: int | None = None,
    update_id: int | None = None,
    actor_id: int | None = None,
    reason: str = "",
) -> bool:
    """Email one notification."""
    return services.email_send(
        user_id=user_id, kind=kind, report_id=report_id, update_id=update_id, actor_id=actor_id, reason=reason
    )


@shared_task(name="notifications.send_daily_digests", acks_late=True, soft_time_limit=100, time_limit=120)
def send_daily_digests() -> int:
    """Beat, daily: queue one digest per member with daily watches. Returns how many."""
    return services.digests_queue()


@shared_task(
    name="notifications.send_digest", acks_late=True, soft_time_limit=100, time_limit=120, **_MAIL_AWAY
)
def send_digest(user_id: int, since: str, until: str) -> int:
    """Email one member's digest of [since, until) (ISO 8601). Returns how many updates it listed."""
    return services.digest_send(
        user_id=user_id, since=datetime.fromisoformat(since), until=datetime.fromisoformat(until)
    )
