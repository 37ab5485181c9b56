"""Dirty logs (issue 23, part 4): duplicate rows and booking keys, mixed time zones, out-of-range dates,
degenerate logs (one row, nobody or everybody attends, one citizen), and an --out checked before any work.

Each bad input gives one line naming the column and the row and what is allowed, exit 2, no traceback; what can
be estimated still is, and what cannot says why."""

from __future__ import annotations

import io
import tomllib

import pandas as pd
import pytest

from jobsim.calibrate.log import read_appointment_log
from jobsim.calibrate.report import calibrate
from jobsim.cli import main
from log_files import GOOD, simulated_log, write


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


# ------------------------------------------------------------------ --out, checked before the log is read

@pytest.mark.parametrize("out, message", [
    ("{t}/mine.toml", "jobsim: error: --out: {t}/mine.toml exists; give the name of a new file (an existing file "
                      "is never overwritten)"),
    ("{t}", "jobsim: error: --out: {t} is a folder; give the name of a new file, e.g. {t}/calibrated.toml"),
    ("{t}/nowhere/new.toml", "jobsim: error: --out: the folder {t}/nowhere does not exist; create it first or "
                             "give a new file in an existing folder"),
    ("{t}/mine.toml/new.toml", "jobsim: error: --out: {t}/mine.toml is not a folder; give a new file in a folder "
                               "you can write to"),
    # the tests may run as root, for whom a read-only mode bit is no obstacle; /proc refuses everyone
    ("/proc/new.toml", "jobsim: error: --out: cannot write in the folder /proc: No such file or directory; give a "
                       "new file in a folder you can write to"),
], ids=["an existing file", "a folder", "a folder that does not exist", "under a file", "a folder not writable"])
def test_out_is_refused_before_the_log_is_read(tmp_path, capsys, out, message):
    (tmp_path / "mine.toml").write_text("keep me\n")
    # the log does not exist: had it been read first, the error would be "no such file"
    code = main(["calibrate", str(tmp_path / "missing.csv"), "--out", out.format(t=tmp_path)])
    assert code == 2
    assert one_error_line(capsys) == message.format(t=tmp_path)
    assert (tmp_path / "mine.toml").read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_a_file_made_at_out_while_calibrating_is_not_replaced(tmp_path, capsys, monkeypatch):
    import jobsim.calibrate.report as report

    real = report.calibrate
    out = tmp_path / "new.toml"

    def calibrate_while_someone_writes(log):
        out.write_text("theirs\n")
        return real(log)

    monkeypatch.setattr(report, "calibrate", calibrate_while_someone_writes)
    assert main(["calibrate", str(write(tmp_path, GOOD)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == (f"jobsim: error: --out: {out} was made while calibrating; give the name "
                                            "of a new file (an existing file is never overwritten)")
    assert out.read_text() == "theirs\n"


# ------------------------------------------------------------------ duplicate rows and booking keys

@pytest.fixture(scope="module")
def clean_log(tmp_path_factory):
    """A simulated appointment log (Lærkevej, 3 caseworkers, half a year) with check-in and conversation times."""
    return simulated_log(tmp_path_factory.mktemp("clean"))


def test_exact_duplicate_rows_are_removed_counted_and_change_no_estimate(clean_log, tmp_path, capsys):
    clean = pd.read_csv(clean_log, dtype=str, keep_default_na=False)
    # every row twice, the copies shuffled in among the originals
    dirty = pd.concat([clean, clean.sample(frac=1.0, random_state=3)]).sample(frac=1.0, random_state=4)
    dirty_path = tmp_path / "appointment_log.csv"
    dirty.to_csv(dirty_path, index=False)
    ours, theirs = read_appointment_log(clean_log), read_appointment_log(dirty_path)
    assert (ours.duplicates_removed, theirs.duplicates_removed) == (0, len(clean))
    pd.testing.assert_frame_equal(theirs.frame, ours.frame)
    assert calibrate(theirs).estimates == calibrate(ours).estimates
    assert main(["calibrate", str(clean_log), "--out", str(tmp_path / "clean.toml")]) == 0
    clean_report = capsys.readouterr().out
    assert main(["calibrate", str(dirty_path), "--out", str(tmp_path / "dirty.toml")]) == 0
    dirty_report = capsys.readouterr().out
    removed = f"  - removed {len(clean):,} exact duplicate rows (equal in every column; the first of each kept)"
    assert dirty_report.splitlines()[1] == removed
    assert dirty_report.replace(removed + "\n", "") == clean_report.replace("clean.toml", "dirty.toml")
    fragment = (tmp_path / "dirty.toml").read_text()
    assert (f"# Reading the log: removed {len(clean):,} exact duplicate rows (equal in every column; the first of "
            "each kept).") in fragment
    assert tomllib.loads(fragment) == tomllib.loads((tmp_path / "clean.toml").read_text())


def test_one_exact_duplicate_is_counted_in_the_singular(tmp_path):
    log = read_appointment_log(write(tmp_path, GOOD + "c2,2024-01-03,2024-02-10,no\n"))
    assert (log.bookings, log.duplicates_removed) == (4, 1)
    assert log.changes == ("removed 1 exact duplicate row (equal in every column; the first of each kept)",)


def test_two_different_rows_for_one_booking_are_refused_naming_both_rows_and_what_differs(tmp_path, capsys):
    text = GOOD + "c3,2024-03-01,2024-03-05,yes\nc1,2024-01-03T08:00:00,2024-01-09T09:00:00,false\n"
    assert main(["calibrate", str(write(tmp_path, text))]) == 2
    assert one_error_line(capsys) == (
        "jobsim: error: log.csv: rows 1 and 6 (lines 2 and 7 of a CSV file) are the same booking (citizen_id 'c1', "
        "slot_start 2024-01-09 09:00:00) but differ in columns 'booked_at', 'attended'; allowed: one row per "
        "booking (citizen_id and slot_start, and booked_at where the slot is a date without a time of day); rows "
        "equal in every column are removed as duplicates, so keep the right one")


def test_a_repeated_booking_that_differs_only_in_a_column_the_format_does_not_use_is_refused_too(tmp_path, capsys):
    text = "id," + GOOD.replace("\nc", "\nx,c") + "y,c2,2024-01-03,2024-02-10,no\n"
    assert main(["calibrate", str(write(tmp_path, text))]) == 2
    assert one_error_line(capsys) == (
        "jobsim: error: log.csv: rows 4 and 5 (lines 5 and 6 of a CSV file) are the same booking (citizen_id 'c2', "
        "slot_start 2024-02-10 00:00:00, booked_at 2024-01-03 00:00:00) but differ in column 'id'; allowed: one "
        "row per booking (citizen_id and slot_start, and booked_at where the slot is a date without a time of "
        "day); rows equal in every column are removed as duplicates, so keep the right one")


def test_with_slots_as_dates_two_bookings_on_one_day_booked_at_different_times_are_two_bookings(tmp_path):
    text = GOOD + "c3,2024-03-01T09:00,2024-03-05,yes\nc3,2024-03-01T10:00,2024-03-05,no\n"
    log = read_appointment_log(write(tmp_path, text))
    assert (log.bookings, log.duplicates_removed, log.changes) == (6, 0, ())


# ------------------------------------------------------------------ time zones

TIMED = """citizen_id,booked_at,slot_start,attended,checkin_at
c1,2024-01-02T10:00{z},2024-01-09T09:00{z},yes,2024-01-09T08:58{z}
c2,2024-01-02T11:00{z},2024-07-09T09:00{s},yes,2024-07-09T09:03{s}
"""


def test_an_offset_in_one_column_and_none_in_the_others_is_refused_naming_the_columns(tmp_path, capsys):
    text = TIMED.format(z="", s="").replace("09:00,", "09:00+01:00,")
    assert main(["calibrate", str(write(tmp_path, text))]) == 2
    assert one_error_line(capsys) == (
        "jobsim: error: log.csv: mixed time zones: column slot_start has time-zone offsets (such as "
        "'2024-01-09T09:00+01:00') and booked_at, checkin_at do not, so the minutes between them would be off by "
        "the offset; allowed: an offset on every date-time or on none; fix: remove the offsets from slot_start if "
        "all times are local, or export booked_at, checkin_at with offsets too")


def test_an_offset_on_some_rows_of_a_column_only_is_refused_naming_the_row(tmp_path, capsys):
    assert main(["calibrate", str(write(tmp_path, TIMED.format(z="+01:00", s="")))]) == 2
    assert one_error_line(capsys) == (
        "jobsim: error: log.csv: column 'slot_start', row 2 (line 3 of a CSV file): '2024-07-09T09:00' has no "
        "time-zone offset, but row 1 has one ('2024-01-09T09:00+01:00'); allowed: an offset on every date-time or "
        "on none")


def test_one_offset_on_every_date_time_is_read_as_local_time_and_said(tmp_path):
    naive = read_appointment_log(write(tmp_path, TIMED.format(z="", s=""), "naive.csv"))
    aware = read_appointment_log(write(tmp_path, TIMED.format(z="+01:00", s="+01:00"), "aware.csv"))
    pd.testing.assert_frame_equal(aware.frame, naive.frame)
    assert naive.changes == ()
    assert aware.changes == ("date-times in booked_at, slot_start, checkin_at all have the time-zone offset "
                             "+01:00; read as local times without it",)


def test_summer_and_winter_offsets_are_read_at_the_most_common_keeping_the_minutes_between_times(tmp_path):
    log = read_appointment_log(write(tmp_path, TIMED.format(z="+01:00", s="+02:00")))
    f = log.frame
    assert f["slot_start"].tolist() == [pd.Timestamp("2024-01-09 09:00"), pd.Timestamp("2024-07-09 08:00")]
    assert ((f["checkin_at"] - f["slot_start"]).dt.total_seconds() / 60).tolist() == [-2.0, 3.0]
    assert log.changes == ("date-times in booked_at, slot_start, checkin_at have several time-zone offsets "
                           "(+01:00 in 4, +02:00 in 2); read as local times at +01:00, the most common (the "
                           "minutes between them are kept)",)


def parquet_log(tmp_path, zone_of) -> str:
    """TIMED as a Parquet file with datetime columns, each localised to ``zone_of(column)`` (None: naive)."""
    frame = pd.read_csv(io.StringIO(TIMED.format(z="", s="")))
    for col in ("booked_at", "slot_start", "checkin_at"):
        frame[col] = pd.to_datetime(frame[col])
        if zone_of(col):
            frame[col] = frame[col].dt.tz_localize(zone_of(col))
    frame.to_parquet(tmp_path / "log.parquet")
    return str(tmp_path / "log.parquet")


def test_a_zone_aware_parquet_column_next_to_naive_ones_is_refused(tmp_path, capsys):
    path = parquet_log(tmp_path, lambda col: "Europe/Copenhagen" if col == "slot_start" else None)
    assert main(["calibrate", path]) == 2
    assert one_error_line(capsys) == (
        "jobsim: error: log.parquet: mixed time zones: column slot_start has time-zone offsets (such as "
        "'2024-01-09 09:00:00+01:00') and booked_at, checkin_at do not, so the minutes between them would be off "
        "by the offset; allowed: an offset on every date-time or on none; fix: remove the offsets from slot_start "
        "if all times are local, or export booked_at, checkin_at with offsets too")


def test_a_parquet_log_zone_aware_in_every_column_is_read_as_local_time(tmp_path, capsys):
    path = parquet_log(tmp_path, lambda col: "Europe/Copenhagen")
    log = read_appointment_log(path)
    assert log.frame["slot_start"].tolist() == [pd.Timestamp("2024-01-09 09:00"), pd.Timestamp("2024-07-09 08:00")]
    assert log.changes == ("date-times in booked_at, slot_start, checkin_at have several time-zone offsets (+01:00 "
                           "in 4, +02:00 in 2); read as local times at +01:00, the most common (the minutes between "
                           "them are kept)",)
    assert main(["calibrate", path]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "  - " + log.changes[0]


# ------------------------------------------------------------------ out-of-range dates and impossible values

@pytest.mark.parametrize("row, message", [
    ("c3,1024-01-02,2024-03-05,yes,,",
     "column 'booked_at', row 5 (line 6 of a CSV file): '1024-01-02' is outside the years a booking log can hold; "
     "allowed: dates from 1970 to 2099"),
    ("c3,2024-03-01,9999-12-31T10:00,yes,,",
     "column 'slot_start', row 5 (line 6 of a CSV file): '9999-12-31T10:00' is outside the years a booking log "
     "can hold; allowed: dates from 1970 to 2099"),
    ("c3,1900-03-01,2024-03-05,yes,,",
     "column 'booked_at', row 5 (line 6 of a CSV file): '1900-03-01' is outside the years a booking log can hold; "
     "allowed: dates from 1970 to 2099"),
    ("c3,2024-03-01,2024-03-05,yes,2024-03-05T09:00,-5",
     "column 'conversation_end', row 5 (line 6 of a CSV file): cannot read '-5' as a date (YYYY-MM-DD) or ISO "
     "date-time (YYYY-MM-DDTHH:MM[:SS][Z])"),
    ("c3,2024-03-01,2024-03-05,yes,2024-03-05T09:00,2024-03-05T08:55",
     "column 'conversation_end', row 5 (line 6 of a CSV file): the conversation ends (2024-03-05 08:55:00) before "
     "it starts (conversation_start 2024-03-05 09:00:00); allowed: an end at or after the start"),
], ids=["year 1024", "year 9999", "year 1900", "conversation_end -5", "conversation ends before it starts"])
def test_an_impossible_date_names_the_column_and_row(tmp_path, capsys, row, message):
    text = GOOD.replace("attended\n", "attended,conversation_start,conversation_end\n").replace("\nc", ",,\nc")
    text = text.rstrip("\n") + ",,\n" + row + "\n"
    assert main(["calibrate", str(write(tmp_path, text))]) == 2
    assert one_error_line(capsys) == "jobsim: error: log.csv: " + message


# ------------------------------------------------------------------ degenerate logs: no traceback, one line each

def timed_log(citizens: list[str], attended: list[bool]) -> str:
    """A log of one booking per row, booked on 2024-01-01 for slots on the hours from 2024-02-01 09:00; an
    attended booking has a check-in 0 to 4 minutes early (``i % 5``) and a conversation of 18 to 22 minutes."""
    lines = ["citizen_id,booked_at,slot_start,attended,checkin_at,conversation_start,conversation_end"]
    for i, (citizen, came) in enumerate(zip(citizens, attended)):
        slot = pd.Timestamp("2024-02-01 09:00") + pd.Timedelta(days=i % 28, hours=i // 28)
        checkin, end = slot - pd.Timedelta(minutes=i % 5), slot + pd.Timedelta(minutes=18 + i % 5)
        held = f"{checkin:%Y-%m-%dT%H:%M},{slot:%Y-%m-%dT%H:%M},{end:%Y-%m-%dT%H:%M}" if came else ",,"
        lines.append(f"{citizen},2024-01-01T10:00,{slot:%Y-%m-%dT%H:%M},{'yes' if came else 'no'},{held}")
    return "\n".join(lines) + "\n"


NO_SHOW_PARAMETERS = ("noshow_probability", "noshow_spread", "noshow_lead_odds_ratio", "sms_effect")
NOT_MISSED = ("not estimated: no booking was missed ({n} of {n} attended): at a no-show rate of 0 nothing can be "
              "fitted; the rate per booking is below {bound} (95% upper bound)")
ALL_MISSED = ("not estimated: every booking was missed ({n} of {n}): at a no-show rate of 1 nothing can be "
              "fitted; the rate per booking is above {bound} (95% lower bound)")
ONE_CITIZEN = ("not estimated: the log has one citizen, whose own propensity says nothing of the mean or the "
               "spread between citizens")

DEGENERATE = [
    ("a one-row log", ["c1"], [True], {"noshow_probability": NOT_MISSED.format(n=1, bound=0.975),
                                       "conversation_minutes": "not estimated: only 1 citizen with a timed "
                                                               "conversation (need 10)",
                                       "punctuality_mean_minutes": "not estimated: only 1 check-in"}, set()),
    ("everyone attends", [f"c{i}" for i in range(40)], [True] * 40,
     {p: NOT_MISSED.format(n=40, bound=0.0881) for p in NO_SHOW_PARAMETERS},
     {"conversation_minutes", "conversation_cv", "punctuality_mean_minutes", "punctuality_sd_minutes"}),
    ("nobody attends", [f"c{i}" for i in range(40)], [False] * 40,
     {**{p: ALL_MISSED.format(n=40, bound=0.912) for p in NO_SHOW_PARAMETERS},
      "conversation_minutes": "not estimated: the log has no conversation_start and conversation_end values",
      "punctuality_sd_minutes": "not estimated: the log has no checkin_at values"}, set()),
    ("one citizen", ["c1"] * 40, [i % 3 != 0 for i in range(40)],
     {"noshow_probability": ONE_CITIZEN, "noshow_spread": ONE_CITIZEN,
      "conversation_minutes": "not estimated: only 1 citizen with a timed conversation (need 10)"},
     {"punctuality_mean_minutes", "punctuality_sd_minutes"}),
]


@pytest.mark.parametrize("citizens, attended, unestimated, estimated", [c[1:] for c in DEGENERATE],
                         ids=[c[0] for c in DEGENERATE])
def test_a_degenerate_log_says_what_it_cannot_estimate_and_estimates_the_rest(tmp_path, capsys, citizens, attended,
                                                                              unestimated, estimated):
    out = tmp_path / "fragment.toml"
    assert main(["calibrate", str(write(tmp_path, timed_log(citizens, attended))), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""                      # no traceback, not even a warning
    report, fragment = captured.out.splitlines(), out.read_text()
    for parameter, why in unestimated.items():
        assert sum(f"({parameter}): {why}" in line for line in report) == 1, (parameter, report)
        assert f"# {parameter}: {why}\n" in fragment
    assert set(tomllib.loads(fragment)) == estimated
    if "punctuality_mean_minutes" in estimated:   # i % 5 minutes early: 0 to 4 equally often among the attended
        assert tomllib.loads(fragment)["punctuality_mean_minutes"] == -2.0


def test_the_quadrature_holds_a_concentrated_beta_that_overflows_scipys_weights():
    import math

    import numpy as np

    from jobsim.calibrate.fit import beta_nodes as _nodes

    for mean in (0.01, 0.2, 0.9):
        p, logw = _nodes(mean, 1e5)
        w = np.exp(logw)
        assert np.all(np.isfinite(logw)) and math.isclose(w.sum(), 1.0, rel_tol=1e-12)
        assert math.isclose(w @ p, mean, rel_tol=1e-9)
        assert math.isclose(math.sqrt(w @ (p - mean) ** 2), math.sqrt(mean * (1 - mean) / (1e5 + 1)), rel_tol=1e-6)


# ------------------------------------------------------------------ the docs' examples are what jobsim says

def test_the_docs_refused_rows_give_the_messages_the_docs_show(tmp_path, capsys):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "appointment_log.md").read_text(encoding="utf-8")
    texts = re.findall(r"```text\n(.*?)```", doc, flags=re.S)
    base = next(t for t in texts if t.startswith("citizen_id,booked_at,slot_start,attended,conversation_start"))
    examples = next(t for t in texts if t.startswith("c1,2024-01-03T08:00:00")).splitlines()
    assert len(examples) == 10
    for row, message in zip(examples[::2], examples[1::2]):
        assert main(["calibrate", str(write(tmp_path, base + row + "\n"))]) == 2
        assert one_error_line(capsys) == message
