"""What authenticating found, kept in the cache: an API token (the token, its user, their permissions),
or a signed-in user with their permissions (`CachedModelBackend`, for browser sessions).

Every API request authenticates; reading the token, the user and the permissions costs a query
that is most of a small page's time. A page or the map's data in the browser reads the user and
their permissions in three queries. The answer is kept in Django's cache (Redis in production,
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
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import ApiToken

log = logging.getLogger(__name__)

GENERATION_KEY = "accounts:auth-generation"
_ENTRY_KEY = "accounts:auth:{digest}"
_USER_KEY = "accounts:auth-user:{pk}"
ENTRY_SECONDS = 300


def lookup(digest: str) -> tuple[str | None, ApiToken | None]:
    """(the generation, the token authenticated before under ``digest`` in it, or None): see `_lookup`."""
    return _lookup(_ENTRY_KEY.format(digest=digest))


def keep(digest: str, generation: str | None, token: ApiToken) -> None:
    """Keep what authenticating ``token`` found, under the generation `lookup` gave before reading it."""
    _keep(_ENTRY_KEY.format(digest=digest), generation, token)


def get(digest: str) -> ApiToken | None:
    """The token authenticated before under ``digest`` in this generation, else None."""
    return lookup(digest)[1]


def cached_user(pk):
    """The user of primary key ``pk`` as read before in this generation (permissions loaded), else None."""
    return _lookup(_USER_KEY.format(pk=pk))[1]


def _lookup(key: str) -> tuple[str | None, object]:
    """(the current generation, the entry kept under ``key`` in it or None); (None, None) without a cache.

    The generation is read here, before the caller reads the database on a miss, and what it then
    keeps goes under this generation: a change committed in between has moved the generation on,
    so what was read before the change is never served. (Read after the database, the generation
    could be the new one, and the old data would be served under it until it expired.)
    """
    try:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:  # first use, or evicted: any new value drops what was kept before
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception as exc:  # the cache is away: read the database
        log.warning("auth cache unavailable: %s", exc)
        return None, None
    entry = found.get(key)
    if generation is None or entry is None or entry[0] != generation:
        return generation, None
    return generation, entry[1]


def _keep(key: str, generation: str | None, value) -> None:
    if generation is None:
        return
    try:
        cache.set(key, (generation, value), timeout=ENTRY_SECONDS)
    except Exception as exc:
        log.warning("auth cache unavailable, not cached: %s", exc)


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, whose signed-in users come with their permissions from the cache.

    A browser request reads its user (one query) and, at the first permission check, the user's
    own and their groups' permissions (two more). Here the user is read once with them and kept
    until any user, group or permission changes (the generation above); a password changed
    changes the user, so a session it ended is refused at once.
    """

    def get_user(self, user_id):
        key = _USER_KEY.format(pk=user_id)
        generation, user = _lookup(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            self.get_all_permissions(user)  # read now, so that the cached user carries them
            _keep(key, generation, user)
        return user if self.user_can_authenticate(user) else None


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
