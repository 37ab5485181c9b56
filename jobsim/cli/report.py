"""``jobsim report``: one self-contained HTML file for policy staff.

::

    jobsim report staffing SCENARIO [--set name=value ...] [--with FILE] [--lang da] [--citizens N]
                                    [--overdue-below SHARE] [--prepared-at-least SHARE] [--quick] [--jobs N]
                                    [--seed N] [--replications N] [--out FILE|DIR] [--force]
    jobsim report DIR [--lang da] [--out FILE|DIR] [--force]   # a sweep folder, or jobsim validate's folder

``staffing SCENARIO`` runs the question itself: a caseload sweep stored in
``outputs/report-staffing-<scenario>[-quick]-<fingerprint>/``, where the
fingerprint (:func:`jobsim.studies.questions.staffing_folder`) covers the
whole request (every scenario value, ``--set`` and ``--with`` included, seed,
replications, quick), so the same command started again continues its runs
and another seed or value gets a folder of its own. A folder holding
``validation.csv`` gives the validation report; any other folder is read as a
sweep. ``--validation DIR`` and ``--sensitivity FILE`` add those studies'
tables; each must exist and hold its table.

Where the HTML goes: without ``--out``, into the folder of its runs
(``report-staffing-<scenario>[-quick]-LANG.html`` in the staffing folder,
``DIR/report-LANG.html`` for a folder); the same command again replaces the
report jobsim wrote there, but never a file jobsim did not write (the page's
``generator`` tag says who wrote it) without ``--force``. ``--out FILE`` must
be a new file unless ``--force``; ``--out DIR`` (an existing folder, or a path
ending in ``/``) puts the report inside it under its default name, by the
default path's rule. Everything is checked before any run starts: a refused
report leaves no file and no folder.

``JOBSIM_QUICK`` set to anything but empty, 0, false, no or off has the effect
of ``--quick`` (:func:`jobsim.runner.quick.quick_from_env`). Exit codes: 0 the
report is written; 1 its sweep did not finish (the stored runs are kept: the
same command again continues); 2 bad input; 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import EXIT_FAILED_RUNS, EXIT_INTERRUPTED, EXIT_OK, JobsimError, did_you_mean
from .common import (add_set_option, add_with_option, changes_from_args, display_path, echo, int_at_least,
                     non_negative, positive, scenario_label)

QUESTIONS = ("staffing",)
#: The options that belong to a question (they set up its runs); with a folder they are refused, not ignored.
QUESTION_OPTIONS = (("assignments", "--set"), ("with_file", "--with"), ("citizens", "--citizens"),
                    ("overdue_below", "--overdue-below"), ("prepared_at_least", "--prepared-at-least"),
                    ("quick", "--quick"), ("jobs", "--jobs"), ("seed", "--seed"), ("replications", "--replications"))
#: What marks a page jobsim wrote (the ``generator`` tag of :func:`jobsim.report.html.render`).
GENERATOR_TAG = b'<meta name="generator" content="jobsim '


def add_commands(subparsers) -> None:
    """Add ``report`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "report", help="write one self-contained HTML report (answer, figures, tables, provenance)",
        description="Write one self-contained HTML report that opens in any browser without a network: "
                    "'staffing SCENARIO' runs the staffing question for a scenario; a folder gives the report of "
                    "a finished sweep or of 'jobsim validate'. A file that exists is never replaced unless it is "
                    "the report jobsim wrote at the default path, or --force is given.")
    p.add_argument("source", metavar="QUESTION|DIR", help="'staffing', or a sweep or validation folder")
    p.add_argument("scenario", metavar="SCENARIO", nargs="?", default=None,
                   help="the scenario of the question (a built-in name or a TOML file)")
    add_set_option(p)
    add_with_option(p)
    p.add_argument("--lang", default="en", help="language of the report: en or da (default en)")
    p.add_argument("--out", metavar="FILE|DIR", default=None,
                   help="the HTML file to write, new unless --force; or a folder (existing, or ending in /) to "
                   "write the report into under its default name (default: the folder of the report's runs)")
    p.add_argument("--force", action="store_true", help="replace the file at --out (or the default path) if it exists")
    p.add_argument("--citizens", type=float, default=None,
                   help="citizens on the municipality's caseload for the cost arithmetic (default 10,000)")
    p.add_argument("--overdue-below", metavar="SHARE", default=None,
                   help="target: the share of follow-up conversations held late stays below this (above 0, at "
                   "most 1; default 0.1, i.e. 10%%)")
    p.add_argument("--prepared-at-least", metavar="SHARE", default=None,
                   help="target: at least this share of held conversations is fully prepared (0 to 1; default "
                   "0.9, i.e. 90%%)")
    p.add_argument("--quick", action="store_true",
                   help="a small run to check the report (marked 'quick run, not a result')")
    p.add_argument("--jobs", type=positive, default=None, help="parallel processes (default: all cores)")
    p.add_argument("--seed", type=non_negative, default=None, help="base seed of the random streams (default 0)")
    p.add_argument("--replications", type=int_at_least(2), default=None,
                   help="replications per point, 2 or more for an interval (default 10; 3 quick)")
    p.add_argument("--validation", metavar="DIR", default=None, help="jobsim validate's folder, for its table")
    p.add_argument("--sensitivity", metavar="FILE", default=None,
                   help="the sensitivity study's sensitivity.csv (or its folder), for its table")
    p.set_defaults(func=cmd_report)


def _check(args: argparse.Namespace) -> None:
    """The options that need no file or scenario, checked first (one line naming the option)."""
    from ..report.words import LANGS

    if args.lang not in LANGS:
        raise JobsimError(f"--lang: {args.lang!r} is not supported; allowed: {', '.join(LANGS)}")
    if args.citizens is not None and not (args.citizens > 0 and args.citizens != float("inf")):
        raise JobsimError(f"--citizens: {args.citizens:g} is not allowed; use a positive number of citizens")
    if args.overdue_below is not None or args.prepared_at_least is not None:
        from ..studies.questions import check_target

        if args.overdue_below is not None:
            args.overdue_below = check_target("--overdue-below", args.overdue_below, above_zero=True)
        if args.prepared_at_least is not None:
            args.prepared_at_least = check_target("--prepared-at-least", args.prepared_at_least, above_zero=False)


def _given(args: argparse.Namespace, name: str) -> bool:
    value = getattr(args, name)
    return bool(value) if isinstance(value, (bool, list)) else value is not None


def _destination(out: str | None, default: Path, force: bool) -> Path:
    """The file the report goes to, checked before any work (see the module's docstring for the rules).

    ``default`` is the report's default path; ``out`` the ``--out`` text. Refused with one
    :class:`JobsimError` line naming ``--out``; nothing is created.
    """
    from ..runner.files import check_destination

    named = out is not None and not (out.endswith(("/", os.sep)) or Path(out).is_dir())
    path = Path(out) if named else (default if out is None else Path(out) / default.name)
    shown = f"{str(path)!r}" if out is not None else f"{str(path)!r} (the default file)"
    if path.is_dir():
        raise JobsimError(f"--out: {shown} is a folder, not a file; allowed: a new file, or --out DIR for "
                          "another folder")
    if path.exists() and not force:
        if named:
            raise JobsimError(f"--out: {shown} exists; refusing to overwrite it; allowed: a new file, a folder (the "
                              "report goes inside it under its default name), or --force to replace the file")
        if not _written_by_jobsim(path):
            raise JobsimError(f"--out: {shown} exists and jobsim did not write it; refusing to overwrite it; "
                              "allowed: --out FILE or --out DIR for another place, or --force to replace it")
    # the folder it goes in can be made and written to (checked with a probe; nothing is left)
    check_destination(path.parent, "--out", force=True, allowed="a new file or a folder")
    return path


def _written_by_jobsim(path: Path) -> bool:
    """Whether ``path`` is a report jobsim wrote: its head holds jobsim's generator tag."""
    try:
        with open(path, "rb") as fh:
            return GENERATOR_TAG in fh.read(2048)
    except OSError:
        return False


def _write(path: Path, html: str) -> None:
    """Write the report atomically; the folders made for it are removed again if the write fails."""
    from ..runner.files import write_atomic

    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, html)
    except OSError as err:
        for folder in made:  # deepest first: no empty folder is left behind
            try:
                folder.rmdir()
            except OSError:
                pass
        raise JobsimError(f"--out: cannot write {str(path)!r}: {err.strerror or err}") from None


def cmd_report(args: argparse.Namespace) -> int:
    """``jobsim report``: check everything, build the report, write it atomically, print its path."""
    _check(args)
    command = " ".join(["jobsim", "report", *sys.argv[2:]]) if sys.argv[1:2] == ["report"] else "jobsim report"
    if args.source in QUESTIONS:
        return _question(args, command)
    folder = Path(args.source)
    if not folder.is_dir():
        raise JobsimError(f"report: {args.source!r} is neither a question (allowed: {', '.join(QUESTIONS)}) nor a "
                          f"folder{did_you_mean(args.source, QUESTIONS)}")
    if args.scenario:
        raise JobsimError(f"report: {args.scenario!r}: a scenario goes with a question "
                          f"({', '.join(QUESTIONS)}), not with a folder")
    for name, option in QUESTION_OPTIONS:
        if _given(args, name):
            raise JobsimError(f"{option}: only with a question ({', '.join(QUESTIONS)}); a folder's report shows "
                              "what its runs hold")
    from ..report.html import render
    from ..report.sources import VALIDATION_FILE
    from ..studies.questions import read_studies, sweep_report, validation_report

    is_validation = (folder / VALIDATION_FILE).is_file()
    if is_validation and args.validation is not None:
        raise JobsimError("--validation: a validation folder's report is its validation table; allowed: "
                          f"--validation with a question ({', '.join(QUESTIONS)}) or a sweep folder")
    read_studies(args.validation, args.sensitivity, prefix="--")  # before the folder is read
    out = _destination(args.out, folder / f"report-{args.lang}.html", args.force)
    if is_validation:
        report = validation_report(folder, args.lang, command=command, sensitivity=args.sensitivity)
    else:
        report = sweep_report(folder, args.lang, command=command, validation=args.validation,
                              sensitivity=args.sensitivity)
    if report.warning:   # an unfinished sweep: said on the terminal too, not only inside the page
        print(f"jobsim: warning: {report.warning[0]}: {report.warning[1]}", file=sys.stderr)
    _write(out, render(report))
    echo(display_path(out))
    return EXIT_OK


def _question(args: argparse.Namespace, command: str) -> int:
    """``jobsim report staffing SCENARIO``: check, run (or continue) the sweep, write the report."""
    if not args.scenario:
        raise JobsimError(f"report {args.source}: name a scenario, e.g. 'jobsim report {args.source} laerkevej' "
                          "('jobsim scenarios' lists them)")
    from ..report.html import render
    from ..runner.quick import quick_from_env
    from ..runner.sweep import SweepError, SweepStopped
    from ..studies import questions

    quick = args.quick or quick_from_env()
    seed = args.seed or 0
    questions.read_studies(args.validation, args.sensitivity, prefix="--")
    set_changes, fragment, _ = changes_from_args(args)
    changes = {**fragment, **set_changes}  # --set wins over --with, as in jobsim run
    base, grid, reps = questions.staffing_request(args.scenario, quick=quick, changes=changes,
                                                  replications=args.replications)
    store = questions.staffing_folder(base, grid, reps, seed, scenario_label(base, args) + ("-quick" if quick else ""))
    stem = store.name.rsplit("-", 1)[0]  # report-staffing-<scenario>[-quick], without the fingerprint
    out = _destination(args.out, store / f"{stem}-{args.lang}.html", args.force)
    targets = {k: v for k, v in (("overdue_below", args.overdue_below),
                                 ("prepared_at_least", args.prepared_at_least)) if v is not None}
    where = display_path(store)
    try:
        report = questions.staffing_report(
            args.scenario, args.lang, quick=quick, citizens=args.citizens or questions.DEFAULT_CITIZENS,
            replications=args.replications, seed=seed, jobs=args.jobs or os.cpu_count() or 1, out=store,
            changes=changes, command=command, validation=args.validation, sensitivity=args.sensitivity,
            progress=None, **targets)
    except SweepStopped as err:
        advice = ("run the same command again to continue (with fewer --jobs if memory is short)"
                  if err.cause == "worker" else
                  "make room (or make the folder writable) and run the same command again to continue")
        print(f"jobsim: error: {err.reason}; {err.stored} of {err.total} runs are stored in {where}/; {advice}",
              file=sys.stderr)
        return EXIT_FAILED_RUNS
    except SweepError as err:
        print(f"jobsim: error: {err}; the other runs are stored in {where}/; run the same command again to retry "
              "the failed runs", file=sys.stderr)
        return EXIT_FAILED_RUNS
    except KeyboardInterrupt:
        print(f"jobsim: interrupted; finished runs are stored in {where}/: run the same command again to continue",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    _write(out, render(report))
    echo(display_path(out))
    return EXIT_OK
