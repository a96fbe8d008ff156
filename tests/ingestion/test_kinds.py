"""Update kind from the weighted en/fr/ht lexicon, with negation, cause clauses and precedence."""

from __future__ import annotations

import pytest

from ingestion.extraction import KINDS, classify_kind
from ingestion.extraction.kinds import kind_scores


@pytest.mark.parametrize(
    "text",
    [
        "Joint patrols continued overnight along the main road.",
        "Patrouilles conjointes MSS-PNH dans la zone.",
        "Polis yo fè patwouy nan zòn nan.",
        "MSS units escorted a fuel convoy to the north.",
        "Checkpoints set up at the entrance of the city.",
        "Three suspects arrested and two rifles seized.",
        "Barricades démantelées et armes saisies.",
        "Opération de sécurisation en cours.",
        "The HNP secured the container yards with MSS support.",
        "Fòs sekirite yo ap kontinye operasyon yo.",
        "Forces conducted a cordon and search, recovering ammunition.",
        "The HNP regained control of the national road.",
        "Gangs were dislodged from their positions following a joint operation.",
        "The MSS rescued 12 hostages held by gang members.",
        "Polis yo arete 3 bandi.",
        "The road was reopened after clearing the barricades.",
    ],
)
def test_security_operation_wording(text: str) -> None:
    assert classify_kind(text) == "security_operation"


@pytest.mark.parametrize(
    "text",
    [
        "Kenya has committed an additional 600 officers for deployment.",
        "A new contingent arrived at the airport this morning.",
        "Un nouveau contingent de policiers est arrivé.",
        "Armoured vehicles were handed over to the HNP.",
        "Le Bénin va envoyer des troupes.",
        "Nouvo kontenjan polis rive jodi a.",
        "Soldiers of the Jamaica Defence Force have joined the MSS mission.",
        "Des policiers bahaméens rejoignent la mission MSS.",
        "The MSS received 20 armoured personnel carriers.",
        "La MSS a remis 10 véhicules blindés à la PNH.",
    ],
)
def test_deployment_wording(text: str) -> None:
    assert classify_kind(text) == "deployment"


@pytest.mark.parametrize(
    "text",
    [
        "120 officers graduated from the tactical driving course.",
        "Des policiers ont été formés aux droits humains.",
        "Training session on first aid for HNP officers.",
        "Les cadets ont reçu leur diplôme.",
    ],
)
def test_training_wording(text: str) -> None:
    assert classify_kind(text) == "training"


@pytest.mark.parametrize(
    "text",
    [
        "Heavy gunfire reported in the area.",
        "Gang attack repelled near the junction.",
        "Kidnapping reported this morning.",
        "Tirs nourris signalés, des blessés sont à déplorer.",
        "Fusiyad nan zòn nan aswè a.",
        "Two officers were wounded in an ambush.",
        "MSS condemns the killing of civilians.",
        "Gang yo tire sou machin polis yo.",
    ],
)
def test_incident_wording(text: str) -> None:
    assert classify_kind(text) == "incident"


@pytest.mark.parametrize(
    "text",
    [
        "Food kits distributed to displaced families.",
        "Distribution d'eau potable aux sinistrés.",
        "Medical outreach with the Red Cross today.",
        "Clinique mobile organisée avec la Croix-Rouge.",
        "WFP and MSS delivered rice and beans to 1,500 families.",
        "Medical evacuation of an injured HNP officer.",
    ],
)
def test_humanitarian_wording(text: str) -> None:
    assert classify_kind(text) == "humanitarian"


@pytest.mark.parametrize(
    "text",
    [
        "Read the weekly summary of our work.",
        "Le Conseil de sécurité de l'ONU examine un projet de résolution.",
        "Flights are operating normally.",
        "We thank our partners for their continued support.",
        "MSS welcomes the resolution extending its mandate.",
        "",
    ],
)
def test_no_cue_is_a_statement(text: str) -> None:
    assert classify_kind(text) == "statement"


def test_negated_casualties_do_not_make_an_incident() -> None:
    assert (
        classify_kind("Clearance operation this morning; no injuries among officers.") == "security_operation"
    )
    assert classify_kind("Aucun blessé lors de l'opération de contrôle.") == "security_operation"
    assert kind_scores("No injuries reported.")["incident"] == 0


def test_incident_named_as_the_cause_counts_less_than_the_action() -> None:
    assert classify_kind("Checkpoints reinforced after overnight incidents.") == "security_operation"
    assert (
        classify_kind("Building secured by MSS units after an attempted incursion.") == "security_operation"
    )


def test_an_incident_in_the_main_clause_stays_an_incident() -> None:
    assert classify_kind("Gang attack repelled; units held their positions.") == "incident"


def test_graduation_is_training_even_with_officers_counted() -> None:
    assert classify_kind("120 officers graduated today.") == "training"


def test_under_control_is_not_a_security_cue() -> None:
    assert classify_kind("Échange de tirs ; la situation est sous contrôle.") == "incident"


def test_security_alone_is_not_a_security_operation() -> None:
    assert classify_kind("The Security Council meets on Haiti.") == "statement"


def test_result_is_always_one_of_the_kinds() -> None:
    for text in ["", "patrol", "gunfire", "x" * 1000]:
        assert classify_kind(text) in KINDS
