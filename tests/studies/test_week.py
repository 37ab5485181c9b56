"""jobsim.studies.week: one caseworker's week as a diary, and what was left undone."""


import doctest

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import jobsim  # noqa: E402
from jobsim.studies import week as week_study  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)




def test_docstring_examples():
    assert doctest.testmod(week_study).failed == 0


# ------------------------------------------------------------------ a week in the life

@pytest.fixture(scope="module", params=["ds_norm", "laerkevej"])
def week_run(request):
    s = jobsim.load_scenario(request.param, workers=3, horizon_days=21, warmup_days=14)
    r = jobsim.simulate(s, seed=3, trace=True)
    return r, week_study.first_full_week(r, 0)


def test_first_full_week_is_after_the_warmup_and_present_every_day(week_run):
    r, week = week_run
    assert 7 * week >= r.scenario.warmup_days
    wd = r.worker_days
    days = wd[(wd["worker"] == 0) & (wd["day"] >= 7 * week) & (wd["day"] < 7 * week + 5)]
    assert len(days) == 5 and not days["absent"].any()


def test_week_diary_has_every_trace_row_of_the_week_within_working_hours(week_run):
    r, week = week_run
    t0 = week * jobsim.model.calendar.MINUTES_PER_WEEK
    tr = r.trace[(r.trace["worker"] == 0) & (r.trace["start"] >= t0) & (r.trace["start"] < t0 + 7 * 1440)]
    diary = week_study.week_diary(r, 0, week)
    assert len(diary) == len(tr)
    assert set(diary["day"]) == {0, 1, 2, 3, 4}
    assert diary["start"].min() >= 8 * 60 and diary["end"].max() <= 15 * 60 + 24 + 1e-9
    # 37 hours present: the stretches add up to the working week
    assert diary["minutes"].sum() == pytest.approx(5 * (7 * 60 + 24))
    # preparation is wasted exactly when its citizen did not show (or left)
    outcome = r.meetings.set_index("meeting")["outcome"]
    prep = diary[diary["activity"].isin(["prep", "wasted_prep"])]
    wasted = prep["meeting"].map(outcome).isin(["no_show", "withdrawn"])
    assert (prep["activity"] == "wasted_prep").tolist() == wasted.tolist()


def test_gantt_draws_one_bar_per_diary_row_and_hatches_each_noshow(week_run):
    r, week = week_run
    diary = week_study.week_diary(r, 0, week)
    noshows = week_study.week_noshows(r, 0, week)
    fig, ax = plt.subplots()
    bars = week_study.diary_gantt(ax, diary, noshows)
    drawn = {a: len(c.patches) for a, c in bars.items() if a != "no_show"}
    assert drawn == diary["activity"].value_counts().to_dict()
    assert len(bars["no_show"]) == len(noshows)
    assert all(p.get_hatch() == "////" for p in bars["no_show"])
    assert ax.get_xlim() == (480.0, 924.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_week_summary_counts_what_was_left_undone(week_run):
    r, week = week_run
    s = week_study.week_summary(r, 0, week)
    assert s["casework_due"] == r.scenario.casework_minutes * s["citizens"]
    assert s["casework_undone"] == pytest.approx(max(0.0, s["casework_due"] - s["casework_done"]))
    t0 = week * jobsim.model.calendar.MINUTES_PER_WEEK
    m = r.meetings
    m = m[(m["worker"] == 0) & (m["slot_start"] >= t0) & (m["slot_start"] < t0 + 7 * 1440)]
    assert s["held"] == (m["outcome"] == "held").sum()
    assert s["unprepared"] == ((m["outcome"] == "held") & ~m["prepared"]).sum()
    assert s["noshows"] == len(week_study.week_noshows(r, 0, week))
    if r.scenario.prep_policy == "after_checkin":
        assert s["prep_minutes"] == 0 and s["wasted_prep_minutes"] == 0   # no preparation before check-in
        assert s["skim_minutes"] > 0


def test_week_figure_has_a_panel_per_run_with_the_undone_work_under_it(week_run):
    r, week = week_run
    panel = {"diary": week_study.week_diary(r, 0, week), "noshows": week_study.week_noshows(r, 0, week),
             "summary": week_study.week_summary(r, 0, week), "label": "panel"}
    fig = week_study.week_figure([panel, panel], title="title", caption_text="caption")
    assert len(fig.axes) == 2
    assert all(ax.get_xlabel().startswith("Left undone this week") for ax in fig.axes)
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    assert fig.axes[0].get_legend() is not None
