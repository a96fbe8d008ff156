"""The rules of ingestion: store every post first, then turn it into one structured update.

Tasks, management commands and the admin call these functions; none of them holds a rule itself.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from core.text import normalise
from hotspots.models import Hotspot
from hotspots.services import alias_add, hotspot_create_from_reference
from operations.models import Contingent

from . import selectors
from .choices import CandidateOrigin, CandidateStatus, PostState, ReviewState, SourceKind
from .clients.feeds import FeedError, FeedTransientError, fetch_feed
from .clients.x_api import XApiClient, XAuthError, XRateLimited, XTransientError
from .extraction import evaluation, extract
from .extraction.kinds import REVIEW_THRESHOLD, classify, train_kind_model
from .models import (
    CandidateSighting,
    KindExample,
    KindModel,
    Mention,
    PlaceCandidate,
    Post,
    RejectedRecord,
    Source,
    Update,
)
from .parsers import rss
from .parsers.records import (
    API_ERROR,
    DUPLICATE,
    ParseError,
    ParseResult,
    PostRecord,
    RecordError,
    RecordProblem,
    check_external_id,
    json_for_error,
    published_at_problem,
    text_size_problem,
)
from .signals import updates_changed, updates_created

log = logging.getLogger(__name__)

# A processing failure is retried this many times (with backoff) before the post stays failed.
MAX_PROCESS_ATTEMPTS = 5
_HUMAN_REVIEWED = (ReviewState.CONFIRMED, ReviewState.CORRECTED, ReviewState.REJECTED)


class SourceConfigurationError(ValueError):
    """A source that cannot be polled as configured; the message says what to fix."""


@dataclass
class IngestStats:
    """What one ingestion run did with its input.

    Only counts and the first MAX_KEPT_ERRORS errors are kept, so a run over millions of records
    holds no more than that: every error is kept as a ``RejectedRecord`` in any case.
    """

    new: int = 0
    duplicate: int = 0
    changed: int = 0
    failed: int = 0
    warnings: int = 0  # what the parsers noticed on posts they read (kept on the posts)
    api_errors: int = 0  # errors the X API reported in its answers (kept as rejected records)
    errors: list[RecordError] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"new {self.new}, duplicate {self.duplicate}, changed {self.changed}, failed {self.failed}, "
            f"warnings {self.warnings}, api errors {self.api_errors}"
        )

    def add(self, other: IngestStats) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.changed += other.changed
        self.failed += other.failed
        self.warnings += other.warnings
        self.api_errors += other.api_errors
        for error in other.errors:
            self.keep(error)

    def keep(self, error: RecordError) -> None:
        """Keep an error to show the caller, up to MAX_KEPT_ERRORS."""
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(error)


# Errors an IngestStats keeps to show (the command prints them); all are stored as rejected records.
MAX_KEPT_ERRORS = 100


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def source_for_file(*, name: str, official: bool = False) -> Source:
    """The file source of that name, created on first use as a third-party source unless ``official``.

    ``official`` also marks an existing source as an official mission channel (its updates then
    reach partners without review: the trust signals release them). Without it an existing source
    keeps the trust staff gave it.
    """
    source, _ = Source.objects.get_or_create(
        name=name, defaults={"kind": SourceKind.FILE, "is_official": official}
    )
    if official and not source.is_official:
        source.is_official = True
        source.save(update_fields=["is_official", "updated_at"])
    return source


# Posts are stored and processed in batches: a poll or a file of thousands of posts costs a few
# statements and one task per batch, not a transaction and a task per post (issue 7: 200 posts/s).
STORE_BATCH_SIZE = 200
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

    One post goes to ``process_post``, several to ``process_posts`` in batches of PROCESS_BATCH_SIZE.
    """
    # Imported here: tasks import services.
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import process_post, process_posts

    for batch in _chunks(list(post_ids), batch_size or PROCESS_BATCH_SIZE):
        task, args = (process_post, (batch[0],)) if len(batch) == 1 else (process_posts, (batch,))
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


def _queue_processing(post_ids: list[int], *, force: bool = False) -> None:
    # Only once the posts are committed, so the worker finds them.
    if post_ids:
        ids = list(post_ids)
        transaction.on_commit(lambda: _enqueue(ids, force=force))


