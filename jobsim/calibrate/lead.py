"""Lead effects as a log shows them: odds by lead band, reminders within bands, and a test of each shape's fit.

Two shapes of lead effect are fitted to every log that allows it, each with
the citizens' beta-distributed propensities integrated out:

* **lead bands** (:func:`band_model`, this module): one odds ratio per band of
  lead (the same day, 8-14, 15-30, 31 days or more) against bookings made
  1-7 days ahead, on the lead the log shows (slot day less booking day); the
  model applies the same ratios to the same leads
  (:mod:`jobsim.model.leadbands`);
* **one odds ratio per 30 days** beyond the earliest day the booking rule
  allowed (:func:`jobsim.calibrate.noshow.noshow_model`).

Each is tested against the log (:func:`lead_group_test`: observed against
expected no-shows in twelve groups of lead, finer than the bands) and the
one that passes with the lower AIC is the one written (:func:`choose`); a
shape whose test fails is never written.

Reminders (:func:`reminders_identified`) are estimated with the lead effect
and the propensities, so within lead; where reminders went with the lead
(at no lead were there enough bookings both with and without one) the log
cannot tell the two apart and the reminder effect is not identified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from ..model.leadbands import BAND_FIELDS, BAND_LABELS, LEAD_BANDS, REFERENCE, band_index
from .fit import (MAX_CONCENTRATION, beta_nodes, concentration_of, covariance, expit, interval, log_spread_se, logit,
                  outcome_loglik, spread_of)

#: The goodness-of-fit groups of lead (last day of each; the last group is open): finer than the bands, so a
#: shape that is flat within a band where the log is not shows up.
GROUP_LAST_DAYS = (0, 1, 3, 7, 10, 14, 21, 30, 45, 60, 90)
#: A shape's fit fails below this p-value (a correct shape fails one time in a hundred).
ALPHA_FIT = 0.01
_MIN_BOOKINGS = 30    # fewer bookings than this in a band (or with / without reminders): not estimated
_REF = [name for name, _, _ in LEAD_BANDS].index(REFERENCE)


def group_labels() -> list[str]:
    """How the goodness-of-fit groups read: ``"0"``, ``"1"``, ``"2-3"``, ..., ``"91+"`` (days)."""
    out, first = [], 0
    for last in GROUP_LAST_DAYS:
        out.append(f"{first}" if first == last else f"{first}-{last}")
        first = last + 1
    return out + [f"{first}+"]


def group_index(lead: np.ndarray) -> np.ndarray:
    """The goodness-of-fit group of each lead (days)."""
    return np.searchsorted(np.array(GROUP_LAST_DAYS), lead, side="left")


@dataclass(frozen=True)
class LeadTest:
    """Observed against expected no-shows by lead group: the chi-square statistic, its df and p, the number of
    lead parameters the shape fitted (``params``) and the table per group."""

    chi2: float
    df: int
    p: float
    params: int
    table: pd.DataFrame

    @property
    def failed(self) -> bool:
        return math.isfinite(self.p) and self.p < ALPHA_FIT

    def sentence(self) -> str:
        if self.df <= 0 or not math.isfinite(self.p):
            return "too few bookings in enough lead groups to test the shape"
        return (f"no-shows in {int(self.table['tested'].sum())} lead groups against the fit: chi-square "
                f"{self.chi2:.1f} on {self.df} df, p = {self.p:.3g}" +
                (f" (fails: below {ALPHA_FIT:g})" if self.failed else ""))


def left_out_noshow_probability(ll: np.ndarray, logw: np.ndarray, starts: np.ndarray, citizen: np.ndarray,
                                y: np.ndarray) -> np.ndarray:
    """Each booking's no-show probability given its citizen's *other* bookings (leave one out).

    ``ll`` is each booking's outcome log-probability at each quadrature node (bookings x nodes, citizens
    contiguous from ``starts`` and numbered by ``citizen``), ``logw`` the nodes' log weights. How many
    bookings a citizen has depends on their no-shows (a no-show is rebooked), so the propensities of the
    booked are not the fitted beta's; the citizen's other bookings correct for that, and leaving the booking
    itself out keeps it from flattering the comparison.
    """
    total = np.add.reduceat(ll, starts, axis=0)                 # citizens x nodes
    rest = total[citizen] - ll + logw[None, :]                  # each booking left out
    post = np.exp(rest - special.logsumexp(rest, axis=1)[:, None])
    q = np.exp(ll)                                              # probability of the outcome seen
    return (post * np.where(y[:, None] == 1, q, 1 - q)).sum(axis=1)


def lead_group_test(ll: np.ndarray, logw: np.ndarray, starts: np.ndarray, citizen: np.ndarray, y: np.ndarray,
                    lead: np.ndarray, params: int) -> LeadTest:
    """Observed against expected no-shows in the lead groups, for a fitted model (``ll``, ``logw``, ``starts``,
    ``citizen``, ``y`` as in :func:`left_out_noshow_probability`).

    The statistic is the quadratic form of observed less expected no-shows per group in the inverse of their
    covariance, estimated from the citizens' own residuals (a cluster-robust estimate, since a citizen's
    bookings share one propensity within and between groups). Groups with fewer than 5 expected no-shows or
    shows are left out; the statistic is referred to a chi-square with the groups kept, less 1, less the
    shape's ``params`` (lead parameters fitted) degrees of freedom.
    """
    expected = left_out_noshow_probability(ll, logw, starts, citizen, y)
    size = len(GROUP_LAST_DAYS) + 1
    group = group_index(lead)
    citizens = int(citizen.max()) + 1 if len(citizen) else 0
    resid = np.bincount(citizen * size + group, weights=y - expected,
                        minlength=citizens * size).reshape(citizens, size)
    cov = resid.T @ resid
    n = np.bincount(group, minlength=size)
    obs = np.bincount(group, weights=y, minlength=size)
    exp_ = np.bincount(group, weights=expected, minlength=size)
    keep = (exp_ >= 5) & (n - exp_ >= 5)
    r = (obs - exp_)[keep]
    sub = cov[np.ix_(keep, keep)]
    try:
        chi2 = float(r @ np.linalg.solve(sub, r)) if keep.any() else 0.0
    except np.linalg.LinAlgError:
        chi2 = float(r @ np.linalg.pinv(sub) @ r)
    df = int(keep.sum()) - 1 - params
    table = pd.DataFrame({"lead_days": group_labels(), "bookings": n, "no_shows": obs.astype(int),
                          "expected": exp_, "sd": np.sqrt(np.diag(cov)), "tested": keep})
    p = float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan")
    return LeadTest(chi2, df, p, params, table)


def reminders_identified(sms: np.ndarray | None, lead: np.ndarray) -> tuple[bool, str]:
    """Whether the log can tell the reminders' effect from the lead's, and if not, why.

    It can where, at the same lead, some bookings had a reminder and some did not: at least
    ``_MIN_BOOKINGS`` of each at leads where both occur. Where reminders went with the lead (sent only
    above some lead, say), only an assumed shape of the lead effect could tell them apart, so they are not
    estimated.
    """
    if sms is None:
        return False, "the log has no sms_sent column"
    sent = int(sms.sum())
    if min(sent, len(sms) - sent) < _MIN_BOOKINGS:
        return False, (f"{sent:,} bookings with an SMS reminder and {len(sms) - sent:,} without; at least "
                       f"{_MIN_BOOKINGS} of each are needed to compare them")
    by_lead = pd.DataFrame({"lead": lead, "sms": sms}).groupby("lead")["sms"].agg(["sum", "size"])
    both = by_lead[(by_lead["sum"] > 0) & (by_lead["sum"] < by_lead["size"])]
    with_, without = int(both["sum"].sum()), int((both["size"] - both["sum"]).sum())
    if min(with_, without) < _MIN_BOOKINGS:
        cut = _threshold(by_lead)
        return False, ("not identified: reminders went with the lead" + (f" (sent only at leads of {cut})" if cut
                       else "") + f"; at leads where some bookings had one and some not there are {with_:,} with "
                       f"and {without:,} without ({_MIN_BOOKINGS} of each are needed), so the log cannot tell the "
                       "reminders' effect from the lead's")
    return True, ""


def _threshold(by_lead: pd.DataFrame) -> str:
    """``"N days or more"`` when reminders were sent exactly at the leads from some day on, else ``""``."""
    sent = by_lead["sum"] > 0
    if sent.all() or not sent.any():
        return ""
    first = sent.idxmax()
    if (sent[by_lead.index >= first]).all() and not sent[by_lead.index < first].any():
        return f"{first:g} days or more"
    return ""


def band_model(design, start: dict, use_sms: bool) -> dict:
    """Fit the lead-band shape: mean and spread of the propensities at a lead of 1-7 days without reminder,
    one odds ratio per other band present, the reminders' effect if ``use_sms``.

    Returns ``fitted`` False with ``note`` when the log has fewer than ``_MIN_BOOKINGS`` bookings 1-7 days
    ahead (nothing to compare the bands with). Otherwise ``mean``, ``spread``, ``sms_effect`` with intervals,
    ``bands`` (band name -> dict of ``ratio``, ``ci``, ``bookings``, ``no_shows``), ``test``
    (:class:`LeadTest`), ``loglik``, ``params`` (all parameters fitted, for the AIC) and ``converged``.
    """
    lead = design.lead
    band = band_index(lead)
    n_band = np.bincount(band, minlength=len(LEAD_BANDS))
    if n_band[_REF] < _MIN_BOOKINGS:
        return {"fitted": False, "note": f"{int(n_band[_REF]):,} bookings made 1-7 days ahead (the reference band); "
                                         f"at least {_MIN_BOOKINGS} are needed to compare the lead bands with"}
    present = [i for i in range(len(LEAD_BANDS)) if i != _REF and n_band[i] > 0]
    column = np.full(len(LEAD_BANDS), -1)
    column[present] = np.arange(len(present))
    sms = design.sms if use_sms else None
    # bookings of a citizen alike in outcome, band and reminder share one term of the likelihood
    keys = pd.DataFrame({"c": design.citizen, "y": design.y, "b": band, "s": sms if sms is not None else 0.0})
    g = keys.groupby(["c", "y", "b", "s"], sort=True).size().reset_index(name="n")
    c_y, c_b, c_s, c_n = (g["y"].to_numpy(float), g["b"].to_numpy(), g["s"].to_numpy(float),
                          g["n"].to_numpy(float))
    c_cit = g["c"].to_numpy()
    c_starts = np.flatnonzero(np.r_[True, c_cit[1:] != c_cit[:-1]])
    k = len(present)

    def unpack(theta):
        mean = expit(theta[0])
        conc = math.exp(min(theta[1], math.log(MAX_CONCENTRATION)))
        betas = np.zeros(len(LEAD_BANDS))
        betas[present] = theta[2:2 + k]
        effect = theta[2 + k] if use_sms else 0.0
        return mean, conc, betas, effect

    def loglik(theta, y, b, s):
        mean, conc, betas, effect = unpack(theta)
        p, logw = beta_nodes(mean, conc)
        scale = None if sms is None else 1.0 - effect * s
        if scale is not None and np.any(scale <= 0):
            return None, logw
        return outcome_loglik(p, y, betas[b][:, None], scale), logw

    def nll(theta):
        ll, logw = loglik(theta, c_y, c_b, c_s)
        if ll is None:
            return 1e300
        per_citizen = np.add.reduceat(ll * c_n[:, None], c_starts, axis=0) + logw[None, :]
        return -float(special.logsumexp(per_citizen, axis=1).sum())

    ref = band == _REF
    ref_rate = min(0.999, max(1e-3, float(design.y[ref].mean())))
    spread0 = start.get("spread", 0.1)
    conc0 = concentration_of(ref_rate, spread0) if 0 < spread0 < math.sqrt(ref_rate * (1 - ref_rate)) else 10.0
    theta0 = np.r_[logit(ref_rate), min(max(math.log(max(conc0, 0.5)), math.log(0.5)),
                                         math.log(MAX_CONCENTRATION)), np.zeros(k), [0.0] * int(use_sms)]
    bounds = [(-12, 12), (math.log(0.05), math.log(MAX_CONCENTRATION))] + [(-10, 10)] * k + \
        [(-3, 0.99)] * int(use_sms)
    res = optimize.minimize(nll, theta0, method="L-BFGS-B", bounds=bounds)
    theta = res.x
    cov = covariance(nll, theta)
    se = np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan))
    mean, conc, betas, effect = unpack(theta)
    spread = spread_of(mean, conc)
    bands = {}
    names = [name for name, _, _ in LEAD_BANDS]
    for i in present:
        j = 2 + int(column[i])
        at_bound = abs(theta[j]) >= 10 - 1e-6
        bands[names[i]] = {"ratio": math.exp(theta[j]),
                           "ci": (float("nan"), float("nan")) if at_bound else interval(theta[j], se[j], math.exp),
                           "bookings": int(n_band[i]), "no_shows": int(design.y[band == i].sum())}
    ll, logw = loglik(theta, design.y, band, design.sms if use_sms else None)
    test = lead_group_test(ll, logw, design.starts, design.citizen, design.y, lead, params=k)
    out = {"fitted": True, "mean": float(mean), "mean_ci": interval(theta[0], se[0], expit), "spread": spread,
           "spread_ci": interval(math.log(spread), log_spread_se(theta, cov), math.exp), "bands": bands,
           "reference_bookings": int(n_band[_REF]), "test": test, "loglik": -float(res.fun),
           "params": len(theta), "converged": bool(res.success), "sms_effect": None, "sms_effect_ci": None}
    if use_sms:
        out["sms_effect"] = float(effect)
        out["sms_effect_ci"] = interval(theta[2 + k], se[2 + k])
    return out


def aic(fit: dict) -> float:
    """Akaike's information criterion of a fitted shape (2 parameters - 2 log-likelihood)."""
    return 2 * fit["params"] - 2 * fit["loglik"]


