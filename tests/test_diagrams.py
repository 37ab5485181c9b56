"""jobsim.studies.diagrams: the analyses give the exact numbers, and the figures hold the expected artists."""

import doctest
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import jobsim  # noqa: E402
from jobsim.studies import diagrams  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_docstring_examples():
    assert doctest.testmod(diagrams).failed == 0


# ------------------------------------------------------------------ no-show sensitivity

@pytest.mark.parametrize("p", [0.0, 0.005, 0.02, 0.05, 0.15, 0.4, 0.5, 0.9, 0.999, 1.0])
def test_noshow_spread_is_capped_and_always_valid(p):
    spread = diagrams.noshow_spread_for(p)
    assert spread <= 0.15
    assert spread <= 0.9 * math.sqrt(p * (1 - p)) + 1e-12
    jobsim.Scenario(noshow_probability=p, noshow_spread=spread)  # the scenario accepts it


def test_noshow_spread_is_the_cap_across_the_default_grid():
    assert {diagrams.noshow_spread_for(p) for p in diagrams.NOSHOW_PROBABILITIES} == {0.15}


def _cells(values, significant, caseloads=(30.0, 60.0, 220.0), probabilities=(0.1, 0.3), **extra):
    rows = []
    k = 0
    for p in probabilities:
        for c in caseloads:
            v = values[k]
            half = 0.001 if significant[k] else abs(v) + 0.01
            rows.append({"noshow_probability": p, "caseload": c, "mean": v, "ci_low": v - half,
                         "ci_high": v + half, **extra})
            k += 1
    t = pd.DataFrame(rows)
    t["excludes_zero"] = diagrams.excludes_zero(t)
    return t


def test_heatmap_has_one_cell_and_one_label_per_grid_point_and_frames_significant_cells():
    cells = _cells([0.0, 0.04, 0.03, 0.0, 0.06, -0.01], [False, True, True, False, True, False])
    fig, ax = plt.subplots()
    mesh = diagrams.difference_heatmap(ax, cells)
    assert mesh.get_array().size == 6                        # 2 probabilities x 3 caseloads
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["0.0", "+4.0", "+3.0", "0.0", "+6.0", "-1.0"])
    frames = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(frames) == 3                                  # the cells whose interval excludes 0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["30", "60", "220"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["10%", "30%"]
    # the colour scale is symmetric around 0, in percentage points
    assert mesh.norm.vmin == pytest.approx(-6.0) and mesh.norm.vmax == pytest.approx(6.0)


def _diffs():
    """Synthetic paired differences: casework gain from 60 cases up, larger at more no-shows and without SMS."""
    frames = []
    for sms, f in ((False, 1.0), (True, 0.8)):
        cov = _cells([0.0, 0.03 * f, 0.02 * f, 0.0, 0.05 * f, 0.03 * f], [False, True, True, False, True, True],
                     kpi="casework_coverage", sms_reminders=sms, mean_a=0.5, mean_b=0.45)
        prep = _cells([-0.97, -0.95, -0.90, -0.98, -0.96, -0.93], [True] * 6, kpi="prepared_share",
                      sms_reminders=sms)
        prep["mean_a"] = 0.02
        prep["mean_b"] = 0.02 - prep["mean"]
        frames += [cov, prep]
    return pd.concat(frames, ignore_index=True)


def test_finding_names_the_threshold_the_largest_gain_and_the_trends():
    title = diagrams.finding_noshow(_diffs(), "casework_coverage")
    assert "from 60 cases up" in title
    assert "+5.0 points" in title and "30% no-shows, 60 cases" in title
    assert "more the more citizens miss" in title and "SMS reminders shrink the gain" in title
    prepared = diagrams.finding_noshow(_diffs(), "prepared_share")
    assert "90–98 points" in prepared and ": 2% are fully prepared, against 92%–100%" in prepared


def test_a_certain_but_negligible_gain_does_not_set_the_threshold_and_is_written_with_two_places():
    d = _diffs()
    cov = d["kpi"] == "casework_coverage"
    tiny = cov & (d["caseload"] == 60.0)
    d.loc[tiny, "mean"] = 0.0003                             # +0.03 points, interval excluding 0
    d.loc[tiny, "ci_low"], d.loc[tiny, "ci_high"] = 0.0001, 0.0005
    d["excludes_zero"] = diagrams.excludes_zero(d)
    assert "from 220 cases up" in diagrams.finding_noshow(d, "casework_coverage")
    assert "from 60 cases up" in diagrams.finding_noshow(d, "casework_coverage", min_gain=0.01)
    fig, ax = plt.subplots()
    diagrams.difference_heatmap(ax, d[cov & ~d["sms_reminders"]])
    assert sorted(t.get_text() for t in ax.texts) == sorted(["0.0", "+0.03", "+2.0", "0.0", "+0.03", "+3.0"])


