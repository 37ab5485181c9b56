"""The one atomic file writer (jobsim.runner.files): old file or whole new one, no temporaries left, fsync on request."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from jobsim.runner import files


def temporaries(folder):
    return sorted(p.name for p in folder.glob(files.TEMP_GLOB))


def test_write_atomic_writes_text_as_utf8_and_returns_the_path(tmp_path):
    path = tmp_path / "a.txt"
    assert files.write_atomic(path, "blåbær\n") == path
    assert path.read_bytes() == "blåbær\n".encode("utf-8")
    assert files.write_atomic(path, b"\x00\x01") == path  # bytes as they are, replacing the old file
    assert path.read_bytes() == b"\x00\x01"
    assert temporaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("old\n", encoding="utf-8")

    def half_then_fail(tmp):
        tmp.write_text("half of the new", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        files.write_with(path, half_then_fail)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert temporaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_an_interrupted_writer_leaves_no_file_when_there_was_none(tmp_path):
    path = tmp_path / "new.json"

    def interrupted(tmp):
        tmp.write_text("{", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_with(path, interrupted)
    assert list(tmp_path.iterdir()) == []


def test_the_writer_gets_a_hidden_temporary_beside_the_target(tmp_path):
    seen = []
    files.write_with(tmp_path / "x.bin", lambda tmp: (seen.append(tmp), tmp.write_bytes(b"1")))
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.name.startswith(".x.bin.") and tmp.name.endswith(".tmp")
    assert not tmp.exists() and (tmp_path / "x.bin").read_bytes() == b"1"
    assert files.temp_path(tmp_path / "x.bin") != files.temp_path(tmp_path / "x.bin")  # unique names


@pytest.mark.parametrize("durable, fsyncs", [(True, 1), (False, 0)])
def test_durable_flushes_the_file_to_disk_once_and_only_when_asked(tmp_path, monkeypatch, durable, fsyncs):
    calls = []
    real = files.os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (calls.append(fd), real(fd)))
    files.write_atomic(tmp_path / "a.txt", "x", durable=durable)
    files.write_json(tmp_path / "b.json", {"a": 1}, durable=durable)
    assert len(calls) == 2 * fsyncs
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "x"


def test_durable_is_the_default(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(files.os, "fsync", calls.append)
    files.write_atomic(tmp_path / "a.txt", "x")
    files.write_frame(tmp_path / "f.csv", pd.DataFrame({"a": [1]}))
    assert len(calls) == 2


def test_write_json_is_indented_utf8_and_refuses_nan_keeping_the_old_file(tmp_path):
    path = tmp_path / "m.json"
    files.write_json(path, {"navn": "Lærkevej", "n": [1, 2]})
    assert path.read_text(encoding="utf-8") == '{\n  "navn": "Lærkevej",\n  "n": [\n    1,\n    2\n  ]\n}\n'
    with pytest.raises(ValueError):
        files.write_json(path, {"x": math.nan})
    assert json.loads(path.read_text(encoding="utf-8")) == {"navn": "Lærkevej", "n": [1, 2]}
    assert temporaries(tmp_path) == []


def test_write_frame_csv_has_no_index_and_newline_line_ends(tmp_path):
    path = files.write_frame(tmp_path / "t.csv", pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), "csv")
    assert path.read_bytes() == b"a,b\n1,x\n2,y\n"


def test_remove_temporaries_removes_only_temporary_files(tmp_path):
    (tmp_path / ".run.json.123.abcd1234.tmp").write_text("half")
    (tmp_path / "run.json").write_text("{}")
    (tmp_path / "notes.tmp").write_text("not hidden, not ours")
    files.remove_temporaries(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.tmp", "run.json"]


def test_a_write_error_names_the_target_file_and_leaves_no_temporary(tmp_path):
    import errno

    from jobsim.runner.files import write_with

    def full_disk(tmp):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")  # what write() says: no file name

    with pytest.raises(OSError) as err:
        write_with(tmp_path / "runs.csv", full_disk)
    assert (err.value.errno, err.value.strerror, err.value.filename) == (
        errno.ENOSPC, "No space left on device", str(tmp_path / "runs.csv"))
    assert list(tmp_path.iterdir()) == []
