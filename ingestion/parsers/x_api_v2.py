"""X API v2 responses (user timeline, recent search, twarc2 captures) and X post objects, as records.

The response shape is documented in TECHNOTES section 6: ``data`` (absent when there are no
posts; one object for a single post, as the filtered stream sends it), ``includes.users``
(authors, with ``expansions=author_id``), ``includes.tweets`` (the posts that posts repost, quote
or answer, with ``expansions=referenced_tweets.id``), ``meta`` and ``errors`` (partial errors that
can come with a 200; each becomes a ``RecordError`` with the code ``API_ERROR``).

A repost (retweet) carries the reposted post's text cut to 140 characters and ending in "…"; the
record gets the whole text from ``includes.tweets`` (or from the reference itself in twarc2's
flattened form) and ``reposted_id``. A quote keeps its own text and gets ``quoted_id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote as url_quote

from .records import (
    API_ERROR,
    MAX_EXTERNAL_ID_LENGTH,
    MAX_LANGUAGE_LENGTH,
    Item,
    ParseError,
    ParseResult,
    PostRecord,
    RecordError,
    RecordProblem,
    SeenIds,
    check_external_id,
    find_unstorable,
    json_for_error,
    published_at_problem,
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
    """Read one X API v2 response (user timeline, recent search, one post) into post records.

    ``data`` may be the raw body (bytes or text) or an already decoded object. Bad posts and the
    API's partial ``errors`` become ``RecordError``s beside the good posts; the X ``meta`` is copied
    into ``result.meta``. Raises ``ParseError`` when the input is not JSON or not an X response
    document.
    """
    document = data if isinstance(data, dict) else load_json_document(data)
    problem = document_problem(document)
    if problem:
        raise ParseError(problem)
    meta = document.get("meta") or {}
    for key, value in (("meta", meta), ("errors", document.get("errors"))):
        where = find_unstorable(value)
        if where is not None:
            # The real API never sends these; a late database error would be harder to trace.
            raise ParseError(f"'{key}' holds a value that cannot be stored at {where}")
    result = ParseResult(meta={**meta, "format": FORMAT})
    seen = SeenIds(position_of=lambda index: f"data[{index}]")
    for item in read_document(document, seen=seen):
        (result.errors if isinstance(item, RecordError) else result.posts).append(item)
    return result


def document_problem(document: Any) -> str | None:
    """Why ``document`` is not an X API v2 response whose posts can be read, or None."""
    if not isinstance(document, dict):
        return f"not an X API v2 response: the JSON is {type_name(document)}, expected an object"
    if not DOCUMENT_KEYS & document.keys():
        keys = ", ".join(sorted(map(str, document.keys()))[:10]) or "none"
        return (
            f"not an X API v2 response: the object has none of the keys data, meta, errors (its keys: {keys})"
        )
    meta = document.get("meta")
    if meta is not None and not isinstance(meta, dict):
        return f"'meta' is {type_name(meta)}, expected an object"
    items = document.get("data")
    if items is not None and not isinstance(items, (list, dict)):
        return f"'data' is {type_name(items)}, expected an array of posts"
    return None


def read_document(document: dict[str, Any], *, seen: SeenIds, line: int | None = None) -> Iterator[Item]:
    """The records of one X response whose shape ``document_problem`` accepted, then its API errors.

    ``line`` is the document's line in a JSON Lines file (a twarc2 capture): positions then read
    "line 7 data[3]", and ``seen`` remembers ids by line; alone, positions read "data[3]".
    """
    prefix = f"line {line} " if line is not None else ""
    users = users_by_id(document.get("includes"))
    tweets = tweets_by_id(document.get("includes"))
    items = document.get("data")
    if isinstance(items, dict):
        # GET /2/tweets/:id and the filtered stream answer with one post object.
        position = f"line {line}" if line is not None else "data"
        yield read_post(items, position=position, users=users, tweets=tweets, seen=seen, ordinal=line or 0)
    elif isinstance(items, list):
        # The schema gives data minItems 1, so "no posts" is an absent key, not an empty list.
        for index, item in enumerate(items):
            yield read_post(
                item,
                position=f"{prefix}data[{index}]",
                users=users,
                tweets=tweets,
                seen=seen,
                ordinal=index if line is None else line,
            )
    errors = document.get("errors")
    if errors is not None:
        for index, error in enumerate(errors if isinstance(errors, list) else [errors]):
            yield api_error(error, position=f"{prefix}errors[{index}]")


def parse_post_array(items: list[Any]) -> ParseResult:
    """Read a bare JSON array of X post objects (an export without the response envelope)."""
    result = ParseResult(meta={"format": "json_array"})
    seen = SeenIds(position_of=lambda index: f"[{index}]")
    for index, item in enumerate(items):
        record = read_post(item, position=f"[{index}]", users={}, tweets={}, seen=seen, ordinal=index)
        (result.errors if isinstance(record, RecordError) else result.posts).append(record)
    return result


def read_post(
    item: Any,
    *,
    position: str,
    users: dict[str, str],
    tweets: dict[str, dict[str, Any]],
    seen: SeenIds,
    ordinal: int,
) -> Item:
    """One post object as a ``PostRecord``, or a ``RecordError`` saying why not.

    An id ``seen`` before in the same input is a ``RecordError``: a harmless DUPLICATE with the
    same text, an INVALID second version with another text (the first version is the one kept).
    """
    try:
        record = parse_post(item, users=users, tweets=tweets)
    except RecordProblem as problem:
        return RecordError(
            position=position,
            external_id=problem.external_id,
            message=problem.message,
            raw=json_for_error(item),
        )
    repeat = seen.repeat(record.external_id, record.text, ordinal=ordinal, position=position)
    if repeat is not None:
        code, message = repeat
        return RecordError(
            position=position,
            external_id=record.external_id,
            message=message,
            raw=json_for_error(item),
            code=code,
        )
    return record


def api_error(error: Any, *, position: str) -> RecordError:
    """An error the X API reported inside an answer (partial errors, a stream's error line).

    The message names what X said (title, detail, or the older code and message) and the resource
    it is about; ``raw`` is the error as JSON. The id is kept when the resource is a post.
    """
    if not isinstance(error, dict):
        return RecordError(
            position=position,
            external_id=None,
            message=f"X API error: {quote(error)}",
            raw=json_for_error(error),
            code=API_ERROR,
        )
    words = [
        str(error[key])
        for key in ("title", "detail", "message")
        if isinstance(error.get(key), (str, int)) and str(error[key]).strip()
    ]
    message = "X API error: " + (": ".join(words) or "(no title or detail)")
    if error.get("code") is not None:
        message += f" (code {error['code']})"
    resource_id = error.get("resource_id", error.get("value"))
    resource_type = error.get("resource_type")
    about = [str(part) for part in (resource_type, resource_id) if isinstance(part, (str, int))]
    if about:
        message += f" [{' '.join(about)}]"
    external_id = None
    if resource_type == "tweet" and isinstance(resource_id, (str, int)):
        external_id = str(resource_id)
    return RecordError(
        position=position, external_id=external_id, message=message, raw=json_for_error(error), code=API_ERROR
    )


def parse_post(
    item: Any, *, users: dict[str, str] | None = None, tweets: dict[str, dict[str, Any]] | None = None
) -> PostRecord:
    """Turn one X post object into a ``PostRecord``; raise ``RecordProblem`` naming what is wrong.

    ``users`` maps author ids to usernames (from ``includes.users``); without one, the author is read
    from the post's own ``author`` object (twarc2's flattened form). ``tweets`` maps ids to the
    referenced posts (``includes.tweets``), where a repost finds its whole text.
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
    warnings: list[str] = []
    try:
        text = _full_text(item)
        language = _language(item)
        published_at = _published_at(item)
        references = _references(item)
        edit_ids = _edit_ids(item)
        reposted = references.get("retweeted")
        if reposted is not None:
            whole, warning = _reposted_text(reposted, tweets or {})
            text = whole or text
            if warning:
                warnings.append(warning)
    except RecordProblem as problem:
        raise RecordProblem(problem.message, external_id=external_id) from None

    username = _author(item, users or {})
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
        warnings=tuple(warnings),
        reposted_id=str(reposted["id"]) if reposted is not None else "",
        quoted_id=str(references["quoted"]["id"]) if "quoted" in references else "",
        edit_ids=edit_ids,
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


