"""jobsim.report.charts: lines, bands, reference marks, captions, time-use bars, titles and standard_figures.

Most tests draw from a small hand-made summary (known numbers, so titles and
crossings can be checked exactly); standard_figures runs on a tiny real sweep.
"""

import re

import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import jobsim  # noqa: E402
from conftest import CASELOADS, MEANS, POLICIES, legend_texts, make_summary, worker_days  # noqa: E402
from jobsim.report import charts, style, words  # noqa: E402
from jobsim.report.words import activity_label, kpi_label, parameter_label, policy_label, word  # noqa: E402

@pytest.fixture
def summary():
    return make_summary()




# ------------------------------------------------------------------ line_with_bands

def test_line_with_bands_draws_one_line_and_one_band_per_policy_with_labelled_axes(summary):
    fig, ax = style.new_figure()
    lines = charts.line_with_bands(ax, summary, "caseload", "prepared_share", by="prep_policy")
    assert len(lines) == 2 and len(ax.get_lines()) == 2
    assert len(ax.collections) == 2  # one shaded band per policy
    assert ax.get_xlabel() == parameter_label("caseload") == "Caseload (citizens per caseworker)"
    assert ax.get_ylabel() == kpi_label("prepared_share")
    assert legend_texts(ax.get_legend()) == [policy_label("after_checkin"), policy_label("ahead")]
    assert ax.get_legend().get_title().get_text() == parameter_label("prep_policy")
    np.testing.assert_allclose(lines[1].get_ydata(), MEANS["prepared_share"]["ahead"])
    # the band spans ci_low..ci_high
    band = ax.collections[1].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.93 - 0.01)
    assert band[:, 1].max() == 1.0  # a share's band stops at 100% (the t interval reaches 101%)


def test_policy_colours_are_the_same_in_every_figure_whatever_the_order(summary):
    fig, ax1 = style.new_figure()
    charts.line_with_bands(ax1, summary, "caseload", "prepared_share", by="prep_policy")
    reordered = summary.iloc[::-1]
    fig, ax2 = style.new_figure()
    charts.line_with_bands(ax2, reordered, "caseload", "overdue_share", by="prep_policy")
    colour = {line.get_label(): line.get_color() for ax in (ax1, ax2) for line in ax.get_lines()}
    assert colour[policy_label("after_checkin")] == style.POLICY_COLOURS["after_checkin"] == "#D55E00"
    assert colour[policy_label("ahead")] == style.POLICY_COLOURS["ahead"] == "#0072B2"
    assert len(set(style.POLICY_COLOURS.values())) == 4


def test_line_with_bands_in_danish(summary):
    fig, ax = style.new_figure()
    charts.line_with_bands(ax, summary, "caseload", "overdue_share", by="prep_policy", lang="da")
    assert ax.get_xlabel() == "Sagstal (borgere pr. sagsbehandler)"
    assert ax.get_ylabel() == "Andel samtaler afholdt for sent"
    assert legend_texts(ax.get_legend()) == ["Forberedelse efter check-in (Lærkevej)", "Forberedelse på forhånd"]
    fig.canvas.draw()
    assert any(t.get_text().endswith("\u00a0%") for t in ax.get_yticklabels())  # "10 %", Danish style


def test_line_with_bands_without_groups_draws_one_line_and_no_legend(summary):
    one = summary[summary["prep_policy"] == "ahead"].drop(columns="prep_policy")
    fig, ax = style.new_figure()
    lines = charts.line_with_bands(ax, one, "caseload", "prep_minutes_mean")
    assert len(lines) == 1 and len(ax.collections) == 1 and ax.get_legend() is None
    assert ax.get_ylabel() == "Preparation per conversation (minutes)"


def test_line_with_bands_refuses_to_mix_scenario_points(summary):
    fig, ax = style.new_figure()
    with pytest.raises(ValueError, match="prep_policy"):
        charts.line_with_bands(ax, summary, "caseload", "prepared_share")
    with pytest.raises(ValueError, match="not in the summary"):
        charts.line_with_bands(ax, summary, "caseload", "utilization", by="prep_policy")


