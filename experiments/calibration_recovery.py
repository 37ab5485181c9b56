"""Parameter recovery: does `jobsim calibrate` find the values a log was simulated with?

Each replication simulates the recovery scenario (Lærkevej with known no-show
mean, spread, lead-time odds ratio, SMS effect, conversation need and
punctuality; no caseworker absence, conversations not cut at the slot end)
twice, without and with SMS reminders, exports the joined appointment log,
calibrates it and records whether each 95 % interval holds the true value.
Over many replications about 95 % should (coverage, not one lucky seed).

    python experiments/calibration_recovery.py [--quick] [--replications N] [--out DIR] [--jobs N] [--lang en|da]

Writes to outputs/calibration_recovery/: recovery.csv (one row per replication
and parameter: truth, estimate, interval, covered), coverage.csv (share
covered with a 95 % Wilson interval), recovery.png/.svg, manifest.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import jobsim
from jobsim.errors import EXIT_OK
from jobsim.report.words import num, phrase
from jobsim.studies import calibration
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, write_json)

NAME = "calibration_recovery"


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, "Parameter recovery: calibrate simulated appointment logs with known truth.",
                               replications=200)
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the figure, 900 px wide, to this folder (e.g. docs/img)")
    args = parser.parse_args(argv)
    check_args(args)
    out = output_folder(args, NAME)
    t0 = time.perf_counter()
    replications = args.replications or (6 if args.quick else 200)
    scenario = calibration.recovery_scenario()
    frame = calibration.recovery(replications, seed=args.seed, scenario=scenario, jobs=args.jobs)
    frame.to_csv(out / "recovery.csv", index=False)
    rows = [{"parameter": c.parameter, "covered": c.hits, "replications": c.replications, "share": c.share,
             "wilson_low": c.wilson()[0], "wilson_high": c.wilson()[1]} for c in calibration.coverage(frame)]
    pd.DataFrame(rows).to_csv(out / "coverage.csv", index=False)
    for r in rows:
        print(f"{r['parameter']:26s} covered {r['covered']:4d} of {r['replications']} = {r['share']:.1%} "
              f"(95% CI {r['wilson_low']:.1%} to {r['wilson_high']:.1%})")
    text = phrase("recovery_caption", args.lang, scenario=scenario.name, n=num(replications, args.lang),
                  seed=args.seed, bookings=num(frame["bookings"].mean(), args.lang), version=jobsim.__version__)
    fig = calibration.recovery_figure(frame, args.lang, caption_text=text)
    files = ["recovery.csv", "coverage.csv"] + save_figure(fig, out, "recovery")
    if args.docs_img is not None:
        downscale_png(out / "recovery.png", args.docs_img / "calibration_recovery.png")
    manifest = experiment_manifest(NAME, scenario, args, argv, seed=args.seed, replications=replications,
                                   grid={}, wall_seconds=time.perf_counter() - t0, files=files + ["manifest.json"],
                                   truth=calibration.TRUTH)
    write_json(out / "manifest.json", manifest)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
