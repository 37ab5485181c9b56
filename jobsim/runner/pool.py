"""The project's one process pool: runs tasks on worker processes, results handled in this process.

Every experiment reaches it through the local executor
(:mod:`jobsim.runner.executors`, used by the engine :mod:`jobsim.runner.engine`:
sweeps, designs and the studies' own task functions); :func:`map_tasks` is the
pool's own ordered map for a plain list of tasks. Workers ignore Ctrl-C (the
parent handles it and ends them) and leave by themselves if the parent is killed.

A worker that dies (killed by the out-of-memory killer, or ``kill -9``) breaks
the whole pool: :func:`run_tasks` then starts a new pool and runs the tasks
that were lost in flight again (each task is a pure function of its
arguments, so the results are the same). After :data:`MAX_RESTARTS`
restarts it gives up with :class:`WorkerDied`; the results handed to
``on_done`` until then are kept by the caller.
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
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import JobsimError

#: How many times a pool whose worker died is replaced before :func:`run_tasks` gives up.
MAX_RESTARTS = 3


class WorkerDied(JobsimError):
    """A worker process died (killed by the system, possibly out of memory) more often than the pool restarts."""

    def __init__(self, deaths: int):
        super().__init__(f"a worker process died {deaths} time{'s' if deaths > 1 else ''} (killed by the "
                         "operating system, possibly for lack of memory)")
        self.deaths = deaths


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


#: Environment variable choosing how worker processes start: ``fork``, ``spawn`` or ``forkserver``.
START_METHOD_VARIABLE = "JOBSIM_START_METHOD"


def _mp_context():
    """The start method of :data:`START_METHOD_VARIABLE`, else "fork" on Linux, else the platform's default.

    Sweeps send their policy objects with each task (:mod:`jobsim.runner.executors`), so any
    start method runs policies registered at run time (e.g. in a notebook); "fork" starts fastest.
    """
    method = os.environ.get(START_METHOD_VARIABLE) or ("fork" if sys.platform.startswith("linux") else None)
    if method is None:
        return None
    if method not in multiprocessing.get_all_start_methods():
        raise JobsimError(f"{START_METHOD_VARIABLE}: {method!r} is not a start method here; allowed: "
                          f"{', '.join(multiprocessing.get_all_start_methods())}")
    return multiprocessing.get_context(method)


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(), initializer=_worker_init)


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers at once (what they are running is lost) and release the pool."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:  # no zombies left behind (SIGTERM ends a worker at once)
        proc.join(timeout=5)


def run_tasks(function: Callable[[Any], Any], tasks: Iterable, jobs: int, on_done: Callable[[Any], None],
              max_restarts: int = MAX_RESTARTS) -> None:
    """Call ``function(task)`` for each task on ``jobs`` processes; ``on_done(result)`` runs here as each finishes.

    ``tasks`` may be any iterable, also a generator: it is read as the workers
    need more work (at most ``2 * jobs`` tasks are handed out at a time), so a
    very long sweep never holds all its tasks in memory. Results arrive in the
    order they finish (with ``jobs=1``, in task order). ``function`` must be
    importable by the workers (a module-level function) and return the same
    result when called again with the same task. If a worker dies, the pool is
    started again and the lost tasks are run again, at most ``max_restarts``
    times; then :class:`WorkerDied` is raised. Ctrl-C (or any exception in
    ``on_done``) cancels what is queued and ends the workers at once; runs in
    flight are lost.
    """
    todo = iter(tasks)
    first = list(itertools.islice(todo, 2 * max(jobs, 1)))
    if jobs <= 1 or len(first) <= 1:
        for task in itertools.chain(first, todo):
            on_done(function(task))
        return
    jobs = min(jobs, len(first))
    retry: deque = deque(first)  # tasks to hand out before reading more of ``todo``
    pending: dict[Future, Any] = {}  # in the order submitted
    restarts = 0
    pool = _new_pool(jobs)
    try:
        with warnings.catch_warnings():
            # Python >= 3.12 warns that forking a multi-threaded process (e.g. a notebook kernel) may
            # deadlock; the workers only run simulate(), which takes no lock another thread could hold.
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            while True:
                # a bounded window of submitted runs: Ctrl-C leaves little to cancel
                broken = _hand_out(pool, function, todo, retry, pending, 2 * jobs)
                if not pending and not broken:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED) if not broken else (set(), None)
                broken = _collect(done, pending, retry, on_done) or broken
                if broken:
                    # a broken pool fails every task it holds: collect what finished before, retry the rest
                    done, _ = wait(pending, timeout=_BROKEN_WAIT)
                    _collect(done, pending, retry, on_done)
                    retry.extend(pending.values())
                    pending.clear()
                    _end_pool(pool)
                    restarts += 1
                    if restarts > max_restarts:
                        raise WorkerDied(restarts)
                    pool = _new_pool(jobs)
    except BaseException:
        for future in pending:
            future.cancel()
        _end_pool(pool)  # runs in flight are lost anyway
        raise
    pool.shutdown(wait=True)


#: Seconds to wait for the other tasks of a broken pool to be failed by it (it is usually at once).
_BROKEN_WAIT = 30
_END = object()


def _hand_out(pool: ProcessPoolExecutor, function: Callable[[Any], Any], todo, retry: deque,
              pending: dict[Future, Any], window: int) -> bool:
    """Submit tasks (the ones to retry first) until ``window`` are pending; True if the pool is broken."""
    while len(pending) < window:
        task = retry.popleft() if retry else next(todo, _END)
        if task is _END:
            return False
        try:
            pending[pool.submit(function, task)] = task
        except BrokenProcessPool:
            retry.appendleft(task)
            return True
    return False


def _collect(done: set, pending: dict[Future, Any], retry: deque, on_done: Callable[[Any], None]) -> bool:
    """Hand the results of ``done`` to ``on_done`` (in the order submitted); True if one was lost with its worker."""
    broken = False
    for future in [f for f in pending if f in done]:
        task = pending.pop(future)
        if isinstance(future.exception(), BrokenProcessPool):
            retry.append(task)  # its worker died: run it again in the next pool
            broken = True
        else:
            on_done(future.result())
    return broken


def map_tasks(function: Callable[[Any], Any], tasks: Sequence, jobs: int = 1) -> list:
    """``[function(t) for t in tasks]``, on ``jobs`` processes when ``jobs > 1`` (same order, same results)."""
    results: dict[int, Any] = {}

    def keep(pair: tuple[int, Any]) -> None:
        results[pair[0]] = pair[1]

    tasks = list(tasks)
    run_tasks(_indexed, [(i, function, t) for i, t in enumerate(tasks)], jobs, keep)
    return [results[i] for i in range(len(tasks))]


def _indexed(item: tuple[int, Callable[[Any], Any], Any]) -> tuple[int, Any]:
    i, function, task = item
    return i, function(task)
