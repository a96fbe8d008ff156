"""JSON Lines files: one X post object per line (the same field rules as the X API parser)."""

from __future__ import annotations

import json

from . import x_api_v2
from .records import (
    DuplicateTracker,
    ParseResult,
    RecordError,
    bytes_for_error,
    reject_json_constant,
    type_name,
)

FORMAT = "jsonl"
_UTF8_BOM = b"\xef\xbb\xbf"


def parse(data: bytes | str) -> ParseResult:
    """Read JSON Lines of X post objects; each bad line becomes a ``RecordError`` ("line N").

    Blank lines are skipped. Lines are split on ``\\n`` only: JSON text may legally contain
    U+2028 and similar characters that ``str.splitlines`` would also split on.
    """
    if isinstance(data, str):
        # surrogatepass keeps lone surrogates as bytes, so they are reported as invalid UTF-8.
        data = data.encode("utf-8", "surrogatepass")
    data = bytes(data).removeprefix(_UTF8_BOM)
    result = ParseResult(meta={"format": FORMAT})
    duplicates = DuplicateTracker()
    lines = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if not line.strip():
            continue
        lines += 1
        position = f"line {number}"
        item = _decode_line(line, position, result)
        if item is None:
            continue
        x_api_v2.add_post(item, result, position=position, users={}, duplicates=duplicates)
    result.meta["lines"] = lines
    return result


def _decode_line(line: bytes, position: str, result: ParseResult) -> dict | None:
    """The line's JSON object, or None after recording a ``RecordError`` for it."""
    message: str | None = None
    item = None
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
            if not isinstance(item, dict):
                message = f"expected one post object per line, got {type_name(item)}"
            elif "id" not in item and x_api_v2.DOCUMENT_KEYS & item.keys():
                message = "this line is a whole X API response, not a post object (one post per line)"
    if message is not None:
        result.errors.append(
            RecordError(position=position, external_id=None, message=message, raw=bytes_for_error(line))
        )
        return None
    return item
