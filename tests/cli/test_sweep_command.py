"""``jobsim sweep`` against real trouble: the default folder follows the request (so an interrupted command
continues), a full disk and an unwritable --out give one line and keep the stored runs, a worker that keeps
dying gives one line and the same command continues."""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.policies import Ahead, register_policy
from jobsim.runner import store as store_module

experiment = importlib.import_module("jobsim.runner.sweep")

TINY = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]
BASE = jobsim.load_scenario("ds_norm", workers=2, horizon_days=28, warmup_days=7)
KPI_COLUMNS = ["caseload", "point", "replication", "seed", *jobsim.KPI_NAMES]
COMMAND = ["sweep", "ds_norm", *TINY, "--vary", "caseload=40,60", "-r", "4", "--seed", "2"]


def one_error_line(err: str) -> str:
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("jobsim: error: ") and "Traceback" not in err, err
    return lines[0]


def folder_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("folder: "))


def snapshot(folder: Path) -> dict[str, str]:
    """``pPPPP-rRRRR`` -> the stored record (as JSON text) of every run in the folder's database."""
    return {f"p{k[0]:04d}-r{k[1]:04d}": json.dumps(r, sort_keys=True)
            for k, r in store_module.SweepStore(folder).read_runs().items()}


@pytest.fixture(scope="module")
def uninterrupted() -> pd.DataFrame:
    return jobsim.sweep(BASE, {"caseload": [40, 60]}, replications=4, seed=2, progress=False).runs[KPI_COLUMNS]


# ------------------------------------------------------------------ the default folder

