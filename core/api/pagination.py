"""Keyset ("cursor") pagination: a page starts after the (value, id) where the last one ended.

Unlike offsets, a cursor stays right while records are added (nothing is skipped or repeated)
and a deep page costs what the first one does: an index range scan, never a count or an offset.
The sort order is the FilterSet's `ordering` choice (see core.filters.OrderingFilter). A
nullable sort field puts its nulls last, read in a second range after the values run out.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import OrderedDict
from datetime import UTC, datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.dates import PLANNED_AHEAD, time_problem

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def page_size_from(request, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({"page_size": [f"A whole number from 1 to {maximum}."]})
    return int(raw)


class KeysetPagination(BasePagination):
    """`?cursor=` from the previous page's `next` (also in the `Link` header), `?page_size=` up to 500
    (default 100)."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = page_size_from(request)
        self.ordering = self._ordering(request, view)
        descending = self.ordering.startswith("-")
        name = self.ordering.lstrip("-")
        self.field_name = "pk" if name in ("id", "pk") else name
        model = queryset.model
        field = model._meta.pk if self.field_name == "pk" else self._field(model, name)
        self.field = field
        position = self._decode(request.query_params.get(self.cursor_query_param), field)

        value_order = [f"-{self.field_name}" if descending else self.field_name]
        pk_order = "-pk" if descending else "pk"
        after = "lt" if descending else "gt"
        limit = self.page_size + 1
        nullable = self.field_name != "pk" and field.null

        rows: list = []
        if self.field_name == "pk":
            page = queryset.order_by(pk_order)
            if position is not None:
                page = page.filter(**{f"pk__{after}": position[1]})
            rows = list(page[:limit])
        else:
            in_nulls = position is not None and position[0] is None
            if not in_nulls:
                values = queryset.filter(**{f"{self.field_name}__isnull": False}) if nullable else queryset
                if position is not None:
                    value, pk = position
                    # The redundant bound (<= or >=) is what lets the index seek straight to the value.
                    bound = "lte" if descending else "gte"
                    values = values.filter(**{f"{self.field_name}__{bound}": value}).exclude(
                        **{self.field_name: value, f"pk__{'gte' if descending else 'lte'}": pk}
                    )
                rows = list(values.order_by(*value_order, pk_order)[:limit])
            if nullable and len(rows) < limit:
                nulls = queryset.filter(**{f"{self.field_name}__isnull": True})
                if in_nulls:
                    nulls = nulls.filter(**{f"pk__{after}": position[1]})
                rows += list(nulls.order_by(pk_order)[: limit - len(rows)])

        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def get_paginated_response(self, data):
        next_link = self.get_next_link()
        response = Response(OrderedDict([("next", next_link), ("results", data)]))
        if next_link:
            # RFC 8288, in every format: a client follows it without reading the body. A cursor only
            # goes forward, so there is no `prev`; `first` starts the listing again.
            response["Link"] = f'<{next_link}>; rel="next", <{self.get_first_link()}>; rel="first"'
        return response

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        last = self.page[-1]
        value = last.pk if self.field_name == "pk" else getattr(last, self.field_name)
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(value, last.pk))

    def get_first_link(self) -> str:
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)

    # -- the cursor ------------------------------------------------------------------------------

    def _ordering(self, request, view) -> str:
        filterset_class = getattr(view, "filterset_class", None)
        ordering_filter = filterset_class.base_filters.get("ordering") if filterset_class else None
        default = getattr(ordering_filter, "default", "-pk")
        value = request.query_params.get("ordering") or default
        allowed = {value for value, _ in ordering_filter.extra["choices"]} if ordering_filter else {default}
        if value not in allowed:
            raise ValidationError({"ordering": [f"One of {', '.join(sorted(allowed))}."]})
        return value

    @staticmethod
    def _field(model, name):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist as exc:  # a programming error in a FilterSet
            raise ValueError(f"{model.__name__} has no field {name!r} to sort on") from exc

    def _encode(self, value, pk) -> str:
        if value is not None and self.field_name != "pk":
            value = self.field.value_to_string(_Holder(self.field.attname, value))
        document = json.dumps({"o": self.ordering, "v": value, "p": pk}, separators=(",", ":"))
        return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")

    def _decode(self, cursor: str | None, field):
        if not cursor:
            return None
        invalid = ValidationError(
            {"cursor": ["Not a cursor of this listing: start again from its first page."]}
        )
        try:
            document = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            ordering, value, pk = document["o"], document["v"], document["p"]
        except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError) as exc:
            raise invalid from exc
        if ordering != self.ordering or not isinstance(pk, int) or isinstance(pk, bool):
            raise invalid
        if self.field_name == "pk":
            return (pk, pk)
        if value is None:
            if not field.null:
                raise invalid
            return (None, pk)
        try:
            value = field.to_python(value)
        except (DjangoValidationError, TypeError, ValueError, OverflowError) as exc:
            raise invalid from exc
        if (
            time_problem(value, now=datetime.now(UTC) + PLANNED_AHEAD)
            if isinstance(value, datetime)
            else None
        ):
            raise invalid  # no record has that time (core/dates.py), and SQLite cannot convert it
        return (value, pk)

    # -- the schema ------------------------------------------------------------------------------

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position to continue from: take it from the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last one.",
                },
                "results": schema,
            },
        }


class _Holder:
    """Lets Field.value_to_string read a value without a model instance."""

    def __init__(self, attname, value):
        setattr(self, attname, value)
