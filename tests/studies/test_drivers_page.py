"""jobsim.studies.drivers_page writes the what-drives page's numbers from a finished run's files.

The files under tests/studies/data/what_drives_the_answers/ come from a --quick run (2 caseworkers, 8 weeks),
stored with :func:`drivers_page.store`; they are a fixture, not findings.
"""

import shutil
from pathlib import Path

import pandas as pd

from jobsim.report.docblocks import read_block
from jobsim.studies import drivers_page

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "research" / "what_drives_the_answers_template.md"


def test_the_run_sentence_states_the_design_and_counts_its_runs():
    text = drivers_page.blocks(DATA)["drivers_run"]
    # Morris 3 x (34 + 1) = 105 points x 2 replications, Sobol 8 x (2 x 5 + 2) = 96 points x 1, at 2 caseloads;
    # 3 desk rules x 3 replications at 2 caseloads: 2 x (210 + 96) + 18 = 630
    assert "r = 3 trajectories over the 34 assumptions of the ranges (105 points)" in text
    assert "Sobol with N = 8 for the 5 most influential (96 points) and 1 replication;" in text
    assert "630 runs in all" in text


def test_the_table_names_the_largest_mu_star_first_with_its_value():
    table = drivers_page.blocks(DATA)["drivers_table"]
    drivers = pd.read_csv(DATA / drivers_page.FOLDER / "drivers.csv")
    m = drivers[(drivers["stage"] == "morris") & (drivers["index"] == "mu_star") & (drivers["caseload"] == 82.0)
                & (drivers["kpi"] == "overdue_share")].sort_values("value", ascending=False).iloc[0]
    row = next(line for line in table.splitlines() if line.startswith("| share of conversations overdue"))
    assert row.split(" | ")[1].startswith(f"μ*: `{m['parameter']}` ({m['value']:.3f})")


def test_the_numbers_come_from_the_stored_run(tmp_path):
    """A stored index changed gives a different table: the renderer types no number of its own."""
    shutil.copytree(DATA / drivers_page.FOLDER, tmp_path / drivers_page.FOLDER)
    table = pd.read_csv(tmp_path / drivers_page.FOLDER / "drivers.csv")
    table.loc[table["index"] == "mu_star", "value"] *= 2
    table.to_csv(tmp_path / drivers_page.FOLDER / "drivers.csv", index=False)
    before, after = drivers_page.blocks(DATA), drivers_page.blocks(tmp_path)
    assert before["drivers_table"] != after["drivers_table"]
    assert before["drivers_run"] == after["drivers_run"]


def test_the_template_page_takes_every_block(tmp_path):
    page = tmp_path / drivers_page.PAGE
    shutil.copyfile(TEMPLATE, page)
    shutil.copytree(DATA / drivers_page.FOLDER, tmp_path / drivers_page.FOLDER)
    drivers_page.update_page(page, drivers_page.blocks(tmp_path))
    doc = page.read_text(encoding="utf-8")
    for name, text in drivers_page.blocks(tmp_path).items():
        assert read_block(doc, name) == text, name


def test_a_folder_without_a_finished_run_is_refused_in_one_line(tmp_path, capsys):
    assert drivers_page.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: {tmp_path}: no findings.json; finish a run of experiments/what_drives_the_answers.py "
                   "first\n")


def test_a_page_without_the_blocks_is_refused_in_one_line_before_anything_is_written(tmp_path, capsys):
    run = tmp_path / "run"
    shutil.copytree(DATA / drivers_page.FOLDER, run)
    (run / "manifest.json").write_text("{}")
    (tmp_path / drivers_page.PAGE).write_text("# a page without blocks\n", encoding="utf-8")
    assert drivers_page.main([str(run), "--docs", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / drivers_page.PAGE}: no block marked '<!-- output of: "
                                       "drivers_run -->'; start from docs/research/what_drives_the_answers_template.md\n")
    assert not (tmp_path / drivers_page.FOLDER).exists()
