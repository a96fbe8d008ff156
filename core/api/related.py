"""A page's related rows in the page's own query: one JSON list per record, read by its serializer.

A page of 100 reports names a few hundred hotspots and contingents. Read with `prefetch_related`,
they cost a query each, a related manager per record and a model instance per row: several times
the cost of the same rows read by hand (bench/scale.py; the figures are in docs/benchmarks.md).
A correlated subquery per record, as a hand-written query would have it, gives them as JSON text.
"""

from __future__ import annotations

import orjson
from django.db.models import Aggregate, FloatField, Func, OuterRef, Subquery, TextField


class JSONList(Aggregate):
    """The rows' values, each row a JSON array, as one JSON array in text: JSON_AGG on PostgreSQL,
    JSON_GROUP_ARRAY on SQLite. Unordered: the reader sorts (`rows_of`)."""

    function = "JSON_AGG"
    template = "(%(function)s(JSON_BUILD_ARRAY(%(expressions)s)))::text"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "%(function)s(JSON_ARRAY(%(expressions)s))"
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", template=template)


def related_json(model, link: str, *values) -> Subquery:
    """For each record of the outer query, ``values`` of the rows of ``model`` whose ``link`` is that
    record, as `JSONList` text (NULL or "[]" when there are none)."""
    rows = model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Subquery(rows.annotate(json=JSONList(*values)).values("json"), output_field=TextField())


def rows_of(text: str | None) -> list[list]:
    """The rows of a `related_json` list, in the order of their values."""
    return sorted(orjson.loads(text)) if text else []


class X(Func):
    """A point's longitude (ST_X, in PostGIS and SpatiaLite alike)."""

    function = "ST_X"
    output_field = FloatField()


class Y(Func):
    """A point's latitude."""

    function = "ST_Y"
    output_field = FloatField()
