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

A folder that cannot be written (no permission, a read-only disk) is refused
by :meth:`SweepStore.open`, before any run, as bad input. A full disk is not
bad input: at the start, or later, it raises :class:`StoreWriteError` naming
the file and the system's reason, with ``.no_room`` set; the runs already
stored are kept, and the same sweep started again once there is room goes on
(``jobsim sweep`` exits with 1). A folder that opening made and could not
finish setting up is removed again, so nothing is left behind. A
``runs.sqlite`` that holds no runs table (a full disk left it with a header
only, or zero bytes) is given its table; one that is not an SQLite database
at all is moved aside to ``runs.sqlite.unreadable`` (with a warning) and a new
one started.

One process writes a folder at a time: :meth:`SweepStore.open` takes an
exclusive lock (``fcntl.flock``) on ``DIR/.lock`` before it looks at the folder
and holds it until :meth:`SweepStore.close`. A second process (the same
command started twice) is refused at once, with a message saying that another
jobsim process is writing this folder right now. The operating system
releases the lock of a process that dies, even by ``kill -9``, so a killed
sweep never leaves its folder locked; the file ``.lock`` (holding the writer's
pid, for that message) is removed on close.
:func:`request_digest` fingerprints a request; ``jobsim sweep`` names its
default folder with it (:func:`jobsim.runner.sweep.default_folder`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import shutil
import sqlite3
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import JobsimError
from .files import remove_temporaries

try:
    import fcntl
except ImportError:  # Windows: msvcrt's byte lock does the same
    fcntl = None
    import msvcrt
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
#: Where a ``runs.sqlite`` that is not an SQLite database is moved (its bytes are kept, not destroyed).
UNREADABLE = "runs.sqlite.unreadable"

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

#: System errors that mean the disk (or the user's quota) is full, or failed: not the folder the user chose.
_NO_ROOM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
#: SQLite's primary result codes for the same (a full tmpfs gives "disk I/O error", not "disk is full").
_NO_ROOM_SQLITE = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR})
_NO_ROOM_SQLITE_TEXT = ("database or disk is full", "disk I/O error")


