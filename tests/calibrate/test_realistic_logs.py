"""Calibration on realistic booking logs (issue 23): same-day bookings, odds by lead band, reminders sent only
above a lead, a shape of lead effect that fails its test, duplicates and time-zone offsets.

The logs are drawn by :func:`jobsim.studies.calibration.realistic_log` from known values shaped like a public
outpatient log (about 3 % no-shows same day, 24 % at 1-7 days, a third beyond two weeks)."""

from __future__ import annotations

import math
import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jobsim import Scenario
from jobsim.calibrate.lead import ALPHA_FIT, predictive_check
from jobsim.calibrate.log import read_appointment_log
from jobsim.calibrate.noshow import design
from jobsim.calibrate.report import calibrate
from jobsim.model.leadbands import BAND_FIELDS
from jobsim.studies.calibration import REALISTIC_TRUTH, realistic_log, realistic_recovery

REPLICATIONS = 24
CITIZENS = 2000


def read(tmp_path, frame, name="log.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return read_appointment_log(path)


@pytest.fixture(scope="module")
def recovered():
    return realistic_recovery(REPLICATIONS, seed=0, citizens=CITIZENS)


@pytest.mark.slow
def test_intervals_on_realistic_logs_hold_the_true_values_at_close_to_nominal_coverage(recovered):
    assert set(recovered["parameter"]) == set(REALISTIC_TRUTH)
    floor = stats.binom.ppf(0.005, REPLICATIONS, 0.95)   # a correct 95 % interval does worse 1 time in 200
    hits = recovered.groupby("parameter")["covered"].sum()
    assert (hits >= floor).all(), (hits.to_dict(), floor)
    trials = REPLICATIONS * len(REALISTIC_TRUTH)
    assert hits.sum() >= stats.binom.ppf(0.0005, trials, 0.95), (hits.sum(), trials)


@pytest.mark.slow
def test_the_lead_bands_are_written_unless_their_fit_test_fails_which_a_correct_shape_does_rarely(recovered):
    # the band shape is the truth here: its test fails with probability ALPHA_FIT, so over the replications
    # it may fail at most this often (99.5 % binomial bound); when it passes every value is written
    per_seed = recovered.groupby("seed")["written"].all()
    failures = int((~per_seed).sum())
    assert failures <= stats.binom.ppf(0.995, REPLICATIONS, ALPHA_FIT), failures


def fragment_settings(text: str) -> dict[str, tuple[float, float, float]]:
    """name -> (value, low, high) of every setting (not comment) line of a fragment."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(\w+) = (\S+)  # .*95% CI (\S+) to (\S+)$", line)
        if m:
            out[m.group(1)] = (float(m.group(2)), float(m.group(3)), float(m.group(4)))
    return out


@pytest.mark.parametrize("reminders", ["within_lead", "above_lead"])
def test_no_fragment_holds_a_value_outside_its_interval_or_the_allowed_range(tmp_path, reminders):
    for seed in (1, 2):
        cal = calibrate(read(tmp_path, realistic_log(seed, CITIZENS, reminders)))
        text = cal.to_toml()
        settings = fragment_settings(text)
        assert set(settings) == set(tomllib.loads(text))        # every setting carries its interval
        for name, (value, low, high) in settings.items():
            assert low <= value <= high, (name, value, low, high)
        Scenario(**{k: v[0] for k, v in settings.items()})     # the scenario accepts every value as written
        assert "clipped" not in text


def test_reminders_sent_only_from_a_lead_on_are_not_identified_and_not_written(tmp_path):
    cal = calibrate(read(tmp_path, realistic_log(3, CITIZENS, "above_lead")))
    sms = cal.estimate("sms_effect")
    assert sms.value is None
    assert sms.note.startswith("not identified: reminders went with the lead (sent only at leads of 3 days or more)")
    text = cal.to_toml()
    assert "\nsms_effect =" not in text and "# sms_effect: not identified" in text
    # the band that mixes leads with and without reminders says its ratio holds the reminders' effect too
    assert "holds the reminders' effect too" in cal.estimate("noshow_lead_odds_ratio_8_14_days").note


def test_one_odds_ratio_per_30_days_fails_its_test_on_a_log_with_same_day_bookings_and_is_not_written(tmp_path):
    cal = calibrate(read(tmp_path, realistic_log(4, CITIZENS)))
    per_30 = cal.estimate("noshow_lead_odds_ratio")
    assert per_30.value is not None and "(fails: below 0.01)" in per_30.fit
    text = cal.to_toml()
    assert re.search(r"^# noshow_lead_odds_ratio not written \(lead bands chosen: the only shape whose fit test "
                     r"passes", text, flags=re.M)
    assert not re.search(r"^noshow_lead_odds_ratio =", text, flags=re.M)
    assert re.search(r"^noshow_lead_odds_ratio_same_day = ", text, flags=re.M)


def test_when_no_lead_shape_fits_nothing_of_the_lead_is_written_and_the_report_warns_first(tmp_path):
    # the odds rise day by day within the bands (2 % same day, 2 % more per day of lead up to 60 %):
    # flat bands miss the rise inside 1-7 days, one ratio per 30 days misses the same-day drop
    frame = realistic_log(5, CITIZENS, "none")
    rng = np.random.default_rng(5)
    lead = (frame["slot_start"].dt.normalize() - frame["booked_at"].dt.normalize()).dt.days.to_numpy()
    frame["attended"] = rng.random(len(frame)) >= np.minimum(0.02 + 0.02 * lead, 0.6)
    cal = calibrate(read(tmp_path, frame))
    report = cal.report().splitlines()
    assert report[0] == "WARNING: estimated but not written to the scenario fragment:"
    assert any(line.startswith("  - noshow_lead_odds_ratio_same_day = ") and "the fit test fails for every lead "
               "shape" in line for line in report[1:6])
    text = cal.to_toml()
    assert not re.search(r"^noshow_lead_odds_ratio\w* =", text, flags=re.M)


def test_the_report_starts_with_what_the_log_is(tmp_path):
    frame = realistic_log(6, 800)
    cal = calibrate(read(tmp_path, frame))
    lines = cal.report().splitlines()
    k, n = int((~frame["attended"]).sum()), len(frame)
    lo, hi = stats.binomtest(k, n).proportion_ci(method="wilson")
    start = 0 if lines[0].startswith("The log: ") else lines.index("") + 1
    assert lines[start].startswith("The log: log.csv (") and f"{n:,} bookings" in lines[start]
    assert lines[start + 1] == f"  no-shows per booking: {k:,} of {n:,} = {k / n:.1%} (95% CI {lo:.1%} to {hi:.1%})"
    lead = (frame["slot_start"].dt.normalize() - frame["booked_at"].dt.normalize()).dt.days
    same = frame[lead == 0]
    assert lines[start + 3].strip().startswith(f"same day: {int((~same['attended']).sum()):,} of {len(same):,} = ")


def test_the_predictive_check_passes_the_values_written_and_catches_a_fragment_without_the_lead_effect(tmp_path):
    log = read(tmp_path, realistic_log(7, CITIZENS))
    cal = calibrate(log)
    table = cal.check()
    assert table["inside"].all(), table
    values = {k: v for k, v in cal.values().items() if k not in BAND_FIELDS.values()}
    wrong = predictive_check(design(log), values)
    same_day = wrong[wrong["band"] == "same_day"].iloc[0]
    assert not same_day["inside"] and same_day["observed"] < same_day["low"]


@pytest.mark.slow
def test_a_realistic_log_written_twice_or_with_a_time_zone_offset_gives_the_same_estimates(tmp_path):
    frame = realistic_log(8, 1000)
    clean = calibrate(read(tmp_path, frame, "clean.csv"))
    twice = read(tmp_path, pd.concat([frame, frame], ignore_index=True), "twice.csv")
    assert twice.duplicates_removed == len(frame)
    assert calibrate(twice).estimates == clean.estimates
    offset = frame.copy()
    for col in ("booked_at", "slot_start"):
        offset[col] = offset[col].dt.strftime("%Y-%m-%dT%H:%M:%S+01:00")
    shifted = read(tmp_path, offset, "offset.csv")
    assert any("+01:00" in c for c in shifted.changes)
    assert calibrate(shifted).estimates == clean.estimates


def test_realistic_logs_look_like_the_published_outpatient_figures():
    # the generator's own check: rates by band near 3 %, a fifth to a quarter, a third (Vitória 2016)
    frame = realistic_log(9, 4000, "none")
    lead = (frame["slot_start"].dt.normalize() - frame["booked_at"].dt.normalize()).dt.days
    rate = lambda m: float((~frame.loc[m, "attended"]).mean())   # noqa: E731
    assert 0.01 < rate(lead == 0) < 0.06
    assert 0.18 < rate((lead >= 1) & (lead <= 7)) < 0.30
    assert 0.28 < rate(lead > 14) < 0.42
    assert math.isclose(len(frame) / 4000, 2.0, rel_tol=0.05)   # 1-3 bookings each


@pytest.mark.parametrize("estimate, reason", [
    # the case: an odds ratio of 27.6 (interval 21.6 to 35.3) used to be clipped to 20 and written
    (("noshow_lead_odds_ratio", 27.6, 21.6, 35.3), "outside the range the scenario allows (0.1 to 20)"),
    # and a reminder effect of -0.27 clipped to 0
    (("sms_effect", -0.27, -0.4, -0.14), "outside the range the scenario allows (0 to 1)"),
    (("noshow_spread", 0.1, 0.12, 0.2), "outside its own 95% interval 0.12 to 0.2"),
    (("noshow_probability", 0.2, math.nan, math.nan), "no finite 95% interval"),
    (("noshow_spread", 0.1, 0.05, math.inf), "no finite 95% interval"),
    (("noshow_spread", 0.5, 0.45, 0.55), "outside the range the scenario allows (0 to 0.5)"),   # lt: 0.5 is out
])
def test_a_value_that_is_not_a_setting_is_a_comment_saying_why(tmp_path, estimate, reason):
    from jobsim.calibrate.fit import Estimate
    from jobsim.calibrate.report import Calibration, not_written

    name, value, low, high = estimate
    e = Estimate(name, "a label", value, low, high, "ratio")
    assert not_written(e) == reason
    cal = Calibration(read(tmp_path, realistic_log(10, 50)), [e])
    text = cal.to_toml()
    assert f"# {name} not written ({reason}): estimate " in text
    assert not re.search(rf"^{name} =", text, flags=re.M) and cal.values() == {}
    assert cal.report().splitlines()[:2] == ["WARNING: estimated but not written to the scenario fragment:",
                                             f"  - {name} = {value:.3g} not written: {reason}"]


def test_a_value_inside_its_interval_and_range_from_a_passing_fit_is_written(tmp_path):
    from jobsim.calibrate.fit import Estimate
    from jobsim.calibrate.report import Calibration, not_written

    e = Estimate("noshow_lead_odds_ratio_same_day", "a label", 0.1, 0.08, 0.13, "ratio")
    assert not_written(e) is None
    cal = Calibration(read(tmp_path, realistic_log(10, 50)), [e])
    assert cal.values() == {"noshow_lead_odds_ratio_same_day": 0.1}
    assert re.search(r"^noshow_lead_odds_ratio_same_day = 0.1  # estimated from log.csv .*95% CI 0.08 to 0.13$",
                     cal.to_toml(), flags=re.M)
