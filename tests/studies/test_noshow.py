"""jobsim.studies.noshow: paired differences, the heatmaps and their finding titles."""


import doctest
import math

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import jobsim  # noqa: E402
from jobsim.report import words  # noqa: E402
from jobsim.studies import intervals, noshow  # noqa: E402

SMALL = dict(workers=2, horizon_days=28, warmup_days=7)




def test_docstring_examples():
    assert doctest.testmod(noshow).failed == 0


# ------------------------------------------------------------------ no-show sensitivity

@pytest.mark.parametrize("p", [0.0, 0.005, 0.02, 0.05, 0.15, 0.4, 0.5, 0.9, 0.999, 1.0])
def test_noshow_spread_is_capped_and_always_valid(p):
    spread = noshow.noshow_spread_for(p)
    assert spread <= 0.15
    assert spread <= 0.9 * math.sqrt(p * (1 - p)) + 1e-12
    jobsim.Scenario(noshow_probability=p, noshow_spread=spread)  # the scenario accepts it


def test_noshow_spread_is_the_cap_across_the_default_grid():
    assert {noshow.noshow_spread_for(p) for p in noshow.NOSHOW_PROBABILITIES} == {0.15}


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
    t["excludes_zero"] = intervals.excludes_zero(t)
    return t


def test_heatmap_has_one_cell_and_one_label_per_grid_point_and_frames_significant_cells():
    cells = _cells([0.0, 0.04, 0.03, 0.0, 0.06, -0.01], [False, True, True, False, True, False])
    fig, ax = plt.subplots()
    mesh = noshow.difference_heatmap(ax, cells)
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
    title = noshow.finding_noshow(_diffs(), "casework_coverage")
    assert "from 60 cases up" in title
    assert "+5.0 points" in title and "30% no-shows, 60 cases" in title
    assert "more the more citizens miss" in title and "SMS reminders shrink the gain" in title
    prepared = noshow.finding_noshow(_diffs(), "prepared_share")
    assert "90–98 points" in prepared and ": 2% are fully prepared, against 92%–100%" in prepared


def test_a_certain_but_negligible_gain_does_not_set_the_threshold_and_is_written_with_two_places():
    d = _diffs()
    cov = d["kpi"] == "casework_coverage"
    tiny = cov & (d["caseload"] == 60.0)
    d.loc[tiny, "mean"] = 0.0003                             # +0.03 points, interval excluding 0
    d.loc[tiny, "ci_low"], d.loc[tiny, "ci_high"] = 0.0001, 0.0005
    d["excludes_zero"] = intervals.excludes_zero(d)
    assert "from 220 cases up" in noshow.finding_noshow(d, "casework_coverage")
    assert "from 60 cases up" in noshow.finding_noshow(d, "casework_coverage", min_gain=0.01)
    fig, ax = plt.subplots()
    noshow.difference_heatmap(ax, d[cov & ~d["sms_reminders"]])
    assert sorted(t.get_text() for t in ax.texts) == sorted(["0.0", "+0.03", "+2.0", "0.0", "+0.03", "+3.0"])


def test_finding_says_so_when_the_rule_never_pays():
    d = _diffs()
    d.loc[d["kpi"] == "casework_coverage", "excludes_zero"] = False
    assert noshow.finding_noshow(d, "casework_coverage") == words.phrase("coverage_title_none")


@pytest.mark.parametrize("lang", ["en", "da"])
def test_noshow_figure_has_two_heatmaps_sharing_one_colour_scale(lang):
    fig = noshow.noshow_figure(_diffs(), "casework_coverage", lang, caption_text="caption", sms_effect=0.3)
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
    results = noshow.noshow_sweep(base, probabilities=(0.01, 0.2), caseloads=(40.0, 160.0), replications=2,
                                    progress=False)
    assert [r.scenario.noshow_spread for r in results] == [round(0.9 * math.sqrt(0.01 * 0.99), 6), 0.15]
    runs = noshow.noshow_runs(results)
    assert len(runs) == 2 * 2 * 2 * 2 * 2                     # p x caseload x SMS x policy x replications
    diffs = noshow.noshow_differences(results)
    assert len(diffs) == 2 * 2 * 2 * 2                        # KPI x p x caseload x SMS
    assert (diffs["n"] == 2).all()
    # the difference is after_checkin minus ahead, paired by replication, computed by hand
    row = diffs[(diffs["kpi"] == "prepared_share") & (diffs["noshow_probability"] == 0.2)
                & (diffs["caseload"] == 160.0) & ~diffs["sms_reminders"]].iloc[0]
    sel = runs[(runs["noshow_probability"] == 0.2) & (runs["caseload"] == 160.0) & ~runs["sms_reminders"]]
    pivot = sel.pivot(index="replication", columns="prep_policy", values="prepared_share")
    assert row["mean"] == pytest.approx((pivot["after_checkin"] - pivot["ahead"]).mean())
    assert row["mean"] < -0.25                                # preparing after check-in prepares far less


def test_the_casework_finding_names_the_desk_rule_it_depends_on():
    plain = noshow.finding_noshow(_diffs(), "casework_coverage")
    with_rule = noshow.finding_noshow(_diffs(), "casework_coverage", desk_rule="edf")
    assert with_rule == plain + " (desk rule edf; under casework_first there is no gain)"
    assert noshow.finding_noshow(_diffs(), "casework_coverage", "da", desk_rule="edf").endswith(
        "(skrivebordsregel edf; med casework_first vindes intet)")
    # the preparation loss depends on the rule too: preparing ahead prepares almost nothing under casework_first
    plain = noshow.finding_noshow(_diffs(), "prepared_share")
    assert noshow.finding_noshow(_diffs(), "prepared_share", desk_rule="edf") == plain + (
        " (desk rule edf; under casework_first, preparing ahead also leaves almost every conversation unprepared from "
        "about 80 cases up, so there is little to lose)")
    assert noshow.finding_noshow(_diffs(), "prepared_share", "da", desk_rule="prep_first").endswith(
        "(skrivebordsregel prep_first; med casework_first bliver næsten ingen samtaler forberedt fra omkring 80 "
        "sager og op, heller ikke ved forberedelse på forhånd, så der er næsten intet at tabe)")
    assert noshow.finding_noshow(_diffs(), "prepared_share", desk_rule="casework_first") == plain


def test_a_preparation_title_does_not_call_a_gain_a_cost():
    """Under casework_first the Lærkevej rule can prepare slightly more than preparing ahead: the title gives the
    change, with signs, not "costs -2-98 points in every cell"."""
    d = _diffs()
    prep = d["kpi"] == "prepared_share"
    d.loc[prep & (d["caseload"] == d.loc[prep, "caseload"].max()), "mean"] = 0.02
    title = noshow.finding_noshow(d, "prepared_share", desk_rule="casework_first")
    assert title.startswith("The Lærkevej rule changes fully prepared conversations by -98 to +2 points across "
                            "the cells: 2% are fully prepared")
    assert "costs" not in title
    assert noshow.finding_noshow(d, "prepared_share", "da").startswith(
        "Lærkevej-reglen ændrer andelen af fuldt forberedte samtaler med -98 til +2 point på tværs af cellerne")
