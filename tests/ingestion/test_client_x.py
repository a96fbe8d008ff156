"""X API client against a real HTTP server on loopback: paging, cursors and every failure mode."""

import json
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from ingestion.clients.x_api import (
    EXPANSIONS,
    TWEET_FIELDS,
    XApiClient,
    XApiError,
    XAuthError,
    XRateLimited,
    XTransientError,
)
from tests.ingestion.seed_entries import DEV_DATA
from tests.support.fake_servers import FakeXApi, ScriptedResponse

pytestmark = pytest.mark.integration

TOKEN = "test-token"
AUTHOR = "1790000000000000001"
FIRST_ID = 1815000000000000000
POSTS_DEV = DEV_DATA / "posts_dev.json"


def make_posts(count: int, *, start: int = FIRST_ID) -> list[dict]:
    return [
        {
            "id": str(start + n),
            "text": f"Update number {n} from the mission",
            "created_at": (datetime(2025, 3, 1, tzinfo=UTC) + timedelta(minutes=n))
            .isoformat()
            .replace("+00:00", "Z"),
            "author_id": AUTHOR,
            "lang": "en",
            "edit_history_tweet_ids": [str(start + n)],
        }
        for n in range(count)
    ]


USERS = [{"id": AUTHOR, "name": "MSS Haiti", "username": "MSS_Haiti"}]


@pytest.fixture
def api():
    with FakeXApi(make_posts(250), users=USERS, token=TOKEN) as server:
        yield server


@pytest.fixture
def client(api):
    return XApiClient(api.url, token=TOKEN, timeout=0.5)


def test_follows_next_token_across_three_pages(api, client):
    fetch = client.fetch_new(user_id=AUTHOR, since_id=None)
    pages = list(fetch)

    assert [len(page.result.posts) for page in pages] == [100, 100, 50]
    ids = [post.external_id for page in pages for post in page.result.posts]
    assert len(set(ids)) == 250
    assert ids == sorted(ids, key=int, reverse=True)  # newest first, as the API sends them
    assert pages[0].next_token and pages[1].next_token and pages[2].next_token is None
    sent = [request.query.get("pagination_token") for request in api.requests]
    assert sent == [None, pages[0].next_token, pages[1].next_token]
    assert fetch.complete is True
    assert fetch.pages_fetched == 3
    assert fetch.newest_id == str(FIRST_ID + 249)


def test_timeline_request_has_the_documented_parameters_and_bearer_token(api, client):
    list(client.fetch_new(user_id=AUTHOR, since_id="1815000000000000200"))

    request = api.requests[0]
    assert request.path == f"/2/users/{AUTHOR}/tweets"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.query == {
        "max_results": "100",
        "tweet.fields": TWEET_FIELDS,
        "expansions": EXPANSIONS,
        "user.fields": "username",
        "since_id": "1815000000000000200",
    }
    assert set(TWEET_FIELDS.split(",")) == {
        "created_at",
        "lang",
        "entities",
        "note_tweet",
        "author_id",
        "referenced_tweets",
        "edit_history_tweet_ids",
    }
    assert set(EXPANSIONS.split(",")) == {
        "author_id",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
    }


def test_since_id_is_sent_on_every_page_and_only_newer_posts_come_back(api, client):
    since = str(FIRST_ID + 99)

    fetch = client.fetch_new(user_id=AUTHOR, since_id=since)
    pages = list(fetch)

    ids = [int(post.external_id) for page in pages for post in page.result.posts]
    assert len(ids) == 150
    assert min(ids) == FIRST_ID + 100
    assert all(request.query["since_id"] == since for request in api.requests)
    assert len(api.requests) == 2


def test_nothing_new_gives_one_empty_page_and_no_newest_id(api, client):
    fetch = client.fetch_new(user_id=AUTHOR, since_id=str(FIRST_ID + 249))
    pages = list(fetch)

    assert len(pages) == 1
    assert pages[0].result.posts == []
    assert pages[0].result.errors == []
    assert fetch.newest_id is None
    assert fetch.complete is True


def test_recent_search_sends_the_query(api, client):
    pages = list(client.fetch_new(query="number 7 from:MSS_Haiti", since_id=None))

    request = api.requests[0]
    assert request.path == "/2/tweets/search/recent"
    assert request.query["query"] == "number 7 from:MSS_Haiti"
    assert request.query["max_results"] == "100"
    texts = [post.text for page in pages for post in page.result.posts]
    assert len(texts) == 43  # every word must appear: "7" is in 43 of the numbers 0..249
    assert all("number" in text and "7" in text for text in texts)