class StoreWriteError(JobsimError):
    """A file of a sweep folder could not be written (read-only folder, full disk): ``.path`` and ``.reason``.

    ``.no_room`` is True when the disk was full (or failed), so that the same sweep, started again once there
    is room, goes on; False when the folder itself cannot be written (no permission, a read-only disk).
    """

    def __init__(self, path: str | os.PathLike, reason: str, no_room: bool = False):
        super().__init__(f"cannot write {str(path)!r}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.no_room = no_room


def no_room(err: BaseException) -> bool:
    """Does ``err`` (an ``OSError`` or an ``sqlite3.Error``) mean a full or failing disk, not a forbidden folder?"""
    if isinstance(err, OSError):
        return err.errno in _NO_ROOM_ERRNOS
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _NO_ROOM_SQLITE  # the low byte is the primary code of an extended one
        return str(err) in _NO_ROOM_SQLITE_TEXT
    return False


def _sqlite_write_error(path: Path, err: sqlite3.Error) -> StoreWriteError:
    reason = str(err)
    if no_room(err) and reason == "disk I/O error":  # what SQLite says on a full tmpfs: say how full it is
        try:
            reason += f" ({shutil.disk_usage(path.parent).free / 1024:,.0f} KB free on its disk)"
        except OSError:
            pass
    return StoreWriteError(path, reason, no_room(err))


@contextmanager
def writing(path: str | os.PathLike) -> Iterator[None]:
    """Turn an ``OSError`` into a :class:`StoreWriteError` naming the file (or else ``path``) and the reason."""
    try:
        yield
    except OSError as err:
        raise StoreWriteError(err.filename or path, err.strerror or str(err), no_room(err)) from None


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
        self._lock_fd: int | None = None
        self._db: sqlite3.Connection | None = None

    # -------------------------------------------------------------- opening
    @classmethod
    def open(cls, root: str | Path, manifest: dict[str, Any], kind: str = KIND) -> "SweepStore":
        """Open ``root`` for the sweep described by ``manifest``: create it, or check it holds the same sweep.

        ``manifest`` is the first manifest (see :func:`jobsim.runner.manifest.run_manifest`); its keys in
        :data:`REQUEST_KEYS` (scenario, grid, replications, seed, policy) identify the sweep. Raises
        :class:`JobsimError` if the folder holds something else or a different sweep, or another
        process is writing to it right now (it holds the folder's lock), and :class:`StoreWriteError`
        (``.no_room``) if the disk is full; a folder made here is then removed again. ``kind`` marks the
        folder (a sweep's, or a design's for :mod:`jobsim.runner.design`).
        """
        store = cls(root)
        root = store.root
        if root.exists() and not root.is_dir():
            raise JobsimError(f"--out: {str(root)!r} exists and is not a folder")
        made = _make_folders(root)
        try:
            store._open(manifest, kind)
        except BaseException:
            store._discard(made)
            raise
        return store

    def _open(self, manifest: dict[str, Any], kind: str) -> None:
        root = self.root
        with _checked_destination(root):
            holder = self._lock()  # before the folder is looked at: a second process sees a folder being set up
        stored = None
        if self.manifest_path.exists():
            stored = self.read_manifest()
            if stored.get("kind") != kind:
                raise JobsimError(f"--out: {str(root)!r} holds another jobsim output, not a "
                                  f"{'sweep' if kind == KIND else 'design of this kind'}; choose a new or empty folder")
            differences = describe_differences(request_of(stored), request_of(manifest))
            if differences:
                raise JobsimError(f"--out: {str(root)!r} holds a different sweep ({'; '.join(differences)}); "
                                  "choose a new folder to start a new sweep, or repeat the stored "
                                  "request to continue this one")
        elif holder is None and any(not _set_up_by_jobsim(p.name) for p in root.iterdir()):
            raise JobsimError(f"--out: {str(root)!r} is not empty and holds no jobsim sweep "
                              f"(no {MANIFEST}); choose a new or empty folder")
        if holder is not None:
            raise JobsimError(f"another jobsim process{holder} is writing "
                              f"{'this sweep' if kind == KIND else 'this design'}'s folder {str(root)!r} right now; "
                              "wait for it to finish, or run the same command again after it has finished to "
                              "continue where it stopped")
        # we hold the lock: temporary files in the folder were left by a killed writer of this folder
        remove_temporaries(root)
        if stored is not None:
            _warn_if_other_code(root, stored, manifest)
        else:
            with _checked_destination(root):
                write_manifest(self.manifest_path, {**manifest, "kind": kind, "format": FORMAT, "sessions": []})
        with _checked_destination(root):
            self._connection()  # created (or recovered after a kill) now: a folder we cannot write fails here
            if self.read_manifest().get("format", 1) < FORMAT:  # an old sweep continues in the database
                self.update_manifest(format=FORMAT)
        if self.runs_dir.is_dir():
            remove_temporaries(self.runs_dir)  # left by a killed process of jobsim 0.1; we hold the lock now

    def _discard(self, made: list[Path]) -> None:
        """Opening failed: close, and remove the folders :meth:`open` made (with what it wrote in them)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if made and self._lock_fd is not None:  # files are removed while the lock is held: no one else wrote here
            for path in self.root.iterdir():
                if path.name != LOCK:
                    _unlink(path)
        self.close()
        for folder in made:  # the deepest first; one another process has just put something in stays
            try:
                folder.rmdir()
            except OSError:
                break

    @classmethod
    def finished_runs(cls, root: str | Path, points: int, replications: int) -> dict[tuple[int, int], dict[str, Any]]:
        """The successful runs stored in ``root`` that belong to a sweep of ``points`` x ``replications``.

        Nothing (an empty dict) for a folder that does not exist or holds no run files yet, or whose
        ``runs.sqlite`` is not a database (opening the folder moves it aside).
        """
        try:
            runs = cls(root).read_runs()
        except NotADatabase:
            return {}
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
    def _lock(self) -> str | None:
        """Take the folder's lock; None if taken, else who holds it (``" (pid 123)"``, or ``""`` if unknown).

        The lock is an exclusive ``flock`` on ``.lock``, held until :meth:`close`; the system releases it
        when the process ends in any way, so a killed sweep's folder is never locked for good.
        """
        path = self.root / LOCK
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                if not _try_lock(fd):
                    return _holder(fd)
                try:  # a holder that just finished removed the file we locked: lock the new one
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                break
            os.close(fd)
        self._lock_fd = fd
        os.ftruncate(fd, 0)  # who holds it, for the message another process gives
        os.write(fd, json.dumps({"pid": os.getpid()}).encode())
        return None

    def close(self) -> None:
        """Close the database and release the folder for other processes."""
        if self._db is not None:
            try:
                self._db.close()  # folds the write-ahead log back into runs.sqlite
            except sqlite3.Error:
                pass
            self._db = None
        if self._lock_fd is not None:
            _unlink(self.root / LOCK)  # before the lock is released (see _lock)
            os.close(self._lock_fd)
            self._lock_fd = None

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
            raise _sqlite_write_error(self.database_path, err) from None
        return self.database_path

    def _connection(self) -> sqlite3.Connection:
        """The database, opened for writing (created with its table if new, or if it has none).

        A file that is not an SQLite database is moved to :data:`UNREADABLE` (with its log files) and a new
        database started, with a warning: it holds no run jobsim can read.
        """
        if self._db is None:
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError as err:
                if not _not_a_database(err):
                    raise _sqlite_write_error(self.database_path, err) from None
                for suffix in ("", "-wal", "-shm"):
                    with writing(self.database_path):
                        if Path(f"{self.database_path}{suffix}").exists():
                            os.replace(f"{self.database_path}{suffix}", self.root / f"{UNREADABLE}{suffix}")
                warnings.warn(f"{str(self.database_path)!r} is not an SQLite database; it was moved to "
                              f"{UNREADABLE!r} and a new one started", UserWarning, stacklevel=2)
                try:
                    self._db = self._connect()
                except sqlite3.Error as err:
                    raise _sqlite_write_error(self.database_path, err) from None
        return self._db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.database_path, isolation_level=None, timeout=60)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)  # also gives a database left without its table (a full disk) its table
        except BaseException:
            db.close()
            raise
        return db

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
        """Every row of the database (none if there is no database yet, or it has no runs table)."""
        if self._db is not None:
            return self._db.execute("SELECT point, replication, record FROM runs").fetchall()
        if not self.database_path.is_file():
            return []
        # read-write if allowed (the last connection to close removes the write-ahead log files), else read-only
        for mode in ("rw", "ro"):
            try:
                db = sqlite3.connect(f"{self.database_path.resolve().as_uri()}?mode={mode}", uri=True, timeout=60)
                try:
                    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone():
                        return []  # made, but never given its table (a full disk at the start): no runs
                    return db.execute("SELECT point, replication, record FROM runs").fetchall()
                finally:
                    db.close()
            except sqlite3.Error as err:
                problem = err
        if _not_a_database(problem):
            raise NotADatabase(f"cannot read {str(self.database_path)!r}: {problem}")
        raise JobsimError(f"cannot read {str(self.database_path)!r}: {problem}")

    def count_runs(self) -> int:
        """How many runs the database holds (failed ones included); 0 without a database."""
        return len(self._rows())


class NotADatabase(JobsimError):
    """``runs.sqlite`` is not an SQLite database (:meth:`SweepStore.open` moves it aside)."""


@contextmanager
def _checked_destination(root: Path) -> Iterator[None]:
    """Before any run: a folder that cannot be written is refused with one message; a full disk is no bad input."""
    try:
        with writing(root):
            yield
    except StoreWriteError as err:
        if err.no_room:
            raise
        raise JobsimError(f"--out: {err}; choose a folder you can write to") from None


def _make_folders(root: Path) -> list[Path]:
    """Create ``root`` and its missing parents; return the folders made, the deepest first."""
    made = []
    folder = root
    while not folder.exists() and folder != folder.parent:
        made.append(folder)
        folder = folder.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                pass
        if no_room(err):
            raise StoreWriteError(root, err.strerror or str(err), True) from None
        raise JobsimError(f"--out: cannot create folder {str(root)!r}: {err.strerror}") from None
    return made


def _set_up_by_jobsim(name: str) -> bool:
    """Is a file of that name one a jobsim process makes before a folder has its manifest (its lock, its manifest
    being written)?"""
    return name == LOCK or (name.startswith(f".{MANIFEST}.") and name.endswith(".tmp"))


def _try_lock(fd: int) -> bool:
    """Lock the open file ``fd`` for this process, without waiting; False if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK):
            return False
        # a file system without locks (errno ENOLCK, EOPNOTSUPP: some network file systems): go on unlocked
    return True


def _holder(fd: int) -> str:
    """`` (pid 123)`` for the process that wrote ``fd`` (the lock's holder), or ``""`` if it cannot be read."""
    try:
        pid = json.loads(os.pread(fd, 200, 0) if hasattr(os, "pread") else b"").get("pid")
    except (OSError, ValueError, AttributeError):
        return ""
    return f" (pid {pid})" if isinstance(pid, int) else ""


def _not_a_database(err: BaseException) -> bool:
    code = getattr(err, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_NOTADB if code is not None else str(err) == "file is not a database"


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


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
