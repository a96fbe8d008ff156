"""The rules of ingestion: store every post first, then turn it into one structured update.

Tasks, management commands and the admin call these functions; none of them holds a rule itself.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hotspots.models import Hotspot
from hotspots.services import alias_add, hotspot_create_from_reference
from hotspots.text import normalise
from operations.models import Contingent

from . import selectors
from .choices import CandidateOrigin, CandidateStatus, PostState, ReviewState, SourceKind
from .clients.feeds import FeedError, FeedTransientError, fetch_feed
from .clients.x_api import XApiClient, XAuthError, XRateLimited, XTransientError
from .extraction import extract
from .models import CandidateSighting, Mention, PlaceCandidate, Post, RejectedRecord, Source, Update
from .parsers import rss
from .parsers.records import ParseError, ParseResult, PostRecord, RecordError

log = logging.getLogger(__name__)

# A processing failure is retried this many times (with backoff) before the post stays failed.
MAX_PROCESS_ATTEMPTS = 5
_HUMAN_REVIEWED = (ReviewState.CONFIRMED, ReviewState.CORRECTED, ReviewState.REJECTED)


class SourceConfigurationError(ValueError):
    """A source that cannot be polled as configured; the message says what to fix."""


@dataclass
class IngestStats:
    """What one ingestion run did with its input."""

    new: int = 0
    duplicate: int = 0
    changed: int = 0
    failed: int = 0
    errors: list[RecordError] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"new {self.new}, duplicate {self.duplicate}, changed {self.changed}, failed {self.failed}"

    def add(self, other: IngestStats) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.changed += other.changed
        self.failed += other.failed
        self.errors += other.errors
        self.post_ids += other.post_ids


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def source_for_file(*, name: str) -> Source:
    """The file source of that name, created on first use."""
    source, _ = Source.objects.get_or_create(
        name=name, defaults={"kind": SourceKind.FILE, "is_official": True}
    )
    return source


# Queueing gives up quickly when the broker cannot be reached: the post is already stored and stays
# `new`, and the sweeper (ingestion.sweep_stale_posts) queues it once the broker is back.
_QUEUE_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.25, "interval_max": 0.25}


def _enqueue(post_id: int, **kwargs) -> None:
    """Queue one stored post for processing; a broker outage is logged, never raised."""
    # Imported here: tasks import services.
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import process_post

    try:
        process_post.apply_async((post_id,), kwargs or None, retry_policy=_QUEUE_RETRY_POLICY)
    except (BrokerError, ConnectionError) as exc:
        log.warning(
            "post %s stored but not queued (broker unavailable: %s); the sweeper will queue it", post_id, exc
        )


def _queue_processing(post_ids: list[int]) -> None:
    # Only once the post is committed, so the worker finds it.
    for post_id in post_ids:
        transaction.on_commit(lambda pid=post_id: _enqueue(pid))


def post_store(*, source: Source, record: PostRecord) -> tuple[Post, str]:
    """Store one post unless the source already has it. Returns the post and 'new', 'duplicate' or 'changed'.

    A changed text under a known id (an edited feed entry) replaces the text and is processed again.
    """
    digest = content_hash(record.text)
    existing = Post.objects.filter(source=source, external_id=record.external_id).first()
    if existing is not None:
        if existing.content_hash == digest:
            return existing, "duplicate"
        existing.text, existing.raw, existing.content_hash = record.text, record.raw, digest
        existing.url, existing.author, existing.language = record.url, record.author, record.language
        existing.published_at = record.published_at
        existing.state, existing.attempts, existing.last_error = PostState.NEW, 0, ""
        existing.save()
        return existing, "changed"
    try:
        with transaction.atomic():
            post = Post.objects.create(
                source=source,
                external_id=record.external_id,
                url=record.url[:1000],
                author=record.author,
                text=record.text,
                language=record.language,
                published_at=record.published_at,
                raw=record.raw,
                content_hash=digest,
            )
    except IntegrityError:
        # Another worker stored it between our read and our insert.
        return Post.objects.get(source=source, external_id=record.external_id), "duplicate"
    return post, "new"


def posts_ingest(
    *,
    source: Source,
    result: ParseResult,
    origin: str,
    process: bool = True,
    progress: Callable[[int], None] | None = None,
) -> IngestStats:
    """Store what a parser read: every good post, and every bad record with its raw text.

    Each post is stored in its own transaction, so one that cannot be stored never sinks the others.
    Processing is queued only once the post is committed.
    """
    stats = IngestStats()
    stored_here: dict[str, str] = {}
    for record in result.posts:
        try:
            with transaction.atomic():
                post, outcome = post_store(source=source, record=record)
                if process and outcome in ("new", "changed"):
                    _queue_processing([post.pk])
        except Exception as exc:
            log.exception("could not store post %s from %s", record.external_id, origin)
            error = RecordError(
                position=f"id {record.external_id}",
                external_id=record.external_id,
                message=f"could not be stored: {exc}",
                raw=str(record.raw),
            )
            _reject(source=source, origin=origin, error=error)
            stats.failed += 1
            stats.errors.append(error)
        else:
            setattr(stats, outcome, getattr(stats, outcome) + 1)
            stats.post_ids.append(post.pk)
            stored_here[record.external_id] = post.content_hash
        if progress:
            progress(1)
    for error in result.errors:
        if error.code == "duplicate" and error.external_id in stored_here:
            # The same record twice in one input is harmless when it is the same post.
            stats.duplicate += 1
            continue
        _reject(source=source, origin=origin, error=error)
        stats.failed += 1
        stats.errors.append(error)
        if progress:
            progress(1)
    if stats.new or stats.changed:
        Source.objects.filter(pk=source.pk).update(posts_fetched=F("posts_fetched") + stats.new)
    return stats


def _reject(*, source: Source, origin: str, error: RecordError) -> None:
    RejectedRecord.objects.create(
        source=source,
        origin=origin[:500],
        position=error.position[:100],
        external_id=(error.external_id or "")[:200],
        message=error.message,
        raw=error.raw,
    )


def post_prepare_manual(*, post: Post) -> Post:
    """Fill in what a pasted post lacks (id, time, hash, raw payload) and validate it.

    ``post`` is unsaved, with at least its source and text; a missing id is made from the text.
    """
    post.text = (post.text or "").strip()
    if not post.text:
        raise ValidationError({"text": "A post needs text."})
    post.external_id = (post.external_id or "").strip() or f"manual-{content_hash(post.text)[:16]}"
    if Post.objects.filter(source=post.source_id, external_id=post.external_id).exists():
        raise ValidationError(
            {"external_id": f"{post.source} already has a post with id {post.external_id}."}
        )
    post.published_at = post.published_at or timezone.now()
    post.content_hash = content_hash(post.text)
    post.raw = {
        "id": post.external_id,
        "text": post.text,
        "url": post.url,
        "author": post.author,
        "lang": post.language,
        "created_at": post.published_at.isoformat(),
        "entered_in": "admin",
    }
    post.full_clean()
    return post


@transaction.atomic
def post_add_manual(*, post: Post) -> Post:
    """A post pasted by staff in the admin: stored like any other, then processed."""
    post_prepare_manual(post=post)
    post.save()
    _queue_processing([post.pk])
    return post


@transaction.atomic
def post_process(*, post: Post, force: bool = False) -> Update:
    """Turn a stored post into its update: hotspots, kind, figures, contingents and place candidates.

    Idempotent: processing again replaces the update's contents, never adds a second update. An
    update a reviewer has confirmed, corrected or rejected is left as reviewed unless forced.
    """
    post = Post.objects.select_for_update().get(pk=post.pk)
    existing = Update.objects.filter(post=post).first()
    if existing is not None and existing.review_state in _HUMAN_REVIEWED and not force:
        _mark_processed(post)
        return existing

    result = extract(post.text, selectors.hotspot_matcher(), selectors.reference_matcher())
    update, _ = Update.objects.update_or_create(
        post=post,
        defaults={
            "kind": result.kind,
            "figures": result.figures,
            "published_at": post.published_at,
            "review_state": ReviewState.AUTO,
            "reviewer": None,
            "reviewed_at": None,
        },
    )
    hotspots = {h.slug: h for h in Hotspot.objects.filter(slug__in={m.key for m in result.mentions})}
    update.mentions.all().delete()
    Mention.objects.bulk_create(
        [
            Mention(
                update=update, hotspot=hotspots[m.key], matched_text=m.text[:300], start=m.start, end=m.end
            )
            for m in result.mentions
            if m.key in hotspots
        ],
        ignore_conflicts=True,
    )
    update.contingents.set(Contingent.objects.filter(country_code__in=result.contingents))
    _record_candidates(post=post, candidates=result.candidates)
    _mark_processed(post)
    return update


def _mark_processed(post: Post) -> None:
    post.state, post.last_error, post.processed_at = PostState.PROCESSED, "", timezone.now()
    post.save(update_fields=["state", "last_error", "processed_at", "updated_at"])


def _record_candidates(*, post: Post, candidates) -> None:
    """Keep the reference places a post names (and that are no hotspot) for staff to review.

    Candidates are keyed by the reference place's own name, so "#CiteSoleil" and "Cité Soleil"
    are one candidate, and so are places of the same name in different communes.
    """
    CandidateSighting.objects.filter(post=post).delete()
    seen: set[str] = set()
    touched: list[int] = []
    for match in candidates:
        kind, _, reference = match.key.partition(":")
        if kind == "unknown":  # a capitalised name after a place cue, in no gazetteer
            name, origin, reference = match.text, CandidateOrigin.UNKNOWN, ""
        else:
            name = selectors.reference_place_name(match.key)
            origin = CandidateOrigin.PLACE if kind == "place" else CandidateOrigin.COMMUNE
        key = normalise(name)
        if not key or key in seen:
            continue
        seen.add(key)
        candidate, _ = PlaceCandidate.objects.get_or_create(
            normalised=key, defaults={"name": name, "origin": origin, "reference": reference}
        )
        CandidateSighting.objects.create(candidate=candidate, post=post, matched_text=match.text[:300])
        touched.append(candidate.pk)
    _recount_candidates(touched)


def _recount_candidates(candidate_ids: Iterable[int]) -> None:
    for candidate in PlaceCandidate.objects.filter(pk__in=list(candidate_ids)):
        candidate.occurrences = candidate.sightings.count()
        candidate.save(update_fields=["occurrences", "updated_at"])


def post_mark_started(*, post_id: int) -> Post | None:
    """Count an attempt before work starts, so a post that kills its worker is not retried forever."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            return None
        post.attempts += 1
        post.save(update_fields=["attempts", "updated_at"])
    return post


