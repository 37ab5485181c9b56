"""The caseload sweep: preparation, follow-up and casework as caseloads grow from DS's 40 to Lærkevej's 220.

The grid (:data:`CASELOADS` x :data:`POLICIES`), the extra runs that give a
caseworker's week by activity (:func:`time_use_runs`), the finding titles
(:func:`finding_preparation`, :func:`finding_followup`,
:func:`finding_casework`, :func:`finding_time_use`) and the headline figures
(:func:`caseload_figures`, :func:`time_use_figure`). The script is
``experiments/caseload_sweep.py``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..model.policies import BUILTIN_POLICIES, POLICIES as REGISTERED
from ..model.scenario import Scenario
from ..report.charts import (WEEK_MINUTES, crossing, finding_casework, kpi_panels, kpi_rows, kpi_table,
                             lines_coincide, nice, span_text, stacked_time_use, time_use_table, varied_parameters)
from ..report.facts import FOLLOWUP_RULE_DAYS
from ..report.style import caption, house_style, new_figure, wrap_title
from ..report.words import num, pct, phrase, policy_label
from ..runner.simulate import simulate

#: Citizens per caseworker: DS's recommendation (40) to Lærkevej (220), step 20.
CASELOADS = tuple(float(c) for c in range(40, 221, 20))
POLICIES = tuple(BUILTIN_POLICIES)  # after_checkin, ahead, none, confirmed_ahead
REPLICATIONS = 20
#: --quick: three caseloads, every policy, a short run of a small team.
QUICK_CASELOADS = (40.0, 130.0, 220.0)
QUICK_REPLICATIONS = 3
QUICK_CHANGES = {"horizon_days": 91, "warmup_days": 28, "workers": 5}
#: Policy of the extra runs that give the time-use bars (preparation ahead shows wasted preparation).
TIME_USE_POLICY = "ahead"
#: The desk rules the preparation finding is checked under (an assumption nobody has measured), and the
#: policy whose answer depends on them.
DESK_RULES = ("edf", "prep_first", "casework_first")
DESK_POLICY = "ahead"

__all__ = ["CASELOADS", "POLICIES", "REPLICATIONS", "QUICK_CASELOADS", "QUICK_REPLICATIONS", "QUICK_CHANGES",
           "TIME_USE_POLICY", "time_use_runs", "finding_preparation", "finding_followup", "finding_casework",
           "finding_time_use", "time_use_figure", "caseload_figures", "followup_by_reminders", "DESK_RULES",
           "DESK_POLICY", "finding_desk_rules", "desk_rule_figure"]

FOLLOWUP_KPIS = ("followup_gap_days_mean", "followup_gap_days_p90", "overdue_share")


def followup_by_reminders(summary: pd.DataFrame) -> tuple[pd.DataFrame, str | None, list[str]]:
    """The follow-up rows grouped by what moves follow-up: SMS reminders, not the preparation policy.

    Preparation does not change when a citizen is booked or whether they come; SMS reminders cut
    no-shows and so rebookings. When the policies without reminders give one line in every follow-up
    panel, they are drawn as one (``sms_reminders = False``, the rows of the first of them) beside the
    policies that send reminders (``True``). Returns ``(summary, by, merged policies)``; a summary
    whose policies do not coincide so comes back as it is, by ``prep_policy``.
    """
    if "prep_policy" not in summary.columns:
        return summary, None, []
    sends = {p: bool(getattr(REGISTERED.get(p), "sends_reminder", False)) for p in summary["prep_policy"].unique()}
    without = [p for p, s in sends.items() if not s]
    rows = summary[summary["kpi"].isin(FOLLOWUP_KPIS)]
    quiet = rows[rows["prep_policy"].isin(without)]
    if len(without) < 2 or not all(lines_coincide(quiet, "caseload", k, "prep_policy") for k in FOLLOWUP_KPIS):
        return summary, "prep_policy", []
    keep = [without[0], *[p for p, s in sends.items() if s]]
    out = rows[rows["prep_policy"].isin(keep)].assign(sms_reminders=lambda d: d["prep_policy"].map(sends))
    return out.drop(columns="prep_policy"), "sms_reminders", without


def time_use_runs(base: Scenario, caseloads: Sequence[float], seed: int,
                  policy: str = TIME_USE_POLICY) -> tuple[pd.DataFrame, float]:
    """Minutes by activity per caseworker per week at work, one run per caseload; and the seconds it took."""
    t0 = time.perf_counter()
    days = []
    for caseload in caseloads:
        result = simulate(base.replace(caseload=caseload, prep_policy=policy), seed=seed, replication=0,
                          tables=True)
        days.append(result.worker_days.assign(caseload=caseload))
    return time_use_table(pd.concat(days, ignore_index=True), "caseload"), time.perf_counter() - t0


def finding_preparation(summary: pd.DataFrame, x: str = "caseload", by: str = "prep_policy",
                        lang: str = "en") -> str:
    """Title for preparation vs caseload: who still prepares at the largest caseload, who does not."""
    table = kpi_table(summary, x, "prepared_share", by)
    xmax, last = float(table.index.max()), table.iloc[-1]
    prepping = last.drop(labels=[p for p in ("none",) if p in last.index])
    best = prepping.idxmax()
    worst = "after_checkin" if "after_checkin" in prepping.index else prepping.idxmin()
    if lang == "da":
        return (f"{policy_label(best, lang)}: {pct(last[best], lang)} af samtalerne er fuldt forberedt selv ved "
                f"{num(xmax, lang, None)} sager. {policy_label(worst, lang)}: {span_text(table[worst], lang)} ved alle sagstal")
    return (f"{policy_label(best, lang)}: {pct(last[best], lang)} of conversations fully prepared even at "
            f"{num(xmax, lang, None)} cases. {policy_label(worst, lang)}: {span_text(table[worst], lang)} at any caseload")


def finding_followup(summary: pd.DataFrame, x: str = "caseload", level: float = 0.10, lang: str = "en") -> str:
    """Title for follow-up vs caseload: where the overdue share passes ``level`` (mean over other groups)."""
    rows = kpi_rows(summary, "overdue_share")
    mean = rows.groupby(x)["mean"].mean().sort_index()
    at = crossing(mean.index, mean.to_numpy(), level)
    lo, hi, xmax = mean.iloc[0], mean.iloc[-1], mean.index[-1]
    if at is None:
        if lang == "da":
            return f"Andelen af for sene samtaler går fra {pct(lo, lang)} til {pct(hi, lang)}"
        return f"The overdue share goes from {pct(lo, lang)} to {pct(hi, lang)}"
    # "whatever the policy" only when the groups' lines coincide (an SMS reminder, for one, cuts no-shows)
    spread = rows.groupby(x)["mean"].agg(lambda v: v.max() - v.min()).max()
    alike = bool(spread < 0.01)
    if lang == "da":
        return (f"Over ~{nice(at, lang)} sager er kalenderen fuld: mere end hver tiende samtale holdes for sent "
                f"({pct(hi, lang)} ved {num(xmax, lang, None)})" + (", uanset forberedelsespolitik" if alike else ""))
    return (f"Above ~{nice(at, lang)} cases the diary is full: more than 1 in 10 conversations is held late "
            f"({pct(hi, lang)} at {num(xmax, lang, None)})" + (", whatever the preparation policy" if alike else ""))


def finding_time_use(table: pd.DataFrame, lang: str = "en") -> str:
    """Title for the time-use bars: how little of the week conversations take, and where idle time ends."""
    total = table.sum(axis=1)
    conv = table["conversation"]
    idle_gone = table.index[table["idle"] < 0.02 * total]
    at = num(idle_gone[0], lang, None) if len(idle_gone) else None
    c_lo, c_hi = num(conv.min(), lang), num(conv.max(), lang)
    if lang == "da":
        head = f"Samtaler fylder kun {c_lo}–{c_hi} minutter af en sagsbehandlers uge på {num(WEEK_MINUTES, lang)}"
        tail = (f"fra {at} sager fylder sagsarbejdet hvert ledigt minut" if at
                else f"ledig tid: {num(table['idle'].iloc[-1], lang)} minutter ved {num(table.index[-1], lang, None)} sager")
        return f"{head}; {tail}"
    head = f"Conversations take only {c_lo}–{c_hi} minutes of a caseworker's {num(WEEK_MINUTES, lang)}-minute week"
    tail = (f"from {at} cases on, casework fills every free minute" if at
            else f"idle time left at {num(table.index[-1], lang, None)} cases: {num(table['idle'].iloc[-1], lang)} minutes")
    return f"{head}; {tail}"


def time_use_figure(table: pd.DataFrame, by: str = "caseload", lang: str = "en", *, title: str | None = None,
                    width: float = 11.0):
    """Stacked time-use bars with reference marks for caseloads and a finding as title."""
    fig, ax = new_figure(width=width, height=5.6)
    with house_style():
        stacked_time_use(ax, table, by, lang)
        fig.suptitle(wrap_title(title or finding_time_use(table, lang), width))
    return fig


def caseload_figures(summary: pd.DataFrame, time_use: pd.DataFrame | None, lang: str = "en", *,
                     caption_text: str = "", time_use_caption: str = "",
                     rule_days: float | None = FOLLOWUP_RULE_DAYS, desk_rule: str | None = None) -> dict[str, Any]:
    """The headline figures of the caseload sweep, by file stem.

    * ``caseload_prep``: preparation minutes per conversation and prepared share;
    * ``caseload_followup``: mean and 90th-percentile follow-up gap and overdue share, one line for the
      policies without SMS reminders (they coincide) and one for those that send them
      (:func:`followup_by_reminders`);
    * ``caseload_casework``: casework coverage;
    * ``caseload_time_use``: a caseworker's week by activity (if ``time_use`` is given).

    ``desk_rule`` (the scenario's ``desk_priority``) is named in the preparation title: its finding holds
    under that rule only (see :func:`desk_rule_figure` for the others).
    """
    by = "prep_policy" if "prep_policy" in varied_parameters(summary) else None
    followup, followup_by, merged = followup_by_reminders(summary)
    prep_title = finding_preparation(summary, lang=lang) if by else None
    if prep_title and desk_rule:
        prep_title += (f" (skrivebordsregel {desk_rule}; andre regler giver andet)" if lang == "da"
                       else f" (desk rule {desk_rule}; other rules differ)")
    figs = {
        "caseload_prep": kpi_panels(summary, "caseload", ["prep_minutes_mean", "prepared_share"], by, lang,
                                    title=prep_title, ncols=2),
        "caseload_followup": kpi_panels(followup, "caseload", list(FOLLOWUP_KPIS), followup_by, lang,
                                        title=finding_followup(summary, lang=lang), rule_days=rule_days,
                                        width=13.0),
        "caseload_casework": kpi_panels(summary, "caseload", ["casework_coverage"], by, lang,
                                        title=finding_casework(summary, lang=lang), width=9.0),
    }
    for stem, fig in figs.items():
        text = caption_text
        if stem == "caseload_followup" and merged:
            text = f"{phrase('followup_note', lang, n=len(merged))} {caption_text}".strip()
        if text:
            caption(fig, text)
    if time_use is not None:
        fig = time_use_figure(time_use, "caseload", lang)
        if time_use_caption:
            caption(fig, time_use_caption)
        figs["caseload_time_use"] = fig
    return figs


def finding_desk_rules(summary: pd.DataFrame, lang: str = "en") -> str:
    """Title for preparing ahead under each desk rule: the prepared share at the largest caseload, per rule."""
    table = kpi_table(summary, "caseload", "prepared_share", "desk_priority")
    xmax, last = float(table.index.max()), table.iloc[-1]
    if lang == "da":
        parts = ", ".join(f"{pct(last[r], lang)} med {r}" for r in table.columns)
        return (f"{policy_label(DESK_POLICY, lang)}: hvor mange samtaler der er fuldt forberedt ved "
                f"{num(xmax, lang, None)} sager, afhænger af skrivebordsreglen: {parts}")
    parts = ", ".join(f"{pct(last[r], lang)} under {r}" for r in table.columns)
    return (f"{policy_label(DESK_POLICY, lang)}: how many conversations are fully prepared at {num(xmax, lang, None)} "
            f"cases depends on the desk rule: {parts}")


def desk_rule_figure(summary: pd.DataFrame, lang: str = "en", *, caption_text: str = ""):
    """Prepared share and casework coverage against caseload under each desk rule (``desk_priority``), for the
    policy :data:`DESK_POLICY`: the band of plausible answers, not one rule's."""
    fig = kpi_panels(summary, "caseload", ["prepared_share", "casework_coverage"], "desk_priority", lang,
                     title=finding_desk_rules(summary, lang), ncols=2)
    if caption_text:
        caption(fig, caption_text)
    return fig
