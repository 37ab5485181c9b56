"""The sweep folder: manifest first, one database row per run, resume after kill -9, refusal of another sweep."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.runner import store as store_module
from jobsim.runner.store import SweepStore

experiment = importlib.import_module("jobsim.runner.sweep")

BASE = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
GRID = {"caseload": [40.0, 60.0]}
KPI_COLUMNS = ["caseload", "point", "replication", "seed", *jobsim.KPI_NAMES]


@contextlib.contextmanager
def _db(folder):
    """The folder's database, committed and closed after (``with sqlite3.connect`` would leave it open)."""
    db = sqlite3.connect(folder / "runs.sqlite")
    try:
        with db:
            yield db
    finally:
        db.close()


def _snapshot(folder):
    """(point, replication) -> the stored record's text (it holds the run's wall time, so a rerun would show)."""
    if not (folder / "runs.sqlite").exists():
        return {}
    with _db(folder) as db:
        return {(p, r): text for p, r, text in db.execute("SELECT point, replication, record FROM runs")}


def _rows_per_run(folder):
    with _db(folder) as db:
        return db.execute("SELECT COUNT(*), COUNT(DISTINCT point || '-' || replication) FROM runs").fetchone()


def _stored_any(out):
    try:
        return bool(_snapshot(out))
    except sqlite3.Error:
        return False


def test_folder_layout_manifest_and_tables(tmp_path):
    out = tmp_path / "s"
    result = jobsim.sweep(BASE, GRID, replications=3, seed=5, out=out, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "runs.csv", "runs.parquet", "runs.sqlite",
                                                     "summary.csv"]
    assert sorted(_snapshot(out)) == [(p, r) for p in (0, 1) for r in range(3)]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "jobsim-sweep" and manifest["format"] == 2
    assert manifest["grid"] == {"caseload": [40.0, 60.0]}
    assert (manifest["replications"], manifest["seed"], manifest["total_runs"]) == (3, 5, 6)
    assert manifest["scenario"] == BASE.to_dict()
    assert manifest["versions"]["jobsim"] == jobsim.__version__
    assert manifest["complete"] is True and manifest["runs_done"] == 6 and manifest["runs_failed"] == 0
    assert len(manifest["sessions"]) == 1 and manifest["sessions"][0]["runs_executed"] == 6
    assert manifest["run_seconds_per_run"]["sum"] == pytest.approx(result.runs["run_seconds"].sum())
    one = json.loads(_snapshot(out)[(1, 2)])
    assert (one["point"], one["replication"], one["error"]) == (1, 2, None)
    row = result.runs[(result.runs.point == 1) & (result.runs.replication == 2)].iloc[0]
    assert one["kpis"]["utilization"] == row["utilization"]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), result.runs)
    assert len(pd.read_csv(out / "summary.csv")) == 2 * len(jobsim.KPI_NAMES)


def test_load_sweep_returns_the_same_result(tmp_path):
    out = tmp_path / "s"
    result = jobsim.sweep(BASE, {"caseload": [40, 60], "sms_reminders": [False, True]}, replications=2, out=out,
                          progress=False)
    loaded = jobsim.load_sweep(out)
    pd.testing.assert_frame_equal(loaded.runs, result.runs, check_exact=True)
    pd.testing.assert_frame_equal(loaded.summary(), result.summary(), check_exact=True)
    assert (loaded.grid, loaded.replications, loaded.seed, loaded.scenario) == (
        result.grid, result.replications, result.seed, result.scenario)
    assert loaded.runs["sms_reminders"].dtype == bool


def test_finished_sweep_started_again_runs_nothing(tmp_path, count_runs):
    out = tmp_path / "s"
    first = jobsim.sweep(BASE, GRID, replications=3, out=out, progress=False)
    assert len(count_runs) == 6
    before = _snapshot(out)
    again = jobsim.sweep(BASE, GRID, replications=3, out=out, jobs=2, progress=False)
    assert len(count_runs) == 6
    assert _snapshot(out) == before
    pd.testing.assert_frame_equal(again.runs, first.runs)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["runs_executed"] for s in manifest["sessions"]] == [6, 0]


