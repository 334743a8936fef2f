# cython: language_level=3, boundscheck=False, wraparound=False
"""``fast_host`` and ``written_host`` of :mod:`sources.urls`, compiled.

The same answers as the Python functions there (``tests/sources/test_plain.py``
runs both on generated strings), read from the string's own bytes instead of a
regular-expression match and slices: the classifier's per-URL cost falls by
about a third, and ``service/_wire.pyx`` shares the scan.
"""

cdef extern from "Python.h":
    # a compact ASCII string: its characters are its UTF-8 bytes, readable in place
    bint PyUnicode_IS_COMPACT_ASCII(object o)
    const char *PyUnicode_AsUTF8AndSize(object o, Py_ssize_t *size) except NULL


cdef inline bint _alnum(char c) noexcept nogil:
    return (b"a"[0] <= c <= b"z"[0]) or (b"0"[0] <= c <= b"9"[0])


cdef Py_ssize_t host_end(const char *s, Py_ssize_t n, Py_ssize_t *start) noexcept nogil:
    """End of group 1 of ``match_plain`` in ASCII ``s`` (its start in ``start``), or -1."""
    cdef Py_ssize_t i
    cdef char c
    if n < 8 or s[0] != b"h"[0] or s[1] != b"t"[0] or s[2] != b"t"[0] or s[3] != b"p"[0]:
        return -1
    i = 4
    if s[i] == b"s"[0]:
        i += 1
    if s[i] != b":"[0] or s[i + 1] != b"/"[0] or s[i + 2] != b"/"[0]:
        return -1
    i += 3
    if i >= n or not _alnum(s[i]):
        return -1
    start[0] = i
    i += 1
    while i < n:
        c = s[i]
        if not (_alnum(c) or c == b"."[0] or c == b"-"[0]):
            if c != b"/"[0] and c != b"?"[0] and c != b"#"[0]:
                return -1
            break
        i += 1
    return i


cpdef object written_host(str url):
    """Group 1 of ``sources.urls.match_plain(url)``, or None where it does not match."""
    cdef Py_ssize_t n, start = 0, end
    cdef const char *s
    if url is None:  # a typed str argument lets None through, and None has no characters to read
        raise TypeError("expected a string")
    if not PyUnicode_IS_COMPACT_ASCII(url):  # rare: the pattern itself
        from sources.urls import written_host_py
        return written_host_py(url)
    s = PyUnicode_AsUTF8AndSize(url, &n)
    end = host_end(s, n, &start)
    if end < 0:
        return None
    return url[start:end]


cpdef object fast_host(object url):
    """``sources.urls.fast_host``: the host of a plain URL, or None to take the slow path."""
    cdef Py_ssize_t n, start = 0, end, i, dot
    cdef const char *s
    if type(url) is not str or not PyUnicode_IS_COMPACT_ASCII(url):
        from sources.urls import fast_host_py
        return fast_host_py(url)  # raises TypeError for what is not a string, as the pattern does
    s = PyUnicode_AsUTF8AndSize(url, &n)
    end = host_end(s, n, &start)
    if end < 0:
        return None
    # punycode must be validated and empty labels are the full parser's business
    for i in range(start, end - 1):
        if s[i] == b"."[0] and s[i + 1] == b"."[0]:
            return None
        if (s[i] == b"x"[0] and i + 3 < end and s[i + 1] == b"n"[0] and s[i + 2] == b"-"[0]
                and s[i + 3] == b"-"[0]):
            return None
    if s[end - 1] == b"."[0]:
        end -= 1
    # a top-level label must start with a letter (single labels and IPv4 numbers are not plain)
    dot = -1
    for i in range(end - 1, start - 1, -1):
        if s[i] == b"."[0]:
            dot = i
            break
    if dot <= start or dot + 1 >= end or s[dot + 1] < b"a"[0]:
        return None
    return url[start:end]
