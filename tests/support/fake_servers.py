"""Real HTTP servers on 127.0.0.1 that stand in for the X API v2 and for RSS/Atom feeds.

They run ``http.server.ThreadingHTTPServer`` in a background thread on a free port, so clients,
the poller and Celery workers talk real HTTP to them. Each server keeps a log of the requests it
received and a script of responses to give instead of the normal ones (errors, 429s, hangs)::

    with FakeXApi(posts, users=users, token="test-token") as api:
        client = XApiClient(api.url, token="test-token", timeout=0.5)
        api.rate_limit_next(reset_at=1_900_000_000)
        ...
        assert api.requests[-1].query["since_id"] == "123"

As a pytest fixture::

    @pytest.fixture
    def x_api():
        with FakeXApi(posts) as server:
            yield server
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.utils
import hashlib
import json
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str  # without the query string
    query: dict[str, str]  # the last value of each parameter
    headers: dict[str, str]  # lower-case names
    body: bytes
    received_at: float  # time.monotonic()


@dataclass
class ScriptedResponse:
    """A response to give instead of the normal one.

    With ``delay`` the server waits that long first (or until it stops); with ``then_normal`` it
    then answers as it normally would, which is how a slow server looks.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    then_normal: bool = False


def problem(status: int, title: str, detail: str | None = None) -> bytes:
    """An error body in the problem-details shape the X API v2 uses."""
    document = {"title": title, "type": "about:blank", "status": status, "detail": detail or title}
    return json.dumps(document).encode()


class FakeHTTPServer:
    """Base class: a real HTTP server in a thread, with a request log and a response script.

    Subclasses implement ``handle(request)`` to give the normal response.
    """

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        # Any 127.x.y.z address is loopback on Linux: a second server can stand on 127.0.0.2.
        self.host, self.port = host, port
        # With an SSLContext the server speaks https; the names clients asked for (SNI) are kept.
        self.ssl_context = ssl_context
        self.server_names: list[str | None] = []
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._script: deque[ScriptedResponse] = deque()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), _Handler)
        server.fake = self
        if self.ssl_context is not None:
            self.ssl_context.sni_callback = self._note_server_name
            # The handshake happens in the request's thread, not in the accepting loop.
            server.socket = self.ssl_context.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name=type(self).__name__
        )
        self._thread.start()
        return self

    def _note_server_name(self, _socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        with self._lock:
            self.server_names.append(name)

    def stop(self) -> None:
        """Stop serving; requests still hanging are released at once."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        # Kept-alive connections would otherwise go on being served after stop(), so a test that
        # stops the server to simulate an outage would still get answers on a pooled connection.
        with self._lock:
            connections, self._connections = set(self._connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if self._server is None:
            raise RuntimeError("the server is not running; use it as a context manager or call start()")
        host, port = self._server.server_address[:2]
        return f"{'https' if self.ssl_context else 'http'}://{host}:{port}"

    # -- request log ------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the requests received so far."""
        with self._lock:
            self._requests.clear()

    # -- script -----------------------------------------------------------------------------------

    def script(self, *responses: ScriptedResponse) -> None:
        """Answer the next requests with these responses, in order, then normally again."""
        with self._lock:
            self._script.extend(responses)

    def clear_script(self) -> None:
        """Drop scripted responses not yet used."""
        with self._lock:
            self._script.clear()

    def fail_next(self, n: int = 1, *, status: int = 500, body: bytes | None = None) -> None:
        """Answer the next ``n`` requests with ``status`` (a server error by default)."""
        payload = body if body is not None else problem(status, "Internal Server Error", "Something broke")
        self.script(*(ScriptedResponse(status, payload, {"Content-Type": JSON}) for _ in range(n)))

    def hang_next(self, n: int = 1, *, seconds: float = 5.0) -> None:
        """Make the next ``n`` requests wait ``seconds`` before any byte of the answer is sent."""
        self.script(*(ScriptedResponse(delay=seconds, then_normal=True) for _ in range(n)))

    # -- serving ----------------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> ScriptedResponse:
        """The normal response to ``request``; subclasses override this."""
        return ScriptedResponse(404, problem(404, "Not Found"), {"Content-Type": JSON})

    def _respond(self, request: RecordedRequest) -> ScriptedResponse:
        with self._lock:
            self._requests.append(request)
            scripted = self._script.popleft() if self._script else None
        if scripted is None:
            return self.handle(request)
        if scripted.delay:
            # Interruptible, so stopping the server never waits for a hang to end.
            self._stopping.wait(scripted.delay)
        return self.handle(request) if scripted.then_normal else scripted


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a client that gave up must not hold up stop()
    fake: FakeHTTPServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and closed its socket is expected here, not an error to print.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection must not pin a thread forever

    def setup(self) -> None:
        super().setup()
        fake = self.server.fake
        with fake._lock:
            fake._connections.add(self.connection)

    def finish(self) -> None:
        fake = self.server.fake
        with fake._lock:
            fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            received_at=time.monotonic(),
        )
        response = self.server.fake._respond(request)
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            body = b"" if self.command == "HEAD" or response.status == 304 else response.body
            if response.status != 304:  # a 304 never has a body, so it carries no length
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (its timeout); nothing to do

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _serve

    def log_message(self, *args: Any) -> None:
        pass  # the request log replaces stderr noise


