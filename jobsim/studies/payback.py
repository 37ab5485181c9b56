"""Does it pay? Net cost (staff plus cash benefits) against team size for a fixed inflow of citizens.

For an inflow-driven team (``inflow_per_year`` citizens enter a year, the
caseload is an outcome), more caseworkers mean lower caseloads, more
conversations held on time where the diary was full, and, if follow-up
shortens stays (``exit_effect`` > 1), fewer citizens on cash benefit. The
study sweeps the team size (``workers``) under several exit effects with the
same random numbers at every point (common random numbers) and reads:

* :func:`net_table`: staff, benefits and net cost (staff plus benefits, DKK a
  year) per team size, with 95% t intervals over replications, and the paired
  change against the smallest team (tighter intervals: the same seeds);
* :func:`steps_table`: what each added step of caseworkers costs and saves;
* :func:`break_even`: the team size with the lowest net cost, and the last
  step whose saved benefits exceed its staff cost;
* :func:`payback_table`: for each team size against the smallest, benefits
  saved per DKK of extra staff and the months of savings that repay one year
  of the extra staff (steady state);
* :func:`case_comparison`: Aabenraa's and Hjørring's published figures beside
  the model's, as a check of scale only.

What the extra caseworkers do with their time decides the answer, so the
study has two contact plans (:data:`PLANS`, :func:`contact_interval_days`):
conversations at the legal maximum interval whatever the team size, or the
freed diary time used for more frequent conversations. Each plan's runs go
through the functions above on their own.

What holds exactly: with ``exit_effect = 1`` a citizen's stay does not depend
on the team, and arrivals and stays come from their own random streams, so
every team size sees the same citizens for the same days. Benefits are then
equal at every team size and net cost rises by exactly ``fte_cost_dkk`` per
added caseworker, up to float rounding: the citizen-days are summed in a
different order when the team differs, which moves benefits by a few parts in
a billion (up to 2 DKK in 145 million in the full run).

The effect size is not estimated here: 1.3 is the literature's option
(Graversen & van Ours 2008; Maibom, Rosholm & Svarer 2017), from other
settings, and 1.15 and 1.5 bracket it (an assumption).

Money is in DKK a year; caseloads are citizens per caseworker.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..model.scenario import Scenario
from ..report.charts import figure_legend
from ..report.style import GROUP_MARKERS, OKABE_ITO, house_style, new_figure, number_ticks, wrap_title
from ..report.words import num, parameter_label, phrase
from .intervals import mean_interval

#: Exit effects swept (hazard ratios): none, the range's ends, and the literature's option.
NO_EFFECT = 1.0
LITERATURE_EFFECT = 1.3
EFFECTS = (1.0, 1.15, 1.3, 1.5)

#: Published local figures, for a check of scale (DKK, citizens, caseworkers).
#: Aabenraa: aabenraa.dk, "Mål og resultater", and local press: 68 million DKK over three to four years
#: (2015-2018) for activity-ready cash-benefit recipients; the group fell from 1,008 to 499 by January 2017;
#: "the investment has already given an economic surplus".
AABENRAA = {"investment_dkk": 68e6, "years": (3.0, 4.0), "group_from": 1008.0, "group_to": 499.0}
#: Hjørring 2014: 125 million DKK, about 35 more caseworkers, caseloads from about 80 to about 35, more
#: than 1,000 citizens off benefits and more than 300 million DKK saved (local figures); positive
#: employment effects in Ravn & Nielsen (2019), European Journal of Social Security 21(1).
HJORRING = {"investment_dkk": 125e6, "extra_caseworkers": 35.0, "caseload_from": 80.0, "caseload_to": 35.0,
            "citizens_off": 1000.0, "saved_dkk": 300e6}

#: Contact plans: conversations planned at the legal maximum interval whatever the team size (``legal``), or
#: more often as the caseload falls, so the diary stays as full as at Lærkevej's 220 cases (``diary_full``).
PLANS = ("legal", "diary_full")
#: The caseload at which both plans meet the legal interval (citizens per caseworker): Lærkevej's.
FULL_DIARY_CASELOAD = 220.0

MILLION = 1e6
#: Caseloads ticked on the figures' top axis (citizens per caseworker), those inside the swept range.
CASELOAD_TICKS = (220.0, 160.0, 120.0, 100.0, 80.0, 60.0, 45.0)
#: Benefits saved below this share of the benefits paid count as none: float rounding of equal sums of
#: citizen-days summed in another order (a few parts in a billion; a real saving is thousands of times more).
SAVED_TOLERANCE = 1e-7


def inflow_scenario(base: Scenario, inflow_per_year: float, workers: int, **changes) -> Scenario:
    """``base`` made inflow-driven: ``inflow_per_year`` citizens enter a year and ``workers`` caseworkers
    share them; the caseload is derived by Little's law (``replace`` re-derives it for other teams)."""
    values = {k: v for k, v in base.to_dict().items() if k != "caseload"}
    return Scenario(**{**values, "inflow_per_year": float(inflow_per_year), "workers": int(workers), **changes})