def choose(per_30: dict | None, bands: dict | None) -> tuple[str | None, str]:
    """Which shape to write (``"bands"``, ``"per_30_days"`` or None) and one sentence on why.

    A shape is a candidate when it was fitted and its lead-group test did not fail; of two candidates the
    one with the lower AIC is written.
    """
    fits = {"bands": bands, "per_30_days": per_30}
    words = {"bands": "lead bands", "per_30_days": "one odds ratio per 30 days"}
    fitted = {k: f for k, f in fits.items() if f is not None and f.get("fitted", True)}
    ok = {k: f for k, f in fitted.items() if not f["test"].failed}
    if not fitted:
        return None, "no lead shape could be fitted"
    if not ok:
        return None, ("the fit test fails for every lead shape (" + "; ".join(
            f"{words[k]}: p = {f['test'].p:.3g}" for k, f in fitted.items()) + "), so no lead effect is written")
    best = min(ok, key=lambda k: aic(ok[k]))
    if len(ok) == 1:
        other = [k for k in fitted if k != best]
        why = f" ({words[other[0]]}: the fit test fails, p = {fitted[other[0]]['test'].p:.3g})" if other else ""
        return best, f"{words[best]} written: the only shape whose fit test passes{why}"
    other = next(k for k in ok if k != best)
    return best, (f"{words[best]} written: both shapes pass their fit test and it has the lower AIC "
                  f"({aic(ok[best]):.1f} against {aic(ok[other]):.1f} for {words[other]})")


