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
  without ``--out`` stores in :func:`sweep_folder`, named after the request,
  so the same command started again continues too.
* A worker process that dies (the out-of-memory killer, ``kill -9``) is
  replaced and its runs are run again (:mod:`jobsim.runner.pool`); if that keeps
  happening, or a file of ``out`` cannot be written (read-only, full disk),
  :class:`SweepStopped` says what happened and how many runs are stored.
* Before anything runs, the size of the request is estimated
  (:mod:`jobsim.runner.size`); a huge one needs ``confirm=True``. The runs are
  handed to the workers as they need them, never built as one big list.
* A sweep is a caller of the one experiment engine (:mod:`jobsim.runner.engine`):
  :func:`sweep_request` builds its request once (the grid checked and expanded, every
  point's scenario, the manifest that names its folder, :func:`sweep_folder`) and
  :func:`run_sweep` runs it; :func:`run_kpis` is the run function of sweeps and designs.
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

import re
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import JobsimError, ScenarioError
from ..model.policies import PrepPolicy
from ..model.scenario import Scenario, load_scenario, make_scenario
from .checks import check_int
from .engine import Request, SweepError, SweepStopped, run_request
from .files import can_write_parquet, write_frame
from .grid import check_grid, expand_grid, points_frame
from .manifest import run_manifest
from .results import SweepResult, frames_from_records
from .simulate import simulate
from .size import sweep_size
from .store import KIND, SweepStore, writing

__all__ = ["sweep", "replicate", "load_sweep", "sweep_request", "run_sweep", "sweep_folder", "default_folder",
           "run_kpis", "write_tables", "SweepError", "SweepStopped"]  # the two errors live in .engine


def run_kpis(task: tuple[int, int, Scenario, int, PrepPolicy]) -> dict[str, Any]:
    """One run of a sweep or a design, in this process or a worker: only its KPIs travel back.

    ``task`` is ``(point, replication, scenario, seed, policy)`` (:meth:`~jobsim.runner.engine.Request.tasks`);
    the run is ``simulate(scenario, seed=seed, replication=replication, policy=policy, tables=False)``, so
    memory stays at one run per process. A run that raises is returned with its error and traceback, and
    the request goes on with the other runs. It calls this module's ``simulate``, which tests replace to
    count or stop runs.
    """
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
      environment variable, else a ``LocalCluster`` of ``jobs`` processes. On a cluster the runs are
      spread over all its workers, whatever ``jobs``. Same results either way (see
      :mod:`jobsim.runner.executors`).
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
    request = sweep_request(scenario, grid, replications, seed, policy, jobs=jobs, confirm=confirm)
    return run_sweep(request, jobs=jobs, out=out, progress=progress, executor=executor, scheduler=scheduler)


def sweep_request(scenario: Scenario | str | Path, grid: Mapping[str, Sequence[Any]], replications: int = 20,
                  seed: int = 0, policy: PrepPolicy | None = None, *, jobs: int = 1, confirm: bool = False,
                  how_to_confirm: str = "pass confirm=True") -> Request:
    """The :class:`~jobsim.runner.engine.Request` of a sweep, built once: the grid checked and expanded, the manifest.

    The arguments are :func:`sweep`'s. The size of the request is checked first, from the grid's
    lists alone (:func:`jobsim.runner.size.sweep_size`; ``jobs`` counts for its memory), then every
    point's scenario is built, so a bad value fails here, naming the parameter, before anything
    runs or is created. ``how_to_confirm`` ends the message of a request that is too big.
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise JobsimError("scenario: expected a jobsim.Scenario, a built-in scenario name or a TOML path")
    replications = check_int("replications", replications, 1)
    seed = check_int("seed", seed, 0)
    jobs = check_int("jobs", jobs, 1)
    if policy is not None and not isinstance(policy, PrepPolicy):
        raise JobsimError("policy: expected an instance of a jobsim.PrepPolicy subclass")
    grid = check_grid(grid)
    sweep_size(scenario, grid, replications, jobs).check(confirm, how_to_confirm)  # before anything is built
    grid, points, scenarios = expand_grid(scenario, grid)
    # the request keys (jobsim.runner.store.REQUEST_KEYS) as sweeps have always written them: old folders resume
    manifest = run_manifest(scenario, seed, replication=None, kind=KIND, grid=grid, replications=replications,
                            policy=policy.name if policy is not None else None, points=len(points),
                            total_runs=len(points) * replications)
    return Request(scenario, tuple(scenarios), replications, seed, policy, manifest, grid=grid, kind=KIND,
                   label=f"sweep {scenario.name}")


def run_sweep(request: Request, *, jobs: int = 1, out: str | Path | None = None, progress: bool | None = None,
              executor: str = "local", scheduler: Any = None) -> SweepResult:
    """Run a sweep's request (:func:`sweep_request`) through the engine; the rest is as in :func:`sweep`."""
    out = Path(out) if out is not None else None

    def reduce(records: Mapping[tuple[int, int], dict[str, Any]]) -> SweepResult:
        runs, failures = frames_from_records(request.grid, request.seed, records.values())
        return SweepResult(request.base, request.grid, request.replications, request.seed, runs, failures,
                           policy=request.manifest["policy"], out=out)

    return run_request(request, run_kpis, reduce, write=write_tables, jobs=jobs, executor=executor,
                       scheduler=scheduler, out=out, progress=progress)


def write_tables(folder: Path, result: SweepResult) -> list[str]:
    """Write a sweep's tables beside its database; return their names.

    ``runs.parquet`` only where pandas can write Parquet (pyarrow, the extra ``jobsim[parquet]``);
    ``runs.csv`` and ``summary.csv`` always; ``failures.csv`` only if runs failed. A table left by an
    earlier session that this one does not write (a failures.csv, now that nothing failed; a
    runs.parquet, now that pyarrow is gone) is removed, so what the folder holds is never out of date.
    """
    names = ["runs.parquet"] if can_write_parquet() else []
    with writing(folder):
        if names:
            write_frame(folder / "runs.parquet", result.runs, "parquet")
        names += [path.name for path in result.to_csv(folder)]
        for stale in {"runs.parquet", "failures.csv"} - set(names):
            (folder / stale).unlink(missing_ok=True)
    return names


def sweep_folder(request: Request, label: str | None = None, root: str | Path = "outputs") -> Path:
    """Where ``jobsim sweep`` stores a sweep when no folder is given: ``ROOT/sweep-<label>-<digest>``.

    The digest (ten hex digits) is a fingerprint of the whole request: the
    scenario with every value (so ``--set`` changes count), the grid, the
    replications, the seed and the policy. The same request always gives the
    same folder, so an interrupted sweep started again finds its runs; any
    other request gets another folder. ``label`` defaults to the scenario's name.
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", label or request.base.name).strip("._") or "scenario"
    return Path(root) / f"sweep-{name}-{request.digest}"


def default_folder(scenario: Scenario, grid: Mapping[str, Sequence[Any]], replications: int = 20, seed: int = 0,
                   policy: PrepPolicy | None = None, label: str | None = None, root: str | Path = "outputs") -> Path:
    """:func:`sweep_folder` of the sweep these arguments ask for (see :func:`sweep`)."""
    return sweep_folder(sweep_request(scenario, grid, replications, seed, policy, confirm=True), label, root)


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
