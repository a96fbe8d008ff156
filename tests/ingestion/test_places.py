"""The place matcher: word trie, leftmost-longest, boundary rules, offsets into the original."""

from __future__ import annotations

import itertools
import time

import pytest

from ingestion.extraction import AliasEntry, PlaceMatcher, match_places
from ingestion.extraction.places import alias_variants
from tests.ingestion.seed_entries import reference_entries, reference_matcher, seed_matcher


def keys(text: str, matcher: PlaceMatcher | None = None) -> list[str]:
    return [m.key for m in (matcher or seed_matcher()).find(text)]


def texts(text: str, matcher: PlaceMatcher | None = None) -> list[str]:
    return [m.text for m in (matcher or seed_matcher()).find(text)]


@pytest.mark.parametrize(
    "text",
    ["PONT SONDE", "pont-sonde", "Pont\u2011Sondé", "pont sonde", "Pont–Sondé", "Pont Sondé!"],
)
def test_matching_ignores_case_accents_and_hyphens(text: str) -> None:
    assert keys(text) == ["pont-sonde"]


@pytest.mark.parametrize("text", ["L'Estère", "l’Estere", "LESTÈRE", "Lestè", "La Chicotte"])
def test_matching_ignores_apostrophe_forms_and_elision(text: str) -> None:
    assert keys(text) == ["lestere"]


def test_longest_alias_wins() -> None:
    assert texts("Gunfire in Delmas 33 overnight") == ["Delmas 33"]
    assert texts("Varreux fuel terminal") == ["Varreux fuel terminal"]


def test_matches_are_non_overlapping_and_in_text_order() -> None:
    found = seed_matcher().find("Torcelle, Bourdon and Carrefour Drouillard, then Torcelle again")
    assert [m.key for m in found] == ["torcelle", "bourdon", "carrefour-drouillard", "torcelle"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize("text", ["APNs", "Solinos", "Delmasville", "Cazeaux", "TLIAs"])
def test_an_alias_never_matches_inside_a_longer_word(text: str) -> None:
    assert keys(text) == []


def test_spans_are_the_original_text_for_accents_and_curly_apostrophes() -> None:
    text = "Patrouilles à l’Estère et au Carrefour de l’Aéroport, puis Fò Nasyonal."
    found = seed_matcher().find(text)
    assert [m.text for m in found] == ["l’Estère", "Carrefour de l’Aéroport", "Fò Nasyonal"]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_span_keeps_decomposed_accents_whole() -> None:
    text = "Pont Sonde\u0301 today"
    (match,) = seed_matcher().find(text)
    assert match.text == "Pont Sonde\u0301"


def test_elided_article_is_kept_only_when_the_alias_has_it() -> None:
    assert texts("à l'Académie Nationale de Police") == ["Académie Nationale de Police"]
    assert texts("à L'Estère") == ["L'Estère"]


@pytest.mark.parametrize(
    ("text", "key", "span"),
    [
        ("#PontSonde", "pont-sonde", "#PontSonde"),
        ("#Torcelle", "torcelle", "#Torcelle"),
        ("#ChampDeMars", "champ-de-mars", "#ChampDeMars"),
        ("#pontsonde", "pont-sonde", "#pontsonde"),
        ("#champdemars", "champ-de-mars", "#champdemars"),
        ("#Delmas33", "delmas", "#Delmas33"),
    ],
)
def test_hashtags_are_read_with_camel_case_split_or_as_one_word(text: str, key: str, span: str) -> None:
    (match,) = seed_matcher().find(f"Update {text} today")
    assert (match.key, match.text) == (key, span)


def test_a_place_at_the_start_of_a_longer_hashtag_still_matches() -> None:
    assert keys("#SolinoUpdate") == ["solino"]


@pytest.mark.parametrize(
    "text",
    [
        "Read it: https://mss.example.org/updates/solino-week-12",
        "http://example.org/Pont-Sonde",
        "see www.mss-haiti.org/torcelle-report",
        "mss-haiti.org/cazeau",
        "follow @SolinoNews and @Delmas33",
        "write to solino@example.org",
    ],
)
def test_urls_handles_and_emails_are_ignored(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Clearance operation in Carrefour this morning",
        "The Croix-Rouge haïtienne joined us",
        "La Croix-Rouge haïtienne et la MSS",
        "la Croix-Rouge",
        "Distribution à Croix-des-Bouquets",
        "Flights at Cap-Haïtien international airport",
        "The Port-au-Prince municipality",
        "Haut-La-Croix",
        "Checkpoints on the road to Petite-Rivière-de-Nippes",
    ],
)
def test_generic_words_and_longer_compounds_do_not_match(text: str) -> None:
    assert keys(text) == []


