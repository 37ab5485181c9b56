"""No-shows from an appointment log: the citizens' propensities, the lead-time effect and SMS reminders.

The model (:mod:`jobsim.model.jobcenter`): citizen *i* has a no-show
propensity ``p_i`` drawn from a beta distribution with mean
``noshow_probability`` and standard deviation ``noshow_spread``; an SMS
reminder multiplies it by ``1 - sms_effect``; the odds of not showing are
multiplied by ``noshow_lead_odds_ratio`` for every 30 days the slot lies
beyond the earliest day the booking rule allowed; bookings are otherwise
independent.

Two fits:

* :func:`beta_binomial`: no-shows per citizen out of their bookings,
  maximum likelihood for a beta-binomial with a different number of bookings
  per citizen (``scipy.stats.betabinom``); the likelihood-ratio test against
  identical citizens (a binomial); a chi-square comparison of how many
  citizens had 0, 1, 2, ... no-shows with what the fit expects.
* :func:`noshow_model`: the model itself, booking by booking: a logistic
  model of not showing on lead time and reminder, with each citizen's
  propensity integrated over the beta distribution (Gauss-Jacobi quadrature).

What the log can tell about lead: it shows when a booking was made and the
slot, not the earliest day the booking rule allowed. A booking made on the
day of the citizen's previous slot is a follow-up: after a held conversation
the rule allows ``max(1, planned interval - booking_lead_days)`` days later,
after a no-show ``rebook_days`` later, a fixed number of days in each case.
So for follow-ups the days beyond the earliest allowed day are the lead less
a constant per kind (after a held conversation, after a no-show), estimated
as the shortest lead of that kind in the log. Other bookings (a citizen's
first, or one whose previous slot is not in the log) carry no lead
information about the rule's earliest day. A citizen's first booking in the
log, made after the log begins, is a new citizen's first (the rule allows
tomorrow): it gets the same lead term and a shift of its own (the shift
absorbs how far its shortest lead lies from the rule's). Other bookings (made
before the log begins, so their previous slot is not in it) get a shift of
their own and no lead term.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .fit import (MAX_CONCENTRATION, Estimate, beta_nodes, concentration_of, covariance, expit, interval, logit,
                  log_spread_se, outcome_loglik, spread_of)
from ..model.leadbands import BAND_FIELDS, BAND_LABELS, LEAD_BANDS
from .lead import ALPHA_FIT, aic, band_model, choose, lead_group_test, reminders_identified
from .log import AppointmentLog, lead_days

_MIN_BOOKINGS = 30    # fewer than this of a kind: the effect is not estimated
_MIN_FOLLOW_UPS = 200  # fewer follow-ups than this: the lead effect is not estimated (too weak to be of use)


@dataclass(frozen=True)
class Design:
    """A log as the no-show model sees it, sorted by citizen.

    ``y`` 1 for a no-show; ``starts`` the first booking of each citizen;
    ``x`` days beyond the shortest lead of the booking's kind / 30 (0 for
    ``other``); ``follow`` follow-up or not; ``first`` a citizen's first
    booking made after the log begins; ``sms`` 1 with a reminder (None when
    the log has no ``sms_sent``); ``kind`` ``"held"``, ``"no_show"``,
    ``"first"`` or ``"other"``; ``offsets`` the shortest lead of each kind.
    """

    y: np.ndarray
    starts: np.ndarray
    x: np.ndarray
    follow: np.ndarray
    sms: np.ndarray | None
    kind: np.ndarray
    offsets: dict
    lead: np.ndarray
    citizen: np.ndarray
    first: np.ndarray

    def compact(self) -> "Compact":
        """Identical bookings of a citizen (same outcome, lead, kind, reminder) merged, with their count."""
        keys = pd.DataFrame({"c": self.citizen, "y": self.y, "x": self.x, "f": self.follow, "i": self.first,
                             "s": self.sms if self.sms is not None else 0.0})
        g = keys.groupby(["c", "y", "x", "f", "i", "s"], sort=True).size().reset_index(name="n")
        c = g["c"].to_numpy()
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        return Compact(g["y"].to_numpy(float), starts, g["x"].to_numpy(float), g["f"].to_numpy(bool),
                       g["s"].to_numpy(float) if self.sms is not None else None, g["n"].to_numpy(float),
                       g["i"].to_numpy(bool))


@dataclass(frozen=True)
class Compact:
    """Distinct bookings per citizen with their ``count``: what the likelihood sums over."""

    y: np.ndarray
    starts: np.ndarray
    x: np.ndarray
    follow: np.ndarray
    sms: np.ndarray | None
    count: np.ndarray
    first: np.ndarray


def design(log: AppointmentLog) -> Design:
    """The no-show model's view of a log (see the module docstring for the follow-up kinds)."""
    f = log.frame
    y = (~f["attended"].to_numpy()).astype(float)
    cit = f["citizen_id"].to_numpy()
    same = np.zeros(len(f), dtype=bool)
    same[1:] = cit[1:] == cit[:-1]
    starts = np.flatnonzero(~same)
    booked_day = f["booked_at"].dt.normalize().to_numpy()
    slot_day = f["slot_start"].dt.normalize().to_numpy()
    prev_slot = np.empty_like(slot_day)
    prev_slot[1:] = slot_day[:-1]
    follow = same.copy()
    follow[1:] &= booked_day[1:] == prev_slot[1:]
    prev_noshow = np.zeros(len(f), dtype=bool)
    prev_noshow[1:] = y[:-1] == 1
    first = ~same & (booked_day >= slot_day.min())   # made after the log begins: a new citizen's first
    kind = np.where(follow, np.where(prev_noshow, "no_show", "held"), np.where(first, "first", "other"))
    lead = lead_days(log)
    x = np.zeros(len(f))
    offsets = {}
    for k in ("held", "no_show", "first"):
        m = kind == k
        if m.any():
            offsets[k] = float(lead[m].min())
            x[m] = (lead[m] - offsets[k]) / 30.0
    sms = f["sms_sent"].to_numpy().astype(float) if log.has("sms_sent") else None
    citizen = np.cumsum(~same) - 1
    return Design(y, starts, x, follow, sms, kind, offsets, lead, citizen, first)


