"""Vetting a partner's URL: the portal POSTs only to public addresses (no SSRF into its own network).

A URL is checked when a subscription is saved (``check_url``: scheme, host, port, a literal address)
and again at each delivery (``resolve_target``): the host name is resolved once, every address it
resolves to is vetted, and the delivery connects to one of those very addresses, so a DNS answer
that changes between the check and the connection (DNS rebinding) never reaches the network inside.
Messages name the URL's host, never an address: they are shown to the partner. What counts as inside
the network is core/outbound.py's rule, which source polling follows too.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core.outbound import UnsafeTarget, inside

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the URL's parts, and the vetted addresses to connect to."""

    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        """The Host header the URL calls for (the name, with the port when it is not the default)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _parts(url: str):
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
    return parts, port


def _refuse_inside(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return
    if inside(address):
        log.warning("webhook target %s refused: it resolves to %s", host, address)
        raise UnsafeTarget(
            f"{host} is or resolves to an address inside a private network, which the portal does not call."
        )


def check_url(url: str) -> None:
    """Refuse, when a subscription is saved, a URL the portal will never call (no DNS lookup yet)."""
    parts, _port = _parts(url)
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return  # a name: resolved and vetted at each delivery
    _refuse_inside(parts.hostname, address)


def resolve_target(url: str) -> Target:
    """Resolve the URL's host once and vet every address it gives; the delivery connects to these."""
    parts, port = _parts(url)
    host = parts.hostname
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            log.info("webhook target %s does not resolve: %s", host, exc)
            raise UnsafeTarget(f"{host} does not resolve (no DNS answer for the name).") from exc
        # A scoped IPv6 address ("fe80::1%eth0") is link-local: vetted, and refused, without its scope.
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for address in addresses:
        _refuse_inside(host, address)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    unique = tuple(dict.fromkeys(str(a) for a in addresses))
    return Target(scheme=parts.scheme, host=host, port=port, path=path, addresses=unique)
