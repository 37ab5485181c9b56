"""The results store of a sweep: one folder that survives a crash and resumes.

Layout of a sweep folder ``DIR``::

    DIR/manifest.json         what was asked (scenario, grid, replications, seed), versions, sessions
    DIR/runs/p0003-r0012.json one file per finished run: KPIs, run seconds, error (if it failed)
    DIR/runs.parquet          all successful runs, one row per grid point and replication
    DIR/runs.csv              the same, for spreadsheets
    DIR/summary.csv           mean, sd and t interval per grid point and KPI
    DIR/failures.csv          only if some runs failed: which, and the error

The manifest is written before any run starts and each run's file as soon as
the run finishes, every file atomically (a temporary file in the same folder,
then :func:`os.replace`), so ``kill -9`` loses at most the runs in flight and
never leaves a half-written file behind. Started again with the same request,
a sweep reads the run files and runs only what is missing (a run that failed
is tried again). A folder holding a different sweep is refused with a message
saying what differs. The run files are the source of truth;
``runs.parquet``/``.csv`` are written when a sweep ends.

Files are not fsync'ed: a killed process loses nothing the kernel has already
accepted; a power cut may lose the last few runs, which are then simply run
again.

A folder that cannot be written is refused by :meth:`SweepStore.open`, before
any run. A write that fails later (a full disk) raises :class:`StoreWriteError`
naming the file and the system's reason; the runs already stored are kept.
:func:`request_digest` fingerprints a request; ``jobsim sweep`` names its
default folder with it (:func:`jobsim.runner.sweep.default_folder`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import socket
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from .files import remove_temporaries, write_json
from .manifest import read_manifest, write_manifest

#: Marks a manifest as a sweep's (other jobsim outputs write other kinds).
KIND = "jobsim-sweep"
#: Version of the folder layout; bump when it changes incompatibly.
FORMAT = 1
MANIFEST = "manifest.json"
#: The manifest keys that identify a sweep: a folder holding other values is a different sweep.
REQUEST_KEYS = ("scenario", "grid", "replications", "seed", "policy")
RUNS = "runs"
LOCK = ".lock"

_RUN_FILE = re.compile(r"^p(\d+)-r(\d+)\.json$")


def encode_float(x: float) -> float | str | None:
    """A float as strict JSON: NaN -> null, infinities -> "inf"/"-inf"."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def decode_float(x: Any) -> float:
    """Inverse of :func:`encode_float`."""
    if x is None:
        return math.nan
    return float(x)


# ------------------------------------------------------------- write errors

