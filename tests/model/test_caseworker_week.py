"""The caseworker's week beyond the booked conversations: calls and messages, employer contact, network
meetings, their documentation, and time that is not case work.

Hand-traced runs use fixed durations and one caseworker: day 0 is Monday, a working day runs 8:00 (480) to
15:24 (924), slots start at 9:00 (540).
"""

import math

import pytest

from conftest import NO_WEEK
import jobsim
from jobsim import Scenario
from jobsim.model.caseworker import NETWORK
from jobsim.model.desk import CALL, MEETING
from jobsim.model.jobcenter import Jobcenter
from jobsim.runner.simulate import collect

BASE = dict(
    workers=1, caseload=2.0, slots_per_day=2, slot_minutes=25.0,
    noshow_probability=0.0, noshow_spread=0.0, prep_minutes=15.0, prep_cv=0.0,
    conversation_minutes=20.0, conversation_cv=0.0, punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0,
    absence_share=0.0, casework_minutes=0.0, **NO_WEEK, documentation_minutes=10.0, prep_window_days=2,
    warmup_days=0, horizon_days=14, stay_days=3650.0,
)


def empty_desk(events=(), **changes):
    """One caseworker with no citizens; ``events`` are (minute, action) pairs run by a SimPy process of the
    test: action(caseworker) at that minute."""
    model = Jobcenter(Scenario(**{**BASE, **changes}), seed=0, trace=True)
    caseworker = model.caseworkers[0]

    def script():
        for minute, action in events:
            yield model.env.timeout(minute - model.env.now)
            action(caseworker)

    model.env.process(script())
    model.run(prefill=False, arrivals=False)
    return collect(model)


def stretches(result, activity):
    t = result.trace
    t = t[t.activity == activity]
    return [(r.start, r.end) for r in t.itertuples(index=False)]


def test_noncase_time_takes_the_start_of_each_day_and_its_share_is_exact():
    r = empty_desk(noncase_minutes_per_day=60.0)
    assert stretches(r, "noncase")[:2] == [(480.0, 540.0), (1440 + 480.0, 1440 + 540.0)]
    assert r.kpis["noncase_share"] == pytest.approx(60 / 444, abs=1e-12)
    assert r.kpis["idle_share"] == pytest.approx(384 / 444, abs=1e-12)


def test_a_call_interrupts_desk_work_and_is_documented():
    # 400 minutes of documentation from 8:00; a call of 10 minutes at 9:00 (its 5-minute note joins the desk)
    r = empty_desk([(480.0, lambda cw: cw.add_desk_work(400.0, due=924.0)),
                    (540.0, lambda cw: cw.contact_arrives(CALL, 0))],
                   citizen_contact_minutes=10.0, contact_documentation_minutes=5.0)
    assert stretches(r, "contact") == [(540.0, 550.0)]
    # the documentation due first (the 400 minutes, due today) goes on after the call, then the call's note
    assert stretches(r, "documentation") == [(480.0, 540.0), (550.0, 890.0), (890.0, 895.0)]
    day = r.worker_days.iloc[0]
    assert (day.contact_minutes, day.documentation_minutes) == (10.0, 405.0)
    assert r.kpis["contacts_postponed_share"] == 0.0


def test_a_call_during_a_conversation_is_answered_after_it():
    model = Jobcenter(Scenario(**{**BASE, "citizen_contact_minutes": 10.0, "contact_documentation_minutes": 0.0}),
                      seed=0, trace=True)
    c = model.admit(0.0, first_due_day=7, stay=math.inf)
    model.book(c, 1)      # Tuesday 9:00 (minute 1980), prepared on Monday

    def call():
        yield model.env.timeout(1990.0)     # ten minutes into the conversation
        model.caseworkers[0].contact_arrives(CALL, 1)

    model.env.process(call())
    model.run(prefill=False, arrivals=False)
    r = collect(model)
    assert stretches(r, "conversation") == [(1980.0, 2000.0)]
    assert stretches(r, "contact") == [(2000.0, 2010.0)]


def test_a_network_meeting_ranks_with_documentation_and_carries_its_preparation():
    r = empty_desk([(600.0, lambda cw: cw.contact_arrives(NETWORK, 0))],
                   network_meeting_minutes=60.0, network_prep_minutes=30.0, network_meeting_days=10)
    assert stretches(r, "contact") == [(600.0, 660.0)]
    assert stretches(r, "documentation") == [(660.0, 690.0)]
    assert r.kpis["direct_contact_share"] == pytest.approx(60 / (10 * 444), abs=1e-12)
    assert r.kpis["prep_followup_share"] == pytest.approx(30 / (10 * 444), abs=1e-12)


