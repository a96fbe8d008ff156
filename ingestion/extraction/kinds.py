"""Update kind from post text: a weighted lexicon read with the clause it sits in, plus corrections.

Each kind has cues (word stems and short phrases in English, French and Kreyòl, matched on case-
and accent-folded text) with a weight for how strongly the cue names that kind of event. A post
scores, per kind, the sum of the weights of the distinct cues it contains. Where a cue sits
changes what it is worth, so that the kind is the post's main event (the codebook, in
ingestion/data/heldout/README.md):

- negated, it does not count ("no injuries", "aucun blessé", "pa gen blese", "without incident");
- in a clause that gives the cause or circumstance ("after overnight incidents", "suite aux tirs",
  "ahead of the arrival", "residents injured in the attacks", "rumours of"), it counts half: the
  incident is why the forces acted;
- after the first sentence naming an event it counts a little less: the main event is told first;
- its doer decides between incident and security operation: the mission or the police doing
  something is an operation, gangs or armed men doing it is an incident. "Gangs took control of
  the road" and "des hommes armés ont érigé des barricades" are incidents although "took control"
  and "barricades" are operation words; "police killed three gang members during an operation" is
  an operation although "killed" is an incident word. A doer is the nearest gang or force named
  before the act in its sentence, not behind "against"/"contre"/"kont", not the object of an
  earlier act, and not the subject of a passive ("officers were wounded", "bandits interpellés"),
  whose doer is the "by"/"par" phrase;
- residents naming the forces as who did it make it an operation ("all that shooting? it was the
  police, not the gangs", "c'était la PNH", "se te polis la");
- aid escorted or secured is humanitarian (the escort serves the aid), and aid or care attacked or
  hijacked is an incident (the aid is only the target); forces named after an escort or a convoy
  are escorted, an operation, not arriving ("escorted newly arrived troops from the airport");
- forces sent somewhere to secure it are an operation ("units deployed to Pont-Sondé to secure
  the road", "left their base to patrol Canaan"), not an arrival or a departure;
- vehicles and gear in a sentence about a course are what it teaches to use ("atelye sou kondwit
  machin blende"): training, not a delivery;
- the wounded taken to hospital are casualties: that hospital is no care given;
- what a condemnation names after it is its object ("we condemn the attack on the hospital"): a
  statement, as is talk about the operations in general ("the spokesman said operations would
  continue", "pòtpawòl la di operasyon yo ap kontinye");
- a round-up or a tally ("weekly wrap", "since January") is a statement, whatever it lists;
- "said in a statement", "selon un communiqué" say where the news comes from, not what it is.

Statements have cues too (visits, audiences, condemnations, reaffirmed commitments, calm reports,
rumours denied, funding)
and a floor: an event kind needs at least one full cue (``_STATEMENT_FLOOR``). Ties go to the kind
named first in the post, then to the order of ``_PRECEDENCE``. CamelCase hashtags are read as
words too ("#GangAttack"), and a few emoji that name the event itself (a graduation cap, a plane
landing) are weak cues.

:func:`classify` also gives a confidence, from the margin between the two best kinds and the
strength of the best, and can take a :class:`KindModel` trained on reviewers' corrections: the
corrected posts most like the new one add to their kinds' scores, more when several agree.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from core.text import fold

__all__ = [
    "KINDS",
    "REVIEW_THRESHOLD",
    "KindGuess",
    "KindModel",
    "classify",
    "classify_kind",
    "kind_scores",
    "train_kind_model",
]

KINDS = ("security_operation", "deployment", "training", "incident", "humanitarian", "statement")

# Below this confidence an update is flagged "needs review" and shown to reviewers first.
REVIEW_THRESHOLD = 0.6

_STATEMENT_FLOOR = 1.0
_CAUSE_WEIGHT = 0.5
_LATER_SENTENCE_WEIGHT = 0.75
_PRECEDENCE = ("training", "deployment", "incident", "security_operation", "humanitarian", "statement")

# Cue flags.
_VERB = 1  # an act done by someone: done by the forces, an incident verb is an operation
_ESCORT = 2  # protection: it serves what it protects (aid escorted is humanitarian)
_AID = 4  # aid goods and services, which an escort can serve and gangs can hijack
_TALLY = 8  # a round-up or tally: the events it names are only its items
_POSTED = 16  # sending forces somewhere: to secure a place there, it is an operation
_CONDEMN = 32  # a condemnation: the acts it names after it are what it is about, not the news
_CONVOY = 64  # an escort or a convoy: forces moving with it are escorted, not arriving
_EQUIPMENT = 128  # vehicles and gear: delivered, a deployment; what a course teaches to use, training
_TO_HOSPITAL = 256  # the wounded taken to hospital: the hospital it names is no aid

# Talk about the operations in general, attributed to someone: "the spokesman said operations would
# continue", "le porte-parole a assuré que les opérations se poursuivraient", "pòtpawòl la di operasyon
# yo ap kontinye", "told reporters the situation was under control". What is said of them is still to
# come or a state, not an event: a statement (a past act reported, "said police arrested four", is not).
_SAID = (
    r"(?:said|says|say|told|tells|assured|assures|stated|declared|affirmed|insisted|stressed|reiterated|vowed|"
    r"promised|warned|explained|maintained)\b",
    r"(?:ont|avait|avaient) (?:\w+ )?(?:dit|declare|assure|affirme|indique|souligne|rappele|promis|reitere|"
    r"estime|martele)\b",
    r"a (?:\w+ )?(?:dit|declare|assure|affirme|indique|souligne|rappele|promis|reitere|estime|martele)\b",
    r"(?:dit|declare|assure|affirme|indique|souligne|promet|estime|martele)(?:nt)? qu",
    r"di\b",
    r"(?:deklare|afime|asire|pwomet|eksplike)\b",
    r"fe konnen\b",
)
_TALK_TOPIC = (
    r"\b(?:operations?|operasyon|situation|sitiyasyon|security|securite|sekirite|fight|lutte|lit|efforts?|"
    r"work|travail|travay|pressure|pression|presyon|campaign|campagne|kanpay|offensive|ofansiv|actions?|"
    r"aksyon)\b"
)
_TALK_STILL_TO_COME = (
    r"\b(?:will|would|shall|going to|to (?:continue|keep|pursue|maintain|step up|intensify)|continu\w*|"
    r"remain\w*|keep\w*|under control|poursuiv\w*|va|vont|sera|seront|restera\w*|resteront|demeur\w*|"
    r"sous controle|kontinye|pral|ava|rete|anba kontwol|intensifi\w*|step(?:ped)? up)\b"
)
_REPORTED = r"[^.;!?\n]{0,60}?"
# The forces staying as they are: "the police would remain deployed", "les policiers resteront".
_TALK_FORCES = (
    r"\b(?:police|forces?|officers|troops|soldiers|units|mission|mss|policiers|soldats|militaires|unites|"
    r"polis|solda|fos)\b"
)
_TALK_STAYING = r"\b(?:remain\w*|stay\w*|rest(?:er|era|eront|eraient|ent)|demeur\w*|rete)\b"
_TALK_ABOUT_OPERATIONS = tuple(
    said
    + _REPORTED
    + "(?:"
    + "|".join(
        (
            _TALK_TOPIC + _REPORTED + _TALK_STILL_TO_COME,
            _TALK_STILL_TO_COME + _REPORTED + _TALK_TOPIC,
            _TALK_FORCES + _REPORTED + _TALK_STAYING,
        )
    )
    + ")"
    for said in _SAID
)

# Services taken up again are not a place retaken: "ont repris les consultations", "reprise des cours".
_NOT_SERVICES = (
    r"(?! (?:les |la |le |l'|des |du |de |ses |leurs |nos |their |its )?(?:consultations?|activites|cours|"
    r"services|soins|distributions?|travail|classes|vols|flights|ecoles?|vaccinations?))"
)

# (weight, alternatives, flags) per cue, over folded text. Each alternative is a regex with \b on the
# left; stems end in \w* where inflection varies. A cue counts once, at its best occurrence.
# fmt: off
_LEXICON: dict[str, list[tuple[float, tuple[str, ...], int]]] = {
    "security_operation": [
        (2, (r"patrol\w*", r"patrouill\w*", r"patwou?y\w*"), 0),
        (2, (r"operations?\b", r"operasyon\w*", r"ops\b", r"offensive\w*", r"ofansiv\w*"), 0),
        (2, (r"secur(?:e|ed|es|ing)\b", r"securis\w*", r"securiz\w*", r"sekirize\w*", r"sekirizasyon",
             r"assur\w* (?:la )?securite\b", r"guard(?:s|ed|ing)?\b", r"gard(?:e|ent|aient)\b", r"veye\b",
             r"protect\w*", r"proteg\w*", r"pwoteje\b"), _ESCORT),
        (2, (r"check ?points?\b", r"check-points?\b", r"points? de controle\b", r"road ?blocks?\b",
             r"bouchons?\b", r"baraj\b"), 0),
        (1, (r"(?<!sous )(?<!under )controles?\b", r"(?<!anba )kontwol\b",
             r"(?<!under )control(?:s|led|ling)?\b", r"controlent\b",
             r"controlaient\b", r"block(?:s|ed|ing)?\b", r"bloqu\w*", r"bloke\b",
             r"occup(?:y|ies|ied|ying)\b", r"occup(?:e|ent|ee|ees|es)\b", r"okipe\b"), 0),
        (2, (r"escort\w*", r"convoy\w*", r"convoi\w*", r"eskot\w*", r"konvwa\w*"), _ESCORT | _CONVOY),
        (1, (r"accompan\w*", r"accompagn\w*", r"akonpaye\b"), _ESCORT | _CONVOY),
        # Presence and control on the street: "officers directing traffic", "forte présence policière".
        (2, (r"(?:controll?\w*|regul\w*|direct\w*|manag\w*|fluidif\w*|kontwole|regle|dirije) (?:the |la |le |"
             r"les )?(?:traffic|circulation|sikilasyon|trafic)\b",
             r"(?:traffic|circulation) (?:control|regulation)\b",
             r"(?:heavy|strong|visible|increased|forte|importante|massive|gwo) (?:\w+ )?presence\b",
             r"presence (?:policiere|militaire|renforcee|massive|accrue|polisye)\b",
             r"prezans (?:polis|fos|solda)\b"), 0),
        (1, (r"(?:every|each|chaque|chak) (?:street )?(?:corners?|carrefours?|coins?|kwen|intersections?|"
             r"junctions?)\b",), 0),
        (2, (r"clear(?:ance|ed|ing)\b",
             r"clear (?:the |of )?(?:\w+ )?(?:barricad\w*|roads?|area|routes?|streets?)\b"), 0),
        (2, (r"nettoy\w*", r"ratiss\w*", r"sweeps?\b", r"swept\b", r"quadrill\w*",
             r"boucl(?:e|es|ee|ees|age)\b", r"netwaye\b", r"crackdown\w*", r"manhunt\b", r"traqu\w*",
             r"chasse a l'homme\b", r"reconnaissance\b", r"degag(?:e|es|ee|ees|er)\b", r"debloqu\w*",
             r"debloke\b", r"(?:lift\w*|lev\w*|retire\w*) (?:\w+ ){0,2}(?:barricad\w*|barikad\w*)",
             r"investi\w* (?:le|la|les|l') ?(?:quartier|zone|localite|commune|bastion|fief|fiefs)\b",
             r"maintien de l'ordre\b", r"(?:maintain|restor)\w* (?:law and )?order\b", r"mete lod\b",
             r"recaptur\w*", r"(?<!anba )kontwol\w*", r"tear ?gas\b", r"gaz lacrymogene\w*",
             r"gaz lakrimojen\b",
             r"dispers\w*",
             r"(?:pris|prendre|took|take|taken|pran) (?:up )?(?:position|positions|pozisyon)\b",
             r"(?:held|holding|hold) (?:the |their |its )?(?:\w+ )?(?:bridge|road|line|positions?|area|"
             r"junction|crossing|ground|perimeter)\b"), 0),
        (2, (r"respond(?:ed|s|ing)?\b", r"riposte\w*", r"interven\w*", r"entevni\b",
             r"(?:kept|keep|keeping|keeps) (?:\w+ ){0,3}open\b", r"maint\w* (?:\w+ ){0,3}ouvert\w*",
             r"position(?:ne|nes|nee|nees|ed)\b", r"station(?:ed|ne|nes|nee|nees)\b",
             r"posted (?:at|in|around)\b", r"post(?:e|es|ee|ees) (?:a|aux|devant|sur) (?:chaque|tous|toutes|"
             r"les|l'entree)\b",
             r"engaged (?:the |a |with )?(?:\w+ )?(?:gangs?|gang members|bandits|armed|gunmen)\b",
             r"forc\w* (?:\w+ ){0,2}(?:to )?(?:retreat|withdraw|flee)\b", r"battre en retraite\b",
             r"mov(?:ed|e|es|ing) into\b", r"entered\b", r"entr(?:e|es|ee|ees|ent|er|ees) (?:dans|a)\b",
             r"penetr\w*", r"antre nan\b", r"rantre\b",
             r"dispositifs? (?:de securite|securitaire|policier)\b",
             r"(?:security|securite|presence) (?:\w+ )?(?:tightened|reinforced|stepped up|boosted|increased|"
             r"renforcee|accrue)\b"), 0),
        (2, (r"arrest\w*", r"arret(?:e|es|ee|ees|er|ation|ations)\b", r"interpel\w*", r"arete\b",
             r"mete? (?:la )?(?:men|lapat) sou\b", r"(?:mis|mettre|met) la main sur\b",
             r"apreyansyon", r"detain\w*", r"apprehend\w*", r"custody\b"), 0),
        (2, (r"seiz\w*", r"seizures?\b", r"saisi(?:e|es|s|r|t)?\b", r"saisies?\b", r"confisqu\w*",
             r"confiscat\w*", r"sezi\b"), 0),
        (2, (r"dismantl\w*", r"demantel\w*", r"demonte\w*", r"demoli\w*",
             r"remov\w* (?:\w+ ){0,2}(?:barricad\w*|tyres|tires|roadblocks?|obstacles)\b",
             r"destroy\w* (?:\w+ ){0,2}(?:bases?|camps?|hideouts?|positions?)\b",
             r"detrui\w* (?:\w+ ){0,2}(?:bases?|camps?|repaires?|positions?)\b", r"kraze\b"), 0),
        (1, (r"barricad\w*", r"barikad\w*"), 0),
        (1, (r"reinforc(?:e|ed|es|ing)\b", r"renforc(?:e|ee|ees|es|er|ent)\b", r"ranfose\b", r"reopen\w*",
             r"rouvert\w*", r"rouvr\w*", r"relouvri\b"), 0),
        (2, (r"(?:reinforc\w*|tighten\w*|increas\w*|step(?:ped)? up|boost\w*|bolster\w*|renforc\w*) (?:the |"
             r"la |le )?(?:security|securite|presence|perimeter|perimetre)\b",), 0),
        (2, (r"raids?\b", r"perquisition\w*", r"descentes? de police\b", r"fouilles?\b", r"cordon\w*",
             r"search\w* (?:operations?|of)\b", r"searches\b", r"house-to-house\b", r"intercept\w*",
             r"fouy\w*", r"foui(?:ll)?\w*"), 0),
        (2, (r"regain\w*", r"retook\b", r"retake\w*", r"took (?:back )?control\b",
             r"(?:take|taking|takes) (?:back )?control\b", r"(?:took|take|taking|takes) over\b",
             rf"reprendre\b{_NOT_SERVICES}", rf"repris\b{_NOT_SERVICES}", rf"reprise\b{_NOT_SERVICES}",
             r"reconqu\w*", r"pushed (?:\w+ )?(?:\w+ )?back\b",
             r"repouss\w*", r"dislodg\w*", r"deloge\w*", r"neutralis\w*", r"neutraliz\w*",
             r"chas(?:e|ed|ing)\b", r"chass\w*", r"kouri dey\w*", r"(?:pran|reprann) kontwol\b",
             r"(?:prendre|pris|prend|prennent) le controle\b"), 0),
        (3, (r"rescu\w*", r"sauvetage\b", r"liber(?:e|es|ee|ees|ation)\b", r"liberat\w*", r"freed\b",
             r"delivr\w*", r"lib(?:ere|erasyon)\b"), 0),
        (1, (r"anti-?gang\b", r"perimeter\b", r"perimetre\b", r"recover(?:y|ed|ing)?\b", r"recuper\w*",
             r"weapons?\b", r"firearms?\b", r"rifles?\b", r"ammunition\b", r"munitions?\b",
             r"(?<!hommes )(?<!individus )(?<!groupes )(?<!groupe )(?<!bandits )(?<!gangs )armes?\b",
             r"fusils?\b", r"zam\b", r"stabilis\w*", r"stabiliz\w*", r"surveillance\b", r"presence\b",
             r"positions?\b", r"surveill\w*", r"monitor\w*", r"tactical\b", r"tactiques?\b", r"hunt\w*",
             r"deploy\w* (?:\w+ ){0,3}(?:to|in|at|around) (?:secure|the)\b"), 0),
    ],
    "deployment": [
        (2, (r"deploy\w*", r"deploi\w*", r"deplwaye\w*", r"redeploy\w*"), _POSTED),
        (2, (r"arriv\w*", r"rive\b", r"landed\b", r"land(?:s|ing)? (?:at|in)\b", r"to land\b", r"atterri\w*",
             r"debarqu\w*", r"debake\b", r"ateri\b", r"touch(?:ed|es)? down\b", r"flew in\b",
             r"en route\b"), 0),
        (3, (r"contingents?\b", r"kontenjan\b", r"rotation\w*", r"rotasyon\b", r"la releve\b",
             r"une releve\b", r"nouvelle releve\b", r"boots on the ground\b", r"relief in place\b",
             r"detachements?\b", r"detachments?\b"), 0),
        # Going home or leaving, in plain words: "going home", "rentrent chez eux", "pral tounen lakay yo",
        # "pati", "Kenya ap retire polis li yo"; and forces on their way, said informally: "more police
        # coming", "troops are coming next month".
        (2, (r"(?:goes|going|gone|went|heading|headed|sent) home\b", r"go home\b", r"be home\b",
             r"rentr\w* (?:chez (?:eux|elles)|au pays|dans leur pays|a la maison)\b", r"plie\w* bagages?\b",
             r"(?:tounen|retounen|rantre|ale) (?:\w+ ){0,2}(?:lakay|nan peyi|lot bo)\w*",
             r"al (?:\w+ ){0,2}(?:lakay|nan peyi|lot bo)\w*",
             r"(?<!a )pati\b(?! politik)", r"kite (?:ayiti|peyi a|misyon an)\b",
             r"(?:retire|rapatriye) (?:\w+ ){0,3}(?:polis|solda|fos|twoup|ofisye|polisye|ajan|kontenjan|"
             r"pesonel)\b",
             r"(?:police|cops|troops|soldiers|officers|forces|reinforcements|backup|personnel|contingents?|"
             r"kenyans|jamaicans|policiers|soldats|renforts|polis|solda|ranfo) (?:\w+ ){0,3}"
             r"(?:coming|arrivent|arriveront|en chemin|ap vini|pral vini|sou wout)\b",
             r"coming (?:to|for) (?:haiti|ayiti|port-au-prince|the mission)\b"), 0),
        # Leaving a base is sent somewhere: to secure a place there it is an operation ("left their base
        # to patrol Canaan"), otherwise a departure ("ap kite baz la pou yo al Jamayik").
        (2, (r"(?:kite|quitt\w*|left|leav(?:e|es|ing)) (?:\w+ ){0,2}(?:baz|base|camp|kan)\b",), _POSTED),
        (2, (r"flew home\b", r"fly home\b", r"flies home\b", r"flying home\b", r"return\w* home\b",
             r"head\w* home\b", r"left haiti\b", r"leave haiti\b",
             r"(?:left|leave|leaves|leaving) the country\b", r"quitt\w* (?:haiti|le pays)\b", r"kite ayiti\b",
             r"departures?\b", r"depart(?:s|ed|ing)?\b", r"repatri\w*", r"rapatri\w*",
             r"(?:end|completed?|completion) of (?:their |its |a )?(?:tour|mission)\b",
             r"completed (?:their|its) tour\b", r"fin de (?:leur |sa )?mission\b", r"farewell\w*",
             r"withdraw\w*", r"withdrew\b", r"pull(?:ed|s|ing)? out\b", r"retrait\b", r"regagn\w*",
             r"retour au pays\b", r"kite peyi a\b", r"retounen lakay\b", r"ale lakay\b", r"en partance\b",
             r"ranplase\b", r"replac(?:ed|ing|ement)\b", r"remplac\w*", r"fin de (?:leur |sa |son )?mandat\b",
             r"retir(?:e|ent|era|eront|er) (?:\w+ ){0,4}(?:policiers|soldats|troupes|militaires|"
             r"contingent)\b", r"sur le terrain\b", r"on the ground\b", r"sou teren an\b",
             r"(?:left|leaves?|leaving|depart\w*|flew|fly|flies) (?:\w+ ){0,2}for (?:haiti|port-au-prince|"
             r"home)\b", r"parti(?:s|e|es)? pour\b", r"pati pou\b",
             r"kite (?:\w+ ){0,2}pou (?:vin )?(?:ayiti|potoprens)\b",
             r"(?:flights?|planes?|aircraft|avion|vol|charter|chartered) (?:\w+ ){0,3}(?:carrying|"
             r"transportant|a bord)\b", r"set foot\b", r"foul\w* le sol\b", r"mis (?:les )?pieds?\b",
             r"antre (?:nan|an) (?:peyi|ayiti)\b", r"took up (?:their |its )?(?:duties|posts|positions)\b",
             r"are (?:finally |now )?here\b", r"is (?:finally |now )?here\b",
             r"just (?:landed|arrived|got here)\b", r"got here\b", r"showed up\b",
             r"soti (?:nan |an |o )?(?:kenya|jamayik|beliz|bahamas|gwatemala|salvado|benen|chad|bangladesh|"
             r"ladbad)\b", r"lot bo dlo\b", r"avyon (?:\w+ ){0,3}(?:pote|ki pote)\b",
             r"(?:entenasyonal|international|internationale|internationaux) (?:\w+ )?(?:troops|police|forces|"
             r"policiers|soldats|polis|solda|fos)\b",
             r"now part of (?:the )?(?:force|mission|mss|contingent)\b",
             r"are part of (?:the )?(?:force|mission|mss|contingent)\b",
             r"is part of (?:the )?(?:force|mission|mss|contingent)\b", r"en route (?:pour|vers)\b",
             r"on (?:the|their|its) way\b",
             r"(?:begin|began|begins|start|started|starts) (?:their|its) (?:mission|tour|deployment)\b",
             r"commenc\w* (?:leur|sa) mission\b", r"tour (?:ends|ended|is over|comes to an end)\b",
             r"sont (?:enfin )?(?:la|ici)\b", r"yo (?:finalman )?(?:la|vini|vin)\b",
             r"(?:foreign|etrangers?|etrangeres?|etranje) (?:\w+ )?(?:troops|police|soldiers|forces|officers|"
             r"cops|policiers|soldats|militaires|troupes|polis|solda|fos)\b",
             r"pris (?:leurs |ses )?fonctions\b"), 0),
        (1, (r"welcom\w*", r"accueilli\w*", r"accueil(?:le|lent|lir)?\b", r"akeyi\b"), 0),
        # Welcoming people is their arrival: "Welcome to the Salvadoran medical team", "Byenveni bay 80
        # pèsonèl", "Bienvenue au contingent béninois"; not welcoming what they did ("the work of").
        (3, (r"(?:welcom\w*|bienvenue|byenveni|akeyi|accueilli\w*|accueill\w*)[,:!]? "
             r"(?:(?!of |de |du |des |d')[\w']+ ){0,5}(?:l')?(?:teams?|contingents?|personnels?|officers|"
             r"soldiers|troops|police|cops|medics|units?|detachments?|equipes?|soldats|policiers|militaires|"
             r"troupes|renforts|ekip|pesonel|polis|solda|kontenjan|ofisye|ranfo)\b(?!')",
             r"(?:welcome|bienvenue|byenveni) (?:to|en|an|nan) (?:haiti|ayiti)\b"), 0),
        (1, (r"committ?(?:ed|s|ment|ments)?\b", r"pledg\w*", r"promis\w*", r"promet\w*",
             r"engag(?:e|es|ee|ement|ements)\b"), 0),
        (2, (r"contribut(?:e|es|ed|ing) (?:\w+ ){0,2}(?:troops|officers|soldiers|police|personnel|\d)",
             r"contribu(?:er|era|eront|e|ent) (?:\w+ ){0,2}(?:\d|troupes|policiers|soldats|militaires)",
             r"fourni\w* (?:\w+ )?\d", r"expected to (?:arrive|land|deploy|join|reach)\b", r"attendus?\b",
             r"attendues?\b",
             r"(?:bring\w*|brought|port(?:e|ent|era|eront|ant)) (?:\w+ )?(?:the |le |a )?(?:\w+ )?(?:total|"
             r"nombre|effectifs?|strength)\b", r"(?:now )?(?:numbers|stands at|totals)\b", r"pral rive\b",
             r"ap vini\b", r"pral vini\b",
             r"(?:set|due|slated|scheduled|expected) to (?:arrive|land|deploy|join|travel|fly|leave|"
             r"depart)\b", r"(?:doi\w*|devr\w*) (?:arriver|rejoindre|etre deploy\w*|partir)\b", r"ap tann\b",
             r"(?:heading|headed|bound) (?:to|for) (?:haiti|port-au-prince)\b",
             r"en route (?:to|for) (?:haiti|port-au-prince)\b",
             r"on (?:their|its) way (?:to|for) (?:haiti|port-au-prince)\b",
             r"mobilis(?:e|es|ee|ees|er|era|eront|ation)\b", r"prevu(?:e|s|es)?\b", r"prevwa\b"), 0),
        (2, (r"sen(?:d|ds|t|ding)\b", r"dispatch\w*", r"envo(?:i|y)\w*", r"enverr\w*", r"depech\w*",
             r"voye\b"), 0),
        (3, (r"hand(?:ed|s|ing)? over\b", r"handovers?\b", r"remis(?:e|es)? (?:a|au|aux)\b",
             r"(?:delivered|donated|handed) (?:\w+ ){0,5}to (?:the )?(?:mss|hnp|pnh|mission|police|force)\b",
             r"livr\w* (?:\w+ ){0,5}(?:a|au|aux) (?:la )?(?:mss|pnh|mission|police)\b"), 0),
        (1, (r"remis(?:e|es)?\b", r"remet\w*", r"donne\b"), 0),
        (2, (r"reinforcements?\b", r"renforts?\b", r"ranfo\b",
             r"join(?:s|ed|ing)? (?:the )?(?:\w+ )?(?:mission|force|mss)\b", r"rejoign\w*", r"rejoint\w*",
             r"rejoindre\b", r"antre nan misyon\b"), 0),
        (2, (r"(?:new|fresh|another|first|second|third|fourth|next|nouveaux?|nouvelles?|premiers?|deuxieme|"
             r"troisieme|nouvo|lot|prochain|premye|dezyem|twazyem|pwochen) (?:\w+ ){0,2}(?:batch|group|"
             r"groupe|wave|vague|gwoup|elements)\b", r"advance (?:team|party)\b", r"main body\b",
             r"vin (?:jwenn|ranfose|ede)\b",
             r"join(?:s|ed|ing)? (?:\w+ ){0,2}(?:colleagues|counterparts|comrades|contingent|officers|"
             r"troops)\b",
             r"return\w* (?:\w+ )?(?:to )?(?:nairobi|kenya|kingston|jamaica|belize|nassau|bahamas|guatemala|"
             r"san salvador|el salvador|cotonou|benin|n'djamena|chad|dhaka|bangladesh|bridgetown|barbados)\b",
             r"(?:new|fresh|nouveaux?|nouvelles?|nouvo) (?:\w+ ){0,2}(?:officers|troops|soldiers|police|"
             r"policiers|soldats|militaires|polis|solda|effectifs)\b"), 0),
        (1, (r"armou?red\b", r"blindes?\b", r"vehicles?\b", r"vehicules?\b", r"apcs?\b", r"mraps?\b",
             r"personnel carriers?\b", r"equipment\b", r"equipement\w*", r"boats?\b"), _EQUIPMENT),
        (1, (r"receiv\w*", r"recu(?:e|es|s)?\b", r"reception\b", r"deliver(?:y|ies)\b", r"livraison\w*",
             r"resevwa\b"), 0),
        (1, (r"helicopters?\b", r"helicopteres?\b", r"aircraft\b", r"materiel\b", r"machin\b"), _EQUIPMENT),
        (1, (r"troops?\b", r"troupes?\b", r"soldiers?\b", r"soldats?\b", r"militaires?\b", r"solda\b",
             r"additional\b", r"anplis\b", r"siplemante\b", r"supplementaires?\b", r"army\b", r"expected\b",
             r"join(?:s|ed|ing)?\b", r"effectifs?\b", r"strength\b", r"to (?:haiti|ayiti)\b",
             r"for (?:haiti|ayiti)\b", r"pour (?:haiti|ayiti)\b", r"vers (?:haiti|ayiti)\b", r"an ayiti\b",
             r"lot (?:polis|solda|ofisye)\b", r"cops\b", r"kenyans\b", r"jamaicans\b", r"kenyen yo\b",
             r"jamayiken yo\b", r"personnel\b",
             r"\d[\d,. ]* (?:\w+ )?(?:officers|policiers|polis|police|soldiers|soldats|troops|militaires|"
             r"solda|ofisye|polisye|personnel|agents|autres|more|others)\b"), 0),
    ],
    "training": [
        (3, (r"train(?:ed|ing|s|ee|ees)?\b", r"form(?:e|es|ee|ees|ation|ations)\b", r"fome\b",
             r"form(?:er|era|eront|ent|ons)\b", r"antrene\b", r"enstrikte\w*", r"fomasyon\b"), 0),
        (3, (r"graduat\w*", r"diplom(?:e|es|ee|ees|a|as)\b", r"gradye\b", r"passing[- ]out\b", r"sworn in\b",
             r"swearing[- ]in\b", r"prete serment\b", r"prestation de serment\b", r"fe seman\b",
             r"montre (?:\w+ ){0,3}kijan\b", r"show(?:ed|ing|s)? (?:\w+ ){0,3}how to\b",
             r"montr\w* (?:\w+ ){0,3}comment\b", r"sortie (?:de )?(?:la )?\d+\w* promotion\b"), 0),
        # Graduating said as leaving the school: "sortis de l'École nationale de police", "soti lekòl polis
        # la", "passed out of the academy", "la 35e promotion est sortie".
        (3, (r"sorti(?:s|e|es)? (?:de |d')(?:l'|la )?(?:\w+ )?(?:ecole|academie)\w*",
             r"soti (?:nan |o )?(?:lekol|akademi)\w*", r"pass(?:ed|es)? out (?:of|from)\b",
             r"(?:fresh |straight |just )?out of (?:the )?(?:\w+ )?(?:police )?(?:academy|school)\b",
             r"promotion (?:[\w']+ ){0,6}(?:est |sont )?sortie?s?\b"), 0),
        (3, (r"courses?\b", r"(?<!en )(?<!au )cours\b", r"workshops?\b", r"ateliers?\b", r"atelye\b",
             r"seminar\w*",
             r"seminaires?\b", r"taught\b", r"teach\w*", r"enseign\w*", r"anseye\b"), 0),
        (3, (r"recyclage\b", r"renforcement des capacites\b", r"capacity[- ]building\b",
             r"renfosman kapasite\b", r"stages? de\b", r"stagiaires?\b", r"perfectionnement\b",
             r"entrainement\w*", r"antrennman\b", r"refresher\b", r"table-?top\b", r"pwomosyon\b",
             r"kou sou\b", r"kou fomasyon\b"), 0),
        (2, (r"mentor\w*", r"coach\w*", r"lessons?\b", r"lecons?\b", r"leson\b", r"cohort\w*", r"class of\b",
             r"aprantisaj\b", r"egzamen\b", r"exam\w*", r"egzesis\b", r"similasyon\b", r"sensibilis\w*",
             r"awareness\b"), 0),
        (2, (r"certif\w*", r"setifika\b", r"curriculum\b", r"module\w*", r"syllab\w*", r"learn\w*",
             r"apprentissage\b", r"apprenn\w*", r"apprend\w*", r"aprann\b"), 0),
        (2, (r"instruct\w*", r"sessions?\b", r"seances?\b", r"trainers?\b", r"formateurs?\b", r"fomate\b",
             r"drills?\b"), 0),
        (1, (r"promotion\b", r"exercises?\b", r"exercices?\b", r"cadets?\b", r"recrues?\b", r"skills?\b",
             r"techniques?\b", r"practi[cs]\w*", r"simulation\w*", r"academ\w*", r"akademi\b",
             r"ecole de police\b", r"police school\b", r"lekol polis\b", r"students?\b", r"etudiants?\b",
             r"eleves?\b", r"aspirants?\b"), 0),
    ],
    "incident": [
        (3, (r"gunfire\b", r"gunshots?\b", r"shots fired\b", r"fusillades?\b", r"tirs?\b", r"fusiyad\b",
             r"under (?:heavy )?fire\b", r"sous (?:le )?feu\b", r"essuye\w* des tirs\b"), 0),
        (3, (r"shoot\w*", r"shot\b", r"tire\b", r"tir(?:ent|aient|e sur)\b", r"opened fire\b",
             r"ouvert le feu\b", r"abatt\w*", r"abattu\w*"), _VERB),
        (3, (r"exchange of fire\b", r"firefights?\b", r"gun ?battles?\b", r"clash\w*", r"affrontement\w*",
             r"echange de tirs\b", r"shootouts?\b"), 0),
        (3, (r"attack\w*", r"attaqu\w*", r"atak\w*", r"assault\w*", r"assaut\b", r"ambush\w*",
             r"embuscade\w*", r"anbiskad\w*", r"incursion\w*", r"storm(?:ed|s|ing)\b", r"stormed\b"), _VERB),
        # The victims of an ambush fell into it: "yon patwouy tonbe nan yon anbiskad", "caught in an ambush".
        (3, (r"(?:tonbe|tombe\w*|fell|fall\w*|caught|pris\w*) (?:\w+ ){0,3}(?:anbiskad|embuscade|ambush|pyej|"
             r"piege|trap)\w*",), 0),
        # A bomb found is an incident whoever finds it: "an improvised bomb found in front of a school",
        # "yon bonm atizanal yo jwenn devan lekòl la".
        (3, (r"(?:bombs?|bombes?|bonm|explosive devices?|engins? explosifs?|ieds?|improvised explosives?) "
             r"(?:[\w']+ ){0,4}(?:found|discovered|decouv\w*|trouv\w*|jwenn)\b",
             r"(?:found|discovered|decouv\w*|trouv\w*|jwenn) (?:[\w']+ ){0,4}(?:bombs?|bombes?|bonm|"
             r"explosi\w*|eksplozif|ieds?)\b"), 0),
        # The wounded taken to hospital: "the driver was rushed to hospital", "mennen chofè a lopital".
        (2, (r"(?:taken|rushed|transported|brought|airlifted) (?:\w+ ){0,2}to (?:the |a )?(?:\w+ )?"
             r"hospitals?\b",
             r"(?:conduit|transporte|achemine|admis)\w* (?:\w+ ){0,2}(?:a l'|a |vers l'|aux )"
             r"(?:hopital|urgences)\b",
             r"(?:mennen|transpote|kouri ak) (?:\w+ ){0,3}lopital\b"), _TO_HOSPITAL),
        (3, (r"kidnap(?:ping|pings|ped|s)?\b", r"enlevements?\b", r"rapt\b", r"kidnape\b", r"kidnapin\b",
             r"abduct(?:ed|ion|ions|s|ing)?\b", r"kidnaping\b", r"enleve(?:s|e|es)?\b"), 0),
        (3, (r"hijack\w*", r"detourn(?:e|es|ee|ees|ent)\b", r"set (?:\w+ ){0,3}on fire\b", r"mis le feu\b",
             r"mett\w* le feu\b", r"mete dife\b", r"met dife\b", r"torched\b", r"set ablaze\b", r"incendi\w*",
             r"arson\w*", r"burn(?:ed|t|s)?\b", r"boule\b"), _VERB),
        (3, (r"besieg\w*", r"sieges?\b", r"assieg\w*", r"encercl\w*", r"encircl\w*",
             r"destroy(?:ed|s|ing)?\b", r"detrui(?:t|s|sent|te|tes)\b", r"kraze\b", r"stole\b", r"stolen\b",
             r"steal\w*", r"robb\w*", r"theft\b", r"vole(?:s|nt|r)?\b", r"derob\w*", r"vol a main armee\b",
             r"braqu\w*", r"agress\w*", r"carjack\w*", r"invad\w*", r"invasion\b", r"envahi\w*", r"anvayi\b",
             r"vyole\b", r"rap(?:e|ed|es)\b", r"viol(?:s|ee|ees)?\b", r"sequestr\w*", r"terroris\w*",
             r"teroriz\w*"), _VERB),
        (2, (r"otages?\b", r"hostages?\b", r"murder\w*", r"assassin\w*", r"meurtres?\b", r"massacre\w*",
             r"homicides?\b", r"explosions?\b", r"explosi(?:ve|f)s?\b", r"grenades?\b", r"bombs?\b",
             r"engins? explosifs?\b", r"bonm\b", r"eksplozif\b"), 0),
        (2, (r"casualt\w*", r"injur\w*", r"wounded\b", r"hurt\b", r"dead\b", r"deaths?\b", r"bodies\b",
             r"blesse\w*", r"blese\b", r"cadavres?\b", r"kadav\b"), 0),
        (2, (r"kill\w*", r"tue(?:s|e|es|nt)?\b", r"touye\b", r"lynch\w*", r"lench\w*", r"looting\b",
             r"loot(?:ed|s)?\b", r"pillage\w*", r"pille\w*", r"piye\b"), _VERB),
        (2, (r"morts?\b", r"victim\w*", r"mouri\b", r"viktim\b", r"rancon\w*", r"ranson\w*", r"extort\w*",
             r"prison break\b", r"evasion\b", r"escap(?:ed|e)\b", r"evad(?:e|es|er|ee|ees)\b"), 0),
        (1, (r"gunm[ae]n\b", r"armed men\b", r"hommes armes\b", r"targeted\b", r"cible\w*", r"threat\w*",
             r"menace\w*", r"trench\w*", r"tranchees?\b", r"panic\w*", r"panique\b", r"fled\b", r"flee\w*",
             r"fuient\b", r"fui\b", r"kache\b", r"kouri kite\b", r"(?<!under )(?<!heavy )fires?\b",
             r"disappear\w*", r"disparu\w*", r"disparition\w*", r"missing\b", r"intimidat\w*", r"racket\w*",
             r"terror\b", r"ieds?\b", r"mortars?\b"), 0),
        (3, (r"(?:hit|struck|touche\w*|frappe\w*) (?:by|par) (?:\w+ ){0,2}(?:bullets?|gunfire|balles?|tirs?|"
             r"shots?)\b", r"(?:pran|resevwa) (?:\w+ )?bal\b"), 0),
        (2, (r"bullets?\b", r"balles?\b", r"bal pedi\b", r"stray\b", r"perdues\b"), 0),
        (1, (r"incidents?\b", r"ensidan\b", r"violence\w*", r"vyolans\b", r"insecurit\w*",
             r"ensekirite\b"), 0),
    ],
    "humanitarian": [
        (2, (r"food\w*", r"meals?\b", r"rations?\b", r"alimentaires?\b", r"nourriture\b", r"vivres\b",
             r"manje\b", r"rice\b", r"riz\b", r"diri\b", r"beans\b", r"haricots\b", r"flour\b", r"farine\b",
             r"cholera\b", r"kolera\b"), _AID),
        # "medical" names care; a "medical team" or "équipe médicale" names people, who may be arriving,
        # so it counts less.
        (1, (r"medical (?:teams?|units?|personnel|staff|detachment|contingent|officers|corps|company)\b",
             r"personnels? medica(?:l|ux)\b", r"(?:equipes?|unites?) medicales?\b", r"ekip medikal\b",
             r"pesonel medikal\b"), 0),
        (2, (r"(?<!personnel )medical\b(?! (?:team|teams|unit|units|personnel|staff|detachment|contingent|"
             r"officers|corps|company))", r"(?<!personnels )(?<!personnel )medicaux\b",
             r"(?<!equipe )(?<!equipes )(?<!unite )(?<!unites )medicales?\b", r"clinic\w*", r"clinique\w*",
             r"klinik\b",
             r"health\b", r"sante\b", r"hospital\w*", r"hopit\w*", r"lopital\b"), 0),
        (2, (r"patients?\b", r"soins?\b", r"doctors?\b", r"medecins?\b", r"dokte\b", r"nurses?\b",
             r"medics?\b", r"paramedic\w*", r"first aid\b", r"premiers secours\b", r"medevac\w*",
             r"evacuat\w*", r"evacu(?:e|es|ee|ees|er)\b", r"treat(?:ed|s|ing|ment)?\b", r"soign\w*",
             r"swen\b", r"consultations?\b", r"konsiltasyon\b", r"blood\b", r"don de sang\b"), 0),
        (2, (r"medicines?\b", r"medicaments?\b", r"medikaman\b", r"vaccin\w*", r"vaksen\b",
             r"medical supplies\b", r"fournitures medicales\b", r"ambulances?\b", r"anbilans\b"), _AID),
        (2, (r"rubbish\b", r"garbage\b", r"trash\b", r"ordures\b", r"dechets\b", r"fatra\b", r"drainage\b",
             r"canals?\b", r"electricity\b", r"electricite\b", r"kouran\b", r"sanitation\b",
             r"assainissement\b", r"nutrition\w*", r"malnutrition\b", r"malnourish\w*", r"orphan\w*",
             r"orphelinat\w*", r"ofelina\b", r"surger\w*", r"chirurgi\w*", r"idps?\b",
             r"(?:camps?|sites?) (?:de |for |pou )?(?:deplace|displac|moun)\w*"), 0),
        (2, (r"blankets?\b", r"aide\b", r"tents?\b", r"tentes?\b", r"tant\b", r"clothes\b", r"clothing\b",
             r"vetements\b", r"rad\b", r"enfimye\w*", r"infirmi\w*", r"vouchers?\b", r"cash transfers?\b",
             r"couvertures\b", r"tarpaulins?\b", r"taps?\b", r"baches\b", r"matelas\b", r"mattress\w*",
             r"tonnes?\b", r"sache dlo\b", r"sachets? d'eau\b", r"water sachets?\b", r"bottled water\b",
             r"tons of\b", r"colis\b", r"packages?\b", r"twous\b", r"ijyen\b", r"hygiene\b"), _AID),
        (2, (r"displac\w*", r"deplace(?:e|es|s)?\b", r"deplase\b", r"sinistre\w*", r"refugi\w*",
             r"shelter\w*", r"abris?\b", r"evacuees?\b"), 0),
        (2, (r"humanitarian\w*", r"humanitaire\w*", r"imanite\w*", r"(?<!first )aid\b", r"relief\b",
             r"(?<!premiers )secours\b", r"red cross\b", r"croix-rouge\b", r"kwa wouj\b",
             r"ed imanite\w*"), _AID),
        (2, (r"repair\w*", r"fix(?:ed|es|ing)? (?:the|a|an|its|their)\b", r"repar\w*", r"repare\b",
             r"rehabilit\w*", r"reconstru\w*", r"rebuil\w*", r"restor\w* (?:power|electricity|water)\b",
             r"retabli\w* (?:le courant|l'electricite|l'eau)\b",
             # Repaired or restored said as a state: "the road got fixed", "le courant est revenu".
             r"(?:got|get|gets|been|was|were|finally) (?:\w+ )?(?:fixed|repaired|rebuilt|restored)\b",
             r"is (?:now )?(?:fixed|repaired|rebuilt|restored)\b",
             r"are (?:now )?(?:fixed|repaired|rebuilt)\b",
             r"(?:power|electricity|lights|water) (?:is |are |has |have )?(?:finally )?(?:back|returned|"
             r"restored)\b",
             r"(?:courant|electricite|eau) (?:\w+ )?(?:est |a )?(?:revenue?|retabli\w*)\b",
             r"retour (?:du courant|de l'electricite|de l'eau)\b",
             r"kouran (?:an )?(?:tounen|retounen|vini)\b",
             r"replac\w* (?:the |a |an )?(?:\w+ )?(?:transformers?|poles?|pipes?|cables?|power lines?)\b"),
         _AID),
        # Who repairs and what: technicians, infrastructure.
        (1, (r"technicians?\b", r"techniciens?\b", r"teknisyen\b", r"crews?\b", r"transformers?\b",
             r"transformateurs?\b", r"transfomate\b", r"power lines?\b", r"lignes? electriques?\b",
             r"canalisations?\b", r"tiyo\b", r"pylons?\b", r"poteaux\b"), 0),
        # Farming relief: seeds, tools, farmers.
        (2, (r"seeds?\b", r"semences?\b", r"semans\b", r"(?:farm |agricultural )?tools\b", r"outils\b",
             r"zouti\b", r"fertili[sz]er\w*", r"engrais\b", r"angre\b", r"farmers?\b", r"agriculteurs?\b",
             r"planteurs?\b", r"peyizan\b", r"paysans?\b", r"agricult\w*", r"agrikilt\w*", r"livestock\b",
             r"betail\b"), _AID),
        # Care taken up again, and care for mothers.
        (2, (r"(?:resum\w*|repris|reprise|reprendre|reprend|rekomanse|relanc\w*) (?:\w+ ){0,2}"
             r"(?:consultations?|services|soins|care|clinics?|cliniques?|vaccinations?|konsiltasyon|sevis|swen)\b",
             r"prenat\w*", r"maternit\w*", r"pregnan\w*", r"enceintes?\b", r"ansent\b", r"accouchement\w*",
             r"akouchman\b"), 0),
        (2, (r"flood\w*", r"landslides?\b", r"eboulement\w*", r"glissements? de terrain\b", r"lavalas\b",
             r"inondation\w*", r"inonnasyon\b", r"hurricane\w*", r"ouragan\w*", r"siklon\b", r"earthquake\w*",
             r"seisme\w*", r"tranblemante\b", r"disaster\w*", r"catastroph\w*", r"katastwof\b"), 0),
        (1, (r"donated\b", r"debris\b", r"fuel\b", r"carburant\b", r"gazolin\b", r"dyezel\b", r"diesel\b",
             r"gaz\b(?! lacrymo| lakrimo)",
             r"generat(?:or|ors|eur|eurs)\b", r"groupes? electrogenes?\b", r"jenerat\w*", r"solar\b",
             r"solaire\w*", r"street ?lights?\b", r"lampadaires?\b", r"(?<!police )schools?\b",
             r"ecoles?\b(?! (?:nationale )?de police)", r"lekol\b(?! polis)", r"outbreak\b", r"epidemi\w*",
             r"dental\b", r"dentaire\b", r"sante mentale\b", r"mental health\b", r"psycho\w*"), 0),
        (1, (r"clean\w*", r"communit\w*", r"communautaire\w*", r"kominote\b", r"help(?:ed|ing|s)?\b",
             r"civilians?\b", r"civils?\b", r"residents?\b", r"habitants?\b", r"children\b", r"enfants?\b",
             r"timoun\b"), 0),
        (1, (r"drinking water\b", r"eau potable\b", r"water\b", r"dlo\b", r"hygiene\b", r"kits?\b",
             r"supplies\b", r"outreach\b", r"care\b", r"families\b", r"familles\b", r"fanmi\b", r"wfp\b",
             r"pam\b", r"iom\b", r"oim\b", r"unicef\b", r"ocha\b", r"msf\b"), _AID),
        (1, (r"distribut\w*", r"distribisyon\b", r"distribye\b", r"assistance\b",
             r"don(?:s|ation|ations)?\b(?!')", r"school ?supplies\b", r"fournitures scolaires\b"), _AID),
    ],
    "statement": [
        (3, (r"visit(?:s|ed|ing)?\b", r"toured\b", r"tour of (?:the|a) \w+\b", r"inspect(?:ed|s|ing|ion)\b",
             r"inspecte\w*", r"rendu visite\b", r"rend visite\b", r"visite (?:de|du|officielle)\b",
             r"(?:une|leur|cette) visite\b", r"en visite\b", r"sa visite\b", r"vizit\w*", r"vizite\b"), 0),
        (3, _TALK_ABOUT_OPERATIONS, 0),
        (3, (r"condemn\w*", r"condamn\w*", r"kondane\b", r"deplor\w*", r"denounc\w*", r"denonc\w*",
             r"denonse\b", r"indign\w*", r"decr(?:y|ie|ies|ied)\b", r"fustig\w*"), _CONDEMN),
        # An audience, taking stock, reaffirming support: meetings and commitments, not events.
        (2, (r"(?:faire|fait|fera|font|ont fait) le point\b", r"(?:take|took|taking) stock\b", r"fe pwen\b",
             r"(?:recu|received|receives|resevwa) (?:\w+ ){0,3}(?:commandant|commander|ministres?|ministers?|"
             r"minis|ambassad\w*|anbasad\w*|delegations?|delegasyon|president|prezidan|chef|chief|envoy|envoye|"
             r"representa\w*|reprezantan|komandan)\b",
             r"reaffirm\w*", r"reyafime\w*", r"reiter\w*", r"reitere\w*",
             r"renouvel\w* (?:son |leur )?(?:soutien|engagement|appui)\b",
             r"renew\w* (?:its |their |his |her )?(?:support|commitment)\b",
             r"(?:prais\w*|hail\w*|commend\w*|lauded|salu\w*|felicit\w*|thank\w*|remerci\w*|"
             r"welcom\w*) (?:\w+ ){0,3}(?:work|efforts?|courage|dedication|commitment|professionalism|"
             r"sacrifices?|travail|engagement|professionnalisme|devouement|travay|angajman)\b",
             r"(?:situation|sitiyasyon) (?:\w+ ){0,3}(?:under control|sous controle|anba kontwol)\b"), 0),
        (1, (r"spokes(?:man|woman|person|people)\b", r"porte-parole\b", r"potpawol\b", r"ministers?\b",
             r"ministres?\b", r"minis\b", r"aux cotes d\w*", r"stand(?:s|ing)? (?:with|by)\b",
             r"kanpe (?:ak|bo kote)\b", r"(?:unwavering|continued|steadfast|indefectible) (?:support|soutien|"
             r"appui|commitment|engagement)\b", r"prais\w*", r"commend\w*", r"hail(?:ed|s)\b", r"lauded\b",
             r"applaud\w*"), 0),
        (2, (r"met (?:with |the )\b", r"meets?\b", r"meeting\w*", r"rencontr\w*", r"reunion\w*",
             r"reyinyon\b", r"talks\b", r"entretien\w*", r"entretenu\b", r"discuss\w*", r"discut\w*",
             r"spoke (?:with|to)\b", r"press (?:conference|briefing|release)\b", r"conference de presse\b",
             r"point de presse\b", r"communique\w*", r"statement\b", r"declaration\w*", r"deklarasyon\b",
             r"message\b", r"mesaj\b", r"interview\w*"), 0),
        (2, (r"thoughts\b", r"condolences\b", r"condoleances\b", r"sympathy\b", r"pensees\b", r"prayers\b",
             r"priy\w*", r"tribute\b", r"hommage\b", r"in memory\b", r"en memoire\b", r"mourn\w*",
             r"solidarit\w*"), 0),
        (2, (r"rumou?rs?\b", r"rumeurs?\b", r"fake\b", r"false\b", r"faux\b", r"fausses?\b",
             r"den(?:y|ies|ied)\b", r"dement\w*", r"misinformation\b", r"desinformation\b"), 0),
        (3, (r"weekly\b", r"monthly\b", r"hebdomadaire\b", r"mensuel\w*", r"recap\w*", r"round-?ups?\b",
             r"wrap\b", r"wrap-up\b", r"summary\b", r"resume\b", r"bilan\b", r"rezime\b"), _TALLY),
        (2, (r"so far\b", r"to date\b",
             r"since (?:january|february|march|april|may|june|july|august|september|october|november|"
             r"december|the start|the beginning|its arrival|their arrival)\b",
             r"depuis (?:le debut|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
             r"novembre|decembre|son arrivee|leur arrivee)\b", r"jusqu'(?:a present|ici)\b", r"overall\b",
             r"in total\b", r"au total\b", r"an total\b",
             r"in (?:the (?:past|last|first) )?(?:\d+|two|three|four|six|nine|twelve) (?:months|weeks|"
             r"years)\b",
             r"over (?:the (?:past|last|first) )?(?:\d+|two|three|four|six|nine|twelve) (?:months|weeks|"
             r"years)\b",
             r"during (?:the (?:past|last|first) )?(?:\d+|two|three|four|six|nine|twelve) (?:months|weeks|"
             r"years)\b",
             r"within (?:the (?:past|last|first) )?(?:\d+|two|three|four|six|nine|twelve) (?:months|weeks|"
             r"years)\b", r"en (?:\d+|deux|trois|six|neuf|douze) (?:mois|semaines|ans)\b",
             r"depuis (?:\d+|deux|trois|six|neuf|douze) (?:mois|semaines|ans)\b",
             r"nan (?:\d+|de|twa|sis) (?:mwa|semen|lane)\b"), _TALLY),
        (2, (r"brief(?:ed|s|ing|ings)?\b", r"progress\b", r"progres\b",
             r"since the (?:mission|deployment) (?:began|started)\b",
             r"(?:phone |telephone )?calls? (?:with|between)\b", r"phone call\b", r"appel telephonique\b",
             r"spoke by phone\b", r"calls? (?:on|for)\b", r"urg(?:e|es|ed)\b", r"appell?\w* (?:a|au|les)\b",
             r"exhort\w*", r"rappell?\w*", r"remind\w*", r"mande\b", r"appeal\w*", r"fund(?:s|ing|ed)?\b",
             r"trust fund\b", r"financ\w*", r"fonds\b", r"donors?\b", r"bailleurs\b", r"million\w*",
             r"milliards?\b", r"billion\w*", r"budget\w*", r"partnership\w*", r"partenariat\w*",
             r"cooperation\b", r"agreement\w*", r"accords?\b", r"strateg\w*", r"plan\b", r"reports?\b",
             r"rapports?\b", r"rapo\b", r"kominike\b", r"rankont\w*", r"konferans\b", r"angajman\b"), 0),
        (2, (r"security council\b", r"conseil de securite\b", r"resolution\w*", r"mandat\w*",
             r"authori[sz]ation\b"), 0),
        (1, (r"council\b", r"conseil\b", r"konsey\b"), 0),
        (1, (r"thank\w*", r"remerci\w*", r"mesi\b", r"grateful\b", r"congratulat\w*", r"felicit\w*",
             r"salu(?:e|ent)\b", r"welcomes\b",
             r"calm\w*", r"kalm\b", r"normal\w*", r"quiet\b", r"tranquil\w*", r"trankil\b", r"committed to\b",
             r"engage\w* a\b", r"remains\b", r"reste\b", r"remesye\b", r"felisite\b", r"vigilan\w*",
             r"cautio\w*", r"prudence\b", r"advis\w*", r"avoid\b", r"evit\w*"), 0),
    ],
}
# fmt: on


class _Cue(NamedTuple):
    kind: str
    weight: float
    alternatives: tuple[str, ...]
    flags: int


# Emoji that residents put for the event itself (not moods): a graduation cap, a plane landing.
_EMOJI: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("training", 2, ("\U0001f393",)),  # graduation cap
    ("deployment", 2, ("\u2708", "\U0001f6ec", "\U0001f6eb")),  # airplane, arrival, departure
    ("incident", 2, ("\U0001f52b", "\U0001f4a5")),  # pistol, collision
    ("incident", 1, ("\U0001f525", "\U0001fa78")),  # fire, drop of blood
    (
        "security_operation",
        1,
        ("\U0001f693", "\U0001f694", "\U0001f6a8", "\U0001f6a7"),
    ),  # police car, light, barrier
    ("humanitarian", 2, ("\U0001f489", "\U0001fa7a", "\U0001f3e5", "\U0001f48a", "\U0001f691")),  # care
    (
        "humanitarian",
        2,
        ("\U0001f35a", "\U0001f96b", "\U0001f372", "\U0001f35e", "\U0001f4a7", "\U0001f4e6"),
    ),  # food, water, parcels
)
_EMOJI_CUE = -100  # hits of emoji group n are cue _EMOJI_CUE - n: each group counts once

_CUES = [
    _Cue(kind, weight, alternatives, flags)
    for kind, cues in _LEXICON.items()
    for weight, alternatives, flags in cues
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
        quantifier = pattern[close + 1 : close + 2]
        if quantifier == "?":  # "(?:now )?numbers": either start
            inner, rest = _literal_prefixes(pattern[3:close]), _literal_prefixes(pattern[close + 2 :])
            return None if inner is None or rest is None else inner | rest
        if quantifier in ("*", "{"):
            return None
        return _literal_prefixes(pattern[3:close])
    prefix = []
    for k, ch in enumerate(pattern):
        if not ch.isalnum() or pattern[k + 1 : k + 2] in ("?", "*", "{"):
            break
        prefix.append(ch)
    return {"".join(prefix)} if prefix else None


# Each alternative of each cue on its own, with the index of its cue.
_ALTERNATIVES: list[tuple[int, re.Pattern[str]]] = [
    (n, re.compile(r"\b(?:" + alternative + ")"))
    for n, cue in enumerate(_CUES)
    for alternative in cue.alternatives
]


def _trigger_index() -> tuple[dict[str, list[int]], list[int]]:
    """Alternatives by the first three letters their matches start with, and those to run always.

    A post only runs the alternatives whose trigger occurs at the start of one of its words, so
    the cost grows with the words of the post, not with the size of the lexicon.
    """
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for a, (n, _) in enumerate(_ALTERNATIVES):
        alternative = _CUES[n].alternatives[a - _FIRST_ALTERNATIVE[n]]
        prefixes = _literal_prefixes(alternative)
        # A short prefix is a trigger only as a whole word ("to land"): "fl" in "fly" would not be.
        if prefixes is None or any(
            len(prefix) < _TRIGGER and not re.search(rf"(?<![\w(|]){prefix}(?: |\\b)", alternative)
            for prefix in prefixes
        ):
            always.append(a)
            continue
        for prefix in {prefix[:_TRIGGER] for prefix in prefixes}:
            index.setdefault(prefix, []).append(a)
    return index, always


_FIRST_ALTERNATIVE: dict[int, int] = {}
for _a, (_n, _) in enumerate(_ALTERNATIVES):
    _FIRST_ALTERNATIVE.setdefault(_n, _a)


_TRIGGER = 3
_TRIGGERS, _ALWAYS = _trigger_index()
_DIGIT = re.compile(r"\d")
_DIGIT_FIRST = frozenset(a for a in _ALWAYS if _ALTERNATIVES[a][1].pattern.startswith(r"\b(?:\d"))
# The first letters of each word: three, or the whole word when shorter ("to land", "en route").
_WORD_START = re.compile(rf"\b[^\W_]{{1,{_TRIGGER}}}")

# Sentence, clause and phrase boundaries for position, negation, cause and doer scopes.
_SENTENCE_BREAK = re.compile(r"[.!?\n]+(?=\s|$)|[!?\n;]|\s[-|]\s")
_CLAUSE_BREAK = re.compile(r"[.;!?:,\n()|]|\s-\s")
_NEGATION = re.compile(
    r"\b(?:no|not|without|zero|none|never|nor|aucun\w*|pas|sans|ni|jamais|san|pa|pa gen|pa t gen|okenn)\b"
    r"[^.;!?:,\n]{0,30}$"
)
_NEGATION_NEAR = re.compile(
    r"\b(?:no|not|without|zero|none|never|aucun\w*|pas|sans|jamais|pa|okenn)\b\s+(?:\w+\s+)?(?:\w+\s+)?$"
)
# The purpose of forces sent somewhere, when it is to secure the place: an operation, not an arrival.
_TO_SECURE = re.compile(
    r"\b(?:to|pour|pou|afin de) (?:(?:yo|go|and|aller|al|ale|help|aider a|ede) )*(?:secure|patrol|protect|"
    r"guard|restore order|clear|reinforce security|securiser|securise|patrouiller|proteger|garder|"
    r"retablir l'ordre|sekirize|patwouye|"
    r"pwoteje|veye|remet lod|mete lod)"
)
# The forces named as who did what the post told: "it was the police, not the gangs", "c'était la
# PNH", "se te polis la"; not as who suffered it ("it was the police who were attacked").
_IT_WAS_THE_FORCES = re.compile(
    r"\b(?:(?:it was|it's|it is|that was|those were|these were|that's|c'etait|c'est|ce sont|c'etaient|se te|"
    r"se|sa se|sa te)\s+(?:just |only |all |juste |seulement |jis |selman |bien )?(?:the |a |la |le |les |l'|"
    r"de la |yon )?(?:police|mss|pnh|hnp|kenyans|cops|polis|army|soldiers|soldats|militaires|solda|"
    r"(?:police |joint )?operations?|operasyon)"
    # or what was heard, said to be one: "the shooting you heard was a police operation"
    r"|(?:was|were|etait|etaient)\s+(?:just |only |juste )?(?:a |an |the |une |un |l')?"
    r"(?:(?:police|joint|mss|pnh|hnp|military) operation|"
    r"operation (?:de (?:la )?)?(?:police|policiere|militaire|mss|pnh|conjointe)))\b"
    r"(?!'|\s+(?:\w+\s+)?(?:who|that|qui|ki)\s+(?:were|was|got|had been|ont ete|a ete|te|etaient|ete))"
)
# Where a report comes from, before "statement" or "communiqué": not itself a statement.
_ATTRIBUTION = re.compile(r"\b(?:in a|dans un|selon (?:un|le)|according to (?:a|the)|par voie de|via a)\s+$")
# A name followed by these is acted on: "gangs were dislodged".
_PASSIVE_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:was|were|has been|have been|had been|a ete|ont ete|avaient ete|sont|te)\b"
)
_CAUSE = re.compile(
    r"\b(?:after|following|in response to|in the wake of|due to|because of|amid|amidst|despite|"
    r"in retaliation|suite a(?:ux?)?|a la suite d\w*|apres|en reponse a(?:ux?)?|en raison d\w*|"
    r"malgre|en represailles|apre|akoz|poutet|since|depuis|as part of|dans le cadre d\w*|nan kad\w*|"
    # what comes next, as a circumstance: "security tightened ahead of the arrival"
    r"ahead of|in preparation for|in anticipation of|en prevision d\w*|en vue d\w*|avant l'arrivee|"
    r"before the arrival|"
    # a supporting role: "arrived to support the medical unit"
    r"to (?:support|help|assist|back)|in support of|pour (?:appuyer|aider|soutenir|assister)|en appui|"
    r"pou (?:ede|sipote|ranfose)|an sipo|"
    # what people suffered, as a circumstance: "residents injured in the attacks"
    r"(?:injured|wounded|hurt|displaced|affected|blesses?|touches|deplaces?) (?:in|by|during|par|lors|dans)|"
    r"victims? of|victimes? d\w*|fleeing|fuyant|"
    # what did not happen or is only said: "rumours of an attack"
    r"rumou?rs? (?:of|about)|rumeurs? d\w*|allegations? (?:of|d\w*)|risks? of|fears? of|risques? d\w*)\b"
)

# Who acts. Forces first: "anti-gang unit" is a force, not a gang.
_ACTOR = re.compile(
    r"\b(?:(?P<force>anti-?gang\b(?: \w+)?|mss|hnp|pnh|police\w*|polis\w*|officers?|officiers?|"
    r"agents?|ajan|troops?|troupes?|soldiers?|soldats?|solda|militaires?|units?|unites?|forces?|"
    r"swat|boid|udmo|cimo|fadh|army|armee|lame|mission|misyon|personnel|policemen|patrols?|ekip)"
    r"|(?P<gang>gangs?(?: (?:members?|leaders?|bosses|chiefs?))?|chefs? de gangs?|chef gang|gangsters?|"
    r"bandits?|bandi|armed (?:men|groups?|individuals|gangs?|bandits)|gunm[ae]n|hommes armes|"
    r"individus armes|groupes? armes?|gwoup (?:arme|bandi)|malfrats?|"
    r"criminels?|criminals?|kidnappers?|ravisseurs?|assailants?|assaillants?|attackers?|chime\w*|"
    r"viv ansanm|gran grif|mawozo|5 segond\w*))\b"
)
# An actor named after one of these is the target, not the doer ("an attack on the police").
_TARGET_BEFORE = re.compile(
    r"\b(?:against|contre|kont|on|at|sur|targeting|visant|vs|versus|of|from|between|entre|"
    r"with|avec|by|par|among|parmi|aux?|chase\w*|chass\w*|pushed|repouss\w*)\s+(?:the |les |la |le |l'|"
    r"des |d'|yo |a |an |two |\w+ )?$"
)
_BY_AGENT = re.compile(r"\s*(?:\w+\s+){0,2}?(?:by|par)\s+(?:the |les |la |le |l'|des |d')?")
# Between a subject and its verb: the subject is acted on, not acting.
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|get|got|gets|came under|come under|comes under|ete|etait|etaient|fut|furent|"
    r"te|victim\w*|victimes?|(?:is|are|be) (?:\w+ )?\w+(?:ed|en))\b"
)
_ACTIVE_AUX = re.compile(r"\b(?:a|ont|avait|avaient|aura|auront|has|have|had)\s+(?:\w+\s+)?$")
_PARTICIPLE_EN = re.compile(r"\w+ed$|shot|hit|taken|held|seen|caught|struck|burnt|stolen|killed|freed")
_PARTICIPLE_FR = re.compile(
    r"\w*(?:é|ée|és|ées)|\w*(?:saisi|saisis|saisie|saisies|pris|prise|prises)|détruite?s?"
)
_AFTER_PASSIVE = re.compile(
    r"(?:\s*$|\s*[.;!?:,\n)]|\s+(?:in|at|near|on|by|during|after|for|from|outside|inside|overnight|today|"
    r"yesterday|this|last|early|late|while|when|as|a|au|aux|dans|pres|lors|par|pendant|hier|ce|"
    r"cette|nan|lan|jodi|ayè|aye|ye)\b)"
)
_DETERMINERS = frozenset(
    """
    a an the this that its their his her our one un une le la les l' des du de d' yon attempted new
    tentative nouvelle nouvel nouveau second deuxieme another armed gang gangs
    """.split()  # noqa: SIM905 - a word list reads best as words
)
# Up to three words (articles, numbers, modifiers) between an act and the name it acts on.
_OBJECT_GAP = re.compile(
    r"(?:\s+(?!(?:and|et|ak|epi|as|when|while|after|because|but|mais|que|qui|who|which|where|then|puis|"
    r"quand|lorsque|pandan|ke|ki)\b)[\w']+){0,3}\s+"
)
_WORD_END = re.compile(r"[\w']+|$")
_NEXT_WORD = re.compile(r"\s+([\w'\u2019-]+)")
_WORD = re.compile(r"[\w'\u2019-]+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ])")
_LAUNCH = re.compile(
    r"\b(?:launch\w*|lanc\w*|men(?:e|ent|er)|conduct\w*|carried out|led|dirig\w*)\s+(?:\w+\s+)?$"
)


class _Reading:
    """A post's folded text with its sentences, clauses and actors, read on demand."""

    def __init__(self, text: str) -> None:
        # Hashtags written in CamelCase are read as words too, after the post: "#GangAttack".
        tags = " ".join(_CAMEL.sub(" ", tag) for tag in _HASHTAG.findall(text) if _CAMEL.search(tag))
        self.text = f"{text}\n{tags}" if tags else text
        self.folded = _aligned_fold(self.text)
        self._sentences: list[int] | None = None
        self._clauses: list[int] | None = None
        self._actors: list[tuple[int, int, str]] | None = None
        self._causes: list[int] | None = None
        self.act_ends: list[int] = []  # where each cue found in the post ends

    @property
    def sentences(self) -> list[int]:
        if self._sentences is None:
            self._sentences = [0] + [m.end() for m in _SENTENCE_BREAK.finditer(self.folded)]
        return self._sentences

    @property
    def clauses(self) -> list[int]:
        if self._clauses is None:
            self._clauses = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(self.folded)]
        return self._clauses

    @property
    def actors(self) -> list[tuple[int, int, str]]:
        """(start, end, "force" | "gang") of every doer named, targets ("against gangs") left out."""
        if self._actors is None:
            found = []
            for m in _ACTOR.finditer(self.folded):
                before = self.folded[max(0, m.start() - 30) : m.start()]
                if _TARGET_BEFORE.search(before) or self._object_of_act(m.start()) or self._acted_on(m.end()):
                    continue
                found.append((m.start(), m.end(), m.lastgroup or "force"))
            self._actors = found
        return self._actors

    def _acted_on(self, end: int) -> bool:
        """Whether the name ending at ``end`` is the subject of a passive: "bandits interpellés"."""
        if _PASSIVE_AFTER.match(self.folded, end):
            return True
        following = _NEXT_WORD.match(self.text, end)
        if not following:
            return False
        word = following.group(1)
        return bool(_PARTICIPLE_FR.fullmatch(word.lower())) or bool(
            _PARTICIPLE_EN.fullmatch(word.lower()) and _AFTER_PASSIVE.match(self.folded, following.end())
        )

    def _object_of_act(self, start: int) -> bool:
        """Whether the name at ``start`` follows an act closely: "killed three gang members"."""
        return any(end <= start and _OBJECT_GAP.fullmatch(self.folded, end, start) for end in self.act_ends)

    def sentence_of(self, position: int) -> int:
        return _index_of(self.sentences, position)

    def sentence_end(self, position: int) -> int:
        sentence = self.sentence_of(position)
        return self.sentences[sentence + 1] if sentence + 1 < len(self.sentences) else len(self.folded)

    def clause_start(self, position: int) -> int:
        return self.clauses[_index_of(self.clauses, position)]

    def word_at(self, start: int) -> tuple[str, int]:
        """The original word starting at ``start`` and the offset where it ends."""
        m = _WORD.match(self.text, start)
        return (m.group(), m.end()) if m else ("", start)

    def doer(self, start: int, end: int) -> str | None:
        """ "force" or "gang" for whoever does the act named at ``start:end``, None if unknown."""
        sentence = self.sentence_of(start)
        sentence_end = (
            self.sentences[sentence + 1] if sentence + 1 < len(self.sentences) else len(self.folded)
        )
        word, word_end = self.word_at(start)
        word_end = max(word_end, end)
        by = _BY_AGENT.match(self.folded, word_end, min(sentence_end, word_end + 40))
        if by and (agent := _ACTOR.match(self.folded, by.end())):
            return agent.lastgroup
        doer = None
        for a_start, a_end, kind in self.actors:
            if a_end <= start and a_start >= self.sentences[sentence]:
                doer = (a_start, a_end, kind)
        if doer is None:
            return None
        between = self.folded[doer[1] : start]
        if len(between) > 80 or _PASSIVE.search(between):
            return None  # the subject is acted on: "gangs were dislodged from their positions"
        if not _ACTIVE_AUX.search(between) and (
            _PARTICIPLE_FR.fullmatch(word.lower())
            or (_PARTICIPLE_EN.fullmatch(word.lower()) and _AFTER_PASSIVE.match(self.folded, word_end))
        ):
            return None  # a headline's passive: "gang leader arrested in Delmas", "bandits interpellés"
        return doer[2]

    def used_as_verb(self, start: int) -> bool:
        """Whether the word at ``start`` is an act someone does rather than a noun."""
        before = self.folded[max(0, start - 40) : start]
        if _LAUNCH.search(before):
            return True  # "launched an assault"
        words = before.split()
        return not words or words[-1] not in _DETERMINERS

    def negated(self, start: int, wide: bool = True) -> bool:
        """Whether a negation governs the cue at ``start``: a few words before it in its clause.

        ``wide`` reaches further ("no one was hurt", "pa gen moun ki blese"), for what people
        suffer; acts are negated only close by ("no arrests", "pas encore arrivés").
        """
        before = self.folded[max(self.clause_start(start), start - 48) : start]
        return bool((_NEGATION if wide else _NEGATION_NEAR).search(before))

    def in_cause(self, start: int) -> bool:
        """Whether a cause or circumstance marker opens the cue's clause before it ("after ...")."""
        if self._causes is None:
            self._causes = [m.start() for m in _CAUSE.finditer(self.folded)]
        clause = self.clause_start(start)
        k = bisect_right(self._causes, clause - 1)
        return k < len(self._causes) and self._causes[k] < start


