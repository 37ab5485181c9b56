"""Python's garbage collector during a run: paused.

A run builds tens of thousands of long-lived objects (citizens, bookings,
diaries, SimPy processes) and frees them by reference counting; the model
makes no reference cycles while it runs (``tests/model/test_processes.py``
checks that a run leaves no cyclic garbage behind it). Python's collector,
left at its defaults, keeps walking those long-lived objects: at 500
caseworkers a tenth of the run's time with only the youngest generations
collected, a quarter at the defaults (``benchmarks/team_size_benchmark.py``).
So while a run is under way :func:`paused_collection` turns automatic
collection off; when the last run leaves, it is turned back on as it was, and
any cyclic garbage (made, say, by a user's policy, or the finished model
itself) is found by the next collection as usual. It nests and may be entered
from several threads at once.

(A speed measure, labelled as such: it changes no result.)
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def paused_collection():
    """No automatic garbage collection until the block ends (see the module docstring)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