def test_resume_after_kill_9_runs_only_the_missing_runs(tmp_path, count_runs):
    out = tmp_path / "s"
    total = 2 * 30
    script = textwrap.dedent(f"""
        import sys, time
        import jobsim
        import importlib
        experiment = importlib.import_module("jobsim.runner.sweep")

        real = experiment.simulate
        def slow(*args, **kw):  # slow enough to be killed half-way
            time.sleep(0.05)
            return real(*args, **kw)
        experiment.simulate = slow
        base = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
        jobsim.sweep(base, {GRID!r}, replications=30, jobs=2, out=sys.argv[1], progress=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if len(_snapshot(out)) >= 8:
                    break
            except sqlite3.Error:  # created a moment ago
                pass
            if proc.poll() is not None:
                pytest.fail(f"the sweep ended before it was killed: {proc.stderr.read().decode()}")
            time.sleep(0.005)
        else:
            pytest.fail("no runs were written within 60 s")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.6)  # let the workers notice their parent is gone (they poll every 0.5 s)
    before = _snapshot(out)
    assert 8 <= len(before) < total
    assert json.loads((out / "manifest.json").read_text())["sessions"] == []  # it never finished

    result = jobsim.sweep(BASE, GRID, replications=30, out=out, progress=False)
    assert len(count_runs) == total - len(before)  # finished runs were not redone...
    after = _snapshot(out)
    assert {name: after[name] for name in before} == before  # ...nor rewritten
    assert len(after) == total and _rows_per_run(out) == (total, total)  # exactly one row per run
    assert len(result.runs) == total
    assert not result.runs.duplicated(["point", "replication"]).any()
    assert set(zip(result.runs.point, result.runs.replication)) == {(p, r) for p in (0, 1) for r in range(30)}
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("runs.sqlite")) == ["runs.sqlite"]
    fresh = jobsim.sweep(BASE, GRID, replications=30, progress=False)
    pd.testing.assert_frame_equal(result.runs[KPI_COLUMNS], fresh.runs[KPI_COLUMNS], check_exact=True)


def test_load_sweep_of_a_partial_sweep(tmp_path):
    out = tmp_path / "s"
    jobsim.sweep(BASE, GRID, replications=3, out=out, progress=False)
    with _db(out) as db:
        db.execute("DELETE FROM runs WHERE point = 1 AND replication = 1")
    partial = jobsim.load_sweep(out)
    assert (len(partial.runs), partial.expected_runs, partial.complete) == (5, 6, False)


@pytest.mark.parametrize("change, fragment", [
    ({"grid": {"caseload": [40.0, 80.0]}}, "grid caseload: stored [40.0, 60.0], now [40.0, 80.0]"),
    ({"grid": {"caseload": [40.0, 60.0], "workers": [2, 3]}}, "grid workers: stored not set, now [2, 3]"),
    ({"replications": 3}, "replications: stored 2, now 3"),
    ({"seed": 1}, "seed: stored 0, now 1"),
    ({"scenario": BASE.replace(absence_share=0.2)}, "scenario absence_share: stored 0.12, now 0.2"),
])
def test_a_different_sweep_in_the_same_folder_is_refused(tmp_path, change, fragment, count_runs):
    out = tmp_path / "s"
    jobsim.sweep(BASE, GRID, replications=2, out=out, progress=False)
    before = _snapshot(out)
    args = {"scenario": BASE, "grid": GRID, "replications": 2, "seed": 0, **change}
    with pytest.raises(JobsimError) as err:
        jobsim.sweep(args["scenario"], args["grid"], replications=args["replications"], seed=args["seed"],
                     out=out, progress=False)
    assert "holds a different sweep" in str(err.value)
    assert fragment in str(err.value)
    assert len(count_runs) == 4  # only the first sweep ran
    assert _snapshot(out) == before


def test_grid_in_another_order_is_a_different_sweep(tmp_path):
    out = tmp_path / "s"
    jobsim.sweep(BASE, {"caseload": [40], "workers": [2]}, replications=1, out=out, progress=False)
    with pytest.raises(JobsimError, match="grid: stored in the order caseload, workers, now workers, caseload"):
        jobsim.sweep(BASE, {"workers": [2], "caseload": [40]}, replications=1, out=out, progress=False)


def test_cli_refuses_a_different_sweep_with_exit_2(tmp_path, capsys):
    out = str(tmp_path / "s")
    tiny = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]
    assert main(["sweep", "ds_norm", *tiny, "--vary", "caseload=40,60", "-r", "2", "--out", out,
                            "--quiet"]) == 0
    capsys.readouterr()
    assert main(["sweep", "ds_norm", *tiny, "--vary", "caseload=40,60", "-r", "2", "--out", out]) == 0
    assert "4 of 4 runs were stored before and not run again" in capsys.readouterr().out
    assert main(["sweep", "ds_norm", *tiny, "--vary", "caseload=40:80:20", "-r", "2", "--out",
                            out]) == 2
    err = capsys.readouterr().err
    assert "holds a different sweep (grid caseload: stored [40.0, 60.0], now [40.0, 60.0, 80.0])" in err


def test_folder_with_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(JobsimError, match="is not empty and holds no jobsim sweep"):
        jobsim.sweep(BASE, GRID, replications=1, out=tmp_path, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    run_out = tmp_path / "run"
    run_out.mkdir()
    (run_out / "manifest.json").write_text(json.dumps({"manifest_format": 1, "seed": 0}))
    with pytest.raises(JobsimError, match="holds another jobsim output, not a sweep"):
        jobsim.sweep(BASE, GRID, replications=1, out=run_out, progress=False)
    with pytest.raises(JobsimError, match="holds another jobsim output, not a sweep"):
        jobsim.load_sweep(run_out)


_HOLDS_THE_LOCK = textwrap.dedent("""
    import fcntl, os, sys, time
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a sweep holds it while it writes
    os.write(fd, b'{"pid": %d}' % os.getpid())
    print("locked", flush=True)
    time.sleep(60)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="the holder uses fcntl")
