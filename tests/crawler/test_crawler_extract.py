"""crawler.extract: what is kept of a page, on hand-written HTML."""

from __future__ import annotations

from datetime import date

from crawler.extract import decode_html, extract_page, published_in_text

PAGE = """<!DOCTYPE html><html lang="fr-FR"><head>
<title>  Carte d'identité :  démarches </title>
<meta name="description" content="Comment obtenir une carte d'identité.">
<link rel="canonical" href="/papiers/cni">
<meta property="article:published_time" content="2024-03-05T10:00:00+01:00">
</head><body>
<div id="cookie-banner">Ce site utilise des cookies. <button>Accepter</button></div>
<header><a href="/">Mairie de Test</a></header>
<nav><ul><li><a href="/menu-1">Menu un</a></li></ul></nav>
<main>
<h1>Carte d'identité</h1>
<p>La demande se fait <strong>en mairie</strong>, sur rendez-vous.</p>
<h2>Pièces à fournir</h2>
<ul><li>Photo d'identité</li><li>Justificatif de domicile</li></ul>
<p><a href="pieces.html#photo">Détail des pièces</a> <a href="mailto:x@y.fr">écrire</a>
<a href="javascript:void(0)">js</a> <a href="https://autre.fr/a" rel="nofollow">nf</a></p>
</main>
<footer><p>Mentions légales</p><a href="/mentions">Mentions</a></footer>
</body></html>"""


def test_metadata_and_headings() -> None:
    page = extract_page(PAGE, "https://www.mairie-test.fr/papiers/cni?x=1")
    assert page.title == "Carte d'identité : démarches"
    assert page.description == "Comment obtenir une carte d'identité."
    assert page.canonical == "https://www.mairie-test.fr/papiers/cni"
    assert page.lang == "fr"
    assert page.headings == ["Carte d'identité", "Pièces à fournir"]
    assert page.published == date(2024, 3, 5)


def test_main_text_has_no_chrome() -> None:
    body = extract_page(PAGE, "https://www.mairie-test.fr/").body
    assert body.splitlines() == [
        "Carte d'identité", "La demande se fait en mairie, sur rendez-vous.", "Pièces à fournir",
        "Photo d'identité", "Justificatif de domicile", "Détail des pièces écrire js nf",
    ]
    for chrome in ("cookies", "Menu un", "Mentions", "Mairie de Test"):
        assert chrome not in body


def test_links_are_absolute_without_fragments_or_nofollow() -> None:
    links = extract_page(PAGE, "https://www.mairie-test.fr/papiers/").links
    assert links == ["https://www.mairie-test.fr/", "https://www.mairie-test.fr/menu-1",
                     "https://www.mairie-test.fr/papiers/pieces.html", "https://www.mairie-test.fr/mentions"]


def test_meta_robots() -> None:
    page = extract_page('<meta name="robots" content="noindex, nofollow"><a href="/x">x</a><p>t</p>',
                        "https://a.fr/")
    assert page.noindex and page.nofollow and page.links == []


def test_page_without_main_uses_body_and_falls_back_to_h1_title() -> None:
    page = extract_page("<body><div class='menu'>Accueil</div><h1>Conseil</h1><div>Ordre du jour</div>",
                        "https://a.fr/")
    assert page.title == "Conseil"
    assert page.body == "Conseil\nOrdre du jour"


def test_broken_html_still_gives_text() -> None:
    page = extract_page("<html><title>Conseil</title><body><p>Budget<b>primitif<p>Vote</div></span>\x00 fin",
                        "https://a.fr/")
    assert page.title == "Conseil"
    assert "Budget" in page.body and "Vote" in page.body


def test_published_date_from_french_text() -> None:
    assert published_in_text("Publié le 1er mars 2024 par la mairie") == date(2024, 3, 1)
    assert published_in_text("Mis en ligne le 12/11/2023") == date(2023, 11, 12)
    assert published_in_text("Publié le 31 février 2024") is None
    assert published_in_text("Rien") is None


def _decoded(body: bytes, content_type: str) -> str:
    return decode_html(body, content_type)


def test_windows_1252_pages_decode_as_browsers_do() -> None:
    text = "<html><head>{meta}<title>Médiathèque « Œuvre » – 5 €</title></head><body><p>été</p></body></html>"
    raw = text.format(meta="").encode("cp1252")
    declared_iso = text.format(meta='<meta charset="iso-8859-1">').encode("cp1252")
    for html in (_decoded(raw, "text/html; charset=windows-1252"), _decoded(declared_iso, "text/html"),
                 _decoded(raw, "text/html")):
        page = extract_page(html, "https://a.fr/")
        assert page.title == "Médiathèque « Œuvre » – 5 €"
        assert page.body == "été"


def test_undeclared_utf8_stays_utf8() -> None:
    assert decode_html("<p>Médiathèque – été</p>".encode(), "text/html") == "<p>Médiathèque – été</p>"


def test_robots_meta_directives_are_read_as_a_list() -> None:
    page = extract_page('<html><head><meta name="robots" content="index, follow, max-image-preview:none">'
                        '</head><body><main><p>Texte</p><a href="/b">b</a></main></body></html>',
                        "https://mairie.fr/a")
    assert not page.noindex and page.links
    page = extract_page('<html><head><meta name="robots" content="none"></head>'
                        '<body><main><p>Texte</p><a href="/b">b</a></main></body></html>',
                        "https://mairie.fr/a")
    assert page.noindex and page.nofollow and not page.links
