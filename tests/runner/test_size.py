"""The size guard (jobsim.runner.size): estimates from the scenario alone; a huge request asks first.

From Python a huge sweep raises RequestTooBig unless confirm=True; from the command line ``jobsim run`` and
``jobsim sweep`` exit 2 with one line mentioning --yes, before anything runs or any folder is made.
"""

from __future__ import annotations

import importlib
import tracemalloc

import pytest

import jobsim
from jobsim.cli import main
from jobsim.runner import size
from jobsim.runner.size import RequestTooBig, format_bytes, format_duration, run_size, sweep_size

experiment = importlib.import_module("jobsim.runner.sweep")

TINY = jobsim.Scenario(workers=1, horizon_days=7, warmup_days=0)
TINY_SET = ["--set", "workers=1", "--set", "horizon_days=7", "--set", "warmup_days=0"]


def one_error_line(err: str) -> str:
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("jobsim: error: ") and "Traceback" not in err, err
    return lines[0]


def test_run_size_counts_citizen_days_entries_and_rows():
    s = jobsim.Scenario()  # 10 workers x 45 citizens, 56 + 364 days, stays of 365 days
    plain = run_size(s)
    assert (plain.runs, plain.citizen_days, plain.table_rows) == (1, 450 * 420, 0)
    assert plain.entries == pytest.approx(450 * 420 / 365)
    assert plain.over_limits() == []
    with_tables = run_size(s, tables=True)
    meetings = 1.5 * 450 * 420 / 91 + 450 + plain.entries
    assert with_tables.table_rows == pytest.approx(meetings + 450 + plain.entries + 10 * 420)
    assert with_tables.memory > plain.memory and with_tables.seconds > plain.seconds


def test_sweep_size_takes_the_largest_point_of_the_grid():
    grid = {"workers": [2, 500], "caseload": [1000.0, 40.0], "stay_days": [365.0, 1.0], "prep_policy": ["ahead"]}
    est = sweep_size(TINY, grid, replications=3, jobs=2)
    assert est.runs == 8 * 3 and est.jobs == 2
    assert est.citizen_days == 500 * 1000 * 7
    assert est.entries == 500 * 1000 * 7 / 1.0
    assert est.over_limits() == ["3.5 million citizens entering in one run (the limit is 2.0 million; a short "
                                 "stay_days makes many citizens pass through)"]


def test_the_limits_each_refuse_with_one_message():
    big = sweep_size(jobsim.Scenario(), {"caseload": [40, 60]}, replications=10**9)
    assert big.over_limits() == ["2,000,000,000 runs (the limit is 100,000)",
                                 "more memory than the limit of 4.0 GB"]
    with pytest.raises(RequestTooBig) as err:
        big.check(False, "add --yes")
    message = str(err.value)
    assert message.startswith("a very big request: 2,000,000,000 runs (the limit is 100,000); more memory than "
                              "the limit of 4.0 GB; roughly ")
    assert message.endswith(" years on 1 process and 7.5 TB of memory. Add --yes to run it anyway, or ask for less")
    assert err.value.size is big
    big.check(True, "add --yes")  # confirmed: no error
    huge_run = run_size(jobsim.Scenario(workers=500, caseload=1000), tables=True)
    assert huge_run.over_limits()[0] == "210 million citizen-days in one run (the limit is 20 million)"


