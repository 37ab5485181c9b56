"""The caseworker's week next to the published time-use shares, and what gives when it does not fit.

:func:`time_use` runs ``ds_norm`` (preparation ahead, the fitted time budget) at 45 (DS's norm), 82 (DS's
2013 average) and 220 (Lærkevej) cases with common random numbers and gives each share of the week and
each sign of strain (postponed contact, late documentation, casework not done, overtime) with a t interval
over replications. :func:`week_markdown` is the table in docs/model.md; :func:`fit_markdown` the table of
the shipped fit (``jobsim/fit/posterior/summary.csv``). ``experiments/time_budget.py`` writes both into the
page; ``tests/studies/test_time_budget.py`` checks the page against the stored results.

Shares are of the minutes present (0-1); overtime in hours per caseworker-week.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

import pandas as pd

from ..model.scenario import load_scenario
from ..runner.sweep import sweep

BASE_SCENARIO = "ds_norm"
CASELOADS = (45.0, 82.0, 220.0)

#: The rows of the week table: KPI, label, and the published figure it stands next to (or "").
ROWS = (
    ("direct_contact_share", "Direct contact (conversations, calls, employers, network meetings)",
     "15-26% (DS time study; KL 2014)"),
    ("conversation_share", "of which booked conversations", ""),
    ("prep_followup_share", "Preparation and follow-up of contacts", "30-37% (KL 2014: about a third)"),
    ("casework_share", "Ongoing casework", ""),
    ("noncase_share", "Not case work (meetings, supervision, training, administration)", ""),
    ("idle_share", "No work found", ""),
    ("overtime_hours_per_worker_week", "Overtime, hours per caseworker-week", ""),
    ("contacts_postponed_share", "Calls, employer contacts, meetings answered after their deadline", ""),
    ("documentation_late_share", "Documentation done after its deadline", ""),
    ("casework_coverage", "Casework done by its deadline", ""),
    ("prepared_share", "Conversations prepared", ""),
    ("overdue_share", "Follow-up conversations late", ""),
)


def time_use(caseloads: Sequence[float] = CASELOADS, replications: int = 10, seed: int = 0, jobs: int = 1,
             **changes) -> pd.DataFrame:
    """One row per caseload and KPI of :data:`ROWS`: ``mean``, ``ci_low``, ``ci_high`` over ``replications``."""
    base = load_scenario(BASE_SCENARIO, **changes)
    summary = sweep(base, {"caseload": list(caseloads)}, replications=replications, seed=seed, jobs=jobs,
                    progress=False).summary()
    kpis = [k for k, _, _ in ROWS]
    frame = summary[summary["kpi"].isin(kpis)][["caseload", "kpi", "unit", "mean", "ci_low", "ci_high", "n"]]
    return frame.reset_index(drop=True)


def _cell(row: pd.Series) -> str:
    if row["unit"] == "share":
        return f"{100 * row['mean']:.1f}% ({100 * row['ci_low']:.1f}-{100 * row['ci_high']:.1f})"
    return f"{row['mean']:.2f} ({row['ci_low']:.2f}-{row['ci_high']:.2f})"


def week_markdown(frame: pd.DataFrame) -> str:
    """The week table: one row per measure, one column per caseload (mean and 95% interval), the published."""
    caseloads = sorted(frame["caseload"].unique())
    n = int(frame["n"].min())
    head = "| | " + " | ".join(f"{c:g} cases" for c in caseloads) + " | published |"
    lines = [head, "|---" * (len(caseloads) + 2) + "|"]
    for kpi, label, published in ROWS:
        cells = []
        for c in caseloads:
            row = frame[(frame["kpi"] == kpi) & (frame["caseload"] == c)]
            cells.append(_cell(row.iloc[0]) if len(row) and pd.notna(row.iloc[0]["mean"]) else "n/a")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {published} |")
    lines.append("")
    other = {c: frame[(frame["caseload"] == c) & frame["kpi"].isin(["casework_share", "noncase_share"])]["mean"].sum()
             for c in caseloads}
    lines.append(f"Means over {n} replications per caseload with 95% t intervals (common random numbers), "
                 f"scenario `{BASE_SCENARIO}` with only the caseload changed. The KL study puts the rest of the "
                 "time, about 41%, on other tasks; in the model that is ongoing casework and time that is not case "
                 "work together: " + ", ".join(f"{100 * other[c]:.1f}% at {c:g} cases" for c in caseloads) + ".")
    return "\n".join(lines) + "\n"


def shipped_fit_summary() -> pd.DataFrame:
    """The shipped fit's summary (``jobsim/fit/posterior/summary.csv``)."""
    with resources.as_file(resources.files("jobsim") / "fit" / "posterior" / "summary.csv") as path:
        return pd.read_csv(path)


def fit_markdown(summary: pd.DataFrame) -> str:
    """The fit's table: parameter, prior range, posterior median and 90% interval, and what the targets did."""
    lines = ["| parameter | prior (uniform) | posterior median | 90% interval | the targets |", "|---|---|---|---|---|"]
    for r in summary.itertuples():
        lines.append(f"| `{r.parameter}` | {r.prior_low:g} to {r.prior_high:g} | {r.median:.3g} | "
                     f"{r.q05:.3g} to {r.q95:.3g} | {r.verdict} |")
    return "\n".join(lines) + "\n"


#: Columns of the shipped posterior that are not time-budget parameters (targets, bookkeeping).
_NOT_PARAMETERS = ("direct_contact_share", "prep_followup_share", "batch", "weight")


def posterior_draws(k: int, seed: int = 0) -> pd.DataFrame:
    """``k`` time budgets drawn from the shipped posterior (``jobsim/fit/posterior/posterior.csv``) by weight.

    Returns one row per draw with the fitted parameters (scenario field names; minutes, per week or per year as
    each field says) and ``particle``, the row drawn. The draws are with replacement from the weighted particles
    of every batch (each batch is an independent run of the same fit), by a NumPy generator seeded with ``seed``
    (the same draws every time).
    """
    import numpy as np

    with resources.as_file(resources.files("jobsim") / "fit" / "posterior" / "posterior.csv") as path:
        posterior = pd.read_csv(path)
    last = posterior
    weights = last["weight"].to_numpy(dtype=float)
    rows = np.random.default_rng(seed).choice(len(last), size=int(k), replace=True, p=weights / weights.sum())
    draws = last.loc[rows, [c for c in last.columns if c not in _NOT_PARAMETERS]].reset_index()
    return draws.rename(columns={"index": "particle"})
