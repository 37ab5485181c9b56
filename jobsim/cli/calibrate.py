"""``jobsim calibrate LOG``: scenario values with 95 % intervals from an appointment log, and a scenario fragment.

The log's format is in ``docs/appointment_log.md``; the estimators in :mod:`jobsim.calibrate`.
"""

from __future__ import annotations

import argparse
import os
import tempfile
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

    out = check_new_file(Path(args.out)) if args.out else None   # before any work: a bad --out wastes none
    log = read_appointment_log(args.log, parse_column_map(args.columns), args.noshow_column)
    result = calibrate(log)
    echo(result.report())
    if out is not None:
        write_new_file(out, result.to_toml())
        echo("")
        echo(f"Scenario fragment written to {display_path(out)}; run it with: "
             f"jobsim run laerkevej --with {display_path(out)}")
    return EXIT_OK


def check_new_file(out: Path) -> Path:
    """Refuse, in one line, an ``--out`` that is not a new file in a folder that exists and can be written to.

    Nothing is left behind: the check makes and removes a hidden probe file in the folder.
    """
    folder = out.parent
    if out.is_dir():
        raise JobsimError(f"--out: {out} is a folder; give the name of a new file, e.g. {out / 'calibrated.toml'}")
    if out.exists() or out.is_symlink():
        raise JobsimError(f"--out: {out} exists; give the name of a new file (an existing file is never "
                          "overwritten)")
    if not folder.exists():
        raise JobsimError(f"--out: the folder {folder} does not exist; create it first or give a new file in an "
                          "existing folder")
    if not folder.is_dir():
        raise JobsimError(f"--out: {folder} is not a folder; give a new file in a folder you can write to")
    try:
        fd, probe = tempfile.mkstemp(prefix=".jobsim-probe-", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise JobsimError(f"--out: cannot write in the folder {folder}: {err.strerror or err}; give a new file "
                          "in a folder you can write to") from None
    return out


def write_new_file(out: Path, text: str) -> None:
    """Write ``text`` to ``out``, which must still not exist: a file made there meanwhile is refused, not replaced."""
    try:
        fh = open(out, "x", encoding="utf-8")
    except FileExistsError:
        raise JobsimError(f"--out: {out} was made while calibrating; give the name of a new file (an existing "
                          "file is never overwritten)") from None
    except OSError as err:
        raise JobsimError(f"--out: cannot write {out}: {err.strerror or err}") from None
    try:
        with fh:
            fh.write(text)
    except OSError as err:   # a full disk: no half-written fragment is left (the file is ours: we made it)
        out.unlink(missing_ok=True)
        raise JobsimError(f"--out: cannot write {out}: {err.strerror or err}") from None
