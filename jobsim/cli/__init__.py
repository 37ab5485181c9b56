"""The ``jobsim`` command line: :func:`main` (the ``jobsim`` script) and :func:`build_parser`.

Commands::

    jobsim run SCENARIO [--set name=value ...] [--seed N] [--replication R] [--out DIR] [--yes] [--quiet]
    jobsim scenarios
    jobsim show SCENARIO [--set name=value ...]
    jobsim check FILE [FILE ...]
    jobsim sweep SCENARIO [--set name=value ...] [--vary name=values ...] [--replications N] [--jobs N] ...
    jobsim plot DIR [--out FIGDIR] [--lang en|da] [--force]
    jobsim validate [--replications N] [--jobs N] [--seed N] [--out DIR]
    jobsim sensitivity SCENARIO [--method morris|sobol|lhs] [--param name=low:high ...] [--replications R] ...
    jobsim calibrate LOG [--columns NAME=COLUMN,...] [--noshow-column NAME] [--out FILE]
    jobsim report staffing SCENARIO | DIR [--lang en|da] [--out FILE|DIR] [--force] ...
    jobsim --version

SCENARIO is the name of a built-in scenario (``jobsim scenarios`` lists them)
or the path of a TOML file. Bad input (a scenario file, ``--set``, an unknown
scenario, a bad seed) gives one message on stderr naming the field and the
values it allows, and exit code 2; never a traceback. Ctrl-C gives exit code
130. The exit codes are those of :mod:`jobsim.errors`. A very big request
(:mod:`jobsim.runner.size`) is refused with exit code 2 unless ``--yes`` is given.

Layout: :mod:`.common` holds what the commands share (the parser class,
argument types, ``--set``, output folders, display helpers); each command
group has its own module (:mod:`.run`, :mod:`.scenarios` for scenarios, show
and check, :mod:`.sweep`, :mod:`.plot`) with an ``add_commands(subparsers)``
that adds its subcommands, each following one pattern::

    def add_commands(subparsers):
        p = subparsers.add_parser("sweep", help="one line for `jobsim --help`")
        p.add_argument(...)
        p.set_defaults(func=cmd_sweep)

    def cmd_sweep(args) -> int:      # args: the parsed argparse.Namespace
        ...                          # print results to stdout
        return EXIT_OK               # the exit code

A command raises :class:`jobsim.errors.JobsimError` (or a subclass such as
``ScenarioError``) for bad user input; :func:`main` prints its message and
returns 2.

Start-up time: ``jobsim --help`` and ``jobsim --version`` take under 0.3 s
(``python benchmarks/cli_startup.py`` measures it) because nothing heavy is
imported to build the parser. The rule for a command module (``run``,
``sweep``, ``sensitivity``, and new ones such as ``report``, ``validate``,
``calibrate``):

* at module top, import only the standard library, :mod:`jobsim.errors` and
  :mod:`.common` (which imports nothing else);
* import everything else (the model, the runner, pandas, NumPy, SciPy,
  matplotlib, SALib, Dask) *inside* ``cmd_<name>``, at its first line::

      def cmd_report(args) -> int:
          from ..report.charts import ...   # heavy: only when the command runs

* the ``help=`` and ``choices=`` of the parser are plain strings and tuples
  (not computed from the model), and :mod:`jobsim` itself loads its public
  names lazily (``jobsim/__init__.py``), so ``import jobsim.cli`` stays light.

``tests/cli/test_startup.py`` checks that building the parser imports none of
pandas, NumPy, SciPy, matplotlib, SALib or the model.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, JobsimError
from . import calibrate, fit, plot, report, run, scenarios, sensitivity, sweep, validate
from .common import PROG, Parser, stdout_to_devnull

#: The command modules, in the order their commands appear in ``jobsim --help``.
COMMAND_MODULES = (run, scenarios, sweep, plot, report, sensitivity, validate, calibrate, fit)


def _version_text() -> str:
    from ..runner.manifest import versions

    v = versions()
    return (f"{PROG} {v['jobsim']} (simpy {v['simpy']}, numpy {v['numpy']}, pandas {v['pandas']}, "
            f"Python {v['python']})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command of :data:`COMMAND_MODULES`."""
    parser = Parser(prog=PROG, description="Discrete-event simulation of a Danish jobcenter team: caseloads, "
                    "preparation time and follow-up gaps.")
    parser.add_argument("--version", action="version", version=_version_text())
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help(sys.stderr)
            return EXIT_BAD_INPUT
        code = int(func(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe is caught, rather than at exit
        return code
    except JobsimError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `jobsim show laerkevej | head`: the reader left; not an error of ours
        stdout_to_devnull()  # so that flushing stdout at exit does not fail again
        return EXIT_OK
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_BAD_INPUT)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
