"""Running replications and parameter sweeps, storing them as they go, and loading them back.

The runner sits between one run (:func:`jobsim.simulate`) and the analysis:

* :func:`sweep` runs every combination of a grid of parameter values
  ``replications`` times; :func:`replicate` is the one-point case.
  Replication ``r`` uses the same named random streams at every grid point
  (common random numbers), so differences between points are sharper than
  independent runs would give (:meth:`SweepResult.paired_difference`).
* ``jobs > 1`` runs in worker processes, ``executor="dask"`` on a Dask cluster
  (:mod:`jobsim.runner.executors`); the results are bit-identical to ``jobs=1``.
  Runs travel in chunks with their policy objects (so a policy written in a
  notebook works under any start method), and workers return only the KPIs of a
  run, so memory stays at one run per process.
* With ``out=DIR`` each finished run is stored at once (:mod:`jobsim.runner.store`):
  a killed sweep started again continues where it stopped. ``jobsim sweep``
  without ``--out`` stores in :func:`default_folder`, named after the request,
  so the same command started again continues too.
* A worker process that dies (the out-of-memory killer, ``kill -9``) is
  replaced and its runs are run again (:mod:`jobsim.runner.pool`); if that keeps
  happening, or a file of ``out`` cannot be written (read-only, full disk),
  :class:`SweepStopped` says what happened and how many runs are stored.
* Before anything runs, the size of the request is estimated
  (:mod:`jobsim.runner.size`); a huge one needs ``confirm=True``. The runs are
  handed to the workers as they need them, never built as one big list.
* The grid is parsed and checked in :mod:`jobsim.runner.grid`, the result is a
  :class:`~jobsim.runner.results.SweepResult`, and :mod:`jobsim.runner.stats` tells
  how many replications a KPI needs for a target confidence-interval half-width.

>>> import jobsim
>>> base = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
>>> result = jobsim.sweep(base, {"caseload": [40, 80]}, replications=3, progress=False)
>>> len(result.runs), result.summary()["n"].tolist()[:3]
(6, [3, 3, 3])

Failed runs: a run that raises is recorded with its error and the sweep goes
on with the rest; at the end :func:`sweep` raises :class:`SweepError`, whose
``.result`` holds everything that succeeded (``.failures`` lists the failed
runs). Started again in the same ``out`` folder, only the failed and missing
runs are run.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import JobsimError, ScenarioError
from ..model.policies import POLICIES, PrepPolicy
from ..model.scenario import Scenario, load_scenario, make_scenario
from .checks import check_int
from .files import write_frame
from .grid import check_grid, expand_grid, points_frame
from .manifest import read_manifest, run_manifest, utc_now
from .executors import check_executor, chunk_size, run_chunks
from .pool import WorkerDied
from .progress import progress_bar
from .results import SweepResult, frames_from_records
from .simulate import simulate
from .size import sweep_size
from .store import KIND, MANIFEST, StoreWriteError, SweepStore, request_digest, request_of, writing


class SweepError(JobsimError):
    """Some runs of a sweep failed; ``.result`` holds the rest and ``.failures`` the failed runs."""

    def __init__(self, message: str, result: "SweepResult"):
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
    def from_error(cls, err: Exception, records: Mapping[Any, dict[str, Any]], stored: bool, total: int,
                   out: str | Path | None) -> SweepStopped:
        """The stop a :class:`WorkerDied` or :class:`StoreWriteError` means, counting the runs ``records`` holds."""
        kept = sum(1 for r in records.values() if not r.get("error")) if stored else 0
        return cls("worker" if isinstance(err, WorkerDied) else "write", str(err), kept, total,
                   Path(out) if out is not None else None)


def _run_task(task: tuple[int, int, Scenario, int, PrepPolicy | None]) -> dict[str, Any]:
    """One run, in this process or a worker: only the KPIs travel back (memory: one run per process)."""
    point, replication, scenario, seed, policy = task
    t0 = time.perf_counter()
    try:
        result = simulate(scenario, seed=seed, replication=replication, policy=policy, tables=False)
    except Exception as err:  # recorded; the sweep goes on with the other runs
        return {"point": point, "replication": replication, "seed": seed, "kpis": {},
                "run_seconds": time.perf_counter() - t0, "error": f"{type(err).__name__}: {err}",
                "traceback": traceback.format_exc(limit=-8)}
    return {"point": point, "replication": replication, "seed": seed, "kpis": result.kpis,
            "run_seconds": time.perf_counter() - t0, "error": None}


def sweep(scenario: Scenario | str | Path, grid: Mapping[str, Sequence[Any]], replications: int = 20,
          seed: int = 0, jobs: int = 1, out: str | Path | None = None, progress: bool | None = None,
          policy: PrepPolicy | None = None, confirm: bool = False, executor: str = "local",
          scheduler: Any = None) -> SweepResult:
    """Run every combination of ``grid`` ``replications`` times.

    * ``scenario``: the base :class:`~jobsim.Scenario` (or a built-in name or TOML path).
    * ``grid``: parameter name -> list of values, e.g.
      ``{"caseload": range(40, 221, 20), "prep_policy": ["ahead", "none"]}``. The whole grid is
      checked (names, types, ranges, duplicates) by building every point's scenario before
      anything runs; an error names the parameter.
    * Replication ``r`` of every point calls ``simulate(point, seed=seed, replication=r,
      tables=False)``: the same random streams at every point (common random numbers).
    * ``jobs``: worker processes; the results are bit-identical to ``jobs=1``.
    * ``executor``: ``"local"`` (``jobs`` processes on this machine) or ``"dask"`` (a Dask cluster;
      ``pip install "jobsim[dask]"``), with ``scheduler`` an address ``"tcp://HOST:PORT"``, a
      ``distributed.Client`` or a cluster object; without one the ``DASK_SCHEDULER_ADDRESS``
      environment variable, else a ``LocalCluster`` of ``jobs`` processes. Same results either way
      (see :mod:`jobsim.runner.executors`).
    * ``out``: a folder to store the sweep in (see :mod:`jobsim.runner.store`); started again with the
      same arguments it runs only what is missing; a folder holding a different sweep is refused.
    * ``progress``: a progress bar on stderr; ``None`` shows it only on a terminal or in a notebook.
    * ``policy``: a policy object that overrides every point's ``prep_policy``.
    * ``confirm``: run a request over the limits of :mod:`jobsim.runner.size` (more than 100,000
      runs, a run of more than 20 million citizen-days...); without it such a request raises
      :class:`~jobsim.runner.size.RequestTooBig` saying how big it is, before anything runs.

    Returns a :class:`SweepResult`. If some runs raised, the others still run
    and :class:`SweepError` is raised at the end, naming the failed runs;
    its ``.result`` holds the successful ones. If a worker process keeps dying
    (see :mod:`jobsim.runner.pool`) or a file of ``out`` cannot be written,
    :class:`SweepStopped` says so and how many runs are stored.
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise JobsimError("scenario: expected a jobsim.Scenario, a built-in scenario name or a TOML path")
    replications = check_int("replications", replications, 1)
    seed = check_int("seed", seed, 0)
    jobs = check_int("jobs", jobs, 1)
    executor = check_executor(executor, scheduler)
    if policy is not None and not isinstance(policy, PrepPolicy):
        raise JobsimError("policy: expected an instance of a jobsim.PrepPolicy subclass")
    grid = check_grid(grid)
    sweep_size(scenario, grid, replications, jobs).check(confirm, "pass confirm=True")  # before anything is built
    grid, points, scenarios = expand_grid(scenario, grid)
    policy_name = policy.name if policy is not None else None

    store = None
    records: dict[tuple[int, int], dict[str, Any]] = {}
    started = time.time()
    if out is not None:
        store = SweepStore.open(out, _manifest(scenario, grid, replications, seed, policy_name))
        records = SweepStore.finished_runs(out, len(points), replications)
    # the policy object itself travels with each run, so a worker needs no registry (spawn, Dask)
    policies = [policy if policy is not None else POLICIES[s.prep_policy] for s in scenarios]
    # built as the workers need them: a billion replications take no memory before the first run
    tasks = ((p, r, scenarios[p], seed, policies[p]) for p in range(len(points)) for r in range(replications)
             if (p, r) not in records)
    total = len(points) * replications
    size = chunk_size(total - len(records), jobs)
    executed: list[dict[str, Any]] = []

    try:
        with progress_bar(total=total, initial=len(records), enabled=progress, unit="run",
                          desc=f"sweep {scenario.name}") as bar:
            def on_done(record: dict[str, Any]) -> None:
                if store is not None:
                    store.write_run(record)
                records[(record["point"], record["replication"])] = record
                executed.append(record)
                bar.update(1)
                if record.get("error"):
                    bar.set_postfix_str(f"{sum(1 for r in executed if r.get('error'))} failed", refresh=False)

            run_chunks(_run_task, tasks, on_done, jobs=jobs, executor=executor, scheduler=scheduler, size=size)
        runs, failures = frames_from_records(grid, seed, records.values())
        result = SweepResult(scenario, grid, replications, seed, runs, failures, policy=policy_name,
                             out=Path(out) if out is not None else None)
        if store is not None:
            _finish_store(store, result, executed, started, jobs, executor)
    except (WorkerDied, StoreWriteError) as err:
        raise SweepStopped.from_error(err, records, store is not None, total, out) from None
    finally:
        if store is not None:
            store.close()
    if len(failures):
        shown = "; ".join(f"point {row.point} replication {row.replication}: {row.error}"
                          for row in failures.head(3).itertuples())
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        where = f"; see {Path(out) / 'failures.csv'}" if out is not None else ""
        raise SweepError(f"{len(failures)} of {total} runs failed: {shown}{more}{where}", result)
    return result


