"""Celery tasks of the accounts app: thin wrappers around the services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="accounts.flush_api_token_uses", acks_late=True, soft_time_limit=240, time_limit=300)
def flush_api_token_uses() -> int:
    """Write the API token uses buffered in Redis to the database (beat runs it every few seconds, and
    a request queues it when the buffer has grown by API_TOKEN_USE_FLUSH_AT uses)."""
    return services.api_token_uses_flush()
