"""docs/experiments_does_it_pay.md holds exactly what its stored tables (docs/does_it_pay_results/) render to."""

from pathlib import Path

import pandas as pd
import pytest

from jobsim.report.docblocks import read_block, write_blocks
from jobsim.studies import payback

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGE = DOCS / "experiments_does_it_pay.md"
STORED = DOCS / "does_it_pay_results"


def test_the_page_holds_exactly_the_blocks_its_stored_tables_render_to():
    doc = PAGE.read_text(encoding="utf-8")
    blocks = payback.page_blocks(STORED, 1100.0)
    assert set(blocks) == {"does_it_pay_results", "does_it_pay_team", "does_it_pay_cases"}
    for name, text in blocks.items():
        assert read_block(doc, name) == text, name


def test_a_number_edited_by_hand_fails_and_the_numbers_come_from_the_tables(tmp_path):
    doc = PAGE.read_text(encoding="utf-8")
    block = read_block(doc, "does_it_pay_results")
    edited = write_blocks(doc, {"does_it_pay_results": block.replace("caseworkers", "staff", 1)})
    assert read_block(edited, "does_it_pay_results") != payback.page_blocks(STORED, 1100.0)["does_it_pay_results"]
    for name in payback.RESULT_TABLES:
        (tmp_path / f"{name}.csv").write_bytes((STORED / f"{name}.csv").read_bytes())
    best = pd.read_csv(tmp_path / "break_even.csv")
    best["best_saving_dkk"] += 1e6
    best.to_csv(tmp_path / "break_even.csv", index=False)
    before, after = payback.page_blocks(STORED, 1100.0), payback.page_blocks(tmp_path, 1100.0)
    assert before["does_it_pay_results"] != after["does_it_pay_results"]
    assert before["does_it_pay_team"] == after["does_it_pay_team"]


def test_the_team_is_read_per_replication_between_team_sizes():
    # two replications over teams of 5, 10 and 20: overdue crosses 10% between 10 (8%, 6%) and 5 (30%) caseworkers
    runs = pd.DataFrame([{"exit_effect": 1.0, "replication": r, "workers": w, "overdue_share": o,
                          "prepared_share": 0.95}
                         for r, o10 in enumerate((0.08, 0.06)) for w, o in ((5, 0.30), (10, o10), (20, 0.02))])
    net = pd.DataFrame({"exit_effect": 1.0, "workers": [5, 10, 20], "net_dkk": [10e6, 12e6, 18e6]})
    team = payback.team_table(runs, net).iloc[0]
    # going down from 10 to 5 caseworkers, x = -workers: -10 + 5 x (0.10 - o10) / (0.30 - o10)
    expected = [10 - 5 * (0.10 - o) / (0.30 - o) for o in (0.08, 0.06)]
    assert team["workers"] == pytest.approx(sum(expected) / 2)
    assert team["net_dkk"] == pytest.approx(12e6 - (10 - team["workers"]) / 5 * 2e6)
    assert (team["censored"], team["failed"]) == (0, 0)
