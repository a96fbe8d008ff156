"""Contributing countries by name, demonym, French and Kreyòl forms."""

from __future__ import annotations

import pytest

from ingestion.extraction import find_contingents


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kenyan President William Ruto", "KE"),
        ("les policiers kényans", "KE"),
        ("polis Kenyan yo", "KE"),
        ("Jamaican soldiers", "JM"),
        ("des soldats jamaïcains", "JM"),
        ("Jamayik voye polis", "JM"),
        ("Belizean troops", "BZ"),
        ("militaires béliziens", "BZ"),
        ("The Bahamas", "BS"),
        ("Bahamian soldiers", "BS"),
        ("soldats bahaméens", "BS"),
        ("Guatemalan soldiers", "GT"),
        ("soldats guatémaltèques", "GT"),
        ("Gwatemala", "GT"),
        ("El Salvador", "SV"),
        ("Salvadoran troops", "SV"),
        ("militaires salvadoriens", "SV"),
        ("Salvadò", "SV"),
        ("le Bénin", "BJ"),
        ("le Tchad", "TD"),
        ("Bangladeshi police", "BD"),
        ("Barbados", "BB"),
        ("Antigua and Barbuda", "AG"),
    ],
)
def test_country_forms(text: str, code: str) -> None:
    assert find_contingents(text) == [code]


def test_codes_in_order_of_first_mention_without_repeats() -> None:
    text = "Jamaican and Kenyan officers joined the Kenyan contingent; Jamaica sent more."
    assert find_contingents(text) == ["JM", "KE"]


def test_demonyms_in_compounds_still_count() -> None:
    assert find_contingents("the Kenyan-led mission") == ["KE"]


def test_countries_outside_the_contributors_are_not_contingents() -> None:
    assert find_contingents("Canada and the United States funded the mission.") == []


def test_urls_and_handles_are_ignored() -> None:
    assert find_contingents("https://example.org/kenya @KenyaPolice") == []


def test_hashtags_count() -> None:
    assert find_contingents("#KenyaInHaiti") == ["KE"]


def test_no_country_gives_an_empty_list() -> None:
    assert find_contingents("Patrols continued.") == []
