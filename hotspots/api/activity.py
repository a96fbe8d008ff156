"""How active each hotspot is: counts contributed by the apps that record activity.

Hotspots know neither operations nor ingestion (they sit below them: the layers contract in
pyproject.toml); those apps register a counter here when they are ready (`AppConfig.ready`), each
counting per hotspot only the records the reader may see (`visible_to`). The hotspot list reads
every count with one GROUP BY per counter, and keeps the answer whole under the data version
(core/read_cache.py): counting every record is the slow part of the list (docs/benchmarks.md), and
the list is read far more often than records change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core import read_cache


@dataclass(frozen=True)
class ActivityCounter:
    """`count(user)` gives the rows (hotspot id, count, ...) of what `user` may see."""

    name: str
    help_text: str
    count: Callable[[object], Iterable[tuple]]


_counters: dict[str, ActivityCounter] = {}


def register(counter: ActivityCounter) -> None:
    _counters[counter.name] = counter


def counters() -> list[ActivityCounter]:
    return sorted(_counters.values(), key=lambda c: c.name)


def activity(user) -> dict[str, dict[int, int]]:
    """{counter name: {hotspot id: count}} of what ``user`` may see, cached under the data version."""

    def compute():
        return {c.name: {pk: n for pk, n, *_ in c.count(user)} for c in counters()}

    return read_cache.cached("hotspot-activity", user, (), compute)