class FakeXApi(FakeHTTPServer):
    """The two X API v2 endpoints the client uses, serving a list of post objects.

    - ``GET /2/users/{id}/tweets``: posts whose ``author_id`` is ``id``; ``max_results`` 5-100.
    - ``GET /2/tweets/search/recent``: posts matching ``query``; ``max_results`` 10-100. The query
      language is reduced to what tests need: ``from:username`` and words that must all appear
      (case-insensitive) in the full text.

    Posts are served newest first (ids are numeric strings), ``since_id``/``until_id`` are
    honoured, pages follow ``next_token`` sent back as ``pagination_token`` (or ``next_token`` on
    search). Only requested fields are returned, as the real API does: ``id``, ``text`` and
    ``edit_history_tweet_ids`` by default, more with ``tweet.fields``; ``includes.users`` with
    ``expansions=author_id``; ``includes.tweets`` (any post the server holds, another account's too)
    with ``expansions=referenced_tweets.id``, their authors with ``referenced_tweets.id.author_id``,
    and a "Not Found Error" partial error for a referenced post it does not hold. A wrong bearer
    token gets 401.
    """

    DEFAULT_FIELDS = ("id", "text", "edit_history_tweet_ids")

    def __init__(
        self,
        posts: Iterable[dict[str, Any]] = (),
        *,
        users: Iterable[dict[str, Any]] = (),
        token: str = "test-token",  # noqa: S107 - a fake server's fake token
        rate_limit: int = 900,
    ) -> None:
        super().__init__()
        self.token = token
        self._posts: list[dict[str, Any]] = [dict(post) for post in posts]
        self._users: dict[str, dict[str, Any]] = {str(user["id"]): dict(user) for user in users}
        self.partial_errors: list[dict[str, Any]] = []  # added as "errors" to every 200 answer
        self.rate_limit = rate_limit
        self._remaining = rate_limit

    @classmethod
    def from_document(cls, document: dict[str, Any], **kwargs: Any) -> FakeXApi:
        """A server for the posts and users of an X response document (e.g. posts_dev.json).

        A post id that appears twice is served once (the first copy), as the real API would.
        """
        users = document.get("includes", {}).get("users", [])
        posts = {str(post.get("id")): post for post in reversed(document.get("data", []))}
        return cls(reversed(list(posts.values())), users=users, **kwargs)

    def add_posts(self, *posts: dict[str, Any]) -> None:
        """Publish more posts (e.g. between two polls)."""
        with self._lock:
            self._posts.extend(dict(post) for post in posts)

    def rate_limit_next(
        self, n: int = 1, *, reset_at: int | datetime | None = None, shape: str = "problem"
    ) -> int:
        """Answer the next ``n`` requests with 429; returns the reset time sent (epoch seconds).

        ``shape`` picks the body: ``"problem"`` (what v2 sends) or ``"errors"`` (the older
        ``{"errors": [{"code": 88, ...}]}`` shown in the docs).
        """
        if reset_at is None:
            reset_epoch = int(time.time()) + 900
        elif isinstance(reset_at, datetime):
            reset_epoch = int(reset_at.timestamp())
        else:
            reset_epoch = int(reset_at)
        if shape == "errors":
            body = json.dumps({"errors": [{"code": 88, "message": "Rate limit exceeded"}]}).encode()
        else:
            body = problem(429, "Too Many Requests")
        headers = {
            "Content-Type": JSON,
            "x-rate-limit-limit": str(self.rate_limit),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset_epoch),
        }
        self.script(*(ScriptedResponse(429, body, headers) for _ in range(n)))
        return reset_epoch

    # -- serving ----------------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> ScriptedResponse:
        """Route to the timeline or the search endpoint after checking the bearer token."""
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return ScriptedResponse(401, problem(401, "Unauthorized"), {"Content-Type": JSON})
        if request.method != "GET":
            return self._json(405, json.loads(problem(405, "Method Not Allowed")))
        path = request.path.rstrip("/")
        parts = path.split("/")
        if len(parts) == 5 and parts[1:3] == ["2", "users"] and parts[4] == "tweets":
            user_id = parts[3]
            if not user_id.isdigit():
                return self._invalid("id", user_id)
            return self._serve_posts(request, author_id=user_id, query=None, min_results=5)
        if path == "/2/tweets/search/recent":
            query = request.query.get("query", "")
            if not query.strip():
                return self._invalid("query", "", "The `query` query parameter can not be empty")
            return self._serve_posts(request, author_id=None, query=query, min_results=10)
        return self._json(404, json.loads(problem(404, "Not Found", f"No route for {request.path}")))

    def _serve_posts(
        self, request: RecordedRequest, *, author_id: str | None, query: str | None, min_results: int
    ) -> ScriptedResponse:
        params = request.query
        max_results_text = params.get("max_results", "10")
        if not max_results_text.isdigit() or not min_results <= int(max_results_text) <= 100:
            return self._invalid(
                "max_results",
                max_results_text,
                f"The `max_results` query parameter value [{max_results_text}] is not between "
                f"{min_results} and 100",
            )
        max_results = int(max_results_text)
        for name in ("since_id", "until_id"):
            value = params.get(name)
            if value is not None and not value.isdigit():
                return self._invalid(name, value)
        token = params.get("pagination_token") or params.get("next_token")
        before_id: int | None = None
        if token:
            before_id = _decode_token(token)
            if before_id is None:
                return self._invalid("pagination_token", token)

        with self._lock:
            posts = list(self._posts)
        matching = [post for post in posts if self._matches(post, author_id=author_id, query=query)]
        matching = _exclude(matching, params.get("exclude", ""))
        since = int(params["since_id"]) if "since_id" in params else None
        until = int(params["until_id"]) if "until_id" in params else None
        matching = [
            post
            for post in matching
            if (since is None or _id(post) > since)
            and (until is None or _id(post) < until)
            and (before_id is None or _id(post) < before_id)
        ]
        matching.sort(key=_id, reverse=True)
        page, more = matching[:max_results], len(matching) > max_results

        fields = set(self.DEFAULT_FIELDS) | _csv(params.get("tweet.fields"))
        expansions = _csv(params.get("expansions"))
        document: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        if page:
            document["data"] = [{key: value for key, value in post.items() if key in fields} for post in page]
            includes: dict[str, Any] = {}
            authors: dict[str, None] = {}
            if "author_id" in expansions:
                authors.update(dict.fromkeys(str(post.get("author_id")) for post in page))
            if "referenced_tweets.id" in expansions:
                # The posts the page's posts repost, quote or answer, wherever they are (another
                # account's post too); one that cannot be found is a partial error, as X sends it.
                referenced, missing = self._referenced(page)
                if referenced:
                    includes["tweets"] = [
                        {key: value for key, value in post.items() if key in fields} for post in referenced
                    ]
                if "referenced_tweets.id.author_id" in expansions:
                    authors.update(dict.fromkeys(str(post.get("author_id")) for post in referenced))
                errors += [_not_found("tweet", "referenced_tweets.id", post_id) for post_id in missing]
            user_fields = {"id", "name", "username"} | _csv(params.get("user.fields"))
            users = [
                {key: value for key, value in self._users[author].items() if key in user_fields}
                for author in authors
                if author in self._users
            ]
            if users:
                includes["users"] = users
            if includes:
                document["includes"] = includes
        errors += self.partial_errors
        if errors:
            document["errors"] = errors
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"] = str(page[0]["id"])
            meta["oldest_id"] = str(page[-1]["id"])
        if more:
            meta["next_token"] = _encode_token(_id(page[-1]))
        document["meta"] = meta
        return self._json(200, document)

    def _referenced(self, page: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
        """The posts ``page`` refers to (each once), and the ids of those this server does not have."""
        with self._lock:
            by_id = {str(post.get("id")): post for post in self._posts}
        found: dict[str, dict[str, Any]] = {}
        missing: list[str] = []
        for post in page:
            for reference in post.get("referenced_tweets") or []:
                post_id = str(reference.get("id"))
                if post_id in by_id:
                    found.setdefault(post_id, by_id[post_id])
                elif post_id not in missing:
                    missing.append(post_id)
        return list(found.values()), missing

    def _matches(self, post: dict[str, Any], *, author_id: str | None, query: str | None) -> bool:
        if author_id is not None:
            return str(post.get("author_id")) == author_id
        note = post.get("note_tweet")
        text = (note.get("text") if isinstance(note, dict) else None) or post.get("text") or ""
        text = str(text).lower()
        for term in (query or "").split():
            if term.lower().startswith("from:"):
                username = term[5:].lower()
                author = self._users.get(str(post.get("author_id")), {})
                if str(author.get("username", "")).lower() != username:
                    return False
            elif term.lower() not in text:
                return False
        return True

    def _json(self, status: int, document: dict[str, Any]) -> ScriptedResponse:
        with self._lock:
            self._remaining = max(0, self._remaining - 1)
            remaining = self._remaining
        headers = {
            "Content-Type": JSON,
            "x-rate-limit-limit": str(self.rate_limit),
            "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(time.time()) + 900),
        }
        return ScriptedResponse(status, json.dumps(document, ensure_ascii=False).encode(), headers)

    def _invalid(self, parameter: str, value: str, message: str | None = None) -> ScriptedResponse:
        message = message or f"The `{parameter}` query parameter value [{value}] is not valid"
        return self._json(
            400,
            {
                "errors": [{"parameters": {parameter: [value]}, "message": message}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
        )


class FakeFeedServer(FakeHTTPServer):
    """Serves RSS/Atom documents with ETag and Last-Modified, answering 304 when they match.

    ``If-None-Match`` wins over ``If-Modified-Since`` when both are sent (RFC 9110 13.2.2).
    Several feeds can be served at different paths; ``feed_url(path)`` gives the full URL.
    """

    def __init__(
        self,
        body: bytes | None = None,
        *,
        path: str = "/feed.xml",
        content_type: str = "application/rss+xml; charset=utf-8",
    ) -> None:
        super().__init__()
        self._feeds: dict[str, _Feed] = {}
        if body is not None:
            self.set_feed(body, path=path, content_type=content_type)

    def set_feed(
        self,
        body: bytes,
        *,
        path: str = "/feed.xml",
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: datetime | None = None,
        send_etag: bool = True,
        send_last_modified: bool = True,
    ) -> _Feed:
        """Publish (or replace) the feed at ``path``; ETag and Last-Modified follow the content."""
        feed = _Feed(
            body=body,
            content_type=content_type,
            etag=etag or f'"{hashlib.sha256(body).hexdigest()[:16]}"',
            last_modified=(last_modified or datetime.now(UTC)).replace(microsecond=0),
            send_etag=send_etag,
            send_last_modified=send_last_modified,
        )
        with self._lock:
            self._feeds[path] = feed
        return feed

    def feed_url(self, path: str = "/feed.xml") -> str:
        """The full URL of the feed at ``path``."""
        return self.url + path

    def handle(self, request: RecordedRequest) -> ScriptedResponse:
        """The feed, or 304 when the request's validators match it."""
        with self._lock:
            feed = self._feeds.get(request.path)
        if feed is None:
            return ScriptedResponse(404, b"Not Found", {"Content-Type": "text/plain"})
        headers = {"Content-Type": feed.content_type}
        if feed.send_etag:
            headers["ETag"] = feed.etag
        if feed.send_last_modified:
            headers["Last-Modified"] = email.utils.format_datetime(feed.last_modified, usegmt=True)
        if feed.not_modified_for(request.headers):
            return ScriptedResponse(304, b"", headers)
        return ScriptedResponse(200, feed.body, headers)


@dataclass(frozen=True)
class _Feed:
    body: bytes
    content_type: str
    etag: str
    last_modified: datetime
    send_etag: bool
    send_last_modified: bool

    def not_modified_for(self, headers: dict[str, str]) -> bool:
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            if not self.send_etag:
                return False
            tags = {_weak_stripped(tag) for tag in if_none_match.split(",")}
            return "*" in tags or _weak_stripped(self.etag) in tags
        if_modified_since = headers.get("if-modified-since")
        if if_modified_since and self.send_last_modified:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return self.last_modified <= since
        return False


def _weak_stripped(tag: str) -> str:
    # If-None-Match uses the weak comparison: W/"x" matches "x".
    return tag.strip().removeprefix("W/")


def _id(post: dict[str, Any]) -> int:
    value = str(post.get("id", ""))
    return int(value) if value.isdigit() else 0


def _not_found(resource_type: str, parameter: str, value: str) -> dict[str, Any]:
    """A partial error for a resource X cannot find, in the shape the API sends with a 200."""
    return {
        "value": value,
        "detail": f"Could not find {resource_type} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": resource_type,
        "parameter": parameter,
        "resource_id": value,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def _csv(value: str | None) -> set[str]:
    return {part.strip() for part in (value or "").split(",") if part.strip()}


def _exclude(posts: list[dict[str, Any]], exclude: str) -> list[dict[str, Any]]:
    kinds = _csv(exclude)
    if not kinds:
        return posts
    dropped = set()
    if "retweets" in kinds:
        dropped.add("retweeted")
    if "replies" in kinds:
        dropped.add("replied_to")

    def kept(post: dict[str, Any]) -> bool:
        references = post.get("referenced_tweets") or []
        return not any(isinstance(ref, dict) and ref.get("type") in dropped for ref in references)

    return [post for post in posts if kept(post)]


def _encode_token(before_id: int) -> str:
    # Opaque to clients, like the real tokens; it carries the id the next page must stay below.
    return base64.b32encode(f"before:{before_id}".encode()).decode().rstrip("=").lower()


def _decode_token(token: str) -> int | None:
    padded = token.upper() + "=" * (-len(token) % 8)
    try:
        text = base64.b32decode(padded).decode()
    except (binascii.Error, ValueError):
        return None
    prefix, _, number = text.partition(":")
    return int(number) if prefix == "before" and number.isdigit() else None
