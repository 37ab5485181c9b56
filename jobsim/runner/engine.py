"""The one experiment engine: a request built once, its runs sent to an executor, stored as they arrive, reduced.

Every experiment jobsim runs goes through here, in one of two ways.

**Runs of points, stored** (:func:`run_request`). A :class:`Request` holds every point's scenario,
the replications, the seed, the policy and the manifest that identifies the request; its caller
builds it once: a sweep (:func:`jobsim.runner.sweep.sweep_request`, the points of a grid) or a
design (:func:`jobsim.runner.design.run_design`, a list of points). Replication ``r`` of every
point uses the same random streams (common random numbers). Then, in this order:

1. the executor is reached (:func:`jobsim.runner.executors.connect`), so an unreachable cluster
   fails before anything is created;
2. with ``out``, the folder is opened (:class:`jobsim.runner.store.SweepStore`: created, or checked
   to hold the same request) and the runs it holds already are read;
3. the missing runs go to the executor, each carrying its policy object, and every result is
   stored the moment it arrives, so a stopped request started again runs only what is missing;
4. the records are reduced by the caller's ``reduce`` (a :class:`~jobsim.runner.results.SweepResult`,
   a design's runs table), its ``write`` puts its tables in the folder, and the session (executor,
   jobs, runs executed, wall time) and the counts go into the manifest.

**A study's own task function** (:func:`map_runs`): steps that need more than the KPIs of a run
(the Odense gap tables, the validation measures, the calibration recovery) send their tasks along
the same executor path and get the results back in task order; nothing is stored.

Failed runs are recorded and the others go on; :class:`SweepError` at the end names them, its
``.result`` holding the reduced successful runs. A worker that keeps dying, or a file of the folder
that cannot be written once runs are under way, stops the request with :class:`SweepStopped`; the
stored runs are kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from ..model.policies import POLICIES, PrepPolicy
from ..model.scenario import Scenario
from .checks import check_int
from .executors import connect
from .manifest import read_manifest, utc_now
from .pool import WorkerDied
from .progress import progress_bar
from .store import DATABASE, KIND, MANIFEST, StoreWriteError, SweepStore, request_digest, request_of

#: A run record: ``point``, ``replication``, ``seed``, ``kpis``, ``run_seconds`` and ``error`` (None if it ran).
Record = dict[str, Any]


class SweepError(JobsimError):
    """Some runs failed; ``.result`` holds the reduced successful runs (a sweep's :class:`SweepResult`)."""

    def __init__(self, message: str, result: Any):
        super().__init__(message)
        self.result = result


class SweepStopped(JobsimError):
    """A sweep could not go on; the runs stored so far are kept and the same sweep started again continues.

    ``.cause`` is ``"worker"`` (a worker process kept dying, e.g. killed for lack of memory) or
    ``"write"`` (a file of the folder could not be written: read-only, full disk); ``.reason``
    says what happened, ``.stored`` and ``.total`` count the runs, ``.out`` is the folder (or None).
    """

    def __init__(self, cause: str, reason: str, stored: int, total: int, out: Path | None):
        self.cause, self.reason, self.stored, self.total, self.out = cause, reason, stored, total, out
        where = (f"{stored} of {total} runs are stored in {str(out)!r}" if out is not None
                 else "no runs are stored (no out folder was given)")
        again = ("run the same sweep again to continue (with fewer jobs if memory is short)" if cause == "worker"
                 else "make room (or make the folder writable) and run the same sweep again to continue")
        super().__init__(f"{reason}; {where}; {again}")

    @classmethod
    def from_error(cls, err: Exception, records: Mapping[Any, Record], stored: bool, total: int,
                   out: str | Path | None) -> SweepStopped:
        """The stop a :class:`WorkerDied` or :class:`StoreWriteError` means, counting the runs ``records`` holds."""
        kept = sum(1 for r in records.values() if not r.get("error")) if stored else 0
        return cls("worker" if isinstance(err, WorkerDied) else "write", str(err), kept, total,
                   Path(out) if out is not None else None)


@dataclass(frozen=True)
class Request:
    """What is asked, built once: every point's scenario, ``replications`` of each, the seed, the policy, the manifest.

    ``manifest`` is the first manifest of the request's folder
    (:func:`jobsim.runner.manifest.run_manifest`); its request keys (:func:`jobsim.runner.store.request_of`)
    identify the request, so the same request finds its folder and its stored runs again. ``base`` is the
    scenario the points were made from, ``grid`` a sweep's grid (values as the scenario stores them; empty
    for a design), ``kind`` marks the folder, ``label`` names the progress bar.
    """

    base: Scenario
    scenarios: tuple[Scenario, ...]
    replications: int
    seed: int
    policy: PrepPolicy | None
    manifest: dict[str, Any]
    grid: dict[str, list[Any]]
    kind: str = KIND
    label: str = "sweep"

    @property
    def points(self) -> int:
        return len(self.scenarios)

    @property
    def total(self) -> int:
        """How many runs the request has: points x replications."""
        return self.points * self.replications

    @property
    def digest(self) -> str:
        """Ten hex digits fingerprinting the request (:func:`jobsim.runner.store.request_digest`)."""
        return request_digest(self.manifest)

    def tasks(self, skip: Container[tuple[int, int]] = ()) -> Iterator[tuple[int, int, Scenario, int, PrepPolicy]]:
        """``(point, replication, scenario, seed, policy)`` of every run not in ``skip``, built as they are read.

        A billion replications take no memory before the first run. The policy object itself travels
        with each run, so a worker needs no registry (spawn, Dask); ``skip`` is read as the tasks are.
        """
        policies = [self.policy if self.policy is not None else POLICIES[s.prep_policy] for s in self.scenarios]
        return ((p, r, self.scenarios[p], self.seed, policies[p]) for p in range(self.points)
                for r in range(self.replications) if (p, r) not in skip)

    def stored_runs(self, folder: str | Path) -> int | None:
        """How many runs of this request ``folder`` holds already; None if it holds no folder of this request."""
        path = Path(folder) / MANIFEST
        if not path.is_file():
            return None
        try:
            if request_of(read_manifest(path)) != request_of(self.manifest):
                return None
        except JobsimError:
            return None
        return len(SweepStore.finished_runs(folder, self.points, self.replications))


def run_request(request: Request, run: Callable[[tuple], Record], reduce: Callable[[dict[tuple[int, int], Record]], Any],
                *, write: Callable[[Path, Any], list[str]] | None = None, jobs: int = 1, executor: str = "local",
                scheduler: Any = None, out: str | Path | None = None, progress: bool | None = None) -> Any:
    """Run every run of ``request`` not yet stored in ``out``; return ``reduce(records)`` (see the module docstring).

    * ``run``: called with each task of :meth:`Request.tasks` (in a worker), returns its :data:`Record`.
    * ``reduce``: from ``(point, replication) -> record`` of every run of the request to the result.
    * ``write``: with ``out``, ``write(folder, result)`` writes the result's tables and returns their file
      names (the manifest lists them after ``runs.sqlite``).
    * ``jobs``, ``executor``, ``scheduler``: where the runs execute (:func:`jobsim.runner.executors.connect`);
      ``progress``: a progress bar on stderr (None: only on a terminal or in a notebook).

    Raises :class:`SweepError` at the end if runs failed, :class:`SweepStopped` if a worker kept dying or a
    write failed once runs were under way; the errors of opening the folder are raised as they are.
    """
    jobs = check_int("jobs", jobs, 1)
    started, clock = utc_now(), time.perf_counter()
    with connect(executor, scheduler, jobs) as workers:  # before the folder: an unreachable cluster leaves none
        store = SweepStore.open(out, request.manifest, kind=request.kind) if out is not None else None
        records = SweepStore.finished_runs(out, request.points, request.replications) if store is not None else {}
        executed: list[Record] = []
        files: list[str] = []
        try:
            with progress_bar(total=request.total, initial=len(records), enabled=progress, unit="run",
                              desc=request.label) as bar:
                def on_done(record: Record) -> None:
                    if store is not None:
                        store.write_run(record)  # at once: the store is the one truth a stopped request resumes from
                    records[(record["point"], record["replication"])] = record
                    executed.append(record)
                    bar.update(1)
                    if record.get("error"):
                        bar.set_postfix_str(f"{sum(1 for r in executed if r.get('error'))} failed", refresh=False)

                workers.run(run, request.tasks(skip=records), on_done, count=request.total - len(records))
            result = reduce(records)
            if store is not None:
                files = write(store.root, result) if write is not None else []
                session = {"started_utc": started.isoformat(timespec="seconds"),
                           "finished_utc": utc_now().isoformat(timespec="seconds"), "jobs": jobs,
                           "executor": workers.name, "runs_executed": len(executed),
                           "wall_seconds": round(time.perf_counter() - clock, 3),
                           "run_seconds_sum": round(sum(r["run_seconds"] for r in executed), 3)}
                store.update_manifest(**_manifest_changes(store, request, records, session,
                                                          files if write is not None else None))
        except (WorkerDied, StoreWriteError) as err:
            raise SweepStopped.from_error(err, records, store is not None, request.total, out) from None
        finally:
            if store is not None:
                store.close()
    failed = [records[key] for key in sorted(records) if records[key].get("error")]
    if failed:
        shown = "; ".join(f"point {r['point']} replication {r['replication']}: {r['error']}" for r in failed[:3])
        more = f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""
        where = f"; see {Path(out) / 'failures.csv'}" if "failures.csv" in files else ""
        raise SweepError(f"{len(failed)} of {request.total} runs failed: {shown}{more}{where}", result)
    return result


def _manifest_changes(store: SweepStore, request: Request, records: Mapping[tuple[int, int], Record],
                      session: dict[str, Any], files: list[str] | None) -> dict[str, Any]:
    """What the manifest records at the end of a session: the sessions so far, run times, counts, files."""
    sessions = [*store.read_manifest().get("sessions", []), session]
    seconds = [records[key]["run_seconds"] for key in sorted(records) if not records[key].get("error")]
    changes = {
        "sessions": sessions,
        "run_seconds": round(sum(s.get("wall_seconds", 0.0) for s in sessions), 3),
        "run_seconds_per_run": {"sum": float(sum(seconds)), "mean": sum(seconds) / len(seconds) if seconds else None,
                                "max": float(max(seconds)) if seconds else None},
        "finished_utc": session["finished_utc"],
        "runs_done": len(seconds), "runs_failed": len(records) - len(seconds), "complete": len(seconds) == request.total,
    }
    if files is not None:
        changes["files"] = [DATABASE, *files]
    return changes


def map_runs(function: Callable[[Any], Any], tasks: Iterable[Any], *, jobs: int = 1, executor: str = "local",
             scheduler: Any = None) -> list[Any]:
    """``[function(task) for task in tasks]`` on the executor, in task order: the same list for any ``jobs``.

    The path of a study whose runs give more than KPIs (whole tables), along the executors of
    :func:`run_request`; nothing is stored. ``function`` is a module-level function of one task (it
    travels to the workers by reference) and must give the same result when called again with the same
    task (a task whose worker died is run again).
    """
    tasks = list(tasks)
    results: list[Any] = [None] * len(tasks)

    def keep(numbered: tuple[int, Any]) -> None:
        results[numbered[0]] = numbered[1]

    with connect(executor, scheduler, check_int("jobs", jobs, 1)) as workers:
        workers.run(call_numbered, ((i, function, task) for i, task in enumerate(tasks)), keep, count=len(tasks))
    return results


def call_numbered(item: tuple[int, Callable[[Any], Any], Any]) -> tuple[int, Any]:
    """In a worker: ``(i, function, task)`` -> ``(i, function(task))``, so that results can be put back in order."""
    i, function, task = item
    return i, function(task)
