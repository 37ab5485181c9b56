"""Hand-traced runs: fixed durations, one caseworker, two citizens; every time is known exactly.

Calendar: day 0 is Monday; a working day runs 8:00 (480) to 15:24 (924);
slots start at 9:00 (540). Day 1 (Tuesday) 9:00 is minute 1440 + 540 = 1980.
"""

import math

import pytest

from conftest import NO_WEEK
from jobsim import Scenario
from jobsim.model.jobcenter import Jobcenter
from jobsim.runner.simulate import collect

TUE_0900 = 1440 + 540

BASE = dict(
    workers=1, caseload=2.0, slots_per_day=2, slot_minutes=25.0,
    noshow_probability=0.0, noshow_spread=0.0, prep_minutes=15.0, prep_cv=0.0,
    conversation_minutes=20.0, conversation_cv=0.0, punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0,
    absence_share=0.0, casework_minutes=0.0, **NO_WEEK, documentation_minutes=10.0, prep_window_days=2,
    interval_days=91, booking_lead_days=14, first_meeting_days=7, warmup_days=0, horizon_days=14,
    stay_days=3650.0,
)


def traced(prep_policy="ahead", citizens=2, first_day=1, **changes):
    """Admit ``citizens`` at Monday 00:00 (never leaving), book them from ``first_day``, run without pre-fill or
    arrivals."""
    scenario = Scenario(**{**BASE, "prep_policy": prep_policy, **changes})
    model = Jobcenter(scenario, seed=0, trace=True)
    for _ in range(citizens):
        c = model.admit(0.0, first_due_day=scenario.first_meeting_days, stay=math.inf)
        model.book(c, first_day)
    model.run(prefill=False, arrivals=False)
    return collect(model)


def rows(result, activity=None, worker=0):
    t = result.trace
    t = t[t.worker == worker]
    if activity:
        t = t[t.activity == activity]
    return [tuple(r) for r in t[["start", "end", "activity", "meeting"]].itertuples(index=False)]


def test_ahead_preparation_happens_on_monday_and_conversations_fill_the_need():
    r = traced("ahead")
    # Monday 8:00: both Tuesday conversations are inside the 2-day window; EDF prepares A then B
    assert rows(r, "prep") == [(480.0, 495.0, "prep", 0), (495.0, 510.0, "prep", 1)]
    assert rows(r, "conversation") == [(1980.0, 2000.0, "conversation", 0), (2005.0, 2025.0, "conversation", 1)]
    # documentation of A fills the 5 minutes before B's slot, the rest after B
    assert rows(r, "documentation") == [(2000.0, 2005.0, "documentation", -1),
                                        (2025.0, 2030.0, "documentation", -1),
                                        (2030.0, 2040.0, "documentation", -1)]
    held = r.meetings[r.meetings.outcome == "held"]
    assert held.slot_start.tolist() == [1980.0, 2005.0]
    assert held.prep_minutes.tolist() == [15.0, 15.0]
    assert held.prepared.tolist() == [True, True]
    assert held.gap_days.tolist() == pytest.approx([1980 / 1440, 2005 / 1440])
    # next conversations: due day 1 + 91 = 92, booked from 92 - 14 = 78 (a Tuesday), same slots
    pending = r.meetings[r.meetings.outcome == "pending"]
    assert pending.day.tolist() == [78, 78] and pending.slot.tolist() == [0, 1]
    assert pending.due_day.tolist() == [92, 92]


def test_ahead_minutes_by_activity_per_day():
    r = traced("ahead")
    wd = r.worker_days.set_index("day")
    assert wd.loc[0, ["prep_minutes", "idle_minutes"]].tolist() == [30.0, 414.0]
    assert wd.loc[1, ["conversation_minutes", "documentation_minutes", "idle_minutes"]].tolist() == [40.0, 20.0, 384.0]
    assert len(wd) == 10  # two working weeks
    assert wd.loc[2:, "idle_minutes"].tolist() == [444.0] * 8


def test_ahead_kpis_are_exact():
    k = traced("ahead").kpis
    assert k["meetings_held_per_worker_week"] == pytest.approx(2 / 2)
    assert k["prep_minutes_mean"] == 15.0
    assert k["prepared_share"] == 1.0
    assert k["conversation_minutes_mean"] == 20.0
    assert k["checkin_wait_minutes_mean"] == 0.0
    assert k["noshow_rate"] == 0.0
    assert k["overdue_share"] == 0.0
    assert k["caseload_mean"] == 2.0
    assert k["utilization"] == pytest.approx(90 / (10 * 444))
    # both conversations are new citizens' first: no follow-up gap yet (entry is not a conversation)
    assert math.isnan(k["followup_gap_days_max"])
    assert k["first_conversation_days_mean"] == pytest.approx((1980 + 2005) / 2 / 1440)
    assert k["direct_contact_share"] == pytest.approx(40 / (10 * 444))
    assert math.isnan(k["overdue_days_mean"])


