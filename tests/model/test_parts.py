"""Unit tests of the model's parts: the diary, the desk, the random streams and the booking rule."""

import numpy as np
import pytest

from jobsim import Scenario
from jobsim.model import streams as st
from jobsim.model.calendar import FIRST_SLOT, MINUTES_PER_DAY, add_workdays
from jobsim.model.citizens import Booking, Citizen
from jobsim.model.desk import CASEWORK, DOC, PREP, CaseworkBucket, Desk
from jobsim.model.diary import Diary
from jobsim.model.jobcenter import (AFTER_HELD, AFTER_NO_SHOW, ENTRY, MOVED_FOR_ABSENCE, PREFILL, Jobcenter,
                                    earliest_booking_day)
from jobsim.model.ledger import CaseworkerDay
from jobsim.model.policies import PrepPolicy
from jobsim.model.scenario import ScenarioValues


def booking(i=0, prep_need=15.0):
    citizen = Citizen(i, 0, 0.0, float("inf"), 0.0, prep_need, 20.0)
    return Booking(i, citizen, 0, 0.0, 10)


# ------------------------------------------------------------------ diary

def test_diary_books_the_earliest_free_slot_on_a_working_day():
    diary = Diary(slots_per_day=2, slot_minutes=25.0)
    a, b, c = booking(0), booking(1), booking(2)
    diary.book(a, 5)            # day 5 is a Saturday: the first working day on or after it is Monday, day 7
    diary.book(b, 5)
    diary.book(c, 5)            # day 7 is full: Tuesday, day 8
    assert [(x.day, x.slot) for x in (a, b, c)] == [(7, 0), (7, 1), (8, 0)]
    assert a.start == 7 * MINUTES_PER_DAY + FIRST_SLOT
    assert b.start == 7 * MINUTES_PER_DAY + FIRST_SLOT + 25.0
    assert diary.day_slots(7) == [a, b]


def test_diary_release_makes_a_future_slot_bookable_again_but_not_a_past_one():
    diary = Diary(slots_per_day=1, slot_minutes=25.0)
    a, b = booking(0), booking(1)
    diary.book(a, 1)
    diary.release(a, today=0)               # day 1 is in the future: free again
    diary.book(b, 1)
    assert (b.day, b.slot) == (1, 0)
    c, d = booking(2), booking(3)
    diary.book(c, 2)
    diary.release(c, today=2)               # today's slot is freed but not offered again
    diary.book(d, 2)
    assert d.day == 3
    assert diary.day_slots(2) == [None]


def test_diary_forget_drops_past_days_and_their_free_slots():
    diary = Diary(slots_per_day=2, slot_minutes=25.0)
    diary.book(booking(0), 1)
    diary.forget(1)
    assert diary.day_slots(1) is None
    assert all(day > 1 for day in diary.free_days)
    assert list(diary.bookings()) == []


# ------------------------------------------------------------------ desk

def test_desk_shares_time_out_by_deadline_and_books_minutes_by_kind():
    closed = []
    desk = Desk("edf", 0, closed.append, trace=None)
    day = desk.today = CaseworkerDay(0, 0, 444.0)
    desk.until = 480.0
    prep = booking(0, prep_need=15.0)
    prep.prep_log = []
    prep.prep_task = desk.add(PREP, 15.0, 600.0, prep)
    bucket = CaseworkBucket(0.0, 30.0, 700.0)
    desk.add(CASEWORK, 30.0, 700.0, bucket)
    desk.add(DOC, 10.0, 650.0, None)
    desk.share_out(530.0)                  # 50 minutes: prep 15 (due 600), doc 10 (650), casework 25 (700)
    assert (day.prep_minutes, day.documentation_minutes, day.casework_minutes, day.idle_minutes) == (15, 10, 25, 0)
    assert prep.prep_done == 15.0 and prep.prep_task is None and prep.prep_log == [(day, 15.0)]
    assert bucket.done == 25.0 and closed == []
    desk.share_out(545.0)                  # 5 more minutes of casework finish it; 10 idle
    assert bucket.done == 30.0 and closed == [bucket]
    assert day.idle_minutes == 10.0 and desk.tasks == []


def test_desk_rules_order_the_same_tasks_differently():
    orders = {}
    for rule in ("edf", "prep_first", "casework_first"):
        desk = Desk(rule, 0, lambda bucket: None, trace=None)
        desk.add(CASEWORK, 1.0, 100.0, CaseworkBucket(0.0, 1.0, 100.0))
        desk.add(DOC, 1.0, 200.0, None)
        b = booking(0)
        desk.add(PREP, 1.0, 300.0, b)
        orders[rule] = [t.kind for t in desk.tasks]
    assert orders == {"edf": [CASEWORK, DOC, PREP], "prep_first": [PREP, CASEWORK, DOC],
                      "casework_first": [CASEWORK, DOC, PREP]}


