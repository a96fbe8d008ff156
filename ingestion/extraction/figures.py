"""Head counts in post text: personnel deployed or committed, officers trained or graduated.

A figure is a number (digits with "," "." or space thousands separators, or number words in
English or French up to the thousands) that counts people: it is followed, within a few
modifier words, by a person noun ("officers", "policiers", "soldats", "troops", "sòlda"...), or
it is the size of a contingent ("a contingent of 150", "a 150-strong unit"). Counts of things
("three barricades", "2,500 food kits", "40 patients") never qualify.

Each count then takes the role named by the nearest cue in its sentence: deployment wording
("deployed", "arrived", "committed", "welcomed", "contingent", "envoi", "supplémentaires") makes
it ``personnel``; training wording ("trained", "graduated", "formés", "diplômés", "course") makes
it ``trained``; casualty wording ("injured", "tués") makes it no figure at all. Without a cue in
the sentence, the kind of the post decides (deployment -> personnel, training -> trained).
Counts coordinated before one noun ("200 Kenyan and 150 Jamaican officers") are added up; for
each role the first count in the post is kept.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from hotspots.text import fold, normalise
from ingestion.extraction.contingents import CONTRIBUTORS
from ingestion.extraction.kinds import classify_kind

__all__ = ["extract_figures", "parse_number_words"]

_TOKEN = re.compile(
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d]|[,.]\d)|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)?)"
    r"|(?P<punct>[^\s\w]|_)"
)

_UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}  # fmt: skip
_HUNDRED = frozenset({"hundred", "hundreds", "cent", "cents"})
_THOUSAND = frozenset({"thousand", "thousands", "mille", "milles", "mil"})
_NUMBER_JOINERS = frozenset({"and", "et", "-"})
_ARTICLES = frozenset({"a", "an", "un", "une"})

# People counted by the figures; plural and singular, English, French, Kreyòl.
_PERSON_NOUNS = frozenset(
    """
    officer officers policeman policemen policewoman policewomen police personnel staff soldier soldiers
    troop troops peacekeeper peacekeepers gendarme gendarmes agent agents recruit recruits cadet cadets
    trainee trainees graduate graduates men women members officier officiers policier policiers
    policiere policieres soldat soldats militaire militaires troupes effectifs hommes femmes recrue
    recrues aspirant aspirants eleves stagiaire stagiaires polis polisye ofisye solda ajan
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# "Gang members", "family members": a count of members only counts with a mission word near.
_WEAK_NOUNS = frozenset({"members", "men", "women", "hommes", "femmes", "agents", "staff"})
_COORDINATORS = frozenset({"and", "et", ","})
# Nationality words that stand for people once the noun has been said ("... et 150 jamaïcains").
_DEMONYMS = frozenset(
    word for names in CONTRIBUTORS.values() for name in names for word in [normalise(name)] if " " not in word
) | {"haitian", "haitians", "haitien", "haitiens", "haitienne", "haitiennes", "ayisyen"}
_STRENGTH = frozenset({"strong", "fort", "forte"})
_GROUP_NOUNS = frozenset({"contingent", "contingents", "kontenjan", "unit", "detachment", "detachement"})

# Words that end the modifier window between a number and its noun: a count is read from
# "120 HNP officers" or "400 policiers", not from "3 vehicles for the officers".
_WINDOW_STOP = frozenset(
    """
    the a an for to at in on by with from of into than per over under about during this that le la les l
    de du des d au aux pour par avec sur dans en vers chez ce cette ces
    """.split()  # noqa: SIM905 - a word list reads best as words
)
_WINDOW = 3

