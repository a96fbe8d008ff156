"""The API's one body parser: DRF's JSON parser, with a size and a nesting limit named in the answer.

DRF reads a JSON body from the stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (which only
`request.body` and form parsing check) does not cover it; and Python's json module gives up on deep
nesting with a RecursionError, which would be a 500.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    @classmethod
    def for_request(cls, request) -> RequestTooLarge | None:
        """The 413 for a request whose declared body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE, else None."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is None or length <= limit:
            return None
        return cls(f"The request body is {length} bytes; the limit is {limit} bytes.")


def _depth(value) -> int:
    """How deep arrays and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


class JSONParser(parsers.JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes (413 beyond) nested at most
    API_JSON_MAX_DEPTH levels (400 beyond)."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        too_large = request is not None and RequestTooLarge.for_request(request)
        if too_large:
            raise too_large
        max_depth = settings.API_JSON_MAX_DEPTH
        too_deep = f"The JSON body nests deeper than {max_depth} levels of arrays and objects."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        if _depth(data) > max_depth:
            raise ParseError(too_deep)
        return data
