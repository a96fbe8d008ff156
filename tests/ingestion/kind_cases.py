"""Posts in wording the lexicon was not written from, labelled by the codebook
(ingestion/data/heldout/README.md).

Written for the kind classifier's tests, one phenomenon at a time: who does the act (gangs or the
forces), the cause or circumstance clause, escorts that serve aid, announced or expected sending of
personnel in French and Kreyòl, negation, visits and calm reports. None of them is a held-out post.
"""

from __future__ import annotations

# (text, kind)
INCIDENTS = [
    # Gangs doing what forces do in other posts: taking control, seizing, blocking, barricades.
    ("Gangs took control of the Mirebalais police station overnight.", "incident"),
    ("Armed bandits seized a bus on Route Nationale 2 and abducted its passengers.", "incident"),
    ("Des hommes armés ont érigé des barricades à l'entrée de Kenscoff.", "incident"),
    ("Gang members blocked the road to Pétion-Ville with burning tyres.", "incident"),
    ("Bandi yo bloke wout la nan Kafou Fèy depi maten an.", "incident"),
    ("Armed groups have occupied the Saint-Marc road, cutting off supplies to the north.", "incident"),
    ("Gangs stormed the hospital in Canapé-Vert and forced patients to flee.", "incident"),
    ("Bandits hijacked a truck carrying WFP food aid on RN1 near Arcahaie.", "incident"),
    ("Des individus armés ont détourné un camion de riz à Croix-des-Bouquets.", "incident"),
    ("Kidnappers seized two missionaries on the road to Ganthier.", "incident"),
    ("Les gangs contrôlent désormais la route de Kenscoff et rançonnent les automobilistes.", "incident"),
    # Attacks, shootings, arson in varied wording and the three languages.
    ("Bandi yo atake komisarya Kabarè a yè swa.", "incident"),
    ("Gang yo mete dife nan plizyè kay nan Bèlè.", "incident"),
    ("Yon gwoup bandi tire sou moun ki t ap tann bis nan Tabarre.", "incident"),
    ("Les gangs de la coalition Viv Ansanm ont incendié plusieurs maisons à Solino.", "incident"),
    ("Un policier a été abattu par des bandits armés à Delmas 32.", "incident"),
    ("Plusieurs morts après une attaque de gangs contre le marché de Croix-des-Bossales.", "incident"),
    ("A convoy carrying HNP officers was ambushed near Pont-Sondé.", "incident"),
    ("Police came under heavy fire while patrolling in Croix-des-Bouquets.", "incident"),
    ("An MSS armoured vehicle was hit by gunfire near the port; no one was hurt.", "incident"),
    ("Des tirs ont visé un véhicule blindé de la MSS, sans faire de blessés.", "incident"),
    ("Gang attack on a clinic in Delmas: medical staff evacuated.", "incident"),
    ("Journalist shot while covering a protest downtown.", "incident"),
    ("Violent clashes between rival gangs left 12 dead in Cité Soleil.", "incident"),
    ("Gangs burn a church and several homes in Mirebalais", "incident"),
    ("Lynching of a suspected gang member in Pétion-Ville this afternoon.", "incident"),
    ("Explosive device found near the national palace; the area has been cordoned off.", "incident"),
    ("Prison break: hundreds of inmates escaped after gangs attacked the penitentiary.", "incident"),
    ("breaking: heavy shooting in solino rn, people running everywhere", "incident"),
    ("Tire ap pete nan Kafou Fèy kounye a, tout moun kache!!", "incident"),
    ("Gangs looted the Mirebalais hospital and set the pharmacy on fire.", "incident"),
    ("A school bus was attacked by gang members on the road to Léogâne; two children wounded.", "incident"),
    ("Nouvelle vague d'enlèvements à Pétion-Ville : trois médecins kidnappés en une semaine.", "incident"),
    ("Drone footage shows gangs digging trenches across the road to block police vehicles.", "incident"),
    ("Bandits ambushed an MSS patrol near Ganthier; the officers returned fire.", "incident"),
    ("Residents of Carrefour-Feuilles say armed men looted their homes and burned cars.", "incident"),
    ("Gangs killed at least 15 people in Pont-Sondé before dawn.", "incident"),
    ("Bandi yo touye 3 moun epi yo boule machin nan Tabarre.", "incident"),
    ("Les bandits ont pris d'assaut le commissariat de Mirebalais et libéré les détenus.", "incident"),
]

