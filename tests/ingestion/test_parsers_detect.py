"""Format detection for imported files, and the clear errors it gives for anything else."""

import json
import re
from pathlib import Path

import pytest

from ingestion.parsers import ParseError, parse_file

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"
POSTS_DEV = Path("/work/shared/data/posts_dev.json")


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "expected_format", "posts"),
    [
        ("x_timeline_page1.json", "x_api_v2", 2),
        ("x_search_empty.json", "x_api_v2", 0),
        ("x_partial_errors.json", "x_api_v2", 1),
        ("x_bad_records.json", "x_api_v2", 3),
        ("posts.jsonl", "jsonl", 3),
        ("posts_mixed.jsonl", "jsonl", 4),
        ("feed_rss20.xml", "rss20", 2),
        ("feed_atom.xml", "atom10", 2),
        ("feed_broken.xml", "rss20", 1),
    ],
)
def test_sample_files_go_to_the_right_parser(name, expected_format, posts):
    result = parse_file(load(name), name=name)

    assert result.meta["format"] == expected_format
    assert result.meta["name"] == name
    assert len(result.posts) == posts


def test_posts_dev_is_detected_as_an_x_response():
    if not POSTS_DEV.exists():
        pytest.skip("shared posts_dev.json is not available")

    result = parse_file(POSTS_DEV.read_bytes(), name="posts_dev.json")

    assert result.meta["format"] == "x_api_v2"
    assert len(result.posts) == 24
    assert [error.position for error in result.errors] == ["data[24]"]


def test_json_array_is_a_list_of_post_objects():
    data = json.dumps([{"id": "1", "text": "a"}, {"text": "no id"}, {"id": "3", "text": "c"}]).encode()

    result = parse_file(data, name="export.json")

    assert result.meta["format"] == "json_array"
    assert [post.external_id for post in result.posts] == ["1", "3"]
    assert [(error.position, error.message) for error in result.errors] == [("[1]", "missing id")]


def test_one_line_x_response_is_a_response_not_json_lines():
    data = json.dumps({"data": [{"id": "1", "text": "a"}], "meta": {"result_count": 1}}).encode()

    assert parse_file(data).meta["format"] == "x_api_v2"


def test_one_post_on_one_line_is_json_lines():
    assert parse_file(b'{"id": "1", "text": "a"}\n').meta["format"] == "jsonl"


def test_pretty_printed_single_post_is_read_as_one_post():
    data = json.dumps({"id": "1", "text": "a"}, indent=2).encode()

    result = parse_file(data)

    assert result.meta["format"] == "json_post"
    assert [post.external_id for post in result.posts] == ["1"]


def test_json_lines_with_a_broken_first_line_reports_that_line_and_keeps_the_rest():
    data = b'{"id": "1", "text": \n{"id": "2", "text": "b"}\n{"id": "3", "text": "c"}\n'

    result = parse_file(data, name="dump.jsonl")

    assert result.meta["format"] == "jsonl"
    assert [post.external_id for post in result.posts] == ["2", "3"]
    assert result.errors[0].position == "line 1"


def test_byte_order_mark_and_leading_whitespace_are_skipped():
    result = parse_file(b"\xef\xbb\xbf\n  " + load("x_timeline_page1.json"))

    assert result.meta["format"] == "x_api_v2"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "upload.bin: empty file"),
        (b"  \n\t", "upload.bin: empty file"),
        (
            b"id,text\n1,hello\n",
            "upload.bin: unrecognised format: starts with 'id,text'; expected an X API v2",
        ),
        (b"\x00\x01\x02binary", "upload.bin: unrecognised format: starts with '\\x00\\x01\\x02binary'"),
        (
            b"<html><body>hi</body></html>",
            "upload.bin: starts with '<html><body>hi</body></html>', which is not",
        ),
        ('{"data": []}'.encode("utf-16"), "upload.bin: JSON must be UTF-8"),
        (b'{"foo": 1,\n "bar": 2}', "upload.bin: not an X API v2 response: the object has none of the keys"),
        (b'{"data": [\n', "upload.bin: not valid JSON: Expecting value at line 2 column 1"),
        (b"[1, 2", "upload.bin: not valid JSON"),
    ],
)
def test_unreadable_files_raise_parse_error_naming_the_file_and_what_was_seen(data, expected):
    with pytest.raises(ParseError, match=re.escape(expected)):
        parse_file(data, name="upload.bin")


def test_html_page_with_xml_declaration_is_refused_by_the_feed_parser():
    with pytest.raises(ParseError, match=r"page\.xml: not an RSS or Atom feed"):
        parse_file(b'<?xml version="1.0"?><html><body>x</body></html>', name="page.xml")


def test_invalid_utf8_in_a_whole_x_document_names_the_file_and_byte():
    with pytest.raises(ParseError, match=r"^x_invalid_utf8\.json: invalid UTF-8 at byte 52 \(line 1\)"):
        parse_file(load("x_invalid_utf8.json"), name="x_invalid_utf8.json")


def test_invalid_utf8_in_a_pretty_printed_x_document_names_the_byte_and_line():
    data = load("x_timeline_page1.json").replace(b"Solino", b"Sol\xefno")

    with pytest.raises(ParseError, match=r"invalid UTF-8 at byte \d+ \(line 5\)"):
        parse_file(data, name="page.json")


def test_random_bytes_file_is_refused():
    with pytest.raises(ParseError, match=r"random\.bin: unrecognised format"):
        parse_file(load("random.bin"), name="random.bin")


def test_utf16_feed_is_still_read():
    feed = (
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel>'
        "<item><guid>1</guid><title>Hé</title></item></channel></rss>"
    )

    result = parse_file(feed.encode("utf-16"), name="feed.xml")

    assert result.posts[0].text == "Hé"
