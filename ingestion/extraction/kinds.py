"""Update kind from post text: a weighted lexicon per kind in English, French and Kreyòl.

Each kind has cues (word stems and short phrases, matched on case- and accent-folded text) with
a weight for how strongly the cue names that kind of event. A post scores the sum of the
weights of the distinct cues it contains, and the best-scoring kind wins. Two adjustments keep
the reading of the main clause:

- a negated incident cue does not count ("no injuries", "aucun blessé", "pa gen blese",
  "without incident");
- an incident cue inside a clause that gives the cause or circumstance ("after overnight
  incidents", "suite aux tirs", "in response to threats") counts half: the incident is why the
  forces acted, so "checkpoints reinforced after overnight incidents" is a security operation
  while "gang attack repelled" stays an incident.

Below ``_MIN_SCORE`` the post is a ``statement``. Ties go to the more specific kind, in the order
of ``_PRECEDENCE``.
"""

from __future__ import annotations

import re

from hotspots.text import fold

__all__ = ["KINDS", "classify_kind", "kind_scores"]

KINDS = ("security_operation", "deployment", "training", "incident", "humanitarian", "statement")

_MIN_SCORE = 2.0
_CAUSE_WEIGHT = 0.5
_PRECEDENCE = ("training", "deployment", "incident", "security_operation", "humanitarian")