def test_recent_search_from_an_unknown_account_finds_nothing(api, client):
    pages = list(client.fetch_new(query="from:someone_else", since_id=None))

    assert [len(page.result.posts) for page in pages] == [0]


def test_records_get_username_urls_and_note_tweet_text():
    document = json.loads(POSTS_DEV.read_text())

    with FakeXApi.from_document(document, token=TOKEN) as server:
        client = XApiClient(server.url, token=TOKEN, timeout=2)
        posts = [
            post for page in client.fetch_new(user_id=AUTHOR, since_id=None) for post in page.result.posts
        ]

    assert len(posts) == 24
    long_post = next(post for post in document["data"] if "note_tweet" in post)
    record = next(post for post in posts if post.external_id == long_post["id"])
    assert record.text == long_post["note_tweet"]["text"]
    assert record.url == f"https://x.com/MSS_Haiti/status/{long_post['id']}"


def test_raw_bytes_are_the_body_as_received(api, client):
    page = next(iter(client.fetch_new(user_id=AUTHOR, since_id=None)))

    assert json.loads(page.raw_bytes)["meta"]["result_count"] == 100
    assert page.rate_limit["limit"] == 900


def test_max_pages_stops_early_and_says_the_fetch_is_incomplete(api, client):
    fetch = client.fetch_new(user_id=AUTHOR, since_id=None, max_pages=2)
    pages = list(fetch)

    assert len(pages) == 2
    assert fetch.complete is False
    assert fetch.newest_id == str(FIRST_ID + 249)


def test_nothing_is_requested_until_iteration_starts(api, client):
    client.fetch_new(user_id=AUTHOR, since_id=None)

    assert api.requests == []


def test_429_raises_rate_limited_with_the_reset_time_from_the_header(api, client):
    reset = api.rate_limit_next(reset_at=1_900_000_000)

    with pytest.raises(XRateLimited) as caught:
        list(client.fetch_new(user_id=AUTHOR, since_id=None))

    assert caught.value.reset_at == datetime.fromtimestamp(reset, tz=UTC)
    assert caught.value.status == 429
    assert "Too Many Requests" in str(caught.value)


def test_429_in_the_older_errors_shape_is_read_too(api, client):
    api.rate_limit_next(reset_at=1_900_000_060, shape="errors")

    with pytest.raises(XRateLimited) as caught:
        list(client.fetch_new(query="mission", since_id=None))

    assert caught.value.reset_at == datetime(2030, 3, 17, 17, 47, 40, tzinfo=UTC)
    assert "Rate limit exceeded (code 88)" in str(caught.value)


def test_429_without_reset_header_waits_a_full_window(api, client):
    api.script(ScriptedResponse(429, b'{"title": "Too Many Requests"}'))

    with pytest.raises(XRateLimited) as caught:
        list(client.fetch_new(user_id=AUTHOR, since_id=None))

    wait = caught.value.reset_at - datetime.now(UTC)
    assert timedelta(minutes=14) < wait <= timedelta(minutes=15)


def test_rate_limit_on_the_second_page_comes_after_the_first_page(api, client):
    fetch = client.fetch_new(user_id=AUTHOR, since_id=None)
    first = next(fetch)
    api.rate_limit_next()

    with pytest.raises(XRateLimited):
        next(fetch)

    assert len(first.result.posts) == 100
    assert fetch.complete is False  # the caller must not move its cursor past the gap


def test_wrong_token_raises_auth_error_with_the_api_title_and_detail(api):
    client = XApiClient(api.url, token="wrong-token", timeout=0.5)

    with pytest.raises(XAuthError) as caught:
        list(client.fetch_new(user_id=AUTHOR, since_id=None))

    assert caught.value.status == 401
    assert "HTTP 401: Unauthorized" in str(caught.value)
    assert "wrong-token" not in str(caught.value)


def test_403_raises_auth_error_with_detail(api, client):
    body = json.dumps(
        {
            "title": "Client Forbidden",
            "detail": "This request must be made using an approved developer account.",
            "reason": "client-not-enrolled",
            "type": "https://api.twitter.com/2/problems/client-forbidden",
        }
    ).encode()
    api.script(ScriptedResponse(403, body, {"Content-Type": "application/json"}))

    with pytest.raises(XAuthError, match="Client Forbidden: This request must be made using an approved"):
        list(client.fetch_new(user_id=AUTHOR, since_id=None))


