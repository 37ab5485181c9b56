"""Staffing arithmetic: caseload -> caseworkers -> DKK a year, and what a budget buys.

For a municipality with a given number of citizens on the caseload, a
caseload (citizens per full-time caseworker) fixes the number of
caseworkers, and the cost of a full-time caseworker (``fte_cost_dkk``, DKK a
year including overhead; 600,000 DKK is the default assumption, see
:data:`jobsim.report.facts.FTE_COST_DKK`)
fixes the cost. Caseworkers are counted in full-time equivalents and not
rounded: 10,000 citizens at 45 cases is 222.2 caseworkers.

The cost–outcome figure (:func:`cost_outcome_figure`, titled by
:func:`finding_cost`) puts each caseload's outcomes against its cost.

The check against Dansk Socialrådgiverforening (DS): DS estimated that
taking Copenhagen's Jobcenter Lærkevej from about 220 to DS's recommended
40–50 cases per caseworker would cost 65 million DKK more a year. At
600,000 DKK a caseworker that is about 108 more caseworkers, which
:func:`implied_citizens` turns into the number of citizens the estimate
implies: N such that N/45 - N/220 = 108.3, about 6,100 citizens.

>>> caseworkers_needed(10_000, 50)
200.0
>>> annual_cost_dkk(200)
120000000.0
>>> round(implied_citizens(65e6, 220, 45))
6129
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..report.charts import figure_legend, kpi_rows, lines_coincide, note_coincide, unit_label
from ..report.facts import DS_BAND, DS_EXTRA_COST_DKK, FTE_COST_DKK, LAERKEVEJ_CASELOAD
from ..report.style import OKABE_ITO, format_axis_for, group_style, house_style, new_figure, number_ticks, wrap_title
from ..report.words import kpi_label, num, parameter_label, pct, phrase
from .intervals import mean_interval

#: The caseloads of DS's estimate: Lærkevej's, and DS's recommended band (citizens per caseworker).
DS_FROM_CASELOAD = LAERKEVEJ_CASELOAD
DS_TO_CASELOADS = DS_BAND


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name}: {value!r} must be a positive number")
    return value


def caseworkers_needed(citizens: float, caseload: float) -> float:
    """Full-time caseworkers needed so that each has ``caseload`` citizens: ``citizens / caseload``.

    ``citizens``: citizens on the caseload (people); ``caseload``: citizens
    per full-time caseworker. Returns full-time equivalents (not rounded).
    """
    return _positive("citizens", citizens) / _positive("caseload", caseload)


def annual_cost_dkk(caseworkers: float, fte_cost_dkk: float = FTE_COST_DKK) -> float:
    """Cost in DKK a year of ``caseworkers`` full-time caseworkers at ``fte_cost_dkk`` DKK a year each."""
    if caseworkers < 0:
        raise ValueError(f"caseworkers: {caseworkers!r} must not be negative")
    return float(caseworkers) * _positive("fte_cost_dkk", fte_cost_dkk)


def staffing_cost_dkk(citizens: float, caseload: float, fte_cost_dkk: float = FTE_COST_DKK) -> float:
    """DKK a year to serve ``citizens`` at ``caseload`` citizens per caseworker."""
    return annual_cost_dkk(caseworkers_needed(citizens, caseload), fte_cost_dkk)


def cost_difference_dkk(citizens: float, caseload_from: float, caseload_to: float,
                        fte_cost_dkk: float = FTE_COST_DKK) -> float:
    """Extra DKK a year to go from ``caseload_from`` to ``caseload_to`` for the same ``citizens``.

    Positive when ``caseload_to`` is smaller (more caseworkers).

    >>> cost_difference_dkk(10_000, 220, 45) / 1e6  # million DKK a year
    106.06060606060606
    """
    return (staffing_cost_dkk(citizens, caseload_to, fte_cost_dkk)
            - staffing_cost_dkk(citizens, caseload_from, fte_cost_dkk))


def caseworkers_for_budget(budget_dkk: float, fte_cost_dkk: float = FTE_COST_DKK) -> float:
    """Full-time caseworkers a yearly budget of ``budget_dkk`` DKK pays for (not rounded).

    >>> round(caseworkers_for_budget(65e6), 1)
    108.3
    """
    return _positive("budget_dkk", budget_dkk) / _positive("fte_cost_dkk", fte_cost_dkk)


def implied_citizens(extra_cost_dkk: float, caseload_from: float, caseload_to: float,
                     fte_cost_dkk: float = FTE_COST_DKK) -> float:
    """Citizens N for whom going from ``caseload_from`` to ``caseload_to`` costs ``extra_cost_dkk`` a year.

    Solves ``N / caseload_to - N / caseload_from = extra_cost_dkk / fte_cost_dkk``
    (extra caseworkers) for N (people). ``caseload_to`` must be below
    ``caseload_from``.
    """
    frm, to = _positive("caseload_from", caseload_from), _positive("caseload_to", caseload_to)
    if to >= frm:
        raise ValueError(f"caseload_to: {to:g} must be below caseload_from ({frm:g}) for the cost to be extra")
    return caseworkers_for_budget(extra_cost_dkk, fte_cost_dkk) / (1.0 / to - 1.0 / frm)


@dataclass(frozen=True)
class DSComparison:
    """DS's 65 million DKK estimate next to the model's cost arithmetic (all money in DKK a year).

    * ``citizens``: the citizens assumed for the model's figure (people);
    * ``model_extra_dkk``: extra cost for them from ``caseload_from`` to ``caseload_to``;
    * ``model_extra_low_dkk``/``model_extra_high_dkk``: the same to DS's band's ends (50 and 40);
    * ``ds_extra_dkk``: DS's estimate; ``ds_extra_caseworkers``: what it pays for;
    * ``implied_citizens``: the citizens for whom DS's estimate is exactly right at ``caseload_to``;
      ``implied_citizens_low``/``_high``: the same at 50 and at 40 cases.
    """

    citizens: float
    fte_cost_dkk: float
    caseload_from: float
    caseload_to: float
    model_extra_dkk: float
    model_extra_low_dkk: float
    model_extra_high_dkk: float
    ds_extra_dkk: float
    ds_extra_caseworkers: float
    implied_citizens: float
    implied_citizens_low: float
    implied_citizens_high: float

    def to_dict(self) -> dict[str, float]:
        """The fields as a plain dict (for manifests)."""
        return asdict(self)


def compare_with_ds(citizens: float, fte_cost_dkk: float = FTE_COST_DKK, caseload_to: float = 45.0,
                    caseload_from: float = DS_FROM_CASELOAD,
                    ds_extra_dkk: float = DS_EXTRA_COST_DKK) -> DSComparison:
    """Put DS's estimate (65 million DKK a year, ~220 -> 40–50 cases) next to the model's arithmetic.

    >>> c = compare_with_ds(10_000)
    >>> round(c.model_extra_dkk / 1e6, 1), round(c.implied_citizens)
    (106.1, 6129)
    """
    low_to, high_to = max(DS_TO_CASELOADS), min(DS_TO_CASELOADS)  # 50 costs least, 40 most
    return DSComparison(
        citizens=float(citizens), fte_cost_dkk=float(fte_cost_dkk), caseload_from=float(caseload_from),
        caseload_to=float(caseload_to),
        model_extra_dkk=cost_difference_dkk(citizens, caseload_from, caseload_to, fte_cost_dkk),
        model_extra_low_dkk=cost_difference_dkk(citizens, caseload_from, low_to, fte_cost_dkk),
        model_extra_high_dkk=cost_difference_dkk(citizens, caseload_from, high_to, fte_cost_dkk),
        ds_extra_dkk=float(ds_extra_dkk),
        ds_extra_caseworkers=caseworkers_for_budget(ds_extra_dkk, fte_cost_dkk),
        implied_citizens=implied_citizens(ds_extra_dkk, caseload_from, caseload_to, fte_cost_dkk),
        implied_citizens_low=implied_citizens(ds_extra_dkk, caseload_from, high_to, fte_cost_dkk),
        implied_citizens_high=implied_citizens(ds_extra_dkk, caseload_from, low_to, fte_cost_dkk),
    )


def cost_table(citizens: float, caseloads, fte_cost_dkk: float = FTE_COST_DKK):
    """One row per caseload: ``caseload``, ``caseworkers`` (FTE), ``cost_dkk`` and ``cost_million_dkk`` a year."""
    rows = []
    for c in caseloads:
        workers = caseworkers_needed(citizens, c)
        cost = annual_cost_dkk(workers, fte_cost_dkk)
        rows.append({"caseload": float(c), "caseworkers": workers, "cost_dkk": cost, "cost_million_dkk": cost / 1e6})
    return pd.DataFrame(rows)


def frontier_table(summary, citizens: float, fte_cost_dkk: float = FTE_COST_DKK):
    """A sweep summary with the staffing cost of each caseload added (for cost–outcome frontiers).

    ``summary`` is :meth:`jobsim.runner.sweep.SweepResult.summary` of a sweep
    over ``caseload``; the result has its rows plus ``caseworkers`` (FTE for
    ``citizens``), ``cost_dkk`` and ``cost_million_dkk`` (a year).
    """
    if "caseload" not in summary.columns:
        raise ValueError("frontier_table: the summary must come from a sweep over 'caseload'")
    costs = cost_table(citizens, sorted(summary["caseload"].unique()), fte_cost_dkk)
    out = summary.assign(caseload=summary["caseload"].astype(float))
    return out.merge(costs, on="caseload", how="left")


# --------------------------------------------------------------------------- the cost–outcome figure

def finding_cost(team: TeamNeeded, law: TeamNeeded, lang: str = "en") -> str:
    """Title of the cost–outcome figure: the team the model needs for both targets and for the rule alone.

    ``team``: :func:`team_needed` for both targets (one policy); ``law``: the same with the follow-up
    rule alone (``prepared_at_least=0``).
    """
    citizens = num(team.citizens, lang)
    both = (num(team.workers, lang, 0), num(team.cost_dkk / 1e6, lang, 0)) if team.found else None
    rule = (num(law.workers, lang, 0), num(law.cost_dkk / 1e6, lang, 0)) if law.found else None
    prep = pct(team.prepared_at_least, lang, 0)
    if lang == "da":
        first = (f"For {citizens} borgere kræver modellen {both[0]} sagsbehandlere ({both[1]} mio. kr. om året) for "
                 f"at overholde opfølgningsreglen og forberede {prep} af samtalerne" if both else
                 f"For {citizens} borgere når intet sagstal i analysen både opfølgningsreglen og {prep} forberedt")
        return first + (f", og {rule[0]} ({rule[1]} mio. kr.) for reglen alene" if rule else "")
    first = (f"For {citizens} citizens the model needs {both[0]} caseworkers ({both[1]} million DKK a year) to keep "
             f"the follow-up rule and prepare {prep} of conversations" if both else
             f"For {citizens} citizens no caseload in the study keeps the follow-up rule and prepares {prep}")
    return first + (f", and {rule[0]} ({rule[1]} million DKK) for the rule alone" if rule else "")


def cost_outcome_figure(frontier: pd.DataFrame, kpis: Sequence[str], comparison, lang: str = "en", *,
                        title: str = "", label_caseloads: Sequence[float] | None = None,
                        width: float = 13.0, legend_columns: int | None = None):
    """Cost–outcome frontier: each KPI against the caseworkers' cost (million DKK a year), one line per policy.

    ``frontier`` is :func:`frontier_table` (summary rows plus
    ``cost_million_dkk``); ``comparison`` a :class:`DSComparison`
    for the same citizens and cost per caseworker. Points carry 95% CI bars;
    a second x axis on top gives the caseload of each cost (the caseloads in
    ``label_caseloads`` are ticked). DS's band (40–50 cases), Lærkevej (220)
    and what DS's 65 million DKK would add to Lærkevej's cost are marked on
    the cost axis; a panel whose policy lines coincide says so. Top ticks that would
    collide are left out. ``title`` (e.g. :func:`finding_cost`) titles the figure; ``""`` (the default)
    leaves it without one (a report gives the title in its own words). ``width`` is in
    inches; ``legend_columns`` (default: up to 3) sets the legend's columns (1 for a phone-sized figure).
    """
    by = "prep_policy" if "prep_policy" in frontier.columns and frontier["prep_policy"].nunique() > 1 else None
    citizens, fte = comparison.citizens, comparison.fte_cost_dkk
    fig, axes = new_figure(1, len(kpis), width=width, height=5.4)
    axes = np.atleast_1d(axes)
    caseloads = sorted(frontier["caseload"].unique())
    if label_caseloads is None:
        label_caseloads = caseloads
    cost_of = {c: staffing_cost_dkk(citizens, c, fte) / 1e6 for c in (*caseloads, *DS_BAND, LAERKEVEJ_CASELOAD)}
    ds_cost = cost_of[LAERKEVEJ_CASELOAD] + comparison.ds_extra_dkk / 1e6
    k = citizens * fte / 1e6

    def caseload_of(v):   # the caseload of a cost (million DKK), and the cost of a caseload: k / v both ways
        return k / np.maximum(v, 1e-9)

    with house_style():
        for ax, kpi in zip(axes, kpis):
            rows = kpi_rows(frontier, kpi)
            groups = [(None, rows)] if by is None else list(rows.groupby(by, sort=False))
            for i, (value, g) in enumerate(groups):
                g = g.sort_values("cost_million_dkk")
                style = group_style(by, value, i, lang)
                xs, ys = g["cost_million_dkk"].to_numpy(dtype=float), g["mean"].to_numpy(dtype=float)
                err = np.nan_to_num(np.vstack([ys - g["ci_low"].to_numpy(dtype=float),
                                               g["ci_high"].to_numpy(dtype=float) - ys]))
                ax.errorbar(xs, ys, yerr=err, color=style["color"], marker=style["marker"], capsize=3,
                            label=style["label"], zorder=3, clip_on=False)
            if len(groups) > 1 and lines_coincide(rows, "cost_million_dkk", kpi, by):
                note_coincide(ax, len(groups), lang, corner="right")
            ax.axvspan(cost_of[max(DS_BAND)], cost_of[min(DS_BAND)], color="#777777", alpha=0.22, linewidth=0,
                       zorder=1, label=phrase("ds_band", lang))
            ax.axvline(cost_of[LAERKEVEJ_CASELOAD], color="#333333", linestyle="--", linewidth=1.3, zorder=1,
                       label=phrase("laerkevej", lang))
            ax.axvline(ds_cost, color=OKABE_ITO["purple"], linestyle="-.", linewidth=1.5, zorder=1,
                       label=phrase("ds_budget", lang, million=num(comparison.ds_extra_dkk / 1e6, lang)))
            ax.set_title(kpi_label(kpi, lang), fontsize=11, pad=30)
            ax.set_ylabel(unit_label(kpi, lang))
            format_axis_for(ax, kpi, lang=lang)
            ax.set_xlim(0, 1.05 * max(cost_of.values()))
            ax.xaxis.set_major_formatter(number_ticks(lang, decimals=0))
            # the caseload of each point, on a top axis: cost = citizens x fte / caseload (its own inverse)
            top = ax.secondary_xaxis("top", functions=(caseload_of, caseload_of))
            top.set_xticks(_spaced([c for c in label_caseloads
                                    if c in caseloads or c in DS_BAND or c == LAERKEVEJ_CASELOAD], cost_of,
                                   # ticks 7% of the axis apart (about 30 pt on a 7.5 in figure), and at least
                                   # 20 pt on a narrower one, whose labels keep their size
                                   max(0.07, 0.05 * 7.5 / width) * 1.05 * max(cost_of.values())))
            top.xaxis.set_major_formatter(number_ticks(lang, decimals=0))
            top.tick_params(labelsize=8.5, colors="#444444")
            top.set_xlabel(parameter_label("caseload", lang), fontsize=9, color="#444444")
        # (wrapped on a narrow figure, whose width it would otherwise set)
        fig.supxlabel(wrap_title(phrase("cost_axis", lang, citizens=num(citizens, lang)), width), fontsize=11)
        figure_legend(fig, axes, by, lang, legend_columns)
        if title:
            fig.suptitle(wrap_title(title, width))
    return fig


def _spaced(caseloads: Sequence[float], cost_of: dict[float, float], gap: float) -> list[float]:
    """The caseloads whose cost positions lie at least ``gap`` (million DKK) apart, cheapest first kept:
    the top axis is the inverse of the cost, so small caseloads crowd together at high cost."""
    kept: list[float] = []
    for c in sorted(caseloads, reverse=True):  # largest caseload = lowest cost first
        if not kept or abs(cost_of[c] - cost_of[kept[-1]]) >= gap:
            kept.append(c)
    return kept


# --------------------------------------------------------------------------- the team the model needs

#: The targets a team must meet (shares, 0–1): fewer than this share of required conversations late
#: (the follow-up rule kept), and at least this share of held conversations fully prepared. Assumptions,
#: stated wherever an answer uses them; the staffing report and study take others.
OVERDUE_BELOW = 0.10
PREPARED_AT_LEAST = 0.90


def _meets(overdue: float, prepared: float, overdue_below: float, prepared_at_least: float) -> bool:
    return overdue < overdue_below and prepared >= prepared_at_least


def largest_caseload_meeting(points: Sequence[tuple[float, float, float]], overdue_below: float = OVERDUE_BELOW,
                             prepared_at_least: float = PREPARED_AT_LEAST) -> tuple[float, bool]:
    """The largest caseload at which one replication meets both targets, read off its caseload grid.

    ``points``: ``(caseload, overdue_share, prepared_share)`` of one replication at each caseload of a
    sweep (citizens per caseworker; shares 0–1), in any order. Going up from the smallest caseload while
    both targets hold, the answer lies between the last caseload that meets them and the first that does
    not: where each failing KPI crosses its target, linear between the two, the earlier crossing. Returns
    ``(caseload, censored)``: ``censored`` is True when every caseload of the grid meets the targets (the
    answer is then the grid's largest caseload, a lower bound); ``(nan, False)`` when even the smallest
    caseload fails.

    >>> largest_caseload_meeting([(40, 0.02, 0.95), (80, 0.06, 0.93), (120, 0.14, 0.91)])
    (100.0, False)
    """
    pts = sorted((float(c), float(o), float(p)) for c, o, p in points)
    if not pts or not _meets(pts[0][1], pts[0][2], overdue_below, prepared_at_least):
        return math.nan, False
    for (ca, oa, pa), (cb, ob, pb) in zip(pts, pts[1:]):
        if _meets(ob, pb, overdue_below, prepared_at_least):
            continue
        steps = []
        if not ob < overdue_below:  # overdue rises past its target between a and b
            steps.append((overdue_below - oa) / (ob - oa))
        if not pb >= prepared_at_least:  # prepared falls below its target between a and b
            steps.append((pa - prepared_at_least) / (pa - pb))
        return ca + min(steps) * (cb - ca), False
    return pts[-1][0], True


@dataclass(frozen=True)
class TeamNeeded:
    """The smallest team that meets the targets, found on the model (caseloads in citizens per caseworker,
    caseworkers in full-time equivalents, money in DKK a year).

    Each replication of a caseload sweep gives the largest caseload that meets the targets
    (:func:`largest_caseload_meeting`, the same random numbers at every caseload); ``caseload`` is their
    mean and ``caseload_low``/``caseload_high`` its 95% t interval over the ``replications`` that met the
    targets somewhere on the grid (``failed``: those that met them nowhere, not in the mean). The team for
    ``citizens`` is ``citizens / caseload`` (``workers_low`` from ``caseload_high`` and the other way round)
    and it costs ``fte_cost_dkk`` a caseworker. ``censored``: replications that met the targets even at the
    grid's largest caseload (the answer is then a lower bound on the caseload, an upper bound on the team).
    The answer depends on the time budget: what conversations, preparation, documentation and other
    contact take decides where the diary fills (tests/studies/test_staffing.py shows it move).
    """

    policy: str
    citizens: float
    fte_cost_dkk: float
    overdue_below: float
    prepared_at_least: float
    replications: int
    failed: int
    censored: int
    caseload: float
    caseload_low: float
    caseload_high: float

    @property
    def found(self) -> bool:
        """True if the targets were met on the grid in at least one replication."""
        return not math.isnan(self.caseload)

    def _workers(self, caseload: float) -> float:
        return self.citizens / caseload if caseload > 0 else math.nan

    @property
    def workers(self) -> float:
        """Full-time caseworkers the team needs for ``citizens`` (at the mean caseload)."""
        return self._workers(self.caseload)

    @property
    def workers_low(self) -> float:
        """The low end of the team's 95% interval (at the high end of the caseload's)."""
        return self._workers(self.caseload_high)

    @property
    def workers_high(self) -> float:
        """The high end of the team's 95% interval (at the low end of the caseload's)."""
        return self._workers(self.caseload_low)

    @property
    def cost_dkk(self) -> float:
        """The team's cost in DKK a year."""
        return self.workers * self.fte_cost_dkk

    @property
    def cost_low_dkk(self) -> float:
        return self.workers_low * self.fte_cost_dkk

    @property
    def cost_high_dkk(self) -> float:
        return self.workers_high * self.fte_cost_dkk

    def to_dict(self) -> dict[str, float | str | int]:
        """The fields and the team and cost figures as a plain dict (for manifests and tables)."""
        return {**asdict(self), "workers": self.workers, "workers_low": self.workers_low,
                "workers_high": self.workers_high, "cost_dkk": self.cost_dkk, "cost_low_dkk": self.cost_low_dkk,
                "cost_high_dkk": self.cost_high_dkk}


