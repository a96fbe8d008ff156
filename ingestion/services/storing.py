"""Storing posts: every post is stored first, as read, before anything is made of it.

One post or a batch; a changed text replaces the stored one and sends its update back to review; a
record that cannot be stored is kept as a rejected record with its raw text; the admin's paste form.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from ..choices import PostState, ReviewState, SourceKind
from ..models import Post, RejectedRecord, Source, Update
from ..parsers.records import (
    API_ERROR,
    DUPLICATE,
    ParseResult,
    PostRecord,
    RecordError,
    RecordProblem,
    check_external_id,
    json_for_error,
    published_at_problem,
    text_size_problem,
)
from .queueing import posts_queue_on_commit
from .review import HUMAN_REVIEWED

log = logging.getLogger(__name__)


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
    if update is not None and update.review_state in HUMAN_REVIEWED:
        update.review_state, update.reviewer, update.reviewed_at = ReviewState.AUTO, None, None
        update._change_reason = "the post's text changed: back to review"
        update.save()


def posts_store_batch(*, source: Source, records: list[PostRecord]) -> list[tuple[Post, str]]:
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
            _store_and_queue(source=source, records=records, origin=origin, process=process, stats=stats)
            records = []
        if progress:
            progress(handled)
            handled = 0
    if records:
        _store_and_queue(source=source, records=records, origin=origin, process=process, stats=stats)
    if rejected:
        _reject_all(source=source, origin=origin, errors=rejected)
    if progress and handled:
        progress(handled)
    return stats


def _store_and_queue(
    *, source: Source, records: list[PostRecord], origin: str, process: bool, stats: IngestStats
) -> None:
    """Store one batch of posts and queue the new and changed ones; count what became of each."""
    try:
        with transaction.atomic():
            stored = posts_store_batch(source=source, records=records)
            if process:
                posts_queue_on_commit(
                    post_ids=[post.pk for post, outcome in stored if outcome != "duplicate"]
                )
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
                    posts_queue_on_commit(post_ids=[post.pk])
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
        raise ValidationError({"text": gettext("A post needs text.")})
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
            {
                "external_id": gettext("%(source)s already has a post with id %(id)s.")
                % {"source": post.source, "id": post.external_id}
            }
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
    posts_queue_on_commit(post_ids=[post.pk])
    return post
