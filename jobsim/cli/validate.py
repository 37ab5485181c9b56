"""``jobsim validate [--replications N] [--jobs N] [--seed N] [--out DIR]``: the model against published figures.

Runs every target of ``jobsim/validation/targets.toml`` with replications,
prints a table (target, reference band, model mean with 95% interval, inside
or outside, source) and writes ``validation.csv``, ``validation_runs.csv``,
the figure in English and Danish (``validation_en.png``/``.svg``,
``validation_da.png``/``.svg``) and ``manifest.json`` to ``--out`` (default
``outputs/validate-<YYYYmmdd-HHMMSS>``). The exit code is 0 whether the model
is inside the bands or not (a model outside a band is a finding, not a
failure); bad options give exit code 2. ``JOBSIM_QUICK=1`` runs half-year
runs with 3 replications (for tests); any value but empty, 0, false, no or
off counts (:func:`jobsim.runner.quick.quick_from_env`).
"""

from __future__ import annotations

import argparse

from ..errors import EXIT_OK
from .common import display_path, echo, int_at_least, non_negative, output_folder, positive


def add_commands(subparsers) -> None:
    """Add ``validate`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "validate", help="run the model against every published figure; table, CSV and figure",
        description="Run every validation target (jobsim/validation/targets.toml) with replications and print "
        "the model's mean and 95% interval against each published figure's band. Writes validation.csv, "
        "validation_runs.csv, the figure (English and Danish, PNG and SVG) and manifest.json. Exit code 0 "
        "whether the model is inside the bands or not.")
    p.add_argument("--replications", "-r", type=int_at_least(2), default=None, metavar="N",
                   help="replications per target, 2 or more for an interval (default 20; 3 with JOBSIM_QUICK=1)")
    p.add_argument("--jobs", "-j", type=positive, default=1, metavar="N",
                   help="worker processes; results are identical for any number (default 1)")
    p.add_argument("--seed", type=non_negative, default=0, help="random seed, an integer 0 or more (default 0)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="a new or empty folder for the results (default: outputs/validate-<date-time>)")
    p.set_defaults(func=cmd_validate)


def cmd_validate(args: argparse.Namespace) -> int:
    """``jobsim validate``: run the targets, print the table, write the files."""
    from ..runner.files import folder_atomically
    from ..runner.quick import quick_from_env
    from ..validation.run import DEFAULT_REPLICATIONS, QUICK_REPLICATIONS, table_text, validate, write_validation

    out = output_folder(args.out, "validate", "targets")  # checked before anything runs
    quick = quick_from_env()
    replications = args.replications or (QUICK_REPLICATIONS if quick else DEFAULT_REPLICATIONS)
    table, values, wall = validate(replications=replications, seed=args.seed, jobs=args.jobs, quick=quick)
    echo(table_text(table))
    counts = table["verdict"].value_counts()
    echo(f"\n{int(counts.get('inside', 0))} inside, {int(counts.get('outside', 0))} outside, "
         f"{int(counts.get('not available', 0))} not available; {replications} replications per target, "
         f"seed {args.seed}{', quick mode' if quick else ''}, {wall:.0f} s")
    held = table[table["role"] == "validation"]["verdict"].value_counts()
    echo(f"Only the {int(held.sum())} validation (held-out) targets can show the model right or wrong: "
         f"{int(held.get('inside', 0))} inside, {int(held.get('outside', 0))} outside, "
         f"{int(held.get('not available', 0))} without a band. Verification targets equal an input; calibration "
         "targets were used to set one.")
    with folder_atomically(out, "--out") as tmp:
        write_validation(tmp, table, values, replications=replications, seed=args.seed, quick=quick,
                         jobs=args.jobs, wall_seconds=wall)
    echo(display_path(out))
    return EXIT_OK