def team_needed(runs: pd.DataFrame, citizens: float, fte_cost_dkk: float = FTE_COST_DKK, *,
                policy: str | None = None, overdue_below: float = OVERDUE_BELOW,
                prepared_at_least: float = PREPARED_AT_LEAST, confidence: float = 0.95) -> TeamNeeded:
    """The smallest team that keeps the follow-up rule and prepares conversations, from a caseload sweep's runs.

    ``runs``: :attr:`jobsim.runner.results.SweepResult.runs` of a sweep over ``caseload`` (and perhaps
    ``prep_policy``: then ``policy`` picks its rows); ``citizens`` (people) and ``fte_cost_dkk`` (DKK a
    year per full-time caseworker) turn the caseload into a team and its cost. See :class:`TeamNeeded`.
    """
    if "caseload" not in runs.columns:
        raise ValueError("team_needed: the runs must come from a sweep over 'caseload'")
    rows = runs
    if "prep_policy" in runs.columns:
        if policy is None:
            raise ValueError("team_needed: the sweep varies prep_policy; say which policy")
        rows = runs[runs["prep_policy"] == policy]
        if rows.empty:
            raise ValueError(f"team_needed: no runs with prep_policy {policy!r}")
    found, censored = [], 0
    for _, g in rows.groupby("replication", sort=True):
        c, top = largest_caseload_meeting(zip(g["caseload"], g["overdue_share"], g["prepared_share"]),
                                          overdue_below, prepared_at_least)
        found.append(c)
        censored += bool(top)
    stats = mean_interval(found, confidence)
    return TeamNeeded(policy="" if policy is None else str(policy),
                      citizens=_positive("citizens", citizens), fte_cost_dkk=_positive("fte_cost_dkk", fte_cost_dkk),
                      overdue_below=overdue_below, prepared_at_least=prepared_at_least, replications=len(found),
                      failed=sum(math.isnan(c) for c in found), censored=censored, caseload=stats["mean"],
                      caseload_low=stats["ci_low"], caseload_high=stats["ci_high"])


