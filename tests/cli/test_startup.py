"""``jobsim --help`` and ``--version`` stay quick: building the parser imports no heavy library."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "SALib", "distributed", "simpy", "pydantic", "jobsim.model",
         "jobsim.runner.simulate", "jobsim.runner.sweep", "jobsim.gsa")

PROBE = """
import json, sys
from jobsim.cli import build_parser, main
build_parser()
code = main([sys.argv[1]])
print(json.dumps({"code": code, "loaded": sorted(m for m in sys.modules)}), file=sys.stderr)
"""


def _loaded(flag: str) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, flag], capture_output=True, text=True, timeout=120)
    answer = json.loads(proc.stderr.strip().splitlines()[-1])
    return answer["code"], answer["loaded"]


def test_help_and_version_import_no_heavy_library():
    for flag in ("--help", "--version"):
        code, loaded = _loaded(flag)
        assert code == 0
        heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
        assert heavy == [], f"jobsim {flag} imported {heavy[:5]}"


def test_the_public_names_still_load_on_first_use():
    proc = subprocess.run([sys.executable, "-c", "import jobsim, sys; print('pandas' in sys.modules); "
                           "from jobsim import simulate, sensitivity, Scenario; print(callable(sensitivity), "
                           "'pandas' in sys.modules, sorted(jobsim.KPI_NAMES) == sorted(jobsim.KPIS))"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "True", "True", "True"]
