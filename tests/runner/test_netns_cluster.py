"""A real Dask cluster across network namespaces, and a worker whose link is cut mid-sweep (issue 21).

The scheduler, two workers and the client (the sweep) each run in a network namespace of their own,
joined by a bridge in a fifth namespace, on the private network 10.213.7.0/24 that exists only inside
these namespaces: no namespace has a default route and the bridge namespace has no address, so no
packet can leave them. Nothing is added to this machine's own namespace (the veth pairs are created
inside the bridge namespace with their far end placed directly in the peer's namespace).

The sweep's results must equal ``jobs=1`` bit for bit, also when worker 1's link is set down once the
first results are stored: the scheduler stops hearing from that worker, removes it after its time to
live (a few seconds with the settings of :data:`DASK_ENV`) and the chunks it was running are run again
on worker 2, with the same results (a run depends only on its scenario, seed and replication).

Needs root, ``ip`` (Debian package iproute2) and ``ip netns``; skipped, saying what is missing, where
they are not available. Under CI (the ``CI`` environment variable set) as root with ``ip`` a failing
setup fails the test instead: CI runs as root and has namespaces.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

import jobsim

pytestmark = pytest.mark.slow

NET = "10.213.7"  # a /24 that exists only inside the namespaces of this test
HOSTS = {"scheduler": 1, "w1": 2, "w2": 3, "client": 4}  # role -> last byte of its address
CODES = {"scheduler": "s", "w1": "w1", "w2": "w2", "client": "c"}  # role -> short name in names
PORT = 8786
SCHEDULER = f"tcp://{NET}.{HOSTS['scheduler']}:{PORT}"
#: Dask settings for every process of the cluster: a worker that stops heartbeating is removed after
#: max(2 s, 10 heartbeats of 0.5 s) = 5 s (checked every 2 s) instead of 5 minutes; a connection that
#: cannot be made gives up after 5 s, one whose data stays unacknowledged after 12 s (the least Dask
#: allows) instead of 30 s.
DASK_ENV = {
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_TTL": "2s",
    "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s",
    "DASK_DISTRIBUTED__COMM__TIMEOUTS__TCP": "12s",
}

SCENARIO = {"workers": 2, "horizon_days": 28, "warmup_days": 7}
GRID = {"caseload": [40.0, 80.0, 120.0]}
REPLICATIONS = 100
SEED = 5

#: The client, run in its own namespace: waits for the two workers, runs the sweep on the cluster
#: through the public API, then asks the scheduler which workers it has left and what it removed.
CLIENT = textwrap.dedent("""
    import json, pickle, sys
    import distributed
    import jobsim

    args = json.loads(sys.argv[1])
    client = distributed.Client(args["scheduler"], timeout="20s")
    client.wait_for_workers(2, timeout=40)
    before = sorted(client.scheduler_info()["workers"])
    # closed before the sweep: its own client is then the only one in this process, as in `jobsim sweep`
    # (a `with Client(...)` block around the sweep breaks the re-gather of a result lost with its worker:
    # executors' as_completed() takes the event loop of that current client, not of the sweep's own)
    client.close()
    with open(args["ready"], "w") as f:
        json.dump(before, f)
    result = jobsim.sweep(jobsim.Scenario(**args["scenario"]), args["grid"], replications=args["replications"],
                          seed=args["seed"], jobs=2, executor="dask", scheduler=args["scheduler"],
                          out=args["out"], progress=False)
    with distributed.Client(args["scheduler"], timeout="20s") as client:
        after = sorted(client.scheduler_info()["workers"])
        removed = [{"worker": msg.get("worker"), "processing": len(msg.get("processing-tasks") or ()),
                    "lost_computed": len(msg.get("lost-computed-tasks") or ())}
                   for _, msg in client.get_events("all")
                   if isinstance(msg, dict) and msg.get("action") == "remove-worker"]
    with open(args["runs"], "wb") as f:
        pickle.dump(result.runs, f)
    with open(args["report"], "w") as f:
        json.dump({"before": before, "after": after, "removed": removed}, f)
