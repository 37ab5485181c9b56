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


def written_shape(cal) -> str:
    """The lead shape a calibration wrote: ``"bands"``, ``"per_30_days"`` or ``"none"``."""
    from ..model.leadbands import BAND_FIELDS

    written = cal.values()
    if any(name in written for name in BAND_FIELDS.values()):
        return "bands"
    return "per_30_days" if "noshow_lead_odds_ratio" in written else "none"


def _recovery_rows(cal, truth: dict[str, float], seed: int) -> pd.DataFrame:
    """One row per true value: ``parameter``, ``truth``, ``estimate``, ``low``, ``high`` (NaN where not
    estimated), ``covered``, ``written`` (a setting of the fragment), ``seed``, ``bookings``, ``shape`` (the
    lead shape written: :func:`written_shape`)."""
    written, shape = cal.values(), written_shape(cal)
    rows = []
    for name, true in truth.items():
        e = cal.estimate(name)
        have = e is not None and e.value is not None
        value, low, high = (e.value, e.low, e.high) if have else (math.nan, math.nan, math.nan)
        low, high = (math.nan if v is None else v for v in (low, high))
        rows.append({"parameter": name, "truth": true, "estimate": value, "low": low, "high": high,
                     "covered": bool(low <= true <= high), "written": name in written, "seed": seed,
                     "bookings": cal.log.bookings, "shape": shape})
    return pd.DataFrame(rows)


def recovery_replication(seed: int, scenario: Scenario) -> pd.DataFrame:
    """One replication of the model's own logs: :func:`_recovery_rows` for :data:`TRUTH`."""
    cal = calibrate(recovery_log(seed, scenario))
    return _recovery_rows(cal, {name: getattr(scenario, name) for name in TRUTH}, seed)


def recovery(replications: int, seed: int = 0, scenario: Scenario | None = None, jobs: int = 1) -> pd.DataFrame:
    """:func:`recovery_replication` for seeds ``seed, seed + 1, ...``, stacked (in seed order whatever ``jobs``)."""
    scenario = scenario or recovery_scenario()
    seeds = [seed + r for r in range(replications)]
    parts = map_runs(partial(recovery_replication, scenario=scenario), seeds, jobs=jobs)
    return pd.concat(parts, ignore_index=True)


#: The true values of the realistic logs (:func:`realistic_log`): shaped like a public outpatient log (no-shows
#: about 3 % same day, 24 % at 1-7 days, 33-40 % beyond two weeks: 'Medical Appointment No Shows', Vitória,
#: Brazil, 2016), propensities at a lead of 1-7 days, reminders cutting them by a fifth.
REALISTIC_TRUTH = {"noshow_probability": 0.25, "noshow_spread": 0.12, "noshow_lead_odds_ratio_same_day": 0.1,
                   "noshow_lead_odds_ratio_8_14_days": 1.3, "noshow_lead_odds_ratio_15_30_days": 1.6,
                   "noshow_lead_odds_ratio_31_plus_days": 1.8, "sms_effect": 0.2}
#: How bookings of the realistic logs spread over the lead bands (same day ... 31 days or more).
REALISTIC_LEAD_SHARES = (0.3, 0.3, 0.15, 0.15, 0.1)