def post_mark_failed(*, post: Post, error: BaseException) -> None:
    """Record a processing failure on the post; it can be retried from the admin or by the sweeper."""
    message = f"{type(error).__name__}: {error}"[:2000]
    Post.objects.filter(pk=post.pk).update(
        state=PostState.FAILED, last_error=message, updated_at=timezone.now()
    )


def posts_reprocess(
    *, since: datetime | None = None, source: Source | None = None, force: bool = False
) -> int:
    """Queue posts for processing again, e.g. after aliases changed. Returns how many were queued."""
    posts = Post.objects.all()
    if since is not None:
        posts = posts.filter(published_at__gte=since)
    if source is not None:
        posts = posts.filter(source=source)
    ids = list(posts.values_list("pk", flat=True))
    Post.objects.filter(pk__in=ids).update(attempts=0, state=PostState.NEW)
    for post_id in ids:
        transaction.on_commit(lambda pid=post_id: _enqueue(pid, force=force))
    return len(ids)


def posts_retry(*, posts: Iterable[Post]) -> int:
    """Retry failed posts now (admin action)."""
    ids = [p.pk for p in posts]
    Post.objects.filter(pk__in=ids).update(attempts=0, state=PostState.NEW, last_error="")
    _queue_processing(ids)
    return len(ids)


