"""Does it pay? Net cost (staff plus cash benefits) against team size for a fixed inflow of citizens.

An inflow-driven ``ds_norm`` team: ``--inflow`` citizens enter a year (default
1,100: with one-year stays that is 1,100 citizens, the scale of Aabenraa's
group of 1,008 activity-ready cash-benefit recipients, and 220 cases each,
Lærkevej's, for the smallest team of 5 caseworkers; the largest, 24, has 46,
DS's recommendation).
The team size is swept under exit effects 1 (no effect), 1.15, 1.3 (the
literature's) and 1.5, with the same seeds at every point, and under two
contact plans: conversations at the legal maximum interval whatever the team
size (``legal``), or the freed diary time used for more frequent
conversations (``diary_full``: the planned interval shrinks with the
caseload, 91 days at 220 cases, 19 at 45). A warm-up of 365
days (one mean stay) lets the caseload settle after the pre-fill, which is
the steady state without effect.

Writes to ``outputs/does_it_pay/`` (or ``--out``): ``net_cost.csv`` (per
plan, effect and team size, with 95% CIs), ``steps.csv``, ``break_even.csv``,
``payback.csv``, ``cases.csv`` (Aabenraa and Hjørring beside the model), ``team.csv`` (the smallest team that keeps the
follow-up rule and prepares 90%, found on the model, and its net cost),
``report.txt``, the figures ``does_it_pay`` and ``does_it_pay_diary_full``
(PNG and SVG) and ``manifest.json``; the runs go to ``sweep/`` and
``sweep_diary_full/`` (or ``sweep_quick...``).

    python experiments/does_it_pay.py --jobs 2
    python experiments/does_it_pay.py --quick --lang da
    python experiments/does_it_pay.py --jobs 2 --docs-img docs/img --docs docs   # also the page's team block
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import pandas as pd

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
from jobsim.report.docblocks import read_block, update_page
from jobsim.report.style import caption, run_caption
from jobsim.studies import payback
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, sweep_options, write_json)

NAME = "does_it_pay"
#: The docs page whose team block ``--docs`` writes.
PAGE = "experiments_does_it_pay.md"
SCENARIO = "ds_norm"
DEFAULT_INFLOW = 1100.0
#: Caseloads the team sizes are chosen for (citizens per caseworker, without effect): Lærkevej's 220 down
#: to DS's 45; with 1,100 citizens: 5, 6, 7, 8, 9, 10, 12, 15, 18, 22 and 24 caseworkers.
CASELOADS = (220.0, 183.0, 157.0, 138.0, 122.0, 110.0, 92.0, 73.0, 61.0, 50.0, 45.0)
REPLICATIONS = 10
#: Warm-up and measured horizon (days): one mean stay to settle, then one year.
RUN = {"warmup_days": 365, "horizon_days": 364}
QUICK_INFLOW = 400.0
QUICK_CASELOADS = (200.0, 133.0, 80.0)
QUICK_REPLICATIONS = 3
QUICK_RUN = {"warmup_days": 182, "horizon_days": 182}


PLAN_TEXT = {"legal": "conversations planned at the legal maximum interval whatever the team size",
             "diary_full": "freed diary time used for more frequent conversations, as many a week per caseworker "
                           "as at 220 cases"}


def run_plan(plan: str, base, sizes: list[int], replications: int, sweep_dir: Path, args) -> pd.DataFrame:
    """The runs of one contact plan: every team size x exit effect, the same seeds at every point.

    ``legal`` is one sweep over team size and exit effect; under ``diary_full`` the planned interval
    depends on the team size, so each team size is its own sweep over the exit effect (same seeds).
    """
    progress = False if args.quiet else None
    if plan == "legal":
        return jobsim.sweep(base, {"exit_effect": list(payback.EFFECTS), "workers": sizes},
                            replications=replications, seed=args.seed, **sweep_options(args), out=sweep_dir,
                            progress=progress).runs
    frames = []
    for w in sizes:
        team = base.replace(workers=w)
        team = team.replace(contact_interval_days=payback.contact_interval_days(plan, team.caseload))
        result = jobsim.sweep(team, {"exit_effect": list(payback.EFFECTS)}, replications=replications,
                              seed=args.seed, **sweep_options(args), out=sweep_dir.with_name(
                                  f"{sweep_dir.name}_{plan}") / f"workers_{w}", progress=progress)
        frames.append(result.runs.assign(workers=w))
    return pd.concat(frames, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, __doc__.splitlines()[0], replications=REPLICATIONS)
    parser.add_argument("--inflow", type=float, default=None,
                        help="citizens entering the caseload per year (default 1,100; 400 with --quick)")
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the figure's PNG, 900 px wide, to this folder (e.g. docs/img)")
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"also write the tables to DOCS/does_it_pay_results/ and the result blocks of DOCS/{PAGE} (e.g. docs; "
                             "not with --quick or another --inflow, --seed or --replications)")
    args = parser.parse_args(argv)
    check_args(args)
    if args.docs is not None and (args.quick or args.inflow is not None or args.seed != 0
                                  or args.replications not in (None, REPLICATIONS)):
        raise JobsimError("--docs: the page's numbers come from the default run; leave out --quick, --inflow, "
                          "--seed and --replications to write it")
    if args.docs is not None:   # before anything runs: the page and its blocks must be there
        if not (args.docs / PAGE).is_file():
            raise JobsimError(f"--docs: {args.docs / PAGE} does not exist; allowed: the repository's docs folder")
        missing = [b for b in ("does_it_pay_results", "does_it_pay_team", "does_it_pay_cases")
                   if read_block((args.docs / PAGE).read_text(encoding="utf-8"), b) is None]
        if missing:
            raise JobsimError(f"--docs: {args.docs / PAGE} has no block marked '<!-- output of: {missing[0]} -->'")
    if args.inflow is not None and not (math.isfinite(args.inflow) and args.inflow > 0):
        raise JobsimError(f"--inflow: {args.inflow:g} is not allowed; use a positive number of citizens a year")
    out: Path = output_folder(args, NAME)
    t0 = time.perf_counter()
    inflow = args.inflow or (QUICK_INFLOW if args.quick else DEFAULT_INFLOW)
    replications = args.replications or (QUICK_REPLICATIONS if args.quick else REPLICATIONS)
    run = QUICK_RUN if args.quick else RUN
    plain = jobsim.load_scenario(SCENARIO)
    sizes = payback.sizes_for(inflow, plain.stay_days, QUICK_CASELOADS if args.quick else CASELOADS)
    base = payback.inflow_scenario(plain, inflow, sizes[0], **run)
    grid = {"contact_plan": list(payback.PLANS), "exit_effect": list(payback.EFFECTS), "workers": sizes}
    sweep_dir = out / ("sweep_quick" if args.quick else "sweep")
    runs = {plan: run_plan(plan, base, sizes, replications, sweep_dir, args) for plan in payback.PLANS}
    sweep_seconds = time.perf_counter() - t0

    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in ("net_cost", "steps", "break_even", "payback",
                                                                     "cases", "team")}
    lines = [f"Assumptions: scenario {base.name!r} made inflow-driven, {inflow:,.0f} citizens entering a year, "
             f"mean stay {base.stay_days:g} days (without effect), exit effect for {base.exit_effect_days:g} days "
             f"after each held conversation; {base.fte_cost_dkk:,.0f} DKK a year per caseworker, "
             f"{base.benefit_dkk_per_citizen_year:,.0f} DKK a year per citizen on cash benefit (gross); warm-up "
             f"{base.warmup_days} days, {base.horizon_days} days measured; {replications} replications, seed "
             f"{args.seed}, jobsim {jobsim.__version__}"]
    files, titles, breaks = [], {}, {}
    for plan in payback.PLANS:
        net = payback.net_table(runs[plan], base)
        steps = payback.steps_table(runs[plan])
        best = payback.break_even(net, steps)
        pay = payback.payback_table(net, inflow)
        cases = payback.case_comparison(net, base.fte_cost_dkk, base.benefit_dkk_per_citizen_year)
        team = payback.team_table(runs[plan], net)
        for name, frame in zip(tables, (net, steps, best, pay, cases, team)):
            tables[name].append(frame.assign(contact_plan=plan)[["contact_plan", *frame.columns]])
        intervals = ", ".join(f"{w}: {payback.contact_interval_days(plan, base.replace(workers=w).caseload) or 'legal'}"
                              for w in sizes)
        lines += ["", "=" * 100, f"Contact plan {plan!r}: {PLAN_TEXT[plan]} (planned days between conversations "
                  f"by team size: {intervals})", "=" * 100, ""]
        lines += payback.report_lines(net, steps, best, pay, cases) + [""] + payback.team_lines(team)
        fig = payback.payback_figure(net, best, inflow, base.fte_cost_dkk, args.lang, plan=plan)
        titles[plan] = fig.get_suptitle().replace("\n", " ")
        breaks[plan] = best.to_dict(orient="records")
        extra = (f"Inflow-driven '{SCENARIO}', warm-up {base.warmup_days} days; money in DKK a year, benefits gross."
                 if args.lang == "en" else
                 f"Tilgangsdrevet '{SCENARIO}', indsvingning {base.warmup_days} dage; beløb i kr. om året, "
                 "kontanthjælp brutto.")
        caption(fig, run_caption(SCENARIO, replications, args.seed, args.lang, extra=extra))
        stem = "does_it_pay" if plan == "legal" else f"does_it_pay_{plan}"
        files += save_figure(fig, out, stem)
        if args.docs_img is not None:
            suffix = "" if args.lang == "en" else f"_{args.lang}"
            files.append(downscale_png(out / f"{stem}.png", Path(args.docs_img) / f"{stem}{suffix}.png"))
    for name, frames in tables.items():
        path = out / f"{name}.csv"
        pd.concat(frames, ignore_index=True).to_csv(path, index=False)
        files.append(path)
    if args.docs is not None:   # the page is written from the tables as stored
        stored = args.docs / "does_it_pay_results"
        stored.mkdir(exist_ok=True)
        for name in payback.RESULT_TABLES:
            pd.read_csv(out / f"{name}.csv").to_csv(stored / f"{name}.csv", index=False, float_format="%.6g")
        update_page(args.docs / PAGE, payback.page_blocks(stored, inflow))
        print(f"wrote {stored} and the result blocks of {args.docs / PAGE}")
    report = "\n".join(lines)
    files.append(out / "report.txt")
    files[-1].write_text(report + "\n", encoding="utf-8")
    title = titles["legal"]

    wall = time.perf_counter() - t0
    manifest = experiment_manifest(
        NAME, base, args, argv, seed=args.seed, replications=replications, grid=grid, wall_seconds=wall,
        files=files, runs=sum(len(r) for r in runs.values()),
        sweep_folders=[sweep_dir.name, f"{sweep_dir.name}_diary_full"], sweep_seconds=round(sweep_seconds, 3),
        assumptions={"inflow_per_year": inflow, "stay_days": base.stay_days,
                     "exit_effect_days": base.exit_effect_days, "fte_cost_dkk": base.fte_cost_dkk,
                     "benefit_dkk_per_citizen_year": base.benefit_dkk_per_citizen_year, **run},
        break_even=breaks, findings=titles, finding=title)
    files.append(write_json(out / "manifest.json", manifest))
    if not args.quiet:
        print(report)
        print("\n" + "\n".join(titles.values()) + f"\nwrote {len(files)} files to {out}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
