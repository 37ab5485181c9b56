"""Parameter recovery, end to end (issue 14): simulate with known values, export the appointment log, read it
back, calibrate, and count how often each 95 % interval holds the true value over many seeds.

The bounds come from the binomial distribution: a correct 95 % interval holds the truth in at least
``binom.ppf(0.005, n, 0.95)`` of ``n`` independent replications with probability 99.5 %. Pooled over the
parameters the check is sharper (the parameters of one replication are not independent, so the pooled floor
is taken at the 0.05 % point). ``experiments/calibration_recovery.py`` runs the same with 200 replications.
"""

from __future__ import annotations

import pytest
from scipy import stats

from jobsim.studies.calibration import TRUTH, coverage, recovery, recovery_scenario

REPLICATIONS = 16


@pytest.fixture(scope="module")
def frame():
    return recovery(REPLICATIONS, seed=0)


@pytest.mark.slow
def test_every_parameter_is_estimated_in_every_replication(frame):
    assert set(frame["parameter"]) == set(TRUTH)
    assert frame["estimate"].notna().all() and frame["low"].notna().all()
    assert (frame["low"] <= frame["estimate"]).all() and (frame["estimate"] <= frame["high"]).all()


@pytest.mark.slow
def test_intervals_hold_the_true_values_at_close_to_nominal_coverage(frame):
    floor = stats.binom.ppf(0.005, REPLICATIONS, 0.95)
    per_parameter = {c.parameter: c.hits for c in coverage(frame)}
    assert all(hits >= floor for hits in per_parameter.values()), (per_parameter, floor)
    trials = REPLICATIONS * len(TRUTH)
    pooled = sum(per_parameter.values())
    assert stats.binom.ppf(0.0005, trials, 0.95) <= pooled, (pooled, trials)


@pytest.mark.slow
def test_estimates_centre_on_the_truth(frame):
    # the mean of the estimates over replications is within 4 standard errors of the truth
    for name, g in frame.groupby("parameter"):
        se = g["estimate"].std(ddof=1) / len(g) ** 0.5
        assert abs(g["estimate"].mean() - TRUTH[name]) <= 4 * se + 1e-9, (name, g["estimate"].mean(), se)


def test_the_recovery_scenario_keeps_the_log_what_the_model_used():
    s = recovery_scenario()
    assert s.absence_share == 0 and s.overrun
    assert all(getattr(s, k) == v for k, v in TRUTH.items())


def test_the_recovery_script_writes_its_tables_figure_and_manifest(tmp_path):
    import json

    import pandas as pd
    from conftest import run_experiment

    res = run_experiment("calibration_recovery", "--quick", "--replications", "2", "--jobs", "1", "--out",
                         str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "out"
    assert {"recovery.csv", "coverage.csv", "recovery.png", "recovery.svg", "manifest.json"} <= {
        p.name for p in out.iterdir()}
    coverage_table = pd.read_csv(out / "coverage.csv")
    assert set(coverage_table["parameter"]) == set(TRUTH) and (coverage_table["replications"] == 2).all()
    assert json.loads((out / "manifest.json").read_text())["truth"] == TRUTH
    assert "noshow_lead_odds_ratio" in res.stdout and "covered" in res.stdout


def test_the_recovery_script_refuses_too_few_realistic_replications_in_one_line(tmp_path):
    from conftest import run_experiment

    res = run_experiment("calibration_recovery", "--realistic-replications", "1", "--out", str(tmp_path / "out"),
                         cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].endswith(
        "--realistic-replications: 1 is too few for a coverage; use 2 or more")
    assert not (tmp_path / "out").exists()
