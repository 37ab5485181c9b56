"""Time ``jobsim --help`` and ``jobsim --version`` (target: under 0.3 s each), against a bare ``python -c pass``.

Each command is started ``--repeat`` times as a fresh process; the median wall
time is printed. Run from the repository root (or with jobsim installed):

    python benchmarks/cli_startup.py [--repeat 10]

Also lists the heavy modules (pandas, NumPy, SciPy, matplotlib, SALib, Dask,
SimPy, the model) that ``jobsim --help`` imports: there should be none (see
the docstring of ``jobsim/cli/__init__.py`` for the rule commands follow).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "SALib", "distributed", "simpy", "jobsim.model")


def _time(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``repeat`` fresh starts, seconds."""
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=10, help="starts per command (default 10); the median is shown")
    args = p.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with the load; "
          "CPU times much less)")
    wall, cpu = _time([sys.executable, "-c", "pass"], args.repeat)
    print(f"python -c pass:    wall {wall:6.3f} s, CPU {cpu:6.3f} s (the interpreter alone)")
    for flag in ("--help", "--version"):
        wall, cpu = _time([sys.executable, "-m", "jobsim", flag], args.repeat)
        print(f"jobsim {flag:<10} wall {wall:6.3f} s, CPU {cpu:6.3f} s, medians of {args.repeat} (target 0.3 s)")
    probe = ("import sys; from jobsim.cli import main; main(['--help'])\n"
             "print(' '.join(sorted(m for m in sys.modules)), file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stderr.split()
    heavy = sorted({m.split(".")[0] if not m.startswith("jobsim") else m for m in loaded
                    if any(m == h or m.startswith(h + ".") for h in HEAVY)})
    print(f"heavy modules imported by --help: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
