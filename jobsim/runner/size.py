"""How big a request is, estimated before anything runs, and the guard that asks before a huge one.

``jobsim run``, ``jobsim sweep``, :func:`jobsim.sweep` and :func:`jobsim.sensitivity` estimate the size of
what they are asked to do from the scenario alone (nothing is simulated):

* runs: grid points x replications;
* the largest run: its team (caseworkers), citizen-days (citizens on the
  caseload x days simulated, ``scenario.citizens * scenario.run_days``),
  citizens entering during the run (citizen-days / ``stay_days``: a short
  stay makes many citizens pass through) and, for a run that keeps its
  tables (``jobsim run``), table rows;
* from these, roughly how long it takes and how much memory it needs at once
  (one run per worker process, plus the records of all runs in the parent).

A request over any of these limits is refused with one message saying how
big it is and roughly how long it would take and how much memory it needs,
unless it is confirmed (``--yes`` on the command line, ``confirm=True`` in Python):

=========================  ==============  ==========================================
limit                      value           for scale
=========================  ==============  ==========================================
:data:`MAX_RUNS`           100,000 runs    the default caseload sweep is 200 runs
:data:`MAX_WORKERS`        500             caseworkers in one run; a municipality's jobcenter is
                                           100-500, Copenhagen's 1,000-2,000
:data:`MAX_CITIZEN_DAYS`   20 million      Lærkevej for a year is 0.9 million
:data:`MAX_ENTRIES`        2 million       Lærkevej for a year: about 2,500 citizens enter
:data:`MAX_MEMORY`         4 GB            a laptop's free memory, with room to spare
=========================  ==============  ==========================================

A large team is allowed once confirmed, up to the scenario's hard bound of
20,000 caseworkers (:data:`jobsim.model.scenario.MAX_TEAM`). Measured
(``benchmarks/large_team_benchmark.py``, 2026-12-05), a 1,500-caseworker
year of ``ds_norm`` at 82 cases (123,000 citizens, about 50 million
citizen-days) takes 35 s and a peak of 505 MiB without tables, 49 s and
1,487 MiB with them; it is estimated here at 36 s and 500 MB without tables,
48 s and 1.4 GB with them. :func:`jobsim.simulate` itself does not ask: one run asked for in
Python is run (within the scenario's bounds); the guard is for the commands
and the batch functions, where a typo in a grid multiplies.

The limits stay far above any scenario in the studies; 100,000 runs of a
small scenario are a few hours of computing. The time and memory figures are
rough (fitted to runs of 150 and 500 caseworkers on the 2-core development
machine, 2026: about 2.5e-5 s per caseworker-day, 5e-6 s per citizen on the
caseload or entering, 2.5e-7 s per citizen-day, 6e-6 s per table row; 2 KB
per citizen on the caseload and 500 bytes per table row; rounded up, so the
estimate errs long); they are meant to tell seconds from hours, not to plan
to the minute.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import JobsimError

#: Most runs (points x replications) one sweep may have without confirmation.
MAX_RUNS = 100_000
#: Most caseworkers one run may have without confirmation (the scenario allows up to 20,000 when confirmed).
MAX_WORKERS = 500
#: Most citizen-days (citizens on the caseload x days simulated) one run may have without confirmation.
MAX_CITIZEN_DAYS = 20_000_000
#: Most citizens entering during one run (citizen-days / stay_days) without confirmation.
MAX_ENTRIES = 2_000_000
#: Most memory, in bytes, a request may need at once without confirmation.
MAX_MEMORY = 4 * 1024**3

# rough costs, measured and rounded up (see the module docstring); the engine in SimPy processes costs about
# 1.2x the model time of the day-at-once engine these were first fitted to (benchmarks/large_team_benchmark.py)
_SECONDS_PER_WORKER_DAY = 3.0e-5
_SECONDS_PER_CITIZEN = 6.0e-6       # on the caseload at the start, or entering
_SECONDS_PER_CITIZEN_DAY = 3.0e-7
_SECONDS_PER_ROW = 6.0e-6           # building the tables of a run that keeps them
_BYTES_BASE = 200 * 1024**2         # Python, NumPy, pandas, SimPy loaded
_BYTES_PER_CITIZEN = 2560           # a citizen on the caseload, with its process and diary entries (2.3-2.7 KB measured)
_BYTES_PER_ROW = 500                # one row of a run's tables
_BYTES_PER_RECORD = 4 * 1024        # one finished run's KPIs, held by the sweep until the end

#: Scenario fields that make a run bigger as they grow (and the ones that make it bigger as they shrink).
_GROWING = ("workers", "caseload", "warmup_days", "horizon_days")
_SHRINKING = ("stay_days", "interval_days")


class RequestTooBig(JobsimError):
    """A request over the limits of :mod:`jobsim.runner.size`, not confirmed; ``.size`` is the estimate."""

    def __init__(self, message: str, size: "RequestSize"):
        super().__init__(message)
        self.size = size


@dataclass(frozen=True)
class RequestSize:
    """The estimated size of a request: its runs and its largest run (``workers``: its team, caseworkers)."""

    runs: int
    jobs: int
    citizen_days: float
    entries: float
    table_rows: float
    seconds_per_run: float
    bytes_per_run: float
    workers: int = 0

    @property
    def seconds(self) -> float:
        """Roughly how long the whole request takes, in seconds of wall-clock time on ``jobs`` processes."""
        return self.runs * self.seconds_per_run / max(1, min(self.jobs, self.runs))

    @property
    def memory(self) -> float:
        """Roughly how much memory the request needs at once, in bytes."""
        at_once = max(1, min(self.jobs, self.runs))
        records = self.runs * _BYTES_PER_RECORD if self.runs > 1 else 0
        return at_once * self.bytes_per_run + records

    def over_limits(self) -> list[str]:
        """One phrase per limit this request exceeds (empty when it is within all of them)."""
        out = []
        if self.runs > MAX_RUNS:
            out.append(f"{self.runs:,} runs (the limit is {MAX_RUNS:,})")
        if self.workers > MAX_WORKERS:
            out.append(f"{self.workers:,} caseworkers in one run (the limit is {MAX_WORKERS:,})")
        if self.citizen_days > MAX_CITIZEN_DAYS:
            out.append(f"{_millions(self.citizen_days)} citizen-days in one run (the limit is "
                       f"{_millions(MAX_CITIZEN_DAYS)})")
        if self.entries > MAX_ENTRIES:
            out.append(f"{_millions(self.entries)} citizens entering in one run (the limit is "
                       f"{_millions(MAX_ENTRIES)}; a short stay_days makes many citizens pass through)")
        if self.memory > MAX_MEMORY:
            out.append(f"more memory than the limit of {format_bytes(MAX_MEMORY)}")
        return out

    def describe(self) -> str:
        """How long and how big, in a few words."""
        processes = max(1, min(self.jobs, self.runs))
        return (f"roughly {format_duration(self.seconds)} on {processes} process{'es' if processes > 1 else ''} "
                f"and {format_bytes(self.memory)} of memory")

    def check(self, confirmed: bool, how_to_confirm: str) -> None:
        """Raise :class:`RequestTooBig` if the request is over a limit and not ``confirmed``.

        ``how_to_confirm`` completes the message, e.g. ``"add --yes"`` or ``"pass confirm=True"``.
        """
        over = self.over_limits()
        if over and not confirmed:
            raise RequestTooBig(f"a very big request: {'; '.join(over)}; {self.describe()}. "
                                f"{how_to_confirm[0].upper()}{how_to_confirm[1:]} to run it anyway, "
                                "or ask for less", self)


def run_size(fields: Mapping[str, Any], runs: int = 1, jobs: int = 1, tables: bool = False) -> RequestSize:
    """The size of ``runs`` runs of a scenario (a :class:`~jobsim.Scenario` or a mapping of its fields)."""
    get = (lambda name: fields[name]) if isinstance(fields, Mapping) else (lambda name: getattr(fields, name))
    days = get("warmup_days") + get("horizon_days")
    citizens = get("workers") * get("caseload")
    citizen_days = citizens * days
    entries = citizen_days / get("stay_days")
    rows = 0.0
    if tables:
        meetings = 1.5 * citizen_days / get("interval_days") + citizens + entries
        rows = meetings + (citizens + entries) + get("workers") * days
    seconds = (_SECONDS_PER_WORKER_DAY * get("workers") * days + _SECONDS_PER_CITIZEN * (citizens + entries)
               + _SECONDS_PER_CITIZEN_DAY * citizen_days + _SECONDS_PER_ROW * rows)
    memory = _BYTES_BASE + _BYTES_PER_CITIZEN * citizens + _BYTES_PER_ROW * rows
    return RequestSize(runs=runs, jobs=jobs, citizen_days=citizen_days, entries=entries, table_rows=rows,
                       seconds_per_run=seconds, bytes_per_run=memory, workers=int(get("workers")))


def sweep_size(scenario: Any, grid: Mapping[str, Sequence[Any]], replications: int, jobs: int = 1) -> RequestSize:
    """The size of a sweep: its number of runs, and its largest point's run.

    ``grid`` holds lists of values (checked for names, not yet for ranges); the
    largest point takes the largest value of each parameter that makes a run
    bigger (workers, caseload, warm-up, horizon) and the smallest of the ones
    that do as they shrink (stay, follow-up interval). The grid is a product,
    so that point is one of the sweep's. Nothing is built, so a grid of
    millions of points is estimated at once. A value past the scenario's own
    bounds (30,000 caseworkers) is left out: checking the grid refuses it
    with the parameter's message, which says more than a size would.
    """
    fields = {name: getattr(scenario, name) for name in (*_GROWING, *_SHRINKING)}
    for name, values in grid.items():
        numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
                   and _within_bounds(name, v)]
        if name in fields and numbers:
            fields[name] = max(numbers) if name in _GROWING else min(numbers)
    points = math.prod(len(values) for values in grid.values())
    return run_size(fields, runs=points * replications, jobs=jobs)


def _within_bounds(name: str, value: float) -> bool:
    """Is ``value`` within the upper bound the Scenario field ``name`` declares (``le=``/``lt=``)?"""
    from ..model.scenario import field_bounds   # here: the estimate itself needs no model

    bounds = field_bounds(name)
    return not ("le" in bounds and value > bounds["le"]) and not ("lt" in bounds and value >= bounds["lt"])


def format_duration(seconds: float) -> str:
    """A duration in the largest unit that keeps the number readable: ``"40 s"``, ``"12 min"``, ``"3.5 days"``."""
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{_sig(seconds / size)} {unit}"
    return f"{max(seconds, 1):.0f} s"


def format_bytes(n: float) -> str:
    """A size in MB, GB or TB (powers of 1024); from 1,000 of a unit, the next one (1.0 GB, not 1001 MB)."""
    for unit, size in (("TB", 1024**4), ("GB", 1024**3)):
        if n >= size * 1000 / 1024:
            return f"{_sig(n / size)} {unit}"
    return f"{n / 1024**2:.0f} MB"


def _sig(x: float) -> str:
    return f"{x:,.1f}" if x < 10 else f"{x:,.0f}"


def _millions(x: float) -> str:
    return f"{_sig(x / 1e6)} million"
