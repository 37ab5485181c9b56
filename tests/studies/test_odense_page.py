"""The Odense section of docs/experiments_noshow_odense_week.md holds exactly what its stored runs give, and the
stored runs are the model's."""

from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim.studies import odense
from jobsim.report.docblocks import read_block

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = DOCS / "experiments_noshow_odense_week.md"


def test_the_page_holds_exactly_the_blocks_its_stored_runs_render_to():
    doc = PAGE.read_text(encoding="utf-8")
    blocks = odense.page_blocks(DOCS)
    assert set(blocks) == {"odense_comparison", "odense_need", "odense_staffing", "odense_made"}
    for name, text in blocks.items():
        assert read_block(doc, name) == text, name


def test_the_numbers_come_from_the_stored_runs(tmp_path):
    """A stored figure changed gives a different page text: the renderer types no number of its own."""
    for name in ("odense_runs.csv", "odense_answer.json"):
        (tmp_path / name).write_bytes((DOCS / name).read_bytes())
    runs = pd.read_csv(tmp_path / "odense_runs.csv")
    runs.loc[(runs["study"] == "comparison") & (runs["scenario"] == "odense_frikommune"),
             "no_contact_over_year_count"] += 1000
    runs.to_csv(tmp_path / "odense_runs.csv", index=False)
    before, after = odense.page_blocks(DOCS), odense.page_blocks(tmp_path)
    assert before["odense_comparison"] != after["odense_comparison"]
    assert before["odense_need"] == after["odense_need"]       # the grid's runs were not touched


def test_the_stored_exemption_run_is_the_model_run_of_today():
    """Replication 0 of the exemption, run again, gives the stored figures (to the CSV's 6 digits)."""
    runs = pd.read_csv(DOCS / "odense_runs.csv")
    row = runs[(runs["study"] == "comparison") & (runs["scenario"] == "odense_frikommune")
               & (runs["replication"] == 0)].iloc[0]
    kpis = jobsim.simulate(jobsim.load_scenario("odense_frikommune"), seed=int(row["seed"]), replication=0,
                           tables=False).kpis
    for kpi in ("no_contact_over_year_count", "no_contact_over_year_pre_run_count", "need_wait_days_mean",
                "overdue_share"):
        assert kpis[kpi] == pytest.approx(row[kpi], rel=1e-5), kpi


def test_the_exemption_has_no_assumed_share_of_citizens_without_follow_up():
    s = jobsim.load_scenario("odense_frikommune")
    assert s.followup_by == "need"
    assert "no_followup_share" not in type(s).model_fields
