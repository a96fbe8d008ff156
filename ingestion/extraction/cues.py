"""Unknown place names: a capitalised name right after a place cue ("in", "à", "nan"...).

Neither a hotspot nor a reference place, such a name may still be a place the mission works in
(a new neighbourhood, a street, a camp); staff review it as a place candidate.
"""

from __future__ import annotations

import re

from core.text import normalise

from .contingents import CONTRIBUTORS
from .places import PlaceMatch

# Words after which a place name usually follows, in English, French and Kreyòl.
_CUES = (
    r"in|at|near|around|outside|inside|into|towards?|from|across"
    r"|à|au|aux|dans|près\s+de|pres\s+de|vers|depuis|sur|autour\s+de"
    r"|nan|lan|bò|bo|kote|toupre|pre"
)
# A name: capitalised words, with lower-case joiners between them ("Fond de la Croix").
_APOSTROPHES = "\u2019'"  # curly and straight
_WORD = rf"[A-ZÀ-ÖØ-Þ][\w{_APOSTROPHES}\-]*"
_SEP = rf"(?:(?:\s+(?:de|du|des|la|le|les|di))*\s+|\s+[dl][{_APOSTROPHES}])"
_NAME = rf"{_WORD}(?:{_SEP}{_WORD}){{0,3}}"
# Only the cue ignores case: the name's words must be capitalised.
_PATTERN = re.compile(rf"(?<![\w#@/])(?i:{_CUES})\s+(?P<name>{_NAME})")

# Capitalised words after a cue that are not places: time words, organisations, titles.
_NOT_PLACES = frozenset(
    normalise(word)
    for word in (  # noqa: SIM905 - a readable list of words
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
        "July August September October November December lundi mardi mercredi jeudi vendredi samedi "
        "dimanche janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
        "MSS HNP PNH UN ONU UNICEF OCHA WFP PAM BINUH CARICOM OAS OEA Haiti Haïti Ayiti The Les Le La "
        "Total Support Operation Operations Opération President Président Prime Minister Premier Ministre "
        "Port-au-Prince Police Mission Kenya"
    ).split()
)

_COUNTRIES = frozenset(normalise(name) for names in CONTRIBUTORS.values() for name in names)


def unknown_place_names(text: str, known: list[PlaceMatch]) -> list[PlaceMatch]:
    """Capitalised names after a place cue that overlap no known place match.

    Keys are ``unknown:<normalised name>``. Names of countries and their people (the mission's
    contributors), weekdays, months and organisations are not places here.
    """
    countries = _COUNTRIES
    taken = [(m.start, m.end) for m in known]
    found: list[PlaceMatch] = []
    for match in _PATTERN.finditer(text):
        start, end = match.span("name")
        name = text[start:end].rstrip(_APOSTROPHES + "-")
        end = start + len(name)
        key = normalise(name)
        first = key.split(" ")[0] if key else ""
        if not key or key in _NOT_PLACES or first in _NOT_PLACES or key in countries or first in countries:
            continue
        if name.isupper() and len(name) <= 6:
            continue  # an acronym (an organisation or unit), not a place name
        if any(start < j and i < end for i, j in taken):
            continue
        found.append(PlaceMatch(f"unknown:{key}", name, start, end))
    return found
