"""``jobsim plot DIR [--out FIGDIR] [--lang en|da]``: the standard figures of a stored sweep."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, JobsimError
from .common import display_path, echo


def add_commands(subparsers) -> None:
    """Add ``plot`` to the ``jobsim`` command line."""
    p = subparsers.add_parser("plot", help="draw the standard figures of a sweep folder",
                              description="Draw the standard figures (PNG and SVG) of the sweep stored in DIR.")
    p.add_argument("folder", metavar="DIR", help="a folder written by 'jobsim sweep' or jobsim.sweep(out=...)")
    p.add_argument("--out", metavar="FIGDIR", default=None,
                   help="where the figures go: a new or empty folder (default: DIR/figures)")
    p.add_argument("--force", action="store_true",
                   help="write into FIGDIR even if it holds files (figures of the same name are replaced)")
    p.add_argument("--lang", default="en", help="language of labels: en or da (default en)")
    p.set_defaults(func=cmd_plot)


def cmd_plot(args: argparse.Namespace) -> int:
    """``jobsim plot DIR``: the standard figures of a stored sweep (via jobsim.report.charts.standard_figures).

    The figure folder is checked before anything is read or drawn, and written atomically
    (:func:`jobsim.runner.files.folder_atomically`): an interrupted or failed plot leaves it as it was.
    """
    from ..report.words import LANGS
    from ..runner.files import check_destination, folder_atomically
    from ..runner.sweep import load_sweep

    if args.lang not in LANGS:
        raise JobsimError(f"--lang: {args.lang!r} is not supported; allowed: {', '.join(LANGS)}")
    out = check_destination(args.out or Path(args.folder) / "figures", "--out" if args.out else "figures",
                            force=args.force,
                            allowed="a new or empty folder, or --force to replace the figures in it")
    result = load_sweep(args.folder)
    if not len(result.runs):
        raise JobsimError(f"{args.folder}: the sweep has no finished runs to plot")
    if not result.grid:
        raise JobsimError(f"{args.folder}: the sweep varies no parameter, so there is nothing to plot against; "
                          "its summary is in summary.csv")
    try:
        from ..report.charts import standard_figures
    except ImportError as err:
        raise JobsimError(f"plot: the figures are not available in this installation ({err})") from None
    if not result.complete:
        print(f"jobsim: note: {len(result.runs)} of {result.expected_runs} runs are finished; the figures show "
              "those", file=sys.stderr)
    with folder_atomically(out, "--out", merge=args.force) as tmp:
        names = [Path(path).name for path in standard_figures(result, tmp, lang=args.lang)]
    for name in names:
        echo(display_path(out / name))
    return EXIT_OK