# (weight, alternatives) per cue, over folded text. A cue's alternatives are joined into one
# regex with \b on the left; stems end in \w* where inflection varies. A cue counts once.
# fmt: off
_LEXICON: dict[str, list[tuple[float, tuple[str, ...]]]] = {
    "security_operation": [
        (2, (r"patrol\w*", r"patrouill\w*", r"patwou?y\w*")),
        (2, (r"operations?\b", r"operasyon\w*", r"ops\b")),
        (2, (r"secur(?:e|ed|es|ing)\b", r"securis\w*", r"securiz\w*", r"sekirize\w*", r"sekirizasyon")),
        (2, (r"check ?points?\b", r"check-points?\b", r"points? de controle\b", r"road ?blocks?\b",
            r"bouchons?\b")),
        (1, (r"(?<!sous )(?<!under )controles?\b", r"kontwol\b")),
        (2, (r"escort\w*", r"convoy\w*", r"convoi\w*", r"eskot\w*")),
        (2, (r"clear(?:ance|ed|ing)\b",
            r"clear (?:the |of )?(?:\w+ )?(?:barricad\w*|roads?|area|routes?|streets?)\b")),
        (2, (r"nettoy\w*", r"ratiss\w*", r"sweeps?\b")),
        (2, (r"arrest\w*", r"arret(?:e|es|ee|ees|er|ation|ations)\b", r"interpel\w*", r"arete\b",
            r"apreyansyon")),
        (2, (r"seiz\w*", r"seizures?\b", r"saisi(?:e|es|s|r|t)?\b", r"saisies?\b", r"confisqu\w*",
            r"confiscat\w*", r"sezi\b")),
        (2, (r"dismantl\w*", r"demantel\w*", r"demonte\w*", r"demoli\w*",
            r"remov(?:ed|al) (?:of )?(?:the )?barricad\w*")),
        (1, (r"barricad\w*", r"barikad\w*")),
        (1, (r"reinforc(?:e|ed|es|ing)\b", r"renforc(?:e|ee|ees|es|er|ent)\b", r"ranfose\b")),
        (2, (r"(?:reinforc\w*|tighten\w*|increas\w*|step(?:ped)? up|boost\w*|bolster\w*|renforc\w*)"
             r" (?:the |la |le )?(?:security|securite|presence|perimeter|perimetre)\b",)),
        (2, (r"raids?\b", r"perquisition\w*", r"descentes? de police\b", r"fouilles?\b", r"cordon\w*",
            r"search(?:es)? (?:operations?|of)\b", r"house-to-house\b", r"intercept\w*")),
        (2, (r"regain\w*", r"retook\b", r"retake\w*", r"took (?:back )?control\b", r"reprendre\b",
            r"repris\b", r"reprise\b", r"reconqu\w*", r"pushed (?:\w+ )?(?:\w+ )?back\b", r"repouss\w*",
            r"dislodg\w*", r"deloge\w*", r"neutralis\w*", r"neutraliz\w*")),
        (3, (r"rescu\w*", r"sauvetage\b", r"liber(?:e|es|ee|ees|ation)\b", r"liberat\w*", r"freed\b",
            r"delivr\w*")),
        (1, (r"anti-?gang\b", r"perimeter\b", r"perimetre\b", r"recover(?:y|ed|ing)?\b", r"recuper\w*",
            r"weapons?\b", r"firearms?\b", r"rifles?\b", r"ammunition\b", r"munitions?\b", r"armes?\b",
            r"fusils?\b", r"zam\b", r"stabilis\w*", r"stabiliz\w*", r"protect\w*", r"surveillance\b")),
    ],
    "deployment": [
        (2, (r"deploy\w*", r"deploi\w*", r"deplwaye\w*", r"redeploy\w*")),
        (2, (r"arriv\w*", r"rive\b", r"landed\b", r"land(?:s|ing)? (?:at|in)\b", r"atterri\w*",
            r"debarqu\w*")),
        (3, (r"contingents?\b", r"kontenjan\b", r"rotation\w*", r"rotasyon\b")),
        (1, (r"welcom\w*", r"accueilli\w*", r"accueil(?:le|lent|lir)?\b", r"akeyi\b")),
        (1, (r"committ?(?:ed|s|ment|ments)?\b", r"pledg\w*", r"promis\w*", r"promet\w*",
            r"engag(?:e|es|ee|ement|ements)\b")),
        (2, (r"sen(?:d|ds|t|ding)\b", r"dispatch\w*", r"envo(?:i|y)\w*", r"depech\w*", r"voye\b")),
        (3, (r"hand(?:ed|s|ing)? over\b", r"handovers?\b", r"remis(?:e|es)? (?:a|au|aux)\b", r"donated\b",
            r"delivered to the hnp")),
        (1, (r"remis(?:e|es)?\b", r"remet\w*", r"donne\b")),
        (2, (r"reinforcements?\b", r"renforts?\b", r"ranfo\b",
            r"join(?:s|ed|ing)? (?:the )?(?:\w+ )?(?:mission|force|mss)\b", r"rejoign\w*", r"rejoint\w*",
            r"rejoindre\b", r"antre nan misyon\b")),
        (1, (r"armou?red\b", r"blindes?\b", r"vehicles?\b", r"vehicules?\b", r"apcs?\b", r"mraps?\b",
            r"personnel carriers?\b", r"equipment\b", r"equipement\w*", r"boats?\b")),
        (1, (r"receiv\w*", r"recu(?:e|es|s)?\b", r"reception\b", r"deliver(?:y|ies)\b", r"livraison\w*",
            r"resevwa\b")),
        (1, (r"helicopters?\b", r"helicopteres?\b", r"aircraft\b", r"materiel\b", r"machin\b")),
        (1, (r"troops?\b", r"troupes?\b", r"soldiers?\b", r"soldats?\b", r"militaires?\b", r"solda\b",
            r"additional\b", r"supplementaires?\b")),
    ],
    "training": [
        (3, (r"train(?:ed|ing|s|ee|ees)?\b", r"form(?:e|es|ee|ees|ation|ations)\b", r"fome\b",
            r"fomasyon\b")),
        (3, (r"graduat\w*", r"diplom\w*", r"gradye\b", r"passing[- ]out\b")),
        (3, (r"courses?\b", r"(?<!en )(?<!au )cours\b", r"workshops?\b", r"ateliers?\b", r"seminar\w*",
            r"seminaires?\b")),
        (2, (r"certif\w*", r"setifika\b", r"curriculum\b", r"module\w*", r"syllab\w*")),
        (1, (r"promotion\b", r"instruct\w*", r"formateurs?\b", r"trainers?\b", r"drills?\b",
            r"exercises?\b", r"exercices?\b", r"cadets?\b", r"recrues?\b")),
    ],
    "incident": [
        (3, (r"gunfire\b", r"gunshots?\b", r"shoot\w*", r"shot\b", r"shots fired\b", r"fusillades?\b",
            r"tirs?\b", r"fusiyad\b", r"tire\b")),
        (3, (r"exchange of fire\b", r"firefights?\b", r"gun ?battles?\b", r"clash\w*", r"affrontement\w*",
            r"echange de tirs\b")),
        (3, (r"attack\w*", r"attaqu\w*", r"atak\w*", r"assault\w*", r"ambush\w*", r"embuscade\w*",
            r"incursion\w*")),
        (3, (r"kidnap\w*", r"enlevements?\b", r"rapt\b", r"kidnape\w*", r"abduct\w*", r"kidnaping\b")),
        (2, (r"otages?\b", r"hostages?\b", r"murder\w*", r"assassin\w*", r"meurtres?\b", r"massacre\w*",
            r"homicides?\b", r"explosions?\b", r"explosi(?:ve|f)s?\b", r"grenades?\b")),
        (2, (r"casualt\w*", r"injur\w*", r"wounded\b", r"kill\w*", r"dead\b", r"deaths?\b", r"bodies\b",
            r"blesse\w*", r"blese\b")),
        (2, (r"morts?\b", r"tues?\b", r"tuees?\b", r"victim\w*", r"mouri\b", r"lynch\w*")),
        (2, (r"set fire\b", r"set ablaze\b", r"arson\w*", r"incendi\w*", r"burn(?:ed|t|ing)\b", r"boule\b",
            r"looting\b", r"pillage\w*")),
        (1, (r"gunm[ae]n\b", r"armed men\b", r"hommes armes\b", r"targeted\b", r"cible\w*", r"threat\w*",
            r"menace\w*")),
        (1, (r"incidents?\b", r"ensidan\b", r"violence\w*", r"vyolans\b")),
    ],
    "humanitarian": [
        (2, (r"food\w*", r"meals?\b", r"rations?\b", r"alimentaires?\b", r"nourriture\b", r"vivres\b",
            r"manje\b", r"rice\b", r"riz\b", r"diri\b", r"beans\b", r"haricots\b", r"flour\b",
            r"farine\b", r"cholera\b", r"kolera\b")),
        (2, (r"medical\b", r"medicaux\b", r"medicales?\b", r"clinic\w*", r"clinique\w*", r"health\b",
            r"sante\b", r"hospital\w*", r"hopit\w*")),
        (2, (r"patients?\b", r"vaccin\w*", r"soins?\b", r"doctors?\b", r"medecins?\b", r"nurses?\b",
            r"medics?\b", r"paramedic\w*", r"first aid\b", r"premiers secours\b", r"medevac\w*",
            r"evacuat\w*", r"evacu(?:e|es|ee|ees|er)\b")),
        (2, (r"displac\w*", r"deplace(?:e|es|s)?\b", r"deplase\b", r"sinistre\w*", r"refugi\w*",
            r"shelter\w*", r"abris?\b", r"evacuees?\b")),
        (2, (r"humanitarian\w*", r"humanitaire\w*", r"imanite\b", r"(?<!first )aid\b", r"relief\b",
            r"secours\b", r"red cross\b", r"croix-rouge\b")),
        (1, (r"drinking water\b", r"eau potable\b", r"water\b", r"dlo\b", r"hygiene\b", r"kits?\b",
            r"supplies\b", r"outreach\b", r"care\b", r"families\b", r"familles\b", r"fanmi\b",
            r"wfp\b", r"pam\b", r"iom\b", r"oim\b", r"unicef\b", r"ocha\b", r"msf\b")),
        (1, (r"distribut\w*", r"distribisyon\b", r"assistance\b", r"don(?:s|ation|ations)?\b(?!')",
            r"school ?supplies\b")),
    ],
}
# fmt: on

