"""The one way jobsim writes a file: atomically, so a reader sees the old file or the whole new one.

The data goes to a fresh temporary file in the same folder (a unique name,
so two writers never collide), is flushed to disk (``fsync``, unless the
caller passes ``durable=False``) and then replaces the target in one step
(:func:`os.replace`). Without the flush a killed *process* still loses
nothing (the kernel has the data); only a power cut could. The sweep store
uses that for its many small per-run files, where a flush each would cost
more than the run. An ``OSError`` (a full disk, a read-only folder) names
the target file, not the temporary one. A killed or interrupted
writer leaves at most a hidden ``.NAME.PID.XXXX.tmp`` file, which
:func:`remove_temporaries` clears.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def write_frame(path: str | os.PathLike, frame, kind: str = "csv") -> Path:
    """Write a DataFrame as ``parquet`` or ``csv`` (no index, ``\\n`` line ends), atomically."""
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
