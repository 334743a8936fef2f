"""The curated table of national public services agents meet most, with their names.

The upstream lists name hosts but not the bodies behind them (every Etalab entry
has no name) and file service-public.fr, ameli.fr or caf.fr under "autre". This
table gives the official name and a category to the registrable domains that
the pages agents read link to most (measured on the corpus: ``bench/bench_sources.py
names``). It has the highest precedence for names and categories (before the
Annuaire, the universities list and Etalab), its hosts are trusted, and a listed
subdomain without a name of its own takes its parent's (``www.impots.gouv.fr``
is the DGFiP's). District town halls of Paris are one category, ``commune``.

Each line: ``domain | category | name``. Kept by hand; a curator allow can
still override any of them, a curator deny still wins over all of them.
"""

from __future__ import annotations

from sources.categories import Category
from sources.national_operators import TABLE as OPERATORS
from sources.verdicts import Entry

RULE = "national"

_TABLE = """
service-public.fr | etat | Service-Public.fr — DILA
service-public.gouv.fr | etat | Service-Public.fr — DILA
legifrance.gouv.fr | etat | Légifrance — DILA
journal-officiel.gouv.fr | etat | Journal officiel — DILA
vie-publique.fr | etat | Vie-publique.fr — DILA
ladocumentationfrancaise.fr | etat | La Documentation française — DILA
circulaires.gouv.fr | etat | Circulaires.gouv.fr — Premier ministre
gouvernement.fr | etat | Gouvernement — Service d'information du Gouvernement
impots.gouv.fr | etat | Impots.gouv.fr — Direction générale des Finances publiques
finances.gouv.fr | etat | Ministère de l'Économie et des Finances
economie.gouv.fr | etat | Ministère de l'Économie et des Finances
bercy.gouv.fr | etat | Ministère de l'Économie et des Finances
entreprises.gouv.fr | etat | Direction générale des Entreprises
douane.gouv.fr | etat | Direction générale des douanes et droits indirects
amendes.gouv.fr | etat | Agence nationale de traitement automatisé des infractions (amendes)
antai.gouv.fr | etat | Agence nationale de traitement automatisé des infractions (ANTAI)
aft.gouv.fr | etat | Agence France Trésor
cadastre.gouv.fr | etat | Cadastre — Direction générale des Finances publiques
encheres-domaine.gouv.fr | etat | Domaine — Direction de l'immobilier de l'État
ensap.gouv.fr | etat | Espace numérique sécurisé de l'agent public (ENSAP)
chorus-pro.gouv.fr | etat | Chorus Pro — Agence pour l'informatique financière de l'État
marches-publics.gouv.fr | etat | Plateforme des achats de l'État (PLACE)
tarifs-bancaires.gouv.fr | etat | Comité consultatif du secteur financier (tarifs bancaires)
prix-carburants.gouv.fr | etat | Prix des carburants — Ministère de l'Économie
interieur.gouv.fr | etat | Ministère de l'Intérieur
ants.gouv.fr | etat | Agence nationale des titres sécurisés (ANTS)
pre-plainte-en-ligne.gouv.fr | etat | Pré-plainte en ligne — Ministère de l'Intérieur
internet-signalement.gouv.fr | etat | Pharos — Ministère de l'Intérieur
securite-routiere.gouv.fr | etat | Sécurité routière — Ministère de l'Intérieur
accueil-etrangers.gouv.fr | etat | Accueil des étrangers — Ministère de l'Intérieur
france-visas.gouv.fr | etat | France-Visas — Ministère de l'Europe et des Affaires étrangères
prefectures-regions.gouv.fr | etat | Préfectures de région
cybermalveillance.gouv.fr | etat | Cybermalveillance.gouv.fr (GIP ACYMA)
derives-sectes.gouv.fr | etat | Miviludes — Mission de lutte contre les dérives sectaires
drogues.gouv.fr | etat | MILDECA — Mission interministérielle de lutte contre les drogues
lagendarmerierecrute.fr | etat | Gendarmerie nationale — recrutement
stationnement.gouv.fr | etat | Stationnement — Ministère de l'Intérieur
justice.gouv.fr | etat | Ministère de la Justice
justice.fr | etat | Justice.fr — Ministère de la Justice
guide-victimes.gouv.fr | etat | Guide des victimes — Ministère de la Justice
telerecours.fr | etat | Télérecours — Conseil d'État
conseil-etat.fr | etat | Conseil d'État
courdecassation.fr | etat | Cour de cassation
conseil-constitutionnel.fr | etat | Conseil constitutionnel
tribunal-administratif.fr | etat | Tribunaux administratifs — Conseil d'État
defenseurdesdroits.fr | etat | Défenseur des droits
diplomatie.gouv.fr | etat | Ministère de l'Europe et des Affaires étrangères
ambafrance.org | ambassade | Ambassade de France
ambafrance-cn.org | ambassade | Ambassade de France en Chine
education.gouv.fr | etat | Ministère de l'Éducation nationale
education.fr | etat | Éducation nationale (education.fr)
devenirenseignant.gouv.fr | etat | Devenir enseignant — Ministère de l'Éducation nationale
enseignementsup-recherche.gouv.fr | etat | Ministère de l'Enseignement supérieur et de la Recherche
esr.gouv.fr | etat | Ministère de l'Enseignement supérieur et de la Recherche
etudiant.gouv.fr | etat | Etudiant.gouv.fr — Ministère de l'Enseignement supérieur
trouvermonmaster.gouv.fr | etat | Trouver mon master — Ministère de l'Enseignement supérieur
parcoursup.fr | etat | Parcoursup — Ministère de l'Enseignement supérieur
diplome.gouv.fr | etat | Diplôme.gouv.fr — Ministère de l'Enseignement supérieur
lescrous.fr | enseignement-superieur | Crous — Centres régionaux des œuvres universitaires
onisep.fr | etat | Onisep — Office national d'information sur les enseignements et les professions
cned.fr | etat | Cned — Centre national d'enseignement à distance
reseau-canope.fr | etat | Réseau Canopé
pix.fr | etat | Pix (GIP)
orientation-pour-tous.fr | etat | Orientation pour tous (Centre Inffo)
jeunes.gouv.fr | etat | Jeunes.gouv.fr — Ministère chargé de la Jeunesse
jeunesse-sports.gouv.fr | etat | Ministère chargé de la Jeunesse et des Sports
jeunesse-vie-associative.gouv.fr | etat | Ministère chargé de la Jeunesse et de la Vie associative
sports.gouv.fr | etat | Ministère des Sports
associations.gouv.fr | etat | Associations.gouv.fr — Ministère chargé de la Vie associative
service-civique.gouv.fr | etat | Agence du Service civique
reserve-civique.gouv.fr | etat | Réserve civique
snu.gouv.fr | etat | Service national universel
travail-emploi.gouv.fr | etat | Ministère du Travail
travail.gouv.fr | etat | Ministère du Travail
emploi.gouv.fr | etat | Ministère du Travail
direccte.gouv.fr | etat | Direccte — Ministère du Travail
dreets.gouv.fr | etat | DREETS — Ministère du Travail
boss.gouv.fr | etat | Bulletin officiel de la sécurité sociale (BOSS)
moncompteformation.gouv.fr | etat | Mon compte formation — Caisse des Dépôts
vae.gouv.fr | etat | France VAE
demission-reconversion.gouv.fr | etat | Démission-reconversion — Ministère du Travail
reviensteformer.gouv.fr | etat | Reviens te former — Ministère du Travail
francecompetences.fr | etat | France compétences
cncp.gouv.fr | etat | Commission nationale de la certification professionnelle
pole-emploi.fr | etat | France Travail (Pôle emploi)
francetravail.fr | etat | France Travail
apec.fr | autre-public | Apec — Association pour l'emploi des cadres
afpa.fr | etat | Afpa — Agence nationale pour la formation professionnelle des adultes
epide.fr | etat | EPIDE — Établissement pour l'insertion dans l'emploi
agefiph.fr | autre-public | Agefiph — Association de gestion du fonds pour l'insertion des personnes handicapées
ameli.fr | sante | Assurance Maladie
cnamts.fr | sante | Caisse nationale de l'Assurance Maladie (CNAM)
cmu.fr | sante | Complémentaire santé solidaire — Assurance Maladie
dmp.fr | sante | Dossier médical partagé — Assurance Maladie
dmp.gouv.fr | etat | Dossier médical partagé — Assurance Maladie
caf.fr | etat | Caisse d'allocations familiales
urssaf.fr | etat | Urssaf
msa.fr | etat | Mutualité sociale agricole (MSA)
cnav.fr | etat | Assurance retraite — Caisse nationale d'assurance vieillesse (Cnav)
lassuranceretraite.fr | etat | L'Assurance retraite (Cnav)
info-retraite.fr | etat | Info-retraite — GIP Union Retraite
agirc-arrco.fr | autre-public | Agirc-Arrco
retraitesdeletat.gouv.fr | etat | Service des retraites de l'État
mesdroitssociaux.gouv.fr | etat | Mes droits sociaux — Ministère des Solidarités
social-sante.gouv.fr | etat | Ministère de la Santé et des Solidarités
solidarites-sante.gouv.fr | etat | Ministère des Solidarités et de la Santé
solidarites.gouv.fr | etat | Ministère des Solidarités
sante.gouv.fr | etat | Ministère de la Santé
social.gouv.fr | etat | Ministère des Solidarités
handicap.gouv.fr | etat | Handicap.gouv.fr — Secrétariat d'État chargé des Personnes handicapées
monparcourshandicap.gouv.fr | etat | Mon parcours handicap — CNSA et Caisse des Dépôts
cnsa.fr | etat | Caisse nationale de solidarité pour l'autonomie (CNSA)
pour-les-personnes-agees.gouv.fr | etat | Portail national pour les personnes âgées — CNSA
ivg.gouv.fr | sante | IVG.gouv.fr — Ministère de la Santé
medicaments.gouv.fr | sante | Base de données publique des médicaments
adoption.gouv.fr | etat | Adoption — Ministère des Solidarités
cnaop.gouv.fr | etat | Conseil national pour l'accès aux origines personnelles
allo119.gouv.fr | etat | Allô 119 — Service national d'accueil téléphonique de l'enfance en danger
egalite-femmes-hommes.gouv.fr | etat | Ministère chargé de l'Égalité entre les femmes et les hommes
sante.fr | sante | Santé.fr — Agences et services de santé
santepubliquefrance.fr | sante | Santé publique France
has-sante.fr | sante | Haute Autorité de santé
anses.fr | sante | Anses — Agence nationale de sécurité sanitaire
aphp.fr | sante | Assistance Publique – Hôpitaux de Paris
registrenationaldesrefus.fr | sante | Registre national des refus — Agence de la biomédecine
alim-confiance.gouv.fr | etat | Alim'confiance — Ministère de l'Agriculture
agriculture.gouv.fr | etat | Ministère de l'Agriculture
inao.gouv.fr | etat | INAO — Institut national de l'origine et de la qualité
chambres-agriculture.fr | etat | Chambres d'agriculture France
ifce.fr | etat | Institut français du cheval et de l'équitation
oncfs.gouv.fr | etat | Office national de la chasse et de la faune sauvage
federationpeche.fr | autre-public | Fédération nationale de la pêche en France
chasseurdefrance.com | autre-public | Fédération nationale des chasseurs
developpement-durable.gouv.fr | etat | Ministère de la Transition écologique
ecologique-solidaire.gouv.fr | etat | Ministère de la Transition écologique
ecologie.gouv.fr | etat | Ministère de la Transition écologique
equipement.gouv.fr | etat | Ministère de la Transition écologique (équipement)
aviation-civile.gouv.fr | etat | Direction générale de l'aviation civile
certificat-air.gouv.fr | etat | Crit'Air — Ministère de la Transition écologique
jechangemavoiture.gouv.fr | etat | Je change ma voiture — Ministère de la Transition écologique
primealaconversion.gouv.fr | etat | Prime à la conversion — Ministère de la Transition écologique
georisques.gouv.fr | etat | Géorisques — Ministère de la Transition écologique
vigicrues.gouv.fr | etat | Vigicrues — Ministère de la Transition écologique
bison-fute.gouv.fr | etat | Bison Futé — Ministère chargé des Transports
demarches-plaisance.gouv.fr | etat | Démarches plaisance — Ministère de la Mer
projets-environnement.gouv.fr | etat | Projets-environnement — Ministère de la Transition écologique
longuevieauxobjets.gouv.fr | etat | Longue vie aux objets — Ministère de la Transition écologique
prix-controle-technique.gouv.fr | etat | Prix du contrôle technique — Ministère de la Transition écologique
ademe.fr | etat | ADEME — Agence de la transition écologique
faire.fr | etat | FAIRE — ADEME
faire.gouv.fr | etat | FAIRE — ADEME
maprimerenov.gouv.fr | etat | MaPrimeRénov' — Agence nationale de l'habitat
anah.fr | etat | Anah — Agence nationale de l'habitat
anah.gouv.fr | etat | Anah — Agence nationale de l'habitat
ineris.fr | etat | Ineris — Institut national de l'environnement industriel et des risques
asn.fr | etat | Autorité de sûreté nucléaire
irsn.fr | etat | IRSN — Institut de radioprotection et de sûreté nucléaire
brgm.fr | etat | BRGM — Service géologique national
logement.gouv.fr | etat | Ministère chargé du Logement
cohesion-territoires.gouv.fr | etat | Ministère de la Cohésion des territoires
demande-logement-social.gouv.fr | etat | Demande de logement social — Ministère chargé du Logement
registre-coproprietes.gouv.fr | etat | Registre national des copropriétés — Anah
dossierfacile.fr | etat | DossierFacile — Ministère chargé du Logement
anil.org | autre-public | ANIL — Agence nationale pour l'information sur le logement
ville.gouv.fr | etat | Politique de la ville — Ministère de la Cohésion des territoires
cget.gouv.fr | etat | Commissariat général à l'égalité des territoires
observatoire-des-territoires.gouv.fr | etat | Observatoire des territoires — ANCT
collectivites-locales.gouv.fr | etat | Collectivités locales — Direction générale des collectivités locales
drdjscs.gouv.fr | etat | DRDJSCS — Ministère des Solidarités
culture.gouv.fr | etat | Ministère de la Culture
culturecommunication.gouv.fr | etat | Ministère de la Culture
bnf.fr | etat | Bibliothèque nationale de France
cnc.fr | etat | CNC — Centre national du cinéma et de l'image animée
francearchives.fr | etat | FranceArchives — Service interministériel des Archives de France
monuments-nationaux.fr | etat | Centre des monuments nationaux
hadopi.fr | etat | Hadopi (Arcom)
csa.fr | etat | Conseil supérieur de l'audiovisuel (Arcom)
arcep.fr | etat | Arcep — Autorité de régulation des communications électroniques
cnil.fr | etat | CNIL — Commission nationale de l'informatique et des libertés
defense.gouv.fr | etat | Ministère des Armées
onac-vg.fr | etat | ONaCVG — Office national des combattants et des victimes de guerre
www.legiondhonneur.fr | etat | Grande Chancellerie de la Légion d'honneur
legiondhonneur.fr | etat | Grande Chancellerie de la Légion d'honneur
devenir-aviateur.fr | etat | Armée de l'air et de l'espace — recrutement
pompiersparis.fr | etat | Brigade de sapeurs-pompiers de Paris
fonction-publique.gouv.fr | etat | Fonction publique — DGAFP
place-emploi-public.gouv.fr | etat | Place de l'emploi public — DGAFP
modernisation.gouv.fr | etat | Direction interministérielle de la transformation publique
data.gouv.fr | etat | data.gouv.fr — DINUM
etalab.gouv.fr | etat | Etalab — DINUM
geoportail.gouv.fr | etat | Géoportail — IGN
demarches-simplifiees.fr | etat | Démarches simplifiées — DINUM
mon-entreprise.fr | etat | Mon-entreprise — Urssaf
servicesalapersonne.gouv.fr | etat | Services à la personne — Direction générale des Entreprises
qualite-tourisme.gouv.fr | etat | Qualité Tourisme — Direction générale des Entreprises
brexit.gouv.fr | etat | Brexit — Gouvernement
insee.fr | etat | Insee — Institut national de la statistique et des études économiques
inpi.fr | etat | INPI — Institut national de la propriété industrielle
banque-france.fr | etat | Banque de France
caissedesdepots.fr | etat | Caisse des Dépôts
asp-public.fr | etat | Agence de services et de paiement (ASP)
ofii.fr | etat | OFII — Office français de l'immigration et de l'intégration
ofpra.gouv.fr | etat | OFPRA — Office français de protection des réfugiés et apatrides
bloctel.gouv.fr | etat | Bloctel — Ministère de l'Économie
cnfpt.fr | collectivite | CNFPT — Centre national de la fonction publique territoriale
www.cci.fr | etat | CCI France — Chambres de commerce et d'industrie
cci-paris-idf.fr | etat | CCI Paris Île-de-France
www.notaires.fr | autre-public | Conseil supérieur du notariat
assemblee-nationale.fr | etat | Assemblée nationale
senat.fr | etat | Sénat
cidj.com | autre-public | CIDJ — Centre d'information et de documentation jeunesse
infofemmes.com | autre-public | CIDFF — Centres d'information sur les droits des femmes et des familles
unaf.fr | autre-public | UNAF — Union nationale des associations familiales
cresusalsace.org | autre-public | Crésus Alsace
apecita.com | autre-public | Apecita — emploi dans l'agriculture
enim.eu | etat | ENIM — Établissement national des invalides de la marine
simmbad.fr | autre-public | Simmbad — Fédération des familles rurales
metropolegrandparis.fr | intercommunalite | Métropole du Grand Paris
grandlyon.com | intercommunalite | Métropole de Lyon
paris.fr | commune | Ville de Paris
lille.fr | commune | Ville de Lille
nord.gouv.fr | prefecture | Préfecture du Nord
saone-et-loire.gouv.fr | prefecture | Préfecture de Saône-et-Loire
correze.gouv.fr | prefecture | Préfecture de la Corrèze
coe.int | institution-internationale | Conseil de l'Europe
wipo.int | institution-internationale | Organisation mondiale de la propriété intellectuelle
icao.int | institution-internationale | Organisation de l'aviation civile internationale
coleurope.eu | institution-internationale | Collège d'Europe
"""