# ------------------------------------------------------------------ beta-binomial

def counts(log: AppointmentLog) -> tuple[np.ndarray, np.ndarray]:
    """No-shows and bookings per citizen."""
    f = log.frame
    g = (~f["attended"]).groupby(f["citizen_id"], sort=False)
    return g.sum().to_numpy(dtype=int), g.size().to_numpy(dtype=int)


def beta_binomial(k: np.ndarray, n: np.ndarray) -> dict:
    """Maximum-likelihood beta-binomial fit to ``k`` no-shows out of ``n`` bookings per citizen.

    Returns ``mean``, ``spread`` (the beta's standard deviation) with 95 %
    intervals, ``lr`` and ``p_identical`` (likelihood-ratio test against
    identical citizens; the null puts the spread on the boundary, so the
    p-value is half the chi-square(1) tail), ``chi2``/``df``/``p_fit`` of the
    distribution of no-shows per citizen, and ``loglik``.
    """
    k, n = np.asarray(k), np.asarray(n)
    pooled = k.sum() / n.sum()
    if pooled <= 0 or pooled >= 1:
        return {"mean": float(pooled), "mean_ci": (float(pooled), float(pooled)), "spread": 0.0,
                "spread_ci": (0.0, 0.0), "lr": 0.0, "p_identical": 1.0, "chi2": 0.0, "df": 0, "p_fit": 1.0,
                "degenerate": True}
    # citizens with the same (k, n) share one term: far fewer pmf evaluations on a big log
    pairs, weight = np.unique(np.stack([k, n]), axis=1, return_counts=True)
    kk, nn = pairs

    def nll(theta):
        m, c = expit(theta[0]), math.exp(min(theta[1], math.log(MAX_CONCENTRATION)))
        return -float(weight @ stats.betabinom.logpmf(kk, nn, m * c, (1 - m) * c))

    start = np.array([logit(pooled), math.log(10.0)])
    res = optimize.minimize(nll, start, method="Nelder-Mead", options={"xatol": 1e-7, "fatol": 1e-9,
                                                                       "maxiter": 4000})
    theta = res.x
    theta[1] = min(theta[1], math.log(MAX_CONCENTRATION))
    mean, conc = float(expit(theta[0])), float(math.exp(theta[1]))
    cov = covariance(nll, theta)
    se_logit = math.sqrt(cov[0, 0]) if np.isfinite(cov[0, 0]) else float("nan")
    spread = spread_of(mean, conc)
    spread_se = log_spread_se(theta, cov)
    binom_ll = float(weight @ stats.binom.logpmf(kk, nn, pooled))
    lr = max(0.0, 2 * (-res.fun - binom_ll))
    chi2, df, p_fit = _count_fit(k, n, mean * conc, (1 - mean) * conc)
    return {"mean": mean, "mean_ci": interval(theta[0], se_logit, expit), "spread": spread,
            "spread_ci": interval(math.log(spread), spread_se, math.exp), "lr": lr,
            "p_identical": 0.5 * float(stats.chi2.sf(lr, 1)) if lr > 0 else 1.0, "chi2": chi2, "df": df,
            "p_fit": p_fit, "loglik": -res.fun, "degenerate": False}


