"""``jobsim run``: one replication of a scenario; KPI table on stdout; tables, scenario and manifest to a folder."""

from __future__ import annotations

import argparse

from ..errors import EXIT_OK
from .common import (add_scenario_arguments, add_with_option, add_yes_option, changes_from_args, display_path, echo,
                     format_value, non_negative, output_folder, resolved_sources, scenario_label)

#: The standard event logs ``--event-log`` writes, and their file names.
EVENT_LOGS = ("xes", "ocel")
_EVENT_LOG_FILES = {"xes": "events.xes", "ocel": "events.jsonocel"}


def add_commands(subparsers) -> None:
    """Add ``run`` to the ``jobsim`` command line."""
    p = subparsers.add_parser("run", help="run one scenario and write its tables, scenario and manifest",
                              description="Run one replication of SCENARIO, print its KPIs and write meetings.csv, "
                              "citizens.csv, worker_days.csv, kpis.csv, scenario.toml and manifest.json.")
    add_scenario_arguments(p)
    p.add_argument("--seed", type=non_negative, default=0, help="random seed, an integer 0 or more (default 0)")
    p.add_argument("--replication", type=non_negative, default=0,
                   help="replication number: selects independent random streams (default 0)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="output folder, new or empty (default: outputs/run-<scenario>-<YYYYmmdd-HHMMSS>)")
    add_with_option(p)
    p.add_argument("--appointment-log", action="store_true",
                   help="also write appointment_log.csv: the bookings held or missed, in the format jobsim "
                   "calibrate reads (docs/appointment_log.md)")
    p.add_argument("--event-log", action="append", choices=EVENT_LOGS, default=[], metavar="{xes,ocel}",
                   help="also write a standard event log: xes (IEEE 1849, case = citizen) as events.xes, or ocel "
                   "(OCEL 2.0 JSON: citizens, caseworkers, bookings) as events.jsonocel; repeat for both")
    p.add_argument("--log-start", metavar="YYYY-MM-DD", default=None,
                   help="the calendar day (a Monday) of the model's day 0 in the logs (default 2024-01-01)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the output folder")
    add_yes_option(p)
    p.set_defaults(func=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    """``jobsim run``: one replication; KPI table on stdout; tables, scenario and manifest to a folder."""
    import pandas as pd

    from ..runner.files import folder_atomically, write_atomic, write_frame
    from ..runner.manifest import run_manifest, utc_now, write_manifest
    from ..model.kpis import KPIS, format_kpis
    from ..runner.simulate import simulate
    from ..runner.size import run_size
    from ..model.scenario import load_scenario
    from ..runner.eventlog import appointment_log, start_date, write_ocel, write_xes

    changes, fragment, fragment_sources = changes_from_args(args)
    scenario = load_scenario(args.scenario, **{**fragment, **changes})
    log_start = start_date(args.log_start)
    run_size(scenario, tables=True).check(args.yes, "add --yes")  # a huge run asks first (jobsim.runner.size)
    folder = output_folder(args.out, "run", scenario_label(scenario, args))
    say = (lambda *a: None) if args.quiet else echo  # a closed stdout does not stop the files being written

    say(f"jobsim run: scenario {scenario.name!r}, seed {args.seed}, replication {args.replication}: "
        f"{scenario.workers} workers, caseload {scenario.caseload:g}, prep_policy {scenario.prep_policy}, "
        f"{scenario.warmup_days} + {scenario.horizon_days} days")
    if fragment:
        say(f"with {args.with_file}: " + ", ".join(f"{k}={format_value(v)}" for k, v in fragment.items()
                                                    if k not in changes))
    if changes:
        say("changed: " + ", ".join(f"{k}={format_value(v)}" for k, v in changes.items()))
    started = utc_now()
    result = simulate(scenario, seed=args.seed, replication=args.replication)
    say("")
    say(format_kpis(result.kpis))
    say("")

    files = {"meetings.csv": result.meetings, "citizens.csv": result.citizens,
             "worker_days.csv": result.worker_days,
             "kpis.csv": pd.DataFrame([{"kpi": k, "value": v, "unit": KPIS[k][0]} for k, v in result.kpis.items()])}
    if args.appointment_log:
        files["appointment_log.csv"] = appointment_log(result, log_start)
    logs = [_EVENT_LOG_FILES[kind] for kind in dict.fromkeys(args.event_log)]
    sources = resolved_sources(args, scenario, {**fragment, **changes})
    for name in fragment:
        if name not in changes:
            sources[name] = fragment_sources.get(name) or f"--with {args.with_file}"
    # the folder is built under a temporary name and renamed at the end: an interrupted or failed run
    # (Ctrl-C, a full disk) leaves nothing behind that would block the same --out next time
    with folder_atomically(folder) as tmp:
        for name, frame in files.items():
            write_frame(tmp / name, frame)
        for kind in dict.fromkeys(args.event_log):
            (write_xes if kind == "xes" else write_ocel)(result, tmp / _EVENT_LOG_FILES[kind], log_start)
        write_atomic(tmp / "scenario.toml", scenario.to_toml(sources))
        manifest = run_manifest(
            scenario, args.seed, replication=args.replication, started=started, run_seconds=result.wall_seconds,
            command="run", scenario_argument=str(args.scenario), changes=changes, events=result.events,
            kpis=result.kpis, files=[*files, *logs, "scenario.toml", "manifest.json"],
            **({"with_file": str(args.with_file), "with_values": fragment} if fragment else {}))
        write_manifest(tmp / "manifest.json", manifest)
    where = display_path(folder)
    if args.quiet:
        echo(where)
    else:
        echo(f"Outputs written to {where}/ ({', '.join([*files, *logs])}, scenario.toml, manifest.json); "
             f"ran in {result.wall_seconds:.2f} s")
    return EXIT_OK