# --------------------------------------------------------------------------- the staffing page's numbers

#: Columns of the stored runs the staffing page's numbers come from (``docs/staffing_runs.csv``).
PAGE_COLUMNS = ("caseload", "prep_policy", "replication", "seed", "overdue_share", "prepared_share", "casework_coverage")


def page_blocks(runs: pd.DataFrame, citizens: float, fte_cost_dkk: float, *, base_caseload: float = 220.0,
                command: str = "python experiments/staffing_cost.py --jobs 2 --docs docs") -> dict[str, str]:
    """The staffing section's generated block (English Markdown) from the stored runs (:data:`PAGE_COLUMNS`).

    The team each policy needs to meet both targets, and the rule alone (:func:`team_needed`), with
    their 95% intervals and costs, against the cost of ``base_caseload`` cases for ``citizens``.
    """
    lines = []
    base_cost = staffing_cost_dkk(citizens, base_caseload, fte_cost_dkk) / 1e6
    words = {"ahead": "preparing ahead of each conversation", "after_checkin": "preparing only after check-in"}
    for policy in dict.fromkeys(runs["prep_policy"]):
        team = team_needed(runs, citizens, fte_cost_dkk, policy=policy)
        law = team_needed(runs, citizens, fte_cost_dkk, policy=policy, prepared_at_least=0.0)
        name = words.get(policy, policy)
        if team.found:
            met = (f"the smallest team that keeps fewer than {pct(OVERDUE_BELOW, 'en', 0)} of follow-up "
                   f"conversations late and at least {pct(PREPARED_AT_LEAST, 'en', 0)} fully prepared is "
                   f"**{num(team.workers, 'en', 0)} caseworkers** ({num(team.workers_low, 'en', 0)}–"
                   f"{num(team.workers_high, 'en', 0)}), {num(team.caseload, 'en', 0)} cases each, "
                   f"{num(team.cost_dkk / 1e6, 'en', 1)} million DKK a year ({num(team.cost_low_dkk / 1e6, 'en', 1)}"
                   f"–{num(team.cost_high_dkk / 1e6, 'en', 1)})")
            if team.censored:
                met += f" (in {team.censored} of {team.replications} replications every caseload met them)"
        else:
            met = "no caseload of the study meets both targets"
        rule = (f"the follow-up rule alone takes {num(law.workers, 'en', 0)} ({num(law.workers_low, 'en', 0)}–"
                f"{num(law.workers_high, 'en', 0)}), {num(law.caseload, 'en', 0)} cases each, "
                f"{num(law.cost_dkk / 1e6, 'en', 1)} million DKK a year" if law.found else
                "no caseload of the study keeps the follow-up rule alone")
        lines.append(f"- **{name[0].upper() + name[1:]}**: {met}; {rule}.")
    reps = int(runs["replication"].nunique())
    caseloads = ", ".join(num(c, "en", None) for c in sorted(runs["caseload"].unique()))
    return {"staffing_team": (
        f"For {num(citizens, 'en', 0)} citizens at {num(fte_cost_dkk, 'en', 0)} DKK a caseworker, against "
        f"{num(base_cost, 'en', 1)} million DKK a year at Lærkevej's {num(base_caseload, 'en', None)} cases "
        f"(95% confidence intervals over {reps} replications; in each, the largest caseload meeting the targets is "
        f"read off the caseloads {caseloads}, linearly between them):\n\n" + "\n".join(lines) + "\n\n"
        f"Made by `{command}`, from `docs/staffing_runs.csv`.\n")}