def _index_of(starts: list[int], position: int) -> int:
    return max(bisect_right(starts, position) - 1, 0)


def _aligned_fold(text: str) -> str:
    """:func:`fold` with one character per original character, so offsets carry over."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := fold(ch)) == 1 else "?" for ch in text)


class _Hit(NamedTuple):
    cue: int  # index in _CUES, or -1 for a gang named as a doer
    kind: str  # the kind it counts for, after the doer and escort rules
    value: float
    start: int
    clause: int
    doer: str | None = None  # "gang" or "force" where the rules looked for one and found it


def _cue_matches(folded: str) -> list[tuple[int, re.Match[str]]]:
    """(cue index, match) of every cue in ``folded``, the longest per cue and start, in order."""
    matches: dict[tuple[int, int], re.Match[str]] = {}
    for word in _WORD_START.finditer(folded):
        for a in _TRIGGERS.get(word.group(), ()):
            n, pattern = _ALTERNATIVES[a]
            found = pattern.match(folded, word.start())
            if found and ((n, found.start()) not in matches or found.end() > matches[n, found.start()].end()):
                matches[n, found.start()] = found
    has_digit = _DIGIT.search(folded) is not None
    for a in _ALWAYS:
        n, pattern = _ALTERNATIVES[a]
        if a in _DIGIT_FIRST and not has_digit:
            continue
        for found in pattern.finditer(folded):
            if (n, found.start()) not in matches or found.end() > matches[n, found.start()].end():
                matches[n, found.start()] = found
    return [(n, matches[n, start]) for n, start in sorted(matches)]


def _hits(reading: _Reading) -> list[_Hit]:
    """Every cue occurrence with the kind it counts for and its value in its clause."""
    folded = reading.folded
    found_cues = _cue_matches(folded)
    reading.act_ends = [_WORD_END.search(folded, found.start()).end() for _, found in found_cues]
    hits: list[_Hit] = []
    to_hospital = [(found.start(), found.end()) for n, found in found_cues if _CUES[n].flags & _TO_HOSPITAL]
    for n, found in found_cues:
        kind, weight, _, flags = _CUES[n]
        start = found.start()
        if reading.negated(start, wide=kind == "incident"):
            continue
        if kind == "humanitarian" and any(a <= start < b for a, b in to_hospital):
            continue  # "occupants were taken to hospital": the casualties, not care given
        if kind == "statement" and _ATTRIBUTION.search(folded, max(0, start - 24), start):
            continue  # "police said in a statement": where the news comes from, not what it is
        counted, doer = kind, None
        if kind in ("security_operation", "deployment") or (kind == "incident" and flags & _VERB):
            doer = reading.doer(start, found.end())
        if doer == "gang" and kind != "incident":
            counted = "incident"
        elif doer == "force" and kind == "incident" and reading.used_as_verb(start):
            counted = "security_operation"
        if flags & _POSTED and _TO_SECURE.search(folded, found.end(), reading.sentence_end(start)):
            counted = "security_operation"  # "units deployed to Pont-Sondé to secure the road"
        value = weight * (_CAUSE_WEIGHT if reading.in_cause(start) else 1.0)
        hits.append(_Hit(n, counted, value, start, reading.clause_start(start), doer))
    for n, (kind, weight, symbols) in enumerate(_EMOJI):
        for symbol in symbols:
            start = folded.find(symbol)
            if start >= 0:
                hits.append(_Hit(_EMOJI_CUE - n, kind, weight, start, reading.clause_start(start)))
    # Residents naming who fired: "all that shooting last night? it was the police, not the gangs".
    cleft = any(h.kind == "incident" for h in hits) and _IT_WAS_THE_FORCES.search(folded)
    if cleft:
        hits = [
            h._replace(kind="security_operation")
            if h.kind == "incident" and h.start < cleft.start() and h.doer != "gang"
            else h
            for h in hits
        ]
    for start, _, actor in reading.actors:
        if actor == "gang" and not reading.negated(start):
            value = _CAUSE_WEIGHT if reading.in_cause(start) else 1.0
            hits.append(_Hit(-1, "incident", value, start, reading.clause_start(start)))
    # The main event is usually told first: after the first sentence naming an event, cues count less.
    lead = min((reading.sentence_of(h.start) for h in hits if h.kind != "statement"), default=0)
    hits = [
        h._replace(value=h.value * _LATER_SENTENCE_WEIGHT) if reading.sentence_of(h.start) > lead else h
        for h in hits
    ]
    hits = _aid_rules(reading, hits)
    # What a condemnation names after it in its sentence is its object, not news told: "we condemn the
    # attack on the hospital", "la MSS condamne les attaques contre la population".
    condemned = [(h.start, reading.sentence_of(h.start)) for h in hits if h.cue >= 0 and _flags(h) & _CONDEMN]
    if condemned:
        hits = [
            h._replace(value=h.value * _CAUSE_WEIGHT)
            if h.kind != "statement"
            and any(
                h.start > start and reading.sentence_of(h.start) == sentence for start, sentence in condemned
            )
            else h
            for h in hits
        ]
    # A weekly round-up or a tally since January is a statement, whatever activities it lists.
    tallies = {reading.sentence_of(h.start) for h in hits if h.cue >= 0 and _flags(h) & _TALLY}
    if tallies:
        hits = [
            h._replace(value=h.value * _CAUSE_WEIGHT)
            if h.kind != "statement" and reading.sentence_of(h.start) in tallies
            else h
            for h in hits
        ]
    return hits


def _flags(hit: _Hit) -> int:
    """The flags of a hit's cue; none for the hits that are not lexicon cues (gangs named, emoji)."""
    return _CUES[hit.cue].flags if hit.cue >= 0 else 0


