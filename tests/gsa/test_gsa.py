"""Sensitivity analysis: Morris finds what matters and what does not, the ranges are valid, the outputs are tidy."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.gsa import INDEX_COLUMNS, choose_ranges, load_ranges
from jobsim.gsa.methods import sample
from jobsim.runner.design import run_design

# a small team well above the knee: the diary is full from about 125 cases (docs/experiments_caseload_cost.md)
TOY = jobsim.Scenario(workers=2, horizon_days=56, warmup_days=14, caseload=200)
TOY_PARAMETERS = ["caseload", "fte_cost_dkk", "noshow_probability", "casework_minutes", "prep_minutes"]


@pytest.fixture(scope="module")
def morris():
    return jobsim.sensitivity(TOY, "morris", parameters=TOY_PARAMETERS, ranges={"caseload": (150, 260)}, size=4,
                              kpis=["overdue_share", "casework_coverage", "cost_dkk_per_citizen_year"],
                              replications=2, seed=3, progress=False)


def test_morris_ranks_caseload_first_and_a_parameter_without_effect_at_zero(morris):
    ranking = morris.ranking("overdue_share")
    assert ranking["parameter"].iloc[0] == "caseload"
    assert ranking.set_index("parameter").loc["caseload", "ci_low"] > 0  # its interval excludes zero
    fte = morris.indices[(morris.indices.parameter == "fte_cost_dkk") & (morris.indices.kpi == "overdue_share")]
    # the cost of a caseworker does not enter the simulation: with common random numbers every one of its
    # elementary effects is exactly zero
    assert fte.set_index("index")["value"].to_dict() == {"mu_star": 0.0, "sigma": 0.0}
    # ...but it does move the cost per citizen
    cost = morris.ranking("cost_dkk_per_citizen_year").set_index("parameter")
    assert cost.loc["fte_cost_dkk", "value"] > 0


def test_the_table_is_tidy_with_the_agreed_columns(morris, tmp_path):
    assert tuple(morris.indices.columns) == INDEX_COLUMNS
    assert set(morris.indices["index"]) == {"mu_star", "sigma"} and set(morris.indices["method"]) == {"morris"}
    assert len(morris.indices) == 3 * len(TOY_PARAMETERS) * 2
    mu = morris.indices[morris.indices["index"] == "mu_star"]
    assert (mu["ci_low"] <= mu["value"]).all() and (mu["value"] <= mu["ci_high"]).all()
    assert morris.indices.loc[morris.indices["index"] == "sigma", "ci_low"].isna().all()
    assert len(morris.design) == 4 * (len(TOY_PARAMETERS) + 1) and len(morris.runs) == 2 * len(morris.design)
    morris.to_csv(tmp_path)
    back = pd.read_csv(tmp_path / "sensitivity.csv")
    assert list(back.columns) == list(INDEX_COLUMNS)
    pd.testing.assert_frame_equal(back, morris.indices, check_dtype=False)


def test_noise_report_measures_the_replications(morris):
    noise = morris.noise.set_index("kpi")
    runs = morris.runs
    # by hand for one KPI: variance of the point means, and the mean within-point variance / R
    means = runs.groupby("point")["overdue_share"].mean()
    within = runs.groupby("point")["overdue_share"].var(ddof=1).mean() / 2
    assert noise.loc["overdue_share", "design_variance"] == pytest.approx(means.var(ddof=1), rel=1e-12)
    assert noise.loc["overdue_share", "noise_variance"] == pytest.approx(within, rel=1e-12)
    assert 0 < noise.loc["overdue_share", "noise_share"] < 0.5  # caseload dominates the noise
    one = jobsim.sensitivity(TOY, "morris", parameters=["caseload", "fte_cost_dkk"], ranges={"caseload": (150, 260)},
                             size=2, kpis=["overdue_share"], progress=False)
    assert math.isnan(one.noise["noise_variance"].iloc[0])  # one replication: noise cannot be measured


def test_replications_use_common_random_numbers():
    # replication r of every point is simulate(point, seed, replication=r): the same streams at every point
    points = [{"fte_cost_dkk": 500000.0}, {"fte_cost_dkk": 700000.0}]
    runs = run_design(TOY, points, replications=2, seed=5, progress=False)
    a, b = (runs[runs.point == p].reset_index(drop=True) for p in (0, 1))
    assert a["overdue_share"].tolist() == b["overdue_share"].tolist()  # identical streams, identical runs
    assert a["overdue_share"].iloc[0] != a["overdue_share"].iloc[1]  # replications differ
    direct = jobsim.simulate(TOY.replace(fte_cost_dkk=700000.0), seed=5, replication=1, tables=False).kpis
    assert b["overdue_share"].iloc[1] == direct["overdue_share"]


def test_sobol_gives_zero_to_a_parameter_without_effect_and_lhs_runs():
    res = jobsim.sensitivity(TOY, "sobol", parameters=["caseload", "fte_cost_dkk"], ranges={"caseload": (150, 260)},
                             size=8, kpis=["overdue_share"], progress=False, jobs=2)
    table = res.indices.set_index(["parameter", "index"])["value"]
    assert table[("fte_cost_dkk", "S1")] == 0.0 and table[("fte_cost_dkk", "ST")] == 0.0
    assert table[("caseload", "ST")] > 0.5
    assert len(res.design) == 8 * (2 + 2)
    lhs = jobsim.sensitivity(TOY.replace(horizon_days=28), "lhs", parameters=["caseload", "fte_cost_dkk"],
                             ranges={"caseload": (150, 260)}, size=30, kpis=["overdue_share"], progress=False)
    assert set(lhs.indices["index"]) == {"S1"} and len(lhs.design) == 30


def test_every_range_in_the_file_is_sourced_and_every_corner_is_a_valid_scenario():
    ranges = load_ranges()
    assert len(ranges) >= 20
    for r in ranges.values():
        assert r.low < r.high and len(r.source) > 20 and r.label_en and r.label_da
    chosen = list(ranges.values())
    assert {r.name for r in chosen if r.categorical} == {"desk_priority"}
    rng = np.random.default_rng(1)
    # a corner takes each numeric range at one end (0 or 1 of the range) and each categorical parameter at one
    # of its levels (the middle of its part of [0, 1)); the two all-low and all-high corners at every level
    ends = [np.zeros(len(chosen)), np.ones(len(chosen)), *rng.integers(0, 2, (64, len(chosen)))]
    corners = [[(rng.integers(len(r.levels)) + 0.5) / len(r.levels) if r.categorical else x
                for r, x in zip(chosen, end)] for end in ends]
    corners += [[(i + 0.5) / len(r.levels) if r.categorical else x for r in chosen]
                for i in range(3) for x in (0.0, 1.0)]
    for builtin in jobsim.builtin_names():
        base = jobsim.load_scenario(builtin)
        for corner in corners:
            base.replace(**{r.name: r.value(r.low + x * (r.high - r.low)) for r, x in zip(chosen, corner)})


def test_integer_parameters_are_rounded_and_designs_repeat_with_the_seed():
    chosen = choose_ranges(TOY, ["slots_per_day", "casework_minutes"])
    x1, x2 = sample("morris", chosen, 3, seed=7), sample("morris", chosen, 3, seed=7)
    assert np.array_equal(x1, x2)
    from jobsim.gsa.methods import points_of
    values = {p["slots_per_day"] for p in points_of(x1, chosen)}
    assert values <= {3, 4, 5} and all(isinstance(v, int) for v in values)


@pytest.mark.parametrize("request_, message", [
    ({"parameters": ["caseloda"]},
     "caseloda: not a numeric or categorical scenario parameter (did you mean 'caseload'?)"),
    ({"parameters": ["caseload"]}, "caseload: has no range in ranges.toml; give one with --param caseload=LOW:HIGH"),
    ({"ranges": {"casework_minutes": (40, 20)}}, "casework_minutes: the range 40 to 20 is empty"),
    ({"ranges": ["grace_minutes=5:30"]}, "grace_minutes: the range end 30 is not valid in this scenario"),
    ({"ranges": ["grace_minutes=5"]}, "--param: 'grace_minutes=5' is not NAME=LOW:HIGH"),
    ({"parameters": ["prep_policy"]}, "prep_policy: has no levels in ranges.toml; give them with --param "
                                      "prep_policy=after_checkin,ahead,none,confirmed_ahead"),
    ({"parameters": ["name"]}, "name: not a numeric or categorical scenario parameter"),
])
def test_bad_ranges_are_refused_naming_the_parameter(request_, message):
    with pytest.raises(JobsimError) as err:
        jobsim.sensitivity(TOY, "morris", size=2, progress=False, **request_)
    assert message in str(err.value)


def test_cli_writes_the_table_and_the_chart_and_continues_a_stopped_analysis(tmp_path, capsys):
    out = tmp_path / "s"
    command = ["sensitivity", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set",
               "warmup_days=7", "--only", "casework_minutes,fte_cost_dkk", "--size", "2", "--kpi",
               "casework_coverage", "-r", "2", "--out", str(out)]
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert "casework_coverage (model noise" in printed and "casework_minutes" in printed
    assert {"sensitivity.csv", "noise.csv", "design.csv", "runs.csv", "ranges.csv", "morris.png", "morris.svg",
            "manifest.json", "runs.sqlite"} <= {p.name for p in out.iterdir()}
    first = pd.read_csv(out / "sensitivity.csv")
    assert list(first.columns) == list(INDEX_COLUMNS)
    assert main([*command, "--quiet", "--lang", "da"]) == 0  # the same request: nothing is run again
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["runs_executed"] for s in manifest["sessions"]] == [12, 0]
    assert (out / "morris_da.png").exists()
    pd.testing.assert_frame_equal(pd.read_csv(out / "sensitivity.csv"), first)
    assert main([*command[:-2], "--param", "casework_minutes=20", "--out", str(tmp_path / "t")]) == 2
    assert "is not NAME=LOW:HIGH" in capsys.readouterr().err


SMALL = ["sensitivity", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7",
         "--size", "2", "--kpi", "casework_coverage"]


@pytest.mark.parametrize("options, message", [
    (["--only", "casework_minutes,fte_cost_dkk", "--param", "caseloda=40:80"],
     "--param caseloda: unknown parameter (did you mean 'caseload'?); 'jobsim show SCENARIO' lists every parameter"),
    (["--param", "caseloda=40:80"],
     "--param caseloda: unknown parameter (did you mean 'caseload'?); 'jobsim show SCENARIO' lists every parameter"),
    (["--only", "casework_minutes,fte_cost_dkk", "--param", "caseload=40:80"],
     "--param caseload: not screened: --only names casework_minutes, fte_cost_dkk; add caseload to --only to "
     "screen it, or leave out its --param"),
    (["--param", "workers=1.5:2.5"],
     "workers: the range 1.5 to 2.5 holds only the integer 2, so every point would run with the same value; an "
     "integer parameter needs a range holding at least two integers, e.g. workers=2:3"),
    (["--only", "slots_per_day", "--param", "slots_per_day=3.2:3.9"],
     "slots_per_day: the range 3.2 to 3.9 holds no integer, so every point would run with the same value; an "
     "integer parameter needs a range holding at least two integers, e.g. slots_per_day=3:4"),
    (["--only", ""],
     "--only '' has an empty name; give NAME,NAME,... (leave --only out to screen every parameter of ranges.toml)"),
    (["--only", "caseload,,workers"],
     "--only 'caseload,,workers' has an empty name; give NAME,NAME,... (leave --only out to screen every parameter "
     "of ranges.toml)"),
])
def test_cli_refuses_a_param_it_would_ignore_or_a_range_holding_one_integer(tmp_path, monkeypatch, capsys, options,
                                                                           message):
    monkeypatch.chdir(tmp_path)
    assert main([*SMALL, *options]) == 2
    err = capsys.readouterr().err
    assert err == f"jobsim: error: {message}\n"
    assert list(tmp_path.iterdir()) == []  # refused before a folder was made


def test_an_integer_range_holding_two_integers_is_screened():
    (r,) = choose_ranges(TOY, ["workers"], {"workers": (1.5, 3.4)})  # holds 2 and 3
    assert (r.integer, r.value(r.low), r.value(r.high)) == (True, 2, 3)
    with pytest.raises(JobsimError, match=r"^--param caseload: not screened: --only names workers; add caseload"):
        choose_ranges(TOY, ["workers"], {"workers": (1, 3), "caseload": (40, 80)})


def test_cli_a_full_disk_at_the_start_is_exit_1_with_how_to_continue(tmp_path, monkeypatch, capsys):
    import errno

    from jobsim.runner import store as store_module

    def no_room(path, manifest):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(store_module, "write_manifest", no_room)
    assert main([*SMALL, "--only", "casework_minutes,fte_cost_dkk", "--out", "t"]) == 1
    assert capsys.readouterr().err == ("jobsim: error: cannot write 't/manifest.json': No space left on device; no run "
                                       "is stored; make room and run the same command again\n")
    assert list(tmp_path.iterdir()) == []


def test_a_range_that_makes_a_team_too_big_asks_first(tmp_path, monkeypatch, capsys):
    from jobsim.runner import size
    from jobsim.runner.size import RequestTooBig

    monkeypatch.setattr(size, "MAX_WORKERS", 3)  # a range of workers=2:4 stands for workers=10:1500
    with pytest.raises(RequestTooBig, match=r"^a very big request: 4 caseworkers in one run \(the limit is 3\); "
                                            r"roughly .*Pass confirm=True to run it anyway"):
        jobsim.sensitivity(TOY, "morris", parameters=["workers"], ranges={"workers": (2, 4)}, size=2, progress=False)
    monkeypatch.chdir(tmp_path)
    assert main([*SMALL, "--only", "workers", "--param", "workers=2:4"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobsim: error: a very big request: 4 caseworkers in one run (the limit is 3); roughly ")
    assert err.endswith(". Add --yes to run it anyway, or ask for less\n") and list(tmp_path.iterdir()) == []
    assert main([*SMALL, "--only", "workers", "--param", "workers=2:4", "--yes", "--quiet"]) == 0
