"""The second edition's mechanisms: hand-traced runs with exact outcomes, and their defaults change nothing."""

import math

import pandas as pd
import pytest

from conftest import NO_WEEK
import jobsim
from jobsim import Scenario
from jobsim.model.jobcenter import Jobcenter, _lead_propensity
from jobsim.runner.simulate import collect

ONE = dict(workers=1, caseload=1.0, slots_per_day=1, slot_minutes=25.0, noshow_probability=0.0,
           noshow_spread=0.0, prep_cv=0.0, conversation_minutes=20.0, conversation_cv=0.0,
           punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0, absence_share=0.0, casework_minutes=0.0, **NO_WEEK,
           documentation_minutes=0.0, first_meeting_days=1, interval_days=91, warmup_days=0, horizon_days=119,
           stay_days=3650.0, prep_policy="none")


def run_one(**changes):
    scenario = Scenario(**{**ONE, **changes})
    model = Jobcenter(scenario, seed=0)
    c = model.admit(0.0, first_due_day=1, stay=math.inf)
    model.book(c, 1)
    model.run(prefill=False, arrivals=False)
    return model, collect(model)


# ------------------------------------------------------------------ no-shows rise with booking lead time

def test_lead_propensity_multiplies_the_odds_per_30_days_of_extra_lead():
    assert _lead_propensity(0.2, 0, 5.0) == 0.2
    assert _lead_propensity(0.2, 30, 5.0) == pytest.approx(0.25 * 5 / (1 + 0.25 * 5))   # odds 0.25 -> 1.25
    assert _lead_propensity(0.2, 60, 5.0) == pytest.approx(6.25 / 7.25)
    assert _lead_propensity(0.2, 15, 4.0) == pytest.approx(0.5 / 1.5)                   # odds x 4 ** 0.5
    assert _lead_propensity(0.0, 90, 5.0) == 0.0 and _lead_propensity(1.0, 90, 5.0) == 1.0


def test_a_booking_pushed_far_out_by_a_full_diary_is_missed_more_often():
    # 1 slot a day and 3 citizens arriving at once: the third waits two working days longer than the first
    def attended(odds_ratio):
        scenario = Scenario(**{**ONE, "noshow_probability": 0.5, "noshow_lead_odds_ratio": odds_ratio,
                               "horizon_days": 7})
        model = Jobcenter(scenario, seed=0)
        outcomes = []
        for _ in range(200):
            c = model.admit(0.0, first_due_day=1, stay=math.inf)
            outcomes.append(model.book(c, 1))
        return [(b.day, b.attends) for b in outcomes]

    base, steep = attended(1.0), attended(20.0)
    assert [d for d, _ in base] == [d for d, _ in steep]          # same slots: the diary does not care
    # the same uniform draws: a citizen who comes under the steep effect came without it too
    assert all(a_base or not a_steep for (_, a_base), (_, a_steep) in zip(base, steep))
    late = [(a, b) for (d, a), (_, b) in zip(base, steep) if d - 1 >= 60]
    assert late and sum(b for _, b in late) < sum(a for a, _ in late)


@pytest.mark.parametrize("name", ["laerkevej", "ds_norm"])
def test_the_defaults_of_the_new_mechanisms_change_nothing(name):
    scenario = jobsim.load_scenario(name).replace(horizon_days=91)
    explicit = scenario.replace(noshow_lead_odds_ratio=1.0, followup_by="rule")
    a, b = (jobsim.simulate(s, seed=2, tables=False).kpis for s in (scenario, explicit))
    assert pd.Series(a).equals(pd.Series(b))   # bit for bit, NaN (KPIs not measured here) equal to NaN


# ------------------------------------------------------------------ contact plans above the legal minimum

def test_a_30_day_contact_plan_books_conversations_every_30_days_from_the_planned_day_less_the_lead():
    model, result = run_one(contact_interval_days=30)
    held = result.meetings[result.meetings.outcome == "held"]
    # held on day d, planned d + 30, booked from d + 30 - 14 (a weekend moves to Monday)
    assert held.day.tolist() == [1, 17, 35, 51, 67, 84, 100, 116]
    t = model.ledger.totals
    # requirements of the law due in the horizon (days 0-118): day 1, 92 (met on day 17) and 108 (met on
    # day 35); later due days (126, ...) lie beyond the horizon. All met in time.
    assert (t.required, t.overdue) == (3, 0)
    assert result.kpis["followup_gap_days_mean"] == pytest.approx((116 - 1) / 7)


def test_a_contact_plan_longer_than_the_law_allows_is_refused():
    with pytest.raises(jobsim.ScenarioError, match=r"^contact_interval_days: 120 exceeds interval_days \(91\)"):
        Scenario(contact_interval_days=120)


# ------------------------------------------------------------------ conversations that overrun the slot

