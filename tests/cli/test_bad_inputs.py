"""Bad input to the ``jobsim`` command line, table-driven: for each case the exit code, exactly one line on
stderr naming the field or file, no traceback, and earlier results byte-identical afterwards (issue 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jobsim.cli import main

TINY = ["--set", "horizon_days=28", "--set", "warmup_days=7", "--set", "workers=2"]
GOOD_TOML = 'name = "tiny"\nworkers = 2\nhorizon_days = 28\nwarmup_days = 7\n'

# (id, argv, exit code, text the one stderr line must contain); {w} is the working folder with earlier results
CASES = [
    ("unknown parameter", ["run", "laerkevej", "--set", "caseloda=60", "--out", "{w}/new"], 2,
     "caseloda: unknown parameter (did you mean 'caseload'?)"),
    ("wrong type", ["run", "laerkevej", "--set", "workers=two", "--out", "{w}/new"], 2,
     "workers: 'two' is not a valid value"),
    ("out of range", ["run", "laerkevej", "--set", "noshow_probability=1.5", "--out", "{w}/new"], 2,
     "noshow_probability:"),
    ("nan", ["run", "laerkevej", "--set", "caseload=nan", "--out", "{w}/new"], 2, "caseload: 'nan'"),
    ("utf-16 scenario", ["run", "{w}/utf16.toml", "--out", "{w}/new", "-q"], 0, None),
    ("binary file", ["run", "{w}/binary.toml", "--out", "{w}/new"], 2, "binary.toml: is not a text file"),
    ("folder as scenario", ["run", "{w}/results", "--out", "{w}/new"], 2, "results: is a folder"),
    ("empty-string scenario", ["run", "", "--out", "{w}/new"], 2, "scenario: expected a built-in scenario name"),
    ("seed -1", ["run", "laerkevej", "--seed", "-1", "--out", "{w}/new"], 2, "--seed: -1 is negative"),
    ("--out a file", ["run", "laerkevej", *TINY, "--out", "{w}/utf16.toml"], 2,
     "utf16.toml' exists and is not a folder"),
    ("--out a non-empty folder", ["run", "laerkevej", *TINY, "--out", "{w}/results"], 2,
     "results' is not empty; refusing to overwrite earlier results"),
    ("--out under a file", ["run", "laerkevej", *TINY, "--out", "{w}/utf16.toml/new"], 2,
     "cannot create '{w}/utf16.toml/new'"),
    # we run as root, for whom a read-only mode bit is no obstacle; /proc refuses everyone
    ("--out where nothing can be written", ["run", "laerkevej", *TINY, "--out", "/proc/jobsim-out"], 2,
     "--out: cannot create '/proc/jobsim-out'"),
    ("plot --out a file", ["plot", "{w}/sweep", "--out", "{w}/utf16.toml"], 2,
     "--out: '{w}/utf16.toml' exists and is not a folder"),
    ("plot into earlier figures", ["plot", "{w}/sweep"], 2,
     "figures: folder '{w}/sweep/figures' is not empty; refusing to overwrite earlier results"),
    ("check a binary among good files", ["check", "{w}/results/scenario.toml", "{w}/binary.toml",
                                         "{w}/utf16.toml"], 2, "binary.toml: is not a text file"),
]
#: cases also run through a separate process (the real exit code and stderr)
IN_A_PROCESS = {"binary file", "--out where nothing can be written", "check a binary among good files",
                "utf-16 scenario"}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A folder with earlier results (a run, a sweep with figures), a UTF-16 and a binary scenario file."""
    w = tmp_path_factory.mktemp("bad_inputs")
    (w / "utf16.toml").write_text(GOOD_TOML, encoding="utf-16")
    (w / "binary.toml").write_bytes(bytes(range(256)))
    assert main(["run", "laerkevej", *TINY, "--out", str(w / "results"), "-q"]) == 0
    assert main(["sweep", "ds_norm", *TINY, "--vary", "caseload=40,80", "-r", "2", "--out", str(w / "sweep"),
                 "-q"]) == 0
    assert main(["plot", str(w / "sweep")]) == 0
    return w


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_outcome(w: Path, before: dict[str, bytes], code: int, out: str, err: str, expected_code: int,
                  expected: str | None) -> None:
    assert code == expected_code, err
    assert "Traceback" not in err
    if expected is None:
        assert err == ""
        assert sorted(p.name for p in (w / "new").iterdir()) == [
            "citizens.csv", "kpis.csv", "manifest.json", "meetings.csv", "scenario.toml", "worker_days.csv"]
    else:
        lines = err.rstrip("\n").split("\n")
        assert len(lines) == 1, err
        assert expected.format(w=w) in lines[0], lines[0]
        assert not (w / "new").exists()
    after = snapshot(w)
    after = {k: v for k, v in after.items() if not k.startswith("new" + os.sep)}
    assert after == before  # earlier results untouched, nothing partial left


@pytest.mark.parametrize("argv, expected_code, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_in_process(work, capsys, argv, expected_code, expected):
    before = snapshot(work)
    code = main([a.format(w=work) for a in argv])
    out, err = capsys.readouterr()
    try:
        check_outcome(work, before, code, out, err, expected_code, expected)
    finally:
        _remove_new(work)


@pytest.mark.parametrize("argv, expected_code, expected", [c[1:] for c in CASES if c[0] in IN_A_PROCESS],
                         ids=[c[0] for c in CASES if c[0] in IN_A_PROCESS])
def test_bad_input_in_a_process(work, argv, expected_code, expected):
    before = snapshot(work)
    cmd = [sys.executable, "-c", "from jobsim.cli import main; raise SystemExit(main())"]
    proc = subprocess.run(cmd + [a.format(w=work) for a in argv], capture_output=True, text=True, timeout=120)
    try:
        check_outcome(work, before, proc.returncode, proc.stdout, proc.stderr, expected_code, expected)
    finally:
        _remove_new(work)


def test_check_checks_every_file_after_a_bad_one(work, capsys):
    code = main(["check", str(work / "results" / "scenario.toml"), str(work / "binary.toml"),
                 str(work / "utf16.toml")])
    out, err = capsys.readouterr()
    assert code == 2
    assert out.splitlines() == [f"{work / 'results' / 'scenario.toml'}: ok (scenario laerkevej)",
                                f"{work / 'utf16.toml'}: ok (scenario tiny)"]
    assert err == f"{work / 'binary.toml'}: is not a text file; expected a scenario TOML file\n"


def _remove_new(w: Path) -> None:
    shutil.rmtree(w / "new", ignore_errors=True)
