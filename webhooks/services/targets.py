"""Vetting a partner's URL: the portal POSTs only to public https addresses (no SSRF into its network)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeTarget(ValueError):
    """A URL the portal will not POST to (another scheme, or an address inside the network)."""


def check_url(url: str, *, resolve: bool) -> None:
    """Refuse URLs that would make the portal call into its own network (SSRF), unless settings allow it.

    With ``resolve``, every address the host name resolves to is checked, not only a literal one.
    """
    parts = urlsplit(url)
    allowed_schemes = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed_schemes:
        raise UnsafeTarget(f"The URL must start with {' or '.join(s + '://' for s in allowed_schemes)}.")
    if not parts.hostname:
        raise UnsafeTarget("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(f"The URL's port is not a port: {exc}") from exc
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return
    try:
        addresses = [ipaddress.ip_address(parts.hostname)]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise UnsafeTarget(f"{parts.hostname} does not resolve: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise UnsafeTarget(f"{parts.hostname} is an address inside a private network ({address}).")
