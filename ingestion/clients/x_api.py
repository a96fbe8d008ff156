"""X API v2 client: fetch the posts newer than a cursor from a user timeline or a recent search.

The client only talks HTTP and raises: retrying with backoff belongs to the Celery task, which
knows the schedule and the source. Every failure is one of the exceptions below, so the task can
decide what to retry (``XTransientError``), when (``XRateLimited.reset_at``), and what needs a
person (``XAuthError``, ``XApiError``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote

import requests

from ingestion.parsers import x_api_v2
from ingestion.parsers.records import ParseError, ParseResult

DEFAULT_BASE_URL = "https://api.x.com"
USER_AGENT = "mss-portal-ingestion/1.0"
PAGE_SIZE = 100  # the maximum both endpoints allow
# note_tweet: a long post's whole text; referenced_tweets: what a post reposts or quotes;
# edit_history_tweet_ids: the versions of an edited post (ids, oldest first).
TWEET_FIELDS = "created_at,lang,entities,note_tweet,author_id,referenced_tweets,edit_history_tweet_ids"
# The reposted and quoted posts come in includes.tweets (a repost's own text is cut at 140
# characters), and their authors in includes.users.
EXPANSIONS = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
# A page of 100 long posts is a few megabytes; far more than that is not an API answer.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
# Rate-limit windows are 15 minutes; used when a 429 comes without x-rate-limit-reset.
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)
_USER_ID = re.compile(r"[0-9]{1,20}")  # 64-bit numbers
_POST_ID = re.compile(r"[0-9]{1,20}")


class XApiError(Exception):
    """The X API refused a request in a way retrying will not fix (e.g. 400 bad query, 404)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class XRateLimited(XApiError):
    """HTTP 429: wait until ``reset_at`` (aware UTC) before calling again."""

    def __init__(self, reset_at: datetime, message: str) -> None:
        super().__init__(message, status=429)
        self.reset_at = reset_at


class XAuthError(XApiError):
    """HTTP 401/403: the token is wrong, expired, or not allowed this endpoint."""


class XTransientError(XApiError):
    """HTTP 5xx, a timeout, a dropped connection or a garbled body: worth retrying later."""


@dataclass(frozen=True)
class XPage:
    """One response page: its bytes as received, what the parser read from them, the next token."""

    raw_bytes: bytes
    result: ParseResult
    next_token: str | None
    newest_id: str | None = None  # the newest post id seen so far, this page included
    rate_limit: dict[str, int] = field(default_factory=dict)  # x-rate-limit-limit/remaining/reset


class XFetch(Iterator[XPage]):
    """The pages of one ``fetch_new`` call, newest first; iterate it, then read ``newest_id``.

    The X API returns newest posts first, so the cursor may move to ``newest_id`` only after every
    page has been stored: if page 3 fails, pages 3+ hold older posts that the next poll (still from
    the old cursor) must fetch. ``complete`` is True once the API said there were no more pages;
    it stays False when iteration stopped at ``max_pages`` or on an error.
    """

    def __init__(self, pages: Callable[[XFetch], Iterator[XPage]]) -> None:
        self.newest_id: str | None = None
        self.complete = False
        self.pages_fetched = 0
        self._pages = pages(self)  # a generator: nothing is requested until iteration starts

    def __iter__(self) -> XFetch:
        return self

    def __next__(self) -> XPage:
        page = next(self._pages)
        self.pages_fetched += 1
        self.newest_id = page.newest_id
        return page