SECURITY_OPERATIONS = [
    # The forces act: offensives, kills and arrests in an operation, retaking places.
    ("MSS and HNP forces launched an offensive against gang positions in Bas-Delmas.", "security_operation"),
    ("Police killed three gang members during an operation in Canaan.", "security_operation"),
    ("La PNH a neutralisé un chef de gang à Croix-des-Bouquets.", "security_operation"),
    ("Security forces took back control of the Carrefour police station.", "security_operation"),
    ("Les forces de l'ordre ont repris le contrôle du commissariat de Mirebalais.", "security_operation"),
    ("Police chased gang members out of the Nazon neighbourhood.", "security_operation"),
    ("Police dismantled a gang camp in Morne à Cabrit and recovered ammunition.", "security_operation"),
    ("Opération policière à Pernier : 4 bandits interpellés et 2 fusils saisis.", "security_operation"),
    ("Polis la fè yon operasyon nan Bwa Mabriz, li arete 4 moun.", "security_operation"),
    (
        "Searches of vehicles at the entrance of Pétion-Ville led to the seizure of a rifle.",
        "security_operation",
    ),
    ("Operation against kidnappers: two hostages freed in Croix-des-Bouquets.", "security_operation"),
    ("MSS units destroyed a gang base used to launch attacks on Tabarre.", "security_operation"),
    ("Officers shot and wounded a suspected kidnapper during a raid in Delmas 95.", "security_operation"),
    ("The HNP, backed by the MSS, attacked the stronghold of the Gran Grif gang.", "security_operation"),
    # Guarding, escorting forces, keeping a route or site open under protection.
    ("Kenyan officers conducted foot patrols around the Canapé-Vert hospital.", "security_operation"),
    ("MSS units are guarding the main hospital after threats from gangs.", "security_operation"),
    ("MSS units escorted HNP reinforcements to the Mirebalais police station.", "security_operation"),
    (
        "The MSS has secured the Varreux fuel terminal; tanker trucks are leaving under escort.",
        "security_operation",
    ),
    ("Ekip MSS yo ap veye wout nasyonal 1 pou machin yo ka pase.", "security_operation"),
    ("Roadblocks set up by police at the entrance of Gressier to search vehicles.", "security_operation"),
    ("Night patrol in Delmas: all quiet.", "security_operation"),
    ("The MSS kept the airport road open overnight despite gunfire from nearby hills.", "security_operation"),
    ("Polis ak MSS mete baraj nan antre Kafou pou fouye machin.", "security_operation"),
    ("Les agents de la MSS assurent la sécurité du port autonome depuis ce matin.", "security_operation"),
    ("Police removed burning tyres and reopened the road to Léogâne after clashes.", "security_operation"),
    ("Officers responded quickly after shots were heard and arrested two suspects.", "security_operation"),
    ("Operations continue in Solino following last night's gang attack.", "security_operation"),
    ("Polis la met men sou twa bandi nan Kanaran.", "security_operation"),
    ("La PNH a mis la main sur deux présumés kidnappeurs à Tabarre.", "security_operation"),
]

DEPLOYMENTS = [
    (
        "Un deuxième contingent de policiers kényans est attendu à Port-au-Prince la semaine prochaine.",
        "deployment",
    ),
    ("Le Guatemala enverra 150 militaires en Haïti d'ici la fin du mois.", "deployment"),
    ("Les Bahamas vont dépêcher 150 soldats supplémentaires.", "deployment"),
    ("200 policiers jamaïcains arriveront lundi à l'aéroport Toussaint Louverture.", "deployment"),
    ("Kenya pral voye 600 lòt polis an Ayiti.", "deployment"),
    ("Lòt kontenjan an ap rive Ayiti semèn pwochèn.", "deployment"),
    ("Le premier groupe de soldats béninois doit arriver en avril.", "deployment"),
    ("Sòlda Jamayiken yo debake nan pò Pòtoprens maten an.", "deployment"),
    ("The Kenyan officers who completed their tour flew home on Friday.", "deployment"),
    ("Les policiers kényans de la première rotation ont quitté Haïti.", "deployment"),
    ("Chad announced it will contribute 200 troops to the new Gang Suppression Force.", "deployment"),
    ("The second batch of 400 officers is scheduled to land in Port-au-Prince next week.", "deployment"),
    ("Le Bénin se prépare à déployer jusqu'à 2 000 soldats.", "deployment"),
    ("Nouvo polis kenyen yo ateri nan ayewopò a.", "deployment"),
    ("Arrivée ce matin de 150 policiers salvadoriens.", "deployment"),
    ("A team of Salvadoran army medics arrived to support the mission's medical unit.", "deployment"),
    ("Ces nouveaux effectifs porteront à 1 000 le nombre de policiers de la mission.", "deployment"),
    ("The mission's strength now stands at 1,000 personnel after today's arrivals.", "deployment"),
    ("Jamaica is sending another 24 soldiers and police officers to Haiti.", "deployment"),
    ("Le gouvernement kényan a annoncé l'envoi prochain de 600 policiers supplémentaires.", "deployment"),
    ("Des policiers kényans sont attendus à Port-au-Prince dans les prochains jours.", "deployment"),
    ("Gwatemala ap voye 150 sòlda pou ede misyon an.", "deployment"),
    ("More Kenyan police are expected to arrive before the end of the month.", "deployment"),
    ("Another group of 150 officers touched down at TLIA this afternoon.", "deployment"),
    ("Les militaires salvadoriens seront déployés dans l'Artibonite dès leur arrivée.", "deployment"),
    ("Welcome to Haiti! 🇰🇪 The third Kenyan contingent has landed.", "deployment"),
    ("La Jamaïque a confirmé l'envoi de 30 militaires et policiers.", "deployment"),
    ("The MSS took delivery of ten new armoured vehicles for its units.", "deployment"),
]