""")


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["ip", *args], check=False, capture_output=True, text=True, timeout=20)
    if check and proc.returncode != 0:
        raise RuntimeError(f"`ip {' '.join(args)}` failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def _unavailable(reason: str) -> None:
    """Skip; but under CI as root with ``ip`` (where namespaces must work) fail with the reason."""
    if os.environ.get("CI"):
        pytest.fail(f"network-namespace cluster: {reason} (CI runs as root with iproute2: this must work)")
    pytest.skip(reason)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Network:
    """The namespaces of one test run (pid-suffixed names) and the processes started in them."""

    def __init__(self, tmp_path: Path):
        tag = str(os.getpid())
        self.tmp = tmp_path
        self.bridge_ns = f"jsb{tag}"
        self.ns = {role: f"js{code}{tag}" for role, code in CODES.items()}
        # interface names (at most 15 characters): the bridge, and per role its end in the bridge
        # namespace and its end in its own namespace
        self.bridge = f"jsbr{tag}"
        self.outer = {role: f"jso{code}{tag}" for role, code in CODES.items()}
        self.inner = {role: f"jsi{code}{tag}" for role, code in CODES.items()}
        assert max(len(n) for n in [self.bridge, *self.outer.values(), *self.inner.values()]) <= 15
        self.procs: list[subprocess.Popen] = []
        self.logs: dict[str, Path] = {}

    @property
    def namespaces(self) -> list[str]:
        return [*self.ns.values(), self.bridge_ns]

    def create(self) -> None:
        for name in self.namespaces:  # left by an earlier run of the same pid that was killed
            if Path("/run/netns", name).exists():
                _ip("netns", "del", name, check=False)
        first = _ip("netns", "add", self.bridge_ns, check=False)
        if first.returncode != 0:
            _unavailable(f"cannot create a network namespace: `ip netns add {self.bridge_ns}` failed: "
                         f"{first.stderr.strip() or first.returncode}")
        try:
            b = self.bridge_ns
            _ip("-n", b, "link", "set", "lo", "up")
            _ip("-n", b, "link", "add", self.bridge, "type", "bridge")
            _ip("-n", b, "link", "set", self.bridge, "up")
            for role, host in HOSTS.items():
                ns, inner, outer = self.ns[role], self.inner[role], self.outer[role]
                _ip("netns", "add", ns)
                _ip("-n", ns, "link", "set", "lo", "up")
                _ip("-n", b, "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", ns)
                _ip("-n", b, "link", "set", outer, "master", self.bridge, "up")
                _ip("-n", ns, "addr", "add", f"{NET}.{host}/24", "dev", inner)
                _ip("-n", ns, "link", "set", inner, "up")
        except (RuntimeError, OSError, subprocess.SubprocessError) as err:
            _unavailable(f"setting up the namespaces failed: {err}")
        for ns in self.ns.values():  # only the /24, no default route: nothing can leave
            routes = _ip("-n", ns, "route", "show").stdout.split("\n")
            assert [r for r in routes if r.strip() and not r.startswith(f"{NET}.0/24 ")] == [], routes

    def start(self, role: str, argv: list[str]) -> subprocess.Popen:
        """``argv`` run in ``role``'s namespace, its output in a log file under the test's tmp_path."""
        log = self.tmp / f"{role}.log"
        self.logs[role] = log
        env = {**os.environ, **DASK_ENV, "PYTHONUNBUFFERED": "1"}
        with open(log, "wb") as out:
            proc = subprocess.Popen(["ip", "netns", "exec", self.ns[role], *argv], stdout=out,
                                    stderr=subprocess.STDOUT, env=env, cwd=self.tmp, start_new_session=True)
        self.procs.append(proc)
        return proc

    def link_state(self, role: str) -> str:
        return _ip("-n", self.ns[role], "-br", "link", "show", "dev", self.inner[role]).stdout.split()[1]

    def cut(self, role: str) -> None:
        _ip("netns", "exec", self.ns[role], "ip", "link", "set", self.inner[role], "down")

    def logs_tail(self) -> str:
        return "\n".join(f"--- {role}.log\n{_tail(path)}" for role, path in self.logs.items())

    def destroy(self) -> None:
        """Stop every process started here (by pid), then delete the namespaces (their links go with them)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        for name in self.namespaces:  # anything our processes left running in our namespaces
            for pid in _ip("netns", "pids", name, check=False).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        for name in self.namespaces:
            _ip("netns", "del", name, check=False)


@pytest.fixture
def network(tmp_path):
    if os.geteuid() != 0:
        pytest.skip(f"needs root to create network namespaces (running as uid {os.geteuid()})")
    if shutil.which("ip") is None:
        pytest.skip("the `ip` command is missing (Debian package iproute2)")
    try:
        import distributed  # noqa: F401
    except ImportError:
        _unavailable("Dask distributed is not installed (pip install \"jobsim[dask]\")")
    net = Network(tmp_path)
    try:
        net.create()
        yield net
    finally:
        net.destroy()


