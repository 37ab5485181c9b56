"""The model is made of SimPy processes: caseworkers' days, citizens and arrivals (issue 22)."""

import jobsim
from jobsim.model import caseworker as caseworker_module
from jobsim.model.jobcenter import Jobcenter


def counted_run(scenario):
    """Run ``scenario`` counting the processes started, by generator function name."""
    model = Jobcenter(scenario, seed=0, tables=False)
    counts: dict[str, int] = {}
    start = model.env.process

    def process(generator):
        name = generator.__qualname__
        counts[name] = counts.get(name, 0) + 1
        return start(generator)

    model.env.process = process
    model.run()
    return model, counts


def test_a_laerkevej_run_has_a_process_per_caseworker_and_per_citizen_and_one_for_arrivals():
    scenario = jobsim.load_scenario("laerkevej", workers=3, horizon_days=28, warmup_days=7)
    model, counts = counted_run(scenario)
    assert counts["Caseworker.working_days"] == 3
    assert counts["Jobcenter.arrivals"] == 1
    # every citizen ever admitted (pre-filled at the start, or entered during the run) has a process
    assert counts["Jobcenter.citizen"] == model._next_citizen > 3 * 220
    assert counts["ExitDays.opening"] == 1   # triggers, each midnight, the shared event of the next day's exits
    assert counts["Caseworker.contacts"] == 3   # calls, employer contacts and network meetings reaching each one
    assert set(counts) == {"Caseworker.working_days", "Caseworker.contacts", "Jobcenter.arrivals",
                           "Jobcenter.citizen", "ExitDays.opening"}


def test_no_day_at_once_engine_is_left():
    assert not hasattr(caseworker_module.Caseworker, "work_day")
    assert not hasattr(Jobcenter, "_working_day") and not hasattr(Jobcenter, "_schedule_day")


def test_a_caseworker_is_at_the_desk_only_between_events_of_a_working_day():
    """``at_desk`` (used by in-day events such as a phone call): not before 8:00, not during a conversation."""
    scenario = jobsim.load_scenario("ds_norm", workers=1, horizon_days=7, warmup_days=0, absence_share=0.0,
                                    noshow_probability=0.0, noshow_spread=0.0)
    model = Jobcenter(scenario, seed=0, trace=True)
    seen = []

    def look(env, cw):
        for minute in range(0, 5 * 1440, 5):
            yield env.timeout(minute - env.now)
            seen.append((minute, cw.at_desk()))

    model.env.process(look(model.env, model.caseworkers[0]))
    model.run()
    talking = [(s, e) for _, s, e, a, _ in model.trace if a == "conversation"]
    assert talking
    for minute, at_desk in seen:
        in_talk = any(s < minute < e for s, e in talking)
        at_work = 480 <= minute % 1440 <= 924 and minute // 1440 < 5
        if in_talk or not at_work:
            assert not at_desk, minute


def test_a_run_makes_no_cyclic_garbage_so_pausing_the_collector_is_safe():
    """jobsim.model.collector pauses Python's collector during a run: the run must free what it drops by
    reference counting alone (with the model still alive, a collection finds nothing)."""
    import gc

    scenario = jobsim.load_scenario("laerkevej", workers=3, horizon_days=56, warmup_days=7)
    gc.collect()
    model = Jobcenter(scenario, seed=0, tables=True).run()
    assert gc.isenabled()
    assert gc.collect() == 0
    assert model.ledger.bookings


def test_the_event_count_is_simpys_run_counted_step_by_step():
    import simpy

    from jobsim.model.jobcenter import _run_counting

    def ticks(env, log):
        for _ in range(3):
            yield env.timeout(10)
            log.append(env.now)

    env, log = simpy.Environment(), []
    env.process(ticks(env, log))
    # the process's start, and its first two timeouts (the third, at 30, is at the end: not processed)
    assert _run_counting(env, 30) == 3
    assert (env.now, log) == (30, [10, 20])
    # a run with tables counts its events; the results are those of a run without
    scenario = jobsim.load_scenario("laerkevej", workers=2, horizon_days=28, warmup_days=7)
    with_tables, without = jobsim.simulate(scenario, seed=3), jobsim.simulate(scenario, seed=3, tables=False)
    assert with_tables.kpis == without.kpis and without.events == 0
    # every held conversation is a timeout of the caseworker's process (to the conversation's end)
    assert with_tables.events > (with_tables.meetings.outcome == "held").sum() > 100