def tweets_by_id(includes: Any) -> dict[str, dict[str, Any]]:
    """Map post ids to the posts in ``includes.tweets`` (those the answer's posts refer to)."""
    if not isinstance(includes, dict) or not isinstance(includes.get("tweets"), list):
        return {}
    tweets: dict[str, dict[str, Any]] = {}
    for tweet in includes["tweets"]:
        if isinstance(tweet, dict):
            tweet_id = _id_key(tweet.get("id"))
            if tweet_id:
                tweets.setdefault(tweet_id, tweet)
    return tweets


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


def _author(item: dict[str, Any], users: dict[str, str]) -> str:
    username = users.get(_id_key(item.get("author_id")) or "", "")
    if not username:
        # twarc2's flattened form puts the author inside the post.
        author = item.get("author")
        name = author.get("username") if isinstance(author, dict) else None
        if isinstance(name, str) and _USERNAME.fullmatch(name):
            username = name
    return username


def _references(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The post's ``referenced_tweets`` by type (retweeted, quoted, replied_to): the first of each."""
    references = item.get("referenced_tweets")
    if references is None:
        return {}
    if not isinstance(references, list):
        raise RecordProblem(f"referenced_tweets must be an array, got {type_name(references)}")
    found: dict[str, dict[str, Any]] = {}
    for index, reference in enumerate(references):
        if not isinstance(reference, dict):
            raise RecordProblem(f"referenced_tweets[{index}] must be an object, got {type_name(reference)}")
        kind, reference_id = reference.get("type"), _id_key(reference.get("id"))
        if not isinstance(kind, str) or not reference_id or len(reference_id) > MAX_EXTERNAL_ID_LENGTH:
            raise RecordProblem(f"referenced_tweets[{index}] needs a type and a post id: {quote(reference)}")
        found.setdefault(kind, {**reference, "id": reference_id})
    return found


def _reposted_text(
    reference: dict[str, Any], tweets: dict[str, dict[str, Any]]
) -> tuple[str | None, str | None]:
    """The whole text of the reposted post, or None and a warning saying why the cut text stays."""
    reposted_id = reference["id"]
    original = tweets.get(reposted_id)
    if original is None and ("text" in reference or "note_tweet" in reference):
        original = reference  # twarc2's flattened form: the reposted post inside its reference
    if original is None:
        return None, f"the reposted post {reposted_id} is not in includes.tweets: text may be cut"
    try:
        return _full_text(original), None
    except RecordProblem as problem:
        reason = problem.message
        return None, f"the reposted post {reposted_id} cannot be read ({reason}): text may be cut"


def _edit_ids(item: dict[str, Any]) -> tuple[str, ...]:
    ids = item.get("edit_history_tweet_ids")
    if ids is None:
        return ()
    if not isinstance(ids, list):
        raise RecordProblem(f"edit_history_tweet_ids must be an array, got {type_name(ids)}")
    edit_ids = tuple(_id_key(value) or "" for value in ids)
    if not all(edit_ids) or any(len(value) > MAX_EXTERNAL_ID_LENGTH for value in edit_ids):
        raise RecordProblem(f"edit_history_tweet_ids must be post ids, got {quote(ids)}")
    return edit_ids


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
    moment = parse_timestamp(created, "created_at")
    problem = published_at_problem(moment, what="created_at")
    if problem:
        raise RecordProblem(problem)
    return moment


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