def _count_fit(k, n, a, b) -> tuple[float, int, float]:
    """Pearson chi-square of citizens with 0, 1, 2 and 3+ no-shows against the beta-binomial's expectation."""
    observed = np.array([(k == 0).sum(), (k == 1).sum(), (k == 2).sum(), (k >= 3).sum()], dtype=float)
    p0, p1, p2 = (stats.betabinom.pmf(j, n, a, b) for j in range(3))
    expected = np.array([p0.sum(), p1.sum(), p2.sum(), (1 - p0 - p1 - p2).sum()])
    keep = expected >= 5
    if keep.sum() < 3:  # too few groups with enough citizens to test
        return float("nan"), 0, float("nan")
    chi2 = float((((observed - expected) ** 2) / expected)[keep].sum())
    df = int(keep.sum()) - 1 - 2
    return chi2, df, float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan")


# ------------------------------------------------------------------ the model, booking by booking

def _booking_loglik(theta, d, use_lead: bool, use_sms: bool, use_other: bool, use_first: bool = False):
    """Log-likelihood of each booking at each quadrature node (bookings x nodes), and the nodes' log weights.

    ``theta``: logit mean, log concentration, log odds ratio per 30 days, SMS effect, the shift of other
    bookings, the shift of first bookings. Without ``use_first`` first bookings count as other.
    """
    mean = expit(theta[0])
    conc = math.exp(min(theta[1], math.log(MAX_CONCENTRATION)))
    beta = theta[2] if use_lead else 0.0
    effect = theta[3] if use_sms else 0.0
    shift = theta[4] if use_other else 0.0
    shift_first = theta[5] if use_first else 0.0
    p, logw = beta_nodes(mean, conc)
    scale = 1.0 - effect * d.sms if use_sms else None
    if scale is not None and np.any(scale <= 0):
        return None, logw
    first = d.first if use_first else np.zeros_like(d.first)
    other = ~d.follow & ~first
    z = (beta * np.where(other, 0.0, d.x) + shift * other + shift_first * first)[:, None]   # on the log-odds
    return outcome_loglik(p, d.y, z, scale), logw


def _negloglik(theta, d: Compact, use_lead: bool, use_sms: bool, use_other: bool, use_first: bool) -> float:
    ll, logw = _booking_loglik(theta, d, use_lead, use_sms, use_other, use_first)
    if ll is None:
        return 1e300
    per_citizen = np.add.reduceat(ll * d.count[:, None], d.starts, axis=0) + logw[None, :]
    return -float(special.logsumexp(per_citizen, axis=1).sum())