def test_after_checkin_skims_five_minutes_from_the_slot():
    r = traced("after_checkin")
    assert rows(r, "prep") == []
    assert rows(r, "skim") == [(1980.0, 1985.0, "skim", 0), (2005.0, 2010.0, "skim", 1)]
    assert rows(r, "conversation") == [(1985.0, 2005.0, "conversation", 0), (2010.0, 2030.0, "conversation", 1)]
    k = r.kpis
    assert k["prep_minutes_mean"] == 5.0
    assert k["prepared_share"] == 0.0
    assert k["checkin_wait_minutes_mean"] == 5.0


def test_no_prep_gives_whole_slot_and_late_citizen_gets_the_rest_of_it():
    # citizens arrive 3 minutes late and need 24 minutes: 22 are left in the slot
    r = traced("none", conversation_minutes=24.0, punctuality_mean_minutes=3.0)
    assert rows(r, "conversation") == [(1983.0, 2005.0, "conversation", 0), (2008.0, 2030.0, "conversation", 1)]
    held = r.meetings[r.meetings.outcome == "held"]
    assert held.checkin.tolist() == [1983.0, 2008.0]
    assert r.kpis["prep_minutes_mean"] == 0.0


def test_no_show_wastes_preparation_and_rebooks_a_week_later():
    r = traced("ahead", noshow_probability=1.0, citizens=1)
    m = r.meetings.sort_values("slot_start")
    # Tuesday 9:00: no-show; rebooked no earlier than day 1 + 7 = 8 (Tuesday week 2), and again day 15
    assert m.outcome.tolist() == ["no_show", "no_show", "pending"]
    assert m.day.tolist() == [1, 8, 15]
    wd = r.worker_days.set_index("day")
    assert wd.loc[0, ["prep_minutes", "wasted_prep_minutes"]].tolist() == [0.0, 15.0]
    # the window is 2 working days: Friday (day 4) opens it up to Tuesday (day 8)
    assert wd.loc[4, ["prep_minutes", "wasted_prep_minutes"]].tolist() == [0.0, 15.0]
    k = r.kpis
    assert k["noshow_rate"] == 1.0
    assert math.isnan(k["prepared_share"])
    assert k["wasted_prep_minutes_per_worker_week"] == pytest.approx(30 / 2)
    # due day 7 passed without a conversation: the one requirement is overdue
    assert k["overdue_share"] == 1.0


def test_preparation_window_counts_working_days():
    # a Monday conversation (day 7) is prepared on the Thursday before (day 3), two working days ahead
    scenario = Scenario(**{**BASE, "prep_policy": "ahead"})
    model = Jobcenter(scenario, seed=0, trace=True)
    c = model.admit(0.0, first_due_day=7, stay=math.inf)
    model.book(c, 7)
    model.run(prefill=False, arrivals=False)
    r = collect(model)
    assert r.meetings.day.tolist()[0] == 7
    assert rows(r, "prep") == [(3 * 1440 + 480.0, 3 * 1440 + 495.0, "prep", 0)]


def test_confirmed_ahead_prepares_only_confirmed_citizens():
    # confirmed citizens are prepared ahead (Monday, for Tuesday); unconfirmed ones get the skim
    r = traced("confirmed_ahead", citizens=1, reminder_days=1, confirm_share=1.0, prep_window_days=5)
    assert rows(r, "prep") == [(480.0, 495.0, "prep", 0)]
    nobody = traced("confirmed_ahead", citizens=1, confirm_share=0.0)
    assert rows(nobody, "prep") == []
    assert rows(nobody, "skim")[0][:2] == (1980.0, 1985.0)


def test_casework_waits_behind_earlier_deadlines_under_edf_and_goes_first_under_casework_first():
    edf = traced("ahead", casework_minutes=60.0)
    # Monday: 2 citizens x 60 = 120 minutes due at the end of next week; preparation (due Tuesday) first
    assert rows(edf, "prep")[0][:2] == (480.0, 495.0)
    assert rows(edf, "casework")[0][:2] == (510.0, 630.0)
    # casework_first prepares tomorrow's conversations before casework not due this week: the same day
    first = traced("ahead", casework_minutes=60.0, desk_priority="casework_first")
    assert rows(first, "prep")[0][:2] == (480.0, 495.0)
    assert rows(first, "casework")[0][:2] == (510.0, 630.0)
    # ... but Thursday's conversations (window of 3 working days) wait until the casework is done
    later = traced("ahead", casework_minutes=60.0, desk_priority="casework_first", prep_window_days=3,
                   first_day=3)
    assert rows(later, "casework")[0][:2] == (480.0, 600.0)
    assert rows(later, "prep")[0][:2] == (600.0, 615.0)
    later_edf = traced("ahead", casework_minutes=60.0, prep_window_days=3, first_day=3)
    assert rows(later_edf, "prep")[0][:2] == (480.0, 495.0)
    assert edf.kpis["casework_coverage"] == 1.0
