"""jobsim.studies.odense: follow-up gaps, the exemption against the law, the caseworkers it needs."""


import doctest

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import jobsim  # noqa: E402
from jobsim.studies import intervals  # noqa: E402
from jobsim.studies import odense as odense_study  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)




def test_docstring_examples():
    assert doctest.testmod(odense_study).failed == 0


# ------------------------------------------------------------------ Odense

@pytest.fixture(scope="module")
def odense():
    scenarios = {"odense_frikommune": jobsim.load_scenario("odense_frikommune", workers=3, horizon_days=400,
                                                           warmup_days=28),
                 "odense_2017": jobsim.load_scenario("odense_2017", workers=3, horizon_days=400, warmup_days=28)}
    kpis, gaps = odense_study.odense_runs(scenarios, replications=2, seed=1)
    return scenarios, kpis, gaps


def test_follow_up_gaps_flag_first_conversations_after_entry():
    s = jobsim.load_scenario("odense_2017", workers=2, horizon_days=120, warmup_days=14)
    r = jobsim.simulate(s, seed=2)
    all_gaps = odense_study.follow_up_gaps(r, follow_ups_only=False)
    held = r.meetings[r.meetings["outcome"] == "held"]
    assert len(all_gaps) == len(held)
    first = all_gaps[all_gaps["first"]]
    entry = r.citizens.set_index("citizen")["entry_day"]
    assert (first["citizen"].map(entry) > 0).all()            # only citizens who entered during the run
    assert first["citizen"].is_unique                         # at most one first conversation each
    assert first["gap_days"].median() < 14                    # first conversations are due a week after entry
    follow = odense_study.follow_up_gaps(r)
    assert len(follow) == len(all_gaps) - len(first) and not follow["first"].any()


def test_odense_runs_give_one_row_per_scenario_and_replication(odense):
    scenarios, kpis, gaps = odense
    assert sorted(map(tuple, kpis[["scenario", "replication"]].to_numpy())) == [
        ("odense_2017", 0), ("odense_2017", 1), ("odense_frikommune", 0), ("odense_frikommune", 1)]
    assert set(gaps["scenario"]) == set(scenarios)
    shares = odense_study.gap_shares(gaps).set_index("scenario")
    # by need, a gap is an exponential wait (mean 182 days) plus days to the Monday and the slot; completed gaps
    # are cut short by exits (mean stay 365 days): P(over 91) ~ exp(-91 (1/182 + 1/365)) = 0.47, less for the
    # longer gaps the 400-day window does not see end. The 91-day rule leaves few over 91 days.
    assert 0.3 < shares.at["odense_frikommune", "share_over_91_days"] < 0.6
    assert shares.at["odense_2017", "share_over_91_days"] < 0.5


def test_ecdf_reaches_one_and_marks_91_and_365_days(odense):
    _, _, gaps = odense
    fig, ax = plt.subplots()
    lines = odense_study.gap_ecdf(ax, gaps)
    assert len(lines) == 2
    for line in lines:
        y = line.get_ydata()
        assert y[-1] == pytest.approx(1.0) and np.all(np.diff(y) >= 0)
    verticals = [ln.get_xdata()[0] for ln in ax.get_lines() if ln not in lines]
    assert sorted(verticals) == [91.0, 365.0]
    assert len(ax.get_legend().get_texts()) == 4


def test_no_contact_bars_are_the_means_over_replications(odense):
    _, kpis, _ = odense
    table = intervals.interval_table(kpis, "scenario", ["no_contact_over_year_count"])
    fig, ax = plt.subplots()
    bars = odense_study.no_contact_bars(ax, table)
    expected = kpis.groupby("scenario")["no_contact_over_year_count"].mean()
    assert [b.get_height() for b in bars] == pytest.approx([expected["odense_frikommune"], expected["odense_2017"]])