class StoreWriteError(JobsimError):
    """A file of a sweep folder could not be written (read-only folder, full disk): ``.path`` and ``.reason``."""

    def __init__(self, path: str | os.PathLike, reason: str):
        super().__init__(f"cannot write {str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason


@contextmanager
def writing(path: str | os.PathLike) -> Iterator[None]:
    """Turn an ``OSError`` into a :class:`StoreWriteError` naming the file (or else ``path``) and the reason."""
    try:
        yield
    except OSError as err:
        raise StoreWriteError(err.filename or path, err.strerror or str(err)) from None


# ------------------------------------------------------------- the store

def run_file_name(point: int, replication: int) -> str:
    """The file name of one run, e.g. ``p0003-r0012.json``."""
    return f"p{point:04d}-r{replication:04d}.json"


class SweepStore:
    """One sweep folder: its manifest and its run files.

    Open it with :meth:`open` (to run a sweep) or :meth:`read` (to load one).
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs_dir = self.root / RUNS
        self.manifest_path = self.root / MANIFEST
        self._locked = False

    # -------------------------------------------------------------- opening
    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any]) -> "SweepStore":
        """Open ``root`` for the sweep described by ``manifest``: create it, or check it holds the same sweep.

        ``manifest`` is the first manifest (see :func:`jobsim.runner.manifest.run_manifest`); its keys in
        :data:`REQUEST_KEYS` (scenario, grid, replications, seed, policy) identify the sweep. Raises
        :class:`JobsimError` if the folder holds something else or a different sweep, or another
        live process is writing to it.
        """
        store = cls(root)
        root = store.root
        if root.exists() and not root.is_dir():
            raise JobsimError(f"--out: {str(root)!r} exists and is not a folder")
        if store.manifest_path.exists():
            stored = store.read_manifest()
            if stored.get("kind") != KIND:
                raise JobsimError(f"--out: {str(root)!r} holds another jobsim output, not a sweep; "
                                  "choose a new or empty folder")
            differences = describe_differences(request_of(stored), request_of(manifest))
            if differences:
                raise JobsimError(f"--out: {str(root)!r} holds a different sweep ({'; '.join(differences)}); "
                                  "choose a new folder to start a new sweep, or repeat the stored "
                                  "request to continue this one")
            _warn_if_other_code(root, stored, manifest)
            with _checked_destination(root):
                store._lock()
        else:
            if root.exists() and any(p.name != LOCK for p in root.iterdir()):
                raise JobsimError(f"--out: {str(root)!r} is not empty and holds no jobsim sweep "
                                  f"(no {MANIFEST}); choose a new or empty folder")
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise JobsimError(f"--out: cannot create folder {str(root)!r}: {err.strerror}") from None
            with _checked_destination(root):
                store._lock()
                write_manifest(store.manifest_path, {**manifest, "kind": KIND, "format": FORMAT, "sessions": []})
        with _checked_destination(root):
            store.runs_dir.mkdir(exist_ok=True)
        remove_temporaries(store.runs_dir)  # left by a killed process; we hold the lock now
        return store

    @classmethod
    def finished_runs(cls, root: str | Path, points: int, replications: int) -> dict[tuple[int, int], dict[str, Any]]:
        """The successful runs stored in ``root`` that belong to a sweep of ``points`` x ``replications``.

        Nothing (an empty dict) for a folder that does not exist or holds no run files yet.
        """
        runs = cls(root).read_runs()
        return {k: r for k, r in runs.items() if not r.get("error") and k[0] < points and k[1] < replications}

    @classmethod
    def read(cls, root: str | Path) -> "SweepStore":
        """A store for reading an existing sweep folder (no lock taken)."""
        store = cls(root)
        if not store.manifest_path.exists():
            raise JobsimError(f"{str(store.root)!r} is not a sweep folder (no {MANIFEST} in it)")
        stored = store.read_manifest()
        if stored.get("kind") != KIND:
            raise JobsimError(f"{str(store.root)!r} holds another jobsim output, not a sweep")
        if stored.get("format", FORMAT) > FORMAT:
            raise JobsimError(f"{str(store.root)!r} was written by a newer jobsim (format "
                              f"{stored.get('format')}); upgrade jobsim to read it")
        return store

    # ---------------------------------------------------------------- lock
    def _lock(self) -> None:
        """Refuse a second live process writing to the same folder (a dead one's lock is taken over)."""
        path = self.root / LOCK
        me = {"pid": os.getpid(), "host": socket.gethostname()}
        try:
            other = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            other = None
        if (isinstance(other, dict) and other.get("host") == me["host"] and other.get("pid") != me["pid"]
                and _alive(other.get("pid"))):
            raise JobsimError(f"out: another jobsim process (pid {other['pid']}) is writing to "
                              f"{str(self.root)!r}; wait for it or stop it first")
        write_json(path, me)
        self._locked = True

    def close(self) -> None:
        """Release the folder for other processes."""
        if self._locked:
            try:
                (self.root / LOCK).unlink()
            except OSError:
                pass
            self._locked = False

    # ------------------------------------------------------------ manifest
    def read_manifest(self) -> dict[str, Any]:
        """The manifest as a dict."""
        return read_manifest(self.manifest_path)

    def update_manifest(self, **changes: Any) -> dict[str, Any]:
        """Rewrite the manifest with ``changes`` merged in (atomically); :class:`StoreWriteError` if it cannot."""
        manifest = self.read_manifest()
        manifest.update(changes)
        with writing(self.manifest_path):
            write_manifest(self.manifest_path, manifest)
        return manifest

    # ---------------------------------------------------------------- runs
    def write_run(self, record: Mapping[str, Any]) -> Path:
        """Write one finished run (see :func:`encode_run`) to its own file, atomically."""
        path = self.runs_dir / run_file_name(record["point"], record["replication"])
        with writing(path):
            return write_json(path, encode_run(record), durable=False)  # one small file per run: see files.py

    def run_files(self) -> dict[tuple[int, int], Path]:
        """(point, replication) -> path of every run file present."""
        out = {}
        if self.runs_dir.is_dir():
            for path in self.runs_dir.iterdir():
                m = _RUN_FILE.match(path.name)
                if m:
                    out[(int(m.group(1)), int(m.group(2)))] = path
        return out

    def read_runs(self) -> dict[tuple[int, int], dict[str, Any]]:
        """(point, replication) -> run record, for every readable run file.

        A file that cannot be read (it should not happen: files are written
        atomically) is skipped, so its run is done again.
        """
        out = {}
        for key, path in sorted(self.run_files().items()):
            try:
                record = decode_run(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if (record["point"], record["replication"]) == key:
                out[key] = record
        return out


@contextmanager
def _checked_destination(root: Path) -> Iterator[None]:
    """Before any run: a folder that cannot be written is refused with one message."""
    try:
        with writing(root):
            yield
    except StoreWriteError as err:
        raise JobsimError(f"--out: {err}; choose a folder you can write to") from None


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


# ------------------------------------------------------------- records

def encode_run(record: Mapping[str, Any]) -> dict[str, Any]:
    """A run record as strict JSON (KPIs: NaN -> null, infinities -> "inf")."""
    out = dict(record)
    out["kpis"] = {k: encode_float(v) for k, v in record.get("kpis", {}).items()}
    return out


def decode_run(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`encode_run`."""
    out = dict(obj)
    out["point"] = int(obj["point"])
    out["replication"] = int(obj["replication"])
    out["kpis"] = {k: decode_float(v) for k, v in (obj.get("kpis") or {}).items()}
    return out


def _code_of(manifest: Mapping[str, Any]) -> tuple[Any, Any]:
    source = manifest.get("source") or {}
    return (manifest.get("versions") or {}).get("jobsim"), source.get("commit")


def _warn_if_other_code(root: Path, stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> None:
    """Finished runs are reused as they are; say so when they were made by other jobsim code."""
    (old_version, old_commit), (new_version, new_commit) = _code_of(stored), _code_of(wanted)
    if old_version != new_version or (old_commit and new_commit and old_commit != new_commit):
        warnings.warn(
            f"{str(root)!r}: its finished runs were made by jobsim {old_version} (commit {str(old_commit)[:10]}), "
            f"this is jobsim {new_version} (commit {str(new_commit)[:10]}); they are reused as they are. "
            "Start a new folder if the model has changed since.", UserWarning, stacklevel=3)


def request_of(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a sweep manifest that identifies the sweep (see :data:`REQUEST_KEYS`)."""
    # through JSON, so that a fresh request (tuples, ints for floats) compares equal to a stored one
    return json.loads(json.dumps({key: manifest.get(key) for key in REQUEST_KEYS}))


def request_digest(manifest: Mapping[str, Any]) -> str:
    """A short fingerprint of a sweep request (:data:`REQUEST_KEYS`): the same request, the same ten hex digits."""
    text = json.dumps(request_of(manifest), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def describe_differences(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    """What differs between two sweep requests, one short phrase per difference."""
    out = []
    for key in sorted(set(stored) | set(wanted), key=lambda k: (k != "scenario", k != "grid", k)):
        a, b = stored.get(key), wanted.get(key)
        if a == b:
            if isinstance(a, dict) and isinstance(b, dict) and list(a) != list(b):
                out.append(f"{key}: stored in the order {', '.join(a)}, now {', '.join(b)}")
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            for name in [*a, *(k for k in b if k not in a)]:
                if a.get(name) != b.get(name):
                    out.append(f"{key} {name}: stored {_short(a.get(name))}, now {_short(b.get(name))}")
        else:
            out.append(f"{key}: stored {_short(a)}, now {_short(b)}")
    return out


def _short(value: Any) -> str:
    if value is None:
        return "not set"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