def contact_interval_days(plan: str, caseload: float, interval_days: int = 91) -> int:
    """Planned days between conversations under a contact plan; 0 means the legal maximum (``interval_days``).

    ``diary_full``: ``interval_days x caseload / 220``, rounded, at least 7 and at most ``interval_days``:
    caseworkers with fewer citizens use the freed diary time to meet each more often, as many conversations
    a week as a Lærkevej caseworker holds (an assumption: the Danish meeting-frequency trials met
    citizens every two weeks; Maibom, Rosholm & Svarer 2017).

    >>> contact_interval_days("legal", 45.0), contact_interval_days("diary_full", 45.0)
    (0, 19)
    """
    if plan == "legal":
        return 0
    if plan != "diary_full":
        raise ValueError(f"plan: {plan!r} is not one of {PLANS}")
    return int(max(7, min(interval_days, round(interval_days * caseload / FULL_DIARY_CASELOAD))))


def _interval(values) -> dict[str, float]:
    m = mean_interval(values)
    return {"mean": m["mean"], "ci_low": m["ci_low"], "ci_high": m["ci_high"]}


def net_table(runs: pd.DataFrame, base: Scenario) -> pd.DataFrame:
    """Per exit effect and team size: citizens, staff, benefits and net cost (DKK a year), with 95% CIs.

    ``runs`` is :attr:`jobsim.runner.sweep.SweepResult.runs` of a sweep over ``workers`` and
    ``exit_effect`` from ``base`` (inflow-driven). Columns: ``exit_effect``, ``workers``, ``caseload``
    (derived, citizens per caseworker, without effect), ``citizens`` (measured mean on the caseload, CI),
    ``staff_dkk``, ``benefit_dkk`` and ``net_dkk`` (mean, ci_low, ci_high), and against the smallest team
    of the same effect, paired by replication: ``extra_staff_dkk``, ``saved_dkk`` (benefits saved,
    CI) and ``net_change_dkk`` (CI; positive = costs more).
    """
    rows = []
    runs = runs.assign(citizens=runs["caseload_mean"] * runs["workers"])
    for effect, g in runs.groupby("exit_effect", sort=True):
        smallest = g["workers"].min()
        ref = g[g["workers"] == smallest].set_index("replication")
        for workers, h in g.groupby("workers", sort=True):
            h = h.set_index("replication")
            h = h.loc[ref.index.intersection(h.index)]
            row = {"exit_effect": float(effect), "workers": int(workers),
                   "caseload": base.replace(workers=int(workers)).caseload, "replications": len(h)}
            for name, col in (("citizens", "citizens"), ("staff_dkk", "staff_dkk_per_year"),
                              ("benefit_dkk", "benefit_dkk_per_year"), ("net_dkk", "net_cost_dkk_per_year")):
                for k, v in _interval(h[col]).items():
                    row[name if k == "mean" else f"{name}_{k}"] = v
            row["extra_staff_dkk"] = float((h["staff_dkk_per_year"] - ref["staff_dkk_per_year"]).mean())
            for name, diff in (("saved_dkk", ref["benefit_dkk_per_year"] - h["benefit_dkk_per_year"]),
                               ("net_change_dkk", h["net_cost_dkk_per_year"] - ref["net_cost_dkk_per_year"])):
                for k, v in _interval(diff).items():
                    row[name if k == "mean" else f"{name}_{k}"] = v
            rows.append(row)
    return pd.DataFrame(rows)


