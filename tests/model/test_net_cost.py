"""Stays that respond to follow-up, the inflow-driven scenario, and the money KPIs (issue: net cost)."""

import pytest

import jobsim
from jobsim import Scenario
from jobsim.errors import ScenarioError
from jobsim.model.calendar import MINUTES_PER_DAY
from jobsim.model.jobcenter import Jobcenter
from jobsim.runner.simulate import collect

ONE = dict(workers=1, caseload=1.0, slots_per_day=1, slot_minutes=25.0, noshow_probability=0.0,
           noshow_spread=0.0, prep_cv=0.0, conversation_minutes=20.0, conversation_cv=0.0,
           punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0, absence_share=0.0, casework_minutes=0.0,
           documentation_minutes=0.0, first_meeting_days=1, interval_days=91, warmup_days=0, horizon_days=119,
           stay_days=3650.0, prep_policy="none")


def one_citizen(stay_days, **changes):
    model = Jobcenter(Scenario(**{**ONE, **changes}), seed=0)
    c = model.admit(0.0, first_due_day=1, stay=stay_days * MINUTES_PER_DAY)
    model.book(c, 1)
    model.run(prefill=False, arrivals=False)
    return c, collect(model)


def test_a_hand_computed_stay_with_a_known_hazard():
    # a base stay of 100 days; one conversation on day 1 (9:00-9:20). The hazard is doubled for the 30 days
    # after it, which use up 60 days of the base stay; 100 - t1 - 60 days are left at the base rate after
    # day t1 + 30, so the citizen leaves at t1 + 30 + (40 - t1) = day 70, before the next conversation (day 78)
    c, result = one_citizen(100.0, exit_effect=2.0, exit_effect_days=30.0)
    assert c.exit == pytest.approx(70.0 * MINUTES_PER_DAY, abs=1e-6)
    assert (result.meetings.outcome == "held").sum() == 1


def test_without_an_effect_the_stay_is_the_drawn_stay():
    c, _ = one_citizen(100.0, exit_effect=1.0)
    assert c.exit == 100.0 * MINUTES_PER_DAY
    # an effect below 1 (follow-up that slows exits) lengthens the stay: 30 days use 15, so 100 - 15 + 30 ... :
    c, _ = one_citizen(100.0, exit_effect=0.5, exit_effect_days=30.0, interval_days=200)
    # t1 = day 1 9:20; after the window (day t1 + 30) 100 - t1 - 15 base days are left: exit = t1 + 30 + 85 - t1
    assert c.exit == pytest.approx(115.0 * MINUTES_PER_DAY, abs=1e-6)


def test_a_second_conversation_inside_the_window_restarts_it():
    # a base stay of 200 days, conversations every 14 days (contact plan), hazard x 1.5 for 30 days after each:
    # from the first conversation on, the hazard is always raised, so the stay after t1 is (200 - t1) / 1.5
    c, result = one_citizen(200.0, exit_effect=1.5, exit_effect_days=30.0, contact_interval_days=14,
                            booking_lead_days=0, horizon_days=300)
    held = result.meetings[result.meetings.outcome == "held"].sort_values("day")
    t1 = held.conversation_start.iloc[0] + 20.0           # the end of the first conversation, minutes
    assert c.exit == pytest.approx(t1 + (200.0 * MINUTES_PER_DAY - t1) / 1.5, abs=1e-6)


def test_with_an_effect_stays_shorten_and_the_caseload_falls_for_the_same_inflow():
    base = jobsim.load_scenario("ds_norm").replace(inflow_per_year=450.0, horizon_days=364, warmup_days=364)
    none = jobsim.simulate(base, seed=7, tables=False).kpis
    some = jobsim.simulate(base.replace(exit_effect=1.5), seed=7, tables=False).kpis
    assert some["caseload_mean"] < 0.95 * none["caseload_mean"]
    assert some["benefit_dkk_per_year"] < none["benefit_dkk_per_year"]
    assert some["staff_dkk_per_year"] == none["staff_dkk_per_year"] == 10 * 600000.0


def test_citizens_nobody_talks_to_leave_exactly_when_they_would_without_an_effect():
    # no pre-filled citizens, and nobody ever comes: the raised hazard never starts, so every exit is the
    # drawn one
    s = Scenario(workers=5, caseload=40.0, stay_days=60.0, noshow_probability=1.0, warmup_days=0,
                 horizon_days=182)
    plain, effect = (collect(Jobcenter(s.replace(exit_effect=e), seed=3).run(prefill=False)).citizens
                     for e in (1.0, 2.0))
    assert len(plain) > 300 and plain.exit_day.equals(effect.exit_day)


def test_the_inflow_driven_form_derives_the_caseload_and_refuses_a_contradiction():
    s = Scenario(inflow_per_year=730.0, stay_days=365.0, workers=10)
    assert s.caseload == 73.0 and s.arrival_rate_per_day == 2.0
    assert s.replace(workers=20).caseload == 36.5        # the inflow stays; the caseload follows
    with pytest.raises(ScenarioError, match=r"caseload: 45 contradicts inflow_per_year = 730"):
        Scenario(inflow_per_year=730.0, caseload=45.0)
    with pytest.raises(ScenarioError, match=r"caseload: 50 contradicts"):
        s.replace(caseload=50.0)
    assert jobsim.load_scenario("ds_norm").inflow_per_year == 0.0      # the default stays caseload-driven


def test_the_money_kpis_add_up():
    k = jobsim.simulate(jobsim.load_scenario("ds_norm").replace(horizon_days=91), seed=0, tables=False).kpis
    assert k["benefit_dkk_per_year"] == pytest.approx(k["caseload_mean"] * 10 * 133716.0)
    assert k["net_cost_dkk_per_year"] == k["staff_dkk_per_year"] + k["benefit_dkk_per_year"]
