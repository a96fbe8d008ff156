"""Post texts for demo updates: how the mission writes in English, French and Kreyòl.

The texts only name places and figures; what they mean (hotspots, kind, figures, contingents) is
read from them by the portal's own extraction, exactly as for real posts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[\W_]+")

# {place} and {other} are hotspot names or aliases, {n} a head count, {country} a contingent's
# country in the post's language, {course} a course name. Each kind has its own wording.
# fmt: off
TEMPLATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (
        ("Joint MSS-HNP patrols secured {place} overnight.",
         "Checkpoints reinforced at {place} and {other} after overnight incidents.",
         "Clearance operation in {place} this morning; barricades removed and two rifles seized.",
         "MSS armoured vehicles escorted fuel trucks from {place} to {other} this afternoon.",
         "Operations near {place} pushed armed groups back from the main road."),
        ("{n} officers from {country} arrived at {place} to reinforce the mission.",
         "The MSS welcomed a new contingent of {n} soldiers from {country} at {place}.",
         "{country} has committed an additional {n} officers for deployment to {place}."),
        ("{n} HNP officers graduated today from the {course} course at {place}, delivered with MSS trainers.",
         "{n} HNP officers trained in {course} at {place} this week."),
        ("Heavy gunfire reported near {place}; residents are advised to avoid the area.",
         "Gang attack repelled near {place}; MSS and HNP units held their positions.",
         "Armed men set fire to vehicles in {place} overnight; two people injured."),
        ("Food kits distributed to displaced families in {place} with humanitarian agencies.",
         "MSS medics supported a medical outreach in {place} today."),
        ("The mission thanks the people of {place} for their cooperation.",
         "Weekly summary of our work in {place} and {other}."),
    ),
    "fr": (
        ("Opération conjointe MSS-PNH à {place} : trois barricades démantelées, deux armes saisies.",
         "Patrouilles renforcées à {place} et à {other} pour rétablir la circulation.",
         "Les unités de la MSS ont sécurisé les abords de {place} cette nuit."),
        ("Un contingent de {n} policiers ({country}) est arrivé à {place} pour renforcer la mission.",
         "{n} soldats supplémentaires déployés à {place} par {country}."),
        ("{n} policiers de la PNH ont été diplômés ce matin à {place} après une formation en {course}.",
         "{n} agents de la PNH formés en {course} à {place} avec les formateurs de la MSS."),
        ("Échange de tirs signalé à {place} ; la population est priée d'éviter la zone.",
         "Attaque armée repoussée près de {place} ; aucun blessé parmi les policiers."),
        ("Distribution de kits alimentaires aux familles déplacées à {place}.",
         "Soins médicaux offerts aux habitants de {place} avec les partenaires humanitaires."),
        ("La MSS salue la coopération des habitants de {place}.",),
    ),
    "ht": (
        ("Polis MSS ak PNH fè patwouy nan zòn {place} ak {other} jodi a.",
         "Operasyon MSS ak PNH nan {place}: yo demonte barikad yo."),
        ("{n} polisye {country} rive nan {place} pou ranfòse misyon an.",),
        ("{n} polisye PNH gradye jodi a nan {place} apre fòmasyon {course}.",),
        ("Fusiyad nan {place} yè swa; moun yo dwe evite zòn nan.",
         "Atak gang nan {place}: polis yo te reponn."),
        ("Distribisyon manje pou fanmi ki deplase nan {place}.",),
        ("MSS remèsye moun {place} pou kolaborasyon yo.",),
    ),
}
# fmt: on
KIND_WEIGHTS = (40, 8, 7, 25, 10, 10)  # the order of each language's template groups
LANGUAGE_WEIGHTS = {"en": 60, "fr": 30, "ht": 10}

COUNTRIES = {
    # code: (English, French, Kreyòl), as posts name them
    "KE": ("Kenya", "Kenya", "Kenyen"),
    "JM": ("Jamaica", "Jamaïque", "Jamayiken"),
    "BZ": ("Belize", "Bélize", "Belizyen"),
    "BS": ("The Bahamas", "Bahamas", "Bahamyen"),
    "GT": ("Guatemala", "Guatemala", "Gwatemalyen"),
    "SV": ("El Salvador", "El Salvador", "Salvadoryen"),
}
COUNTRY_WEIGHTS = {"KE": 60, "JM": 10, "BZ": 5, "BS": 5, "GT": 10, "SV": 10}
COURSES = {
    "en": ("tactical driving", "first aid", "human rights", "firearms", "community policing"),
    "fr": ("conduite tactique", "premiers secours", "droits humains", "maniement des armes"),
    "ht": ("kondui taktik", "premye swen", "dwa moun"),
}


@dataclass(frozen=True, slots=True)
class DemoPost:
    text: str
    language: str


def template_words() -> set[str]:
    """Every word of the templates, lower-cased: a demo hotspot must not be named like one of them."""
    words: set[str] = set()
    for groups in TEMPLATES.values():
        for group in groups:
            for template in group:
                words.update(template.lower().replace("{", " ").replace("}", " ").split())
    return words


def post_text(rng: random.Random, names: list[str]) -> DemoPost:
    """One post naming ``names[0]`` (and ``names[1]`` where the wording names two places)."""
    language = rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
    group = rng.choices(TEMPLATES[language], weights=KIND_WEIGHTS[: len(TEMPLATES[language])])[0]
    template = rng.choice(group)
    code = rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
    country = COUNTRIES[code][("en", "fr", "ht").index(language)]
    place, other = names[0], names[1] if len(names) > 1 else names[0]
    if rng.random() < 0.1:  # the mission tags places too: "#PontSonde"
        place = "#" + "".join(word[:1].upper() + word[1:] for word in _NOT_WORD.split(place) if word)
    text = template.format(
        place=place,
        other=other,
        n=rng.choice((12, 25, 40, 60, 75, 100, 120, 150, 200, 250, 300, 400, 600)),
        country=country,
        course=rng.choice(COURSES[language]),
    )
    return DemoPost(text=text, language=language)
