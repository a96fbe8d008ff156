"""Per-hotspot activity aggregates, cached (Redis in production) and dropped whenever activity changes.

The map's first request counts every hotspot's updates and reports under the reader's filters:
a few GROUP BYs that grow with the data. Their answer is kept in Django's cache under a key made
of the reader's visibility and the filters, plus a *generation*: :func:`invalidate` moves the
generation on, so every cached answer is dropped at once without scanning keys, on any cache
backend. The apps whose records count as activity (ingestion's updates and mentions, operations'
reports and training records) call :func:`invalidate_on_change` from their ``ready()``: hotspots
itself knows none of them (DESIGN.md).

Invalidation happens when the data changes and again when its transaction commits: a reader who
recomputed in between would otherwise cache the old counts under the new generation.

The cache is an optimisation, never a dependency: when it cannot be reached, readers compute the
aggregates themselves and writers carry on (a drop that failed leaves entries that expire after
HOTSPOT_ACTIVITY_CACHE_SECONDS, 10 minutes by default); each failure is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

GENERATION_KEY = "hotspot-activity:generation"
_KEY = "hotspot-activity:{generation}:{digest}"


def _timeout() -> int:
    return getattr(settings, "HOTSPOT_ACTIVITY_CACHE_SECONDS", 600)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or evicted: any new value drops what was cached before.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or "none"
    return generation


def reader_scope(user) -> list:
    """What decides which records a reader may see: readers with the same permissions share entries."""
    return [bool(user.is_superuser), sorted(user.get_all_permissions())]


def params_scope(params) -> list:
    """Query parameters (a dict or a QueryDict/MultiValueDict) in one canonical order."""
    items = params.lists() if hasattr(params, "lists") else params.items()
    return sorted((name, sorted(map(str, v)) if isinstance(v, list | tuple) else str(v)) for name, v in items)


def key(scope: Any) -> str:
    """The cache key of one aggregate: ``scope`` is anything JSON can write (visibility, filters)."""
    digest = hashlib.sha256(json.dumps(scope, sort_keys=True, default=str).encode()).hexdigest()[:32]
    return _KEY.format(generation=_generation(), digest=digest)


def get(scope: Any) -> Any | None:
    return cache.get(key(scope))


def set(scope: Any, value: Any) -> None:
    cache.set(key(scope), value, timeout=_timeout())


def get_or_compute(scope: Any, compute: Callable[[], Any]) -> Any:
    """The cached aggregate for ``scope``, computed and cached when missing (or the cache is away)."""
    try:
        cache_key = key(scope)
        value = cache.get(cache_key)
    except Exception as exc:  # the cache is an optimisation: without it, compute
        log.warning("hotspot activity cache unavailable, computing: %s", exc)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(cache_key, value, timeout=_timeout())
        except Exception as exc:
            log.warning("hotspot activity cache unavailable, not cached: %s", exc)
    return value


def cached(name: str, user, params: Sequence, compute: Callable[[], Any]) -> Any:
    """The aggregate ``name`` for what ``user`` may see under ``params`` (dicts or QueryDicts)."""
    scope = [name, reader_scope(user), [params_scope(p) for p in params]]
    return get_or_compute(scope, compute)


def _drop() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as exc:  # never fail a write because the cache is away
        log.warning("hotspot activity cache unavailable, entries expire on their own: %s", exc)


def invalidate(using: str | None = None) -> None:
    """Drop every cached aggregate now and, inside a transaction, again once it has committed.

    The drop at commit is the one that counts for other readers: one who recomputed between the
    change and the commit would have cached the old counts. The drop now is for the transaction
    itself, which sees its own changes (and for tests, whose transactions never commit).
    """
    _drop()
    connection = transaction.get_connection(using)
    # Outside a transaction the change is already committed; inside, one drop at commit is enough,
    # however many rows the transaction changes.
    if connection.in_atomic_block and not any(entry[1] is _drop for entry in connection.run_on_commit):
        transaction.on_commit(_drop, using=using)


def _on_change(sender, **kwargs) -> None:
    invalidate(kwargs.get("using"))


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _on_change(sender, **kwargs)


def invalidate_on_change(*models: type[Model], m2m: tuple[Any, ...] = ()) -> None:
    """Drop the cached aggregates whenever a row of ``models`` is saved or deleted, or a relation in
    ``m2m`` (a ManyToManyField's ``through``) changes. Called from the apps' ``ready()``."""
    for model in models:
        uid = f"hotspot-activity-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(
            _on_m2m_change, sender=through, dispatch_uid=f"hotspot-activity-{through._meta.label_lower}"
        )
