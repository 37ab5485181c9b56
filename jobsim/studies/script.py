"""Shared plumbing for the scripts in ``experiments/``: arguments, output folder, figures, errors.

Every experiment script is run as ``python experiments/NAME.py [--quick]
[--out DIR] [--jobs N] [--lang en|da] [--seed N] [--replications N]
[--quiet]`` and writes CSV, PNG, SVG and a manifest to ``outputs/NAME/``
(relative to the current directory) unless ``--out`` says otherwise. Its
``main`` returns :data:`jobsim.errors.EXIT_OK`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, JobsimError
from ..model.scenario import Scenario
from ..report.style import save_figure
from ..report.words import LANGS
from ..runner import files
from ..runner.manifest import jsonable, run_manifest

__all__ = ["experiment_parser", "check_args", "invocation", "experiment_manifest", "save_figure", "write_json",
           "downscale_png", "run_script"]


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


def experiment_manifest(experiment: str, scenarios: Scenario | Mapping[str, Scenario], args: argparse.Namespace,
                        argv: list[str] | None = None, *, seed: int, replications: int | None,
                        grid: Mapping[str, Any], wall_seconds: float, files: Sequence[str | Path],
                        replication: int | None = None, **extra: Any) -> dict[str, Any]:
    """The manifest of an experiment script (see :func:`jobsim.runner.manifest.run_manifest`).

    The first scenario in full (``scenario``) and every scenario (``scenarios``),
    how the script was called (``command``, ``arguments``), the grid,
    replications, seed, versions, wall time (seconds), the files written (by
    name) and any ``extra`` keys.
    """
    named = {scenarios.name: scenarios} if isinstance(scenarios, Scenario) else dict(scenarios)
    first = next(iter(named.values()))
    return run_manifest(first, seed, replication=replication, run_seconds=wall_seconds, kind="experiment",
                        experiment=experiment, **invocation(args, argv),
                        scenarios={name: s.to_dict() for name, s in named.items()}, grid=dict(grid),
                        replications=replications, wall_seconds=round(wall_seconds, 3),
                        files=[Path(f).name for f in files], **extra)


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Write a result or manifest as JSON, atomically (NaN and infinities as null)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return files.write_json(path, jsonable(data))


def downscale_png(source: str | Path, target: str | Path, width: int = 900) -> Path:
    """Copy a PNG, scaled to ``width`` pixels wide (for docs/img: about 90 dpi from a 150 dpi figure)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as img:
        if img.width > width:
            img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
        files.write_with(target, lambda tmp: img.save(tmp, format="PNG", optimize=True, dpi=(90, 90)))
    return target


def run_script(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """Run an experiment's ``main``; bad input gives one message and exit code 2, Ctrl-C exit 130."""
    t0 = time.perf_counter()
    try:
        code = main(argv)
    except JobsimError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; finished runs are kept in the output folder (run again to continue)", file=sys.stderr)
        return EXIT_INTERRUPTED
    if "--quiet" not in (argv if argv is not None else sys.argv[1:]):
        print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return code
