"""Time a Morris screening of 20 assumptions and extrapolate to the full design (target: under 10 minutes on 2 cores).

The target design: 20 parameters of ``jobsim/gsa/ranges.toml``, r = 20
trajectories (420 points), 5 replications each (2,100 runs), one simulated
year of 10 caseworkers at 82 cases (``ds_norm``). By default this script runs
a *reduced* version of it (``--trajectories 2 --replications 1``: 42 runs of
the same scenario) and extrapolates the wall time linearly in the number of
runs, which holds because every run of the design costs about the same (the
sweep's own overhead is measured by ``benchmarks/sweep_overhead.py``). Give
``--trajectories 20 --replications 5`` to time the whole design.

    python benchmarks/morris_benchmark.py [--jobs 2] [--trajectories 2] [--replications 1]
"""

from __future__ import annotations

import argparse
import os
import time

import jobsim
from jobsim.gsa import load_ranges

FULL_TRAJECTORIES, FULL_REPLICATIONS, PARAMETERS = 20, 5, 20


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    p.add_argument("--trajectories", type=int, default=2, help="Morris trajectories r (default 2; target 20)")
    p.add_argument("--replications", type=int, default=1, help="replications per point (default 1; target 5)")
    args = p.parse_args(argv)
    names = list(load_ranges())[:PARAMETERS]
    base = jobsim.load_scenario("ds_norm", caseload=82)
    points = args.trajectories * (len(names) + 1)
    runs = points * args.replications
    full_runs = FULL_TRAJECTORIES * (len(names) + 1) * FULL_REPLICATIONS
    print(f"jobsim {jobsim.__version__}: Morris over {len(names)} parameters, r = {args.trajectories} "
          f"({points} points) x {args.replications} replications = {runs} runs of ds_norm at 82 cases "
          f"({base.workers} caseworkers, {base.horizon_days} days), jobs={args.jobs}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    t0 = time.perf_counter()
    result = jobsim.sensitivity(base, "morris", parameters=names, size=args.trajectories,
                                replications=args.replications, jobs=args.jobs, progress=False)
    wall = time.perf_counter() - t0
    run_seconds = float(result.runs["run_seconds"].sum())
    print(f"wall time:            {wall:8.1f} s for {runs} runs ({wall / runs:.3f} s per run)")
    print(f"sum of run times:     {run_seconds:8.1f} s (mean {run_seconds / runs:.3f} s per run; efficiency "
          f"{run_seconds / (wall * args.jobs):.0%})")
    scale = full_runs / runs
    print(f"full design:          {full_runs} runs; {'measured' if scale == 1 else 'extrapolated'}: "
          f"{wall * scale / 60:8.1f} minutes (target 10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
