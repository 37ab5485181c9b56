"""The appointment-log format: reading, renamed columns, Yes/No no-show columns, dates only, and bad logs
(one message naming the column and the row, exit 2, no traceback) (issue 14)."""

from __future__ import annotations

import pandas as pd
import pytest

from jobsim.calibrate.log import LogError, lead_days, parse_column_map, read_appointment_log
from jobsim.cli import main
from log_files import GOOD, write


def test_a_good_log_is_read_sorted_with_types(tmp_path):
    log = read_appointment_log(write(tmp_path, GOOD))
    f = log.frame
    assert (log.bookings, log.citizens) == (4, 2)
    assert f["attended"].tolist() == [True, False, True, False]
    assert str(f["slot_start"].dtype).startswith("datetime64")
    assert lead_days(log).tolist() == [7.0, 83.0, 0.0, 38.0]
    assert log.describe() == "log.csv (4 bookings, 2 citizens, 2024-01-03 to 2024-04-01)"


def test_dates_without_times_are_allowed_and_a_same_day_slot_is_not_before_its_booking(tmp_path):
    text = "citizen_id,booked_at,slot_start,attended\nc1,2024-01-02T15:00:00,2024-01-02,yes\n"
    log = read_appointment_log(write(tmp_path, text))
    assert "slot_start" in log.dated_only and "booked_at" not in log.dated_only
    assert lead_days(log).tolist() == [0.0]


def test_renamed_columns_and_a_yes_no_noshow_column_read_like_the_format(tmp_path):
    renamed = ("PatientId,ScheduledDay,AppointmentDay,No-show\n"
               "c1,2024-01-02T10:00:00,2024-01-09T09:00:00,No\n"
               "c1,2024-01-09T09:10:00,2024-04-01T09:25:00,Yes\n"
               "c2,2024-01-03,2024-01-03,No\nc2,2024-01-03,2024-02-10,Yes\n")
    columns = parse_column_map("citizen_id=PatientId,booked_at=ScheduledDay,slot_start=AppointmentDay")
    theirs = read_appointment_log(write(tmp_path, renamed, "export.csv"), columns, noshow_column="No-show")
    ours = read_appointment_log(write(tmp_path, GOOD))
    pd.testing.assert_frame_equal(theirs.frame, ours.frame)


def test_parquet_logs_are_read(tmp_path):
    frame = pd.read_csv(write(tmp_path, GOOD), dtype=str)
    frame.to_parquet(tmp_path / "log.parquet")
    log = read_appointment_log(tmp_path / "log.parquet")
    assert log.frame["attended"].tolist() == [True, False, True, False]


BAD = [
    ("missing column", "citizen_id,booked_at,attended\nc1,2024-01-01,yes\n", [],
     "no column 'slot_start'"),
    ("missing column, close name", "citizen_id,booked_at,slot_starts,attended\nc1,2024-01-01,2024-01-02,yes\n", [],
     "did you mean 'slot_starts'?"),
    ("unparseable date", GOOD + "c3,2024-02-30,2024-03-01,yes\n", [],
     "column 'booked_at', row 5 (line 6 of a CSV file): cannot read '2024-02-30' as a date"),
    ("slot before booking", GOOD + "c3,2024-03-05,2024-03-01,yes\n", [],
     "column 'slot_start', row 5 (line 6 of a CSV file): the slot (2024-03-01 00:00:00) is before the booking"),
    ("a booking with no citizen", GOOD + ",2024-03-01,2024-03-05,yes\n", [],
     "column 'citizen_id', row 5 (line 6 of a CSV file): no citizen"),
    ("not a boolean", GOOD + "c3,2024-03-01,2024-03-05,maybe\n", [],
     "column 'attended', row 5 (line 6 of a CSV file): 'maybe' is not true/false or yes/no"),
    ("empty file", "", [], "the file is empty"),
    ("header only", "citizen_id,booked_at,slot_start,attended\n", [], "has a header but no bookings"),
    ("--columns names a column the file lacks", GOOD, ["--columns", "slot_start=AppointmentDay"],
     "--columns slot_start=AppointmentDay: the file has no column 'AppointmentDay'"),
    ("--columns names no format column", GOOD, ["--columns", "slotstart=x"],
     "--columns: 'slotstart' is not a column of the appointment-log format (did you mean 'slot_start'?)"),
    ("no such file", None, [], "no such file"),
]


@pytest.mark.parametrize("text, options, message", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_log_gives_one_line_naming_column_and_row_and_exit_2(tmp_path, capsys, text, options, message):
    path = tmp_path / "log.csv" if text is None else write(tmp_path, text)
    code = main(["calibrate", str(path), *options])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert message in err


def test_log_errors_are_jobsim_errors_from_python_too(tmp_path):
    with pytest.raises(LogError, match="row 5"):
        read_appointment_log(write(tmp_path, GOOD + "c3,2024-03-05,2024-03-01,yes\n"))


def test_a_column_of_midnights_is_read_as_dates(tmp_path):
    text = ("citizen_id,booked_at,slot_start,attended\n"
            "c1,2016-04-29T18:38:08Z,2016-04-29T00:00:00Z,yes\nc1,2016-04-29T18:40:00Z,2016-05-03T00:00:00Z,no\n")
    log = read_appointment_log(write(tmp_path, text))
    assert log.dated_only == {"slot_start"}
    assert lead_days(log).tolist() == [0.0, 4.0]