def test_500_raises_transient_error(api, client):
    api.fail_next(status=500)

    with pytest.raises(XTransientError, match="HTTP 500") as caught:
        list(client.fetch_new(user_id=AUTHOR, since_id=None))

    assert caught.value.status == 500


def test_503_raises_transient_error(api, client):
    api.fail_next(status=503, body=b"<html>Service Unavailable</html>")

    with pytest.raises(XTransientError, match="Service Unavailable"):
        list(client.fetch_new(user_id=AUTHOR, since_id=None))


def test_server_that_hangs_past_the_timeout_raises_transient_error(api, client):
    api.hang_next(seconds=5)
    started = time.monotonic()

    with pytest.raises(XTransientError, match=r"did not answer within 0\.5 s"):
        list(client.fetch_new(user_id=AUTHOR, since_id=None))

    assert time.monotonic() - started < 2


def test_refused_connection_raises_transient_error():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = XApiClient(f"http://127.0.0.1:{port}", token=TOKEN, timeout=0.5)

    with pytest.raises(XTransientError, match="request failed"):
        list(client.fetch_new(user_id=AUTHOR, since_id=None))


def test_a_200_that_is_not_an_x_document_is_transient(api, client):
    api.script(ScriptedResponse(200, b"<html>captive portal</html>", {"Content-Type": "text/html"}))

    with pytest.raises(XTransientError, match="unreadable page: not valid JSON"):
        list(client.fetch_new(user_id=AUTHOR, since_id=None))


def test_bad_request_is_a_plain_api_error_not_worth_retrying(api, client):
    api.script(ScriptedResponse(400, b'{"title": "Invalid Request", "detail": "One or more parameters"}'))

    with pytest.raises(XApiError) as caught:
        list(client.fetch_new(query="mission", since_id=None))

    assert type(caught.value) is XApiError
    assert "HTTP 400: Invalid Request: One or more parameters" in str(caught.value)


def test_partial_errors_become_api_errors_of_the_page(api, client):
    api.partial_errors = [{"title": "Not Found Error", "detail": "Could not find user"}]

    page = next(iter(client.fetch_new(user_id=AUTHOR, since_id=None)))

    assert [(error.position, error.message, error.code) for error in page.result.errors] == [
        ("errors[0]", "X API error: Not Found Error: Could not find user", "api_error")
    ]
    assert len(page.result.posts) == 100


OTHER = "1790000000000000002"
LONG_TEXT = (
    "Les unités MSS et PNH ont dégagé les barricades sur la Route de Frères ce matin; la circulation "
    "a repris vers Pétion-Ville et les écoles du quartier rouvriront lundi. " * 3
).strip()


def referencing_posts() -> tuple[list[dict], list[dict]]:
    """A long post by another account, and posts of the mission's account that repost or quote it."""
    original = {
        "id": "1815000000000900001",
        "text": LONG_TEXT[:277] + "…",
        "note_tweet": {"text": LONG_TEXT},
        "author_id": OTHER,
        "created_at": "2025-03-01T08:00:00.000Z",
        "lang": "fr",
        "edit_history_tweet_ids": ["1815000000000900001"],
    }
    posts = [
        {
            "id": "1815000000000900002",
            "text": "RT @press_ht: " + LONG_TEXT[:110] + "…",
            "author_id": AUTHOR,
            "created_at": "2025-03-01T09:00:00.000Z",
            "referenced_tweets": [{"type": "retweeted", "id": original["id"]}],
            "edit_history_tweet_ids": ["1815000000000900002"],
        },
        {
            "id": "1815000000000900004",
            "text": "Road open again, as reported here.",
            "author_id": AUTHOR,
            "created_at": "2025-03-01T10:00:00.000Z",
            "referenced_tweets": [{"type": "quoted", "id": original["id"]}],
            "edit_history_tweet_ids": ["1815000000000900003", "1815000000000900004"],
        },
        {
            "id": "1815000000000900005",
            "text": "RT @gone: a post that was deleted since…",
            "author_id": AUTHOR,
            "created_at": "2025-03-01T11:00:00.000Z",
            "referenced_tweets": [{"type": "retweeted", "id": "1815000000000000404"}],
            "edit_history_tweet_ids": ["1815000000000900005"],
        },
    ]
    return [original, *posts], [*USERS, {"id": OTHER, "name": "Press", "username": "press_ht"}]


