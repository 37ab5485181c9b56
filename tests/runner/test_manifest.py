"""Run manifests: complete, JSON-clean, written atomically, read back with clear errors."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform

import numpy as np
import pytest

from jobsim import JobsimError, Scenario
from jobsim.runner.manifest import MANIFEST_FORMAT, read_manifest, run_manifest, write_manifest


@pytest.fixture
def scenario() -> Scenario:
    return Scenario(name="tiny", workers=2, horizon_days=28, warmup_days=7, caseload=60.0)


def test_run_manifest_records_scenario_seed_versions_and_timing(scenario):
    started = dt.datetime(2024, 5, 1, 12, 30, 15, tzinfo=dt.timezone.utc)
    m = run_manifest(scenario, 7, replication=3, started=started, run_seconds=1.25)
    assert m["manifest_format"] == MANIFEST_FORMAT
    assert m["scenario"] == scenario.to_dict()
    assert m["scenario_name"] == "tiny"
    assert (m["seed"], m["replication"]) == (7, 3)
    assert m["started_utc"] == "2024-05-01T12:30:15+00:00"
    assert m["run_seconds"] == 1.25
    assert m["versions"]["python"] == platform.python_version()
    for package in ("jobsim", "simpy", "numpy", "pandas"):
        assert m["versions"][package], package
    assert m["versions"]["numpy"] == np.__version__
    assert m["platform"] == platform.platform()


def test_start_time_defaults_to_now_in_utc(scenario):
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    m = run_manifest(scenario, 0)
    after = dt.datetime.now(dt.timezone.utc)
    started = dt.datetime.fromisoformat(m["started_utc"])
    assert started.utcoffset() == dt.timedelta(0)
    assert before <= started <= after
    assert m["run_seconds"] is None and m["replication"] == 0


def test_start_time_in_another_zone_is_converted_to_utc(scenario):
    cet = dt.timezone(dt.timedelta(hours=1))
    m = run_manifest(scenario, 0, started=dt.datetime(2024, 1, 1, 9, 0, tzinfo=cet))
    assert m["started_utc"] == "2024-01-01T08:00:00+00:00"


def test_extra_keys_are_kept_but_may_not_overwrite_standard_ones(scenario):
    m = run_manifest(scenario, 1, grid={"caseload": [45, 90]}, replications=5)
    assert m["grid"] == {"caseload": [45, 90]} and m["replications"] == 5
    with pytest.raises(ValueError, match=r"\['versions'\]"):
        run_manifest(scenario, 1, versions={})
    with pytest.raises(ValueError, match=r"\['platform', 'started_utc'\]"):
        run_manifest(scenario, 1, started_utc="now", platform="x")


def test_a_plain_mapping_is_accepted_as_scenario():
    m = run_manifest({"name": "grid", "caseload": 45.0}, None, replication=None)
    assert m["scenario"] == {"name": "grid", "caseload": 45.0}
    assert m["seed"] is None and m["replication"] is None
    with pytest.raises(TypeError):
        run_manifest(42, 0)


def test_write_then_read_round_trips(tmp_path, scenario):
    m = run_manifest(scenario, 5, run_seconds=0.5, command="run", files=["a.csv", "b.csv"])
    path = write_manifest(tmp_path / "manifest.json", m)
    assert path == tmp_path / "manifest.json"
    back = read_manifest(path)
    assert back == m
    assert Scenario(**back["scenario"]) == scenario


def test_nan_infinity_and_numpy_values_become_plain_json(tmp_path, scenario):
    m = run_manifest(scenario, np.int64(3), kpis={"a": float("nan"), "b": math.inf, "c": np.float64(0.25)},
                     counts=np.array([1, 2]), out=tmp_path / "x")
    write_manifest(tmp_path / "m.json", m)
    text = (tmp_path / "m.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    back = json.loads(text)  # strict JSON: any reader can load it
    assert back["seed"] == 3
    assert back["kpis"] == {"a": None, "b": None, "c": 0.25}
    assert back["counts"] == [1, 2]
    assert back["out"] == str(tmp_path / "x")


def test_write_replaces_an_existing_manifest_and_leaves_no_temporary_file(tmp_path, scenario):
    path = tmp_path / "manifest.json"
    write_manifest(path, run_manifest(scenario, 1))
    write_manifest(path, run_manifest(scenario, 2))
    assert read_manifest(path)["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_a_failed_write_keeps_the_old_manifest(tmp_path, scenario):
    path = tmp_path / "manifest.json"
    write_manifest(path, run_manifest(scenario, 1))
    with pytest.raises(TypeError, match="object"):
        write_manifest(path, run_manifest(scenario, 2, bad=object()))
    assert read_manifest(path)["seed"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_written_manifest_honours_the_umask(tmp_path, scenario):
    old = os.umask(0o022)
    try:
        write_manifest(tmp_path / "m.json", run_manifest(scenario, 0))
    finally:
        os.umask(old)
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == 0o644


def test_read_manifest_errors_name_the_file(tmp_path):
    with pytest.raises(JobsimError, match=r"missing\.json: no such manifest file"):
        read_manifest(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(JobsimError, match=r"bad\.json: not a valid manifest \(JSON error at line 1"):
        read_manifest(bad)
    listing = tmp_path / "list.json"
    listing.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(JobsimError, match="expected a JSON object, got list"):
        read_manifest(listing)
