"""Polling sources: fetch what is new at an X API or feed source, store it, then move its cursor."""

from __future__ import annotations

import os
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import outbound

from ..choices import SourceKind
from ..clients.feeds import FeedError, FeedTransientError, fetch_feed
from ..clients.x_api import XApiClient, XAuthError, XRateLimited, XTransientError
from ..models import Source, credential_env_problem
from ..parsers import rss
from ..parsers.records import ParseError
from .storing import IngestStats, posts_ingest


class SourceConfigurationError(ValueError):
    """A source that cannot be polled as configured; the message says what to fix."""


def _credential(source: Source) -> str:
    if not source.credential_env:
        raise SourceConfigurationError(f"Source '{source.name}' names no credential variable.")
    problem = credential_env_problem(source.credential_env)
    if problem:
        raise SourceConfigurationError(f"Source '{source.name}': {problem}")
    token = os.environ.get(source.credential_env, "")
    if not token:
        raise SourceConfigurationError(
            f"Source '{source.name}': the environment variable {source.credential_env} is not set."
        )
    return token


def _checked_session(source: Source, url: str):
    """A session for polling ``url``: refused if it, or any redirect it makes, points inside the network."""
    allow_private = settings.SOURCE_ALLOW_PRIVATE_TARGETS
    try:
        outbound.check_url(url, resolve=True, allow_http=True, allow_private=allow_private)
    except outbound.UnsafeTarget as exc:
        raise SourceConfigurationError(f"Source '{source.name}' may not be polled at {url}: {exc}") from exc
    return outbound.checked_session(allow_http=True, allow_private=allow_private)


def _source_error(source: Source, message: str, *, retry_after: datetime | None = None) -> None:
    Source.objects.filter(pk=source.pk).update(
        last_error=message,
        last_error_at=timezone.now(),
        polls_failed=F("polls_failed") + 1,
        next_poll_after=retry_after,
        last_polled_at=timezone.now(),
    )


def source_poll(*, source: Source) -> IngestStats:
    """Fetch what is new at a source, store it, and only then advance the source's cursor.

    Rate limits and bad credentials are recorded on the source with a clear message; transient
    failures (5xx, timeouts) are raised for the task to retry with backoff.
    """
    try:
        if source.kind == SourceKind.X_API_V2:
            stats = _poll_x(source)
        elif source.kind == SourceKind.RSS:
            stats = _poll_feed(source)
        else:
            raise SourceConfigurationError(
                f"Source '{source.name}' is a {source.get_kind_display()}: nothing to poll."
            )
    except XRateLimited as exc:
        _source_error(
            source,
            f"Rate limited by the X API until {exc.reset_at:%Y-%m-%d %H:%M:%S} UTC.",
            retry_after=exc.reset_at,
        )
        return IngestStats()
    except (XAuthError, FeedError, SourceConfigurationError) as exc:
        _source_error(source, str(exc))
        return IngestStats()
    except outbound.UnsafeTarget as exc:  # a redirect into the network
        _source_error(source, f"Source '{source.name}' was redirected inside the network: {exc}")
        return IngestStats()
    except (XTransientError, FeedTransientError) as exc:
        _source_error(source, f"Temporary failure, will retry: {exc}")
        raise
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=timezone.now(), last_error="", next_poll_after=None, polls_ok=F("polls_ok") + 1
    )
    return stats


def _poll_x(source: Source) -> IngestStats:
    target = source.target.strip()
    if not target:
        raise SourceConfigurationError(f"Source '{source.name}' has no X user id or search query.")
    query = target.removeprefix("search:").strip() if target.startswith("search:") else None
    base_url = source.base_url or "https://api.x.com"
    since_id = (source.cursor or {}).get("since_id")
    stats = IngestStats()
    token = _credential(source)
    with _checked_session(source, base_url) as session:
        client = XApiClient(base_url=base_url, token=token, session=session)
        fetch = client.fetch_new(user_id=None if query else target, query=query, since_id=since_id)
        for page in fetch:
            with transaction.atomic():
                stats.add(posts_ingest(source=source, result=page.result, origin=f"{source.name} (X API)"))
    if fetch.complete and fetch.newest_id and fetch.newest_id != since_id:
        # Every page down to the old cursor is stored: only now may the cursor move past them.
        # (Stopped early at max_pages, the older pages would otherwise be skipped for good.)
        cursor = dict(source.cursor or {}, since_id=fetch.newest_id)
        Source.objects.filter(pk=source.pk).update(cursor=cursor)
        source.cursor = cursor
    return stats


def _poll_feed(source: Source) -> IngestStats:
    if not source.target.strip():
        raise SourceConfigurationError(f"Source '{source.name}' has no feed URL.")
    cursor = source.cursor or {}
    with _checked_session(source, source.target) as session:
        response = fetch_feed(
            source.target,
            etag=cursor.get("etag"),
            last_modified=cursor.get("last_modified"),
            session=session,
        )
    if response.status == 304:
        return IngestStats()
    try:
        result = rss.parse(response.body, response_headers=response.headers)
    except ParseError as exc:
        raise FeedError(f"{source.target} did not answer with a feed: {exc}") from exc
    with transaction.atomic():
        stats = posts_ingest(source=source, result=result, origin=source.target)
    cursor = {k: v for k, v in {"etag": response.etag, "last_modified": response.last_modified}.items() if v}
    Source.objects.filter(pk=source.pk).update(cursor=cursor)
    source.cursor = cursor
    return stats
