"""Staffing cost: what lower caseloads cost a municipality a year, and what they buy.

For a municipality with ``--citizens`` citizens on the caseload (default
10,000, an assumption of Copenhagen's scale), each caseload needs
citizens / caseload full-time caseworkers at ``--fte-cost`` DKK a year each
(default: the scenario's 600,000 DKK, an assumption). A caseload sweep of the
``ds_norm`` scenario under the policies ``ahead`` and ``after_checkin``
gives the outcomes at each caseload; the figure is the cost–outcome
frontier: overdue share, prepared share and casework coverage against DKK a
year, points labelled by caseload, with 95% CI bars.

The team the model needs (:func:`jobsim.studies.staffing.team_needed`): per policy, the smallest team that
keeps fewer than 10% of follow-up conversations late and at least 90% fully prepared, and the team for the
follow-up rule alone, read per replication off the sweep with a 95% interval. It comes from the fitted time
budget (what conversations, preparation, documentation and other contact take), not from a chosen caseload.
The same team is found again under 10 time budgets drawn from the fitted posterior and under each desk rule
(3 replications each; ``assumptions/``), the assumptions that decide it.
With ``--docs DIR`` the runs go to DIR/staffing_runs.csv and DIR/staffing_assumption_runs.csv and the blocks of
DIR/experiments_caseload_cost.md is written from them (tests/studies/test_staffing_page.py checks the page).

It also puts Dansk Socialrådgiverforening's estimate next to the model's
arithmetic: DS said taking Copenhagen from about 220 to 40–50 cases would
cost 65 million DKK more a year (about 108 caseworkers at 600,000 DKK); the
script prints what 220 -> 45 costs for ``--citizens`` citizens and how many
citizens DS's figure implies. The arithmetic is in :mod:`jobsim.studies.staffing`.

Writes to ``outputs/staffing_cost/`` (or ``--out``): ``frontier.csv``,
``report.txt`` (the printed assumptions and comparison),
``staffing_frontier`` (PNG and SVG) and ``manifest.json``; the runs go to
``sweep/`` (or ``sweep_quick/``).

    python experiments/staffing_cost.py --jobs 2
    python experiments/staffing_cost.py --jobs 2 --docs docs       # also writes the docs page's numbers
    python experiments/staffing_cost.py --citizens 6000 --fte-cost 650000
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
from jobsim.report.words import num, phrase
from jobsim.studies import staffing, timeuse
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder, run_script,
                                   save_figure, sweep_options, write_json)

NAME = "staffing_cost"
SCENARIO = "ds_norm"
#: Caseloads (citizens per caseworker): DS's band in detail, then up to Lærkevej's 220.
CASELOADS = (40.0, 45.0, 50.0, 60.0, 80.0, 100.0, 130.0, 160.0, 190.0, 220.0)
POLICIES = ("ahead", "after_checkin")
REPLICATIONS = 10
QUICK_CASELOADS = (45.0, 130.0, 220.0)
QUICK_REPLICATIONS = 3
QUICK_CHANGES = {"horizon_days": 91, "warmup_days": 28, "workers": 5}
DEFAULT_CITIZENS = 10_000.0
#: Outcomes on the frontier, one panel each.
FRONTIER_KPIS = ("overdue_share", "prepared_share", "casework_coverage")
#: The docs page whose team block ``--docs`` writes.
PAGE = "experiments_caseload_cost.md"
#: Caseloads labelled on the figure (the others are too close together on the cost axis to read).
LABELLED = (40.0, 50.0, 60.0, 80.0, 100.0, 130.0, 220.0)


def team_lines(teams: dict[str, tuple[staffing.TeamNeeded, staffing.TeamNeeded]]) -> list[str]:
    """The team the model needs per policy (both targets, and the rule alone), with 95% intervals."""
    lines = ["The team the model needs (mean [95% CI] over replications)"]
    for policy, (both, law) in teams.items():
        for label, t in (("rule + 90% prepared", both), ("rule alone", law)):
            if t.found:
                lines.append(f"  {policy:<14} {label:<20} {t.workers:7.1f} [{t.workers_low:6.1f},{t.workers_high:6.1f}] "
                             f"caseworkers, {t.caseload:5.1f} [{t.caseload_low:5.1f},{t.caseload_high:5.1f}] cases, "
                             f"{t.cost_dkk / 1e6:6.1f} [{t.cost_low_dkk / 1e6:6.1f},{t.cost_high_dkk / 1e6:6.1f}] "
                             f"million DKK a year" + (f"; {t.censored} of {t.replications} met the targets at "
                                                      "every caseload" if t.censored else "")
                             + (f"; {t.failed} of {t.replications} at none" if t.failed else ""))
            else:
                lines.append(f"  {policy:<14} {label:<20} no caseload of the study meets the targets")
    return lines


def report_text(comparison: staffing.DSComparison, frontier, scenario: str, replications: int, seed: int,
                teams=None) -> str:
    """The assumptions, the team the model needs, the cost table with outcomes, and DS's estimate next to the
    model's arithmetic."""
    c = comparison
    m = 1e6
    lines = [
        "Assumptions",
        f"  citizens on the caseload:      {c.citizens:,.0f} (Copenhagen-scale; --citizens)",
        f"  cost per full-time caseworker: {c.fte_cost_dkk:,.0f} DKK a year incl. overhead (--fte-cost)",
        "  caseworkers = citizens / caseload, full-time equivalents, not rounded",
        f"  outcomes: scenario {scenario!r}, {replications} replications per point, seed {seed}, "
        f"jobsim {jobsim.__version__}",
        "",
    ]
    if teams:
        lines += team_lines(teams) + [""]
    lines += ["Cost and outcomes by caseload (mean [95% CI])"]
    table = frontier.pivot_table(index=["caseload", "caseworkers", "cost_million_dkk", "prep_policy"],
                                 columns="kpi", values=["mean", "ci_low", "ci_high"]).reset_index()
    lines.append(f"  {'caseload':>8} {'workers':>8} {'DKK m/yr':>9}  {'policy':<14} {'overdue':>20} "
                 f"{'prepared':>20} {'casework':>20}")
    for _, row in table.iterrows():
        cells = []
        for kpi in FRONTIER_KPIS:
            cells.append(f"{row[('mean', kpi)]:6.1%} [{row[('ci_low', kpi)]:5.1%},{row[('ci_high', kpi)]:6.1%}]")
        lines.append(f"  {row[('caseload', '')]:8g} {row[('caseworkers', '')]:8.1f} "
                     f"{row[('cost_million_dkk', '')]:9.1f}  {row[('prep_policy', '')]:<14} " + " ".join(cells))
    lines += [
        "",
        "DS's estimate next to the model's arithmetic",
        f"  DS (Copenhagen, ~{c.caseload_from:g} -> 40-50 cases): +{c.ds_extra_dkk / m:,.1f} million DKK a year "
        f"= {c.ds_extra_caseworkers:,.1f} caseworkers at {c.fte_cost_dkk:,.0f} DKK",
        f"  model, {c.citizens:,.0f} citizens: {c.caseload_from:g} -> {c.caseload_to:g} cases: "
        f"+{c.model_extra_dkk / m:,.1f} million DKK a year "
        f"(-> 50: +{c.model_extra_low_dkk / m:,.1f}; -> 40: +{c.model_extra_high_dkk / m:,.1f})",
        f"  DS's figure fits {c.caseload_from:g} -> {c.caseload_to:g} for {c.implied_citizens:,.0f} citizens "
        f"({c.implied_citizens_high:,.0f} if -> 50, {c.implied_citizens_low:,.0f} if -> 40): "
        f"N/{c.caseload_to:g} - N/{c.caseload_from:g} = {c.ds_extra_caseworkers:,.1f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, __doc__.splitlines()[0], replications=REPLICATIONS)
    parser.add_argument("--citizens", type=float, default=DEFAULT_CITIZENS,
                        help="citizens on the municipality's caseload (default 10,000; an assumption)")
    parser.add_argument("--fte-cost", type=float, default=None,
                        help="DKK a year per full-time caseworker incl. overhead (default: the scenario's, 600,000)")
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"also write the runs to DOCS/staffing_runs.csv and the team's numbers into DOCS/{PAGE} "
                             "(e.g. docs; not with --quick or other --citizens or --fte-cost)")
    args = parser.parse_args(argv)
    check_args(args)
    if args.docs is not None and (args.quick or args.citizens != DEFAULT_CITIZENS or args.fte_cost is not None
                                  or args.seed != 0 or args.replications not in (None, REPLICATIONS)):
        raise JobsimError("--docs: the page's numbers come from the default run; leave out --quick, --citizens, "
                          "--fte-cost, --seed and --replications to write it")
    if args.docs is not None:   # before anything runs: the page and its blocks must be there
        if not (args.docs / PAGE).is_file():
            raise JobsimError(f"--docs: {args.docs / PAGE} does not exist; allowed: the repository's docs folder")
        missing = [b for b in ("staffing_team", "staffing_range")
                   if read_block((args.docs / PAGE).read_text(encoding="utf-8"), b) is None]
        if missing:
            raise JobsimError(f"--docs: {args.docs / PAGE} has no block marked '<!-- output of: {missing[0]} -->'")
    if not (math.isfinite(args.citizens) and args.citizens > 0):
        raise JobsimError(f"--citizens: {args.citizens:g} is not allowed; use a positive number of citizens")
    if args.fte_cost is not None and not (math.isfinite(args.fte_cost) and args.fte_cost > 0):
        raise JobsimError(f"--fte-cost: {args.fte_cost:g} is not allowed; use a positive amount of DKK a year")
    t0 = time.perf_counter()
    out: Path = output_folder(args, NAME)
    base = jobsim.load_scenario(SCENARIO)
    if args.fte_cost is not None:
        base = base.replace(fte_cost_dkk=args.fte_cost)
    fte_cost = base.fte_cost_dkk
    caseloads = QUICK_CASELOADS if args.quick else CASELOADS
    replications = args.replications or (QUICK_REPLICATIONS if args.quick else REPLICATIONS)
    if args.quick:
        base = base.replace(**QUICK_CHANGES)
    grid = {"caseload": list(caseloads), "prep_policy": list(POLICIES)}
    sweep_dir = out / ("sweep_quick" if args.quick else "sweep")

    result = jobsim.sweep(base, grid, replications=replications, seed=args.seed, **sweep_options(args), out=sweep_dir,
                          progress=False if args.quiet else None)
    sweep_seconds = time.perf_counter() - t0
    frontier = staffing.frontier_table(result.summary(confidence=0.95), args.citizens, fte_cost)
    frontier = frontier[frontier["kpi"].isin(FRONTIER_KPIS)].reset_index(drop=True)
    comparison = staffing.compare_with_ds(args.citizens, fte_cost)
    draws = timeuse.posterior_draws(staffing.QUICK_DRAWS if args.quick else staffing.DRAWS, seed=args.seed)
    across = staffing.assumption_runs(base, caseloads, draws, seed=args.seed, out=out / ("assumptions_quick" if args.quick else "assumptions"),
                                      replications=staffing.QUICK_DRAW_REPLICATIONS if args.quick
                                      else staffing.DRAW_REPLICATIONS,
                                      progress=False if args.quiet else None, **sweep_options(args))
    across_text = staffing.range_block(across, args.citizens, fte_cost)["staffing_range"]
    teams = {p: (staffing.team_needed(result.runs, args.citizens, fte_cost, policy=p),
                 staffing.team_needed(result.runs, args.citizens, fte_cost, policy=p, prepared_at_least=0.0))
             for p in POLICIES}

    out.mkdir(parents=True, exist_ok=True)
    files = [out / "frontier.csv", out / "report.txt"]
    frontier.to_csv(files[0], index=False)
    report = report_text(comparison, frontier, base.name, replications, args.seed, teams)
    report += "\n\nThe team across the assumptions that decide it\n" + across_text
    files[1].write_text(report + "\n", encoding="utf-8")

    lang = args.lang
    assumptions = phrase("assumptions", lang, citizens=num(args.citizens, lang), fte=num(fte_cost, lang))
    text = run_caption(base.name, replications, args.seed, lang, extra=assumptions)
    title = staffing.finding_cost(*teams["ahead"], lang)
    fig = staffing.cost_outcome_figure(frontier, FRONTIER_KPIS, comparison, lang, label_caseloads=LABELLED,
                                       title=title)
    caption(fig, text)
    files += save_figure(fig, out, "staffing_frontier", quick=args.quick, lang=args.lang)

    wall = time.perf_counter() - t0
    manifest = experiment_manifest(
        NAME, base, args, argv, seed=args.seed, replications=replications, grid=grid, wall_seconds=wall,
        files=files, runs=len(result.runs), sweep_folder=sweep_dir.name, sweep_seconds=round(sweep_seconds, 3),
        assumptions={"citizens": args.citizens, "fte_cost_dkk": fte_cost,
                     "caseworkers": "citizens / caseload, full-time equivalents, not rounded"},
        ds_comparison=comparison.to_dict(), finding=title,
        posterior_draws=draws.to_dict(orient="records"),
        teams={p: {"both_targets": both.to_dict(), "rule_alone": law.to_dict()} for p, (both, law) in teams.items()})
    files.append(write_json(out / "manifest.json", manifest))
    if args.docs is not None:
        result.runs[list(staffing.PAGE_COLUMNS)].to_csv(args.docs / "staffing_runs.csv", index=False,
                                                        float_format="%.6g")
        runs = pd.read_csv(args.docs / "staffing_runs.csv")   # the page is written from what is stored
        across.to_csv(args.docs / "staffing_assumption_runs.csv", index=False, float_format="%.6g")
        stored = pd.read_csv(args.docs / "staffing_assumption_runs.csv", dtype={"value": str})
        update_page(args.docs / PAGE, {**staffing.page_blocks(runs, args.citizens, fte_cost),
                                       **staffing.range_block(stored, args.citizens, fte_cost)})
        downscale_png(out / "staffing_frontier.png", args.docs / "img" / "staffing_frontier.png")
        print(f"wrote {args.docs / 'staffing_runs.csv'}, the team block of {args.docs / PAGE} and "
              f"{args.docs / 'img' / 'staffing_frontier.png'}")
    if not args.quiet:
        print(report)
        print(f"\n{title}\nwrote {len(files)} files to {out}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
