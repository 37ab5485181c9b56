"""Helpers for the teaching notebooks in ``notebooks/``: one call for each step a notebook needs.

The notebooks only call jobsim; whatever they need that is more than a line or
two lives here, tested in ``tests/test_teaching.py``:

* :func:`compare_kpis`: the KPIs of several runs (or replicated runs) side by
  side, one column per run, as a DataFrame;
* :func:`week_in_the_life`: one caseworker's week in each of several runs,
  drawn as diaries (from ``simulate(..., trace=True)``; the drawing is
  :mod:`jobsim.studies.week`'s);
* :func:`crn_comparison`: the confidence interval of a difference between two
  scenario points with common random numbers (the same replication index at
  both points) against independent seeds, to show what pairing buys;
* :class:`Explorer`: reruns a small scenario with a few levers changed (for
  the ipywidgets explorer) and returns a KPI table and a figure.

Units: times in **minutes**, spans in **days**, money in **DKK**, shares as
fractions from 0 to 1; each KPI's unit is in :data:`jobsim.KPIS`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .errors import JobsimError
from .model.kpis import KPI_NAMES, KPIS
from .model.scenario import Scenario
from .report.charts import KEY_KPIS, time_use_table
from .report.style import ACTIVITY_COLOURS, OKABE_ITO, TIME_USE_ACTIVITIES, house_style, new_figure, number_ticks
from .report.words import activity_label, num, pct, phrase
from .runner.simulate import SimulationResult, simulate
from .runner.results import SweepResult
from .runner.stats import welch_interval
from .runner.sweep import replicate, sweep
from .studies import week as week_study
from .studies.noshow import noshow_spread_for
from .studies.odense import follow_up_gaps

# KEY_KPIS (the KPIs the notebooks show by default) is jobsim.report.charts.KEY_KPIS, re-exported here.

#: The levers of the explorer (notebook 5): the scenario parameters :meth:`Explorer.run` accepts.
EXPLORER_LEVERS = ("caseload", "slot_minutes", "noshow_probability", "sms_reminders", "prep_policy")


# --------------------------------------------------------------------------- KPIs side by side

def kpi_means(result: Any) -> dict[str, float]:
    """The KPIs of one run, or their means over replications, as ``{kpi: value}``.

    ``result`` may be a :class:`~jobsim.SimulationResult`, a
    :class:`~jobsim.SweepResult` of a single scenario point (e.g. from
    :func:`jobsim.replicate`; the mean over its replications, NaN values left
    out), a list of simulation results (their mean), or a dict of KPIs.
    Units as in :data:`jobsim.KPIS`.
    """
    if isinstance(result, SimulationResult):
        return dict(result.kpis)
    if isinstance(result, SweepResult):
        if len(result.points) != 1:
            raise JobsimError(f"a sweep with {len(result.points)} points has no single set of KPIs; "
                              "pass jobsim.replicate(...) or filter the sweep's runs to one point")
        return {k: float(result.runs[k].mean()) for k in KPI_NAMES}
    if isinstance(result, Mapping):
        return {str(k): float(v) for k, v in result.items()}
    if isinstance(result, Sequence) and result and all(isinstance(r, SimulationResult) for r in result):
        frame = pd.DataFrame([r.kpis for r in result])
        return {k: float(frame[k].mean()) for k in frame.columns}
    raise TypeError("expected a SimulationResult, a one-point SweepResult, a list of SimulationResults "
                    f"or a dict of KPIs, not {type(result).__name__}")


def compare_kpis(results: Mapping[str, Any], kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """The KPIs of several runs side by side.

    ``results`` maps a column name (e.g. the scenario's name) to a run, a
    replicated run or a dict of KPIs (anything :func:`kpi_means` accepts).
    Returns one row per KPI (index ``kpi``, in the order of ``kpis``, default
    all of :data:`jobsim.KPIS`), a ``unit`` column, then one column per run
    with its value (a mean for replicated runs). A KPI that a run does not
    have is NaN.

    >>> import jobsim
    >>> compare_kpis({"a": {"noshow_rate": 0.1}, "b": {"noshow_rate": 0.2}}, ["noshow_rate"])
                  unit    a    b
    kpi
    noshow_rate  share  0.1  0.2
    """
    if not results:
        raise JobsimError("results: nothing to compare; pass {name: result, ...}")
    kpis = list(KPI_NAMES if kpis is None else kpis)
    unknown = [k for k in kpis if k not in KPIS]
    if unknown:
        raise JobsimError(f"kpis: unknown KPI {unknown[0]!r}; allowed: {', '.join(KPI_NAMES)}")
    table = pd.DataFrame({"unit": [KPIS[k][0] for k in kpis]}, index=pd.Index(kpis, name="kpi"))
    for name, result in results.items():
        values = kpi_means(result)
        table[str(name)] = [values.get(k, math.nan) for k in kpis]
    return table


# --------------------------------------------------------------------------- a week in the life

def week_in_the_life(results: Mapping[str, SimulationResult], worker: int = 0, week: int | None = None,
                     lang: str = "en", *, width: float = 12.0):
    """One caseworker's week in each run, drawn as diaries one above the other (a matplotlib Figure).

    ``results`` maps a name (shown in the panel title, e.g. the scenario's
    name) to a run made with ``simulate(..., trace=True)``. Each panel shows
    caseworker ``worker``'s week: days Monday to Friday down, 8:00 to 15:24
    across, one bar per stretch of time coloured by activity, no-show slots
    hatched, and under it what was left undone (casework minutes, unprepared
    conversations, wasted preparation). ``week`` (0 = the week of day 0)
    defaults to the first week after the warm-up in which the caseworker is at
    work every day in every run. With two runs the title states the finding.
    """
    if not results:
        raise JobsimError("results: give at least one run, e.g. {'laerkevej': result}")
    for name, r in results.items():
        if not isinstance(r, SimulationResult) or r.trace is None:
            raise JobsimError(f"{name}: needs a run with its time trace: jobsim.simulate(scenario, trace=True)")
        if not 0 <= worker < r.scenario.workers:
            raise JobsimError(f"worker: {worker} is not a caseworker of {name} (0 to {r.scenario.workers - 1})")
    return week_study.week_in_the_life(results, worker, week, lang, width=width)["figure"]


# --------------------------------------------------------------------------- common random numbers

def crn_comparison(scenario: Scenario, param: str, a: Any, b: Any, kpi: str, replications: int = 20,
                   seed: int = 0, jobs: int = 1, confidence: float = 0.95,
                   progress: bool | None = False) -> pd.DataFrame:
    """The interval of ``kpi(param=a) - kpi(param=b)`` with common random numbers and with independent seeds.

    Two ways to estimate the same difference from ``replications`` runs at each value:

    * ``common random numbers``: :func:`jobsim.sweep` over ``param`` in ``[a, b]``
      with ``seed``: replication ``r`` uses the same random streams at both values
      (the same citizens, needs and no-show draws), and the interval is the t
      interval of the paired differences (:meth:`SweepResult.paired_difference`);
    * ``independent seeds``: the same runs at ``a``, but the runs at ``b`` made with
      ``seed + 1`` (other citizens, other draws), and Welch's interval for the
      difference of two independent means.

    Returns two rows (``method``, ``mean``, ``ci_low``, ``ci_high``,
    ``half_width``, ``n``), in the KPI's unit (``unit`` column). The paired
    interval is usually much narrower: the noise both points share cancels in
    the difference. Runs ``3 x replications`` simulations.
    """
    if kpi not in KPIS:
        raise JobsimError(f"kpi: unknown KPI {kpi!r}; allowed: {', '.join(KPI_NAMES)}")
    paired = sweep(scenario, {param: [a, b]}, replications=replications, seed=seed, jobs=jobs, progress=progress)
    diff = paired.paired_difference(kpi, param, a, b, confidence=confidence).iloc[0]
    runs_a = paired.runs.loc[paired.runs[param] == diff["a"], kpi].dropna().to_numpy(dtype=float)
    other = replicate(scenario.replace(**{param: diff["b"]}), replications=replications, seed=seed + 1, jobs=jobs,
                      progress=progress)
    runs_b = other.runs[kpi].dropna().to_numpy(dtype=float)
    low, high = welch_interval(runs_a, runs_b, confidence)
    rows = [
        {"method": "common random numbers", "seeds": f"{seed} at both", "mean": float(diff["mean"]),
         "ci_low": float(diff["ci_low"]), "ci_high": float(diff["ci_high"]), "n": int(diff["n"])},
        {"method": "independent seeds", "seeds": f"{seed} at {a!r}, {seed + 1} at {b!r}",
         "mean": float(runs_a.mean() - runs_b.mean()), "ci_low": low, "ci_high": high,
         "n": int(min(len(runs_a), len(runs_b)))},
    ]
    out = pd.DataFrame(rows)
    out["half_width"] = (out["ci_high"] - out["ci_low"]) / 2
    out.insert(1, "kpi", kpi)
    out.insert(2, "unit", KPIS[kpi][0])
    return out[["method", "kpi", "unit", "seeds", "mean", "ci_low", "ci_high", "half_width", "n"]]


# --------------------------------------------------------------------------- the explorer

@dataclass
class Exploration:
    """What :meth:`Explorer.run` gives: the scenario run, its runs, a KPI table and a figure.

    ``table``: one row per KPI of :data:`KEY_KPIS`: ``unit``, the mean over
    the replications at the start scenario (column ``start``) and at the
    chosen levers (``your choice``), and ``change`` (your choice minus start).
    ``figure``: a caseworker's week by activity and the gaps before each
    conversation, start against your choice (:func:`explorer_figure`); drawn
    the first time it is asked for, so a loop that reads only tables draws nothing.
    """

    scenario: Scenario
    results: list[SimulationResult]
    table: pd.DataFrame
    start: list[SimulationResult]
    lang: str = "en"

    @cached_property
    def figure(self):
        """The comparison figure (a matplotlib Figure), drawn on first access."""
        return explorer_figure(self.start, self.results, self.lang)


class Explorer:
    """Reruns a small scenario with the levers of :data:`EXPLORER_LEVERS` changed.

    ``base`` is the start scenario (make it small: a few caseworkers, half a
    year, so a rerun takes a second or two); it is run once, ``replications``
    times, when the explorer is made, and each :meth:`run` is compared with it.
    Replication ``r`` uses the same random streams in every run (common random
    numbers), so a change shows its effect rather than new noise. Runs are
    cached, so going back to earlier lever values is instant.
    """

    def __init__(self, base: Scenario, replications: int = 3, seed: int = 0, lang: str = "en"):
        if not isinstance(base, Scenario):
            raise JobsimError("base: expected a jobsim.Scenario (see jobsim.load_scenario)")
        if not (isinstance(replications, int) and replications >= 1):
            raise JobsimError(f"replications: {replications!r} is not an integer of at least 1")
        self.base = base
        self.replications = replications
        self.seed = seed
        self.lang = lang
        self._cache: dict[str, list[SimulationResult]] = {}
        self.start = self._runs(base)

    def scenario(self, **levers: Any) -> Scenario:
        """The base scenario with ``levers`` changed (names in :data:`EXPLORER_LEVERS`).

        The spread of no-show propensities is narrowed where the base's would be
        too wide for a small ``noshow_probability`` (see
        :func:`jobsim.studies.noshow.noshow_spread_for`). Bad values raise
        :class:`jobsim.ScenarioError` naming the field.
        """
        unknown = [k for k in levers if k not in EXPLORER_LEVERS]
        if unknown:
            raise JobsimError(f"{unknown[0]}: not a lever of the explorer; levers: {', '.join(EXPLORER_LEVERS)}")
        changes = {k: (float(v) if k in ("caseload", "slot_minutes", "noshow_probability") else v)
                   for k, v in levers.items()}
        if "noshow_probability" in changes and 0 <= changes["noshow_probability"] <= 1:
            changes["noshow_spread"] = min(self.base.noshow_spread, noshow_spread_for(changes["noshow_probability"]))
        return self.base.replace(**changes)

    def _runs(self, scenario: Scenario) -> list[SimulationResult]:
        key = scenario.model_dump_json()
        if key not in self._cache:
            self._cache[key] = [simulate(scenario, seed=self.seed, replication=r)
                                for r in range(self.replications)]
        return self._cache[key]

    def run(self, **levers: Any) -> Exploration:
        """Run the scenario with ``levers`` changed; return the KPI table and figure (see :class:`Exploration`)."""
        scenario = self.scenario(**levers)
        results = self._runs(scenario)
        table = compare_kpis({"start": self.start, "your choice": results}, KEY_KPIS)
        table["change"] = table["your choice"] - table["start"]
        return Exploration(scenario, results, table, self.start, self.lang)


def explorer_figure(start: Sequence[SimulationResult], choice: Sequence[SimulationResult], lang: str = "en",
                    *, width: float = 12.0):
    """Two panels comparing two sets of runs (each a list of replications with tables).

    Left: a caseworker's week at work, minutes by activity (horizontal stacked
    bars; a full week is 2,220 minutes plus overtime). Right: the distribution
    of the gaps before each held conversation (days since the citizen joined,
    for a first conversation, or since the last held one), with the deadline
    for a first conversation (``first_meeting_days``, dashed) and the
    follow-up rule (``interval_days``, dotted). The title gives the prepared
    share and overdue share of each.
    """
    names = ("start", "your choice")
    labels = (phrase("start", lang), phrase("your_choice", lang))
    runs = dict(zip(names, (list(start), list(choice))))
    for name, rs in runs.items():
        if not rs or any(r.worker_days is None for r in rs):
            raise JobsimError(f"{name}: needs runs with tables (simulate(..., tables=True))")
    days = pd.concat([r.worker_days.assign(run=name) for name, rs in runs.items() for r in rs], ignore_index=True)
    use = time_use_table(days, by="run").reindex(list(names))
    fig, (ax_week, ax_gap) = new_figure(1, 2, width=width, height=4.6)
    with house_style():
        left = np.zeros(len(use))
        for activity in TIME_USE_ACTIVITIES:
            values = use[activity].to_numpy(dtype=float)
            ax_week.barh(labels, values, left=left, color=ACTIVITY_COLOURS[activity],
                         label=activity_label(activity, lang), edgecolor="white", linewidth=0.5, zorder=2)
            left += values
        ax_week.set_ylim(1.6, -0.6)
        ax_week.set_xlabel(phrase("week_at_work_axis", lang))
        ax_week.grid(axis="y", visible=False)
        ax_week.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, fontsize=9)
        colours = (OKABE_ITO["grey"], OKABE_ITO["blue"])
        scenario = runs["your choice"][0].scenario
        rule, first = scenario.interval_days, scenario.first_meeting_days
        high = float(rule)
        for (_name, rs), label, colour in zip(runs.items(), labels, colours):
            gaps = pd.concat([follow_up_gaps(r, follow_ups_only=False) for r in rs], ignore_index=True)["gap_days"]
            gaps = gaps.dropna()
            if len(gaps):
                high = max(high, float(gaps.quantile(0.995)))
                bins = np.arange(0.0, float(gaps.max()) + 8.0, 7.0)  # one bin per week
                ax_gap.hist(gaps, bins=bins, weights=np.full(len(gaps), 1.0 / len(gaps)), histtype="step",
                            linewidth=2, color=colour, label=label)
        ax_gap.axvline(first, color="black", linestyle="--", linewidth=1.0,
                       label=phrase("first_due", lang, days=num(first, lang)))
        ax_gap.axvline(rule, color="black", linestyle=":", linewidth=1.3,
                       label=phrase("rule_days", lang, days=num(rule, lang)))
        ax_gap.set_xlim(0.0, high + 14.0)
        ax_gap.set_xlabel(phrase("gap_since_axis", lang))
        ax_gap.set_ylabel(phrase("held_share_axis", lang))
        ax_gap.yaxis.set_major_formatter(number_ticks(lang, share=True, decimals=0))
        ax_gap.legend(fontsize=9)
        means = {n: kpi_means(rs) for n, rs in runs.items()}
        parts = [f"{lab}: {pct(means[n]['prepared_share'], lang)} {phrase('prepared', lang)}, "
                 f"{pct(means[n]['overdue_share'], lang)} {phrase('overdue', lang)}" for n, lab in zip(names, labels)]
        fig.suptitle(" · ".join(parts))
    return fig


__all__ = ["KEY_KPIS", "EXPLORER_LEVERS", "kpi_means", "compare_kpis", "week_in_the_life", "crn_comparison",
           "Exploration", "Explorer", "explorer_figure"]