_ROLE_CUES = {
    "personnel": re.compile(
        r"\b(?:deploy\w*|deploi\w*|deplwaye\w*|arriv\w*|rive|land(?:ed|s|ing)?|atterri\w*|contingents?|"
        r"kontenjan|welcom\w*|accueilli\w*|committ?\w*|pledg\w*|promis\w*|engag\w*|sen[dt]s?|sending|"
        r"dispatch\w*|envo[iy]\w*|depech\w*|voye|additional|supplementaires?|"
        r"reinforcements?|renforts?|join\w*|rejoin\w*|expected|attendus?|strong|fort|forte|rotation\w*)\b"
    ),
    "trained": re.compile(
        r"\b(?:train(?:ed|ing|s)?|trainees?|form(?:e|es|ee|ees|ation|ations)|fome|fomasyon|graduat\w*|"
        r"diplom\w*|gradye|certif\w*|courses?|cours|cadets?|recrues?|recruits?|instruct\w*)\b"
    ),
    "casualty": re.compile(
        r"\b(?:injur\w*|wounded|killed|dead|died|deaths?|missing|kidnapp\w*|abducted|arrest\w*|"
        r"blesse\w*|tue(?:e|s|es)?|morts?|disparus?|enleve\w*|arretes?|blese|mouri)\b"
    ),
}
# Cheap test before tokenising: a digit or a number word that can start a count.
_MAYBE_NUMBER = re.compile(
    r"\d|\b(?:"
    + "|".join(sorted((set(_UNITS) | _HUNDRED | _THOUSAND) - {"un", "une", "one"}, key=len, reverse=True))
    + r")\b"
)
_SENTENCE_BREAK = re.compile(r"[.;!?\n]+(?:\s|$)|\n")
_YEAR_CONTEXT = frozenset(
    """
    in en since depuis year annee of de january february march april may june july august september
    october november december janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre
    """.split()  # noqa: SIM905 - a word list reads best as words
)


class _Token(NamedTuple):
    kind: str  # "num", "word" or "punct"
    text: str  # folded
    capital: bool
    start: int


class _Count(NamedTuple):
    value: int
    position: int  # character offset of the count, for the nearest-cue rule
    sentence: int  # index of the sentence holding it
    weak: bool


def parse_number_words(words: list[str]) -> int | None:
    """Value of a run of English or French number words ("two hundred", "deux cents")."""
    total = current = 0
    seen = False
    for word in words:
        if word in _NUMBER_JOINERS:
            continue
        if word in _UNITS:
            value = _UNITS[word]
            # "quatre-vingt(s)" is 4 x 20 in French.
            if value == 20 and current % 100 == 4:
                current += 76
            else:
                current += value
        elif word in _HUNDRED:
            current = (current or 1) * 100
        elif word in _THOUSAND:
            total += (current or 1) * 1000
            current = 0
        elif word in _ARTICLES and not seen:
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def _tokens(text: str, folded: str) -> list[_Token]:
    """Tokens read on the folded text (same length as ``text``), with the original capitals."""
    return [
        _Token(found.lastgroup or "punct", found.group(), text[found.start()].isupper(), found.start())
        for found in _TOKEN.finditer(folded)
    ]


