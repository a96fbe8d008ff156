"""Per-hotspot activity aggregates, cached (Redis in production) and dropped whenever activity changes.

The map's first request counts every hotspot's updates and reports under the reader's filters:
a few GROUP BYs that grow with the data. Their answer is kept in Django's cache under a key made
of the reader's visibility and the filters, plus a *generation* per part of the data the answer
depends on (:data:`PARTS`): :func:`invalidate` moves a part's generation on, so every cached answer
that depends on it is dropped at once without scanning keys, on any cache backend. The parts let
an answer built from pieces keep the pieces whose records did not change: a new update drops the
update counts, not the report counts, which cost more to recompute at scale. The apps whose
records count as activity (hotspots, ingestion's updates and mentions, operations' reports and
training records) are followed from this app's ``ready()`` (:func:`invalidate_on_change`, and
:func:`invalidate_on` for ingestion's signal of bulk writes): those apps know nothing of the cache.

Invalidation happens when the data changes and again when its transaction commits: a reader who
recomputed in between would otherwise cache the old counts under the new generation.

An aggregate made of cached parts reads the generations once (:func:`snapshot`), and looks its
candidate entries up together (:func:`cached_values`): the map's first request, when nothing is
cached, goes to Redis 9 times instead of 24.

The cache is an optimisation, never a dependency: when it cannot be reached, readers compute the
aggregates themselves and writers carry on (a drop that failed leaves entries that expire after
HOTSPOT_ACTIVITY_CACHE_SECONDS, 10 minutes by default); each failure is logged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

# The parts of the data an aggregate may depend on, each with its own generation: the hotspots
# themselves, the updates (with their mentions, contingents and sources) and the operation reports
# (with their links, and the training records).
HOTSPOTS, UPDATES, REPORTS = "hotspots", "updates", "reports"
PARTS = (HOTSPOTS, UPDATES, REPORTS)
GENERATION_KEY = "hotspot-activity:generation:{part}"
_KEY = "hotspot-activity:{generations}:{digest}"


def _timeout() -> int:
    return getattr(settings, "HOTSPOT_ACTIVITY_CACHE_SECONDS", 600)


def _parts(parts: Iterable[str]) -> tuple[str, ...]:
    parts = frozenset(parts)
    unknown = parts - frozenset(PARTS)
    if unknown:
        raise ValueError(f"Unknown parts of the activity data: {sorted(unknown)}; known: {PARTS}")
    return tuple(part for part in PARTS if part in parts)


# The generations read for the aggregate being computed (see `snapshot`), or None outside one.
_snapshot: ContextVar[dict[str, str] | None] = ContextVar("activity_generations", default=None)


@contextmanager
def snapshot() -> Iterator[None]:
    """Within it, the generations are read once, on first use, and every key is made with them.

    An aggregate computed from cached parts (the map: the hotspots, the update counts, the report
    counts) thus asks Redis for the generations once rather than once per part. Reading them
    before computing is what keeps an entry right: a change while it is being computed moves a
    generation on, and the entry, stored under the generations read before, is never read again.
    Nested snapshots share the outermost one's generations.
    """
    if _snapshot.get() is not None:
        yield
        return
    token = _snapshot.set({})
    try:
        yield
    finally:
        _snapshot.reset(token)


def _generations(parts: Sequence[str]) -> list[str]:
    """The current generation of each part (in a snapshot, of every part, read on first use)."""
    held = _snapshot.get()
    if held is None:
        return _read_generations(parts)
    if not held:
        held.update(zip(PARTS, _read_generations(PARTS), strict=True))
    return [held[part] for part in parts]


def _read_generations(parts: Sequence[str]) -> list[str]:
    """The current generation of each part, in one round trip when they are all there."""
    keys = [GENERATION_KEY.format(part=part) for part in parts]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        # First use, or evicted: any new value drops what was cached before.
        for k in missing:
            cache.add(k, uuid.uuid4().hex, timeout=None)
        found = {**found, **cache.get_many(missing)}
    return [found.get(k) or "none" for k in keys]


def reader_scope(user) -> list:
    """What decides which records a reader may see (accounts.releasability.reader_level): readers
    signed in with the same permissions share entries."""
    return [bool(user.is_authenticated), bool(user.is_superuser), sorted(user.get_all_permissions())]


def params_scope(params) -> list:
    """Query parameters (a dict or a QueryDict/MultiValueDict) in one canonical order."""
    items = params.lists() if hasattr(params, "lists") else params.items()
    return sorted((name, sorted(map(str, v)) if isinstance(v, list | tuple) else str(v)) for name, v in items)


def key(scope: Any, parts: Iterable[str] = PARTS) -> str:
    """The cache key of one aggregate: ``scope`` is anything JSON can write (visibility, filters),
    ``parts`` the parts of the data it depends on (every part unless said otherwise)."""
    parts = _parts(parts)
    digest = hashlib.sha256(json.dumps([scope, parts], sort_keys=True, default=str).encode()).hexdigest()[:32]
    return _KEY.format(generations=".".join(_generations(parts)), digest=digest)


def get(scope: Any, parts: Iterable[str] = PARTS) -> Any | None:
    return cache.get(key(scope, parts))


def set(scope: Any, value: Any, parts: Iterable[str] = PARTS) -> None:
    cache.set(key(scope, parts), value, timeout=_timeout())


def get_or_compute(scope: Any, compute: Callable[[], Any], parts: Iterable[str] = PARTS) -> Any:
    """The cached aggregate for ``scope``, computed and cached when missing (or the cache is away).

    It is computed in a `snapshot`: the cached parts it is made of use the generations read here.
    """
    with snapshot():
        try:
            cache_key = key(scope, parts)
            value = cache.get(cache_key)
        except Exception as exc:  # the cache is an optimisation: without it, compute
            log.warning("hotspot activity cache unavailable, computing: %s", exc)
            return compute()
        if value is None:
            value = compute()
            _store(cache_key, value)
        return value


def _store(cache_key: str, value: Any) -> None:
    try:
        cache.set(cache_key, value, timeout=_timeout())
    except Exception as exc:
        log.warning("hotspot activity cache unavailable, not cached: %s", exc)


def _scope(name: str, user, params: Sequence) -> list:
    return [name, reader_scope(user), [params_scope(p) for p in params]]


def cached(
    name: str, user, params: Sequence, compute: Callable[[], Any], parts: Iterable[str] = PARTS
) -> Any:
    """The aggregate ``name`` for what ``user`` may see under ``params`` (dicts or QueryDicts),
    depending on ``parts`` of the data (every part unless said otherwise)."""
    return get_or_compute(_scope(name, user, params), compute, parts)


def cached_values(name: str, user, candidates: Sequence[Sequence], parts: Iterable[str] = PARTS) -> list:
    """What `cached` holds for each of ``candidates`` (each a ``params``), None where it holds nothing:
    in one round trip. Never computes, nor fails without a cache (then every value is None)."""
    try:
        with snapshot():
            keys = [key(_scope(name, user, params), parts) for params in candidates]
        found = cache.get_many(keys)
    except Exception as exc:
        log.warning("hotspot activity cache unavailable: %s", exc)
        return [None] * len(candidates)
    return [found.get(k) for k in keys]


def store(name: str, user, params: Sequence, value: Any, parts: Iterable[str] = PARTS) -> None:
    """Keep ``value`` as what `cached` gives for these arguments (nothing happens without a cache).

    Call it within the `snapshot` in which what ``value`` was computed from was looked up (see
    `_counts_moving_on` in analysis/activity.py): outside one, the key would be made with the
    generations read now, after computing, and a change made meanwhile would go unseen.
    """
    try:
        cache_key = key(_scope(name, user, params), parts)
    except Exception as exc:
        log.warning("hotspot activity cache unavailable, not cached: %s", exc)
        return
    _store(cache_key, value)


def _drop(part: str) -> None:
    try:
        cache.set(GENERATION_KEY.format(part=part), uuid.uuid4().hex, timeout=None)
    except Exception as exc:  # never fail a write because the cache is away
        log.warning("hotspot activity cache unavailable, entries expire on their own: %s", exc)


# One callable per part, always the same object: a transaction queues each part's drop once.
_DROPS = {part: functools.partial(_drop, part) for part in PARTS}


def invalidate(*parts: str, using: str | None = None) -> None:
    """Drop the cached aggregates that depend on ``parts`` (every part when none is named) now and,
    inside a transaction, again once it has committed.

    The drop at commit is the one that counts for other readers: one who recomputed between the
    change and the commit would have cached the old counts. The drop now is for the transaction
    itself, which sees its own changes (and for tests, whose transactions never commit).
    """
    connection = transaction.get_connection(using)
    queued = [entry[1] for entry in connection.run_on_commit] if connection.in_atomic_block else []
    for part in _parts(parts or PARTS):
        drop = _DROPS[part]
        drop()
        # Outside a transaction the change is already committed; inside, one drop at commit is
        # enough, however many rows the transaction changes.
        if connection.in_atomic_block and not any(entry is drop for entry in queued):
            transaction.on_commit(drop, using=using)


def _receiver(part: str | None) -> Callable[..., None]:
    parts = (part,) if part else ()

    def on_change(sender, **kwargs) -> None:
        if "action" in kwargs and kwargs["action"] not in ("post_add", "post_remove", "post_clear"):
            return  # m2m_changed: only once the relation has changed
        invalidate(*parts, using=kwargs.get("using"))

    return on_change


# The signal receivers, kept here: signals hold their receivers by weak reference.
_RECEIVERS = {part: _receiver(part) for part in (*PARTS, None)}


def invalidate_on_change(*models: type[Model], m2m: tuple[Any, ...] = (), part: str | None = None) -> None:
    """Drop the cached aggregates that depend on ``part`` (every part when None) whenever a row of
    ``models`` is saved or deleted, or a relation in ``m2m`` (a ManyToManyField's ``through``)
    changes. Called from this app's ``ready()``."""
    if part is not None:
        _parts([part])
    receiver = _RECEIVERS[part]
    for model in models:
        uid = f"hotspot-activity-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(
            receiver, sender=through, dispatch_uid=f"hotspot-activity-{through._meta.label_lower}"
        )


def invalidate_on(signal, *, sender, part: str | None = None) -> None:
    """Drop the cached aggregates that depend on ``part`` (every part when None) whenever ``sender``
    sends ``signal``: an app's own signal for writes that send none of Django's (bulk writes)."""
    if part is not None:
        _parts([part])
    signal.connect(_RECEIVERS[part], sender=sender)
