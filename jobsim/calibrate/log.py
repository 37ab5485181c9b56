"""Reading an appointment log: one row per booked conversation (the format of ``docs/appointment_log.md``).

:func:`read_appointment_log` reads a CSV or Parquet file, renames columns
(``columns={"slot_start": "AppointmentDay"}``), turns a no-show column into
``attended`` (``noshow_column="No-show"``), parses dates and date-times,
checks every row and returns an :class:`AppointmentLog`. A bad log raises
:class:`LogError` with one message naming the column and the row (row 1 is
the first booking, on line 2 of a CSV file under its header).

What reading changes, and says so (:attr:`AppointmentLog.changes`): rows
equal in every column are removed, the first of each kept; date-times that
all carry a time-zone offset become local times without one. What it
refuses: two different rows for one booking (the same citizen and slot),
date-times with an offset in some time columns and without in others, dates
outside the years a booking log can hold, a conversation that ends before it
starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import JobsimError, did_you_mean

#: Columns every log must have, and the optional ones, in the order of the format.
REQUIRED = ("citizen_id", "booked_at", "slot_start", "attended")
OPTIONAL = ("caseworker_id", "sms_sent", "checkin_at", "conversation_start", "conversation_end", "group")
TIME_COLUMNS = ("booked_at", "slot_start", "checkin_at", "conversation_start", "conversation_end")

_TRUE = {"true", "yes", "y", "1", "t", "ja", "j", "1.0"}
_FALSE = {"false", "no", "n", "0", "f", "nej", "0.0"}

#: The years a booking log can hold: a date outside them is a typing or export error (pandas holds only
#: 1677 to 2262 at all, so a year such as 1024 or 9999 must be refused before it is converted).
FIRST_YEAR, LAST_YEAR = 1970, 2099

#: A time-zone offset at the end of a date-time ("09:25Z", "09:25:00+01:00", "09:25+0100"), captured.
_OFFSET = r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d*)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)$"


class LogError(JobsimError):
    """An appointment log that cannot be read: the message names the column and the row."""


@dataclass(frozen=True)
class AppointmentLog:
    """A checked appointment log.

    ``frame`` has the format's column names: ``citizen_id`` and
    ``caseworker_id`` as text, the time columns as ``datetime64`` (local
    time as the log gives it, no zone), ``attended`` and ``sms_sent`` as
    bool; it is sorted by citizen and ``booked_at``. ``dated_only`` names the
    time columns that hold dates without a time of day. ``source`` names the
    file. ``duplicates_removed`` counts the rows dropped as exact duplicates
    of an earlier row; ``changes`` says in sentences what reading changed
    (for the report).
    """

    frame: pd.DataFrame
    source: str
    dated_only: frozenset
    duplicates_removed: int = 0
    changes: tuple[str, ...] = ()

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
        return (f"{self.source} ({_count(self.bookings, 'booking')}, {_count(self.citizens, 'citizen')}, "
                f"{self.first_day} to {self.last_day})")

    def has(self, column: str) -> bool:
        """The log has this optional column with at least one value."""
        return column in self.frame and bool(self.frame[column].notna().any())


def _count(n: int, thing: str) -> str:
    """``"1 booking"``, ``"1,234 bookings"``."""
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


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
    times = {col: _times(frame[col], col, name, required=col in REQUIRED) for col in TIME_COLUMNS if col in frame}
    dated_only = {col for col, t in times.items() if t.date_only}
    local, zone_note = _local_times(times, name)
    for col, values in local.items():
        out[col] = values
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
    exact = _one_row_per_booking(raw, out, dated_only, name)
    out = out[~exact]
    out = out.sort_values(["citizen_id", "booked_at", "slot_start"], kind="stable", ignore_index=True)
    removed = int(exact.sum())
    changes = []
    if removed:
        changes.append(f"removed {_count(removed, 'exact duplicate row')} (equal in every column; the first of "
                       "each kept)")
    if zone_note:
        changes.append(zone_note)
    return AppointmentLog(out, name, frozenset(dated_only), removed, tuple(changes))


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


class _Times(NamedTuple):
    """One time column as read: ``utc`` (the instant, no zone; a value without offset is taken as it
    stands), ``wall`` (the clock time as written), ``offset`` (minutes east of UTC, NaN where the value has
    none), ``text`` (as in the file), ``date_only`` (dates without a time of day)."""

    utc: pd.Series
    wall: pd.Series
    offset: pd.Series
    text: pd.Series
    date_only: bool


def _times(values: pd.Series, col: str, name: str, required: bool) -> _Times:
    text = values.astype(str).str.strip()
    empty = text.eq("") | text.str.lower().isin({"nan", "nat", "none"})
    if required and empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: empty; every booking needs a {col}")
    parsed = pd.to_datetime(text.mask(empty), format="ISO8601", errors="coerce", utc=True)
    # ISO 8601 reads "-5" as the year -5: a value that does not start with a four-digit year is no date here
    bad = (parsed.isna() | ~text.str.match(r"\d{4}")) & ~empty
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: cannot read {text.iloc[i]!r} as a date "
                       "(YYYY-MM-DD) or ISO date-time (YYYY-MM-DDTHH:MM[:SS][Z])")
    year = parsed.dt.year
    outside = (year < FIRST_YEAR) | (year > LAST_YEAR)
    if outside.any():   # before the conversion below, which cannot hold years such as 1024 or 9999
        i = int(np.flatnonzero(outside.to_numpy())[0])
        raise LogError(f"{name}: column {col!r}, {_row(i)}: {text.iloc[i]!r} is outside the years a booking log "
                       f"can hold; allowed: dates from {FIRST_YEAR} to {LAST_YEAR}")
    utc = parsed.dt.tz_convert(None).astype("datetime64[ns]")
    offset = pd.Series(np.nan, index=text.index)
    maybe = text.str.contains(r"[Zz]$|\d[+-]\d{2}(?::?\d{2})?$") & ~empty   # a quick first look: most logs have none
    if maybe.any():
        found = text[maybe].str.extract(_OFFSET, expand=False)
        offset[maybe] = found.map(_offset_minutes, na_action="ignore").astype(float)
    wall = utc + pd.to_timedelta(offset.fillna(0.0), unit="min")
    # a column of dates written as midnight date-times ("2016-04-29T00:00:00Z", as many exports do) is dates
    valid = wall[~empty]
    date_only = bool(text[~empty].str.len().le(10).all() or (valid == valid.dt.normalize()).all())
    return _Times(utc, wall, offset, text, date_only)


def _offset_minutes(text: str) -> float:
    """``"Z"`` 0, ``"+01:00"`` and ``"+0100"`` and ``"+01"`` 60, ``"-05:30"`` -330 (minutes east of UTC)."""
    if text in ("Z", "z"):
        return 0.0
    digits = text[1:].replace(":", "")
    minutes = 60 * int(digits[:2]) + (int(digits[2:4]) if len(digits) > 2 else 0)
    return float(minutes if text[0] == "+" else -minutes)


def _offset_text(minutes: float) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{int(abs(minutes)) // 60:02d}:{int(abs(minutes)) % 60:02d}"


def _local_times(times: dict[str, _Times], name: str) -> tuple[dict[str, pd.Series], str | None]:
    """The time columns as local times without a zone, and a sentence saying so if offsets were removed.

    Only differences between times matter, so all columns must be on one clock: date-times with an offset in
    some columns (or rows) and without in others are refused, naming them. When every date-time has an offset
    they become local times at the most common offset (all of them, for a log written in one zone), which
    keeps their differences. Columns of dates carry no clock and are kept as the dates written.
    """
    clocks = {col: t for col, t in times.items() if not t.date_only}
    for col, t in clocks.items():
        has, given = t.offset.notna(), t.utc.notna()
        if has.any() and (given & ~has).any():
            i, j = int(np.flatnonzero((given & ~has).to_numpy())[0]), int(np.flatnonzero(has.to_numpy())[0])
            raise LogError(f"{name}: column {col!r}, {_row(i)}: {t.text.iloc[i]!r} has no time-zone offset, but "
                           f"row {j + 1} has one ({t.text.iloc[j]!r}); allowed: an offset on every date-time or "
                           "on none")
    aware = [col for col, t in clocks.items() if t.offset.notna().any()]
    naive = [col for col, t in clocks.items() if t.utc.notna().any() and col not in aware]
    if aware and naive:
        example = clocks[aware[0]].text[clocks[aware[0]].offset.notna()].iloc[0]
        raise LogError(f"{name}: mixed time zones: column{'s' if len(aware) > 1 else ''} {', '.join(aware)} "
                       f"{'have' if len(aware) > 1 else 'has'} time-zone offsets (such as {example!r}) and "
                       f"{', '.join(naive)} {'do' if len(naive) > 1 else 'does'} not, so the minutes between "
                       "them would be off by the offset; allowed: an offset on every date-time or on none; fix: "
                       f"remove the offsets from {', '.join(aware)} if all times are local, or export "
                       f"{', '.join(naive)} with offsets too")
    out = {col: (t.wall.dt.normalize() if t.date_only else t.wall) for col, t in times.items()}
    if not aware:
        return out, None
    offsets = pd.concat([clocks[col].offset.dropna() for col in aware]).value_counts()
    common = float(offsets.index[0])
    for col in aware:
        out[col] = clocks[col].utc + pd.Timedelta(minutes=common)
    if len(offsets) == 1:
        return out, (f"date-times in {', '.join(aware)} all have the time-zone offset {_offset_text(common)}; "
                     "read as local times without it")
    counts = ", ".join(f"{_offset_text(m)} in {n:,}" for m, n in offsets.items())
    return out, (f"date-times in {', '.join(aware)} have several time-zone offsets ({counts}); read as local "
                 f"times at {_offset_text(common)}, the most common (the minutes between them are kept)")


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
    if "conversation_end" in out and "conversation_start" in out:
        wrong = out["conversation_end"] < out["conversation_start"]
        if wrong.any():
            i = int(np.flatnonzero(wrong.to_numpy())[0])
            raise LogError(f"{name}: column 'conversation_end', {_row(i)}: the conversation ends "
                           f"({out['conversation_end'].iloc[i]}) before it starts (conversation_start "
                           f"{out['conversation_start'].iloc[i]}); allowed: an end at or after the start")


def _one_row_per_booking(raw: pd.DataFrame, out: pd.DataFrame, dated_only: set, name: str) -> np.ndarray:
    """Which rows repeat an earlier row in every column of the file (to be removed); other repeats are refused.

    A booking is a citizen and a slot (and the day it was booked, when slots are dates: a citizen may have two
    slots on one day). Two rows for one booking that differ in any column are an error naming both rows and
    the columns: which of them is right, the log cannot tell.
    """
    exact = raw.duplicated(keep="first").to_numpy()
    slot = out["slot_start"]
    dated = slot.eq(slot.dt.normalize()) if "slot_start" not in dated_only else pd.Series(True, index=out.index)
    key = pd.DataFrame({"citizen_id": out["citizen_id"], "slot_start": slot,
                        "booked_at": out["booked_at"].where(dated)})   # NaT: the slot's clock time tells
    kept = key[~exact]
    repeated = kept.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return exact
    rows = np.flatnonzero(~exact)[repeated]          # positions in the file of the rows sharing a key
    same_key = pd.util.hash_pandas_object(key.iloc[rows], index=False).to_numpy()
    i, j = rows[same_key == same_key[0]][:2]         # the first booking with two rows, and its second row
    first = key.iloc[i]
    differ = [str(c) for c in raw.columns if raw[c].iloc[i] != raw[c].iloc[j]]
    what = f"slot_start {first['slot_start']}" + (f", booked_at {first['booked_at']}" if dated.iloc[i] else "")
    more = len(rows) - 2
    more = f"; {more:,} more row{'' if more == 1 else 's'} repeat a booking" if more else ""
    raise LogError(f"{name}: rows {i + 1} and {j + 1} (lines {i + 2} and {j + 2} of a CSV file) are the same "
                   f"booking (citizen_id {first['citizen_id']!r}, {what}) but differ in column"
                   f"{'s' if len(differ) > 1 else ''} {', '.join(repr(c) for c in differ)}{more}; allowed: one "
                   "row per booking (citizen_id and slot_start, and booked_at where the slot is a date without a "
                   "time of day); rows equal in every column are removed as duplicates, so keep the right one")


def lead_days(log: AppointmentLog) -> np.ndarray:
    """Days from the day a booking was made to the day of its slot (whole calendar days)."""
    f = log.frame
    return ((f["slot_start"].dt.normalize() - f["booked_at"].dt.normalize()).dt.days).to_numpy(dtype=float)