_CUES: list[tuple[str, float, re.Pattern[str], tuple[str, ...]]] = [
    (kind, weight, re.compile(r"\b(?:" + "|".join(alternatives) + ")"), alternatives)
    for kind, cues in _LEXICON.items()
    for weight, alternatives in cues
]


def _split_alternatives(pattern: str) -> list[str]:
    """Split a regex on its top-level ``|``."""
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(pattern):
        if ch == "(" and (k == 0 or pattern[k - 1] != "\\"):
            depth += 1
        elif ch == ")" and pattern[k - 1] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
    parts.append(pattern[start:])
    return parts


def _closing(pattern: str, opening: int) -> int:
    depth = 0
    for k in range(opening, len(pattern)):
        depth += {"(": 1, ")": -1}.get(pattern[k], 0)
        if depth == 0:
            return k
    raise ValueError(pattern)


def _literal_prefixes(pattern: str) -> set[str] | None:
    """The literal text every match of ``pattern`` starts with, per alternative; None if unknown."""
    alternatives = _split_alternatives(pattern)
    if len(alternatives) > 1:
        result: set[str] = set()
        for alternative in alternatives:
            prefixes = _literal_prefixes(alternative)
            if prefixes is None:
                return None
            result |= prefixes
        return result
    while pattern.startswith(("(?<", "\\b")):
        pattern = pattern[2:] if pattern.startswith("\\b") else pattern[_closing(pattern, 0) + 1 :]
    if pattern.startswith("(?:"):
        close = _closing(pattern, 0)
        if pattern[close + 1 : close + 2] in ("?", "*", "{"):
            return None
        return _literal_prefixes(pattern[3:close])
    prefix = []
    for k, ch in enumerate(pattern):
        if not ch.isalnum() or pattern[k + 1 : k + 2] in ("?", "*", "{"):
            break
        prefix.append(ch)
    return {"".join(prefix)} if prefix else None


