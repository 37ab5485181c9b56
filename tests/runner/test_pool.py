"""The one process pool (jobsim.runner.pool): every task once, results in task order from map_tasks."""

from __future__ import annotations

import time

import pytest

from jobsim.runner.pool import map_tasks, run_tasks


def slow_square(x: int) -> int:
    """Early tasks take longest, so with two workers they finish out of order."""
    time.sleep(0.05 * (4 - x) if x < 4 else 0)
    return x * x


@pytest.mark.parametrize("jobs", [1, 2])
def test_map_tasks_returns_results_in_task_order(jobs):
    assert map_tasks(slow_square, range(6), jobs=jobs) == [0, 1, 4, 9, 16, 25]


def test_map_tasks_with_more_jobs_than_tasks_and_with_no_tasks():
    assert map_tasks(slow_square, [3, 1], jobs=4) == [9, 1]
    assert map_tasks(slow_square, [], jobs=2) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_tasks_calls_on_done_once_per_task(jobs):
    done = []
    run_tasks(slow_square, list(range(6)), jobs, done.append)
    assert len(done) == 6 and sorted(done) == [0, 1, 4, 9, 16, 25]
    if jobs == 1:
        assert done == [0, 1, 4, 9, 16, 25]  # one process: in task order


def test_run_tasks_with_no_tasks_calls_nothing():
    done = []
    run_tasks(slow_square, [], 2, done.append)
    assert done == []


def test_an_error_in_on_done_stops_the_pool_and_reaches_the_caller():
    def fail(result):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        run_tasks(slow_square, list(range(6)), 2, fail)
