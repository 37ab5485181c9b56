"""Odense: the frikommune exemption against the law restored in 2017, and what the law costs in caseworkers.

Runs ``odense_frikommune`` and ``odense_2017`` (both over the exemption's
three-year horizon) with the same random numbers, and draws the share of
follow-up gaps within the legal 91 days, up to half a year, up to a year and
over a year, and the citizens who went a year without a conversation (gaps begun before the run apart). Then
runs the exemption (follow-up by need) over its deciding assumptions: how often a caseworker judges that a
citizen needs a conversation (91, 182, 364 days) and the slots a day (2, 3, 4). Then sweeps ``odense_2017`` over more
caseworkers for the same citizens (caseload = citizens / workers) to find the
smallest team whose overdue share falls below --target, and its cost in DKK a
year next to the 25 million DKK a year Odense expected.

    python experiments/odense.py [--quick] [--out DIR] [--jobs N] [--lang en|da] [--target 0.10]
        [--docs-img docs/img] [--docs docs]

Writes to outputs/odense/: odense_runs.csv, odense_gap_shares.csv,
odense_gaps.csv.gz, odense_need_runs.csv, odense_need.csv (the grid's intervals), odense_need.png/.svg,
odense_stored_runs.csv (the runs behind the page), odense_staffing_runs.csv, odense_staffing.csv,
odense_answer.json, odense_staffing_notes.txt (what the answer costs, in
sentences), odense_gaps.png/.svg, odense_staffing.png/.svg,
manifest.json, and the sweeps' folders (need/, staffing/, or need_quick/, staffing_quick/). With --docs, also
docs/odense_runs.csv and the numbers of the Odense section of docs/experiments_noshow_odense_week.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import jobsim
from jobsim.errors import EXIT_OK, JobsimError
from jobsim.studies import odense
from jobsim.report.docblocks import update_page
from jobsim.studies.intervals import interval_table
from jobsim.studies.script import (check_args, downscale_png, experiment_manifest, experiment_parser, output_folder,
                                   run_script, save_figure, sweep_options, write_json)

NAME = "odense"
#: The page whose Odense section this script writes (between its generated-block marks).
PAGE = "experiments_noshow_odense_week.md"


def main(argv: list[str] | None = None) -> int:
    parser = experiment_parser(NAME, "Odense: the exemption against the law restored, and the caseworkers the "
                                     "law needs")
    parser.add_argument("--target", type=float, default=0.10,
                        help="overdue share (0-1) the restored law should stay under (default 0.10)")
    parser.add_argument("--max-extra", type=int, default=None,
                        help="most extra caseworkers to try (default 6, 2 with --quick)")
    parser.add_argument("--docs-img", type=Path, default=None,
                        help="also copy the headline PNGs, 900 px wide, to this folder (e.g. docs/img)")
    parser.add_argument("--docs", type=Path, default=None,
                        help=f"also write the runs behind the page to DOCS/odense_runs.csv and its numbers into "
                        f"DOCS/{PAGE} (e.g. docs; not with --quick)")
    args = parser.parse_args(argv)
    check_args(args)
    if not 0 < args.target < 1:
        raise JobsimError(f"--target: {args.target} must be a share between 0 and 1 (e.g. 0.10)")
    if args.docs is not None and args.quick:
        raise JobsimError("--docs: a --quick run's numbers are not findings; leave out --quick to write the page")
    if args.max_extra is not None and args.max_extra < 1:
        raise JobsimError(f"--max-extra: {args.max_extra} must be 1 or more")
    out = output_folder(args, NAME)
    t0 = time.perf_counter()
    exemption = jobsim.load_scenario("odense_frikommune")
    law = jobsim.load_scenario("odense_2017")
    if args.quick:
        exemption = exemption.replace(horizon_days=364)
        law = law.replace(horizon_days=182)
    replications = args.replications or (3 if args.quick else 20)
    max_extra = args.max_extra or (2 if args.quick else 6)
    # the comparison runs both over the exemption's horizon, so counts over a year are comparable
    law_long = law.replace(horizon_days=exemption.horizon_days, warmup_days=exemption.warmup_days)
    scenarios = {"odense_frikommune": exemption, "odense_2017": law_long}
    kpis, gaps = odense.odense_runs(scenarios, replications=replications, seed=args.seed, jobs=args.jobs)
    kpis.to_csv(out / "odense_runs.csv", index=False)
    odense.gap_shares(gaps).to_csv(out / "odense_gap_shares.csv", index=False)
    gaps.to_csv(out / "odense_gaps.csv.gz", index=False)
    files = ["odense_runs.csv", "odense_gap_shares.csv", "odense_gaps.csv.gz"]
    fig = odense.odense_gaps_figure(kpis, gaps, scenarios, args.lang, seed=args.seed)
    files += save_figure(fig, out, "odense_gaps", quick=args.quick, lang=args.lang)

    # the exemption's answer over its deciding assumptions (how often a need is judged, the slots a day)
    need_replications = args.replications or (2 if args.quick else 10)
    need_runs = odense.need_sweep(exemption, replications=need_replications, seed=args.seed, **sweep_options(args),
                                  out=out / ("need_quick" if args.quick else "need"),
                                  progress=False if args.quiet else None)
    need_runs.to_csv(out / "odense_need_runs.csv", index=False)
    table = odense.need_table(need_runs)
    table.to_csv(out / "odense_need.csv", index=False)
    fig = odense.need_figure(table, exemption, args.lang, replications=need_replications, seed=args.seed)
    files += ["odense_need_runs.csv", "odense_need.csv"]
    files += save_figure(fig, out, "odense_need", quick=args.quick, lang=args.lang)
    # the runs behind the page's numbers: the comparison (with its scenarios' need interval and slots) and the grid
    comparison = kpis.assign(study="comparison",
                             need_interval_days=kpis["scenario"].map({k: v.need_interval_days
                                                                      for k, v in scenarios.items()}),
                             slots_per_day=kpis["scenario"].map({k: v.slots_per_day for k, v in scenarios.items()}))
    stored = pd.concat([comparison, need_runs.assign(study="need", scenario="odense_frikommune")],
                       ignore_index=True)
    columns = ["study", "scenario", *odense.NEED_GRID, "replication", "seed", *odense.ODENSE_KPIS,
               *(f"gaps_{key}" for _, _, key in odense.GAP_BANDS)]
    stored = stored.reindex(columns=columns)
    stored.to_csv(out / "odense_stored_runs.csv", index=False, float_format="%.6g")
    files.append("odense_stored_runs.csv")

    runs = odense.staffing_sweep(law, max_extra=max_extra, replications=replications, seed=args.seed,
                                   **sweep_options(args), out=out / ("staffing_quick" if args.quick else "staffing"),
                                   progress=False if args.quiet else None)
    reference = float(kpis.loc[kpis["scenario"] == "odense_frikommune", "casework_coverage"].mean())
    answer = odense.staffing_answer(runs, args.target, base_workers=law.workers, fte_cost_dkk=law.fte_cost_dkk,
                                      reference_coverage=reference)
    runs.to_csv(out / "odense_staffing_runs.csv", index=False)
    interval_table(runs, ["workers", "caseload"], ["overdue_share", "casework_coverage"]).to_csv(
        out / "odense_staffing.csv", index=False)
    write_json(out / "odense_answer.json", answer)
    files += ["odense_staffing_runs.csv", "odense_staffing.csv", "odense_answer.json"]
    notes = odense.staffing_notes(answer, args.lang)
    (out / "odense_staffing_notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    files.append("odense_staffing_notes.txt")
    if not args.quiet:
        print("\n".join(notes))
    fig = odense.odense_staffing_figure(runs, answer, args.lang, seed=args.seed)
    files += save_figure(fig, out, "odense_staffing", quick=args.quick, lang=args.lang)
    if args.docs_img is not None:
        for stem in ("odense_gaps", "odense_need", "odense_staffing"):
            downscale_png(out / f"{stem}.png", args.docs_img / f"{stem}.png")
    if args.docs is not None:
        # the page's numbers, written by this command (tests/studies/test_odense_page.py checks them)
        stored.to_csv(args.docs / "odense_runs.csv", index=False, float_format="%.6g")
        write_json(args.docs / "odense_answer.json", {**answer, "wall_seconds": round(time.perf_counter() - t0)})
        update_page(args.docs / PAGE, odense.page_blocks(args.docs))
        print(f"wrote {args.docs / 'odense_runs.csv'}, {args.docs / 'odense_answer.json'} and the Odense blocks "
              f"of {args.docs / PAGE}")
    manifest = experiment_manifest(
        NAME, {**scenarios, "odense_2017 (staffing sweep)": law}, args, argv, seed=args.seed,
        replications=replications, grid={"workers": [w for w, _ in odense.staffing_points(law, max_extra)],
                                         "caseload": "citizens / workers"},
        wall_seconds=time.perf_counter() - t0, files=files + ["manifest.json"], answer=answer)
    write_json(out / "manifest.json", manifest)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_script(main))
