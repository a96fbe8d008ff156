"""Processing stored posts into updates: a batch at a time (the tasks) or one post now (the admin).

Extraction, reposts and quotes linked to the posts they refer to, mentions and contingents written,
failures recorded on the posts, and posts reprocessed, retried or requeued by the sweeper.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from hotspots.models import Hotspot
from operations.models import Contingent

from .. import selectors
from ..choices import PostState, ReviewState
from ..extraction import extract
from ..extraction.kinds import REVIEW_THRESHOLD
from ..models import Mention, Post, Source, Update
from ..signals import updates_changed, updates_created
from .candidates import candidates_record
from .queueing import posts_queue, posts_queue_on_commit
from .review import HUMAN_REVIEWED

log = logging.getLogger(__name__)


# A processing failure is retried this many times (with backoff) before the post stays failed.
MAX_PROCESS_ATTEMPTS = 5


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


def posts_process_batch(*, post_ids: Sequence[int], force: bool = False) -> ProcessOutcome:
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
            written = _extract_and_write(batch, force=force, matchers=matchers)
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
                        alone = _extract_and_write([post], force=force, matchers=matchers)
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
    written = _extract_and_write(
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
    relinked = []
    for post in posts:
        original = by_id.get(post.reposted_id) if post.reposted_id else None
        quoted = by_id.get(post.quoted_id) if post.quoted_id else None
        if original is not None:
            reposts[post.pk] = original
        if (original, quoted) != (post.repost_of_id, post.quoted_post_id):
            post.repost_of_id, post.quoted_post_id = original, quoted
            relinked.append(post)
    Post.objects.bulk_update(relinked, ["repost_of", "quoted_post"])
    return reposts


def _absorb_waiting_reposts(originals: list[Post]) -> None:
    """Reposts stored before their original was: now linked to it, their own updates withdrawn."""
    ids = {post.external_id: post.pk for post in originals if not post.reposted_id}
    if not ids:
        return
    waiting = Post.objects.filter(reposted_id__in=list(ids), repost_of__isnull=True).exclude(
        pk__in=list(ids.values())
    )
    reposts = list(waiting.only("pk", "reposted_id"))
    if not reposts:
        return
    for repost in reposts:
        repost.repost_of_id = ids[repost.reposted_id]
    Post.objects.bulk_update(reposts, ["repost_of"])
    for update in Update.objects.filter(post__in=reposts):
        update.delete()  # one by one: its signals withdraw it from partners who had it


def _extract_and_write(posts: list[Post], *, force: bool, matchers) -> _Written:
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
        if update is not None and update.review_state in HUMAN_REVIEWED and not force:
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
    candidates_record(
        candidates_by_post={post_id: result.candidates for post_id, (_, result) in extracted.items()}
    )
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
    posts_queue_on_commit(post_ids=ids, force=force)
    return len(ids)


def posts_retry(*, posts: Iterable[Post]) -> int:
    """Retry failed posts now (admin action)."""
    ids = [p.pk for p in posts]
    Post.objects.filter(pk__in=ids).update(attempts=0, state=PostState.NEW, last_error="")
    posts_queue_on_commit(post_ids=ids)
    return len(ids)


def posts_requeue_stuck(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """The sweeper: queue again posts that a lost task left unprocessed."""
    ids = list(
        selectors.posts_stuck(older_than=older_than, max_attempts=MAX_PROCESS_ATTEMPTS).values_list(
            "pk", flat=True
        )
    )
    posts_queue(post_ids=ids)
    return len(ids)
