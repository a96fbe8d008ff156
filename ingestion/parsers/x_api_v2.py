"""X API v2 responses (user timeline, recent search) and X post objects, as plain records.

The response shape is documented in TECHNOTES section 6: ``data`` (absent when there are no
posts), ``includes.users`` (authors, when ``expansions=author_id``), ``meta`` and ``errors``
(partial errors that can come with a 200).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote as url_quote

from .records import (
    DUPLICATE,
    MAX_LANGUAGE_LENGTH,
    DuplicateTracker,
    ParseError,
    ParseResult,
    PostRecord,
    RecordError,
    RecordProblem,
    check_external_id,
    duplicate_message,
    find_unstorable,
    json_for_error,
    quote,
    reject_json_constant,
    text_size_problem,
    type_name,
)

FORMAT = "x_api_v2"
# Any of these top-level keys marks an X API v2 response document ("includes" never comes alone).
DOCUMENT_KEYS = frozenset({"data", "meta", "errors"})

# X handles are letters, digits and underscores; anything else must not be pasted into a URL path.
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,50}")
_UTF8_BOM = b"\xef\xbb\xbf"


def parse(data: bytes | str | dict[str, Any]) -> ParseResult:
    """Read one X API v2 response (user timeline or recent search) into post records.

    ``data`` may be the raw body (bytes or text) or an already decoded object. Bad posts become
    ``RecordError``s beside the good ones; the X ``meta`` is copied into ``result.meta`` and partial
    ``errors`` go to ``result.meta["api_errors"]``. Raises ``ParseError`` when the input is not JSON
    or not an X response document.
    """
    document = data if isinstance(data, dict) else load_json_document(data)
    if not isinstance(document, dict):
        raise ParseError(f"not an X API v2 response: the JSON is {type_name(document)}, expected an object")
    if not DOCUMENT_KEYS & document.keys():
        keys = ", ".join(sorted(map(str, document.keys()))[:10]) or "none"
        raise ParseError(
            f"not an X API v2 response: the object has none of the keys data, meta, errors (its keys: {keys})"
        )

    meta = document.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ParseError(f"'meta' is {type_name(meta)}, expected an object")

    items = document.get("data")
    if items is None:
        # The schema gives data minItems 1, so "no posts" is an absent key, not an empty list.
        items = []
    elif isinstance(items, dict):
        # GET /2/tweets/:id answers with a single object; accept it so one-post files load too.
        items = [items]
    elif not isinstance(items, list):
        raise ParseError(f"'data' is {type_name(items)}, expected an array of posts")

    api_errors = document.get("errors")
    for key, value in (("meta", meta), ("errors", api_errors)):
        where = find_unstorable(value)
        if where is not None:
            # The real API never sends these; a late database error would be harder to trace.
            raise ParseError(f"'{key}' holds a value that cannot be stored at {where}")

    result = ParseResult(meta={**meta, "format": FORMAT})
    if api_errors is not None:
        result.meta["api_errors"] = api_errors if isinstance(api_errors, list) else [api_errors]

    users = users_by_id(document.get("includes"))
    parse_posts(items, result, position=lambda index: f"data[{index}]", users=users)
    return result


def parse_post_array(items: list[Any]) -> ParseResult:
    """Read a bare JSON array of X post objects (an export without the response envelope)."""
    result = ParseResult(meta={"format": "json_array"})
    parse_posts(items, result, position=lambda index: f"[{index}]", users={})
    return result


def parse_posts(
    items: Iterable[Any],
    result: ParseResult,
    *,
    position: Callable[[int], str],
    users: dict[str, str],
    duplicates: DuplicateTracker | None = None,
) -> None:
    """Append a record or an error to ``result`` for each post object in ``items``."""
    duplicates = duplicates or DuplicateTracker()
    for index, item in enumerate(items):
        add_post(item, result, position=position(index), users=users, duplicates=duplicates)


def add_post(
    item: Any,
    result: ParseResult,
    *,
    position: str,
    users: dict[str, str],
    duplicates: DuplicateTracker,
) -> None:
    """Read one post object into ``result``: a ``PostRecord``, or a ``RecordError`` saying why not."""
    try:
        record = parse_post(item, users=users)
    except RecordProblem as problem:
        result.errors.append(
            RecordError(
                position=position,
                external_id=problem.external_id,
                message=problem.message,
                raw=json_for_error(item),
            )
        )
        return
    first = duplicates.check(record.external_id, position)
    if first is not None:
        result.errors.append(
            RecordError(
                position=position,
                external_id=record.external_id,
                message=duplicate_message(record.external_id, first),
                raw=json_for_error(item),
                code=DUPLICATE,
            )
        )
        return
    result.posts.append(record)


def parse_post(item: Any, *, users: dict[str, str] | None = None) -> PostRecord:
    """Turn one X post object into a ``PostRecord``; raise ``RecordProblem`` naming what is wrong.

    ``users`` maps author ids to usernames (from ``includes.users``).
    """
    if not isinstance(item, dict):
        raise RecordProblem(f"expected a post object, got {type_name(item)}")
    external_id = _external_id(item)
    where = find_unstorable(item)
    if where is not None:
        raise RecordProblem(
            f"the value at {where} cannot be stored (NUL character, invalid Unicode, NaN, "
            "Infinity or a non-JSON value)",
            external_id=external_id,
        )
    try:
        text = _full_text(item)
        language = _language(item)
        published_at = _published_at(item)
    except RecordProblem as problem:
        raise RecordProblem(problem.message, external_id=external_id) from None

    username = (users or {}).get(_id_key(item.get("author_id")) or "", "")
    if username:
        url = f"https://x.com/{username}/status/{url_quote(external_id, safe='')}"
    else:
        url = f"https://x.com/i/web/status/{url_quote(external_id, safe='')}"
    return PostRecord(
        external_id=external_id,
        text=text,
        url=url,
        author=username,
        language=language,
        published_at=published_at,
        raw=item,
    )


def users_by_id(includes: Any) -> dict[str, str]:
    """Map author ids to usernames from ``includes.users``; malformed entries are skipped."""
    if not isinstance(includes, dict) or not isinstance(includes.get("users"), list):
        return {}
    users: dict[str, str] = {}
    for user in includes["users"]:
        if not isinstance(user, dict):
            continue
        user_id = _id_key(user.get("id"))
        username = user.get("username")
        if user_id and isinstance(username, str) and _USERNAME.fullmatch(username):
            users[user_id] = username
    return users


def load_json_document(data: bytes | str) -> Any:
    """Decode a whole JSON document strictly; raise ``ParseError`` naming the problem and position."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        offset = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
        try:
            text = raw[offset:].decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = offset + exc.start
            line = raw.count(b"\n", 0, byte) + 1
            bad = raw[byte : byte + 4]
            raise ParseError(f"invalid UTF-8 at byte {byte} (line {line}): {bad!r}") from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise ParseError(f"expected bytes, text or a decoded object, got {type(data).__name__}")
    if not text.strip():
        raise ParseError("empty input: no JSON document")
    try:
        return json.loads(text, parse_constant=reject_json_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno} (character {exc.pos})"
        ) from None
    except RecursionError:
        raise ParseError("not readable JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise ParseError(f"not readable JSON: {exc}") from None


def _id_key(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    return None


def _external_id(item: dict[str, Any]) -> str:
    if item.get("id") is None:
        raise RecordProblem("missing id")
    value = item["id"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RecordProblem(f"id must be a string or an integer, got {type_name(value)} {quote(value)}")
    external_id = str(value)
    check_external_id(external_id)
    return external_id


def _full_text(item: dict[str, Any]) -> str:
    # text is cut at 280 characters for long posts; note_tweet.text carries the whole post.
    note = item.get("note_tweet")
    if note is not None:
        if not isinstance(note, dict):
            raise RecordProblem(f"note_tweet must be an object, got {type_name(note)}")
        text = note.get("text")
        what = "note_tweet.text"
    else:
        text = item.get("text")
        what = "text"
    if text is None:
        raise RecordProblem(f"missing {what}")
    if not isinstance(text, str):
        raise RecordProblem(f"{what} must be a string, got {type_name(text)}")
    if not text.strip():
        raise RecordProblem(f"{what} is empty")
    problem = text_size_problem(text, what)
    if problem:
        raise RecordProblem(problem)
    return unescape_x_text(text)


def unescape_x_text(text: str) -> str:
    """Undo the HTML escaping X applies to post text (``&amp;``, ``&lt;``, ``&gt;`` only).

    Only these three: a full ``html.unescape`` would also rewrite things like ``&para=`` inside
    URLs. ``&amp;`` goes last so that ``&amp;lt;`` (a literal "&lt;" in the post) stays "&lt;".
    """
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _language(item: dict[str, Any]) -> str:
    lang = item.get("lang")
    if lang is None:
        return ""
    if not isinstance(lang, str):
        raise RecordProblem(f"lang must be a string, got {type_name(lang)}")
    if len(lang) > MAX_LANGUAGE_LENGTH:
        raise RecordProblem(f"lang {quote(lang)} is not a language code")
    return lang


def _published_at(item: dict[str, Any]) -> datetime | None:
    created = item.get("created_at")
    if created is None:
        return None
    if not isinstance(created, str):
        raise RecordProblem(f"created_at must be a string, got {type_name(created)}")
    return parse_timestamp(created, "created_at")


def parse_timestamp(value: str, what: str) -> datetime:
    """An ISO 8601 timestamp ("2025-03-24T11:15:00.000Z") as an aware UTC datetime.

    A timestamp without an offset is taken as UTC, which is what X always sends.
    """
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise RecordProblem(f"{what} {quote(value)} is not an ISO 8601 timestamp") from None
