"""The ``jobsim`` command line.

Commands::

    jobsim run SCENARIO [--set name=value ...] [--seed N] [--replication R] [--out DIR] [--quiet]
    jobsim scenarios
    jobsim show SCENARIO [--set name=value ...]
    jobsim check FILE [FILE ...]
    jobsim --version

SCENARIO is the name of a built-in scenario (``jobsim scenarios`` lists them)
or the path of a TOML file. Bad input (a scenario file, ``--set``, an unknown
scenario, a bad seed) gives one message on stderr naming the field and the
values it allows, and exit code 2; never a traceback. Ctrl-C gives exit code
130.

Adding commands (how the sweep commands plug in)
------------------------------------------------
After building its own subcommands, :func:`build_parser` imports the optional
module ``jobsim.cli_sweep`` and, if it exists, calls
``cli_sweep.add_commands(subparsers)`` with the ``argparse`` subparsers object.
Every command, built-in or added, follows one pattern::

    def add_commands(subparsers):
        p = subparsers.add_parser("sweep", help="one line for `jobsim --help`")
        p.add_argument(...)
        p.set_defaults(func=cmd_sweep)

    def cmd_sweep(args) -> int:      # args: the parsed argparse.Namespace
        ...                          # print results to stdout
        return 0                     # the exit code

A command raises :class:`jobsim.errors.JobsimError` (or a subclass such as
``ScenarioError``) for bad user input; :func:`main` prints its message and
returns 2. Helpers here that added commands may reuse: :func:`add_set_option`,
:func:`scenario_from_args`, :func:`output_folder` and :func:`write_table`.
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

#: Exit codes.
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130


class UsageError(JobsimError):
    """Bad command-line syntax (unknown option, missing argument, bad seed)."""


class _Parser(argparse.ArgumentParser):
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


_seed = int_at_least(0)  # --seed, --replication


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--set name=value`` (repeatable) to a subcommand."""
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                        help="change one parameter of the scenario (repeatable), e.g. --set caseload=60")


def parse_assignments(items: Sequence[str]) -> dict[str, Any]:
    """The typed changes given by ``--set name=value`` options (later ones win)."""
    from ..model.scenario import parse_assignment

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


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "scenario"


def output_folder(out: str | os.PathLike | None, kind: str, name: str) -> Path:
    """The folder a command writes to, checked before any work is done.

    With ``out`` given: that folder, which must not exist, or be empty (results are never
    overwritten silently). Without: a new ``outputs/<kind>-<name>-<YYYYmmdd-HHMMSS>`` under the
    current directory (with ``-2``, ``-3``... if two runs start in the same second).
    """
    if out is not None:
        path = Path(out)
        if path.exists() and not path.is_dir():
            raise JobsimError(f"--out: {str(path)!r} exists and is not a folder; allowed: a new or empty folder")
        if path.is_dir() and any(path.iterdir()):
            raise JobsimError(f"--out: folder {str(path)!r} is not empty; refusing to overwrite earlier results. "
                              "Allowed: a new or empty folder (or remove this one first)")
        return path
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("outputs") / f"{kind}-{_safe_name(name)}-{stamp}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise JobsimError(f"--out: cannot create folder {str(path)!r}: {err.strerror}") from None


def write_table(frame, path: Path) -> None:
    """Write a DataFrame as CSV (no index, full float precision; identical bytes for identical runs)."""
    frame.to_csv(path, index=False, lineterminator="\n")


def _display_path(path: Path) -> str:
    """``path`` relative to the current directory when it lies inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())


def _columns(rows: list[tuple[str, ...]], gap: str = "  ") -> list[str]:
    """Rows of text cells as left-aligned columns (the last column is not padded)."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [gap.join([c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]).rstrip() for r in rows]


def _fmt_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


# ---------------------------------------------------------------- commands


def cmd_run(args: argparse.Namespace) -> int:
    """``jobsim run``: one replication; KPI table on stdout; tables, scenario and manifest to a folder."""
    import pandas as pd

    from ..runner.manifest import run_manifest, utc_now, write_manifest
    from ..model.kpis import KPIS, format_kpis
    from ..runner.simulate import simulate

    scenario, changes = scenario_from_args(args)
    folder = output_folder(args.out, "run", scenario.name if scenario.name != "custom" else Path(args.scenario).stem)
    say = (lambda *a: None) if args.quiet else print

    say(f"jobsim run: scenario {scenario.name!r}, seed {args.seed}, replication {args.replication}: "
        f"{scenario.workers} workers, caseload {scenario.caseload:g}, prep_policy {scenario.prep_policy}, "
        f"{scenario.warmup_days} + {scenario.horizon_days} days")
    if changes:
        say("changed: " + ", ".join(f"{k}={_fmt_value(v)}" for k, v in changes.items()))
    started = utc_now()
    result = simulate(scenario, seed=args.seed, replication=args.replication)
    say("")
    say(format_kpis(result.kpis))
    say("")

    _make_folder(folder)
    files = {"meetings.csv": result.meetings, "citizens.csv": result.citizens,
             "worker_days.csv": result.worker_days,
             "kpis.csv": pd.DataFrame([{"kpi": k, "value": v, "unit": KPIS[k][0]} for k, v in result.kpis.items()])}
    try:
        for name, frame in files.items():
            write_table(frame, folder / name)
        scenario.save(folder / "scenario.toml", resolved_sources(args, scenario, changes))
        manifest = run_manifest(
            scenario, args.seed, replication=args.replication, started=started, run_seconds=result.wall_seconds,
            command="run", scenario_argument=str(args.scenario), changes=changes, events=result.events,
            kpis=result.kpis, files=[*files, "scenario.toml", "manifest.json"])
        write_manifest(folder / "manifest.json", manifest)
    except OSError as err:
        raise JobsimError(f"--out: cannot write results to {str(folder)!r}: {err.strerror}") from None
    where = _display_path(folder)
    if args.quiet:
        print(where)
    else:
        print(f"Outputs written to {where}/ ({', '.join(files)}, scenario.toml, manifest.json); "
              f"ran in {result.wall_seconds:.2f} s")
    return EXIT_OK


