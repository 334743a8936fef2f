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

#: RFC 1035: a name of at most 253 characters (255 octets on the wire), labels of 1 to 63
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63
#: letters, digits, ``-`` and ``_`` (found in real hosts, e.g. SRV-style names), 1-63 per label
_DNS_LABELS = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*")
#: a pasted URL may carry a path; nothing longer is read as a host
MAX_PASTED_LENGTH = 8192
HOST_TOO_LONG = f"host name longer than DNS allows ({MAX_HOST_LENGTH} characters)"


def dns_problem(host: str) -> str | None:
    """Why an ASCII lowercase host cannot exist in DNS, or None when it can.

    Checked before any walk over the labels: the length first (constant time),
    then one linear scan, so a 1 MB host costs one comparison.
    """
    if len(host) > MAX_HOST_LENGTH:
        return HOST_TOO_LONG
    if _DNS_LABELS.fullmatch(host) is None:
        if any(len(label) > MAX_LABEL_LENGTH for label in host.split(".")):
            return f"a label is longer than DNS allows ({MAX_LABEL_LENGTH} characters)"
        if "" in host.split("."):
            return "empty label in host name"
        return "host name with characters DNS does not allow (letters, digits, '-' and '_' only)"
    return None


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
    if len(raw) > MAX_PASTED_LENGTH:  # before any pattern: bounded work whatever is pasted
        raise InvalidHostError(f"{HOST_TOO_LONG}: {raw[:80]!r}...")
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
    problem = dns_problem(host)
    if problem is not None:
        raise InvalidHostError(f"{problem}: {value[:80]!r}")
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
