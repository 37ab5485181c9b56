"""Follow-up by need (``followup_by = "need"``, Odense's exemption): hand-traced runs with exact outcomes.

Day 0 is a Monday; the need list is gone through each Monday at 8:00. The need gaps and urgencies, random in a
real run, are fixed here by replacing the model's two streams.
"""

import math

import pytest

from conftest import NO_WEEK
import jobsim
from jobsim import Scenario
from jobsim.errors import ScenarioError
from jobsim.model.jobcenter import Jobcenter
from jobsim.runner.simulate import collect

ONE = dict(workers=1, caseload=1.0, slots_per_day=1, slot_minutes=25.0, noshow_probability=0.0,
           noshow_spread=0.0, prep_cv=0.0, conversation_minutes=20.0, conversation_cv=0.0,
           punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0, absence_share=0.0, casework_minutes=0.0,
           **NO_WEEK, documentation_minutes=0.0, first_meeting_days=1, interval_days=91, warmup_days=0,
           stay_days=3650.0, prep_policy="none", followup_by="need", need_interval_days=20.0)


def model_with(citizens: int, urgencies=(0.5,), need_gap: float = 0.5, entry_days=(), **changes) -> Jobcenter:
    """A model whose citizens 0, 1, ... are booked by hand on Tuesday, Wednesday, ... of week 1; every need
    arises ``need_gap`` x need_interval_days after a conversation; urgencies are taken in turn."""
    model = Jobcenter(Scenario(**{**ONE, **changes}), seed=0)
    model.need_gap = lambda: need_gap
    model.u_urgency = iter(urgencies).__next__
    for i in range(citizens):
        entry = entry_days[i] * 1440.0 if i < len(entry_days) else 0.0
        c = model.admit(entry, first_due_day=1, stay=math.inf)
        model.book(c, 1 + i)
    return model


def held_days(result) -> dict[int, list[int]]:
    held = result.meetings[result.meetings.outcome == "held"]
    return {c: sorted(g.day.tolist()) for c, g in held.groupby("citizen")}


def test_a_need_is_booked_the_monday_after_it_arises_into_the_first_free_slot():
    # held on day 1; the need arises 10 days later (day 11, Thursday); Monday 14 books Tuesday 15; and so on
    model = model_with(1, urgencies=[0.5] * 20, horizon_days=119)
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert held_days(result) == {0: [1, 15, 29, 43, 57, 71, 85, 99, 113]}
    assert result.kpis["need_wait_days_mean"] == 4.0           # need on day 11, held on 15, every time
    assert result.kpis["overdue_share"] == 0.0                 # 14 days apart: well within the law's 91
    assert result.kpis["need_waiting_at_end_count"] == 0.0     # day 113 + 10 = 123 is after the run


def test_with_one_free_slot_ahead_the_most_urgent_go_first_and_the_least_urgent_wait_longest():
    # three conversations on days 1, 2, 3 make needs on 11, 12, 13 with urgencies 0.1, 0.5 and 0.9; only
    # tomorrow's slot may be booked (need_planning_days = 1), so each Monday books one: 0.9 on Tuesday 15,
    # 0.5 on 22, 0.1 on 29 (the third's next need, day 25 at urgency 0.05, waits behind it and past the end)
    model = model_with(3, urgencies=[0.1, 0.5, 0.9, 0.05, 0.3, 0.3], need_planning_days=1, horizon_days=30)
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert held_days(result) == {0: [1, 29], 1: [2, 22], 2: [3, 15]}
    assert result.kpis["need_wait_days_mean"] == pytest.approx((18 + 10 + 2) / 3)
    assert result.kpis["need_waiting_at_end_count"] == 1.0


def test_a_year_without_a_conversation_is_counted_apart_when_the_gap_began_before_the_run():
    # citizen 0 entered 400 days before the run and is first seen on day 1: a gap of 401 days that the run did
    # not produce; citizen 1 entered on day 0 and, with needs 400 days apart, waits from day 2 to day 407
    model = model_with(2, urgencies=[0.5] * 6, need_gap=20.0, entry_days=(-400,), horizon_days=420)
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert held_days(result) == {0: [1, 407], 1: [2, 408]}    # needs on 401 and 402, booked on Monday 406
    assert result.kpis["no_contact_over_year_pre_run_count"] == 1.0
    assert result.kpis["no_contact_over_year_count"] == 1.0


def test_by_need_the_law_is_only_the_yardstick_and_its_due_days_still_count_as_overdue():
    # needs 400 days apart: the law's conversation due on day 1 + 91 = 92 is held on 407 (315 days late)
    model = model_with(1, urgencies=[0.5] * 3, need_gap=20.0, horizon_days=420)
    model.run(prefill=False, arrivals=False)
    t = model.ledger.totals
    assert (t.required, t.overdue, t.overdue_days_sum) == (2, 1, 315)


