"""Hosts that misbehave the way real small public websites do, one behaviour per host.

Every host is trusted by the farm's classifier except ``www.hors-liste.example``, which is served
only so that the request log would show it if the crawler ever went there.

============================  ===========================================================
host                          behaviour
============================  ===========================================================
lent.ferme-sdc.fr             every page answers after 0.2 s
erreurs.ferme-sdc.fr          ``/panne-N`` always 500, ``/ok-N`` fine
muet.ferme-sdc.fr             ``/attente`` never answers (timeout)
boucle.ferme-sdc.fr           ``/a`` -> ``/b`` -> ``/a`` redirect loop
redirige.ferme-sdc.fr         ``/sortie`` redirects off the list; ``/copie`` has an off-list canonical
agenda.ferme-sdc.fr           ``/agenda?mois=...``: a calendar with "next month" links forever
lourd.ferme-sdc.fr            ``/enorme``: an 8 MB page
binaire.ferme-sdc.fr          ``/photo``: PNG bytes served as text/html; ``/notice.pdf``
casse.ferme-sdc.fr            broken HTML (unclosed tags, stray bytes) that still has text
ancien.ferme-sdc.fr (http)    Windows-1252 pages: charset in the header, in a meta, or nowhere
prive.ferme-sdc.fr            robots.txt disallows ``/prive/`` (linked from home), Crawl-delay 0.5
sature.ferme-sdc.fr           429 with ``Retry-After: 1`` on the first request of each page
============================  ===========================================================
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from crawler.farm.sites import Reply, html_reply, page_html, robots_txt

SUFFIX = "ferme-sdc.fr"
OFF_LIST_HOST = "www.hors-liste.example"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
       + bytes(range(256)) * 8)
HUGE_BYTES = 8 * 1024 * 1024

Route = Callable[[dict[str, str]], Reply]


class HostileSite:
    """A small site: a home page linking to ``routes``, plus robots.txt."""

    def __init__(self, name: str, routes: dict[str, Route], *, scheme: str = "https",
                 disallow: tuple[str, ...] = (), delay: float = 0.0, links: tuple[str, ...] = (),
                 crawl_delay: float = 0.0) -> None:
        self.host = name if "." in name else f"{name}.{SUFFIX}"
        self.scheme, self.routes, self.disallow, self.delay = scheme, routes, list(disallow), delay
        self.crawl_delay = crawl_delay
        self.links = links or tuple(routes)

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        if path == "/robots.txt":
            return robots_txt(self.host, self.scheme, self.disallow, self.crawl_delay)
        if path == "/":
            reply = html_reply(page_html(title=f"Accueil {self.host}", body="Bienvenue sur notre site.",
                                         url=f"{self.scheme}://{self.host}/", site_name=self.host,
                                         links=[(p, p) for p in self.links]))
        else:
            route = self.routes.get(path) or self.routes.get(path.partition("?")[0])
            reply = route(headers) if route else html_reply("<h1>Page introuvable</h1>", 404)
        if self.delay:
            reply.delay = max(reply.delay, self.delay)
        return reply


def _page(host: str, path: str, title: str, body: str, **extra: Any) -> Reply:
    return html_reply(page_html(title=title, body=body, url=f"https://{host}{path}", site_name=host, **extra))


def _fixed(reply: Reply) -> Route:
    return lambda headers: reply


def lent() -> HostileSite:
    host = f"lent.{SUFFIX}"
    return HostileSite("lent", {f"/page-{i}": _fixed(_page(host, f"/page-{i}", f"Page lente {i}",
                                                           "Une page servie lentement."))
                                for i in range(4)}, delay=0.2)


def erreurs() -> HostileSite:
    host = f"erreurs.{SUFFIX}"
    routes: dict[str, Route] = {f"/panne-{i}": _fixed(html_reply("<h1>Erreur interne</h1>", 500))
                                for i in range(3)}
    routes |= {f"/ok-{i}": _fixed(_page(host, f"/ok-{i}", f"Service en ligne {i}", "Cette page répond."))
               for i in range(3)}
    return HostileSite("erreurs", routes)


def muet() -> HostileSite:
    return HostileSite("muet", {"/attente": _fixed(Reply(200, b"<p>trop tard</p>",
                                                         {"Content-Type": "text/html"}, delay=3600))})


def boucle() -> HostileSite:
    return HostileSite("boucle", {
        "/a": _fixed(Reply(302, b"", {"Location": "/b"})),
        "/b": _fixed(Reply(302, b"", {"Location": "/a"})),
    })


def redirige() -> HostileSite:
    host = f"redirige.{SUFFIX}"
    return HostileSite("redirige", {
        "/sortie": _fixed(Reply(302, b"", {"Location": f"https://{OFF_LIST_HOST}/piege"})),
        "/copie": _fixed(_page(host, "/copie", "Copie d'un article", "Ce texte vient d'ailleurs.",
                               canonical=f"https://{OFF_LIST_HOST}/original")),
        "/interne": _fixed(Reply(301, b"", {"Location": "/arrivee"})),
        "/arrivee": _fixed(_page(host, "/arrivee", "Arrivée après redirection", "Bonne destination.")),
    }, links=("/sortie", "/copie", "/interne"))


def hors_liste() -> HostileSite:
    return HostileSite(OFF_LIST_HOST, {
        "/piege": _fixed(_page(OFF_LIST_HOST, "/piege", "Page hors liste", "Ne doit pas être indexée.")),
        "/original": _fixed(_page(OFF_LIST_HOST, "/original", "Original", "Ne doit pas être indexée.")),
    })


class AgendaSite(HostileSite):
    """``/agenda?mois=YYYY-MM`` links to the previous and next months, without end."""

    def __init__(self) -> None:
        super().__init__("agenda", {}, links=("/agenda?mois=2026-11",))

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        if not path.startswith("/agenda?mois="):
            return super().respond(path, headers)
        value = path.partition("=")[2][:7]
        try:
            year, month = int(value[:4]), int(value[5:7])
        except ValueError:
            return html_reply("<h1>Mois inconnu</h1>", 404)
        index = year * 12 + month - 1
        nearby = [f"/agenda?mois={(index + d) // 12:04d}-{(index + d) % 12 + 1:02d}" for d in (-1, 1)]
        nearby += [f"/agenda?mois={value}&vue=semaine&s={w}" for w in range(1, 5)]
        return _page(self.host, path, f"Agenda {value}", f"Aucun événement en {value}.",
                     links=[(p, p) for p in nearby])


def lourd() -> HostileSite:
    host = f"lourd.{SUFFIX}"
    filler = "<p>" + "Texte de remplissage. " * 40 + "</p>\n"
    huge = ("<html><body>" + filler * (HUGE_BYTES // len(filler) + 1) + "</body></html>").encode()
    return HostileSite("lourd", {
        "/enorme": _fixed(Reply(200, huge, {"Content-Type": "text/html; charset=utf-8"})),
        "/normale": _fixed(_page(host, "/normale", "Page normale", "Une page de taille normale.")),
    })


def binaire() -> HostileSite:
    return HostileSite("binaire", {
        "/photo": _fixed(Reply(200, PNG, {"Content-Type": "text/html"})),
        "/notice.pdf": _fixed(Reply(200, b"%PDF-1.4\n" + bytes(range(256)) * 4,
                                    {"Content-Type": "application/pdf"})),
        "/archive": _fixed(Reply(200, b"PK\x03\x04" + bytes(range(256)) * 4,
                                 {"Content-Type": "application/zip"})),
    })


def casse() -> HostileSite:
    broken = ("<html><head><title>Conseil municipal du 3 mars</title><body><div><p>Ordre du jour "
              "<b>budget primitif<p>Vote des subventions aux associations<table><tr><td>Salle des "
              "fêtes</div></span>\x00\x01 <a href='/ok'>suite</a>").encode()
    return HostileSite("casse", {
        "/conseil": _fixed(Reply(200, broken, {"Content-Type": "text/html; charset=utf-8"})),
        "/ok": _fixed(_page(f"casse.{SUFFIX}", "/ok", "Suite du conseil", "Le conseil est clos.")),
    })


def ancien() -> HostileSite:
    def legacy(title: str, text: str, header: str, meta: str) -> Route:
        head = f'<meta charset="{meta}">' if meta else ""
        html = (f"<html><head>{head}<title>{title}</title></head><body><div id=\"contenu\"><h1>{title}</h1>"
                f"<p>{text}</p></div></body></html>")
        content_type = "text/html" + (f"; charset={header}" if header else "")
        return _fixed(Reply(200, html.encode("cp1252"), {"Content-Type": content_type}))

    return HostileSite("ancien", {
        "/mediatheque": legacy("Médiathèque « Élise Œuvray »",
                               "Horaires d’été : fermée le 15 août. Tarif 5 € par an.", "windows-1252", ""),
        "/mairie": legacy("Mairie : démarches d'état civil",
                          "Déclaration de naissance à effectuer sous cinq jours – pièces à fournir.",
                          "", "iso-8859-1"),
        "/ecole": legacy("École élémentaire Jules-Ferry",
                         "Inscriptions à la cantine et garderie périscolaire, année 2026–2027.", "", ""),
    }, scheme="http")


def prive() -> HostileSite:
    host = f"prive.{SUFFIX}"
    return HostileSite("prive", {
        "/prive/dossier": _fixed(_page(host, "/prive/dossier", "Dossier privé", "Interdit aux robots.")),
        "/public": _fixed(_page(host, "/public", "Page publique", "Ouverte aux robots.")),
        "/horaires": _fixed(_page(host, "/horaires", "Horaires", "Ouvert le lundi.")),
    }, disallow=("/prive/",), crawl_delay=0.5)


class SatureSite(HostileSite):
    """Answers 429 with ``Retry-After: 1`` to the first request of each page; ``limited`` records when."""

    def __init__(self) -> None:
        host = f"sature.{SUFFIX}"
        pages = {f"/info-{i}": _fixed(_page(host, f"/info-{i}", f"Info {i}", "Info pratique."))
                 for i in range(3)}
        super().__init__("sature", pages)
        self.limited: dict[str, float] = {}

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        if path in self.routes and path not in self.limited:
            self.limited[path] = time.time()
            return Reply(429, b"Trop de requetes", {"Content-Type": "text/plain", "Retry-After": "1"})
        return super().respond(path, headers)


def hostile_sites() -> list[HostileSite]:
    return [lent(), erreurs(), muet(), boucle(), redirige(), hors_liste(), AgendaSite(), lourd(),
            binaire(), casse(), ancien(), prive(), SatureSite()]
