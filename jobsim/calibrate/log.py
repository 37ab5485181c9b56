"""Reading an appointment log: one row per booked conversation (the format of ``docs/appointment_log.md``).

:func:`read_appointment_log` reads a CSV or Parquet file, renames columns
(``columns={"slot_start": "AppointmentDay"}``), turns a no-show column into
``attended`` (``noshow_column="No-show"``), parses dates and date-times,
checks every row and returns an :class:`AppointmentLog`. A bad log raises
:class:`LogError` with one message naming the column and the row (row 1 is
the first booking, on line 2 of a CSV file under its header).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import JobsimError, did_you_mean

#: Columns every log must have, and the optional ones, in the order of the format.
REQUIRED = ("citizen_id", "booked_at", "slot_start", "attended")
OPTIONAL = ("caseworker_id", "sms_sent", "checkin_at", "conversation_start", "conversation_end", "group")
TIME_COLUMNS = ("booked_at", "slot_start", "checkin_at", "conversation_start", "conversation_end")

_TRUE = {"true", "yes", "y", "1", "t", "ja", "j", "1.0"}
_FALSE = {"false", "no", "n", "0", "f", "nej", "0.0"}


class LogError(JobsimError):
    """An appointment log that cannot be read: the message names the column and the row."""


@dataclass(frozen=True)
class AppointmentLog:
    """A checked appointment log.

    ``frame`` has the format's column names: ``citizen_id`` and
    ``caseworker_id`` as text, the time columns as ``datetime64`` (UTC, no
    zone), ``attended`` and ``sms_sent`` as bool; it is sorted by citizen and
    ``booked_at``. ``dated_only`` names the time columns that hold dates
    without a time of day. ``source`` names the file.
    """

    frame: pd.DataFrame
    source: str
    dated_only: frozenset

    @property
    def bookings(self) -> int:
        return len(self.frame)

    @property
    def citizens(self) -> int:
        return int(self.frame["citizen_id"].nunique())

    @property
    def first_day(self) -> str:
        return self.frame["slot_start"].min().date().isoformat()

    @property
    def last_day(self) -> str:
        return self.frame["slot_start"].max().date().isoformat()

    def describe(self) -> str:
        """``"LOG (n bookings, m citizens, first to last)"``: what estimates are said to come from."""
        return (f"{self.source} ({self.bookings:,} bookings, {self.citizens:,} citizens, "
                f"{self.first_day} to {self.last_day})")

    def has(self, column: str) -> bool:
        """The log has this optional column with at least one value."""
        return column in self.frame and bool(self.frame[column].notna().any())


def parse_column_map(text: str | None) -> dict[str, str]:
    """``"slot_start=AppointmentDay,citizen_id=PatientId"`` as ``{format name: name in the file}``."""
    out: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        name, sep, theirs = item.partition("=")
        name, theirs = name.strip(), theirs.strip()
        if not sep or not name or not theirs:
            raise LogError(f"--columns: expected NAME=COLUMN pairs separated by commas, got {item.strip()!r}")
        if name not in REQUIRED + OPTIONAL:
            raise LogError(f"--columns: {name!r} is not a column of the appointment-log format"
                           f"{did_you_mean(name, REQUIRED + OPTIONAL)}; the format's columns are "
                           f"{', '.join(REQUIRED + OPTIONAL)}")
        out[name] = theirs
    return out


def read_appointment_log(path: str | os.PathLike, columns: dict[str, str] | None = None,
                         noshow_column: str | None = None) -> AppointmentLog:
    """Read and check an appointment log (CSV, or Parquet if the name ends in ``.parquet``).

    ``columns`` maps the format's names to the file's (``{"slot_start": "AppointmentDay"}``);
    ``noshow_column`` names a column that says whether the citizen did *not* come (its yes is a no-show),
    used instead of ``attended``.
    """
    path = Path(path)
    name = path.name
    raw = _read_table(path)
    if raw.shape[1] == 0:
        raise LogError(f"{name}: the file is empty; expected a header line with the columns "
                       f"{', '.join(REQUIRED)} and one row per booking")
    if len(raw) == 0:
        raise LogError(f"{name}: the file has a header but no bookings")
    mapping = dict(columns or {})
    if noshow_column is not None:
        if "attended" in mapping:
            raise LogError("--noshow-column and --columns attended=... both name the attendance column; give one")
        mapping["_noshow"] = noshow_column
    missing_file_columns = [theirs for theirs in mapping.values() if theirs not in raw.columns]
    if missing_file_columns:
        theirs = missing_file_columns[0]
        ours = next(k for k, v in mapping.items() if v == theirs)
        what = "--noshow-column" if ours == "_noshow" else f"--columns {ours}={theirs}"
        raise LogError(f"{name}: {what}: the file has no column {theirs!r}{did_you_mean(theirs, raw.columns)}; "
                       f"its columns are {', '.join(map(str, raw.columns))}")
    renamed = {theirs: ours for ours, theirs in mapping.items()}
    frame = raw.rename(columns=renamed)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for col in REQUIRED:
        if col == "attended" and "_noshow" in frame:
            continue
        if col not in frame:
            hint = (" or name the no-show column with --noshow-column NAME" if col == "attended" else "")
            raise LogError(f"{name}: no column {col!r}{did_you_mean(col, [str(c) for c in raw.columns])}; "
                           f"the file's columns are {', '.join(map(str, raw.columns))}; map a differently "
                           f"named column with --columns {col}=NAME{hint}")
    out = pd.DataFrame(index=frame.index)
    out["citizen_id"] = _ids(frame, "citizen_id", name, required=True)
    dated_only = set()
    for col in TIME_COLUMNS:
        if col in frame:
            out[col], date_only = _times(frame[col], col, name, required=col in REQUIRED)
            if date_only:
                dated_only.add(col)
    if "_noshow" in frame:
        out["attended"] = ~_booleans(frame["_noshow"], noshow_column, name)
    else:
        out["attended"] = _booleans(frame["attended"], "attended", name)
    if "sms_sent" in frame:
        out["sms_sent"] = _booleans(frame["sms_sent"], "sms_sent", name)
    if "caseworker_id" in frame:
        out["caseworker_id"] = _ids(frame, "caseworker_id", name, required=False)
    if "group" in frame:
        out["group"] = _ids(frame, "group", name, required=False)
    _check_order(out, dated_only, name)
    out = out.sort_values(["citizen_id", "booked_at", "slot_start"], kind="stable", ignore_index=True)
    return AppointmentLog(out, name, frozenset(dated_only))


def _read_table(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path).astype(object).where(lambda f: f.notna(), None).astype(str).replace(
                {"None": ""})
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise LogError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LogError(f"{path}: is a folder; expected an appointment log (CSV or Parquet)") from None
    except PermissionError:
        raise LogError(f"{path}: not allowed to read this file") from None
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except ImportError:  # pandas reads Parquet with pyarrow, an optional extra
        raise LogError(f'{path.name}: reading a Parquet log needs pyarrow: pip install "jobsim[parquet]" '
                       "(or give the log as a CSV file)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as err:
        raise LogError(f"{path.name}: cannot be read as a CSV table ({str(err).splitlines()[0]})") from None


def _row(index: int) -> str:
    return f"row {index + 1} (line {index + 2} of a CSV file)"


def _ids(frame: pd.DataFrame, col: str, name: str, required: bool) -> pd.Series:
    values = frame[col].astype(str).str.strip()
    empty = values.eq("") | values.str.lower().isin({"nan", "none"})
    if required and empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: no citizen; every booking must name the citizen "
                       "it was for")
    return values.mask(empty)


def _times(values: pd.Series, col: str, name: str, required: bool) -> tuple[pd.Series, bool]:
    text = values.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin({"nan", "nat", "none"})
    if required and empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: empty; every booking needs a {col}")
    parsed = pd.to_datetime(text.mask(empty), format="ISO8601", errors="coerce", utc=True)
    bad = parsed.isna() & ~empty
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: cannot read {text.iloc[i]!r} as a date "
                       "(YYYY-MM-DD) or ISO date-time (YYYY-MM-DDTHH:MM[:SS][Z])")
    parsed = parsed.dt.tz_convert(None).astype("datetime64[ns]")
    # a column of dates written as midnight date-times ("2016-04-29T00:00:00Z", as many exports do) is dates
    valid = parsed[~empty]
    date_only = bool(text[~empty].str.len().le(10).all() or (valid == valid.dt.normalize()).all())
    return parsed, date_only


def _booleans(values: pd.Series, col: str, name: str) -> pd.Series:
    text = values.astype(str).str.strip().str.lower()
    yes, no = text.isin(_TRUE), text.isin(_FALSE)
    bad = ~(yes | no)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: {values.iloc[i]!r} is not true/false or yes/no")
    return pd.Series(yes.to_numpy(), index=values.index)


def _check_order(out: pd.DataFrame, dated_only: set, name: str) -> None:
    """A slot before its booking is an error; with dates only, a slot on the booking day is allowed."""
    if {"booked_at", "slot_start"} & dated_only:
        before = out["slot_start"].dt.normalize() < out["booked_at"].dt.normalize()
    else:
        before = out["slot_start"] < out["booked_at"]
    if before.any():
        i = int(np.flatnonzero(before.to_numpy())[0])
        raise LogError(f"{name}: column 'slot_start', {_row(i)}: the slot ({out['slot_start'].iloc[i]}) is "
                       f"before the booking was made (booked_at {out['booked_at'].iloc[i]})")
    for col in ("conversation_end",):
        if col in out and "conversation_start" in out:
            wrong = out[col] < out["conversation_start"]
            if wrong.any():
                i = int(np.flatnonzero(wrong.to_numpy())[0])
                raise LogError(f"{name}: column {col!r}, {_row(i)}: the conversation ends before it starts")


def lead_days(log: AppointmentLog) -> np.ndarray:
    """Days from the day a booking was made to the day of its slot (whole calendar days)."""
    f = log.frame
    return ((f["slot_start"].dt.normalize() - f["booked_at"].dt.normalize()).dt.days).to_numpy(dtype=float)
