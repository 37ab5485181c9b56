"""Executors: local processes and Dask give the same runs as jobs=1, bit for bit; lost workers and spawn."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.errors import JobsimError
from jobsim.policies import Ahead
from jobsim.runner import executors
from jobsim.runner.store import SweepStore

distributed = pytest.importorskip("distributed")

BASE = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7)
GRID = {"caseload": [40.0, 90.0], "prep_policy": ["ahead", "after_checkin"]}
KPI_COLUMNS = ["caseload", "prep_policy", "point", "replication", "seed", *jobsim.KPI_NAMES]


@pytest.fixture(scope="module")
def serial() -> pd.DataFrame:
    return jobsim.sweep(BASE, GRID, replications=3, seed=4, progress=False).runs[KPI_COLUMNS]


class ReadsOnlyRegulars(Ahead):
    """A policy defined in a test module (as in a notebook): never registered in the workers."""

    name = "test_reads_only_regulars"

    def prepare_ahead(self, booking, scenario):
        return booking.citizen.history[-2:] == [True, True]


class SlowAhead(Ahead):
    """``ahead``, a little slower (sleeps, no CPU), so that a worker can be killed half-way through a sweep."""

    name = "test_slow_ahead"

    def prepare_ahead(self, booking, scenario):
        time.sleep(0.002)
        return super().prepare_ahead(booking, scenario)


def test_chunks_and_chunk_size():
    assert [len(c) for c in executors.chunks(range(10), 4)] == [4, 4, 2]
    assert list(executors.chunks([], 3)) == []
    assert executors.chunk_size(10_000, 2) == executors.MAX_CHUNK  # a big design: the largest chunk
    assert executors.chunk_size(160, 2) == 10  # eight chunks per worker
    assert executors.chunk_size(3, 2) == 1


def test_local_processes_equal_jobs_1_bit_for_bit(serial):
    runs = jobsim.sweep(BASE, GRID, replications=3, seed=4, jobs=2, progress=False).runs
    pd.testing.assert_frame_equal(runs[KPI_COLUMNS], serial, check_exact=True)


def test_dask_in_process_cluster_equals_jobs_1_bit_for_bit(serial, tmp_path):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        result = jobsim.sweep(BASE, GRID, replications=3, seed=4, executor="dask", scheduler=cluster,
                              out=tmp_path / "s", progress=False)
    pd.testing.assert_frame_equal(result.runs[KPI_COLUMNS], serial, check_exact=True)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["sessions"][0]["executor"] == "dask" and manifest["runs_done"] == 12


def test_a_policy_object_defined_outside_the_registry_runs_on_dask():
    policy = ReadsOnlyRegulars()
    assert policy.name not in jobsim.POLICIES
    serial = jobsim.sweep(BASE, {"caseload": [40.0, 90.0]}, replications=2, policy=policy, progress=False).runs
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        dask = jobsim.sweep(BASE, {"caseload": [40.0, 90.0]}, replications=2, policy=policy, executor="dask",
                            scheduler=cluster, progress=False).runs
    pd.testing.assert_frame_equal(dask.drop(columns="run_seconds"), serial.drop(columns="run_seconds"),
                                  check_exact=True)


def test_killing_a_dask_worker_mid_sweep_leaves_the_results_unchanged(tmp_path):
    base = BASE.replace(prep_policy="ahead")
    grid = {"caseload": [40.0, 90.0]}
    policy = SlowAhead()
    reference = jobsim.sweep(base, grid, replications=8, seed=1, policy=policy, progress=False).runs
    out = tmp_path / "s"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        killed = []

        def kill_one_when_half_way():  # the client is busy in sweep(): watch its store from here
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    stored = len(SweepStore(out).read_runs())
                except JobsimError:
                    stored = 0
                if stored >= 4:
                    victim = sorted(pids.values())[0]
                    os.kill(victim, signal.SIGKILL)
                    killed.append((victim, stored))
                    return
                time.sleep(0.02)

        watcher = threading.Thread(target=kill_one_when_half_way)
        watcher.start()
        result = jobsim.sweep(base, grid, replications=8, seed=1, policy=policy, executor="dask",
                              scheduler=client, out=out, progress=False)
        watcher.join()
        after = client.run(os.getpid)
    assert killed, "no worker was killed"
    victim, stored_then = killed[0]
    assert stored_then < 16  # it happened mid-sweep...
    assert victim not in after.values()  # ...and the worker was gone (the nanny started a new one)
    pd.testing.assert_frame_equal(result.runs.drop(columns="run_seconds"), reference.drop(columns="run_seconds"),
                                  check_exact=True)
    assert len(SweepStore(out).read_runs()) == 16


SPAWN_SCRIPT = textwrap.dedent("""
    import json, sys
    import jobsim
    from jobsim.policies import Ahead, register_policy

    class PrepareForRegulars(Ahead):           # defined in __main__, as in a notebook
        name = "regulars_ahead_spawn"

        def prepare_ahead(self, booking, scenario):
            return booking.citizen.history[-2:] == [True, True]

    register_policy(PrepareForRegulars())
    base = jobsim.Scenario(workers=2, horizon_days=28, warmup_days=7, prep_policy="regulars_ahead_spawn")
    grid = {"caseload": [40.0, 90.0]}
    cols = ["point", "replication", *jobsim.KPI_NAMES]
    one = jobsim.sweep(base, grid, replications=3, progress=False).runs[cols]
    two = jobsim.sweep(base, grid, replications=3, jobs=2, progress=False).runs[cols]
    obj = jobsim.sweep(base.replace(prep_policy="ahead"), grid, replications=3, jobs=2, progress=False,
                       policy=PrepareForRegulars()).runs[cols]
    print(json.dumps({"same": bool(one.equals(two)), "same_as_object": bool(one.equals(obj)),
                      "rows": len(two), "prepared": float(two["prepared_share"].mean())}))