def cmd_scenarios(args: argparse.Namespace) -> int:
    """``jobsim scenarios``: one line per built-in scenario: name, caseload, policy, description."""
    from ..model.scenario import builtin_names, load_scenario

    rows = [("name", "caseload", "prep_policy", "description")]
    problems = []
    for name in builtin_names():
        try:
            s = load_scenario(name)
        except JobsimError as err:
            problems.append(str(err))
            rows.append((name, "?", "?", "(invalid, see below)"))
            continue
        rows.append((name, f"{s.caseload:g}", s.prep_policy, s.description))
    if len(rows) == 1:
        print("(no built-in scenarios installed)")
    else:
        print("\n".join(_columns(rows)))
    for p in problems:
        print(f"{PROG}: error: {p}", file=sys.stderr)
    return EXIT_USAGE if problems else EXIT_OK


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


_SHOW_WIDTH = 32  # longer values (a description) are shortened in the table and shown in full above it


def cmd_show(args: argparse.Namespace) -> int:
    """``jobsim show``: every parameter with its value, unit and source."""
    from ..model.scenario import field_info, field_names

    scenario, changes = scenario_from_args(args)
    sources = resolved_sources(args, scenario, changes)
    values = scenario.to_dict()
    rows = [("parameter", "value", "unit", "source")]
    for name in field_names():
        text = _fmt_value(values[name])
        if len(text) > _SHOW_WIDTH:
            text = text[:_SHOW_WIDTH - 3] + "..."
        rows.append((name, text, field_info(name)["unit"], sources.get(name, "")))
    print(f"scenario {scenario.name!r} ({args.scenario})" + (f": {scenario.description}" if scenario.description
                                                              else ""))
    print("\n".join(_columns(rows)))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """``jobsim check``: validate scenario files; ``FILE: ok (scenario NAME)`` or the error, per file."""
    from ..model.scenario import load_scenario

    failed = 0
    for file in args.files:
        try:
            s = load_scenario(file)
        except JobsimError as err:
            failed += 1
            msg = str(err)
            # load_scenario already names the file for errors in its content; add it for the rest.
            print(msg if msg.startswith(f"{file}:") else f"{file}: {msg}", file=sys.stderr)
            continue
        print(f"{file}: ok (scenario {s.name})")
    return EXIT_USAGE if failed else EXIT_OK


# ---------------------------------------------------------------- parser


def _version_text() -> str:
    from ..runner.manifest import versions

    v = versions()
    return (f"{PROG} {v['jobsim']} (simpy {v['simpy']}, numpy {v['numpy']}, pandas {v['pandas']}, "
            f"Python {v['python']})")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command, including those added by ``jobsim.cli_sweep``."""
    parser = _Parser(prog=PROG, description="Discrete-event simulation of a Danish jobcenter team: caseloads, "
                     "preparation time and follow-up gaps.")
    parser.add_argument("--version", action="version", version=_version_text())
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = subparsers.add_parser("run", help="run one scenario and write its tables, scenario and manifest",
                              description="Run one replication of SCENARIO, print its KPIs and write meetings.csv, "
                              "citizens.csv, worker_days.csv, kpis.csv, scenario.toml and manifest.json.")
    p.add_argument("scenario", metavar="SCENARIO", help="built-in scenario name or path of a TOML file")
    add_set_option(p)
    p.add_argument("--seed", type=_seed, default=0, help="random seed, an integer 0 or more (default 0)")
    p.add_argument("--replication", type=_seed, default=0,
                   help="replication number: selects independent random streams (default 0)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="output folder, new or empty (default: outputs/run-<scenario>-<YYYYmmdd-HHMMSS>)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the output folder")
    p.set_defaults(func=cmd_run)

    p = subparsers.add_parser("scenarios", help="list the built-in scenarios")
    p.set_defaults(func=cmd_scenarios)

    p = subparsers.add_parser("show", help="every parameter of a scenario with its value, unit and source")
    p.add_argument("scenario", metavar="SCENARIO", help="built-in scenario name or path of a TOML file")
    add_set_option(p)
    p.set_defaults(func=cmd_show)

    p = subparsers.add_parser("check", help="validate scenario files")
    p.add_argument("files", metavar="FILE", nargs="+", help="scenario TOML file(s)")
    p.set_defaults(func=cmd_check)

    # Extension hook: the sweep commands live in an optional module (see the module docstring).
    from . import sweep as cli_sweep

    cli_sweep.add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        return int(func(args) or 0)
    except JobsimError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `jobsim show laerkevej | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing stdout at exit does not fail again
        return EXIT_OK
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