# --------------------------------------------------------------------------- the team across the assumptions

#: The desk rules the team is found under (how caseworkers order desk work: an assumption no source fixes).
DESK_RULES = ("edf", "prep_first", "casework_first")
#: Time budgets drawn from the fitted posterior, and replications for each, in the ranges (full, quick); the
#: staffing study and ``jobsim report staffing`` both use these.
DRAWS, QUICK_DRAWS = 10, 2
DRAW_REPLICATIONS, QUICK_DRAW_REPLICATIONS = 3, 2
#: Columns of the stored runs across the assumptions (``docs/staffing_assumption_runs.csv``).
ASSUMPTION_COLUMNS = ("assumption", "value", "particle", *PAGE_COLUMNS)


def assumption_runs(base, caseloads: Sequence[float], draws: pd.DataFrame, *, replications: int = 3, seed: int = 0,
                    out=None, desk_rules: Sequence[str] = DESK_RULES, progress: bool | None = False,
                    **sweep_options) -> pd.DataFrame:
    """Caseload sweeps preparing ahead under each time budget of ``draws`` and under each desk rule.

    ``base``: the scenario (its own time budget is the posterior median); ``draws``:
    :func:`jobsim.studies.timeuse.posterior_draws` (one row per time budget, ``particle`` and the fitted
    fields); each is swept over ``caseloads`` with ``replications`` and ``seed`` (the same random numbers for
    every draw), stored under ``out/draw_<i>`` when ``out`` is given. The desk rules are swept at the median
    budget. Returns :data:`ASSUMPTION_COLUMNS`: ``assumption`` ("time budget" or "desk rule"), ``value`` (the
    draw's number or the rule's name) and ``particle`` (the posterior row, -1 for the desk rules).
    """
    from pathlib import Path

    from ..runner.sweep import sweep

    ahead = base.replace(prep_policy="ahead")
    frames = []
    for i, row in draws.reset_index(drop=True).iterrows():
        params = {k: float(v) for k, v in row.items() if k != "particle"}
        folder = None if out is None else Path(out) / f"draw_{i}"
        runs = sweep(ahead.replace(**params), {"caseload": list(caseloads)}, replications=replications, seed=seed,
                     out=folder, progress=progress, **sweep_options).runs
        frames.append(runs.assign(assumption="time budget", value=str(i), particle=int(row["particle"]),
                                  prep_policy="ahead"))
    folder = None if out is None else Path(out) / "desk_rules"
    runs = sweep(ahead, {"caseload": list(caseloads), "desk_priority": list(desk_rules)}, replications=replications,
                 seed=seed, out=folder, progress=progress, **sweep_options).runs
    frames.append(runs.assign(assumption="desk rule", value=runs["desk_priority"].astype(str), particle=-1,
                              prep_policy="ahead"))
    return pd.concat(frames, ignore_index=True)[list(ASSUMPTION_COLUMNS)]


