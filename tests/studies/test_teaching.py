"""jobsim.teaching: the helpers the notebooks call give the figures and tables they promise."""

import math

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import jobsim  # noqa: E402
from jobsim import teaching  # noqa: E402
from jobsim.errors import JobsimError  # noqa: E402

SMALL = dict(workers=2, horizon_days=56, warmup_days=14)




@pytest.fixture(scope="module")
def traced():
    return {name: jobsim.simulate(jobsim.load_scenario(name, **SMALL), seed=3, trace=True)
            for name in ("laerkevej", "ds_norm")}


def test_compare_kpis_puts_runs_side_by_side(traced):
    table = teaching.compare_kpis(traced)
    assert list(table.index) == list(jobsim.KPI_NAMES)
    assert list(table.columns) == ["unit", "laerkevej", "ds_norm"]
    assert table.at["prepared_share", "unit"] == "share"
    for name, result in traced.items():
        for kpi, value in result.kpis.items():
            assert table.at[kpi, name] == pytest.approx(value, nan_ok=True)


def test_compare_kpis_takes_the_mean_of_replications():
    base = jobsim.Scenario(**SMALL)
    rep = jobsim.replicate(base, replications=3, progress=False)
    runs = [jobsim.simulate(base, seed=0, replication=r, tables=False) for r in range(3)]
    table = teaching.compare_kpis({"replicate": rep, "list": runs}, ["overdue_share", "prep_minutes_mean"])
    expected = sum(r.kpis["prep_minutes_mean"] for r in runs) / 3
    assert table.at["prep_minutes_mean", "replicate"] == pytest.approx(expected)
    assert table.at["prep_minutes_mean", "list"] == pytest.approx(expected)


def test_compare_kpis_refuses_unknown_kpis_and_sweeps_of_many_points():
    with pytest.raises(JobsimError, match="unknown KPI 'prepared'"):
        teaching.compare_kpis({"a": {"prepared_share": 1.0}}, ["prepared"])
    many = jobsim.sweep(jobsim.Scenario(**SMALL), {"caseload": [30, 60]}, replications=2, progress=False)
    with pytest.raises(JobsimError, match="2 points"):
        teaching.compare_kpis({"sweep": many})
    with pytest.raises(TypeError):
        teaching.kpi_means(42)


def test_week_in_the_life_draws_one_diary_per_run(traced):
    fig = teaching.week_in_the_life(traced)
    axes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert len(axes) == 2
    assert "220 cases" in axes[0].get_title(loc="left") and "45 cases" in axes[1].get_title(loc="left")
    assert "One caseworker's week" in fig._suptitle.get_text()
    # each panel is a working week: Monday to Friday, 8:00 to at least 15:24 (in minutes after midnight)
    for ax in axes:
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri"]
        assert ax.get_xlim()[0] == 8 * 60 and ax.get_xlim()[1] >= 15 * 60 + 24


def test_week_in_the_life_needs_a_trace():
    plain = jobsim.simulate(jobsim.load_scenario("ds_norm", **SMALL), seed=3)
    with pytest.raises(JobsimError, match="trace=True"):
        teaching.week_in_the_life({"ds_norm": plain})


def test_crn_comparison_pairs_narrow_the_interval():
    base = jobsim.load_scenario("ds_norm", caseload=100, workers=3, horizon_days=91, warmup_days=28)
    table = teaching.crn_comparison(base, "prep_policy", "after_checkin", "ahead", "casework_coverage",
                                    replications=5)
    assert list(table["method"]) == ["common random numbers", "independent seeds"]
    paired, independent = table.iloc[0], table.iloc[1]
    assert paired["n"] == independent["n"] == 5
    assert paired["ci_low"] <= paired["mean"] <= paired["ci_high"]
    assert independent["ci_low"] <= independent["mean"] <= independent["ci_high"]
    assert paired["half_width"] < independent["half_width"]
    # the paired mean is the difference of the sweep's means (same runs, same streams)
    sweep = jobsim.sweep(base, {"prep_policy": ["after_checkin", "ahead"]}, replications=5, progress=False)
    means = sweep.runs.groupby("prep_policy")["casework_coverage"].mean()
    assert paired["mean"] == pytest.approx(means["after_checkin"] - means["ahead"])


def test_explorer_compares_a_change_with_the_start():
    base = jobsim.load_scenario("ds_norm", **SMALL)
    explorer = teaching.Explorer(base, replications=2)
    same = explorer.run()
    assert same.table["change"].abs().max() == pytest.approx(0.0)  # same streams, same scenario
    busy = explorer.run(caseload=200, slot_minutes=25, noshow_probability=base.noshow_probability,
                        sms_reminders=False, prep_policy="after_checkin")
    assert busy.scenario.caseload == 200.0 and busy.scenario.prep_policy == "after_checkin"
    assert list(busy.table.columns) == ["unit", "start", "your choice", "change"]
    assert busy.table.at["prepared_share", "your choice"] < busy.table.at["prepared_share", "start"]
    assert len(busy.results) == 2
    assert not plt.get_fignums()  # the figure is drawn only when asked for
    assert len(busy.figure.axes) == 2
    assert busy.figure is busy.figure
    assert explorer.run(caseload=200, prep_policy="after_checkin").results is busy.results  # cached


def test_explorer_narrows_the_noshow_spread_and_names_bad_levers():
    explorer = teaching.Explorer(jobsim.load_scenario("ds_norm", **SMALL), replications=1)
    s = explorer.scenario(noshow_probability=0.01)
    assert s.noshow_spread < math.sqrt(0.01 * 0.99)
    with pytest.raises(JobsimError, match="workers: not a lever"):
        explorer.scenario(workers=3)
    with pytest.raises(jobsim.ScenarioError, match="slot_minutes"):
        explorer.scenario(slot_minutes=1)


def test_docstring_examples():
    import doctest

    result = doctest.testmod(teaching, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
