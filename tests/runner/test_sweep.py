"""Sweeps: parallel equals serial, the statistics, common random numbers, failures, replication counts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.model.kpis import UNIT_BOUNDS
from jobsim.runner.results import SweepResult
from jobsim.runner.store import SweepStore
from jobsim.runner.stats import replications_algorithm, replications_needed
from jobsim.runner.sweep import SweepError
from jobsim.policies import Ahead, register_policy

BASE = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
GRID = {"caseload": [40, 80], "prep_policy": ["ahead", "after_checkin"]}
KPI_COLUMNS = ["caseload", "prep_policy", "point", "replication", "seed", *jobsim.KPI_NAMES]


@pytest.fixture(scope="module")
def serial() -> SweepResult:
    return jobsim.sweep(BASE, GRID, replications=4, seed=3, jobs=1, progress=False)


# ------------------------------------------------------------------ runs

def test_runs_table_shape_order_and_values(serial):
    runs = serial.runs
    assert list(runs.columns) == ["caseload", "prep_policy", "point", "replication", "seed", "run_seconds",
                                  *jobsim.KPI_NAMES]
    assert len(runs) == 16
    assert list(runs["point"]) == [p for p in range(4) for _ in range(4)]
    assert list(runs["replication"]) == list(range(4)) * 4
    assert set(runs["seed"]) == {3}
    assert (runs["run_seconds"] > 0).all()
    assert list(runs.loc[runs["point"] == 2, "caseload"].unique()) == [80.0]
    assert list(runs.loc[runs["point"] == 3, "prep_policy"].unique()) == ["after_checkin"]
    assert serial.grid == {"caseload": [40.0, 80.0], "prep_policy": ["ahead", "after_checkin"]}
    assert (serial.replications, serial.seed, serial.complete, len(serial.failures)) == (4, 3, True, 0)


def test_each_run_is_simulate_with_the_replication_as_stream_selector(serial):
    row = serial.runs.iloc[13]  # point 3, replication 1
    scenario = BASE.replace(caseload=80, prep_policy="after_checkin")
    expected = jobsim.simulate(scenario, seed=3, replication=1, tables=False).kpis
    assert (row["point"], row["replication"]) == (3, 1)
    assert {k: row[k] for k in jobsim.KPI_NAMES} == pytest.approx(expected, rel=0, abs=0, nan_ok=True)


def test_parallel_runs_equal_serial_runs(serial):
    parallel = jobsim.sweep(BASE, GRID, replications=4, seed=3, jobs=2, progress=False)
    pd.testing.assert_frame_equal(parallel.runs[KPI_COLUMNS], serial.runs[KPI_COLUMNS], check_exact=True)


class _Flaky(Ahead):
    """Raises at caseload 60 while ``broken`` is set: a stand-in for a bug in a notebook policy."""

    name = "test_flaky_at_60"
    broken = True

    def prepare_ahead(self, meeting, scenario):
        if type(self).broken and scenario.caseload == 60:
            raise RuntimeError("flaky policy cannot handle caseload 60")
        return super().prepare_ahead(meeting, scenario)


register_policy(_Flaky())


def test_policy_registered_at_run_time_runs_in_workers():
    _Flaky.broken = False
    result = jobsim.sweep(BASE.replace(prep_policy="test_flaky_at_60"), {"caseload": [40, 60]}, replications=2,
                          jobs=2, progress=False)
    assert len(result.runs) == 4 and result.complete


def test_failing_run_is_recorded_and_the_others_finish(tmp_path):
    _Flaky.broken = True
    out = tmp_path / "sweep"
    base = BASE.replace(prep_policy="test_flaky_at_60")
    with pytest.raises(SweepError) as err:
        jobsim.sweep(base, {"caseload": [40, 60, 80]}, replications=3, jobs=2, out=out, progress=False)
    message = str(err.value)
    assert message.startswith("3 of 9 runs failed: point 1 replication 0: RuntimeError: flaky policy")
    result = err.value.result
    assert list(result.runs["caseload"].unique()) == [40.0, 80.0]
    assert len(result.runs) == 6
    assert list(zip(result.failures["point"], result.failures["replication"])) == [(1, 0), (1, 1), (1, 2)]
    assert set(result.failures["caseload"]) == {60.0}
    assert result.failures["error"].str.contains("cannot handle caseload 60").all()
    assert (out / "failures.csv").exists()
    assert len(pd.read_csv(out / "failures.csv")) == 3
    stored = SweepStore(out).read_runs()
    assert [k for k, r in stored.items() if r["error"]] == [(1, 0), (1, 1), (1, 2)]  # recorded, with their error
    assert jobsim.load_sweep(out).failures["error"].tolist() == result.failures["error"].tolist()

    # started again once the bug is fixed: only the failed runs are run, and nothing fails
    _Flaky.broken = False
    ok_runs = {k: r for k, r in stored.items() if k[0] in (0, 2)}
    fixed = jobsim.sweep(base, {"caseload": [40, 60, 80]}, replications=3, jobs=1, out=out, progress=False)
    assert fixed.complete and len(fixed.failures) == 0 and len(fixed.runs) == 9
    assert {k: r for k, r in SweepStore(out).read_runs().items() if k[0] in (0, 2)} == ok_runs  # not run again
    assert not (out / "failures.csv").exists()


def test_cli_exits_1_naming_the_failed_runs(tmp_path, capsys):
    _Flaky.broken = True
    path = BASE.replace(prep_policy="test_flaky_at_60").save(tmp_path / "flaky.toml")
    code = main(["sweep", str(path), "--vary", "caseload=40,60", "--replications", "2", "--out",
                 str(tmp_path / "out"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert "2 of 4 runs failed: point 1 replication 0: RuntimeError: flaky policy cannot handle caseload 60" \
        in captured.err
    assert "run the same command again" in captured.err


# ------------------------------------------------------------------ statistics

def test_summary_intervals_match_scipy(serial):
    summary = serial.summary(confidence=0.9)
    assert len(summary) == 4 * len(jobsim.KPI_NAMES)
    assert list(summary.columns) == ["caseload", "prep_policy", "point", "kpi", "unit", "mean", "sd", "ci_low",
                                     "ci_high", "n"]
    checked = clipped = 0
    for row in summary.itertuples():
        x = serial.runs.loc[serial.runs["point"] == row.point, row.kpi].dropna().to_numpy()
        assert row.n == len(x) <= 4          # a KPI with no observation in a run (NaN) is left out
        if len(x) < 2:
            continue
        assert row.unit == jobsim.KPIS[row.kpi][0]
        assert row.mean == pytest.approx(x.mean(), rel=1e-12)
        sd = x.std(ddof=1)
        assert row.sd == pytest.approx(sd, rel=1e-9, abs=1e-12)
        if sd > 0:
            low, high = stats.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=sd / math.sqrt(len(x)))
            # the t interval, cut to what the unit allows (a share in [0, 1], minutes >= 0)
            lowest, highest = UNIT_BOUNDS.get(row.unit, (-math.inf, math.inf))
            lowest, highest = min(lowest, x.mean()), max(highest, x.mean())
            expected = (min(max(low, lowest), highest), min(max(high, lowest), highest))
            assert (row.ci_low, row.ci_high) == pytest.approx(expected, rel=1e-9, abs=1e-15)
            clipped += (low, high) != expected
            checked += 1
        else:
            assert row.ci_low == row.ci_high == pytest.approx(x.mean())
    assert checked > 20
    assert clipped > 0    # the fixture has intervals that reach past a bound: the cut is exercised


def test_summary_drops_nan_values_per_kpi(serial):
    runs = serial.runs.copy()
    runs.loc[[0, 1], "utilization"] = np.nan
    runs.loc[0, "noshow_rate"] = np.nan
    result = SweepResult(serial.scenario, serial.grid, 4, 3, runs, serial.failures)
    s = result.summary().set_index(["point", "kpi"])
    assert s.at[(0, "utilization"), "n"] == 2
    assert s.at[(0, "utilization"), "mean"] == pytest.approx(runs.loc[[2, 3], "utilization"].mean())
    low, high = stats.t.interval(0.95, 1, loc=runs.loc[[2, 3], "utilization"].mean(),
                                 scale=runs.loc[[2, 3], "utilization"].std() / math.sqrt(2))
    assert high > 1    # two runs give a wide interval: the share's upper end is cut to 1
    assert (s.at[(0, "utilization"), "ci_low"], s.at[(0, "utilization"), "ci_high"]) == pytest.approx((low, 1.0))
    assert s.at[(0, "noshow_rate"), "n"] == 3
    assert s.at[(1, "utilization"), "n"] == 4


def test_common_random_numbers_make_the_paired_interval_narrower():
    result = jobsim.sweep(BASE, {"prep_policy": ["ahead", "after_checkin"]}, replications=8, progress=False)
    for kpi in ("utilization", "conversation_minutes_mean"):   # (check-in waits differ by exactly the skim)
        d = result.paired_difference(kpi, "prep_policy", "ahead", "after_checkin").iloc[0]
        a = result.runs.loc[result.runs["prep_policy"] == "ahead", kpi].to_numpy()
        b = result.runs.loc[result.runs["prep_policy"] == "after_checkin", kpi].to_numpy()
        assert d["n"] == 8
        assert d["mean"] == pytest.approx(a.mean() - b.mean(), rel=1e-9)
        low, high = stats.t.interval(0.95, 7, loc=(a - b).mean(), scale=(a - b).std(ddof=1) / math.sqrt(8))
        assert (d["ci_low"], d["ci_high"]) == pytest.approx((low, high), rel=1e-9)
        welch = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
        assert (d["unpaired_ci_low"], d["unpaired_ci_high"]) == pytest.approx((welch.low, welch.high), rel=1e-9)
        # what common random numbers buy: the paired interval is narrower, at least by half where the policies
        # share the citizens' draws the most (the week's calls and meetings, the same in both arms, add spread that
        # pairing removes too, but less than conversations' draws do)
        share = 0.6 if kpi == "conversation_minutes_mean" else 0.5
        assert d["ci_high"] - d["ci_low"] < share * (d["unpaired_ci_high"] - d["unpaired_ci_low"])


def test_paired_difference_per_combination_of_the_other_parameters(serial):
    diff = serial.paired_difference("utilization", "caseload", 80, 40)
    assert list(diff["prep_policy"]) == ["ahead", "after_checkin"]
    assert list(diff["n"]) == [4, 4]
    runs = serial.runs
    for row in diff.itertuples():
        hi = runs[(runs.caseload == 80) & (runs.prep_policy == row.prep_policy)]["utilization"].to_numpy()
        lo = runs[(runs.caseload == 40) & (runs.prep_policy == row.prep_policy)]["utilization"].to_numpy()
        assert row.mean == pytest.approx((hi - lo).mean())
        assert row.mean > 0  # a fuller caseload keeps the caseworkers busier


@pytest.mark.parametrize("args, pattern", [
    (("utilisation", "caseload", 40, 80), "did you mean 'utilization'"),
    (("utilization", "workers", 2, 3), "^workers: not a varied parameter"),
    (("utilization", "caseload", 40, 60), "^caseload: 60 is not one of the sweep's values"),
    (("utilization", "caseload", 40, 40), "^caseload: a and b are both"),
])
def test_paired_difference_bad_arguments(serial, args, pattern):
    with pytest.raises(JobsimError, match=pattern):
        serial.paired_difference(*args)


def test_replicate_is_a_sweep_with_one_point():
    result = jobsim.replicate(BASE, replications=3, progress=False)
    assert result.grid == {} and len(result.runs) == 3 and list(result.runs["point"]) == [0, 0, 0]
    summary = result.summary()
    assert list(summary.columns) == ["point", "kpi", "unit", "mean", "sd", "ci_low", "ci_high", "n"]
    assert list(summary["kpi"]) == list(jobsim.KPI_NAMES)
    same = jobsim.sweep(BASE, {"caseload": [45.0]}, replications=3, progress=False)
    pd.testing.assert_frame_equal(result.runs[list(jobsim.KPI_NAMES)], same.runs[list(jobsim.KPI_NAMES)])


def test_to_csv_writes_runs_and_summary(serial, tmp_path):
    paths = serial.to_csv(tmp_path)
    assert [p.name for p in paths] == ["runs.csv", "summary.csv"]
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 16
    assert runs["utilization"].to_numpy() == pytest.approx(serial.runs["utilization"].to_numpy(), rel=1e-15)
    assert len(pd.read_csv(tmp_path / "summary.csv")) == 4 * len(jobsim.KPI_NAMES)


# ------------------------------------------------------------------ progress

def test_progress_bar_counts_runs_and_is_quiet_when_asked(capsys):
    jobsim.replicate(BASE, replications=3, progress=True)
    assert "3/3" in capsys.readouterr().err
    jobsim.replicate(BASE, replications=3, progress=False)
    assert capsys.readouterr().err == ""
    jobsim.replicate(BASE, replications=3)  # auto: pytest's stderr is not a terminal
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------ replications

def test_replications_needed_is_the_smallest_n_meeting_the_half_width():
    values = [10.0, 12.0, 11.0, 13.0, 9.0, 10.0, 12.0, 11.0]
    s = np.std(values, ddof=1)

    def half(n):
        return stats.t.ppf(0.975, n - 1) * s / math.sqrt(n)

    n = replications_needed(values, half_width=0.5)
    assert half(n) <= 0.5 < half(n - 1)
    assert n == 29
    m = replications_needed(values, half_width=0.05, relative=True, confidence=0.9)
    h = 0.05 * np.mean(values)
    assert stats.t.ppf(0.95, m - 1) * s / math.sqrt(m) <= h < stats.t.ppf(0.95, m - 2) * s / math.sqrt(m - 1)
    assert replications_needed([5.0, 5.0, 5.0], half_width=0.1) == 2
    assert replications_needed([1.0, float("nan"), 3.0], half_width=12.8) == 2  # t(0.975, 1) = 12.71
    assert replications_needed([1.0, float("nan"), 3.0], half_width=12.6) == 3


def test_replications_needed_bad_input():
    with pytest.raises(JobsimError, match="at least 2"):
        replications_needed([1.0], half_width=1)
    with pytest.raises(JobsimError, match="half_width"):
        replications_needed([1.0, 2.0], half_width=0)


def test_replications_algorithm_stops_after_the_look_ahead():
    constant = replications_algorithm(lambda r: 7.0, precision=0.05, initial=3, look_ahead=5)
    assert constant.replications == 3 and len(constant.values) == 8 and constant.converged

    values = [10, 14, 6, 11, 9, 10, 10, 9, 11, 10, 10, 10, 9, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    res = replications_algorithm(lambda r: values[r], precision=0.1, look_ahead=3, initial=3)
    d = [stats.t.ppf(0.975, n - 1) * np.std(values[:n], ddof=1) / math.sqrt(n) / np.mean(values[:n])
         for n in range(3, len(values) + 1)]
    first = next(n for n in range(3, len(values) + 1)
                 if all(x <= 0.1 for x in d[n - 3:n - 3 + 4]))
    assert res.replications == first
    assert len(res.values) == first + 3
    assert res.deviations[first - 1] == pytest.approx(d[first - 3])
    assert list(res.table()["replications"]) == list(range(1, first + 4))

    never = replications_algorithm(lambda r: [1.0, 100.0][r % 2], precision=0.01, max_replications=20)
    assert never.replications is None and len(never.values) == 20


def test_replications_algorithm_on_the_model():
    scenario = BASE.replace(horizon_days=56)
    res = replications_algorithm(
        lambda r: jobsim.simulate(scenario, replication=r, tables=False).kpis["utilization"], precision=0.05)
    assert res.converged
    x = np.asarray(res.values[:res.replications])
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    assert half / x.mean() <= 0.05


# ------------------------------------------------------------------ plot

def test_plot_command_draws_the_standard_figures(tmp_path, capsys):
    pytest.importorskip("jobsim.plots", reason="jobsim.plots is not installed")
    out = tmp_path / "sweep"
    jobsim.sweep(BASE, {"caseload": [40, 80], "prep_policy": ["ahead", "none"]}, replications=2, out=out,
                 progress=False)
    assert main(["plot", str(out)]) == 0
    listed = capsys.readouterr().out.split()
    assert any(p.endswith("overview.png") for p in listed)
    assert all((tmp_path / "sweep" / "figures" / p.rsplit("/", 1)[-1]).exists() for p in listed)


def test_plot_of_a_sweep_without_a_grid_exits_2(tmp_path, capsys):
    jobsim.replicate(BASE, replications=2, out=tmp_path / "one", progress=False)
    assert main(["plot", str(tmp_path / "one")]) == 2
    assert "varies no parameter" in capsys.readouterr().err
    assert main(["plot", str(tmp_path / "nothing")]) == 2
    assert "is not a sweep folder" in capsys.readouterr().err


# ------------------------------------------------------------------ docs

def test_docstring_examples_run():
    import doctest
    import importlib

    attempted = 0
    for name in ("jobsim.runner.sweep", "jobsim.runner.grid", "jobsim.runner.stats"):
        result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, name
        attempted += result.attempted
    assert attempted >= 7