def test_default_folder_is_named_after_the_request(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([*COMMAND, "--quiet"]) == 0
    first = capsys.readouterr().out.strip()
    assert re.fullmatch(r"outputs/sweep-ds_norm-[0-9a-f]{10}", first)
    assert first == str(experiment.default_folder(BASE, {"caseload": [40, 60]}, replications=4, seed=2))
    assert main([*COMMAND, "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == first  # the same command, the same folder
    others = set()
    for change in (["--seed", "3"], ["-r", "3"], ["--set", "absence_share=0.2"], ["--vary", "sms_reminders=true"]):
        assert main([*COMMAND, *change, "--quiet"]) == 0
        others.add(capsys.readouterr().out.strip())
    assert len(others) == 4 and first not in others
    assert sorted(p.name for p in (tmp_path / "outputs").iterdir()) == sorted(Path(p).name for p in [first, *others])


def test_the_same_command_interrupted_and_started_again_continues(tmp_path, monkeypatch, capsys, uninterrupted):
    monkeypatch.chdir(tmp_path)
    real = experiment.simulate
    calls = []

    def interrupted_after_three(*args, **kw):
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C during the fourth run
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(experiment, "simulate", interrupted_after_three)
    assert main(COMMAND) == 130
    out, err = capsys.readouterr()
    folder = folder_line(out).split()[1].rstrip("/")
    assert folder_line(out) == f"folder: {folder}/ (new)"
    assert err == (f"jobsim: interrupted; finished runs are stored in {folder}/: run the same command again to "
                   "continue\n")
    before = snapshot(tmp_path / folder)
    assert len(before) == 3

    monkeypatch.setattr(experiment, "simulate", real)
    assert main(COMMAND) == 0
    out = capsys.readouterr().out
    assert folder_line(out) == f"folder: {folder}/ (continuing: 3 of 8 runs already stored)"
    assert "3 of 8 runs were stored before and not run again" in out
    after = snapshot(tmp_path / folder)
    assert {name: after[name] for name in before} == before and len(after) == 8
    runs = pd.read_parquet(tmp_path / folder / "runs.parquet")[KPI_COLUMNS]
    pd.testing.assert_frame_equal(runs, uninterrupted, check_exact=True)


# ------------------------------------------------------------------ write errors

def full_disk_after(monkeypatch, k: int) -> list[tuple[int, int]]:
    """The database fails as on a full disk from the (k+1)-th run stored on; returns the runs it tried."""
    real = store_module.SweepStore._connection
    tried: list[tuple[int, int]] = []

    class FullDisk:  # the stored connection, whose inserts fail once the disk is "full"
        def __init__(self, db):
            self.db = db

        def __getattr__(self, name):
            return getattr(self.db, name)

        def executemany(self, sql, rows):
            rows = list(rows)
            tried.extend((p, r) for p, r, *_ in rows)
            if len(tried) > k:
                raise sqlite3.OperationalError("database or disk is full")
            return self.db.executemany(sql, rows)

    def connection(self):
        return FullDisk(real(self))

    monkeypatch.setattr(store_module.SweepStore, "_connection", connection)
    return tried


def test_full_disk_gives_one_line_keeps_the_stored_runs_and_the_same_command_continues(
        tmp_path, monkeypatch, capsys, uninterrupted):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "s"
    real = store_module.SweepStore._connection
    tried = full_disk_after(monkeypatch, 3)
    assert main([*COMMAND, "--out", str(out), "--quiet"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert tried[-1] == (0, 3)
    assert line == (f"jobsim: error: cannot write '{out / 'runs.sqlite'}': database or disk is full; "
                    f"3 of 8 runs are stored in {out.relative_to(tmp_path)}/; make room (or make the folder "
                    "writable) and run the same command again to continue")
    before = snapshot(out)
    assert sorted(before) == ["p0000-r0000", "p0000-r0001", "p0000-r0002"]
    assert not list(out.rglob(".*.tmp")) and not (out / ".lock").exists()

    monkeypatch.setattr(store_module.SweepStore, "_connection", real)  # room again
    assert main([*COMMAND, "--out", str(out)]) == 0
    assert folder_line(capsys.readouterr().out) == "folder: s/ (continuing: 3 of 8 runs already stored)"
    assert {name: snapshot(out)[name] for name in before} == before
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet")[KPI_COLUMNS], uninterrupted,
                                  check_exact=True)


def test_a_write_error_at_the_end_names_the_file_and_counts_every_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "s"

    def no_room(path, frame, kind="csv"):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(experiment, "write_frame", no_room)
    assert main([*COMMAND, "--out", str(out), "--quiet"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"jobsim: error: cannot write '{out / 'runs.parquet'}': No space left on device; "
                           "8 of 8 runs are stored in ")
    with pytest.raises(experiment.SweepStopped) as err:
        jobsim.sweep(BASE, {"caseload": [40, 60]}, replications=4, seed=2, out=out, progress=False)
    assert str(err.value) == (f"cannot write '{out / 'runs.parquet'}': No space left on device; 8 of 8 runs are "
                              f"stored in '{out}'; make room (or make the folder writable) and run the same sweep "
                              "again to continue")
    assert (err.value.cause, err.value.stored, err.value.total) == ("write", 8, 8)


def test_out_is_checked_before_any_run(tmp_path, monkeypatch, capsys, count_runs):
    afile = tmp_path / "afile.txt"
    afile.write_text("mine\n")
    assert main([*COMMAND, "--out", str(afile)]) == 2
    assert "exists and is not a folder" in one_error_line(capsys.readouterr().err)
    assert main([*COMMAND, "--out", str(afile / "sub")]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"jobsim: error: --out: cannot create folder '{afile / 'sub'}': Not a directory")

    real = store_module.write_manifest

    def read_only(path, manifest):  # (the tests may run as root, where chmod does not stop a write)
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(store_module, "write_manifest", read_only)
    assert main([*COMMAND, "--out", str(tmp_path / "ro")]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"jobsim: error: --out: cannot write '{tmp_path / 'ro' / 'manifest.json'}': Permission denied; choose a "
        "folder you can write to")
    assert not (tmp_path / "ro").exists()  # bad input leaves no folder behind
    monkeypatch.setattr(store_module, "write_manifest", real)
    assert count_runs == [] and afile.read_text() == "mine\n"



def _database_without_a_table(path: Path) -> None:
    """What a full disk at the start left behind: a database header, in write-ahead-log mode, and no table."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


@pytest.mark.parametrize("state", ["no table", "zero bytes", "not a database", "some rows"])
def test_a_folder_whose_database_has_no_runs_table_is_rebuilt_and_one_with_rows_resumes(
        tmp_path, monkeypatch, capsys, count_runs, uninterrupted, state):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "s"
    assert main([*COMMAND, "--out", "s", "--quiet"]) == 0
    del count_runs[:]
    database = out / "runs.sqlite"
    kept = {}
    if state == "some rows":  # a sweep stopped after 4 runs: they are kept, the others run
        with contextlib.closing(sqlite3.connect(database)) as db, db:
            db.execute("DELETE FROM runs WHERE point = 1")
        kept = snapshot(out)
    else:
        for path in out.glob("runs.sqlite*"):
            path.unlink()
        if state == "no table":
            _database_without_a_table(database)
        else:
            database.write_bytes(b"" if state == "zero bytes" else b"not a database\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main([*COMMAND, "--out", "s"]) == 0
    out_text = capsys.readouterr().out
    assert folder_line(out_text) == f"folder: s/ (continuing: {len(kept)} of 8 runs already stored)"
    assert len(count_runs) == 8 - len(kept)
    assert {name: snapshot(out)[name] for name in kept} == kept and len(snapshot(out)) == 8
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet")[KPI_COLUMNS], uninterrupted,
                                  check_exact=True)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if state == "not a database":  # bytes jobsim cannot read are set aside, not destroyed
        assert messages == ["'s/runs.sqlite' is not an SQLite database; it was moved to 'runs.sqlite.unreadable' "
                            "and a new one started"]
        assert (out / "runs.sqlite.unreadable").read_bytes() == b"not a database\n"
    else:
        assert messages == [] and not (out / "runs.sqlite.unreadable").exists()


def _fails_as_a_full_disk(monkeypatch, where: str) -> None:
    """The start of a sweep fails as on a full disk: creating the table, or writing the manifest."""
    if where in ("table", "tmpfs"):
        real_connect = sqlite3.connect
        # SQLite's words for a full disk; on a full tmpfs (measured) it says "disk I/O error"
        words = "database or disk is full" if where == "table" else "disk I/O error"

        class NoRoomForTheTable:  # the database file is made, its table cannot be
            def __init__(self, db):
                self.db = db

            def __getattr__(self, name):
                return getattr(self.db, name)

            def execute(self, sql, *args):
                if sql.startswith("CREATE TABLE"):
                    raise sqlite3.OperationalError(words)
                return self.db.execute(sql, *args)

        monkeypatch.setattr(store_module.sqlite3, "connect", lambda *a, **k: NoRoomForTheTable(real_connect(*a, **k)))
        monkeypatch.setattr(store_module.shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(300 * 1024,
                                                                                                  284 * 1024, 16 * 1024))
    else:
        def no_room(path, manifest):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))

        monkeypatch.setattr(store_module, "write_manifest", no_room)


@pytest.mark.parametrize("where, file, reason", [
    ("table", "runs.sqlite", "database or disk is full"),
    ("tmpfs", "runs.sqlite", "disk I/O error (16 KB free on its disk)"),
    ("manifest", "manifest.json", "No space left on device")])
def test_a_full_disk_at_the_start_is_exit_1_leaves_nothing_and_the_same_command_runs_later(
        tmp_path, monkeypatch, capsys, count_runs, uninterrupted, where, file, reason):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "new" / "s"
    with monkeypatch.context() as patch:
        _fails_as_a_full_disk(patch, where)
        assert main([*COMMAND, "--out", "new/s"]) == 1
        line = one_error_line(capsys.readouterr().err)
        with pytest.raises(store_module.StoreWriteError) as err:
            jobsim.sweep(BASE, {"caseload": [40, 60]}, replications=4, seed=2, out=out, progress=False)
    assert line == (f"jobsim: error: cannot write 'new/s/{file}': {reason}; 0 of 8 runs are stored; make room "
                    "(or make the folder writable) and run the same command again to continue")
    assert err.value.no_room and err.value.path == out / file and err.value.reason == reason
    assert count_runs == [] and list(tmp_path.iterdir()) == []  # the folders it made are gone

    assert main([*COMMAND, "--out", "new/s"]) == 0  # room again: the same command runs
    assert folder_line(capsys.readouterr().out) == "folder: new/s/ (new)"
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet")[KPI_COLUMNS], uninterrupted,
                                  check_exact=True)


# ------------------------------------------------------------------ two processes, one folder

_SLOW_SWEEP = textwrap.dedent("""
    import os, sys, time, importlib
    experiment = importlib.import_module("jobsim.runner.sweep")
    real_replace, real_simulate = os.replace, experiment.simulate

    def slow_replace(src, dst, *args, **kw):  # the manifest's temporary file stays a while before it is renamed
        if os.path.basename(dst) == "manifest.json" and not os.path.exists(dst):
            time.sleep(2.0)
        return real_replace(src, dst, *args, **kw)

    def slow_simulate(*args, **kw):
        time.sleep(0.25)
        return real_simulate(*args, **kw)

    os.replace, experiment.simulate = slow_replace, slow_simulate
    from jobsim.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_second_identical_sweep_says_another_process_is_writing_its_folder(tmp_path, monkeypatch, capsys,
                                                                             uninterrupted):
    monkeypatch.chdir(tmp_path)
    folder = experiment.default_folder(BASE, {"caseload": [40, 60]}, replications=4, seed=2)
    first = subprocess.Popen([sys.executable, "-c", _SLOW_SWEEP, *COMMAND, "--quiet"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        expected = (f"jobsim: error: another jobsim process (pid {first.pid}) is writing this sweep's folder "
                    f"{str(folder)!r} right now; wait for it to finish, or run the same command again after it has "
                    "finished to continue where it stopped")

        def wait_for(condition, what):
            deadline = time.monotonic() + 60
            while not condition():
                if first.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the first sweep ended or took too long before {what}: {first.communicate()}")
                time.sleep(0.01)

        # the second arrives while the first is writing the manifest: the folder has no manifest.json yet
        wait_for(lambda: any(tmp_path.glob(f"{folder}/.manifest.json.*.tmp")), "writing its manifest")
        assert main(COMMAND) == 2
        assert one_error_line(capsys.readouterr().err) == expected
        # and again while the first is running
        wait_for(lambda: len(snapshot(tmp_path / folder)) >= 2 if (tmp_path / folder / "manifest.json").exists()
                 else False, "storing two runs")
        assert main(COMMAND) == 2
        assert one_error_line(capsys.readouterr().err) == expected
        out, err = first.communicate(timeout=120)
    finally:
        first.kill()
        first.wait()
    assert (first.returncode, out.strip(), err) == (0, str(folder), "")  # the first was undisturbed
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / folder / "runs.parquet")[KPI_COLUMNS], uninterrupted,
                                  check_exact=True)
    assert main(COMMAND) == 0  # after it finished, the same command finds every run stored
    assert "8 of 8 runs were stored before and not run again" in capsys.readouterr().out


# ------------------------------------------------------------------ a worker that dies

_MAIN_PID = os.getpid()


class _KillsItsWorker(Ahead):
    """Kills the worker process running a caseload-60 run (as the out-of-memory killer would) while ``flag`` exists."""

    name = "test_kills_its_worker"
    flag = ""
    once = False  # the first worker to get there removes the flag: one death only

    def prepare_ahead(self, meeting, scenario):
        if scenario.caseload == 60 and os.getpid() != _MAIN_PID and os.path.exists(type(self).flag):
            try:
                if type(self).once:
                    os.unlink(type(self).flag)
                os.kill(os.getpid(), signal.SIGKILL)
            except FileNotFoundError:  # another worker was first
                pass
        return super().prepare_ahead(meeting, scenario)


register_policy(_KillsItsWorker())


def test_a_worker_that_keeps_dying_stops_with_one_line_and_the_same_command_continues(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    flag = tmp_path / "kill"
    flag.touch()
    monkeypatch.setattr(_KillsItsWorker, "flag", str(flag))
    command = ["sweep", "ds_norm", *TINY, "--set", "prep_policy=test_kills_its_worker", "--vary",
               "caseload=40,60", "-r", "3", "--jobs", "2", "--out", "s"]
    assert main([*command, "--quiet"]) == 1
    line = one_error_line(capsys.readouterr().err)
    stored = snapshot(tmp_path / "s")
    assert all(name.startswith("p0000-") for name in stored)  # every caseload-60 run was lost with its worker
    assert line == (f"jobsim: error: a worker process died 4 times (killed by the operating system, possibly for "
                    f"lack of memory); {len(stored)} of 6 runs are stored in s/; run the same command again to "
                    "continue (with fewer --jobs if memory is short)")
    assert all(json.loads(content)["error"] is None for content in stored.values())

    flag.unlink()  # e.g. more memory, or fewer --jobs
    assert main(command) == 0
    assert folder_line(capsys.readouterr().out) == f"folder: s/ (continuing: {len(stored)} of 6 runs already stored)"
    assert {name: snapshot(tmp_path / "s")[name] for name in stored} == stored
    serial = jobsim.sweep(BASE.replace(prep_policy="test_kills_its_worker"), {"caseload": [40, 60]}, replications=3,
                          progress=False)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s" / "runs.parquet")[KPI_COLUMNS],
                                  serial.runs[KPI_COLUMNS], check_exact=True)


def test_a_worker_killed_once_is_replaced_and_the_sweep_equals_one_job(tmp_path, monkeypatch):
    flag = tmp_path / "kill-once"
    flag.touch()
    monkeypatch.setattr(_KillsItsWorker, "flag", str(flag))
    monkeypatch.setattr(_KillsItsWorker, "once", True)
    base = BASE.replace(prep_policy="test_kills_its_worker")
    result = jobsim.sweep(base, {"caseload": [40, 60]}, replications=3, jobs=2, out=tmp_path / "s", progress=False)
    assert not flag.exists()  # a worker was killed mid-sweep
    assert result.complete and len(result.runs) == 6
    serial = jobsim.sweep(base, {"caseload": [40, 60]}, replications=3, jobs=1, progress=False)
    pd.testing.assert_frame_equal(result.runs[KPI_COLUMNS], serial.runs[KPI_COLUMNS], check_exact=True)
    assert len(snapshot(tmp_path / "s")) == 6
