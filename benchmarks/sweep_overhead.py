"""The sweep's cost beyond its simulations: wall time against the sum of the simulate() times, local and Dask.

Runs the same sweep (``ds_norm``, a team of ``--workers`` over ``--days``
days, caseloads 40..220 x ``--replications``) three ways: ``jobs=1`` in this
process, ``--jobs`` local worker processes, and a Dask ``LocalCluster`` of
``--jobs`` single-threaded worker processes (if Dask is installed). For each it prints

* wall time, and the sum of the runs' own ``simulate()`` times (``run_seconds``);
* efficiency = sum of run times / (wall time x processes): 100% means the
  machinery costs nothing; the target is within 10% (efficiency at least 90%).

Every run is stored (``out`` in a temporary folder), as ``jobsim sweep`` does.
On a machine shared with other work the run times themselves grow with the
load, so read the efficiency rather than the seconds.

    python benchmarks/sweep_overhead.py [--jobs 2] [--replications 30] [--workers 10] [--days 364]

The defaults (120 one-year runs of 10 caseworkers, about 0.2 s each) are the runs of a sensitivity
design; a sweep of a few dozen runs of a few tens of milliseconds is dominated by starting the
processes and the store, which this benchmark does not try to hide: give smaller values to see it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import jobsim


def _measure(label: str, processes: int, **kw) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = jobsim.sweep(out=Path(tmp) / "s", progress=False, **kw)
        wall = time.perf_counter() - t0
    total = float(result.runs["run_seconds"].sum())
    print(f"{label:<28} wall {wall:7.2f} s   sum of run times {total:7.2f} s   runs {len(result.runs):4d}   "
          f"efficiency {total / (wall * processes):6.1%}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jobs", type=int, default=2, help="processes for the parallel runs (default 2)")
    p.add_argument("--replications", type=int, default=30, help="replications per caseload (default 30)")
    p.add_argument("--workers", type=int, default=10, help="caseworkers in the team (default 10)")
    p.add_argument("--days", type=int, default=364, help="measured days per run (default 364)")
    p.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster")
    args = p.parse_args(argv)
    base = jobsim.load_scenario("ds_norm", workers=args.workers, horizon_days=args.days)
    request = {"scenario": base, "grid": {"caseload": [40, 100, 160, 220]}, "replications": args.replications}
    print(f"jobsim {jobsim.__version__}: ds_norm, {args.workers} caseworkers, {args.days} days, 4 caseloads x "
          f"{args.replications} replications; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    # warm-up: the first sweep of a process imports pandas and pyarrow and asks git for the commit (seconds)
    with tempfile.TemporaryDirectory() as tmp:
        jobsim.sweep(base.replace(horizon_days=7, warmup_days=0), {}, replications=1, out=Path(tmp) / "w",
                     progress=False)
    _measure("jobs=1 (this process)", 1, **request, jobs=1)
    _measure(f"local, jobs={args.jobs}", args.jobs, **request, jobs=args.jobs)
    if not args.no_dask:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("Dask LocalCluster: skipped (pip install \"jobsim[dask]\")")
            return 0
        with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(lambda: __import__("jobsim.runner.sweep"))  # workers import jobsim before the clock starts
            _measure(f"Dask LocalCluster, {args.jobs} workers", args.jobs, **request, executor="dask",
                     scheduler=client)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
