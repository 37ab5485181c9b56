"""Lead bands (issue 23): the model's no-show odds by how long before the slot a booking was made, on the
lead an appointment log shows, so that what `jobsim calibrate` estimates is what the model runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import jobsim
from jobsim.errors import ScenarioError
from jobsim.model.leadbands import BAND_FIELDS, LEAD_BANDS, band_index, band_odds_ratios, banded_propensity


def test_each_lead_falls_in_the_band_that_holds_it():
    leads = [0, 1, 7, 8, 14, 15, 30, 31, 365]
    assert [band_index(d) for d in leads] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert band_index(np.array(leads)).tolist() == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert [name for name, _, _ in LEAD_BANDS] == ["same_day", "1_7_days", "8_14_days", "15_30_days",
                                                   "31_plus_days"]


def test_a_band_multiplies_the_odds_and_the_reference_band_leaves_the_propensity_alone():
    ratios = (0.1, 1.0, 1.5, 2.0, 3.0)
    p = 0.2
    assert banded_propensity(p, 3, ratios) == p
    odds = p / (1 - p) * 3.0
    assert banded_propensity(p, 40, ratios) == pytest.approx(odds / (1 + odds), rel=1e-15)
    assert banded_propensity(0.0, 0, ratios) == 0.0 and banded_propensity(1.0, 0, ratios) == 1.0


def test_a_scenario_without_bands_has_none_and_one_with_them_lists_all_five():
    assert band_odds_ratios(jobsim.Scenario()) is None
    s = jobsim.Scenario(noshow_lead_odds_ratio_same_day=0.1, noshow_lead_odds_ratio_31_plus_days=2.0)
    assert band_odds_ratios(s) == (0.1, 1.0, 1.0, 1.0, 2.0)
    assert set(BAND_FIELDS.values()) <= set(jobsim.Scenario.model_fields)


def test_the_two_lead_shapes_together_are_refused_naming_both():
    with pytest.raises(ScenarioError) as err:
        jobsim.Scenario(noshow_lead_odds_ratio=2.0, noshow_lead_odds_ratio_8_14_days=1.5)
    text = str(err.value)
    assert "noshow_lead_odds_ratio" in text and "noshow_lead_odds_ratio_8_14_days" in text
    assert "one lead shape" in text


@pytest.mark.slow
def test_simulated_no_shows_by_lead_band_match_the_banded_propensity():
    # all citizens alike (no spread), no absence (a moved booking keeps the attendance drawn for its first slot):
    # in each band the no-shows are binomial with the banded propensity; 4 standard deviations either side
    from jobsim.runner.eventlog import appointment_log
    from jobsim.runner.simulate import simulate

    ratios = {"noshow_lead_odds_ratio_8_14_days": 0.5, "noshow_lead_odds_ratio_15_30_days": 2.0,
              "noshow_lead_odds_ratio_31_plus_days": 3.0}
    s = jobsim.load_scenario("laerkevej", workers=8, horizon_days=365, absence_share=0.0, noshow_spread=0.0,
                             noshow_probability=0.15, **ratios)
    log = appointment_log(simulate(s, seed=4))
    import pandas as pd
    lead = (pd.to_datetime(log["slot_start"]).dt.normalize()
            - pd.to_datetime(log["booked_at"]).dt.normalize()).dt.days.to_numpy()
    missed = ~log["attended"].to_numpy(bool)
    band = band_index(lead)
    checked = 0
    for i in range(len(LEAD_BANDS)):
        n = int((band == i).sum())
        if n < 100:
            continue
        p = banded_propensity(0.15, [0, 3, 10, 20, 40][i], (1.0, 1.0, 0.5, 2.0, 3.0))
        k = int(missed[band == i].sum())
        assert abs(k - n * p) <= 4 * math.sqrt(n * p * (1 - p)), (LEAD_BANDS[i][0], k, n, p)
        checked += 1
    assert checked >= 3


def test_without_bands_a_run_is_what_it_was():
    # every ratio 1 is no band effect at all: the same draws, the same results
    from jobsim.runner.simulate import simulate

    base = jobsim.load_scenario("laerkevej", workers=2, horizon_days=60)
    ones = base.replace(**{name: 1.0 for name in BAND_FIELDS.values()})
    assert simulate(base, seed=1).kpis == simulate(ones, seed=1).kpis
