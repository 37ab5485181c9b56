"""Calibrate a whole log: :func:`calibrate` gives a :class:`Calibration` that prints and writes a scenario fragment.

The fragment is TOML with only the values the log could estimate, each with
a comment saying where it came from (the log, its size and dates, the 95 %
interval); ``jobsim run SCENARIO --with FRAGMENT`` runs a built-in scenario
with them (:func:`jobsim.calibrate.fragment.read_fragment`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model.scenario import Scenario
from .fit import Estimate
from .log import AppointmentLog
from .noshow import noshow_estimates
from .times import conversation_estimates, punctuality_estimates

#: What a booking log cannot tell (printed with every report and in docs/appointment_log.md).
LIMITS = ("caseworkers' desk time (preparation, documentation, casework) is not in a booking log: "
          "prep_minutes and the policies' effects on it keep their scenario values",
          "the lead effect is measured on follow-ups (booked on the day of the previous slot) and new citizens' "
          "first bookings, beyond the shortest lead of their kind; the earliest day a booking rule allowed is not "
          "in the log",
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
        """Scenario parameter -> estimated value, for those the log identifies (clipped to the allowed range)."""
        return {e.parameter: _allowed(e.parameter, e.value) for e in self.estimates
                if e.parameter is not None and e.value is not None}

    def report(self) -> str:
        """The readable report: each value with its interval, its goodness of fit and what limits it."""
        lines = [f"Calibrated from {self.log.describe()}"] + [f"  - {c}" for c in self.log.changes] + [""]
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
        lines += ["", "What this log cannot tell:"] + [f"  - {text}" for text in LIMITS]
        return "\n".join(lines)

    def to_toml(self) -> str:
        """The scenario fragment: ``name = value  # estimated from LOG (...); 95% CI a to b``."""
        where = self.log.describe()
        lines = [f"# Scenario values estimated by jobsim calibrate from {where}.",
                 "# Use on top of a scenario: jobsim run laerkevej --with THIS_FILE"]
        lines += [f"# Reading the log: {c}." for c in self.log.changes]
        for e in self.estimates:
            if e.parameter is not None and e.value is None:   # said, never written as a value
                lines.append(f"# {e.parameter}: {e.note}")
            if e.parameter is None or e.value is None:
                continue
            value = _allowed(e.parameter, e.value)
            note = "" if value == round(e.value, 6) else f"; clipped to the allowed range from {_fmt(e.value)}"
            lines.append(f"{e.parameter} = {_fmt(value, 6)}  # estimated from {where}; 95% CI "
                         f"{_fmt(e.low)} to {_fmt(e.high)}{note}")
        return "\n".join(lines) + "\n"


def calibrate(log: AppointmentLog) -> Calibration:
    """Every estimate the log allows: no-shows (always), conversation minutes and punctuality (with times)."""
    return Calibration(log, noshow_estimates(log) + conversation_estimates(log) + punctuality_estimates(log))


def _fmt(value: float, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.{digits}g}"


def _allowed(name: str, value: float) -> float:
    """``value`` moved inside the scenario field's allowed range (a spread must stay below 0.5, etc.)."""
    bounds = {}
    for m in Scenario.model_fields[name].metadata:   # annotated_types Ge/Gt/Le/Lt from the field's ge=... etc.
        for key in ("ge", "gt", "le", "lt"):
            if hasattr(m, key):
                bounds[key] = getattr(m, key)
    if "ge" in bounds and value < bounds["ge"]:
        value = bounds["ge"]
    if "gt" in bounds and value <= bounds["gt"]:
        value = bounds["gt"] + 1e-6
    if "le" in bounds and value > bounds["le"]:
        value = bounds["le"]
    if "lt" in bounds and value >= bounds["lt"]:
        value = bounds["lt"] - 1e-6
    return float(round(value, 6))
