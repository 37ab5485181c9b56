"""The one experiment engine: a sweep's request is built once, and the studies' own task functions go along the
same executor path as sweeps (the one process pool), with the same results for any number of jobs."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

import jobsim
from jobsim.cli import main
from jobsim.runner import engine, executors

grid_module = importlib.import_module("jobsim.runner.grid")
sweep_module = importlib.import_module("jobsim.runner.sweep")

TINY = ["--set", "workers=2", "--set", "horizon_days=28", "--set", "warmup_days=7"]


def square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_runs_gives_the_results_in_task_order(jobs):
    assert engine.map_runs(square, range(7), jobs=jobs) == [0, 1, 4, 9, 16, 25, 36]
    assert engine.map_runs(square, [], jobs=jobs) == []


def test_a_sweep_command_expands_its_grid_once_and_builds_its_manifest_once(tmp_path, monkeypatch, capsys):
    calls = {"expand_grid": 0, "run_manifest": 0}

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kw):
            calls[name] += 1
            return real(*args, **kw)

        monkeypatch.setattr(module, name, wrapper)

    counted(grid_module, "expand_grid")  # the name the command imports
    counted(sweep_module, "expand_grid")
    counted(sweep_module, "run_manifest")
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "ds_norm", *TINY, "--vary", "caseload=40,60", "-r", "2", "--quiet"]) == 0
    assert calls == {"expand_grid": 1, "run_manifest": 1}


@pytest.fixture
def executor_path(monkeypatch):
    """Counts the chunks handed to the one process pool by the executors (the path sweeps take)."""
    handed = []
    real = executors.run_tasks

    def counting(function, tasks, jobs, on_done):
        def each(results):
            handed.append(len(results))
            on_done(results)

        real(function, tasks, jobs, each)

    monkeypatch.setattr(executors, "run_tasks", counting)
    return handed


def _odense(jobs):
    from jobsim.studies.odense import odense_runs

    scenarios = {name: jobsim.load_scenario(name, workers=2, horizon_days=60, warmup_days=7)
                 for name in ("odense_frikommune", "odense_2017")}
    kpis, gaps = odense_runs(scenarios, replications=2, seed=3, jobs=jobs)
    return pd.concat([kpis.drop(columns="run_seconds"), gaps], keys=["kpis", "gaps"])


def _validation(jobs):
    from jobsim.validation.run import run_targets
    from jobsim.validation.targets import load_targets

    targets = [t for t in load_targets() if t.id in ("noshow_rate", "sms_noshow_cut")]
    return run_targets(targets, replications=2, seed=1, jobs=jobs, quick=True)


def _reduced(jobs):
    from jobsim.validation.reduced import ordering_experiment

    return ordering_experiment(noshow=(0.0, 0.2), cv=(0.2, 0.8), replications=2, jobs=jobs, horizon_days=20,
                               warmup_days=0)


def _recovery(jobs):
    from jobsim.studies.calibration import recovery, recovery_scenario

    return recovery(2, seed=4, scenario=recovery_scenario(horizon_days=120, warmup_days=14), jobs=jobs)


@pytest.mark.parametrize("study", [_odense, _validation, _reduced, _recovery])
def test_a_study_runs_on_the_one_executor_path_with_the_same_results_for_any_jobs(study, executor_path):
    serial = study(1)
    assert executor_path == []  # jobs=1: in this process, no pool at all
    parallel = study(2)
    assert len(executor_path) >= 2  # its tasks went to the pool in chunks, as a sweep's runs do
    pd.testing.assert_frame_equal(parallel, serial, check_exact=True)