def test_line_with_bands_with_a_policy_axis_labels_ticks_with_policy_labels(summary):
    at_220 = summary[summary["caseload"] == 220.0].drop(columns="caseload")
    fig, ax = style.new_figure()
    lines = charts.line_with_bands(ax, at_220, "prep_policy", "prepared_share")
    assert len(lines) == 2  # one point with a CI bar per policy, each in its policy colour
    assert [line.get_color() for line in lines] == [style.POLICY_COLOURS[p] for p in POLICIES]
    ticks = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert ticks == [policy_label(p) for p in POLICIES]


# ------------------------------------------------------------------ marks, caption

def test_reference_caseloads_are_shaded_and_in_the_legend(summary):
    fig, ax = style.new_figure()
    charts.line_with_bands(ax, summary, "caseload", "overdue_share", by="prep_policy")
    charts.mark_reference_caseloads(ax)
    texts = legend_texts(ax.get_legend())
    assert texts[-2:] == [word("ds_band"), word("laerkevej")] == ["DS recommendation (40–50)", "Lærkevej (220)"]
    assert ax.get_legend().get_title().get_text() == parameter_label("prep_policy")
    span = [p for p in ax.patches if p.get_label() == word("ds_band")][0]
    assert (span.get_bbox().x0, span.get_bbox().x1) == (40.0, 50.0)
    line = [ln for ln in ax.get_lines() if ln.get_label() == word("laerkevej")][0]
    assert tuple(line.get_xdata()) == (220.0, 220.0)


def test_reference_caseloads_in_danish():
    fig, ax = style.new_figure()
    charts.mark_reference_caseloads(ax, lang="da")
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["DS' anbefaling (40–50)", "Lærkevej (220)"]


def test_caption_sits_below_the_legend_and_names_scenario_replications_seed_version(summary):
    fig = charts.kpi_panels(summary, "caseload", ["prepared_share", "overdue_share"], "prep_policy")
    text = style.run_caption("ds_norm", 20, 7)
    assert text == f"Scenario 'ds_norm'; 20 replications per point, seed 7; mean and 95% confidence interval " \
                   f"(shares kept within 0–100%, none from under 3 replications); jobsim {jobsim.__version__}."
    cap = style.caption(fig, text)
    assert cap.get_text().replace("\n", " ") == text  # wrapped to the figure, nothing lost
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    cap_box = cap.get_window_extent(renderer)
    legend_box = fig.legends[0].get_window_extent(renderer)
    assert cap_box.y1 < legend_box.y0  # under the legend, not over it
    assert cap.get_fontsize() < 10


# ------------------------------------------------------------------ panels and titles

def test_kpi_panels_one_panel_per_kpi_one_shared_legend_and_the_rule(summary):
    kpis = ["followup_gap_days_mean", "overdue_share", "casework_coverage"]
    fig = charts.kpi_panels(summary, "caseload", kpis, "prep_policy", rule_days=91, title="T")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [kpi_label(k) for k in kpis]
    assert [ax.get_ylabel() for ax in axes] == ["days", "%", "%"]
    assert all(ax.get_xlabel() == parameter_label("caseload") for ax in axes)
    assert len(fig.legends) == 1
    texts = legend_texts(fig.legends[0])
    assert texts[:2] == [policy_label(p) for p in POLICIES]  # policies first, then the marks
    assert "Follow-up rule: at most 91 days" in texts and word("ds_band") in texts
    assert fig.get_suptitle() == "T"
    # overdue and gap lines of both policies coincide: the panel says so
    notes = [t.get_text() for ax in axes for t in ax.texts]
    assert notes.count("Both policies lie on one line") == 3


