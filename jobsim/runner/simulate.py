"""One run of the model: :func:`simulate` and its :class:`SimulationResult`."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from ..model.kpis import compute_kpis, format_kpis
from ..model.ledger import BookingRecord, CaseworkerDay, CitizenRecord, TraceStretch
from ..model.jobcenter import Jobcenter
from ..model.policies import PrepPolicy
from ..model.scenario import Scenario

#: Columns of the tables, in order (the fields of the model's records).
MEETING_COLUMNS = BookingRecord._fields
CITIZEN_COLUMNS = CitizenRecord._fields
WORKER_DAY_COLUMNS = CaseworkerDay.COLUMNS
TRACE_COLUMNS = TraceStretch._fields


@dataclass
class SimulationResult:
    """What one run gives: the KPIs, tidy tables (if kept), and how the run was made.

    * ``kpis``: KPI name -> float (names and units in :data:`jobsim.KPIS`).
    * ``meetings``: one row per booked conversation resolved in the horizon (held, no-show, withdrawn)
      plus those still pending at the end. Times: ``slot_start``, ``checkin`` and
      ``conversation_start`` in minutes from Monday 00:00 of week 1; ``*_day`` in days; minutes columns
      in minutes; ``gap_days`` in days since the previous held conversation (or, for a
      new citizen's first conversation, ``first_conversation`` True, since entry).
    * ``citizens``: one row per citizen on the caseload during the horizon.
    * ``worker_days``: one row per caseworker and working day of the horizon, minutes by activity;
      ``present_minutes`` is 0 on a day of absence. Activities add up to present + overtime minutes.
    """

    scenario: Scenario
    seed: int
    replication: int
    kpis: dict[str, float]
    meetings: pd.DataFrame | None
    citizens: pd.DataFrame | None
    worker_days: pd.DataFrame | None
    trace: pd.DataFrame | None = None
    #: SimPy events the run processed (counted only with ``tables=True``; 0 without)
    events: int = 0
    wall_seconds: float = 0.0

    def kpi_text(self) -> str:
        """The KPIs as an aligned table of name, value and unit."""
        return format_kpis(self.kpis)

    def __repr__(self) -> str:
        return (f"SimulationResult({self.scenario.name!r}, seed={self.seed}, replication={self.replication}, "
                f"{len(self.meetings) if self.meetings is not None else 0} meetings, "
                f"{self.wall_seconds:.2f} s)")


def simulate(scenario: Scenario, seed: int = 0, replication: int = 0, *, policy: PrepPolicy | None = None,
             tables: bool = True, trace: bool = False) -> SimulationResult:
    """Run one replication of ``scenario``.

    ``seed`` and ``replication`` select the random streams: the same pair gives
    bit-identical results, and replication ``r`` uses the same streams at
    every scenario point (common random numbers). ``policy`` overrides the
    scenario's ``prep_policy`` with a policy object (e.g. one written in a
    notebook). With ``tables=False`` only the KPIs are kept (less memory; used
    by sweeps). With ``trace=True`` the result also has ``.trace``: one row per
    stretch of a caseworker's time (``worker``, ``start`` and ``end`` in minutes,
    ``activity`` in conversation, skim, prep, documentation, casework, idle, and
    the ``meeting`` id for conversation, skim and prep, else -1), for diaries
    such as a week in the life of one caseworker.

    >>> import jobsim
    >>> r = jobsim.simulate(jobsim.load_scenario("ds_norm", horizon_days=28, warmup_days=7, workers=2))
    >>> 0 <= r.kpis["prepared_share"] <= 1
    True
    """
    if not isinstance(scenario, Scenario):
        raise TypeError("simulate expects a jobsim.Scenario (see jobsim.load_scenario)")
    t0 = time.perf_counter()
    model = Jobcenter(scenario, seed=seed, replication=replication, policy=policy, tables=tables,
                      trace=trace).run()
    return collect(model, time.perf_counter() - t0)


def collect(model: Jobcenter, wall_seconds: float = 0.0) -> SimulationResult:
    """Turn a finished :class:`~jobsim.model.Jobcenter` into a :class:`SimulationResult`."""
    scenario = model.scenario
    ledger = model.ledger
    kpis = compute_kpis(ledger.totals, scenario)
    meetings = citizens = worker_days = None
    if model.tables:
        # records come in the order outcomes are known (a withdrawal before the slot, say): put them in
        # order of time (slot start, then caseworker and meeting)
        meetings = pd.DataFrame(ledger.bookings, columns=list(MEETING_COLUMNS)).sort_values(
            ["slot_start", "worker", "meeting"], kind="stable", ignore_index=True)
        citizens = pd.DataFrame(ledger.citizens, columns=list(CITIZEN_COLUMNS)).sort_values(
            "citizen", ignore_index=True)
        worker_days = pd.DataFrame(ledger.day_rows(), columns=list(WORKER_DAY_COLUMNS)).sort_values(
            ["day", "worker"], ignore_index=True)
        worker_days["absent"] = worker_days["present_minutes"] == 0
    trace = None
    if model.trace is not None:
        trace = pd.DataFrame(model.trace, columns=list(TRACE_COLUMNS)).sort_values(
            ["start", "worker"], kind="stable", ignore_index=True)
    return SimulationResult(scenario, model.seed, model.replication, kpis, meetings, citizens, worker_days,
                            trace=trace, events=model.events, wall_seconds=wall_seconds)
