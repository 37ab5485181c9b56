"""The "what must hold" lines of the model specification (docs/model.md, verification), on seeded runs,
with tolerances from theory.

Intervals: t intervals over replications (scipy.stats.t), exact binomial
intervals for rates of independent Bernoulli events. Confidence levels are
99.9% so a correct model fails a check about once in a thousand seeds; the
seeds are fixed, so the outcome is deterministic.
"""

import numpy as np
import pytest
from scipy import stats

from jobsim import Scenario, simulate

LEVEL = 0.999


def t_interval(values, level=LEVEL):
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean, se = values.mean(), values.std(ddof=1) / np.sqrt(n)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return mean - half, mean + half


def kpis(scenario, reps, seed=11):
    return [simulate(scenario, seed=seed, replication=r, tables=False).kpis for r in range(reps)]


def test_littles_law_caseload_mean_matches_caseload():
    s = Scenario(caseload=60.0, workers=6, horizon_days=182)
    values = [k["caseload_mean"] for k in kpis(s, 8)]
    low, high = t_interval(values)
    assert low <= 60.0 <= high
    assert abs(np.mean(values) / 60.0 - 1) < 0.03  # "within a few percent"


def test_nobody_misses_with_zero_noshow_probability():
    r = simulate(Scenario(noshow_probability=0.0, workers=3, horizon_days=91), seed=3)
    resolved = r.meetings[r.meetings.outcome.isin(["held", "no_show"])]
    assert len(resolved) > 100
    assert (resolved.outcome == "held").all()
    assert r.kpis["noshow_rate"] == 0.0


def test_nobody_is_ever_seen_with_noshow_probability_one():
    r = simulate(Scenario(noshow_probability=1.0, workers=3, horizon_days=91), seed=3)
    assert (r.meetings.outcome != "held").all()
    assert (r.meetings.outcome == "no_show").sum() > 100
    assert r.kpis["noshow_rate"] == 1.0
    assert r.kpis["meetings_held_per_worker_week"] == 0.0


def test_noshow_rate_matches_probability_when_citizens_are_alike():
    r = simulate(Scenario(noshow_probability=0.2, noshow_spread=0.0, workers=10), seed=5)
    m = r.meetings[r.meetings.outcome.isin(["held", "no_show"])]
    n, k = len(m), int((m.outcome == "no_show").sum())
    assert n > 2000
    ci = stats.binomtest(k, n, 0.2).proportion_ci(confidence_level=LEVEL)
    assert ci.low <= 0.2 <= ci.high
    assert r.kpis["noshow_rate"] == pytest.approx(k / n)


def test_noshow_rate_per_booking_exceeds_mean_propensity_when_citizens_differ():
    # frequent no-showers are rebooked more often, so they hold more of the bookings
    r = simulate(Scenario(noshow_probability=0.3, noshow_spread=0.3, workers=10), seed=5)
    m = r.meetings[r.meetings.outcome.isin(["held", "no_show"])]
    ci = stats.binomtest(int((m.outcome == "no_show").sum()), len(m)).proportion_ci(confidence_level=LEVEL)
    assert ci.low > 0.3


SATURATION = dict(casework_minutes=0.0, absence_share=0.0, noshow_probability=0.0, noshow_spread=0.0,
                  stay_days=3650.0, workers=4, horizon_days=364, warmup_days=182)


def test_diary_saturates_where_caseload_reaches_slot_capacity():
    # capacity: 4 slots x 5 days per 7 days x 91-day interval = 260 citizens per caseworker
    capacity = 4 * 5 * 91 / 7
    runs = {}
    for factor in (0.8, 0.95, 1.05, 1.25):
        runs[factor] = kpis(Scenario(caseload=factor * capacity, **SATURATION), 2)
    overdue = {f: np.mean([k["overdue_share"] for k in ks]) for f, ks in runs.items()}
    gap = {f: np.mean([k["followup_gap_days_mean"] for k in ks]) for f, ks in runs.items()}
    assert overdue[0.8] < 0.03
    assert overdue[0.95] < 0.05
    assert overdue[1.05] > 0.5
    # above capacity the diary is a growing queue: the gaps keep lengthening past the 91-day rule
    assert gap[0.95] < 91 < gap[1.05] < gap[1.25]


def test_after_checkin_prep_and_conversation_fit_in_the_slot():
    s = Scenario(prep_policy="after_checkin", caseload=150.0, punctuality_sd_minutes=8.0, workers=4)
    m = simulate(s, seed=2).meetings
    held = m[m.outcome == "held"]
    assert len(held) > 500
    assert (held.prep_minutes + held.conversation_minutes <= s.slot_minutes + 1e-9).all()
    end = held.conversation_start + held.conversation_minutes
    assert (end <= held.slot_start + s.slot_minutes + 1e-9).all()
    assert (held.prep_minutes <= s.checkin_prep_minutes + 1e-9).all()


def test_no_preparation_under_none():
    r = simulate(Scenario(prep_policy="none", workers=4), seed=2)
    assert (r.meetings.prep_minutes == 0).all()
    assert r.worker_days[["prep_minutes", "wasted_prep_minutes"]].to_numpy().sum() == 0
    assert r.kpis["prepared_share"] == 0.0


def test_wasted_preparation_is_noshow_rate_times_preparation_done():
    # with alike citizens attendance is independent of how much was prepared
    s = Scenario(prep_policy="ahead", noshow_probability=0.2, noshow_spread=0.0, workers=10, caseload=40.0)
    m = simulate(s, seed=9).meetings
    booked = m[m.outcome.isin(["held", "no_show"])]
    wasted_share = booked.prep_minutes[booked.outcome == "no_show"].sum() / booked.prep_minutes.sum()
    noshow = (booked.outcome == "no_show").mean()
    # ratio estimator: its standard error is that of the weighted no-show share
    w = booked.prep_minutes / booked.prep_minutes.mean()
    x = (booked.outcome == "no_show").astype(float)
    se = np.sqrt(np.mean(w**2 * (x - wasted_share) ** 2) / len(booked))
    assert abs(wasted_share - noshow) < 4 * se + 1e-12
    assert 0.15 < wasted_share < 0.25


@pytest.mark.slow
def test_overdue_does_not_fall_and_preparation_does_not_rise_with_caseload():
    caseloads = [40, 80, 120, 160, 200, 240]
    reps = 4
    runs = {c: kpis(Scenario(caseload=float(c), workers=5), reps, seed=21) for c in caseloads}
    for lo, hi in zip(caseloads, caseloads[1:]):
        d_overdue = [b["overdue_share"] - a["overdue_share"] for a, b in zip(runs[lo], runs[hi])]
        d_prep = [b["prep_minutes_mean"] - a["prep_minutes_mean"] for a, b in zip(runs[lo], runs[hi])]
        # paired by replication (common random numbers): a fall would show as an interval below zero
        assert t_interval(d_overdue)[1] >= 0, (lo, hi, d_overdue)
        assert t_interval(d_prep)[0] <= 0, (lo, hi, d_prep)
    assert np.mean([k["overdue_share"] for k in runs[240]]) > np.mean([k["overdue_share"] for k in runs[40]])
    assert np.mean([k["casework_coverage"] for k in runs[240]]) < np.mean([k["casework_coverage"] for k in runs[40]])
