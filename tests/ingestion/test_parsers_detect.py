"""Format detection for imported files, and the clear errors it gives for anything else."""

import io
import json
import re
from pathlib import Path

import pytest

from ingestion.parsers import ParseError, detect, parse_file
from ingestion.parsers.detect import read_stream
from tests.ingestion.seed_entries import DEV_DATA

DATA = Path(__file__).resolve().parents[1] / "data" / "ingestion"
POSTS_DEV = DEV_DATA / "posts_dev.json"


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


class Trickle(io.RawIOBase):
    """A pipe-like file: every read gives at most a few bytes, as a socket or a slow disk may."""

    def __init__(self, data: bytes, step: int = 7) -> None:
        self._data, self._step, self._at = data, step, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data[self._at : self._at + min(self._step, len(buffer))]
        buffer[: len(chunk)] = chunk
        self._at += len(chunk)
        return len(chunk)


def test_a_stream_read_in_small_pieces_gives_what_the_bytes_give():
    data = b"\xef\xbb\xbf" + b"".join(
        json.dumps({"id": str(n), "text": f"post {n}"}).encode() + b"\n" for n in range(50)
    )

    stream = read_stream(Trickle(data), name="pipe")

    assert stream.meta["format"] == "jsonl"
    assert [post.external_id for post in stream] == [str(n) for n in range(50)]
    assert stream.bytes_read == len(data)
    assert stream.meta == {"format": "jsonl", "lines": 50, "line_kinds": {"post": 50}, "name": "pipe"}


def test_json_lines_are_read_a_line_at_a_time_not_at_detection():
    data = b"".join(json.dumps({"id": str(n), "text": "x" * 1000}).encode() + b"\n" for n in range(1000))
    source = io.BytesIO(data)

    stream = read_stream(source)

    assert source.tell() < 10_000  # detection looked at the first lines only
    next(iter(stream))
    assert stream.bytes_read < 10_000


@pytest.mark.parametrize(
    "document",
    [
        {"data": [{"id": "1", "text": "a"}], "meta": {"result_count": 1}, "__twarc": {"version": "2.0.10"}},
        {"data": {"id": "1", "text": "a"}, "matching_rules": [{"id": "7", "tag": None}]},
    ],
)
def test_a_one_line_twarc2_capture_is_read_as_the_response_it_holds(document):
    result = parse_file(json.dumps(document).encode() + b"\n")

    assert result.meta["format"] == "x_api_v2"
    assert [post.external_id for post in result.posts] == ["1"]


def test_a_twarc2_capture_of_several_pages_is_json_lines():
    page = {"data": [{"id": "1", "text": "a"}], "meta": {"result_count": 1}, "__twarc": {"version": "2.0.10"}}
    other = {**page, "data": [{"id": "2", "text": "b"}]}

    result = parse_file(json.dumps(page).encode() + b"\n" + json.dumps(other).encode())

    assert result.meta["format"] == "jsonl"
    assert result.meta["line_kinds"] == {"response": 2}
    assert [post.external_id for post in result.posts] == ["1", "2"]


def test_a_pretty_printed_document_with_a_post_per_line_is_still_one_document():
    data = b'{"data": [\n{"id": "1", "text": "a"},\n{"id": "2", "text": "b"},\n{"id": "3", "text": "c"}\n]}\n'

    result = parse_file(data)

    assert result.meta["format"] == "x_api_v2"
    assert len(result.posts) == 3


def test_a_single_document_over_the_limit_is_refused_with_a_pointer_to_json_lines(monkeypatch):
    monkeypatch.setattr(detect, "MAX_DOCUMENT_BYTES", 1000)
    data = json.dumps({"data": [{"id": str(n), "text": "a"} for n in range(100)]}, indent=2).encode()

    with pytest.raises(ParseError, match=r"big\.json: one document of over 0 MB; only JSON Lines"):
        parse_file(data, name="big.json")


def test_a_json_lines_file_of_any_size_is_not_held_whole(monkeypatch):
    monkeypatch.setattr(detect, "MAX_DOCUMENT_BYTES", 1000)
    data = b"".join(json.dumps({"id": str(n), "text": "a"}).encode() + b"\n" for n in range(100))

    assert len(parse_file(data).posts) == 100


def test_a_file_of_blank_lines_then_json_lines_is_read():
    result = parse_file(b"\n" * 10_000 + b'{"id": "1", "text": "a"}\n{"id": "2", "text": "b"}\n')

    assert [(post.external_id) for post in result.posts] == ["1", "2"]
    assert result.meta["lines"] == 2