def _new_post(*, source: Source, record: PostRecord, digest: str) -> Post:
    return Post(
        source=source,
        external_id=record.external_id,
        original_id=_first_id(record),
        url=record.url[:1000],
        author=record.author,
        text=record.text,
        language=record.language,
        published_at=record.published_at,
        raw=record.raw,
        content_hash=digest,
        warnings=list(record.warnings),
        reposted_id=record.reposted_id[:200],
        quoted_id=record.quoted_id[:200],
    )


def _first_id(record: PostRecord) -> str:
    """The id every version of the post shares: the first of its edit history, else its own."""
    # X ends a post's edit history with the post's own id; a history without it is not this post's.
    if record.external_id not in record.edit_ids:
        return record.external_id[:200]
    first = record.edit_ids[0]
    return (first if isinstance(first, str) and first.strip() else record.external_id)[:200]


def _stored_version(*, source: Source, record: PostRecord) -> Post | None:
    """The post of this source that ``record`` is a version of: the same id, or the same edit history."""
    mine = Post.objects.filter(source=source)
    return (
        mine.filter(external_id=record.external_id).first()
        or mine.filter(original_id=_first_id(record)).order_by("pk").first()
    )


def _supersedes(record: PostRecord, post: Post) -> bool:
    """Whether ``record`` is a later version than the stored ``post`` (or the same id again)."""
    return record.external_id == post.external_id or post.external_id in record.edit_ids[:-1]


def post_store(*, source: Source, record: PostRecord) -> tuple[Post, str]:
    """Store one post unless the source already has it. Returns the post and 'new', 'duplicate' or 'changed'.

    A post whose text changed (the same id with new text, an updated feed item, a later version of an
    edited X post) keeps its one post and update: see ``post_replace_text``. An earlier version of a
    post already stored in a later one is a duplicate.
    """
    digest = content_hash(record.text)
    existing = _stored_version(source=source, record=record)
    if existing is not None:
        if not _supersedes(record, existing) or existing.content_hash == digest:
            return existing, "duplicate"
        post_replace_text(post=existing, record=record, digest=digest)
        return existing, "changed"
    try:
        with transaction.atomic():
            post = _new_post(source=source, record=record, digest=digest)
            post.save(force_insert=True)
    except IntegrityError:
        # Another worker stored it between our read and our insert.
        return Post.objects.get(source=source, external_id=record.external_id), "duplicate"
    return post, "new"


def post_replace_text(*, post: Post, record: PostRecord, digest: str) -> None:
    """A stored post's text changed: keep the earlier version in its history, store the new one, and
    send its update back to review.

    The update stays the same row (partners see it changed, or withdrawn when it was released only by
    a review); processing then reads the new text. An edit of an X post keeps the first version's
    time: the event is when it was first reported.
    """
    if not post.history.exists():
        # Posts are stored in bulk without a history row: the version being replaced gets one now.
        Post.history.bulk_history_create([post], default_date=post.updated_at)
    edited = record.external_id != post.external_id
    post.external_id, post.text, post.raw = record.external_id, record.text, record.raw
    post.content_hash = digest
    post.url, post.author, post.language = record.url[:1000], record.author, record.language
    post.warnings = list(record.warnings)
    post.reposted_id, post.quoted_id = record.reposted_id[:200], record.quoted_id[:200]
    if not edited or post.published_at is None:
        post.published_at = record.published_at
    post.state, post.attempts, post.last_error = PostState.NEW, 0, ""
    post._change_reason = "edited: a later version replaced the text" if edited else "the text changed"
    post.save()
    update = Update.objects.filter(post=post).first()
    if update is not None and update.review_state in _HUMAN_REVIEWED:
        update.review_state, update.reviewer, update.reviewed_at = ReviewState.AUTO, None, None
        update._change_reason = "the post's text changed: back to review"
        update.save()


