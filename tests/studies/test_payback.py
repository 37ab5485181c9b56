"""experiments/does_it_pay.py end to end (quick mode), and the payback arithmetic on hand-made runs.

What holds exactly: without an exit effect every team size sees the same citizens for the same days (arrivals
and stays have their own random streams), so benefits are equal and the net cost rises by exactly
fte_cost_dkk per added caseworker. With an effect, stays respond to follow-up, which more caseworkers give
where the diary was full: benefits fall with team size, paired by seed.
"""

import json

import pandas as pd
import pytest
from conftest import run_experiment as run

import jobsim
from jobsim.studies import payback

FTE = 600_000.0
BENEFIT = 133_716.0


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    base = tmp_path_factory.mktemp("does_it_pay")
    out = base / "out"
    proc = run("does_it_pay", "--quick", "--out", str(out), "--jobs", "2", cwd=base)
    return proc, out


def test_quick_run_writes_its_tables_figure_and_manifest(quick):
    proc, out = quick
    assert proc.returncode == 0, proc.stderr
    for stem in ("does_it_pay", "does_it_pay_diary_full"):
        assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (out / f"{stem}.svg").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["experiment"] == "does_it_pay" and manifest["arguments"]["quick"] is True
    assert manifest["grid"] == {"contact_plan": ["legal", "diary_full"], "exit_effect": [1.0, 1.15, 1.3, 1.5],
                                "workers": [2, 3, 5]}
    assert manifest["scenario"]["inflow_per_year"] == 400.0 and manifest["scenario"]["warmup_days"] == 182
    assert manifest["runs"] == 2 * 4 * 3 * 3 and manifest["replications"] == 3
    for f in manifest["files"]:
        assert (out / f).exists(), f
    assert manifest["finding"].startswith("Net cost (staff + cash benefits) for 400 citizens entering a year, "
                                          "conversations at the legal maximum interval")
    assert (out / "sweep_quick" / "manifest.json").exists()
    assert (out / "sweep_quick_diary_full" / "workers_5" / "manifest.json").exists()
    assert (out / "report.txt").read_text(encoding="utf-8").strip() in proc.stdout


@pytest.mark.parametrize("plan", ["legal", "diary_full"])
def test_without_an_effect_every_caseworker_adds_exactly_their_cost(quick, plan):
    _, out = quick
    net = pd.read_csv(out / "net_cost.csv")
    net = net[net["contact_plan"] == plan]
    none = net[net["exit_effect"] == 1.0].sort_values("workers")
    assert none["workers"].tolist() == [2, 3, 5]
    assert none["caseload"].tolist() == pytest.approx([200.0, 400 / 3, 80.0], rel=1e-12)
    # the same citizens for the same days at every team size: benefits equal up to float rounding (the
    # citizen-days are summed in another order: a few parts in a billion)
    benefit = none["benefit_dkk"].iloc[0]
    assert none["benefit_dkk"].tolist() == pytest.approx([benefit] * 3, rel=1e-7)
    assert none["net_change_dkk"].tolist() == pytest.approx([0.0, FTE, 3 * FTE], abs=1e-7 * benefit)
    assert none["staff_dkk"].tolist() == [2 * FTE, 3 * FTE, 5 * FTE]
    steps = pd.read_csv(out / "steps.csv")
    steps = steps[steps["contact_plan"] == plan]
    assert not steps[steps["exit_effect"] == 1.0]["pays"].any()
    pay = pd.read_csv(out / "payback.csv")
    pay = pay[(pay["contact_plan"] == plan) & (pay["exit_effect"] == 1.0)]
    assert len(pay) == 2 and pay["payback_months"].isna().all() and (pay["return_per_dkk"] == 0.0).all()


