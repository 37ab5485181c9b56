"""jobsim's CPU per booked conversation against a hand-written, idiomatic SimPy model of the same slots.

The anchor (:func:`anchor_run`, about a hundred lines) is what a SimPy user would write for the core of
jobsim's story and nothing more:

* arrivals are a process: citizens enter as a Poisson stream (and the caseload is pre-filled at the start,
  due dates spread over one interval) and go to the caseworker with the fewest citizens;
* each citizen is a process: book the earliest free slot no earlier than ``booking_lead_days`` before the
  due day, wait for it, do not come (``noshow_probability``; rebooked ``rebook_days`` later) or arrive with
  the punctuality noise, check in, wait for the caseworker, who skims the case for at most
  ``checkin_prep_minutes``, talk until the need is met or the slot is over, then book the next one
  ``interval_days`` on; the stay is exponential (mean ``stay_days``) and the citizen leaves when it ends;
* each caseworker is a ``simpy.Resource`` of capacity 1 with a diary of ``slots_per_day`` slots on weekdays.

It leaves out everything else jobsim models: desk work (preparation ahead, documentation, casework with
deadlines), absence, heterogeneous propensities and lead effects, policies, groups, the ledger and its KPIs.
A freed slot (a citizen who left) is not offered again. So the ratio printed is the price of all that plus
jobsim's engine; the engine issue asks for at most 1.0 on ``laerkevej`` with ``tables=False``.

Both models count a "booked conversation" the same way: every booking made (held, missed, withdrawn or still
ahead at the end). Timing is CPU time (``time.process_time``), in pairs run back to back in this process,
anchor then jobsim, so the machine's drift over a minute cancels; the median and range of the pairs' ratios
are printed.

Usage: ``python benchmarks/simpy_anchor.py [--scenario laerkevej] [--pairs 7] [--tables]``
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import time

import numpy as np
import simpy

import jobsim
from jobsim.model.jobcenter import Jobcenter

DAY = 24 * 60          # minutes in a day
FIRST_SLOT = 9 * 60    # the first slot of a day starts at 9:00


def anchor_run(s: jobsim.Scenario, seed: int = 0) -> int:
    """Run the hand-written model for scenario ``s``'s team, volume and times; return the bookings made."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    caseworkers = [simpy.Resource(env, capacity=1) for _ in range(s.workers)]
    loads = [0] * s.workers                       # citizens on each caseworker's caseload
    diaries = [{} for _ in range(s.workers)]      # day -> slots taken that day (filled in order)
    full_before = [0] * s.workers                 # every weekday before this one is full
    slot_starts = [FIRST_SLOT + k * s.slot_minutes for k in range(s.slots_per_day)]
    bookings = 0

    def lognormal(mean: float, cv: float) -> float:
        sigma2 = math.log1p(cv * cv)
        return float(rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2)))

    def book(w: int, day: int) -> float:
        """The start (minutes) of the earliest free slot of caseworker ``w`` from ``day`` on, now taken."""
        nonlocal bookings
        bookings += 1
        diary, day = diaries[w], max(day, full_before[w])
        while True:
            taken = diary.get(day, 0)
            if day % 7 < 5 and taken < s.slots_per_day:
                diary[day] = taken + 1
                return day * DAY + slot_starts[taken]
            if day == full_before[w]:
                full_before[w] += 1
            day += 1

    def citizen(w: int, due_day: int, leaves_at: float):
        """One citizen's path: book, wait for the slot, come or not, talk, book the next one; leave."""
        while True:
            today = int(env.now // DAY)
            start = book(w, max(today + 1, due_day - s.booking_lead_days))
            if start >= leaves_at:                       # the stay ends before the slot
                break
            yield env.timeout(start - env.now)
            if rng.random() < s.noshow_probability:      # does not come: rebooked
                due_day = int(start // DAY) + s.rebook_days
                continue
            arrival = start + rng.normal(s.punctuality_mean_minutes, s.punctuality_sd_minutes)
            if arrival > env.now:
                yield env.timeout(arrival - env.now)
            with caseworkers[w].request() as turn:       # checked in: wait for the caseworker
                yield turn
                skim = min(s.checkin_prep_minutes, lognormal(s.prep_minutes, s.prep_cv))
                left = start + s.slot_minutes - env.now - skim
                talk = min(lognormal(s.conversation_minutes, s.conversation_cv), max(left, 0.0))
                yield env.timeout(skim + talk)
            due_day = int(env.now // DAY) + s.interval_days
        if leaves_at > env.now:
            yield env.timeout(leaves_at - env.now)
        loads[w] -= 1

    def enter(due_day: int) -> None:
        w = min(range(s.workers), key=loads.__getitem__)
        loads[w] += 1
        env.process(citizen(w, due_day, env.now + rng.exponential(s.stay_days * DAY)))

    def arrivals():
        gap = s.stay_days * DAY / (s.caseload * s.workers)   # Little's law: the caseload stays at its mean
        while True:
            yield env.timeout(rng.exponential(gap))
            enter(int(env.now // DAY) + s.first_meeting_days)

    for _ in range(round(s.caseload * s.workers)):           # the steady-state pre-fill
        enter(int(rng.integers(1, s.interval_days + 1)))
    env.process(arrivals())
    env.run(until=(s.warmup_days + s.horizon_days) * DAY)
    return bookings


def jobsim_run(s: jobsim.Scenario, seed: int, tables: bool) -> int:
    """One jobsim run; returns the bookings made."""
    return Jobcenter(s, seed=seed, tables=tables).run()._next_booking


def cpu_per_booking(run, *args) -> tuple[float, int]:
    """(CPU seconds per booking, bookings) of one call of ``run(*args)``."""
    gc.collect()
    t0 = time.process_time()
    bookings = run(*args)
    return (time.process_time() - t0) / bookings, bookings


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="laerkevej")
    p.add_argument("--pairs", type=int, default=7, help="anchor/jobsim pairs, run back to back (default 7)")
    p.add_argument("--tables", action="store_true", help="jobsim keeps its tables (default: tables=False)")
    args = p.parse_args(argv)
    s = jobsim.load_scenario(args.scenario)
    print(f"scenario {s.name}: {s.workers} caseworkers x {s.caseload:g} citizens, {s.run_days} days; "
          f"jobsim {jobsim.__version__}, simpy {simpy.__version__}, tables={args.tables}")
    ratios, anchor_us, jobsim_us = [], [], []
    for i in range(args.pairs):
        a, a_n = cpu_per_booking(anchor_run, s, i)
        j, j_n = cpu_per_booking(jobsim_run, s, i, args.tables)
        ratios.append(j / a)
        anchor_us.append(a * 1e6)
        jobsim_us.append(j * 1e6)
        print(f"  pair {i + 1}: anchor {a * 1e6:6.2f} us ({a_n:,} bookings), jobsim {j * 1e6:6.2f} us "
              f"({j_n:,} bookings): {j / a:.2f}x")
    ratios.sort()
    print(f"anchor, CPU per booked conversation: {statistics.median(anchor_us):.2f} us (median)")
    print(f"jobsim, CPU per booked conversation: {statistics.median(jobsim_us):.2f} us (median)")
    print(f"jobsim / anchor: {statistics.median(ratios):.2f}x (median of {len(ratios)} pairs; "
          f"range {ratios[0]:.2f}-{ratios[-1]:.2f}); target <= 1.0 for laerkevej with tables=False")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