def posts_store(*, source: Source, records: list[PostRecord]) -> list[tuple[Post, str]]:
    """Store a batch of posts: the new ones in one INSERT, the others (known ids) as post_store does.

    Returns (post, outcome) in the order of ``records``. Raises when the database refuses the batch
    (a record it cannot store, a post another worker stored meanwhile): the caller then stores that
    batch one post at a time.
    """
    # Two lookups, each one range of its own index (post_unique_per_source, post_original_idx): an OR
    # of the two may be planned as a scan of the source's posts.
    mine = Post.objects.filter(source=source)
    known_ids = set(
        mine.filter(external_id__in=[r.external_id for r in records]).values_list("external_id", flat=True)
    )
    known_firsts = set(
        mine.filter(original_id__in={_first_id(r) for r in records}).values_list("original_id", flat=True)
    )
    fresh: dict[str, Post] = {}  # by first id: two versions of one post in a batch make one post
    for record in records:
        first = _first_id(record)
        if record.external_id not in known_ids and first not in known_firsts and first not in fresh:
            fresh[first] = _new_post(source=source, record=record, digest=content_hash(record.text))
    Post.objects.bulk_create(fresh.values())
    stored: list[tuple[Post, str]] = []
    for record in records:
        post = fresh.get(_first_id(record))
        if post is not None and post.external_id == record.external_id:
            del fresh[_first_id(record)]
        else:
            post = None
        # A known id, or a version repeated in the batch, is compared with what is stored.
        stored.append((post, "new") if post is not None else post_store(source=source, record=record))
    return stored


def posts_ingest(
    *,
    source: Source,
    result: ParseResult | Iterable[PostRecord | RecordError],
    origin: str,
    process: bool = True,
    progress: Callable[[int], None] | None = None,
) -> IngestStats:
    """Store what a parser read: every good post, and every bad record with its raw text.

    ``result`` is a ``ParseResult`` or any iterable of records and errors, such as a ``ParseStream``
    reading a file of any size: it is consumed once, STORE_BATCH_SIZE records at a time, and
    nothing is kept of a batch once it is stored. A batch the database refuses is stored again one
    post at a time, so one that cannot be stored never sinks the others. Processing is queued only
    once the posts are committed. A repeat of a record already read (code DUPLICATE) is counted as
    a duplicate; every other error is kept as a ``RejectedRecord``. ``progress`` is called with how
    many records and errors were handled since its last call, after each batch.
    """
    stats = IngestStats()
    items = [*result.posts, *result.errors] if isinstance(result, ParseResult) else result
    records: list[PostRecord] = []
    rejected: list[RecordError] = []
    handled = 0
    for item in items:
        handled += 1
        if isinstance(item, RecordError):
            if item.code == DUPLICATE:
                # The same post twice in one input (a capture's overlapping pages) is harmless.
                stats.duplicate += 1
                continue
            rejected.append(item)
            if item.code == API_ERROR:
                stats.api_errors += 1
            else:
                stats.failed += 1
            stats.keep(item)
            if len(rejected) < STORE_BATCH_SIZE:
                continue
            _reject_all(source=source, origin=origin, errors=rejected)
            rejected = []
        else:
            records.append(item)
            stats.warnings += len(item.warnings)
            if len(records) < STORE_BATCH_SIZE:
                continue
            _store_batch(source=source, records=records, origin=origin, process=process, stats=stats)
            records = []
        if progress:
            progress(handled)
            handled = 0
    if records:
        _store_batch(source=source, records=records, origin=origin, process=process, stats=stats)
    if rejected:
        _reject_all(source=source, origin=origin, errors=rejected)
    if progress and handled:
        progress(handled)
    return stats


def _store_batch(
    *, source: Source, records: list[PostRecord], origin: str, process: bool, stats: IngestStats
) -> None:
    """Store one batch of posts and queue the new and changed ones; count what became of each."""
    try:
        with transaction.atomic():
            stored = posts_store(source=source, records=records)
            if process:
                _queue_processing([post.pk for post, outcome in stored if outcome != "duplicate"])
    except (OperationalError, InterfaceError):
        raise  # the database is away: the caller (a task) retries
    except Exception as exc:
        # One record spoils the batch (or another worker stored one meanwhile): post by post.
        log.warning("a batch of %s posts from %s is stored one by one: %s", len(records), origin, exc)
        stored = _store_one_by_one(
            source=source, records=records, origin=origin, process=process, stats=stats
        )
    new = 0
    for _, outcome in stored:
        setattr(stats, outcome, getattr(stats, outcome) + 1)
        new += outcome == "new"
    if new:
        Source.objects.filter(pk=source.pk).update(posts_fetched=F("posts_fetched") + new)


