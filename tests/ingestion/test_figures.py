"""Figures: personnel deployed or committed, officers trained, people arrested, weapons seized.

In digits or number words, in English, French and Kreyòl, however the count is phrased; counts of
things, casualties and rounds of ammunition are never figures.
"""

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
        # number words
        ("Two hundred and fifty officers arrived this morning.", 250),
        ("Trois cent cinquante policiers sont arrivés.", 350),
        ("Mille deux cents policiers seront déployés.", 1200),
        ("Une centaine de policiers supplémentaires sont attendus.", 100),
        ("Un millier de soldats béninois seront déployés.", 1000),
        # Kreyòl digits
        ("300 polis Kenyen rive Ayiti jodi a.", 300),
        ("Gwatemala ap voye 150 sòlda.", 150),
        ("200 ajan nan kontenjan an rive.", 200),
        # approximate but stated
        ("Some 600 Kenyan officers are expected.", 600),
        ("Plus de 900 policiers kényans sont déployés.", 900),
    ],
)
def test_personnel_counts(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "personnel"),
    [
        ("The arrival of the Salvadorans brings the total to 1,000 officers.", 1000),
        ("With today's arrivals the force now numbers 1,200.", 1200),
        ("The mission's strength now stands at 990 personnel.", 990),
        ("Ces arrivées portent à 1 000 le nombre de policiers de la mission.", 1000),
    ],
)
def test_a_total_alone_is_the_figure(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "personnel"),
    [
        ("Officers: 120, deployed to Pont-Sondé.", 120),
        ("Un effectif de 300 agents a été déployé.", 300),
        ("Des policiers au nombre de 150 sont arrivés.", 150),
        ("Kenyan troops (about 400) landed on Tuesday.", 400),
        ("Kenya will send 400 more next month.", 400),
    ],
)
def test_a_count_after_its_noun(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "personnel"),
    [
        ("Welcome to the new Guatemalan medical team! Personnel: 80", 80),
        ("Welcome to Haiti, Jamaica Defence Force medics! Soldiers: 120", 120),
        ("Byenveni bay 80 pèsonèl medikal ki sot Gwatemala.", 80),
        ("Akeyi cho pou 60 pèsonèl Kenyen ki rive ayewopò a maten an.", 60),
        ("Bienvenue à l'équipe médicale salvadorienne : 45 personnels de santé rejoignent la mission.", 45),
        ("We warmly welcome 150 Bahamian officers to the mission.", 150),
    ],
)
def test_a_welcomed_team_is_counted_as_personnel(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "personnel"),
    [
        ("The new arrivals, bringing the force to 1,000, landed on Tuesday.", 1000),
        ("Les nouveaux arrivants, portant l'effectif à 1 200, ont atterri mardi.", 1200),
        ("Jamaica sends a 120-strong unit of soldiers and police.", 120),
        ("Soldiers: 230 — the Salvadoran contingent landed this morning.", 230),
        ("Effectif : 150 policiers kényans arrivés ce matin.", 150),
        ("Kenya ap retire 200 polis nan misyon an, daprè ministè a.", 200),
        ("More than 400 Kenyan officers are going home this week.", 400),
    ],
)
def test_strengths_labels_and_departures_are_personnel(text: str, personnel: int) -> None:
    assert extract_figures(text) == {"personnel": personnel}


@pytest.mark.parametrize(
    ("text", "trained"),
    [
        ("120 HNP officers graduated today from the tactical driving course.", 120),
        ("85 policiers haïtiens ont obtenu leur diplôme.", 85),
        ("Deux cents policiers formés par la MSS.", 200),
        ("Training session on human rights for 60 officers.", 60),
        ("150 officers trained at the academy will be deployed next month.", 150),
        ("A cohort of 120 cadets graduated on Friday.", 120),
        ("La 35e promotion compte 450 aspirants diplômés.", 450),
        ("200 nouvo polis gradye nan Akademi an.", 200),
        ("Quatre-vingts agents formés aux techniques d'intervention.", 80),
        # graduating said as leaving the school
        ("Vingt-quatre nouveaux policiers sont sortis de l'École nationale de police.", 24),
        ("412 new officers passed out of the police academy on Friday.", 412),
        ("Nouvo polis yo soti lekòl polis la jodi a, 412 ofisye an plis.", 412),
        # number words
        ("Trente-cinq cadets ont reçu leur diplôme vendredi.", 35),
        ("Twenty-four recruits completed their training at the academy.", 24),
        ("Swasant polis fin fòmasyon yo nan Akademi an.", 60),
    ],
)
def test_trained_counts_are_not_personnel(text: str, trained: int) -> None:
    assert extract_figures(text) == {"trained": trained}