@pytest.mark.parametrize("plan", ["legal", "diary_full"])
def test_with_an_effect_benefits_fall_with_team_size_and_with_the_effect(quick, plan):
    _, out = quick
    net = pd.read_csv(out / "net_cost.csv")
    net = net[net["contact_plan"] == plan]
    steps = pd.read_csv(out / "steps.csv")
    steps = steps[steps["contact_plan"] == plan]
    for effect in (1.15, 1.3, 1.5):
        # each added step saves benefits: the paired 95% interval lies above 0
        s = steps[steps["exit_effect"] == effect]
        assert len(s) == 2 and (s["saved_dkk_ci_low"] > 0).all(), s
        g = net[net["exit_effect"] == effect].sort_values("workers")
        assert g["benefit_dkk"].is_monotonic_decreasing and g["citizens"].is_monotonic_decreasing
    # at the smallest team a stronger effect leaves fewer citizens on benefit (same seeds)
    smallest = net[net["workers"] == 2].sort_values("exit_effect")
    assert smallest["citizens"].is_monotonic_decreasing
    assert smallest["citizens"].iloc[-1] < 0.97 * smallest["citizens"].iloc[0]


def test_more_frequent_conversations_make_the_largest_team_pay_under_the_literatures_effect(quick):
    _, out = quick
    net = pd.read_csv(out / "net_cost.csv").set_index(["contact_plan", "exit_effect", "workers"])
    for effect in (1.3, 1.5):
        full = net.loc[("diary_full", effect, 5)]
        legal = net.loc[("legal", effect, 5)]
        assert full["net_change_dkk_ci_high"] < 0            # 5 caseworkers cost less net than 2
        assert full["citizens"] < legal["citizens"]          # more conversations, shorter stays
    assert payback.contact_interval_days("diary_full", 80.0) == 33
    assert payback.contact_interval_days("diary_full", 220.0) == 91 and payback.contact_interval_days("legal", 9) == 0


def test_the_figure_says_net_in_english_and_danish(quick):
    _, out = quick
    net = pd.read_csv(out / "net_cost.csv")
    best = pd.read_csv(out / "break_even.csv")
    net, best = net[net["contact_plan"] == "legal"], best[best["contact_plan"] == "legal"]
    en = payback.payback_figure(net, best, 400.0, FTE, "en")
    da = payback.payback_figure(net, best, 400.0, FTE, "da", plan="diary_full")
    assert en.get_suptitle().startswith("Net cost (staff + cash benefits)")
    assert da.get_suptitle().replace("\n", " ").startswith(
        "Nettoudgift (løn + kontanthjælp) for 400 nye borgere om året, frigjort kalendertid brugt på hyppigere")
    assert "600,000 DKK" in en.get_suptitle() and "600.000 kr." in da.get_suptitle()
    labels = [t.get_text() for t in en.legends[0].get_texts()]
    assert labels == ["extra staff cost alone (gross)", "no effect (1)", "exit effect 1.15 (range)",
                      "the literature's effect (1.3)", "exit effect 1.5 (range)"]
    main = [ax for ax in en.axes if ax.get_xlabel() == "Caseworkers"]
    assert len(main) == 2 and [t for t in main[0].get_xticks()] == [2, 3, 5]


# ------------------------------------------------------------------ the arithmetic on hand-made runs

def _runs():
    """Two replications, teams of 2, 3 and 4, effects 1 and 1.3: citizens on benefit set by hand."""
    citizens = {(1.0, 2): (100, 102), (1.0, 3): (100, 102), (1.0, 4): (100, 102),
                (1.3, 2): (90, 92), (1.3, 3): (84, 84), (1.3, 4): (82, 81)}
    rows = []
    for (effect, workers), pair in citizens.items():
        for rep, n in enumerate(pair):
            rows.append({"exit_effect": effect, "workers": workers, "replication": rep,
                         "caseload_mean": n / workers, "staff_dkk_per_year": workers * FTE,
                         "benefit_dkk_per_year": n * BENEFIT, "net_cost_dkk_per_year": workers * FTE + n * BENEFIT})
    return pd.DataFrame(rows)