def noshow_model(log: AppointmentLog, d: Design | None = None, start: dict | None = None,
                 use_sms: bool | None = None) -> dict:
    """Fit the model's no-show mechanism to a log, booking by booking, with one odds ratio per 30 days of lead.

    Returns ``mean`` and ``spread`` of the propensities at the earliest
    allowed day without reminder, ``odds_ratio`` per 30 days of lead beyond
    the earliest allowed day, ``sms_effect``, each with a 95 % interval (None
    where the log cannot identify it), ``notes`` saying why not, and for the
    lead effect ``test`` (:class:`jobsim.calibrate.lead.LeadTest`), ``loglik``
    and ``params``. ``use_sms`` None: reminders are fitted where
    :func:`jobsim.calibrate.lead.reminders_identified` says the log can tell
    them from the lead.
    """
    d = design(log) if d is None else d
    notes = {}
    follow_x = d.x[d.follow]
    use_lead = bool(d.follow.sum() >= _MIN_FOLLOW_UPS and (follow_x > 0).sum() >= _MIN_BOOKINGS)
    if not use_lead:
        notes["lead"] = (f"too few follow-up bookings (booked on the day of the citizen's previous slot): "
                         f"{int(d.follow.sum())}, {int((follow_x > 0).sum())} of them beyond the shortest lead of "
                         f"their kind; {_MIN_FOLLOW_UPS} and {_MIN_BOOKINGS} are needed")
    identified, why = reminders_identified(d.sms, d.lead)
    if use_sms is None:
        use_sms = identified
    if not use_sms:
        notes["sms"] = why or "reminders not fitted"
    use_first = use_lead and int(d.first.sum()) >= _MIN_BOOKINGS
    use_other = use_lead and bool((~d.follow & ~(d.first & use_first)).any())
    start = start or {}
    theta0 = np.array([logit(start.get("mean", max(1e-3, min(0.999, d.y.mean())))),
                       math.log(concentration_of(start.get("mean", 0.2), start.get("spread", 0.1)))
                       if start.get("spread", 0.1) > 0 else math.log(MAX_CONCENTRATION), 0.0, 0.0, 0.0, 0.0])
    theta0[1] = min(max(theta0[1], math.log(0.5)), math.log(MAX_CONCENTRATION))
    free = [0, 1] + ([2] if use_lead else []) + ([3] if use_sms else []) + ([4] if use_other else []) + \
        ([5] if use_first else [])

    compact = d.compact()

    def nll(sub):
        theta = theta0.copy()
        theta[free] = sub
        return _negloglik(theta, compact, use_lead, use_sms, use_other, use_first)

    bounds = [(-12, 12), (math.log(0.05), math.log(MAX_CONCENTRATION))] + \
        [(-5, 5)] * int(use_lead) + [(-3, 0.99)] * int(use_sms) + [(-10, 10)] * int(use_other) + \
        [(-10, 10)] * int(use_first)
    res = optimize.minimize(nll, theta0[free], method="L-BFGS-B", bounds=bounds)
    sub = res.x
    cov = covariance(nll, sub)
    theta = theta0.copy()
    theta[free] = sub
    mean, conc = float(expit(theta[0])), float(math.exp(theta[1]))
    spread = spread_of(mean, conc)
    se = np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan))
    out = {"mean": mean, "mean_ci": interval(theta[0], se[0], expit), "spread": spread,
           "spread_ci": interval(math.log(spread), log_spread_se(theta, cov), math.exp),
           "odds_ratio": None, "odds_ratio_ci": None, "sms_effect": None, "sms_effect_ci": None,
           "notes": notes, "offsets": d.offsets, "loglik": -res.fun, "converged": bool(res.success)}
    if use_lead:
        i = free.index(2)
        out["odds_ratio"] = math.exp(theta[2])
        out["odds_ratio_ci"] = interval(theta[2], se[i], math.exp)
        ll, logw = _booking_loglik(theta, d, True, use_sms, use_other, use_first)
        out["test"] = lead_group_test(ll, logw, d.starts, d.citizen, d.y, d.lead,
                                      params=1 + int(use_other) + int(use_first))
        out["params"] = len(free)
        out["fitted"] = True
    else:
        out["fitted"] = False
    if use_sms:
        i = free.index(3)
        out["sms_effect"] = float(theta[3])
        out["sms_effect_ci"] = interval(theta[3], se[i])
    return out


#: The no-show estimates (parameter, label), in the order of the report.
_LABELS = (("noshow_probability", "mean no-show propensity"),
           ("noshow_spread", "spread of propensities between citizens (SD)"),
           (None, "likelihood-ratio test: citizens differ"),
           *((BAND_FIELDS[name], "odds ratio of a no-show, booked " + ("for the same day" if name == "same_day" else
                                                                       f"{BAND_LABELS[name]} ahead") +
              " against 1-7 days ahead") for name, _, _ in LEAD_BANDS if name in BAND_FIELDS),
           ("noshow_lead_odds_ratio", "odds ratio of a no-show per 30 days of lead"),
           ("sms_effect", "relative cut in no-show propensity from an SMS reminder"))
_LABEL = dict(_LABELS[:2] + _LABELS[3:])


