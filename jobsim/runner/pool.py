"""The project's one process pool: runs tasks on worker processes, results handled in this process.

Used by sweeps (:mod:`jobsim.runner.sweep`) and by studies that need whole
tables from each run. Workers ignore Ctrl-C (the parent handles it and ends
them) and leave by themselves if the parent is killed.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle: it stops handing out runs and ends the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker holds both ends of the task pipe, so it would wait for work forever if the parent
    # were killed (kill -9); it watches its parent and leaves when the parent is gone.
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="jobsim-parent-watch", daemon=True).start()


def _mp_context():
    """"fork" on Linux, so workers inherit policies registered at run time (e.g. in a notebook)."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return None


def run_tasks(function: Callable[[Any], Any], tasks: Sequence, jobs: int, on_done: Callable[[Any], None]) -> None:
    """Call ``function(task)`` for each task on ``jobs`` processes; ``on_done(result)`` runs here as each finishes.

    Results arrive in the order they finish (with ``jobs=1``, in task order).
    ``function`` must be importable by the workers (a module-level function).
    Ctrl-C (or any exception in ``on_done``) cancels what is queued and ends
    the workers at once; runs in flight are lost.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            on_done(function(task))
        return
    jobs = min(jobs, len(tasks))
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(), initializer=_worker_init)
    todo = iter(tasks)
    pending: set = set()
    try:
        with warnings.catch_warnings():
            # Python >= 3.12 warns that forking a multi-threaded process (e.g. a notebook kernel) may
            # deadlock; the workers only run simulate(), which takes no lock another thread could hold.
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            # a bounded window of submitted runs: Ctrl-C leaves little to cancel
            for task in itertools.islice(todo, 2 * jobs):
                pending.add(pool.submit(function, task))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_done(future.result())
                task = next(todo, None)
                if task is not None:
                    pending.add(pool.submit(function, task))
    except BaseException:
        for future in pending:
            future.cancel()
        for proc in list(getattr(pool, "_processes", {}).values()):  # runs in flight are lost anyway
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def map_tasks(function: Callable[[Any], Any], tasks: Sequence, jobs: int = 1) -> list:
    """``[function(t) for t in tasks]``, on ``jobs`` processes when ``jobs > 1`` (same order, same results)."""
    results: dict[int, Any] = {}

    def keep(pair: tuple[int, Any]) -> None:
        results[pair[0]] = pair[1]

    run_tasks(_indexed, [(i, function, t) for i, t in enumerate(tasks)], jobs, keep)
    return [results[i] for i in range(len(tasks))]


def _indexed(item: tuple[int, Callable[[Any], Any], Any]) -> tuple[int, Any]:
    i, function, task = item
    return i, function(task)