def steps_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per exit effect, each step from one team size to the next: extra staff, benefits saved (paired 95% CI)
    and whether the step pays (``pays``: mean saved above the extra staff cost; ``pays_clearly``: the
    interval's low end above it), all in DKK a year."""
    rows = []
    for effect, g in runs.groupby("exit_effect", sort=True):
        sizes = sorted(g["workers"].unique())
        by = {w: g[g["workers"] == w].set_index("replication") for w in sizes}
        for a, b in zip(sizes, sizes[1:]):
            common = by[a].index.intersection(by[b].index)
            saved = by[a].loc[common, "benefit_dkk_per_year"] - by[b].loc[common, "benefit_dkk_per_year"]
            staff = float((by[b].loc[common, "staff_dkk_per_year"] - by[a].loc[common, "staff_dkk_per_year"]).mean())
            iv = _interval(saved)
            rows.append({"exit_effect": float(effect), "workers_from": int(a), "workers_to": int(b),
                         "extra_staff_dkk": staff, "saved_dkk": iv["mean"], "saved_dkk_ci_low": iv["ci_low"],
                         "saved_dkk_ci_high": iv["ci_high"], "pays": iv["mean"] > staff,
                         "pays_clearly": iv["ci_low"] > staff})
    return pd.DataFrame(rows)


def break_even(net: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """Per exit effect: the team size with the lowest mean net cost (``best_workers``, its ``best_caseload``
    and net cost, DKK a year) and the largest team reached by consecutive steps that each pay
    (``pays_up_to_workers``: where extra staff stops paying; the smallest team if the first step does not)."""
    rows = []
    for effect, g in net.groupby("exit_effect", sort=True):
        best = g.loc[g["net_dkk"].idxmin()]
        s = steps[steps["exit_effect"] == effect].sort_values("workers_from")
        upto = int(g["workers"].min())
        for step in s.itertuples():
            if not step.pays:
                break
            upto = int(step.workers_to)
        rows.append({"exit_effect": float(effect), "best_workers": int(best["workers"]),
                     "best_caseload": float(best["caseload"]), "best_net_dkk": float(best["net_dkk"]),
                     "best_saving_dkk": float(-best["net_change_dkk"]),
                     "best_saving_dkk_ci_low": float(-best["net_change_dkk_ci_high"]),
                     "best_saving_dkk_ci_high": float(-best["net_change_dkk_ci_low"]),
                     "pays_up_to_workers": upto,
                     "pays_up_to_caseload": float(g.loc[g["workers"] == upto, "caseload"].iloc[0])})
    return pd.DataFrame(rows)


def months_to_pay_back(saved_dkk: float, extra_staff_dkk: float, stay_years: float) -> float:
    """Months from the day the extra staff start until the benefits saved so far equal the staff paid so far.

    The caseload is taken to fall from its old level to its new one like an infinite-server queue whose
    exit rate changes at day 0: the gap closes as ``1 - exp(-t / stay_years)``, with ``stay_years`` the
    new mean stay (years). Savings so far are ``saved_dkk x (t - T (1 - exp(-t/T)))`` against
    ``extra_staff_dkk x t`` (both DKK a year, t and T in years); they meet where
    ``(1 - exp(-x)) / x = 1 - extra_staff_dkk / saved_dkk`` with ``x = t / T``. NaN if the steady-state saving
    does not exceed the extra staff (it never pays back).

    >>> round(months_to_pay_back(4.0, 1.0, 1.0), 2)   # (1 - e^-x)/x = 3/4 at x = 0.606 years
    7.27
    >>> months_to_pay_back(1.0, 1.0, 1.0)              # saves no more than it costs: never
    nan
    """
    if not (saved_dkk > extra_staff_dkk > 0 and stay_years > 0):
        return float("nan")
    ratio = 1.0 - extra_staff_dkk / saved_dkk
    low, high = 1e-12, 1.0
    while (1.0 - np.exp(-high)) / high > ratio:     # (1 - e^-x)/x falls from 1 towards 0
        high *= 2.0
    for _ in range(200):
        mid = 0.5 * (low + high)
        if (1.0 - np.exp(-mid)) / mid > ratio:
            low = mid
        else:
            high = mid
    return float(12.0 * stay_years * 0.5 * (low + high))


def payback_table(net: pd.DataFrame, inflow_per_year: float | None = None) -> pd.DataFrame:
    """Per exit effect and team size above the smallest: extra staff and benefits saved (DKK a year),
    ``return_per_dkk`` (benefits saved per DKK of extra staff) and ``payback_months``: the months of
    steady-state savings that repay one year of the extra staff (12 x extra staff / saved; NaN when
    nothing is saved). Under 12 months the extra staff pays for itself. With ``inflow_per_year``
    (citizens a year) also ``payback_months_from_start`` (:func:`months_to_pay_back`, with the new mean
    stay from Little's law: citizens / inflow): the lag while the caseload falls counted, an
    approximation, not measured."""
    g = net[net["extra_staff_dkk"] > 0].copy()
    # without effect the saving is 0 up to float rounding (up to 2 DKK in 145 million): counted as none
    saved = g["saved_dkk"].where(g["saved_dkk"].abs() > SAVED_TOLERANCE * g["benefit_dkk"], 0.0)
    g["return_per_dkk"] = saved / g["extra_staff_dkk"]
    g["payback_months"] = 12.0 * g["extra_staff_dkk"] / saved.where(saved > 0)
    cols = ["exit_effect", "workers", "caseload", "extra_staff_dkk", "saved_dkk", "saved_dkk_ci_low",
            "saved_dkk_ci_high", "return_per_dkk", "payback_months"]
    if inflow_per_year:
        g["stay_years"] = g["citizens"] / inflow_per_year
        g["payback_months_from_start"] = [months_to_pay_back(a, b, t) for a, b, t in
                                          zip(saved, g["extra_staff_dkk"], g["stay_years"])]
        cols += ["stay_years", "payback_months_from_start"]
    return g[cols].reset_index(drop=True)


def case_comparison(net: pd.DataFrame, fte_cost_dkk: float, benefit_dkk: float,
                    effect: float = LITERATURE_EFFECT) -> pd.DataFrame:
    """Aabenraa's and Hjørring's figures beside the model's, per extra caseworker (a check of scale).

    Rows: ``source``, ``extra_caseworkers``, ``citizens_off`` (fewer citizens on benefit),
    ``citizens_off_per_caseworker`` and ``saved_per_dkk`` (benefits saved a year per DKK of extra staff
    a year, or for the municipalities their stated saving per DKK invested). The model's rows go from the
    smallest team to its best team and to the largest, under ``effect``. Aabenraa's number of extra
    caseworkers is not published: it is the yearly budget at ``fte_cost_dkk`` (68 million over 3.5
    years), an upper bound since part bought services.
    """
    g = net[net["exit_effect"] == effect].sort_values("workers")
    rows = []
    if len(g) > 1:
        first = g.iloc[0]
        best = g.loc[g["net_dkk"].idxmin()]
        for label, row in (("model: smallest to lowest net cost", best), ("model: smallest to largest", g.iloc[-1])):
            extra = float(row["workers"] - first["workers"])
            off = float(first["citizens"] - row["citizens"])
            rows.append({"source": f"{label} ({int(first['workers'])} to {int(row['workers'])} caseworkers, "
                                   f"exit_effect {effect:g})",
                         "extra_caseworkers": extra, "citizens_off": off,
                         "citizens_off_per_caseworker": off / extra if extra else np.nan,
                         "saved_per_dkk": off * benefit_dkk / (extra * fte_cost_dkk) if extra else np.nan})
    a = AABENRAA
    a_workers = a["investment_dkk"] / np.mean(a["years"]) / fte_cost_dkk
    a_off = a["group_from"] - a["group_to"]
    rows.append({"source": "Aabenraa 2015-2018 (aabenraa.dk): 68 million DKK over 3-4 years; caseworkers = "
                           "yearly budget / fte_cost_dkk (upper bound)",
                 "extra_caseworkers": a_workers, "citizens_off": a_off,
                 "citizens_off_per_caseworker": a_off / a_workers,
                 "saved_per_dkk": a_off * benefit_dkk / (a_workers * fte_cost_dkk)})
    h = HJORRING
    rows.append({"source": "Hjørring 2014 (local figures; Ravn & Nielsen 2019): 125 million DKK, about 35 more "
                           "caseworkers, 300 million DKK saved",
                 "extra_caseworkers": h["extra_caseworkers"], "citizens_off": h["citizens_off"],
                 "citizens_off_per_caseworker": h["citizens_off"] / h["extra_caseworkers"],
                 "saved_per_dkk": h["saved_dkk"] / h["investment_dkk"]})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the figure

def effect_label(effect: float, lang: str = "en") -> str:
    """Legend text of one exit effect: 'no effect', 'the literature's', or the range."""
    if effect == NO_EFFECT:
        return phrase("pay_no_effect", lang)
    if effect == LITERATURE_EFFECT:
        return phrase("pay_literature", lang, e=num(effect, lang, None))
    return phrase("pay_range", lang, e=num(effect, lang, None))


def finding_payback(net: pd.DataFrame, best: pd.DataFrame, inflow: float, fte_cost_dkk: float,
                    lang: str = "en", plan: str = "legal") -> str:
    """Title: gross or net, the literature's break-even and the no-effect price of a caseworker."""
    lit = best[best["exit_effect"] == LITERATURE_EFFECT]
    effect = LITERATURE_EFFECT if len(lit) else float(best["exit_effect"].max())
    row = best[best["exit_effect"] == effect].iloc[0]
    return phrase("pay_title", lang, inflow=num(inflow, lang), e=num(effect, lang, None),
                  plan=phrase("pay_plan_legal" if plan == "legal" else "pay_plan_full", lang),
                  w=int(row["best_workers"]), c=num(row["best_caseload"], lang),
                  saved=num(row["best_saving_dkk"] / MILLION, lang, 1), fte=num(fte_cost_dkk, lang),
                  w2=int(row["pays_up_to_workers"]))


def payback_figure(net: pd.DataFrame, best: pd.DataFrame, inflow: float, fte_cost_dkk: float, lang: str = "en",
                   width: float = 13.0, plan: str = "legal"):
    """Two panels against team size (caseworkers), one line per exit effect with 95% CI bars: net cost
    (staff plus cash benefits, million DKK a year), and its change against the smallest team (paired by
    replication) with the extra staff cost alone drawn dashed; a top axis gives the caseload."""
    fig, axes = new_figure(1, 2, width=width, height=5.6)
    colours = [OKABE_ITO[k] for k in ("black", "sky_blue", "vermillion", "green", "orange", "purple")]
    effects = sorted(net["exit_effect"].unique())
    with house_style():
        for i, effect in enumerate(effects):
            g = net[net["exit_effect"] == effect].sort_values("workers")
            x = g["workers"].to_numpy(dtype=float) + 0.05 * (i - (len(effects) - 1) / 2)  # apart, so bars show
            style = {"color": colours[i % len(colours)], "marker": GROUP_MARKERS[i % len(GROUP_MARKERS)],
                     "capsize": 3, "label": effect_label(effect, lang), "zorder": 3}
            for ax, col in ((axes[0], "net_dkk"), (axes[1], "net_change_dkk")):
                y = g[col].to_numpy(dtype=float) / MILLION
                err = np.nan_to_num(np.vstack([y - g[f"{col}_ci_low"].to_numpy(dtype=float) / MILLION,
                                               g[f"{col}_ci_high"].to_numpy(dtype=float) / MILLION - y]))
                ax.errorbar(x, y, yerr=err, **style)
        g = net[net["exit_effect"] == effects[0]].sort_values("workers")
        axes[1].plot(g["workers"], g["extra_staff_dkk"] / MILLION, color="#777777", linestyle="--", linewidth=1.4,
                     zorder=2, label=phrase("pay_staff_only", lang))
        axes[1].axhline(0.0, color="#333333", linewidth=0.8, zorder=1)
        for ax, key in ((axes[0], "pay_net_axis"), (axes[1], "pay_change_axis")):
            ax.set_ylabel(phrase(key, lang))
            ax.set_xlabel(parameter_label("workers", lang))
            ax.yaxis.set_major_formatter(number_ticks(lang, decimals=None))
            ax.xaxis.set_major_formatter(number_ticks(lang, decimals=0))
            # caseload = citizens / caseworkers (its own inverse), the citizens at the derived caseload
            citizens = float(g["caseload"].iloc[0] * g["workers"].iloc[0])
            top = ax.secondary_xaxis("top", functions=(lambda v, n=citizens: n / np.maximum(v, 1e-9),
                                                       lambda v, n=citizens: n / np.maximum(v, 1e-9)))
            low, high = float(g["caseload"].min()), float(g["caseload"].max())
            top.set_xticks([c for c in CASELOAD_TICKS if low - 1e-9 <= c <= high + 1e-9])
            top.xaxis.set_major_formatter(number_ticks(lang, decimals=0))
            top.tick_params(labelsize=8.5, colors="#444444")
            top.set_xlabel(phrase("pay_caseload_axis", lang), fontsize=9, color="#444444")
        axes[0].set_title(phrase("pay_net_panel", lang), fontsize=11)
        axes[1].set_title(phrase("pay_change_panel", lang, w=int(g["workers"].min())), fontsize=11)
        sizes = sorted(net["workers"].unique())
        for ax in axes:
            ax.set_xticks(sizes)
        figure_legend(fig, [axes[1]], None, lang)
        fig.suptitle(wrap_title(finding_payback(net, best, inflow, fte_cost_dkk, lang, plan), width))
    return fig


def report_lines(net: pd.DataFrame, steps: pd.DataFrame, best: pd.DataFrame, pay: pd.DataFrame,
                 cases: pd.DataFrame) -> list[str]:
    """The tables of the report as text lines (money in million DKK a year)."""
    m = MILLION
    lines = ["Net cost (staff + cash benefits) by exit effect and team size, million DKK a year (mean [95% CI])",
             f"  {'effect':>6} {'workers':>7} {'caseload':>8} {'citizens':>9} {'staff':>7} {'benefits':>17} "
             f"{'net':>17} {'net change vs smallest':>24}"]
    for r in net.itertuples():
        lines.append(f"  {r.exit_effect:6g} {r.workers:7d} {r.caseload:8.1f} {r.citizens:9.1f} {r.staff_dkk / m:7.1f} "
                     f"{r.benefit_dkk / m:7.2f} [{r.benefit_dkk_ci_low / m:6.2f},{r.benefit_dkk_ci_high / m:6.2f}] "
                     f"{r.net_dkk / m:7.2f} [{r.net_dkk_ci_low / m:6.2f},{r.net_dkk_ci_high / m:6.2f}] "
                     f"{r.net_change_dkk / m:+7.3f} [{r.net_change_dkk_ci_low / m:+7.3f},"
                     f"{r.net_change_dkk_ci_high / m:+7.3f}]")
    lines += ["", "Each step: extra staff against benefits saved, million DKK a year (saved: mean [95% CI])"]
    for r in steps.itertuples():
        verdict = "pays (clearly)" if r.pays_clearly else ("pays" if r.pays else "does not pay")
        lines.append(f"  effect {r.exit_effect:4g}: {r.workers_from:3d} -> {r.workers_to:3d}: staff "
                     f"+{r.extra_staff_dkk / m:5.2f}, saved {r.saved_dkk / m:+6.2f} [{r.saved_dkk_ci_low / m:+6.2f},"
                     f"{r.saved_dkk_ci_high / m:+6.2f}]: {verdict}")
    lines += ["", "Break-even: the team size with the lowest net cost, and where extra staff stops paying"]
    for r in best.itertuples():
        lines.append(f"  effect {r.exit_effect:4g}: lowest net cost at {r.best_workers} caseworkers "
                     f"({r.best_caseload:.0f} cases), {r.best_saving_dkk / m:+.2f} [{r.best_saving_dkk_ci_low / m:+.2f},"
                     f"{r.best_saving_dkk_ci_high / m:+.2f}] million DKK a year below the smallest team; each step "
                     f"pays up to {r.pays_up_to_workers} caseworkers ({r.pays_up_to_caseload:.0f} cases)")
    lines += ["", "Payback against the smallest team: benefits saved per DKK of extra staff; months of steady-state "
                  "savings that repay one year of the extra staff; months from the day the staff start until "
                  "savings so far equal staff paid so far (caseload falling over one mean stay; approximation)"]
    for r in pay.itertuples():
        months = "never" if np.isnan(r.payback_months) else f"{r.payback_months:5.1f} months"
        start = getattr(r, "payback_months_from_start", np.nan)
        start = "never" if np.isnan(start) else f"{start:5.1f} months"
        lines.append(f"  effect {r.exit_effect:4g}: {r.workers:3d} caseworkers ({r.caseload:5.1f} cases): "
                     f"staff +{r.extra_staff_dkk / m:5.2f}, saved {r.saved_dkk / m:+6.2f}, "
                     f"{r.return_per_dkk:5.2f} DKK back per DKK, {months}; from the start: {start}")
    lines += ["", "A check of scale: per extra caseworker (not a validation; see docs/experiments_does_it_pay.md)"]
    for r in cases.itertuples():
        lines.append(f"  {r.source}: {r.extra_caseworkers:.1f} extra caseworkers, {r.citizens_off:.0f} fewer "
                     f"citizens on benefit ({r.citizens_off_per_caseworker:.1f} per caseworker), "
                     f"{r.saved_per_dkk:.2f} DKK saved per DKK")
    return lines


def sizes_for(inflow: float, stay_days: float, caseloads: Sequence[float]) -> list[int]:
    """Team sizes (whole caseworkers) whose derived caseload is nearest each of ``caseloads`` for an inflow
    of ``inflow`` citizens a year and stays of ``stay_days`` days (no duplicates, ascending)."""
    citizens = inflow * stay_days / 365.0
    return sorted({max(1, round(citizens / c)) for c in caseloads})


def team_table(runs: pd.DataFrame, net: pd.DataFrame, *, overdue_below: float = 0.10,
               prepared_at_least: float = 0.90) -> pd.DataFrame:
    """Per exit effect: the smallest team that meets the targets in the model, and its net cost.

    In each replication, going down from the largest team, the smallest team size at which fewer than
    ``overdue_below`` of follow-up conversations are late and at least ``prepared_at_least`` are fully prepared
    (linear between team sizes: :func:`jobsim.studies.staffing.largest_caseload_meeting` on minus the team
    size); then its mean and 95% interval over replications, and the mean net cost (staff plus benefits, DKK a
    year, :func:`net_table`) at it, linear between team sizes. ``rule_`` columns: the same for the follow-up rule
    alone. A team that meets the targets at every size is the smallest of the sweep (``censored``); NaN where no
    team size meets them. Teams in full-time caseworkers (not rounded).
    """
    from .staffing import largest_caseload_meeting

    rows = []
    for effect, g in runs.groupby("exit_effect", sort=True):
        n = net[net["exit_effect"] == effect].sort_values("workers")
        row: dict[str, float] = {"exit_effect": float(effect)}
        for prefix, prepared in (("", prepared_at_least), ("rule_", 0.0)):
            teams, censored = [], 0
            for _, h in g.groupby("replication", sort=True):
                c, top = largest_caseload_meeting(zip(-h["workers"].astype(float), h["overdue_share"],
                                                      h["prepared_share"]), overdue_below, prepared)
                teams.append(-c)
                censored += bool(top)
            iv = _interval(teams)
            row.update({f"{prefix}workers": iv["mean"], f"{prefix}workers_ci_low": iv["ci_low"],
                        f"{prefix}workers_ci_high": iv["ci_high"], f"{prefix}censored": censored,
                        f"{prefix}failed": int(np.isnan(teams).sum()),
                        f"{prefix}net_dkk": float(np.interp(iv["mean"], n["workers"], n["net_dkk"]))
                        if iv["mean"] == iv["mean"] else np.nan})
        rows.append(row)
    return pd.DataFrame(rows)


def team_lines(team: pd.DataFrame) -> list[str]:
    """The team the model needs, as text lines (teams in caseworkers, money in million DKK a year)."""
    m = MILLION
    lines = ["The smallest team that meets the targets (fewer than 10% of follow-up conversations late; and at least "
             "90% fully prepared), mean [95% CI], and the net cost at it"]
    for r in team.itertuples():
        for label, p in (("rule + 90% prepared", ""), ("rule alone", "rule_")):
            w = getattr(r, f"{p}workers")
            if w != w:
                lines.append(f"  effect {r.exit_effect:4g}: {label:<20} no team size of the sweep meets the targets")
                continue
            lines.append(f"  effect {r.exit_effect:4g}: {label:<20} {w:5.1f} [{getattr(r, f'{p}workers_ci_low'):5.1f},"
                         f"{getattr(r, f'{p}workers_ci_high'):5.1f}] caseworkers, net "
                         f"{getattr(r, f'{p}net_dkk') / m:7.2f} million DKK a year"
                         + (f" ({getattr(r, f'{p}censored')} replications met them at the smallest team)"
                            if getattr(r, f"{p}censored") else ""))
    return lines


#: Plan names in the page's words.
PLAN_WORDS = {"legal": "conversations at the legal 91 days", "diary_full": "the freed diary time used for more "
              "frequent conversations"}


def team_block(team: pd.DataFrame, inflow: float,
               command: str = "python experiments/does_it_pay.py --jobs 2 --docs-img docs/img --docs docs"
               ) -> dict[str, str]:
    """The does-it-pay page's block (English Markdown) on the team the model needs, from the stored
    ``team`` table (:func:`team_table` per plan, with a ``contact_plan`` column)."""
    lines = []
    for plan, g in team.groupby("contact_plan", sort=False):
        parts = []
        for r in g.itertuples():
            both = (f"{num(r.workers, 'en', 1)} caseworkers ({num(r.workers_ci_low, 'en', 1)}–"
                    f"{num(r.workers_ci_high, 'en', 1)}), net {num(r.net_dkk / MILLION, 'en', 1)} million DKK a year"
                    if r.workers == r.workers else "no team size of the study")
            rule = (f"{num(r.rule_workers, 'en', 1)} ({num(r.rule_workers_ci_low, 'en', 1)}–"
                    f"{num(r.rule_workers_ci_high, 'en', 1)}), net {num(r.rule_net_dkk / MILLION, 'en', 1)} million"
                    if r.rule_workers == r.rule_workers else "no team size of the study")
            parts.append(f"exit effect {num(r.exit_effect, 'en', None)}: {both}; the rule alone {rule}")
        lines.append(f"- **{PLAN_WORDS.get(plan, plan)[0].upper() + PLAN_WORDS.get(plan, plan)[1:]}**: "
                     + "; ".join(parts) + ".")
    return {"does_it_pay_team": (
        f"The smallest team that keeps fewer than 10% of follow-up conversations late and at least 90% fully "
        f"prepared, found per replication on the model (mean and 95% interval, in full-time caseworkers for "
        f"{num(inflow, 'en', 0)} citizens entering a year), and the net cost (staff plus cash benefit) at it:\n\n"
        + "\n".join(lines) + f"\n\nMade by `{command}`, from `docs/does_it_pay_results/team.csv`.\n")}


def page_blocks(folder, inflow: float) -> dict[str, str]:
    """Every generated block of the does-it-pay page, from the tables stored in ``folder``
    (``docs/does_it_pay_results``: :data:`RESULT_TABLES` as CSV)."""
    from pathlib import Path

    tables = {name: pd.read_csv(Path(folder) / f"{name}.csv") for name in RESULT_TABLES}
    return {**results_block(tables, inflow), **team_block(tables["team"], inflow), **cases_block(tables["cases"])}


def cases_block(cases: pd.DataFrame) -> dict[str, str]:
    """The page's check of scale (Markdown table): the model's steps per plan beside Aabenraa's and Hjørring's
    published figures, per extra caseworker (``cases``: :func:`case_comparison` per plan, with ``contact_plan``)."""
    lines = ["| | extra caseworkers | fewer citizens on benefit | per extra caseworker | benefits saved per DKK |",
             "|---|---|---|---|---|"]
    model = cases[cases["source"].str.startswith("model")]
    published = cases[~cases["source"].str.startswith("model")].drop_duplicates("source")
    for r in pd.concat([model, published]).itertuples():
        label = f"{r.source.replace('model:', f'model, `{r.contact_plan}`:', 1)}" if r.source.startswith("model") \
            else r.source
        lines.append(f"| {label} | {num(r.extra_caseworkers, 'en', 0)} | {num(r.citizens_off, 'en', 0)} | "
                     f"{num(r.citizens_off_per_caseworker, 'en', 1)} | {num(r.saved_per_dkk, 'en', 1)} |")
    return {"does_it_pay_cases": "\n".join(lines) + "\n"}


#: The stored tables the does-it-pay page is written from (``docs/does_it_pay_results/``).
RESULT_TABLES = ("net_cost", "break_even", "payback", "team", "cases")


def _m(value: float, digits: int = 1) -> str:
    return num(value / MILLION, "en", digits)


def _signed(value: float) -> str:
    """Million DKK with a sign: "+87", "−48", "0"."""
    text = _m(abs(value), 0)
    return text if text == "0" else ("+" if value > 0 else "−") + text


def results_block(tables: dict[str, pd.DataFrame], inflow: float, scale_to: float = 10_000.0) -> dict[str, str]:
    """The does-it-pay page's result paragraphs (English Markdown) from the stored tables (:data:`RESULT_TABLES`,
    each with a ``contact_plan`` column): per plan and exit effect the cheapest team and its saving, where
    steps stop paying, the payback of the cheapest team, and the whole step restated for ``scale_to`` citizens."""
    net, best, pay = tables["net_cost"], tables["break_even"], tables["payback"]
    lines = []
    for plan in dict.fromkeys(net["contact_plan"]):
        n, b, p = (t[t["contact_plan"] == plan] for t in (net, best, pay))
        smallest = int(n["workers"].min())
        parts = []
        for r in b.itertuples():
            if r.best_workers == smallest:
                parts.append(f"effect {num(r.exit_effect, 'en', None)}: the {smallest}-caseworker team costs least")
                continue
            row = p[(p["exit_effect"] == r.exit_effect) & (p["workers"] == r.best_workers)]
            months = float(row["payback_months_from_start"].iloc[0]) if len(row) else float("nan")
            parts.append(
                f"effect {num(r.exit_effect, 'en', None)}: lowest at **{r.best_workers} caseworkers "
                f"({num(r.best_caseload, 'en', 0)} cases)**, {_m(r.best_saving_dkk)} "
                f"[{_m(r.best_saving_dkk_ci_low)}, {_m(r.best_saving_dkk_ci_high)}] million DKK a year below "
                f"{smallest}; each step pays up to {r.pays_up_to_workers}; "
                + (f"savings so far equal staff paid so far after about {num(months, 'en', 0)} months"
                   if months == months else "it never pays back the staff"))
        lines.append(f"- **{PLAN_WORDS.get(plan, plan)[0].upper() + PLAN_WORDS.get(plan, plan)[1:]}**: "
                     + "; ".join(parts) + ".")
    # the whole step, smallest to largest team, restated for scale_to citizens (the sums scale with the citizens)
    largest = int(net["workers"].max())
    ends = net[net["workers"].isin([int(net["workers"].min()), largest])]
    table = ["| exit effect | " + " | ".join(PLAN_WORDS.get(p, p) for p in dict.fromkeys(net["contact_plan"])) + " |",
             "|---|" + "---|" * net["contact_plan"].nunique()]
    for effect in sorted(net["exit_effect"].unique()):
        cells = []
        for plan in dict.fromkeys(net["contact_plan"]):
            r = ends[(ends["contact_plan"] == plan) & (ends["exit_effect"] == effect) & (ends["workers"] == largest)]
            r = r.iloc[0]
            k = scale_to / float(net[(net["contact_plan"] == plan) & (net["exit_effect"] == effect)
                                     & (net["workers"] == int(net["workers"].min()))]["citizens"].iloc[0])
            cells.append(f"{_signed(r.net_change_dkk * k)} [{_signed(r.net_change_dkk_ci_low * k)}, "
                         f"{_signed(r.net_change_dkk_ci_high * k)}] million")
        table.append(f"| {num(effect, 'en', None)} | " + " | ".join(cells) + " |")
    first, last = (float(net.loc[net["workers"] == w, "caseload"].iloc[0]) for w in (int(net["workers"].min()),
                                                                                        largest))
    return {"does_it_pay_results": (
        "Where the net cost (staff plus cash benefit) is lowest, by contact plan and exit effect (10 replications, "
        "seed 0; 95% intervals paired by replication):\n\n" + "\n".join(lines) + "\n\n"
        f"The whole step from {num(first, 'en', 0)} to {num(last, 'en', 0)} cases, restated for "
        f"{num(scale_to, 'en', 0)} citizens (benefits saved per citizen depend on the caseload, not on the team's "
        f"size, so the sums scale), net change in DKK a year (+ costs more, − saves):\n\n" + "\n".join(table)
        + "\n\nMade by `python experiments/does_it_pay.py --jobs 2 --docs-img docs/img --docs docs`, from "
        "`docs/does_it_pay_results/`.\n")}
