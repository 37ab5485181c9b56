"""pyarrow is an optional extra (``jobsim[parquet]``): without it a sweep writes every table but runs.parquet (a copy
of the runs in runs.sqlite and runs.csv) and its manifest and last line say so, and a .parquet appointment log gives
one line saying what to install. pyarrow's absence is simulated in a fresh Python whose ``import pyarrow`` fails
from the start (in this process pandas has already seen pyarrow, and would reach for it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

import jobsim
from jobsim.cli import main

COMMAND = ["sweep", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7",
           "--vary", "caseload=40,60", "-r", "2", "--out", "s"]
#: ``jobsim ARGS`` in a Python where pyarrow cannot be imported; prints whether pandas could write Parquet.
WITHOUT_PYARROW = """
import sys
sys.modules["pyarrow"] = None  # every `import pyarrow...` fails, as where the extra is not installed
from jobsim.runner.files import can_write_parquet
from jobsim.cli import main
print("can_write_parquet:", can_write_parquet())
sys.exit(main(sys.argv[1:]))
"""


def jobsim_without_pyarrow(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_PYARROW, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_sweep_command_without_pyarrow_writes_every_table_but_runs_parquet_and_says_so(tmp_path):
    proc = jobsim_without_pyarrow(*COMMAND, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    lines = proc.stdout.strip().splitlines()
    assert lines[0] == "can_write_parquet: False"
    assert lines[-1] == ("Outputs written to s/ (manifest.json, runs.sqlite, runs.csv, summary.csv); draw the "
                         "figures with: jobsim plot s")
    out = tmp_path / "s"
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "runs.csv", "runs.sqlite", "summary.csv"]
    assert json.loads((out / "manifest.json").read_text())["files"] == ["runs.sqlite", "runs.csv", "summary.csv"]
    stored = jobsim.load_sweep(out).runs  # the runs are all there, as with pyarrow
    assert len(pd.read_csv(out / "runs.csv")) == len(stored) == 4


def test_with_pyarrow_the_command_names_runs_parquet_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(COMMAND) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "Outputs written to s/ (manifest.json, runs.sqlite, runs.parquet, runs.csv, summary.csv); draw the figures "
        "with: jobsim plot s")
    assert json.loads((tmp_path / "s" / "manifest.json").read_text())["files"] == [
        "runs.sqlite", "runs.parquet", "runs.csv", "summary.csv"]


def test_a_runs_parquet_of_an_earlier_session_is_removed_by_one_without_pyarrow_not_left_out_of_date(tmp_path,
                                                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*COMMAND, "--quiet"]) == 0  # a first session, with pyarrow
    assert (tmp_path / "s" / "runs.parquet").is_file()
    proc = jobsim_without_pyarrow(*COMMAND, cwd=tmp_path)  # the same sweep: all 4 runs are stored already
    assert proc.returncode == 0, proc.stderr
    assert "4 of 4 runs were stored before and not run again" in proc.stdout
    assert not (tmp_path / "s" / "runs.parquet").exists()
    assert json.loads((tmp_path / "s" / "manifest.json").read_text())["files"] == [
        "runs.sqlite", "runs.csv", "summary.csv"]


def test_calibrate_on_a_parquet_log_without_pyarrow_says_what_to_install(tmp_path):
    log = pd.DataFrame({"citizen_id": ["c1", "c1"], "booked_at": ["2024-01-02T10:00:00", "2024-01-09T09:10:00"],
                        "slot_start": ["2024-01-09T09:00:00", "2024-04-01T09:25:00"], "attended": ["true", "false"]})
    log.to_parquet(tmp_path / "log.parquet")  # written here, where pyarrow is installed
    proc = jobsim_without_pyarrow("calibrate", "log.parquet", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ('jobsim: error: log.parquet: reading a Parquet log needs pyarrow: pip install '
                           '"jobsim[parquet]" (or give the log as a CSV file)\n')
