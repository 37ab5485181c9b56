"""`jobsim calibrate` and `jobsim run --with` on the command line (issue 14): an export with other column names
and a Yes/No no-show column calibrates to the same values as the format's own log, the fragment runs on top of
a built-in scenario with its sources kept, --set wins over it, and bad fragments or outputs are refused."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from jobsim.cli import main
from log_files import simulated_log


@pytest.fixture(scope="module")
def log_file(tmp_path_factory):
    return simulated_log(tmp_path_factory.mktemp("log"))


def test_a_renamed_export_with_a_noshow_column_calibrates_like_the_original(log_file, tmp_path, capsys):
    ours = pd.read_csv(log_file)
    theirs = ours.rename(columns={"citizen_id": "PatientId", "booked_at": "ScheduledDay",
                                  "slot_start": "AppointmentDay", "checkin_at": "Arrived"})
    theirs["No-show"] = (~ours["attended"]).map({True: "Yes", False: "No"})
    theirs = theirs.drop(columns="attended")
    theirs.to_csv(tmp_path / "appointment_log.csv", index=False)
    assert main(["calibrate", str(log_file), "--out", str(tmp_path / "ours.toml")]) == 0
    assert main(["calibrate", str(tmp_path / "appointment_log.csv"), "--columns",
                 "citizen_id=PatientId,booked_at=ScheduledDay,slot_start=AppointmentDay,checkin_at=Arrived",
                 "--noshow-column", "No-show", "--out", str(tmp_path / "theirs.toml")]) == 0
    a = tomllib.loads((tmp_path / "ours.toml").read_text())
    b = tomllib.loads((tmp_path / "theirs.toml").read_text())
    assert a == b and {"noshow_probability", "punctuality_mean_minutes"} <= set(a)


def test_the_fragment_runs_on_top_of_a_scenario_and_set_wins(log_file, tmp_path, capsys):
    fragment = tmp_path / "ours.toml"
    assert main(["calibrate", str(log_file), "--out", str(fragment)]) == 0
    values = tomllib.loads(fragment.read_text())
    out = tmp_path / "run"
    assert main(["run", "laerkevej", "--with", str(fragment), "--set", "workers=2", "--set", "horizon_days=28",
                 "--set", "punctuality_sd_minutes=9", "--out", str(out), "-q"]) == 0
    text = (out / "scenario.toml").read_text()
    run = tomllib.loads(text)
    assert run["noshow_probability"] == values["noshow_probability"]
    assert run["punctuality_sd_minutes"] == 9.0
    assert "noshow_probability = " in text and "# estimated from appointment_log.csv" in text
    assert "punctuality_sd_minutes = 9.0  # --set on the command line" in text


@pytest.mark.parametrize("content, message", [
    ("noshow_probabilty = 0.2\n", "noshow_probabilty: unknown parameter (did you mean 'noshow_probability'?)"),
    ("noshow_probability = \n", "not valid TOML"),
    ("noshow_probability = 1.5\n", "noshow_probability:"),
])
def test_a_bad_fragment_is_refused_naming_the_file_and_parameter(tmp_path, capsys, content, message):
    fragment = tmp_path / "bad.toml"
    fragment.write_text(content)
    code = main(["run", "laerkevej", "--with", str(fragment), "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "run").exists()


def test_calibrate_never_overwrites_a_file(log_file, tmp_path, capsys):
    existing = tmp_path / "ours.toml"
    existing.write_text("keep me\n")
    assert main(["calibrate", str(log_file), "--out", str(existing)]) == 2
    assert "exists; give the name of a new file" in capsys.readouterr().err
    assert existing.read_text() == "keep me\n"
