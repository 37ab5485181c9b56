"""What drives the answers: which of jobsim's assumptions decide each headline KPI, and which do not matter.

Screens every assumption parameter of jobsim/gsa/ranges.toml with Morris
(r = 20 trajectories, 5 replications per point) for overdue_share,
prepared_share, casework_coverage, direct_contact_share and
followup_gap_days_p90, at 82 and at 220 cases per caseworker (ds_norm:
preparation ahead), then runs Sobol (N = 64, 2 replications) on the five most
influential; says where the decisive choices (the desk rule, the contact plan,
the exit effect) rank; and compares the three desk rules directly at both
caseloads (10 replications each, t intervals). See docs/what_drives_the_answers.md.

    python experiments/what_drives_the_answers.py [--quick] [--out DIR] [--jobs N] [--executor local|dask]
        [--scheduler tcp://HOST:PORT] [--lang en|da] [--trajectories R] [--sobol-size N] [--horizon-days D]
        [--desk-replications R]

Writes to outputs/what_drives_the_answers/: morris_82/, morris_220/, sobol_82/, sobol_220/ (each with
sensitivity.csv, noise.csv, design.csv, runs.csv, a chart and its runs.sqlite, so a stopped run continues),
drivers.csv (every index, with stage and caseload), desk_rules.csv (the desk rules compared: mean, sd and
95% t interval per caseload, rule and KPI; the runs in desk_rules/), findings.json (with the ranks of the
decisive choices and the sentences on them and on the desk rules), what_drives_the_answers.png/.svg and
manifest.json. --quick (a team of 2 over eight weeks, 3 trajectories) takes about a minute on 2 cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
from jobsim.gsa.charts import figures
from jobsim.studies import drivers as study
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, sweep_options, write_json)

NAME = "what_drives_the_answers"


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, "Which assumptions decide each answer (Morris, then Sobol)",
                               replications=study.REPLICATIONS)
    parser.add_argument("--trajectories", type=int, default=None,
                        help=f"Morris trajectories (default {study.TRAJECTORIES}; {study.QUICK['trajectories']} "
                        "with --quick)")
    parser.add_argument("--sobol-size", type=int, default=None,
                        help=f"Sobol base samples, a power of two (default {study.SOBOL_SIZE})")
    parser.add_argument("--horizon-days", type=int, default=None, help="measured days per run (default: the "
                        "scenario's, 364; 56 with --quick)")
    parser.add_argument("--desk-replications", type=int, default=None,
                        help=f"replications per desk rule and caseload in the direct comparison (default "
                        f"{study.DESK_REPLICATIONS}; {study.QUICK['desk_replications']} with --quick)")
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the headline PNG, 900 px wide, to this folder (e.g. docs/img)")
    args = parser.parse_args(argv)
    check_args(args)
    if args.desk_replications is not None and args.desk_replications < 2:
        raise JobsimError(f"--desk-replications: {args.desk_replications} is too few for a confidence interval; "
                          "use 2 or more")
    t0 = time.perf_counter()
    base = jobsim.load_scenario(study.BASE_SCENARIO)
    quick = study.QUICK if args.quick else {}
    if quick:
        base = base.replace(**quick["changes"])
    if args.horizon_days:
        base = base.replace(horizon_days=args.horizon_days)
    trajectories = args.trajectories or quick.get("trajectories", study.TRAJECTORIES)
    replications = args.replications or quick.get("replications", study.REPLICATIONS)
    sobol_size = args.sobol_size or quick.get("sobol_size", study.SOBOL_SIZE)
    sobol_replications = quick.get("sobol_replications", study.SOBOL_REPLICATIONS)
    desk_replications = args.desk_replications or quick.get("desk_replications", study.DESK_REPLICATIONS)
    out = output_folder(args, NAME)
    run = {**sweep_options(args), "progress": False if args.quiet else None}

    morris = study.screen(base, study.CASELOADS, trajectories, replications, args.seed, out, **run)
    top = study.most_influential(morris, study.TOP)
    sobol = study.sobol_stage(base, top, study.CASELOADS, sobol_size, sobol_replications, args.seed, out, **run)
    files = []
    for stage, results in (("morris", morris), ("sobol", sobol)):
        for c, res in results.items():
            files += figures(res, out / f"{stage}_{c:g}", args.lang)
    table = study.drivers_table(morris, sobol)
    table.to_csv(out / "drivers.csv", index=False)
    found = study.findings(morris, sobol)
    desk = study.desk_rules(base, study.CASELOADS, desk_replications, args.seed, out, **run)
    desk.to_csv(out / "desk_rules.csv", index=False)
    found["desk_rules"] = study.desk_rule_sentences(desk)
    write_json(out / "findings.json", {"most_influential": top, **found})
    files += ["drivers.csv", "desk_rules.csv", "findings.json"]
    files += save_figure(study.drivers_figure(morris, args.lang, args.seed), out, NAME)
    if args.docs_img is not None:
        downscale_png(out / f"{NAME}.png", args.docs_img / f"{NAME}.png")
    first = next(iter(morris.values()))
    manifest = experiment_manifest(
        NAME, {f"{base.name}_{c:g}": res.scenario for c, res in morris.items()}, args, argv, seed=args.seed,
        replications=replications, grid={"caseload": list(study.CASELOADS)}, wall_seconds=time.perf_counter() - t0,
        files=[*files, "manifest.json"], trajectories=trajectories, sobol_size=sobol_size,
        sobol_replications=sobol_replications, desk_replications=desk_replications,
        parameters=[r.name for r in first.ranges], most_influential=top)
    write_json(out / "manifest.json", manifest)
    if not args.quiet:
        for kpi in study.KPIS:
            deciding = "; ".join(f"{c:g} cases: " + (", ".join(f"{p} (ST {v:.2f})" for p, v in found["decides"][kpi][c])
                                                     or "none above 0.1") for c in study.CASELOADS)
            print(f"{kpi}: {deciding}")
        for sentence in [*found["choices"], found["choices_note"], *found["desk_rules"]]:
            print(sentence)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