""")


@pytest.mark.skipif("spawn" not in __import__("multiprocessing").get_all_start_methods(), reason="no spawn")
def test_a_policy_defined_in_main_runs_under_spawn():
    # `python -c` has no file for the workers to import: only a policy sent by value can work there
    env = {**os.environ, "JOBSIM_START_METHOD": "spawn"}
    proc = subprocess.run([sys.executable, "-c", SPAWN_SCRIPT], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answer["same"] and answer["same_as_object"] and answer["rows"] == 6
    assert 0 < answer["prepared"] < 1


def test_a_policy_of_a_test_module_runs_under_spawn(monkeypatch, serial):
    monkeypatch.setenv("JOBSIM_START_METHOD", "spawn")
    policy = ReadsOnlyRegulars()
    one = jobsim.sweep(BASE, {"caseload": [40.0]}, replications=2, policy=policy, progress=False).runs
    two = jobsim.sweep(BASE, {"caseload": [40.0]}, replications=2, policy=policy, jobs=2, progress=False).runs
    pd.testing.assert_frame_equal(two.drop(columns="run_seconds"), one.drop(columns="run_seconds"), check_exact=True)


def test_bad_executor_and_scheduler_are_refused(capsys):
    with pytest.raises(JobsimError, match="executor: 'slurm' is not allowed; allowed: local, dask"):
        jobsim.sweep(BASE, {}, replications=1, executor="slurm", progress=False)
    with pytest.raises(JobsimError, match="scheduler: only used with executor='dask'"):
        jobsim.sweep(BASE, {}, replications=1, scheduler="tcp://127.0.0.1:1", progress=False)
    tiny = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]
    assert main(["sweep", "ds_norm", *tiny, "--scheduler", "tcp://127.0.0.1:1", "-r", "1"]) == 2
    assert "--scheduler: only used with --executor dask" in capsys.readouterr().err
    assert main(["sweep", "ds_norm", *tiny, "--executor", "dask", "--scheduler", "localhost", "-r", "1"]) == 2
    assert "'localhost' is not an address; allowed: tcp://HOST:PORT" in capsys.readouterr().err


def test_cli_sweep_on_dask_equals_local(tmp_path, monkeypatch, capsys):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        tiny = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]
        command = ["sweep", "ds_norm", *tiny, "--vary", "caseload=40,90", "-r", "2", "--quiet"]
        assert main([*command, "--out", str(tmp_path / "local")]) == 0
        monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)  # the default scheduler
        assert main([*command, "--executor", "dask", "--out", str(tmp_path / "dask")]) == 0
    local = pd.read_parquet(tmp_path / "local" / "runs.parquet").drop(columns="run_seconds")
    dask = pd.read_parquet(tmp_path / "dask" / "runs.parquet").drop(columns="run_seconds")
    pd.testing.assert_frame_equal(dask, local, check_exact=True)
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["sessions"][0]["executor"] == "dask"


# ------------------------------------------------------------------ a remote cluster is filled

def test_a_sweep_on_a_scheduler_fills_every_worker_whatever_jobs(tmp_path):
    grid = {"caseload": [40.0, 90.0]}
    columns = ["caseload", "point", "replication", "seed", *jobsim.KPI_NAMES]
    serial = jobsim.sweep(BASE, grid, replications=32, seed=6, progress=False).runs[columns]
    with distributed.LocalCluster(n_workers=4, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        client.get_task_stream()  # the scheduler records every task from here on
        result = jobsim.sweep(BASE, grid, replications=32, seed=6, executor="dask",  # jobs=1, the default
                              scheduler=cluster.scheduler_address, out=tmp_path / "s", progress=False)
        chunks = [t for t in client.get_task_stream() if str(t["key"]).startswith("jobsim-chunk-")]
        workers = set(client.nthreads())
    assert len(workers) == 4
    assert len(chunks) == 32  # 64 runs in chunks of 2: eight per worker, not chunks sized for one job (8 of 8)
    assert {t["worker"] for t in chunks} == workers  # every worker ran some
    pd.testing.assert_frame_equal(result.runs[columns], serial, check_exact=True)


def test_a_sweep_inside_another_clients_block_waits_on_its_own_clients_loop(monkeypatch):
    """In a notebook's ``with Client(...)`` block, a sweep given the scheduler's address makes a client of its own;
    its results must be gathered on that client's event loop, not the notebook client's (a result fetched again
    after a lost worker failed with "bound to a different event loop")."""
    made = []

    class Recording(distributed.as_completed):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(distributed, "as_completed", Recording)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as outer:
        seen = {}
        real_submit = distributed.Client.submit

        def submit(self, *args, **kwargs):
            seen["client"] = self
            return real_submit(self, *args, **kwargs)

        monkeypatch.setattr(distributed.Client, "submit", submit)
        jobsim.sweep(BASE, {"caseload": [40.0]}, replications=2, executor="dask",
                     scheduler=cluster.scheduler_address, progress=False)
    assert seen["client"] is not outer      # the sweep's own client
    assert len(made) == 1 and made[0].loop is seen["client"].loop


def test_a_sweep_of_fewer_runs_than_eight_per_worker_thread_sends_one_run_per_task():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        client.get_task_stream()
        jobsim.sweep(BASE, {"caseload": [40.0, 90.0]}, replications=10, executor="dask", scheduler=cluster,
                     progress=False)
        chunks = [t for t in client.get_task_stream() if str(t["key"]).startswith("jobsim-chunk-")]
    assert len(chunks) == 20  # 20 runs on 4 worker threads: one run per task (not 7 chunks of 3, sized for jobs=1)


# ------------------------------------------------------------------ scheduler addresses

TINY_SWEEP = ["sweep", "ds_norm", "--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7",
              "--vary", "caseload=40,60", "-r", "1", "--executor", "dask"]


@pytest.mark.parametrize("address", ["http://localhost:notaport", "localhost", "tcp://localhost", "tcp://:8786",
                                     "tcp://localhost:99999", "tcp://localhost:0", "tcp://local host:8786",
                                     "10.0.0.5:abc", "tcp://10.0.0.5:8786/", ""])
def test_a_malformed_scheduler_address_is_refused_before_anything_is_made(address, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([*TINY_SWEEP, "--scheduler", address]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"jobsim: error: --scheduler: {address!r} is not an address; allowed: tcp://HOST:PORT, "
                              "tls://HOST:PORT or HOST:PORT (read as tcp://HOST:PORT), PORT a number from 1 to 65535, "
                              "e.g. tcp://10.0.0.5:8786\n")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(JobsimError, match=r"^scheduler: .* is not an address; allowed: tcp://HOST:PORT"):
        jobsim.sweep(BASE, {}, replications=1, executor="dask", scheduler=address, out=tmp_path / "s",
                     progress=False)
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address or "nonsense")
    with pytest.raises(JobsimError, match=r"^DASK_SCHEDULER_ADDRESS: .* is not an address; allowed: tcp://HOST:PORT"):
        jobsim.sweep(BASE, {}, replications=1, executor="dask", out=tmp_path / "s", progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "10.0.0.5:8786", "tls://scheduler.example.org:8786",
                                     "tcp://[::1]:8786", "localhost:1", "tcp://localhost:65535"])
def test_the_address_forms_dask_connects_to_are_allowed(address):
    assert executors.check_address(address) == address


def test_an_unreachable_scheduler_gives_one_line_exit_2_and_leaves_no_folder(tmp_path, monkeypatch, capsys):
    import socket

    import dask

    with socket.socket() as probe:  # a port on this machine where nothing listens
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.chdir(tmp_path)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # Dask's own setting: the test is quick
        assert main([*TINY_SWEEP, "--scheduler", address]) == 2
        err = capsys.readouterr().err
        assert main([*TINY_SWEEP, "--scheduler", address, "--out", "mine"]) == 2
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"jobsim: error: --scheduler: cannot reach the Dask scheduler at {address!r} (")
    assert lines[0].endswith("); start it with 'dask scheduler' or give another address")
    assert list(tmp_path.iterdir()) == []  # neither outputs/sweep-... nor --out mine
