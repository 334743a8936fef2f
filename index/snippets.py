"""Snippet HTML: escaped text with ``<mark>`` around the matched terms, safe to insert in a page."""

from __future__ import annotations

import html
from collections.abc import Callable

import tantivy


def render(snippet: tantivy.Snippet, fallback: Callable[[], str], max_chars: int) -> str:
    """tantivy's best fragment with ``<mark>``; when the body has no match, the start of ``fallback()``.

    tantivy gives highlight ranges as UTF-8 byte offsets into the fragment;
    each piece is escaped on its own and whitespace is flattened to one line.
    """
    ranges = sorted((r.start, r.end) for r in snippet.highlighted())
    if not ranges:
        return _escape(shorten(fallback(), max_chars))
    raw = snippet.fragment().encode("utf-8")
    parts: list[str] = []
    cursor = 0
    for start, end in ranges:
        if start < cursor:
            continue
        parts.append(_escape(raw[cursor:start].decode("utf-8", "replace")))
        parts.append(f"<mark>{_escape(raw[start:end].decode('utf-8', 'replace'))}</mark>")
        cursor = end
    parts.append(_escape(raw[cursor:].decode("utf-8", "replace")))
    return " ".join("".join(parts).split())


def shorten(text: str, max_chars: int) -> str:
    """``text`` on one line, cut at a word boundary within ``max_chars``, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars].rsplit(" ", 1)[0]
    return f"{cut}…"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
