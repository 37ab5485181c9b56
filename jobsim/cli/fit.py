"""``jobsim fit``: fit the time budget's unsourced minutes and rates to the published time-use shares (ABC-SMC).

The method is in :mod:`jobsim.fit.abc`; the priors in ``jobsim/fit/priors.toml``; docs/model.md says
what the shipped fit found.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import EXIT_OK
from .common import add_executor_options, display_path, echo, executor_from_args, int_at_least, positive


def add_commands(subparsers) -> None:
    """Add ``fit`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "fit", help="fit the time budget to the published time-use shares (approximate Bayesian computation)",
        description="Fit the time budget's unsourced parameters (priors in jobsim/fit/priors.toml) jointly to "
        "the calibration targets (the time-use shares of the KL 2014 and DS studies) by approximate Bayesian "
        "computation with pyabc (every target inside its band), on this machine's processes or a Dask cluster. "
        "Writes posterior.csv, summary.csv, batches.csv and manifest.json to --out; a killed fit run again with "
        "the same --out and settings continues with the batch it was in.")
    p.add_argument("--out", metavar="FOLDER", default="fit-out",
                   help="folder for the fit (new or empty, or holding a fit of the same settings to continue it; "
                   "default fit-out)")
    p.add_argument("--quick", action="store_true",
                   help="a small fit (40 particles, short runs): about a minute on 2 cores; for trying the "
                   "command, not for results")
    p.add_argument("--target", dest="targets", action="append", default=None, metavar="ID",
                   help="a validation target to fit to (repeat for several; default: direct_contact_share, "
                   "prep_followup_share)")
    p.add_argument("--priors", metavar="FILE", default=None,
                   help="a priors TOML file (default: the shipped jobsim/fit/priors.toml)")
    p.add_argument("--population", type=positive, default=None, metavar="N",
                   help="accepted particles per batch (default 50; --quick 40)")
    p.add_argument("--batches", type=positive, default=None, metavar="N",
                   help="batches (default 4; --quick 1); a killed fit loses at most the batch it was in")
    p.add_argument("--seed", type=int_at_least(0), default=0, help="random seed (default 0)")
    p.add_argument("--jobs", type=positive, default=1, help="processes on this machine (default 1)")
    add_executor_options(p)
    p.set_defaults(func=cmd_fit)


def cmd_fit(args: argparse.Namespace) -> int:
    """``jobsim fit``: check everything, run or continue the fit, print the summary."""
    from dataclasses import replace

    from ..fit.abc import FULL, QUICK, base_scenario, fit, fit_targets
    from ..fit.priors import load_priors

    executor, scheduler = executor_from_args(args)
    size = QUICK if args.quick else FULL
    if args.population is not None:
        size = replace(size, population=args.population)
    if args.batches is not None:
        size = replace(size, batches=args.batches)
    targets = fit_targets(args.targets)            # refusals before anything is created
    load_priors(args.priors, base_scenario(targets))
    result = fit(args.out, size, args.targets, args.priors, seed=args.seed, executor=executor,
                 scheduler=scheduler, jobs=args.jobs, progress=echo)
    echo("")
    echo(summary_text(result.summary))
    echo(f"\nPosterior, summary and manifest in {display_path(Path(args.out))}")
    return EXIT_OK


def summary_text(summary) -> str:
    """The summary as an aligned table: parameter, prior, posterior median and 90% interval, verdict."""
    lines = [f"{'parameter':<36} {'prior':>15} {'median':>9} {'90% interval':>19}  verdict"]
    for row in summary.itertuples():
        lines.append(f"{row.parameter:<36} {row.prior_low:>7.3g} to {row.prior_high:<5.3g} {row.median:>9.3g} "
                     f"{row.q05:>8.3g} to {row.q95:<8.3g}  {row.verdict}")
    return "\n".join(lines)
