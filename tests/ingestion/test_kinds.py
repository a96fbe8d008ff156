"""Update kind from the weighted en/fr/ht lexicon read by clause: negation, cause, doer, escort, confidence.

Also the corrections model: reviewers' corrected posts change the kind of posts worded like them.
"""

from __future__ import annotations

import json

import pytest

from ingestion.extraction import (
    KINDS,
    REVIEW_THRESHOLD,
    KindGuess,
    KindModel,
    classify,
    classify_kind,
    extract,
    train_kind_model,
)
from ingestion.extraction.kinds import (
    _ALTERNATIVES,
    _ALWAYS,
    _DIGIT_FIRST,
    _aligned_fold,
    _cue_matches,
    kind_scores,
)
from tests.ingestion.kind_cases import CASES, FAMILIES


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
        "MSS condemns the killing of civilians.",
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


# Clause structure, doers, escorts, announced sending, in wording the lexicon was not written from.


@pytest.mark.parametrize(
    ("text", "kind"), CASES, ids=[f"{kind[:4]}-{n:03d}" for n, (_, kind) in enumerate(CASES)]
)
def test_kind_of_varied_wording(text: str, kind: str) -> None:
    assert classify_kind(text) == kind


@pytest.mark.parametrize(("text", "kind"), FAMILIES, ids=[f"fam-{n:03d}" for n in range(len(FAMILIES))])
def test_family_wording_is_read_with_a_margin(text: str, kind: str) -> None:
    """Not a tie won by precedence: the kind beats the next one by at least half a cue."""
    guess = classify(text)
    assert guess.kind == kind
    assert guess.confidence > 0.5


def test_gangs_doing_what_forces_do_is_an_incident() -> None:
    assert classify_kind("Gangs took control of the police station.") == "incident"
    assert classify_kind("The police took control of the police station.") == "security_operation"
    assert classify_kind("Des hommes armés ont érigé des barricades sur la route.") == "incident"
    assert classify_kind("Bandi yo bloke wout la.") == "incident"


def test_forces_doing_what_gangs_do_is_an_operation() -> None:
    assert classify_kind("Police killed three gang members during an operation.") == "security_operation"
    assert classify_kind("Gangs killed three residents.") == "incident"


def test_the_subject_of_a_passive_is_not_the_doer() -> None:
    assert classify_kind("Two officers were wounded in an ambush.") == "incident"
    assert classify_kind("Gang leader arrested in Delmas.") == "security_operation"
    assert classify_kind("4 bandits interpellés et 2 fusils saisis.") == "security_operation"
    assert classify_kind("Un policier a été abattu par des bandits.") == "incident"


def test_a_gang_named_after_against_is_the_target() -> None:
    assert classify_kind("Offensive against gang positions in Bas-Delmas.") == "security_operation"


def test_escorted_aid_is_humanitarian_and_escorted_forces_or_fuel_are_not() -> None:
    assert classify_kind("MSS units escorted a WFP convoy carrying food.") == "humanitarian"
    assert classify_kind("Sous escorte de la MSS, des camions de vivres sont arrivés.") == "humanitarian"
    assert classify_kind("MSS units escorted HNP reinforcements to the station.") == "security_operation"
    assert classify_kind("MSS units escorted fuel trucks out of the terminal.") == "security_operation"


def test_aid_hit_by_gangs_is_an_incident() -> None:
    assert classify_kind("Bandits hijacked a truck carrying food aid.") == "incident"


@pytest.mark.parametrize(
    "text",
    [
        "Un deuxième contingent est attendu la semaine prochaine.",
        "Le Guatemala enverra 150 militaires.",
        "Les Bahamas vont envoyer des policiers.",
        "Kenya pral voye 600 lòt polis.",
        "Lòt kontenjan an ap rive semèn pwochèn.",
        "200 policiers arriveront lundi.",
    ],
)
def test_announced_or_expected_sending_is_a_deployment(text: str) -> None:
    assert classify_kind(text) == "deployment"


