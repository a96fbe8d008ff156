"""Troop- and police-contributing countries named in a post, as ISO 3166 alpha-2 codes.

Country names, demonyms and their French and Kreyòl forms go through the same word matcher as
places, so case, accents, hashtags ("#KenyaPolice") and URLs behave the same way. Only the
countries that announced or sent personnel to the mission are listed: the point is to tag
contingents, not every country a post names.
"""

from __future__ import annotations

from ingestion.extraction.places import AliasEntry, PlaceMatcher, PreparedText

__all__ = ["CONTRIBUTORS", "find_contingents"]

# Code -> names, demonyms (singular and plural, masculine and feminine) in en / fr / ht.
CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    "KE": (
        "Kenya", "Kenyan", "Kenyans", "Kényan", "Kényans", "Kényane", "Kényanes", "Kenyane",
        "Kenyanes", "Kenyen", "Kenyèn", "Kenya Police", "Kenyan Police Service",
    ),
    "JM": (
        "Jamaica", "Jamaican", "Jamaicans", "Jamaïque", "Jamaïcain", "Jamaïcains", "Jamaïcaine",
        "Jamaïcaines", "Jamayik", "Jamayiken", "Jamayikèn",
    ),
    "BZ": (
        "Belize", "Belizean", "Belizeans", "Bélize", "Bélizien", "Béliziens", "Bélizienne",
        "Béliziennes", "Beliz", "Belizyen",
    ),
    "BS": (
        "Bahamas", "The Bahamas", "Bahamian", "Bahamians", "Bahaméen", "Bahaméens", "Bahaméenne",
        "Bahaméennes", "Bahamien", "Bahamiens", "Bahamas yo", "Bahamyen",
    ),
    "GT": (
        "Guatemala", "Guatemalan", "Guatemalans", "Guatémaltèque", "Guatémaltèques", "Gwatemala",
        "Gwatemalyen", "Gwatemaltèk",
    ),
    "SV": (
        "El Salvador", "Salvador", "Salvadoran", "Salvadorans", "Salvadorean", "Salvadoreans",
        "Salvadorian", "Salvadorians", "Salvadorien", "Salvadoriens", "Salvadorienne",
        "Salvadoriennes", "Salvadò", "Salvadoryen",
    ),
    "BJ": ("Benin", "Bénin", "Beninese", "Béninois", "Béninoise", "Béninoises", "Benen", "Beninwa"),
    "TD": ("Chad", "Chadian", "Chadians", "Tchad", "Tchadien", "Tchadiens", "Tchadienne", "Tchadiennes"),
    "BD": ("Bangladesh", "Bangladeshi", "Bangladeshis", "Bangladais", "Bangladaise", "Bangladaises"),
    "BB": (
        "Barbados", "Barbadian", "Barbadians", "Bajan", "Bajans", "Barbade", "Barbadien",
        "Barbadiens", "Barbadienne", "Barbadiennes", "Ladbad",
    ),
    "AG": (
        "Antigua and Barbuda", "Antigua", "Antiguan", "Antiguans", "Antigua-et-Barbuda",
        "Antiguais", "Antiguaise", "Antigwa",
    ),
}  # fmt: skip

# Demonyms compound freely ("Kenyan-led"), so the hyphen rule of place names is off here.
_MATCHER = PlaceMatcher(
    (AliasEntry(code, name) for code, names in CONTRIBUTORS.items() for name in names),
    whole_compounds=False,
)


def find_contingents(text: str | PreparedText) -> list[str]:
    """ISO alpha-2 codes of contributing countries named in ``text``, first mention first.

    >>> find_contingents("Kenyan and Jamaican officers joined Kenya's contingent")
    ['KE', 'JM']
    """
    codes: list[str] = []
    for match in _MATCHER.find(text):
        if match.key not in codes:
            codes.append(match.key)
    return codes
