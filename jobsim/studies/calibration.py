"""Parameter recovery: simulate with known values, export the appointment log, calibrate, count the hits.

One replication (:func:`recovery_replication`) runs the recovery scenario
twice with different seeds, once without and once with SMS reminders, and
joins the two appointment logs (citizens and caseworkers of the second run
get other ids), so the log has bookings with and without reminders and the
SMS effect can be estimated alongside the propensities, their spread, the
lead-time effect, conversation minutes and punctuality. :func:`recovery`
repeats it over seeds; :func:`coverage` says in what share of replications
each 95 % interval held the true value, with a Wilson interval for that
share; :func:`recovery_figure` draws it. The script is
``experiments/calibration_recovery.py``.

The recovery scenario is Lærkevej (220 citizens per caseworker: diaries are
full, so leads vary) with two departures that keep the log's lead and
conversation times what the model used: no caseworker absence (a booking
moved for absence shows a later slot than the one its attendance was drawn
for) and ``overrun = true`` (no conversation is cut at the slot end).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from ..calibrate.log import AppointmentLog, read_appointment_log
from ..calibrate.report import calibrate
from ..model.scenario import Scenario, load_scenario
from ..report.style import caption, new_figure, wrap_title
from ..report.words import num, pct, phrase
from ..runner.engine import map_runs
from ..runner.eventlog import appointment_log
from ..runner.simulate import simulate

#: The true values the recovery scenario is run with (scenario parameter -> value).
TRUTH = {"noshow_probability": 0.20, "noshow_spread": 0.12, "noshow_lead_odds_ratio": 2.0, "sms_effect": 0.3,
         "conversation_minutes": 22.0, "conversation_cv": 0.3, "punctuality_mean_minutes": -2.0,
         "punctuality_sd_minutes": 4.0}


def recovery_scenario(workers: int = 2, **changes) -> Scenario:
    """Lærkevej with the :data:`TRUTH` values, no absence and ``overrun = true`` (see the module docstring)."""
    return load_scenario("laerkevej").replace(**{"workers": workers, "absence_share": 0.0, "overrun": True, **TRUTH,
                                                 **changes})


def recovery_log(seed: int, scenario: Scenario, folder=None) -> AppointmentLog:
    """The joined appointment log of two runs (reminders off with ``seed``, on with a second seed).

    Written to ``folder`` as CSV and read back through :func:`read_appointment_log`, as a user's log
    would be (a temporary folder if None).
    """
    import tempfile
    from pathlib import Path

    parts = []
    for arm, sms in (("a", False), ("b", True)):
        result = simulate(scenario.replace(sms_reminders=sms), seed=seed, replication=1 if sms else 0)
        log = appointment_log(result)
        log["citizen_id"] = arm + log["citizen_id"].astype(str)
        log["caseworker_id"] = arm + log["caseworker_id"].astype(str)
        parts.append(log)
    frame = pd.concat(parts, ignore_index=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(folder or tmp) / f"recovery_log_{seed}.csv"
        frame.to_csv(path, index=False)
        return read_appointment_log(path)


def recovery_replication(seed: int, scenario: Scenario) -> pd.DataFrame:
    """One replication: ``parameter``, ``truth``, ``estimate``, ``low``, ``high``, ``covered``, ``seed``, ``bookings``."""
    log = recovery_log(seed, scenario)
    cal = calibrate(log)
    rows = []
    for name in TRUTH:
        e = cal.estimate(name)
        truth = getattr(scenario, name)
        value = e.value if e is not None and e.value is not None else math.nan
        low = e.low if e is not None and e.low is not None else math.nan
        high = e.high if e is not None and e.high is not None else math.nan
        rows.append({"parameter": name, "truth": truth, "estimate": value, "low": low, "high": high,
                     "covered": bool(low <= truth <= high), "seed": seed, "bookings": log.bookings})
    return pd.DataFrame(rows)


def recovery(replications: int, seed: int = 0, scenario: Scenario | None = None, jobs: int = 1) -> pd.DataFrame:
    """:func:`recovery_replication` for seeds ``seed, seed + 1, ...``, stacked (in seed order whatever ``jobs``)."""
    scenario = scenario or recovery_scenario()
    seeds = [seed + r for r in range(replications)]
    parts = map_runs(partial(recovery_replication, scenario=scenario), seeds, jobs=jobs)
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class Coverage:
    """The share of replications whose interval held the truth, with its 95 % Wilson interval."""

    parameter: str
    hits: int
    replications: int

    @property
    def share(self) -> float:
        return self.hits / self.replications

    def wilson(self) -> tuple[float, float]:
        n, p, z = self.replications, self.share, 1.959963984540054
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return centre - half, centre + half


def coverage(frame: pd.DataFrame) -> list[Coverage]:
    """Coverage of each parameter over the replications in ``frame`` (from :func:`recovery`)."""
    return [Coverage(name, int(g["covered"].sum()), len(g))
            for name, g in frame.groupby("parameter", sort=False)]


def recovery_figure(frame: pd.DataFrame, lang: str = "en", caption_text: str | None = None):
    """One panel per parameter: each replication's 95 % interval (sorted by estimate), the truth as a line,
    intervals that miss it in a warning colour; the panel title gives the coverage."""
    names = list(dict.fromkeys(frame["parameter"]))
    cols = 4
    rows = math.ceil(len(names) / cols)
    fig, axes = new_figure(rows, cols, width=14, height=3.4 * rows)
    axes = np.atleast_1d(axes).ravel()
    cov = {c.parameter: c for c in coverage(frame)}
    for ax, name in zip(axes, names):
        g = frame[frame["parameter"] == name].sort_values("estimate", ignore_index=True)
        hit = g["covered"].to_numpy()
        y = np.arange(len(g))
        for mask, colour, key in ((hit, "#0072B2", "recovery_covers"), (~hit, "#D55E00", "recovery_misses")):
            ax.hlines(y[mask], g["low"][mask], g["high"][mask], color=colour, lw=1.2, label=phrase(key, lang))
            ax.plot(g["estimate"][mask], y[mask], "o", ms=2.5, color=colour)
        ax.axvline(g["truth"].iloc[0], color="black", lw=1.2, ls="--", label=phrase("recovery_truth", lang))
        c = cov[name]
        lo, hi = c.wilson()
        ax.set_title(f"{name}\n" + phrase("recovery_panel", lang, share=pct(c.share, lang),
                                          low=pct(lo, lang), high=pct(hi, lang)), fontsize=9.5)
        ax.set_xlabel(phrase("recovery_x_" + _unit(name), lang))
        ax.set_ylabel(phrase("recovery_y", lang))
        ax.xaxis.set_major_formatter(_ticks(lang))
    for ax in axes[len(names):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    fig.legend(list(unique.values()), list(unique.keys()), loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=3,
               frameon=False)
    n = frame["seed"].nunique()
    fig.suptitle(wrap_title(phrase("recovery_title", lang, n=num(n, lang)), 14))
    if caption_text:
        caption(fig, caption_text)
    return fig


def _unit(name: str) -> str:
    return "minutes" if "minutes" in name else "value"


def _ticks(lang: str):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: num(v, lang, None))
