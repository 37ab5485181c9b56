"""The no-show estimators on data drawn the model's way (issue 14): the beta-binomial's intervals cover the
true mean and spread at close to 95 % over many seeds, the likelihood-ratio test tells identical citizens from
different ones, follow-up bookings are told from others, and the log says plainly what it cannot identify."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jobsim.calibrate.fit import concentration_of
from jobsim.calibrate.log import AppointmentLog
from jobsim.calibrate.noshow import beta_binomial, design, noshow_model


def draw_counts(rng, mean, spread, citizens):
    """No-shows of citizens with beta-distributed propensities and 1 to 8 bookings each."""
    n = rng.integers(1, 9, citizens)
    if spread == 0:
        p = np.full(citizens, mean)
    else:
        c = concentration_of(mean, spread)
        p = rng.beta(mean * c, (1 - mean) * c, citizens)
    return rng.binomial(n, p), n


def test_beta_binomial_intervals_cover_the_truth_at_close_to_95_percent():
    reps, hits_mean, hits_spread = 100, 0, 0
    for seed in range(reps):
        k, n = draw_counts(np.random.default_rng(seed), 0.18, 0.12, 1500)
        fit = beta_binomial(k, n)
        hits_mean += fit["mean_ci"][0] <= 0.18 <= fit["mean_ci"][1]
        hits_spread += fit["spread_ci"][0] <= 0.12 <= fit["spread_ci"][1]
    # a correct 95 % interval covers at least this often with probability 99.5 % (binomial, 100 replications)
    floor = stats.binom.ppf(0.005, reps, 0.95)
    assert hits_mean >= floor and hits_spread >= floor, (hits_mean, hits_spread, floor)
    assert hits_mean <= reps and hits_spread <= reps


def test_likelihood_ratio_test_tells_identical_from_different_citizens():
    k, n = draw_counts(np.random.default_rng(1), 0.15, 0.0, 3000)
    same = beta_binomial(k, n)
    k, n = draw_counts(np.random.default_rng(1), 0.15, 0.15, 3000)
    differ = beta_binomial(k, n)
    assert same["p_identical"] > 0.001    # true null: below 0.001 one time in a thousand
    assert same["spread"] < 0.05
    assert differ["p_identical"] < 1e-6


def test_the_likelihood_ratio_p_value_is_uniform_enough_under_identical_citizens():
    # under the null the boundary-corrected p-value is below 0.05 in about 5 % of samples
    p = [beta_binomial(*draw_counts(np.random.default_rng(s), 0.2, 0.0, 800))["p_identical"] for s in range(60)]
    rejections = sum(v < 0.05 for v in p)
    assert rejections <= stats.binom.ppf(0.995, 60, 0.05)


def frame(rows):
    f = pd.DataFrame(rows, columns=["citizen_id", "booked_at", "slot_start", "attended"])
    f["booked_at"] = pd.to_datetime(f["booked_at"])
    f["slot_start"] = pd.to_datetime(f["slot_start"])
    return f


def test_follow_ups_are_bookings_made_on_the_day_of_the_previous_slot():
    f = frame([("c1", "2024-01-01 10:00", "2024-01-08 09:00", True),      # first: other
               ("c1", "2024-01-08 09:30", "2024-04-01 09:00", False),     # after a held conversation
               ("c1", "2024-04-01 09:10", "2024-04-10 09:00", True),      # after a no-show
               ("c1", "2024-05-01 09:00", "2024-06-10 09:00", True),      # booked later: other
               ("c2", "2024-01-01 10:00", "2024-01-02 09:00", True),      # booked before the log begins: other
               ("c3", "2024-02-01 10:00", "2024-02-03 09:00", True),      # a new citizen's first: first
               ("c4", "2024-02-01 11:00", "2024-03-04 09:00", False)])
    d = design(AppointmentLog(f, "x", frozenset()))
    assert d.kind.tolist() == ["other", "held", "no_show", "other", "other", "first", "first"]
    assert d.offsets == {"held": 84.0, "no_show": 9.0, "first": 2.0}
    assert d.x.tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]


def synthetic_log(rng, citizens=1500, sms=None, sms_with_lead=False):
    """Citizens with beta propensities and follow-ups at random leads; odds ratio 2 per 30 days beyond 7 days."""
    c = concentration_of(0.2, 0.1)
    rows = []
    for i in range(citizens):
        p = rng.beta(0.2 * c, 0.8 * c)
        day = pd.Timestamp("2024-01-01")
        slot = day + pd.Timedelta(days=int(rng.integers(1, 20)))
        for j in range(int(rng.integers(2, 7))):
            booked = day if j == 0 else slot
            extra = int(rng.integers(0, 90))
            slot = booked + pd.Timedelta(days=7 + extra) if j else slot
            reminder = (j > 0 and extra > 45) if sms_with_lead else bool(sms if sms is not None else False)
            q = p * (0.7 if reminder else 1.0)
            odds = q / (1 - q) * 2.0 ** (extra / 30 if j else 0)
            rows.append((f"c{i}", booked, slot, bool(rng.random() >= odds / (1 + odds)), reminder))
    f = pd.DataFrame(rows, columns=["citizen_id", "booked_at", "slot_start", "attended", "sms_sent"])
    return AppointmentLog(f, "synthetic.csv", frozenset())


def test_no_reminders_in_the_log_means_no_sms_estimate_and_says_so():
    fit = noshow_model(synthetic_log(np.random.default_rng(3), citizens=600, sms=False))
    assert fit["sms_effect"] is None
    assert fit["notes"]["sms"].startswith("0 bookings with an SMS reminder and ")
    assert fit["odds_ratio_ci"][0] <= 2.0 <= fit["odds_ratio_ci"][1]


def test_reminders_sent_only_for_long_leads_are_not_identified_and_the_lead_says_it_holds_them():
    log = synthetic_log(np.random.default_rng(4), citizens=600, sms_with_lead=True)
    fit = noshow_model(log)
    assert fit["sms_effect"] is None
    assert fit["notes"]["sms"].startswith("not identified: reminders went with the lead")
    assert "cannot tell the reminders' effect from the lead's" in fit["notes"]["sms"]
    from jobsim.calibrate.report import calibrate
    cal = calibrate(log)
    assert cal.estimate("sms_effect").value is None and "sms_effect" not in cal.values()
    lead = cal.estimate("noshow_lead_odds_ratio")
    assert lead.value is not None and "holds the reminders' effect too" in lead.note


@pytest.mark.parametrize("seed", [5, 6])
def test_the_model_fit_recovers_the_lead_effect_beyond_the_shortest_lead(seed):
    fit = noshow_model(synthetic_log(np.random.default_rng(seed)))
    assert fit["offsets"] == {"held": 7.0} or set(fit["offsets"]) <= {"held", "no_show"}
    assert fit["odds_ratio_ci"][0] <= 2.0 <= fit["odds_ratio_ci"][1]
    assert fit["mean_ci"][0] <= 0.2 <= fit["mean_ci"][1]
