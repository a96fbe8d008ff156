"""Feed client against a real HTTP server on loopback: conditional requests, errors, timeouts."""

import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from ingestion.clients.feeds import FeedError, FeedTransientError, fetch_feed
from ingestion.parsers import rss
from tests.support.fake_servers import FakeFeedServer

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"
RSS = (DATA / "feed_rss20.xml").read_bytes()
ATOM = (DATA / "feed_atom.xml").read_bytes()


@pytest.fixture
def feeds():
    with FakeFeedServer(RSS) as server:
        yield server


def test_first_fetch_returns_the_body_and_validators(feeds):
    response = fetch_feed(feeds.feed_url(), timeout=2)

    assert response.status == 200
    assert response.body == RSS
    assert response.etag and response.etag.startswith('"')
    assert response.last_modified and response.last_modified.endswith("GMT")
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert "if-none-match" not in feeds.requests[0].headers


def test_second_fetch_with_the_etag_gets_304_and_an_empty_body(feeds):
    first = fetch_feed(feeds.feed_url(), timeout=2)

    second = fetch_feed(feeds.feed_url(), etag=first.etag, last_modified=first.last_modified, timeout=2)

    assert second.status == 304
    assert second.not_modified
    assert second.body == b""
    assert second.etag == first.etag
    assert second.last_modified == first.last_modified
    assert feeds.requests[1].headers["if-none-match"] == first.etag
    assert feeds.requests[1].headers["if-modified-since"] == first.last_modified


def test_changed_feed_answers_200_with_a_new_etag(feeds):
    first = fetch_feed(feeds.feed_url(), timeout=2)
    feeds.set_feed(ATOM, content_type="application/atom+xml")

    second = fetch_feed(feeds.feed_url(), etag=first.etag, timeout=2)

    assert second.status == 200
    assert second.body == ATOM
    assert second.etag != first.etag


def test_last_modified_alone_gives_304_when_unchanged(feeds):
    feeds.set_feed(RSS, send_etag=False, last_modified=datetime.now(UTC) - timedelta(days=1))
    first = fetch_feed(feeds.feed_url(), timeout=2)

    second = fetch_feed(feeds.feed_url(), last_modified=first.last_modified, timeout=2)

    assert first.etag is None
    assert second.status == 304
    assert "if-none-match" not in feeds.requests[1].headers


def test_fetched_bytes_and_headers_feed_the_parser(feeds):
    response = fetch_feed(feeds.feed_url(), timeout=2)

    result = rss.parse(response.body, response_headers=response.headers)

    assert len(result.posts) == 2
    assert result.meta["title"] == "MSS Haiti news"


def test_404_raises_feed_error_with_a_clear_message(feeds):
    with pytest.raises(FeedError, match=r"answered HTTP 404 Not Found; check the feed URL") as caught:
        fetch_feed(feeds.url + "/missing.xml", timeout=2)

    assert caught.value.status == 404
    assert not isinstance(caught.value, FeedTransientError)


def test_500_raises_transient_error(feeds):
    feeds.fail_next(status=502)

    with pytest.raises(FeedTransientError, match="HTTP 502"):
        fetch_feed(feeds.feed_url(), timeout=2)


def test_429_is_transient(feeds):
    feeds.fail_next(status=429, body=b"slow down")

    with pytest.raises(FeedTransientError, match="HTTP 429"):
        fetch_feed(feeds.feed_url(), timeout=2)


def test_server_that_hangs_past_the_timeout_raises_transient_error(feeds):
    feeds.hang_next(seconds=5)
    started = time.monotonic()

    with pytest.raises(FeedTransientError, match=r"did not answer within 0\.5 s"):
        fetch_feed(feeds.feed_url(), timeout=0.5)

    assert time.monotonic() - started < 2


def test_the_server_answers_normally_after_a_scripted_failure(feeds):
    feeds.fail_next(status=500)
    with pytest.raises(FeedTransientError):
        fetch_feed(feeds.feed_url(), timeout=2)

    assert fetch_feed(feeds.feed_url(), timeout=2).status == 200


def test_refused_connection_raises_transient_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(FeedTransientError, match="could not be fetched"):
        fetch_feed(f"http://127.0.0.1:{port}/feed.xml", timeout=0.5)


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "feed.xml", ""])
def test_url_that_is_not_http_raises_feed_error(url):
    with pytest.raises(FeedError, match="must start with http:// or https://"):
        fetch_feed(url)


def test_a_given_session_is_used_and_left_open(feeds):
    with requests.Session() as session:
        session.headers["X-Test"] = "1"
        fetch_feed(feeds.feed_url(), session=session, timeout=2)
        fetch_feed(feeds.feed_url(), session=session, timeout=2)

    assert [request.headers.get("x-test") for request in feeds.requests] == ["1", "1"]


def test_a_stopped_server_refuses_even_a_kept_alive_connection():
    with requests.Session() as session:
        server = FakeFeedServer(RSS).start()
        url = server.feed_url()
        assert fetch_feed(url, session=session, timeout=2).status == 200
        server.stop()

        with pytest.raises(FeedTransientError):
            fetch_feed(url, session=session, timeout=0.5)