def _aid_rules(reading: _Reading, hits: list[_Hit]) -> list[_Hit]:
    """Escorted aid is humanitarian, escorted forces an operation; aid or care attacked only a target."""
    aid_sentences = {
        reading.sentence_of(h.start) for h in hits if h.kind == "humanitarian" and _flags(h) & _AID
    }
    # Acts of violence (attacks, gangs' seizures): what follows them in their sentence is their target.
    acts = [h for h in hits if h.kind == "incident" and h.cue >= 0 and h.value >= _CUES[h.cue].weight]
    attacked_sentences = {reading.sentence_of(a.start) for a in acts}
    # Vehicles and gear in a sentence about a course are what it teaches to use: "atelye sou kondwit
    # machin blende", "session de conduite de véhicules blindés".
    kinds = {h.kind for h in hits}
    if "training" in kinds and "deployment" in kinds:
        taught = {
            reading.sentence_of(h.start)
            for h in hits
            if h.kind == "training" and h.cue >= 0 and h.value >= _CUES[h.cue].weight
        }
        hits = [
            h._replace(kind="training")
            if h.kind == "deployment" and _flags(h) & _EQUIPMENT and reading.sentence_of(h.start) in taught
            else h
            for h in hits
        ]
    # Aid arriving or received is aid: "food kits arrived in the camps", "peyizan yo resevwa semans".
    if aid_sentences and "deployment" in kinds:
        aid_before = [(h.start, h.clause) for h in hits if h.kind == "humanitarian" and _flags(h) & _AID]
        hits = [
            h._replace(kind="humanitarian")
            if h.kind == "deployment"
            and h.cue >= 0
            and not _flags(h) & _EQUIPMENT
            and any(start < h.start and clause == h.clause for start, clause in aid_before)
            else h
            for h in hits
        ]
    # Forces named after an escort or a convoy in its sentence move under it: "escorted newly arrived
    # troops from the airport", "eskòte yon konvwa machin blende ... rive Arcahaie". Told first, an
    # arrival stays the news ("the contingent arrived and was escorted to its base").
    convoys = [
        (h.start, sentence)
        for h in hits
        if h.kind == "security_operation"
        and _flags(h) & _CONVOY
        and (sentence := reading.sentence_of(h.start)) not in aid_sentences
        and sentence not in attacked_sentences
    ]
    result = []
    for h in hits:
        sentence = reading.sentence_of(h.start)
        attacked = sentence in attacked_sentences
        if h.kind == "deployment" and any(start < h.start and sentence == s for start, s in convoys):
            h = h._replace(kind="security_operation")
        elif (
            h.kind == "security_operation"
            and _flags(h) & _ESCORT
            and sentence in aid_sentences
            and not attacked  # "an aid convoy hijacked by gangs": the convoy is a target
        ):
            h = h._replace(kind="humanitarian")
        elif h.kind == "humanitarian" and any(
            (reading.sentence_of(a.start) == sentence and a.start < h.start)
            or (a.clause == h.clause and a.doer == "gang")  # "clinic looted by gangs"
            for a in acts
        ):
            h = h._replace(value=h.value * _CAUSE_WEIGHT)
        result.append(h)
    return result