def _store_one_by_one(
    *, source: Source, records: list[PostRecord], origin: str, process: bool, stats: IngestStats
) -> list[tuple[Post, str]]:
    """Each post in its own transaction: one the database refuses is kept as a rejected record."""
    stored = []
    for record in records:
        try:
            with transaction.atomic():
                post, outcome = post_store(source=source, record=record)
                if process and outcome != "duplicate":
                    _queue_processing([post.pk])
        except Exception as exc:
            log.exception("could not store post %s from %s", record.external_id, origin)
            error = RecordError(
                position=f"id {record.external_id}",
                external_id=record.external_id,
                message=f"could not be stored: {exc}",
                raw=json_for_error(record.raw),
            )
            _reject(source=source, origin=origin, error=error)
            stats.failed += 1
            stats.keep(error)
        else:
            stored.append((post, outcome))
    return stored


def _rejected_record(*, source: Source, origin: str, error: RecordError) -> RejectedRecord:
    return RejectedRecord(
        source=source,
        origin=origin[:500],
        position=error.position[:100],
        external_id=(error.external_id or "")[:200],
        message=error.message,
        raw=error.raw,
    )


def _reject(*, source: Source, origin: str, error: RecordError) -> None:
    _rejected_record(source=source, origin=origin, error=error).save(force_insert=True)


def _reject_all(*, source: Source, origin: str, errors: list[RecordError]) -> None:
    RejectedRecord.objects.bulk_create(
        [_rejected_record(source=source, origin=origin, error=error) for error in errors]
    )


def post_prepare_manual(*, post: Post) -> Post:
    """Fill in what a pasted post lacks (id, time, hash, raw payload) and validate it.

    ``post`` is unsaved, with at least its source and text; a missing id is made from the text.
    """
    post.text = (post.text or "").strip()
    if not post.text:
        raise ValidationError({"text": "A post needs text."})
    # The limits every parser applies: a pasted post is a post like any other.
    problem = text_size_problem(post.text)
    if problem:
        raise ValidationError({"text": f"The {problem}."})
    post.external_id = (post.external_id or "").strip() or f"manual-{content_hash(post.text)[:16]}"
    try:
        check_external_id(post.external_id)
    except RecordProblem as exc:
        raise ValidationError({"external_id": f"The {exc.message}."}) from None
    problem = published_at_problem(post.published_at, what="The publication time")
    if problem:
        raise ValidationError({"published_at": f"{problem}."})
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


# --- Processing -----------------------------------------------------------------------------------


@dataclass
class ProcessOutcome:
    """What a processing run did with its posts, by post id."""

    updates: dict[int, int] = field(default_factory=dict)  # processed: post id -> its update's id
    failed: dict[int, int] = field(default_factory=dict)  # post id -> attempts so far
    # Started before by a run that never finished (its worker died): each goes again on its own.
    interrupted: list[int] = field(default_factory=list)


@dataclass
class _Written:
    updates: dict[int, int] = field(default_factory=dict)
    reposts: dict[int, int] = field(default_factory=dict)  # repost's id -> original post's id
    failed: dict[int, BaseException] = field(default_factory=dict)


