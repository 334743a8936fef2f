"""The uvicorn internals ``service.server.GuardedHttpProtocol`` relies on, guarded.

It subclasses uvicorn's ``HttpToolsProtocol`` and overrides its protocol and parser
callbacks. These fail loudly on a uvicorn release other than the one the overrides were
written against, or when a callback it overrides or an attribute it reads changes, so that
an upgrade starts with re-reading ``service/server.py``.
"""

from __future__ import annotations

import inspect

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.server import UVICORN_SERIES, GuardedHttpProtocol

OVERRIDDEN = ("connection_made", "connection_lost", "data_received", "send_400_response",
              "on_message_begin", "on_url", "on_header", "on_headers_complete", "on_message_complete")


def test_uvicorn_is_the_series_the_overrides_were_written_against() -> None:
    series = ".".join(uvicorn.__version__.split(".")[:2])
    assert series == UVICORN_SERIES, (
        f"uvicorn {uvicorn.__version__} is installed, service/server.py overrides callbacks of "
        f"uvicorn {UVICORN_SERIES}'s HttpToolsProtocol: re-read it against the new release, "
        "then update UVICORN_SERIES"
    )


def test_the_overridden_callbacks_keep_their_signatures() -> None:
    for name in OVERRIDDEN:
        assert name in vars(HttpToolsProtocol), f"HttpToolsProtocol.{name} is gone"
        ours = inspect.signature(getattr(GuardedHttpProtocol, name))
        theirs = inspect.signature(getattr(HttpToolsProtocol, name))
        assert list(ours.parameters) == list(theirs.parameters), name


def test_the_attributes_read_are_still_set() -> None:
    source = inspect.getsource(HttpToolsProtocol)
    for line in ("self.loop =", "self.transport = transport", "self.cycle ="):
        assert line in source, f"HttpToolsProtocol no longer sets {line.split()[0]}"
    # a callback that raises stops the parser and is answered with send_400_response
    feed = inspect.getsource(HttpToolsProtocol.data_received)
    assert "except httptools.HttpParserError" in feed and "self.send_400_response(" in feed


def test_our_own_names_do_not_shadow_uvicorns() -> None:
    source = inspect.getsource(HttpToolsProtocol)
    ours = set(vars(GuardedHttpProtocol)) - set(OVERRIDDEN) - {"__init__", "__module__", "__doc__",
                                                               "__qualname__", "__firstlineno__",
                                                               "__static_attributes__"}
    ours |= {"_deadline", "_head_bytes", "_header_count", "_refused", "header_timeout", "body_timeout"}
    for name in ours:
        assert not hasattr(HttpToolsProtocol, name) and f"self.{name} " not in source, name


def test_a_server_still_runs_on_the_sockets_it_is_given() -> None:
    """service/workers.py hands each worker's ``Server.run`` its own SO_REUSEPORT socket."""
    assert "sockets" in inspect.signature(uvicorn.Server.run).parameters
    assert "sockets" in inspect.signature(uvicorn.Server.startup).parameters