_ACADEMIES = {
    "aix-marseille": "d'Aix-Marseille", "amiens": "d'Amiens", "besancon": "de Besançon",
    "bordeaux": "de Bordeaux", "caen": "de Caen", "clermont": "de Clermont-Ferrand",
    "corse": "de Corse", "creteil": "de Créteil", "dijon": "de Dijon", "grenoble": "de Grenoble",
    "guadeloupe": "de la Guadeloupe", "guyane": "de la Guyane", "lille": "de Lille",
    "limoges": "de Limoges", "lyon": "de Lyon", "martinique": "de la Martinique",
    "montpellier": "de Montpellier", "nancy-metz": "de Nancy-Metz", "nantes": "de Nantes",
    "nice": "de Nice", "orleans-tours": "d'Orléans-Tours", "paris": "de Paris",
    "poitiers": "de Poitiers", "reims": "de Reims", "rennes": "de Rennes",
    "reunion": "de La Réunion", "rouen": "de Normandie", "strasbourg": "de Strasbourg",
    "toulouse": "de Toulouse", "versailles": "de Versailles", "mayotte": "de Mayotte",
    "normandie": "de Normandie",
}


#: academy domain -> its name (``ac-rennes.fr`` -> ``Académie de Rennes``): it names the schools under it
ACADEMIES = {f"ac-{key}.fr": f"Académie {where}" for key, where in _ACADEMIES.items()}


def _paris_town_halls() -> list[tuple[str, Category, str]]:
    """The 20 district town halls of Paris: one category (``commune``), whatever the list
    they were filed under (01-04 are in nongouvfr-divers, 05-20 in communes)."""
    halls = []
    for number in range(1, 21):
        name = ("Mairie de Paris Centre" if number <= 4 else
                f"Mairie du {number}{'er' if number == 1 else 'e'} arrondissement de Paris")
        halls.append((f"mairie{number:02d}.paris.fr", Category.COMMUNE, name))
    return halls


def _entries() -> tuple[Entry, ...]:
    rows: list[tuple[str, Category, str]] = []
    for line in (*_TABLE.strip().splitlines(), *OPERATORS.strip().splitlines()):
        host, category, name = (part.strip() for part in line.split("|"))
        rows.append((host, Category(category), name))
    rows += [(f"ac-{key}.fr", Category.ACADEMIE, f"Académie {where}")
             for key, where in _ACADEMIES.items()]
    rows += _paris_town_halls()
    return tuple(Entry(host, category, name, RULE, f"curated national table: {name}")
                 for host, category, name in rows)


NATIONAL: tuple[Entry, ...] = _entries()
