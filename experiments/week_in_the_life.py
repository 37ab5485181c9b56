"""A week in the life of one caseworker: 45 cases preparing ahead against 220 cases under the Lærkevej rule.

Runs ``ds_norm`` (45 cases, preparation ahead) and ``laerkevej`` (220 cases,
no preparation before check-in) once each with the time trace on, and draws
caseworker 0's first full week after the warm-up as a diary: days down,
8:00-15:24 across, one bar per stretch of time coloured by activity, slots
whose citizen did not show hatched, and under each panel what was left
undone (casework minutes, unprepared conversations).

    python experiments/week_in_the_life.py [--quick] [--out DIR] [--lang en|da] [--worker 0] [--week N]

Writes to outputs/week_in_the_life/: week_diary.csv, week_summary.csv,
week_in_the_life.png/.svg and manifest.json.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
from jobsim.report.words import and_list
from jobsim.studies import week as study
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, write_json)

NAME = "week_in_the_life"
SCENARIOS = ("ds_norm", "laerkevej")


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, "One caseworker's week at 45 and at 220 cases", replications=1)
    parser.add_argument("--worker", type=int, default=0, help="caseworker to follow (default 0)")
    parser.add_argument("--week", type=int, default=None,
                        help="week to draw (0 = the week of day 0; default: the first week after the warm-up "
                             "in which the caseworker is present every day in both scenarios)")
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the headline PNG, 900 px wide, to this folder (e.g. docs/img)")
    args = parser.parse_args(argv)
    check_args(args)
    t0 = time.perf_counter()
    scenarios = {name: jobsim.load_scenario(name) for name in SCENARIOS}
    if args.quick:
        scenarios = {name: s.replace(horizon_days=28) for name, s in scenarios.items()}
    for name, s in scenarios.items():
        if not 0 <= args.worker < s.workers:
            raise JobsimError(f"--worker: {args.worker} is not a caseworker of {name} (0 to {s.workers - 1})")
    out = output_folder(args, NAME)
    replication = 0
    results = {name: jobsim.simulate(s, seed=args.seed, replication=replication, trace=True)
               for name, s in scenarios.items()}
    drawn = study.week_in_the_life(results, args.worker, args.week, args.lang,
                                   scenario_names=and_list([repr(n) for n in SCENARIOS], args.lang))
    week, summaries = drawn["week"], drawn["summaries"]
    drawn["diaries"].to_csv(out / "week_diary.csv", index=False)
    pd.DataFrame(summaries).to_csv(out / "week_summary.csv", index=False)
    files = ["week_diary.csv", "week_summary.csv"] + save_figure(drawn["figure"], out, NAME, quick=args.quick,
                                                                 lang=args.lang)
    if args.docs_img is not None:
        downscale_png(out / f"{NAME}.png", args.docs_img / "week_in_the_life.png")
    manifest = experiment_manifest(
        NAME, scenarios, args, argv, seed=args.seed, replications=1, grid={}, wall_seconds=time.perf_counter() - t0,
        files=files + ["manifest.json"], replication=replication, worker=args.worker, week=week,
        summaries=summaries)
    write_json(out / "manifest.json", manifest)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
