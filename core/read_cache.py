"""Whole answers of the read path, cached under one data version that every write moves on.

An answer that counts across many records (the map's activity per hotspot, the hotspot list's
counts) is kept in Django's cache under a key made of its name, what decides the reader's view
(`reader_scope`), its parameters and the *data version*: one value that any write to the records
such answers read moves on (`bump`). Moving it on drops every cached answer at once, on any cache
backend, without scanning keys. The apps whose records count connect their models from their own
``ready()`` with `bump_on_change`.

The version is read before the answer is computed: one computed while a write commits is kept
under the old version and never read again. A write inside a transaction moves the version now
(for the transaction itself) and again once it commits (for everyone else).

The cache is an optimisation, never a dependency: when it cannot be reached, answers are computed
and writes carry on; each failure is logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)

VERSION_KEY = "read-cache:version"
# The models whose records cached answers count (those given to `bump_on_change`).
_counted: set[type] = set()


def version() -> str:
    """The current data version (a new one when there is none yet)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY)
    return current or "none"


def _move_on() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as exc:  # never fail a write because the cache is away
        log.warning("read cache unavailable, cached answers expire on their own: %s", exc)


def bump(using: str | None = None) -> None:
    """Drop every cached answer: now and, inside a transaction, once more when it commits."""
    _move_on()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is _move_on for entry in connection.run_on_commit):
        transaction.on_commit(_move_on, using=using)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("action", "post_add") in ("post_add", "post_remove", "post_clear"):
        bump(using=kwargs.get("using"))


def bump_on_change(*models, m2m=(), signals=()) -> None:
    """Move the version on whenever a row of ``models`` is saved or deleted, a relation of ``m2m``
    (a ManyToManyField's ``through``) changes, or one of ``signals`` (an app's signal for its bulk
    writes, which send none of Django's) is sent."""
    _counted.update(models)
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"read-cache-save-{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"read-cache-delete-{model._meta.label}")
    for through in m2m:
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"read-cache-m2m-{through._meta.label}")
    for signal in signals:
        signal.connect(_on_change, dispatch_uid=f"read-cache-signal-{id(signal)}")


def reader_scope(user) -> list:
    """What decides which of the counted records a reader may see: the level the reader reads each
    counted collection at (`reader_level` of its queryset, accounts/releasability.py). Readers at the
    same levels share answers: an analyst, a reporter and an approver see the same records."""
    managers = [model._default_manager for model in _counted]
    return sorted((m.model._meta.label, m.reader_level(user)) for m in managers if hasattr(m, "reader_level"))


def params_scope(params) -> list:
    """Query parameters (a dict or a QueryDict/MultiValueDict) in one canonical order."""
    items = params.lists() if hasattr(params, "lists") else params.items()
    return sorted((name, sorted(map(str, v)) if isinstance(v, list | tuple) else str(v)) for name, v in items)


def cached(name: str, user, params: tuple, compute: Callable[[], Any]) -> Any:
    """The answer ``name`` for what ``user`` may see under ``params`` (dicts or QueryDicts): from the
    cache under the current data version, else computed and kept. Never an answer from before the
    last write: a reader who has just saved a record sees it counted on the next request."""
    scope = [name, reader_scope(user), [params_scope(p) for p in params]]
    digest = hashlib.sha256(json.dumps(scope, default=str).encode()).hexdigest()[:32]
    try:
        key = f"read-cache:{version()}:{digest}"
        value = cache.get(key)
    except Exception as exc:
        log.warning("read cache unavailable, computing: %s", exc)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=getattr(settings, "READ_CACHE_SECONDS", 600))
        except Exception as exc:
            log.warning("read cache unavailable, not cached: %s", exc)
    return value