# Departures and coming arrivals said plainly, by residents as much as by officials: going home,
# leaving the base, "pati", "retire", "coming". Leaving a base to patrol is an operation.
DEPARTURES_AND_COMING = [
    ("Polis Kenyen yo pral tounen lakay yo semèn pwochèn.", "deployment"),
    ("Dènye sòlda Beliz yo ap kite baz Tabarre a pou yo retounen nan peyi yo.", "deployment"),
    ("Lòt gwoup polis Bahamas yo pati yè swa, misyon yo fini.", "deployment"),
    ("Kenya ap retire 200 polis nan misyon an, daprè ministè a.", "deployment"),
    ("more police coming next week they say, we'll see", "deployment"),
    ("Another plane from Kenya just landed, the cops are here", "deployment"),
    ("Les policiers jamaïcains rentrent chez eux après six mois en Haïti.", "deployment"),
    ("The Guatemalan soldiers are going home this weekend after their tour.", "deployment"),
    ("Troops from Chad are coming next month, officials said.", "deployment"),
    ("Sòlda Salvadò yo ap kite baz Kanaran an pou yo al lakay yo.", "deployment"),
    ("Ekip MSS yo kite baz la pou yo al patwouye Solino.", "security_operation"),
    ("Police units left their base at dawn to patrol Canaan.", "security_operation"),
]

# Welcoming a team or personnel is their arrival, a medical team as much as a contingent; welcoming
# what someone did or decided is not.
WELCOMES = [
    ("Welcome to the new Guatemalan medical team! Personnel: 80", "deployment"),
    ("Byenveni bay 80 pèsonèl medikal ki sot Gwatemala.", "deployment"),
    (
        "Bienvenue à l'équipe médicale salvadorienne : 45 personnels de santé rejoignent la mission.",
        "deployment",
    ),
    ("Welcome to Haiti, Jamaica Defence Force medics! Soldiers: 120", "deployment"),
    ("Byenveni a ekip medikal Salvadò a nan baz MSS la.", "deployment"),
    ("We warmly welcome 150 Bahamian officers to the mission.", "deployment"),
    ("La MSS souhaite la bienvenue aux soldats béninois.", "deployment"),
    ("Akeyi cho pou 60 pèsonèl Kenyen ki rive ayewopò a maten an.", "deployment"),
    ("Welcome, Bahamian officers!", "deployment"),
    ("A Salvadoran medical team arrived at the base this morning.", "deployment"),
    ("Ekip medikal MSS la bay swen gratis nan Kanaran.", "humanitarian"),
    ("The Prime Minister welcomed the progress made by the mission.", "statement"),
]

