"""Parsers: bytes in, plain post records out. No Django, no ORM, no extraction.

One module per source kind (``x_api_v2``, ``rss``, ``jsonl``) and ``detect`` for files of unknown
kind. A parser returns a ``ParseResult`` (good posts, bad records, meta) for input held in memory;
``read_stream`` reads a file of any size as a ``ParseStream``, one record or error at a time. They
raise only ``ParseError``, when the input as a whole cannot be read.
"""

from .detect import parse_file, read_stream
from .records import ParseError, ParseResult, ParseStream, PostRecord, RecordError

__all__ = [
    "ParseError",
    "ParseResult",
    "ParseStream",
    "PostRecord",
    "RecordError",
    "parse_file",
    "read_stream",
]
