"""Legal rules, citizen groups, long first conversations, reserved slots and overbooking.

Hand-traced runs with fixed durations give exact times; seeded runs check
shares and rates within binomial intervals; the defaults change nothing.
"""

import math

import numpy as np
import pytest
from scipy import stats

import jobsim
from jobsim import Scenario
from jobsim.errors import ScenarioError
from jobsim.model.calendar import FIRST_SLOT, MINUTES_PER_DAY
from jobsim.model.citizens import Booking, Citizen
from jobsim.model.diary import Diary
from jobsim.model.jobcenter import BY_RULE, Jobcenter
from jobsim.model.rules import LAB_2020, SICKNESS_BENEFIT, first_due_days, next_gap_days
from jobsim.runner.simulate import collect

ONE = dict(workers=1, caseload=1.0, slots_per_day=2, slot_minutes=25.0, noshow_probability=0.0,
           noshow_spread=0.0, prep_cv=0.0, conversation_minutes=20.0, conversation_cv=0.0,
           punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0, absence_share=0.0, casework_minutes=0.0,
           documentation_minutes=0.0, first_meeting_days=1, interval_days=91, warmup_days=0, horizon_days=119,
           stay_days=3650.0, prep_policy="none")


def model_of(**changes):
    return Jobcenter(Scenario(**{**ONE, **changes}), seed=0)


def held_days(result):
    return result.meetings[result.meetings.outcome == "held"].day.tolist()


# ------------------------------------------------------------------ legal rules

def test_the_2020_law_spreads_four_conversations_over_the_first_six_months_then_the_interval():
    s = Scenario()
    # first on day 7: three more by day 182 -> every ceil(175 / 3) = 59 days
    assert next_gap_days(LAB_2020, s, 0, 1, 7) == 59
    assert next_gap_days(LAB_2020, s, 0, 2, 66) == 58          # (182 - 66) / 2
    assert next_gap_days(LAB_2020, s, 0, 3, 124) == 58         # the fourth due on day 182
    assert next_gap_days(LAB_2020, s, 0, 4, 182) == 91         # then interval_days
    assert next_gap_days(LAB_2020, s, 0, 2, 190) == 91         # six months are over, however many were held
    assert first_due_days(LAB_2020, s) == 7 and first_due_days(SICKNESS_BENEFIT, s) == 56
    assert next_gap_days(SICKNESS_BENEFIT, s, 0, 5, 300) == 28


def test_a_sickness_benefit_citizen_is_first_seen_in_week_8_then_every_four_weeks():
    model = model_of(rule="sickness_benefit", horizon_days=140)
    c = model.admit(0.0, first_due_day=BY_RULE, stay=math.inf)
    assert (c.due_day, c.plan_day) == (56, 56)
    model.book(c, 1)                      # booked from tomorrow, as at entry
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    # day 1 (Tuesday); then due 1 + 28 = 29, booked from 29 - 14 = 15 (Monday); then 15 + 28 = 43 -> from 29, ...
    assert held_days(result) == [1, 15, 29, 43, 57, 71, 85, 99, 113, 127]
    assert model.ledger.totals.overdue == 0


def test_overdue_is_measured_against_each_citizens_own_rule():
    # 25 citizens and one slot a working day: about 65 slots in 91 days is enough, 20 in 28 days is not
    base = dict(slots_per_day=1, booking_lead_days=0, horizon_days=182)
    for rule, late in (("activity_ready_2019", False), ("sickness_benefit", True)):
        model = model_of(rule=rule, **base)
        for _ in range(25):
            c = model.admit(0.0, first_due_day=40, stay=math.inf)   # 25 first conversations by day 35
            model.book(c, 1)
        model.run(prefill=False, arrivals=False)
        assert (model.ledger.totals.overdue > 0) is late, rule


# ------------------------------------------------------------------ groups

GROUPS = ({"name": "activity", "share": 0.7, "rule": "activity_ready_2019"},
          {"name": "sick", "share": 0.3, "rule": "sickness_benefit", "noshow_probability": 0.4,
           "noshow_spread": 0.0})


def test_groups_take_their_share_of_the_inflow_and_their_own_no_show_rate():
    scenario = jobsim.load_scenario("ds_norm").replace(groups=GROUPS, noshow_spread=0.0, workers=20,
                                                       horizon_days=182)
    result = jobsim.simulate(scenario, seed=1)
    citizens = result.citizens
    n = len(citizens)
    sick = int((citizens.group == "sick").sum())
    lo, hi = stats.binom.interval(0.999, n, 0.3)
    assert lo <= sick <= hi and set(citizens.group) == {"activity", "sick"}
    meetings = result.meetings[result.meetings.outcome.isin(["held", "no_show"])]
    for group, p in (("activity", 0.15), ("sick", 0.4)):
        m = meetings[meetings.group == group]
        lo, hi = stats.binom.interval(0.999, len(m), p)
        assert lo <= (m.outcome == "no_show").sum() <= hi, group
    # sickness-benefit citizens are followed every 28 days: their held gaps are far shorter
    held = result.meetings[(result.meetings.outcome == "held") & ~result.meetings.first_conversation]
    gaps = held.groupby("group").gap_days.median()
    assert gaps["sick"] < 40 < gaps["activity"]


