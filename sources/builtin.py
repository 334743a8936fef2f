"""Rules that need no imported list.

Restricted zones
    DNS zones whose registry only registers names for public bodies.  A zone
    covers every host under it (``interieur.gouv.fr``, ``www.nasa.gov``), so a
    fresh install already trusts them.  Each zone cites the policy that restricts
    it; a zone that loosened its policy has no place here.  There is no ``.gouv``
    top-level domain in the IANA root zone: French-speaking states use
    ``gouv.<country>`` second-level zones, listed below.

Platforms
    The upstream lists name hosts, and some of them are shared platforms
    (see ``../shared/data/sources/PROVENANCE.md``): trusting ``facebook.com``
    because a commune listed its page there would trust all of Facebook.

    * ``DENIED_PLATFORMS``: services whose pages belong to their users by *path*
      (``facebook.com/mairie``) or that are commercial portals: no host under
      them is trusted, whatever a list says (a curator allow still can).
    * ``SHARED_SUFFIXES``: hosting platforms that give each customer a host
      (``belpech.wixsite.com``, ``aast.free.fr``).  They behave like public
      suffixes: a listed tenant is trusted with its subdomains, the platform
      host itself and its unlisted tenants are not.  The PSL private section
      already lists some (``wixsite.com``, ``blogspot.com``, ``github.io``);
      this adds the French ISP and site-builder platforms it lacks.
"""

from __future__ import annotations

from typing import NamedTuple

from sources.categories import Category


class Zone(NamedTuple):
    suffix: str
    category: Category
    name: str
    policy: str


ZONES: tuple[Zone, ...] = (
    # France
    Zone("gouv.fr", Category.ETAT, "Administration de l'État (gouv.fr)",
         "AFNIC naming charter: gouv.fr is reserved to the French government, "
         "delegated to the Prime Minister's services (SIG/DINUM)"),
    # French-speaking states' government zones
    Zone("gouv.qc.ca", Category.ETAT_ETRANGER, "Gouvernement du Québec",
         "CIRA: gouv.qc.ca is held by the Government of Québec for its bodies"),
    Zone("gouv.mc", Category.ETAT_ETRANGER, "Gouvernement princier de Monaco",
         "Monaco NIC: gouv.mc reserved to the Government of Monaco"),
    Zone("gouv.sn", Category.ETAT_ETRANGER, "Gouvernement du Sénégal",
         "NIC Sénégal naming charter: gouv.sn reserved to State bodies"),
    Zone("gouv.ci", Category.ETAT_ETRANGER, "Gouvernement de Côte d'Ivoire",
         "NIC.CI naming charter: gouv.ci reserved to government bodies"),
    Zone("gouv.bj", Category.ETAT_ETRANGER, "Gouvernement du Bénin",
         "NIC Bénin: gouv.bj reserved to government bodies"),
    Zone("gouv.ml", Category.ETAT_ETRANGER, "Gouvernement du Mali",
         "Mali ccTLD policy: gouv.ml reserved to government bodies"),
    Zone("gouv.ht", Category.ETAT_ETRANGER, "Gouvernement d'Haïti",
         "NIC Haïti: gouv.ht reserved to government bodies"),
    # European Union and intergovernmental organisations
    Zone("europa.eu", Category.INSTITUTION_INTERNATIONALE, "Institutions de l'Union européenne",
         "europa.eu is the EU institutions' domain, managed by the European Commission (DG DIGIT)"),
    Zone("int", Category.INSTITUTION_INTERNATIONALE, "Organisation internationale (.int)",
         "IANA .int policy (RFC 1591, ICANN): only organisations established by treaty between governments"),
    # United States
    Zone("gov", Category.ETAT_ETRANGER, "U.S. government (.gov)",
         "CISA .gov registration policy (DOTGOV Act of 2020): U.S.-based government organisations only"),
    Zone("mil", Category.ETAT_ETRANGER, "U.S. armed forces (.mil)",
         "RFC 1591 / DoD NIC: .mil is reserved to the U.S. Department of Defense"),
    Zone("edu", Category.ENSEIGNEMENT_SUPERIEUR, "U.S. higher education (.edu)",
         "EDUCAUSE .edu policy: institutionally accredited U.S. postsecondary institutions"),
    # United Kingdom
    Zone("gov.uk", Category.ETAT_ETRANGER, "UK government (gov.uk)",
         "GOV.UK domain policy (Central Digital and Data Office): public sector organisations only"),
    Zone("ac.uk", Category.ENSEIGNEMENT_SUPERIEUR, "UK higher education (ac.uk)",
         "Jisc ac.uk eligibility policy: higher and further education and research bodies"),
    Zone("nhs.uk", Category.ETAT_ETRANGER, "UK National Health Service (nhs.uk)",
         "NHS England nhs.uk naming policy: NHS organisations only"),
    Zone("police.uk", Category.ETAT_ETRANGER, "UK police (police.uk)",
         "police.uk registration: UK police forces only (Police Digital Service)"),
    # Other states whose government zones are restricted by their registries
    Zone("gc.ca", Category.ETAT_ETRANGER, "Government of Canada (gc.ca)",
         "Treasury Board Standard on Web Addresses: gc.ca reserved to federal institutions"),
    Zone("gov.au", Category.ETAT_ETRANGER, "Australian government (gov.au)",
         "Australian Government Domain Name Policy (DTA): government entities only"),
    Zone("edu.au", Category.ENSEIGNEMENT_SUPERIEUR, "Australian education (edu.au)",
         "auDA edu.au policy (Education Services Australia): education institutions only"),
    Zone("govt.nz", Category.ETAT_ETRANGER, "New Zealand government (govt.nz)",
         "DIA govt.nz registration policy: public service and Crown entities only"),
    Zone("gob.es", Category.ETAT_ETRANGER, "Administración pública de España (gob.es)",
         "Orden ITC/1542/2005 and Red.es: gob.es for Spanish public administrations"),
    Zone("gov.it", Category.ETAT_ETRANGER, "Pubblica amministrazione italiana (gov.it)",
         "AgID / Registro .it: gov.it reserved to central public administrations"),
    Zone("gv.at", Category.ETAT_ETRANGER, "Österreichische Verwaltung (gv.at)",
         "Austrian Federal Chancellery gv.at policy: public authorities only"),
    Zone("admin.ch", Category.ETAT_ETRANGER, "Administration fédérale suisse (admin.ch)",
         "Swiss Federal Administration: admin.ch is held by the Federal Chancellery for federal bodies"),
    Zone("gov.pl", Category.ETAT_ETRANGER, "Administracja publiczna RP (gov.pl)",
         "NASK / KPRM gov.pl policy: public administration bodies only"),
    Zone("gov.br", Category.ETAT_ETRANGER, "Governo do Brasil (gov.br)",
         "Registro.br rules: gov.br restricted to Brazilian government bodies"),
    Zone("gov.in", Category.ETAT_ETRANGER, "Government of India (gov.in)",
         "NIC India .gov.in guidelines: Indian government bodies only"),
    Zone("go.jp", Category.ETAT_ETRANGER, "Government of Japan (go.jp)",
         "JPRS go.jp registration rules: Japanese government agencies only"),
    Zone("ac.jp", Category.ENSEIGNEMENT_SUPERIEUR, "Japanese higher education (ac.jp)",
         "JPRS ac.jp registration rules: universities and academic institutions"),
    Zone("gob.mx", Category.ETAT_ETRANGER, "Gobierno de México (gob.mx)",
         "NIC México gob.mx policy: Mexican government entities only"),
)


