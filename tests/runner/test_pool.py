"""The one process pool (jobsim.runner.pool): every task once, results in task order from map_tasks; a killed
worker is replaced and its task run again, a worker that keeps dying stops with one clear error."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from jobsim.runner.pool import WorkerDied, map_tasks, run_tasks


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


def square_or_die(task: tuple[int, str, bool]) -> int:
    """Squares ``x``; task 3 kills its own worker (like the out-of-memory killer) while ``flag`` exists.

    With ``once`` the first worker to get there removes the flag, so only one worker dies.
    """
    x, flag, once = task
    if x == 3 and os.path.exists(flag):
        try:
            if once:
                os.unlink(flag)
            os.kill(os.getpid(), signal.SIGKILL)
        except FileNotFoundError:  # another worker was first
            pass
    return x * x


def test_a_killed_worker_is_replaced_and_its_task_run_again(tmp_path):
    flag = tmp_path / "kill-once"
    flag.touch()
    done = []
    run_tasks(square_or_die, [(x, str(flag), True) for x in range(8)], 2, done.append)
    assert not flag.exists()  # a worker did die
    assert sorted(done) == [x * x for x in range(8)]  # every task once, the lost one run again


def no_children_within(seconds: float) -> bool:
    """True once every worker process has ended (a worker ended with SIGTERM takes a moment to be reaped)."""
    deadline = time.monotonic() + seconds
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_worker_that_keeps_dying_stops_with_one_clear_error(tmp_path):
    flag = tmp_path / "kill-always"
    flag.touch()
    done = []
    with pytest.raises(WorkerDied) as err:
        run_tasks(square_or_die, [(x, str(flag), False) for x in range(8)], 2, done.append, max_restarts=2)
    assert str(err.value) == ("a worker process died 3 times (killed by the operating system, possibly for lack "
                              "of memory)")
    assert err.value.deaths == 3
    assert 9 not in done and len(done) == len(set(done))  # task 3 never finished; nothing was handed on twice
    assert no_children_within(10.0)


def test_tasks_are_read_lazily_from_a_generator():
    read = []

    def tasks():
        for x in range(1000):
            read.append(x)
            yield x

    done = []

    def stop_after_two(result):
        done.append(result)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tasks(slow_square, tasks(), 2, stop_after_two)
    assert len(read) <= 2 * 2 + 2  # the window of handed-out tasks, not the whole generator
    with pytest.raises(KeyboardInterrupt):
        done.clear()
        run_tasks(slow_square, (x for x in range(10**12)), 1, stop_after_two)