def test_desk_drops_expired_casework_and_preparation_but_never_documentation():
    closed = []
    desk = Desk("edf", 0, closed.append, trace=None)
    desk.today = CaseworkerDay(0, 0, 444.0)
    bucket = CaseworkBucket(0.0, 30.0, 100.0)
    desk.add(CASEWORK, 30.0, 100.0, bucket)
    b = booking(0)
    b.prep_task = desk.add(PREP, 15.0, 100.0, b)
    desk.add(DOC, 10.0, 90.0, None)
    desk.until = 100.0                     # every deadline has passed
    desk.share_out(120.0)
    assert closed == [bucket] and bucket.done == 0.0
    assert b.prep_task is None and b.prep_done == 0.0
    assert desk.today.documentation_minutes == 10.0 and desk.today.idle_minutes == 10.0


# ------------------------------------------------------------------ streams

@pytest.mark.parametrize("block", [1, 7, 1024])
def test_the_ith_draw_of_a_stream_is_the_same_whatever_the_block_size(block, monkeypatch):
    reference = st.generator(3, 1, "attendance").random(2500)
    monkeypatch.setattr(st, "_BLOCK", block)
    stream = st.Stream(st.generator(3, 1, "attendance"), st.uniform)
    got = [stream() for _ in range(700)] + stream.take(1100) + [stream() for _ in range(700)]
    assert np.array_equal(np.array(got), reference)


@pytest.mark.parametrize("block", [1, 7, 1024])
def test_draw_rows_hand_out_each_streams_draws_in_order_whatever_the_block_size(block, monkeypatch):
    """Row i of a citizen's booking draws is the i-th 12 draws of each stream, as the generators give them."""
    names = (("attendance", st.uniform), ("confirmation", st.uniform), ("punctuality", st.normal))
    reference = [draw(st.generator(3, 1, name), 12 * 300) for name, draw in names]
    monkeypatch.setattr(st, "_BLOCK", block)
    rows = st.DrawRows([(st.generator(3, 1, name), draw) for name, draw in names], 12)
    got = np.array([rows.take() for _ in range(300)])
    assert got.shape == (300, 36)
    for j, ref in enumerate(reference):   # interleaved: stream j is every third draw from the j-th
        assert np.array_equal(got[:, j::3].ravel(), ref)


def test_streams_are_chosen_by_name_and_replication():
    a = st.generator(0, 0, "arrivals").random(3)
    assert np.array_equal(a, st.generator(0, 0, "arrivals").random(3))
    assert not np.array_equal(a, st.generator(0, 1, "arrivals").random(3))
    assert not np.array_equal(a, st.generator(0, 0, "stays").random(3))


# ------------------------------------------------------------------ booking rule and calendar

def test_earliest_booking_day_follows_the_booking_table():
    s = Scenario(booking_lead_days=14, rebook_days=7)
    assert earliest_booking_day(ENTRY, 10, 17, s) == 11
    assert earliest_booking_day(PREFILL, 0, 10, s) == 1
    assert earliest_booking_day(PREFILL, 0, 40, s) == 26
    assert earliest_booking_day(AFTER_HELD, 50, 141, s) == 127
    assert earliest_booking_day(AFTER_HELD, 50, 55, s) == 51
    assert earliest_booking_day(AFTER_NO_SHOW, 50, 141, s) == 127
    assert earliest_booking_day(AFTER_NO_SHOW, 50, 60, s) == 57
    assert earliest_booking_day(MOVED_FOR_ABSENCE, 50, 52, s) == 51


def test_add_workdays_skips_weekends():
    assert [add_workdays(4, n) for n in (0, 1, 2, 5)] == [4, 7, 8, 11]


# ------------------------------------------------------------------ the scenario's values on the hot paths

def test_scenario_values_copy_every_field_and_derived_value():
    s = Scenario(workers=3, caseload=50.0, contact_interval_days=30, horizon_days=100)
    v = ScenarioValues(s)
    for name in type(s).model_fields:
        assert getattr(v, name) == getattr(s, name), name
    assert (v.citizens, v.planned_interval_days, v.run_days) == (150.0, 30, s.warmup_days + 100)
    assert v.arrival_rate_per_day == s.arrival_rate_per_day
    # every derived value of Scenario is copied (a new property must be added to DERIVED)
    assert set(ScenarioValues.DERIVED) == {name for name, a in vars(Scenario).items() if isinstance(a, property)}


def test_policies_are_shown_the_scenario_itself_not_the_plain_values():
    seen = set()

    class Spy(PrepPolicy):
        name = "spy"

        def prepare_ahead(self, booking, scenario):
            seen.add(type(scenario))
            return True

        def skim_after_checkin(self, booking, scenario):
            seen.add(type(scenario))
            return 1.0

    s = Scenario(workers=1, caseload=30.0, horizon_days=30, warmup_days=7)
    Jobcenter(s, seed=0, policy=Spy(), tables=False).run()
    assert seen == {Scenario}
