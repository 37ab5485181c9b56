"""No-show sensitivity: when does the Lærkevej rule (no preparation before check-in) pay?

Sweeps no-show probability x caseload, with and without SMS reminders, under
preparing ahead (``ahead``) and the Lærkevej rule (``after_checkin``), and
draws the paired difference (after_checkin minus ahead, same replication =
same random numbers) in casework coverage and in prepared share as
heatmaps. The spread of citizens' no-show propensities is
min(0.15, 0.9*sqrt(p(1-p))), so the scenario's Beta distribution stays valid.

    python experiments/noshow_sensitivity.py [--quick] [--out DIR] [--jobs N] [--lang en|da]

Writes to outputs/noshow_sensitivity/: noshow_runs.csv, noshow_differences.csv,
noshow_casework.png/.svg, noshow_prepared.png/.svg, manifest.json, and the
sweep's own folder (runs/ or runs_quick/, which lets a killed run resume).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jobsim
from jobsim.errors import EXIT_OK
from jobsim.studies import noshow
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, sweep_options, write_json)

NAME = "noshow_sensitivity"


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, "No-show probability x caseload: when does the Lærkevej rule pay?")
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the headline PNGs, 900 px wide, to this folder (e.g. docs/img)")
    args = parser.parse_args(argv)
    check_args(args)
    out = output_folder(args, NAME)
    t0 = time.perf_counter()
    base = jobsim.load_scenario("ds_norm")
    if args.quick:
        base = base.replace(**noshow.QUICK_CHANGES)
        probabilities, caseloads, replications = noshow.QUICK_PROBABILITIES, noshow.QUICK_CASELOADS, args.replications or 3
    else:
        probabilities, caseloads = noshow.NOSHOW_PROBABILITIES, noshow.NOSHOW_CASELOADS
        replications = args.replications or 20
    results = noshow.noshow_sweep(base, probabilities, caseloads, replications=replications, seed=args.seed,
                                  **sweep_options(args), out=out / ("runs_quick" if args.quick else "runs"),
                                  progress=False if args.quiet else None)
    runs = noshow.noshow_runs(results)
    diffs = noshow.noshow_differences(results)
    runs.to_csv(out / "noshow_runs.csv", index=False)
    diffs.to_csv(out / "noshow_differences.csv", index=False)
    text = noshow.noshow_caption(diffs, base.name, replications, args.seed, args.lang)
    files = ["noshow_runs.csv", "noshow_differences.csv"]
    for kpi, stem in (("casework_coverage", "noshow_casework"), ("prepared_share", "noshow_prepared")):
        fig = noshow.noshow_figure(diffs, kpi, args.lang, caption_text=text, sms_effect=base.sms_effect,
                                  desk_rule=base.desk_priority)
        files += save_figure(fig, out, stem, quick=args.quick, lang=args.lang)
        if args.docs_img is not None:
            downscale_png(out / f"{stem}.png", args.docs_img / f"{stem}.png")
    manifest = experiment_manifest(
        NAME, base, args, argv, seed=args.seed, replications=replications,
        grid=noshow.noshow_grid(probabilities, caseloads), wall_seconds=time.perf_counter() - t0,
        files=files + ["manifest.json"],
        noshow_spread={f"{p:g}": noshow.noshow_spread_for(p) for p in probabilities},
        sweep_folders=[str(r.out) for r in results])
    write_json(out / "manifest.json", manifest)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
