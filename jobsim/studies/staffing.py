"""Staffing arithmetic: caseload -> caseworkers -> DKK a year, and what a budget buys.

For a municipality with a given number of citizens on the caseload, a
caseload (citizens per full-time caseworker) fixes the number of
caseworkers, and the cost of a full-time caseworker (``fte_cost_dkk``, DKK a
year including overhead; 600,000 DKK is the default assumption, DOMAIN.md)
fixes the cost. Caseworkers are counted in full-time equivalents and not
rounded: 10,000 citizens at 45 cases is 222.2 caseworkers.

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
from dataclasses import asdict, dataclass

#: Cost of one full-time caseworker per year incl. pension and overhead (DKK; assumption, DOMAIN.md).
FTE_COST_DKK = 600_000.0
#: DS's estimate of the extra cost a year for Copenhagen to go from ~220 to 40-50 cases (DKK; DOMAIN.md).
DS_EXTRA_COST_DKK = 65_000_000.0
#: The caseloads of DS's estimate: Lærkevej's, and DS's recommended band (citizens per caseworker).
DS_FROM_CASELOAD = 220.0
DS_TO_CASELOADS = (40.0, 50.0)


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
    import pandas as pd

    rows = []
    for c in caseloads:
        workers = caseworkers_needed(citizens, c)
        cost = annual_cost_dkk(workers, fte_cost_dkk)
        rows.append({"caseload": float(c), "caseworkers": workers, "cost_dkk": cost, "cost_million_dkk": cost / 1e6})
    return pd.DataFrame(rows)


def frontier_table(summary, citizens: float, fte_cost_dkk: float = FTE_COST_DKK):
    """A sweep summary with the staffing cost of each caseload added (for cost–outcome frontiers).

    ``summary`` is :meth:`jobsim.experiment.SweepResult.summary` of a sweep
    over ``caseload``; the result has its rows plus ``caseworkers`` (FTE for
    ``citizens``), ``cost_dkk`` and ``cost_million_dkk`` (a year).
    """
    if "caseload" not in summary.columns:
        raise ValueError("frontier_table: the summary must come from a sweep over 'caseload'")
    costs = cost_table(citizens, sorted(summary["caseload"].unique()), fte_cost_dkk)
    out = summary.assign(caseload=summary["caseload"].astype(float))
    return out.merge(costs, on="caseload", how="left")
