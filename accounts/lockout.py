"""Sign-in lockout (django-axes): who counts as the same client.

Failed sign-ins are counted per username (AXES_LOCKOUT_PARAMETERS), so guessing one account's
password from many addresses is stopped as well as from one. The client address is only recorded
with each attempt; behind the reverse proxy it is the address the proxy saw, taken from the right
of X-Forwarded-For (the part the client cannot forge), TRUSTED_PROXY_COUNT proxies deep.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the outermost trusted proxy saw it (REMOTE_ADDR without proxies)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