def posts_process(*, post_ids: Sequence[int], force: bool = False) -> ProcessOutcome:
    """Turn stored posts into their updates: a batch in one transaction and a few bulk statements.

    Each attempt is counted, and committed, before any work, so a post that kills its worker is not
    retried forever: a batch that comes back after its worker died is not run again as a batch (its
    posts are handed back as ``interrupted``, to be processed one by one), and a post started more
    than MAX_PROCESS_ATTEMPTS times without finishing is left failed. A post whose extraction fails
    is recorded as failed without holding back the others; if the batch's writes fail, each post is
    written again in a transaction of its own.
    """
    outcome = ProcessOutcome()
    posts = posts_mark_started(post_ids=post_ids)
    batch: list[Post] = []
    for post in posts:
        if post.attempts > MAX_PROCESS_ATTEMPTS:
            error = RuntimeError(f"started {post.attempts} times without finishing; left failed")
            _record_failure(post, error, outcome)
        elif post.attempts > 1 and len(posts) > 1:
            outcome.interrupted.append(post.pk)
        else:
            batch.append(post)
    if not batch:
        return outcome
    matchers = (selectors.hotspot_matcher(), selectors.reference_matcher())
    try:
        with transaction.atomic():
            written = _process_batch(batch, force=force, matchers=matchers)
    except (OperationalError, InterfaceError):
        raise  # the database is away: the task retries the batch
    except Exception as exc:
        if len(batch) == 1:
            written = _Written(failed={batch[0].pk: exc})
        else:
            log.warning("a batch of %s posts failed (%s); processing them one by one", len(batch), exc)
            written = _Written()
            for post in batch:
                try:
                    with transaction.atomic():
                        alone = _process_batch([post], force=force, matchers=matchers)
                except (OperationalError, InterfaceError):
                    raise
                except Exception as single_exc:
                    alone = _Written(failed={post.pk: single_exc})
                written.updates.update(alone.updates)
                written.failed.update(alone.failed)
    outcome.updates.update(written.updates)
    for post in batch:
        if post.pk in written.failed:
            _record_failure(post, written.failed[post.pk], outcome)
    return outcome


def _record_failure(post: Post, error: BaseException, outcome: ProcessOutcome) -> None:
    log.warning(
        "post %s not processed (attempt %s): %s: %s", post.pk, post.attempts, type(error).__name__, error
    )
    post_mark_failed(post=post, error=error)
    outcome.failed[post.pk] = post.attempts


@transaction.atomic
def post_process(*, post: Post, force: bool = False) -> Update | None:
    """Turn one stored post into its update now (the admin, tests); raises what made it fail.

    Idempotent: processing again replaces the update's contents, never adds a second update. An
    update a reviewer has confirmed, corrected or rejected is left as reviewed unless forced. A
    repost of a stored post has no update of its own: None.
    """
    written = _process_batch(
        [post], force=force, matchers=(selectors.hotspot_matcher(), selectors.reference_matcher())
    )
    if post.pk in written.failed:
        raise written.failed[post.pk]
    if post.pk in written.reposts:
        return None
    return Update.objects.get(pk=written.updates[post.pk])


_UPDATE_FIELDS = (
    "kind",
    "figures",
    "published_at",
    "review_state",
    "reviewer",
    "reviewed_at",
    "confidence",
    "needs_review",
)


def _link_references(posts: list[Post]) -> dict[int, int]:
    """Link reposts and quotes of ``posts`` to the posts they refer to, where those are stored.

    Returns the reposts found: repost's id -> original's id. A post's id is unique per source, and X
    ids are unique across X, so the original is looked up in every source; one that is itself a
    repost is not an original.
    """
    wanted = {p.reposted_id for p in posts if p.reposted_id} | {p.quoted_id for p in posts if p.quoted_id}
    if not wanted:
        return {}
    by_id: dict[str, int] = {}
    for pk, external_id in (
        Post.objects.filter(external_id__in=wanted, repost_of__isnull=True)
        .exclude(pk__in=[p.pk for p in posts if p.reposted_id])
        .order_by("pk")
        .values_list("pk", "external_id")
    ):
        by_id.setdefault(external_id, pk)
    reposts: dict[int, int] = {}
    for post in posts:
        original = by_id.get(post.reposted_id) if post.reposted_id else None
        quoted = by_id.get(post.quoted_id) if post.quoted_id else None
        if original is not None:
            reposts[post.pk] = original
        if (original, quoted) != (post.repost_of_id, post.quoted_post_id):
            post.repost_of_id, post.quoted_post_id = original, quoted
            Post.objects.filter(pk=post.pk).update(repost_of=original, quoted_post=quoted)
    return reposts