@pytest.mark.parametrize(
    ("text", "arrests"),
    [
        ("Police arrested 12 suspects in Delmas.", 12),
        ("Five suspects arrested.", 5),
        ("Officers detained eight people at a checkpoint.", 8),
        ("Police apprehended four kidnapping suspects.", 4),
        ("12 arrests were made during the operation.", 12),
        ("Officers arrested 12 in Delmas overnight.", 12),
        ("Five gang members were killed and three arrested.", 3),
        ("12 personnes interpellées à Pétion-Ville.", 12),
        ("Opération de sécurisation : 5 suspects arrêtés.", 5),
        ("La police a mis la main sur cinq présumés bandits.", 5),
        ("Bilan : 7 arrestations.", 7),
        ("Polis la arete 5 moun nan Kafou.", 5),
        ("yo arete 5 moun", 5),
        ("Polis yo kenbe 4 bandi.", 4),
        ("Police arrested a suspect at the checkpoint.", 1),
        ("Polis yo arete de moun nan Kafou.", 2),
        ("Trois individus appréhendés lors d'une fouille à Delmas.", 3),
        ("Yo arete senk moun nan Tabarre maten an.", 5),
        ("Two suspects were apprehended near the airport.", 2),
        ("Polis la met men sou twa bandi nan Kanaran.", 3),
    ],
)
def test_arrest_counts(text: str, arrests: int) -> None:
    assert extract_figures(text) == {"arrests": arrests}


@pytest.mark.parametrize(
    ("text", "weapons"),
    [
        ("Police seized 7 rifles.", 7),
        ("Police seized 7 rifles and 2,000 rounds of ammunition.", 7),
        ("Three barricades dismantled, two weapons seized.", 2),
        ("Officers recovered five firearms in a raid.", 5),
        ("Seized: three rifles, two pistols and a shotgun.", 6),
        ("Saisie de 4 armes à feu à Delmas.", 4),
        ("Trois barricades démantelées, deux armes saisies.", 2),
        ("Une arme à feu saisie lors de la fouille.", 1),
        ("Polis yo sezi 3 zam nan katye a.", 3),
        ("Yon ekip polis fè fouy, yo jwenn 2 zam.", 2),
    ],
)
def test_weapons_seized_counts(text: str, weapons: int) -> None:
    assert extract_figures(text) == {"weapons_seized": weapons}


def test_arrests_and_weapons_in_one_sentence() -> None:
    assert extract_figures("The HNP arrested two suspects and seized four rifles.") == {
        "arrests": 2,
        "weapons_seized": 4,
    }
    assert extract_figures("Les policiers ont interpellé 7 individus et saisi 2 pistolets.") == {
        "arrests": 7,
        "weapons_seized": 2,
    }


@pytest.mark.parametrize(
    "text",
    [
        "MSS delivered 2,500 food kits to families.",
        "Medical teams treated 40 patients.",
        "Over 200 residents displaced by violence received food.",
        "3 vehicles were handed over to the HNP officers.",
        "Gunfire in Delmas 30.",
        "Police seized 500 rounds of ammunition.",
        "Polis yo sezi 2000 bal.",
        "Gunmen armed with 20 rifles attacked the station.",
        "Gangs kidnapped 12 passengers from a bus.",
        "Gangs hold 5 hostages.",
        "Police freed 12 hostages.",
        "Five gang members were killed in the operation.",
        "400 Mawozo gang members attacked the village.",
        "Officers of the 35th promotion received their diplomas.",
        "1/3 Officers deployed across the capital.",
        "A total of 2,500 food kits were handed out.",
        "La police de Delmas a reçu la visite du ministre.",
        "Gang yo touye de moun nan Kafou.",
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


# Labels whose noun has a word of its own before the colon; counts of role nouns; totals said long.
@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Kenyan officers expected: 350. They land next week.", "deployment", {"personnel": 350}),
        ("Effectif de policiers prévu : 250 pour la deuxième vague.", "deployment", {"personnel": 250}),
        ("Polis kenyan ki ap vini : 120, dapre ministè a.", "deployment", {"personnel": 120}),
        ("31 HNP mechanics completed the maintenance course in Tabarre.", "training", {"trained": 31}),
        ("Douze techniciens de la PNH ont reçu leur certificat radio.", "training", {"trained": 12}),
        ("Police picked up 3 guys with pistols at a checkpoint.", "security_operation", {"arrests": 3}),
        ("La police a interpellé 4 gars suspects à Carrefour.", "security_operation", {"arrests": 4}),
        (
            "New arrivals from Jamaica bring the overall number of officers serving with the MSS to 1,150.",
            "deployment",
            {"personnel": 1150},
        ),
    ],
)
def test_labels_role_nouns_and_long_totals(text, kind, expected):
    assert extract_figures(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Aid trucks expected: 14 by the end of the week.", "humanitarian"),
        ("The storm brought the number of flooded houses in the area to 1,200.", "humanitarian"),
        ("Truck drivers said 40 trucks were waiting at the port.", "statement"),
    ],
)
def test_things_counted_with_those_words_are_no_figure(text, kind):
    assert extract_figures(text, kind) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome to the new Guatemalan police unit! Officers: 150. Based in Tabarre.", {"personnel": 150}),
        ("Bienvenue aux renforts venus du Belize. Militaires : 80.", {"personnel": 80}),
        ("Byenveni bay nouvo ekip Kenya a. Polis: 200.", {"personnel": 200}),
        ("A new class finished the course today. Officers: 45.", {"trained": 45}),
        ("Gunmen opened fire on a market. Police officers: 40.", {}),
    ],
)
def test_a_count_alone_in_its_sentence_reads_the_sentence_before(text, expected):
    # The kind is left to the classifier, which may read a welcome of a medical team as aid.
    assert extract_figures(text, "humanitarian") == expected
