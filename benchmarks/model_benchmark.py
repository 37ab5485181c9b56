"""Speed and memory of one model run, measured against bare SimPy in the same process.

Prints, for the ``laerkevej`` scenario (or ``--scenario``):

* SimPy events processed per second by the model, and by a bare SimPy loop
  of timeouts (10 processes yielding ``env.timeout(1)``), and their ratio
  (no longer a target: desk work costs no events, so events are few and heavy);
* wall time per booked conversation, in bare-SimPy event times (target: at
  most 8; it was 20 for the second edition), from the best run against the
  best bare loop, and paired: each run against a bare loop timed just before
  it, so that the machine's drift over a minute cancels (median and range);
* peak traced memory (tracemalloc) of runs of 1 and 10 simulated years
  without tables (the model's state) and with tables (the outputs), to show
  what grows with the simulated years.

Usage: ``python benchmarks/model_benchmark.py [--scenario NAME] [--repeat 3] [--no-memory]``
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

import simpy

import jobsim
from jobsim.model.jobcenter import Jobcenter


def bare_simpy_event_seconds(events: int = 1_000_000, processes: int = 10, tries: int = 3) -> float:
    """Seconds per event of a bare SimPy loop of timeouts (best of ``tries``)."""

    def ticker(env):
        while True:
            yield env.timeout(1)

    best = float("inf")
    for _ in range(tries):
        env = simpy.Environment()
        for _ in range(processes):
            env.process(ticker(env))
        until = events // processes
        t0 = time.perf_counter()
        env.run(until=until)
        dt = time.perf_counter() - t0
        processed = next(env._eid) - len(env._queue)
        best = min(best, dt / processed)
    return best


def model_run(scenario, seed: int = 0, tables: bool = False):
    """One run: (wall seconds, events processed, booked conversations)."""
    gc.collect()
    t0 = time.perf_counter()
    model = Jobcenter(scenario, seed=seed, tables=tables).run()
    dt = time.perf_counter() - t0
    processed = next(model.env._eid) - len(model.env._queue)
    return dt, processed, model._next_booking


def peak_memory_mb(scenario, tables: bool) -> float:
    gc.collect()
    tracemalloc.start()
    Jobcenter(scenario, seed=0, tables=tables).run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="laerkevej")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-memory", action="store_true")
    args = p.parse_args(argv)

    scenario = jobsim.load_scenario(args.scenario)
    bare = bare_simpy_event_seconds()
    runs, paired = [], []
    for i in range(args.repeat):
        near = bare_simpy_event_seconds(300_000, tries=1)
        runs.append(model_run(scenario, seed=i))
        paired.append(runs[-1][0] / runs[-1][2] / near)
    best = min(runs, key=lambda r: r[0] / r[1])
    wall, events, booked = best
    model_event = wall / events
    print(f"scenario {scenario.name}: {scenario.workers} caseworkers x {scenario.caseload:g} citizens, "
          f"{scenario.run_days} days, policy {scenario.prep_policy}; jobsim {jobsim.__version__}, simpy {simpy.__version__}")
    print(f"bare SimPy:              {1 / bare:>12,.0f} events/s ({bare * 1e6:.2f} us/event)")
    print(f"model:                   {events / wall:>12,.0f} events/s ({model_event * 1e6:.2f} us/event), "
          f"{events:,} events, {wall:.3f} s (best of {args.repeat})")
    # (the first edition's target was a model event rate of at least half of bare SimPy's; desk work costs no
    # events, so events are few and heavy, and the cost per booking below is the figure that counts)
    print(f"event rate ratio:        {bare / model_event:>12.1%}   (no longer a target: events are few and heavy)")
    print(f"booked conversations:    {booked:>12,}   ({events / booked:.2f} events each)")
    per = wall / booked
    print(f"wall per conversation:   {per * 1e6:>12.1f} us = {per / bare:.1f} bare-SimPy event times "
          f"(target <= 8; the second edition's was <= 20)")
    paired.sort()
    print(f"paired with a bare loop: {statistics.median(paired):>12.1f} bare-SimPy event times per conversation "
          f"(median of {len(paired)}; range {paired[0]:.1f}-{paired[-1]:.1f})")
    if not args.no_memory:
        ten = scenario.replace(horizon_days=3640)
        for label, s in (("1 year", scenario), ("10 years", ten)):
            state = peak_memory_mb(s, tables=False)
            full = peak_memory_mb(s, tables=True)
            print(f"peak memory, {label:<8}   state only (tables=False): {state:7.1f} MiB; "
                  f"with tables: {full:7.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
