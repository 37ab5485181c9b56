"""Statistics on replications: confidence intervals and how many replications a KPI needs.

* :func:`t_interval`: the t-based interval of a mean; :func:`welch_interval`: Welch's interval of
  a difference of two independent means.
* :func:`replications_needed` (from a pilot sample) and :func:`replications_algorithm` (run until
  precise) tell how many replications a KPI needs for a target confidence-interval half-width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import JobsimError
from .checks import check_confidence, check_int


def t_interval(mean: float, sd: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The t-based confidence interval mean -/+ t(confidence, n - 1) x sd / sqrt(n); NaN if n < 2."""
    if n < 2 or math.isnan(sd) or math.isnan(mean):
        return math.nan, math.nan
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd / math.sqrt(n)
    if not math.isfinite(mean):
        return mean, mean
    return mean - half, mean + half


def welch_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Welch's t interval for mean(a) - mean(b), treating the two samples as independent."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se2 = va + vb
    d = float(a.mean() - b.mean())
    if se2 == 0:
        return d, d
    df = se2 ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    half = float(stats.t.ppf((1 + confidence) / 2, df)) * math.sqrt(se2)
    return d - half, d + half


def replications_needed(values: Sequence[float], half_width: float, relative: bool = False,
                        confidence: float = 0.95) -> int:
    """How many replications give a confidence interval of at most ``half_width``, from a pilot sample.

    The confidence-interval method (e.g. Law, *Simulation Modeling and
    Analysis*, 5th ed., section 9.4.1; Robinson 2014, ch. 9): with the pilot's
    sample standard deviation ``s``, the answer is the smallest ``n >= 2``
    with

        t(1 - alpha/2, n - 1) x s / sqrt(n) <= h,      alpha = 1 - confidence,

    where ``h = half_width`` in the KPI's unit, or ``half_width x |mean|`` with
    ``relative=True`` (e.g. 0.05 for +/- 5 % of the mean). It assumes the pilot's
    ``s`` is close to the true one, so use a pilot of 10 or more; NaN values are
    ignored. The answer may be smaller than the pilot's size.

    >>> replications_needed([10, 12, 11, 13, 9, 10, 12, 11], half_width=0.5)
    29
    """
    check_confidence(confidence)
    x = np.asarray([v for v in values if v is not None and not math.isnan(float(v))], dtype=float)
    if len(x) < 2:
        raise JobsimError("values: need at least 2 defined pilot values to estimate the standard deviation")
    if not (isinstance(half_width, (int, float)) and half_width > 0 and math.isfinite(half_width)):
        raise JobsimError(f"half_width: {half_width!r} must be a positive number")
    s = float(x.std(ddof=1))
    h = half_width * abs(float(x.mean())) if relative else float(half_width)
    if s == 0:
        return 2
    if h == 0:
        raise JobsimError("half_width: the pilot mean is 0, so a relative half-width is 0; give an absolute one")
    q = (1 + confidence) / 2
    n = max(2, math.ceil((stats.norm.ppf(q) * s / h) ** 2))  # t > z, so the answer is at least this
    while stats.t.ppf(q, n - 1) * s / math.sqrt(n) > h:
        n += 1
    return n


@dataclass
class ReplicationsAlgorithmResult:
    """The outcome of :func:`replications_algorithm`.

    ``replications``: the number of replications found (None if ``max_replications`` was
    reached first); ``values``: the KPI of each replication run; ``deviations``: the relative
    half-width after each replication (NaN before ``initial``).
    """

    replications: int | None
    values: list[float]
    deviations: list[float]
    precision: float
    confidence: float

    @property
    def converged(self) -> bool:
        """True if a number of replications was found."""
        return self.replications is not None

    def table(self) -> pd.DataFrame:
        """One row per replication count: n, cumulative mean, relative half-width."""
        x = np.asarray(self.values, dtype=float)
        n = np.arange(1, len(x) + 1)
        return pd.DataFrame({"replications": n, "mean": np.cumsum(x) / n, "deviation": self.deviations})


def replications_algorithm(run_one: Callable[[int], float], precision: float = 0.05, confidence: float = 0.95,
                           initial: int = 3, look_ahead: int = 5,
                           max_replications: int = 1000) -> ReplicationsAlgorithmResult:
    """The replications algorithm of Hoad, Robinson & Davies (2010): run until the mean is precise.

    ``run_one(r)`` runs replication ``r`` and returns one KPI value, e.g.
    ``lambda r: jobsim.simulate(s, replication=r, tables=False).kpis["overdue_share"]``.
    After each replication ``n >= initial`` the relative half-width is

        d_n = t(1 - alpha/2, n - 1) x s_n / (sqrt(n) x |mean_n|),

    (``s_n`` and ``mean_n``: sample sd and mean of the first n values). The answer is the first
    ``n`` with ``d_n <= precision`` such that ``d`` stays within ``precision`` for the next
    ``f(n)`` replications too, with the look-ahead ``f(n) = look_ahead`` for ``n <= 100`` and
    ``floor(look_ahead x n / 100)`` beyond (Hoad et al. 2010, J. Oper. Res. Soc. 61(11),
    1632-1644). The look-ahead guards against stopping on a lucky early estimate.
    """
    check_confidence(confidence)
    if not (precision > 0):
        raise JobsimError(f"precision: {precision!r} must be a positive share (e.g. 0.05 for 5 %)")
    initial = check_int("initial", initial, 2)
    look_ahead = check_int("look_ahead", look_ahead, 0)
    max_replications = check_int("max_replications", max_replications, initial)
    values: list[float] = []
    deviations: list[float] = []
    candidate: int | None = None
    q = (1 + confidence) / 2
    for r in range(max_replications):
        value = float(run_one(r))
        if math.isnan(value):
            raise JobsimError(f"replication {r}: the KPI is undefined (NaN); choose a KPI observed in every run")
        values.append(value)
        n = len(values)
        if n < initial:
            deviations.append(math.nan)
            continue
        x = np.asarray(values)
        mean, s = float(x.mean()), float(x.std(ddof=1))
        d = (stats.t.ppf(q, n - 1) * s / math.sqrt(n) / abs(mean)) if mean != 0 else (0.0 if s == 0 else math.inf)
        deviations.append(float(d))
        if d <= precision:
            if candidate is None:
                candidate = n
            horizon = look_ahead if candidate <= 100 else math.floor(look_ahead * candidate / 100)
            if n - candidate >= horizon:
                return ReplicationsAlgorithmResult(candidate, values, deviations, precision, confidence)
        else:
            candidate = None
    return ReplicationsAlgorithmResult(None, values, deviations, precision, confidence)
