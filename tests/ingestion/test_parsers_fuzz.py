"""Property tests: whatever bytes or JSON come in, parsers raise only ParseError and never hang.

Every result they return must also be storable as is: aware UTC dates, JSON-serialisable raw
records without NUL, unique ids, and error texts within their cap.
"""

import contextlib
import json
import signal
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.parsers import detect, jsonl, rss, x_api_v2
from ingestion.parsers.records import (
    MAX_ERROR_RAW_BYTES,
    MAX_EXTERNAL_ID_LENGTH,
    ParseError,
    ParseResult,
    PostRecord,
    RecordError,
)

HANG_LIMIT_SECONDS = 10  # one example taking this long is a hang, not slowness

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(seconds: int = HANG_LIMIT_SECONDS) -> Iterator[None]:
    """Fail, rather than block the suite, if the parser does not return in time."""

    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"parser still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(parser: Callable[[], ParseResult]) -> ParseResult | None:
    with no_hang():
        try:
            result = parser()
        except ParseError as exc:
            assert str(exc), "a ParseError must say what is wrong"
            return None
    assert_storable(result)
    return result


def assert_storable(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    assert isinstance(result.meta, dict)
    ids = [post.external_id for post in result.posts]
    assert len(ids) == len(set(ids)), "duplicate ids must be reported, not returned"
    for post in result.posts:
        assert isinstance(post, PostRecord)
        for value in (post.external_id, post.text, post.url, post.author, post.language):
            assert isinstance(value, str)
            assert "\x00" not in value
            value.encode("utf-8")  # no lone surrogates
        assert post.external_id.strip() and len(post.external_id) <= MAX_EXTERNAL_ID_LENGTH
        assert post.text.strip()
        assert len(post.language) <= 16
        assert post.published_at is None or post.published_at.utcoffset() == timedelta(0)
        stored = json.dumps(post.raw, allow_nan=False, ensure_ascii=False)
        assert "\\u0000" not in stored
        stored.encode("utf-8")
    for error in result.errors:
        assert isinstance(error, RecordError)
        assert error.position and len(error.position) <= 100
        assert error.message
        assert error.code in ("invalid", "duplicate", "api_error")
        assert len(error.raw.encode("utf-8")) <= MAX_ERROR_RAW_BYTES
        assert "\x00" not in error.raw and "\x00" not in error.message


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)

post_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(
            st.from_regex(r"[0-9]{1,20}", fullmatch=True), st.integers(), st.text(max_size=5), json_values
        ),
        "text": st.one_of(st.text(), json_values),
        "note_tweet": st.one_of(
            st.fixed_dictionaries({"text": st.one_of(st.text(), json_values)}), json_values
        ),
        "lang": st.one_of(st.sampled_from(["en", "fr", "ht", "und"]), json_values),
        "created_at": st.one_of(
            st.sampled_from(["2025-03-24T11:15:00.000Z", "2025-03-24T11:15:00+05:00", "2025-03-24", "nope"]),
            st.text(max_size=30),
            json_values,
        ),
        "author_id": st.one_of(st.sampled_from(["1", "2"]), json_values),
    },
)

x_documents = st.fixed_dictionaries(
    {},
    optional={
        "data": st.one_of(st.lists(st.one_of(post_like, json_values), max_size=6), json_values),
        "includes": st.one_of(
            st.fixed_dictionaries(
                {
                    "users": st.lists(
                        st.fixed_dictionaries(
                            {
                                "id": st.sampled_from(["1", "2", 1]),
                                "username": st.one_of(st.text(), json_values),
                            }
                        ),
                        max_size=3,
                    )
                }
            ),
            json_values,
        ),
        "meta": st.one_of(st.dictionaries(st.text(max_size=10), json_values, max_size=3), json_values),
        "errors": json_values,
    },
)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_into_every_parser(data):
    run(lambda: x_api_v2.parse(data))
    run(lambda: jsonl.parse(data))
    run(lambda: rss.parse(data))
    run(lambda: detect.parse_file(data, name="fuzz.bin"))


@FUZZ
@given(json_values)
def test_random_json_into_every_parser(value):
    data = json.dumps(value).encode()
    run(lambda: x_api_v2.parse(data))
    run(lambda: jsonl.parse(data))
    run(lambda: detect.parse_file(data))
    if isinstance(value, dict):
        run(lambda: x_api_v2.parse(value))


@FUZZ
@given(x_documents, st.booleans())
def test_x_shaped_documents(document, indent):
    data = json.dumps(document, indent=2 if indent else None).encode()
    run(lambda: x_api_v2.parse(data))
    run(lambda: detect.parse_file(data))


@FUZZ
@given(st.lists(st.one_of(post_like, json_values), max_size=8), st.sampled_from([b"\n", b"\r\n", b"\n\n"]))
def test_json_lines_of_post_like_objects(items, separator):
    data = separator.join(json.dumps(item).encode() for item in items)
    result = run(lambda: jsonl.parse(data))
    assert result is not None  # JSON Lines never fails as a whole
    assert len(result.posts) + len(result.errors) == len(items)
    run(lambda: detect.parse_file(data))


@FUZZ
@given(
    st.lists(
        st.one_of(st.binary(max_size=60), st.sampled_from([b"{", b"}", b'"id": "1"', b"\xff"])), max_size=10
    )
)
def test_json_lines_with_broken_lines(parts):
    data = b"\n".join(parts)
    result = run(lambda: jsonl.parse(data))
    assert result is not None


feed_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=60)


@FUZZ
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "title": feed_text,
                "guid": feed_text,
                "link": feed_text,
                "description": feed_text,
                "pubDate": st.one_of(st.just("Wed, 02 Apr 2025 10:15:00 -0400"), feed_text),
            },
        ),
        max_size=5,
    ),
    st.booleans(),
)
def test_rss_with_random_item_contents(items, escape):
    def element(name: str, value: str) -> str:
        if escape:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f"<{name}>{value}</{name}>"

    body = "".join("<item>" + "".join(element(k, v) for k, v in item.items()) + "</item>" for item in items)
    data = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{body}</channel></rss>'
    encoded = data.encode("utf-8", "surrogatepass")
    run(lambda: rss.parse(encoded))
    run(lambda: detect.parse_file(encoded))


@FUZZ
@given(
    st.binary(max_size=300), st.sampled_from([b"<?xml version='1.0'?>", b"<rss version='2.0'>", b"<feed>"])
)
def test_feed_prefix_followed_by_garbage(tail, prefix):
    run(lambda: rss.parse(prefix + tail))
    run(lambda: detect.parse_file(prefix + tail))


@pytest.mark.parametrize("depth", [10, 1000, 100_000])
def test_deeply_nested_input_is_a_parse_error_or_a_record_error(depth):
    nested = b"[" * depth + b"]" * depth
    run(lambda: x_api_v2.parse(b'{"data": ' + nested + b"}"))
    run(lambda: jsonl.parse(b'{"id": "1", "text": ' + nested + b"}"))
    run(lambda: detect.parse_file(nested))
    run(lambda: rss.parse(b"<rss>" + b"<a>" * depth + b"</rss>"))
