"""The ``jobsim sensitivity`` command: which assumptions decide the answers (Morris, Sobol, Latin hypercube).

::

    jobsim sensitivity SCENARIO [--set name=value ...] [--method morris|sobol|lhs]
                       [--param name=low:high | name=level,level,... ...]
                       [--only name,name,...] [--kpi NAME ...] [--replications R] [--size N] [--seed N]
                       [--jobs N] [--executor local|dask] [--scheduler tcp://HOST:PORT] [--out DIR]
                       [--lang en|da] [--yes] [--quiet]

The ranges come from ``jobsim/gsa/ranges.toml`` (every assumption
parameter, with its source); ``--param`` overrides or adds one (a
categorical parameter's levels as a comma list: ``--param
desk_priority=edf,prep_first``), ``--only`` screens a subset. Writes ``sensitivity.csv`` (kpi, parameter, method, index,
value, ci_low, ci_high), ``noise.csv``, ``design.csv``, ``runs.csv``,
``ranges.csv``, the chart (``morris.png``/``.svg`` or ``sobol``/``lhs``, with
``--lang da`` the Danish one) and ``manifest.json`` with ``runs.sqlite`` to the
folder: ``--out DIR``, or ``outputs/sensitivity-<scenario>-<method>-<digest>``,
named after the request, so the same command continues a stopped analysis.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ..errors import EXIT_FAILED_RUNS, EXIT_OK, JobsimError
from .common import (add_executor_options, add_scenario_arguments, add_yes_option, display_path, echo,
                     executor_from_args, non_negative, positive, scenario_from_args, scenario_label)

#: Rows of the ranking printed per KPI.
SHOWN = 5


def add_commands(subparsers) -> None:
    """Add ``sensitivity`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "sensitivity", help="which assumptions decide the answers: Morris screening, Sobol indices or a Latin "
        "hypercube over the assumption parameters",
        description="Global sensitivity analysis over the ranges in jobsim/gsa/ranges.toml (every "
        "assumption parameter, with its source). Each design point is the mean of --replications runs with "
        "common random numbers; noise.csv says how much of the variance is the model's own noise. Writes "
        "sensitivity.csv (kpi, parameter, method, index, value, ci_low, ci_high) and a chart.")
    add_scenario_arguments(p)
    p.add_argument("--method", choices=("morris", "sobol", "lhs"), default="morris",
                   help="morris: screening, mu* and sigma (default); sobol: S1 and ST; lhs: a Latin hypercube, S1")
    p.add_argument("--param", action="append", default=[], metavar="NAME=LOW:HIGH",
                   help="override or add the range of a parameter (repeatable), e.g. --param caseload=150:260, or "
                   "a categorical parameter's levels, e.g. --param desk_priority=edf,prep_first; with --only, name "
                   "the parameter there too; an integer parameter's range must hold at least two integers")
    p.add_argument("--only", default=None, metavar="NAME,NAME,...",
                   help="screen only these parameters (default: all of ranges.toml, plus those of --param)")
    p.add_argument("--kpi", action="append", default=None, metavar="NAME",
                   help="a KPI to analyse (repeatable; default: overdue_share, prepared_share, casework_coverage, "
                   "direct_contact_share, followup_gap_days_p90)")
    p.add_argument("--replications", "-r", type=positive, default=1, metavar="R",
                   help="runs per design point, common random numbers (default 1; 2 or more for the noise report)")
    p.add_argument("--size", type=positive, default=None, metavar="N",
                   help="Morris trajectories (default 10), Sobol base samples, a power of two (default 64), or "
                   "Latin hypercube points (default 100)")
    p.add_argument("--seed", type=non_negative, default=0, help="seed of the design and the runs (default 0)")
    p.add_argument("--jobs", "-j", type=positive, default=1, metavar="N", help="worker processes (default 1)")
    add_executor_options(p)
    p.add_argument("--out", metavar="DIR", default=None,
                   help="folder (default: outputs/sensitivity-<scenario>-<method>-<fingerprint of the request>)")
    p.add_argument("--lang", choices=("en", "da"), default="en", help="language of the chart (default en)")
    add_yes_option(p)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or table; print only the folder")
    p.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``jobsim sensitivity``: run the design, print the ranking per KPI and where the files went."""
    from ..runner.size import RequestTooBig
    from ..runner.store import StoreWriteError
    from ..runner.sweep import SweepError, SweepStopped
    from ..gsa import HEADLINE_KPIS, choose_ranges, sensitivity
    from ..gsa.analysis import request_digest
    from ..gsa.charts import figures
    from ..gsa.methods import DEFAULT_SIZE

    executor, scheduler = executor_from_args(args)
    scenario, _ = scenario_from_args(args)
    only = None
    if args.only is not None:
        only = [n.strip() for n in args.only.split(",")]
        if not all(only):   # '--only ""' or 'a,,b': not "all parameters" in silence
            raise JobsimError(f"--only {args.only!r} has an empty name; give NAME,NAME,... "
                              "(leave --only out to screen every parameter of ranges.toml)")
    kpis = args.kpi or list(HEADLINE_KPIS)
    chosen = choose_ranges(scenario, only, args.param)  # bad names and ranges fail here, before a folder
    size = args.size or DEFAULT_SIZE[args.method]
    folder = Path(args.out) if args.out else Path("outputs") / (
        f"sensitivity-{scenario_label(scenario, args)}-{args.method}-"
        f"{request_digest(scenario, args.method, chosen, args.replications, size, 4, args.seed, kpis)}")
    say = (lambda *a, **k: None) if args.quiet else echo
    say(f"jobsim sensitivity: scenario {scenario.name!r}, {args.method}, {len(chosen)} parameters, size {size}, "
        f"{args.replications} replication{'s' if args.replications > 1 else ''} per point, seed {args.seed}")
    say(f"folder: {display_path(folder)}/")
    try:
        result = sensitivity(scenario, args.method, parameters=[r.name for r in chosen], ranges=args.param,
                             kpis=kpis, replications=args.replications, size=size, seed=args.seed, jobs=args.jobs,
                             executor=executor, scheduler=scheduler, out=folder,
                             progress=False if args.quiet else None, confirm=args.yes)
    except RequestTooBig as err:
        err.size.check(False, "add --yes")  # the same refusal, in the command line's words
        raise
    except StoreWriteError as err:  # a full disk before the first run (a folder it made is removed)
        print(f"jobsim: error: {err}; no run is stored; make room and run the same command again", file=sys.stderr)
        return EXIT_FAILED_RUNS
    except (SweepStopped, SweepError) as err:
        print(f"jobsim: error: {err}; the finished runs are stored in {display_path(folder)}/: run the same "
              "command again to continue", file=sys.stderr)
        return EXIT_FAILED_RUNS
    files = figures(result, folder, args.lang)
    if args.quiet:
        echo(display_path(folder))
        return EXIT_OK
    say("")
    say(ranking_text(result))
    say("")
    say(f"Outputs written to {display_path(folder)}/ (sensitivity.csv, noise.csv, design.csv, runs.csv, "
        f"ranges.csv, {', '.join(p.name for p in files)}, manifest.json, runs.sqlite)")
    return EXIT_OK


def ranking_text(result, shown: int = SHOWN) -> str:
    """The most influential parameters per KPI, with the value of the ranking index, and the noise share."""
    key = {"morris": "mu_star", "sobol": "ST", "lhs": "S1"}[result.method]
    lines = []
    for kpi in result.kpis:
        noise = result.noise.set_index("kpi").loc[kpi, "noise_share"]
        note = f"model noise {noise:.1%} of the variance" if not math.isnan(noise) else \
            "model noise not estimated (use --replications 2 or more)"
        lines.append(f"{kpi} ({note}): {key} by parameter")
        table = result.ranking(kpi).head(shown)
        # a categorical parameter is shown with its levels, as --param takes them (its mu* is a switch's effect)
        levels = {r.name: f"{r.name}={','.join(r.levels)}" for r in result.ranges if r.categorical}
        names = [levels.get(p, p) for p in table["parameter"]]
        width = max(len(p) for p in names)
        for name, row in zip(names, table.itertuples()):
            interval = f"  [{row.ci_low:.4g}, {row.ci_high:.4g}]" if not math.isnan(row.ci_low) else ""
            lines.append(f"  {name:<{width}}  {row.value:.4g}{interval}")
    if not lines:
        raise JobsimError("no KPI was analysed")
    return "\n".join(lines)
