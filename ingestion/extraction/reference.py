"""Which names of Haiti's reference places (communes, sections, populated places) are read in posts.

One rule for the portal and its tests: the service feeds it rows from the database, the tests and
the benchmark rows from the bundled CSV files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.text import normalise

from .places import AliasEntry

# "1re Section Turgeau" is written "Turgeau" in posts: the place is what follows the prefix.
_SECTION_PREFIX = re.compile(r"^\s*\d+\s*(?:re|ère|er|e|ème|eme)\s+section\s+", re.IGNORECASE)

# Names that would make a candidate of nearly every post: a populated place called "D'Haïti"
# normalises (elision dropped) to the country's name, and a few places are named by a bare common
# word that opens many other names ("Fort", "Petite", "Christ").
REFERENCE_STOP = frozenset({"haiti", "ayiti", "port", "centre", "petite", "fort", "christ"})
MIN_NAME_LENGTH = 3


def reference_entries(
    communes: Iterable[tuple[str, Iterable[str]]],
    sections: Iterable[tuple[str, Iterable[str]]],
    places: Iterable[tuple[str, Iterable[str]]],
) -> list[AliasEntry]:
    """Alias entries for reference places, each given as (key, names).

    Communes come first, so a name shared with a section or populated place keeps the commune's key;
    a name already taken, too short or in the stop list is left out.
    """
    entries: list[AliasEntry] = []
    seen: set[str] = set()
    for group, strip_prefix in ((communes, False), (sections, True), (places, False)):
        for key, names in group:
            for name in names:
                text = _SECTION_PREFIX.sub("", name or "").strip() if strip_prefix else (name or "").strip()
                norm = normalise(text)
                if len(norm) < MIN_NAME_LENGTH or norm in REFERENCE_STOP or norm in seen:
                    continue
                seen.add(norm)
                entries.append(AliasEntry(key, text))
    return entries
