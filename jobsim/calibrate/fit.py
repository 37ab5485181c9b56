"""What every estimator returns (:class:`Estimate`) and the numerical tools they share.

Intervals are 95 % Wald intervals from the observed information (the
numerical Hessian of the log-likelihood at its maximum), on a scale where
the estimate is close to normal (logit for a probability, log for a spread
or an odds ratio) and carried back to the parameter's own scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054  # the 97.5 % point of the standard normal


@dataclass(frozen=True)
class Estimate:
    """One estimated value with its 95 % interval.

    ``parameter`` is the scenario field the value sets (None for a figure that
    only informs, such as the likelihood-ratio test); ``unit`` as in the
    scenario; ``fit`` one sentence on goodness of fit; ``note`` what limits it.
    ``value`` is None when the log cannot identify it (``note`` says why).
    """

    parameter: str | None
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    fit: str = ""
    note: str = ""

    def covers(self, truth: float) -> bool:
        """The interval holds ``truth``."""
        return self.value is not None and self.low <= truth <= self.high


def hessian(f, x: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function ``f`` at ``x`` (steps scaled to ``x``)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    h = step * np.maximum(1.0, np.abs(x))
    out = np.empty((n, n))
    f0 = f(x)
    for i in range(n):
        ei = np.zeros(n)
        ei[i] = h[i]
        out[i, i] = (f(x + ei) - 2 * f0 + f(x - ei)) / (h[i] * h[i])
        for j in range(i):
            ej = np.zeros(n)
            ej[j] = h[j]
            v = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
            out[i, j] = out[j, i] = v
    return out


def covariance(negloglik, x: np.ndarray) -> np.ndarray:
    """The inverse observed information at the maximum ``x`` of a log-likelihood (given as its negative)."""
    info = hessian(negloglik, x)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) < 0):
        return np.full_like(info, np.nan)
    return cov


def expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def logit(p):
    return np.log(p) - np.log1p(-p)


def interval(center: float, se: float, back=lambda v: v) -> tuple[float, float]:
    """``back(center ± 1.96 se)`` in increasing order (nan when ``se`` is not finite)."""
    if not math.isfinite(se):
        return float("nan"), float("nan")
    # clipped so that a hopeless interval (a handful of bookings) becomes (0, inf) rather than an overflow
    a = back(max(center - Z95 * se, -700.0))
    b = back(min(center + Z95 * se, 700.0))
    return (float(min(a, b)), float(max(a, b)))


def spread_of(mean: float, concentration: float) -> float:
    """Standard deviation of a beta distribution with this mean and concentration a + b."""
    return math.sqrt(mean * (1 - mean) / (concentration + 1.0))


def concentration_of(mean: float, spread: float) -> float:
    """a + b of a beta distribution with this mean and standard deviation (the model's parametrisation)."""
    return mean * (1 - mean) / (spread * spread) - 1.0