def test_a_live_writer_locks_the_folder_and_a_killed_one_does_not(tmp_path):
    out = tmp_path / "s"
    jobsim.sweep(BASE, GRID, replications=1, out=out, progress=False)
    assert not (out / ".lock").exists()  # released at the end
    other = subprocess.Popen([sys.executable, "-c", _HOLDS_THE_LOCK, str(out / ".lock")], stdout=subprocess.PIPE,
                             text=True)
    try:
        assert other.stdout.readline() == "locked\n"
        with pytest.raises(JobsimError, match=f"^another jobsim process \\(pid {other.pid}\\) is writing this sweep's "
                                              "folder .* right now; wait for it to finish"):
            jobsim.sweep(BASE, GRID, replications=1, out=out, progress=False)
    finally:
        other.kill()  # kill -9: the system releases its lock
        other.wait()
    assert (out / ".lock").exists()  # a killed holder leaves its file, not its lock
    assert len(jobsim.sweep(BASE, GRID, replications=1, out=out, progress=False).runs) == 2
    assert not (out / ".lock").exists()


def test_a_lock_file_naming_a_live_process_that_holds_no_lock_does_not_stop_a_sweep(tmp_path):
    # jobsim 0.2 trusted the pid in .lock: a reused pid (another program) kept the folder locked for good
    out = tmp_path / "s"
    out.mkdir()
    import socket

    (out / ".lock").write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    assert len(jobsim.sweep(BASE, GRID, replications=1, out=out, progress=False).runs) == 2


def test_records_round_trip_nan_and_infinity(tmp_path):
    store = SweepStore(tmp_path)
    store.write_run({"point": 0, "replication": 1, "seed": 0, "run_seconds": 0.1, "error": None,
                     "kpis": {"utilization": float("nan"), "cost_dkk_per_citizen_year": float("inf"), "x": 1.5}})
    store.close()
    text = _snapshot(tmp_path)[(0, 1)]
    assert "NaN" not in text and '"utilization": null' in text and '"inf"' in text
    record = SweepStore(tmp_path).read_runs()[(0, 1)]
    assert record["kpis"]["cost_dkk_per_citizen_year"] == float("inf")
    assert record["kpis"]["utilization"] != record["kpis"]["utilization"]
    assert record["kpis"]["x"] == 1.5


