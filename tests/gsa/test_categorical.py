"""Categorical parameters in the sensitivity analysis: the desk rule screened over its levels next to numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.gsa import Range, choose_ranges, load_ranges
from jobsim.gsa.methods import analyse, points_of, sample, step
from jobsim.gsa.ranges import level_of, parse_param

DESK_RULES = ("edf", "prep_first", "casework_first")
# a small team well above the knee (200 cases): preparing ahead, the desk rule decides what gets prepared. The
# desk's time needs are pinned (the first edition's: no calls, employer contacts, network meetings or time that
# is not case work), so that a new calibration of the defaults does not move what the test is about.
TOY = jobsim.Scenario(workers=2, horizon_days=56, warmup_days=14, caseload=200, prep_minutes=15.0,
                      documentation_minutes=10.0, casework_minutes=30.0, citizen_contacts_per_week=0.0,
                      employer_contacts_per_week=0.0, network_meetings_per_citizen_year=0.0,
                      noncase_minutes_per_day=0.0)


def test_levels_divide_the_unit_interval_into_equal_parts_in_their_order():
    at = [0.0, 0.1, 0.3333, 1 / 3, 0.5, 0.6666, 2 / 3, 0.9999, 1.0]
    assert [level_of(x, DESK_RULES) for x in at] == ["edf", "edf", "edf", "prep_first", "prep_first", "prep_first",
                                                     "casework_first", "casework_first", "casework_first"]
    # Morris's grid point 1/3 as SALib stores it (0.33333333333333337) and as 1 / 3 is (0.3333333333333333)
    assert level_of(0.33333333333333337, DESK_RULES) == level_of(0.3333333333333333, DESK_RULES) == "prep_first"
    assert [level_of(x, ["a", "b"]) for x in (0.0, 0.4999, 0.5, 1.0)] == ["a", "a", "b", "b"]
    # Morris's default grid (4 levels) for three levels: 0 -> first, 1/3 -> second, 2/3 and 1 -> third
    chosen = [Range("desk_priority", 0.0, 1.0, levels=DESK_RULES)]
    X = sample("morris", chosen, 20, seed=1)
    grid = {float(x): level_of(x, DESK_RULES) for x in X[:, 0]}
    assert sorted(grid.items()) == [(0.0, "edf"), (0.33333333333333337, "prep_first"),
                                    (0.6666666666666666, "casework_first"), (1.0, "casework_first")]


def test_a_categorical_range_from_the_file_and_from_param():
    (r,) = choose_ranges(TOY, ["desk_priority"])
    assert (r.low, r.high, r.integer, r.levels, r.categorical) == (0.0, 1.0, False, DESK_RULES, True)
    assert r.label("en") == "Desk rule (edf / prep_first / casework_first)"
    assert r.label("da") == "Skrivebordsregel (edf / prep_first / casework_first)"
    assert r.spec() == ["desk_priority", list(DESK_RULES)] and r.values() == DESK_RULES
    assert parse_param("desk_priority=edf, casework_first") == ("desk_priority", ("edf", "casework_first"))
    assert parse_param("casework_minutes=20:45") == ("casework_minutes", (20.0, 45.0))
    (cli,) = choose_ranges(TOY, ["desk_priority"], ["desk_priority=casework_first,edf"])
    (python,) = choose_ranges(TOY, ["desk_priority"], {"desk_priority": ["casework_first", "edf"]})
    assert cli == python and cli.levels == ("casework_first", "edf")
    assert cli.source.startswith("given with --param (file: edf, prep_first, casework_first; jobsim's three")
    # a numeric range's record is as it was: [name, low, high]
    (numeric,) = choose_ranges(TOY, ["casework_minutes"], {"casework_minutes": (20, 45)})
    assert numeric.spec() == ["casework_minutes", 20.0, 45.0] and not numeric.categorical


@pytest.fixture(scope="module")
def desk_morris():
    return jobsim.sensitivity(TOY, "morris", parameters=["desk_priority", "casework_minutes", "fte_cost_dkk"], size=3,
                              ranges={"casework_minutes": (20, 45)}, kpis=["prepared_share", "casework_coverage"],
                              seed=2, progress=False)


def test_a_seeded_tiny_morris_ranks_the_desk_rule_first_for_the_prepared_share(desk_morris):
    res = desk_morris
    assert set(res.design["desk_priority"]) <= set(DESK_RULES)   # the design holds levels, nothing else
    assert res.runs["desk_priority"].isin(DESK_RULES).all()
    ranking = res.ranking("prepared_share")
    assert ranking["parameter"].iloc[0] == "desk_priority" and ranking["value"].iloc[0] > 0.5
    assert ranking.set_index("parameter").loc["desk_priority", "ci_low"] > 0   # its interval excludes zero
    assert ranking.set_index("parameter").loc["fte_cost_dkk", "value"] == 0.0
    # mu* of a categorical parameter is the mean absolute change of the KPI where a step switched its level
    y = res.runs.groupby("point")["prepared_share"].mean()
    levels = res.design["desk_priority"]
    switches = [abs(y[i + 1] - y[i]) for i in range(len(y) - 1)
                if levels[i + 1] != levels[i] and i % 4 != 3]   # 4 points a trajectory: 3 steps within each
    assert len(switches) == 3   # one step per trajectory moves the desk rule, and it always switches the level
    assert ranking["value"].iloc[0] == pytest.approx(np.mean(switches), rel=1e-12)


def test_only_categorical_indices_are_rescaled_by_the_step():
    chosen = [Range("casework_minutes", 20.0, 45.0), Range("desk_priority", 0.0, 1.0, levels=("edf", "casework_first"))]
    X = sample("morris", chosen, 4, seed=5)
    y = X[:, 0] + 10.0 * (X[:, 1] >= 0.5)   # +1 per minute; +10 from switching edf -> casework_first
    rows = {(r["parameter"], r["index"]): r["value"] for r in analyse("morris", chosen, X, y, seed=3)}
    assert rows[("desk_priority", "mu_star")] == pytest.approx(10.0, rel=1e-12)   # the effect of a switch
    assert rows[("desk_priority", "sigma")] == pytest.approx(0.0, abs=1e-12)
    assert rows[("casework_minutes", "mu_star")] == pytest.approx(25.0, rel=1e-12)   # over the whole range
    assert step(4) == pytest.approx(2 / 3) and step(6) == pytest.approx(0.6)


def test_every_point_of_a_design_over_the_whole_file_is_a_valid_scenario():
    chosen = choose_ranges(jobsim.load_scenario("ds_norm"))
    assert {"desk_priority", "contact_interval_days", "exit_effect", "exit_effect_days"} <= {r.name for r in chosen}
    points = points_of(sample("morris", chosen, 6, seed=0), chosen)
    assert {p["desk_priority"] for p in points} <= set(DESK_RULES)
    assert {p["contact_interval_days"] for p in points} <= {28, 49, 70, 91}
    for builtin in jobsim.builtin_names():
        base = jobsim.load_scenario(builtin)
        for point in points:
            base.replace(**point)


#: The numeric-only path as it was before categorical parameters: a Morris design and its indices for a made-up
#: KPI, computed with jobsim at commit f3b72d4 (no simulation, so a change to the model cannot move them).
NUMERIC_BEFORE = {
    ("casework_minutes", "mu_star"): (16.25, 14.15513743648238, 18.34486256351762),
    ("casework_minutes", "sigma"): (2.4056261216234414,),
    ("slots_per_day", "mu_star"): (4.499999999999999, 4.4999999999999964, 4.500000000000002),
    ("noshow_probability", "mu_star"): (0.1624330856111269, 0.0942405700460296, 0.23062560117622422),
    ("noshow_probability", "sigma"): (0.1875615714057713,),
}


def test_numeric_only_results_are_as_before_categorical_parameters():
    chosen = [Range("casework_minutes", 20.0, 45.0), Range("slots_per_day", 3.0, 5.0, True),
              Range("noshow_probability", 0.1, 0.2)]
    X = sample("morris", chosen, 4, seed=7)
    assert X.shape == (16, 3) and float(X.sum()) == 551.6666666666667
    y = X[:, 0] ** 2 / 100 + 3 * np.round(X[:, 1]) + np.sin(10 * X[:, 2])
    rows = {(r["parameter"], r["index"]): (r["value"], r["ci_low"], r["ci_high"])
            for r in analyse("morris", chosen, X, y, seed=3)}
    for key, expected in NUMERIC_BEFORE.items():
        assert rows[key][:len(expected)] == pytest.approx(expected, rel=1e-12, abs=1e-15), key


def write_ranges(tmp_path, body: str):
    path = tmp_path / "ranges.toml"
    path.write_text(body, encoding="utf-8")
    return path


SOURCE = 'source = "test"\n'


@pytest.mark.parametrize("body, message", [
    ('[desk_priority]\nlevels = ["edf", "fifo"]\n' + SOURCE,
     "ranges.toml [desk_priority]: unknown level 'fifo'; allowed: edf, prep_first, casework_first"),
    ('[desk_priority]\nlevels = ["edf", "prep_frist"]\n' + SOURCE,
     "ranges.toml [desk_priority]: unknown level 'prep_frist' (did you mean 'prep_first'?); allowed: edf, "
     "prep_first, casework_first"),
    ('[desk_priority]\nlevels = []\n' + SOURCE,
     "ranges.toml [desk_priority]: the list of levels is empty; give two or more of edf, prep_first, "
     "casework_first"),
    ('[desk_priority]\nlevels = ["edf", "prep_first"]\nlow = 0\nhigh = 1\n' + SOURCE,
     "ranges.toml [desk_priority]: gives both levels and low/high; give levels for a categorical parameter, low "
     "and high for a numeric one"),
    ('[desk_priority]\nlevels = ["edf"]\n' + SOURCE,
     "ranges.toml [desk_priority]: only the level 'edf', so every point would run with the same value; give two "
     "or more of edf, prep_first, casework_first"),
    ('[desk_priority]\nlevels = ["edf", "edf"]\n' + SOURCE,
     "ranges.toml [desk_priority]: the level 'edf' is given twice; give each level once"),
    ('[desk_priority]\nlevels = "edf"\n' + SOURCE,
     'ranges.toml [desk_priority]: levels must be a list of words, e.g. levels = ["edf", "prep_first", '
     '"casework_first"]'),
    ('[desk_priority]\nlevels = ["edf", "prep_first"]\n',
     "ranges.toml [desk_priority]: needs levels and source"),
    ('[desk_priority]\nlow = 0\nhigh = 1\n' + SOURCE,
     'ranges.toml [desk_priority]: desk_priority is categorical: give levels, not low and high, e.g. levels = '
     '["edf", "prep_first", "casework_first"]'),
    ('[casework_minutes]\nlevels = ["20", "45"]\n' + SOURCE,
     "ranges.toml [casework_minutes]: levels are for a categorical parameter (rule, followup_by, desk_priority, prep_policy); "
     "casework_minutes is numeric: give low and high"),
    ('[desk_prority]\nlevels = ["edf", "prep_first"]\n' + SOURCE,
     "ranges.toml [desk_prority]: not a numeric or categorical scenario parameter (did you mean 'desk_priority'?)"),
])
def test_a_bad_levels_entry_is_one_message_naming_the_entry(tmp_path, body, message):
    with pytest.raises(JobsimError) as err:
        load_ranges(write_ranges(tmp_path, body))
    assert str(err.value) == message


@pytest.mark.parametrize("param, message", [
    ("desk_priority=edf,fifo", "--param desk_priority: unknown level 'fifo'; allowed: edf, prep_first, casework_first"),
    ("desk_priority=", "--param desk_priority: the list of levels is empty; give two or more of edf, prep_first, "
                       "casework_first"),
    ("desk_priority=edf", "--param desk_priority: only the level 'edf', so every point would run with the same "
                          "value; give two or more of edf, prep_first, casework_first"),
])
def test_cli_refuses_bad_levels_in_one_line_before_a_folder(tmp_path, monkeypatch, capsys, param, message):
    monkeypatch.chdir(tmp_path)
    command = ["sensitivity", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7",
               "--only", "desk_priority", "--param", param, "--size", "2", "--kpi", "prepared_share"]
    assert main(command) == 2
    assert capsys.readouterr().err == f"jobsim: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_cli_screens_levels_given_with_param(tmp_path, capsys):
    out = tmp_path / "s"
    command = ["sensitivity", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7",
               "--set", "caseload=200", "--only", "desk_priority,fte_cost_dkk", "--param",
               "desk_priority=edf,casework_first", "--size", "2", "--kpi", "prepared_share", "--out", str(out)]
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert "  desk_priority=edf,casework_first  " in printed
    assert set(pd.read_csv(out / "design.csv")["desk_priority"]) == {"edf", "casework_first"}
    ranges = pd.read_csv(out / "ranges.csv", keep_default_na=False)
    assert list(ranges.columns) == ["parameter", "low", "high", "integer", "source", "levels"]
    assert ranges.set_index("parameter").loc["desk_priority", "levels"] == "edf,casework_first"
    assert ranges.set_index("parameter").loc["fte_cost_dkk", "levels"] == ""
