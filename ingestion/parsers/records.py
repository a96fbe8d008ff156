"""Plain records that every parser produces, and the helpers they share.

Nothing here knows about Django: parsers turn bytes into these records and the service layer stores
them. A parser never raises for one bad record; it reports a ``RecordError`` beside the good ones and
raises ``ParseError`` only when the input as a whole cannot be read.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core import dates

# Limits mirror the columns of ingestion.models.Post (external_id, author, language, url), so a
# record a parser accepts can always be stored; a longer value would fail the INSERT instead.
MAX_EXTERNAL_ID_LENGTH = 200
MAX_AUTHOR_LENGTH = 200
MAX_LANGUAGE_LENGTH = 16
MAX_URL_LENGTH = 1000

# X long posts are at most 25,000 characters; anything near a megabyte is not a post.
MAX_TEXT_BYTES = 1_000_000
# The raw text kept with a RecordError, for staff to inspect; enough to see the problem.
MAX_ERROR_RAW_BYTES = 1_000_000
# RecordError.code values.
INVALID = "invalid"
DUPLICATE = "duplicate"
API_ERROR = "api_error"  # an error the X API reported inside its answer (a post it could not find, say)

# Values quoted inside error messages are shortened so one message stays readable.
MAX_QUOTED_LENGTH = 80


@dataclass(frozen=True)
class PostRecord:
    """One post as read from a source, ready to be stored as an ``ingestion.Post``."""

    external_id: str
    text: str
    url: str
    author: str
    language: str
    published_at: datetime | None  # aware, UTC
    raw: dict[str, Any]  # the record as received, JSON-serialisable, stored verbatim
    # What the reader noticed but did not refuse the record for (an unreadable date, say); kept on
    # the stored post and shown in the admin.
    warnings: tuple[str, ...] = ()
    # A repost (X retweet) of another post: that post's id. The text is the reposted post's whole text.
    reposted_id: str = ""
    # A quote of another post: that post's id. The text is the quote's own.
    quoted_id: str = ""
    # X edit history, oldest first, ending with this version's id (``edit_history_tweet_ids``); empty
    # where the source keeps no history. Every version of a post shares the first id.
    edit_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordError:
    """One input record that could not be read, kept with its raw text for inspection."""

    position: str  # where in the input: "data[3]", "line 17", "entry 4"
    external_id: str | None
    message: str
    raw: str  # the raw text of the bad record, decoded with errors="replace", capped at 1 MB
    # DUPLICATE for a repeated id (the first copy was kept), API_ERROR for an error the X API reported
    # in its answer, INVALID for everything else; lets the caller treat a repeat of a post it stored as
    # harmless and count the API's errors apart from records it could not read.
    code: str = "invalid"

    def __post_init__(self) -> None:
        # PostgreSQL text columns cannot hold NUL or lone surrogates; the caller stores these verbatim.
        object.__setattr__(self, "message", storable_text(self.message))
        object.__setattr__(self, "raw", storable_text(cap_text(self.raw, MAX_ERROR_RAW_BYTES)))
        if self.external_id is not None:
            object.__setattr__(self, "external_id", storable_text(self.external_id)[:MAX_EXTERNAL_ID_LENGTH])


@dataclass
class ParseResult:
    """What a parser read: the good posts, the bad records, and facts about the input as a whole."""

    posts: list[PostRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


Item = PostRecord | RecordError


class ParseStream:
    """What a parser reads from one input, a record at a time: for files too large to hold in memory.

    Iterate it once: each item is a ``PostRecord`` or a ``RecordError``, in input order. ``meta`` is
    filled in as the reading goes (complete once iteration ends); ``bytes_read`` says how far into the
    input the reading is, for a progress bar.
    """

    def __init__(
        self,
        items: Iterable[Item],
        *,
        meta: dict[str, Any] | None = None,
        bytes_read: Callable[[], int] | None = None,
    ) -> None:
        self.meta = meta if meta is not None else {}
        self._items = iter(items)
        self._bytes_read = bytes_read or (lambda: 0)

    @classmethod
    def of(cls, result: ParseResult, *, size: int = 0) -> ParseStream:
        """A stream of what a parser has already read whole (a feed, one JSON document)."""
        return cls([*result.posts, *result.errors], meta=result.meta, bytes_read=lambda: size)

    def __iter__(self) -> Iterator[Item]:
        return self._items

    @property
    def bytes_read(self) -> int:
        return self._bytes_read()

    def collect(self) -> ParseResult:
        """Read the rest of the stream into a ``ParseResult`` (for inputs that fit in memory)."""
        result = ParseResult(meta=self.meta)
        for item in self:
            (result.errors if isinstance(item, RecordError) else result.posts).append(item)
        return result


class ParseError(ValueError):
    """The input as a whole cannot be read (not JSON, not a feed, unknown format).

    The message names the problem and, where known, the position.
    """


class RecordProblem(Exception):
    """Raised inside a parser for one bad record; turned into a ``RecordError`` by the parser."""

    def __init__(self, message: str, external_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.external_id = external_id


def cap_text(text: str, max_bytes: int) -> str:
    """Return ``text`` shortened to at most ``max_bytes`` of UTF-8, never splitting a character."""
    if len(text) * 4 <= max_bytes:  # fast path: even all 4-byte characters would fit
        return text
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", "ignore")


_UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """Replace characters PostgreSQL refuses (NUL, lone surrogates) with U+FFFD."""
    return _UNSTORABLE_CHARACTERS.sub("\ufffd", text)


def bytes_for_error(data: bytes) -> str:
    """Decode the raw bytes of a bad record for a ``RecordError`` (never fails)."""
    return data[:MAX_ERROR_RAW_BYTES].decode("utf-8", "replace")


def json_for_error(value: Any) -> str:
    """Render a decoded JSON value back to text for a ``RecordError`` (never fails)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def reject_json_constant(name: str) -> Any:
    """``json.loads(parse_constant=...)``: NaN and Infinity are not JSON, and jsonb refuses them."""
    raise ValueError(f"{name} is not a valid JSON value")


