"""Calibrate a whole log: :func:`calibrate` gives a :class:`Calibration` that prints and writes a scenario fragment.

The fragment is TOML with only the values the log could estimate, each with
a comment saying where it came from (the log, its size and dates, the 95 %
interval); ``jobsim run SCENARIO --with FRAGMENT`` runs a built-in scenario
with them (:func:`jobsim.calibrate.fragment.read_fragment`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from scipy import stats

from ..model.scenario import field_bounds
from .fit import Estimate
from .lead import band_rates, predictive_check
from .log import AppointmentLog, lead_days
from .noshow import design, noshow_estimates
from .times import conversation_estimates, punctuality_estimates

#: What a booking log cannot tell (printed with every report and in docs/appointment_log.md).
LIMITS = ("caseworkers' desk time (preparation, documentation, casework) is not in a booking log: "
          "prep_minutes and the policies' effects on it keep their scenario values",
          "lead bands are measured on the lead the log shows (slot day less booking day); one odds ratio per 30 "
          "days on follow-ups (booked on the day of the previous slot) and new citizens' first bookings, beyond the "
          "shortest lead of their kind, since the earliest day a booking rule allowed is not in the log",
          "reminders are told from lead only where, at the same lead, some bookings had one and some not",
          "a conversation cut short by the end of its slot looks shorter than the citizen's need")


@dataclass
class Calibration:
    """The estimates from one appointment log (``log``) and what they are."""

    log: AppointmentLog
    estimates: list[Estimate] = field(default_factory=list)

    def estimate(self, parameter: str) -> Estimate | None:
        """The estimate of a scenario parameter, or None."""
        return next((e for e in self.estimates if e.parameter == parameter), None)

    def values(self) -> dict[str, float]:
        """Scenario parameter -> estimated value, for those written to the fragment (see :func:`not_written`)."""
        return {e.parameter: float(round(e.value, 6)) for e in self.estimates
                if e.parameter is not None and e.value is not None and not_written(e) is None}

    def warnings(self) -> list[str]:
        """One line per estimated value that is not written to the fragment, saying why (the other lead shape,
        fitted to compare and not chosen, is not a warning)."""
        return [f"{e.parameter} = {_fmt(e.value)} not written: {not_written(e)}" for e in self.estimates
                if e.parameter is not None and e.value is not None and not_written(e) is not None
                and not e.superseded]

    def summary(self) -> list[str]:
        """What the log is: bookings, citizens, dates, the no-show rate per booking and by lead band."""
        f = self.log.frame
        y = (~f["attended"].to_numpy()).astype(float)
        k, n = int(y.sum()), len(y)
        lo, hi = stats.binomtest(k, n).proportion_ci(method="wilson")
        lines = [f"The log: {self.log.describe()}"] + [f"  - {c}" for c in self.log.changes] + [
                 f"  no-shows per booking: {k:,} of {n:,} = {k / n:.1%} (95% CI {lo:.1%} to {hi:.1%})",
                 "  by lead (days from booking to slot):"]
        for r in band_rates(y, lead_days(self.log)).itertuples():
            if r.bookings:
                lines.append(f"    {r.label:>16s}: {r.no_shows:,} of {r.bookings:,} = {r.rate:.1%} "
                             f"(95% CI {r.low:.1%} to {r.high:.1%})")
            else:
                lines.append(f"    {r.label:>16s}: no bookings")
        lines.append("  (Wilson intervals with bookings counted as independent; a citizen's bookings are not, so "
                     "the true intervals are somewhat wider)")
        return lines

    def report(self) -> str:
        """The readable report: warnings first, what the log is, then each value with its interval and fit."""
        warn = self.warnings()
        lines = (["WARNING: estimated but not written to the scenario fragment:"] + [f"  - {w}" for w in warn] + [""]
                 if warn else [])
        lines += self.summary() + [""]
        for e in self.estimates:
            head = f"{e.label}"
            if e.parameter:
                head += f" ({e.parameter})"
            if e.value is None:
                lines.append(f"{head}: {e.note}")
            elif e.low is None:
                lines.append(f"{head}: {_fmt(e.value)} {e.unit}".rstrip())
            else:
                lines.append(f"{head}: {_fmt(e.value)} {e.unit}, 95% CI {_fmt(e.low)} to {_fmt(e.high)}")
            if e.value is not None:
                lines += [f"    fit: {e.fit}"] if e.fit else []
                lines += [f"    note: {e.note}"] if e.note else []
                reason = not_written(e) if e.parameter else None
                lines += [f"    NOT WRITTEN: {reason}"] if reason else []
        lines += [""] + self.check_lines()
        lines += ["", "What this log cannot tell:"] + [f"  - {text}" for text in LIMITS]
        return "\n".join(lines)

    def check(self) -> pd.DataFrame | None:
        """The posterior-predictive check of the written values (:func:`jobsim.calibrate.lead.predictive_check`),
        or None where it cannot be made (one odds ratio per 30 days written)."""
        values = self.values()
        if values.get("noshow_lead_odds_ratio", 1.0) != 1.0:
            return None
        return predictive_check(design(self.log), values)

    def check_lines(self) -> list[str]:
        """The check as the report prints it."""
        table = self.check()
        if table is None:
            return ["Check of the values written: not made. One odds ratio per 30 days applies to the lead beyond "
                    "the earliest day the booking rule allowed, which a log does not show, so the log's bookings "
                    "cannot be simulated under it (jobsim run with the fragment and --appointment-log can)"]
        inside = int(table["inside"].sum())
        lines = [f"Check of the values written: no-shows by lead band simulated 200 times from them on this log's "
                 f"bookings (same citizens, leads and reminders; each booking given its citizen's other bookings): "
                 f"{inside} of {len(table)} bands inside the simulated 95% range"]
        for r in table.itertuples():
            lines.append(f"    {r.label:>16s}: log {r.observed:.1%}, simulated {r.predicted:.1%} "
                         f"(95% range {r.low:.1%} to {r.high:.1%}){'' if r.inside else '  OUTSIDE'}")
        return lines

    def to_toml(self) -> str:
        """The scenario fragment: ``name = value  # estimated from LOG (...); 95% CI a to b``.

        Only values that are settings: a value outside the scenario's allowed range, outside its own
        interval, without an interval, or from a model whose fit test failed is a comment saying why.
        """
        where = self.log.describe()
        lines = [f"# Scenario values estimated by jobsim calibrate from {where}.",
                 "# Use on top of a scenario: jobsim run laerkevej --with THIS_FILE",
                 "# A line '# NAME not written (...)' is an estimate that is not a setting, and why; "
                 "'# NAME: not estimated ...' one the log cannot give."]
        lines += [f"# Reading the log: {c}." for c in self.log.changes]
        for e in self.estimates:
            if e.parameter is not None and e.value is None:   # said, never written as a value
                lines.append(f"# {e.parameter}: {e.note}")
            if e.parameter is None or e.value is None:
                continue
            reason = not_written(e)
            ci = f"95% CI {_fmt(e.low)} to {_fmt(e.high)}"
            if reason:
                lines.append(f"# {e.parameter} not written ({reason}): estimate {_fmt(e.value)}, {ci}")
            else:
                lines.append(f"{e.parameter} = {_fmt(e.value, 6)}  # estimated from {where}; {ci}")
        return "\n".join(lines) + "\n"


def not_written(e: Estimate) -> str | None:
    """Why an estimate is not written as a setting, or None when it is."""
    if e.withheld:
        return e.withheld
    if e.low is None or e.high is None or not (math.isfinite(e.low) and math.isfinite(e.high)):
        return "no finite 95% interval"
    if not e.low <= e.value <= e.high:
        return f"outside its own 95% interval {_fmt(e.low)} to {_fmt(e.high)}"
    return _outside_range(e.parameter, round(e.value, 6))


def calibrate(log: AppointmentLog) -> Calibration:
    """Every estimate the log allows: no-shows (always), conversation minutes and punctuality (with times)."""
    return Calibration(log, noshow_estimates(log) + conversation_estimates(log) + punctuality_estimates(log))


def _fmt(value: float, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.{digits}g}"


def _outside_range(name: str, value: float) -> str | None:
    """Why ``value`` is outside the scenario field's allowed range (its ge/gt/le/lt), or None if inside."""
    bounds = field_bounds(name)
    low, high = bounds.get("ge", bounds.get("gt", -math.inf)), bounds.get("le", bounds.get("lt", math.inf))
    if low <= value <= high and value != bounds.get("gt") and value != bounds.get("lt"):
        return None
    return f"outside the range the scenario allows ({_fmt(low)} to {_fmt(high)})"