def test_unreadable_record_is_run_again(tmp_path, count_runs):
    out = tmp_path / "s"
    jobsim.sweep(BASE, GRID, replications=2, out=out, progress=False)
    with _db(out) as db:  # should not happen (transactions), but if it does
        db.execute("""UPDATE runs SET record = '{"point": 0, "replic' WHERE point = 0 AND replication = 1""")
    result = jobsim.sweep(BASE, GRID, replications=2, out=out, progress=False)
    assert count_runs[4:] == [(40.0, 1)]
    assert len(result.runs) == 4
    assert json.loads(_snapshot(out)[(0, 1)])["replication"] == 1


def test_a_sweep_stored_one_file_per_run_is_read_and_continued(tmp_path, count_runs):
    # the layout of jobsim 0.1 (format 1): runs/p0000-r0000.json ...; made here from a fresh sweep
    out = tmp_path / "old"
    fresh = jobsim.sweep(BASE, GRID, replications=3, out=out, progress=False)
    records = SweepStore(out).read_runs()
    (out / "runs.sqlite").unlink()
    (out / "runs").mkdir()
    for (p, r), record in records.items():
        if (p, r) != (1, 2):  # one run missing: it was killed
            (out / "runs" / f"p{p:04d}-r{r:04d}.json").write_text(json.dumps(store_module.encode_run(record)))
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    loaded = jobsim.load_sweep(out)
    assert (len(loaded.runs), loaded.complete) == (5, False)
    pd.testing.assert_frame_equal(loaded.runs, fresh.runs.iloc[:5], check_exact=True)
    assert len(count_runs) == 6
    again = jobsim.sweep(BASE, GRID, replications=3, out=out, progress=False)
    assert count_runs[6:] == [(60.0, 2)]  # only the missing run; it went into the database
    assert list(_snapshot(out)) == [(1, 2)]
    assert json.loads((out / "manifest.json").read_text())["format"] == 2
    pd.testing.assert_frame_equal(again.runs[KPI_COLUMNS], fresh.runs[KPI_COLUMNS], check_exact=True)


def test_orphaned_workers_leave_when_their_parent_is_killed(tmp_path):
    # the resume test kills the parent of two workers; none of them may linger afterwards
    if not sys.platform.startswith("linux"):
        pytest.skip("checks /proc")
    out = tmp_path / "s"
    script = textwrap.dedent("""
        import sys, time
        import jobsim
        import importlib
        experiment = importlib.import_module("jobsim.runner.sweep")
        real = experiment.simulate
        def slow(*args, **kw):
            time.sleep(0.2)
            return real(*args, **kw)
        experiment.simulate = slow
        jobsim.sweep(jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7), {"caseload": [40.0, 60.0]},
                     replications=50, jobs=2, out=sys.argv[1], progress=False)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _stored_any(out):
        time.sleep(0.01)
    children = [int(p) for p in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]
    assert len(children) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{c}") and
                                              "Z" not in open(f"/proc/{c}/stat").read().split()[2]
                                              for c in children):
        time.sleep(0.05)
    alive = [c for c in children if os.path.exists(f"/proc/{c}") and "Z" not in open(f"/proc/{c}/stat").read().split()[2]]
    for c in alive:  # do not leave them behind if the check fails
        os.kill(c, signal.SIGKILL)
    assert alive == []


def test_runs_made_by_other_jobsim_code_are_reused_with_a_warning(tmp_path, count_runs):
    out = tmp_path / "s"
    jobsim.sweep(BASE, GRID, replications=2, out=out, progress=False)
    path = out / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["source"] = {"commit": "0123456789abcdef", "dirty": False}
    manifest["versions"]["jobsim"] = "0.0.1"
    path.write_text(json.dumps(manifest))
    with pytest.warns(UserWarning, match=r"made by jobsim 0.0.1 \(commit 0123456789\).*Start a new folder"):
        jobsim.sweep(BASE, GRID, replications=2, out=out, progress=False)
    assert len(count_runs) == 4  # nothing was run again
