"""The server process's interpreter settings: the GC's full passes, the GIL's switch interval.

**Garbage collection.**
A worker holds about 370,000 tracked objects that live as long as it does: the
compiled registry (100,000 hosts), the index's searcher, the templates, the
routes.  CPython's full collection (generation 2) walks every one of them: 100
to 250 ms with the GIL held, during which the event loop answers nothing, not
even ``/healthz``.  Under steady traffic such a pass came every few seconds to
minutes and was the worst latency of the hostile-load bench (issue 14).

So once a worker has built them, :func:`freeze_heap` moves them to the
permanent generation (``gc.freeze``, the way CPython's documentation suggests
for pre-fork servers): full passes then walk only what requests and caches made
since.  Frozen objects are still freed by reference counting; only a reference
cycle among them would stay, so when the registry is recompiled (its old
classifier is garbage) :class:`HeapKeeper` thaws, collects once and freezes
again, off the event loop, once per reload.

**The GIL.**  A large ``/api/classify`` batch (1,000 URLs of 8 KB: 45 ms of Python) runs
in the thread pool, but the event loop needs the GIL back after every ``epoll`` wait;
CPython hands it over only every switch interval (5 ms by default), so each request
answered meanwhile paid several such waits.  :func:`tune_worker` shortens the interval
to :data:`SWITCH_INTERVAL`: the loop waits a millisecond at most; the cost (more hand-overs)
arises only while two threads want the GIL at once, since tantivy releases it.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def building() -> Iterator[None]:
    """No collection while the registry is compiled: its 370,000 new objects would set off
    several full passes on the way (seconds at start-up, the event loop stalled at a reload);
    they are all kept anyway.  Process-wide, so only around a build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: seconds a thread holding the GIL keeps it while another waits (CPython's default: 0.005)
SWITCH_INTERVAL = 0.001


def tune_worker() -> None:
    """For a server process, once its application is built: freeze its heap, shorten the
    switch interval.  Never called in the tests' processes (the settings are process-wide)."""
    freeze_heap()
    sys.setswitchinterval(SWITCH_INTERVAL)


def freeze_heap() -> None:
    """Collect what start-up left, then freeze what survives (a full pass, once)."""
    gc.collect()
    gc.freeze()


class HeapKeeper:
    """Freezes the heap again when ``current()`` (the worker's classifier) was replaced."""

    def __init__(self, current: object) -> None:
        self._frozen_for = current
        self._lock = threading.Lock()

    def after_reload(self, current: object) -> bool:
        """Called after each background round (in a thread); True when it refroze the heap.

        Nothing to do in a process that never froze its heap (the tests' apps)."""
        if current is self._frozen_for:
            return False
        if not gc.get_freeze_count():
            self._frozen_for = current
            return False
        with self._lock:
            self._frozen_for = current  # the old classifier is garbage from here
            gc.unfreeze()  # its objects go with this one full pass
            freeze_heap()
        return True
