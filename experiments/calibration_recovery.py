"""Parameter recovery: does `jobsim calibrate` find the values a log was simulated with?

Two kinds of log, each replication calibrated and checked for whether each
95 % interval holds the true value; over many replications about 95 % should
(coverage, not one lucky seed):

* **model** logs: the recovery scenario (Lærkevej with known no-show mean,
  spread, lead-time odds ratio per 30 days, SMS effect, conversation need and
  punctuality; no caseworker absence, conversations not cut at the slot end)
  run twice, without and with SMS reminders, the appointment logs joined;
* **realistic** logs shaped like a public outpatient log: same-day bookings,
  odds by lead band, reminders for half the bookings at random within lead
  (:func:`jobsim.studies.calibration.realistic_log`).

    python experiments/calibration_recovery.py [--logs model|realistic|both] [--quick] [--replications N]
        [--realistic-replications N] [--out DIR] [--jobs N] [--lang en|da]

Writes to outputs/calibration_recovery/: recovery.csv (one row per replication
and parameter: truth, estimate, interval, covered), coverage.csv (share
covered with a 95 % Wilson interval), coverage_table.txt (the markdown table docs/appointment_log.md shows),
recovery.png/.svg for the model logs;
realistic_recovery.csv (with ``written``: the value is a setting of the
fragment), realistic_coverage.csv, realistic_coverage_table.txt, realistic_recovery.png/.svg for the
realistic ones; manifest.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
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
    parser.add_argument("--logs", choices=("model", "realistic", "both"), default="both",
                        help="which logs to calibrate: the model's own (Lærkevej), realistic outpatient-like ones, "
                        "or both (default)")
    parser.add_argument("--realistic-replications", type=int, default=None,
                        help="replications of the realistic logs (default: as --replications)")
    args = parser.parse_args(argv)
    check_args(args)
    if args.realistic_replications is not None and args.realistic_replications < 2:
        raise JobsimError(f"--realistic-replications: {args.realistic_replications} is too few for a coverage; "
                          "use 2 or more")
    out = output_folder(args, NAME)
    t0 = time.perf_counter()
    replications = args.replications or (6 if args.quick else 200)
    files, truth = [], {}
    scenario = calibration.recovery_scenario()
    if args.logs in ("model", "both"):
        frame = calibration.recovery(replications, seed=args.seed, scenario=scenario, jobs=args.jobs)
        files += _write(frame, out, "", args, phrase("recovery_caption", args.lang, scenario=scenario.name,
                                                     n=num(replications, args.lang), seed=args.seed,
                                                     bookings=num(frame["bookings"].mean(), args.lang),
                                                     version=jobsim.__version__))
        truth["model"] = calibration.TRUTH
    if args.logs in ("realistic", "both"):
        n = args.realistic_replications or replications
        citizens = 1000 if args.quick else 3000
        frame = calibration.realistic_recovery(n, seed=args.seed, citizens=citizens, jobs=args.jobs)
        written = frame.groupby("seed")["written"].all()
        print(f"realistic logs: every value written in {int(written.sum())} of {len(written)} replications")
        files += _write(frame, out, "realistic_", args, phrase(
            "recovery_caption_realistic", args.lang, n=num(n, args.lang), seed=args.seed,
            bookings=num(frame["bookings"].mean(), args.lang), version=jobsim.__version__))
        truth["realistic"] = calibration.REALISTIC_TRUTH
    manifest = experiment_manifest(NAME, scenario, args, argv, seed=args.seed, replications=replications,
                                   grid={}, wall_seconds=time.perf_counter() - t0, files=files + ["manifest.json"],
                                   truth=truth.get("model", truth.get("realistic")), truths=truth)
    write_json(out / "manifest.json", manifest)
    return EXIT_OK


def _write(frame: pd.DataFrame, out: Path, prefix: str, args, caption_text: str) -> list[str]:
    """The recovery table, its coverage table (printed too) and figure, with ``prefix``; the file names."""
    frame.to_csv(out / f"{prefix}recovery.csv", index=False)
    rows = [{"parameter": c.parameter, "covered": c.hits, "replications": c.replications, "share": c.share,
             "wilson_low": c.wilson()[0], "wilson_high": c.wilson()[1]} for c in calibration.coverage(frame)]
    pd.DataFrame(rows).to_csv(out / f"{prefix}coverage.csv", index=False)
    shapes = frame.groupby("seed")["shape"].first().value_counts()
    print(("realistic logs: " if prefix else "") + "lead shape written: " +
          ", ".join(f"{k} in {v}" for k, v in shapes.items()) + f" of {shapes.sum()} logs")
    truth_shape = "bands" if prefix else "per_30_days"
    right = frame[frame["shape"] == truth_shape]
    text = (calibration.coverage_markdown(frame) + f"\nThe lead shape the log was drawn with ({truth_shape}) was "
            f"written in {right['seed'].nunique()} of {frame['seed'].nunique()} logs; in those:\n\n" +
            (calibration.coverage_markdown(right) if len(right) else "(none)\n"))
    (out / f"{prefix}coverage_table.txt").write_text(text, encoding="utf-8")
    for r in rows:
        print(f"{'realistic logs: ' if prefix else ''}{r['parameter']:36s} covered {r['covered']:4d} of "
              f"{r['replications']} = {r['share']:.1%} (95% CI {r['wilson_low']:.1%} to {r['wilson_high']:.1%})")
    fig = calibration.recovery_figure(frame, args.lang, caption_text=caption_text)
    files = [f"{prefix}recovery.csv", f"{prefix}coverage.csv", f"{prefix}coverage_table.txt"]
    files += save_figure(fig, out, f"{prefix}recovery")
    if args.docs_img is not None:
        downscale_png(out / f"{prefix}recovery.png", args.docs_img / f"calibration_{prefix}recovery.png")
    return files


if __name__ == "__main__":
    sys.exit(run_script(main))