def test_odense_gaps_figure_states_the_finding(odense):
    scenarios, kpis, gaps = odense
    fig = odense_study.odense_gaps_figure(kpis, gaps, scenarios, seed=1)
    assert len(fig.axes) == 2
    assert "91 days" in fig._suptitle.get_text().replace("\n", " ")
    assert any("2 replications each, seed 1" in t.get_text().replace("\n", " ") for t in fig.texts)


def test_staffing_points_keep_the_citizens_fixed():
    s = jobsim.load_scenario("odense_2017")
    points = odense_study.staffing_points(s, max_extra=3)
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
    a = odense_study.staffing_answer(runs, 0.10, base_workers=10, fte_cost_dkk=600_000.0, reference_coverage=0.42)
    assert (a["workers"], a["extra_workers"], a["extra_cost_dkk_per_year"]) == (12, 2, 1_200_000.0)
    assert a["citizens"] == pytest.approx(1400.0)
    assert a["extra_cost_dkk_per_1000_citizens"] == pytest.approx(1_200_000.0 / 1.4)
    assert a["odense_expected_fte"] == pytest.approx(25e6 / 600_000)
    assert a["citizens_served_by_odense_sum"] == pytest.approx(25e6 / 1.2e6 * 1400)
    assert (a["parity_workers"], a["parity_extra_workers"], a["parity_cost_dkk_per_year"]) == (13, 3, 1_800_000.0)
    none = odense_study.staffing_answer(runs, 0.05, base_workers=10)
    assert none["workers"] is None and none["extra_cost_dkk_per_year"] is None
    # with the whole interval under the target (the runs differ by +-0.001): one more caseworker than the mean needs
    tight = odense_study.staffing_answer(_staffing_runs([0.15, 0.0995, 0.08, 0.06], [0.3] * 4), 0.10, base_workers=10)
    assert (tight["workers"], tight["strict_workers"], tight["strict_extra_workers"]) == (11, 12, 2)
    zero = odense_study.staffing_answer(runs, 0.20, base_workers=10)
    assert (zero["workers"], zero["extra_workers"], zero["extra_cost_dkk_per_year"]) == (10, 0, 0.0)


def test_staffing_figure_marks_target_and_answer():
    runs = _staffing_runs([0.15, 0.11, 0.08, 0.06], [0.30, 0.35, 0.40, 0.45])
    a = odense_study.staffing_answer(runs, 0.10, base_workers=10, reference_coverage=0.42)
    fig = odense_study.odense_staffing_figure(runs, a)
    left, right = fig.axes
    assert [t.get_text() for t in left.get_xticklabels()] == ["10\n(140)", "11\n(127)", "12\n(117)", "13\n(108)"]
    assert 0.10 in [ln.get_ydata()[0] for ln in left.get_lines() if len(ln.get_ydata()) == 2]
    assert "2 more caseworkers per 1,400 citizens (1.2 million DKK a year)" in fig._suptitle.get_text().replace("\n", " ")
    # the figure carries title, axes, legends and a one-line caption; the costs are sentences beside it
    texts = [t for t in fig.texts if t is not fig._suptitle]
    assert len(texts) == 1 and texts[0].get_text().startswith("Scenario 'odense_2017' with workers varied")
    notes = odense_study.staffing_notes(a)
    assert len(notes) == 3 and notes[0].startswith("Extra cost per 1,000 citizens: 857,000 DKK a year")  # 2 x 600,000 / 1.4
    assert "Odense expected about 25 million DKK a year" in notes[2]


def test_staffing_ticks_show_half_per_cents():
    runs = _staffing_runs([0.06, 0.05, 0.045, 0.04], [0.30, 0.35, 0.40, 0.45])
    fig = odense_study.odense_staffing_figure(runs, odense_study.staffing_answer(runs, 0.10, base_workers=10))
    ticks = fig.axes[0].yaxis.get_major_formatter()
    # 2.5% steps read "2.5%, 5%, 7.5%" (they read "2%, 5%, 8%" before)
    assert [ticks(v, 0) for v in (0.025, 0.05, 0.075)] == ["2.5%", "5%", "7.5%"]
