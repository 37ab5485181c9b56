"""Confidence intervals over replications, for the studies' tables (the t formula is :mod:`jobsim.runner`'s)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..runner.stats import t_interval

__all__ = ["mean_interval", "interval_table", "excludes_zero"]


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> dict[str, float]:
    """Mean, sample sd, t-based confidence interval and n of ``values`` (NaN values left out).

    Returns a dict with ``mean``, ``sd``, ``ci_low``, ``ci_high`` (in the
    values' unit) and ``n``; with n < 2 the sd and interval are NaN.
    """
    x = np.asarray([v for v in values if not math.isnan(float(v))], dtype=float)
    n = len(x)
    m = float(x.mean()) if n else math.nan
    s = float(x.std(ddof=1)) if n > 1 else math.nan
    low, high = t_interval(m, s, n, confidence)
    return {"mean": m, "sd": s, "ci_low": low, "ci_high": high, "n": n}


def interval_table(runs: pd.DataFrame, by: str | Sequence[str], kpis: Sequence[str],
                   confidence: float = 0.95) -> pd.DataFrame:
    """Per group of ``by`` and per KPI: mean, sd, t interval and n over the rows (replications) of ``runs``."""
    by = [by] if isinstance(by, str) else list(by)
    rows = []
    for key, g in runs.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        for kpi in kpis:
            rows.append({**dict(zip(by, key)), "kpi": kpi, **mean_interval(g[kpi].to_numpy(), confidence)})
    return pd.DataFrame(rows)


def excludes_zero(table: pd.DataFrame) -> pd.Series:
    """True where a difference's confidence interval (``ci_low``, ``ci_high``) lies wholly above or below 0."""
    return (table["ci_low"] > 0) | (table["ci_high"] < 0)