def test_a_repost_gets_the_whole_text_from_the_includes_the_client_asks_for():
    posts, users = referencing_posts()

    with FakeXApi(posts, users=users, token=TOKEN) as server, XApiClient(server.url, token=TOKEN) as client:
        [page] = client.fetch_new(user_id=AUTHOR, since_id=None)

    records = {post.external_id: post for post in page.result.posts}
    repost = records["1815000000000900002"]
    assert repost.text == LONG_TEXT  # the reposted post's note_tweet, not "RT @press_ht: …"
    assert repost.reposted_id == "1815000000000900001"
    assert repost.author == "MSS_Haiti"
    assert repost.warnings == ()


def test_a_quote_is_linked_and_keeps_its_edit_history():
    posts, users = referencing_posts()

    with FakeXApi(posts, users=users, token=TOKEN) as server, XApiClient(server.url, token=TOKEN) as client:
        [page] = client.fetch_new(user_id=AUTHOR, since_id=None)

    quote = next(post for post in page.result.posts if post.external_id == "1815000000000900004")
    assert quote.text == "Road open again, as reported here."
    assert quote.quoted_id == "1815000000000900001"
    assert quote.edit_ids == ("1815000000000900003", "1815000000000900004")


def test_a_repost_of_a_post_x_cannot_find_keeps_its_text_with_a_warning_and_the_api_error():
    posts, users = referencing_posts()

    with FakeXApi(posts, users=users, token=TOKEN) as server, XApiClient(server.url, token=TOKEN) as client:
        [page] = client.fetch_new(user_id=AUTHOR, since_id=None)

    orphan = next(post for post in page.result.posts if post.external_id == "1815000000000900005")
    assert orphan.text == "RT @gone: a post that was deleted since…"
    assert orphan.warnings == (
        "the reposted post 1815000000000000404 is not in includes.tweets: text may be cut",
    )
    [error] = page.result.errors
    assert error.code == "api_error"
    assert error.external_id == "1815000000000000404"
    assert "Could not find tweet with referenced_tweets.id: [1815000000000000404]" in error.message


def test_new_posts_published_between_polls_are_picked_up_from_the_cursor(api, client):
    first = client.fetch_new(user_id=AUTHOR, since_id=None)
    list(first)
    api.add_posts(*make_posts(3, start=FIRST_ID + 1000))

    second = client.fetch_new(user_id=AUTHOR, since_id=first.newest_id)
    posts = [post for page in second for post in page.result.posts]

    assert [post.external_id for post in posts] == [
        str(FIRST_ID + 1002),
        str(FIRST_ID + 1001),
        str(FIRST_ID + 1000),
    ]
    assert second.newest_id == str(FIRST_ID + 1002)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"since_id": None},
        {"user_id": AUTHOR, "query": "x", "since_id": None},
        {"user_id": "../admin", "since_id": None},
        {"query": "  ", "since_id": None},
        {"user_id": AUTHOR, "since_id": "abc"},
        {"user_id": AUTHOR, "since_id": None, "max_pages": 0},
    ],
)
def test_wrong_arguments_are_refused_before_any_request(kwargs):
    client = XApiClient("http://127.0.0.1:9", token=TOKEN)

    with pytest.raises(ValueError):
        client.fetch_new(**kwargs)


def test_the_token_is_not_in_the_client_repr():
    assert TOKEN not in repr(XApiClient(token=TOKEN))


def test_fake_server_built_from_a_document_serves_a_repeated_id_once():
    document = {
        "data": [
            {"id": "2", "text": "b", "author_id": "1"},
            {"id": "1", "text": "a", "author_id": "1"},
            {"id": "2", "text": "b again", "author_id": "1"},
        ],
        "includes": {"users": [{"id": "1", "username": "someone"}]},
    }

    with FakeXApi.from_document(document) as server, XApiClient(server.url, token="test-token") as client:
        posts = [post for page in client.fetch_new(user_id="1", since_id=None) for post in page.result.posts]

    assert [(post.external_id, post.text) for post in posts] == [("2", "b"), ("1", "a")]
