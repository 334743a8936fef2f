"""Privacy by default: access log lines without query strings.

Uvicorn's access logger receives ``(client, method, path?query, version,
status)``; :class:`StripQueryFilter` cuts the path at ``?`` and drops the
client address, so neither a search, a classified URL nor who asked reaches
the logs.  ``SDC_LOG_QUERIES=true`` keeps the full line (for debugging).
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
ERROR_LOGGER = "uvicorn.error"
#: paths that carry a looked-up host: the host is cut too
_HOST_IN_PATH = re.compile(r"^(/api/(?:sources|curator/entries)/)[^?]*")


class StripQueryFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            path = _HOST_IN_PATH.sub(r"\1-", str(path).split("?", 1)[0])
            record.args = ("-", method, path, version, status)
        return True


class UpgradeWarningFilter(logging.Filter):
    """Drop uvicorn's two warnings on a WebSocket upgrade request.

    There is no WebSocket route (``ws="none"``): such a request is answered as plain HTTP, and
    its access line says so; two warnings more per request only let a client flood the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not (message.startswith("Unsupported upgrade request")
                    or message.startswith("No supported WebSocket library detected"))


def install_privacy_filter(log_queries: bool) -> None:
    """Add (or, when ``log_queries``, remove) the filter on uvicorn's access logger; drop the
    WebSocket upgrade warnings from its error logger either way."""
    logger = logging.getLogger(ACCESS_LOGGER)
    for existing in [f for f in logger.filters if isinstance(f, StripQueryFilter)]:
        logger.removeFilter(existing)
    if not log_queries:
        logger.addFilter(StripQueryFilter())
    errors = logging.getLogger(ERROR_LOGGER)
    if not any(isinstance(f, UpgradeWarningFilter) for f in errors.filters):
        errors.addFilter(UpgradeWarningFilter())
