"""Shared plumbing for the scripts in ``experiments/``: arguments, output folder, figures, errors.

Every experiment script is run as ``python experiments/NAME.py [--quick]
[--out DIR] [--force] [--jobs N] [--executor local|dask] [--scheduler ADDRESS]
[--lang en|da] [--seed N] [--replications N] [--quiet]`` and writes CSV, PNG, SVG and a manifest to ``outputs/NAME/``
(``outputs/NAME-quick/`` with ``--quick``, so a quick run never lands on a
full run's results), relative to the current directory, unless ``--out``
says otherwise. Its ``main`` returns :data:`jobsim.errors.EXIT_OK`.

:func:`output_folder` checks that folder before any work: finished results
(a ``manifest.json``) are not overwritten without ``--force``; an unfinished
run of the same experiment with the same settings is continued (its sweeps
resume); anything else is refused with one line saying what is there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, JobsimError
from ..model.scenario import Scenario
from ..report import style
from ..report.images import downscale_png  # one of the scripts' helpers (see __all__); it lives in report/
from ..report.words import LANGS
from ..runner import files
from ..runner.executors import EXECUTORS, check_address
from ..runner.manifest import jsonable, run_manifest

__all__ = ["experiment_parser", "check_args", "sweep_options", "output_folder", "invocation", "experiment_manifest", "save_figure", "write_json",
           "downscale_png", "run_script"]


def experiment_parser(name: str, description: str, replications: int = 20) -> argparse.ArgumentParser:
    """The common argument parser of an experiment script."""
    p = argparse.ArgumentParser(prog=f"python experiments/{name}.py", description=description)
    p.add_argument("--quick", action="store_true",
                   help="a small version (fewer points, replications and days) that finishes in well under a minute")
    p.add_argument("--out", type=Path, default=None,
                   help=f"output folder (default: outputs/{name}, or outputs/{name}-quick with --quick)")
    p.add_argument("--force", action="store_true",
                   help="write into --out even if it holds finished results (they are replaced)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel processes (default: all cores)")
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="where the sweeps run: local (--jobs processes, the default) or dask (a Dask cluster; "
                   "needs pip install \"jobsim[dask]\"); results are identical")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="with --executor dask: a running Dask scheduler (default: DASK_SCHEDULER_ADDRESS, else a "
                   "local cluster of --jobs processes)")
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
    if getattr(args, "scheduler", None) is not None and getattr(args, "executor", "local") != "dask":
        raise JobsimError("--scheduler: only used with --executor dask")
    if getattr(args, "scheduler", None) is not None:
        check_address(args.scheduler, "--scheduler")


def sweep_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keywords of :func:`jobsim.sweep` that say where runs execute: ``jobs``, ``executor``, ``scheduler``."""
    return {"jobs": args.jobs, "executor": getattr(args, "executor", "local"),
            "scheduler": getattr(args, "scheduler", None)}


#: Written into an experiment's folder before its work starts: which experiment, with which settings.
MARKER = ".experiment.json"
#: Arguments that change where or how fast results are made, or their labels, but not the runs themselves.
NOT_SETTINGS = ("out", "force", "jobs", "executor", "scheduler", "quiet", "lang", "docs_img")


def output_folder(args: argparse.Namespace, name: str) -> Path:
    """The experiment's output folder, checked before any work; sets ``args.out`` to it and returns it.

    Default ``outputs/NAME`` (``outputs/NAME-quick`` with ``--quick``). A new or empty folder is used;
    one that holds this experiment's *unfinished* run with the same settings (``--quick`` included) is
    continued; finished results (a ``manifest.json``), another experiment's or other settings' run, or
    other files are refused with one :class:`~jobsim.errors.JobsimError` line, unless ``--force``.
    Then the folder is created and marked (:data:`MARKER`) with the experiment and its settings.
    """
    out = Path(args.out) if args.out is not None else Path("outputs") / (f"{name}-quick" if args.quick else name)
    files.check_destination(out, force=True)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in sorted(vars(args).items())
                if k not in NOT_SETTINGS}
    mine = {"experiment": name, "settings": settings}
    problem = _folder_problem(out, mine)
    if problem and not args.force:
        raise JobsimError(f"--out: {str(out)!r} {problem}")
    try:
        if args.force:
            (out / "manifest.json").unlink(missing_ok=True)  # until this run finishes, the folder is unfinished
        out.mkdir(parents=True, exist_ok=True)
        files.write_json(out / MARKER, mine)
    except OSError as err:
        raise JobsimError(f"--out: cannot write to {str(out)!r}: {err.strerror or err}") from None
    args.out = out
    return out


def _folder_problem(out: Path, mine: dict[str, Any]) -> str | None:
    """What in ``out`` stops the experiment ``mine`` from writing there, as words; None if nothing does."""
    if not out.is_dir():
        return None
    names = sorted(p.name for p in out.iterdir() if p.name != MARKER)
    marker = _read_json(out / MARKER)
    if "manifest.json" in names:
        manifest = _read_json(out / "manifest.json") or {}
        what = (_describe(manifest["experiment"], (manifest.get("arguments") or {}).get("quick"))
                if manifest.get("experiment") else "another jobsim command")
        return (f"holds the finished results of {what}; add --force to run again and replace them, "
                "or choose another --out")
    if not names:
        return None
    if marker == mine:
        return None  # this experiment's unfinished run with the same settings: continue it
    if isinstance(marker, dict) and "experiment" in marker:
        theirs = marker.get("settings") or {}
        what = _describe(marker["experiment"], theirs.get("quick"))
        if marker["experiment"] == mine["experiment"] and theirs.get("quick") == mine["settings"].get("quick"):
            changed = ", ".join(f"--{k.replace('_', '-')} {theirs.get(k)} (now {v})"
                                for k, v in mine["settings"].items() if theirs.get(k) != v)
            return (f"holds an unfinished run of {what} with other settings: {changed}; run with those "
                    "settings to continue it, add --force to write here anyway, or choose another --out")
        return (f"holds an unfinished run of {what}; run that to continue it, add --force to write here "
                "anyway, or choose another --out")
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (f"holds other files ({shown}), not results of {_describe(mine['experiment'], None)}; choose another "
            "--out, or add --force to write there anyway")


def _describe(experiment: Any, quick: Any) -> str:
    name = experiment or "an experiment"
    return f"{name} --quick" if quick else (f"{name} (full run)" if quick is False else str(name))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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


def save_figure(fig, out: str | Path, stem: str, *, quick: bool = False, lang: str = "en") -> list[Path]:
    """Save a figure as PNG and SVG (:func:`jobsim.report.style.save_figure`); a ``quick`` run's figure gets
    the quick-run mark in place of its title, since findings from a few short runs are not results."""
    if quick:
        style.mark_quick(fig, lang)
    return style.save_figure(fig, out, stem)


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
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; finished runs are kept in the output folder (run again to continue)", file=sys.stderr)
        return EXIT_INTERRUPTED
    if "--quiet" not in (argv if argv is not None else sys.argv[1:]):
        print(f"done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return code