def _finish_store(store: SweepStore, result: SweepResult, executed: list[dict[str, Any]], started: float, jobs: int,
                  executor: str = "local") -> None:
    """Write the tables and record this session and the run times in the manifest."""
    root = store.root
    with writing(root):
        write_frame(root / "runs.parquet", result.runs, "parquet")
        result.to_csv(root)
        if not len(result.failures) and (root / "failures.csv").exists():
            (root / "failures.csv").unlink()
    manifest = store.read_manifest()
    wall = time.time() - started
    session = {"started_utc": _iso(started), "finished_utc": utc_now().isoformat(timespec="seconds"),
               "jobs": jobs, "executor": executor, "runs_executed": len(executed), "wall_seconds": round(wall, 3),
               "run_seconds_sum": round(sum(r["run_seconds"] for r in executed), 3)}
    sessions = [*manifest.get("sessions", []), session]
    seconds = result.runs["run_seconds"]
    store.update_manifest(
        sessions=sessions,
        run_seconds=round(sum(s["wall_seconds"] for s in sessions), 3),
        run_seconds_per_run={"sum": float(seconds.sum()), "mean": float(seconds.mean()) if len(seconds) else None,
                             "max": float(seconds.max()) if len(seconds) else None},
        finished_utc=session["finished_utc"],
        runs_done=len(result.runs), runs_failed=len(result.failures), complete=result.complete,
        files=["runs.sqlite", "runs.parquet", "runs.csv", "summary.csv", *(["failures.csv"] if len(result.failures) else [])])


