"""What authenticating an API token found (the token, its user, their permissions), kept in the cache.

Every API request authenticates; reading the token, the user and the permissions costs a query
that is most of a small page's time. The answer is kept in Django's cache (Redis in production,
shared by every process) under the token's digest, together with a *generation*: any change to a
token, a user, a group or a permission moves the generation on (signals, connected from the app's
``ready()``), at the change and again when its transaction commits, and an entry of another
generation is never used. A revoked token, a deactivated user or a withdrawn permission therefore
takes effect on the very next request. Expiry is checked on every request from the token itself.

The cache is an optimisation: when it cannot be reached, tokens are read from the database.
"""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import ApiToken

log = logging.getLogger(__name__)

GENERATION_KEY = "accounts:auth-generation"
_ENTRY_KEY = "accounts:auth:{digest}"
ENTRY_SECONDS = 300


def get(digest: str) -> ApiToken | None:
    """The token authenticated before under ``digest`` in this generation, else None."""
    key = _ENTRY_KEY.format(digest=digest)
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception as exc:  # the cache is away: read the database
        log.warning("token cache unavailable: %s", exc)
        return None
    generation, entry = found.get(GENERATION_KEY), found.get(key)
    if generation is None or entry is None or entry[0] != generation:
        return None
    return entry[1]


def put(digest: str, token: ApiToken) -> None:
    """Keep what authenticating ``token`` found, in the current generation."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
        if generation is not None:
            cache.set(_ENTRY_KEY.format(digest=digest), (generation, token), timeout=ENTRY_SECONDS)
    except Exception as exc:
        log.warning("token cache unavailable, not cached: %s", exc)


def _drop() -> None:
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as exc:
        # Entries expire after ENTRY_SECONDS; until then a change may not be seen. Say so loudly.
        log.error("token cache unavailable: a token, user or permission change waits for expiry: %s", exc)


def invalidate(using: str | None = None) -> None:
    """Forget every cached authentication now and, inside a transaction, again once it commits."""
    _drop()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is _drop for entry in connection.run_on_commit):
        transaction.on_commit(_drop, using=using)


def _on_change(sender, instance=None, update_fields=None, **kwargs) -> None:
    if sender is get_user_model() and update_fields is not None and set(update_fields) == {"last_login"}:
        return  # a sign-in in the browser changes nothing a token is checked against
    invalidate(kwargs.get("using"))


def _on_m2m_change(sender, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate(kwargs.get("using"))


def connect() -> None:
    """Forget cached authentications whenever a token, user, group or permission changes."""
    user = get_user_model()
    for model in (ApiToken, user, Group, Permission):
        uid = f"token-cache-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            _on_m2m_change, sender=through, dispatch_uid=f"token-cache-{through._meta.label_lower}"
        )
