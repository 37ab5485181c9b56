"""Where runs are executed: this machine's processes (``"local"``) or a Dask cluster (``"dask"``).

:func:`connect` gives an :class:`Executor`, ready to run: for Dask the scheduler is reached (or a
``LocalCluster`` started) there, before the caller creates anything, so an unreachable scheduler
is one clear error and leaves no folder behind. Both executors then work the same way
(:meth:`Executor.run`):

* runs are handed out in **chunks** (many runs per task; :func:`chunk_size`), about eight per
  slot, a slot being one run at a time: ``jobs`` locally, on Dask every worker thread the
  scheduler reports when the request starts (so a sweep fills the cluster it is sent to, whatever
  ``jobs`` says; ``jobs`` counts only if the cluster has no workers yet). A design of 10,000 short
  runs is not dominated by scheduling and serialisation;
* a task carries everything it needs, serialised with ``cloudpickle``: the function, the
  scenarios and the **policy objects** themselves. A policy written in a notebook or in a
  script's ``__main__`` therefore runs in workers started with ``spawn`` (the macOS and
  Windows default, and Dask's) instead of failing there with "unknown policy";
* only the function's result comes back (a sweep's: the KPIs), and the *client* (this process)
  hands each result to ``on_done`` as it arrives; a sweep writes it into its store at once, so
  the store stays the one truth: a killed client continues from it, and a lost worker costs only
  its chunk, which is run again with the same results (a run depends only on its scenario, seed
  and replication).

``executor="local"`` uses :mod:`jobsim.runner.pool` (``jobs`` processes; ``jobs=1`` runs in
this process). ``executor="dask"`` needs the optional extra (``pip install "jobsim[dask]"``)
and a ``scheduler``: an address (:func:`check_address`: ``tcp://HOST:PORT``, ``tls://HOST:PORT``
or ``HOST:PORT``), a ``distributed.Client``, or a cluster object (``LocalCluster``,
``SSHCluster``, dask-jobqueue's ``SLURMCluster``...); without one, the
``DASK_SCHEDULER_ADDRESS`` environment variable, and without that a ``distributed.LocalCluster``
of ``jobs`` single-threaded worker processes on this machine. An address is given up on after
Dask's connect timeout (``distributed.comm.timeouts.connect``, 30 s unless configured, e.g.
``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``). Each chunk is a Dask task with an explicit
key (a fingerprint of its content, so the same chunk always has the same key) and
:data:`DASK_RETRIES` retries; a worker that dies is replaced by the scheduler and its chunks run
again elsewhere.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import cloudpickle

from ..errors import JobsimError
from .pool import WorkerDied, run_tasks

#: The executors :func:`connect` knows.
EXECUTORS = ("local", "dask")
#: Times Dask runs a chunk again after its worker died before giving up (the sweep then stops; see
#: :class:`jobsim.runner.pool.WorkerDied`).
DASK_RETRIES = 3
#: Largest chunk: with 30 ms runs, 64 runs make a task of about 2 s, far above Dask's ~1 ms per task.
MAX_CHUNK = 64
#: The scheduler addresses :func:`check_address` allows, as its message says them.
ADDRESS_FORMS = ("tcp://HOST:PORT, tls://HOST:PORT or HOST:PORT (read as tcp://HOST:PORT), PORT a number from "
                 "1 to 65535, e.g. tcp://10.0.0.5:8786")
# what distributed connects to: an optional tcp:// or tls://, a host name, an IPv4 address or a bracketed IPv6
# address, and a port
_ADDRESS = re.compile(r"(?:(?:tcp|tls)://)?(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})")


def check_executor(executor: str, scheduler: Any = None) -> str:
    """``executor`` if it is one of :data:`EXECUTORS`; a scheduler only goes with ``"dask"``, an address well formed."""
    if executor not in EXECUTORS:
        raise JobsimError(f"executor: {executor!r} is not allowed; allowed: {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise JobsimError("scheduler: only used with executor='dask' (--executor dask)")
    if isinstance(scheduler, str):
        check_address(scheduler, "scheduler")
    return executor


def check_address(address: str, option: str = "--scheduler") -> str:
    """``address`` if it is a scheduler address of a form in :data:`ADDRESS_FORMS`, else one error naming ``option``.

    These are the forms ``distributed`` connects to over a network (it reads a bare ``HOST:PORT`` as
    ``tcp://``). An ``inproc://`` address, of a cluster running in this very process
    (``LocalCluster(processes=False)``), is let through as well.
    """
    if address.startswith("inproc://") and len(address) > len("inproc://"):
        return address
    match = _ADDRESS.fullmatch(address)
    if match is None or not 1 <= int(match.group(1)) <= 65535:
        raise JobsimError(f"{option}: {address!r} is not an address; allowed: {ADDRESS_FORMS}")
    return address


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


class Executor:
    """A connected executor (from :func:`connect`): ``name``, ``jobs``, and ``slots``, the runs it runs at once."""

    def __init__(self, name: str, jobs: int, client: Any = None):
        self.name, self.jobs, self.client = name, jobs, client
        self.slots = jobs if client is None else cluster_slots(client, jobs)

    def run(self, function: Callable[[Any], Any], tasks: Iterable[Any], on_done: Callable[[Any], None],
            count: int) -> None:
        """Call ``function(task)`` for each of the ``count`` tasks; ``on_done(result)`` runs here as results arrive.

        Tasks are sent in chunks of :func:`chunk_size` ``(count, slots)``, read from ``tasks`` as the
        workers need them. ``function`` must return the same result when called again with the same
        task (a chunk whose worker died is run again). Raises :class:`~jobsim.runner.pool.WorkerDied`
        if workers keep dying.
        """
        if self.client is None and self.jobs <= 1:
            for task in tasks:  # in this process: no serialisation at all
                on_done(function(task))
            return

        def each(results: list[Any]) -> None:
            for result in results:
                on_done(result)

        blobs = (pack(function, chunk) for chunk in chunks(tasks, chunk_size(count, self.slots)))
        if self.client is None:
            run_tasks(run_packed, blobs, self.jobs, each)
        else:
            run_on_dask(self.client, blobs, each, window=4 * self.slots)


@contextmanager
def connect(executor: str = "local", scheduler: Any = None, jobs: int = 1) -> Iterator[Executor]:
    """The :class:`Executor` for ``executor``; for Dask the cluster is reached here, and one jobsim started is stopped after.

    Raises :class:`~jobsim.errors.JobsimError` for an unknown executor, a malformed address, a
    scheduler that cannot be reached, or Dask not installed.
    """
    check_executor(executor, scheduler)
    if executor == "local":
        yield Executor("local", jobs)
        return
    client, owned = dask_client(scheduler, jobs)
    try:
        yield Executor("dask", jobs, client)
    finally:
        for thing in owned:
            thing.close()


def cluster_slots(client: Any, jobs: int) -> int:
    """How many tasks the cluster runs at once: its workers' threads, as the scheduler reports them now.

    ``jobs`` if it has no workers yet (a cluster still starting them), or cannot say.
    """
    try:
        return sum(client.nthreads().values()) or jobs
    except (OSError, TimeoutError):  # a lost connection: the run itself will say so
        return jobs


def run_on_dask(client: Any, blobs: Iterator[bytes], on_done: Callable[[list[Any]], None], window: int) -> None:
    """Run the chunks on a Dask cluster, ``window`` tasks at a time (Ctrl-C leaves little to cancel)."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    # the sweep's own client's loop: as_completed() alone takes the loop of the current default client (a
    # notebook's `with Client(...)`), and a result fetched again after its worker was lost then fails with
    # "bound to a different event loop"
    pending = as_completed(loop=client.loop)
    live: set = set()

    def submit(n: int) -> None:
        for blob in itertools.islice(blobs, n):
            key = "jobsim-chunk-" + hashlib.sha256(blob).hexdigest()[:24]
            future = client.submit(run_packed, blob, key=key, retries=DASK_RETRIES, pure=False)
            live.add(future)
            pending.add(future)

    try:
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
        for future in list(live):
            future.cancel()
        raise


def dask_client(scheduler: Any, jobs: int) -> tuple[Any, list[Any]]:
    """A ``distributed.Client`` for ``scheduler`` (see the module docstring) and the objects to close after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise JobsimError("executor 'dask' needs Dask distributed: pip install \"jobsim[dask]\"") from None
    option = "--scheduler"
    if scheduler is None and os.environ.get("DASK_SCHEDULER_ADDRESS"):
        scheduler, option = os.environ["DASK_SCHEDULER_ADDRESS"], "DASK_SCHEDULER_ADDRESS"
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
        check_address(scheduler, option)
        try:
            client = Client(scheduler)  # gives up after Dask's connect timeout (see the module docstring)
        except (OSError, TimeoutError) as err:
            raise JobsimError(f"{option}: cannot reach the Dask scheduler at {scheduler!r} ({err}); start it "
                              "with 'dask scheduler' or give another address") from None
        return client, [client]
    raise JobsimError("scheduler: expected an address like 'tcp://HOST:8786', a distributed.Client or a cluster")
