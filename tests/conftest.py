"""Shared test helpers."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_experiment(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python experiments/NAME.py ARGS`` in a subprocess with the Agg backend; capture its output."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, str(ROOT / "experiments" / f"{name}.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