def posts_requeue_stuck(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """The sweeper: queue again posts that a lost task left unprocessed."""
    from .tasks import process_post

    ids = list(
        selectors.posts_stuck(older_than=older_than, max_attempts=MAX_PROCESS_ATTEMPTS).values_list(
            "pk", flat=True
        )
    )
    for post_id in ids:
        process_post.delay(post_id)
    return len(ids)


# --- Polling --------------------------------------------------------------------------------------


def _credential(source: Source) -> str:
    if not source.credential_env:
        raise SourceConfigurationError(f"Source '{source.name}' names no credential variable.")
    token = os.environ.get(source.credential_env, "")
    if not token:
        raise SourceConfigurationError(
            f"Source '{source.name}': the environment variable {source.credential_env} is not set."
        )
    return token


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
    client = XApiClient(base_url=source.base_url or "https://api.x.com", token=_credential(source))
    since_id = (source.cursor or {}).get("since_id")
    stats = IngestStats()
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
    response = fetch_feed(source.target, etag=cursor.get("etag"), last_modified=cursor.get("last_modified"))
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


# --- Review ---------------------------------------------------------------------------------------


@transaction.atomic
def update_review(
    *,
    update: Update,
    user,
    state: str,
    kind: str | None = None,
    hotspots: Iterable[Hotspot] | None = None,
) -> Update:
    """A reviewer confirms, corrects (kind and/or hotspots) or rejects what the extraction guessed."""
    if state not in _HUMAN_REVIEWED:
        raise ValueError(f"Unknown review decision {state!r}.")
    if kind is not None:
        update.kind = kind
    if hotspots is not None:
        wanted = {h.pk: h for h in hotspots}
        update.mentions.exclude(hotspot_id__in=wanted).delete()
        kept = set(update.mentions.values_list("hotspot_id", flat=True))
        # A hotspot added by hand has no span in the text: it is recorded as a whole-post mention.
        Mention.objects.bulk_create(
            [
                Mention(update=update, hotspot=h, matched_text="(added by reviewer)", start=0, end=1)
                for pk, h in wanted.items()
                if pk not in kept
            ],
            ignore_conflicts=True,
        )
    update.review_state = state
    update.reviewer = user
    update.reviewed_at = timezone.now()
    update.save()
    return update


@transaction.atomic
def candidate_promote_to_hotspot(*, candidate: PlaceCandidate, slug: str, kind: str) -> Hotspot:
    """Make a place candidate a hotspot, placed at its reference point when it has one."""
    hotspot = hotspot_create_from_reference(
        name=candidate.name, slug=slug, kind=kind, reference=candidate.reference, origin=candidate.origin
    )
    candidate.status, candidate.promoted_to = CandidateStatus.PROMOTED, hotspot
    candidate.save(update_fields=["status", "promoted_to", "updated_at"])
    return hotspot


@transaction.atomic
def candidate_promote_to_alias(*, candidate: PlaceCandidate, hotspot: Hotspot, language: str) -> None:
    """The candidate is another name of an existing hotspot."""
    alias_add(hotspot=hotspot, text=candidate.name, language=language)
    candidate.status, candidate.promoted_to = CandidateStatus.PROMOTED, hotspot
    candidate.save(update_fields=["status", "promoted_to", "updated_at"])
