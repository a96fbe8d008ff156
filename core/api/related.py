"""A page's related rows read in the page's own query, as one JSON list per record.

A page of 100 reports names a few hundred hotspots and contingents. Reading them in queries of
their own costs two more round trips and two more querysets to build per page; a correlated
subquery per record (what a hand-written query would do) gives them in the page's one query.
"""

from __future__ import annotations

import orjson
from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.db.models import Aggregate, F, Func, JSONField, OuterRef, Q, Subquery


class JSONText(JSONField):
    """JSON read from the database as text and decoded by orjson: a page decodes two lists per record,
    which json.loads does in four times the time. These lists hold ids, names and coordinates only."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else orjson.loads(value)


class JSONList(OrderableAggMixin, Aggregate):
    """The rows' values as a JSON array (text), in ``order_by``: JSON_AGG on PostgreSQL, JSON_GROUP_ARRAY
    on SQLite.

    JSON rather than JSONB (which PostgreSQL builds at a cost, for no use here), read as text: psycopg2
    would otherwise decode it itself, and JSONField reads text. SQLite before 3.44 cannot order inside
    an aggregate: there the order is left to the reader (see `sorted_where_unordered`).
    """

    function = "JSON_AGG"
    template = "(%(function)s(%(expressions)s %(order_by)s))::text"
    output_field = JSONText()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Aggregate's own as_sql: the ordering mixin's would add ORDER BY, which SQLite refuses here.
        return Aggregate.as_sql(
            self,
            compiler,
            connection,
            function="JSON_GROUP_ARRAY",
            template="%(function)s(%(expressions)s)",
            **extra_context,
        )


class JSONRow(Func):
    """A JSON array of the values (JSON_BUILD_ARRAY on PostgreSQL), for `JSONList`. Unlike Django's
    JSONArray it builds JSON, not JSONB, and casts nothing: its values are columns, not parameters."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_BUILD_ARRAY", **extra_context)


def related_json(model, link: str | Q, value, *, order_by=()) -> Subquery:
    """A subquery giving, for each record of the outer query, the JSON list of ``value`` over the rows of
    ``model`` whose ``link`` is that record (or which ``link``, a Q, selects); NULL when there are none."""
    where = link if isinstance(link, Q) else Q(**{link: OuterRef("pk")})
    rows = model.objects.filter(where).order_by().annotate(json=JSONList(value, order_by=order_by))
    # One aggregate over all the rows the filter leaves: no GROUP BY (Django would group by the
    # model's columns), which PostgreSQL would plan and run for nothing on every record of a page.
    rows.query.group_by = None
    return Subquery(rows.values("json"), output_field=JSONText())


def ordered_by_the_database() -> bool:
    """True when `JSONList` comes ordered from the database (PostgreSQL); ask once per page, not per item."""
    from django.db import connection

    return connection.vendor != "sqlite"


def sorted_where_unordered(items: list, key, ordered: bool) -> list:
    """``items`` as the database would have ordered them inside the aggregate.

    PostgreSQL orders in the query (with its collation): ``ordered``. SQLite's default (BINARY)
    collation is Python's own order, so there they are sorted here.
    """
    return items if ordered else sorted(items, key=key)


def contingents_json(through, link: str) -> Subquery:
    """A record's contingents as `[name, code]` rows in their names' order (a many-to-many ``through``
    table whose foreign key to the contingent is `contingent`); read back with `contingent_codes`."""
    return related_json(
        through,
        link,
        JSONRow(F("contingent__name"), F("contingent__country_code")),
        order_by=("contingent__name",),
    )


def contingent_codes(rows, ordered: bool) -> list[str]:
    """The contingent codes of `contingents_json` rows, in the names' order."""
    return [code for _, code in sorted_where_unordered(rows or [], lambda row: row[0], ordered)]
