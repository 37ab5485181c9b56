"""How long `jobsim calibrate` takes on a big appointment log (target: 100,000 bookings in under a minute).

Simulates the Lærkevej team scaled up (``--workers``, default 100: about
100,000 held or missed bookings in a year, with a lead-time effect so the
full no-show model is fitted), writes its appointment log as CSV, then times
reading and checking it and each estimator. Prints the bookings, citizens,
seconds per step and in all. Speed is printed, never asserted.

Usage: ``python benchmarks/calibrate_benchmark.py [--workers 100] [--seed 0]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import jobsim
from jobsim.calibrate.log import read_appointment_log
from jobsim.calibrate.noshow import noshow_estimates
from jobsim.calibrate.times import conversation_estimates, punctuality_estimates
from jobsim.runner.eventlog import appointment_log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100, help="caseworkers (100: about 100,000 bookings a year)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    scenario = jobsim.load_scenario("laerkevej", workers=args.workers, absence_share=0.0,
                                    noshow_lead_odds_ratio=2.0, overrun=True)
    t0 = time.perf_counter()
    result = jobsim.simulate(scenario, seed=args.seed)
    print(f"simulated {args.workers} caseworkers for {scenario.horizon_days} days in "
          f"{time.perf_counter() - t0:.1f} s (not part of calibration)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "appointment_log.csv"
        appointment_log(result).to_csv(path, index=False)
        steps = {}
        t = time.perf_counter()
        log = read_appointment_log(path)
        steps["read and check the log"] = time.perf_counter() - t
        for name, estimator in (("no-shows (beta-binomial and the model fit)", noshow_estimates),
                                ("conversation minutes", conversation_estimates),
                                ("punctuality", punctuality_estimates)):
            t = time.perf_counter()
            estimator(log)
            steps[name] = time.perf_counter() - t
    print(f"log: {log.bookings:,} bookings, {log.citizens:,} citizens")
    for name, seconds in steps.items():
        print(f"  {name:45s} {seconds:6.1f} s")
    print(f"calibration in all: {sum(steps.values()):.1f} s (target: under 60 s for 100,000 bookings on 2 cores)")


if __name__ == "__main__":
    main()