def test_one_group_with_the_scenarios_own_values_changes_nothing():
    base = jobsim.load_scenario("laerkevej").replace(horizon_days=91)
    one = base.replace(groups=({"name": "all", "share": 1.0},))
    a, b = jobsim.simulate(base, seed=3), jobsim.simulate(one, seed=3)
    # the group draws its streams under its own names, so the values differ, but the mechanism is the same:
    assert set(b.meetings.group) == {"all"} and set(a.meetings.group) == {"all"}
    assert abs(a.kpis["overdue_share"] - b.kpis["overdue_share"]) < 0.05


def test_groups_with_their_own_casework_set_the_weekly_casework():
    groups = ({"name": "heavy", "share": 0.5, "casework_minutes": 60.0},
              {"name": "light", "share": 0.5, "casework_minutes": 0.0})
    model = model_of(groups=groups)
    heavy, light = model.groups
    model.admit(0.0, None, stay=math.inf, group=heavy)
    model.admit(0.0, None, stay=math.inf, group=light)
    model.admit(0.0, None, stay=math.inf, group=heavy)
    assert model.caseworkers[0].casework_load == 120.0


def test_bad_groups_are_refused_by_name():
    with pytest.raises(ScenarioError, match=r"groups: the shares add up to 0.9"):
        Scenario(groups=({"name": "a", "share": 0.5}, {"name": "b", "share": 0.4}))
    with pytest.raises(ScenarioError, match=r"groups: the name 'a' is used twice"):
        Scenario(groups=({"name": "a", "share": 0.5}, {"name": "a", "share": 0.5}))
    with pytest.raises(ScenarioError, match=r"groups\[2\]\.rule: Input should be"):
        Scenario(groups=({"name": "a", "share": 0.5}, {"name": "b", "share": 0.5, "rule": "lab2020"}))
    with pytest.raises(ScenarioError, match=r"groups\[1\]\.noshow: unknown group value \(did you mean"):
        Scenario(groups=({"name": "a", "share": 1.0, "noshow": 0.2},))


def test_groups_round_trip_through_toml(tmp_path):
    scenario = Scenario(groups=GROUPS)
    path = scenario.save(tmp_path / "s.toml")
    assert jobsim.load_scenario(path) == scenario


def test_pre_filled_citizens_under_the_2020_law_get_an_age_and_their_conversations_so_far():
    model = Jobcenter(Scenario(rule="lab_2020", workers=2, caseload=200.0), seed=0)
    model.prefill()
    citizens = list(model.population.values())
    young = [c for c in citizens if -c.entry / MINUTES_PER_DAY < 182]
    # the stock's age is exponential with mean stay_days (365): about 1 - exp(-0.5) = 39% are in their first
    # six months; they are on the 59-day plan, the others on interval_days
    lo, hi = stats.binom.interval(0.999, len(citizens), 1 - math.exp(-0.5))
    assert lo <= len(young) <= hi
    assert all(1 <= c.since_entry <= 3 for c in young)
    # the young are due within their six months; the others interval_days after their last conversation
    assert all(c.due_day <= math.floor(c.entry / MINUTES_PER_DAY) + 182 for c in young)
    old = [c for c in citizens if c not in young]
    assert all(c.due_day - math.floor(c.last_held / MINUTES_PER_DAY) == 91 for c in old)


# ------------------------------------------------------------------ long first conversations

def test_a_long_first_conversation_takes_two_slots_and_runs_its_need():
    model = model_of(first_conversation_minutes=40.0, first_prep_minutes=30.0, prep_minutes=10.0)
    a = model.admit(0.0, first_due_day=1, stay=math.inf)
    b = model.admit(0.0, first_due_day=1, stay=math.inf)
    ba, bb = model.book(a, 1), model.book(b, 1)
    assert (ba.day, ba.slot, ba.length, ba.conversation_need, ba.prep_need) == (1, 0, 2, 40.0, 30.0)
    assert (bb.day, bb.slot, bb.length) == (2, 0, 2)         # day 1 has no two free slots left
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    held = result.meetings[result.meetings.outcome == "held"].sort_values("meeting")
    first = held.iloc[0]
    assert first.conversation_minutes == 40.0 and first.slots == 2 and first.first_conversation
    # the follow-up is an ordinary conversation in one slot
    later = held[held.citizen == a.id].iloc[1]
    assert (later.conversation_minutes, later.slots, later.first_conversation) == (20.0, 1, False)


