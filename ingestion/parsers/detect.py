"""Pick the parser for an uploaded or imported file by looking at its first bytes."""

from __future__ import annotations

import json
import re

from . import jsonl, rss, x_api_v2
from .records import DuplicateTracker, ParseError, ParseResult

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


def parse_file(data: bytes, *, name: str = "<input>") -> ParseResult:
    """Read a file whose format is not known in advance; every ``ParseError`` message names it.

    - a JSON object with ``data``, ``meta`` or ``errors`` keys: an X API v2 response;
    - a JSON array: a list of X post objects;
    - one JSON object per line: JSON Lines of X post objects (so is a file holding one post);
    - ``<?xml``, ``<rss``, ``<feed``: an RSS or Atom feed.
    ``result.meta`` gets ``format`` (which parser read it) and ``name``.
    """
    try:
        result = _dispatch(bytes(data))
    except ParseError as exc:
        raise ParseError(f"{name}: {exc}") from exc
    result.meta["name"] = name
    return result


def _dispatch(data: bytes) -> ParseResult:
    head = _head(data)
    if not head:
        raise ParseError("empty file")

    if head.startswith("<"):
        markup = _after_prolog(data)
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
        return rss.parse(data)

    if head.startswith(("{", "[")) and data.startswith(tuple(_OTHER_BOMS)):
        # RFC 8259: JSON exchanged between systems must be UTF-8; say so rather than guess.
        raise ParseError("JSON must be UTF-8, but the file starts with a UTF-16/UTF-32 byte order mark")

    if head.startswith("["):
        document = x_api_v2.load_json_document(data)
        if not isinstance(document, list):  # pragma: no cover - a document starting with [ is an array
            raise ParseError(f"expected a JSON array, got {type(document).__name__}")
        return x_api_v2.parse_post_array(document)

    if head.startswith("{"):
        return _parse_json_objects(data)

    raise ParseError(f"unrecognised format: starts with {_shown(head)}; {_EXPECTED}")


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


def _parse_json_objects(data: bytes) -> ParseResult:
    """A file starting with ``{``: an X response (often pretty-printed), one post, or JSON Lines."""
    lines = _first_lines(data, 20)
    first = _json_object(lines[0]) if lines else None
    # The first line is a whole object, so this is JSON Lines, unless that line is the file's only
    # content and an X response document.
    if first is not None and (len(lines) > 1 or not x_api_v2.DOCUMENT_KEYS & first.keys()):
        return jsonl.parse(data)
    try:
        document = x_api_v2.load_json_document(data)
    except ParseError:
        # JSON Lines whose first line is broken: report that line, keep the others, as long as
        # most of the following lines are whole objects (a broken pretty-printed file has few).
        later = lines[1:]
        if later and sum(_json_object(line) is not None for line in later) * 2 > len(later):
            return jsonl.parse(data)
        raise
    if isinstance(document, dict) and not x_api_v2.DOCUMENT_KEYS & document.keys() and "id" in document:
        # One pretty-printed post object.
        result = ParseResult(meta={"format": "json_post"})
        x_api_v2.add_post(document, result, position="the object", users={}, duplicates=DuplicateTracker())
        return result
    return x_api_v2.parse(document)


def _first_lines(data: bytes, limit: int) -> list[bytes]:
    """Up to ``limit`` non-blank lines from the start of ``data`` (without reading the whole file)."""
    lines: list[bytes] = []
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while start < len(data) and len(lines) < limit:
        end = data.find(b"\n", start)
        if end == -1:
            end = len(data)
        line = data[start:end]
        if line.strip():
            lines.append(line)
        start = end + 1
    return lines


def _json_object(line: bytes) -> dict | None:
    try:
        value = json.loads(line.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
