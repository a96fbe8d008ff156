"""API tokens: issuing, revoking, checking them on each request, and the log of their use.

A token is shown once, when it is issued; the database keeps only its SHA-256 digest and its first
characters, so a stolen database does not give working tokens.

Every request made with a token is logged (ApiTokenUse). An INSERT and a commit per request cost the
API more than reading a page does, so where the cache is Redis (production) a request only appends
its use to a Redis list, and `api_token_uses_flush` writes the list to the database in bulk: a
Celery task queued every `API_TOKEN_USE_FLUSH_AT` uses, and run by beat every few seconds
(accounts.tasks), so the admin's log is at most that far behind. Nothing is dropped on the way: a
use Redis refuses is written at once, and the list is trimmed only after the database committed
what was read from it. Without Redis (the embedded default, tests) each use is written at once.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from core.api.related import JSONRow, related_json

from . import token_cache
from .models import ApiToken, ApiTokenUse

TOKEN_PREFIX = "mss_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for, not a secret
PREFIX_LENGTH = 12  # "mss_" and 8 characters of the secret: enough to tell tokens apart
# last_used_at is a summary for the admin; the use log has every request. Refreshing it at most
# this often spares a write on most requests.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The buffer of uses (a Redis list under the cache's key prefix), and how a flush reads it.
USE_BUFFER_KEY = "accounts:api-token-uses"
FLUSH_BATCH = 1000
FLUSH_LOCK_SECONDS = 300

log = logging.getLogger(__name__)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_issue(*, user, name: str = "", expires_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the stored token and the secret, which is never shown again."""
    if not user.is_active:
        raise ValidationError(
            {"user": _("%(user)s is inactive; activate the account first.") % {"user": user.get_username()}}
        )
    if expires_days is not None and expires_days < 1:
        raise ValidationError({"expires_days": _("A token must be valid for at least one day.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=raw[:PREFIX_LENGTH],
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working, at once and for good (the record stays for the log)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The usable token matching ``raw``, with its user and the user's permissions loaded, or None.

    One query: the token, its user, and (a subquery) the permissions the user has, directly or by a
    group, which Django's ModelBackend would read in two more round trips.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = token_digest(raw)
    # Kept in the cache until anything it depends on changes (accounts/token_cache.py).
    generation, token = token_cache.lookup(digest)
    if token is None:
        # The lookup is by digest, so comparing secrets leaks no timing about the stored value.
        token = next(iter(_tokens_with_permissions().filter(digest=digest).order_by()[:1]), None)
        if token is None:
            return None
        if not token.user.is_superuser:  # a superuser has every permission: ModelBackend reads none
            token.user._perm_cache = {f"{app}.{codename}" for app, codename in token.api_permissions or []}
        token_cache.keep(digest, generation, token)
    if not token.is_usable() or not token.user.is_active:
        return None
    return token


@functools.cache
def _tokens_with_permissions():
    """Tokens with their user and (`api_permissions`) the user's permissions, theirs and their groups'.

    Built once: building it costs about what running it does.
    """
    user = OuterRef(OuterRef("user_id"))
    own = get_user_model().user_permissions.through.objects.filter(user_id=user).values("permission_id")
    by_group = Group.permissions.through.objects.filter(group__user=user).values("permission_id")
    permissions = related_json(
        Permission, Q(pk__in=own) | Q(pk__in=by_group), JSONRow(F("content_type__app_label"), F("codename"))
    )
    return ApiToken.objects.select_related("user").annotate(api_permissions=permissions)


def api_token_record_use(*, token: ApiToken, method: str, path: str, remote_addr: str | None) -> None:
    """Log one request made with the token: appended to the Redis buffer where there is one (written by
    `api_token_uses_flush`), else written now, with the token's last use."""
    use = {
        "token": token.pk,
        "user": token.user_id,
        "at": timezone.now().isoformat(),
        "method": method[:10],
        "path": path[:500],
        "remote_addr": _ip_or_none(remote_addr),
    }
    buffer = _use_buffer()
    if buffer is not None:
        client, key = buffer
        try:
            pending = client.rpush(key, json.dumps(use))
        except RedisError:
            # Redis refused it (down, out of memory): the use is written now instead, never dropped.
            log.warning("could not buffer a use of API token %s; writing it now", token.prefix, exc_info=True)
        else:
            if pending % settings.API_TOKEN_USE_FLUSH_AT == 0:
                from .tasks import flush_api_token_uses

                flush_api_token_uses.delay()
            return
    at = datetime.fromisoformat(use["at"])
    ApiTokenUse.objects.create(
        token=token,
        user_id=token.user_id,
        at=at,
        method=use["method"],
        path=use["path"],
        remote_addr=use["remote_addr"],
    )
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_RESOLUTION:
        # The token may come from the cache with an older last use: the database decides.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=at - LAST_USED_RESOLUTION), pk=token.pk
        ).update(last_used_at=at)
        token.last_used_at = at


def api_token_uses_flush() -> int:
    """Write the buffered uses to the database, oldest first, in batches; returns how many were written.

    One flush at a time (a Redis lock): it reads a batch from the head of the list, writes it in one
    transaction, and only then trims it from the list (requests only append to the tail). If the
    database is away the batch stays for the next flush; a crash between the commit and the trim
    would write that batch twice, never lose it. A use the database refuses (an invalid record)
    cannot hold up the others: it goes to a list of its own (``...:refused``), logged, for staff.
    """
    buffer = _use_buffer()
    if buffer is None:
        return 0
    client, key = buffer
    lock = client.lock(f"{key}:flush", timeout=FLUSH_LOCK_SECONDS, blocking=False)
    if not lock.acquire():
        return 0  # another flush is running, and reads on to the end of the list
    written = 0
    try:
        while items := client.lrange(key, 0, FLUSH_BATCH - 1):
            try:
                written += _write_uses([json.loads(item) for item in items])
            except (DataError, IntegrityError, ValueError, KeyError, TypeError):
                written += _write_uses_one_by_one(client, key, items)
            client.ltrim(key, len(items), -1)
    finally:
        lock.release()
    return written


def _write_uses_one_by_one(client, key: str, items: list[bytes]) -> int:
    written = 0
    for item in items:
        try:
            written += _write_uses([json.loads(item)])
        except (DataError, IntegrityError, ValueError, KeyError, TypeError):
            log.error("an API token use the database refuses was kept in %s:refused: %r", key, item[:300])
            client.rpush(f"{key}:refused", item)
    return written


def api_token_uses_pending() -> int:
    """How many uses wait in the buffer to be written (0 where there is no buffer)."""
    buffer = _use_buffer()
    return buffer[0].llen(buffer[1]) if buffer is not None else 0


def _use_buffer():
    """The Redis client and list key of the use buffer, or None where the cache is not Redis."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    return _redis_client(cache._cache), cache.make_key(USE_BUFFER_KEY)


@functools.lru_cache(maxsize=4)
def _redis_client(cache_client):
    # Django's RedisCache makes a new client (and its table of ~200 reply callbacks) per call; one per
    # cache is enough: it only holds the connection pool, which is thread-safe.
    return cache_client.get_client(write=True)


@transaction.atomic
def _write_uses(uses: list[dict]) -> int:
    """Store uses (as `api_token_record_use` makes them) and move their tokens' last use forward."""
    # A token deleted meanwhile took its log with it (CASCADE): its buffered uses go the same way.
    existing = set(ApiToken.objects.filter(pk__in={u["token"] for u in uses}).values_list("pk", flat=True))
    rows = [
        ApiTokenUse(
            token_id=u["token"],
            user_id=u["user"],
            at=datetime.fromisoformat(u["at"]),
            method=u["method"],
            path=u["path"],
            remote_addr=u["remote_addr"],
        )
        for u in uses
        if u["token"] in existing
    ]
    ApiTokenUse.objects.bulk_create(rows)
    last: dict[int, datetime] = {}
    for row in rows:
        last[row.token_id] = max(row.at, last.get(row.token_id, row.at))
    for token_id, at in last.items():
        # A summary for the admin: refreshed at most every LAST_USED_RESOLUTION, never moved back.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=at - LAST_USED_RESOLUTION), pk=token_id
        ).update(last_used_at=at)
    return len(rows)


def _ip_or_none(value: str | None) -> str | None:
    # REMOTE_ADDR is empty or a socket path when the server listens on a Unix socket.
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
