"""``jobsim calibrate LOG``: scenario values with 95 % intervals from an appointment log, and a scenario fragment.

The log's format is in ``docs/appointment_log.md``; the estimators in :mod:`jobsim.calibrate`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import EXIT_OK, JobsimError
from .common import display_path, echo


def add_commands(subparsers) -> None:
    """Add ``calibrate`` to the ``jobsim`` command line."""
    p = subparsers.add_parser(
        "calibrate", help="scenario values (no-shows, lead and SMS effects, conversations, punctuality) "
        "from an appointment log",
        description="Read an appointment log (CSV or Parquet, one row per booked conversation: citizen_id, "
        "booked_at, slot_start, attended, and optionally caseworker_id, sms_sent, checkin_at, "
        "conversation_start, conversation_end, group), print each estimate with its 95% confidence interval "
        "and goodness of fit, and write the values as a scenario fragment for 'jobsim run SCENARIO --with "
        "FILE'. See docs/appointment_log.md.")
    p.add_argument("log", metavar="LOG", help="the appointment log: a .csv file, or a .parquet file")
    p.add_argument("--columns", metavar="NAME=COLUMN,...", default=None,
                   help="the file's names for the format's columns, e.g. "
                   "--columns citizen_id=PatientId,slot_start=AppointmentDay,booked_at=ScheduledDay")
    p.add_argument("--noshow-column", metavar="NAME", default=None,
                   help="a column saying whether the citizen did NOT come (Yes = no-show), used instead of "
                   "attended")
    p.add_argument("--out", metavar="FILE", default=None,
                   help="write the scenario fragment here (a new file; default: only print the report)")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``jobsim calibrate``: read, check and calibrate a log; print the report; write the fragment."""
    from ..calibrate.log import parse_column_map, read_appointment_log
    from ..calibrate.report import calibrate
    from ..runner.files import write_atomic

    out = Path(args.out) if args.out else None
    if out is not None and out.exists():   # checked before the work: results are never overwritten
        raise JobsimError(f"--out: {out} exists; give the name of a new file")
    if out is not None and not out.parent.exists():
        raise JobsimError(f"--out: the folder {out.parent} does not exist")
    log = read_appointment_log(args.log, parse_column_map(args.columns), args.noshow_column)
    result = calibrate(log)
    echo(result.report())
    if out is not None:
        write_atomic(out, result.to_toml())
        echo("")
        echo(f"Scenario fragment written to {display_path(out)}; run it with: "
             f"jobsim run laerkevej --with {display_path(out)}")
    return EXIT_OK