class XApiClient:
    """Reads user timelines and recent searches from the X API v2 with an app-only bearer token."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        if not token:
            raise ValueError("an X API bearer token is required")
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self._token = token
        self._owns_session = session is None

    def __repr__(self) -> str:  # never show the token
        return f"XApiClient(base_url={self.base_url!r})"

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> XApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch_new(
        self,
        *,
        user_id: str | None = None,
        query: str | None = None,
        since_id: str | None,
        max_pages: int = 50,
    ) -> XFetch:
        """Fetch the posts newer than ``since_id`` from a user timeline or a recent search.

        Give exactly one of ``user_id`` or ``query``; ``since_id=None`` fetches what the API keeps
        (3,200 timeline posts, 7 days of search). Returns an iterator of ``XPage``; requests are
        made as it is consumed. Raises ``XRateLimited``, ``XAuthError``, ``XTransientError`` or
        ``XApiError`` from the page that failed.
        """
        if (user_id is None) == (query is None):
            raise ValueError("give exactly one of user_id or query")
        if user_id is not None and not _USER_ID.fullmatch(str(user_id)):
            raise ValueError(f"an X user id is a number, got {user_id!r}")
        if query is not None and not query.strip():
            raise ValueError("the search query is empty")
        if since_id is not None and not _POST_ID.fullmatch(str(since_id)):
            raise ValueError(f"since_id must be a post id (digits), got {since_id!r}")
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        return XFetch(
            partial(self._pages, user_id=user_id, query=query, since_id=since_id, max_pages=max_pages)
        )

    def _pages(
        self,
        fetch: XFetch,
        *,
        user_id: str | None,
        query: str | None,
        since_id: str | None,
        max_pages: int,
    ) -> Iterator[XPage]:
        if user_id is not None:
            path = f"/2/users/{quote(str(user_id), safe='')}/tweets"
            params: dict[str, str] = {}
        else:
            path = "/2/tweets/search/recent"
            params = {"query": str(query)}
        params.update(
            {
                "max_results": str(PAGE_SIZE),
                "tweet.fields": TWEET_FIELDS,
                "expansions": EXPANSIONS,
                "user.fields": "username",
            }
        )
        if since_id is not None:
            params["since_id"] = str(since_id)

        newest: str | None = None
        token: str | None = None
        for _ in range(max_pages):
            page_params = dict(params)
            if token:
                page_params["pagination_token"] = token
            body, headers = self._get(path, page_params)
            try:
                result = x_api_v2.parse(body)
            except ParseError as exc:
                # A 200 that is not an X document is a proxy or truncation problem, not our input.
                raise XTransientError(f"X API sent an unreadable page: {exc}", status=200) from exc
            newest = _newest(newest, result)
            next_token = result.meta.get("next_token")
            token = next_token if isinstance(next_token, str) and next_token else None
            yield XPage(
                raw_bytes=body,
                result=result,
                next_token=token,
                newest_id=newest,
                rate_limit=rate_limit_info(headers),
            )
            if token is None:
                fetch.complete = True
                return

    def _get(self, path: str, params: dict[str, str]) -> tuple[bytes, Any]:
        url = self.base_url + path
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        try:
            response = self.session.get(
                url, params=params, headers=headers, timeout=self.timeout, stream=True
            )
            try:
                body = _read_body(response, self.timeout)
            finally:
                response.close()
        except requests.Timeout as exc:
            raise XTransientError(f"X API did not answer within {self.timeout:g} s: GET {path}") from exc
        except requests.RequestException as exc:
            raise XTransientError(f"X API request failed: GET {path}: {type(exc).__name__}: {exc}") from exc

        status = response.status_code
        if status == 200:
            return body, response.headers
        problem = _problem_message(body)
        if status == 429:
            reset_at = _reset_time(response.headers.get("x-rate-limit-reset"))
            raise XRateLimited(
                reset_at, f"X API rate limit reached (HTTP 429: {problem}); resets at {reset_at.isoformat()}"
            )
        if status in (401, 403):
            raise XAuthError(
                f"X API refused the credentials (HTTP {status}: {problem}); check the bearer token "
                "and the app's access level",
                status=status,
            )
        if status >= 500:
            raise XTransientError(f"X API server error (HTTP {status}: {problem})", status=status)
        raise XApiError(f"X API rejected GET {path} (HTTP {status}: {problem})", status=status)


def _read_body(response: requests.Response, timeout: float) -> bytes:
    """Read the body with an overall deadline and a size cap.

    requests' timeout bounds each socket read, not the whole download, so a server that trickles
    bytes could otherwise hold a worker forever.
    """
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise XTransientError(f"X API response is larger than {MAX_RESPONSE_BYTES:,} bytes")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise requests.Timeout("the response body took longer than the timeout")
    return b"".join(chunks)


def _problem_message(body: bytes) -> str:
    """The API's own words from an error body, in either of the shapes X uses."""
    try:
        document = json.loads(body.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        document = None
    parts: list[str] = []
    if isinstance(document, dict):
        # Problem details: {"title": "Unauthorized", "detail": "...", "type": "...", "status": 401}
        for key in ("title", "detail", "reason"):
            value = document.get(key)
            if isinstance(value, str) and value and value not in parts:
                parts.append(value)
        # Older shape: {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
        errors = document.get("errors")
        if isinstance(errors, list):
            for error in errors[:3]:
                if isinstance(error, dict):
                    words = error.get("message") or error.get("detail") or error.get("title")
                    code = error.get("code")
                    if isinstance(words, str) and words:
                        parts.append(f"{words} (code {code})" if code is not None else words)
    if parts:
        return ": ".join(parts)[:500]
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:200] or "no details in the response"


def _reset_time(header: str | None) -> datetime:
    """When the rate-limit window resets, from ``x-rate-limit-reset`` (Unix epoch seconds)."""
    try:
        return datetime.fromtimestamp(int(str(header).strip()), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC) + DEFAULT_RATE_LIMIT_WAIT


def _newest(current: str | None, result: ParseResult) -> str | None:
    """The larger of ``current`` and the newest id in this page (ids are numeric strings)."""
    candidates = [current, result.meta.get("newest_id"), *(post.external_id for post in result.posts)]
    numeric = [value for value in candidates if isinstance(value, str) and _POST_ID.fullmatch(value)]
    if not numeric:
        return current
    return max(numeric, key=int)


def rate_limit_info(headers: Any) -> dict[str, int]:
    """The ``x-rate-limit-*`` headers of a response as integers (missing ones left out)."""
    info: dict[str, int] = {}
    for name in ("limit", "remaining", "reset"):
        value = headers.get(f"x-rate-limit-{name}")
        if value is not None and str(value).strip().isdigit():
            info[name] = int(str(value).strip())
    return info