def assumption_teams(runs: pd.DataFrame, citizens: float, fte_cost_dkk: float = FTE_COST_DKK, *,
                     overdue_below: float = OVERDUE_BELOW, prepared_at_least: float = PREPARED_AT_LEAST
                     ) -> pd.DataFrame:
    """Per assumption and value of :func:`assumption_runs`: the team for both targets and for the rule alone.

    Columns ``assumption``, ``value``, ``workers``/``cost_dkk`` (both targets; NaN where no caseload of the study
    meets them), ``rule_workers``/``rule_cost_dkk`` (the follow-up rule alone), ``failed`` (replications meeting
    both targets nowhere) and ``replications``.
    """
    rows = []
    for (assumption, value), g in runs.groupby(["assumption", "value"], sort=False):
        both = team_needed(g, citizens, fte_cost_dkk, policy="ahead", overdue_below=overdue_below,
                           prepared_at_least=prepared_at_least)
        rule = team_needed(g, citizens, fte_cost_dkk, policy="ahead", overdue_below=overdue_below,
                           prepared_at_least=0.0)
        rows.append({"assumption": assumption, "value": value, "workers": both.workers, "cost_dkk": both.cost_dkk,
                     "rule_workers": rule.workers, "rule_cost_dkk": rule.cost_dkk, "failed": both.failed,
                     "replications": both.replications})
    return pd.DataFrame(rows)


