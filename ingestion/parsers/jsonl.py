"""JSON Lines files, read line by line as they stream: X posts, X responses and stream messages.

Each line is read for what it is, so kinds may mix in one file (a twarc2 capture mixes response
pages and error lines):

- an X post object: JSON Lines of posts, or twarc2's flattened form (``twarc2 flatten``), where the
  author (``author.username``) and the referenced posts sit inside each post;
- a whole X API v2 response: twarc2's own output, one response page per line with its ``__twarc``
  key; its posts take their authors and reposted texts from the ``includes`` of the same line;
- a filtered-stream message: a response with one post in ``data`` and its ``matching_rules``;
- an error line, ``{"errors": [...]}``: each error becomes a ``RecordError`` (API_ERROR).

Ids are remembered across the whole file, so a post repeated on a later page is a harmless
duplicate and a second version of an id is reported, whatever the lines' kinds.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from . import x_api_v2
from .records import (
    Item,
    ParseResult,
    ParseStream,
    RecordError,
    SeenIds,
    bytes_for_error,
    reject_json_constant,
    type_name,
)

FORMAT = "jsonl"
# One line is one post or one response page: a page of 500 long posts with its includes stays under
# 8 MB. A longer line is not X data, and decoding it would cost ten times its size in memory.
MAX_LINE_BYTES = 16 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1024 * 1024
# What line_kind calls a line holding one post object (the others hold a whole X response).
POST_KINDS = ("post", "flattened post")


@dataclass(frozen=True)
class Overlong:
    """A line over MAX_LINE_BYTES, skipped: its size and its first bytes, for the error."""

    size: int
    head: bytes


def parse(data: bytes | str) -> ParseResult:
    """Read JSON Lines held in memory; each bad line becomes a ``RecordError`` ("line N")."""
    if isinstance(data, str):
        # surrogatepass keeps lone surrogates as bytes, so they are reported as invalid UTF-8.
        data = data.encode("utf-8", "surrogatepass")
    return read(io.BytesIO(bytes(data))).collect()


def read(fileobj: BinaryIO) -> ParseStream:
    """Read JSON Lines from a binary file as it streams, holding one line at a time."""
    meta: dict[str, Any] = {"format": FORMAT, "lines": 0}
    return ParseStream(read_lines(split_lines(fileobj), meta=meta), meta=meta, bytes_read=fileobj.tell)


def split_lines(fileobj: BinaryIO) -> Iterator[bytes | Overlong]:
    """The file's lines, split on ``\\n`` only, each at most MAX_LINE_BYTES (longer ones skipped).

    Only ``\\n``: JSON text may legally contain U+2028 and similar characters that
    ``str.splitlines`` would also split on.
    """
    while True:
        line = fileobj.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        head, size = line[:200], len(line)
        while not line.endswith(b"\n"):
            line = fileobj.readline(_SKIP_CHUNK)
            if not line:
                break
            size += len(line)
        yield Overlong(size=size, head=head)


def read_lines(lines: Iterable[bytes | Overlong], *, meta: dict[str, Any]) -> Iterator[Item]:
    """The records of each line in turn; ``meta`` counts the lines and their kinds as it goes.

    Blank lines are skipped but counted in line numbers, so positions match an editor's.
    """
    seen = SeenIds(position_of=lambda number: f"line {number}")
    kinds: dict[str, int] = meta.setdefault("line_kinds", {})
    for number, line in enumerate(lines, start=1):
        position = f"line {number}"
        if isinstance(line, Overlong):
            meta["lines"] = meta.get("lines", 0) + 1
            message = f"the line is {line.size:,} bytes, over the {MAX_LINE_BYTES:,}-byte limit of one line"
            yield RecordError(
                position=position, external_id=None, message=message, raw=bytes_for_error(line.head)
            )
            continue
        if number == 1:
            line = line.removeprefix(_UTF8_BOM)
        line = line.removesuffix(b"\n").removesuffix(b"\r")
        if not line.strip():
            continue
        meta["lines"] = meta.get("lines", 0) + 1
        item = _decode_line(line, position)
        if isinstance(item, RecordError):
            yield item
            continue
        kind = line_kind(item)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind in POST_KINDS:
            yield x_api_v2.read_post(item, position=position, users={}, tweets={}, seen=seen, ordinal=number)
            continue
        problem = x_api_v2.document_problem(item)
        if problem:
            yield RecordError(position=position, external_id=None, message=problem, raw=bytes_for_error(line))
            continue
        yield from x_api_v2.read_document(item, seen=seen, line=number)


def line_kind(item: dict[str, Any]) -> str:
    """What one decoded line is: "post", "flattened post", "response", "stream" or "errors"."""
    if "id" in item or not x_api_v2.DOCUMENT_KEYS & item.keys():
        return "flattened post" if isinstance(item.get("author"), dict) else "post"
    if "matching_rules" in item:
        return "stream"
    if "data" not in item and "errors" in item:
        return "errors"
    return "response"


def _decode_line(line: bytes, position: str) -> dict[str, Any] | RecordError:
    """The line's JSON object, or a ``RecordError`` saying why it has none."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"invalid UTF-8 at byte {exc.start} of the line: {line[exc.start : exc.start + 4]!r}"
    else:
        try:
            item = json.loads(text, parse_constant=reject_json_constant)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg} at column {exc.colno}"
        except RecursionError:
            message = "not readable JSON: nested too deeply"
        except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
            message = f"not readable JSON: {exc}"
        else:
            if isinstance(item, dict):
                return item
            message = f"expected a JSON object per line (a post or an X API response), got {type_name(item)}"
    return RecordError(position=position, external_id=None, message=message, raw=bytes_for_error(line))
