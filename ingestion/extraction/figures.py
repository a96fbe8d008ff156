"""Figures in post text: personnel deployed or committed, officers trained, people arrested, weapons seized.

A count is a number (digits with "," "." or space thousands separators, or number words in
English or French up to the thousands) tied to what it counts:

- a noun after it, within a few modifier words: forces ("officers", "policiers", "sòlda"), other
  people ("suspects", "personnes", "moun"), weapons ("rifles", "armes à feu", "zam") or arrests
  ("arrests", "interpellations"); "120 HNP officers", "7 AK-47 rifles", "12 personnes";
- or a noun before it: "officers: 120", "policiers au nombre de 150", "a contingent of 150",
  "un effectif de 300", "a cohort of 120"; or the strength of a force: "the force now numbers
  1,200", "bringing the total to 1,000 officers";
- or an act right before or after it: "arrested 12 in Delmas", "12 arrested", "yo arete 5 moun".

Each count then takes the role named by the nearest cue in its sentence among the roles its noun
can have: forces are ``personnel`` (deployment wording: "deployed", "arrived", "committed",
"contingent", "envoi", "total"), ``trained`` (training wording: "trained", "graduated", "formés")
or ``arrests``; other people only ``arrests``; weapons only ``weapons_seized`` ("seized",
"recovered", "saisies", "sezi"), never rounds of ammunition. Casualty wording ("injured", "tués",
"kidnapped", "freed") nearest makes it no figure at all. Without a cue in its sentence a count of
forces takes the kind of the post (deployment -> personnel, training -> trained); other counts
need their cue. Counts coordinated before one noun ("200 Kenyan and 150 Jamaican officers") or
listed for one act ("seized three rifles, two pistols and a shotgun") are added up; for each role
the first count in the post is kept. Counts of things ("three barricades", "2,500 food kits",
"40 patients") never qualify.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from core.text import fold, normalise
from ingestion.extraction.contingents import CONTRIBUTORS
from ingestion.extraction.kinds import classify_kind

__all__ = ["FIGURE_KEYS", "extract_figures", "parse_number_words"]

FIGURE_KEYS = ("personnel", "trained", "arrests", "weapons_seized")

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
    # Kreyòl, where a word is not also a common word of English or French ("de", "sèt", "san", "en")
    "twa": 3, "kat": 4, "senk": 5, "sis": 6, "uit": 8, "dis": 10, "douz": 12, "kenz": 15, "ven": 20,
    "trant": 30, "karant": 40, "senkant": 50, "swasant": 60, "katreven": 80,
}  # fmt: skip
# French round numbers: "une centaine de policiers", "un millier de soldats" (stated, if approximate).
_ROUND = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
_HUNDRED = frozenset({"hundred", "hundreds", "cent", "cents"})
_THOUSAND = frozenset({"thousand", "thousands", "mille", "milles", "mil"})
_NUMBER_JOINERS = frozenset({"and", "et", "-"})
_ARTICLES = frozenset({"a", "an", "un", "une"})
# A single thing or person, for the roles where one counts ("seized a rifle", "une arme à feu").
_SINGLE = frozenset({"a", "an", "one", "un", "une", "yon", "en"})

# Nouns by what they count; plural and singular, English, French, Kreyòl (folded).
_FORCE_NOUNS = frozenset(
    """
    officer officers policeman policemen policewoman policewomen police personnel staff soldier soldiers
    troop troops peacekeeper peacekeepers gendarme gendarmes agent agents recruit recruits cadet cadets
    trainee trainees graduate graduates officier officiers policier policiers policiere policieres
    soldat soldats militaire militaires troupes effectifs recrue recrues aspirant aspirants eleves
    stagiaire stagiaires diplomes laureats polis polisye ofisye solda ajan marines commandos cops elements
    personnels pesonel medics
    drivers driver conducteurs conducteur chofe pilots pilotes mechanics mecaniciens technicians
    techniciens instructors instructeurs formateurs inspectors inspecteurs investigators enqueteurs
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# People in general: forces in a deployment post ("150 hommes"), suspects in an arrest; a cue decides.
_PERSON_NOUNS = frozenset(
    """
    men women hommes femmes people persons personnes members membres moun
    """.split()  # noqa: SIM905
)
_PEOPLE_NOUNS = frozenset(
    """
    suspect suspects people persons person individual individuals individu individus personne personnes
    bandit bandits gangster gangsters criminal criminals criminel criminels kidnapper kidnappers ravisseur
    ravisseurs assailant assailants presumes presume man woman homme femme leaders chefs sispek bandi
    youths jeunes gangmembers guys gars lads neg nonm fanm
    """.split()  # noqa: SIM905
)
_WEAPON_NOUNS = frozenset(
    """
    weapon weapons firearm firearms gun guns rifle rifles pistol pistols handgun handguns shotgun shotguns
    revolver revolvers ak galil uzi carbine carbines arme armes fusil fusils pistolet pistolets revolver
    mitraillette mitraillettes mitrailleuse mitrailleuses kalachnikov kalachnikovs zam fizi pistole
    """.split()  # noqa: SIM905
)
_ARREST_NOUNS = frozenset(
    """
    arrest arrests arrestation arrestations interpellation interpellations arestasyon detentions
    """.split()  # noqa: SIM905
)
# "Gang members", "family members": a count of these only counts with a cue near.
_WEAK_NOUNS = _PERSON_NOUNS | {"agents", "staff", "elements"}
_COORDINATORS = frozenset({"and", "et", ",", "ak", "e"})
# Nationality words that stand for people once the noun has been said ("... et 150 jamaïcains").
_DEMONYMS = frozenset(
    word for names in CONTRIBUTORS.values() for name in names for word in [normalise(name)] if " " not in word
) | {"haitian", "haitians", "haitien", "haitiens", "haitienne", "haitiennes", "ayisyen"}
_STRENGTH = frozenset({"strong", "fort", "forte"})
# "A 200-member contingent", "a 150-man unit": the size of a group of people.
_SIZE = frozenset({"member", "man", "person", "personnes", "hommes", "strong", "fort", "forte"})
# "A contingent of 150", "un effectif de 300", "a cohort of 120": the noun is before the number.
_GROUP_NOUNS = frozenset(
    """
    contingent contingents kontenjan unit detachment detachement effectif effectifs strength force cohort
    cohorte class batch promotion pwomosyon team equipe ekip total
    """.split()  # noqa: SIM905
)
# "policiers au nombre de 150", "officers numbering 300", "officers: 120".
_AFTER_NOUN = re.compile(
    r"\s*(?::|-|,? (?:au nombre de|numbering|totalling|totaling|soit|some|about|environ|of about)|"
    r"\((?:about |environ |some )?)\s*$"
)
# "the force now numbers 1,200", "l'effectif atteint 1 000", "bringing the total to 1,000".
_STRENGTH_VERB = re.compile(
    r"\b(?:numbers|numbered|totals|totalled|totaled|stands? at|stood at|reach(?:es|ed)?|rises? to|rose to|"
    r"(?:brings?|bringing|brought) (?:[\w']+ ){0,10}?(?:to|up to)|compte|comptait|"
    r"atteint|s'eleve a|s'elevent a|port(?:e|ant|era|eront|ent) (?:[\w']+ )?(?:\w+ )?a|passe a|monte a|"
    r"rive nan)\s+(?:about |some |nearly |almost |more than |over |plus de |pres de |environ |quelque |"
    r"anviwon )?$"
)
_STRENGTH_SUBJECT = re.compile(
    r"\b(?:force|forces|mission|mss|contingent|personnel|effectifs?|strength|total|troops|officers|"
    r"policiers|misyon|kontenjan|headcount|nombre|promotion|pwomosyon|cohort|class)\b"
)
_YEAR_CONTEXT = frozenset(
    """
    in en since depuis year annee of de january february march april may june july august september
    october november december janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre
    """.split()  # noqa: SIM905
)
# Helpers after a bare count: "a contingent of 300 is expected", "au nombre de 150 sont arrivés".
_AUXILIARIES = frozenset(
    """
    is are was were will would have has had be been sont ont est a va vont sera seront etaient yo te ap
    pral and et ak
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Kreyòl nouns that French never has after "de": there "de" is the number two ("arete de moun").
_KREYOL_COUNTED = frozenset(
    {"moun", "sispek", "bandi", "zam", "fizi", "polisye", "ofisye", "solda", "polis", "ajan"}
)
# Numbers that name something else: the "400 Mawozo" gang.
_NOT_COUNTS = frozenset({"mawozo"})

# Words that end the modifier window between a number and its noun: a count is read from
# "120 HNP officers" or "400 policiers", not from "3 vehicles for the officers".
_WINDOW_STOP = frozenset(
    """
    the a an for to at in on by with from of into than per over under about during this that le la les l
    de du des d au aux pour par avec sur dans en vers chez ce cette ces
    """.split()  # noqa: SIM905
)
# Modifiers allowed between a number and a weapon noun ("armes à feu" reads "armes" first anyway).
_WINDOW = 3

_ROLE_CUES = {
    "personnel": re.compile(
        r"\b(?:deploy\w*|deploi\w*|deplwaye\w*|arriv\w*|rive|land(?:ed|s|ing)?|atterri\w*|contingents?|"
        r"kontenjan|welcom\w*|bienvenue|byenveni|akeyi|accueilli\w*|committ?\w*|pledg\w*|promis\w*|engag\w*|sen[dt]s?|sending|"
        r"dispatch\w*|envo[iy]\w*|enverr\w*|depech\w*|voye|additional|supplementaires?|"
        r"reinforcements?|renforts?|join\w*|rejoin\w*|expected|attendus?|strong|fort|forte|rotation\w*|"
        r"total|strength|effectifs?|numbers|debake|ateri|touch\w* down|rotasyon|relev\w*|contribut\w*|"
        r"fourni\w*|mobilis\w*|autres|more|others|withdraw\w*|retrait|repatri\w*|rapatri\w*|going home|"
        r"lakay|coming|retire)\b"
    ),
    "trained": re.compile(
        r"\b(?:train(?:ed|ing|s)?|trainees?|form(?:e|es|ee|ees|ation|ations)|fome|fomasyon|graduat\w*|"
        r"diplom\w*|gradye|certif\w*|courses?|cours|cadets?|recrues?|recruits?|instruct\w*|sworn|serment|"
        r"promotion|pwomosyon|cohort\w*|stage|stagiaires?|recyclage|workshop|atelier|seminaire|seminar|"
        r"sorti(?:s|e|es)? de (?:l'|la )?(?:ecole|academie)|soti (?:nan )?(?:lekol|akademi)|"
        r"pass(?:ed|ing) out)\b"
    ),
    "arrests": re.compile(
        r"\b(?:arrest\w*|arret(?:e|es|ee|ees|er|ation|ations)|interpel\w*|detain\w*|detenu\w*|apprehend\w*|"
        r"custody|garde a vue|nabbed|captur\w*|arete|kenbe|menott\w*|handcuff\w*|apreyansyon|jailed|"
        r"rounded up|picked up|behind bars|ecroue\w*|incarcer\w*|mis aux arrets|prizon|mete? men sou|"
        r"(?:mis|mettre|met) la main sur)\b"
    ),
    "weapons_seized": re.compile(
        r"\b(?:seiz\w*|seizures?|saisi\w*|confisqu\w*|confiscat\w*|recover\w*|recuper\w*|found|trouve\w*|"
        r"decouv\w*|sezi|jwenn|rekipere|haul|cache)\b"
    ),
    "casualty": re.compile(
        r"\b(?:injur\w*|wounded|killed|dead|died|deaths?|missing|kidnapp\w*|abducted|hostages?|otages?|"
        r"freed|rescued|liber\w*|neutralis\w*|neutraliz\w*|displaced|deplace\w*|evacuat\w*|"
        r"blesse\w*|tue(?:e|s|es)?|morts?|disparus?|enleve\w*|blese|mouri|touye|kidnape|victim\w*)\b"
    ),
}
# The roles a count can take, by what it counts.
_ELIGIBLE = {
    "force": ("personnel", "trained", "arrests"),
    "person": ("personnel", "trained", "arrests"),
    "people": ("arrests",),
    "weapon": ("weapons_seized",),
    "arrest": ("arrests",),
}
# Cheap test before tokenising: a digit or a number word that can start a count.
_MAYBE_NUMBER = re.compile(
    r"\d|\b(?:"
    + "|".join(sorted(set(_UNITS) | _HUNDRED | _THOUSAND | _SINGLE, key=len, reverse=True))
    + r"|de (?:"
    + "|".join(sorted(_KREYOL_COUNTED))
    + r"))\b"
)
_SENTENCE_BREAK = re.compile(r"[.;!?\n]+(?:\s|$)|\n")


class _Token(NamedTuple):
    kind: str  # "num", "word" or "punct"
    text: str  # folded
    capital: bool
    start: int


class _Count(NamedTuple):
    value: int
    position: int  # character offset of the count, for the nearest-cue rule
    sentence: int  # index of the sentence holding it
    counts: str  # "force", "people", "weapon" or "arrest"
    weak: bool
    end: int  # token index after the count and its noun


def parse_number_words(words: list[str]) -> int | None:
    """Value of a run of English or French number words ("two hundred", "deux cents")."""
    total = current = 0
    seen = False
    for word in words:
        if word in _NUMBER_JOINERS:
            continue
        if word == "de":
            current += 2  # Kreyòl "de san"
        elif word == "san":
            current = (current or 1) * 100
        elif word in _UNITS:
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
        if i + 1 < len(tokens) and tokens[i + 1].text in _NOT_COUNTS:
            return None
        if (i and tokens[i - 1].text in ("/", "#")) or (i + 1 < len(tokens) and tokens[i + 1].text == "/"):
            return None  # a thread marker ("1/3") or a tag
        return value, i + 1
    if token.kind != "word":
        return None
    if token.text == "de" and i + 1 < len(tokens) and tokens[i + 1].text in _KREYOL_COUNTED:
        return 2, i + 1  # Kreyòl "de moun", "de sispek": "de" before a Kreyòl noun is two, not "of"
    if (
        token.text in _ROUND
        and i
        and tokens[i - 1].text in ("un", "une")
        and i + 1 < len(tokens)
        and tokens[i + 1].text in ("de", "d'", "d")
    ):
        return _ROUND[token.text], i + 2  # "une centaine de policiers": the noun follows "de"
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
            # Kreyòl "de san" (200), "twa san", "de mil"
            or (word == "de" and not words and following in ("san", "mil"))
            or (word == "san" and words and (words[-1] in _UNITS or words[-1] == "de"))
        ):
            break
        words.append(word)
        j += 1
    if not words:
        return None
    value = parse_number_words(words)
    # A lone "one"/"un"/"a" is an article or a single person: read only where one counts (below).
    if value is None or value < 2:
        return None
    return value, j


def _noun_after(tokens: list[_Token], k: int) -> tuple[int, str, bool] | None:
    """(index after the noun, what it counts, weak) for a number ending at token ``k``."""
    for j in range(k, min(k + _WINDOW + 1, len(tokens))):
        token = tokens[j]
        if token.kind == "punct":
            if token.text == "-" and (j == k or tokens[j - 1].text == "ak"):
                continue  # "150-strong", "AK-47"
            return None
        if token.kind == "num":
            if j > k and tokens[j - 1].text in ("ak", "-", "m"):
                continue  # "AK-47", "M-16"
            return None
        word = token.text
        if word in _WEAPON_NOUNS:
            return j + 1, "weapon", False
        if word in _ARREST_NOUNS:
            return j + 1, "arrest", False
        if word in _FORCE_NOUNS:
            return j + 1, "force", word in _WEAK_NOUNS
        if word in _PEOPLE_NOUNS:
            return j + 1, "people", word in _WEAK_NOUNS
        if word in _PERSON_NOUNS:
            return j + 1, "person", True
        if word in _DEMONYMS:
            return j + 1, "force", True  # "200 Kenyans arrived"
        if word in _SIZE and j == k + 1 and tokens[k].text == "-":
            return j + 1, "force", False
        if word in _WINDOW_STOP or (word in _NUMBER_JOINERS and j == k):
            return None
    return None


def _noun_before(tokens: list[_Token], i: int, k: int, folded: str) -> tuple[str, bool] | None:
    """What a number at tokens ``i:k`` counts when its noun comes first ("officers: 120")."""
    following = tokens[k] if k < len(tokens) else None
    bare = (
        following is None
        or following.kind != "word"
        or following.text in _WINDOW_STOP
        or following.text in _AUXILIARIES
        or any(cue.match(following.text) for cue in _ROLE_CUES.values())
    )
    if not bare:
        return None  # "a total of 2,500 food kits": the number counts something else
    if i >= 2 and tokens[i - 1].text in ("of", "de", "d'", "d") and tokens[i - 2].text in _GROUP_NOUNS:
        return "force", False  # "a contingent of 150", "un effectif de 300"
    start = tokens[i].start
    before = folded[max(0, start - 40) : start]
    gap = _AFTER_NOUN.search(before)
    if gap:
        # The noun may come with words of its own before the label's end: "officers: 120", "nombre de
        # policiers attendus : 400", "polis kenyan ki ap vini : 120"; a small word ("de", "the") ends
        # the look back.
        words = [w.strip(",:;()") for w in before[: gap.start()].split()[-5:]]
        for noun in reversed(words):
            for nouns, counts in (
                (_FORCE_NOUNS, "force"),
                (_WEAPON_NOUNS, "weapon"),
                (_ARREST_NOUNS, "arrest"),
                (_PERSON_NOUNS, "person"),
                (_PEOPLE_NOUNS, "people"),
            ):
                if noun in nouns:
                    return counts, noun in _WEAK_NOUNS
            if noun in _WINDOW_STOP or noun in _GROUP_NOUNS:
                break
    sentence_start = max(folded.rfind(".", 0, start), folded.rfind("\n", 0, start), 0)
    sentence_end = min(
        (p for p in (folded.find(".", start), folded.find("\n", start)) if p >= 0), default=len(folded)
    )
    if _STRENGTH_VERB.search(folded, max(sentence_start, start - 90), start) and _STRENGTH_SUBJECT.search(
        folded, sentence_start, sentence_end
    ):
        return "force", False  # "the force now numbers 1,200"
    return None


def _act_near(tokens: list[_Token], i: int, k: int) -> str | None:
    """The role of a number with no noun, from an act right before or after it ("arrested 12")."""
    before = " ".join(t.text for t in tokens[max(0, i - 3) : i])
    after = " ".join(t.text for t in tokens[k : k + 2])
    arrests = _ROLE_CUES["arrests"]
    if re.search(
        r"(?:arrest\w*|detain\w*|apprehend\w*|interpel\w*|arete|kenbe)(?: at least| au moins| some| about)?$",
        before,
    ):
        return "arrests"
    if arrests.match(after) or re.match(
        r"(?:were|have been|ont ete|sont|te) (?:arrest|detain|interpel|arret)", after
    ):
        return "arrests"
    return None


def _counts(tokens: list[_Token], sentence_of: list[int], folded: str) -> list[_Count]:
    counts: list[_Count] = []
    pending: list[tuple[int, int]] = []  # coordinated numbers waiting for their noun
    last_end = -1  # token index after the noun of the last count
    i = 0
    while i < len(tokens):
        number = _number_at(tokens, i)
        if number is None:
            single = _single_at(tokens, i)
            if single is not None:
                counts.append(single._replace(sentence=sentence_of[i]))
                i = last_end = single.end
                pending = []
                continue
            if tokens[i].kind != "word" or tokens[i].text not in _NUMBER_JOINERS or not pending:
                pending = []
            i += 1
            continue
        value, k = number
        noun = _noun_after(tokens, k)
        if noun is None:
            before = _noun_before(tokens, i, k, folded)
            if before is not None:
                noun = (k, *before)
        if noun is None and _act_near(tokens, i, k):
            noun = (k, "arrest", False)  # the act names the role: "three arrested"
        if noun is None and k < len(tokens) and tokens[k].text in ("more", "others", "autres", "lot"):
            noun = (k + 1, "force", True)  # "Kenya will send 400 more"
        demonym = noun is not None and noun[0] == k + 1 and tokens[k].text in _DEMONYMS
        if (noun is None or demonym) and counts and _elliptical(tokens, last_end, i, k):
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
        noun_end, counted, weak = noun
        total = value + sum(v for v, _ in pending)
        position = pending[0][1] if pending else tokens[i].start
        counts.append(_Count(total, position, sentence_of[i], counted, weak, noun_end))
        pending = []
        i = last_end = noun_end
    return counts


def _single_at(tokens: list[_Token], i: int) -> _Count | None:
    """One weapon or one person, where one counts: "seized a rifle", "une arme à feu saisie"."""
    if tokens[i].text not in _SINGLE or i + 1 >= len(tokens):
        return None
    for j in range(i + 1, min(i + 3, len(tokens))):
        word = tokens[j].text
        if word in _WEAPON_NOUNS:
            return _Count(1, tokens[i].start, 0, "weapon", False, j + 1)
        if word in ("suspect", "individual", "individu", "bandit", "sispek", "criminal", "criminel"):
            return _Count(1, tokens[i].start, 0, "people", False, j + 1)
        if tokens[j].kind != "word" or word in _WINDOW_STOP:
            return None
    return None


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


def _role(folded: str, start: int, end: int, position: int, roles: tuple[str, ...]) -> str | None:
    """The role named by the cue nearest to ``position`` within ``folded[start:end]``, among ``roles``."""
    best: tuple[int, str] | None = None
    for role in (*roles, "casualty"):
        for found in _ROLE_CUES[role].finditer(folded, start, end):
            distance = min(abs(found.start() - position), abs(found.end() - position))
            if best is None or distance < best[0]:
                best = (distance, role)
    return None if best is None else best[1]


def _listed(counts: list[_Count], n: int, tokens: list[_Token]) -> bool:
    """Whether count ``n`` continues the list of count ``n - 1`` ("three rifles, two pistols")."""
    if n == 0:
        return False
    previous, current = counts[n - 1], counts[n]
    if previous.counts != current.counts or previous.sentence != current.sentence:
        return False
    between = [t for t in tokens if tokens[previous.end - 1].start < t.start < current.position]
    return len(between) <= 2 and all(t.text in _COORDINATORS or t.text in ("as", "well") for t in between)


def extract_figures(text: str, kind: str | None = None) -> dict[str, int]:
    """Figures in ``text``, only the keys found: ``personnel``, ``trained``, ``arrests``, ``weapons_seized``.

    ``kind`` is the post's update kind when the caller already has it; it decides the role of a
    count of forces whose sentence names none. Without it the kind is classified here.
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
    counts = _counts(tokens, sentence_of, folded)
    if not counts:
        return {}
    figures: dict[str, int] = {}
    last: dict[str, int] = {}  # role -> index of the count that set or extended it
    for n, count in enumerate(counts):
        start = sentences[count.sentence]
        end = sentences[count.sentence + 1] if count.sentence + 1 < len(sentences) else len(text)
        if count.counts == "arrest":
            role = "arrests"
        else:
            role = _role(folded, start, end, count.position, _ELIGIBLE[count.counts])
        if role is None and count.counts == "force" and not count.weak and count.sentence > 0:
            # A count of forces alone in its sentence ("Soldiers: 230.") is read with the sentence
            # before it, which often says what happens to them ("Welcome to the team!").
            role = _role(folded, sentences[count.sentence - 1], start, start, ("personnel", "trained"))
        if role is None and count.counts == "force" and not count.weak:
            if kind is None:
                kind = classify_kind(text)
            role = {"deployment": "personnel", "training": "trained"}.get(kind)
        if role not in FIGURE_KEYS:
            continue
        if role in ("arrests", "weapons_seized") and last.get(role) == n - 1 and _listed(counts, n, tokens):
            figures[role] += count.value  # "three rifles, two pistols and a shotgun"
            last[role] = n
        elif role not in figures:
            figures[role] = count.value
            last[role] = n
    return figures