def test_break_even_steps_and_payback_by_hand():
    base = payback.inflow_scenario(jobsim.load_scenario("ds_norm"), 200.0, 2)
    assert base.caseload == 100.0 and base.replace(workers=4).caseload == 50.0
    runs = _runs()
    net = payback.net_table(runs, base)
    steps = payback.steps_table(runs)
    best = payback.break_even(net, steps)
    lit = net[net["exit_effect"] == 1.3].set_index("workers")
    # 2 -> 3 saves 7 citizens on average (6 and 8): 7 x 133,716 = 936,012 DKK against 600,000: pays
    assert lit.loc[3, "saved_dkk"] == pytest.approx(7 * BENEFIT)
    assert lit.loc[3, "net_change_dkk"] == pytest.approx(FTE - 7 * BENEFIT)
    s = steps[steps["exit_effect"] == 1.3].set_index("workers_to")
    assert bool(s.loc[3, "pays"]) and not bool(s.loc[4, "pays"])       # 3 -> 4 saves 2.5 citizens: 334,290
    assert s.loc[4, "saved_dkk"] == pytest.approx(2.5 * BENEFIT)
    row = best.set_index("exit_effect").loc[1.3]
    assert row["best_workers"] == 3 and row["pays_up_to_workers"] == 3 and row["best_caseload"] == pytest.approx(200 / 3)
    none = best.set_index("exit_effect").loc[1.0]
    assert none["best_workers"] == 2 and none["pays_up_to_workers"] == 2
    pay = payback.payback_table(net, 200.0).set_index(["exit_effect", "workers"])
    assert pay.loc[(1.3, 3), "payback_months"] == pytest.approx(12 * FTE / (7 * BENEFIT))
    assert pay.loc[(1.3, 4), "return_per_dkk"] == pytest.approx(9.5 * BENEFIT / (2 * FTE))
    assert pd.isna(pay.loc[(1.0, 3), "payback_months"])
    # from the start: the new mean stay is 84 citizens / 200 a year = 0.42 years (Little's law)
    assert pay.loc[(1.3, 3), "stay_years"] == pytest.approx(0.42)
    assert pay.loc[(1.3, 3), "payback_months_from_start"] == pytest.approx(
        payback.months_to_pay_back(7 * BENEFIT, FTE, 0.42))
    # 2 -> 4 saves 9.5 citizens, 1.27 million against 1.2: pays, but only after the caseload has fallen
    assert pay.loc[(1.3, 4), "payback_months_from_start"] > 3 * pay.loc[(1.3, 4), "payback_months"]


def test_the_case_comparison_puts_the_published_figures_per_caseworker():
    net = payback.net_table(_runs(), payback.inflow_scenario(jobsim.load_scenario("ds_norm"), 200.0, 2))
    cases = payback.case_comparison(net, FTE, BENEFIT).set_index("extra_caseworkers")
    hjorring = cases.loc[35.0]
    assert hjorring["citizens_off_per_caseworker"] == pytest.approx(1000 / 35)
    assert hjorring["saved_per_dkk"] == pytest.approx(300 / 125)
    aabenraa = cases.loc[68e6 / 3.5 / FTE]
    assert aabenraa["citizens_off"] == 509.0
    assert cases.loc[1.0, "citizens_off"] == pytest.approx(7.0)   # the model: 2 -> 3 caseworkers under 1.3


def test_months_to_pay_back_solves_the_lagged_balance():
    import math

    # saved 1.6 million, staff 0.6 million a year, a mean stay of a year: (1 - e^-x)/x = 1 - 0.6/1.6
    months = payback.months_to_pay_back(1.6e6, 0.6e6, 1.0)
    x = months / 12.0
    assert (1.0 - math.exp(-x)) / x == pytest.approx(0.625, abs=1e-12)
    # savings so far equal the staff paid so far at that moment
    t, tau = x, 1.0
    assert 1.6e6 * (t - tau * (1.0 - math.exp(-t / tau))) == pytest.approx(0.6e6 * t, rel=1e-9)
    # a longer stay is a slower fall: later payback, in proportion
    assert payback.months_to_pay_back(1.6e6, 0.6e6, 2.0) == pytest.approx(2 * months, rel=1e-9)
    assert math.isnan(payback.months_to_pay_back(0.5e6, 0.6e6, 1.0))


def test_docstring_examples_of_payback_run():
    import doctest

    result = doctest.testmod(payback)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("value", ["0", "-5", "nan"])
def test_a_bad_inflow_is_refused_with_one_line_and_exit_2(tmp_path, value):
    proc = run("does_it_pay", "--quick", "--out", str(tmp_path / "o"), "--inflow", value, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --inflow: ") and "positive number of citizens a year" in proc.stderr
    assert proc.stderr.count("\n") == 1 and not (tmp_path / "o").exists()