def quote(value: Any) -> str:
    """A short repr of a value for an error message."""
    text = repr(value)
    if len(text) > MAX_QUOTED_LENGTH:
        text = text[: MAX_QUOTED_LENGTH - 3] + "..."
    return text


def type_name(value: Any) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def find_unstorable(value: Any, path: str = "") -> str | None:
    """Return the path of the first string PostgreSQL's jsonb would refuse, or None.

    jsonb rejects ``\\u0000`` and lone surrogates, JSON has no NaN or Infinity, and a dict handed
    in by a caller may hold values JSON cannot express; a record carrying any of them would fail
    when stored, so parsers reject it up front.
    """
    # Iterative so that deeply nested input cannot exhaust the stack.
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _is_storable(item):
                return where or "(value)"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return where or "(value)"
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str) or not _is_storable(key):
                    return f"{where}.{quote(key)}" if where else quote(key)
                stack.append((child, f"{where}.{key}" if where else key))
        elif isinstance(item, (list, tuple)):
            for index, child in enumerate(item):
                stack.append((child, f"{where}[{index}]"))
        elif item is not None and not isinstance(item, (bool, int)):
            return where or "(value)"
    return None


def _is_storable(text: str) -> bool:
    return _UNSTORABLE_CHARACTERS.search(text) is None


def text_size_problem(text: str, what: str = "text") -> str | None:
    """Return a message if ``text`` is too large or cannot be stored, else None."""
    if len(text) * 4 > MAX_TEXT_BYTES:  # only encode when it could be over the limit
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            return f"{what} is {size:,} bytes, over the {MAX_TEXT_BYTES:,}-byte limit"
    if not _is_storable(text):
        return f"{what} contains a NUL character or invalid Unicode (lone surrogate)"
    return None


def check_external_id(external_id: str) -> None:
    """Raise ``RecordProblem`` if an id cannot be stored."""
    if not external_id.strip():
        raise RecordProblem("id is empty")
    if len(external_id) > MAX_EXTERNAL_ID_LENGTH:
        raise RecordProblem(
            f"id is {len(external_id)} characters, over the {MAX_EXTERNAL_ID_LENGTH}-character limit",
            external_id=external_id[:MAX_EXTERNAL_ID_LENGTH],
        )
    if not _is_storable(external_id):
        raise RecordProblem("id contains a NUL character or invalid Unicode")


