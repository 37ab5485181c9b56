"""Cost per booked conversation against team size: is the model's cost flat in the number of caseworkers?

Runs ``ds_norm`` at 82 cases (``--caseload``) with 10 and with 500 caseworkers
(``--workers``), ``tables=False``, and prints the wall time per booked
conversation for each and the ratio to the smallest team (target: at most
1.3 at 500 caseworkers against 10). CPU time is printed too: on a shared
machine wall time says little. Each team size runs ``--repeat`` times, and
small teams more often (up to 40 runs, until 200,000 bookings), because a
run of 10 caseworkers is short enough to be thrown off by a busy moment of the
machine; the best is kept.

Usage: ``python benchmarks/team_size_benchmark.py [--workers 10 100 500] [--days 182] [--repeat 2]``
"""

from __future__ import annotations

import argparse
import gc
import time

import jobsim
from jobsim.model.jobcenter import Jobcenter


def per_booking(workers: int, caseload: float, days: int, repeat: int) -> tuple[float, float, int]:
    """(best wall µs, best CPU µs) per booked conversation, and the bookings of one run."""
    scenario = jobsim.load_scenario("ds_norm").replace(workers=workers, caseload=caseload, horizon_days=days)
    best_wall = best_cpu = float("inf")
    bookings = 0
    runs = 0
    while runs < repeat or (runs < 40 and runs * bookings < 200_000):   # small teams: enough runs to time
        runs += 1
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        model = Jobcenter(scenario, seed=0, tables=False).run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        bookings = model._next_booking
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        del model   # freed outside the timed run, so one run's clean-up is not counted in the next
    return 1e6 * best_wall / bookings, 1e6 * best_cpu / bookings, bookings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--caseload", type=float, default=82.0)
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    base = None
    per_booking(10, args.caseload, 28, 1)   # warm up: imports, first-call costs
    print(f"ds_norm at {args.caseload:g} cases, {args.days} days after the warm-up, tables=False, best of {args.repeat}")
    for w in args.workers:
        wall, cpu, n = per_booking(w, args.caseload, args.days, args.repeat)
        base = base or cpu
        print(f"{w:>5} caseworkers: {n:>9,} bookings, {wall:6.1f} us wall, {cpu:6.1f} us CPU per booking; "
              f"CPU ratio to {args.workers[0]}: {cpu / base:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
