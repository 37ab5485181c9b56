"""Grids: --vary parsing, up-front validation, and the CLI's exit code 2 naming the parameter."""

from __future__ import annotations

import importlib

import pytest

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.runner.grid import expand_grid, parse_grid, parse_vary

BASE = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)


# ------------------------------------------------------------------ parse_vary

def test_integer_range_includes_stop_and_is_typed_by_the_parameter():
    assert parse_vary("workers=2:10:4") == ("workers", [2, 6, 10])
    assert all(type(v) is int for v in parse_vary("workers=2:10:4")[1])


def test_number_range_is_exact_in_decimal():
    name, values = parse_vary("noshow_probability=0.1:0.3:0.05")
    assert name == "noshow_probability"
    assert values == [0.1, 0.15, 0.2, 0.25, 0.3]


def test_range_stops_at_the_last_value_not_past_stop():
    assert parse_vary("caseload=40:100:25")[1] == [40.0, 65.0, 90.0]


def test_descending_range_with_negative_step():
    assert parse_vary("caseload=100:40:-30")[1] == [100.0, 70.0, 40.0]


def test_default_caseload_sweep_has_ten_values():
    assert parse_vary("caseload=40:220:20")[1] == [float(c) for c in range(40, 221, 20)]


def test_lists_of_words_booleans_and_mixed_ranges():
    assert parse_vary("prep_policy=ahead,after_checkin,none,confirmed_ahead") == (
        "prep_policy", ["ahead", "after_checkin", "none", "confirmed_ahead"])
    assert parse_vary("sms_reminders=true,false") == ("sms_reminders", [True, False])
    assert parse_vary("caseload=20, 40:80:20") == ("caseload", [20.0, 40.0, 60.0, 80.0])


@pytest.mark.parametrize("text, fragment", [
    ("caseload=50:40:10", "is empty"),
    ("caseload=40:50:0", "step 0"),
    ("caseload=40:50", "start:stop:step"),
    ("caseload=a:b:c", "start:stop:step"),
    ("caseload=abc", "not a valid value"),
    ("workers=1.5", "expected integer"),
    ("workers=2:3:0.5", "expected integer"),
    ("caseload=40,40.0", "given twice"),
    ("caseload=40:60:10,50", "given twice"),
    ("caseload=", "empty value"),
    ("caseload=40,,60", "empty value"),
    ("caseload=0:1000:0.01", "at most"),
])
def test_bad_vary_names_the_parameter(text, fragment):
    with pytest.raises(JobsimError) as err:
        parse_vary(text)
    assert str(err.value).startswith("caseload:") or str(err.value).startswith("workers:")
    assert fragment in str(err.value)


def test_unknown_parameter_suggests_the_close_match():
    with pytest.raises(JobsimError, match=r"^casload: unknown parameter \(did you mean 'caseload'\?\)"):
        parse_vary("casload=40")


def test_missing_equals_sign():
    with pytest.raises(JobsimError, match="not of the form name=values"):
        parse_vary("caseload")


def test_missing_parameter_name():
    with pytest.raises(JobsimError, match=r"^--vary: ' =40,60' has no parameter name; expected name=values"):
        parse_vary(" =40,60")


def test_parameter_given_twice_in_a_grid():
    with pytest.raises(JobsimError, match="^caseload: given twice in --vary"):
        parse_grid(["caseload=40", "prep_policy=none", "caseload=50"])
    assert parse_grid(["caseload=40,60", "prep_policy=none"]) == {"caseload": [40.0, 60.0],
                                                                  "prep_policy": ["none"]}


# ------------------------------------------------------------------ expand_grid

def test_expand_grid_orders_points_last_parameter_fastest_and_types_values():
    grid, points, scenarios = expand_grid(BASE, {"caseload": [40, 60], "prep_policy": ["ahead", "none"]})
    assert grid == {"caseload": [40.0, 60.0], "prep_policy": ["ahead", "none"]}
    assert points == [{"caseload": 40.0, "prep_policy": "ahead"}, {"caseload": 40.0, "prep_policy": "none"},
                      {"caseload": 60.0, "prep_policy": "ahead"}, {"caseload": 60.0, "prep_policy": "none"}]
    assert [(s.caseload, s.prep_policy, s.workers) for s in scenarios] == [
        (40.0, "ahead", 2), (40.0, "none", 2), (60.0, "ahead", 2), (60.0, "none", 2)]
    assert BASE.caseload == 45.0  # the base scenario is untouched


