"""Head counts: personnel deployed or committed, officers trained, in digits or words."""

from __future__ import annotations

import pytest

from ingestion.extraction import extract_figures
from ingestion.extraction.figures import parse_number_words


@pytest.mark.parametrize(
    ("text", "personnel"),
    [
        ("Kenya has committed an additional 600 officers for deployment.", 600),
        ("The MSS welcomed a new contingent of 150 Guatemalan soldiers.", 150),
        ("1,000 police officers will be deployed.", 1000),
        ("Le Belize annonce l'envoi de 1 000 militaires.", 1000),
        ("Le Bangladesh s'est engagé à envoyer 1.500 policiers.", 1500),
        ("Two hundred Kenyan police officers arrived on Tuesday.", 200),
        ("One thousand two hundred police officers will be deployed.", 1200),
        ("Five hundred and fifty officers are expected next week.", 550),
        ("Deux cents policiers kényans sont arrivés.", 200),
        ("Quatre-vingt-dix soldats supplémentaires déployés.", 90),
        ("A 150-strong Jamaican contingent arrived.", 150),
        ("A contingent of three hundred is expected.", 300),
    ],
)
def test_personnel_counts(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "trained"),
    [
        ("120 HNP officers graduated today from the tactical driving course.", 120),
        ("85 policiers haïtiens ont obtenu leur diplôme.", 85),
        ("Deux cents policiers formés par la MSS.", 200),
        ("Training session on human rights for 60 officers.", 60),
        ("150 officers trained at the academy will be deployed next month.", 150),
    ],
)
def test_trained_counts_are_not_personnel(text: str, trained: int) -> None:
    assert extract_figures(text) == {"trained": trained}


@pytest.mark.parametrize(
    "text",
    [
        "Three barricades dismantled, two weapons seized.",
        "Trois barricades démantelées, deux armes saisies.",
        "MSS delivered 2,500 food kits to families.",
        "Medical teams treated 40 patients.",
        "Five suspects arrested.",
        "Over 200 residents displaced by violence received food.",
        "3 vehicles were handed over to the HNP officers.",
        "Gunfire in Delmas 30.",
    ],
)
def test_counts_of_things_or_other_people_give_no_figure(text: str) -> None:
    assert extract_figures(text) == {}


def test_casualties_are_not_personnel() -> None:
    assert extract_figures("Two officers were injured during the deployment of 300 troops.") == {
        "personnel": 300
    }
    assert extract_figures("3 policiers blessés lors de l'opération.") == {}


def test_coordinated_counts_before_one_noun_add_up() -> None:
    assert extract_figures("200 Kenyan and 150 Jamaican officers arrived today.") == {"personnel": 350}


def test_a_count_after_the_noun_with_a_nationality_adds_up() -> None:
    assert extract_figures("200 policiers kényans et 150 jamaïcains sont arrivés.") == {"personnel": 350}


def test_a_count_of_things_after_a_counted_group_does_not_add_up() -> None:
    assert extract_figures("150 officers and 3 vehicles arrived.") == {"personnel": 150}


def test_the_first_count_of_a_role_is_kept() -> None:
    text = "An additional 600 officers deployed, bringing the total to 1,000 officers."
    assert extract_figures(text) == {"personnel": 600}


def test_both_roles_in_one_post() -> None:
    text = "300 officers arrived on Monday. 90 HNP officers graduated on Friday."
    assert extract_figures(text) == {"personnel": 300, "trained": 90}


def test_years_and_decimals_are_not_counts() -> None:
    assert extract_figures("In 2024 officers were deployed.") == {}
    assert extract_figures("A 2.5 hour patrol by officers deployed in the area.") == {}


def test_post_kind_decides_when_the_sentence_has_no_cue() -> None:
    assert extract_figures("400 officers.", kind="deployment") == {"personnel": 400}
    assert extract_figures("400 officers.", kind="training") == {"trained": 400}
    assert extract_figures("400 officers.", kind="statement") == {}


def test_no_number_gives_an_empty_dict() -> None:
    assert extract_figures("Officers were deployed.") == {}
    assert extract_figures("") == {}


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two hundred", 200),
        ("one hundred and fifty", 150),
        ("a thousand", 1000),
        ("two thousand five hundred", 2500),
        ("deux cents", 200),
        ("mille deux cents", 1200),
        ("quatre vingt dix", 90),
        ("soixante et onze", 71),
        ("vingt et un", 21),
        ("twenty - five", 25),
    ],
)
def test_number_words(words: str, value: int) -> None:
    assert parse_number_words(words.split()) == value
