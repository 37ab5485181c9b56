"""Running a design: a list of scenario points that is no grid (Morris trajectories, Sobol or Latin hypercube samples).

:func:`run_design` builds the :class:`~jobsim.runner.engine.Request` of a list of points and
runs it through the engine (:mod:`jobsim.runner.engine`) with a sweep's run function
(:func:`jobsim.runner.sweep.run_kpis`): replication ``r`` of every point uses the same random
streams (common random numbers), the runs go to the same executors (local processes or Dask,
bit-identical to ``jobs=1``), and with ``out=DIR`` each result is stored as it arrives in
``DIR/runs.sqlite`` beside ``DIR/manifest.json`` (:mod:`jobsim.runner.store`, marked as a design),
so a stopped design started again runs only what is missing. Used by :mod:`jobsim.gsa`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import JobsimError
from ..model.kpis import KPI_NAMES
from ..model.policies import PrepPolicy
from ..model.scenario import Scenario
from .checks import check_int
from .engine import Request, run_request
from .manifest import run_manifest
from .size import run_size
from .sweep import run_kpis

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
    ``run_seconds`` and every KPI. If some runs raised, :class:`~jobsim.runner.engine.SweepError` names
    them (its ``.result`` is this table of the successful runs); a worker that keeps dying or a store
    that cannot be written gives :class:`~jobsim.runner.engine.SweepStopped`.
    """
    replications = check_int("replications", replications, 1)
    seed = check_int("seed", seed, 0)
    jobs = check_int("jobs", jobs, 1)
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
    # the request keys of a design: grid {} and the points themselves (see jobsim.runner.store.request_of)
    manifest = run_manifest(base, seed, replication=None, grid={}, replications=replications,
                            policy=policy.name if policy is not None else None, design=points,
                            points=len(points), total_runs=total, label=label, **dict(extra or {}))
    request = Request(base, tuple(scenarios), replications, seed, policy, manifest, grid={}, kind=KIND, label=label)
    return run_request(request, run_kpis, lambda records: design_runs(records.values(), seed), jobs=jobs,
                       executor=executor, scheduler=scheduler, out=out, progress=progress)


def design_runs(records: Iterable[Mapping[str, Any]], seed: int) -> pd.DataFrame:
    """The runs frame of a design from run records: ``point``, ``replication``, ``seed``, ``run_seconds``, KPIs."""
    rows = [{"point": r["point"], "replication": r["replication"], "seed": seed,
             "run_seconds": float(r["run_seconds"]), **{k: float(r["kpis"].get(k, math.nan)) for k in KPI_NAMES}}
            for r in records if not r.get("error")]
    cols = ["point", "replication", "seed", "run_seconds", *KPI_NAMES]
    runs = pd.DataFrame(rows, columns=cols).astype({"point": "int64", "replication": "int64", "seed": "int64",
                                                    **{c: "float64" for c in cols[3:]}})
    return runs.sort_values(["point", "replication"], ignore_index=True)
