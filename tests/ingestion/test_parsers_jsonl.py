"""JSON Lines parser: one X post object per line; a bad line is reported, the rest kept."""

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
    assert result.meta == {"format": "jsonl", "lines": 3}


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
        "expected one post object per line, got array",
        "expected one post object per line, got string",
    ]
    assert len(result.posts) == 1


def test_record_problems_are_reported_with_their_line_number():
    result = jsonl.parse(b'{"id": "1", "text": "ok"}\n{"text": "no id"}\n{"id": "3", "text": 5}\n')

    assert [(error.position, error.message) for error in result.errors] == [
        ("line 2", "missing id"),
        ("line 3", "text must be a string, got number"),
    ]


def test_duplicate_id_names_the_first_line():
    result = jsonl.parse(b'{"id": "1", "text": "a"}\n\n{"id": "1", "text": "b"}\n')

    assert result.errors[0].position == "line 3"
    assert "duplicate id 1 also at line 1" in result.errors[0].message
    assert result.errors[0].code == "duplicate"


def test_a_whole_x_response_on_one_line_gets_a_clear_message():
    result = jsonl.parse(b'{"data": [{"id": "1", "text": "a"}], "meta": {}}\n{"id": "2", "text": "b"}\n')

    assert result.errors[0].message.startswith("this line is a whole X API response, not a post object")
    assert [post.external_id for post in result.posts] == ["2"]


def test_nan_is_not_json():
    result = jsonl.parse(b'{"id": "1", "text": "a", "score": NaN}\n')

    assert result.errors[0].message == "not readable JSON: NaN is not a valid JSON value"


def test_byte_order_mark_text_input_and_empty_input():
    assert jsonl.parse(b'\xef\xbb\xbf{"id": "1", "text": "a"}').posts[0].external_id == "1"
    assert jsonl.parse('{"id": "1", "text": "é"}').posts[0].text == "é"
    assert jsonl.parse(b"").posts == []
    assert jsonl.parse(b"\n\n  \n").errors == []