def _absorb_waiting_reposts(originals: list[Post]) -> None:
    """Reposts stored before their original was: now linked to it, their own updates withdrawn."""
    ids = {post.external_id: post.pk for post in originals if not post.reposted_id}
    if not ids:
        return
    waiting = Post.objects.filter(reposted_id__in=list(ids), repost_of__isnull=True).exclude(
        pk__in=list(ids.values())
    )
    for repost in waiting.only("pk", "reposted_id"):
        Post.objects.filter(pk=repost.pk).update(repost_of=ids[repost.reposted_id])
        for update in Update.objects.filter(post=repost):
            update.delete()


def _process_batch(posts: list[Post], *, force: bool, matchers) -> _Written:
    """Extract and write the updates of ``posts``, inside the caller's transaction.

    Statements per batch, not per post: the posts are locked and read in one, then the new updates,
    their history, mentions, contingents and place candidates are each written in one. An update
    processed before is saved on its own (its signals tell partners when it is withdrawn).
    """
    written = _Written()
    locked = list(
        Post.objects.select_for_update().filter(pk__in=[p.pk for p in posts]).defer("raw").order_by("pk")
    )
    existing = {u.post_id: u for u in Update.objects.filter(post__in=locked)}
    originals = _link_references(locked)
    kind_model = selectors.kind_model()
    extracted = {}
    for post in locked:
        update = existing.get(post.pk)
        if post.pk in originals:
            # A repost of a stored post is that post's event again: no update of its own.
            written.reposts[post.pk] = originals[post.pk]
            if update is not None:
                update.delete()  # its signals withdraw it from partners who had it
            continue
        if update is not None and update.review_state in _HUMAN_REVIEWED and not force:
            written.updates[post.pk] = update.pk
            continue
        try:
            extracted[post.pk] = (post, extract(post.text, *matchers, kind_model=kind_model))
        except Exception as exc:  # this post's text: recorded on it, the others go on
            written.failed[post.pk] = exc

    created: list[Update] = []
    updates: dict[int, Update] = {}
    for post_id, (post, result) in extracted.items():
        values = {
            "kind": result.kind,
            "figures": result.figures,
            "published_at": post.published_at,
            "review_state": ReviewState.AUTO,
            "reviewer": None,
            "reviewed_at": None,
            "confidence": result.confidence,
            "needs_review": result.confidence < REVIEW_THRESHOLD,
        }
        update = existing.get(post_id)
        if update is None:
            update = Update(post=post, **values)
            created.append(update)
        else:
            for name in _UPDATE_FIELDS:
                setattr(update, name, values[name])
            update.save()
        updates[post_id] = update
    if created:
        Update.objects.bulk_create(created)
        Update.history.bulk_history_create(created)
    redone = [updates[post_id].pk for post_id in extracted if post_id in existing]
    if redone:
        Mention.objects.filter(update__in=redone).delete()
        Update.contingents.through.objects.filter(update__in=redone).delete()

    _write_mentions(extracted, updates)
    _write_contingents(extracted, updates)
    _record_candidates({post_id: result.candidates for post_id, (_, result) in extracted.items()})
    written.updates.update((post_id, update.pk) for post_id, update in updates.items())
    _absorb_waiting_reposts([post for post, _ in extracted.values()])
    Post.objects.filter(pk__in=[*written.updates, *written.reposts]).update(
        state=PostState.PROCESSED, last_error="", processed_at=timezone.now(), updated_at=timezone.now()
    )
    if extracted:
        updates_changed.send(sender=Update)
    if created:
        updates_created.send(sender=Update, pks=[update.pk for update in created])
    return written


