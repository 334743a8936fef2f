# The scan of a plain ``http(s)://host`` URL, shared with ``service/_wire.pyx``.

cdef Py_ssize_t host_end(const char *s, Py_ssize_t n, Py_ssize_t *start) noexcept nogil