def test_negated_acts_do_not_count() -> None:
    assert classify_kind("No incidents reported overnight.") == "statement"
    assert classify_kind("Pa gen okenn atak ki rapòte yè swa.") == "statement"
    assert kind_scores("No arrests were made.")["security_operation"] == 0


def test_a_round_up_is_a_statement_whatever_it_lists() -> None:
    assert (
        classify_kind("Weekly wrap: patrols in Delmas, a checkpoint in Cazeau, food kits in Solino.")
        == "statement"
    )
    assert classify_kind("Since January, officers have arrested 62 suspects.") == "statement"


def test_a_visit_is_a_statement() -> None:
    assert classify_kind("The Force Commander visited the checkpoint and spoke with officers.") == "statement"


# Confidence.


def test_classify_gives_the_kind_its_confidence_and_the_scores() -> None:
    guess = classify("Heavy gunfire reported in Delmas; two residents wounded.")
    assert isinstance(guess, KindGuess)
    assert (
        guess.kind == "incident" == classify_kind("Heavy gunfire reported in Delmas; two residents wounded.")
    )
    assert 0.0 <= guess.confidence <= 1.0
    assert set(guess.scores) == set(KINDS)
    assert guess.scores["incident"] == max(guess.scores.values())


def test_clear_margins_are_confident() -> None:
    assert classify("Gangs attacked the market; gunfire and several people killed.").confidence >= 0.9
    assert classify("120 officers graduated from the driving course at the academy.").confidence >= 0.9


def test_no_cue_at_all_needs_review() -> None:
    guess = classify("Read the full story on our website.")
    assert guess.kind == "statement"
    assert guess.confidence < REVIEW_THRESHOLD


def test_one_weak_cue_needs_review() -> None:
    guess = classify("Troops in the capital.")
    assert guess.confidence < REVIEW_THRESHOLD


def test_close_kinds_are_less_confident_than_clear_ones() -> None:
    close = classify("Patrol near the clinic.")  # two kinds, one cue each
    clear = classify("Joint patrols and checkpoints secured the market road.")
    assert close.confidence < clear.confidence
    assert close.confidence < REVIEW_THRESHOLD


def test_confidence_is_always_in_range() -> None:
    for text, _ in CASES:
        assert 0.0 <= classify(text).confidence <= 1.0


# Learning from reviewers' corrections.

CORRECTIONS = [
    ("MSS armoured vehicles escorted fuel trucks out of the Varreux terminal.", "humanitarian"),
    ("Kenyan officers escorted fuel tankers from the terminal to the hospitals.", "humanitarian"),
    ("Fuel trucks left the terminal under MSS escort this morning.", "humanitarian"),
]


def test_corrections_change_the_kind_of_similar_unseen_posts() -> None:
    text = "MSS units escorted fuel trucks from the Varreux terminal to Delmas."
    assert classify_kind(text) == "security_operation"
    model = train_kind_model(CORRECTIONS)
    assert classify(text, model).kind == "humanitarian"
    assert model.support(text)["humanitarian"] > 0


def test_corrections_leave_unrelated_posts_alone() -> None:
    model = train_kind_model(CORRECTIONS)
    for text in [
        "Gang attack repelled near Carrefour Drouillard.",
        "Joint patrols in Solino and Fort National today.",
        "120 officers graduated from the tactical driving course.",
        "Police escorted the Prime Minister's convoy to the airport.",
    ]:
        assert model.support(text) == {}
        assert classify(text, model) == classify(text)


def test_more_agreeing_corrections_weigh_more() -> None:
    text = "Escort of fuel trucks leaving the terminal."
    one = train_kind_model(CORRECTIONS[:1]).support(text).get("humanitarian", 0.0)
    three = train_kind_model(CORRECTIONS).support(text)["humanitarian"]
    assert three > one


def test_an_empty_model_changes_nothing() -> None:
    empty = train_kind_model([])
    assert len(empty) == 0
    for text, _ in CASES[:40]:
        assert classify(text, empty) == classify(text)


