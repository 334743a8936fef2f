"""Host names as a browser sees them: ASCII (punycode), lowercase, no trailing dot.

Registry entries, curator input and URLs all go through the same WHATWG host
parser (ada-url), so an entry written ``Émancé.fr.`` and a link to
``https://xn--manc-bsab.fr/`` meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata

import ada_url

from sources.errors import InvalidHostError

#: plain ASCII hosts need no IDNA processing (``xn--`` labels do: they are validated)
_PLAIN_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*")
_IPV4_LAST_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


def to_ascii_host(value: str) -> str:
    """ASCII lowercase form of a host or PSL rule, without validating it."""
    value = value.strip().lower().rstrip(".")
    if value.isascii():
        return value
    try:
        encoded = ada_url.idna_to_ascii(value)
    except Exception:  # ada raises on malformed IDN; the raw value then matches nothing
        return value
    text = encoded.decode("ascii") if isinstance(encoded, bytes) else str(encoded)
    return text or value


def normalize_host(value: str) -> str:
    """Normalise a host given by a list or a curator, or raise :class:`InvalidHostError`.

    Accepts what people paste: ``Paris.FR``, ``www.paris.fr.``, ``émancé.fr``,
    ``https://www.paris.fr/`` (the host is taken), but not IP addresses, paths
    without a host, or strings a browser would refuse as a host.
    """
    raw = value.strip()
    if not raw:
        raise InvalidHostError("empty host name")
    lowered = raw.lower().rstrip(".")
    if _PLAIN_HOST.fullmatch(lowered) and "xn--" not in lowered and "." in lowered:
        host = lowered
    else:
        candidate = raw if "://" in raw else f"http://{raw}"
        try:
            url = ada_url.URL(candidate)
        except ValueError:
            raise InvalidHostError(f"not a valid host name: {value!r}") from None
        if url.host_type != ada_url.HostType.DEFAULT:
            raise InvalidHostError(f"an IP address is not a source: {value!r}")
        host = str(url.hostname).rstrip(".")
    if not host or "." not in host:
        raise InvalidHostError(f"not a valid host name (no dot): {value!r}")
    last = host.rsplit(".", 1)[1]
    if _IPV4_LAST_LABEL.fullmatch(last):
        raise InvalidHostError(f"an IP address is not a source: {value!r}")
    return host


def scripts_of(label: str) -> set[str]:
    """The Unicode scripts of a label's letters, approximated by character names.

    Digits and hyphens are common to all scripts and are left out.
    """
    found: set[str] = set()
    for char in label:
        if char.isascii():
            if char.isalpha():
                found.add("LATIN")
            continue
        name = unicodedata.name(char, "")
        if name:
            found.add(name.split(" ", 1)[0])
    return found


def is_mixed_script(host: str) -> bool:
    """True when a label of an ASCII host decodes to letters of several scripts.

    ``xn--gouv-...`` spelling ``gоuv`` with a Cyrillic ``о`` is the classic
    homoglyph attack; real names keep to one script per label (UTS #39).
    """
    if "xn--" not in host:
        return False
    for label in host.split("."):
        if not label.startswith("xn--"):
            continue
        try:
            decoded = ada_url.idna_to_unicode(label)
        except Exception:
            return True
        if isinstance(decoded, bytes):
            decoded = decoded.decode("utf-8", "replace")
        if len(scripts_of(decoded)) > 1:
            return True
    return False


def under_any(host: str, hosts: frozenset[str] | set[str]) -> bool:
    """True when ``host`` or one of its parents, on label boundaries, is in ``hosts``.

    ``www.paris.fr`` is under ``paris.fr``; ``notparis.fr`` is not.
    """
    level = host
    while True:
        if level in hosts:
            return True
        dot = level.find(".")
        if dot < 0:
            return False
        level = level[dot + 1 :]