def test_finding_says_so_when_the_rule_never_pays():
    d = _diffs()
    d.loc[d["kpi"] == "casework_coverage", "excludes_zero"] = False
    assert diagrams.finding_noshow(d, "casework_coverage") == diagrams.phrase("coverage_title_none")


@pytest.mark.parametrize("lang", ["en", "da"])
def test_noshow_figure_has_two_heatmaps_sharing_one_colour_scale(lang):
    fig = diagrams.noshow_figure(_diffs(), "casework_coverage", lang, caption_text="caption", sms_effect=0.3)
    heatmaps = [ax for ax in fig.axes if ax.collections and ax.get_label() != "<colorbar>"]
    assert len(heatmaps) == 2
    for ax in heatmaps:
        assert ax.collections[0].get_array().size == 6
        assert len(ax.texts) == 6
    assert heatmaps[0].collections[0].norm.vmax == heatmaps[1].collections[0].norm.vmax == pytest.approx(5.0)
    assert "30" in heatmaps[1].get_title()                    # the SMS panel says what SMS does
    assert fig._suptitle.get_text()
    if lang == "da":
        assert "Lærkevej-reglen" in fig._suptitle.get_text()


def test_noshow_sweep_pairs_by_replication_and_groups_probabilities_by_spread():
    base = jobsim.load_scenario("ds_norm", **SMALL)
    results = diagrams.noshow_sweep(base, probabilities=(0.01, 0.2), caseloads=(40.0, 160.0), replications=2,
                                    progress=False)
    assert [r.scenario.noshow_spread for r in results] == [round(0.9 * math.sqrt(0.01 * 0.99), 6), 0.15]
    runs = diagrams.noshow_runs(results)
    assert len(runs) == 2 * 2 * 2 * 2 * 2                     # p x caseload x SMS x policy x replications
    diffs = diagrams.noshow_differences(results)
    assert len(diffs) == 2 * 2 * 2 * 2                        # KPI x p x caseload x SMS
    assert (diffs["n"] == 2).all()
    # the difference is after_checkin minus ahead, paired by replication, computed by hand
    row = diffs[(diffs["kpi"] == "prepared_share") & (diffs["noshow_probability"] == 0.2)
                & (diffs["caseload"] == 160.0) & ~diffs["sms_reminders"]].iloc[0]
    sel = runs[(runs["noshow_probability"] == 0.2) & (runs["caseload"] == 160.0) & ~runs["sms_reminders"]]
    pivot = sel.pivot(index="replication", columns="prep_policy", values="prepared_share")
    assert row["mean"] == pytest.approx((pivot["after_checkin"] - pivot["ahead"]).mean())
    assert row["mean"] < -0.5                                 # preparing after check-in prepares far less


# ------------------------------------------------------------------ Odense

@pytest.fixture(scope="module")
def odense():
    scenarios = {"odense_frikommune": jobsim.load_scenario("odense_frikommune", workers=3, horizon_days=400,
                                                           warmup_days=28),
                 "odense_2017": jobsim.load_scenario("odense_2017", workers=3, horizon_days=400, warmup_days=28)}
    kpis, gaps = diagrams.odense_runs(scenarios, replications=2, seed=1)
    return scenarios, kpis, gaps


def test_follow_up_gaps_flag_first_conversations_after_entry():
    s = jobsim.load_scenario("odense_2017", workers=2, horizon_days=120, warmup_days=14)
    r = jobsim.simulate(s, seed=2)
    all_gaps = diagrams.follow_up_gaps(r, follow_ups_only=False)
    held = r.meetings[r.meetings["outcome"] == "held"]
    assert len(all_gaps) == len(held)
    first = all_gaps[all_gaps["first"]]
    entry = r.citizens.set_index("citizen")["entry_day"]
    assert (first["citizen"].map(entry) > 0).all()            # only citizens who entered during the run
    assert first["citizen"].is_unique                         # at most one first conversation each
    assert first["gap_days"].median() < 14                    # first conversations are due a week after entry
    follow = diagrams.follow_up_gaps(r)
    assert len(follow) == len(all_gaps) - len(first) and not follow["first"].any()


def test_odense_runs_give_one_row_per_scenario_and_replication(odense):
    scenarios, kpis, gaps = odense
    assert sorted(map(tuple, kpis[["scenario", "replication"]].to_numpy())) == [
        ("odense_2017", 0), ("odense_2017", 1), ("odense_frikommune", 0), ("odense_frikommune", 1)]
    assert set(gaps["scenario"]) == set(scenarios)
    shares = diagrams.gap_shares(gaps).set_index("scenario")
    # a one-a-year rule leaves almost every follow-up gap above 91 days; the 91-day rule few
    assert shares.at["odense_frikommune", "share_over_91_days"] > 0.9
    assert shares.at["odense_2017", "share_over_91_days"] < 0.5


