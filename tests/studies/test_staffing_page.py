"""The staffing section of docs/experiments_caseload_cost.md holds exactly what its stored runs give (the team the
model needs), and the stored runs are the model's."""

from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim.report.docblocks import read_block, write_blocks
from jobsim.studies import staffing

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = DOCS / "experiments_caseload_cost.md"
RUNS = DOCS / "staffing_runs.csv"


def _blocks(runs):
    return staffing.page_blocks(runs, 10_000, 600_000)


def test_the_page_holds_exactly_the_block_its_stored_runs_render_to():
    assert read_block(PAGE.read_text(encoding="utf-8"), "staffing_team") == _blocks(pd.read_csv(RUNS))["staffing_team"]


def test_a_number_edited_by_hand_on_the_page_fails_the_check():
    doc = PAGE.read_text(encoding="utf-8")
    block = read_block(doc, "staffing_team")
    edited = write_blocks(doc, {"staffing_team": block.replace("caseworkers**", "caseworkers** (about)", 1)})
    assert read_block(edited, "staffing_team") != _blocks(pd.read_csv(RUNS))["staffing_team"]


def test_the_numbers_come_from_the_stored_runs():
    runs = pd.read_csv(RUNS)
    more_late = runs.assign(overdue_share=runs["overdue_share"] * 1.5)
    assert _blocks(more_late)["staffing_team"] != _blocks(runs)["staffing_team"]
    team = staffing.team_needed(runs, 10_000, 600_000, policy="ahead")
    assert f"**{team.workers:,.0f} caseworkers**" in _blocks(runs)["staffing_team"]


def test_the_stored_run_is_the_model_run_of_today():
    """Replication 0 at 130 cases preparing ahead, run again, gives the stored figures (to the CSV's 6 digits)."""
    runs = pd.read_csv(RUNS)
    row = runs[(runs["caseload"] == 130) & (runs["prep_policy"] == "ahead") & (runs["replication"] == 0)].iloc[0]
    scenario = jobsim.load_scenario("ds_norm", caseload=130.0, prep_policy="ahead")
    kpis = jobsim.simulate(scenario, seed=int(row["seed"]), replication=0, tables=False).kpis
    for kpi in ("overdue_share", "prepared_share", "casework_coverage"):
        assert kpis[kpi] == pytest.approx(row[kpi], rel=1e-5), kpi


ASSUMPTION_RUNS = DOCS / "staffing_assumption_runs.csv"


def _range(runs):
    return staffing.range_block(runs, 10_000, 600_000)["staffing_range"]


def test_the_page_holds_the_team_across_the_assumptions_its_stored_runs_render_to():
    runs = pd.read_csv(ASSUMPTION_RUNS, dtype={"value": str})
    assert read_block(PAGE.read_text(encoding="utf-8"), "staffing_range") == _range(runs)
    assert set(runs["assumption"]) == {"time budget", "desk rule"}
    assert set(runs.loc[runs["assumption"] == "desk rule", "value"]) == set(staffing.DESK_RULES)
    # the time budgets are draws of the shipped posterior: each stored particle's budget is that row's
    draws = runs[runs["assumption"] == "time budget"].drop_duplicates("value")
    assert len(draws) == 10 and (draws["particle"] >= 0).all()


def test_the_range_comes_from_the_stored_runs():
    runs = pd.read_csv(ASSUMPTION_RUNS, dtype={"value": str})
    teams = staffing.assumption_teams(runs, 10_000, 600_000)
    budget = teams[teams["assumption"] == "time budget"]
    low, high = f"{budget['rule_workers'].min():,.0f}", f"{budget['rule_workers'].max():,.0f}"
    assert (f"rule alone takes {low} caseworkers" if low == high else f"rule alone takes {low}–{high}") in _range(runs)
    later = runs.assign(overdue_share=runs["overdue_share"] * 1.5)
    assert _range(later) != _range(runs)


def test_posterior_draws_are_weighted_rows_of_the_shipped_posterior_and_repeat():
    from jobsim.studies.timeuse import posterior_draws

    a, b = posterior_draws(5, seed=3), posterior_draws(5, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert "particle" in a and "direct_contact_share" not in a and "weight" not in a
    scenario = jobsim.load_scenario("ds_norm", **{k: float(v) for k, v in a.iloc[0].items() if k != "particle"})
    assert scenario.documentation_minutes == pytest.approx(a.iloc[0]["documentation_minutes"])