def _all_or_none(k: np.ndarray, n: np.ndarray) -> str | None:
    """Why no no-show value can be estimated from a log where every booking was kept, or every one missed.

    The propensities' mean would lie on the edge of its range (0 or 1), where the model has no spread, no
    lead or reminder effect and no interval; the 95 % bound of the no-show rate per booking (Clopper-Pearson,
    one side of a two-sided interval) says what the log does tell.
    """
    missed, total = int(k.sum()), int(n.sum())
    if 0 < missed < total:
        return None
    bound = 1.0 - 0.025 ** (1.0 / total)
    if missed == 0:
        return (f"no booking was missed ({total:,} of {total:,} attended): at a no-show rate of 0 nothing can be "
                f"fitted; the rate per booking is below {bound:.3g} (95% upper bound)")
    return (f"every booking was missed ({total:,} of {total:,}): at a no-show rate of 1 nothing can be fitted; the "
            f"rate per booking is above {1 - bound:.3g} (95% lower bound)")


def noshow_estimates(log: AppointmentLog) -> list[Estimate]:
    """The no-show estimates of a log, ready for the report and the scenario fragment.

    A log that cannot give an estimate (every booking kept or every one missed; a single citizen, whose own
    propensity says nothing of a mean or spread between citizens) gets it as not estimated, saying why.
    """
    k, n = counts(log)
    edge = _all_or_none(k, n)
    if edge:
        return [Estimate(p, label, None, note=("not made: " if p is None else "not estimated: ") + edge)
                for p, label in _LABELS]
    out = _noshow_estimates(log, k, n)
    if len(k) == 1:
        one = ("the log has one citizen, whose own propensity says nothing of the mean or the spread between "
               "citizens")
        out[:3] = [Estimate(p, label, None, note=("not made: " if p is None else "not estimated: ") + one)
                   for p, label in _LABELS[:3]]
    return out


def _noshow_estimates(log: AppointmentLog, k: np.ndarray, n: np.ndarray) -> list[Estimate]:
    """Both lead shapes fitted, the one that fits written (:func:`jobsim.calibrate.lead.choose`), the other
    reported with why it is not written."""
    bb = beta_binomial(k, n)
    d = design(log)
    use_sms, sms_why = reminders_identified(d.sms, d.lead)
    per_30 = noshow_model(log, d, start=bb, use_sms=use_sms)
    bands = band_model(d, start=bb, use_sms=use_sms) if len(k) > 1 else {"fitted": False, "note": "one citizen"}
    shape, why = choose(per_30 if per_30["fitted"] else None, bands if bands["fitted"] else None)
    counts_fit = (f"beta-binomial over {len(k):,} citizens: citizens with 0/1/2/3+ no-shows against the fit, "
                  f"chi-square {bb['chi2']:.1f} on {bb['df']} df, p = {bb['p_fit']:.2f}" if bb["df"] > 0 else
                  "too few citizens to test the distribution of no-shows per citizen")
    chosen = {"bands": bands, "per_30_days": per_30}.get(shape)
    lead_failed = shape is None and (per_30["fitted"] or bands["fitted"])
    confounded = sms_why.startswith("not identified")
    if chosen is not None:
        src, fit = chosen, chosen["test"].sentence()
        reminder = ("with reminders as this log sent them (their effect is not identified)" if confounded else
                    "without reminder")
        where = (f"at a lead of 1-7 days, {reminder} (the lead-band model fitted booking by booking)"
                 if shape == "bands" else
                 f"at the earliest allowed day, {reminder} (the no-show model fitted booking by booking)")
    else:
        src, fit = bb, counts_fit
        where = "as the log's bookings experienced them (no lead or reminder effect fitted)"
    spread_ok = (n >= 2).sum() >= _MIN_BOOKINGS
    out = [Estimate("noshow_probability", _LABEL["noshow_probability"], src["mean"], *src["mean_ci"], "probability",
                    fit, where),
           Estimate("noshow_spread", _LABEL["noshow_spread"], src["spread"], *src["spread_ci"], "probability", fit,
                    where) if spread_ok else
           Estimate("noshow_spread", _LABEL["noshow_spread"], None,
                    note=f"not estimated: {int((n >= 2).sum())} citizens with two or more bookings (at least "
                         f"{_MIN_BOOKINGS} are needed to tell a spread between citizens from chance)"),
           Estimate(None, "likelihood-ratio test: citizens differ", bb["lr"], None, None, "chi-square",
                    f"p = {bb['p_identical']:.3g} against identical citizens (half chi-square(1) tail: the "
                    "spread is 0 on the boundary)", "")]
    if src is bb and bb["df"] > 0 and bb["p_fit"] < ALPHA_FIT:
        out[0] = replace(out[0], withheld=f"the beta-binomial fit fails (p = {bb['p_fit']:.3g})")
        out[1] = replace(out[1], withheld=out[0].withheld) if out[1].value is not None else out[1]
    with_reminders = ("; it holds the reminders' effect too, since this log sent them only at some leads"
                      if confounded else "")
    out += _band_estimates(bands, shape, why, with_reminders)
    out.append(_per_30_estimate(per_30, shape, why, with_reminders))
    fitted = [f for f in (bands, per_30) if f["fitted"]]
    # where no shape passes its test, the reminders' estimate shown (not written) is that of the better fit
    sms_src = chosen if chosen is not None else min(fitted, key=aic) if fitted else per_30
    if sms_src.get("sms_effect") is not None:
        reason = ("from a lead model whose fit test fails" if lead_failed else "")
        out.append(Estimate("sms_effect", _LABEL["sms_effect"], sms_src["sms_effect"], *sms_src["sms_effect_ci"],
                            "share", "fitted with the lead effect and the citizens' propensities: within lead",
                            "bookings with and without reminders at the same leads", withheld=reason))
    else:
        out.append(Estimate("sms_effect", _LABEL["sms_effect"], None,
                            note=sms_why if confounded else "not estimated: " + sms_why))
    return out