def test_lines_coincide_only_when_they_would_hide_each_other_whatever_the_bands():
    def two_policies(a, b, half):
        return pd.DataFrame([{"caseload": c, "prep_policy": p, "kpi": "casework_coverage", "mean": m,
                              "ci_low": m - half, "ci_high": m + half, "n": 3}
                             for c in (40.0, 80.0) for p, m in (("ahead", a), ("after_checkin", b))])

    # 75% against 84%, with bands of +-12 points (a quick run): visibly two lines, so no note
    assert not charts.lines_coincide(two_policies(0.75, 0.84, 0.12), "caseload", "casework_coverage", "prep_policy")
    # the same means with narrow bands: still two lines
    assert not charts.lines_coincide(two_policies(0.75, 0.84, 0.01), "caseload", "casework_coverage", "prep_policy")
    # 2 points apart on a panel from 0 to 79% (its axis starts at 0): 2.5% of its height, two lines
    assert not charts.lines_coincide(two_policies(0.75, 0.77, 0.0), "caseload", "casework_coverage", "prep_policy")
    # 0.3 points apart on a panel from 0 to 77%: 0.4% of its height, less than a line's width: one line
    assert charts.lines_coincide(two_policies(0.750, 0.753, 0.02), "caseload", "casework_coverage", "prep_policy")
    # the same means: one line, whatever the bands
    assert charts.lines_coincide(two_policies(0.8, 0.8, 0.0), "caseload", "casework_coverage", "prep_policy")


def test_crossing_interpolates_between_points():
    assert charts.crossing([40, 100], [1.0, 0.5], 0.95) == pytest.approx(46.0)
    assert charts.crossing([40, 100, 160], [0.05, 0.06, 0.30], 0.10) == pytest.approx(110.0)
    assert charts.crossing([40, 100], [1.0, 0.99], 0.5) is None


# ------------------------------------------------------------------ time use

def test_time_use_table_is_minutes_per_caseworker_per_week_at_work():
    table = charts.time_use_table(worker_days())
    assert list(table.columns) == list(style.TIME_USE_ACTIVITIES)
    assert list(table.index) == [40.0, 220.0]
    # 9 worker-days at work = 1.8 caseworker-weeks; absent day left out, so 5 x daily minutes
    assert table.loc[40.0].tolist() == [500.0, 0.0, 200.0, 20.0, 200.0, 1000.0, 0.0, 300.0]
    assert table.loc[220.0, "idle"] == 0 and table.loc[220.0, "casework"] == 1300.0
    assert table.sum(axis=1).tolist() == [5 * 444.0, 5 * 444.0] == [charts.WEEK_MINUTES] * 2


def test_stacked_time_use_stacks_eight_activities_per_caseload_with_wasted_prep_in_its_own_colour():
    fig, ax = style.new_figure()
    table = charts.stacked_time_use(ax, worker_days())
    assert len(ax.patches) == 8 * 2
    labels = ax.get_legend_handles_labels()[1]
    assert labels == [activity_label(a) for a in style.TIME_USE_ACTIVITIES]
    assert legend_texts(ax.get_legend())[0] == "Idle"  # top of the stack first, as in the bars
    wasted = [p for p in ax.patches if p.get_label() == "Wasted preparation" or
              p.get_facecolor()[:3] == matplotlib.colors.to_rgb(style.ACTIVITY_COLOURS["wasted_prep"])]
    assert len(wasted) == 2 and len(set(style.ACTIVITY_COLOURS.values())) == 8
    tops = {}
    for p in ax.patches:
        x = round(p.get_x() + p.get_width() / 2, 6)
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert sorted(tops.values()) == [pytest.approx(2220.0)] * 2
    assert ax.get_xlabel() == parameter_label("caseload")
    assert ax.get_ylabel().startswith("Minutes per caseworker per week at work")
    assert table.shape == (2, 8)


# ------------------------------------------------------------------ cost frontier

# ------------------------------------------------------------------ standard figures

@pytest.fixture(scope="module")
def small_sweep():
    base = jobsim.load_scenario("ds_norm", workers=2, horizon_days=28, warmup_days=7)
    return jobsim.sweep(base, {"caseload": [40, 120], "prep_policy": ["ahead", "none"]}, replications=2,
                        progress=False)