def range_block(runs: pd.DataFrame, citizens: float, fte_cost_dkk: float, *,
                command: str = "python experiments/staffing_cost.py --jobs 2 --docs docs") -> dict[str, str]:
    """The staffing page's block on the team across the assumptions (English Markdown), from the stored runs."""
    teams = assumption_teams(runs, citizens, fte_cost_dkk)
    budget = teams[teams["assumption"] == "time budget"]
    desk = teams[teams["assumption"] == "desk rule"].set_index("value")

    def span(frame, column, digits=0, scale=1.0):
        x = frame[column].dropna() * scale
        if not len(x):
            return "none"
        low, high = num(x.min(), "en", digits), num(x.max(), "en", digits)
        return low if low == high else f"{low}–{high}"

    met = budget["workers"].notna().sum()
    reps = int(budget["replications"].max())
    lines = [
        f"- **The time budget** ({len(budget)} budgets drawn from the fitted posterior, {reps} replications each, "
        f"preparing ahead, desk rule `edf`): both targets take {span(budget, 'workers')} caseworkers "
        f"({span(budget, 'cost_dkk', 1, 1e-6)} million DKK a year)"
        + (f"; under {len(budget) - met} of the {len(budget)} budgets no caseload of the study, down to "
           f"{num(runs['caseload'].min(), 'en', None)}, meets them (the team would be larger than "
           f"{num(citizens / runs['caseload'].min(), 'en', 0)})" if met < len(budget) else "")
        + f"; the follow-up rule alone takes {span(budget, 'rule_workers')} caseworkers "
          f"({span(budget, 'rule_cost_dkk', 1, 1e-6)} million DKK)"
        + (" under every budget." if span(budget, "rule_workers") == span(budget.head(1), "rule_workers") else ".")]
    words = {"edf": "earliest deadline first", "prep_first": "preparation first",
             "casework_first": "casework first"}
    parts = []
    for rule in DESK_RULES:
        if rule not in desk.index:
            continue
        r = desk.loc[rule]
        both = (f"{num(r['workers'], 'en', 0)} caseworkers for both targets" if r["workers"] == r["workers"] else
                "no caseload of the study meets both targets")
        parts.append(f"{words[rule]} (`{rule}`): {both}, {num(r['rule_workers'], 'en', 0)} for the rule alone")
    lines.append(f"- **The desk rule** (the posterior median budget, {reps} replications): " + "; ".join(parts) + ".")
    return {"staffing_range": (
        f"For the same {num(citizens, 'en', 0)} citizens, the team is found again under the assumptions that decide "
        "it:\n\n" + "\n".join(lines) + "\n\n"
        f"Made by `{command}`, from `docs/staffing_assumption_runs.csv`.\n")}
