"""The figure fixes of issue 13: follow-up grouped by what moves it, a readable scale for one-sided
differences, follow-up gaps in bands, the quick-run mark, lists in the figure's language."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from jobsim.report import style
from jobsim.report.words import and_list
from jobsim.studies import caseload, noshow, odense, script

from test_noshow import _diffs  # the synthetic differences of the no-show tests (same folder)


def _followup_summary(ahead_shift: float = 0.0) -> pd.DataFrame:
    rows = []
    for policy in ("after_checkin", "ahead", "none", "confirmed_ahead"):
        for c, gap, over in ((40.0, 64.0, 0.05), (220.0, 86.0, 0.40)):
            lower = 0.8 if policy == "confirmed_ahead" else 1.0  # reminders cut no-shows, so rebookings
            shift = ahead_shift if policy == "ahead" else 0.0
            for kpi, m in (("followup_gap_days_mean", gap * lower + 100 * shift),
                           ("followup_gap_days_p90", 1.2 * gap * lower + 100 * shift),
                           ("overdue_share", over * lower + shift), ("prepared_share", 0.5),
                           ("prep_minutes_mean", 10.0), ("casework_coverage", 0.9)):
                rows.append({"caseload": c, "prep_policy": policy, "kpi": kpi, "mean": m, "ci_low": m - 0.002,
                             "ci_high": m + 0.002, "n": 20})
    return pd.DataFrame(rows)


def test_followup_is_drawn_by_sms_reminders_when_the_other_policies_coincide():
    out, by, merged = caseload.followup_by_reminders(_followup_summary())
    assert by == "sms_reminders" and merged == ["after_checkin", "ahead", "none"]
    assert sorted(out["sms_reminders"].unique()) == [False, True]
    assert set(out["kpi"]) == set(caseload.FOLLOWUP_KPIS) and "prep_policy" not in out.columns
    figs = caseload.caseload_figures(_followup_summary(), None, "en", caption_text="Scenario 'x'.")
    fig = figs["caseload_followup"]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["SMS reminders: no", "SMS reminders: yes"]
    assert fig.texts[-1].get_text().startswith("Follow-up does not depend on how caseworkers prepare: the 3 policies")


def test_followup_keeps_the_policies_apart_when_they_differ():
    out, by, merged = caseload.followup_by_reminders(_followup_summary(ahead_shift=0.05))
    assert by == "prep_policy" and merged == [] and len(out) == len(_followup_summary())


def test_one_sided_differences_get_a_scale_over_their_own_range():
    fig = noshow.noshow_figure(_diffs(), "prepared_share", "en")
    mesh = fig.axes[0].collections[0]
    fig.canvas.draw()
    assert (mesh.norm.vmin, mesh.norm.vmax) == pytest.approx((-98.0, -90.0))
    faces = {mcolors.to_hex(c) for c in mesh.get_facecolors()}
    assert len(faces) >= 5  # six cells, no longer one dark red
    both = noshow.noshow_figure(_diffs(), "casework_coverage", "en")  # 0 and gains: the symmetric scale
    norm = both.axes[0].collections[0].norm
    assert norm.vmin == -norm.vmax


def test_gap_bands_share_the_gaps_of_each_scenario():
    gaps = pd.DataFrame({"scenario": ["odense_frikommune"] * 5 + ["odense_2017"] * 2,
                         "gap_days": [50.0, 100.0, 200.0, 400.0, 3.0, 30.0, 91.0],
                         "first": [False] * 4 + [True] + [False] * 2})
    fig, ax = style.new_figure()
    shares = odense.gap_bands(ax, gaps, "da")
    assert shares.loc["odense_frikommune"].tolist() == [0.25, 0.25, 0.25, 0.25]  # the first conversation left out
    assert shares.loc["odense_2017"].tolist() == [1.0, 0.0, 0.0, 0.0]  # 91 days is within the law
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "over et år"
    assert "25\u00a0%" in [t.get_text() for t in ax.texts]


def test_a_quick_runs_figure_carries_the_mark_instead_of_its_finding(tmp_path):
    fig, ax = style.new_figure()
    fig.suptitle("A finding from three points")
    script.save_figure(fig, tmp_path, "x", quick=True, lang="da")
    assert fig._suptitle.get_text().replace("\n", " ").startswith("HURTIG PRØVEKØRSEL, IKKE ET RESULTAT")
    assert fig._suptitle.get_color() == style.QUICK_COLOUR
    assert (tmp_path / "x.png").exists() and (tmp_path / "x.svg").exists()
    fig, ax = style.new_figure()
    fig.suptitle("A finding")
    script.save_figure(fig, tmp_path, "y")
    assert fig._suptitle.get_text() == "A finding"


def test_lists_are_joined_in_the_figures_language():
    assert and_list(["'ds_norm'", "'laerkevej'"], "da") == "'ds_norm' og 'laerkevej'"
    assert and_list(["a", "b", "c"], "en") == "a, b and c"