def test_standard_figures_writes_png_and_svg_of_the_overview_and_each_key_kpi(small_sweep, tmp_path):
    paths = charts.standard_figures(small_sweep, tmp_path / "figs")
    names = {p.name for p in paths}
    assert {"overview.png", "overview.svg", "kpi_overdue_share.png", "kpi_prepared_share.svg"} <= names
    assert len(paths) == 2 * (1 + len(charts.KEY_KPIS))
    for p in paths:
        assert p.exists() and p.stat().st_size > 1000
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.get_fignums()  # every figure closed


def test_standard_figures_for_a_phone_stack_the_overview_panels_in_a_narrow_drawing(small_sweep, tmp_path):
    paths = charts.standard_figures(small_sweep, tmp_path, phone=True)
    assert {p.name for p in paths} >= {"overview_phone.png", "overview_phone.svg"}
    assert len(paths) == 2 * (2 + len(charts.KEY_KPIS))

    def view_box(name):   # (width, height) of the drawing, in points
        root = (tmp_path / name).read_text(encoding="utf-8")
        return [float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', root).groups()]

    (wide_w, _), (phone_w, phone_h) = view_box("overview.svg"), view_box("overview_phone.svg")
    # the phone drawing is PHONE_INCHES wide (72 points an inch), give or take what sticks out of the figure
    assert 0.9 * 72 * charts.PHONE_INCHES < phone_w < 1.25 * 72 * charts.PHONE_INCHES
    assert phone_w < 0.4 * wide_w
    assert phone_h > 2.5 * phone_w   # the panels one under another
    assert not plt.get_fignums()


def test_standard_figures_in_danish_uses_danish_words(small_sweep, tmp_path):
    paths = charts.standard_figures(small_sweep, tmp_path, lang="da")
    svg = (tmp_path / "overview.svg").read_text(encoding="utf-8")  # text is kept as comments
    assert "Sagstal (borgere pr. sagsbehandler)" in svg and "Forberedelsespolitik" in svg
    assert "Caseload" not in svg
    assert len(paths) == 2 * (1 + len(charts.KEY_KPIS))


def test_standard_figures_with_a_third_parameter_holds_it_fixed_and_says_so(tmp_path, monkeypatch):
    summary = make_summary().assign(sms_reminders=False)
    summary = pd.concat([summary, summary.assign(sms_reminders=True)], ignore_index=True)

    class Fake:
        varied = ["caseload", "prep_policy", "sms_reminders"]
        grid = {"caseload": list(CASELOADS), "prep_policy": list(POLICIES), "sms_reminders": [False, True]}
        scenario = jobsim.load_scenario("ds_norm")
        replications, seed = 20, 3

        def summary(self, confidence=0.95):
            return summary

    captions = []
    real_caption = style.caption
    monkeypatch.setattr(charts, "caption", lambda fig, text, **kw: captions.append(text) or real_caption(fig, text))
    paths = charts.standard_figures(Fake(), tmp_path)
    assert len(paths) == 2 * (1 + 5)  # overview + the five KPIs the summary has
    assert captions and all("Held fixed: SMS reminders = no." in c and "seed 3" in c for c in captions)


def test_standard_figures_of_a_partial_sweep_leave_out_points_without_runs(tmp_path, monkeypatch):
    summary = make_summary()
    summary.loc[summary["caseload"] == 220.0, ["mean", "sd", "ci_low", "ci_high"]] = np.nan
    summary.loc[summary["caseload"] == 220.0, "n"] = 0

    class Partial:
        varied = ["caseload", "prep_policy"]
        scenario = jobsim.load_scenario("ds_norm")
        replications, seed = 20, 0

        def summary(self, confidence=0.95):
            return summary

    titles = []
    real = charts.kpi_panels
    monkeypatch.setattr(charts, "kpi_panels", lambda *a, **kw: titles.append(kw.get("title")) or real(*a, **kw))
    charts.standard_figures(Partial(), tmp_path)
    assert titles[0] == "Above ~45 cases, casework no longer fits in the week; at 160 cases only 30% is done on time"
    assert not any("nan" in t.lower() for t in titles)


def test_docstring_examples_of_the_report_modules_run():
    import doctest

    for module in (charts, style, words):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
    assert doctest.testmod(charts).attempted > 0