def test_the_removed_share_of_citizens_never_followed_up_is_refused_with_what_replaces_it(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text('name = "old"\nno_followup_share = 0.1\n')
    with pytest.raises(ScenarioError) as err:
        jobsim.load_scenario(path)
    assert str(err.value) == (f"{path}: no_followup_share: removed in the third edition (it assumed a share of "
                              "citizens never followed up); use followup_by = \"need\" (conversations by need and "
                              "urgency, as under Odense's exemption)")


def test_a_need_booking_moved_for_absence_goes_to_the_next_free_day_not_to_the_laws_plan():
    # as in the first test, but the caseworker is away on Tuesday 15: the conversation moves to Wednesday 16
    # (the law's plan day, 1 + 91 - 14 = 78, plays no part), and the next need runs from there
    model = model_with(1, urgencies=[0.5] * 20, horizon_days=60)
    model.caseworkers[0].absent[15] = True
    model.run(prefill=False, arrivals=False)
    assert held_days(collect(model)) == {0: [1, 16, 29, 43, 57]}   # 16 + 10 = 26: Monday 28 books Tuesday 29


def test_a_missed_first_conversation_is_rebooked_as_under_the_rules():
    # the first conversation (day 1) is missed: rebooked a week later (day 8) as any first conversation, not put
    # on the need list; the need after it then arises on 18 and is booked on Monday 21 for Tuesday 22
    model = model_with(1, urgencies=[0.5] * 20, horizon_days=30)
    model.caseworkers[0].diary.day_slots(1)[0].attends = False
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert result.meetings[["day", "outcome"]].values.tolist() == [[1, "no_show"], [8, "held"], [22, "held"]]
    assert result.kpis["need_wait_days_mean"] == 4.0     # only the need of day 18; the missed first is no need


def test_a_missed_follow_up_keeps_its_need_and_returns_to_the_list_a_rebooking_later():
    # held on 1; need on 11, booked on Monday 14 for 15, missed; back on the list from 15 + 7 = 22, booked on
    # Monday 28 for 29: the need waited 29 - 11 = 18 days
    model = model_with(1, urgencies=[0.5] * 20, horizon_days=35)
    env = model.env
    original = model.book

    def book(c, earliest_day, priority=True, now=None):
        b = original(c, earliest_day, priority, now)
        if b.day == 15:
            b.attends = False
        return b

    model.book = book
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert result.meetings[["day", "outcome"]].values.tolist() == [[1, "held"], [15, "no_show"], [29, "held"]]
    assert result.kpis["need_wait_days_mean"] == 18.0
    assert env.now == 35 * 1440


def test_a_citizen_who_leaves_while_waiting_is_dropped_from_the_list():
    # citizen 0's stay ends on day 12, after the need of day 11 and before the Monday: nobody is booked
    model = Jobcenter(Scenario(**{**ONE, "horizon_days": 30}), seed=0)
    model.need_gap = lambda: 0.5
    model.u_urgency = iter([0.5] * 5).__next__
    c = model.admit(0.0, first_due_day=1, stay=12 * 1440.0)
    model.book(c, 1)
    model.run(prefill=False, arrivals=False)
    result = collect(model)
    assert result.meetings[["day", "outcome"]].values.tolist() == [[1, "held"]]
    assert result.kpis["need_waiting_at_end_count"] == 0.0


def test_a_need_arising_on_the_last_day_is_after_the_run_and_not_counted_as_waiting():
    # held on 1 and 15; the next need arises on 15 + 10 = 25: waiting at the end of a 26-day run, not of 25
    for days, waiting in ((26, 1.0), (25, 0.0)):
        model = model_with(1, urgencies=[0.5] * 5, horizon_days=days)
        model.run(prefill=False, arrivals=False)
        assert collect(model).kpis["need_waiting_at_end_count"] == waiting, days


def test_follow_up_by_need_refuses_reserved_or_overbooked_slots():
    with pytest.raises(ScenarioError, match=r"reserved_slots_per_day: 1 with followup_by = \"need\""):
        jobsim.load_scenario("odense_frikommune", reserved_slots_per_day=1)


def test_pre_filled_citizens_have_had_their_last_conversation_an_exponential_time_ago():
    # at steady state the time since the last need-driven conversation is exponential with the need's mean (182
    # days): its mean over 1,400 pre-filled citizens lies within 4 standard errors (182 / sqrt(1400) = 4.9 days)
    model = Jobcenter(jobsim.load_scenario("odense_frikommune"), seed=3)
    model.prefill()
    since = [-c.last_held / 1440.0 for c in model.population.values()]
    assert len(since) == 1400
    assert abs(sum(since) / len(since) - 182.0) < 4 * 182.0 / 1400 ** 0.5
