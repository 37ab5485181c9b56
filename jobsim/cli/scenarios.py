"""``jobsim scenarios``, ``jobsim show`` and ``jobsim check``: list, explain and validate scenarios."""

from __future__ import annotations

import argparse
import sys
import typing

from ..errors import EXIT_BAD_INPUT, EXIT_OK, JobsimError
from .common import PROG, add_scenario_arguments, aligned_columns, format_value, resolved_sources, scenario_from_args


def add_commands(subparsers) -> None:
    """Add ``scenarios``, ``show`` and ``check`` to the ``jobsim`` command line."""
    p = subparsers.add_parser("scenarios", help="list the built-in scenarios")
    p.set_defaults(func=cmd_scenarios)

    p = subparsers.add_parser("show", help="every parameter of a scenario with its value, unit and source")
    add_scenario_arguments(p)
    p.set_defaults(func=cmd_show)

    p = subparsers.add_parser("check", help="validate scenario files")
    p.add_argument("files", metavar="FILE", nargs="+", help="scenario TOML file(s)")
    p.set_defaults(func=cmd_check)


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
        print("\n".join(aligned_columns(rows)))
    for p in problems:
        print(f"{PROG}: error: {p}", file=sys.stderr)
    return EXIT_BAD_INPUT if problems else EXIT_OK


_SHOW_WIDTH = 32  # longer values (a description) are shortened in the table and shown in full above it


def allowed_values(name: str) -> str:
    """What a parameter allows, from the Scenario's field metadata: ``>= 1, <= 500``, ``0 to 1``, or the choices."""
    from ..model.policies import POLICIES
    from ..model.scenario import Scenario

    if name == "prep_policy":
        return ", ".join(POLICIES)
    field = Scenario.model_fields[name]
    if name == "desk_priority":
        return ", ".join(typing.get_args(field.annotation))
    if field.annotation is bool:
        return "true, false"
    bounds = {}
    for item in field.metadata:
        for attr, sign in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(item, attr, None)
            if value is not None:
                bounds[sign] = format_value(value)
    if ">=" in bounds and "<=" in bounds:
        return f"{bounds['>=']} to {bounds['<=']}"
    return ", ".join(f"{sign} {value}" for sign, value in bounds.items())


def cmd_show(args: argparse.Namespace) -> int:
    """``jobsim show``: every parameter with its value, unit, allowed values and source."""
    from ..model.scenario import field_info, field_names

    scenario, changes = scenario_from_args(args)
    sources = resolved_sources(args, scenario, changes)
    values = scenario.to_dict()
    rows = [("parameter", "value", "unit", "allowed", "source")]
    for name in field_names():
        text = format_value(values[name])
        if len(text) > _SHOW_WIDTH:
            text = text[:_SHOW_WIDTH - 3] + "..."
        rows.append((name, text, field_info(name)["unit"], allowed_values(name), sources.get(name, "")))
    print(f"scenario {scenario.name!r} ({args.scenario})" + (f": {scenario.description}" if scenario.description
                                                              else ""))
    print("\n".join(aligned_columns(rows)))
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
    return EXIT_BAD_INPUT if failed else EXIT_OK