def realistic_log(seed: int, citizens: int = 3000, reminders: str = "within_lead",
                  truth: dict | None = None) -> pd.DataFrame:
    """A booking log shaped like a public outpatient one, drawn from :data:`REALISTIC_TRUTH`, as a table.

    Each citizen has a beta-distributed propensity and 1-3 bookings. A booking is made the day of the
    citizen's previous slot (a follow-up) half the time, else 1-29 days later; its lead is the same day,
    1-7, 8-14, 15-30 or 31-119 days with :data:`REALISTIC_LEAD_SHARES`. ``reminders``: ``"within_lead"``
    sends an SMS for half the bookings not made for the same day, at random; ``"above_lead"`` sends one for
    every booking 3 days or more ahead and none below (the log cannot tell reminders from lead); ``"none"``
    has no ``sms_sent`` column. Columns: citizen_id, booked_at, slot_start, attended, sms_sent.
    """
    from ..calibrate.fit import concentration_of
    from ..model.leadbands import BAND_FIELDS, LEAD_BANDS, banded_propensity

    t = {**REALISTIC_TRUTH, **(truth or {})}
    rng = np.random.default_rng(seed)
    conc = concentration_of(t["noshow_probability"], t["noshow_spread"])
    ratios = tuple(t.get(BAND_FIELDS.get(name, ""), 1.0) for name, _, _ in LEAD_BANDS)
    cumulative = np.cumsum(REALISTIC_LEAD_SHARES)
    first_day, last_day = (0, 1, 8, 15, 31), (0, 7, 14, 30, 119)
    rows = []
    start = pd.Timestamp("2016-01-04")
    for i in range(citizens):
        p = rng.beta(t["noshow_probability"] * conc, (1 - t["noshow_probability"]) * conc)
        booked = start + pd.Timedelta(days=int(rng.integers(0, 90)))
        for _ in range(int(rng.integers(1, 4))):
            band = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            lead = 0 if band == 0 else int(rng.integers(first_day[band], last_day[band] + 1))
            sms = (lead > 0 and rng.random() < 0.5) if reminders == "within_lead" else (lead >= 3)
            q = banded_propensity(p * (1 - t["sms_effect"] * sms), lead, ratios)
            slot = (booked + pd.Timedelta(minutes=60 + 25 * int(rng.integers(0, 6))) if lead == 0 else
                    booked.normalize() + pd.Timedelta(days=lead, hours=9, minutes=25 * int(rng.integers(0, 12))))
            rows.append((f"p{seed}-{i}", booked, slot, bool(rng.random() >= q), bool(sms)))
            follow_up = rng.random() < 0.5
            booked = slot + pd.Timedelta(minutes=40) if follow_up else \
                slot.normalize() + pd.Timedelta(days=int(rng.integers(1, 30)), hours=10)
    frame = pd.DataFrame(rows, columns=["citizen_id", "booked_at", "slot_start", "attended", "sms_sent"])
    return frame.drop(columns="sms_sent") if reminders == "none" else frame


def realistic_replication(seed: int, citizens: int = 3000, reminders: str = "within_lead") -> pd.DataFrame:
    """One realistic log, written as CSV and read back as a user's would be, calibrated: :func:`_recovery_rows`
    for :data:`REALISTIC_TRUTH`."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"realistic_{seed}.csv"
        realistic_log(seed, citizens, reminders).to_csv(path, index=False)
        log = read_appointment_log(path)
    return _recovery_rows(calibrate(log), REALISTIC_TRUTH, seed)


def realistic_recovery(replications: int, seed: int = 0, citizens: int = 3000, jobs: int = 1) -> pd.DataFrame:
    """:func:`realistic_replication` for seeds ``seed, seed + 1, ...``, stacked in seed order."""
    seeds = [seed + r for r in range(replications)]
    parts = map_runs(partial(realistic_replication, citizens=citizens), seeds, jobs=jobs)
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


def coverage_markdown(frame: pd.DataFrame) -> str:
    """A markdown table of a recovery: per parameter the true value, the mean and scatter (SD) of the estimates,
    the mean half-width of the 95 % intervals / 1.96 (the reported standard error, roughly, on the value's own
    scale) and how many intervals held the truth, with a Wilson interval."""
    lines = ["| parameter | true value | mean estimate | scatter of estimates (SD) | mean reported standard error "
             "| intervals holding the truth (95% Wilson CI) |", "|---|---|---|---|---|---|"]
    cov = {c.parameter: c for c in coverage(frame)}
    for name, g in frame.groupby("parameter", sort=False):
        c = cov[name]
        lo, hi = c.wilson()
        se = ((g["high"] - g["low"]) / (2 * 1.959963984540054)).mean()
        lines.append(f"| `{name}` | {g['truth'].iloc[0]:.4g} | {g['estimate'].mean():.4g} | "
                     f"{g['estimate'].std(ddof=1):.3g} | {se:.3g} | {c.hits} of {c.replications} "
                     f"({lo:.0%} to {hi:.0%}) |")
    return "\n".join(lines) + "\n"


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
        ax.set_title(wrap_title(phrase("recovery_param_" + name, lang), 3.4) + "\n" + phrase("recovery_panel", lang, share=pct(c.share, lang),
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