def band_rates(y: np.ndarray, lead: np.ndarray) -> pd.DataFrame:
    """No-shows per booking by lead band with 95 % Wilson intervals (bookings counted as independent)."""
    band = band_index(lead)
    rows = []
    for i, (name, _, _) in enumerate(LEAD_BANDS):
        m = band == i
        n, k = int(m.sum()), int(y[m].sum())
        lo, hi = stats.binomtest(k, n).proportion_ci(method="wilson") if n else (math.nan, math.nan)
        rows.append({"band": name, "label": BAND_LABELS[name], "bookings": n, "no_shows": k,
                     "rate": k / n if n else math.nan, "low": lo, "high": hi})
    return pd.DataFrame(rows)


def predictive_check(design, values: dict, draws: int = 200, seed: int = 0) -> pd.DataFrame:
    """No-show rates by lead band simulated from a fragment's ``values`` on the log's own bookings, against the log.

    Under the values (propensities from the beta of ``noshow_probability`` and ``noshow_spread``, cut by
    ``sms_effect`` where a booking had a reminder, the lead effect the values hold; a value the fragment
    does not hold has no effect) each booking's no-show probability is taken given its citizen's *other*
    bookings (leave one out: a no-show brings a rebooking, so who is booked when depends on earlier
    outcomes, and the citizen's other bookings carry that), and its outcome is drawn ``draws`` times.
    Returns per band: ``bookings``, the ``observed`` rate, the simulated ``predicted`` mean rate with the
    2.5 and 97.5 % points of the draws (``low``, ``high``), and ``inside``.

    Values with one odds ratio per 30 days are refused (ValueError): the lead that ratio applies to, beyond
    the earliest day the booking rule allowed, is not in the log, so no booking's probability under them
    can be computed from it (the fit stands in for that day with the shortest lead of a kind and shifts the
    model does not have).
    """
    if values.get("noshow_lead_odds_ratio", 1.0) != 1.0:
        raise ValueError("noshow_lead_odds_ratio: the predictive check needs the lead each booking's odds depend "
                         "on, and the earliest allowed day is not in a log; allowed: values with lead bands")
    rng = np.random.default_rng(seed)
    mean = values.get("noshow_probability", float(design.y.mean()))
    spread = values.get("noshow_spread", 0.0)
    band = band_index(design.lead)
    ratios = np.array([values.get(BAND_FIELDS.get(name, ""), 1.0) for name, _, _ in LEAD_BANDS])
    z = np.log(ratios[band])
    scale = None
    if design.sms is not None and values.get("sms_effect", 0.0) != 0.0:
        scale = 1.0 - values["sms_effect"] * design.sms
    if 0 < mean < 1 and spread > 0:
        p, logw = beta_nodes(mean, concentration_of(mean, spread))
    else:
        p, logw = np.array([min(max(mean, 1e-12), 1 - 1e-12)]), np.zeros(1)
    ll = outcome_loglik(p, design.y, z[:, None], scale)
    prob = left_out_noshow_probability(ll, logw, design.starts, design.citizen, design.y)
    size = len(LEAD_BANDS)
    n = np.bincount(band, minlength=size)
    rates = np.empty((draws, size))
    for k in range(draws):
        missed = rng.random(len(prob)) < prob
        rates[k] = np.bincount(band, weights=missed, minlength=size) / np.maximum(n, 1)
    observed = np.bincount(band, weights=design.y, minlength=size) / np.maximum(n, 1)
    low, high = np.quantile(rates, [0.025, 0.975], axis=0)
    table = pd.DataFrame({"band": [name for name, _, _ in LEAD_BANDS],
                          "label": [BAND_LABELS[name] for name, _, _ in LEAD_BANDS], "bookings": n,
                          "observed": observed, "predicted": rates.mean(axis=0), "low": low, "high": high})
    table["inside"] = (table["low"] <= table["observed"]) & (table["observed"] <= table["high"])
    return table[table["bookings"] > 0].reset_index(drop=True)