def _band_estimates(bands: dict, shape: str | None, why: str, extra: str) -> list[Estimate]:
    """One estimate per lead band's odds ratio (not estimated where the band has too few bookings)."""
    out = []
    for name, field in BAND_FIELDS.items():
        label = _LABEL[field]
        if not bands["fitted"]:
            out.append(Estimate(field, label, None, note="not estimated: " + bands["note"]))
            continue
        b = bands["bands"].get(name)
        if b is None or b["bookings"] < _MIN_BOOKINGS:
            have = 0 if b is None else b["bookings"]
            ahead = "for the same day" if name == "same_day" else f"{BAND_LABELS[name]} ahead"
            out.append(Estimate(field, label, None, note=f"not estimated: {have:,} bookings made {ahead}; at least "
                                                         f"{_MIN_BOOKINGS} are needed"))
            continue
        withheld = _not_this_shape(shape, "bands", why)
        out.append(Estimate(field, label, b["ratio"], *b["ci"], "ratio", bands["test"].sentence(),
                            f"{b['no_shows']:,} no-shows in {b['bookings']:,} bookings against "
                            f"{bands['reference_bookings']:,} made 1-7 days ahead{extra}", withheld=withheld,
                            superseded=shape not in (None, "bands")))
    return out


def _per_30_estimate(per_30: dict, shape: str | None, why: str, extra: str) -> Estimate:
    label = _LABEL["noshow_lead_odds_ratio"]
    if not per_30["fitted"]:
        return Estimate("noshow_lead_odds_ratio", label, None, note="not estimated: " + per_30["notes"].get("lead", ""))
    kinds = {"held": "after a held conversation", "no_show": "after a no-show", "first": "a citizen's first"}
    offs = ", ".join(f"{kinds[k]}: {v:g} day{'' if v == 1 else 's'}" for k, v in per_30["offsets"].items())
    withheld = _not_this_shape(shape, "per_30_days", why)
    return Estimate("noshow_lead_odds_ratio", label, per_30["odds_ratio"], *per_30["odds_ratio_ci"], "ratio",
                    per_30["test"].sentence(),
                    f"lead beyond the shortest lead of bookings of the same kind ({offs}){extra}",
                    withheld=withheld, superseded=shape not in (None, "per_30_days"))


def _not_this_shape(shape: str | None, this: str, why: str) -> str:
    """Why an estimate of lead shape ``this`` is not written, given the ``shape`` chosen and ``why`` (the
    sentence of :func:`jobsim.calibrate.lead.choose`); "" when it is the shape written."""
    if shape == this:
        return ""
    return why.replace(" written:", " chosen:", 1) if shape else why
