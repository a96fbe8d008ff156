"""Alias entries built from the project's data files, for the extraction tests and the benchmark.

Plain csv reading, no Django: the seed gazetteer (each hotspot's name plus every alias from
``hotspots_seed.csv`` and ``hotspot_aliases.csv``) and the Haiti reference gazetteer (communes,
sections communales, populated places) in the project's copy, ``hotspots/data/reference``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from pathlib import Path

from ingestion.extraction import AliasEntry, PlaceMatcher
from ingestion.extraction import reference_entries as extraction_reference_entries

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = REPO_ROOT / "hotspots" / "data"
DEV_DATA = REPO_ROOT / "tests" / "data" / "ingestion" / "dev"  # the project's copy of the dev posts
GAZETTEER_DIR = SEED_DIR / "reference"  # the project's copy of shared/data/gazetteer


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
    """Communes, sections communales and populated places of Haiti, read from the bundled CSVs.

    Keys are the P-code for communes and sections and ``wof:<id>`` for populated places; which names
    count is the portal's own rule (``ingestion.extraction.reference_entries``).
    """
    return extraction_reference_entries(
        (
            (r["adm2_pcode"], (r["adm2_fr"], r["adm2_en"]))
            for r in _rows(gazetteer_dir / "hti_adm2_communes.csv")
        ),
        (
            (r["adm3_pcode"], (r["adm3_fr"], r["adm3_en"]))
            for r in _rows(gazetteer_dir / "hti_adm3_sections_communales.csv")
        ),
        (
            (f"wof:{r['wof_id']}", (r["name"], r["gn_name"], r["name_fra"], r["name_hat"]))
            for r in _rows(gazetteer_dir / "hti_populated_places_wof_geonames.csv")
        ),
    )


@functools.cache
def seed_matcher() -> PlaceMatcher:
    """The hotspot matcher over the seed gazetteer, built once per test session."""
    return PlaceMatcher(seed_entries())


@functools.cache
def reference_matcher() -> PlaceMatcher:
    """The reference-place matcher over the bundled Haiti gazetteer, built once per session."""
    return PlaceMatcher(reference_entries())