def _aligned_fold(text: str) -> str:
    """:func:`fold` with one character per original character, so offsets carry over."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := fold(ch)) == 1 else "?" for ch in text)


def _number_at(tokens: list[_Token], i: int) -> tuple[int, int] | None:
    """(value, index after the number) for a number starting at token ``i``, else None."""
    token = tokens[i]
    if token.kind == "num":
        if re.fullmatch(r"\d+[.,]\d{1,2}", token.text):
            return None  # a decimal, not a head count
        value = int(re.sub(r"\D", "", token.text))
        previous = tokens[i - 1].text if i else ""
        if 1900 <= value <= 2100 and len(token.text) == 4 and previous in _YEAR_CONTEXT:
            return None
        return value, i + 1
    if token.kind != "word":
        return None
    words: list[str] = []
    j = i
    while j < len(tokens):
        word = tokens[j].text
        following = tokens[j + 1].text if j + 1 < len(tokens) else ""
        if not (
            word in _UNITS
            or word in _HUNDRED
            or word in _THOUSAND
            # "a hundred", "a thousand"
            or (word in _ARTICLES and not words and (following in _HUNDRED or following in _THOUSAND))
            # "one hundred and fifty", "quatre-vingt-dix", "vingt et un"
            or (word in _NUMBER_JOINERS and words and (following in _UNITS or following in _HUNDRED))
        ):
            break
        words.append(word)
        j += 1
    if not words:
        return None
    value = parse_number_words(words)
    # A lone "one"/"un"/"a" is an article or a single person, never a reported figure.
    if value is None or value < 2:
        return None
    return value, j


def _noun_after(tokens: list[_Token], k: int) -> tuple[int, bool] | None:
    """Index after the person noun counted by a number ending at ``k``, and whether it is weak."""
    for j in range(k, min(k + _WINDOW + 1, len(tokens))):
        token = tokens[j]
        if token.kind == "punct":
            if token.text == "-" and j == k:
                continue  # "150-strong"
            return None
        if token.kind == "num":
            return None
        word = token.text
        if word in _PERSON_NOUNS:
            return j + 1, word in _WEAK_NOUNS
        if word in _STRENGTH and j <= k + 1:
            return j + 1, False
        if word in _WINDOW_STOP or (word in _NUMBER_JOINERS and j == k):
            return None
    return None


def _counts(tokens: list[_Token], sentence_of: list[int]) -> list[_Count]:
    counts: list[_Count] = []
    pending: list[tuple[int, int]] = []  # coordinated numbers waiting for their noun
    last_end = -1  # token index after the noun of the last count
    i = 0
    while i < len(tokens):
        number = _number_at(tokens, i)
        if number is None:
            if tokens[i].kind != "word" or tokens[i].text not in _NUMBER_JOINERS or not pending:
                pending = []
            i += 1
            continue
        value, k = number
        noun = _noun_after(tokens, k)
        if noun is None and _after_group_noun(tokens, i):
            noun = (k, False)  # "a contingent of 150"
        if noun is None and counts and _elliptical(tokens, last_end, i, k):
            # "200 policiers kényans et 150 jamaïcains": the noun is the previous count's.
            counts[-1] = counts[-1]._replace(value=counts[-1].value + value)
            last_end = k + 1
            i = k + 1
            continue
        if noun is None:
            # "200 Kenyan and 150 Jamaican officers": a count whose modifiers are names and
            # whose noun comes after a coordinated count.
            j = k
            while j < len(tokens) and tokens[j].kind == "word" and tokens[j].capital and j - k < _WINDOW:
                j += 1
            if j < len(tokens) and tokens[j].text in _COORDINATORS:
                pending.append((value, tokens[i].start))
                i = j + 1
                continue
            pending = []
            i = k
            continue
        noun_end, weak = noun
        total = value + sum(v for v, _ in pending)
        position = pending[0][1] if pending else tokens[i].start
        counts.append(_Count(total, position, sentence_of[i], weak))
        pending = []
        i = last_end = noun_end
    return counts


def _elliptical(tokens: list[_Token], last_end: int, i: int, k: int) -> bool:
    """A number right after a counted group, joined by "and"/"et", followed by a demonym."""
    between = tokens[last_end:i] if last_end >= 0 else []
    return (
        0 < len(between) <= _WINDOW
        and any(token.text in _COORDINATORS for token in between)
        and all(token.kind == "word" or token.text == "," for token in between)
        and k < len(tokens)
        and tokens[k].text in _DEMONYMS
    )


def _after_group_noun(tokens: list[_Token], i: int) -> bool:
    return i >= 2 and tokens[i - 1].text in ("of", "de", "d'") and tokens[i - 2].text in _GROUP_NOUNS


def _role(folded: str, start: int, end: int, position: int) -> str | None:
    """The role named by the cue nearest to ``position`` within ``folded[start:end]``."""
    best: tuple[int, str] | None = None
    for role, pattern in _ROLE_CUES.items():
        for found in pattern.finditer(folded, start, end):
            distance = min(abs(found.start() - position), abs(found.end() - position))
            if best is None or distance < best[0]:
                best = (distance, role)
    return None if best is None else best[1]


def extract_figures(text: str, kind: str | None = None) -> dict[str, int]:
    """Head counts in ``text``: ``{"personnel": n, "trained": m}``, only the keys found.

    ``kind`` is the post's update kind when the caller already has it; it decides the role of a
    count whose sentence names none. Without it the kind is classified here.
    """
    folded = _aligned_fold(text)
    if not _MAYBE_NUMBER.search(folded):
        return {}
    tokens = _tokens(text, folded)
    sentences = [0]
    for found in _SENTENCE_BREAK.finditer(text):
        sentences.append(found.end())
    sentence_of = []
    s = 0
    for token in tokens:
        while s + 1 < len(sentences) and sentences[s + 1] <= token.start:
            s += 1
        sentence_of.append(s)
    counts = _counts(tokens, sentence_of)
    if not counts:
        return {}
    figures: dict[str, int] = {}
    for count in counts:
        start = sentences[count.sentence]
        end = sentences[count.sentence + 1] if count.sentence + 1 < len(sentences) else len(text)
        role = _role(folded, start, end, count.position)
        if role is None and not count.weak:
            if kind is None:
                kind = classify_kind(text)
            role = {"deployment": "personnel", "training": "trained"}.get(kind)
        if role in ("personnel", "trained"):
            figures.setdefault(role, count.value)
    return figures
