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
from scipy import special

Z95 = 1.959963984540054  # the 97.5 % point of the standard normal
_NODES = 20           # Gauss-Jacobi nodes: exact for a citizen's beta-binomial up to 39 bookings
MAX_CONCENTRATION = 1e5  # a + b beyond this is "no spread" (the propensities differ by under 0.1 %)


@dataclass(frozen=True)
class Estimate:
    """One estimated value with its 95 % interval.

    ``parameter`` is the scenario field the value sets (None for a figure that
    only informs, such as the likelihood-ratio test); ``unit`` as in the
    scenario; ``fit`` one sentence on goodness of fit; ``note`` what limits it.
    ``value`` is None when the log cannot identify it (``note`` says why);
    ``withheld`` says why an estimated value is still not a setting (its
    model's fit test failed, another shape of the effect was chosen).
    """

    parameter: str | None
    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    fit: str = ""
    note: str = ""
    #: why the value, though estimated, is not written to a scenario fragment ("" = it may be written)
    withheld: str = ""
    #: withheld because another shape of the same effect was written instead (a comparison, not a warning)
    superseded: bool = False

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


def beta_nodes(mean: float, conc: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi nodes (propensities) and log weights for a beta(mean, concentration)."""
    a, b = mean * conc, (1 - mean) * conc
    with np.errstate(all="ignore"):
        x, w = special.roots_jacobi(_NODES, b - 1.0, a - 1.0)
    p = np.clip((1.0 + x) / 2.0, 1e-12, 1 - 1e-12)
    if not np.all(np.isfinite(w)):
        # a concentrated beta (a + b in the thousands, away from mean 0.5): SciPy's normalising constant
        # overflows, though the nodes are right. The normalised weights from the nodes instead:
        # w_i ~ 1 / ((1 - x_i^2) P'_n(x_i)^2), with P'_n of (alpha, beta) ~ P_(n-1) of (alpha + 1, beta + 1)
        logw = -np.log1p(-x * x) - 2.0 * np.log(np.abs(special.eval_jacobi(_NODES - 1, b, a, x)))
        return p, logw - special.logsumexp(logw)
    w = np.clip(w, 1e-300, None)
    return p, np.log(w / w.sum())


def outcome_loglik(p: np.ndarray, y: np.ndarray, z: np.ndarray, scale: np.ndarray | None) -> np.ndarray:
    """Log-probability of each booking's outcome (bookings x nodes): propensity ``p`` at each node, cut by
    ``scale`` (1 - the reminder's effect; None for no reminders), odds shifted by ``z`` (bookings x 1)."""
    q = p[None, :] if scale is None else p[None, :] * scale[:, None]
    q = np.minimum(q, 1 - 1e-12)
    # with r = q e^z / (1 - q + q e^z): log r = log q + z - D and log(1 - r) = log(1 - q) - D, where
    # D = log(1 + q (e^z - 1)); two logarithms per element instead of four (this is the hot loop of the fits)
    dee = np.log1p(q * np.expm1(z))
    return np.where(y[:, None] == 1, np.log(q) + z, np.log1p(-q)) - dee


def log_spread_se(theta: np.ndarray, cov: np.ndarray) -> float:
    """Delta-method standard error of log(spread) from (logit mean, log concentration) in ``theta[:2]``."""
    m, c = expit(theta[0]), math.exp(theta[1])
    # log s = 0.5 [log m + log(1 - m) - log(c + 1)]
    grad = np.array([0.5 * (1 - 2 * m), -0.5 * c / (c + 1)])
    var = float(grad @ cov[:2, :2] @ grad)
    return math.sqrt(var) if var >= 0 and math.isfinite(var) else float("nan")
