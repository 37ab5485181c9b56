"""Dirty logs (issue 23, part 4): duplicate rows and booking keys, mixed time zones, out-of-range dates,
degenerate logs (one row, nobody or everybody attends, one citizen), and an --out checked before any work.

Each bad input gives one line naming the column and the row and what is allowed, exit 2, no traceback; what can
be estimated still is, and what cannot says why."""

from __future__ import annotations

import pytest

from jobsim.cli import main

GOOD = """citizen_id,booked_at,slot_start,attended
c1,2024-01-02T10:00:00,2024-01-09T09:00:00,true
c1,2024-01-09T09:10:00,2024-04-01T09:25:00,false
c2,2024-01-03,2024-01-03,yes
c2,2024-01-03,2024-02-10,no
"""


def write(tmp_path, text, name="log.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


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