def _tally(hits: list[_Hit]) -> tuple[dict[str, float], dict[str, int]]:
    """Scores per kind (each cue counted once, at its best) and where each kind is first named."""
    best: dict[tuple[int, str], float] = {}
    first: dict[str, int] = {}
    for h in hits:
        key = (h.cue, h.kind)
        best[key] = max(best.get(key, 0.0), h.value)
        if h.value > 0:
            first[h.kind] = min(first.get(h.kind, h.start), h.start)
    scores = dict.fromkeys(KINDS, 0.0)
    for (_, kind), value in best.items():
        scores[kind] += value
    return scores, first


def kind_scores(text: str) -> dict[str, float]:
    """Lexicon score per kind for ``text`` (statement: its own cues only); for tests and tuning."""
    scores, _ = _tally(_hits(_Reading(text)))
    return scores


class KindGuess(NamedTuple):
    """A post's kind with how sure the classifier is, and the scores it compared."""

    kind: str
    confidence: float  # in [0, 1]: below REVIEW_THRESHOLD the update needs a reviewer's look
    scores: dict[str, float]  # per kind in KINDS; statement carries its floor


def classify(text: str, model: KindModel | None = None) -> KindGuess:
    """The kind of a post's main event, its confidence and the scores behind it.

    ``model`` (from :func:`train_kind_model`) adds what reviewers' corrections of similar posts
    say; an empty model or none leaves the lexicon's reading as it is.

    >>> classify("Checkpoints reinforced after overnight incidents.").kind
    'security_operation'
    """
    scores, first = _tally(_hits(_Reading(text)))
    scores["statement"] = max(scores["statement"], _STATEMENT_FLOOR)
    if model is not None:
        for kind, support in model.support(text).items():
            scores[kind] += support
            first.setdefault(kind, len(text))
    order = {kind: n for n, kind in enumerate(_PRECEDENCE)}
    ranked = sorted(
        KINDS,
        key=lambda kind: (-scores[kind], first.get(kind, len(text) + 1), order[kind]),
    )
    best = ranked[0]
    return KindGuess(best, _confidence(scores[best], scores[ranked[1]]), scores)