def test_hyphen_to_a_number_or_english_suffix_still_matches() -> None:
    assert keys("Delmas-31 and Cazeau-based units") == ["delmas", "cazeau"]


def test_hyphen_between_two_places_is_a_connector() -> None:
    assert keys("the Solino-Fort National road") == ["solino", "fort-national"]
    mentions, candidates = match_places("the Delmas-Tabarre road", seed_matcher(), reference_matcher())
    assert [m.key for m in mentions] == ["delmas"]
    assert [m.text for m in candidates] == ["Tabarre"]


def test_a_place_name_does_not_run_across_sentence_punctuation() -> None:
    assert texts("Calm in Delmas. 2 officers on duty") == ["Delmas"]
    assert texts("Solino, Fort National") == ["Solino", "Fort National"]


def test_a_number_is_never_cut() -> None:
    assert texts("Delmas 2,500 kits") == ["Delmas"]


def test_labels_with_inline_alternatives_are_split() -> None:
    assert alias_variants("National Port Authority (APN) - Port international de Port-au-Prince") == [
        "National Port Authority (APN) - Port international de Port-au-Prince",
        "National Port Authority",
        "Port international de Port-au-Prince",
        "APN",
    ]
    matcher = PlaceMatcher([AliasEntry("ighnp", "IGHNP Building (IGPNH, Inspection Générale de la PNH)")])
    assert keys("IGPNH and the Inspection générale de la PNH", matcher) == ["ighnp", "ighnp"]


def test_first_entry_keeps_an_alias_shared_by_two_keys() -> None:
    matcher = PlaceMatcher([AliasEntry("a", "Delmas"), AliasEntry("b", "DELMAS")])
    assert keys("Delmas", matcher) == ["a"]
    assert len(matcher) == 1


def test_empty_gazetteer_and_empty_text_find_nothing() -> None:
    assert PlaceMatcher([]).find("Solino") == []
    assert seed_matcher().find("") == []


def test_reference_name_around_a_hotspot_alias_is_another_place() -> None:
    mentions, candidates = match_places(
        "Kidnappings in Hatte Drouillard and Petite Rivière de Nippes", seed_matcher(), reference_matcher()
    )
    assert mentions == []
    assert [m.text for m in candidates] == ["Hatte Drouillard", "Petite Rivière de Nippes"]


def test_numbered_neighbourhood_stays_with_its_hotspot() -> None:
    mentions, _ = match_places("Gunfire in Delmas 73", seed_matcher(), reference_matcher())
    assert [(m.key, m.text) for m in mentions] == [("delmas", "Delmas")]


def test_relative_alias_before_another_town_is_that_town() -> None:
    for text in ("Gunfire in downtown Cap-Haïtien", "Patrols in the centre-ville de Jacmel"):
        mentions, _ = match_places(text, seed_matcher(), reference_matcher())
        assert mentions == []
    mentions, _ = match_places("Patrols downtown this morning", seed_matcher(), reference_matcher())
    assert [m.key for m in mentions] == ["downtown"]


def test_reference_place_that_is_not_a_hotspot_is_a_candidate() -> None:
    mentions, candidates = match_places(
        "medical outreach in Cité Soleil", seed_matcher(), reference_matcher()
    )
    assert mentions == []
    assert [(m.key, m.text) for m in candidates] == [("HT0117", "Cité Soleil")]


def test_candidates_never_overlap_mentions() -> None:
    text = "Patrols in Delmas, Cazeau, Pont Sondé and Solino"
    mentions, candidates = match_places(text, seed_matcher(), reference_matcher())
    assert [m.key for m in mentions] == ["delmas", "cazeau", "pont-sonde", "solino"]
    assert candidates == []


def test_lowercase_common_words_are_not_candidates() -> None:
    _, candidates = match_places("we showed patience at the fort", seed_matcher(), reference_matcher())
    assert candidates == []


def test_matcher_over_eleven_thousand_entries_builds_fast() -> None:
    entries = reference_entries()
    entries += [AliasEntry(f"synthetic-{n}", f"Morne Synthétique {n}") for n in range(11_000 - len(entries))]
    started = time.perf_counter()
    matcher = PlaceMatcher(entries)
    elapsed = time.perf_counter() - started
    assert len(matcher) >= 10_000
    assert elapsed < 2.0
