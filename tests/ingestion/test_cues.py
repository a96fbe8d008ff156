"""Unknown place names after a place cue become candidates; other capitalised words do not."""

import pytest

from ingestion.extraction import PlaceMatch
from ingestion.extraction.cues import unknown_place_names


def _names(text, known=()):
    return [m.text for m in unknown_place_names(text, list(known))]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Patrols continued in Lakou Blan this morning.", ["Lakou Blan"]),
        ("Opération conjointe à Fond de la Croix hier.", ["Fond de la Croix"]),
        ("Checkpoint près de Morne l'Hôpital.", ["Morne l'Hôpital"]),
        ("Polis yo te nan Site Solèy jodi a.", ["Site Solèy"]),
        ("Barricades removed near Rue Pavée and in Bel Air.", ["Rue Pavée", "Bel Air"]),
    ],
)
def test_a_capitalised_name_after_a_cue_is_a_candidate(text, names):
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Support from Kenya arrived in March.",
        "The Jamaican contingent landed on Monday at dawn.",
        "Officers met in HNP headquarters with the MSS.",
        "patrols in the area continued in calm conditions",
        "Read more at https://mss.example.org/In/Solino",
        "Operations continued in Haïti and in Port-au-Prince.",
    ],
)
def test_time_words_organisations_countries_and_lowercase_words_are_not(text):
    assert _names(text) == []


def test_a_known_place_is_not_reported_again():
    text = "Patrols in Solino Extension today."
    known = [PlaceMatch("solino", "Solino", 11, 17)]
    assert _names(text, known) == []


def test_the_span_points_at_the_name_in_the_original_text():
    text = "Opération à Fond de la Croix."
    (match,) = unknown_place_names(text, [])
    assert text[match.start : match.end] == "Fond de la Croix"
    assert match.key == "unknown:fond de la croix"