def test_numpy_values_are_accepted():
    np = pytest.importorskip("numpy")
    grid, _, _ = expand_grid(BASE, {"caseload": np.arange(40, 61, 20), "workers": np.array([2, 3])})
    assert grid == {"caseload": [40.0, 60.0], "workers": [2, 3]}


@pytest.mark.parametrize("grid, pattern", [
    ({"casload": [40]}, r"^casload: unknown parameter \(did you mean 'caseload'\?\)"),
    ({"caseload": []}, r"^caseload: empty list"),
    ({"caseload": 40}, r"^caseload: expected a list"),
    ({"prep_policy": "ahead"}, r"^prep_policy: expected a list"),
    ({"caseload": [40, 40.0]}, r"^caseload: value 40(\.0)? is given twice"),
    ({"caseload": ["40"]}, r"^caseload: .*got '40'"),
    ({"caseload": [40, 2000]}, r"^caseload: .*less than or equal to 1000.*at grid point caseload=2000"),
    ({"workers": [2, 2.5]}, r"^workers: "),
    ({"prep_policy": ["ahead", "sometimes"]}, r"^prep_policy: unknown policy 'sometimes'"),
])
def test_bad_grid_fails_before_any_run(grid, pattern, monkeypatch):
    experiment = importlib.import_module("jobsim.runner.sweep")

    calls = []
    monkeypatch.setattr(experiment, "simulate", lambda *a, **k: calls.append(a))
    with pytest.raises(JobsimError, match=pattern):
        jobsim.sweep(BASE, grid, replications=2, progress=False)
    assert calls == []


def test_bad_grid_creates_no_folder(tmp_path):
    out = tmp_path / "sweep"
    with pytest.raises(JobsimError):
        jobsim.sweep(BASE, {"caseload": [40, -1]}, replications=2, out=out, progress=False)
    assert not out.exists()


def test_bad_sweep_arguments():
    with pytest.raises(JobsimError, match="^replications: 0"):
        jobsim.sweep(BASE, {}, replications=0)
    with pytest.raises(JobsimError, match="^jobs: 0"):
        jobsim.sweep(BASE, {}, jobs=0)
    with pytest.raises(JobsimError, match="^seed: -1"):
        jobsim.sweep(BASE, {}, seed=-1)
    with pytest.raises(JobsimError, match="^grid: expected a dict"):
        jobsim.sweep(BASE, [("caseload", [40])])


# ------------------------------------------------------------------ CLI

TINY = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]


@pytest.mark.parametrize("vary, name, fragment", [
    (["caseload=50:40:10"], "caseload", "is empty"),
    (["caseload=40:60:0"], "caseload", "step 0"),
    (["casload=40"], "casload", "did you mean 'caseload'"),
    (["caseload=forty"], "caseload", "not a valid value"),
    (["caseload=40:2000:980"], "caseload", "less than or equal to 1000"),
    (["workers=2:4:0.5"], "workers", "expected integer"),
    (["prep_policy=ahead,sometimes"], "prep_policy", "unknown policy"),
    (["caseload=40", "caseload=60"], "caseload", "given twice"),
])
def test_cli_bad_grid_exits_2_naming_the_parameter(vary, name, fragment, tmp_path, capsys):
    argv = ["sweep", "ds_norm", *TINY, "--out", str(tmp_path / "out"), "--quiet"]
    for v in vary:
        argv += ["--vary", v]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"jobsim: error: {name}: ")
    assert fragment in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert not (tmp_path / "out").exists()


def test_cli_set_and_vary_of_one_parameter_is_refused(tmp_path, capsys):
    assert main(["sweep", "ds_norm", "--set", "caseload=50", "--vary", "caseload=40,60",
                 "--out", str(tmp_path / "o")]) == 2
    assert "caseload: given in both --set and --vary" in capsys.readouterr().err


@pytest.mark.parametrize("option", [["--replications", "0"], ["--jobs", "0"], ["--jobs", "two"]])
def test_cli_bad_counts_exit_2(option, capsys):
    assert main(["sweep", "ds_norm", *option]) == 2
    err = capsys.readouterr().err
    assert err.startswith("jobsim: error: ") and option[0] in err