@pytest.mark.parametrize("seconds, text", [(0.2, "1 s"), (40, "40 s"), (150, "2.5 min"), (3 * 3600, "3.0 h"),
                                           (10 * 86400, "10 days"), (2e9, "63 years")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_format_bytes():
    assert (format_bytes(200 * 1024**2), format_bytes(4.6 * 1024**3), format_bytes(7.5 * 1024**4)) == (
        "200 MB", "4.6 GB", "7.5 TB")
    # from 1,000 of a unit, the next unit: never "1001 MB"
    assert (format_bytes(999 * 1024**2), format_bytes(1001 * 1024**2)) == ("999 MB", "1.0 GB")


# ------------------------------------------------------------------ Python

def test_python_sweep_refuses_a_huge_request_before_anything_runs(tmp_path, count_runs):
    with pytest.raises(RequestTooBig, match=r"^a very big request: 1,000,000,000 runs .*Pass confirm=True to run"):
        jobsim.sweep(TINY, {}, replications=10**9, out=tmp_path / "s", progress=False)
    assert count_runs == [] and not (tmp_path / "s").exists()


def test_python_sweep_runs_a_request_over_the_limit_when_confirmed(monkeypatch, count_runs):
    monkeypatch.setattr(size, "MAX_RUNS", 3)
    with pytest.raises(RequestTooBig, match="4 runs"):
        jobsim.sweep(TINY, {"caseload": [40, 60]}, replications=2, progress=False)
    result = jobsim.sweep(TINY, {"caseload": [40, 60]}, replications=2, progress=False, confirm=True)
    assert len(result.runs) == 4 and len(count_runs) == 4


def test_a_billion_replications_take_no_memory_before_the_first_runs(monkeypatch):
    done = []
    real = experiment.simulate

    def three_then_stop(*args, **kw):
        if len(done) == 3:
            raise KeyboardInterrupt
        done.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(experiment, "simulate", three_then_stop)
    tracemalloc.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            jobsim.sweep(TINY, {}, replications=10**9, progress=False, confirm=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(done) == 3
    assert peak < 100 * 1024**2  # a list of a billion tasks would be tens of gigabytes


# ------------------------------------------------------------------ command line

def test_cli_sweep_refuses_a_huge_request_with_exit_2_and_runs_nothing(tmp_path, monkeypatch, capsys, count_runs):
    monkeypatch.chdir(tmp_path)
    code = main(["sweep", "ds_norm", "--vary", "caseload=40,60", "--replications", "1000000000"])
    line = one_error_line(capsys.readouterr().err)
    assert code == 2
    assert line.startswith("jobsim: error: a very big request: 2,000,000,000 runs (the limit is 100,000)")
    assert line.endswith("Add --yes to run it anyway, or ask for less")
    assert count_runs == [] and not (tmp_path / "outputs").exists()


def test_cli_sweep_with_yes_runs_a_request_just_over_the_limit(tmp_path, monkeypatch, capsys, count_runs):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(size, "MAX_RUNS", 3)
    argv = ["sweep", "ds_norm", *TINY_SET, "--vary", "caseload=40,60", "-r", "2", "--quiet"]
    assert main(argv) == 2
    assert "4 runs (the limit is 3)" in one_error_line(capsys.readouterr().err)
    assert count_runs == []
    assert main([*argv, "--yes"]) == 0
    assert len(count_runs) == 4


def test_cli_run_refuses_a_huge_run_and_runs_one_just_over_the_limit_with_yes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "laerkevej", "--set", "workers=500", "--set", "caseload=1000"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("jobsim: error: a very big request: 210 million citizen-days in one run (the limit is "
                           "20 million)")
    assert "Add --yes to run it anyway" in line
    assert not (tmp_path / "outputs").exists()

    monkeypatch.setattr(size, "MAX_CITIZEN_DAYS", 100)
    argv = ["run", "laerkevej", *TINY_SET, "--quiet"]
    assert main(argv) == 2
    assert "citizen-days in one run (the limit is 0.0 million)" in one_error_line(capsys.readouterr().err)
    assert main([*argv, "--yes"]) == 0
    folder = capsys.readouterr().out.strip()
    assert (tmp_path / folder / "kpis.csv").exists()


# ------------------------------------------------------------------ large teams

LARGE_TINY = ["--set", "caseload=0.5", "--set", "horizon_days=7", "--set", "warmup_days=0"]


def test_cli_run_asks_before_a_team_of_more_than_500_and_runs_it_with_yes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "ds_norm", "--set", "workers=1500", "--set", "caseload=82"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "jobsim: error: a very big request: 1,500 caseworkers in one run (the limit is 500); 52 million "
        "citizen-days in one run (the limit is 20 million); roughly 48 s on 1 process and 1.4 GB of memory. Add "
        "--yes to run it anyway, or ask for less")
    assert not (tmp_path / "outputs").exists()
    argv = ["run", "ds_norm", "--set", "workers=1500", *LARGE_TINY, "--quiet"]
    assert main(argv) == 2
    assert "1,500 caseworkers in one run (the limit is 500); roughly " in one_error_line(capsys.readouterr().err)
    assert main([*argv, "--yes"]) == 0
    folder = tmp_path / capsys.readouterr().out.strip()
    assert (folder / "kpis.csv").exists() and "workers = 1500" in (folder / "scenario.toml").read_text()


def test_cli_sweep_sizes_a_large_team_on_its_processes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "ds_norm", "--set", "workers=1500", "--set", "caseload=82", "-r", "3", "--jobs", "2"]) == 2
    assert one_error_line(capsys.readouterr().err).endswith(
        "1,500 caseworkers in one run (the limit is 500); 52 million citizen-days in one run (the limit is 20 "
        "million); roughly 54 s on 2 processes and 1.0 GB of memory. Add --yes to run it anyway, or ask for less")
    # a team past the scenario's hard bound: the parameter's own message, not a size
    assert main(["sweep", "ds_norm", "--vary", "workers=10,30000", "-r", "2"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        "jobsim: error: workers: Input should be less than or equal to 20000 (got 30000; expected integer in "
        "workers) (at grid point workers=30000)")
    assert not (tmp_path / "outputs").exists()


def test_python_sweep_of_a_large_team_needs_confirm(count_runs):
    team = jobsim.Scenario(workers=501, caseload=0.5, horizon_days=7, warmup_days=0)
    with pytest.raises(RequestTooBig, match=r"^a very big request: 501 caseworkers in one run \(the limit is 500\); "
                                            r"roughly .*Pass confirm=True to run it anyway"):
        jobsim.sweep(team, {}, replications=1, progress=False)
    assert count_runs == []
    assert len(jobsim.sweep(team, {}, replications=1, progress=False, confirm=True).runs) == 1
