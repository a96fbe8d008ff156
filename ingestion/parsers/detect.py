"""Pick the parser for an uploaded or imported file by looking at its first bytes.

``read_stream`` reads a file as it streams (JSON Lines of any size in flat memory); ``parse_file``
reads bytes already in memory into one ``ParseResult``. Both detect the format from the content:

- one JSON object per line: JSON Lines, each line read for what it is (an X post, twarc2's
  flattened post, a whole X response as twarc2 writes them, a filtered-stream message or error
  line; see ``jsonl``); a file holding one post on one line is JSON Lines too;
- a JSON object over several lines, or one line holding one X response: an X API v2 response
  (a pretty-printed post object is read as one post);
- a JSON array: a list of X post objects;
- ``<?xml``, ``<rss``, ``<feed`` or a feed's DOCTYPE: an RSS or Atom feed.

A feed, an array or a multi-line object is one document, read whole (at most
MAX_DOCUMENT_BYTES); only JSON Lines can be of any size.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from itertools import chain
from typing import Any, BinaryIO

from . import jsonl, rss, x_api_v2
from .records import ParseError, ParseResult, ParseStream, RecordError, SeenIds

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "utf-32-le",
    b"\x00\x00\xfe\xff": "utf-32-be",
    b"\xff\xfe": "utf-16-le",
    b"\xfe\xff": "utf-16-be",
}
_FEED_STARTS = ("<?xml", "<rss", "<feed", "<rdf:rdf", "<!--")
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")
# Publishers often start a feed with a DOCTYPE naming its root (Netscape's RSS 0.91 DTD, CMS templates),
# and some templates even give an RSS document an XHTML DOCTYPE; the root element decides.
_FEED_DOCTYPE = re.compile(r"<!doctype\s+(?:rss|feed|rdf:rdf)[\s>\[]", re.IGNORECASE)
_HTML_DOCTYPE = re.compile(r"<!doctype\s+html[\s>]", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!doctype\b[^\[>]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
# The XML declaration, processing instructions, comments and blanks that may come before a DOCTYPE.
_PROLOG = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_PROLOG_BYTES = 4096
_EXPECTED = "expected an X API v2 JSON response, a JSON array of posts, JSON Lines or an RSS/Atom feed"
_SNIFF_BYTES = 64
# A single JSON document or feed is read whole: an X response page is a few MB. Beyond this size a
# document would take gigabytes once decoded; JSON Lines are read as they stream instead.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Lines looked at to tell JSON Lines with a broken first line from a pretty-printed document.
_LINES_TO_SNIFF = 20
_SNIFF_LINES_BYTES = 1024 * 1024
_MAX_LEADING_BLANKS = 1024 * 1024
_READ_CHUNK = 1024 * 1024


def parse_file(data: bytes, *, name: str = "<input>") -> ParseResult:
    """Read a file held in memory whose format is not known in advance (see the module docstring).

    Every ``ParseError`` message names the file. ``result.meta`` gets ``format`` (which parser
    read it) and ``name``.
    """
    return read_stream(io.BytesIO(bytes(data)), name=name).collect()


def read_stream(fileobj: BinaryIO, *, name: str = "<input>") -> ParseStream:
    """Start reading a binary file whose format is not known in advance, as it streams.

    Detection reads only the file's first lines; JSON Lines are then read a line at a time as the
    stream is iterated, a single document is read whole here. Raises ``ParseError`` (naming the file)
    when the file as a whole cannot be read; once a stream is returned, a bad record is a
    ``RecordError`` in it. ``stream.meta`` gets ``format`` and ``name``; ``stream.bytes_read`` follows
    the reading, for a progress bar.
    """
    reader = _Reader(fileobj)
    try:
        stream = _dispatch(reader)
    except ParseError as exc:
        raise ParseError(f"{name}: {exc}") from exc
    stream.meta["name"] = name
    return stream


class _Reader:
    """A binary file read once, front to back, whose first bytes can be looked at before it is read."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._buffer = b""  # looked at, not yet read
        self.consumed = 0

    def peek(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = self._raw.read(size - len(self._buffer))
            if not chunk:
                break
            self._buffer += chunk
        return self._buffer[:size]

    def readline(self, limit: int = -1) -> bytes:
        if not self._buffer:
            line = self._raw.readline(limit)
        else:
            end = self._buffer.find(b"\n", 0, limit if limit >= 0 else None)
            if end >= 0:
                line, self._buffer = self._buffer[: end + 1], self._buffer[end + 1 :]
            elif 0 <= limit <= len(self._buffer):
                line, self._buffer = self._buffer[:limit], self._buffer[limit:]
            else:
                rest = limit - len(self._buffer) if limit >= 0 else -1
                line, self._buffer = self._buffer + self._raw.readline(rest), b""
        self.consumed += len(line)
        return line

    def read_document(self, start: bytes = b"") -> bytes:
        """``start`` (bytes already read) and the rest of the file, refused over MAX_DOCUMENT_BYTES."""
        chunks, size = [start, self._buffer], len(start) + len(self._buffer)
        self.consumed += len(self._buffer)
        self._buffer = b""
        while size <= MAX_DOCUMENT_BYTES:
            chunk = self._raw.read(_READ_CHUNK)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            self.consumed += len(chunk)
        raise ParseError(
            f"one document of over {MAX_DOCUMENT_BYTES // 2**20} MB; only JSON Lines (one post or X "
            "response per line) are read as they stream, a single JSON document or feed must be smaller"
        )

    def tell(self) -> int:
        return self.consumed


def _dispatch(reader: _Reader) -> ParseStream:
    start = reader.peek(_PROLOG_BYTES)
    while start and not start.removeprefix(_UTF8_BOM).strip() and len(start) < _MAX_LEADING_BLANKS:
        longer = reader.peek(len(start) * 2)
        if len(longer) == len(start):
            break
        start = longer
    head = _head(start)
    if not head:
        if len(start) >= _MAX_LEADING_BLANKS:
            raise ParseError(f"unrecognised format: starts with over {len(start):,} blank bytes; {_EXPECTED}")
        raise ParseError("empty file")

    if head.startswith("<"):
        markup = _after_prolog(start)
        doctype = _DOCTYPE.match(markup)
        root = _skip_prolog(markup[doctype.end() :]) if doctype else markup
        if _HTML_DOCTYPE.match(markup) and not root.lower().startswith(_FEED_ROOTS):
            raise ParseError(
                f"starts with {_shown(markup)}: an HTML page, not an RSS or Atom feed; {_EXPECTED}"
            )
        if not (
            head.lower().startswith(_FEED_STARTS)
            or _FEED_DOCTYPE.match(markup)
            or root.lower().startswith(_FEED_ROOTS)
        ):
            raise ParseError(f"starts with {_shown(head)}, which is not an RSS or Atom feed; {_EXPECTED}")
        return _whole(reader, rss.parse(reader.read_document()))

    if head.startswith(("{", "[")) and start.startswith(tuple(_OTHER_BOMS)):
        # RFC 8259: JSON exchanged between systems must be UTF-8; say so rather than guess.
        raise ParseError("JSON must be UTF-8, but the file starts with a UTF-16/UTF-32 byte order mark")

    if head.startswith("["):
        document = x_api_v2.load_json_document(reader.read_document())
        if not isinstance(document, list):  # pragma: no cover - a document starting with [ is an array
            raise ParseError(f"expected a JSON array, got {type(document).__name__}")
        return _whole(reader, x_api_v2.parse_post_array(document))

    if head.startswith("{"):
        return _json_objects(reader)

    raise ParseError(f"unrecognised format: starts with {_shown(head)}; {_EXPECTED}")


def _whole(reader: _Reader, result: ParseResult) -> ParseStream:
    return ParseStream.of(result, size=reader.consumed)


def _head(data: bytes) -> str:
    """The first non-blank characters of the file, decoded for sniffing only."""
    for bom, encoding in _OTHER_BOMS.items():
        if data.startswith(bom):
            return data[len(bom) : len(bom) + _SNIFF_BYTES * 4].decode(encoding, "replace").lstrip()
    sample = data.removeprefix(_UTF8_BOM).lstrip()[:_SNIFF_BYTES]
    return sample.decode("utf-8", "replace")


def _after_prolog(data: bytes) -> str:
    """The document from its first DOCTYPE or element on, decoded for sniffing only."""
    encoding = next((name for bom, name in _OTHER_BOMS.items() if data.startswith(bom)), "utf-8")
    return _skip_prolog(data[:_PROLOG_BYTES].decode(encoding, "replace").removeprefix("\ufeff"))


def _skip_prolog(text: str) -> str:
    return text[_PROLOG.match(text).end() :]


def _shown(head: str) -> str:
    shown = head.split("\n", 1)[0][:40]
    return repr(shown)


def _json_objects(reader: _Reader) -> ParseStream:
    """A file starting with ``{``: JSON Lines (of any kind), an X response or one post object."""
    lines = jsonl.split_lines(reader)
    read: list[bytes | jsonl.Overlong] = []  # the lines looked at, handed on to the JSON Lines reader
    first = _next_filled(lines, read)
    if not isinstance(first, bytes):  # a first line over the limit: no document is that size
        return _json_lines(reader, chain(read, lines))
    value = _json_object(first)
    if value is not None:
        # A whole object on the first line: JSON Lines, unless that line is the file's only content
        # and an X response (as the API sends it).
        alone = _next_filled(lines, read) is None
        if alone and jsonl.line_kind(value) not in jsonl.POST_KINDS:
            # Decoded again, strictly: sniffing forgave invalid UTF-8, a document is refused for it.
            return _whole(reader, x_api_v2.parse(b"".join(line for line in read if isinstance(line, bytes))))
        return _json_lines(reader, chain(read, lines))
    # A pretty-printed document, or JSON Lines whose first line is broken: then most of the lines
    # that follow are whole objects (in a document, an object on one line ends with a comma).
    later: list[bytes] = []
    size = len(first)
    while len(later) < _LINES_TO_SNIFF - 1 and size < _SNIFF_LINES_BYTES:
        line = _next_filled(lines, read)
        if not isinstance(line, bytes):
            if line is not None:  # a line over the limit: not a document's
                return _json_lines(reader, chain(read, lines))
            break
        later.append(line)
        size += len(line)
    if later and sum(_json_object(line) is not None for line in later) * 2 > len(later):
        return _json_lines(reader, chain(read, lines))
    return _document(reader, b"".join(line for line in read if isinstance(line, bytes)))


def _document(reader: _Reader, start: bytes) -> ParseStream:
    document = x_api_v2.load_json_document(reader.read_document(start))
    if isinstance(document, dict) and not x_api_v2.DOCUMENT_KEYS & document.keys() and "id" in document:
        # One pretty-printed post object.
        result = ParseResult(meta={"format": "json_post"})
        record = x_api_v2.read_post(
            document, position="the object", users={}, tweets={}, seen=SeenIds(), ordinal=0
        )
        (result.errors if isinstance(record, RecordError) else result.posts).append(record)
        return _whole(reader, result)
    return _whole(reader, x_api_v2.parse(document))


def _json_lines(reader: _Reader, lines: Iterator[bytes | jsonl.Overlong]) -> ParseStream:
    meta: dict[str, Any] = {"format": jsonl.FORMAT, "lines": 0}
    return ParseStream(jsonl.read_lines(lines, meta=meta), meta=meta, bytes_read=reader.tell)


def _next_filled(lines: Iterator[bytes | jsonl.Overlong], read: list) -> bytes | jsonl.Overlong | None:
    """The next non-blank line (appended to ``read`` with the blank ones before it), or None at the end."""
    for line in lines:
        read.append(line)
        if isinstance(line, jsonl.Overlong) or line.removeprefix(_UTF8_BOM).strip():
            return line
    return None


def _json_object(line: bytes) -> dict | None:
    try:
        value = json.loads(line.removeprefix(_UTF8_BOM).decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
