"""The three designs and their analyses: Morris screening, Sobol indices, Latin hypercube.

* ``morris`` (Morris 1991; Campolongo, Cariboni & Saltelli 2007): ``r`` random
  trajectories through a grid of ``levels`` levels per parameter, ``r (k + 1)``
  points for ``k`` parameters. Each step changes one parameter by
  ``levels / (2 (levels - 1))`` of its range (2/3 with 4 levels); the
  elementary effect is the change in the KPI divided by that fraction, i.e. the
  change over the parameter's whole range were the effect linear. ``mu_star`` is
  the mean absolute elementary effect (how much a parameter matters, in the
  KPI's unit), ``sigma`` their standard deviation (interactions and
  non-linearity). Interval: bootstrap over trajectories, on mu_star.
* ``sobol`` (Saltelli 2002, 2010): a scrambled Sobol' sequence with the
  Saltelli scheme, ``N (k + 2)`` points. ``S1`` is the share of the KPI's
  variance a parameter explains alone, ``ST`` its total share with all its
  interactions; bootstrap intervals.
* ``lhs``: a Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`) of ``n``
  points, for exploring; ``S1`` estimated from it by RBD-FAST (Tarantola et al. 2006;
  Plischke 2010), with bootstrap intervals.

The designs are drawn with SALib and SciPy from ``seed``; the same seed gives the same design.

A categorical parameter (:attr:`Range.levels <jobsim.gsa.ranges.Range.levels>`) enters every design as a
number uniform on [0, 1), cut into equal parts, one per level (:func:`jobsim.gsa.ranges.level_of`): the
standard way to screen a discrete factor with Morris or Sobol. A Morris step (more than half the range)
always switches its level, so its elementary effect is the change a switch of level makes; jobsim
reports it as that change (SALib's value times the step), so ``mu_star`` of a categorical parameter is
the mean absolute effect of switching levels, in the KPI's unit. Which levels a step compares follows
from the grid: with 4 grid levels and three levels, the first with the third and the second with the
third; with ``levels=6`` every pair. Sobol and Latin hypercube indices are shares of variance, the same
for any kind of parameter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import qmc
from SALib.analyze import morris as morris_analyze
from SALib.analyze import rbd_fast
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from ..errors import JobsimError
from .ranges import Range

#: The methods, and the indices each reports (the ``index`` column of ``sensitivity.csv``).
METHODS = ("morris", "sobol", "lhs")
INDICES = {"morris": ("mu_star", "sigma"), "sobol": ("S1", "ST"), "lhs": ("S1",)}
#: Default design size: Morris trajectories, Sobol base samples (a power of two), Latin hypercube points.
DEFAULT_SIZE = {"morris": 10, "sobol": 64, "lhs": 100}
#: Bootstrap resamples for the intervals.
RESAMPLES = 1000
#: Harmonics of RBD-FAST (the Latin hypercube's estimator), and the fewest points it can work with.
HARMONICS = 6
MIN_LHS = 4 * HARMONICS + 1


def check_method(method: str) -> str:
    if method not in METHODS:
        raise JobsimError(f"method: {method!r} is not allowed; allowed: {', '.join(METHODS)}")
    return method


def problem(ranges: Sequence[Range]) -> dict[str, Any]:
    """The SALib problem of ``ranges``."""
    return {"num_vars": len(ranges), "names": [r.name for r in ranges], "bounds": [[r.low, r.high] for r in ranges]}


def step(levels: int = 4) -> float:
    """A Morris step as a share of a parameter's range: ``levels / (2 (levels - 1))`` (2/3 with 4 levels)."""
    return levels / (2 * (levels - 1))


def design_points(method: str, size: int) -> str:
    """How many points a design of ``size`` makes, as a formula (for messages)."""
    return {"morris": f"{size} trajectories x (k + 1)", "sobol": f"{size} x (k + 2)", "lhs": f"{size}"}[method]


