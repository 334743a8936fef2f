# cython: language_level=3, boundscheck=False, wraparound=False
"""The loop of :meth:`service.classify_wire.ClassifyRenderer.render`, compiled.

Same inputs, same output, byte for byte (``tests/service/test_classify_wire.py``
runs both on generated URLs). In Python each URL costs a regular-expression
match, a lookup and ``orjson.dumps``, about 0.4 microseconds; here a plain URL
is scanned once by hand, which is what lets a 50-URL request cost little more
than the HTTP around it (``docs/benchmarks.md``).
"""

import orjson

cdef object _MISSING = object()


cdef inline bint _host_char(Py_UCS4 c):
    return (u"a" <= c <= u"z") or (u"0" <= c <= u"9") or c == u"." or c == u"-"


cpdef object written_host(str url):
    """Group 1 of ``sources.urls.match_plain(url)``, or None where it does not match."""
    cdef Py_ssize_t n = len(url)
    cdef Py_ssize_t i, start
    cdef Py_UCS4 c
    if n < 8 or url[0] != u"h" or url[1] != u"t" or url[2] != u"t" or url[3] != u"p":
        return None
    i = 4
    if url[i] == u"s":
        i += 1
    if url[i] != u":" or url[i + 1] != u"/" or i + 2 >= n or url[i + 2] != u"/":
        return None
    start = i + 3
    if start >= n:
        return None
    c = url[start]
    if not ((u"a" <= c <= u"z") or (u"0" <= c <= u"9")):
        return None
    i = start + 1
    while i < n:
        c = url[i]
        if not _host_char(c):
            if c != u"/" and c != u"?" and c != u"#":
                return None
            break
        i += 1
    return url[start:i]


cdef inline bint _json_plain(str url):
    """True when the URL needs no escaping inside a JSON string."""
    cdef Py_UCS4 c
    for c in url:
        if c < 0x20 or c == u'"' or c == u"\\":
            return False
    return True


def render(list urls, dict by_host, learn, slow):
    """``(body, trusted)`` for ``urls``; ``by_host`` maps a written host to
    ``(fragment, trusted)`` or None, ``learn(written)`` fills it, ``slow(url)``
    classifies one URL the fast path leaves to the WHATWG parser."""
    cdef list parts = [b'{"results":[']
    cdef long trusted = 0
    cdef object url, written, entry
    for url in urls:
        written = written_host(url)
        if written is None:
            entry = slow(url)
        else:
            entry = by_host.get(written, _MISSING)
            if entry is _MISSING:
                entry = learn(written)
            if entry is None:
                entry = slow(url)
        if _json_plain(url):
            parts.append(b'{"url":"')
            parts.append((<str>url).encode("utf-8"))
            parts.append(b'"')
        else:
            parts.append(b'{"url":')
            parts.append(orjson.dumps(url))
        parts.append(entry[0])
        trusted += <long>entry[1]
    body = b"".join(parts)
    if urls:
        body = body[:-1]
    return body + b"]}", trusted


def checked_urls(object data, Py_ssize_t max_urls, Py_ssize_t max_length):
    """``data["urls"]`` when ``data`` is ``{"urls": [str, ...]}`` within the limits, else None."""
    cdef object urls, url
    if type(data) is not dict or len(<dict>data) != 1:
        return None
    urls = (<dict>data).get("urls")
    if type(urls) is not list or len(<list>urls) > max_urls:
        return None
    for url in <list>urls:
        if type(url) is not str or len(<str>url) > max_length:
            return None
    return urls
