"""The reduced configuration: jobsim cut down to the classic appointment-scheduling model, checked against theory.

With one caseworker, no casework, no absence, no documentation, no
preparation, every citizen alike (no spread of no-show propensities, no
lead-time effect), citizens arriving exactly at the slot start and a diary
that is always full, a caseworker's day is a clinic session of
``slots_per_day`` appointments of ``slot_minutes``: each citizen shows with
probability ``1 - p`` and talks for a lognormal time ``X`` (mean
``conversation_minutes``, coefficient of variation ``conversation_cv``).
That is the single-server model of Ho & Lau (1992, "Minimizing total cost
in scheduling outpatient appointments", Management Science 38(12),
1750-1764), and two results of that literature must come out of jobsim:

* **closed form** (:func:`expected_unused_minutes`): with conversations cut at the slot end
  (``overrun = false``) each slot is on its own, and its expected unused minutes are

      u(p) = p * S + (1 - p) * (S - E[min(X, S)]),   E[min(X, S)] = integral_0^S (1 - F(x)) dx,

  with the lognormal's partial expectation E[min(X, S)] = e^(mu + sigma^2/2) Phi((ln S - mu - sigma^2) / sigma)
  + S (1 - Phi((ln S - mu) / sigma)) (:func:`expected_talk_minutes`; the integral is checked against it with
  SciPy in the tests);
* **Ho & Lau's ordering** (:func:`ordering_experiment`): with conversations running to their need
  (``overrun = true``), the caseworker's idle time in the session is driven first by the
  no-show probability and only then by the variability of conversation times.

:func:`session_idle_minutes` measures idle and overrun time per slot from a run's ``meetings``
table. Times are in minutes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import integrate, stats

from ..model.calendar import FIRST_SLOT, MINUTES_PER_DAY
from ..model.scenario import Scenario
from ..runner.engine import map_runs
from ..runner.simulate import SimulationResult, simulate

#: The reduced configuration's fixed settings (see the module docstring), every one that bears on it
#: pinned. The caseload keeps the diary full: 400 citizens against 4 slots a day (saturation at
#: 4 x 5 x 91 / 7 = 260).
REDUCED = dict(name="reduced", description="one caseworker, a full diary of conversations only (Ho & Lau 1992)",
               workers=1, caseload=400.0, casework_minutes=0.0, absence_share=0.0, documentation_minutes=0.0,
               prep_policy="none", overtime_minutes=0.0, noshow_spread=0.0, noshow_lead_odds_ratio=1.0,
               noshow_lead_odds_ratio_same_day=1.0, noshow_lead_odds_ratio_8_14_days=1.0,
               noshow_lead_odds_ratio_15_30_days=1.0, noshow_lead_odds_ratio_31_plus_days=1.0,
               sms_reminders=False, punctuality_mean_minutes=0.0, punctuality_sd_minutes=0.0,
               slot_minutes=25.0, slots_per_day=4, conversation_minutes=20.0, conversation_cv=0.3,
               noshow_probability=0.15, overrun=True, horizon_days=364, warmup_days=28,
               # pinned too, so that recalibrated Scenario defaults do not move the reduced checks
               interval_days=91, contact_interval_days=0, first_meeting_days=7, followup_by="rule",
               booking_lead_days=14, rebook_days=7, grace_minutes=10.0, stay_days=365.0, desk_priority="edf")


def reduced_scenario(**changes) -> Scenario:
    """The reduced configuration (:data:`REDUCED`) with ``changes`` applied."""
    return Scenario(**{**REDUCED, **changes})


def _lognormal(mean: float, cv: float) -> tuple[float, float]:
    sigma = math.sqrt(math.log1p(cv * cv))
    return math.log(mean) - sigma * sigma / 2, sigma


def expected_talk_minutes(slot: float, mean: float, cv: float) -> float:
    """E[min(X, slot)] for a lognormal X with ``mean`` (minutes) and coefficient of variation ``cv``; closed form."""
    if cv <= 0:
        return min(mean, slot)
    mu, sigma = _lognormal(mean, cv)
    z = (math.log(slot) - mu) / sigma
    return mean * stats.norm.cdf(z - sigma) + slot * stats.norm.sf(z)


def expected_talk_minutes_integral(slot: float, mean: float, cv: float) -> float:
    """E[min(X, slot)] as the integral of the survival function from 0 to ``slot`` (SciPy quadrature)."""
    mu, sigma = _lognormal(mean, cv)
    dist = stats.lognorm(s=sigma, scale=math.exp(mu))
    value, _ = integrate.quad(dist.sf, 0.0, slot, limit=200)
    return float(value)


def expected_unused_minutes(p: float, slot: float, mean: float, cv: float) -> float:
    """Expected unused minutes of a booked slot when conversations are cut at the slot end (no-show rate ``p``)."""
    return p * slot + (1.0 - p) * (slot - expected_talk_minutes(slot, mean, cv))


def session_idle_minutes(result: SimulationResult) -> dict[str, float]:
    """Per booked slot: the caseworker's idle minutes inside the session and conversation minutes past its end.

    The session of a day runs from the first slot (9:00) for ``slots_per_day x slot_minutes``;
    only days whose every slot was booked count (a full diary). Returns ``idle_per_slot``,
    ``overrun_per_slot`` (minutes) and ``slots`` (booked slots counted).
    """
    s = result.scenario
    m = result.meetings[result.meetings["outcome"].isin(["held", "no_show"])]
    per_day = m.groupby("day")["slot"].nunique()
    full = per_day.index[per_day == s.slots_per_day]
    m = m[m["day"].isin(full)]
    start = m["day"].to_numpy(float) * MINUTES_PER_DAY + FIRST_SLOT
    end = start + s.slots_per_day * s.slot_minutes
    a = np.nan_to_num(m["conversation_start"].to_numpy(float), nan=0.0)
    b = a + m["conversation_minutes"].to_numpy(float)
    inside = np.clip(np.minimum(b, end) - np.maximum(a, start), 0.0, None)
    past = np.clip(b - np.maximum(a, end), 0.0, None)
    slots = len(m)
    if not slots:
        return {"idle_per_slot": math.nan, "overrun_per_slot": math.nan, "slots": 0}
    return {"idle_per_slot": s.slot_minutes - float(inside.sum()) / slots, "overrun_per_slot": float(past.sum()) / slots,
            "slots": slots}


def _ordering_task(task: tuple[float, float, int, int, dict]) -> dict[str, float]:
    p, cv, seed, replication, changes = task
    result = simulate(reduced_scenario(noshow_probability=p, conversation_cv=cv, **changes), seed=seed,
                      replication=replication)
    return {"noshow_probability": p, "conversation_cv": cv, "replication": replication,
            **session_idle_minutes(result)}


def ordering_experiment(noshow: Sequence[float] = (0.0, 0.1, 0.2), cv: Sequence[float] = (0.2, 0.5, 0.8),
                        replications: int = 5, seed: int = 0, jobs: int = 1, **changes) -> pd.DataFrame:
    """Idle minutes per slot over a grid of no-show probability x conversation cv (overrun on, 8 slots a day).

    Replication ``r`` uses the same random streams at every point. Returns one row per point and
    replication: ``noshow_probability``, ``conversation_cv``, ``replication``, ``idle_per_slot``,
    ``overrun_per_slot``, ``slots``.
    """
    changes = {"slots_per_day": 8, **changes}
    tasks = [(p, c, seed, r, changes) for p in noshow for c in cv for r in range(replications)]
    return pd.DataFrame(map_runs(_ordering_task, tasks, jobs=jobs))


def main_effects(runs: pd.DataFrame, kpi: str = "idle_per_slot") -> pd.DataFrame:
    """Per replication, the main effect of each factor: mean ``kpi`` at its highest level minus at its lowest.

    Columns ``replication``, ``noshow_probability`` and ``conversation_cv`` (minutes per slot); the
    effects are paired within a replication (common random numbers).
    """
    rows = []
    for r, g in runs.groupby("replication"):
        row = {"replication": r}
        for factor in ("noshow_probability", "conversation_cv"):
            means = g.groupby(factor)[kpi].mean()
            row[factor] = float(means.iloc[-1] - means.iloc[0])
        rows.append(row)
    return pd.DataFrame(rows)
