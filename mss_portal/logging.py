"""Structured logs: one JSON object per line, for a log collector to index without parsing text.

Used by production settings (``LOGGING`` in production.py). Every record gets ``time`` (UTC,
ISO 8601), ``level``, ``logger`` and ``message``; an exception adds ``exc_info`` (the formatted
traceback, as one string); values passed with ``extra=`` are kept as fields of their own. A
Django request attached by ``django.request`` is reduced to its method and path, so cookies,
headers and bodies never reach the log.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_MAX_FIELD = 4000


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value[:_MAX_FIELD]
    if hasattr(value, "method") and hasattr(value, "path") and hasattr(value, "META"):
        return {"method": value.method, "path": value.path}  # an HttpRequest
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value[:100]]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in list(value.items())[:100]}
    return str(value)[:_MAX_FIELD]


class JsonFormatter(logging.Formatter):
    """Formats a log record as a single line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            document["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            document["stack_info"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in document:
                document[key] = _jsonable(value)
        return json.dumps(document, ensure_ascii=False, default=str)
