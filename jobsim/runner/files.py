"""The one way jobsim writes a file: atomically, so a reader sees the old file or the whole new one.

The data goes to a fresh temporary file in the same folder (a unique name,
so two writers never collide), is flushed to disk (``fsync``, unless the
caller passes ``durable=False``) and then replaces the target in one step
(:func:`os.replace`). Without the flush a killed *process* still loses
nothing (the kernel has the data); only a power cut could. The sweep store
used that for its many small per-run files (jobsim 0.1), where a flush each would cost
more than the run. An ``OSError`` (a full disk, a read-only folder) names
the target file, not the temporary one. A killed or interrupted
writer leaves at most a hidden ``.NAME.PID.XXXX.tmp`` file, which
:func:`remove_temporaries` clears.

A folder of results is written the same way (:func:`folder_atomically`): it
is built under a hidden temporary name beside its destination and renamed to
it at the end, so an interrupted or failed command leaves nothing that blocks
the same command next time. :func:`check_destination` is the one check of an
output folder, made before any work is done.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import JobsimError

TEMP_GLOB = ".*.tmp"


def temp_path(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (same folder, so :func:`os.replace` is atomic)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def write_with(path: str | os.PathLike, write: Callable[[Path], None], durable: bool = True) -> Path:
    """Call ``write(temporary_path)`` and move the finished file onto ``path`` in one step.

    For writers that need a file name (pandas, matplotlib); ``write`` must create the file.
    """
    path = Path(path)
    tmp = temp_path(path)
    try:
        write(tmp)
        if durable:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, path)
    except OSError as err:
        _unlink(tmp)
        if err.errno is None:
            raise
        # name the file being written, not its temporary (a full disk fails on write() with no name at all)
        raise type(err)(err.errno, err.strerror, str(path)) from err
    except BaseException:
        _unlink(tmp)
        raise
    return path


def write_atomic(path: str | os.PathLike, data: bytes | str, durable: bool = True) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` atomically; returns the path."""
    if isinstance(data, str):
        data = data.encode("utf-8")

    def write(tmp: Path) -> None:
        # os.open with 0o666 honours the umask (mkstemp would make the file readable by its owner only)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)

    return write_with(path, write, durable)


def write_json(path: str | os.PathLike, obj: Any, default: Callable[[Any], Any] | None = None,
               durable: bool = True) -> Path:
    """Write ``obj`` as indented UTF-8 JSON, atomically (NaN and infinity are refused: encode them first)."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False, default=default) + "\n"
    return write_atomic(path, text, durable)


def can_write_parquet() -> bool:
    """True if pandas can write Parquet here: pyarrow, the optional extra ``pip install "jobsim[parquet]"``."""
    try:
        import pyarrow.parquet  # noqa: F401  (what pandas writes Parquet with)
    except ImportError:
        return False
    return True


def write_frame(path: str | os.PathLike, frame, kind: str = "csv") -> Path:
    """Write a DataFrame as ``parquet`` (needs :func:`can_write_parquet`) or ``csv`` (no index, ``\\n`` line ends),
    atomically."""
    if kind == "parquet":
        return write_with(path, lambda tmp: frame.to_parquet(tmp, index=False))
    return write_with(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n"))


def remove_temporaries(folder: str | os.PathLike) -> None:
    """Remove temporary files a killed writer left in ``folder`` (call only while no one else writes there)."""
    for tmp in Path(folder).glob(TEMP_GLOB):
        _unlink(tmp)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# ---------------------------------------------------------------- output folders


def check_destination(path: str | os.PathLike, option: str = "--out", *, force: bool = False,
                      allowed: str = "a new or empty folder") -> Path:
    """Check, before any work, that ``path`` can receive a folder of results; return it as a Path.

    Refused, with one :class:`~jobsim.errors.JobsimError` line naming ``option``, the path and what is
    allowed: a path that exists and is not a folder; a non-empty folder (unless ``force``); a place
    where no folder can be created or written (a read-only disk, ``/proc``, no permission).
    Nothing is created: the check makes and removes a hidden probe folder in the nearest existing
    ancestor.
    """
    path = Path(path)
    shown = str(path)
    if path.exists() and not path.is_dir():
        raise JobsimError(f"{option}: {shown!r} exists and is not a folder; allowed: {allowed}")
    if not force and path.is_dir() and any(path.iterdir()):
        raise JobsimError(f"{option}: folder {shown!r} is not empty; refusing to overwrite earlier results; "
                          f"allowed: {allowed}")
    base = path
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise JobsimError(f"{option}: cannot create {shown!r}: {str(base)!r} is not a folder; allowed: {allowed}")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".jobsim-probe-", suffix=".tmp", dir=base))
    except OSError as err:
        verb = "write to" if path.exists() else "create"
        raise JobsimError(f"{option}: cannot {verb} {shown!r}: {err.strerror or err}; allowed: {allowed} "
                          "in a place you can write to") from None
    return path


@contextmanager
def folder_atomically(path: str | os.PathLike, option: str = "--out", merge: bool = False) -> Iterator[Path]:
    """Build a folder of results under a temporary name beside ``path``; rename it to ``path`` at the end.

    ``with folder_atomically(out) as tmp:`` write the files into ``tmp``. When the block ends without an
    error the folder becomes ``path`` in one step (an empty ``path`` is replaced; with ``merge`` the files
    are moved into an existing ``path`` one by one, each replacing its namesake). On any error or
    interrupt the temporary folder is removed, so ``path`` is left as it was; an ``OSError`` (a full
    disk, a read-only place) becomes a :class:`~jobsim.errors.JobsimError` naming ``path`` and the reason.
    Temporary folders that a killed process left for the same ``path`` are removed first.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(path)
        tmp = temp_path(path)
        tmp.mkdir()
    except OSError as err:
        raise _write_error(option, path, err) from None
    try:
        yield tmp
        if merge and path.is_dir():
            for item in sorted(tmp.iterdir()):
                os.replace(item, path / item.name)
            tmp.rmdir()
        else:
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()  # an empty destination is replaced (os.rename onto a folder is not portable)
            os.rename(tmp, path)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _write_error(option, path, err) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_stale_folders(path: str | os.PathLike) -> None:
    """Remove the temporary folders of ``path`` whose writing process is gone (killed with ``kill -9``)."""
    path = Path(path)
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:].split(".")[0]
        if tmp.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _write_error(option: str, path: Path, err: OSError) -> JobsimError:
    return JobsimError(f"{option}: cannot write results to {str(path)!r}: {err.strerror or err}")
