"""Conversation minutes and punctuality from an appointment log's time columns.

* Conversation minutes (``conversation_end - conversation_start``): the model
  gives each citizen a lognormal conversation need (mean
  ``conversation_minutes``, coefficient of variation ``conversation_cv``)
  that all their conversations share, so the estimate works on one value per
  citizen, the mean log-minutes of their conversations: the lognormal's
  ``mu`` by a t interval, ``sigma^2`` by a chi-square interval, the mean by
  Cox's interval for a lognormal mean, the CV from the interval of ``sigma^2``.
  A conversation cut short by the end of its slot is shorter than the
  citizen's need; the log cannot tell which were, so with such cuts the
  estimate is low (jobsim's own runs cut nothing when ``overrun = true``).
* Punctuality (``checkin_at - slot_start``, minutes, negative = early): mean
  by a t interval, standard deviation by a chi-square interval. The model
  clips arrivals to at most 30 minutes early and at most the grace period
  late, which a log shows as the same few values at the ends.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .fit import Estimate
from .log import AppointmentLog

_MIN = 10  # fewer values than this: not estimated


def _minutes(later, earlier) -> np.ndarray:
    return ((later - earlier).dt.total_seconds() / 60.0).to_numpy(dtype=float)


def conversation_estimates(log: AppointmentLog) -> list[Estimate]:
    """Lognormal mean and CV of the conversation need (minutes), with 95 % intervals."""
    f = log.frame
    if not (log.has("conversation_start") and log.has("conversation_end")):
        why = "the log has no conversation_start and conversation_end values"
        return [Estimate("conversation_minutes", "mean conversation need", None, note="not estimated: " + why),
                Estimate("conversation_cv", "CV of the conversation need", None, note="not estimated: " + why)]
    minutes = _minutes(f["conversation_end"], f["conversation_start"])
    ok = f["attended"].to_numpy() & np.isfinite(minutes) & (minutes > 0)
    if {"conversation_start", "conversation_end"} & log.dated_only:
        ok[:] = False
    per_citizen = np.log(minutes[ok])
    groups = f["citizen_id"].to_numpy()[ok]
    if len(per_citizen):
        per_citizen = pd.Series(per_citizen).groupby(groups, sort=False).mean().to_numpy()
    n = len(per_citizen)
    if n < _MIN:
        why = f"only {n} citizen{'' if n == 1 else 's'} with a timed conversation (need {_MIN})"
        return [Estimate("conversation_minutes", "mean conversation need", None, note="not estimated: " + why),
                Estimate("conversation_cv", "CV of the conversation need", None, note="not estimated: " + why)]
    mu, s2 = float(per_citizen.mean()), float(per_citizen.var(ddof=1))
    t = stats.t.ppf(0.975, n - 1)
    mean = math.exp(mu + s2 / 2)
    half = t * math.sqrt(s2 / n + s2 * s2 / (2 * (n - 1)))
    s2_lo, s2_hi = (n - 1) * s2 / stats.chi2.ppf(0.975, n - 1), (n - 1) * s2 / stats.chi2.ppf(0.025, n - 1)
    cv = lambda v: math.sqrt(math.expm1(v))  # noqa: E731
    ks = stats.kstest((per_citizen - mu) / math.sqrt(s2), "norm") if s2 > 0 else None
    fit = (f"log-minutes of {n:,} citizens against a normal: Kolmogorov-Smirnov D = {ks.statistic:.3f} "
           f"(p = {ks.pvalue:.2f}, approximate: mean and SD are estimated)" if ks else "all conversations equal")
    note = "one value per citizen (the model gives each citizen one need)"
    return [Estimate("conversation_minutes", "mean conversation need", mean, math.exp(mu + s2 / 2 - half),
                     math.exp(mu + s2 / 2 + half), "minutes", fit, note),
            Estimate("conversation_cv", "CV of the conversation need", cv(s2), cv(s2_lo), cv(s2_hi), "ratio", fit,
                     note)]


def punctuality_estimates(log: AppointmentLog) -> list[Estimate]:
    """Mean and standard deviation of arrival minutes relative to the slot start, with 95 % intervals."""
    f = log.frame
    labels = ("punctuality_mean_minutes", "mean arrival relative to the slot start"), \
             ("punctuality_sd_minutes", "SD of arrival around the slot start")
    if not log.has("checkin_at") or {"checkin_at", "slot_start"} & log.dated_only:
        why = ("the log has no checkin_at values" if not log.has("checkin_at")
               else "check-in or slot times are dates without a time of day")
        return [Estimate(p, label, None, note="not estimated: " + why) for p, label in labels]
    d = _minutes(f["checkin_at"], f["slot_start"])
    d = d[f["attended"].to_numpy() & np.isfinite(d)]
    n = len(d)
    if n < _MIN:
        return [Estimate(p, label, None, note=f"not estimated: only {n} check-in{'' if n == 1 else 's'}") for p, label in labels]
    m, sd = float(d.mean()), float(d.std(ddof=1))
    t = stats.t.ppf(0.975, n - 1)
    lo = math.sqrt((n - 1) * sd * sd / stats.chi2.ppf(0.975, n - 1))
    hi = math.sqrt((n - 1) * sd * sd / stats.chi2.ppf(0.025, n - 1))
    ends = float(np.mean((d <= d.min() + 1e-9) | (d >= d.max() - 1e-9)))
    fit = (f"{n:,} check-ins; skewness {stats.skew(d):.2f}; {ends:.1%} at the earliest or latest value "
           "(arrivals cut off there)")
    return [Estimate(labels[0][0], labels[0][1], m, m - t * sd / math.sqrt(n), m + t * sd / math.sqrt(n),
                     "minutes", fit, "negative = early"),
            Estimate(labels[1][0], labels[1][1], sd, lo, hi, "minutes", fit, "")]