def test_work_that_does_not_fit_is_answered_late_and_counted():
    # Monday: 430 minutes of documentation due today arrive at 8:00, then an employer contact (20 minutes, due at
    # Tuesday's end, minute 2364) and its 5-minute note; the contact gets Monday's last 14 minutes. Tuesday 8:00:
    # 440 minutes of documentation due a minute before the end of the day come first (earliest deadline); the
    # contact gets 4 more minutes and is finished on Wednesday, after its deadline, and so is its note
    r = empty_desk([(480.0, lambda cw: cw.add_desk_work(430.0, due=924.0)),
                    (481.0, lambda cw: cw.contact_arrives(MEETING, 0)),
                    (1440 + 480.0, lambda cw: cw.add_desk_work(440.0, due=2363.0))],
                   employer_contact_minutes=20.0, contact_documentation_minutes=5.0, contact_answer_days=1,
                   desk_priority="edf")
    assert stretches(r, "contact") == [(910.0, 924.0), (2360.0, 2364.0), (2 * 1440 + 480.0, 2 * 1440 + 482.0)]
    assert r.kpis["contacts_postponed_share"] == 1.0
    # three notes: Monday's 430 minutes (on time), Tuesday's 440 (on time), the contact's 5 (late)
    assert r.kpis["documentation_late_share"] == pytest.approx(1 / 3)


def test_employer_contacts_arrive_as_a_poisson_stream_on_days_at_work():
    # 5 a week = 1 per day at work; 14 days = 10 working days, all present: a Poisson count with mean 10 per
    # run; 40 seeds give a count with mean 400 and sd 20. Nothing else is on the desk, so each is answered at once.
    total = 0
    for seed in range(40):
        model = Jobcenter(Scenario(**{**BASE, "employer_contacts_per_week": 5.0, "employer_contact_minutes": 1.0,
                                      "contact_documentation_minutes": 0.0}), seed=seed, tables=True)
        model.run(prefill=False, arrivals=False)
        total += sum(d.contact_minutes for d in model.ledger.days)
    assert abs(total - 400) < 4 * math.sqrt(400)     # z = 4: a seeded test that fails only if the rate is wrong


def test_time_shares_add_up_to_the_time_present_plus_overtime():
    s = jobsim.load_scenario("ds_norm", caseload=82.0, horizon_days=91, citizen_contacts_per_week=0.3,
                             employer_contacts_per_week=3.0, network_meetings_per_citizen_year=2.0,
                             noncase_minutes_per_day=60.0, casework_minutes=10.0, overtime_minutes=30.0)
    r = jobsim.simulate(s, seed=1)
    k = r.kpis
    shares = sum(k[n] for n in ("direct_contact_share", "prep_followup_share", "casework_share", "noncase_share",
                                "idle_share"))
    days = r.worker_days
    assert shares == pytest.approx(1.0 + days.overtime_minutes.sum() / days.present_minutes.sum(), abs=1e-9)
    assert k["direct_contact_share"] > k["conversation_share"] > 0


def test_the_week_gives_way_visibly_as_caseload_grows():
    """Common random numbers: at 220 cases more contacts are postponed, more documentation is late and less
    casework is done than at 45, with the same streams."""
    base = jobsim.load_scenario("ds_norm", horizon_days=91, warmup_days=28, workers=4, citizen_contacts_per_week=0.3,
                                employer_contacts_per_week=3.0, network_meetings_per_citizen_year=2.0,
                                noncase_minutes_per_day=60.0, casework_minutes=10.0)
    low, high = (jobsim.simulate(base.replace(caseload=c), seed=0, tables=False).kpis for c in (45.0, 220.0))
    assert high["contacts_postponed_share"] > low["contacts_postponed_share"]
    assert high["documentation_late_share"] > low["documentation_late_share"]
    assert high["casework_coverage"] < low["casework_coverage"]


def test_a_contact_process_is_started_only_when_some_contact_arrives():
    assert Jobcenter(Scenario(**BASE), seed=0).has_contacts is False
    assert Jobcenter(Scenario(**{**BASE, "network_meetings_per_citizen_year": 1.0}), seed=0).has_contacts is True
