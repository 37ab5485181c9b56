"""Where the runs of a sweep are executed: this machine's processes (``"local"``) or a Dask cluster (``"dask"``).

Both executors work the same way (:func:`run_chunks`):

* runs are handed out in **chunks** (many runs per task; :func:`chunk_size`), so a design of
  10,000 short runs is not dominated by scheduling and serialisation;
* a task carries everything it needs, serialised with ``cloudpickle``: the function, the
  scenarios and the **policy objects** themselves. A policy written in a notebook or in a
  script's ``__main__`` therefore runs in workers started with ``spawn`` (the macOS and
  Windows default, and Dask's) instead of failing there with "unknown policy";
* only the KPIs come back, and the *client* (this process) hands each result to
  ``on_done`` as it arrives; the sweep writes it into its store at once, so the store stays
  the one truth: a killed client continues from it, and a lost worker costs only its chunk,
  which is run again with the same results (a run depends only on its scenario, seed and
  replication).

``executor="local"`` uses :mod:`jobsim.runner.pool` (``jobs`` processes; ``jobs=1`` runs in
this process). ``executor="dask"`` needs the optional extra (``pip install "jobsim[dask]"``)
and a ``scheduler``: an address such as ``"tcp://10.0.0.5:8786"``, a ``distributed.Client``,
or a cluster object (``LocalCluster``, ``SSHCluster``, dask-jobqueue's ``SLURMCluster``...);
without one, the ``DASK_SCHEDULER_ADDRESS`` environment variable, and without that a
``distributed.LocalCluster`` of ``jobs`` single-threaded worker processes on this machine.
Each chunk is a Dask task with an explicit key (a fingerprint of its content, so the same
chunk always has the same key) and :data:`DASK_RETRIES` retries; a worker that dies is
replaced by the scheduler and its chunks run again elsewhere.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import cloudpickle

from ..errors import JobsimError
from .pool import WorkerDied, run_tasks

#: The executors :func:`run_chunks` knows.
EXECUTORS = ("local", "dask")
#: Times Dask runs a chunk again after its worker died before giving up (the sweep then stops; see
#: :class:`jobsim.runner.pool.WorkerDied`).
DASK_RETRIES = 3
#: Largest chunk: with 30 ms runs, 64 runs make a task of about 2 s, far above Dask's ~1 ms per task.
MAX_CHUNK = 64


def check_executor(executor: str, scheduler: Any = None) -> str:
    """``executor`` if it is one of :data:`EXECUTORS`; a scheduler only goes with ``"dask"``."""
    if executor not in EXECUTORS:
        raise JobsimError(f"executor: {executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise JobsimError("scheduler: only used with executor='dask' (--executor dask)")
    return executor


def chunk_size(remaining: int, workers: int) -> int:
    """Runs per task: about eight tasks per worker over the runs to do, at most :data:`MAX_CHUNK`.

    Eight tasks per worker keep every worker busy to the end (the last chunks are short
    compared with the whole) while the per-task cost is shared by many runs.
    """
    if remaining <= 0:
        return 1
    return max(1, min(MAX_CHUNK, math.ceil(remaining / (8 * max(1, workers)))))


def chunks(tasks: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """``tasks`` in lists of ``size`` (the last may be shorter), read lazily."""
    it = iter(tasks)
    while True:
        block = list(itertools.islice(it, size))
        if not block:
            return
        yield block


def pack(function: Callable[[Any], Any], chunk: list[Any]) -> bytes:
    """A chunk as one ``cloudpickle`` blob: the function and its tasks, policy objects included."""
    return cloudpickle.dumps((function, chunk))


def run_packed(blob: bytes) -> list[Any]:
    """In a worker: unpack a chunk (:func:`pack`) and run it; the list of results goes back."""
    function, chunk = cloudpickle.loads(blob)
    return [function(task) for task in chunk]


def run_chunks(function: Callable[[Any], Any], tasks: Iterable[Any], on_done: Callable[[Any], None], *,
               jobs: int = 1, executor: str = "local", scheduler: Any = None, size: int = 1) -> None:
    """Call ``function(task)`` for every task on ``executor``; ``on_done(result)`` runs here as results arrive.

    Tasks are sent ``size`` at a time (:func:`chunks`). ``function`` must return the same result
    when called again with the same task (a chunk whose worker died is run again). Raises
    :class:`~jobsim.runner.pool.WorkerDied` if workers keep dying.
    """
    check_executor(executor, scheduler)
    if executor == "local" and jobs <= 1:
        for task in tasks:  # in this process: no serialisation at all
            on_done(function(task))
        return

    def each(results: list[Any]) -> None:
        for result in results:
            on_done(result)

    blobs = (pack(function, chunk) for chunk in chunks(tasks, size))
    if executor == "local":
        run_tasks(run_packed, blobs, jobs, each)
    else:
        _run_dask(blobs, each, jobs, scheduler)


def _run_dask(blobs: Iterator[bytes], on_done: Callable[[list[Any]], None], jobs: int, scheduler: Any) -> None:
    """Run the chunks on a Dask cluster, a bounded window of tasks at a time (Ctrl-C leaves little to cancel)."""
    client, owned = dask_client(scheduler, jobs)
    try:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        window = 4 * max(1, _worker_count(client, jobs))
        pending = as_completed()
        live: set = set()

        def submit(n: int) -> None:
            for blob in itertools.islice(blobs, n):
                key = "jobsim-chunk-" + hashlib.sha256(blob).hexdigest()[:24]
                future = client.submit(run_packed, blob, key=key, retries=DASK_RETRIES, pure=False)
                live.add(future)
                pending.add(future)

        submit(window)
        for future in pending:
            live.discard(future)
            try:
                results = future.result()
            except KilledWorker as err:  # the scheduler gave up on a task whose workers kept dying
                raise WorkerDied(DASK_RETRIES + 1) from err
            future.release()
            on_done(results)
            submit(window - len(live))
    except BaseException:
        for future in list(locals().get("live", ())):
            future.cancel()
        raise
    finally:
        for thing in owned:
            thing.close()


def dask_client(scheduler: Any, jobs: int) -> tuple[Any, list[Any]]:
    """A ``distributed.Client`` for ``scheduler`` (see the module docstring) and the objects to close after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise JobsimError("executor 'dask' needs Dask distributed: pip install \"jobsim[dask]\"") from None
    if scheduler is None:
        scheduler = os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if isinstance(scheduler, Client):
        return scheduler, []
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        return client, [client, cluster]
    if hasattr(scheduler, "scheduler_address"):  # a cluster object: LocalCluster, SSHCluster, SLURMCluster...
        client = Client(scheduler)
        return client, [client]
    if isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise JobsimError(f"--scheduler: cannot reach the Dask scheduler at {scheduler!r} ({err}); start it "
                              "with 'dask scheduler' or give another address") from None
        return client, [client]
    raise JobsimError("scheduler: expected an address like 'tcp://HOST:8786', a distributed.Client or a cluster")


def _worker_count(client: Any, jobs: int) -> int:
    try:
        return len(client.scheduler_info().get("workers", {})) or jobs
    except Exception:  # an old scheduler or a lost connection: the window only tunes speed
        return jobs
