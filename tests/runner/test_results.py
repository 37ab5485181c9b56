"""A sweep's summary: its confidence intervals stay within the values a KPI can take (shares 0-1, counts >= 0)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

import jobsim
from jobsim.cli.sweep import summary_text
from jobsim.model.kpis import KPI_NAMES, UNIT_BOUNDS, bound_interval
from jobsim.runner.results import SweepResult, frames_from_records

# five replications of one point: a prepared share just under 1, a count of citizens just over 0
PREPARED = [1.0, 1.0, 0.999, 1.0, 0.998]
NO_CONTACT = [0.0, 0.0, 0.0, 1.0, 0.0]


def _result() -> SweepResult:
    grid = {"caseload": [40.0]}
    records = [{"point": 0, "replication": r, "run_seconds": 0.1, "error": None,
                "kpis": {k: 0.5 for k in KPI_NAMES} | {"prepared_share": p, "no_contact_over_year_count": c}}
               for r, (p, c) in enumerate(zip(PREPARED, NO_CONTACT, strict=True))]
    runs, failures = frames_from_records(grid, 0, records)
    return SweepResult(jobsim.Scenario(), grid, 5, 0, runs, failures)


def _t_interval(values):
    x = pd.Series(values)
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return x.mean() - half, x.mean() + half


def test_summary_keeps_a_share_within_0_and_1_and_a_count_at_or_above_0(tmp_path):
    summary = _result().summary().set_index("kpi")
    share_low, share_high = _t_interval(PREPARED)
    count_low, count_high = _t_interval(NO_CONTACT)
    assert share_high > 1 and count_low < -0.35  # what the t interval alone gives: up to 1.0005, down to -0.355
    assert summary.loc["prepared_share", ["ci_low", "ci_high"]].tolist() == [pytest.approx(share_low, abs=1e-15), 1.0]
    assert summary.loc["no_contact_over_year_count", ["ci_low", "ci_high"]].tolist() == [
        0.0, pytest.approx(count_high, abs=1e-15)]
    assert summary.loc["prepared_share", "mean"] == pytest.approx(0.9994, abs=1e-15)  # the mean is left alone
    _result().to_csv(tmp_path)
    written = pd.read_csv(tmp_path / "summary.csv").set_index("kpi")
    assert written.loc["prepared_share", "ci_high"] == 1.0 and written.loc["no_contact_over_year_count", "ci_low"] == 0.0


def test_the_sweep_table_shows_the_t_half_width_of_a_cut_interval():
    share_low, _ = _t_interval(PREPARED)
    text = summary_text(_result(), kpis=("prepared_share",))
    assert text.splitlines()[-1].split() == ["40.0", f"{0.9994:.3f}", "±", f"{0.9994 - share_low:.3f}", "5"]


def test_every_kpi_unit_has_its_bounds():
    assert {unit for unit, _ in jobsim.KPIS.values()} <= set(UNIT_BOUNDS)
    assert UNIT_BOUNDS["share"] == (0.0, 1.0) and UNIT_BOUNDS["DKK"] == (0.0, math.inf)
    low, high = bound_interval("share", pd.Series([-0.1, 0.2, math.nan]), pd.Series([0.3, 1.2, math.nan]))
    assert low.tolist()[:2] == [0.0, 0.2] and high.tolist()[:2] == [0.3, 1.0] and math.isnan(high.tolist()[2])
    assert bound_interval("difference", -3.0, 2.0) == (-3.0, 2.0)  # a unit without bounds is left alone


def test_an_interval_keeps_a_mean_rounded_a_hair_past_its_bound():
    # the golden sweep: a team's utilization is 1 in both runs, whose mean rounds to 1 + 9e-16
    mean = 1.0000000000000009
    assert bound_interval("share", 0.9999999999999981, 1.0000000000000038, mean) == (0.9999999999999981, mean)
    assert bound_interval("share", -0.2, 1.3, math.nan) == (0.0, 1.0)
