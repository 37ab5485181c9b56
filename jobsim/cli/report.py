"""``jobsim report``: one self-contained HTML file for policy staff.

::

    jobsim report staffing SCENARIO [--lang da] [--citizens N] [--quick] [--jobs N] [--out FILE.html]
    jobsim report DIR [--lang da] [--out FILE.html]       # a finished sweep folder, or jobsim validate's folder

``staffing SCENARIO`` runs the question itself (a caseload sweep, stored in
``outputs/report-staffing-SCENARIO[-quick]/`` so that the same command started
again continues it) and writes ``outputs/report-staffing-SCENARIO[-quick]-LANG.html``.
A folder holding ``validation.csv`` gives the validation report; any other
folder is read as a sweep. ``--validation DIR`` and ``--sensitivity FILE``
add those studies' tables to a report. The environment variable
``JOBSIM_QUICK=1`` has the effect of ``--quick``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import EXIT_OK, JobsimError
from .common import display_path, echo

QUESTIONS = ("staffing",)


def add_commands(subparsers) -> None:
    """Add ``report`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "report", help="write one self-contained HTML report (answer, figures, tables, provenance)",
        description="Write one self-contained HTML report that opens in any browser without a network: "
                    "'staffing SCENARIO' runs the staffing question for a scenario; a folder gives the report of "
                    "a finished sweep or of 'jobsim validate'.")
    p.add_argument("source", metavar="QUESTION|DIR", help="'staffing', or a sweep or validation folder")
    p.add_argument("scenario", metavar="SCENARIO", nargs="?", default=None,
                   help="the scenario of the question (a built-in name or a TOML file)")
    p.add_argument("--lang", default="en", help="language of the report: en or da (default en)")
    p.add_argument("--out", metavar="FILE", default=None, help="the HTML file to write (default: under outputs/)")
    p.add_argument("--citizens", type=float, default=None,
                   help="citizens on the municipality's caseload for the cost arithmetic (default 10,000)")
    p.add_argument("--quick", action="store_true",
                   help="a small run to check the report (marked 'quick run, not a result')")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    p.add_argument("--seed", type=int, default=0, help="base seed of the random streams (default 0)")
    p.add_argument("--replications", type=int, default=None, help="replications per point (default 10; 3 quick)")
    p.add_argument("--validation", metavar="DIR", default=None, help="jobsim validate's folder, for its table")
    p.add_argument("--sensitivity", metavar="FILE", default=None, help="the sensitivity study's sensitivity.csv")
    p.set_defaults(func=cmd_report)


def _check(args: argparse.Namespace) -> None:
    from ..report.words import LANGS

    if args.lang not in LANGS:
        raise JobsimError(f"--lang: {args.lang!r} is not supported; allowed: {', '.join(LANGS)}")
    if args.jobs < 1:
        raise JobsimError(f"--jobs: {args.jobs} is not allowed; use 1 or more")
    if args.replications is not None and args.replications < 2:
        raise JobsimError(f"--replications: {args.replications} is too few for a confidence interval; use 2 or more")
    if args.citizens is not None and not (args.citizens > 0 and args.citizens != float("inf")):
        raise JobsimError(f"--citizens: {args.citizens:g} is not allowed; use a positive number of citizens")
    if args.seed < 0:
        raise JobsimError(f"--seed: {args.seed} is not allowed; use a non-negative integer")


def cmd_report(args: argparse.Namespace) -> int:
    """``jobsim report``: build the report, write it atomically, print its path."""
    _check(args)
    from ..report.html import render
    from ..runner.files import write_atomic

    command = " ".join(["jobsim", "report", *sys.argv[2:]]) if sys.argv[1:2] == ["report"] else "jobsim report"
    quick = args.quick or os.environ.get("JOBSIM_QUICK") == "1"
    if args.source in QUESTIONS:
        if not args.scenario:
            raise JobsimError(f"report {args.source}: name a scenario, e.g. 'jobsim report {args.source} laerkevej' "
                              "('jobsim scenarios' lists them)")
        from ..model.scenario import load_scenario
        from ..studies.questions import DEFAULT_CITIZENS, staffing_report

        name = load_scenario(args.scenario).name
        stem = f"report-{args.source}-{name}{'-quick' if quick else ''}"
        store = Path("outputs") / stem
        out = Path(args.out) if args.out else Path("outputs") / f"{stem}-{args.lang}.html"
        report = staffing_report(args.scenario, args.lang, quick=quick, citizens=args.citizens or DEFAULT_CITIZENS,
                                 replications=args.replications, seed=args.seed, jobs=args.jobs, out=store,
                                 command=command, validation=args.validation, sensitivity=args.sensitivity,
                                 progress=None)
    else:
        folder = Path(args.source)
        if args.scenario:
            raise JobsimError(f"report: {args.scenario!r}: a scenario goes with a question "
                              f"({', '.join(QUESTIONS)}), not with a folder")
        if not folder.is_dir():
            raise JobsimError(f"report: {args.source!r} is neither a question ({', '.join(QUESTIONS)}) nor a folder")
        from ..report.sources import VALIDATION_FILE
        from ..studies.questions import sweep_report, validation_report

        if (folder / VALIDATION_FILE).is_file():
            report = validation_report(folder, args.lang, command=command, sensitivity=args.sensitivity)
        else:
            report = sweep_report(folder, args.lang, command=command, validation=args.validation,
                                  sensitivity=args.sensitivity)
        out = Path(args.out) if args.out else folder / f"report-{args.lang}.html"
    if report.warning:   # an unfinished sweep: said on the terminal too, not only inside the page
        print(f"jobsim: warning: {report.warning[0]}: {report.warning[1]}", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, render(report))
    echo(display_path(out))
    return EXIT_OK