# Talk about the operations in general, visits, audiences and commitments: statements. A specific act
# reported by a spokesman, or a sending announced, keeps its own kind.
ATTRIBUTED_TALK = [
    ("The spokesman told reporters the situation in Delmas was under control.", "statement"),
    (
        "Le porte-parole de la PNH a assuré que les opérations se poursuivraient jusqu'au retour de la paix.",
        "statement",
    ),
    ("Pòtpawòl polis la di operasyon yo ap kontinye nan tout zòn yo.", "statement"),
    (
        "The police chief said operations against the gangs will continue until the roads are safe.",
        "statement",
    ),
    (
        "Le ministre de la Justice, en visite au commissariat de Delmas, a salué le travail des policiers.",
        "statement",
    ),
    (
        "Le Premier ministre a reçu le commandant de la force pour faire le point sur la sécurité.",
        "statement",
    ),
    ("Kenya reaffirms its commitment to stand with the Haitian people.", "statement"),
    ("Le Kenya réaffirme son engagement aux côtés d'Haïti et de la PNH.", "statement"),
    ("Minis Jistis la te rankontre kòmandan MSS la pou yo fè pwen sou sitiyasyon sekirite a.", "statement"),
    (
        "The Jamaican Prime Minister praised the soldiers serving in Haiti during a visit to their base.",
        "statement",
    ),
    ("Officials vowed to keep up the pressure on the gangs in the coming weeks.", "statement"),
    ("La situation est sous contrôle à Pétion-Ville, selon la police.", "statement"),
    ("Jamaica's foreign minister reiterated her country's support for the mission.", "statement"),
    ("The mission said security would be reinforced ahead of the elections.", "statement"),
    ("The spokesperson said the police would remain deployed in Delmas for as long as needed.", "statement"),
    (
        "Les policiers kényans resteront en Haïti jusqu'à la fin du mandat, a déclaré le ministre.",
        "statement",
    ),
    ("A spokesman said police arrested four suspects in Delmas overnight.", "security_operation"),
    (
        "Police said they arrested three suspects and will continue operations in Canaan.",
        "security_operation",
    ),
    ("Kenya said it will send 600 more officers next month.", "deployment"),
    (
        "Le ministre a annoncé que 300 policiers supplémentaires arriveront la semaine prochaine.",
        "deployment",
    ),
]

# A condemnation is a statement: the acts it names are its object. An attack told first stays the news.
CONDEMNATIONS = [
    ("We strongly condemn the violence against civilians in Pont-Sondé.", "statement"),
    ("La MSS condamne fermement les attaques contre la population de Mirebalais.", "statement"),
    ("Nou kondane vyolans gang yo fè sou popilasyon an nan Kabarè.", "statement"),
    ("The mission condemns the killing of two officers in Mirebalais.", "statement"),
    (
        "Le gouvernement condamne avec la plus grande fermeté l'assassinat du juge de paix de Saint-Marc.",
        "statement",
    ),
    ("MSS deplores the attack on the Canapé-Vert hospital and calls for calm.", "statement"),
    ("Kenyan President Ruto condemned the ambush that killed a Kenyan officer.", "statement"),
    ("Lapolis denonse atak bandi yo sou lekòl la, li mande popilasyon an rete kalm.", "statement"),
    (
        "Gunmen attacked the police station in Mirebalais overnight, killing two officers. "
        "The MSS condemns this attack.",
        "incident",
    ),
]

# Escorts of forces and presence on the street are operations: the forces escorted move, they do not
# arrive. An arrival told first stays the news.
ESCORTS_AND_PRESENCE = [
    ("Armoured carriers accompanied a SWAT convoy from Tabarre to the airport.", "security_operation"),
    ("Sòlda yo eskòte yon konvwa machin blende soti Kabarè rive Arcahaie.", "security_operation"),
    ("Police at every street corner controlling traffic this morning in Delmas.", "security_operation"),
    (
        "Kenyan officers escorted newly arrived Jamaican troops from the airport to their base.",
        "security_operation",
    ),
    ("Des blindés de la MSS ont accompagné un convoi de policiers vers Pont-Sondé.", "security_operation"),
    (
        "MSS armoured vehicles escorted the new HNP recruits to their posts in the Artibonite.",
        "security_operation",
    ),
    ("Polis yo kanpe nan chak kwen lari ap kontwole sikilasyon an nan Petyonvil.", "security_operation"),
    (
        "Heavy police presence at the Carrefour Aéroport junction, officers directing traffic.",
        "security_operation",
    ),
    (
        "Des policiers postés à chaque carrefour de Pétion-Ville pour réguler la circulation.",
        "security_operation",
    ),
    (
        "The new Jamaican contingent arrived at the airport and was escorted to its base by HNP units.",
        "deployment",
    ),
]