def test_the_model_round_trips_through_json() -> None:
    model = train_kind_model(CORRECTIONS)
    data = json.loads(json.dumps(model.to_dict()))
    again = KindModel.from_dict(data)
    assert again == model
    text = "MSS units escorted fuel trucks from the Varreux terminal to Delmas."
    assert classify(text, again) == classify(text, model)
    assert len(json.dumps(data)) < 2_000


def test_the_latest_correction_of_the_same_wording_wins() -> None:
    text = "Fuel trucks left the terminal under MSS escort."
    model = train_kind_model([(text, "humanitarian"), (text, "security_operation")])
    assert len(model) == 1
    assert classify(text, model).kind == "security_operation"


def test_corrections_name_places_but_learn_wording() -> None:
    model = train_kind_model([("Calm day in Solino and Fort National.", "security_operation")])
    assert model.support("Gunfire in Solino and Fort National.") == {}


def test_unknown_kinds_and_versions_are_refused() -> None:
    with pytest.raises(ValueError):
        train_kind_model([("text", "riot")])
    with pytest.raises(ValueError):
        KindModel.from_dict({"version": 99, "examples": []})
    with pytest.raises(ValueError):
        KindModel.from_dict({"version": 1, "examples": [{"kind": "riot", "features": ["x"]}]})


def test_the_trigger_index_finds_what_a_full_scan_finds() -> None:
    """Each cue alternative runs only where a word starts with its trigger; no cue is lost."""
    texts = [text for text, _ in CASES] + [
        "en route to Haiti",
        "600 officers",
        "Fly home; flew in",
        "to land at",
    ]
    for text in texts:
        folded = _aligned_fold(text)
        starts = {
            (n, position)
            for n, pattern in _ALTERNATIVES
            for position in range(len(folded))
            if pattern.match(folded, position)
        }
        found = {(n, m.start()) for n, m in _cue_matches(folded)}
        assert {n for n, _ in found} == {n for n, _ in starts}
        assert found <= starts


def test_every_cue_but_the_counts_runs_by_trigger() -> None:
    """A cue with no literal start would run on every post: only counts ("600 officers") do, with a digit."""
    assert set(_ALWAYS) == set(_DIGIT_FIRST)


def test_extract_carries_the_confidence_and_takes_a_kind_model() -> None:
    from tests.ingestion.seed_entries import seed_matcher

    matcher = seed_matcher()
    text = "MSS units escorted fuel trucks from the Varreux terminal to Delmas."
    plain = extract(text, matcher)
    assert (plain.kind, plain.confidence) == (classify(text).kind, classify(text).confidence)
    corrected = extract(text, matcher, kind_model=train_kind_model(CORRECTIONS))
    assert corrected.kind == "humanitarian"
    assert [m.key for m in corrected.mentions] == [m.key for m in plain.mentions]


def test_forces_sent_somewhere_to_secure_it_are_an_operation() -> None:
    assert classify_kind("MSS units were deployed to Pont-Sondé to secure the national road.") == (
        "security_operation"
    )
    assert classify_kind("Kenya deployed 400 more officers to Haiti.") == "deployment"


def test_an_aid_convoy_hijacked_is_an_incident() -> None:
    assert classify_kind("Aid convoy hijacked by gangs on RN1.") == "incident"
    assert classify_kind("Clinic in Delmas looted by gangs overnight.") == "incident"


def test_where_a_report_comes_from_is_not_a_statement() -> None:
    assert (
        classify_kind("Police arrested 3 suspects, the mission said in a statement.") == "security_operation"
    )
    assert classify_kind("La PNH a interpellé 3 suspects, selon un communiqué.") == "security_operation"
    assert classify_kind("Statement by the Force Commander on the mandate.") == "statement"


def test_camel_case_hashtags_are_read_as_words() -> None:
    assert classify_kind("#GangAttack #Solino") == "incident"
    assert classify_kind("#PatrouilleConjointe ce matin") == "security_operation"


def test_emoji_for_the_event_count_as_weak_cues() -> None:
    assert classify_kind("felisitasyon pou polisye yo 🎓") == "training"
    assert classify_kind("yo la 🛬") == "deployment"
    assert classify_kind("Delma 33 🔫🔫") == "incident"
