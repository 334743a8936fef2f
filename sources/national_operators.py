"""The national table's second part: State operators, independent authorities and national
programmes, with their names (``domain | category | name``, as in ``sources.national``).

Written from the State's own lists of operators and authorities, not from any measured
set of hosts: ``bench/bench_sources.py --names`` keeps a held-out part for that reason.
"""

from __future__ import annotations

TABLE = """
vnf.fr | etat | Voies navigables de France (VNF)
onf.fr | etat | Office national des forêts (ONF)
ssi.gouv.fr | etat | ANSSI — Agence nationale de la sécurité des systèmes d'information
cyber.gouv.fr | etat | ANSSI — Agence nationale de la sécurité des systèmes d'information
autoritedelaconcurrence.fr | etat | Autorité de la concurrence
franceconnect.gouv.fr | etat | FranceConnect — Direction interministérielle du numérique
numerique.gouv.fr | etat | Direction interministérielle du numérique (DINUM)
beta.gouv.fr | etat | beta.gouv.fr — Direction interministérielle du numérique
api.gouv.fr | etat | api.gouv.fr — Direction interministérielle du numérique
ign.fr | etat | IGN — Institut national de l'information géographique et forestière
meteofrance.com | etat | Météo-France
meteofrance.fr | etat | Météo-France
ofb.gouv.fr | etat | Office français de la biodiversité (OFB)
ansm.sante.fr | sante | ANSM — Agence nationale de sécurité du médicament et des produits de santé
ars.sante.fr | sante | Agences régionales de santé (ARS)
1jeune1solution.gouv.fr | etat | 1 jeune, 1 solution — Ministère du Travail
agence-cohesion-territoires.gouv.fr | etat | Agence nationale de la cohésion des territoires (ANCT)
anru.fr | etat | Agence nationale pour la rénovation urbaine (ANRU)
cerema.fr | etat | Cerema — Centre d'études et d'expertise sur les risques et l'aménagement
cnrs.fr | enseignement-superieur | CNRS — Centre national de la recherche scientifique
inserm.fr | enseignement-superieur | Inserm — Institut national de la santé et de la recherche médicale
inrae.fr | enseignement-superieur | INRAE — Institut national de recherche pour l'agriculture
hceres.fr | enseignement-superieur | Hcéres — Haut Conseil de l'évaluation de la recherche
anr.fr | etat | Agence nationale de la recherche (ANR)
parcoursup.gouv.fr | etat | Parcoursup — Ministère de l'Enseignement supérieur
bpifrance.fr | etat | Bpifrance — Banque publique d'investissement
signal.conso.gouv.fr | etat | SignalConso — DGCCRF
hatvp.fr | etat | Haute Autorité pour la transparence de la vie publique (HATVP)
cada.fr | etat | Commission d'accès aux documents administratifs (CADA)
arcom.fr | etat | Arcom — Autorité de régulation de la communication audiovisuelle et numérique
cre.fr | etat | Commission de régulation de l'énergie (CRE)
amf-france.org | etat | Autorité des marchés financiers (AMF)
ccomptes.fr | etat | Cour des comptes
lecese.fr | etat | Conseil économique, social et environnemental (CESE)
elysee.fr | etat | Présidence de la République
france-renov.gouv.fr | etat | France Rénov' — Agence nationale de l'habitat
franceagrimer.fr | etat | FranceAgriMer
andra.fr | etat | Andra — Agence nationale pour la gestion des déchets radioactifs
agence-erasmus.fr | etat | Agence Erasmus+ France Éducation & Formation
campusfrance.org | etat | Campus France
institutfrancais.com | etat | Institut français
atout-france.fr | etat | Atout France — Agence de développement touristique de la France
businessfrance.fr | etat | Business France
net-entreprises.fr | etat | Net-entreprises — GIP Modernisation des déclarations sociales
arretonslesviolences.gouv.fr | etat | Arrêtons les violences — Gouvernement
outre-mer.gouv.fr | etat | Ministère des Outre-mer
mer.gouv.fr | etat | Secrétariat d'État chargé de la Mer
sgdsn.gouv.fr | etat | Secrétariat général de la défense et de la sécurité nationale (SGDSN)
francearchives.gouv.fr | etat | FranceArchives — Service interministériel des Archives de France
agence-francaise-anticorruption.gouv.fr | etat | Agence française anticorruption (AFA)
chequeenergie.gouv.fr | etat | Chèque énergie — Ministère de la Transition écologique
reforme-retraite.gouv.fr | etat | Réforme des retraites — Gouvernement
complementaire-sante-solidaire.gouv.fr | etat | Complémentaire santé solidaire — Assurance Maladie
info-acs.fr | sante | Aide au paiement d'une complémentaire santé (ACS) — Fonds CMU
alerte-enlevement.gouv.fr | etat | Alerte enlèvement — Ministère de la Justice
dilcrah.gouv.fr | etat | DILCRAH — Délégation interministérielle contre le racisme et l'antisémitisme
supmaritime.fr | enseignement-superieur | École nationale supérieure maritime (ENSM)
mdph.fr | departement | Maisons départementales des personnes handicapées (MDPH)
"""
