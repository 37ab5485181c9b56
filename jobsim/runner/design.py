"""Running a design: a list of scenario points that is no grid (Morris trajectories, Sobol or Latin hypercube samples).

:func:`run_design` is :func:`jobsim.sweep`'s machinery for a list of points:
replication ``r`` of every point uses the same random streams (common random
numbers), the runs go to the same executors (:mod:`jobsim.runner.executors`:
local processes or Dask, bit-identical to ``jobs=1``), and with ``out=DIR`` each
result is stored as it arrives in ``DIR/runs.sqlite`` beside ``DIR/manifest.json``
(:mod:`jobsim.runner.store`, marked as a design), so a stopped design started
again runs only what is missing. Used by :mod:`jobsim.gsa`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import JobsimError
from ..model.kpis import KPI_NAMES
from ..model.policies import POLICIES, PrepPolicy
from ..model.scenario import Scenario
from .checks import check_int
from .executors import check_executor, chunk_size, run_chunks
from .manifest import run_manifest, utc_now
from .pool import WorkerDied
from .progress import progress_bar
from .size import run_size
from .store import StoreWriteError, SweepStore
from .sweep import SweepError, SweepStopped, _run_task

#: Marks a manifest as a design's.
KIND = "jobsim-design"


def run_design(base: Scenario, points: Sequence[Mapping[str, Any]], replications: int = 1, seed: int = 0, *,
               jobs: int = 1, executor: str = "local", scheduler: Any = None, out: str | Path | None = None,
               progress: bool | None = None, policy: PrepPolicy | None = None, confirm: bool = False,
               label: str = "design", extra: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run ``base.replace(**point)`` for every point, ``replications`` times each; return the runs.

    * ``points``: one mapping of parameter values per design point (they are checked by building
      every point's scenario before anything runs; an error names the parameter and the point).
    * Replication ``r`` of every point is ``simulate(point, seed=seed, replication=r, tables=False)``.
    * ``jobs``, ``executor``, ``scheduler``, ``progress``, ``policy`` and ``confirm`` are as in
      :func:`jobsim.sweep`; ``out`` a folder to store the runs in (resumable); ``extra`` more manifest keys.

    Returns one row per point and replication, sorted: ``point``, ``replication``, ``seed``,
    ``run_seconds`` and every KPI. If some runs raised, :class:`~jobsim.runner.sweep.SweepError` names
    them (its ``.result`` is None); a worker that keeps dying or a store that cannot be written gives
    :class:`~jobsim.runner.sweep.SweepStopped`.
    """
    replications = check_int("replications", replications, 1)
    seed = check_int("seed", seed, 0)
    jobs = check_int("jobs", jobs, 1)
    executor = check_executor(executor, scheduler)
    points = [dict(p) for p in points]
    if not points:
        raise JobsimError("design: no points to run")
    scenarios = []
    for i, point in enumerate(points):
        try:
            scenarios.append(base.replace(**point))
        except JobsimError as err:
            raise JobsimError(f"design point {i} ({point}): {err}") from None
    total = len(points) * replications
    run_size(base.to_dict(), total, jobs).check(confirm, "pass confirm=True")
    policies = [policy if policy is not None else POLICIES[s.prep_policy] for s in scenarios]

    store, records, started = None, {}, time.time()
    if out is not None:
        manifest = run_manifest(base, seed, replication=None, grid={}, replications=replications,
                                policy=policy.name if policy is not None else None, design=points,
                                points=len(points), total_runs=total, label=label, **dict(extra or {}))
        store = SweepStore.open(out, manifest, kind=KIND)
        records = {k: r for k, r in store.read_runs().items()
                   if not r.get("error") and k[0] < len(points) and k[1] < replications}
    tasks = ((p, r, scenarios[p], seed, policies[p]) for p in range(len(points)) for r in range(replications)
             if (p, r) not in records)
    executed: list[dict[str, Any]] = []
    try:
        with progress_bar(total=total, initial=len(records), enabled=progress, unit="run", desc=label) as bar:
            def on_done(record: dict[str, Any]) -> None:
                if store is not None:
                    store.write_run(record)
                records[(record["point"], record["replication"])] = record
                executed.append(record)
                bar.update(1)

            run_chunks(_run_task, tasks, on_done, jobs=jobs, executor=executor, scheduler=scheduler,
                       size=chunk_size(total - len(records), jobs))
        if store is not None:
            wall = time.time() - started
            sessions = [*store.read_manifest().get("sessions", []),
                        {"finished_utc": utc_now().isoformat(timespec="seconds"), "jobs": jobs, "executor": executor,
                         "runs_executed": len(executed), "wall_seconds": round(wall, 3),
                         "run_seconds_sum": round(sum(r["run_seconds"] for r in executed), 3)}]
            store.update_manifest(sessions=sessions, runs_done=len(records), complete=len(records) == total)
    except (WorkerDied, StoreWriteError) as err:
        raise SweepStopped.from_error(err, records, store is not None, total, out) from None
    finally:
        if store is not None:
            store.close()
    failed = [r for r in records.values() if r.get("error")]
    if failed:
        first = sorted(failed, key=lambda r: (r["point"], r["replication"]))[0]
        raise SweepError(f"{len(failed)} of {total} runs failed: point {first['point']} replication "
                         f"{first['replication']}: {first['error']}", None)
    return design_runs(records.values(), seed)


def design_runs(records, seed: int) -> pd.DataFrame:
    """The runs frame of a design from run records: ``point``, ``replication``, ``seed``, ``run_seconds``, KPIs."""
    rows = [{"point": r["point"], "replication": r["replication"], "seed": seed,
             "run_seconds": float(r["run_seconds"]), **{k: float(r["kpis"].get(k, math.nan)) for k in KPI_NAMES}}
            for r in records if not r.get("error")]
    cols = ["point", "replication", "seed", "run_seconds", *KPI_NAMES]
    runs = pd.DataFrame(rows, columns=cols).astype({"point": "int64", "replication": "int64", "seed": "int64",
                                                    **{c: "float64" for c in cols[3:]}})
    return runs.sort_values(["point", "replication"], ignore_index=True)
