"""Alias entries built from the project's data files, for the extraction tests and the benchmark.

Plain csv reading, no Django: the seed gazetteer (each hotspot's name plus every alias from
``hotspots_seed.csv`` and ``hotspot_aliases.csv``) and the Haiti reference gazetteer (communes,
sections communales, populated places) shipped in ``<repo>/../shared/data/gazetteer``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from hotspots.text import normalise
from ingestion.extraction import AliasEntry, PlaceMatcher

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "hotspots" / "data"
SHARED_DATA = (REPO_ROOT / ".." / "shared" / "data").resolve()
GAZETTEER_DIR = SHARED_DATA / "gazetteer"

# "1re Section Turgeau", "2e Section Morne l'Hopital": the ordinal prefix is administrative
# wording, the place people write is what follows it.
_SECTION_PREFIX = re.compile(r"^\s*\d+\s*(?:re|ère|er|e|ème|eme)\s+section\s+", re.IGNORECASE)

# Reference names that would make a candidate of nearly every post: a populated place called
# "D'Haïti" normalises (elision dropped) to the country's name, and a few places are named by a
# bare common word that opens many other names ("Fort", "Petite", "Christ").
_REFERENCE_STOP = frozenset({"haiti", "ayiti", "port", "centre", "petite", "fort", "christ"})


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def seed_entries(seed_dir: Path = SEED_DIR) -> list[AliasEntry]:
    """Every hotspot's name and aliases from the two seed CSVs, deduplicated, in file order."""
    seen: set[tuple[str, str]] = set()
    entries: list[AliasEntry] = []

    def add(slug: str, text: str) -> None:
        text = text.strip()
        if text and (slug, text) not in seen:
            seen.add((slug, text))
            entries.append(AliasEntry(slug, text))

    for row in _rows(seed_dir / "hotspots_seed.csv"):
        add(row["slug"], row["name"])
        for alias in (row.get("aliases") or "").split("|"):
            add(row["slug"], alias)
    for row in _rows(seed_dir / "hotspot_aliases.csv"):
        add(row["slug"], row["alias"])
    return entries


def reference_entries(gazetteer_dir: Path = GAZETTEER_DIR) -> list[AliasEntry]:
    """Communes, sections communales and populated places of Haiti as alias entries.

    Keys are the P-code for communes and sections and ``wof:<id>`` for populated places.
    Communes come first so that a name shared with a populated place keeps the commune's key.
    """
    entries: list[AliasEntry] = []
    seen: set[str] = set()

    def add(key: str, text: str) -> None:
        text = text.strip()
        norm = normalise(text)
        if len(norm) < 3 or norm in _REFERENCE_STOP or norm in seen:
            return
        seen.add(norm)
        entries.append(AliasEntry(key, text))

    for row in _rows(gazetteer_dir / "hti_adm2_communes.csv"):
        add(row["adm2_pcode"], row["adm2_fr"])
        add(row["adm2_pcode"], row["adm2_en"])
    for row in _rows(gazetteer_dir / "hti_adm3_sections_communales.csv"):
        for column in ("adm3_fr", "adm3_en"):
            add(row["adm3_pcode"], _SECTION_PREFIX.sub("", row[column]))
    for row in _rows(gazetteer_dir / "hti_populated_places_wof_geonames.csv"):
        for column in ("name", "gn_name", "name_fra", "name_hat"):
            if row[column]:
                add(f"wof:{row['wof_id']}", row[column])
    return entries


@functools.cache
def seed_matcher() -> PlaceMatcher:
    """The hotspot matcher over the seed gazetteer, built once per test session."""
    return PlaceMatcher(seed_entries())


@functools.cache
def reference_matcher() -> PlaceMatcher:
    """The reference-place matcher over the bundled Haiti gazetteer, built once per session."""
    return PlaceMatcher(reference_entries())
