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
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "SALib", "distributed", "simpy", "jobsim.model")


def _time(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=10, help="starts per command (default 10); the median is shown")
    args = p.parse_args(argv)
    bare = _time([sys.executable, "-c", "pass"], args.repeat)
    print(f"python -c pass:    {bare:6.3f} s (the interpreter alone)")
    for flag in ("--help", "--version"):
        wall = _time([sys.executable, "-m", "jobsim", flag], args.repeat)
        print(f"jobsim {flag:<10} {wall:6.3f} s median of {args.repeat}  (target 0.3 s)")
    probe = ("import sys; from jobsim.cli import main; main(['--help'])\n"
             "print(' '.join(sorted(m for m in sys.modules)), file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stderr.split()
    heavy = sorted({m.split(".")[0] if not m.startswith("jobsim") else m for m in loaded
                    if any(m == h or m.startswith(h + ".") for h in HEAVY)})
    print(f"heavy modules imported by --help: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
