"""``jobsim validate``: the table, the files, exit codes (quick mode)."""

import pandas as pd

from jobsim.cli import main
from jobsim.validation.run import CSV_COLUMNS
from jobsim.validation.targets import load_targets


def test_validate_writes_csv_figures_and_exits_0_with_targets_outside(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JOBSIM_QUICK", "1")
    out = tmp_path / "v"
    assert main(["validate", "--replications", "2", "--jobs", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "model mean [95% CI]" in printed and "quick mode" in printed
    table = pd.read_csv(out / "validation.csv")
    assert tuple(table.columns) == CSV_COLUMNS
    assert list(table.target) == [t.id for t in load_targets()]
    assert list(table.role) == [t.role for t in load_targets()]
    assert "verification" in printed and "calibration" in printed   # the role column of the printed table
    assert set(table.verdict) <= {"inside", "outside", "not available"}
    assert "outside" in set(table.verdict)  # exit 0 all the same: a finding, not a crash
    for name in ("validation_en.png", "validation_da.png", "validation_en.svg", "validation_runs.csv", "manifest.json"):
        assert (out / name).stat().st_size > 0
    runs = pd.read_csv(out / "validation_runs.csv")
    assert len(runs) == 2 * len(table)


def test_bad_options_exit_2_with_one_line(tmp_path, capsys):
    assert main(["validate", "--replications", "1"]) == 2
    assert "2 or more" in capsys.readouterr().err
    assert main(["validate", "--jobs", "x"]) == 2
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_text("x")
    assert main(["validate", "--out", str(tmp_path / "full")]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "Traceback" not in err