def sample(method: str, ranges: Sequence[Range], size: int, seed: int = 0, levels: int = 4) -> np.ndarray:
    """The design: one row per point, one column per parameter (values in the parameters' units)."""
    check_method(method)
    if size < 2:
        raise JobsimError(f"size: {size} is too small; allowed: 2 or more")
    prob = problem(ranges)
    if method == "morris":
        if levels < 2 or levels % 2:
            raise JobsimError(f"levels: {levels} is not allowed; allowed: an even number, 2 or more")
        return morris_sample.sample(prob, N=size, num_levels=levels, seed=seed)
    if method == "lhs" and size < MIN_LHS:
        raise JobsimError(f"samples: {size} points are too few for a Latin hypercube analysis (RBD-FAST with "
                          f"{HARMONICS} harmonics); allowed: {MIN_LHS} or more")
    if method == "sobol":
        if size & (size - 1):
            raise JobsimError(f"samples: {size} is not a power of two (Sobol' sequences need one: 32, 64, 128...)")
        return sobol_sample.sample(prob, N=size, calc_second_order=False, scramble=True, seed=seed)
    unit = qmc.LatinHypercube(d=len(ranges), seed=seed).random(size)
    return qmc.scale(unit, [r.low for r in ranges], [r.high for r in ranges])


def points_of(X: np.ndarray, ranges: Sequence[Range]) -> list[dict[str, Any]]:
    """The design's points as scenario changes (integer parameters rounded, categorical ones as their level)."""
    return [{r.name: r.value(x) for r, x in zip(ranges, row)} for row in X]


def analyse(method: str, ranges: Sequence[Range], X: np.ndarray, y: np.ndarray, seed: int = 0,
            confidence: float = 0.95, levels: int = 4) -> list[dict[str, Any]]:
    """The indices of one KPI: one row per parameter and index (``parameter``, ``index``, ``value``, ``ci_*``).

    ``y`` is the KPI at each design point (the mean over replications). A KPI that is the same at
    every point depends on no parameter: every index is 0. A KPI with a missing value (NaN) at
    some point cannot be analysed: every index is NaN.
    """
    y = np.asarray(y, dtype=float)
    names = [r.name for r in ranges]
    if not np.all(np.isfinite(y)):
        return [_row(n, i, math.nan) for n in names for i in INDICES[method]]
    if np.ptp(y) == 0:
        return [_row(n, i, 0.0, 0.0, 0.0) if i != "sigma" else _row(n, i, 0.0)
                for n in names for i in INDICES[method]]
    prob = problem(ranges)
    rows = []
    if method == "morris":
        res = morris_analyze.analyze(prob, X, y, num_resamples=RESAMPLES, conf_level=confidence,
                                     num_levels=levels, seed=seed)
        for j, (n, r) in enumerate(zip(names, ranges)):
            m, half, sigma = float(res["mu_star"][j]), float(res["mu_star_conf"][j]), float(res["sigma"][j])
            if r.categorical:  # the change of one switch of level, not per whole range (see the module's text)
                m, half, sigma = m * step(levels), half * step(levels), sigma * step(levels)
            rows += [_row(n, "mu_star", m, m - half, m + half), _row(n, "sigma", sigma)]
    elif method == "sobol":
        res = sobol_analyze.analyze(prob, y, calc_second_order=False, num_resamples=RESAMPLES,
                                    conf_level=confidence, seed=seed)
        for j, n in enumerate(names):
            for index in ("S1", "ST"):
                v, half = float(res[index][j]), float(res[f"{index}_conf"][j])
                rows.append(_row(n, index, v, v - half, v + half))
    else:
        res = rbd_fast.analyze(prob, X, y, M=HARMONICS, num_resamples=RESAMPLES, conf_level=confidence, seed=seed)
        for j, n in enumerate(names):
            v, half = float(res["S1"][j]), float(res["S1_conf"][j])
            rows.append(_row(n, "S1", v, v - half, v + half))
    return rows


def _row(parameter: str, index: str, value: float, low: float = math.nan, high: float = math.nan) -> dict[str, Any]:
    return {"parameter": parameter, "index": index, "value": value, "ci_low": low, "ci_high": high}
