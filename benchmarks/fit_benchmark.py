"""Time the time-budget fit (jobsim fit) on 2 local processes and on a 2-worker Dask LocalCluster, and estimate
what 100 workers would take.

By default the fit of the size that ships (``jobsim.fit.abc.FULL``: 4 batches of 50 particles, each run a team
of 4 over 26 weeks at 82 cases); ``--quick`` times the quick fit instead. For each executor it prints the runs,
the wall time, how busy the workers were (the sum of the tasks' own times over wall time x workers) and whether
the posterior is the same bit for bit.

The 100-worker figure is an estimate, not a measurement: each task samples until one particle is accepted, so
its runs are geometric with the measured acceptance; a batch of N tasks on W workers lasts as long as its
busiest worker (greedy scheduling, simulated 2,000 times with the measured mean seconds per run). A batch
offers only N tasks at once, so with N = 50 at most 50 of 100 workers are ever busy: the estimate is also
given for the same 200 particles as one batch of 200, and for one batch of 400 (twice the posterior).

    python benchmarks/fit_benchmark.py [--quick] [--jobs 2] [--skip-dask]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import jobsim
from jobsim.fit.abc import FULL, QUICK, fit


def makespan(tasks: int, workers: int, acceptance: float, seconds_per_run: float, rng: np.random.Generator) -> float:
    """Wall seconds of one batch of ``tasks`` tasks (geometric runs each) on ``workers`` workers, greedy."""
    runs = rng.geometric(acceptance, size=tasks) * seconds_per_run
    free = np.zeros(min(workers, tasks))
    for r in runs:
        i = int(np.argmin(free))
        free[i] += r
    return float(free.max())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="time the quick fit instead of the shipped size")
    p.add_argument("--jobs", type=int, default=2, help="local processes, and Dask workers (default 2)")
    p.add_argument("--skip-dask", action="store_true", help="time only the local processes")
    args = p.parse_args(argv)
    size = QUICK if args.quick else FULL
    print(f"jobsim {jobsim.__version__}: fit of {size.batches} batch(es) x {size.population} particles, runs of "
          f"{size.changes}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    measured = {}
    with tempfile.TemporaryDirectory() as tmp:
        executors = [("local", None)] + ([] if args.skip_dask else [("dask", "cluster")])
        for name, _ in executors:
            out = Path(tmp) / name
            t0 = time.perf_counter()
            if name == "local":
                fit(out, size, jobs=args.jobs)
            else:
                import distributed

                with distributed.LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True,
                                              dashboard_address=None) as cluster:
                    t0 = time.perf_counter()   # the cluster's start-up is not the fit's
                    fit(out, size, executor="dask", scheduler=cluster)
            wall = time.perf_counter() - t0
            manifest = json.loads((out / "manifest.json").read_text())
            busy = manifest["busy_seconds_last_session"] / (wall * args.jobs)
            measured[name] = (wall, manifest["runs"], manifest["busy_seconds_last_session"], (out / "posterior.csv").read_bytes())
            print(f"{name:>5} ({args.jobs} {'processes' if name == 'local' else 'workers'}): {manifest['runs']} runs in "
                  f"{wall:.1f} s wall ({manifest['busy_seconds_last_session'] / manifest['runs']:.3f} s per run in a task); "
                  f"workers busy {busy:.0%}")
    if "dask" in measured:
        same = measured["local"][3] == measured["dask"][3]
        print(f"same posterior on both: {'yes' if same else 'NO'}; dask/local wall: "
              f"{measured['dask'][0] / measured['local'][0]:.2f}")
    wall, runs, busy_s, _ = measured["local"]
    accepted = size.population * size.batches
    acceptance, per_run = accepted / runs, busy_s / runs
    rng = np.random.default_rng(0)
    for population, batches in ((size.population, size.batches), (accepted, 1), (400, 1)):
        spans = [sum(makespan(population, 100, acceptance, per_run, rng) for _ in range(batches))
                 for _ in range(2000)]
        print(f"estimate, 100 workers, {batches} batch(es) of {population}: {np.mean(spans):.0f} s "
              f"(90% of simulated fits under {np.quantile(spans, 0.9):.0f} s); acceptance {acceptance:.4f}, "
              f"{per_run:.3f} s per run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