def two_long_conversations(**changes):
    # two citizens Tuesday 9:00 and 9:25, each needing 40 minutes of a 25-minute slot
    scenario = Scenario(**{**ONE, "caseload": 2.0, "slots_per_day": 2, "conversation_minutes": 40.0,
                           "horizon_days": 7, **changes})
    model = Jobcenter(scenario, seed=0, trace=True)
    for _ in range(2):
        c = model.admit(0.0, first_due_day=1, stay=math.inf)
        model.book(c, 1)
    model.run(prefill=False, arrivals=False)
    return collect(model)


def test_with_overrun_the_next_citizen_waits_and_without_it_conversations_are_cut():
    cut = two_long_conversations(overrun=False)
    talk = cut.trace[cut.trace.activity == "conversation"]
    assert list(zip(talk.start, talk.end)) == [(1980.0, 2005.0), (2005.0, 2030.0)]
    assert cut.kpis["checkin_wait_minutes_mean"] == 0.0
    over = two_long_conversations(overrun=True)
    talk = over.trace[over.trace.activity == "conversation"]
    assert list(zip(talk.start, talk.end)) == [(1980.0, 2020.0), (2020.0, 2060.0)]
    assert over.kpis["checkin_wait_minutes_mean"] == 7.5        # B checked in at 9:25 and waited 15 minutes
    assert over.kpis["conversation_minutes_mean"] == 40.0


def test_an_overrun_past_the_end_of_the_day_is_overtime_and_who_still_waits_at_1524_is_sent_home():
    # 15 slots of 25 minutes from 9:00 and 15 conversations of 60 minutes: the 7th starts at 15:00 and ends
    # at 16:00 (36 minutes past 15:24); the 8 citizens still waiting at 15:24 are rebooked for later days
    scenario = Scenario(**{**ONE, "slots_per_day": 15, "caseload": 15.0, "conversation_minutes": 60.0,
                           "horizon_days": 7, "overrun": True})
    model = Jobcenter(scenario, seed=0)
    for _ in range(15):
        c = model.admit(0.0, first_due_day=1, stay=math.inf)
        model.book(c, 1)
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    days = result.worker_days.set_index("day")
    assert days.at[1, "overtime_minutes"] == 36.0
    held_tuesday = result.meetings[(result.meetings.outcome == "held") & (result.meetings.day == 1)]
    assert len(held_tuesday) == 7
    # 8 sent home on Tuesday; on Wednesday the same happens to the last of them again
    assert (result.meetings.rebooked >= 1).sum() == 8 and (result.meetings.rebooked == 2).sum() == 1
    row = days.loc[1]
    spent = row[["conversation_minutes", "prep_minutes", "wasted_prep_minutes", "documentation_minutes",
                 "casework_minutes", "idle_minutes"]].sum()
    assert spent == row["present_minutes"] + row["overtime_minutes"]


def test_a_citizen_whose_stay_ends_while_waiting_to_be_sent_home_keeps_the_rebooked_conversation_then_leaves():
    # as above; the 15th citizen (slot 14:50 on Tuesday, 2330) leaves at 2340, while still waiting: sent home at
    # 16:00 they are rebooked, sent home again on Wednesday, seen on Thursday (day 3) at 9:00 (4860) for 60
    # minutes, and leave when that conversation ends (4920), not before and not never
    scenario = Scenario(**{**ONE, "slots_per_day": 15, "caseload": 15.0, "conversation_minutes": 60.0,
                           "horizon_days": 7, "overrun": True})
    model = Jobcenter(scenario, seed=0)
    citizens = []
    for i in range(15):
        c = model.admit(0.0, first_due_day=1, stay=2340.0 if i == 14 else math.inf)
        model.book(c, 1)
        citizens.append(c)
    model.run(prefill=False, arrivals=False)
    meetings = collect(model).meetings
    last = citizens[14]
    mine = meetings[meetings.citizen == last.id]
    assert mine[["day", "slot_start", "outcome", "conversation_start", "rebooked"]].values.tolist() == \
        [[3, 4860.0, "held", 4860.0, 2]]
    assert (last.present, last.held, last.exit) == (False, 1, 4920.0)
    assert last.id not in model.population


@pytest.mark.parametrize("overbook", [0, 1])
def test_a_conversation_cut_by_the_end_of_the_run_stays_pending_and_nothing_is_counted_after_midnight(overbook):
    # the last day (day 7, a Monday) has one conversation from 9:00 that needs 2,000 minutes: cut at midnight,
    # it stays pending; 516 minutes of it are overtime (540 + 900 - 924); the day's casework is what fits
    # before 9:00 (60 minutes), with or without double bookings (which take another path through the day)
    scenario = Scenario(**{**ONE, "overrun": True, "overbook_per_day": overbook, "warmup_days": 1,
                           "horizon_days": 7, "overtime_minutes": 60.0, "casework_minutes": 600.0})
    model = Jobcenter(scenario, seed=0)
    c = model.admit(0.0, first_due_day=7, stay=math.inf)
    model.book(c, 7)
    c.booking.conversation_need = 2000.0
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert result.meetings[["day", "outcome"]].values.tolist() == [[7, "pending"]]
    day = result.worker_days.set_index("day").loc[7]
    assert (day["overtime_minutes"], day["casework_minutes"], day["conversation_minutes"]) == (516.0, 60.0, 900.0)