# Graduating said as leaving the school, and courses on using vehicles: training, whatever gear the
# course is about. Vehicles handed over stay a deployment.
GRADUATIONS_AND_COURSES = [
    ("Vingt-quatre nouveaux policiers sont sortis de l'École nationale de police.", "training"),
    ("Nouveaux policiers sortis de l'Académie nationale de police ce vendredi.", "training"),
    ("Atelye sou kondwit machin blende pou chofè PNH yo.", "training"),
    ("La 35e promotion de l'Académie de police est sortie ce matin.", "training"),
    ("Nouvo polis yo soti lekòl polis la jodi a, 412 ofisye an plis.", "training"),
    ("412 new officers passed out of the police academy on Friday.", "training"),
    ("Les chauffeurs de la PNH ont suivi une session de conduite de véhicules blindés.", "training"),
    ("Workshop on armoured vehicle maintenance for HNP mechanics, led by MSS engineers.", "training"),
    ("The MSS handed over ten armoured vehicles to the HNP.", "deployment"),
]

# What was done to people: a patrol falling into an ambush, a car under fire whose occupants go to
# hospital, a bomb found, residents' gunfire. Residents naming the forces as who fired make it an
# operation.
INCIDENTS_MISREAD = [
    ("Yon patwouy PNH tonbe nan yon anbiskad bò Ganthier, de polis blese.", "incident"),
    ("A joint patrol was caught in an ambush on the road to Mirebalais.", "incident"),
    ("Une patrouille de la PNH est tombée dans une embuscade à Ganthier.", "incident"),
    ("Residents fled as heavily armed men stormed Solino before dawn.", "incident"),
    ("shooting again near the market tonight, my kids can't sleep", "incident"),
    ("Tire ankò bò lekòl la aswè a, timoun yo pè.", "incident"),
    ("A civilian car was hit by gunfire on Route de Frères; the driver was rushed to hospital.", "incident"),
    ("Yon machin sivil pran bal sou wout Frè, yo mennen chofè a lopital.", "incident"),
    (
        "Un véhicule a été la cible de tirs à Tabarre ; ses occupants ont été transportés à l'hôpital.",
        "incident",
    ),
    (
        "Un engin explosif artisanal découvert devant une école de Delmas ; la police l'a désamorcé.",
        "incident",
    ),
    ("Yon bonm atizanal yo jwenn devan lekòl nasyonal Delmas, polis la dezamòse l.", "incident"),
    ("Police found a bomb under a car near the Champ de Mars and cordoned off the area.", "incident"),
    ("all that shooting in Canaan last night? it was the police, not the gangs", "security_operation"),
    ("Tire yo te tande Tabarre yè swa se te polis la, pa gang yo.", "security_operation"),
    ("Les tirs entendus cette nuit à Canaan, c'était la PNH et pas les bandits.", "security_operation"),
    (
        "The shooting you heard this morning in Solino was a police operation against the gangs.",
        "security_operation",
    ),
    ("Gunfire in Canaan: it was the police who were attacked, two officers wounded.", "incident"),
]

# Humanitarian without the word aid: power back, a road fixed, seeds for farmers, care resumed, fuel
# reaching hospitals under escort. Retaking a place stays an operation.
RELIEF_WITHOUT_AID = [
    ("Le courant est revenu à Carrefour grâce aux techniciens de l'EDH.", "humanitarian"),
    ("the road got fixed, trucks can pass now", "humanitarian"),
    ("Seeds and tools distributed to farmers in the Artibonite.", "humanitarian"),
    ("Nos équipes ont repris les consultations prénatales à Martissant.", "humanitarian"),
    ("Gaz la rive nan lopital yo apre kamyon yo soti tèminal la anba eskòt polis.", "humanitarian"),
    ("Kouran an tounen nan Kafou gras a teknisyen EDH yo.", "humanitarian"),
    ("Distribution de semences et d'outils aux agriculteurs de Mirebalais.", "humanitarian"),
    ("Power is back in Delmas 33 after EDH crews replaced the transformer.", "humanitarian"),
    ("MSF resumed maternity services at its Turgeau clinic this week.", "humanitarian"),
    ("Peyizan nan Latibonit resevwa semans ak zouti pou yo ka plante ankò.", "humanitarian"),
    (
        "Fuel trucks left the Varreux terminal under police escort to supply hospitals in the capital.",
        "humanitarian",
    ),
    ("Les forces de l'ordre ont repris le contrôle du quartier.", "security_operation"),
]

