# cython: language_level=3, boundscheck=False, wraparound=False
"""The loop of :meth:`service.classify_wire.ClassifyRenderer.render`, compiled.

Same inputs, same output, byte for byte (``tests/service/test_classify_wire.py``
runs both on generated URLs). In Python each URL costs a regular-expression
match, a lookup and ``orjson.dumps``, about 0.4 microseconds; here a plain URL
is scanned once by hand, which is what lets a 50-URL request cost little more
than the HTTP around it (``docs/benchmarks.md``).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_GET_LENGTH
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

import orjson

from sources._plain cimport host_end

from sources._plain import written_host


cdef extern from "Python.h":
    # a compact ASCII string: its characters are its UTF-8 bytes, readable in place
    bint PyUnicode_IS_COMPACT_ASCII(object o)
    const char *PyUnicode_AsUTF8AndSize(object o, Py_ssize_t *size) except NULL

cdef object _MISSING = object()


cdef inline bint _json_plain(const char *s, Py_ssize_t n) noexcept nogil:
    """True when ASCII ``s`` needs no escaping inside a JSON string."""
    cdef Py_ssize_t i
    cdef char c
    for i in range(n):
        c = s[i]
        if c < 0x20 or c == b'"'[0] or c == b"\\"[0]:
            return False
    return True


cdef class _Buffer:
    """A growing byte buffer: one allocation for the whole answer, not objects per URL."""
    cdef char *data
    cdef Py_ssize_t size, capacity

    def __cinit__(self, Py_ssize_t capacity):
        self.data = <char *>malloc(capacity)
        if self.data == NULL:
            raise MemoryError()
        self.size = 0
        self.capacity = capacity

    def __dealloc__(self):
        free(self.data)

    cdef int write(self, const char *s, Py_ssize_t n) except -1:
        cdef char *grown
        cdef Py_ssize_t capacity = self.capacity
        if self.size + n > capacity:
            while self.size + n > capacity:
                capacity *= 2
            grown = <char *>realloc(self.data, capacity)
            if grown == NULL:
                raise MemoryError()
            self.data = grown
            self.capacity = capacity
        memcpy(self.data + self.size, s, n)
        self.size += n
        return 0

    cdef int write_bytes(self, bytes b) except -1:
        return self.write(PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b))


def render(list urls, dict by_host, learn, slow):
    """``(body, trusted)`` for ``urls``; ``by_host`` maps a written host to
    ``(fragment, trusted)`` or None, ``learn(written)`` fills it, ``slow(url)``
    classifies one URL the fast path leaves to the WHATWG parser."""
    cdef _Buffer out = _Buffer(256 + 256 * len(urls))
    cdef long trusted = 0
    cdef object url, written, entry
    cdef Py_ssize_t n, start = 0, end
    cdef const char *s
    out.write(b'{"results":[', 12)
    for url in urls:
        if type(url) is not str:
            raise TypeError("URLs must be strings")
        written = None
        s = NULL
        if PyUnicode_IS_COMPACT_ASCII(url):
            s = PyUnicode_AsUTF8AndSize(url, &n)
            end = host_end(s, n, &start)
            if end >= 0:
                written = url[start:end]
        else:
            written = written_host(url)
        if written is None:
            entry = slow(url)
        else:
            entry = by_host.get(written, _MISSING)
            if entry is _MISSING:
                entry = learn(written)
            if entry is None:
                entry = slow(url)
        if s != NULL and _json_plain(s, n):
            out.write(b'{"url":"', 8)
            out.write(s, n)
            out.write(b'"', 1)
        else:
            out.write(b'{"url":', 7)
            out.write_bytes(orjson.dumps(url))
        out.write_bytes(<bytes?>entry[0])  # checked: a wrong type raises, never reads memory
        trusted += <long>entry[1]
    if urls:
        out.size -= 1  # the last fragment's comma
    out.write(b"]}", 2)
    return PyBytes_FromStringAndSize(out.data, out.size), trusted


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
