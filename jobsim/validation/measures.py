"""How the model measures each validation target: a KPI, or a named query of one replication's tables.

A measure takes the results of one replication, one :class:`~jobsim.runner.simulate.SimulationResult`
per arm of the target (``{"base": result, ...}``, all with the same random streams), and the
target's ``options``, and returns one number. :data:`MEASURES` maps each name used in
``targets.toml`` to a :class:`Measure`: the function, whether it needs the run's tables, and,
for measures over a grid, how the target's arms are expanded.

Units: shares 0-1, caseloads in citizens per caseworker, money in DKK a year, leads in days.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..runner.simulate import SimulationResult

Results = Mapping[str, SimulationResult]


@dataclass(frozen=True)
class Measure:
    """A named way of measuring a target: ``function(results, options) -> float``.

    ``tables``: the runs must keep their tables (slower); ``expand``: turns the target's arms and
    options into the arms actually run (for a grid such as a caseload list), or None.
    """

    function: Callable[[Results, Mapping[str, Any]], float]
    tables: bool = False
    expand: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]] | None = None
    options: tuple[str, ...] = ()


def kpi(results: Results, options: Mapping[str, Any]) -> float:
    """The KPI ``options["kpi"]`` of the arm ``base``."""
    return float(results["base"].kpis[options["kpi"]])


def relative_cut(results: Results, options: Mapping[str, Any]) -> float:
    """``1 - kpi(after) / kpi(before)``: the relative cut in a KPI from arm ``before`` to arm ``after``."""
    before = results[options.get("before", "base")].kpis[options["kpi"]]
    after = results[options["after"]].kpis[options["kpi"]]
    return 1.0 - after / before if before else math.nan


def first_booking_noshow_rate(results: Results, options: Mapping[str, Any]) -> float:
    """No-shows over held plus missed, among new citizens' first bookings (made on the day they entered).

    A first booking is the one made at entry: its ``booked_day`` equals the citizen's
    ``entry_day`` (a conversation moved for absence keeps its booking; a rebooking after a
    no-show is a new booking made later).
    """
    r = results["base"]
    m = r.meetings[r.meetings["outcome"].isin(["held", "no_show"])]
    entry = r.citizens.set_index("citizen")["entry_day"]
    entered = m["citizen"].map(entry)
    first = m[(entered > 0) & np.isclose(m["booked_day"], entered, rtol=0, atol=1e-9)]
    return float((first["outcome"] == "no_show").mean()) if len(first) else math.nan


def booking_leads(result: SimulationResult) -> pd.DataFrame:
    """Held and missed bookings with ``lead_days``: days from when the citizen learns of the slot to the slot.

    The citizen learns of it when the booking window opens (``booking_lead_days`` before the
    due day) or when the booking is made, if that is later (as the model's lead-time effect).
    """
    s = result.scenario
    m = result.meetings[result.meetings["outcome"].isin(["held", "no_show"])]
    told = np.maximum(np.floor(m["booked_day"].to_numpy(float)), m["due_day"].to_numpy(float) - s.booking_lead_days)
    return m.assign(lead_days=m["day"].to_numpy(float) - told)


def lead_noshow_odds_ratio(results: Results, options: Mapping[str, Any]) -> float:
    """Odds of a no-show for leads over ``lead_days`` against leads of ``lead_days`` or less (NaN if a cell is empty)."""
    m = booking_leads(results["base"])
    long = m["lead_days"] > float(options.get("lead_days", 28))
    miss = m["outcome"] == "no_show"
    a, b = int((long & miss).sum()), int((long & ~miss).sum())
    c, d = int((~long & miss).sum()), int((~long & ~miss).sum())
    return (a / b) / (c / d) if min(a, b, c, d) > 0 else math.nan


def kpi_difference(results: Results, options: Mapping[str, Any]) -> float:
    """``kpi(before) - kpi(after)``: what a change from arm ``before`` to arm ``after`` saves of a KPI (e.g. DKK a
    year of net cost: positive when the change pays for itself)."""
    return float(results[options["before"]].kpis[options["kpi"]] - results[options["after"]].kpis[options["kpi"]])


def exit_rate_per_year(result: SimulationResult) -> float:
    """Citizens leaving the caseload per citizen-year in the measured window (after the warm-up; days).

    Exits with ``warmup_days <= exit_day < warmup_days + horizon_days`` over the citizen-days spent on the caseload
    in that window (each citizen from entry, or the window's start, to exit, or its end) times 365.
    """
    s = result.scenario
    start, end = float(s.warmup_days), float(s.warmup_days + s.horizon_days)
    c = result.citizens
    entry = c["entry_day"].to_numpy(float)
    leave = c["exit_day"].fillna(math.inf).to_numpy(float)
    days = np.clip(np.minimum(leave, end) - np.maximum(entry, start), 0.0, None).sum()
    exits = int(((leave >= start) & (leave < end)).sum())
    return exits / days * 365.0 if days > 0 else math.nan


def one_year_exit_difference(results: Results, options: Mapping[str, Any]) -> float:
    """How much more likely a citizen is to leave within a year under arm ``after`` than under ``before``
    (a share, 0–1 scale; negative if less): 1 - exp(-r) for each arm's exit rate r per year
    (:func:`exit_rate_per_year`), a constant-hazard reading of the rate."""
    p = {arm: 1.0 - math.exp(-exit_rate_per_year(results[options[arm]])) for arm in ("before", "after")}
    return p["after"] - p["before"]


def _group(extra_workers: float, caseload_from: float, caseload_to: float) -> float:
    """Citizens N with N / caseload_to - N / caseload_from = extra_workers (NaN unless caseload_to < caseload_from)."""
    step = 1.0 / caseload_to - 1.0 / caseload_from
    return extra_workers / step if step > 0 else math.nan


def implied_group_cost(results: Results, options: Mapping[str, Any]) -> float:
    """Citizens for whom ``budget_dkk`` a year pays for going from arm ``from_arm``'s caseload to ``to_arm``'s.

    Uses the model's ``cost_dkk_per_citizen_year`` (``fte_cost_dkk`` over the realised caseload):
    N = budget / (cost per citizen after - cost per citizen before).
    """
    before = results[options["from_arm"]].kpis["cost_dkk_per_citizen_year"]
    after = results[options["to_arm"]].kpis["cost_dkk_per_citizen_year"]
    step = after - before
    return float(options["budget_dkk"]) / step if step > 0 else math.nan


def implied_group_staff(results: Results, options: Mapping[str, Any]) -> float:
    """Citizens for whom ``extra_workers`` more caseworkers take the realised caseload of ``from_arm`` to ``to_arm``'s."""
    return _group(float(options["extra_workers"]), results[options["from_arm"]].kpis["caseload_mean"],
                  results[options["to_arm"]].kpis["caseload_mean"])


def compliance_caseload(results: Results, options: Mapping[str, Any]) -> float:
    """The caseload at which ``kpi`` first falls to ``target``, going down the caseload grid (linear between points).

    NaN if the KPI is at or under the target already at the first (highest) caseload, or never
    reaches it on the grid.
    """
    name, target = options["kpi"], float(options["target"])
    points = sorted(((float(c), results[_arm(c)].kpis[name]) for c in options["caseloads"]), reverse=True)
    (c0, y0) = points[0]
    if not y0 > target:
        return math.nan
    for (c1, y1), (c2, y2) in zip(points, points[1:]):
        if y2 <= target:
            return c1 + (c2 - c1) * (y1 - target) / (y1 - y2)
    return math.nan


def implied_group_compliance(results: Results, options: Mapping[str, Any]) -> float:
    """Citizens for whom ``budget_dkk`` a year pays the caseworkers that bring ``kpi`` to ``target``.

    The highest caseload of the grid is the team as it is; :func:`compliance_caseload` is where it
    complies; the extra caseworkers per citizen, 1/c* - 1/c0, at the arm's ``fte_cost_dkk``, give
    N = budget / fte_cost / (1/c* - 1/c0).
    """
    c0 = max(float(c) for c in options["caseloads"])
    fte_cost = results[_arm(c0)].scenario.fte_cost_dkk
    return group_for_caseload(compliance_caseload(results, options), {**options, "fte_cost_dkk": fte_cost})


def caseload_to_comply(results: Results, options: Mapping[str, Any]) -> float:
    """The caseload at which ``kpi`` falls to ``target`` (:func:`compliance_caseload`), or the grid's highest
    caseload if the KPI is already at or under the target there (no step is needed). NaN if it never gets there.

    A well-behaved quantity (a caseload on the grid) whose replications can be averaged; the group it implies
    (:func:`group_for_caseload`) is not: near the highest caseload it grows without bound.
    """
    c0 = max(float(c) for c in options["caseloads"])
    if not results[_arm(c0)].kpis[options["kpi"]] > float(options["target"]):
        return c0
    return compliance_caseload(results, options)


def group_for_caseload(caseload: float, options: Mapping[str, Any]) -> float:
    """Citizens for whom ``budget_dkk`` a year pays the caseworkers (at ``fte_cost_dkk`` each) that take them from
    the grid's highest caseload c0 to ``caseload``: N = budget / fte_cost / (1/caseload - 1/c0); ``inf`` at c0 or
    above (no step, no cost: any group), NaN for NaN. Increasing in ``caseload``, so it carries an interval's
    ends to the interval of the group.
    """
    if math.isnan(caseload):
        return math.nan
    c0 = max(float(c) for c in options["caseloads"])
    if caseload >= c0:
        return math.inf
    return _group(float(options["budget_dkk"]) / float(options["fte_cost_dkk"]), c0, caseload)


def _arm(caseload: float) -> str:
    return f"caseload={float(caseload):g}"


def expand_caseloads(arms: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """One arm per caseload of ``options["caseloads"]``, each the ``base`` arm with that caseload."""
    base = arms["base"]
    return {_arm(c): {"scenario": base["scenario"], "settings": {**base.get("settings", {}), "caseload": float(c)}}
            for c in options["caseloads"]}


#: Measure name (as in targets.toml) -> Measure; ``options`` lists what each needs in [target.options].
MEASURES: dict[str, Measure] = {
    "kpi": Measure(kpi, options=("kpi",)),
    "relative_cut": Measure(relative_cut, options=("kpi", "after")),
    "first_booking_noshow_rate": Measure(first_booking_noshow_rate, tables=True),
    "lead_noshow_odds_ratio": Measure(lead_noshow_odds_ratio, tables=True),
    "kpi_difference": Measure(kpi_difference, options=("kpi", "before", "after")),
    "one_year_exit_difference": Measure(one_year_exit_difference, tables=True, options=("before", "after")),
    "implied_group_cost": Measure(implied_group_cost, options=("budget_dkk", "from_arm", "to_arm")),
    "implied_group_staff": Measure(implied_group_staff, options=("extra_workers", "from_arm", "to_arm")),
    "caseload_to_comply": Measure(caseload_to_comply, expand=expand_caseloads,
                                  options=("kpi", "target", "caseloads", "budget_dkk", "fte_cost_dkk")),
    "implied_group_compliance": Measure(implied_group_compliance, expand=expand_caseloads,
                                        options=("budget_dkk", "kpi", "target", "caseloads")),
}