#: hosts of services whose content belongs to users by path, or commercial portals
DENIED_PLATFORMS: frozenset[str] = frozenset({
    # social networks and video platforms: a commune's page is a path
    "facebook.com", "fb.com", "fb.me", "instagram.com", "twitter.com", "x.com", "linkedin.com",
    "youtube.com", "youtu.be", "dailymotion.com", "vimeo.com", "tiktok.com", "pinterest.com",
    "flickr.com", "threads.net",
    # document and form hosting, link shorteners (they redirect anywhere)
    "google.com", "google.fr", "calameo.com", "issuu.com", "padlet.com", "doodle.com",
    "bit.ly", "tinyurl.com", "goo.gl", "ow.ly", "t.co",
    # site builders' own sites and ISP portals (tenants live in SHARED_SUFFIXES)
    "wix.com", "wordpress.org", "orange.fr", "sfr.fr", "wanadoo.fr", "neuf.fr", "free.fr",
    "laposte.net", "gmail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com", "outlook.fr",
    # media and commercial sites found on the upstream lists (``sdc sources audit``)
    "linternaute.com", "afternic.com",
})

#: hosting platforms whose customers each get a host under the platform
SHARED_SUFFIXES: frozenset[str] = frozenset({
    "free.fr", "pagesperso-orange.fr", "monsite.orange.fr", "monsite-orange.fr", "perso.sfr.fr",
    "pagesperso-sfr.fr", "neuf.fr", "pagesperso-neuf.fr", "wix.com", "wixsite.com", "wordpress.com",
    "e-monsite.com", "e-monsite.fr", "jimdo.com", "jimdofree.com", "jimdosite.com", "blogspot.com",
    "blogspot.fr", "over-blog.com", "over-blog.fr", "overblog.com", "canalblog.com", "sitew.fr",
    "sitew.com", "sitew.org", "webnode.fr", "webnode.com", "fr.gd", "github.io", "gitlab.io",
    "netlify.app", "vercel.app", "weebly.com", "hautetfort.com", "eklablog.com", "kazeo.com",
    "centerblog.net", "skyrock.com", "webself.net", "monsite.wanadoo.fr",
    # free hosting found on the upstream lists (collectivites.txt lists chez.com itself)
    "chez.com", "chez-alice.fr",
})

#: labels under a shared suffix that are the platform's own site, not a tenant
PLATFORM_OWN_LABELS: frozenset[str] = frozenset({"www", "m", "api", "static", "cdn", "blog", "help"})