def test_a_first_conversation_scaled_from_a_denormal_mean_need_is_a_number_not_nan():
    # found by the property test: a mean need of 5e-324 minutes makes the first-conversation factor overflow
    # (1 / 5e-324 = inf) and the citizen's need underflow (0), and 0 x inf was NaN, which stopped the run
    scenario = Scenario(**{**ONE, "conversation_minutes": 5e-324, "conversation_cv": 5.0, "exit_effect": 0.2,
                           "first_conversation_minutes": 1.0, "horizon_days": 7})
    model = Jobcenter(scenario, seed=0)
    c = model.admit(0.0, first_due_day=1, stay=3000.0)
    b = model.book(c, 1)
    assert c.conversation_need == 0.0 and b.conversation_need == 0.0
    model.run(prefill=False, arrivals=False)
    held = collect(model).meetings
    assert held.outcome.tolist()[0] == "held" and held.conversation_minutes.tolist()[0] == 0.0


def test_an_overrun_on_the_last_day_of_the_run_is_overtime_too():
    # the run ends at midnight after the last day: the day's end never comes, the overtime still counts
    scenario = Scenario(**{**ONE, "conversation_minutes": 240.0, "horizon_days": 8, "overrun": True})
    model = Jobcenter(scenario, seed=0)
    c = model.admit(0.0, first_due_day=1, stay=math.inf)
    c.conversation_need = 1000.0          # from Monday 9:00, cut at midnight: 900 minutes
    model.book(c, 7)                      # Monday of week 2, the last day of an 8-day run
    model.run(prefill=False, arrivals=False)
    day = collect(model).worker_days.set_index("day").loc[7]
    assert day["conversation_minutes"] == 900.0 and day["overtime_minutes"] == 540 + 900 - 924


def test_a_citizen_who_leaves_during_overtime_ends_the_overtime_spent_on_them():
    # found by the property test: day 0 (a Monday), 120 minutes of overtime allowed, and one citizen booked for
    # Wednesday whose preparation needs 2,000 minutes; 8:00-15:24 (444 minutes) and the overtime go to it. The
    # citizen leaves at 16:24, an hour into the overtime: the hour's preparation is counted (then wasted),
    # and the second hour, with nothing left on the desk, is not worked, so 60 minutes of overtime, not 120
    scenario = Scenario(**{**ONE, "prep_policy": "ahead", "overtime_minutes": 120.0, "horizon_days": 7})
    model = Jobcenter(scenario, seed=0)
    c = model.admit(0.0, first_due_day=2, stay=984.0)
    model.book(c, 2).prep_need = 2000.0    # inside the preparation window (2 working days) from Monday
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert result.meetings[["day", "outcome"]].values.tolist() == [[2, "withdrawn"]]
    day = result.worker_days.set_index("day").loc[0]
    assert (day["present_minutes"], day["overtime_minutes"], day["idle_minutes"]) == (444.0, 60.0, 0.0)
    assert day["prep_minutes"] + day["wasted_prep_minutes"] == 504.0


def test_overtime_cut_by_the_end_of_the_run_counts_the_minutes_worked_before_it():
    # found by the property test: the last day of an 8-day run (day 7, a Monday) has 600 minutes of new casework
    # (two citizens x 300) and one conversation from 9:00 that needs 600 minutes, so it ends at 19:00 (216
    # minutes past 15:24); the 480 minutes of overtime allowed would end after midnight, when the run ends.
    # The second citizen leaves at 21:00: the two hours of casework before it are overtime worked
    scenario = Scenario(**{**ONE, "overrun": True, "warmup_days": 1, "horizon_days": 7, "overtime_minutes": 480.0,
                           "casework_minutes": 300.0})
    model = Jobcenter(scenario, seed=0)
    talker = model.admit(0.0, first_due_day=7, stay=math.inf)
    talker.conversation_need = 600.0
    model.book(talker, 7)
    leaver = model.admit(0.0, first_due_day=9, stay=7 * 1440 + 21 * 60)
    model.book(leaver, 9)
    model.run(prefill=False, arrivals=False)
    day = collect(model).worker_days.set_index("day").loc[7]
    assert (day["conversation_minutes"], day["casework_minutes"]) == (600.0, 60.0 + 120.0)
    assert day["overtime_minutes"] == 216.0 + 120.0
    assert day["conversation_minutes"] + day["casework_minutes"] == day["present_minutes"] + day["overtime_minutes"]
