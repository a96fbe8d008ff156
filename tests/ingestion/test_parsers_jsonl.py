"""JSON Lines parser: post objects, X responses and stream messages per line; a bad line is reported,
the rest kept."""

import io
import json
from pathlib import Path

from ingestion.parsers import jsonl

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_sample_file_gives_one_post_per_line_and_skips_blank_lines():
    result = jsonl.parse(load("posts.jsonl"))

    assert [post.external_id for post in result.posts] == [
        "1815000000000600001",
        "1815000000000600002",
        "1815000000000600003",
    ]
    assert result.errors == []
    assert result.meta == {"format": "jsonl", "lines": 3, "line_kinds": {"post": 3}}


def test_same_field_rules_as_the_x_parser_note_tweet_and_fallback_url():
    posts = jsonl.parse(load("posts.jsonl")).posts

    assert posts[1].text.endswith("ont sécurisé le marché.")
    assert posts[0].url == "https://x.com/i/web/status/1815000000000600001"
    assert posts[0].published_at is not None
    assert posts[1].language == "fr"


def test_line_separator_inside_a_string_does_not_split_the_line():
    post = jsonl.parse(load("posts.jsonl")).posts[2]

    assert "a\u2028b" in post.text


def test_bad_json_and_invalid_utf8_lines_are_errors_and_the_rest_is_kept():
    result = jsonl.parse(load("posts_mixed.jsonl"))

    assert [post.external_id for post in result.posts] == [
        "1815000000000600001",
        "1815000000000600002",
        "1815000000000600003",
        "1815000000000600006",
    ]
    errors = {error.position: error for error in result.errors}
    assert set(errors) == {"line 5", "line 6"}
    assert errors["line 5"].message.startswith("not valid JSON: Expecting ',' delimiter")
    assert errors["line 6"].message.startswith("invalid UTF-8 at byte 42 of the line")
    assert "caf\ufffd latin-1" in errors["line 6"].raw


def test_windows_line_endings_are_accepted():
    result = jsonl.parse(b'{"id": "1", "text": "a"}\r\n{"id": "2", "text": "b"}\r\n')

    assert [post.text for post in result.posts] == ["a", "b"]


def test_line_that_is_not_an_object_is_an_error():
    result = jsonl.parse(b'[1, 2]\n"text"\n{"id": "3", "text": "ok"}\n')

    assert [error.message for error in result.errors] == [
        "expected a JSON object per line (a post or an X API response), got array",
        "expected a JSON object per line (a post or an X API response), got string",
    ]
    assert len(result.posts) == 1


def test_record_problems_are_reported_with_their_line_number():
    result = jsonl.parse(b'{"id": "1", "text": "ok"}\n{"text": "no id"}\n{"id": "3", "text": 5}\n')

    assert [(error.position, error.message) for error in result.errors] == [
        ("line 2", "missing id"),
        ("line 3", "text must be a string, got number"),
    ]


def test_duplicate_id_names_the_first_line():
    result = jsonl.parse(b'{"id": "1", "text": "a"}\n\n{"id": "1", "text": "a", "lang": "en"}\n')

    assert result.errors[0].position == "line 3"
    assert "duplicate id 1 also at line 1" in result.errors[0].message
    assert result.errors[0].code == "duplicate"


def lines(*items: object) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in items)


TWARC = {"url": "https://api.twitter.com/2/tweets/search/recent?query=x", "version": "2.0.10"}


def test_a_twarc2_file_of_responses_reads_every_page_with_its_own_includes():
    page1 = {
        "data": [{"id": "1", "text": "a", "author_id": "10"}, {"id": "2", "text": "b", "author_id": "20"}],
        "includes": {"users": [{"id": "10", "username": "first_page"}, {"id": "20", "username": "both"}]},
        "meta": {"result_count": 2, "next_token": "t"},
        "__twarc": TWARC,
    }
    page2 = {
        "data": [{"id": "3", "text": "c", "author_id": "10"}, {"id": "2", "text": "b", "author_id": "20"}],
        "includes": {"users": [{"id": "10", "username": "second_page"}]},
        "meta": {"result_count": 2},
    }

    result = jsonl.parse(lines(page1, page2))

    assert [(post.external_id, post.author) for post in result.posts] == [
        ("1", "first_page"),
        ("2", "both"),
        ("3", "second_page"),
    ]
    [repeat] = result.errors  # the same post on the next page: a harmless duplicate
    assert (repeat.position, repeat.code) == ("line 2 data[1]", "duplicate")
    assert "duplicate id 2 also at line 1" in repeat.message
    assert result.meta["line_kinds"] == {"response": 2}