HUMANITARIAN = [
    # Aid escorted or secured by the forces: the aid is the event.
    ("MSS escorted a WFP convoy carrying food to Pont-Sondé.", "humanitarian"),
    ("Kenyan officers escorted trucks of humanitarian aid to Cité Soleil.", "humanitarian"),
    ("Sous escorte de la MSS, des camions de vivres sont arrivés à Mirebalais.", "humanitarian"),
    ("Les forces de sécurité ont sécurisé la distribution de kits alimentaires à Canaan.", "humanitarian"),
    ("Police protected the convoy of medicines bound for the hospital in Petite-Rivière.", "humanitarian"),
    ("MSS ak PNH eskòte kamyon manje pou moun ki deplase yo.", "humanitarian"),
    ("Under MSS protection, UNICEF delivered vaccines to health centres in the Artibonite.", "humanitarian"),
    # Care, repairs, distributions by the forces themselves.
    ("The MSS medical team treated residents injured in last week's gang attacks.", "humanitarian"),
    ("The MSS repaired the water pipe serving Delmas 75.", "humanitarian"),
    ("Réhabilitation du pont de Ti Rivyè par le génie de la MSS.", "humanitarian"),
    ("Free medical consultations offered by the Jamaican contingent in Saint-Marc.", "humanitarian"),
    ("Fuel distributed to hospitals running out of electricity.", "humanitarian"),
    ("Doktè MSS yo bay swen gratis nan Kanaran.", "humanitarian"),
    ("School supplies donated to children displaced by violence.", "humanitarian"),
    ("Les soldats guatémaltèques ont distribué de l'eau aux familles déplacées.", "humanitarian"),
    ("Kenyan officers donated blood at the state hospital.", "humanitarian"),
    ("Nou distribye manje ak dlo bay fanmi ki sinistre yo nan Kafou.", "humanitarian"),
    ("Repair works on the Pont-Sondé bridge completed; the crossing reopens to traffic.", "humanitarian"),
]

STATEMENTS = [
    ("The Force Commander met the Prime Minister to discuss the security situation.", "statement"),
    ("Le commandant de la force a rendu visite aux unités déployées à Pont-Sondé.", "statement"),
    ("MSS remains committed to supporting the Haitian people.", "statement"),
    ("Journée calme à Port-au-Prince ; la circulation est normale.", "statement"),
    ("Press conference tomorrow at 10am on the mission's first year.", "statement"),
    ("Thank you to Kenya for its leadership of the mission.", "statement"),
    ("The UN Security Council renewed the mission's authorisation for 12 months.", "statement"),
    ("We are aware of reports circulating on social media and will provide an update.", "statement"),
    ("Message du chef de la mission à l'occasion de la fête du drapeau.", "statement"),
    ("No incidents reported overnight in Tabarre.", "statement"),
    ("Pa gen okenn ensidan nan zòn nan jodi a.", "statement"),
    ("Aucun incident n'a été signalé ce week-end à Cazeau.", "statement"),
    ("The MSS chief visited the checkpoint at Carrefour Drouillard and spoke with officers.", "statement"),
    ("Kenya's foreign minister held talks with Haitian officials on the mission's future.", "statement"),
    ("The Transitional Council thanked the contributing countries for their support.", "statement"),
    ("Rumours of an attack on the airport are false. Stay informed through official channels.", "statement"),
    ("Vidéo : entretien avec le porte-parole de la mission sur le bilan du mois.", "statement"),
    ("Happy Independence Day to all Haitians! 🇭🇹", "statement"),
]

TRAININGS = [
    ("Cours de tir pour 40 agents de la PNH à Pétion-Ville.", "training"),
    ("Fòmasyon sou dwa moun pou polisye yo.", "training"),
    ("MSS instructors taught HNP officers how to drive armoured vehicles.", "training"),
    ("Cérémonie de sortie de la 34e promotion de l'Académie nationale de police.", "training"),
    ("Officers practised first aid during a medical skills workshop.", "training"),
    ("300 recrues ont terminé leur formation de base.", "training"),
    ("HNP officers learned crowd control techniques from Jamaican instructors.", "training"),
]

CASES = INCIDENTS + SECURITY_OPERATIONS + DEPLOYMENTS + HUMANITARIAN + STATEMENTS + TRAININGS
# Families of wording the classifier used to get wrong, each read with a clear margin (see
# test_kinds.test_family_wording_is_read_with_a_margin).
FAMILIES = (
    DEPARTURES_AND_COMING
    + WELCOMES
    + ATTRIBUTED_TALK
    + CONDEMNATIONS
    + ESCORTS_AND_PRESENCE
    + GRADUATIONS_AND_COURSES
    + INCIDENTS_MISREAD
    + RELIEF_WITHOUT_AID
)
CASES += FAMILIES
