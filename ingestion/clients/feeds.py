"""Fetch RSS/Atom feeds over HTTP with a timeout and conditional requests.

feedparser can fetch URLs itself but has no timeout (its maintainer points to requests), so the
poller fetches here and hands the bytes and headers to ``ingestion.parsers.rss.parse``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests

USER_AGENT = "mss-portal-ingestion/1.0"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
# Feeds are small; a body this large is a mistake or an attack, not news.
MAX_FEED_BYTES = 20 * 1024 * 1024
# "Too many requests" and "request timeout" say "later", like a server error does.
_TRANSIENT_4XX = frozenset({408, 425, 429})


class FeedFetchError(Exception):
    """Base class of the feed client's errors."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class FeedError(FeedFetchError):
    """The feed cannot be fetched as configured (404, 410, 401, a bad URL): a person must look."""


class FeedTransientError(FeedFetchError):
    """A server error, timeout or dropped connection: worth retrying later."""


@dataclass(frozen=True)
class FeedResponse:
    """A fetched feed. ``status`` 304 means unchanged since the ETag/Last-Modified sent; body is empty."""

    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names, as rss.parse wants

    @property
    def not_modified(self) -> bool:
        """True when the server said the feed has not changed (HTTP 304)."""
        return self.status == 304


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    session: requests.Session | None = None,
) -> FeedResponse:
    """GET a feed, sending If-None-Match / If-Modified-Since from the last fetch.

    Returns the body and the new validators to store. On 304 the body is empty and the validators
    are the server's if it sent new ones, else the ones given. Raises ``FeedTransientError`` on
    5xx, 408/425/429, timeouts and connection errors, and ``FeedError`` on other 4xx and bad URLs.
    ``timeout`` bounds the connection, each read, and the whole body download.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"feed URL must start with http:// or https://, got {url!r}")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    http = session or requests.Session()
    try:
        response = http.get(url, headers=headers, timeout=timeout, stream=True)
        try:
            body = _read_body(response, url, timeout)
        finally:
            response.close()
    except requests.Timeout as exc:
        raise FeedTransientError(f"feed {url} did not answer within {timeout:g} s") from exc
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema) as exc:
        raise FeedError(f"feed URL {url!r} is not valid: {exc}") from exc
    except requests.TooManyRedirects as exc:
        raise FeedError(f"feed {url} redirects in a loop: {exc}") from exc
    except requests.RequestException as exc:
        raise FeedTransientError(f"feed {url} could not be fetched: {type(exc).__name__}: {exc}") from exc
    finally:
        if session is None:
            http.close()

    status = response.status_code
    response_headers = {name.lower(): value for name, value in response.headers.items()}
    new_etag = response_headers.get("etag")
    new_last_modified = response_headers.get("last-modified")
    if status == 304:
        return FeedResponse(
            status=304,
            body=b"",
            etag=new_etag or etag,
            last_modified=new_last_modified or last_modified,
            headers=response_headers,
        )
    reason = f"HTTP {status} {response.reason or ''}".rstrip()
    if status >= 500 or status in _TRANSIENT_4XX:
        raise FeedTransientError(f"feed {url} answered {reason}; will retry", status=status)
    if status >= 400:
        raise FeedError(f"feed {url} answered {reason}; check the feed URL and access", status=status)
    return FeedResponse(
        status=status,
        body=body,
        etag=new_etag,
        last_modified=new_last_modified,
        headers=response_headers,
    )


def _read_body(response: requests.Response, url: str, timeout: float) -> bytes:
    # requests' timeout bounds each read, not the whole download; a trickling server must not
    # hold a worker forever.
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise FeedError(f"feed {url} is larger than {MAX_FEED_BYTES:,} bytes")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise requests.Timeout("the feed body took longer than the timeout")
    return b"".join(chunks)
