"""Caseload sweep: preparation, follow-up and casework as caseloads grow from DS's 40 to Lærkevej's 220.

The headline experiment. Base scenario ``ds_norm`` with the caseload swept
from 40 to 220 citizens per caseworker in steps of 20, under each of the four
preparation policies (after_checkin, ahead, none, confirmed_ahead), 20
replications per point with common random numbers. A caseworker's week by
activity comes from one extra run per caseload under ``ahead`` (the
worker-day tables). Because how a caseworker orders desk work is an
assumption, a second sweep runs ``ahead`` at the same caseloads under each
desk rule (edf, prep_first, casework_first): the preparation answer is shown as
the band the rules give, not as one rule's.

Writes to ``outputs/caseload_sweep/`` (or ``--out``): ``summary.csv`` (mean,
sd and 95% CI per point and KPI), ``time_use.csv`` (minutes per caseworker
per week at work, by activity and caseload), the figures ``caseload_prep``,
``caseload_followup``, ``caseload_casework``, ``caseload_time_use`` and
``caseload_desk_rules`` (PNG and SVG), ``desk_rules.csv`` and
``manifest.json``; the runs themselves go to ``sweep/`` and ``desk_rules/``
(or ``sweep_quick/`` and ``desk_rules_quick/``), where an interrupted sweep
resumes.

    python experiments/caseload_sweep.py --jobs 2
    python experiments/caseload_sweep.py --quick
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import jobsim
from jobsim.errors import EXIT_OK
from jobsim.report.style import run_caption
from jobsim.report.words import phrase, policy_label
from jobsim.studies import caseload as study
from jobsim.studies.script import (check_args, experiment_manifest, experiment_parser, output_folder, run_script,
                                   save_figure, sweep_options, write_json)

NAME = "caseload_sweep"
SCENARIO = "ds_norm"


def main(argv: list[str] | None = None) -> int:
    args = experiment_parser(NAME, __doc__.splitlines()[0], replications=study.REPLICATIONS).parse_args(argv)
    check_args(args)
    t0 = time.perf_counter()
    out: Path = output_folder(args, NAME)
    base = jobsim.load_scenario(SCENARIO)
    caseloads = study.QUICK_CASELOADS if args.quick else study.CASELOADS
    replications = args.replications or (study.QUICK_REPLICATIONS if args.quick else study.REPLICATIONS)
    if args.quick:
        base = base.replace(**study.QUICK_CHANGES)
    grid = {"caseload": list(caseloads), "prep_policy": list(study.POLICIES)}
    sweep_dir = out / ("sweep_quick" if args.quick else "sweep")  # a quick run never clashes with the full one

    result = jobsim.sweep(base, grid, replications=replications, seed=args.seed, **sweep_options(args), out=sweep_dir,
                          progress=False if args.quiet else None)
    sweep_seconds = time.perf_counter() - t0
    summary = result.summary(confidence=0.95)
    time_use, time_use_seconds = study.time_use_runs(base, caseloads, args.seed)

    out.mkdir(parents=True, exist_ok=True)
    files = [out / "summary.csv", out / "time_use.csv"]
    summary.to_csv(files[0], index=False)
    time_use.round(3).to_csv(files[1])

    lang = args.lang
    text = run_caption(base.name, replications, args.seed, lang)
    tu_text = phrase("caption_one", lang, scenario=base.name, seed=args.seed,
                     policy=policy_label(study.TIME_USE_POLICY, lang), version=jobsim.__version__)
    figures = study.caseload_figures(summary, time_use, lang, caption_text=text, time_use_caption=tu_text,
                                     rule_days=float(base.interval_days), desk_rule=base.desk_priority)
    # the preparation answer under every desk rule (an assumption): the same caseloads, preparing ahead
    desk_grid = {"caseload": list(caseloads), "desk_priority": list(study.DESK_RULES)}
    desk_result = jobsim.sweep(base.replace(prep_policy=study.DESK_POLICY), desk_grid, replications=replications,
                               seed=args.seed, **sweep_options(args), out=out / ("desk_rules_quick" if args.quick
                                                                                 else "desk_rules"),
                               progress=False if args.quiet else None)
    desk_summary = desk_result.summary(confidence=0.95)
    files.append(out / "desk_rules.csv")
    desk_summary.to_csv(files[-1], index=False)
    figures["caseload_desk_rules"] = study.desk_rule_figure(desk_summary, lang, caption_text=text)
    for stem, fig in figures.items():
        files += save_figure(fig, out, stem, quick=args.quick, lang=args.lang)

    wall = time.perf_counter() - t0
    manifest = experiment_manifest(
        NAME, base, args, argv, seed=args.seed, replications=replications, grid=grid, wall_seconds=wall,
        files=files, runs=len(result.runs), sweep_folder=sweep_dir.name, sweep_seconds=round(sweep_seconds, 3),
        time_use={"policy": study.TIME_USE_POLICY, "runs_per_caseload": 1, "replication": 0,
                  "seconds": round(time_use_seconds, 3)},
        findings={stem: fig_title(fig) for stem, fig in figures.items()})
    files.append(write_json(out / "manifest.json", manifest))
    if not args.quiet:
        print(f"{len(result.runs)} runs ({len(summary['point'].unique())} points x {replications} replications) "
              f"in {sweep_seconds:.1f} s; wrote {len(files)} files to {out}")
        for stem, title in manifest["findings"].items():
            print(f"  {stem}: {title}")
    return EXIT_OK


def fig_title(fig) -> str:
    """The figure's title (its finding) as one line."""
    return fig.get_suptitle().replace("\n", " ")


if __name__ == "__main__":
    sys.exit(run_script(main))
