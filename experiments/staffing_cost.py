"""Staffing cost: what lower caseloads cost a municipality a year, and what they buy.

For a municipality with ``--citizens`` citizens on the caseload (default
10,000, an assumption of Copenhagen's scale), each caseload needs
citizens / caseload full-time caseworkers at ``--fte-cost`` DKK a year each
(default: the scenario's 600,000 DKK, an assumption). A caseload sweep of the
``ds_norm`` scenario under the policies ``ahead`` and ``after_checkin``
gives the outcomes at each caseload; the figure is the cost–outcome
frontier: overdue share, prepared share and casework coverage against DKK a
year, points labelled by caseload, with 95% CI bars.

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
    python experiments/staffing_cost.py --citizens 6000 --fte-cost 650000
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
from jobsim.report.style import caption, run_caption
from jobsim.report.words import num, phrase
from jobsim.studies import staffing
from jobsim.studies.script import (check_args, experiment_manifest, experiment_parser, output_folder, run_script,
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
#: Caseloads labelled on the figure (the others are too close together on the cost axis to read).
LABELLED = (40.0, 50.0, 60.0, 80.0, 100.0, 130.0, 220.0)


def report_text(comparison: staffing.DSComparison, frontier, scenario: str, replications: int, seed: int) -> str:
    """The assumptions, the cost table with outcomes, and DS's estimate next to the model's arithmetic."""
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
        "Cost and outcomes by caseload (mean [95% CI])",
    ]
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
    args = parser.parse_args(argv)
    check_args(args)
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

    out.mkdir(parents=True, exist_ok=True)
    files = [out / "frontier.csv", out / "report.txt"]
    frontier.to_csv(files[0], index=False)
    report = report_text(comparison, frontier, base.name, replications, args.seed)
    files[1].write_text(report + "\n", encoding="utf-8")

    lang = args.lang
    assumptions = phrase("assumptions", lang, citizens=num(args.citizens, lang), fte=num(fte_cost, lang))
    text = run_caption(base.name, replications, args.seed, lang, extra=assumptions)
    fig = staffing.cost_outcome_figure(frontier, FRONTIER_KPIS, comparison, lang, label_caseloads=LABELLED)
    title = fig.get_suptitle().replace("\n", " ")
    caption(fig, text)
    files += save_figure(fig, out, "staffing_frontier", quick=args.quick, lang=args.lang)

    wall = time.perf_counter() - t0
    manifest = experiment_manifest(
        NAME, base, args, argv, seed=args.seed, replications=replications, grid=grid, wall_seconds=wall,
        files=files, runs=len(result.runs), sweep_folder=sweep_dir.name, sweep_seconds=round(sweep_seconds, 3),
        assumptions={"citizens": args.citizens, "fte_cost_dkk": fte_cost,
                     "caseworkers": "citizens / caseload, full-time equivalents, not rounded"},
        ds_comparison=comparison.to_dict(), finding=title)
    files.append(write_json(out / "manifest.json", manifest))
    if not args.quiet:
        print(report)
        print(f"\n{title}\nwrote {len(files)} files to {out}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
