"""A Copenhagen-sized organisation: time, cost per booking and peak memory of one run of a very large team.

For ``ds_norm`` at 82 cases (``--caseload``) and ``laerkevej`` (its own 220
cases), each with ``--workers`` caseworkers (default 1,500) for ``--days``
measured days (default 364, one year, after the scenario's warm-up), without
tables (``tables=False``, as sweeps run) and with them (as ``jobsim run``),
this prints:

* wall time and CPU time of the run (``simulate()``: the model, and building
  the tables where they are kept), in seconds;
* booked conversations, and CPU µs per booking;
* the ratio of that cost to a team of ``--small`` caseworkers (default 10) of
  the same scenario and tables setting, measured in the same process just
  before (best of several runs, until 200,000 bookings, so a busy moment of
  the machine does not decide it);
* peak memory: the child process's own ``ru_maxrss`` (peak resident set, as
  the kernel counts it: Python and jobsim's imports included), after the
  run, and the same before the big run (imports and the small team), so the
  difference is what the big run added.

Each configuration runs in a fresh child process (this script with
``--child``), so one configuration's memory does not count in the next's. A
1,500-caseworker year takes minutes per configuration; to check that the
script works, use ``--workers 150 --days 28``.

Usage: ``python benchmarks/large_team_benchmark.py [--workers 1500] [--days 364] [--caseload 82]
[--scenarios ds_norm laerkevej] [--small 10]``
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time

#: ``ru_maxrss`` is in kilobytes on Linux, in bytes on macOS.
_MAXRSS_BYTES = 1 if sys.platform == "darwin" else 1024


def _peak_bytes() -> int:
    """This process's peak resident set so far, in bytes (``getrusage(RUSAGE_SELF).ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _MAXRSS_BYTES


def _one_run(scenario, tables: bool) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, booked conversations) of one ``simulate()``-equivalent run."""
    from jobsim.model.jobcenter import Jobcenter
    from jobsim.runner.simulate import collect

    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    model = Jobcenter(scenario, seed=0, tables=tables).run()
    collect(model)  # what simulate() adds: the KPIs and, with tables, the DataFrames
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, model._next_booking   # the booking counter: every booking made in the run


def child(config: dict) -> dict:
    """Measure one configuration in this (fresh) process: the small team first, then the large one."""
    import jobsim

    base = jobsim.load_scenario(config["scenario"]).replace(horizon_days=config["days"])
    if config["caseload"] is not None:
        base = base.replace(caseload=config["caseload"])
    small = base.replace(workers=config["small"])
    _one_run(small.replace(horizon_days=28), config["tables"])   # warm up: first-call costs
    best_cpu, runs, bookings = float("inf"), 0, 0
    while runs < 3 or (runs < 40 and runs * bookings < 200_000):
        _, cpu, bookings = _one_run(small, config["tables"])
        best_cpu, runs = min(best_cpu, cpu), runs + 1
    small_us = 1e6 * best_cpu / bookings
    before = _peak_bytes()
    wall, cpu, big_bookings = _one_run(base.replace(workers=config["workers"]), config["tables"])
    return {**config, "wall": wall, "cpu": cpu, "bookings": big_bookings, "us": 1e6 * cpu / big_bookings,
            "small_us": small_us, "small_runs": runs, "peak_before": before, "peak": _peak_bytes(),
            "citizens": round(config["workers"] * base.caseload)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1500)
    parser.add_argument("--days", type=int, default=364, help="measured days after the warm-up (default 364)")
    parser.add_argument("--caseload", type=float, default=82.0, help="ds_norm's caseload (default 82)")
    parser.add_argument("--scenarios", nargs="+", default=["ds_norm", "laerkevej"])
    parser.add_argument("--small", type=int, default=10, help="the small team the cost is compared with")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    print(f"{args.workers:,} caseworkers, {args.days} measured days after each scenario's warm-up; each line one "
          f"fresh process; ratio: CPU per booking against {args.small} caseworkers in the same process; peak: "
          "the child's own ru_maxrss (imports included), before the big run -> after it")
    for name in args.scenarios:
        for tables in (False, True):
            config = {"scenario": name, "caseload": args.caseload if name == "ds_norm" else None,
                      "workers": args.workers, "days": args.days, "tables": tables, "small": args.small}
            res = subprocess.run([sys.executable, __file__, "--child", json.dumps(config)], capture_output=True,
                                 text=True, check=False)
            if res.returncode != 0:
                print(f"{name} tables={tables}: the child failed ({res.returncode}): {res.stderr.strip()}")
                continue
            r = json.loads(res.stdout)
            print(f"{name:<9} tables={str(tables):<5}  {r['citizens']:>9,} citizens  {r['bookings']:>10,} bookings  "
                  f"wall {r['wall']:7.1f} s  CPU {r['cpu']:7.1f} s  {r['us']:5.1f} us CPU/booking  "
                  f"ratio to {args.small}: {r['us'] / r['small_us']:4.2f} ({r['small_us']:.1f} us, best of "
                  f"{r['small_runs']})  peak {r['peak_before'] / 2**20:,.0f} -> {r['peak'] / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