def test_pages_and_error_lines_mix_and_each_api_error_is_a_record_error():
    page = {"data": [{"id": "1", "text": "a"}], "errors": [{"title": "Forbidden", "detail": "suspended"}]}
    stream_error = {"errors": [{"title": "operational-disconnect", "detail": "This stream is disconnected"}]}

    result = jsonl.parse(lines(page, stream_error, {"id": "2", "text": "b"}))

    assert [post.external_id for post in result.posts] == ["1", "2"]
    assert [(error.position, error.message, error.code) for error in result.errors] == [
        ("line 1 errors[0]", "X API error: Forbidden: suspended", "api_error"),
        ("line 2 errors[0]", "X API error: operational-disconnect: This stream is disconnected", "api_error"),
    ]
    assert json.loads(result.errors[1].raw) == stream_error["errors"][0]
    assert result.meta["line_kinds"] == {"response": 1, "errors": 1, "post": 1}


def test_filtered_stream_lines_hold_one_post_each():
    message = {
        "data": {
            "id": "1",
            "text": "a",
            "author_id": "10",
            "referenced_tweets": [{"type": "retweeted", "id": "9"}],
        },
        "includes": {
            "users": [{"id": "10", "username": "streamer"}],
            "tweets": [{"id": "9", "text": "whole"}],
        },
        "matching_rules": [{"id": 1377649934414049282, "tag": None}],
    }

    result = jsonl.parse(lines(message, {**message, "data": {"id": "2", "text": 5}}))

    [post] = result.posts
    assert (post.author, post.text, post.reposted_id) == ("streamer", "whole", "9")
    assert [(error.position, error.message) for error in result.errors] == [
        ("line 2", "text must be a string, got number")
    ]
    assert result.meta["line_kinds"] == {"stream": 2}


def test_flattened_posts_take_their_author_and_reposted_text_from_inside():
    post = {
        "id": "2",
        "text": "RT @someone: cut…",
        "author_id": "10",
        "author": {"id": "10", "username": "flat_author"},
        "referenced_tweets": [{"type": "retweeted", "id": "1", "text": "the whole text", "author_id": "11"}],
        "__twarc": TWARC,
    }

    result = jsonl.parse(lines(post))

    [record] = result.posts
    assert (record.author, record.text, record.reposted_id) == ("flat_author", "the whole text", "1")
    assert result.meta["line_kinds"] == {"flattened post": 1}


def test_a_second_version_of_an_id_on_a_later_line_is_refused():
    data = lines({"id": "5", "text": "a"}, {"id": "6", "text": "x"}, {"id": "5", "text": "a, edited"})

    result = jsonl.parse(data)

    assert [post.text for post in result.posts] == ["a", "x"]
    [error] = result.errors
    assert (
        error.message
        == "id 5 appears again at line 3 with different text; the first version (line 1) was kept"
    )
    assert (error.position, error.code, error.external_id) == ("line 3", "invalid", "5")


def test_a_response_line_of_the_wrong_shape_is_an_error_for_that_line():
    result = jsonl.parse(b'{"data": "x"}\n{"meta": []}\n{"id": "1", "text": "a"}\n')

    assert [(error.position, error.message) for error in result.errors] == [
        ("line 1", "'data' is string, expected an array of posts"),
        ("line 2", "'meta' is array, expected an object"),
    ]
    assert len(result.posts) == 1


def test_a_line_over_the_limit_is_skipped_and_reported(monkeypatch):
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 100)
    long_line = json.dumps({"id": "2", "text": "x" * 300}).encode()

    result = jsonl.parse(b'{"id": "1", "text": "a"}\n' + long_line + b'\n{"id": "3", "text": "c"}\n')

    assert [post.external_id for post in result.posts] == ["1", "3"]
    [error] = result.errors
    assert error.position == "line 2"
    assert error.message == f"the line is {len(long_line) + 1:,} bytes, over the 100-byte limit of one line"
    assert error.raw.startswith('{"id": "2"')


def test_reading_a_stream_follows_the_bytes_read():
    data = lines(*({"id": str(n), "text": "a post"} for n in range(1000)))
    stream = jsonl.read(io.BytesIO(data))
    items = iter(stream)

    next(items)
    assert 0 < stream.bytes_read < len(data)
    assert sum(1 for _ in items) == 999
    assert stream.bytes_read == len(data)
    assert stream.meta["lines"] == 1000


def test_nan_is_not_json():
    result = jsonl.parse(b'{"id": "1", "text": "a", "score": NaN}\n')

    assert result.errors[0].message == "not readable JSON: NaN is not a valid JSON value"


def test_byte_order_mark_text_input_and_empty_input():
    assert jsonl.parse(b'\xef\xbb\xbf{"id": "1", "text": "a"}').posts[0].external_id == "1"
    assert jsonl.parse('{"id": "1", "text": "é"}').posts[0].text == "é"
    assert jsonl.parse(b"").posts == []
    assert jsonl.parse(b"\n\n  \n").errors == []