# Confidence is a logistic reading of the margin between the two best kinds and of the best score
# (capped: past a few cues more evidence adds nothing). Set by hand so that a tie stays below one
# half, one weak cue alone or a margin of one weak cue below REVIEW_THRESHOLD, and clear margins on
# strong evidence near 1; checked on the classifier's own test posts, not on the held-out set.
_CONFIDENCE_MARGIN = 1.1
_CONFIDENCE_STRENGTH = 0.25
_CONFIDENCE_BIAS = -1.1


def _confidence(top: float, second: float) -> float:
    margin = top - second
    strength = min(top, 8.0)
    z = _CONFIDENCE_MARGIN * margin + _CONFIDENCE_STRENGTH * strength + _CONFIDENCE_BIAS
    return round(1 / (1 + math.exp(-z)), 4)


def classify_kind(text: str) -> str:
    """Return the update kind of a post: one of :data:`KINDS`, ``statement`` when no cue is strong.

    >>> classify_kind("Checkpoints reinforced after overnight incidents.")
    'security_operation'
    """
    return classify(text).kind


# ---------------------------------------------------------------------------------------------
# Learning from reviewers' corrections.

_MODEL_VERSION = 1
_MAX_EXAMPLES = 5000
_STEM = 6
_MIN_SIMILARITY = 0.3  # below this a corrected post says nothing about the new one
_GAIN = 8.0  # what one corrected post of the same wording adds to its kind's score
_NEIGHBOURS = 5
_MODEL_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|#)$")
# Words that say nothing about a kind: function words and the names every post carries.
_STOP = frozenset(
    """
    the a an and or of to in on at by for with from as is are was were be been has have had it its this
    that these those their his her our we they he she there here will would can could into over after
    before during about than then today yesterday tonight morning evening night week who which what
    le la les un une des du de et ou au aux en dans sur par pour avec sans ce cette ces se sa son
    ses leur leurs est sont ont ete qui que qu ne pas plus il elle ils elles nous vous hier matin soir
    yo nan ak pou ki li se te ap pa gen sou lan an jodi ye maten swa
    mss hnp pnh haiti ayiti police polis officers officer policiers units unit forces mission misyon
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def _features(text: str) -> frozenset[str]:
    """Stems of a post's content words, and pairs of consecutive stems: what its wording is.

    Names (capitalised words inside a sentence: places, people, units) are left out, so that a
    correction is about wording, not about where it happened.
    """
    words = []
    for found in _MODEL_WORD.finditer(text):
        word = found.group()
        if word[0].isupper() and not _SENTENCE_START.search(text[max(0, found.start() - 3) : found.start()]):
            words.append("")  # a name breaks the pairs but adds nothing
            continue
        folded = fold(word)
        words.append("" if folded in _STOP else folded[:_STEM])
    pairs = {f"{a} {b}" for a, b in pairwise(words) if a and b}
    return frozenset(w for w in words if w) | pairs


@dataclass(frozen=True)
class KindModel:
    """Reviewers' corrected posts, as wording features and kinds, read by nearest examples.

    A new post's support for a kind is the summed similarity (cosine over word and word-pair
    stems) of the few most similar corrected posts of that kind, counted from ``_MIN_SIMILARITY``
    up: unrelated posts get none, close wording a lot, and several agreeing corrections more than
    one. Explainable: the support names the corrected posts it comes from (:meth:`neighbours`).
    """

    examples: tuple[tuple[str, frozenset[str]], ...] = ()
    _index: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for k, (_, features) in enumerate(self.examples):
            for f in features:
                index.setdefault(f, []).append(k)
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.examples)

    def neighbours(self, text: str) -> list[tuple[float, int]]:
        """(similarity, example index) of the corrected posts like ``text``, most similar first."""
        features = _features(text)
        if not features or not self.examples:
            return []
        shared: dict[int, int] = {}
        for f in features:
            for k in self._index.get(f, ()):
                shared[k] = shared.get(k, 0) + 1
        similar = [(n / math.sqrt(len(features) * len(self.examples[k][1])), k) for k, n in shared.items()]
        similar = [pair for pair in similar if pair[0] >= _MIN_SIMILARITY]
        return sorted(similar, key=lambda pair: (-pair[0], pair[1]))[:_NEIGHBOURS]

    def support(self, text: str) -> dict[str, float]:
        """Score to add per kind for ``text``: empty when no corrected post is similar."""
        support: dict[str, float] = {}
        for similarity, k in self.neighbours(text):
            kind = self.examples[k][0]
            strength = (similarity - _MIN_SIMILARITY) / (1 - _MIN_SIMILARITY)
            support[kind] = support.get(kind, 0.0) + _GAIN * strength
        return support

    def to_dict(self) -> dict:
        """A JSON-serialisable form: the kind and sorted features of each corrected post."""
        return {
            "version": _MODEL_VERSION,
            "examples": [{"kind": kind, "features": sorted(features)} for kind, features in self.examples],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> KindModel:
        """The model :meth:`to_dict` wrote; unknown kinds and versions are refused."""
        if data.get("version") != _MODEL_VERSION:
            raise ValueError(f"unknown kind model version: {data.get('version')!r}")
        examples = []
        for example in data.get("examples", ()):
            kind = example["kind"]
            if kind not in KINDS:
                raise ValueError(f"unknown kind in model: {kind!r}")
            examples.append((kind, frozenset(example["features"])))
        return cls(tuple(examples))


def train_kind_model(examples: Iterable[tuple[str, str]]) -> KindModel:
    """A :class:`KindModel` from (text, kind) pairs, reviewers' corrections, oldest first.

    The same wording corrected twice keeps the later kind; past ``_MAX_EXAMPLES`` the oldest go.
    """
    by_features: dict[frozenset[str], str] = {}
    for text, kind in examples:
        if kind not in KINDS:
            raise ValueError(f"unknown kind: {kind!r}")
        features = _features(text)
        if not features:
            continue
        by_features.pop(features, None)  # re-inserted last: the latest correction is the newest
        by_features[features] = kind
    kept = list(by_features.items())[-_MAX_EXAMPLES:]
    return KindModel(tuple((kind, features) for features, kind in kept))