def stored_runs(out: Path) -> int:
    """Rows of the sweep folder's runs.sqlite so far (0 before it exists)."""
    try:
        with closing(sqlite3.connect(f"file:{out / 'runs.sqlite'}?mode=ro", uri=True, timeout=1)) as db:
            return db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.Error:  # not there yet
        return 0


def test_a_cluster_across_namespaces_equals_jobs_1_and_survives_a_cut_link(network, tmp_path):
    network.start("scheduler", [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                                f"{NET}.{HOSTS['scheduler']}", "--port", str(PORT), "--no-dashboard"])
    for role in ("w1", "w2"):  # no nanny: a worker that cannot be reached is removed, not restarted
        network.start(role, [sys.executable, "-m", "distributed.cli.dask_worker", SCHEDULER, "--host",
                             f"{NET}.{HOSTS[role]}", "--nworkers", "1", "--nthreads", "1", "--no-nanny",
                             "--no-dashboard", "--name", role, "--local-directory", str(tmp_path / role)])
    out, ready = tmp_path / "sweep", tmp_path / "ready.json"
    args = {"scheduler": SCHEDULER, "scenario": SCENARIO, "grid": GRID, "replications": REPLICATIONS,
            "seed": SEED, "out": str(out), "ready": str(ready), "runs": str(tmp_path / "runs.pkl"),
            "report": str(tmp_path / "report.json")}
    client = network.start("client", [sys.executable, "-c", CLIENT, json.dumps(args)])
    total = len(GRID["caseload"]) * REPLICATIONS

    # once both workers are in and the first results are stored, cut worker 1's link
    t0 = time.monotonic()
    deadline = t0 + 60
    stored_at_cut = None
    while time.monotonic() < deadline and client.poll() is None:
        if ready.exists() and (stored := stored_runs(out)) > 0:
            network.cut("w1")
            stored_at_cut, cut_at = stored, time.monotonic() - t0
            break
        time.sleep(0.01)
    if stored_at_cut is None:
        state = "ran for 60 s" if client.poll() is None else f"exited with {client.returncode}"
        pytest.fail(f"no run was stored before the client {state}\n{network.logs_tail()}")
    assert network.link_state("w1") == "DOWN"
    # the reference, in this process while the scheduler waits out worker 1's time to live
    local = jobsim.sweep(jobsim.Scenario(**SCENARIO), GRID, replications=REPLICATIONS, seed=SEED, jobs=1,
                         progress=False).runs
    try:
        client.wait(timeout=max(5.0, t0 + 90 - time.monotonic()))
    except subprocess.TimeoutExpired:
        pytest.fail(f"the sweep did not finish within 90 s of the start\n{network.logs_tail()}")
    assert client.returncode == 0, network.logs_tail()
    elapsed = time.monotonic() - t0
    assert network.link_state("w1") == "DOWN"  # still cut at the end: nothing came back over it

    report = json.loads((tmp_path / "report.json").read_text())
    w1, w2 = (f"tcp://{NET}.{HOSTS[r]}:" for r in ("w1", "w2"))
    assert [a.rsplit(":", 1)[0] + ":" for a in report["before"]] == [w1, w2], report
    # the scheduler lost worker 1 (it is gone, worker 2 is not) while it had runs to do...
    assert [a.rsplit(":", 1)[0] + ":" for a in report["after"]] == [w2], report
    lost = [r for r in report["removed"] if r["worker"].startswith(w1)]
    assert lost and lost[0]["processing"] + lost[0]["lost_computed"] > 0, report
    assert not any(r["worker"].startswith(w2) for r in report["removed"]), report
    assert 0 < stored_at_cut < total  # ...mid-sweep
    assert stored_runs(out) == total

    # ...and the results are those of jobs=1, bit for bit
    dask_runs = pd.read_pickle(tmp_path / "runs.pkl")
    assert len(dask_runs) == total
    pd.testing.assert_frame_equal(dask_runs.drop(columns="run_seconds"), local.drop(columns="run_seconds"),
                                  check_exact=True)
    print(f"cut worker 1 at {cut_at:.1f} s with {stored_at_cut}/{total} runs stored; sweep done at "
          f"{elapsed:.1f} s")