def test_ecdf_reaches_one_and_marks_91_and_365_days(odense):
    _, _, gaps = odense
    fig, ax = plt.subplots()
    lines = diagrams.gap_ecdf(ax, gaps)
    assert len(lines) == 2
    for line in lines:
        y = line.get_ydata()
        assert y[-1] == pytest.approx(1.0) and np.all(np.diff(y) >= 0)
    verticals = [ln.get_xdata()[0] for ln in ax.get_lines() if ln not in lines]
    assert sorted(verticals) == [91.0, 365.0]
    assert len(ax.get_legend().get_texts()) == 4


def test_no_contact_bars_are_the_means_over_replications(odense):
    _, kpis, _ = odense
    table = diagrams.interval_table(kpis, "scenario", ["no_contact_over_year_count"])
    fig, ax = plt.subplots()
    bars = diagrams.no_contact_bars(ax, table)
    expected = kpis.groupby("scenario")["no_contact_over_year_count"].mean()
    assert [b.get_height() for b in bars] == pytest.approx([expected["odense_frikommune"], expected["odense_2017"]])


def test_odense_gaps_figure_states_the_finding(odense):
    scenarios, kpis, gaps = odense
    fig = diagrams.odense_gaps_figure(kpis, gaps, scenarios, seed=1)
    assert len(fig.axes) == 2
    assert "91 days" in fig._suptitle.get_text().replace("\n", " ")
    assert any("2 replications each, seed 1" in t.get_text().replace("\n", " ") for t in fig.texts)


def test_staffing_points_keep_the_citizens_fixed():
    s = jobsim.load_scenario("odense_2017")
    points = diagrams.staffing_points(s, max_extra=3)
    assert [w for w, _ in points] == [10, 11, 12, 13]
    assert all(w * c == pytest.approx(1400.0) for w, c in points)


def _staffing_runs(overdue, coverage):
    rows = []
    for w, o, c in zip((10, 11, 12, 13), overdue, coverage):
        for r, noise in enumerate((-0.001, 0.001)):
            rows.append({"workers": w, "caseload": 1400.0 / w, "replication": r, "overdue_share": o + noise,
                         "casework_coverage": c + noise})
    return pd.DataFrame(rows)


def test_staffing_answer_is_the_smallest_team_under_the_target_and_its_cost():
    runs = _staffing_runs([0.15, 0.11, 0.08, 0.06], [0.30, 0.35, 0.40, 0.45])
    a = diagrams.staffing_answer(runs, 0.10, base_workers=10, fte_cost_dkk=600_000.0, reference_coverage=0.42)
    assert (a["workers"], a["extra_workers"], a["extra_cost_dkk_per_year"]) == (12, 2, 1_200_000.0)
    assert a["citizens"] == pytest.approx(1400.0)
    assert a["extra_cost_dkk_per_1000_citizens"] == pytest.approx(1_200_000.0 / 1.4)
    assert a["odense_expected_fte"] == pytest.approx(25e6 / 600_000)
    assert a["citizens_served_by_odense_sum"] == pytest.approx(25e6 / 1.2e6 * 1400)
    assert (a["parity_workers"], a["parity_extra_workers"], a["parity_cost_dkk_per_year"]) == (13, 3, 1_800_000.0)
    none = diagrams.staffing_answer(runs, 0.05, base_workers=10)
    assert none["workers"] is None and none["extra_cost_dkk_per_year"] is None
    # with the whole interval under the target (the runs differ by +-0.001): one more caseworker than the mean needs
    tight = diagrams.staffing_answer(_staffing_runs([0.15, 0.0995, 0.08, 0.06], [0.3] * 4), 0.10, base_workers=10)
    assert (tight["workers"], tight["strict_workers"], tight["strict_extra_workers"]) == (11, 12, 2)
    zero = diagrams.staffing_answer(runs, 0.20, base_workers=10)
    assert (zero["workers"], zero["extra_workers"], zero["extra_cost_dkk_per_year"]) == (10, 0, 0.0)


