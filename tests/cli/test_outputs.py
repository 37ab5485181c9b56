"""Where ``jobsim run`` and ``jobsim plot`` write: checked first, written atomically, never lost or overwritten.

Interrupts and a full disk leave nothing that blocks the same command afterwards; a closed stdout
(``jobsim run ... | head -1``) does not stop the files being written (issue 8)."""

from __future__ import annotations

import errno
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jobsim.cli import main
from jobsim.runner import files

TINY = ["--set", "horizon_days=28", "--set", "warmup_days=7", "--set", "workers=2"]
OUTPUT_FILES = ["citizens.csv", "kpis.csv", "manifest.json", "meetings.csv", "scenario.toml", "worker_days.csv"]


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def fails_at(call: int, failure, real, calls: list):
    """``real``, except that its ``call``-th call (counting from 1) calls ``failure`` instead."""
    def wrapper(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == call:
            failure()
        return real(*args, **kwargs)

    return wrapper


def entries(folder: Path) -> list[str]:
    """Every name in ``folder``, hidden ones included."""
    return sorted(os.listdir(folder))


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plot") / "sweep"
    assert main(["sweep", "ds_norm", *TINY, "--vary", "caseload=40,80", "-r", "2", "--out", str(out), "-q"]) == 0
    return out


# ------------------------------------------------------------------ run


def test_run_interrupted_while_simulating_leaves_nothing(capsys, tmp_path, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(importlib.import_module("jobsim.runner.simulate"), "simulate", interrupt)
        code, _, err = run_cli(capsys, "run", "laerkevej", *TINY, "--out", tmp_path / "o")
    assert (code, err) == (130, "jobsim: interrupted\n")
    assert entries(tmp_path) == []
    assert run_cli(capsys, "run", "laerkevej", *TINY, "--out", tmp_path / "o", "-q")[0] == 0


@pytest.mark.parametrize("failure, code, message", [
    (interrupt, 130, "jobsim: interrupted"),
    (full_disk, 2, "jobsim: error: --out: cannot write results to '{o}': No space left on device"),
])
def test_run_failing_while_writing_leaves_nothing_and_the_same_command_then_works(capsys, tmp_path, monkeypatch,
                                                                                  failure, code, message):
    calls = []
    argv = ["run", "laerkevej", *TINY, "--out", tmp_path / "o", "-q"]
    with monkeypatch.context() as m:
        m.setattr(files, "write_frame", fails_at(2, failure, files.write_frame, calls))
        got, out, err = run_cli(capsys, *argv)
    assert len(calls) == 2  # one file was written before the failure
    assert got == code
    assert err == message.format(o=tmp_path / "o") + "\n"
    assert entries(tmp_path) == []  # neither the folder nor its temporary twin
    assert run_cli(capsys, *argv)[0] == 0
    assert entries(tmp_path / "o") == OUTPUT_FILES


def test_run_into_an_existing_empty_folder(capsys, tmp_path):
    (tmp_path / "o").mkdir()
    assert run_cli(capsys, "run", "laerkevej", *TINY, "--out", tmp_path / "o", "-q")[0] == 0
    assert entries(tmp_path / "o") == OUTPUT_FILES
    assert entries(tmp_path) == ["o"]


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(capsys, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmp_path / f".o.{gone.pid}.0123abcd.tmp"
    stale.mkdir()
    (stale / "meetings.csv").write_text("half", encoding="utf-8")
    assert run_cli(capsys, "run", "laerkevej", *TINY, "--out", tmp_path / "o", "-q")[0] == 0
    assert entries(tmp_path) == ["o"]


def test_a_closed_stdout_does_not_stop_the_files(tmp_path):
    """``PYTHONUNBUFFERED=1 jobsim run ... | head -1``: the reader leaves after one line."""
    cmd = [sys.executable, "-c", "from jobsim.cli import main; raise SystemExit(main())",
           "run", "laerkevej", *TINY, "--out", str(tmp_path / "o")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert first.startswith(b"jobsim run: scenario 'laerkevej'")
    assert err == b""
    assert entries(tmp_path / "o") == OUTPUT_FILES


# ------------------------------------------------------------------ plot


def test_plot_refuses_earlier_figures_without_force(capsys, sweep_dir, tmp_path):
    figdir = tmp_path / "figs"
    code, out, err = run_cli(capsys, "plot", sweep_dir, "--out", figdir)
    assert code == 0, err
    before = {p.name: p.read_bytes() for p in figdir.iterdir()}
    assert "overview.png" in before
    code, out, err = run_cli(capsys, "plot", sweep_dir, "--out", figdir)
    assert (code, out) == (2, "")
    assert err == (f"jobsim: error: --out: folder '{figdir}' is not empty; refusing to overwrite earlier results; "
                   "allowed: a new or empty folder, or --force to replace the figures in it\n")
    assert {p.name: p.read_bytes() for p in figdir.iterdir()} == before
    # --force replaces the figures and keeps the user's other files
    (figdir / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run_cli(capsys, "plot", sweep_dir, "--out", figdir, "--force")
    assert code == 0, err
    assert entries(figdir) == sorted([*before, "notes.txt"])
    assert out.splitlines()[0] == str(figdir / "overview.png")


@pytest.mark.parametrize("failure, code, message", [
    (interrupt, 130, "jobsim: interrupted"),
    (full_disk, 2, "jobsim: error: --out: cannot write results to '{o}': No space left on device"),
])
def test_plot_failing_while_drawing_leaves_nothing(capsys, sweep_dir, tmp_path, monkeypatch, failure, code,
                                                   message):
    style = importlib.import_module("jobsim.report.style")
    calls = []
    argv = ["plot", sweep_dir, "--out", tmp_path / "figs"]
    with monkeypatch.context() as m:
        m.setattr(style, "write_with", fails_at(3, failure, style.write_with, calls))
        got, _, err = run_cli(capsys, *argv)
    assert got == code and len(calls) == 3
    assert err == message.format(o=tmp_path / "figs") + "\n"
    assert entries(tmp_path) == []
    assert run_cli(capsys, *argv)[0] == 0
    assert "overview.svg" in entries(tmp_path / "figs")


# ------------------------------------------------------------------ the check itself


def test_check_destination_allows_new_and_empty_folders_and_creates_nothing(tmp_path):
    assert files.check_destination(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    (tmp_path / "empty").mkdir()
    assert files.check_destination(tmp_path / "empty") == tmp_path / "empty"
    assert entries(tmp_path) == ["empty"]
    (tmp_path / "empty" / "x").write_text("x", encoding="utf-8")
    assert files.check_destination(tmp_path / "empty", force=True) == tmp_path / "empty"
