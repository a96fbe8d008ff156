"""How active each hotspot is: counts contributed by the apps that record activity.

Hotspots know neither operations nor ingestion (they sit above it: the layers contract in
pyproject.toml); those apps register a counter here
when they are ready (`AppConfig.ready`), each a correlated subquery that counts only the records
the reader may see. The hotspot list then gets every count in its one query, with no N+1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce


@dataclass(frozen=True)
class ActivityCounter:
    """`count(user)` gives an expression counting, for the hotspot at OuterRef("pk"), what `user` may see."""

    name: str
    help_text: str
    count: Callable[[object], Expression]


_counters: dict[str, ActivityCounter] = {}


def register(counter: ActivityCounter) -> None:
    _counters[counter.name] = counter


def counters() -> list[ActivityCounter]:
    return sorted(_counters.values(), key=lambda c: c.name)


def annotation_name(counter: ActivityCounter) -> str:
    return f"activity_{counter.name}"


def annotate_activity(queryset: QuerySet, user) -> QuerySet:
    """The hotspots with one `activity_<name>` count per registered counter."""
    return queryset.annotate(
        **{
            annotation_name(c): Coalesce(c.count(user), Value(0), output_field=IntegerField())
            for c in counters()
        }
    )
