"""Where the portal may send a request of its own (webhook deliveries, source polling): not into its
own network (SSRF).

A URL's host, and with ``resolve`` every address its name resolves to, must be a public address:
private, loopback, link-local, reserved and multicast addresses are refused, unless a setting of the
caller allows them (a test's stand-in server on loopback, a closed network).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests


class UnsafeTarget(ValueError):
    """A URL the portal will not call (another scheme, or an address inside the network)."""


def inside(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is inside a network (private, loopback, link-local, reserved) or multicast."""
    return not address.is_global or address.is_multicast


def check_url(url: str, *, resolve: bool, allow_http: bool, allow_private: bool) -> None:
    """Refuse ``url`` with an UnsafeTarget naming the problem, or return."""
    parts = urlsplit(url)
    allowed_schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in allowed_schemes:
        raise UnsafeTarget(f"The URL must start with {' or '.join(s + '://' for s in allowed_schemes)}.")
    if not parts.hostname:
        raise UnsafeTarget("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget(f"The URL's port is not a port: {exc}") from exc
    if allow_private:
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
        if inside(address):
            raise UnsafeTarget(f"{parts.hostname} is an address inside a private network ({address}).")


def checked_session(*, allow_http: bool, allow_private: bool) -> requests.Session:
    """A requests session that checks every redirect's target as check_url does before following it."""

    def check_redirect(response, *args, **kwargs):
        if response.is_redirect:
            check_url(
                urljoin(response.url, response.headers["location"]),
                resolve=True,
                allow_http=allow_http,
                allow_private=allow_private,
            )

    session = requests.Session()
    session.hooks["response"].append(check_redirect)
    return session
