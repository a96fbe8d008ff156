"""Parsers: bytes in, plain post records out. No Django, no ORM, no extraction.

One module per source kind (``x_api_v2``, ``rss``, ``jsonl``) and ``detect`` for files of unknown
kind. Every parser returns a ``ParseResult`` (good posts, bad records, meta) and raises only
``ParseError``, when the input as a whole cannot be read.
"""

from .detect import parse_file
from .records import ParseError, ParseResult, PostRecord, RecordError

__all__ = ["ParseError", "ParseResult", "PostRecord", "RecordError", "parse_file"]
