"""A JSON list of related rows read in the outer query's own row: what accounts' token lookup uses for a
user's permissions (accounts/services.py). The API's related lists are read by prefetch_related."""

from __future__ import annotations

import orjson
from django.db.models import Aggregate, Func, JSONField, OuterRef, Q, Subquery


class JSONText(JSONField):
    """JSON read from the database as text (JSON_AGG's `::text`) and decoded by orjson."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else orjson.loads(value)


class JSONList(Aggregate):
    """The rows' values as a JSON array (text): JSON_AGG on PostgreSQL, JSON_GROUP_ARRAY on SQLite."""

    function = "JSON_AGG"
    template = "(%(function)s(%(expressions)s))::text"
    output_field = JSONText()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


class JSONRow(Func):
    """A JSON array of the values (JSON_BUILD_ARRAY on PostgreSQL), for `JSONList`."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_BUILD_ARRAY", **extra_context)


def related_json(model, link: str | Q, value) -> Subquery:
    """A subquery giving, for each record of the outer query, the JSON list of ``value`` over the rows of
    ``model`` whose ``link`` is that record (or which ``link``, a Q, selects); NULL when there are none."""
    where = link if isinstance(link, Q) else Q(**{link: OuterRef("pk")})
    rows = model.objects.filter(where).order_by().annotate(json=JSONList(value))
    rows.query.group_by = None  # one aggregate over all the rows the filter leaves
    return Subquery(rows.values("json"), output_field=JSONText())
