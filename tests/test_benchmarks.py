"""The benchmark scripts run and print their figures (speed itself is measured, never asserted)."""

import subprocess
import sys

from conftest import ROOT


def test_model_benchmark_runs_and_prints_its_figures():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "model_benchmark.py"), "--scenario", "ds_norm",
                          "--repeat", "1", "--no-memory"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "bare-SimPy event times" in res.stdout and "events each" in res.stdout