def test_a_first_conversation_longer_than_a_day_of_slots_is_refused():
    with pytest.raises(ScenarioError, match=r"first_conversation_minutes: 60 minutes need more slots"):
        Scenario(slots_per_day=2, first_conversation_minutes=60.0)


# ------------------------------------------------------------------ reserved slots

def citizen_booking(i):
    return Booking(i, Citizen(i, 0, 0.0, math.inf, 0.0, 15.0, 20.0), 0, 0.0, 10)


def test_reserved_slots_are_kept_for_priority_bookings_until_the_day_before():
    diary = Diary(slots_per_day=2, slot_minutes=25.0, reserved=1)
    ordinary = [citizen_booking(i) for i in range(3)]
    for b in ordinary:
        diary.book(b, 7, today=0, priority=False)
    assert [(b.day, b.slot) for b in ordinary] == [(7, 0), (8, 0), (9, 0)]   # slot 1 is reserved
    urgent = citizen_booking(9)
    diary.book(urgent, 7, today=0, priority=True)
    assert (urgent.day, urgent.slot) == (7, 1)
    late = citizen_booking(10)
    diary.book(late, 8, today=7, priority=False)     # booked the day before: the reserved slot is open
    assert (late.day, late.slot) == (8, 1)
    diary.release(ordinary[0], today=0)
    again = citizen_booking(11)
    diary.book(again, 7, today=0, priority=False)
    assert (again.day, again.slot) == (7, 0)


def test_reserved_slots_bring_rebookings_forward_when_the_diary_is_full():
    def late_share(reserved):
        scenario = jobsim.load_scenario("laerkevej").replace(reserved_slots_per_day=reserved, horizon_days=182)
        result = jobsim.simulate(scenario, seed=2)
        m = result.meetings
        moved = m[(m.outcome == "held") & (m.rebooked > 0)]
        return float((moved.day - moved.due_day).clip(lower=0).mean())

    assert late_share(1) < late_share(0)


# ------------------------------------------------------------------ overbooking

def test_an_overbooked_slot_sees_both_citizens_in_order_of_arrival_and_the_second_waits():
    model = model_of(slots_per_day=1, overbook_per_day=1, overrun=True, punctuality_sd_minutes=0.0)
    a = model.admit(0.0, first_due_day=1, stay=math.inf)
    b = model.admit(0.0, first_due_day=1, stay=math.inf)
    ba, bb = model.book(a, 1), model.book(b, 1)
    assert (ba.day, ba.slot, ba.overbooked) == (1, 0, False)
    assert (bb.day, bb.slot, bb.overbooked) == (1, 0, True)
    bb.arrival_offset = -5.0            # the double-booked citizen comes first
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    m = result.meetings[(result.meetings.outcome == "held") & (result.meetings.day == 1)].set_index("meeting")
    nine = MINUTES_PER_DAY + FIRST_SLOT
    assert m.loc[bb.id, "conversation_start"] == nine            # arrived 8:55, seen at 9:00
    assert m.loc[ba.id, "conversation_start"] == nine + 20.0      # waits for the first 20-minute conversation
    assert m.loc[ba.id, "checkin"] == nine
    assert bool(m.loc[bb.id, "overbooked"]) and not bool(m.loc[ba.id, "overbooked"])


def test_overbooking_without_overrun_is_refused():
    with pytest.raises(ScenarioError, match=r"overbook_per_day: 1 needs overrun = true"):
        Scenario(overbook_per_day=1)


def test_overbooking_holds_more_conversations_and_makes_citizens_wait():
    base = jobsim.load_scenario("laerkevej").replace(overrun=True, horizon_days=182)
    plain, over = (jobsim.simulate(base.replace(overbook_per_day=k), seed=4, tables=False).kpis for k in (0, 1))
    assert over["meetings_held_per_worker_week"] > plain["meetings_held_per_worker_week"]
    assert over["checkin_wait_minutes_mean"] > plain["checkin_wait_minutes_mean"]


# ------------------------------------------------------------------ defaults

@pytest.mark.parametrize("name", ["laerkevej", "ds_norm"])
def test_tables_and_no_tables_agree_with_every_new_mechanism_on(name):
    scenario = jobsim.load_scenario(name).replace(
        horizon_days=140, groups=GROUPS, overrun=True, overbook_per_day=1, reserved_slots_per_day=1,
        first_conversation_minutes=40.0, noshow_lead_odds_ratio=3.0)
    a = jobsim.simulate(scenario, seed=5, tables=True).kpis
    b = jobsim.simulate(scenario, seed=5, tables=False).kpis
    assert all(a[k] == b[k] or (np.isnan(a[k]) and np.isnan(b[k])) for k in a)