def utc_from_timestamp_tuple(parts: Any) -> datetime | None:
    """An aware UTC datetime from a ``time.struct_time`` (feedparser gives UTC), or None."""
    try:
        return datetime(*tuple(parts)[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def published_at_problem(
    moment: datetime | None, *, what: str = "date", now: datetime | None = None
) -> str | None:
    """Return why a post's publication time is refused (the portal's one bound, core.dates), or None."""
    return dates.time_problem(moment, what=what, now=now)


class DuplicateTracker:
    """Remembers where each id was first seen so later copies can be reported, not stored twice."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def check(self, external_id: str, position: str) -> str | None:
        """Return the position of an earlier record with this id, or remember this one."""
        first = self._first.get(external_id)
        if first is None:
            self._first[external_id] = position
        return first


def duplicate_message(external_id: str, first_position: str) -> str:
    """The message for a repeated id (the first copy is kept)."""
    return f"duplicate id {external_id} also at {first_position}; the first copy was kept"


_MASK32 = (1 << 32) - 1
_MASK64 = (1 << 64) - 1


class SeenIds:
    """The ids one input has given so far, to tell a harmless repeat from a second version of a post.

    An input of millions of posts must not hold millions of id strings (issue 12: flat memory), so
    each id is kept in 16 bytes: a 64-bit hash of the id, a 32-bit hash of its text and where it was
    first read (a line number or an index), in an open-addressing table of two arrays (some 25-45
    bytes an id with the free slots). Python's str hash (SipHash) is random per process and stable
    within one, which is all one input needs. Two ids with one 64-bit hash (odds near 1 in 10^7 in a
    file of two million posts) would make the second look like a version of the first.
    """

    _INITIAL_SLOTS = 1 << 10
    _MAX_LOAD = 0.7

    def __init__(self, position_of: Callable[[int], str] | None = None) -> None:
        # How to name the place an ordinal stands for ("line 7", "data[3]") in a message.
        self._position_of = position_of or (lambda ordinal: f"line {ordinal}")
        self._keys = array("Q", [0]) * self._INITIAL_SLOTS  # 0 marks a free slot
        self._values = array("Q", [0]) * self._INITIAL_SLOTS
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @property
    def nbytes(self) -> int:
        """The memory the table holds, in bytes."""
        return self._keys.itemsize * len(self._keys) + self._values.itemsize * len(self._values)

    def repeat(self, external_id: str, text: str, *, ordinal: int, position: str) -> tuple[str, str] | None:
        """None the first time an id is seen (it is remembered); after that ``(code, message)``.

        The same text again is a DUPLICATE (harmless: the first copy was kept); another text under
        the same id is a second version, INVALID, which the caller reports instead of storing.
        """
        key = hash(external_id) & _MASK64 or 1
        text_key = hash(text) & _MASK32
        slot = self._slot(key)
        if self._keys[slot] == key:
            value = self._values[slot]
            first = self._position_of(value & _MASK32)
            if value >> 32 == text_key:
                return DUPLICATE, duplicate_message(external_id, first)
            return INVALID, (
                f"id {external_id} appears again at {position} with different text; "
                f"the first version ({first}) was kept"
            )
        self._keys[slot] = key
        self._values[slot] = text_key << 32 | min(max(ordinal, 0), _MASK32)
        self._count += 1
        if self._count > len(self._keys) * self._MAX_LOAD:
            self._grow()
        return None

    def _slot(self, key: int) -> int:
        keys, mask = self._keys, len(self._keys) - 1
        slot = key & mask  # the key is a hash already: its low bits are as good as any
        while keys[slot] and keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    def _grow(self) -> None:
        old_keys, old_values = self._keys, self._values
        self._keys = array("Q", [0]) * (len(old_keys) * 2)
        self._values = array("Q", [0]) * (len(old_keys) * 2)
        for key, value in zip(old_keys, old_values, strict=True):
            if key:
                slot = self._slot(key)
                self._keys[slot], self._values[slot] = key, value
