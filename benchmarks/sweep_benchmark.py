"""Time the default caseload sweep: caseload 40..220 step 20 x 4 policies x 20 replications.

That is 10 x 4 x 20 = 800 runs of the default team (10 caseworkers, one
simulated year after the warm-up). Prints the wall time, runs per second and
the peak resident memory of this process and of its worker processes
(``resource.getrusage`` with RUSAGE_SELF and RUSAGE_CHILDREN; on Linux
``ru_maxrss`` is in kilobytes, and RUSAGE_CHILDREN gives the largest single
child, not the sum).

    python benchmarks/sweep_benchmark.py [--jobs 2] [--replications 20] [--out DIR]

Without ``--out`` the sweep is kept in memory only; with it, it is stored (and
a second call with the same folder measures a resume that runs nothing).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import jobsim
import jobsim.runner.store
from jobsim.policies import BUILTIN_POLICIES


def _max_rss_mb(who: int) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024  # bytes on macOS, kB elsewhere


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--replications", type=int, default=20, help="replications per grid point (default 20)")
    p.add_argument("--out", type=Path, default=None, help="store the sweep in this folder (default: memory only)")
    args = p.parse_args(argv)

    scenario = jobsim.Scenario()
    grid = {"caseload": list(range(40, 221, 20)), "prep_policy": list(BUILTIN_POLICIES)}
    runs = 10 * len(BUILTIN_POLICIES) * args.replications
    print(f"jobsim {jobsim.__version__}: default scenario ({scenario.workers} workers, {scenario.warmup_days} + "
          f"{scenario.horizon_days} days), caseload 40..220 step 20 x {len(BUILTIN_POLICIES)} policies x "
          f"{args.replications} replications = {runs} runs, --jobs {args.jobs}, {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    result = jobsim.sweep(scenario, grid, replications=args.replications, jobs=args.jobs, out=args.out)
    wall = time.perf_counter() - t0
    seconds = result.runs["run_seconds"]
    executed = len(result.runs)
    if args.out is not None:  # a folder may hold runs from before: count only those run now
        executed = jobsim.runner.store.SweepStore.read(args.out).read_manifest()["sessions"][-1]["runs_executed"]
    print(f"wall time:         {wall:8.1f} s")
    print(f"runs/s:            {executed / wall:8.2f}   ({executed} runs executed now, "
          f"{len(result.runs) - executed} stored before)")
    print(f"run time per run:  {seconds.mean():8.3f} s mean, {seconds.max():.3f} s max "
          f"(caseload 220: {seconds[result.runs['caseload'] == 220].mean():.3f} s mean)")
    print(f"peak RSS, parent:  {_max_rss_mb(resource.RUSAGE_SELF):8.1f} MB")
    print(f"peak RSS, worker:  {_max_rss_mb(resource.RUSAGE_CHILDREN):8.1f} MB (largest child process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
