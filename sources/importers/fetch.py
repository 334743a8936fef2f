"""Reading an import's bytes from a local path or an http(s) URL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sources.errors import FetchError, FormatError

#: a list bigger than this is not a list of hosts
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
USER_AGENT = "sources-de-confiance-importer"  # no made-up project address


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def download(url: str, write: Callable[[bytes], object], *, timeout: float = 60.0,
             missing_ok: bool = False, max_bytes: int | None = None) -> bool:
    """Stream ``url``'s body into ``write`` with retries on connection errors; False for a 404
    when ``missing_ok``.

    The proxy of the environment (``https_proxy``, ``no_proxy``...) is followed: httpx ignores it
    once a transport is given, so the transport is given it."""
    # imported when a download happens: ``sdc check`` never pays for them
    from urllib.request import getproxies, proxy_bypass

    import httpx

    parts = urlsplit(url)
    proxy = None if proxy_bypass(parts.hostname or "") else getproxies().get(parts.scheme)
    transport = httpx.HTTPTransport(retries=3, proxy=proxy)
    try:
        with httpx.Client(transport=transport, timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as response:
                if response.status_code == 404 and missing_ok:
                    return False
                if response.status_code != 200:
                    raise FetchError(f"GET {url} answered HTTP {response.status_code}")
                size = 0
                for chunk in response.iter_bytes(1 << 20):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise FetchError(f"GET {url}: larger than {max_bytes} bytes")
                    write(chunk)
                return True
    except httpx.HTTPError as exc:
        raise FetchError(f"GET {url} failed: {exc}") from None


def fetch_url(url: str, *, timeout: float = 60.0, missing_ok: bool = False) -> bytes | None:
    """GET ``url`` (at most :data:`MAX_DOWNLOAD_BYTES`); None for a 404 when ``missing_ok``."""
    chunks: list[bytes] = []
    if not download(url, chunks.append, timeout=timeout, missing_ok=missing_ok,
                    max_bytes=MAX_DOWNLOAD_BYTES):
        return None
    return b"".join(chunks)


def read_bytes(location: str) -> bytes:
    """The content of a local file or an http(s) URL."""
    if is_url(location):
        data = fetch_url(location)
        assert data is not None
        return data
    path = Path(location)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise FormatError(f"{location} is a directory, a file was expected") from None
    except OSError as exc:
        raise FetchError(f"cannot read {location}: {exc.strerror or exc}") from None


def decode_text(data: bytes, location: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(f"{location} is not UTF-8 text") from None


def content_version(*parts: bytes) -> str:
    """A short content hash, the version of lists that carry none."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return "sha256:" + digest.hexdigest()[:16]
