"""Pure extraction from post text: places, kind, figures, contingents. No Django, no ORM."""

from ingestion.extraction.contingents import find_contingents
from ingestion.extraction.figures import FIGURE_KEYS, extract_figures
from ingestion.extraction.kinds import (
    KINDS,
    REVIEW_THRESHOLD,
    KindGuess,
    KindModel,
    classify,
    classify_kind,
    train_kind_model,
)
from ingestion.extraction.pipeline import Extraction, extract
from ingestion.extraction.places import AliasEntry, PlaceMatch, PlaceMatcher, PreparedText, match_places
from ingestion.extraction.reference import reference_entries

__all__ = [
    "FIGURE_KEYS",
    "KINDS",
    "REVIEW_THRESHOLD",
    "AliasEntry",
    "Extraction",
    "KindGuess",
    "KindModel",
    "PlaceMatch",
    "PlaceMatcher",
    "PreparedText",
    "classify",
    "classify_kind",
    "extract",
    "extract_figures",
    "find_contingents",
    "match_places",
    "reference_entries",
    "train_kind_model",
]
