"""docs/appointment_log.md runs as written: its csv example and every `jobsim` command in its bash blocks,
in order, in a fresh folder; and the worked example's calibration finds the run's lead effect (issue 14)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from jobsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "appointment_log.md"


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_doc_has_the_examples_it_promises():
    assert len(blocks("csv")) == 1
    commands = [line for b in blocks("bash") for line in b.splitlines() if line.startswith("jobsim ")]
    assert any("--columns" in c and "--noshow-column" in c for c in commands)
    assert any("--with" in c for c in commands)


@pytest.mark.slow
def test_the_commands_in_the_doc_run_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.csv").write_text(blocks("csv")[0], encoding="utf-8")
    commands = [line for b in blocks("bash") for line in b.splitlines() if line.startswith(("jobsim ", "python -c "))]
    # the first block calibrates a user's own file, which the docs do not ship: it stands for the others
    ran = 0
    for command in commands:
        argv = shlex.split(command)
        if "our_bookings.csv" in command or "our_jobcenter.toml" in command:
            continue
        if argv[0] == "python":
            res = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True)
            assert res.returncode == 0, (command, res.stderr)
        else:
            assert main(argv[1:]) == 0, (command, capsys.readouterr().err)
        ran += 1
    assert ran == 6
    out = capsys.readouterr().out
    assert "not estimated" in out                       # the four-row export is too small, and says so
    fragment = (tmp_path / "outputs" / "laerkevej-calibrated.toml").read_text(encoding="utf-8")
    value = float(re.search(r"^noshow_lead_odds_ratio_31_plus_days = ([0-9.]+)", fragment, flags=re.M).group(1))
    low, high = map(float, re.search(r"^noshow_lead_odds_ratio_31_plus_days = .*95% CI ([0-9.]+) to ([0-9.]+)",
                                     fragment, flags=re.M).groups())
    assert low <= 2.5 <= high and low <= value <= high   # the run's lead band, found
    scenario = (tmp_path / "outputs" / "calibrated" / "scenario.toml").read_text(encoding="utf-8")
    assert "noshow_lead_odds_ratio_31_plus_days = " in scenario and "# estimated from appointment_log.csv" in scenario


@pytest.mark.slow
def test_the_doc_shows_what_its_commands_print(tmp_path):
    # every output block of the worked examples is what docs/appointment_log_examples.py gets by running them
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import appointment_log_examples as examples
    finally:
        sys.path.pop(0)
    doc = DOC.read_text(encoding="utf-8")
    texts = examples.outputs(doc, tmp_path)
    assert set(texts) == set(re.findall(r"<!-- output of: (\w+) -->", doc))
    assert examples.update(doc, texts) == doc


def test_the_calibrate_benchmark_runs_and_prints_its_figures():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "calibrate_benchmark.py"), "--workers", "3"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "calibration in all:" in res.stdout and "bookings," in res.stdout
