"""What a crawled HTML page says: pure functions over its decoded text, built on selectolax (lexbor).

``extract_page(html, url)`` returns an :class:`ExtractedPage`: title, meta description, canonical URL,
language, headings, main text, published date and out-links.  The main text is the page without its
chrome: ``nav``, ``header``, ``footer``, ``aside``, forms, scripts and cookie/consent banners are
removed, and when the page marks its content (``<main>``, ``role=main``, ``<article>``) only that is
kept.  Inline elements are unwrapped before the text is taken, so ``a<b>b</b>`` stays one word and
each block (paragraph, list item, heading, cell) becomes one line.

:func:`decode_html` turns the body into text as browsers do: the HTTP charset, then a BOM, then
``<meta charset>`` (w3lib reads ISO-8859-1 as Windows-1252, as the WHATWG Encoding standard says),
and for pages that declare nothing, UTF-8 when the bytes are valid UTF-8, else Windows-1252.
Scrapy's own guess for undeclared pages can pick Windows-1250 and turn "è" into "č", which is why
the crawler decodes itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode
from w3lib.encoding import html_to_unicode

#: page chrome, never part of the main text
CHROME = ("nav", "header", "footer", "aside", "script", "style", "noscript", "form", "template",
          "svg", "iframe", "button", "select", "dialog")
#: selectors of navigation and cookie/consent banners that are not in semantic tags
BANNERS = ('[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[aria-hidden="true"]',
           '[id*="cookie" i]', '[class*="cookie" i]', '[id*="consent" i]', '[class*="consent" i]',
           '[id*="tarteaucitron" i]', '[class*="rgpd" i]', '[class*="breadcrumb" i]',
           '[class*="skip" i]', '[class*="menu" i]')
INLINE = ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
          "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
          "wbr", "label", "acronym", "big", "tt", "strike", "ins", "del")
MAIN = ("main", '[role="main"]', "article", "#content", "#main", ".content", ".main")
_BLOCK = "\ue000"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHS = {m: i for i, m in enumerate(
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"), start=1)}
_FRENCH_DATE = re.compile(
    r"(?:publié|mis en ligne|date de publication)\s*(?:le|:)?\s*(\d{1,2})(?:er)?\s+("
    + "|".join(_MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?:publié|mis en ligne)\s*(?:le|:)?\s*(\d{1,2})/(\d{1,2})/(\d{4})",
                           re.IGNORECASE)
_DATE_META = ('meta[property="article:published_time"]', 'meta[name="article:published_time"]',
              'meta[name="date" i]', 'meta[name="dcterms.date" i]', 'meta[name="dc.date" i]',
              'meta[name="dc.date.issued" i]', 'meta[itemprop="datePublished"]')
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#", "ftp:", "sms:")


@dataclass(slots=True)
class ExtractedPage:
    """The content of one page, as the index needs it."""

    title: str
    description: str
    body: str
    canonical: str | None = None
    lang: str | None = None
    headings: list[str] = field(default_factory=list)
    published: date | None = None
    links: list[str] = field(default_factory=list)
    noindex: bool = False
    nofollow: bool = False


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space."""
    return " ".join(text.split()) if text else ""


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The text of an HTML body, decoded as a browser would (see the module docstring)."""
    return html_to_unicode(content_type, body, auto_detect_fun=_utf8_or_windows_1252)[1]


def _utf8_or_windows_1252(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def extract_page(html: str, url: str) -> ExtractedPage:
    """Extract everything the crawler keeps from one decoded HTML page at ``url``."""
    tree = LexborHTMLParser(html)
    base = _base_url(tree, url)
    directives = {d.strip() for d in _meta(tree, 'meta[name="robots" i]').lower().split(",")}
    nofollow = bool(directives & {"nofollow", "none"})
    links = [] if nofollow else extract_links(tree, base)
    headings = [t for t in (clean(n.text()) for n in tree.css("h1, h2, h3")) if t]
    title = clean(_first_text(tree, "title")) or _meta(tree, 'meta[property="og:title"]')
    page = ExtractedPage(
        title=title or (headings[0] if headings else ""),
        description=(_meta(tree, 'meta[name="description" i]')
                     or _meta(tree, 'meta[property="og:description"]')),
        body="",
        canonical=_canonical(tree, base),
        lang=_lang(tree),
        headings=headings,
        links=links,
        noindex=bool(directives & {"noindex", "none"}),
        nofollow=nofollow,
    )
    page.published = _published_meta(tree)
    page.body = main_text(tree)
    if page.published is None:
        page.published = published_in_text(page.body[:2000])
    return page


def extract_links(tree: LexborHTMLParser, base: str) -> list[str]:
    """Absolute http(s) out-links in document order, without fragments or ``rel=nofollow``."""
    found: list[str] = []
    for node in tree.css("a[href], area[href]"):
        attrs = node.attributes
        href = (attrs.get("href") or "").strip()
        if not href or href.startswith(_SKIPPED_SCHEMES) or "nofollow" in (attrs.get("rel") or ""):
            continue
        absolute = urljoin(base, href)
        if absolute.startswith(("http://", "https://")):
            found.append(absolute.partition("#")[0])
    return found


def main_text(tree: LexborHTMLParser) -> str:
    """The visible text of the page's content, one block per line (mutates ``tree``)."""
    tree.strip_tags(list(CHROME))
    for selector in BANNERS:
        for node in tree.css(selector):
            if node.tag not in ("html", "body", "main", "article"):
                node.decompose()
    root: LexborNode | None = None
    for selector in MAIN:
        root = tree.css_first(selector)
        if root is not None:
            break
    root = root or tree.body or tree.root
    if root is None:
        return ""
    tree.unwrap_tags(list(INLINE))
    tree.merge_text_nodes()
    # blocks are joined by a private-use character: newlines inside the source text are spaces
    blocks = (" ".join(part.split()) for part in (root.text(separator=_BLOCK) or "").split(_BLOCK))
    return "\n".join(block for block in blocks if block)


def published_in_text(text: str) -> date | None:
    """A date the text states as the publication date ("Publié le 3 mars 2024")."""
    match = _FRENCH_DATE.search(text)
    if match:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
        return _date(year, month, day)
    match = _NUMERIC_DATE.search(text)
    if match:
        return _date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return None


def _published_meta(tree: LexborHTMLParser) -> date | None:
    for selector in _DATE_META:
        value = _meta(tree, selector)
        if value:
            found = _iso_date(value)
            if found:
                return found
    node = tree.css_first("time[datetime]")
    if node is not None:
        return _iso_date(node.attributes.get("datetime") or "")
    return None


def _iso_date(value: str) -> date | None:
    match = _ISO_DATE.search(value)
    return _date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _meta(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return clean(node.attributes.get("content")) if node is not None else ""


def _first_text(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return node.text() if node is not None else ""


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    return urljoin(url, href) if href else url


def _canonical(tree: LexborHTMLParser, base: str) -> str | None:
    node = tree.css_first('link[rel="canonical" i][href]')
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    if not href:
        return None
    absolute = urljoin(base, href)
    return absolute if absolute.startswith(("http://", "https://")) else None


def _lang(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("html[lang]") or tree.css_first('meta[http-equiv="content-language" i]')
    if node is None:
        return None
    value = node.attributes.get("lang") or node.attributes.get("content") or ""
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None
