"""Shared plumbing for the scripts in ``experiments/``: arguments, output folder, figures, errors.

Every experiment script is run as ``python experiments/NAME.py [--quick]
[--out DIR] [--jobs N] [--lang en|da] [--seed N] [--replications N]
[--quiet]`` and writes CSV, PNG, SVG and a manifest to ``outputs/NAME/``
(relative to the current directory) unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from ..runner import files
from ..runner.manifest import jsonable
from ..report.words import LANGS


def experiment_parser(name: str, description: str, replications: int = 20) -> argparse.ArgumentParser:
    """The common argument parser of an experiment script."""
    p = argparse.ArgumentParser(prog=f"python experiments/{name}.py", description=description)
    p.add_argument("--quick", action="store_true",
                   help="a small version (fewer points, replications and days) that finishes in well under a minute")
    p.add_argument("--out", type=Path, default=Path("outputs") / name,
                   help=f"output folder (default: outputs/{name})")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of figure labels")
    p.add_argument("--seed", type=int, default=0, help="base seed of the random streams")
    p.add_argument("--replications", type=int, default=None,
                   help=f"replications per point (default: {replications}, or fewer with --quick)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def check_args(args: argparse.Namespace) -> None:
    """Refuse nonsensical common arguments with one clear message."""
    if args.jobs < 1:
        raise JobsimError(f"--jobs: {args.jobs} is not allowed; use 1 or more")
    if args.replications is not None and args.replications < 2:
        raise JobsimError(f"--replications: {args.replications} is too few for a confidence interval; use 2 or more")
    if args.seed < 0:
        raise JobsimError(f"--seed: {args.seed} is not allowed; use a non-negative integer")


def invocation(args: argparse.Namespace, argv: list[str] | None = None) -> dict[str, Any]:
    """How a script was called, for its manifest: the command line and the parsed arguments."""
    words = argv if argv is not None else sys.argv[1:]
    return {"command": " ".join([Path(sys.argv[0]).name, *words]),
            "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}


def save_figure(fig, out: Path, stem: str) -> list[Path]:
    """Save a figure as PNG (for reading) and SVG (for reports); return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in ("png", "svg"):
        path = out / f"{stem}.{ext}"
        fig.savefig(path, dpi=150 if ext == "png" else None, bbox_inches="tight")
        paths.append(path)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return paths


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Write a result or manifest as JSON, atomically (NaN and infinities as null)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return files.write_json(path, jsonable(data))


def run_script(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run an experiment's ``main``; bad input gives one message and exit code 2, Ctrl-C exit 130."""
    t0 = time.perf_counter()
    try:
        code = main(argv)
    except JobsimError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; finished runs are kept in the output folder (run again to continue)", file=sys.stderr)
        return 130
    if "--quiet" not in (argv if argv is not None else sys.argv[1:]):
        print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return code