def _trigger_index() -> tuple[dict[str, list[int]], list[int]]:
    """Cues by the first three letters their matches start with, and cues to run always.

    A post only runs the cues whose trigger occurs at the start of one of its words, so the
    cost grows with the words of the post, not with the size of the lexicon.
    """
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for n, (_, _, _, alternatives) in enumerate(_CUES):
        prefixes = _literal_prefixes("|".join(alternatives))
        if prefixes is None or any(len(prefix) < _TRIGGER for prefix in prefixes):
            always.append(n)
            continue
        for prefix in prefixes:
            cues = index.setdefault(prefix[:_TRIGGER], [])
            if n not in cues:
                cues.append(n)
    return index, always


_TRIGGER = 3
_TRIGGERS, _ALWAYS = _trigger_index()
_WORD_START = re.compile(rf"\b[^\W_]{{{_TRIGGER}}}")

# Clause and phrase boundaries for negation and cause scopes.
_CLAUSE_BREAK = re.compile(r"[.;!?:,\n()]")
_NEGATION = re.compile(
    r"\b(?:no|not|without|zero|none|never|nor|aucun\w*|pas de|pas d'|sans|ni|san|pa gen|pa t gen|okenn)\b"
    r"[^.;!?:,\n]{0,30}$"
)
_CAUSE = re.compile(
    r"\b(?:after|following|in response to|in the wake of|due to|because of|amid|despite|"
    r"suite a(?:ux?)?|a la suite d\w*|apres|en reponse a(?:ux?)?|en raison d\w*|malgre|apre)\b"
)


def kind_scores(text: str) -> dict[str, float]:
    """Score per kind (except ``statement``) for ``text``; exposed for tests and tuning."""
    folded = fold(text)
    selected = set(_ALWAYS)
    for start in set(_WORD_START.findall(folded)):
        selected.update(_TRIGGERS.get(start, ()))
    scores = dict.fromkeys(_LEXICON, 0.0)
    clause_starts: list[int] = []
    for n in sorted(selected):
        kind, weight, pattern, _ = _CUES[n]
        if kind != "incident":
            if pattern.search(folded):
                scores[kind] += weight
            continue
        if not clause_starts:
            clause_starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(folded)]
        scores[kind] += _incident_value(folded, pattern, weight, clause_starts)
    return scores


def _incident_value(folded: str, pattern: re.Pattern[str], weight: float, clause_starts: list[int]) -> float:
    """The weight of an incident cue: zero when negated, halved when it is the stated cause."""
    best = 0.0
    for found in pattern.finditer(folded):
        start = found.start()
        clause = folded[_clause_start(clause_starts, start) : start]
        if _NEGATION.search(clause):
            continue
        best = max(best, weight * _CAUSE_WEIGHT if _CAUSE.search(clause) else weight)
        if best == weight:
            break
    return best


def _clause_start(starts: list[int], position: int) -> int:
    result = 0
    for s in starts:
        if s > position:
            break
        result = s
    return result


def classify_kind(text: str) -> str:
    """Return the update kind of a post: one of :data:`KINDS`, ``statement`` when no cue is strong.

    >>> classify_kind("Checkpoints reinforced after overnight incidents.")
    'security_operation'
    """
    scores = kind_scores(text)
    best = max(_PRECEDENCE, key=lambda kind: (scores[kind], -_PRECEDENCE.index(kind)))
    return best if scores[best] >= _MIN_SCORE else "statement"
