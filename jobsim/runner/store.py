"""The results store of a sweep: one folder, one database file, that survives a crash and resumes.

Layout of a sweep folder ``DIR``::

    DIR/manifest.json         what was asked (scenario, grid, replications, seed), versions, sessions
    DIR/runs.sqlite           every finished run, one row each: KPIs, run seconds, error (if it failed)
    DIR/runs.parquet          all successful runs, one row per grid point and replication
    DIR/runs.csv              the same, for spreadsheets
    DIR/summary.csv           mean, sd and t interval per grid point and KPI
    DIR/failures.csv          only if some runs failed: which, and the error

The manifest is written (atomically) before any run starts. ``runs.sqlite`` is
an SQLite database (Python's own :mod:`sqlite3`) with one table, ``runs``,
keyed by ``(point, replication)``: one row per run, never two, whatever was
interrupted. Each result is written by the client process as it arrives, in a
transaction of its own (write-ahead log), so ``kill -9`` at any moment loses at
most the runs in flight and never a stored one: SQLite rolls back a
half-written transaction when the file is next opened. One file per sweep
keeps a 100,000-run design to one file instead of 100,000. Started again with
the same request, a sweep reads the stored rows and runs only what is missing
(a run that failed is tried again). A folder holding a different sweep is
refused with a message saying what differs. ``runs.sqlite`` is the source of
truth; ``runs.parquet``/``.csv`` are written when a sweep ends. Read it with
any SQLite tool: ``SELECT point, replication, record FROM runs``, where
``record`` is the run as JSON (:func:`encode_run`).

Sweeps stored by jobsim 0.1 (format 1: a folder ``runs/`` with one JSON file
per run, ``p0003-r0012.json``) are still read, and continued: their new runs
go into ``runs.sqlite``, and a run present in both is taken from the database.

Transactions are not flushed to the disk one by one (``synchronous=NORMAL``):
a killed process loses nothing the kernel has already accepted; a power cut
may lose the last few runs, which are then simply run again.

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
import sqlite3
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from .files import remove_temporaries, write_json
from .manifest import read_manifest, write_manifest

#: Marks a manifest as a sweep's (other jobsim outputs write other kinds).
KIND = "jobsim-sweep"
#: Version of the folder layout; bump when it changes incompatibly (1: a JSON file per run; 2: runs.sqlite).
FORMAT = 2
MANIFEST = "manifest.json"
#: The database of runs (format 2).
DATABASE = "runs.sqlite"
#: The manifest keys that identify a sweep: a folder holding other values is a different sweep.
REQUEST_KEYS = ("scenario", "grid", "replications", "seed", "policy")
RUNS = "runs"
LOCK = ".lock"

_RUN_FILE = re.compile(r"^p(\d+)-r(\d+)\.json$")
_SCHEMA = ("CREATE TABLE IF NOT EXISTS runs (point INTEGER NOT NULL, replication INTEGER NOT NULL, "
           "failed INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (point, replication))")


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
    """One sweep folder: its manifest and its database of runs.

    Open it with :meth:`open` (to run a sweep) or :meth:`read` (to load one).
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.runs_dir = self.root / RUNS
        self.database_path = self.root / DATABASE
        self.manifest_path = self.root / MANIFEST
        self._locked = False
        self._db: sqlite3.Connection | None = None

    # -------------------------------------------------------------- opening
    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any], kind: str = KIND) -> "SweepStore":
        """Open ``root`` for the sweep described by ``manifest``: create it, or check it holds the same sweep.

        ``manifest`` is the first manifest (see :func:`jobsim.runner.manifest.run_manifest`); its keys in
        :data:`REQUEST_KEYS` (scenario, grid, replications, seed, policy) identify the sweep. Raises
        :class:`JobsimError` if the folder holds something else or a different sweep, or another
        live process is writing to it. ``kind`` marks the folder (a sweep's, or a design's for
        :mod:`jobsim.runner.design`).
        """
        store = cls(root)
        root = store.root
        if root.exists() and not root.is_dir():
            raise JobsimError(f"--out: {str(root)!r} exists and is not a folder")
        if store.manifest_path.exists():
            stored = store.read_manifest()
            if stored.get("kind") != kind:
                raise JobsimError(f"--out: {str(root)!r} holds another jobsim output, not a "
                                  f"{'sweep' if kind == KIND else 'design of this kind'}; choose a new or empty folder")
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
                write_manifest(store.manifest_path, {**manifest, "kind": kind, "format": FORMAT, "sessions": []})
        with _checked_destination(root):
            store._connection()  # created (or recovered after a kill) now: a folder we cannot write fails here
            if store.read_manifest().get("format", 1) < FORMAT:  # an old sweep continues in the database
                store.update_manifest(format=FORMAT)
        if store.runs_dir.is_dir():
            remove_temporaries(store.runs_dir)  # left by a killed process of jobsim 0.1; we hold the lock now
        return store

    @classmethod
    def finished_runs(cls, root: str | Path, points: int, replications: int) -> dict[tuple[int, int], dict[str, Any]]:
        """The successful runs stored in ``root`` that belong to a sweep of ``points`` x ``replications``.

        Nothing (an empty dict) for a folder that does not exist or holds no run files yet.
        """
        runs = cls(root).read_runs()
        return {k: r for k, r in runs.items() if not r.get("error") and k[0] < points and k[1] < replications}

    @classmethod
    def read(cls, root: str | Path, kind: str = KIND) -> "SweepStore":
        """A store for reading an existing sweep folder (no lock taken)."""
        store = cls(root)
        if not store.manifest_path.exists():
            raise JobsimError(f"{str(store.root)!r} is not a sweep folder (no {MANIFEST} in it)")
        stored = store.read_manifest()
        if stored.get("kind") != kind:
            raise JobsimError(f"{str(store.root)!r} holds another jobsim output, not a "
                              f"{'sweep' if kind == KIND else 'design of this kind'}")
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
        """Close the database and release the folder for other processes."""
        if self._db is not None:
            try:
                self._db.close()  # folds the write-ahead log back into runs.sqlite
            except sqlite3.Error:
                pass
            self._db = None
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
        """Store one finished run (see :func:`encode_run`) in its own transaction."""
        return self.write_runs([record])

    def write_runs(self, records: Iterable[Mapping[str, Any]]) -> Path:
        """Store finished runs in one transaction: all of them or, if interrupted, none.

        A run stored before under the same ``(point, replication)`` (a failed run tried again) is
        replaced. Raises :class:`StoreWriteError` naming the database if it cannot be written.
        """
        rows = [(int(r["point"]), int(r["replication"]), 1 if r.get("error") else 0,
                 json.dumps(encode_run(r), allow_nan=False)) for r in records]
        db = self._connection()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO runs (point, replication, failed, record) VALUES (?, ?, ?, ?)",
                           rows)
            db.execute("COMMIT")
        except sqlite3.Error as err:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise StoreWriteError(self.database_path, str(err)) from None
        return self.database_path

    def _connection(self) -> sqlite3.Connection:
        """The database, opened for writing (created with its table if new)."""
        if self._db is None:
            try:
                db = sqlite3.connect(self.database_path, isolation_level=None, timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
            except sqlite3.Error as err:
                raise StoreWriteError(self.database_path, str(err)) from None
            self._db = db
        return self._db

    def run_files(self) -> dict[tuple[int, int], Path]:
        """(point, replication) -> path of every run file of the format-1 layout (``runs/*.json``)."""
        out = {}
        if self.runs_dir.is_dir():
            for path in self.runs_dir.iterdir():
                m = _RUN_FILE.match(path.name)
                if m:
                    out[(int(m.group(1)), int(m.group(2)))] = path
        return out

    def read_runs(self) -> dict[tuple[int, int], dict[str, Any]]:
        """(point, replication) -> run record, for every readable stored run (database, and old run files).

        A record that cannot be read (it should not happen: writes are transactions) is skipped,
        so its run is done again.
        """
        out = {}
        for key, path in sorted(self.run_files().items()):  # format 1
            try:
                record = decode_run(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if (record["point"], record["replication"]) == key:
                out[key] = record
        for point, replication, text in self._rows():
            try:
                record = decode_run(json.loads(text))
            except (ValueError, KeyError, TypeError):
                continue
            if (record["point"], record["replication"]) == (point, replication):
                out[(point, replication)] = record
        return dict(sorted(out.items()))

    def _rows(self) -> list[tuple[int, int, str]]:
        """Every row of the database (none if there is no database yet)."""
        if self._db is not None:
            return self._db.execute("SELECT point, replication, record FROM runs").fetchall()
        if not self.database_path.is_file():
            return []
        # read-write if allowed (the last connection to close removes the write-ahead log files), else read-only
        for mode in ("rw", "ro"):
            try:
                db = sqlite3.connect(f"{self.database_path.resolve().as_uri()}?mode={mode}", uri=True, timeout=60)
                try:
                    return db.execute("SELECT point, replication, record FROM runs").fetchall()
                finally:
                    db.close()
            except sqlite3.Error as err:
                problem = err
        raise JobsimError(f"cannot read {str(self.database_path)!r}: {problem}")

    def count_runs(self) -> int:
        """How many runs the database holds (failed ones included); 0 without a database."""
        return len(self._rows())


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
    # through JSON, so that a fresh request (tuples, ints for floats) compares equal to a stored one;
    # "design" (the points of a design, jobsim.runner.design) only where there is one, so sweeps keep their digest
    keys = (*REQUEST_KEYS, "design") if "design" in manifest else REQUEST_KEYS
    return json.loads(json.dumps({key: manifest.get(key) for key in keys}))


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
