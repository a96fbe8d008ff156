"""Property tests: whatever text a post holds, extraction answers and its spans point into the text.

The extraction runs on every post, from every source: an exception here leaves a post failed and a
span outside the text breaks the admin's and the API's highlighting. The seed gazetteer and the
Haiti reference gazetteer are the real ones.
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingestion.extraction import KINDS, extract
from tests.ingestion.seed_entries import reference_matcher, seed_matcher

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# Pieces that exercise the matcher's and the figure reader's edges, mixed with arbitrary text.
PIECES = st.sampled_from(
    [
        "Solino", "Pont-Sondé", "#PontSonde", "TLIA", "Cité Soleil", "Croix-des-Bouquets", "La Croix",
        "Carrefour", "l'aéroport", "l’aéroport", "Delmas 30", "https://t.co/abc?Solino", "@MSS_Haiti",
        "600", "1 000", "1,200", "deux cents", "policiers", "officers", "trained", "graduated",
        "Kenya", "🇰🇪", "HNP", "PNH", "\u0301", "\u200b", "\ufeff", "\x00", "\n", " ", "'", "-", "#", "...",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=60).map(" ".join),
    st.lists(PIECES, max_size=80).map("".join),
)


@pytest.fixture(scope="module")
def matchers():
    return seed_matcher(), reference_matcher()


@FUZZ
@given(text=TEXTS)
def test_extraction_never_raises_and_spans_are_valid(matchers, text):
    hotspots, reference = matchers
    result = extract(text, hotspots, reference)
    assert result.kind in KINDS
    assert all(isinstance(value, int) and value >= 0 for value in result.figures.values())
    for match in [*result.mentions, *result.candidates]:
        assert 0 <= match.start < match.end <= len(text), (match, len(text))
        assert match.text == text[match.start : match.end]
    spans = [(m.key, m.start) for m in result.mentions]
    assert len(spans) == len(set(spans))  # one mention per hotspot and place in the text


@settings(max_examples=30, deadline=timedelta(seconds=5))
@given(st.integers(min_value=1_000, max_value=40_000), PIECES)
def test_long_posts_are_handled_in_time(size, piece):
    text = (piece + " Solino ") * (size // (len(piece) + 8) + 1)
    result = extract(text[:size], seed_matcher(), reference_matcher())
    assert all(m.end <= size for m in result.mentions)