def _manifest(scenario: Scenario, grid: dict[str, list[Any]], replications: int, seed: int,
              policy_name: str | None) -> dict[str, Any]:
    """The first manifest of a sweep folder: the request (see :data:`jobsim.runner.store.REQUEST_KEYS`) and more."""
    points = len(points_frame(grid))
    return run_manifest(scenario, seed, replication=None, kind=KIND, grid=grid, replications=replications,
                        policy=policy_name, points=points, total_runs=points * replications)


def default_folder(scenario: Scenario, grid: Mapping[str, Sequence[Any]], replications: int = 20, seed: int = 0,
                   policy: PrepPolicy | None = None, label: str | None = None, root: str | Path = "outputs") -> Path:
    """Where ``jobsim sweep`` stores a sweep when no folder is given: ``ROOT/sweep-<label>-<digest>``.

    The digest (ten hex digits) is a fingerprint of the whole request: the
    scenario with every value (so ``--set`` changes count), the grid, the
    replications, the seed and the policy. The same request always gives the
    same folder, so an interrupted sweep started again finds its runs; any
    other request gets another folder. ``label`` defaults to the scenario's name.
    """
    grid, _, _ = expand_grid(scenario, grid)
    manifest = _manifest(scenario, grid, replications, seed, policy.name if policy is not None else None)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", label or scenario.name).strip("._") or "scenario"
    return Path(root) / f"sweep-{name}-{request_digest(manifest)}"


def stored_runs(folder: str | Path, scenario: Scenario, grid: Mapping[str, Sequence[Any]], replications: int = 20,
                seed: int = 0, policy: PrepPolicy | None = None) -> int | None:
    """How many runs of this sweep ``folder`` holds already; None if it holds no sweep of this request."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    grid, points, _ = expand_grid(scenario, grid)
    wanted = _manifest(scenario, grid, replications, seed, policy.name if policy is not None else None)
    try:
        if request_of(read_manifest(path)) != request_of(wanted):
            return None
    except JobsimError:
        return None
    return len(SweepStore.finished_runs(folder, len(points), replications))


def _iso(epoch: float) -> str:
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).isoformat(timespec="seconds")


def replicate(scenario: Scenario | str | Path, replications: int = 20, seed: int = 0, jobs: int = 1,
              out: str | Path | None = None, progress: bool | None = None,
              policy: PrepPolicy | None = None, confirm: bool = False, executor: str = "local",
              scheduler: Any = None) -> SweepResult:
    """Run one scenario ``replications`` times: :func:`sweep` with an empty grid (one point)."""
    return sweep(scenario, {}, replications=replications, seed=seed, jobs=jobs, out=out, progress=progress,
                 policy=policy, confirm=confirm, executor=executor, scheduler=scheduler)


def load_sweep(folder: str | Path) -> SweepResult:
    """The :class:`SweepResult` of a sweep stored with ``out=folder`` (also a partial, killed one).

    Built from the run files, so it equals what :func:`sweep` returned; ``.complete`` tells
    whether every run is there.
    """
    store = SweepStore.read(folder)
    manifest = store.read_manifest()
    try:
        scenario = make_scenario(manifest["scenario"])
    except ScenarioError:
        # e.g. a policy registered in the session that ran the sweep: the stored values are still the record
        scenario = Scenario.model_construct(**manifest["scenario"])
    grid = {k: list(v) for k, v in manifest["grid"].items()}
    replications, seed = int(manifest["replications"]), int(manifest["seed"])
    n_points = len(points_frame(grid))
    records = [r for k, r in store.read_runs().items() if k[0] < n_points and k[1] < replications]
    runs, failures = frames_from_records(grid, seed, records)
    return SweepResult(scenario, grid, replications, seed, runs, failures, policy=manifest.get("policy"),
                       out=Path(folder))
