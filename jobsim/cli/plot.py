"""``jobsim plot DIR [--out FIGDIR] [--lang en|da]``: the standard figures of a stored sweep."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, JobsimError
from .common import display_path


def add_commands(subparsers) -> None:
    """Add ``plot`` to the ``jobsim`` command line."""
    p = subparsers.add_parser("plot", help="draw the standard figures of a sweep folder",
                              description="Draw the standard figures (PNG and SVG) of the sweep stored in DIR.")
    p.add_argument("folder", metavar="DIR", help="a folder written by 'jobsim sweep' or jobsim.sweep(out=...)")
    p.add_argument("--out", metavar="FIGDIR", default=None, help="where the figures go (default: DIR/figures)")
    p.add_argument("--lang", default="en", help="language of labels: en or da (default en)")
    p.set_defaults(func=cmd_plot)


def cmd_plot(args: argparse.Namespace) -> int:
    """``jobsim plot DIR``: the standard figures of a stored sweep (via jobsim.report.charts.standard_figures)."""
    from ..report.words import LANGS
    from ..runner.sweep import load_sweep

    if args.lang not in LANGS:
        raise JobsimError(f"--lang: {args.lang!r} is not supported; allowed: {', '.join(LANGS)}")
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
    out = Path(args.out) if args.out else Path(args.folder) / "figures"
    paths = standard_figures(result, out, lang=args.lang)
    for path in paths:
        print(display_path(Path(path)))
    return EXIT_OK
