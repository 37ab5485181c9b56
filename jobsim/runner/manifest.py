"""Run manifests: what made a result, stored beside it (the desmod habit).

Every output folder gets a ``manifest.json`` holding the full scenario, the
seed and replication, the versions of jobsim and its main dependencies, the
platform, when the run started (ISO 8601, UTC) and how long it took (seconds),
so any figure can be traced back to what produced it.

The functions are general: a sweep adds its own keys (grid, replications,
summary files) through ``**extra``.

>>> from jobsim import Scenario
>>> m = run_manifest(Scenario(), seed=3, replication=1, run_seconds=0.5, command="example")
>>> m["seed"], m["replication"], m["scenario"]["caseload"], m["command"]
(3, 1, 45.0, 'example')
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import os
import platform
import subprocess
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from .files import write_json

#: Bumped when the layout of the manifest changes in a way readers must know about.
MANIFEST_FORMAT = 1

#: Packages whose versions are recorded (the ones that can change results).
RECORDED_PACKAGES = ("jobsim", "simpy", "numpy", "pandas", "scipy")


def _package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


@functools.lru_cache(maxsize=1)
def _git_revision() -> dict[str, Any] | None:
    """The commit of the jobsim source tree, if it is a git checkout (an editable install), else None.

    Cached: a sweep asks once per run, and the answer does not change during a process.
    """
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                timeout=5, check=True).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "jobsim"],
                                cwd=root, capture_output=True, text=True, timeout=5, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    # "dirty": the package source differs from the commit, so the commit alone does not reproduce the run.
    return {"commit": commit, "dirty": bool(status.strip())}


def versions() -> dict[str, str | None]:
    """Versions of Python and of the packages that can change results (None if not installed)."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    out.update({name: _package_version(name) for name in RECORDED_PACKAGES})
    return out


def utc_now() -> _dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return _dt.datetime.now(_dt.timezone.utc)


def _iso(when: _dt.datetime | str | None) -> str:
    if when is None:
        when = utc_now()
    if isinstance(when, str):
        return when
    if when.tzinfo is None:  # naive datetimes are taken to be UTC already
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")


def run_manifest(scenario: Any, seed: int | None, *, replication: int | None = 0,
                 started: _dt.datetime | str | None = None, run_seconds: float | None = None,
                 **extra: Any) -> dict[str, Any]:
    """A JSON-ready record of one run (or of a sweep, with ``replication=None``).

    * ``scenario``: a :class:`~jobsim.Scenario` (stored in full via ``to_dict``) or a plain mapping.
    * ``seed``, ``replication``: the random-stream selectors passed to :func:`jobsim.simulate`.
    * ``started``: when the run started (default: now), stored as ISO 8601 in UTC.
    * ``run_seconds``: wall-clock time of the run, in seconds.
    * ``extra``: any further keys (command line, KPIs, file names, sweep grid...); they may not
      reuse the standard keys.
    """
    if hasattr(scenario, "to_dict"):
        scenario_dict = scenario.to_dict()
    elif isinstance(scenario, Mapping):
        scenario_dict = dict(scenario)
    else:
        raise TypeError("run_manifest expects a jobsim.Scenario or a mapping of parameters")
    manifest: dict[str, Any] = {
        "manifest_format": MANIFEST_FORMAT,
        "scenario_name": scenario_dict.get("name"),
        "seed": seed,
        "replication": replication,
        "started_utc": _iso(started),
        "run_seconds": None if run_seconds is None else float(run_seconds),
        "versions": versions(),
        "source": _git_revision(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "scenario": scenario_dict,
    }
    clash = sorted(set(extra) & set(manifest))
    if clash:
        raise ValueError(f"run_manifest: extra keys {clash} would overwrite standard keys; use other names")
    manifest.update(extra)
    return manifest


def jsonable(value: Any) -> Any:
    """Plain JSON types only. JSON has no NaN or infinity: those become None (a KPI with no observations)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy scalars and arrays
        return jsonable(value.tolist())
    if hasattr(value, "to_dict"):  # Scenario
        return jsonable(value.to_dict())
    raise TypeError(f"manifest value of type {type(value).__name__} cannot be written as JSON: {value!r}")


def write_manifest(path: str | os.PathLike, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest`` as indented JSON, atomically, and return the path.

    The text goes to a temporary file in the same folder which then replaces
    ``path`` in one step (:func:`os.replace`), so a reader never sees half a
    manifest even if the writer is interrupted. NaN and infinities are
    written as ``null``.
    """
    return write_json(path, jsonable(manifest))


def read_manifest(path: str | os.PathLike) -> dict[str, Any]:
    """Read a manifest written by :func:`write_manifest`.

    Raises :class:`~jobsim.errors.JobsimError` with one clear message if the
    file is missing or is not a JSON object.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobsimError(f"{path}: no such manifest file") from None
    except OSError as err:
        raise JobsimError(f"{path}: cannot read manifest ({err.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise JobsimError(f"{path}: not a valid manifest (JSON error at line {err.lineno}: {err.msg})") from None
    if not isinstance(data, dict):
        raise JobsimError(f"{path}: not a valid manifest (expected a JSON object, got {type(data).__name__})")
    return data
