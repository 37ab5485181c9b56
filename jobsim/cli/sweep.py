"""The ``jobsim sweep`` command: run a grid of parameter values with replications, store and summarise it.

::

    jobsim sweep SCENARIO [--set name=value ...] [--vary name=values ...] [--replications N] [--jobs N]
                 [--executor local|dask] [--scheduler tcp://HOST:PORT] [--seed N] [--out DIR] [--yes] [--quiet]

``--vary caseload=40:220:20`` is a range with the stop included (integer and
number parameters); ``--vary prep_policy=ahead,after_checkin,none`` a list
(any parameter). Every combination is run ``--replications`` times. Bad grids
give one message naming the parameter and exit code 2.

Where it goes: ``--out DIR``, or by default ``outputs/sweep-<scenario>-<digest>``
where the digest is a fingerprint of the whole request (every scenario value,
``--set`` included, the grid, replications and seed; see
:func:`jobsim.runner.sweep.default_folder`). The command prints the folder and
whether it is new or continues (``N of M runs already stored``). Stopped
(Ctrl-C, kill -9), the same command continues where it stopped, with or
without ``--out``. ``--out`` is checked before any run starts (a file, a
folder holding something else, a folder that cannot be written: exit 2).

Exit codes: 0 all runs done; 1 the sweep did not finish, its stored runs are
kept (some runs failed: they are named and run again next time; a worker
process kept dying, e.g. killed for lack of memory; a file could not be
written, e.g. a full disk): one line on stderr says what happened, how many
runs are stored where and how to continue; 2 bad input, or a very big request
without ``--yes`` (see :mod:`jobsim.runner.size`); 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ..errors import EXIT_FAILED_RUNS, EXIT_INTERRUPTED, EXIT_OK, JobsimError
from .common import (add_executor_options, add_scenario_arguments, add_yes_option, display_path, executor_from_args,
                     non_negative, positive, scenario_from_args, scenario_label)

#: KPIs shown in the table printed at the end of a sweep (all of them are in summary.csv).
HEADLINE_KPIS = ("followup_gap_days_mean", "overdue_share", "prepared_share", "casework_coverage",
                 "cost_dkk_per_citizen_year")


def add_commands(subparsers) -> None:
    """Add ``sweep`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "sweep", help="run a grid of parameter values with replications; store, summarise, resume",
        description="Run every combination of the --vary values --replications times (replication r uses the "
        "same random streams at every point: common random numbers). Writes manifest.json, runs.sqlite (one "
        "row per run), runs.csv, summary.csv and, where pyarrow is installed (pip install \"jobsim[parquet]\"), "
        "runs.parquet to the sweep folder; the same command again continues "
        "a stopped sweep (also without --out: the default folder is named after the request). A worker process "
        "that dies (e.g. killed for lack of memory) is replaced and its runs run again. If the sweep cannot "
        "finish (failed runs, a worker that keeps dying, a full disk), one line says what happened and how many "
        "runs are stored, and the exit code is 1.")
    add_scenario_arguments(p)
    p.add_argument("--vary", action="append", default=[], metavar="NAME=VALUES",
                   help="a varied parameter (repeatable): start:stop:step with stop included, e.g. "
                   "caseload=40:220:20, or a comma list, e.g. prep_policy=ahead,after_checkin,none")
    p.add_argument("--replications", "-r", type=positive, default=20, metavar="N",
                   help="replications per grid point (default 20)")
    p.add_argument("--jobs", "-j", type=positive, default=1, metavar="N",
                   help="worker processes; results are identical for any number (default 1)")
    add_executor_options(p)
    p.add_argument("--seed", type=non_negative, default=0, help="random seed, an integer 0 or more (default 0)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="sweep folder; a new one, or one holding the same sweep to continue it (default: "
                   "outputs/sweep-<scenario>-<fingerprint of the request>, so the same command continues there)")
    add_yes_option(p)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or table; print only the folder")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    """``jobsim sweep``: run the grid, print a short summary and where the files went."""
    from ..runner.grid import parse_grid
    from ..runner.store import StoreWriteError
    from ..runner.sweep import SweepError, SweepStopped, run_sweep, sweep_folder, sweep_request

    grid = parse_grid(args.vary)
    executor, scheduler = executor_from_args(args)
    scenario, changes = scenario_from_args(args)
    both = [name for name in grid if name in changes]
    if both:
        raise JobsimError(f"{both[0]}: given in both --set and --vary; give it in one of them")
    # built once: sized, then every point checked (a bad grid fails here, before a folder is made)
    request = sweep_request(scenario, grid, args.replications, args.seed, jobs=args.jobs, confirm=args.yes,
                            how_to_confirm="add --yes")
    grid, total = request.grid, request.total
    folder = Path(args.out) if args.out else sweep_folder(request, label=scenario_label(scenario, args))
    say = (lambda *a, **k: None) if args.quiet else print

    shape = " x ".join(f"{len(v)} {k}" for k, v in grid.items()) or "1 point"
    say(f"jobsim sweep: scenario {scenario.name!r}, {shape}, {args.replications} replications = {total} runs, "
        f"seed {args.seed}, " + (f"{args.jobs} job{'s' if args.jobs > 1 else ''}" if executor == "local" else
                                 f"Dask ({scheduler or 'a local cluster of ' + str(args.jobs) + ' processes'})"))
    if changes:
        say("changed: " + ", ".join(f"{k}={v}" for k, v in changes.items()))
    stored = request.stored_runs(folder)
    say(f"folder: {display_path(folder)}/ " + (f"(continuing: {stored} of {total} runs already stored)"
                                               if stored is not None else "(new)"))
    try:
        result = run_sweep(request, jobs=args.jobs, out=folder, progress=False if args.quiet else None,
                           executor=executor, scheduler=scheduler)
    except (SweepStopped, StoreWriteError) as err:
        if isinstance(err, StoreWriteError):  # a full disk before the first run (a folder it made is removed)
            err = SweepStopped("write", str(err), stored or 0, total, folder)
        advice = ("run the same command again to continue (with fewer --jobs if memory is short)"
                  if err.cause == "worker" else
                  "make room (or make the folder writable) and run the same command again to continue")
        where = f" in {display_path(folder)}/" if folder.is_dir() else ""
        print(f"jobsim: error: {err.reason}; {err.stored} of {err.total} runs are stored{where}; {advice}",
              file=sys.stderr)
        return EXIT_FAILED_RUNS
    except SweepError as err:
        say("")
        say(summary_text(err.result))
        print(f"jobsim: error: {err}", file=sys.stderr)
        print(f"jobsim: the other runs are stored in {display_path(folder)}/; run the same command again to retry "
              "the failed runs", file=sys.stderr)
        return EXIT_FAILED_RUNS
    except KeyboardInterrupt:
        print(f"jobsim: interrupted; finished runs are stored in {display_path(folder)}/: run the same command "
              "again to continue", file=sys.stderr)
        return EXIT_INTERRUPTED
    where = display_path(folder)
    if args.quiet:
        print(where)
        return EXIT_OK
    say("")
    say(summary_text(result))
    say("")
    executed = _runs_executed(folder)
    if executed is not None and executed < total:
        say(f"{total - executed} of {total} runs were stored before and not run again")
    say(f"Outputs written to {where}/ ({', '.join(['manifest.json', *_files(folder)])}); "
        f"draw the figures with: jobsim plot {where}")
    return EXIT_OK


def _files(folder: Path) -> list[str]:
    """The files of the sweep in ``folder`` as its manifest lists them (runs.parquet only where pyarrow is)."""
    from ..runner.manifest import read_manifest
    from ..runner.store import MANIFEST

    try:
        return [str(name) for name in read_manifest(folder / MANIFEST).get("files") or []]
    except (JobsimError, TypeError):
        return []


def _runs_executed(folder: Path) -> int | None:
    """How many runs the last session of the sweep in ``folder`` executed (None if unknown)."""
    from ..runner.manifest import read_manifest
    from ..runner.store import MANIFEST

    try:
        sessions = read_manifest(folder / MANIFEST).get("sessions") or []
        return int(sessions[-1]["runs_executed"])
    except (JobsimError, LookupError, TypeError, ValueError):
        return None


def _fmt(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "DKK":
        return f"{value:,.0f}"
    if unit == "share":
        return f"{value:.3f}"
    return f"{value:.1f}"


def summary_text(result, kpis=HEADLINE_KPIS, confidence: float = 0.95) -> str:
    """The headline KPIs per grid point as an aligned table: mean +/- the half-width of the interval."""
    import pandas as pd

    summary = result.summary(confidence)
    if summary.empty or not len(result.runs):
        return "(no finished runs)"
    summary = summary[summary["kpi"].isin(kpis)]
    rows = []
    for _point, block in summary.groupby("point", sort=True):
        first = block.iloc[0]
        row = {name: first[name] for name in result.varied}
        for rec in block.itertuples():
            text = _fmt(rec.mean, rec.unit)
            if rec.n > 1 and not math.isnan(rec.ci_high):
                # the t half-width: an interval cut at a bound (a share at 1) keeps it on its other side
                text += " ± " + _fmt(max(rec.ci_high - rec.mean, rec.mean - rec.ci_low), rec.unit)
            row[rec.kpi] = text
        row["n"] = int(block["n"].max())
        rows.append(row)
    table = pd.DataFrame(rows)
    text = table.to_string(index=False)
    return f"mean ± half-width of the {confidence:.0%} confidence interval\n{text}"
