"""Python's garbage collector during a run: only the youngest generation is collected.

A run builds tens of thousands of long-lived objects (citizens, bookings,
diaries) and frees them by reference counting; it makes almost no reference
cycles. Python's collector, left at its defaults, keeps walking those
long-lived objects in its older generations: at 500 caseworkers that was a
quarter of the run's time (``benchmarks/team_size_benchmark.py``). While a run
is under way, :func:`young_generation_only` raises the thresholds of the two
older generations so only the youngest is collected (cyclic garbage made by a
user's policy is still found, at the latest when the run ends and the
thresholds are restored). It nests and may be entered from several threads at
once: the thresholds are restored when the last run leaves.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

#: thresholds of the middle and oldest generations while a run is under way (the youngest keeps its own)
RUN_THRESHOLDS = (1000, 1_000_000)

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def young_generation_only():
    """Collect only the youngest generation until the block ends (see the module docstring)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], *RUN_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
