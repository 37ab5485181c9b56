"""The benchmark scripts run and print their figures (speed itself is measured, never asserted)."""

import subprocess
import sys

from conftest import ROOT


def test_model_benchmark_runs_and_prints_its_figures():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "model_benchmark.py"), "--scenario", "ds_norm",
                          "--repeat", "1", "--no-memory"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "bare-SimPy event times" in res.stdout and "events each" in res.stdout


def test_simpy_anchor_runs_and_prints_the_ratio():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "simpy_anchor.py"), "--scenario", "ds_norm",
                          "--pairs", "1"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "pair 1: anchor" in res.stdout and "jobsim / anchor:" in res.stdout


def test_simpy_anchor_books_as_many_conversations_as_jobsim():
    """The anchor runs the same volume as jobsim, so a ratio per booking compares like with like. With no
    no-shows and a diary with room, a conversation lands booking_lead_days before it is due, so follow-ups
    alone make citizens x days / (interval_days - booking_lead_days) bookings; first conversations of the
    pre-fill and of entrants come on top. Over three seeds the counts vary by about 5% (exponential stays);
    the two means must agree within 15%."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from simpy_anchor import anchor_run, jobsim_run
    finally:
        sys.path.pop(0)
    import jobsim

    s = jobsim.Scenario(workers=4, caseload=40, noshow_probability=0.0, noshow_spread=0.0, absence_share=0.0,
                        horizon_days=364, warmup_days=0)
    follow_ups = s.workers * s.caseload * s.run_days / (s.interval_days - s.booking_lead_days)   # about 756
    anchor = sum(anchor_run(s, seed) for seed in (1, 2, 3)) / 3
    ours = sum(jobsim_run(s, seed, tables=False) for seed in (1, 2, 3)) / 3
    assert anchor > follow_ups and ours > follow_ups
    assert abs(anchor - ours) < 0.15 * ours


def test_large_team_benchmark_runs_each_configuration_in_a_child_and_prints_its_figures():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "large_team_benchmark.py"), "--workers", "20",
                          "--days", "7", "--scenarios", "ds_norm", "--small", "2"], capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 3 and lines[1].startswith("ds_norm   tables=False      1,640 citizens ")
    assert all(" us CPU/booking  ratio to 2: " in line and " MiB" in line for line in lines[1:])
