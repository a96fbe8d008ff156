"""Pure extraction from post text: places, kind, figures, contingents. No Django, no ORM."""

from ingestion.extraction.contingents import find_contingents
from ingestion.extraction.figures import extract_figures
from ingestion.extraction.kinds import KINDS, classify_kind
from ingestion.extraction.pipeline import Extraction, extract
from ingestion.extraction.places import AliasEntry, PlaceMatch, PlaceMatcher, PreparedText, match_places
from ingestion.extraction.reference import reference_entries

__all__ = [
    "KINDS",
    "AliasEntry",
    "Extraction",
    "PlaceMatch",
    "PlaceMatcher",
    "PreparedText",
    "classify_kind",
    "extract",
    "extract_figures",
    "find_contingents",
    "match_places",
    "reference_entries",
]
