"""The reduced configuration against appointment-scheduling theory: a closed form and Ho & Lau (1992)'s ordering.

Tolerances come from theory: the no-show count is binomial (all citizens alike); the mean
unused minutes per slot of a replication is a mean over about a thousand slots, and the
replications are independent, so the theory must lie inside the t interval of the replication
means (99%: a seeded test, one chance in a hundred of a false alarm per check at most).
"""


import numpy as np
import pytest
from scipy import stats

from jobsim import simulate
from jobsim.runner.stats import t_interval
from jobsim.validation.reduced import (expected_talk_minutes, expected_talk_minutes_integral, expected_unused_minutes,
                                       main_effects, ordering_experiment, reduced_scenario, session_idle_minutes)

S = 25.0


@pytest.mark.parametrize("mean,cv", [(20.0, 0.3), (20.0, 0.8), (30.0, 0.5), (10.0, 1.5)])
def test_closed_form_equals_the_integral_of_the_survival_function(mean, cv):
    assert expected_talk_minutes(S, mean, cv) == pytest.approx(expected_talk_minutes_integral(S, mean, cv), abs=1e-7)
    assert 0 < expected_talk_minutes(S, mean, cv) < min(mean, S)  # cutting at the slot end shortens


def test_the_reduced_configuration_is_what_it_says():
    s = reduced_scenario()
    assert (s.workers, s.casework_minutes, s.absence_share, s.documentation_minutes, s.overrun) == (1, 0, 0, 0, True)
    assert s.prep_policy == "none" and s.noshow_spread == 0 and s.noshow_lead_odds_ratio == 1
    assert s.caseload > s.slots_per_day * 5 * s.interval_days / 7  # the diary is always full


def _held_and_missed(result):
    m = result.meetings
    return m[m["outcome"].isin(["held", "no_show"])]


@pytest.fixture(scope="module")
def cut_runs():
    """Conversations cut at the slot end: six replications at p = 0.2, cv = 0.8."""
    return [simulate(reduced_scenario(overrun=False, noshow_probability=0.2, conversation_cv=0.8), replication=r)
            for r in range(6)]


def test_each_conversation_is_its_need_cut_at_the_slot_end(cut_runs):
    r = cut_runs[0]
    held = r.meetings[r.meetings["outcome"] == "held"]
    need = held["citizen"].map(r.citizens.set_index("citizen")["conversation_need_minutes"])
    np.testing.assert_allclose(held["conversation_minutes"], np.minimum(need, S), rtol=0, atol=1e-9)
    np.testing.assert_allclose(held["conversation_start"], held["slot_start"], rtol=0, atol=1e-9)  # on time


def test_noshows_are_binomial_with_the_propensity(cut_runs):
    booked = sum(len(_held_and_missed(r)) for r in cut_runs)
    missed = sum(int((_held_and_missed(r)["outcome"] == "no_show").sum()) for r in cut_runs)
    assert booked > 5000
    low, high = stats.binomtest(missed, booked).proportion_ci(0.99)
    assert low <= 0.2 <= high


def test_unused_slot_minutes_match_the_closed_form(cut_runs):
    per_run = [S - _held_and_missed(r)["conversation_minutes"].mean() for r in cut_runs]
    low, high = t_interval(float(np.mean(per_run)), float(np.std(per_run, ddof=1)), len(per_run), 0.99)
    theory = expected_unused_minutes(0.2, S, 20.0, 0.8)
    assert low <= theory <= high
    assert high - low < 1.0  # and the check is sharp: under a minute wide (theory: 12.2 minutes)
    # the no-show part alone would be 5 minutes, the conversation part alone 7.6: both must be there
    assert abs(np.mean(per_run) - 0.2 * S) > 5 and abs(np.mean(per_run) - (S - expected_talk_minutes(S, 20, 0.8))) > 3


def test_with_overrun_and_one_slot_a_day_idle_and_overrun_minutes_match_theory():
    p, cv = 0.15, 0.8
    runs = [session_idle_minutes(simulate(reduced_scenario(slots_per_day=1, caseload=100.0, noshow_probability=p,
                                                           conversation_cv=cv), replication=r))
            for r in range(8)]
    talk = expected_talk_minutes(S, 20.0, cv)
    for key, theory in (("idle_per_slot", expected_unused_minutes(p, S, 20.0, cv)),
                        ("overrun_per_slot", (1 - p) * (20.0 - talk))):  # E[(X - S)+] = E[X] - E[min(X, S)]
        x = np.array([r[key] for r in runs])
        low, high = t_interval(float(x.mean()), float(x.std(ddof=1)), len(x), 0.99)
        assert low <= theory <= high, (key, x.mean(), theory)
    assert all(r["slots"] > 200 for r in runs)


def test_ho_and_lau_ordering_noshows_drive_idle_time_before_variability():
    """Ho & Lau (1992): idle time is driven first by the no-show probability, then by service-time variability."""
    runs = ordering_experiment(noshow=(0.0, 0.2), cv=(0.2, 0.8), replications=4, jobs=1)
    effects = main_effects(runs)
    for column, diff in (("conversation_cv", effects["conversation_cv"]),
                         ("noshow minus cv", effects["noshow_probability"] - effects["conversation_cv"])):
        x = diff.to_numpy()
        low, _ = t_interval(float(x.mean()), float(x.std(ddof=1)), len(x), 0.99)
        assert low > 0, column  # variability adds idle time, and no-shows add more
    # no-shows: each missed slot idles most of 25 minutes; from p = 0 to 0.2 about 0.2 x 20 = 4 minutes a slot
    assert 3.0 < effects["noshow_probability"].mean() < 5.0
    assert runs["idle_per_slot"].notna().all() and (runs["slots"] > 1500).all()