def test_staffing_figure_marks_target_and_answer():
    runs = _staffing_runs([0.15, 0.11, 0.08, 0.06], [0.30, 0.35, 0.40, 0.45])
    a = diagrams.staffing_answer(runs, 0.10, base_workers=10, reference_coverage=0.42)
    fig = diagrams.odense_staffing_figure(runs, a)
    left, right = fig.axes
    assert [t.get_text() for t in left.get_xticklabels()] == ["10\n(140)", "11\n(127)", "12\n(117)", "13\n(108)"]
    assert 0.10 in [ln.get_ydata()[0] for ln in left.get_lines() if len(ln.get_ydata()) == 2]
    assert "2 more caseworkers per 1,400 citizens (1.2 million DKK a year)" in fig._suptitle.get_text().replace("\n", " ")
    assert any("25 million DKK" in t.get_text().replace("\n", " ") for t in fig.texts)


def test_staffing_sweep_runs_each_team_size_with_the_same_citizens(tmp_path):
    s = jobsim.load_scenario("odense_2017", workers=2, caseload=60.0, horizon_days=28, warmup_days=7)
    runs = diagrams.staffing_sweep(s, max_extra=1, replications=2, out=tmp_path, progress=False)
    assert sorted(set(runs["workers"])) == [2, 3]
    assert (runs["workers"] * runs["caseload"]).round(9).eq(120.0).all()
    assert (tmp_path / "workers_2" / "manifest.json").exists()   # stored, so a killed run resumes


# ------------------------------------------------------------------ a week in the life

@pytest.fixture(scope="module", params=["ds_norm", "laerkevej"])
def week_run(request):
    s = jobsim.load_scenario(request.param, workers=3, horizon_days=21, warmup_days=14)
    r = jobsim.simulate(s, seed=3, trace=True)
    return r, diagrams.first_full_week(r, 0)


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
    diary = diagrams.week_diary(r, 0, week)
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
    diary = diagrams.week_diary(r, 0, week)
    noshows = diagrams.week_noshows(r, 0, week)
    fig, ax = plt.subplots()
    bars = diagrams.diary_gantt(ax, diary, noshows)
    drawn = {a: len(c.patches) for a, c in bars.items() if a != "no_show"}
    assert drawn == diary["activity"].value_counts().to_dict()
    assert len(bars["no_show"]) == len(noshows)
    assert all(p.get_hatch() == "////" for p in bars["no_show"])
    assert ax.get_xlim() == (480.0, 924.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_week_summary_counts_what_was_left_undone(week_run):
    r, week = week_run
    s = diagrams.week_summary(r, 0, week)
    assert s["casework_due"] == r.scenario.casework_minutes * s["citizens"]
    assert s["casework_undone"] == pytest.approx(max(0.0, s["casework_due"] - s["casework_done"]))
    t0 = week * jobsim.model.calendar.MINUTES_PER_WEEK
    m = r.meetings
    m = m[(m["worker"] == 0) & (m["slot_start"] >= t0) & (m["slot_start"] < t0 + 7 * 1440)]
    assert s["held"] == (m["outcome"] == "held").sum()
    assert s["unprepared"] == ((m["outcome"] == "held") & ~m["prepared"]).sum()
    assert s["noshows"] == len(diagrams.week_noshows(r, 0, week))
    if r.scenario.prep_policy == "after_checkin":
        assert s["prep_minutes"] == 0 and s["wasted_prep_minutes"] == 0   # no preparation before check-in
        assert s["skim_minutes"] > 0


def test_week_figure_has_a_panel_per_run_with_the_undone_work_under_it(week_run):
    r, week = week_run
    panel = {"diary": diagrams.week_diary(r, 0, week), "noshows": diagrams.week_noshows(r, 0, week),
             "summary": diagrams.week_summary(r, 0, week), "label": "panel"}
    fig = diagrams.week_figure([panel, panel], title="title", caption_text="caption")
    assert len(fig.axes) == 2
    assert all(ax.get_xlabel().startswith("Left undone this week") for ax in fig.axes)
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    assert fig.axes[0].get_legend() is not None


# ------------------------------------------------------------------ words and files

def test_phrases_exist_in_both_languages_and_danish_numbers_use_danish_separators():
    assert set(diagrams.PHRASES["en"]) == set(diagrams.PHRASES["da"])
    assert "1.400" in diagrams.phrase("workers_axis", "da", citizens=1400.0)
    assert "1,400" in diagrams.phrase("workers_axis", "en", citizens=1400.0)
    with pytest.raises(ValueError, match="lang"):
        diagrams.phrase("absent", "de")


def test_downscale_png_makes_a_900_pixel_copy(tmp_path):
    from PIL import Image

    fig, ax = plt.subplots(figsize=(12, 4))
    fig.savefig(tmp_path / "big.png", dpi=150)
    out = diagrams.downscale_png(tmp_path / "big.png", tmp_path / "docs" / "small.png")
    with Image.open(out) as img:
        assert img.width == 900 and img.height == 300
