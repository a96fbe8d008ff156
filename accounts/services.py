"""API tokens: issuing, revoking, checking them on each request, and the log of their use.

A token is shown once, when it is issued; the database keeps only its SHA-256 digest and its first
characters, so a stolen database does not give working tokens.

Every request reads its token and the token's user from the database (one query, by the digest's
unique index), so a token revoked, a user deactivated or a role taken away is refused on the very
next request, in every process, whatever the cache. Every request made with a token is logged
(ApiTokenUse, written once the response is on its way); the token's `last_used_at`, a summary for
the admin, moves at most once a minute, so a busy token does not update its row on every request.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, ApiTokenUse

TOKEN_PREFIX = "mss_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for, not a secret
PREFIX_LENGTH = 12  # "mss_" and 8 characters of the secret: enough to tell tokens apart
# last_used_at is a summary for the admin; the use log has every request. Refreshing it at most
# this often spares a write on most requests.
LAST_USED_RESOLUTION = timedelta(minutes=1)


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
    """The usable token matching ``raw``, with its user, or None; one query (the digest is unique).

    The user's permissions are read (accounts/backends.py) when the view first checks one.
    """
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    # The lookup is by digest, so comparing secrets leaks no timing about the stored value.
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    return token


def api_token_record_use(*, token: ApiToken, method: str, path: str, remote_addr: str | None) -> None:
    """Log one request made with the token and, if the last one logged is a minute old, its last use."""
    at = timezone.now()
    ApiTokenUse.objects.create(
        token=token,
        user_id=token.user_id,
        at=at,
        method=method[:10],
        path=path[:500],
        remote_addr=_ip_or_none(remote_addr),
    )
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so that of the requests racing in other processes only one writes.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=at - LAST_USED_RESOLUTION), pk=token.pk
        ).update(last_used_at=at)
        token.last_used_at = at


def _ip_or_none(value: str | None) -> str | None:
    # REMOTE_ADDR is empty or a socket path when the server listens on a Unix socket.
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None
