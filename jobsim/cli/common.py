"""What the ``jobsim`` commands share: the parser class, argument types, ``--set``, output folders, display.

A command raises :class:`jobsim.errors.JobsimError` (or a subclass such as
``ScenarioError``, or :class:`UsageError`) for bad input; :func:`jobsim.cli.main`
prints its message and returns :data:`~jobsim.errors.EXIT_BAD_INPUT`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from ..errors import JobsimError

PROG = "jobsim"


class UsageError(JobsimError):
    """Bad command-line syntax (unknown option, missing argument, bad seed)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors become one-line :class:`UsageError` messages instead of usage dumps."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------- helpers


def int_at_least(minimum: int):
    """An argparse type: a whole number ``minimum`` or more (e.g. 0 for --seed, 1 for --jobs)."""

    def parse(text: str) -> int:
        allowed = f"allowed: an integer {minimum} or more"
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; {allowed}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is {'negative' if value < 0 else 'too small'}; {allowed}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


non_negative = int_at_least(0)  # --seed, --replication
positive = int_at_least(1)  # --replications, --jobs


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``SCENARIO`` argument and ``--set name=value`` (repeatable) to a subcommand."""
    parser.add_argument("scenario", metavar="SCENARIO", help="built-in scenario name or path of a TOML file")
    add_set_option(parser)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--set name=value`` (repeatable) to a subcommand."""
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                        help="change one parameter of the scenario (repeatable), e.g. --set caseload=60")


def add_yes_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--yes``: go ahead with a request over the size limits of :mod:`jobsim.runner.size`."""
    parser.add_argument("--yes", "-y", action="store_true",
                        help="run even a very big request (over 100,000 runs, 20 million citizen-days or 2 million "
                        "citizens entering in one run, or 4 GB of memory); without it such a request is refused, "
                        "before anything runs, with an estimate of its size and time")


def add_executor_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--executor local|dask`` and ``--scheduler ADDRESS`` (see :mod:`jobsim.runner.executors`)."""
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="where the runs are executed: local (--jobs processes on this machine, the default) or "
                        "dask (a Dask cluster; needs pip install \"jobsim[dask]\"); results are identical")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                        help="with --executor dask: the address of a running Dask scheduler (default: the "
                        "DASK_SCHEDULER_ADDRESS environment variable, else a local cluster of --jobs processes)")


def executor_from_args(args: argparse.Namespace) -> tuple[str, str | None]:
    """``(executor, scheduler)`` from the options of :func:`add_executor_options`; a stray --scheduler is an error."""
    executor, scheduler = getattr(args, "executor", "local"), getattr(args, "scheduler", None)
    if scheduler is not None and executor != "dask":
        raise UsageError("--scheduler: only used with --executor dask")
    if scheduler is not None:  # the forms Dask connects to, checked before anything is created
        from ..runner.executors import check_address  # here: building the parser imports nothing heavy

        check_address(scheduler, "--scheduler")
    return executor, scheduler


def add_with_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--with FILE``: a scenario fragment applied on top of SCENARIO (:mod:`jobsim.calibrate.fragment`)."""
    parser.add_argument("--with", dest="with_file", metavar="FILE", default=None,
                        help="a scenario fragment (TOML with some parameters, e.g. written by jobsim calibrate) "
                        "applied on top of SCENARIO; --set still wins")


def changes_from_args(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """What ``--set`` and ``--with FILE`` change: ``(changes, fragment, fragment_sources)``.

    ``changes`` are the ``--set`` values, ``fragment`` the values of the ``--with`` file and
    ``fragment_sources`` their sources (its trailing comments); apply them as
    ``load_scenario(name, **{**fragment, **changes})`` (``--set`` wins). ``--set`` is checked
    before the file is read, so a typo in it is reported even when the file is fine.
    """
    changes = parse_assignments(getattr(args, "assignments", []) or [])
    with_file = getattr(args, "with_file", None)
    if not with_file:
        return changes, {}, {}
    from ..calibrate.fragment import read_fragment

    fragment, sources = read_fragment(with_file)
    return changes, fragment, sources


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """The typed changes given by ``--set name=value`` options (later ones win)."""
    from ..model.assignments import parse_assignment

    changes: dict[str, Any] = {}
    for item in items:
        name, value = parse_assignment(item)
        changes[name] = value
    return changes


def scenario_from_args(args: argparse.Namespace):
    """Load ``args.scenario`` (built-in name or TOML path) with ``args.assignments`` applied.

    Returns ``(scenario, changes)``; raises :class:`~jobsim.errors.ScenarioError` on bad input.
    """
    from ..model.scenario import load_scenario

    changes = parse_assignments(getattr(args, "assignments", []) or [])
    # --set is checked before the file is read, so a typo in --set is reported even if the file is fine.
    return load_scenario(args.scenario, **changes), changes


def scenario_label(scenario, args: argparse.Namespace) -> str:
    """The name used in default output folders: the scenario's name, or its file's stem for an unnamed one."""
    return scenario.name if scenario.name != "custom" else Path(args.scenario).stem


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "scenario"


def output_folder(out: str | os.PathLike | None, kind: str, name: str) -> Path:
    """The folder a command writes to, checked before any work is done (:func:`jobsim.runner.files.check_destination`).

    With ``out`` given: that folder, which must not exist, or be empty (results are never
    overwritten silently), in a place that can be written to. Without: a new
    ``outputs/<kind>-<name>-<YYYYmmdd-HHMMSS>`` under the current directory (with ``-2``, ``-3``... if
    two runs start in the same second).
    """
    from ..runner.files import check_destination

    if out is not None:
        return check_destination(out)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("outputs") / f"{kind}-{_safe_name(name)}-{stamp}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return check_destination(path, "output folder", allowed="a folder under the current directory you can "
                             "write to (or --out DIR)")


def stdout_to_devnull() -> None:
    """Send what is still printed to stdout to the null device (its reader has gone: a closed pipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def echo(*args: Any, **kwargs: Any) -> None:
    """``print`` to stdout that carries on when the reader has gone (``jobsim run ... | head -1``).

    A closed pipe must not stop a command from writing its files: after the first
    :class:`BrokenPipeError` stdout goes to the null device and the command goes on.
    """
    try:
        print(*args, **kwargs)
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_to_devnull()


def display_path(path: Path) -> str:
    """``path`` relative to the current directory when it lies inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def aligned_columns(rows: list[tuple[str, ...]], gap: str = "  ") -> list[str]:
    """Rows of text cells as left-aligned columns (the last column is not padded)."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [gap.join([c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]).rstrip() for r in rows]


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def resolved_sources(args: argparse.Namespace, scenario, changes: dict[str, Any]) -> dict[str, str]:
    """Where each value of the scenario actually run comes from: ``--set``, its file's comment, or the default.

    A value that differs from the default but has no comment in its file is labelled as coming from that
    file (rather than with the default's source, which would describe a different value).
    """
    from ..model.scenario import Scenario, field_info, scenario_sources

    sources = scenario_sources(args.scenario)
    for name, value in scenario.to_dict().items():
        if name in changes:
            sources[name] = "--set on the command line"
        elif (value != Scenario.model_fields[name].default and sources.get(name) == field_info(name)["source"]
              and name not in ("name", "description")):
            sources[name] = f"{args.scenario} (no source given)"
    return sources
