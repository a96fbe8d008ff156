"""One call that reads everything the portal keeps from a post."""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.extraction.contingents import find_contingents
from ingestion.extraction.cues import unknown_place_names
from ingestion.extraction.figures import extract_figures
from ingestion.extraction.kinds import KindModel, classify
from ingestion.extraction.places import PlaceMatch, PlaceMatcher, PreparedText, match_places

__all__ = ["Extraction", "extract"]


@dataclass(frozen=True, slots=True)
class Extraction:
    """What a post says: hotspot mentions, kind (with its confidence), figures, contingents, other places."""

    mentions: list[PlaceMatch]
    kind: str
    figures: dict[str, int]
    contingents: list[str]
    candidates: list[PlaceMatch]
    # How sure the kind is, in [0, 1]; below kinds.REVIEW_THRESHOLD the update needs review.
    confidence: float


def extract(
    text: str,
    matcher: PlaceMatcher,
    reference: PlaceMatcher | None = None,
    *,
    kind_model: KindModel | None = None,
) -> Extraction:
    """Extract hotspot mentions, kind, figures and contingents from one post's text.

    ``matcher`` holds the hotspot aliases, ``reference`` (optional) the other places of Haiti
    (communes, sections, towns). A reference name that contains a hotspot alias takes the span
    ("Hatte Drouillard" is not Carrefour Drouillard); reference matches that overlap no mention
    are returned as ``candidates`` for staff to review and promote, followed by unknown
    capitalised names after a place cue ("in Lakou Blan"), keyed ``unknown:<name>``.
    ``kind_model`` (reviewers' corrections, :func:`~ingestion.extraction.kinds.train_kind_model`)
    adds what corrected posts like this one say to the kind's reading.
    """
    prepared = PreparedText(text)  # tokenised once for hotspots, reference places and countries
    mentions, candidates = match_places(prepared, matcher, reference)
    guess = classify(text, kind_model)
    return Extraction(
        mentions=mentions,
        kind=guess.kind,
        figures=extract_figures(text, guess.kind),
        contingents=find_contingents(prepared),
        candidates=candidates + unknown_place_names(text, mentions + candidates),
        confidence=guess.confidence,
    )