def _write_mentions(extracted: dict, updates: dict[int, Update]) -> None:
    slugs = {m.key for _, result in extracted.values() for m in result.mentions}
    if not slugs:
        return
    hotspot_ids = dict(Hotspot.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    Mention.objects.bulk_create(
        [
            Mention(
                update=updates[post_id],
                hotspot_id=hotspot_ids[m.key],
                matched_text=m.text[:300],
                start=m.start,
                end=m.end,
            )
            for post_id, (_, result) in extracted.items()
            for m in result.mentions
            if m.key in hotspot_ids
        ],
        ignore_conflicts=True,
    )


def _write_contingents(extracted: dict, updates: dict[int, Update]) -> None:
    codes = {code for _, result in extracted.values() for code in result.contingents}
    if not codes:
        return
    contingent_ids = dict(Contingent.objects.filter(country_code__in=codes).values_list("country_code", "pk"))
    link = Update.contingents.through
    link.objects.bulk_create(
        [
            link(update_id=updates[post_id].pk, contingent_id=contingent_ids[code])
            for post_id, (_, result) in extracted.items()
            for code in dict.fromkeys(result.contingents)
            if code in contingent_ids
        ],
        ignore_conflicts=True,
    )


def _record_candidates(candidates_by_post: dict[int, list]) -> None:
    """Keep the reference places posts name (and that are no hotspot) for staff to review.

    Candidates are keyed by the reference place's own name, so "#CiteSoleil" and "Cité Soleil"
    are one candidate, and so are places of the same name in different communes. The posts'
    earlier sightings (a post processed again) make way for the new ones, and each candidate's
    count moves by exactly what was removed and added: increments, which two workers counting the
    same candidate at once cannot lose (a recount could miss the other's uncommitted sightings).
    """
    delta: Counter[int] = Counter()
    earlier = CandidateSighting.objects.filter(post__in=list(candidates_by_post))
    delta.subtract(earlier.values_list("candidate_id", flat=True))
    earlier.delete()
    references = {m.key for matches in candidates_by_post.values() for m in matches}
    names = selectors.reference_place_names(k for k in references if not k.startswith("unknown:"))
    wanted: dict[str, PlaceCandidate] = {}
    sightings: list[tuple[int, str, str]] = []  # post id, candidate key, matched text
    for post_id, matches in candidates_by_post.items():
        seen: set[str] = set()
        for match in matches:
            kind, _, reference = match.key.partition(":")
            if kind == "unknown":  # a capitalised name after a place cue, in no gazetteer
                name, origin, reference = match.text, CandidateOrigin.UNKNOWN, ""
            else:
                name = names.get(match.key, reference)
                origin = CandidateOrigin.PLACE if kind == "place" else CandidateOrigin.COMMUNE
            key = normalise(name)
            if not key or key in seen:
                continue
            seen.add(key)
            wanted.setdefault(
                key, PlaceCandidate(normalised=key, name=name, origin=origin, reference=reference)
            )
            sightings.append((post_id, key, match.text[:300]))
    if wanted:
        PlaceCandidate.objects.bulk_create(wanted.values(), ignore_conflicts=True)
        ids = dict(PlaceCandidate.objects.filter(normalised__in=wanted).values_list("normalised", "pk"))
        # No conflict is possible: the posts are locked and their earlier sightings are gone.
        CandidateSighting.objects.bulk_create(
            [
                CandidateSighting(candidate_id=ids[key], post_id=post_id, matched_text=text)
                for post_id, key, text in sightings
            ]
        )
        delta.update(ids[key] for _, key, _ in sightings)
    _count_candidates(delta)


def _count_candidates(delta: Counter[int]) -> None:
    """Move each candidate's occurrences by its delta: one UPDATE per distinct delta."""
    by_change: dict[int, list[int]] = defaultdict(list)
    for candidate_id, change in delta.items():
        if change:
            by_change[change].append(candidate_id)
    now = timezone.now()
    for change, ids in by_change.items():
        PlaceCandidate.objects.filter(pk__in=ids).update(
            occurrences=F("occurrences") + change, updated_at=now
        )


def posts_mark_started(*, post_ids: Sequence[int]) -> list[Post]:
    """Count an attempt before work starts, so a post that kills its worker is not retried forever."""
    with transaction.atomic():
        Post.objects.filter(pk__in=post_ids).update(attempts=F("attempts") + 1, updated_at=timezone.now())
        return list(Post.objects.filter(pk__in=post_ids).only("pk", "attempts", "state").order_by("pk"))


def post_mark_failed(*, post: Post, error: BaseException) -> None:
    """Record a processing failure on the post; it can be retried from the admin or by the sweeper."""
    message = f"{type(error).__name__}: {error}"[:2000]
    Post.objects.filter(pk=post.pk).update(
        state=PostState.FAILED, last_error=message, updated_at=timezone.now()
    )


def posts_queue(
    *, post_ids: Sequence[int], force: bool = False, countdown: float | None = None, one_by_one: bool = False
) -> None:
    """Queue stored posts for processing now (outside a transaction: the tasks and the sweeper)."""
    _enqueue(list(post_ids), force=force, countdown=countdown, batch_size=1 if one_by_one else None)


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
    _queue_processing(ids, force=force)
    return len(ids)


def posts_retry(*, posts: Iterable[Post]) -> int:
    """Retry failed posts now (admin action)."""
    ids = [p.pk for p in posts]
    Post.objects.filter(pk__in=ids).update(attempts=0, state=PostState.NEW, last_error="")
    _queue_processing(ids)
    return len(ids)


def posts_requeue_stuck(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """The sweeper: queue again posts that a lost task left unprocessed."""
    ids = list(
        selectors.posts_stuck(older_than=older_than, max_attempts=MAX_PROCESS_ATTEMPTS).values_list(
            "pk", flat=True
        )
    )
    _enqueue(ids)
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
    """A reviewer confirms, corrects (kind and/or hotspots) or rejects what the extraction guessed.

    A kind the reviewer changes is kept as a labelled example (``KindExample``) that the kind
    classifier learns from at its next training (``kind_model_train``).
    """
    if state not in _HUMAN_REVIEWED:
        raise ValueError(f"Unknown review decision {state!r}.")
    guessed = Update.objects.filter(pk=update.pk).values_list("kind", flat=True).first() or update.kind
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
    update.needs_review = False
    update.save()
    if state != ReviewState.REJECTED and update.kind != guessed:
        KindExample.objects.update_or_create(
            update=update,
            defaults={
                "text": update.post.text,
                "kind": update.kind,
                "guessed_kind": guessed,
                "labelled_by": user if getattr(user, "pk", None) else None,
            },
        )
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


# --- Learning from reviewers ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindTraining:
    """What one training of the kind classifier did: its examples and the held-out kind accuracy
    with the model in use before and with the new one."""

    model: KindModel
    examples: int
    before: float
    after: float
    activated: bool

    def __str__(self) -> str:
        change = self.after - self.before
        verdict = (
            "now in use"
            if self.activated
            else "NOT in use: it scores worse on the held-out set (train with --accept-worse to use it)"
        )
        return (
            f"trained on {self.examples} labelled example(s); held-out kinds {self.before:.1%} before, "
            f"{self.after:.1%} after ({change:+.1%}); {verdict}"
        )


def _heldout_kind_accuracy(model) -> float:
    cases = evaluation.load_cases(evaluation.default_path())
    right = sum(classify(case.text, model).kind == case.kind for case in cases)
    return right / len(cases) if cases else 0.0


@transaction.atomic
def kind_model_train(*, accept_worse: bool = False) -> KindTraining:
    """Train the kind classifier on every reviewer's kind correction (``KindExample``) and use it.

    Each training is kept with the held-out set's kind accuracy before and after. A model that scores
    worse than the one in use is kept but not used, unless ``accept_worse``: a correction never makes
    the held-out score worse without saying so.
    """
    examples = list(KindExample.objects.order_by("pk").values_list("text", "kind"))
    current = selectors.kind_model()
    trained = train_kind_model(examples)
    before, after = _heldout_kind_accuracy(current), _heldout_kind_accuracy(trained)
    activate = after >= before or accept_worse
    note = "" if after >= before else f"held-out kinds {before:.1%} -> {after:.1%}: worse"
    row = KindModel.objects.create(
        examples=len(examples),
        parameters=trained.to_dict(),
        heldout_before=before,
        heldout_after=after,
        note=note + (" (used as asked)" if note and activate else ""),
    )
    if activate:
        KindModel.objects.filter(is_active=True).update(is_active=False)
        KindModel.objects.filter(pk=row.pk).update(is_active=True)
        row.is_active = True
    if after < before:
        log.warning("kind model %s scores worse on the held-out set: %s", row.pk, note)
    return KindTraining(model=row, examples=len(examples), before=before, after=after, activated=activate)
